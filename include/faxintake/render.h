/*
 * render.h — the one drawing module (cairo + pango stay inside it).
 * Letters, the blank and filled-in forms and the fax synthesizer all draw
 * through it.
 *
 * A document is a list of A4 portrait pages.  Drawing happens in
 * millimetres, origin at the top left corner of the page, y downwards.
 * Each page is recorded as vectors, so one drawing can be written as a PDF
 * (text stays text), rasterised at any resolution (fax fine / normal,
 * 300 dpi scan) or both.  Output is deterministic: the same calls give the
 * same bytes (fixed PDF dates, no TIFF timestamps, no font hinting).
 *
 * Ownership: pages belong to their document and die with it.  Rasters
 * (struct render_raster) are plain bytes owned by the caller, freed with
 * render_raster_free().  Functions return 0 or a negative errno:
 * -EINVAL bad argument (e.g. invalid UTF-8, text too long for a QR code),
 * -E2BIG a cap exceeded (pages, pixels, bytes), -EIO a library failure,
 * or what writing the file returned.
 */
#ifndef FAXINTAKE_RENDER_H
#define FAXINTAKE_RENDER_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define RENDER_PAGE_W		210.0	/* A4, mm */
#define RENDER_PAGE_H		297.0
#define RENDER_MAX_PAGES	500

/* Fonts shipped by Debian (fonts-ipaexfont-gothic / -mincho). */
#define RENDER_FONT_GOTHIC	"IPAexGothic"
#define RENDER_FONT_MINCHO	"IPAexMincho"

/* Fax geometry: 1728 pixels across, 204 dpi; fine 196, normal 98 lpi. */
#define RENDER_FAX_WIDTH	1728
#define RENDER_FAX_XDPI		204.0
#define RENDER_FAX_FINE_YDPI	196.0
#define RENDER_FAX_NORMAL_YDPI	98.0
#define RENDER_SCAN_DPI		300.0

struct render_doc;
struct render_page;

/* A rectangle in mm (page coordinates). */
struct render_box {
	double	x, y, w, h;
};

enum render_align {
	RENDER_LEFT = 0,
	RENDER_CENTER,
	RENDER_RIGHT,
};

enum render_valign {
	RENDER_TOP = 0,
	RENDER_MIDDLE,
	RENDER_BOTTOM,
};

/* How a text is set.  A zeroed struct is valid: Gothic 10.5 pt, left,
 * top, single spacing, plain text. */
struct render_style {
	const char		*font;		/* fontconfig family; NULL gothic */
	double			 size;		/* points; 0 = 10.5 */
	int			 bold;
	enum render_align	 align;
	enum render_valign	 valign;	/* inside the box height, if > 0 */
	double			 spacing;	/* line height factor; 0 = font's */
	double			 tracking;	/* extra mm between characters */
	int			 markup;	/* text is pango markup (<b>, <u>) */
};

enum render_check {
	RENDER_CHECK_EMPTY = 0,	/* □ */
	RENDER_CHECK_TICK,	/* ✓ drawn over the box */
	RENDER_CHECK_CROSS,	/* × in the box */
	RENDER_CHECK_FILL,	/* ■ box filled in */
	RENDER_CHECK_CIRCLE,	/* the option's text circled (○) */
};

/* --- documents and pages ------------------------------------------- */

/* A new empty document; NULL only if pango/cairo cannot start.
 * Caller frees with render_doc_free(). */
struct render_doc *render_doc_new(void);
void	 render_doc_free(struct render_doc *);		/* NULL ok */
/* PDF /Title (copied; default none). */
void	 render_doc_set_title(struct render_doc *, const char *);
/* PDF creation and modification date, "YYYY-MM-DDThh:mm:ss" (copied);
 * default the fixed "2000-01-01T00:00:00" so output is reproducible. */
void	 render_doc_set_date(struct render_doc *, const char *);

/* Append a blank page; *ret is owned by the document.  -E2BIG past
 * RENDER_MAX_PAGES. */
int	 render_page_add(struct render_doc *, struct render_page **ret);
size_t	 render_doc_npages(const struct render_doc *);
/* Page i (0-based), NULL when out of range. */
struct render_page *render_doc_page(struct render_doc *, size_t i);

/* --- drawing (all lengths in mm) --------------------------------------- */

/* Ink for what follows on this page: 0 black (default) .. 1 white. */
void	 render_set_gray(struct render_page *, double gray);
/* Dashes for lines and outlines that follow; on <= 0 means solid. */
void	 render_set_dash(struct render_page *, double on, double off);

void	 render_line(struct render_page *, double x0, double y0,
	    double x1, double y1, double width);
/* Open or closed polyline through n points (xy[2*i], xy[2*i+1]): free
 * hand marks, ticks, signatures. */
void	 render_polyline(struct render_page *, const double *xy, size_t n,
	    int closed, double width);
void	 render_rect(struct render_page *, double x, double y, double w,
	    double h, double width);
void	 render_fill(struct render_page *, double x, double y, double w,
	    double h);
/* Ellipse inscribed in the box (outline). */
void	 render_ellipse(struct render_page *, double x, double y, double w,
	    double h, double width);

/*
 * Text in a box at (x, y) of width w and height h (0: no vertical
 * alignment).  w 0: no wrapping (one line per '\n') and x is where the
 * text starts (LEFT), its centre (CENTER) or its end (RIGHT).  Japanese wraps between any
 * characters.  Nothing is clipped.  ret (may be NULL) gets the box the
 * text took, in page mm.  -EINVAL for invalid UTF-8 or bad markup.
 */
int	 render_text(struct render_page *, const struct render_style *,
	    double x, double y, double w, double h, const char *utf8,
	    struct render_box *ret);
