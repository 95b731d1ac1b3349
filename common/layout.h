/*
 * layout.h — positioned text as plain structs: boxes, glyphs and words.
 *
 * extract/ fills them from poppler; normalize/, patterns/ and tables/ read
 * them.  Coordinates are PDF points with the origin at the top-left corner
 * of the page as displayed (y grows downwards).  Strings are UTF-8.
 */
#ifndef BP_COMMON_LAYOUT_H
#define BP_COMMON_LAYOUT_H

#include <stddef.h>
#include <stdint.h>

typedef struct bp_box {
    double x0, y0, x1, y1; /* x0 <= x1, y0 <= y1 */
} bp_box;

typedef struct bp_glyph {
    uint32_t codepoint; /* Unicode scalar value */
    bp_box box;
    double font_size;   /* points; 0 when the PDF gave none */
} bp_glyph;

typedef struct bp_word {
    char *text;          /* UTF-8, the word's glyphs concatenated */
    bp_box box;          /* union of its glyph boxes */
    size_t first_glyph;  /* index into the page's glyph array */
    size_t n_glyphs;
    double font_size;    /* of the first glyph */
} bp_word;

/* The smallest box holding a and b. */
static inline bp_box bp_box_union(bp_box a, bp_box b)
{
    bp_box u = a;
    if (b.x0 < u.x0) u.x0 = b.x0;
    if (b.y0 < u.y0) u.y0 = b.y0;
    if (b.x1 > u.x1) u.x1 = b.x1;
    if (b.y1 > u.y1) u.y1 = b.y1;
    return u;
}

#endif
