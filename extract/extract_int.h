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

/* For rules.c: the poppler page `number` of pdf (1-based; the caller
 * unrefs it), or NULL when there is no such page; and the document's name
 * for messages.  Keeps struct bp_pdf private to pdf.c. */
#include <poppler.h>
PopplerPage *bp_pdf_poppler_page(bp_pdf *pdf, int number);
const char *bp_pdf_name(const bp_pdf *pdf);
double bp_pdf_max_page_side(const bp_pdf *pdf);

#endif
