/*
 * tokenize.c — cell tokens from one line of positioned words.
 *
 * extract/ hands over words (poppler's whitespace-separated runs, already
 * split at gaps wider than a glyph is tall).  Producers still glue cells
 * ("5,269.54302" = 5,269.54 | 302) and break numbers across runs ("1" +
 * "172.35").  This file decides with the glyph boxes only:
 *   split  between two glyphs of a word when the gap is wide for the line
 *          (gap_ratio × glyph height), clearly wider than the word's usual
 *          glyph spacing where digits meet digits, or when a known column
 *          edge passes between them;
 *   join   two neighbouring pieces when the gap between them is narrower
 *          than a glyph and only together they make one well-formed number
 *          (a digit group continued, a fraction continued).
 * It never splits on text alone: a label glued to a number with no gap
 * stays one TEXT token for bp_number_scan to read.
 */
#include "normalize/normalize.h"
#include "normalize/normalize_int.h"

#include <stdlib.h>
#include <string.h>

#define DEFAULT_GAP_RATIO 0.6

typedef struct piece {
    size_t first, count;   /* glyph range (count glyphs from first, in order) */
    size_t n_joined;       /* glyphs in pieces joined after it */
    bp_box box;
    char *text;
} piece;

static double glyph_height(const bp_glyph *g)
{
    double h = g->box.y1 - g->box.y0;
    if (h <= 0)
        h = g->font_size;
    return h > 0 ? h : 1.0;
}

static bool is_numeric_cp(uint32_t c)
{
    c = bp_fold_width(c);
    return bp_is_digit(c) || c == ',' || c == '.' || c == '%' || c == '-';
}

