/*
 * rules.c — the ruling lines (table borders) of a page.
 *
 * A rule is a long thin piece of dark paint: at least MIN_RULE_PT long and
 * at most MAX_THICK_PT thick, after collinear pieces that touch are merged
 * (a border drawn cell by cell is one rule).  Glyph strokes are too short,
 * filled areas too thick.  Coordinates are page points as displayed
 * (origin top-left), the same frame as the text boxes.
 *
 * The pieces come from the page's vector graphics (paths.cc: strokes and
 * filled rectangles in painting order; an opaque fill hides what it is
 * painted over).  Where those cannot be read, or a page draws no rule but
 * looks like a scanned table (an image over much of it, under a text layer
 * with figures: its rules are pixels), the page is rendered with cairo at
 * RULES_SCALE pixels per point on white instead, and long thin runs of
 * dark pixels are kept.
 *
 * Deliberately not here: deciding which rules form a table (tables/).
 */
#include "extract/extract.h"
#include "extract/extract_int.h"

#include <cairo.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define RULES_SCALE 2.0      /* pixels per point */
#define MIN_RULE_PT 12.0     /* shorter dark runs are glyph strokes */
#define MAX_THICK_PT 2.6     /* thicker runs are fills, not rules */
#define DARK_LEVEL 170       /* 0..255 luminance below which a pixel is ink */
#define MAX_RENDER_PIXELS (40.0 * 1000 * 1000)
#define MIN_TABLE_FIGURES 8  /* figures a picture page's text needs to be worth rendering */
#define PIECE_GROUP 16       /* consecutive pieces under one bounding box in cover_pieces */

typedef struct run {
    int along0, along1;  /* pixel extent along the rule */
    int across0, across1;/* pixel extent across (thickness), inclusive */
    int open;            /* still being extended by the current scan line */
} run;

typedef struct run_list {
    run *items;
    size_t count, capacity;
} run_list;

typedef struct box_list {
    bp_box *items;
    size_t count, capacity;
} box_list;

static int push_run(run_list *list, run r)
{
    if (list->count == list->capacity) {
        size_t cap = list->capacity ? list->capacity * 2 : 64;
        run *items = realloc(list->items, cap * sizeof *items);
        if (items == NULL)
            return -1;
        list->items = items;
        list->capacity = cap;
    }
    list->items[list->count++] = r;
    return 0;
}

static int push_box(box_list *list, bp_box b)
{
    if (list->count == list->capacity) {
        size_t cap = list->capacity ? list->capacity * 2 : 32;
        bp_box *items = realloc(list->items, cap * sizeof *items);
        if (items == NULL)
            return -1;
        list->items = items;
        list->capacity = cap;
    }
    list->items[list->count++] = b;
    return 0;
}

/* Darkness test on an RGB24 pixel. */
static int is_dark(uint32_t px)
{
    unsigned r = (px >> 16) & 0xff, g = (px >> 8) & 0xff, b = px & 0xff;
    /* luminance / 1000 < DARK_LEVEL, without a division per pixel */
    return r * 299 + g * 587 + b * 114 < DARK_LEVEL * 1000u;
}

/* A dark run on one scan line, at least MIN_RULE_PT long: `line` is the
 * pixel row (horizontal) or column (vertical), along0..along1 inclusive. */
typedef struct segment {
    int line, along0, along1;
} segment;

typedef struct segment_list {
    segment *items;
    size_t count, capacity;
} segment_list;

static int push_segment(segment_list *list, int line, int along0, int along1)
{
    if (list->count == list->capacity) {
        size_t cap = list->capacity ? list->capacity * 2 : 256;
        segment *items = realloc(list->items, cap * sizeof *items);
        if (items == NULL)
            return -1;
        list->items = items;
        list->capacity = cap;
    }
    list->items[list->count++] = (segment){line, along0, along1};
    return 0;
}

static int by_line_then_along(const void *pa, const void *pb)
{
    const segment *a = pa, *b = pb;
    if (a->line != b->line)
        return a->line < b->line ? -1 : 1;
    return (a->along0 > b->along0) - (a->along0 < b->along0);
}

/* The long dark runs of the image in both directions, read in one pass in
 * memory order: along each pixel row for horizontal segments and, with one
 * open-run start per column, down the columns for vertical ones.  (Walking
 * the RGB image column by column instead cost a cache miss per pixel, and
 * a luminance division per pixel; together most of the time of a page.)
 * Both lists come out sorted by line, then along. */
