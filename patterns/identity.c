/*
 * identity.c — which year, issuer and kind a document is, and at what
 * administrative level, read from its first pages.
 *
 * The text of the first pages is joined (lines without breaks, so a title
 * printed over two lines reads as one) and searched with the `identity`
 * set: a full title (year + issuer + kind, in either order) wins, then the
 * separate pieces (民國 year, 预算主管部门：… line, kind alone).  The level
 * comes from 区级/市级 in the title or from the issuer's name, via the
 * `level` set (deepest level wins).  Nothing here guesses: a piece that is
 * not printed stays empty.
 */
#include <stdlib.h>
#include <string.h>

#include "patterns/patterns.h"

/* How many leading pages carry the identity. */
#define IDENTITY_PAGES 3

void bp_identity_free(bp_identity *identity)
{
    if (!identity)
        return;
    free(identity->issuer);
    free(identity->kind);
    free(identity->level);
    memset(identity, 0, sizeof *identity);
}

/* Value of a Chinese numeral year such as 一百一十四 (up to 999). */
static int chinese_number(const char *s, size_t n)
{
    static const char *digits[] = {"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"};
    int total = 0, current = 0;
    for (size_t i = 0; i + 3 <= n; i += 3) {
        int d = -1;
        for (int k = 0; k < 10; k++)
            if (strncmp(s + i, digits[k], 3) == 0)
                d = k;
        if (d >= 0) {
            current = d;
        } else if (strncmp(s + i, "十", 3) == 0) {
            total += (current ? current : 1) * 10;
            current = 0;
        } else if (strncmp(s + i, "百", 3) == 0) {
            total += (current ? current : 1) * 100;
            current = 0;
        } else {
            return 0;
        }
    }
    return total + current;
}

static bool take(char **slot, const bp_pattern_match *m, const char *text,
                 const char *group)
{
    if (*slot)
        return true;
    *slot = bp_pattern_match_group_dup(m, text, group);
    return bp_pattern_match_group(m, group) == NULL || *slot != NULL;
}

/* 省级 → 省, 区级 → 区, 县 → 区, 镇/乡 → 街道. */
static const char *level_of(const bp_patterns *p, const char *issuer,
                            const char *title_level)
{
    static const struct { const char *label, *level; } order[] = {
        {"street", "街道"}, {"district", "区"}, {"city", "市"}, {"province", "省"}};
    if (title_level) {
        for (size_t i = 0; i < 4; i++)
            if (bp_patterns_match_label(p, "level", order[i].label, title_level,
                                        (size_t)-1, 0, NULL))
                return order[i].level;
    }
    if (!issuer)
        return NULL;
    for (size_t i = 0; i < 4; i++)
        if (bp_patterns_match_label(p, "level", order[i].label, issuer, (size_t)-1, 0, NULL))
            return order[i].level;
    return NULL;
}

bp_status bp_identity_find(const bp_page *const *pages, size_t n_pages,
                           const bp_patterns *patterns, bp_identity *out,
                           bp_error *err)
{
    if (!patterns || !out)
        return bp_error_set(err, BP_ERR_USAGE, 0, "bp_identity_find: NULL argument");
    memset(out, 0, sizeof *out);
    size_t len = 0, cap = 1;
    for (size_t i = 0; i < n_pages && i < IDENTITY_PAGES; i++)
        for (size_t k = 0; pages[i] && k < pages[i]->n_lines; k++)
            cap += strlen(pages[i]->lines[k].text) + 1;
    char *text = malloc(cap);
    if (!text)
        return bp_error_set(err, BP_ERR_NOMEM, 0, "out of memory");
    for (size_t i = 0; i < n_pages && i < IDENTITY_PAGES; i++)
        for (size_t k = 0; pages[i] && k < pages[i]->n_lines; k++) {
            /* joined without separators, but a newline between lines that
             * are clearly apart keeps patterns from running across them */
            const char *t = pages[i]->lines[k].text;
            size_t n = strlen(t);
            memcpy(text + len, t, n);
            len += n;
            text[len++] = ' ';
        }
    text[len] = '\0';

    bp_status st = BP_OK;
    bp_pattern_match m;
    char *title_level = NULL;
    static const char *title_labels[] = {"title_year_first", "title_issuer_first"};
    for (size_t i = 0; i < 2; i++)
        if (bp_patterns_match_label(patterns, "identity", title_labels[i], text, len, 0, &m)) {
            const bp_pattern_group *y = bp_pattern_match_group(&m, "year");
            if (y && out->fiscal_year == 0)
                out->fiscal_year = atoi(text + y->start);
            if (!take(&out->issuer, &m, text, "issuer") || !take(&out->kind, &m, text, "kind") ||
                !take(&title_level, &m, text, "level"))
                st = bp_error_set(err, BP_ERR_NOMEM, 0, "out of memory");
            break;
        }
    if (st == BP_OK && out->fiscal_year == 0 &&
        bp_patterns_match_label(patterns, "identity", "roc", text, len, 0, &m)) {
        const bp_pattern_group *g = bp_pattern_match_group(&m, "roc_year");
        if (g) {
            const char *y = text + g->start;
            int roc = (*y >= '0' && *y <= '9') ? atoi(y)
                                               : chinese_number(y, g->end - g->start);
            if (roc > 0) {
                out->roc_year = roc;
                out->fiscal_year = roc + 1911;
            }
        }
    }
    if (st == BP_OK && (out->fiscal_year == 0 || !out->kind) &&
        bp_patterns_match_label(patterns, "identity", "year_only", text, len, 0, &m)) {
        const bp_pattern_group *y = bp_pattern_match_group(&m, "year");
        if (y && out->fiscal_year == 0)
            out->fiscal_year = atoi(text + y->start);
        if (!take(&out->kind, &m, text, "kind") || !take(&title_level, &m, text, "level"))
            st = bp_error_set(err, BP_ERR_NOMEM, 0, "out of memory");
    }
    /* an explicit 预算主管部门：… line names the issuer better than a title */
    if (st == BP_OK &&
        bp_patterns_match_label(patterns, "identity", "issuer_line", text, len, 0, &m)) {
        char *named = bp_pattern_match_group_dup(&m, text, "issuer");
        if (named) {
            free(out->issuer);
            out->issuer = named;
        }
    }
    if (st == BP_OK && !out->kind &&
        bp_patterns_match_label(patterns, "identity", "kind_only", text, len, 0, &m) &&
        !take(&out->kind, &m, text, "kind"))
        st = bp_error_set(err, BP_ERR_NOMEM, 0, "out of memory");
    if (st == BP_OK) {
        const char *level = level_of(patterns, out->issuer, title_level);
        if (level && !(out->level = strdup(level)))
            st = bp_error_set(err, BP_ERR_NOMEM, 0, "out of memory");
    }
    free(title_level);
    free(text);
    if (st != BP_OK)
        bp_identity_free(out);
    return st;
}
