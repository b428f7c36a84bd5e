/*
 * decode.h — turn the bytes of one arrival into page images.  Runs inside
 * a worker process (memory and CPU limits set by the caller); every input
 * is hostile, so every header value is checked against the limits before
 * it sizes an allocation.
 *
 * The type is sniffed with libmagic from the bytes, never from the name.
 * TIFF (G3/G4 fax, LZW, packbits, grey, colour; multi-page), PDF
 * (rasterised with poppler, see pdf.h), PNG and JPEG are decoded into
 * leptonica images; anything else is rejected.
 *
 * Leptonica types stay inside the worker modules: this header only
 * forward-declares struct Pix.
 */
#ifndef FAXINTAKE_DECODE_H
#define FAXINTAKE_DECODE_H

#include <stddef.h>

struct Pix;

/* decode_buffer()/decode_fd() result for bad input: reason set in info. */
#define DECODE_REJECTED		1

/* info->reason_code values (DESIGN.md, "A file"). */
#define DECODE_EMPTY		"empty"
#define DECODE_UNSUPPORTED	"unsupported_type"
#define DECODE_OVER_LIMIT	"over_limit"
#define DECODE_CORRUPT		"corrupt"

/* PDF pages are rendered at this resolution unless the page would be over
 * max_page_pixels, then at the highest resolution that fits, but never
 * below DECODE_PDF_MIN_DPI (then the page is over_limit). */
#define DECODE_PDF_DPI		300
#define DECODE_PDF_MIN_DPI	100

struct decode_limits {
	size_t			max_bytes;	/* bytes per file */
	int			max_pages;	/* pages per file */
	unsigned long long	max_page_pixels; /* width * height per page */
};

/* Facts of one file.  All strings NUL-terminated, possibly truncated. */
struct decode_info {
	char	mime[64];	/* libmagic MIME type, "image/tiff" */
	char	magic[256];	/* libmagic description */
	/* What the sending fax machine said, from the HylaFAX TIFF tags:
	 * its TSI (trimmed), else the caller id number; "" when unknown.
	 * Printable ASCII only. */
	char	sender[128];
	char	callid[64];	/* caller id number HylaFAX recorded, or "" */
	int	npages;		/* pages in the file; 0 unless decoded */
	char	reason_code[32]; /* "" on success, else DECODE_EMPTY ... */
	char	reason[512];	/* readable cause, "" on success */
};

/* One decoded page, as the daemon stores it. */
struct decode_page {
	int	pageno;		/* 1-based */
	int	width;		/* pixels */
	int	height;
	int	depth;		/* bits per pixel of the image: 1, 8 or 32 */
	int	xres;		/* dpi; 0 when the file does not say */
	int	yres;
};

/*
 * Called once per page, in order.  pix is owned by the decoder and freed
 * after the call returns; the callback may pixClone() it to keep it.  A
 * non-zero return stops decoding and is returned by decode_buffer().
 * A later page can still turn out corrupt: a caller must treat the pages
 * it was given as void unless decode_buffer() returns 0.
 */
typedef int (*decode_page_fn)(void *arg, const struct decode_page *page,
    struct Pix *pix);

/*
 * Sniff and decode len bytes.  Returns 0 when every page was decoded and
 * handed to fn (fn may be NULL to only check the file); DECODE_REJECTED
 * with info->reason_code and info->reason set for bad input (empty,
 * unsupported type, over a limit, corrupt); -errno for a failure of the
 * system itself (e.g. -ENOMEM, the magic database missing); or what fn
 * returned.  *info is always filled in as far as known.
 */
int	decode_buffer(const void *data, size_t len,
	    const struct decode_limits *limits, struct decode_info *info,
	    decode_page_fn fn, void *arg);

/*
 * Read fd (from its current offset; at most max_bytes + 1 bytes, so a
 * file over the limit is rejected without reading it all) and decode it
 * as decode_buffer() does.  fd is not closed.  -errno on a read error.
 */
int	decode_fd(int fd, const struct decode_limits *limits,
	    struct decode_info *info, decode_page_fn fn, void *arg);

/*
 * Page pageno (from 1) of the file as PNG bytes, for a person to look
 * at (`faxintake page`).  *ret is malloc'd; caller frees.  -ENOENT when
 * the file has fewer pages; DECODE_REJECTED or -errno as decode_buffer().
 */
int	decode_page_png(const void *data, size_t len,
	    const struct decode_limits *limits, int pageno,
	    unsigned char **ret, size_t *ret_len, struct decode_info *info);

/* For the format decoders (pdf.c): set info->reason_code and reason;
 * returns DECODE_REJECTED. */
int	decode_reject(struct decode_info *info, const char *code,
	    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* For the format decoders: describe pix as page pageno and call fn. */
int	decode_page_deliver(struct Pix *pix, int pageno, decode_page_fn fn,
	    void *arg);

#endif