static bool edge_between(const bp_tokenize_options *o, const bp_glyph *a, const bp_glyph *b)
{
    if (o == NULL || o->column_edges == NULL)
        return false;
    double ca = (a->box.x0 + a->box.x1) / 2, cb = (b->box.x0 + b->box.x1) / 2;
    for (size_t e = 0; e < o->n_column_edges; e++)
        if (ca < o->column_edges[e] && o->column_edges[e] <= cb)
            return true;
    return false;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The usual gap between consecutive glyphs of a word (its median). */
static double usual_gap(const bp_glyph *g, size_t n)
{
    if (n < 3)
        return 0;
    double *gaps = malloc((n - 1) * sizeof *gaps);
    if (gaps == NULL)
        return 0;
    for (size_t k = 1; k < n; k++)
        gaps[k - 1] = g[k].box.x0 - g[k - 1].box.x1;
    qsort(gaps, n - 1, sizeof *gaps, cmp_double);
    double m = gaps[(n - 1) / 2];
    free(gaps);
    return m;
}

static bool split_here(const bp_glyph *g, size_t k, double usual, double ratio,
                       const bp_tokenize_options *o)
{
    const bp_glyph *a = &g[k - 1], *b = &g[k];
    double h = glyph_height(a) > glyph_height(b) ? glyph_height(a) : glyph_height(b);
    double gap = b->box.x0 - a->box.x1;
    if (gap > ratio * h || edge_between(o, a, b))
        return true;
    /* digits are set on a fixed advance: a jump inside a digit run is a seam */
    return is_numeric_cp(a->codepoint) && is_numeric_cp(b->codepoint) &&
           gap > usual + 0.2 * h;
}

static char *glyph_text(const bp_glyph *g, size_t n)
{
    char *s = malloc(n * 4 + 1);
    if (s == NULL)
        return NULL;
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += bp_utf8_encode(g[i].codepoint, s + k);
    s[k] = '\0';
    return s;
}

static bool token_push(bp_token_list *list, const bp_token *t)
{
    if (list->count == list->capacity) {
        size_t cap = list->capacity ? list->capacity * 2 : 16;
        bp_token *p = realloc(list->items, cap * sizeof *p);
        if (p == NULL)
            return false;
        list->items = p;
        list->capacity = cap;
    }
    list->items[list->count++] = *t;
    return true;
}

void bp_token_list_free(bp_token_list *list)
{
    if (list == NULL)
        return;
    for (size_t i = 0; i < list->count; i++)
        free(list->items[i].text);
    free(list->items);
    memset(list, 0, sizeof *list);
}

static void classify(bp_token *t)
{
    bp_number num;
    if (bp_number_parse(t->text, (size_t)-1, &num, NULL) != BP_OK) {
        t->kind = BP_TOKEN_TEXT;
        memset(&t->number, 0, sizeof t->number);
        return;
    }
    t->number = num;
    t->kind = num.kind == BP_NUMBER_NO_VALUE || num.kind == BP_NUMBER_NOT_COMPARABLE
                  ? BP_TOKEN_MARKER
                  : BP_TOKEN_NUMBER;
}

/* Shape tests for joining: all on ASCII after width folding. */
static bool all_digits(const char *s)
{
    if (*s == '\0')
        return false;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return false;
    return true;
}

static size_t leading_digits(const char *s)
{
    size_t k = 0;
    while (s[k] >= '0' && s[k] <= '9')
        k++;
    return k;
}

/* Would a and b, printed apart by a narrow gap, be one number? */
static bool joins_as_number(const char *a, const char *b)
{
    size_t la = strlen(a);
    if (la == 0 || leading_digits(b) == 0)
        return false;
    const char *dot = strchr(a, '.');
    bool a_integer_head = (a[la - 1] >= '0' && a[la - 1] <= '9') && dot == NULL;
    bool b_group_start = leading_digits(b) == 3;
    bool a_open_fraction = dot != NULL && all_digits(dot + 1) && all_digits(b) &&
                           strlen(dot + 1) < 2;
    bool a_dangling = a[la - 1] == '.' || a[la - 1] == ',';
    /* "1" + "172.35": a short integer head and a 3-digit group */
    bool group_continues = a_integer_head && b_group_start &&
                           (la <= 3 || strchr(a, ',') != NULL);
    if (!(group_continues || a_open_fraction || a_dangling))
        return false;
    size_t lb = strlen(b);
    char *both = malloc(la + lb + 1);
    if (both == NULL)
        return false;
    memcpy(both, a, la);
    memcpy(both + la, b, lb + 1);
    bp_number num;
    bool ok = bp_number_parse(both, la + lb, &num, NULL) == BP_OK &&
              (num.kind == BP_NUMBER_BARE || num.kind == BP_NUMBER_AMOUNT ||
               num.kind == BP_NUMBER_PERCENT);
    free(both);
    return ok;
}

static bool fold_ascii_copy(const char *s, char *out, size_t cap)
{
    char *norm = NULL;
    if (bp_text_normalize(s, (size_t)-1, BP_NORMALIZE_WIDTH, &norm, NULL) != BP_OK)
        return false;
    bool fits = strlen(norm) < cap;
    if (fits)
        memcpy(out, norm, strlen(norm) + 1);
    free(norm);
    return fits;
}

static bool should_join(const bp_token *a, const bp_token *b, const bp_glyph *glyphs,
                        const bp_tokenize_options *o)
{
    double h = glyph_height(&glyphs[a->first_glyph + a->n_glyphs - 1]);
    double gap = b->box.x0 - a->box.x1;
    if (gap < -0.1 * h || gap > 1.0 * h)
        return false;
    if (o != NULL && o->column_edges != NULL)
        for (size_t e = 0; e < o->n_column_edges; e++)
            if (a->box.x1 <= o->column_edges[e] && o->column_edges[e] <= b->box.x0)
                return false;
    /* same baseline band */
    double overlap = (a->box.y1 < b->box.y1 ? a->box.y1 : b->box.y1) -
                     (a->box.y0 > b->box.y0 ? a->box.y0 : b->box.y0);
    if (overlap < 0.5 * h)
        return false;
    char fa[128], fb[128];
    return fold_ascii_copy(a->text, fa, sizeof fa) && fold_ascii_copy(b->text, fb, sizeof fb) &&
           joins_as_number(fa, fb);
}

static bp_status join_into(bp_token *a, bp_token *b, bp_error *err)
{
    size_t la = strlen(a->text), lb = strlen(b->text);
    char *s = realloc(a->text, la + lb + 1);
    if (s == NULL)
        return bp_error_set(err, BP_ERR_NOMEM, 0, "out of memory joining tokens");
    memcpy(s + la, b->text, lb + 1);
    a->text = s;
    a->box = bp_box_union(a->box, b->box);
    a->n_glyphs += b->n_glyphs;
    a->joined = true;
    free(b->text);
    b->text = NULL;
    classify(a);
    return BP_OK;
}

bp_status bp_tokenize_line(const bp_word *words, size_t n_words,
                           const bp_glyph *glyphs, size_t n_glyphs,
                           const bp_tokenize_options *opts, bp_token_list *out,
                           bp_error *err)
{
    if (out == NULL || (n_words > 0 && (words == NULL || glyphs == NULL)))
        return bp_error_set(err, BP_ERR_USAGE, 0, "bp_tokenize_line: NULL argument");
    double ratio = opts != NULL && opts->gap_ratio > 0 ? opts->gap_ratio : DEFAULT_GAP_RATIO;
    size_t first_new = out->count;
    for (size_t w = 0; w < n_words; w++) {
        const bp_word *word = &words[w];
        if (word->n_glyphs == 0)
            continue;
        if (word->first_glyph > n_glyphs || word->n_glyphs > n_glyphs - word->first_glyph)
            return bp_error_set(err, BP_ERR_USAGE, 0,
                                "word %zu: glyphs %zu+%zu outside the page's %zu", w,
                                word->first_glyph, word->n_glyphs, n_glyphs);
        const bp_glyph *g = &glyphs[word->first_glyph];
        double usual = usual_gap(g, word->n_glyphs);
        size_t start = 0;
        for (size_t k = 1; k <= word->n_glyphs; k++) {
            if (k < word->n_glyphs && !split_here(g, k, usual, ratio, opts))
                continue;
            bp_token t;
            memset(&t, 0, sizeof t);
            t.first_glyph = word->first_glyph + start;
            t.n_glyphs = k - start;
            t.box = g[start].box;
            for (size_t i = start + 1; i < k; i++)
                t.box = bp_box_union(t.box, g[i].box);
            t.text = glyph_text(g + start, k - start);
            if (t.text == NULL || !token_push(out, &t)) {
                free(t.text);
                return bp_error_set(err, BP_ERR_NOMEM, 0, "out of memory tokenizing");
            }
            classify(&out->items[out->count - 1]);
            start = k;
        }
    }
    /* join broken numbers, left to right */
    size_t keep = first_new;
    for (size_t i = first_new; i < out->count; i++) {
        if (keep > first_new &&
            should_join(&out->items[keep - 1], &out->items[i], glyphs, opts)) {
            bp_status st = join_into(&out->items[keep - 1], &out->items[i], err);
            if (st != BP_OK)
                return st;
            continue;
        }
        out->items[keep++] = out->items[i];
    }
    out->count = keep;
    return BP_OK;
}

bp_status bp_token_join_wrapped(const bp_token *upper, const bp_token *lower,
                                bp_token *out, bp_error *err)
{
    if (upper == NULL || lower == NULL || out == NULL || upper->text == NULL ||
        lower->text == NULL)
        return bp_error_set(err, BP_ERR_USAGE, 0, "bp_token_join_wrapped: NULL argument");
    bool overlap_x = lower->box.x0 < upper->box.x1 && upper->box.x0 < lower->box.x1;
    bool below = lower->box.y0 >= (upper->box.y0 + upper->box.y1) / 2;
    char fa[128], fb[128];
    if (!overlap_x || !below || !fold_ascii_copy(upper->text, fa, sizeof fa) ||
        !fold_ascii_copy(lower->text, fb, sizeof fb))
        return bp_error_set(err, BP_ERR_FORMAT, 0, "\"%s\" and \"%s\" are not one cell",
                            upper->text, lower->text);
    size_t la = strlen(fa);
    bool continues = la > 0 && leading_digits(fb) > 0 &&
                     ((fa[la - 1] >= '0' && fa[la - 1] <= '9') || fa[la - 1] == '.' ||
                      fa[la - 1] == ',');
    bp_token t = *upper;
    size_t lu = strlen(upper->text), ll = strlen(lower->text);
    t.text = malloc(lu + ll + 1);
    if (t.text == NULL)
        return bp_error_set(err, BP_ERR_NOMEM, 0, "out of memory joining tokens");
    memcpy(t.text, upper->text, lu);
    memcpy(t.text + lu, lower->text, ll + 1);
    classify(&t);
    if (!continues || t.kind != BP_TOKEN_NUMBER) {
        bp_status st = bp_error_set(err, BP_ERR_FORMAT, 0,
                                    "\"%s\" + \"%s\" is not one number", upper->text,
                                    lower->text);
        free(t.text);
        return st;
    }
    t.box = bp_box_union(upper->box, lower->box);
    t.n_glyphs = upper->n_glyphs + lower->n_glyphs;
    t.joined = true;
    *out = t;
    return BP_OK;
}
