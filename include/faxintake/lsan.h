/*
 * lsan.h — what LeakSanitizer should not call a leak in a program that
 * renders text: fontconfig's and pango's process-wide caches, kept until
 * exit by design.  Freeing them (FcFini) at exit can abort when a glyph
 * fell back to another font, so the programs leave them and the
 * sanitizer build is told.  Expand FAXINTAKE_LSAN_SUPPRESSIONS once per
 * program (in the file with main); without ASan it is two unused
 * functions.
 */
#ifndef FAXINTAKE_LSAN_H
#define FAXINTAKE_LSAN_H

#define FAXINTAKE_LSAN_SUPPRESSIONS					\
const char *__lsan_default_suppressions(void);				\
const char *								\
__lsan_default_suppressions(void)					\
{									\
	return "leak:libfontconfig.so\n"				\
	    "leak:libpango-1.0.so\n"					\
	    "leak:libpangoft2-1.0.so\n"					\
	    "leak:libpangocairo-1.0.so\n";				\
}									\
const char *__lsan_default_options(void);				\
const char *								\
__lsan_default_options(void)						\
{									\
	return "print_suppressions=0";					\
}

#endif
