/*
 * extract_int.h — private to extract/: the step from glyphs to words and
 * lines, shared by pdf.c and lines.c.
 */
#ifndef BP_EXTRACT_INT_H
#define BP_EXTRACT_INT_H

#include "extract/extract.h"

/* Builds page->words and page->lines from page->glyphs; word_of[i] is the
 * poppler word index of glyph i (runs between whitespace).  A poppler word
 * is split further where its glyphs leave a gap wider than a glyph or step
 * backwards.  `name` is the file name for messages. */
bp_status bp_extract_group(bp_page *page, const size_t *word_of, bp_error *err,
                           const char *name);

/* Appends the UTF-8 encoding of cp to buf (at least 4 free bytes); returns
 * the number of bytes written. */
size_t bp_utf8_encode(uint32_t cp, char *buf);

#endif
