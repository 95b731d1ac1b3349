/*
 * extract.h — positioned text out of a PDF (the only folder that sees
 * poppler-glib, GLib and cairo).  The glyph, word and box types are in
 * common/layout.h.
 *
 * A bp_pdf is an opened document.  bp_pdf_page() extracts one page into a
 * bp_page: its size and rotation, every glyph with its box, the glyphs
 * grouped into words (poppler's own word breaks) and the words grouped into
 * lines by geometry (vertical overlap), each line's words sorted left to
 * right.  Lines are in reading order: top to bottom.
 *
 * Coordinates are PDF points with the origin at the top-left corner of the
 * page as displayed (y grows downwards), the convention of poppler's text
 * layout.  Every string is UTF-8 and owned by the structure holding it.
 *
 * Deliberately not here: number parsing (normalize/), deciding what a line
 * means (patterns/), table structure.
 */
#ifndef BP_EXTRACT_H
#define BP_EXTRACT_H

#include <stddef.h>
#include <stdint.h>

#include "common/error.h"
#include "common/layout.h"

typedef struct bp_line {
    char *text;          /* words joined by one space */
    bp_box box;          /* union of its word boxes */
    size_t first_word;   /* index into bp_page.words (words of a line are contiguous) */
    size_t n_words;
} bp_line;

typedef struct bp_page {
    int number;          /* 1-based */
    double width, height;/* points, as displayed (after rotation) */
    int rotation;        /* 0, or 90 when the page is turned a quarter
                            (poppler-glib cannot tell 90 from 270, nor 0
                            from 180); text boxes are always upright */
    bp_glyph *glyphs;
    size_t n_glyphs;
    bp_word *words;      /* ordered line by line, left to right */
    size_t n_words;
    bp_line *lines;
    size_t n_lines;
} bp_page;

typedef struct bp_pdf_info {
    char sha256[65];     /* hex digest of the file bytes */
    int64_t file_size;
    int n_pages;
    char *producer;      /* may be NULL */
    char *creator;       /* may be NULL */
    char *title;         /* may be NULL */
    char *pdf_version;   /* e.g. "PDF-1.5"; may be NULL */
} bp_pdf_info;

typedef struct bp_pdf bp_pdf;

/* Limits applied while opening and extracting; zero means "no limit". */
typedef struct bp_extract_limits {
    int max_pages;
    double max_page_side;   /* points */
} bp_extract_limits;

/* Opens the PDF at path (read fully into memory).  Errors: BP_ERR_IO
 * (missing, unreadable), BP_ERR_FORMAT (not a PDF, damaged beyond repair),
 * BP_ERR_ENCRYPTED, BP_ERR_EMPTY (zero pages), BP_ERR_LIMIT.  The message
 * names the file.  Caller frees with bp_pdf_close(). */
bp_status bp_pdf_open(const char *path, const bp_extract_limits *limits,
                      bp_pdf **out, bp_error *err);

/* Same, from a buffer the caller keeps alive until bp_pdf_close(). `name`
 * is used in messages. */
bp_status bp_pdf_open_memory(const char *name, const void *data, size_t size,
                             const bp_extract_limits *limits, bp_pdf **out,
                             bp_error *err);

void bp_pdf_close(bp_pdf *pdf);

/* The sha256 of a file's bytes as 64 hex digits (what bp_pdf_info.sha256
 * will be), computed without parsing it. */
bp_status bp_file_sha256(const char *path, char out[65], bp_error *err);

/* Borrowed; valid while pdf is open. */
const bp_pdf_info *bp_pdf_get_info(const bp_pdf *pdf);

/* Extracts page `number` (1-based).  Caller frees with bp_page_free(). */
bp_status bp_pdf_page(bp_pdf *pdf, int number, bp_page **out, bp_error *err);

void bp_page_free(bp_page *page);

/* The page's text as poppler's own reading of it (what pdftotext prints,
 * without layout).  Caller frees with free(). */
char *bp_pdf_page_plain_text(bp_pdf *pdf, int number);

/* Renders `region` (page points, clipped to the page) of page `number` at
 * `scale` pixels per point into a PNG file at png_path, with each of the
 * n_outlines boxes outlined in red.  Errors: BP_ERR_USAGE (no such page),
 * BP_ERR_LIMIT (image empty or over 4000 px a side), BP_ERR_IO. */
bp_status bp_pdf_render_region_png(bp_pdf *pdf, int number, bp_box region,
                                   const bp_box *outlines, size_t n_outlines,
                                   double scale, const char *png_path, bp_error *err);

/* Ruling lines of a page (table borders): long thin dark strokes and
 * filled bars of its vector graphics, or, where those cannot be read or an
 * image covers much of the page, long thin dark runs of the page rendered
 * at low resolution.  Each rule is a box in page points (origin top-left,
 * as displayed): horizontal rules are wide and thin, vertical rules tall
 * and thin.  Lists are sorted (horizontal by y then x, vertical by x then
 * y) with collinear touching pieces merged. */
typedef struct bp_page_rules {
    bp_box *horizontal;
    size_t n_horizontal;
    bp_box *vertical;
    size_t n_vertical;
} bp_page_rules;

/* Finds the ruling lines of page `number` (1-based).  Caller frees with
 * bp_page_rules_free().  Errors: BP_ERR_USAGE (no such page), BP_ERR_LIMIT
 * (page too large to render), BP_ERR_NOMEM. */
bp_status bp_pdf_page_rules(bp_pdf *pdf, int number, bp_page_rules **out,
                            bp_error *err);

/* The same, always by rendering the page (what the vector reading falls
 * back to; tests compare the two). */
bp_status bp_pdf_page_rules_rendered(bp_pdf *pdf, int number, bp_page_rules **out,
                                     bp_error *err);

void bp_page_rules_free(bp_page_rules *rules); /* accepts NULL */

#endif
