/*
 * grid.c — page fragments: ruled grids from the page's ruling lines, grids
 * from text alignment where there are none, and the text of each cell
 * assembled glyph by glyph.
 *
 * Ruled grids: horizontal and vertical rules that touch form connected
 * groups; a group with at least two of each is a grid.  Its column edges
 * are the x of its vertical rules, its row edges the y of its horizontal
 * rules (within EDGE_TOL points).  Two neighbouring atomic cells are one
 * merged cell when no rule separates them at the middle of their shared
 * side.
 *
 * Alignment grids (no rules): see bp_fragment_from_alignment below.
 *
 * Cell text: glyphs are grouped into printed lines (by vertical centre),
 * left to right; a space is kept between two words only where Latin text
 * or a numbering dot needs one ("1. 一般公共预算拨款", not "2022 年"),
 * since Chinese is written without spaces; wrapped lines are joined
 * without a space (numbers broken over two lines join into one).
 */
#include "tables/tables_int.h"
#include "common/utf8.h"

#include <glib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define EDGE_TOL 2.0
#define TOUCH_TOL 2.5
#define MIN_H_RULE 20.0
#define MAX_STROKE 48.0         /* no glyph stroke is longer (points) */
#define MAX_STROKE_WORK 4000000 /* glyphs × runs checked per page, at most */

void bp_fragment_free(fragment *f)
{
    if (f == NULL)
        return;
    for (size_t i = 0; i < f->n_cells; i++)
        free(f->cells[i].text);
    free(f->cells);
    free(f->owner);
    free(f->xs);
    free(f->ys);
    memset(f, 0, sizeof *f);
}

/* ---- union-find ---------------------------------------------------- */