/* Size the text would take (width, height in mm) without drawing. */
int	 render_text_measure(struct render_doc *, const struct render_style *,
	    double w, const char *utf8, double *ret_w, double *ret_h);
/*
 * For paginating: how many bytes of utf8 (whole lines) fit in a box w
 * wide and max_h high; the rest goes on the next page.  strlen(utf8)
 * when all fits, possibly 0.  Plain text only (not markup).
 */
int	 render_text_fit(struct render_doc *, const struct render_style *,
	    double w, double max_h, const char *utf8, size_t *ret_len);
/*
 * The text render_text() drew on page i (0-based), for benchmarks: each
 * laid-out line (markup removed, outer blanks trimmed) is placed by its
 * position; lines whose centres are within half a line height (of the
 * smaller of the two) of the topmost one's form one line, left to right,
 * joined by a space; lines top to bottom, joined by '\n'.  Other marks
 * (QR codes, boxes) are not text.  *ret malloc'd ("" for a page without
 * text); caller frees.  -EINVAL when i is out of range.
 */
int	 render_page_text(const struct render_doc *, size_t i, char **ret);

/* A check box of side size at (x, y) in the given state; CIRCLE draws
 * an empty box (circle the text with render_ellipse). */
void	 render_checkbox(struct render_page *, double x, double y,
	    double size, enum render_check);

/* QR code (ECC level M, 8-bit data) filling the size x size square at
 * (x, y), a white 4-module quiet zone included.  -EINVAL when it does
 * not encode. */
int	 render_qr(struct render_page *, double x, double y, double size,
	    const char *data);
/* Registration mark: a filled square of side size centred on (cx, cy). */
void	 render_regmark(struct render_page *, double cx, double cy,
	    double size);

/* --- output ------------------------------------------------------------- */

/* The whole document as PDF.  *ret malloc'd; caller frees. */
int	 render_doc_pdf(struct render_doc *, unsigned char **ret,
	    size_t *ret_len);
/* Same, written atomically (tmp + rename) to path with mode. */
int	 render_doc_write_pdf(struct render_doc *, const char *path,
	    mode_t mode);

/*
 * A page as plain pixels, for the fax/TIFF writer and for degrading in
 * another module.  depth 8: one byte per pixel, 0 black .. 255 white.
 * depth 1: rows of packed bits, most significant bit first, a set bit
 * is black (TIFF min-is-white, as faxes are stored), rows padded to whole
 * bytes.
 */
struct render_raster {
	unsigned char	*data;		/* malloc'd */
	int		 width, height;	/* pixels */
	size_t		 stride;	/* bytes per row */
	int		 depth;		/* 8 or 1 */
	double		 xdpi, ydpi;
};

void	 render_raster_free(struct render_raster *);	/* frees data */

/*
 * Rasterise page i (0-based) to 8-bit gray at xdpi x ydpi (anti-aliased).
 * width 0: the A4 width at xdpi; otherwise the page is centred in width
 * pixels (RENDER_FAX_WIDTH for faxes).  Height is A4's at ydpi.
 */
int	 render_page_gray(struct render_doc *, size_t i, double xdpi,
	    double ydpi, int width, struct render_raster *ret);

enum render_dither {
	RENDER_DITHER_NONE = 0,	/* threshold */
	RENDER_DITHER_ORDERED,	/* 8x8 Bayer: grays become dot patterns */
};
/* 8-bit gray to 1-bit: black where gray < threshold (0: 128). */
int	 render_raster_bilevel(const struct render_raster *gray,
	    int threshold, enum render_dither, struct render_raster *ret);

enum render_tiff_compression {
	RENDER_TIFF_G4 = 0,	/* CCITT T.6 */
	RENDER_TIFF_G3,		/* CCITT T.4 1-D, EOLs byte aligned */
	RENDER_TIFF_G3_2D,	/* CCITT T.4 2-D */
};

/* Optional tags; a zeroed struct writes G4 and no optional tags. */
struct render_tiff_opts {
	enum render_tiff_compression compression;
	const char	*description;	/* ImageDescription (HylaFAX: TSI) */
	const char	*software;
	const char	*datetime;	/* "YYYY:MM:DD hh:mm:ss" or NULL */
	/* HylaFAX's receive tags; written when non-zero / non-NULL. */
	uint32_t	 fax_recv_params;
	uint32_t	 fax_recv_time;	/* seconds the reception took */
	const char	*fax_subaddress;
	const char	*fax_dcs;
};

/*
 * Multi-page TIFF from 1-bit rasters (all pages 1-bit), one strip per
 * page, PageNumber tags, resolution from each raster (inches).  *ret
 * malloc'd; caller frees.
 */
int	 render_tiff_encode(const struct render_raster *pages, size_t n,
	    const struct render_tiff_opts *, unsigned char **ret,
	    size_t *ret_len);
int	 render_tiff_write(const char *path, mode_t mode,
	    const struct render_raster *pages, size_t n,
	    const struct render_tiff_opts *);
/* The whole document as a fax: 1728 px, 204 x ydpi (RENDER_FAX_FINE_YDPI
 * or RENDER_FAX_NORMAL_YDPI), thresholded; written atomically. */
int	 render_doc_write_fax(struct render_doc *, const char *path,
	    mode_t mode, double ydpi, const struct render_tiff_opts *);

/* A PDF holding one raster per A4 page (a scanner's output; 8-bit gray
 * pages stay gray).  *ret malloc'd; caller frees. */
int	 render_raster_pdf(const struct render_raster *pages, size_t n,
	    unsigned char **ret, size_t *ret_len);

#endif
