/*
 * extract_int.h — private to extract/: the step from glyphs to words and
 * lines (pdf.c, lines.c), and the painted vector graphics of a page
 * (paths.cc, read by rules.c).
 */
#ifndef BP_EXTRACT_INT_H
#define BP_EXTRACT_INT_H

#include "extract/extract.h"

#include <poppler.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Builds page->words and page->lines from page->glyphs; word_of[i] is the
 * poppler word index of glyph i (runs between whitespace).  A poppler word
 * is split further where its glyphs leave a gap wider than a glyph or step
 * backwards.  `name` is the file name for messages. */
bp_status bp_extract_group(bp_page *page, const size_t *word_of, bp_error *err,
                           const char *name);

/* For rules.c: the poppler page `number` of pdf (1-based; the caller
 * unrefs it), or NULL when there is no such page; and the document's name
 * for messages.  Keeps struct bp_pdf private to pdf.c. */
PopplerPage *bp_pdf_poppler_page(bp_pdf *pdf, int number);
const char *bp_pdf_name(const bp_pdf *pdf);
double bp_pdf_max_page_side(const bp_pdf *pdf);

/* One painted piece of a page's vector graphics (paths.cc), in page points
 * as displayed: a straight axis-aligned stroke segment as a box of the
 * line's width, or a filled rectangle (or thin filled shape).  `ink` is
 * dark paint (what rules are made of); `cover` an opaque fill, which hides
 * whatever was painted under it before. */
typedef struct bp_ink {
    bp_box box;
    int ink, cover;
} bp_ink;

/* The pieces of one page in painting order; has_picture when an image
 * covers a large part of the page (its pixels may hold ruling lines). */
typedef struct bp_ink_list {
    bp_ink *items;
    size_t count, capacity;
    int has_picture;
} bp_ink_list;

/* A document opened a second time, with qpdf, to read content streams.
 * NULL when qpdf cannot open it (then rules come from rendering). */
typedef struct bp_vector_doc bp_vector_doc;
bp_vector_doc *bp_vector_open(const char *name, const void *data, size_t size);
void bp_vector_close(bp_vector_doc *doc); /* accepts NULL */
int bp_vector_page_count(const bp_vector_doc *doc);

/* The painted pieces of page `number` (1-based) into *out (freed with
 * bp_ink_list_free); -1 when the page's content cannot be read. */
int bp_vector_page_ink(bp_vector_doc *doc, int number, bp_ink_list *out);
void bp_ink_list_free(bp_ink_list *list);

/* For rules.c: pdf's vector reader, opened on first use; NULL when qpdf
 * cannot read the document or counts its pages differently from poppler. */
bp_vector_doc *bp_pdf_vector(bp_pdf *pdf);

#ifdef __cplusplus
}
#endif

#endif
