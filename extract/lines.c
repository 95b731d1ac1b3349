/*
 * lines.c — grouping a page's glyphs into words and words into lines.
 *
 * Words: poppler's runs between whitespace, split again where two glyphs
 * in a run are further apart than a glyph is tall or where the run steps
 * backwards, so that cells glued by the producer come apart.  Lines: words
 * whose vertical extents overlap by at least half of the smaller one, found
 * by a sweep over words sorted by their vertical centre; each line's words
 * sorted by x.  Invariant: page->words is ordered line by line, so a line
 * is a contiguous slice [first_word, first_word + n_words).
 *
 * Not done here: splitting numbers glued to labels without a gap, joining
 * letter-spaced words (normalize/ does both, with the glyph boxes).
 */
#include "extract/extract_int.h"
#include "common/utf8.h"

#include <stdlib.h>
#include <string.h>

/* Does glyph b start a new word after glyph a of the same poppler run? */
static int gap_breaks_word(const bp_glyph *a, const bp_glyph *b)
{
    double height = a->box.y1 - a->box.y0;
    double hb = b->box.y1 - b->box.y0;
    if (hb > height)
        height = hb;
    if (height <= 0)
        height = 1;
    double gap = b->box.x0 - a->box.x1;
    if (gap > height)
        return 1;
    if (b->box.x1 < a->box.x0 - 0.5 * height) /* steps backwards */
        return 1;
    double ca = (a->box.y0 + a->box.y1) / 2, cb = (b->box.y0 + b->box.y1) / 2;
    return ca - cb > height || cb - ca > height; /* jumps to another line */
}

static char *word_text(const bp_page *page, size_t first, size_t n)
{
    char *text = malloc(n * 4 + 1);
    if (text == NULL)
        return NULL;
    size_t len = 0;
    for (size_t i = 0; i < n; i++)
        len += bp_utf8_encode(page->glyphs[first + i].codepoint, text + len);
    text[len] = '\0';
    return text;
}

static const bp_word *sort_words; /* qsort context: the words being ordered */

static int by_vertical_centre(const void *pa, const void *pb)
{
    const bp_word *a = &sort_words[*(const size_t *)pa];
    const bp_word *b = &sort_words[*(const size_t *)pb];
    double ca = a->box.y0 + a->box.y1, cb = b->box.y0 + b->box.y1;
    if (ca != cb)
        return ca < cb ? -1 : 1;
    return a->box.x0 < b->box.x0 ? -1 : a->box.x0 > b->box.x0;
}

static int by_left_edge(const void *pa, const void *pb)
{
    const bp_word *a = &sort_words[*(const size_t *)pa];
    const bp_word *b = &sort_words[*(const size_t *)pb];
    if (a->box.x0 != b->box.x0)
        return a->box.x0 < b->box.x0 ? -1 : 1;
    return a->box.y0 < b->box.y0 ? -1 : a->box.y0 > b->box.y0;
}

static int overlaps_line(bp_box line, bp_box word)
{
    double top = line.y0 > word.y0 ? line.y0 : word.y0;
    double bottom = line.y1 < word.y1 ? line.y1 : word.y1;
    double overlap = bottom - top;
    double hl = line.y1 - line.y0, hw = word.y1 - word.y0;
    double smaller = hl < hw ? hl : hw;
    if (smaller <= 0)
        return overlap >= 0;
    return overlap >= 0.5 * smaller;
}

static char *join_line_text(const bp_word *words, size_t n)
{
    size_t len = 0;
    for (size_t i = 0; i < n; i++)
        len += strlen(words[i].text) + 1;
    char *text = malloc(len + 1);
    if (text == NULL)
        return NULL;
    size_t at = 0;
    for (size_t i = 0; i < n; i++) {
        if (i)
            text[at++] = ' ';
        size_t l = strlen(words[i].text);
        memcpy(text + at, words[i].text, l);
        at += l;
    }
    text[at] = '\0';
    return text;
}

bp_status bp_extract_group(bp_page *page, const size_t *word_of, bp_error *err,
                           const char *name)
{
    size_t n = page->n_glyphs;
    if (n == 0)
        return BP_OK;
    /* Sized for the worst case (a word per glyph) and filled as counted:
     * zeroing them was most of the cost of grouping.  sorted and lines
     * are sized once the words are known. */
    bp_word *words = malloc(n * sizeof *words);
    size_t *order = NULL;
    bp_word *sorted = NULL;
    bp_line *lines = NULL;
    size_t n_words = 0;
    if (!words)
        goto nomem;
    for (size_t i = 0; i < n; i++) {
        const bp_glyph *g = &page->glyphs[i];
        int starts = i == 0 || word_of[i] != word_of[i - 1] ||
                     gap_breaks_word(&page->glyphs[i - 1], g);
        if (starts) {
            words[n_words].text = NULL;
            words[n_words].first_glyph = i;
            words[n_words].n_glyphs = 0;
            words[n_words].box = g->box;
            words[n_words].font_size = g->font_size;
            n_words++;
        } else {
            words[n_words - 1].box = bp_box_union(words[n_words - 1].box, g->box);
        }
        words[n_words - 1].n_glyphs++;
    }
    order = malloc(n_words * sizeof *order);
    sorted = malloc(n_words * sizeof *sorted);
    lines = malloc(n_words * sizeof *lines); /* a line has at least one word */
    if (!order || !sorted || !lines)
        goto nomem;
    for (size_t w = 0; w < n_words; w++) {
        words[w].text = word_text(page, words[w].first_glyph, words[w].n_glyphs);
        if (words[w].text == NULL)
            goto nomem;
        order[w] = w;
    }

    sort_words = words;
    qsort(order, n_words, sizeof *order, by_vertical_centre);
    size_t n_lines = 0, start = 0;
    bp_box line_box = words[order[0]].box;
    for (size_t k = 1; k <= n_words; k++) {
        if (k < n_words && overlaps_line(line_box, words[order[k]].box)) {
            line_box = bp_box_union(line_box, words[order[k]].box);
            continue;
        }
        qsort(order + start, k - start, sizeof *order, by_left_edge);
        lines[n_lines].first_word = start;
        lines[n_lines].n_words = k - start;
        lines[n_lines].box = line_box;
        n_lines++;
        start = k;
        if (k < n_words)
            line_box = words[order[k]].box;
    }
    for (size_t k = 0; k < n_words; k++)
        sorted[k] = words[order[k]];
    for (size_t l = 0; l < n_lines; l++) {
        lines[l].text = join_line_text(sorted + lines[l].first_word, lines[l].n_words);
        if (lines[l].text == NULL) {
            for (size_t m = 0; m < l; m++)
                free(lines[m].text);
            free(words);
            words = NULL;
            for (size_t k = 0; k < n_words; k++)
                free(sorted[k].text);
            goto nomem;
        }
    }
    free(words);
    free(order);
    page->words = sorted;
    page->n_words = n_words;
    page->lines = lines;
    page->n_lines = n_lines;
    return BP_OK;

nomem:
    if (words)
        for (size_t w = 0; w < n_words; w++)
            free(words[w].text);
    free(words);
    free(order);
    free(sorted);
    free(lines);
    return bp_error_set(err, BP_ERR_NOMEM, page->number, "%s: page %d: out of memory",
                        name, page->number);
}
