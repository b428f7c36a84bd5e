/*
 * places.h — the names of prefectures and municipalities, to put right a
 * place name that OCR read one letter off (苦小牧市 for 苫小牧市, 伯台市
 * for 仙台市).  Clinics are named after their town (苫小牧市総合病院) and
 * addresses begin with one; the gazetteer covers the prefectures and the
 * regions the five seed hospitals draw their patients from (Hokkaido,
 * Tohoku, the Tokyo area).  Pure: a compiled-in table.
 */
#ifndef FAXINTAKE_PLACES_H
#define FAXINTAKE_PLACES_H

#include <stddef.h>

/*
 * Rewrite in s (NUL-terminated, sz bytes) every place name that begins a
 * run of place names at the start of s (北海道上川郡東神楽町, 苦小牧市) and
 * is one letter off a known name of three letters or more (two off one
 * of four or more, the last letter right: 革小衝市).  Returns the
 * number of letters changed (0: none).
 */
int	places_fix(char *s, size_t sz);

#endif
