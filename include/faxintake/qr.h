/*
 * qr.h — QR codes on a page (zbar stays inside qr.c): faxintake's own
 * forms ("FXI1|form=application|v=1|h=keio|p=1"), the mailroom separator
 * ("FXI1|form=separator|v=1") and case cover sheets
 * ("FXI1|form=cover|v=1|case=20261120-0007|h=keio").
 */
#ifndef FAXINTAKE_QR_H
#define FAXINTAKE_QR_H

#include <stddef.h>

struct Pix;

#define QR_NOT_OURS	1	/* a QR code, but not a valid FXI1 text */
#define QR_MAX_CODES	8	/* codes kept per page */

struct qr_info {
	char	raw[256];	/* the decoded text (truncated), printable */
	int	ours;		/* a valid FXI1 text; the fields below set */
	char	form[32];	/* "application", "consent", "separator",
				   "cover", ... */
	int	version;	/* v=; 0 when absent */
	char	hospital[32];	/* h=; "" when absent */
	int	page;		/* p=; 0 when absent */
	char	case_id[32];	/* case=; "" when absent */
	int	x, y, w, h;	/* bounding box of the code, pixels */
};

/*
 * Parse an FXI1 text into *ret (raw set either way).  0, or QR_NOT_OURS
 * when it is not "FXI1|" followed by valid key=value pairs with a form
 * (known keys are checked: v and p positive numbers, h and form
 * [a-z0-9_-], case YYYYMMDD-NNNN); -EINVAL on NULL.
 */
int	qr_parse(const char *text, struct qr_info *ret);

/*
 * Find the QR codes on pix (any depth).  ret[0..*n) get up to max codes,
 * ours first.  0 (possibly *n == 0), -ENOMEM, -EINVAL.
 */
int	qr_scan(struct Pix *pix, struct qr_info *ret, size_t max, size_t *n);

#endif