static int uf_find(int *parent, int i)
{
    while (parent[i] != i) {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    return i;
}

static void uf_union(int *parent, int a, int b)
{
    a = uf_find(parent, a);
    b = uf_find(parent, b);
    if (a != b)
        parent[b < a ? a : b] = b < a ? b : a;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Sorts values and merges those within EDGE_TOL into their mean; returns
 * the new count. */
static size_t cluster_edges(double *v, size_t n)
{
    if (n == 0)
        return 0;
    qsort(v, n, sizeof *v, cmp_double);
    size_t w = 0;
    double sum = v[0];
    size_t cnt = 1;
    for (size_t i = 1; i < n; i++) {
        if (v[i] - v[i - 1] <= EDGE_TOL) {
            sum += v[i];
            cnt++;
        } else {
            v[w++] = sum / (double)cnt;
            sum = v[i];
            cnt = 1;
        }
    }
    v[w++] = sum / (double)cnt;
    return w;
}

static double mid(double a, double b) { return (a + b) / 2; }

/* Whether a vertical rule of the group lies at x and covers y. */
static bool has_vertical(const bp_page_rules *rules, const int *member, int group,
                         size_t n_h, double x, double y)
{
    for (size_t i = 0; i < rules->n_vertical; i++) {
        if (member[n_h + i] != group)
            continue;
        const bp_box *v = &rules->vertical[i];
        if (fabs(mid(v->x0, v->x1) - x) <= EDGE_TOL && v->y0 - 0.5 <= y && y <= v->y1 + 0.5)
            return true;
    }
    return false;
}

static bool has_horizontal(const bp_page_rules *rules, const int *member, int group,
                           double y, double x)
{
    for (size_t i = 0; i < rules->n_horizontal; i++) {
        if (member[i] != group)
            continue;
        const bp_box *h = &rules->horizontal[i];
        if (fabs(mid(h->y0, h->y1) - y) <= EDGE_TOL && h->x0 - 0.5 <= x && x <= h->x1 + 0.5)
            return true;
    }
    return false;
}

static bp_status nomem(bp_error *err, int page)
{
    return bp_error_set(err, BP_ERR_NOMEM, page, "page %d: out of memory", page);
}

/* Builds one fragment from the rules of group g. */
static bp_status grid_from_group(const bp_page *page, const bp_page_rules *rules,
                                 const int *member, int g, fragment *f, bool *made,
                                 bp_error *err)
{
    size_t n_h = rules->n_horizontal, n_v = rules->n_vertical;
    *made = false;
    double *xs = malloc((n_v + 2) * sizeof *xs), *ys = malloc((n_h + 2) * sizeof *ys);
    if (xs == NULL || ys == NULL) {
        free(xs);
        free(ys);
        return nomem(err, page->number);
    }
    size_t nx = 0, ny = 0;
    bp_box box = {1e9, 1e9, -1e9, -1e9};
    for (size_t i = 0; i < n_h; i++)
        if (member[i] == g) {
            ys[ny++] = mid(rules->horizontal[i].y0, rules->horizontal[i].y1);
            box = bp_box_union(box, rules->horizontal[i]);
        }
    for (size_t i = 0; i < n_v; i++)
        if (member[n_h + i] == g) {
            xs[nx++] = mid(rules->vertical[i].x0, rules->vertical[i].x1);
            box = bp_box_union(box, rules->vertical[i]);
        }
    /* Open sides: the outer extent closes the grid. */
    xs[nx++] = box.x0;
    xs[nx++] = box.x1;
    ys[ny++] = box.y0;
    ys[ny++] = box.y1;
    nx = cluster_edges(xs, nx);
    ny = cluster_edges(ys, ny);
    /* Drop slivers (double rules). */
    size_t w = 0;
    for (size_t i = 0; i < nx; i++)
        if (w == 0 || xs[i] - xs[w - 1] >= 3.0)
            xs[w++] = xs[i];
    nx = w;
    w = 0;
    for (size_t i = 0; i < ny; i++)
        if (w == 0 || ys[i] - ys[w - 1] >= 3.0)
            ys[w++] = ys[i];
    ny = w;
    if (nx < 2 || ny < 2) {
        free(xs);
        free(ys);
        return BP_OK;
    }
    int nr = (int)ny - 1, nc = (int)nx - 1;
    int *parent = malloc((size_t)nr * (size_t)nc * sizeof *parent);
    if (parent == NULL) {
        free(xs);
        free(ys);
        return nomem(err, page->number);
    }
    for (int i = 0; i < nr * nc; i++)
        parent[i] = i;
    for (int r = 0; r < nr; r++)
        for (int c = 0; c < nc; c++) {
            double ym = mid(ys[r], ys[r + 1]), xm = mid(xs[c], xs[c + 1]);
            if (c + 1 < nc && !has_vertical(rules, member, g, n_h, xs[c + 1], ym))
                uf_union(parent, r * nc + c, r * nc + c + 1);
            if (r + 1 < nr && !has_horizontal(rules, member, g, ys[r + 1], xm))
                uf_union(parent, r * nc + c, (r + 1) * nc + c);
        }
    memset(f, 0, sizeof *f);
    f->page = page->number;
    f->ruled = true;
    f->n_rows = nr;
    f->n_cols = nc;
    f->xs = xs;
    f->ys = ys;
    f->box = box;
    f->owner = malloc((size_t)nr * (size_t)nc * sizeof *f->owner);
    f->cells = calloc((size_t)nr * (size_t)nc, sizeof *f->cells);
    if (f->owner == NULL || f->cells == NULL) {
        free(parent);
        bp_fragment_free(f);
        return nomem(err, page->number);
    }
    /* Number merged cells in reading order of their first atomic cell. */
    int *index_of_root = malloc((size_t)nr * (size_t)nc * sizeof *index_of_root);
    if (index_of_root == NULL) {
        free(parent);
        bp_fragment_free(f);
        return nomem(err, page->number);
    }
    for (int i = 0; i < nr * nc; i++)
        index_of_root[i] = -1;
    for (int r = 0; r < nr; r++)
        for (int c = 0; c < nc; c++) {
            int root = uf_find(parent, r * nc + c);
            if (index_of_root[root] < 0) {
                index_of_root[root] = (int)f->n_cells;
                frag_cell *cell = &f->cells[f->n_cells++];
                cell->r0 = cell->r1 = r;
                cell->c0 = cell->c1 = c;
            }
            int k = index_of_root[root];
            f->owner[(size_t)r * (size_t)nc + (size_t)c] = k;
            frag_cell *cell = &f->cells[k];
            if (r > cell->r1) cell->r1 = r;
            if (c > cell->c1) cell->c1 = c;
            if (c < cell->c0) cell->c0 = c;
        }
    free(index_of_root);
    free(parent);
    *made = true;
    return bp_fragment_fill(page, f, err);
}

/* Whether a dark run is the stroke of a glyph, not a rule: it lies
 * inside one glyph's box (a large bold 采 or 一 in a header makes runs of
 * 12 pt and more).  Text is never printed across a real rule. */
static bool is_glyph_stroke(const bp_page *page, const bp_box *run, bool vertical)
{
    double x = mid(run->x0, run->x1), y = mid(run->y0, run->y1);
    double length = vertical ? run->y1 - run->y0 : run->x1 - run->x0;
    if (length > MAX_STROKE)
        return false; /* longer than any glyph: a rule */
    for (size_t i = 0; i < page->n_glyphs; i++) {
        const bp_box *g = &page->glyphs[i].box;
        if (vertical) {
            if (x > g->x0 + 0.5 && x < g->x1 - 0.5 && run->y0 >= g->y0 - 3 && run->y1 <= g->y1 + 3)
                return true;
        } else if (y > g->y0 + 0.5 && y < g->y1 - 0.5 && run->x0 >= g->x0 - 3 &&
                   run->x1 <= g->x1 + 3) {
            return true;
        }
    }
    return false;
}

bp_status bp_fragments_from_rules(const bp_page *page, const bp_page_rules *rules,
                                  fragment **out, size_t *n, size_t *cap,
                                  bp_error *err)
{
    if (rules == NULL || rules->n_horizontal < 2 || rules->n_vertical < 2)
        return BP_OK;
    size_t n_h = rules->n_horizontal, n_v = rules->n_vertical;
    int *parent = malloc((n_h + n_v) * sizeof *parent);
    int *member = malloc((n_h + n_v) * sizeof *member);
    bool *stroke_v = calloc(n_v, sizeof *stroke_v);
    if (parent == NULL || member == NULL || stroke_v == NULL) {
        free(parent);
        free(member);
        free(stroke_v);
        return nomem(err, page->number);
    }
    /* Hostile pages (huge glyph and run counts) skip the stroke test. */
    bool strokes = (double)page->n_glyphs * (double)(n_h + n_v) <= MAX_STROKE_WORK;
    for (size_t j = 0; j < n_v && strokes; j++)
        stroke_v[j] = is_glyph_stroke(page, &rules->vertical[j], true);
    for (size_t i = 0; i < n_h + n_v; i++)
        parent[i] = (int)i;
    for (size_t i = 0; i < n_h; i++) {
        const bp_box *h = &rules->horizontal[i];
        if (h->x1 - h->x0 < MIN_H_RULE || (strokes && is_glyph_stroke(page, h, false)))
            continue;
        double hy = mid(h->y0, h->y1);
        for (size_t j = 0; j < n_v; j++) {
            const bp_box *v = &rules->vertical[j];
            if (stroke_v[j])
                continue;
            double vx = mid(v->x0, v->x1);
            if (vx >= h->x0 - TOUCH_TOL && vx <= h->x1 + TOUCH_TOL &&
                hy >= v->y0 - TOUCH_TOL && hy <= v->y1 + TOUCH_TOL)
                uf_union(parent, (int)i, (int)(n_h + j));
        }
    }
    /* Groups with at least two rules in each direction. */
    int *count_h = calloc(n_h + n_v, sizeof *count_h);
    int *count_v = calloc(n_h + n_v, sizeof *count_v);
    if (count_h == NULL || count_v == NULL) {
        free(stroke_v);
        free(parent);
        free(member);
        free(count_h);
        free(count_v);
        return nomem(err, page->number);
    }
    for (size_t i = 0; i < n_h + n_v; i++) {
        int root = uf_find(parent, (int)i);
        if (i < n_h)
            count_h[root]++;
        else
            count_v[root]++;
    }
    for (size_t i = 0; i < n_h + n_v; i++) {
        int root = uf_find(parent, (int)i);
        member[i] = (count_h[root] >= 2 && count_v[root] >= 2) ? root : -1;
    }
    bp_status rc = BP_OK;
    for (size_t g = 0; g < n_h + n_v && rc == BP_OK; g++) {
        if (uf_find(parent, (int)g) != (int)g || member[g] != (int)g)
            continue;
        if (*n == *cap) {
            size_t nc = *cap ? *cap * 2 : 8;
            fragment *grown = realloc(*out, nc * sizeof *grown);
            if (grown == NULL) {
                rc = nomem(err, page->number);
                break;
            }
            *out = grown;
            *cap = nc;
        }
        bool made = false;
        rc = grid_from_group(page, rules, member, (int)g, &(*out)[*n], &made, err);
        if (rc == BP_OK && made) {
            /* A grid must hold some text to be a table. */
            fragment *f = &(*out)[*n];
            size_t filled = 0;
            for (size_t k = 0; k < f->n_cells; k++)
                filled += f->cells[k].text != NULL;
            /* Long rules must bound it: at least two horizontal rules
             * spanning most of its width (bold glyph strokes that touch
             * make small false grids). */
            int spanning = 0;
            double width = f->box.x1 - f->box.x0;
            for (size_t k = 0; k < rules->n_horizontal; k++) {
                const bp_box *h = &rules->horizontal[k];
                if (member[k] == (int)g && h->x1 - h->x0 >= 0.6 * width)
                    spanning++;
            }
            if (filled >= 2 && f->n_rows >= 1 && spanning >= 2 && width >= 60 &&
                f->box.y1 - f->box.y0 >= 12)
                (*n)++;
            else
                bp_fragment_free(f);
        }
    }
    free(parent);
    free(member);
    free(count_h);
    free(count_v);
    free(stroke_v);
    return rc;
}

/* ---- cell text ------------------------------------------------------ */

typedef struct placed {
    uint32_t cp;
    bp_box box;
    double y;          /* vertical centre of box */
    size_t word;
    int cell;
} placed;

/* Reading order within a cell: by vertical centre, then left edge. */
static bool placed_y_before(const placed *x, const placed *y)
{
    return x->y != y->y ? x->y < y->y : x->box.x0 < y->box.x0;
}

/* Reading order within a printed line: by left edge, then word. */
static bool placed_x_before(const placed *x, const placed *y)
{
    return x->box.x0 != y->box.x0 ? x->box.x0 < y->box.x0 : x->word < y->word;
}

static int cmp_placed_y(const void *a, const void *b)
{
    return placed_y_before(a, b) ? -1 : placed_y_before(b, a);
}

static int cmp_placed_x(const void *a, const void *b)
{
    return placed_x_before(a, b) ? -1 : placed_x_before(b, a);
}

/* Sorts p[0..n) by `before` (cmp is the same order for qsort), glyphs
 * that tie keeping page order: by insertion when there are a few (a cell
 * or a printed line mostly holds a handful), else by qsort, a stable merge
 * sort in glibc. */
static void sort_placed(placed *p, size_t n, bool (*before)(const placed *, const placed *),
                        int (*cmp)(const void *, const void *))
{
    if (n > 32) {
        qsort(p, n, sizeof *p, cmp);
        return;
    }
    for (size_t i = 1; i < n; i++) {
        placed moving = p[i];
        size_t j = i;
        for (; j > 0 && before(&moving, &p[j - 1]); j--)
            p[j] = p[j - 1];
        p[j] = moving;
    }
}

static bool is_ascii_alnum(uint32_t c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_ascii_letter(uint32_t c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Whether a word break between prev and next keeps a space. */
static bool space_between(uint32_t prev, uint32_t next)
{
    if (prev < 0x80 && next < 0x80)
        return true;
    if (prev == '.' || prev == ')' || prev == ':')
        return true;
    return false;
}

/* Builds the text of one cell from its glyphs p[0..n) (already sorted by
 * vertical centre).  Returns malloc'ed text, sets *box and *first (the box
 * of the first printed line). */
static char *assemble(placed *p, size_t n, bp_box *box, bp_box *first)
{
    char *text = malloc(n * 5 + 1);
    if (text == NULL)
        return NULL;
    size_t len = 0;
    *box = p[0].box;
    size_t i = 0;
    uint32_t last = 0;
    while (i < n) {
        /* One printed line: glyphs whose centres are within half a glyph
         * height of the line's first glyph. */
        double y = mid(p[i].box.y0, p[i].box.y1);
        double hgt = p[i].box.y1 - p[i].box.y0;
        if (hgt < 1)
            hgt = 1;
        size_t j = i + 1;
        while (j < n && fabs(mid(p[j].box.y0, p[j].box.y1) - y) <= hgt * 0.5)
            j++;
        sort_placed(p + i, j - i, placed_x_before, cmp_placed_x);
        if (i == 0) {
            *first = p[0].box;
            for (size_t k = 1; k < j; k++)
                *first = bp_box_union(*first, p[k].box);
        }
        if (len > 0 && is_ascii_letter(last) && is_ascii_letter(p[i].cp))
            text[len++] = ' ';
        for (size_t k = i; k < j; k++) {
            if (k > i && p[k].word != p[k - 1].word && space_between(p[k - 1].cp, p[k].cp))
                text[len++] = ' ';
            else if (k > i && p[k].word == p[k - 1].word &&
                     p[k].box.x0 - p[k - 1].box.x1 > hgt * 0.9 && is_ascii_alnum(p[k].cp) &&
                     is_ascii_alnum(p[k - 1].cp))
                text[len++] = ' ';
            len += bp_utf8_encode(p[k].cp, text + len);
            *box = bp_box_union(*box, p[k].box);
        }
        last = p[j - 1].cp;
        i = j;
    }
    text[len] = '\0';
    return text;
}

static int find_slot(const double *edges, int n, double v)
{
    /* index k with edges[k] <= v < edges[k+1], or -1 */
    if (v < edges[0] || v >= edges[n])
        return -1;
    int lo = 0, hi = n - 1;
    while (lo < hi) {
        int m = (lo + hi + 1) / 2;
        if (edges[m] <= v)
            lo = m;
        else
            hi = m - 1;
    }
    return lo;
}

/* Gives each cell of f the text of the glyphs whose centres fall in it.
 * The glyphs are grouped by cell in page order (a counting sort), then
 * each cell's glyphs are put in reading order. */
bp_status bp_fragment_fill(const bp_page *page, fragment *f, bp_error *err)
{
    placed *p = malloc((page->n_glyphs + 1) * sizeof *p);
    placed *by_cell = malloc((page->n_glyphs + 1) * sizeof *by_cell);
    size_t *first = calloc(f->n_cells + 1, sizeof *first);
    if (p == NULL || by_cell == NULL || first == NULL) {
        free(p);
        free(by_cell);
        free(first);
        return nomem(err, page->number);
    }
    size_t n = 0;
    for (size_t w = 0; w < page->n_words; w++) {
        const bp_word *word = &page->words[w];
        for (size_t g = word->first_glyph; g < word->first_glyph + word->n_glyphs &&
                                           g < page->n_glyphs; g++) {
            const bp_glyph *gl = &page->glyphs[g];
            int r = find_slot(f->ys, f->n_rows, mid(gl->box.y0, gl->box.y1));
            int c = r < 0 ? -1 : find_slot(f->xs, f->n_cols, mid(gl->box.x0, gl->box.x1));
            if (c < 0)
                continue;
            int cell = f->owner[(size_t)r * (size_t)f->n_cols + (size_t)c];
            placed pl = {gl->codepoint, gl->box, mid(gl->box.y0, gl->box.y1), w, cell};
            p[n++] = pl;
            first[cell + 1]++;
        }
    }
    for (size_t c = 0; c < f->n_cells; c++)
        first[c + 1] += first[c]; /* glyphs of cell c: by_cell[first[c] .. first[c + 1]) */
    for (size_t k = 0; k < n; k++)
        by_cell[first[p[k].cell]++] = p[k]; /* first[c] moves to the end of cell c */
    bp_status rc = BP_OK;
    for (size_t c = 0, start = 0; c < f->n_cells && rc == BP_OK; start = first[c], c++) {
        size_t count = first[c] - start;
        if (count == 0)
            continue;
        sort_placed(by_cell + start, count, placed_y_before, cmp_placed_y);
        frag_cell *cell = &f->cells[c];
        cell->text = assemble(by_cell + start, count, &cell->box, &cell->first_line);
        if (cell->text == NULL)
            rc = nomem(err, page->number);
    }
    free(p);
    free(by_cell);
    free(first);
    return rc;
}

/* ---- numbers -------------------------------------------------------- */

bool bp_cell_number(const char *text, bp_number *number)
{
    if (text == NULL || *text == '\0')
        return false;
    /* Digit groups printed with spaces ("9, 146. 79") read without them. */
    char buf[BP_NUMBER_TEXT_MAX];
    size_t len = 0;
    bool only_numeric = true;
    for (const char *s = text; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == ' ')
            continue;
        if (!((c >= '0' && c <= '9') || c == ',' || c == '.' || c == '-' ||
              c == '%' || c == '(' || c == ')' || c == '+'))
            only_numeric = false;
        if (len + 1 < sizeof buf)
            buf[len++] = (char)c;
    }
    buf[len] = '\0';
    bp_number num;
    bp_status rc = only_numeric ? bp_number_parse(buf, len, &num, NULL)
                                : bp_number_parse(text, (size_t)-1, &num, NULL);
    if (rc != BP_OK)
        return false;
    if (num.kind == BP_NUMBER_NO_VALUE || num.kind == BP_NUMBER_NOT_COMPARABLE) {
        if (number)
            *number = num;
        return false;
    }
    if (number)
        *number = num;
    return true;
}

/* What bp_cell_number found in a text: whether it is a figure, and which. */
typedef struct cell_figure {
    bool is_figure;
    bp_number_kind kind;
    bp_decimal value;
    int32_t precision;
} cell_figure;

static cell_figure read_cell_figure(const char *text)
{
    bp_number num;
    cell_figure f = {false, 0, {0, 0}, 0};
    if (bp_cell_number(text, &num))
        f = (cell_figure){true, num.kind, num.value, num.precision};
    return f;
}

/* Texts read so far, each with its reading (GLib's hash table: the text
 * a g_strdup copy, the reading a g_new cell_figure). */
struct bp_figure_memo {
    GHashTable *by_text;
};

bp_figure_memo *bp_figure_memo_new(void)
{
    bp_figure_memo *memo = malloc(sizeof *memo);
    if (memo != NULL)
        memo->by_text = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    return memo;
}

void bp_figure_memo_free(bp_figure_memo *memo)
{
    if (memo == NULL)
        return;
    g_hash_table_destroy(memo->by_text);
    free(memo);
}

static cell_figure memo_figure(bp_figure_memo *memo, const char *text)
{
    if (memo == NULL)
        return read_cell_figure(text);
    cell_figure *known = g_hash_table_lookup(memo->by_text, text);
    if (known == NULL) {
        known = g_new(cell_figure, 1);
        *known = read_cell_figure(text);
        g_hash_table_insert(memo->by_text, g_strdup(text), known);
    }
    return *known;
}

bool bp_frag_cell_number(bp_figure_memo *memo, const frag_cell *cell, bp_number *number)
{
    if (cell->text == NULL)
        return false;
    cell_figure f = memo_figure(memo, cell->text);
    if (!f.is_figure)
        return false;
    if (number) {
        memset(number, 0, sizeof *number);
        number->kind = f.kind;
        number->value = f.value;
        number->precision = f.precision;
    }
    return true;
}

/* ---- alignment -------------------------------------------------------- */

#define MIN_GAP 6.0      /* points of blank between two columns */
#define MAX_HEADER_LINES 3

typedef struct span {
    double x0, x1;
} span;

static int cmp_span(const void *a, const void *b)
{
    const span *x = a, *y = b;
    return (x->x0 > y->x0) - (x->x0 < y->x0);
}

/* Whether line l holds a figure word (an amount, bare number, percent). */
static bool line_has_figure(const bp_page *page, size_t l)
{
    const bp_line *line = &page->lines[l];
    for (size_t w = line->first_word; w < line->first_word + line->n_words && w < page->n_words;
         w++)
        if (bp_cell_number(page->words[w].text, NULL))
            return true;
    return false;
}

/*
 * Tables without ruling lines.  The body is the run of lines, from the
 * first line that carries a figure to the last, in which every line
 * carries one (a line without a figure inside the run is a wrapped label
 * and stays a row of its own, without figures); up to three lines just
 * above it are its header.  Column edges are the middles of the vertical
 * gaps, at least MIN_GAP wide, that no word of any body line crosses:
 * numbers are right-aligned and labels left-aligned, so the gaps between
 * columns run through the whole body.  At least two columns and two body
 * lines with figures are needed, and each figure line must have words in
 * at least two columns; otherwise *made stays false (prefer no table to
 * an invented one).  Every atomic cell is its own cell: without rules
 * nothing tells a merged cell.
 */
bp_status bp_fragment_from_alignment(const bp_page *page, size_t first_line,
                                     size_t last_line, fragment *out, bool *made,
                                     bp_error *err)
{
    memset(out, 0, sizeof *out);
    *made = false;
    if (page == NULL || first_line > last_line || last_line >= page->n_lines)
        return BP_OK;
    size_t body0 = (size_t)-1, body1 = 0;
    for (size_t l = first_line; l <= last_line; l++)
        if (line_has_figure(page, l)) {
            if (body0 == (size_t)-1)
                body0 = l;
            body1 = l;
        }
    if (body0 == (size_t)-1 || body1 == body0)
        return BP_OK;
    /* Words of the body lines, as x spans; the blank between is a gap. */
    size_t n_spans = 0;
    for (size_t l = body0; l <= body1; l++)
        n_spans += page->lines[l].n_words;
    span *spans = malloc((n_spans + 1) * sizeof *spans);
    if (spans == NULL)
        return nomem(err, page->number);
    n_spans = 0;
    bp_box box = page->lines[body0].box;
    for (size_t l = body0; l <= body1; l++) {
        const bp_line *line = &page->lines[l];
        box = bp_box_union(box, line->box);
        for (size_t w = line->first_word; w < line->first_word + line->n_words && w < page->n_words;
             w++) {
            span sp = {page->words[w].box.x0, page->words[w].box.x1};
            spans[n_spans++] = sp;
        }
    }
    qsort(spans, n_spans, sizeof *spans, cmp_span);
    double *xs = malloc((n_spans + 2) * sizeof *xs);
    if (xs == NULL) {
        free(spans);
        return nomem(err, page->number);
    }
    size_t nx = 0;
    xs[nx++] = box.x0 - 1;
    double reach = spans[0].x1;
    for (size_t i = 1; i < n_spans; i++) {
        if (spans[i].x0 - reach >= MIN_GAP)
            xs[nx++] = (reach + spans[i].x0) / 2;
        if (spans[i].x1 > reach)
            reach = spans[i].x1;
    }
    xs[nx++] = box.x1 + 1;
    free(spans);
    int n_cols = (int)nx - 1;
    /* Header lines just above the body, on the same columns' extent. */
    size_t top = body0;
    while (top > first_line && body0 - top < MAX_HEADER_LINES &&
           !line_has_figure(page, top - 1) && page->lines[top - 1].box.x0 >= box.x0 - 2 &&
           page->lines[top - 1].box.x1 <= box.x1 + 2 && page->lines[top - 1].n_words >= 2)
        top--;
    int n_rows = (int)(body1 - top + 1);
    if (n_cols < 2) {
        free(xs);
        return BP_OK;
    }
    /* Every figure line spreads over at least two columns. */
    for (size_t l = body0; l <= body1; l++) {
        if (!line_has_figure(page, l))
            continue;
        const bp_line *line = &page->lines[l];
        int first_col = -1, other = 0;
        for (size_t w = line->first_word; w < line->first_word + line->n_words && w < page->n_words;
             w++) {
            int c = find_slot(xs, n_cols, mid(page->words[w].box.x0, page->words[w].box.x1));
            if (first_col < 0)
                first_col = c;
            else if (c != first_col)
                other = 1;
        }
        if (!other) {
            free(xs);
            return BP_OK;
        }
    }
    double *ys = malloc(((size_t)n_rows + 1) * sizeof *ys);
    if (ys == NULL) {
        free(xs);
        return nomem(err, page->number);
    }
    ys[0] = page->lines[top].box.y0 - 1;
    for (int r = 1; r < n_rows; r++) {
        const bp_line *above = &page->lines[top + (size_t)r - 1], *below = &page->lines[top + (size_t)r];
        ys[r] = (above->box.y1 + below->box.y0) / 2;
        if (ys[r] <= ys[r - 1])
            ys[r] = ys[r - 1] + 0.01;
    }
    ys[n_rows] = page->lines[body1].box.y1 + 1;
    box.y0 = ys[0];
    box.y1 = ys[n_rows];
    box.x0 = xs[0];
    box.x1 = xs[n_cols];
    out->page = page->number;
    out->ruled = false;
    out->n_rows = n_rows;
    out->n_cols = n_cols;
    out->xs = xs;
    out->ys = ys;
    out->box = box;
    size_t n_atomic = (size_t)n_rows * (size_t)n_cols;
    out->owner = malloc(n_atomic * sizeof *out->owner);
    out->cells = calloc(n_atomic, sizeof *out->cells);
    if (out->owner == NULL || out->cells == NULL) {
        bp_fragment_free(out);
        return nomem(err, page->number);
    }
    for (int r = 0; r < n_rows; r++)
        for (int c = 0; c < n_cols; c++) {
            size_t k = (size_t)r * (size_t)n_cols + (size_t)c;
            out->owner[k] = (int)k;
            out->cells[k].r0 = out->cells[k].r1 = r;
            out->cells[k].c0 = out->cells[k].c1 = c;
        }
    out->n_cells = n_atomic;
    bp_status rc = bp_fragment_fill(page, out, err);
    if (rc != BP_OK) {
        bp_fragment_free(out);
        return rc;
    }
    *made = true;
    return BP_OK;
}