static int find_segments(const unsigned char *data, int stride, int width, int height,
                         segment_list *horizontal, segment_list *vertical)
{
    int min_len = (int)(MIN_RULE_PT * RULES_SCALE);
    unsigned char *dark = malloc((size_t)width + 1);
    int *col_start = malloc(((size_t)width + 1) * sizeof *col_start);
    if (dark == NULL || col_start == NULL) {
        free(dark);
        free(col_start);
        return -1;
    }
    for (int x = 0; x < width; x++)
        col_start[x] = -1;
    int failed = 0;
    int open_columns = 0; /* columns with col_start >= 0 */
    for (int y = 0; y <= height && !failed; y++) {
        int inked = 0;
        if (y < height) {
            const uint32_t *px = (const uint32_t *)(data + (size_t)y * stride);
            for (int x = 0; x < width; x++) {
                /* most of a page is white: skip the luminance there */
                unsigned char d = (px[x] & 0xFFFFFFu) != 0xFFFFFFu && is_dark(px[x]);
                dark[x] = d;
                inked |= d;
            }
        } else {
            memset(dark, 0, (size_t)width); /* closes the runs still open */
        }
        if (!inked && open_columns == 0)
            continue; /* a blank row with nothing to close */
        for (int x = 0; x < width; x++) {
            if (dark[x]) {
                if (col_start[x] < 0) {
                    col_start[x] = y;
                    open_columns++;
                }
            } else if (col_start[x] >= 0) {
                if (y - col_start[x] >= min_len)
                    failed |= push_segment(vertical, x, col_start[x], y - 1);
                col_start[x] = -1;
                open_columns--;
            }
        }
        if (y == height || !inked)
            continue;
        int x = 0;
        while (x < width && !failed) {
            const unsigned char *next = memchr(dark + x, 1, (size_t)(width - x));
            if (next == NULL)
                break;
            int start = (int)(next - dark);
            x = start;
            while (x < width && dark[x])
                x++;
            if (x - start >= min_len)
                failed |= push_segment(horizontal, y, start, x - 1);
        }
    }
    free(dark);
    free(col_start);
    if (!failed && vertical->count > 1)
        qsort(vertical->items, vertical->count, sizeof *vertical->items, by_line_then_along);
    return failed ? -1 : 0;
}

/* Merges segments on consecutive lines with nearly the same extent into
 * one thick run. */
static int scan(const segment_list *segments, int n_lines, run_list *out)
{
    int tol = 2;
    size_t first_open = 0; /* runs before this index are closed */
    size_t k = 0;
    for (int line = 0; line < n_lines; line++) {
        size_t line_start = out->count;
        for (; k < segments->count && segments->items[k].line == line; k++) {
            int start = segments->items[k].along0, along = segments->items[k].along1 + 1;
            /* Continue an open run of the previous line? */
            int merged = 0;
            for (size_t i = first_open; i < line_start; i++) {
                run *r = &out->items[i];
                if (r->open && r->across1 == line - 1 &&
                    abs(r->along0 - start) <= tol && abs(r->along1 - (along - 1)) <= tol) {
                    r->across1 = line;
                    if (start < r->along0) r->along0 = start;
                    if (along - 1 > r->along1) r->along1 = along - 1;
                    r->open = 2; /* touched on this line */
                    merged = 1;
                    break;
                }
            }
            if (!merged) {
                run r = {start, along - 1, line, line, 2};
                if (push_run(out, r) != 0)
                    return -1;
            }
        }
        /* Close runs not continued on this line. */
        for (size_t i = first_open; i < out->count; i++) {
            run *r = &out->items[i];
            if (r->open == 2)
                r->open = 1;
            else if (r->open == 1 && r->across1 < line)
                r->open = 0;
        }
        while (first_open < out->count && !out->items[first_open].open)
            first_open++;
    }
    return 0;
}

/* The order of the pieces of one direction: by the line they lie on
 * (centres within 1 pt are one line), then along it. */
static int compare_pieces(const bp_box *x, const bp_box *y, int horizontal)
{
    double a = horizontal ? (x->y0 + x->y1) / 2 : (x->x0 + x->x1) / 2;
    double b = horizontal ? (y->y0 + y->y1) / 2 : (y->x0 + y->x1) / 2;
    if (fabs(a - b) > 1.0)
        return a < b ? -1 : 1;
    double along_x = horizontal ? x->x0 : x->y0, along_y = horizontal ? y->x0 : y->y0;
    return (along_x > along_y) - (along_x < along_y);
}

/* Sorts n pieces with compare_pieces, using tmp (room for n).  The
 * comparison's tolerance makes it intransitive, so the order depends on
 * the algorithm: this is the merge sort of glibc's qsort (halves of n/2
 * and the rest, ties to the left half), whose order the rules always had,
 * without its indirect calls and byte-wise copies. */
static void sort_pieces(bp_box *items, size_t n, bp_box *tmp, int horizontal)
{
    if (n <= 1)
        return;
    size_t n1 = n / 2, n2 = n - n1;
    bp_box *left = items, *right = items + n1, *to = tmp;
    sort_pieces(left, n1, tmp, horizontal);
    sort_pieces(right, n2, tmp, horizontal);
    while (n1 > 0 && n2 > 0) {
        if (compare_pieces(left, right, horizontal) <= 0) {
            *to++ = *left++;
            n1--;
        } else {
            *to++ = *right++;
            n2--;
        }
    }
    memcpy(to, left, n1 * sizeof *to);
    memcpy(items, tmp, (n - n2) * sizeof *items);
}

/* Sorts the pieces of one direction, merges collinear touching ones and
 * drops what stays shorter than a rule; -1 when out of memory. */
static int merge_pieces(box_list *out, int horizontal)
{
    if (out->count == 0)
        return 0;
    bp_box *tmp = malloc(out->count * sizeof *tmp);
    if (tmp == NULL)
        return -1;
    sort_pieces(out->items, out->count, tmp, horizontal);
    free(tmp);
    size_t w = 0;
    for (size_t i = 1; i < out->count; i++) {
        bp_box *prev = &out->items[w], *cur = &out->items[i];
        int same_line, touches;
        if (horizontal) {
            same_line = fabs((prev->y0 + prev->y1) / 2 - (cur->y0 + cur->y1) / 2) <= 1.0;
            touches = cur->x0 <= prev->x1 + 1.5;
        } else {
            same_line = fabs((prev->x0 + prev->x1) / 2 - (cur->x0 + cur->x1) / 2) <= 1.0;
            touches = cur->y0 <= prev->y1 + 1.5;
        }
        if (same_line && touches)
            *prev = bp_box_union(*prev, *cur);
        else
            out->items[++w] = *cur;
    }
    out->count = w + 1;
    size_t kept = 0;
    for (size_t i = 0; i < out->count; i++) {
        const bp_box *b = &out->items[i];
        if ((horizontal ? b->x1 - b->x0 : b->y1 - b->y0) >= MIN_RULE_PT)
            out->items[kept++] = *b;
    }
    out->count = kept;
    return 0;
}

/* Converts pixel runs to point boxes, dropping thick ones. */
static int runs_to_boxes(const run_list *runs, int horizontal, box_list *out)
{
    double max_thick = MAX_THICK_PT * RULES_SCALE;
    for (size_t i = 0; i < runs->count; i++) {
        const run *r = &runs->items[i];
        if (r->across1 - r->across0 + 1 > max_thick)
            continue;
        bp_box b;
        if (horizontal) {
            b.x0 = r->along0 / RULES_SCALE;
            b.x1 = (r->along1 + 1) / RULES_SCALE;
            b.y0 = r->across0 / RULES_SCALE;
            b.y1 = (r->across1 + 1) / RULES_SCALE;
        } else {
            b.y0 = r->along0 / RULES_SCALE;
            b.y1 = (r->along1 + 1) / RULES_SCALE;
            b.x0 = r->across0 / RULES_SCALE;
            b.x1 = (r->across1 + 1) / RULES_SCALE;
        }
        if (push_box(out, b) != 0)
            return -1;
    }
    return merge_pieces(out, horizontal);
}

/* Whether a and b are apart (false when a coordinate is NaN). */
static bool boxes_apart(bp_box a, bp_box b)
{
    return a.x1 <= b.x0 || a.x0 >= b.x1 || a.y1 <= b.y0 || a.y0 >= b.y1;
}

/* Appends b to the pieces of one direction, and to the bounding box of its
 * group in groups: group k holds pieces k * PIECE_GROUP onwards. */
static int push_piece(box_list *pieces, box_list *groups, bp_box b)
{
    if (pieces->count % PIECE_GROUP == 0) {
        if (push_box(groups, b) != 0)
            return -1;
    } else {
        bp_box *group = &groups->items[groups->count - 1];
        *group = bp_box_union(*group, b);
    }
    return push_box(pieces, b);
}

/* Removes from the pieces of one direction painted so far what an opaque
 * fill covers across their whole thickness (a white box laid over a grid
 * erases the lines of a merged cell), splitting a piece the fill crosses.
 * Cutting only shrinks a piece, so a group's box still holds its pieces:
 * a fill apart from it is apart from each of them (most fills and pieces
 * are apart). */
static int cover_pieces(box_list *pieces, box_list *groups, int horizontal, bp_box fill)
{
    size_t n = pieces->count;
    for (size_t first = 0; first < n; first += PIECE_GROUP) {
        if (boxes_apart(fill, groups->items[first / PIECE_GROUP]))
            continue;
        size_t last = n - first < PIECE_GROUP ? n : first + PIECE_GROUP;
        for (size_t i = first; i < last; i++) {
            bp_box b = pieces->items[i];
            if (boxes_apart(fill, b))
                continue;
            double eps = 0.01;
            int across = horizontal ? fill.y0 <= b.y0 + eps && fill.y1 >= b.y1 - eps
                                    : fill.x0 <= b.x0 + eps && fill.x1 >= b.x1 - eps;
            double lo = horizontal ? b.x0 : b.y0, hi = horizontal ? b.x1 : b.y1;
            double f0 = horizontal ? fill.x0 : fill.y0, f1 = horizontal ? fill.x1 : fill.y1;
            if (!across || f1 <= lo || f0 >= hi)
                continue;
            bp_box before = b, after = b;
            if (horizontal) {
                before.x1 = f0;
                after.x0 = f1;
            } else {
                before.y1 = f0;
                after.y0 = f1;
            }
            int keep_before = f0 > lo, keep_after = f1 < hi;
            /* an emptied piece gets an empty box; merge_pieces drops it as short */
            pieces->items[i] = keep_before ? before : (bp_box){b.x0, b.y0, b.x0, b.y0};
            if (keep_after) {
                if (keep_before) {
                    if (push_piece(pieces, groups, after) != 0)
                        return -1;
                } else {
                    pieces->items[i] = after;
                }
            }
        }
    }
    return 0;
}

/* Rules from the painted pieces of the page's vector graphics: each thin
 * dark piece goes to its direction when it is painted, and a later opaque
 * fill cuts what it covers out of both. */
static int rules_from_ink(const bp_ink_list *ink, box_list *h, box_list *v)
{
    int failed = 0;
    /* The bounding boxes of groups of the pieces kept in each direction
     * (see cover_pieces).  A kept piece has no NaN coordinate (its
     * comparisons with MAX_THICK_PT would be false), nor has a group's box. */
    box_list h_groups = {0}, v_groups = {0};
    for (size_t i = 0; i < ink->count && !failed; i++) {
        const bp_ink *piece = &ink->items[i];
        bp_box b = piece->box;
        if (piece->cover && h->count > 0)
            failed |= cover_pieces(h, &h_groups, 1, b);
        if (piece->cover && v->count > 0)
            failed |= cover_pieces(v, &v_groups, 0, b);
        double w = b.x1 - b.x0, t = b.y1 - b.y0;
        bool horizontal = piece->ink && t <= MAX_THICK_PT && w > t;
        bool vertical = !horizontal && piece->ink && w <= MAX_THICK_PT && t > w;
        if (horizontal)
            failed |= push_piece(h, &h_groups, b);
        else if (vertical)
            failed |= push_piece(v, &v_groups, b);
    }
    free(h_groups.items);
    free(v_groups.items);
    if (failed)
        return -1;
    return merge_pieces(h, 1) | merge_pieces(v, 0);
}

/* Hands the rule lists to the caller as *out, or frees them and reports
 * running out of memory when failed. */
static bp_status deliver(bp_pdf *pdf, int number, int failed, box_list *h, box_list *v,
                         bp_page_rules **out, bp_error *err)
{
    bp_page_rules *rules = failed ? NULL : calloc(1, sizeof *rules);
    if (rules == NULL) {
        free(h->items);
        free(v->items);
        return bp_error_set(err, BP_ERR_NOMEM, number, "%s: page %d: out of memory",
                            bp_pdf_name(pdf), number);
    }
    rules->horizontal = h->items;
    rules->n_horizontal = h->count;
    rules->vertical = v->items;
    rules->n_vertical = v->count;
    *out = rules;
    return BP_OK;
}

bp_status bp_pdf_page_rules_rendered(bp_pdf *pdf, int number, bp_page_rules **out,
                                     bp_error *err)
{
    *out = NULL;
    PopplerPage *ppage = bp_pdf_poppler_page(pdf, number);
    if (ppage == NULL)
        return bp_error_set(err, BP_ERR_USAGE, number, "%s: no page %d",
                            bp_pdf_name(pdf), number);
    double w_pt, h_pt;
    poppler_page_get_size(ppage, &w_pt, &h_pt);
    double side = bp_pdf_max_page_side(pdf);
    double pixels = w_pt * RULES_SCALE * h_pt * RULES_SCALE;
    if (!(w_pt > 0 && h_pt > 0) || (side > 0 && (w_pt > side || h_pt > side)) ||
        pixels > MAX_RENDER_PIXELS) {
        g_object_unref(ppage);
        return bp_error_set(err, BP_ERR_LIMIT, number,
                            "%s: page %d: %.0fx%.0f pt, too large to look for rules",
                            bp_pdf_name(pdf), number, w_pt, h_pt);
    }
    int width = (int)ceil(w_pt * RULES_SCALE), height = (int)ceil(h_pt * RULES_SCALE);
    cairo_surface_t *surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, width, height);
    if (cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(surface);
        g_object_unref(ppage);
        return bp_error_set(err, BP_ERR_NOMEM, number, "%s: page %d: cannot render",
                            bp_pdf_name(pdf), number);
    }
    cairo_t *cr = cairo_create(surface);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_scale(cr, RULES_SCALE, RULES_SCALE);
    poppler_page_render(ppage, cr);
    cairo_destroy(cr);
    g_object_unref(ppage);
    cairo_surface_flush(surface);

    const unsigned char *data = cairo_image_surface_get_data(surface);
    int stride = cairo_image_surface_get_stride(surface);
    run_list h_runs = {0}, v_runs = {0};
    box_list h = {0}, v = {0};
    segment_list h_segments = {0}, v_segments = {0};
    int failed = find_segments(data, stride, width, height, &h_segments, &v_segments) != 0 ||
                 scan(&h_segments, height, &h_runs) != 0 ||
                 scan(&v_segments, width, &v_runs) != 0 ||
                 runs_to_boxes(&h_runs, 1, &h) != 0 || runs_to_boxes(&v_runs, 0, &v) != 0;
    free(h_segments.items);
    free(v_segments.items);
    free(h_runs.items);
    free(v_runs.items);
    cairo_surface_destroy(surface);
    return deliver(pdf, number, failed, &h, &v, out, err);
}

/* The figures (digit runs, with , and . inside) of a page's text. */
static int count_figures(const char *text)
{
    int n = 0;
    for (const char *p = text; p && *p;) {
        if (*p < '0' || *p > '9') {
            p++;
            continue;
        }
        n++;
        while ((*p >= '0' && *p <= '9') ||
               ((*p == ',' || *p == '.') && p[1] >= '0' && p[1] <= '9'))
            p++;
    }
    return n;
}

/* A page that draws no rule but shows a large picture under a text layer
 * with figures may be a scan with its OCR text: its rules are pixels.  (A
 * cover photo under a title, or a logo beside a drawn table, is not worth
 * rendering.) */
static int looks_like_scanned_table(bp_pdf *pdf, int number, const bp_ink_list *ink,
                                    const box_list *h, const box_list *v)
{
    if (!ink->has_picture || h->count > 0 || v->count > 0)
        return 0;
    char *text = bp_pdf_page_plain_text(pdf, number);
    int figures = count_figures(text);
    free(text);
    return figures >= MIN_TABLE_FIGURES;
}

bp_status bp_pdf_page_rules(bp_pdf *pdf, int number, bp_page_rules **out,
                            bp_error *err)
{
    *out = NULL;
    bp_vector_doc *vector = bp_pdf_vector(pdf);
    bp_ink_list ink = {0};
    if (vector == NULL || bp_vector_page_ink(vector, number, &ink) != 0) {
        bp_ink_list_free(&ink);
        return bp_pdf_page_rules_rendered(pdf, number, out, err);
    }
    box_list h = {0}, v = {0};
    int failed = rules_from_ink(&ink, &h, &v) != 0;
    int scanned = !failed && looks_like_scanned_table(pdf, number, &ink, &h, &v);
    bp_ink_list_free(&ink);
    if (scanned) {
        free(h.items);
        free(v.items);
        return bp_pdf_page_rules_rendered(pdf, number, out, err);
    }
    return deliver(pdf, number, failed, &h, &v, out, err);
}

void bp_page_rules_free(bp_page_rules *rules)
{
    if (rules == NULL)
        return;
    free(rules->horizontal);
    free(rules->vertical);
    free(rules);
}
