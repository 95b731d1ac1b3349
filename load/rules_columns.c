/*
 * rules_columns.c — rule family 2 (and the table side of 7): identities
 * between the columns of one row.
 *
 *   - a 小计/合计/总计 column under a merged header equals the columns
 *     under the same header (a sub-group counts by its own 小计 when it has
 *     one, else by its columns);
 *   - a top-level 合计/总计/支出总计/收入总计 column equals the other
 *     top-level money columns (政府采购, 其中 and memo columns excluded);
 *     so does the one top-level column named …合计/…总计 (本年收入合计)
 *     when no other top-level column names a total;
 *   - 增减 = 本年 − 上年, as columns (2022年 | 2021年 | 增减) or as rows
 *     (2021 年 / 2022 年 / 增减变化金额).
 *
 * Headers may hold memo groups we do not recognise; a top-level sum that
 * exceeds its total is therefore reported unverifiable, not mismatch.
 */
#include "load/reconcile_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SEGMENTS 8

typedef struct path {
    int n;
    char seg[MAX_SEGMENTS][256];   /* folded segments */
} path;

static void split_path(const char *key_source, path *p)
{
    memset(p, 0, sizeof *p);
    const char *s = key_source;
    while (*s && p->n < MAX_SEGMENTS) {
        const char *e = strchr(s, '/');
        size_t len = e ? (size_t)(e - s) : strlen(s);
        char raw[256];
        if (len > 255)
            len = 255;
        memcpy(raw, s, len);
        raw[len] = '\0';
        char *k = rc_key(raw);
        rc_join(p->seg[p->n], sizeof p->seg[0], k ? k : raw, NULL);
        free(k);
        /* drop the [2] suffix of repeated names */
        char *br = strchr(p->seg[p->n], '[');
        if (br)
            *br = '\0';
        p->n++;
        if (!e)
            break;
        s = e + 1;
    }
}

static bool is_total_word(const char *seg)
{
    static const char *const words[] = {"小计", "合计", "总计", "支出总计", "收入总计",
                                        "合计数", "总额", NULL};
    for (int i = 0; words[i]; i++)
        if (strcmp(seg, words[i]) == 0)
            return true;
    return false;
}

static bool is_memo(const char *seg)
{
    return rc_has(seg, "政府采购") || rc_has(seg, "其中") || rc_has(seg, "备注") ||
           rc_has(seg, "增减") || rc_has(seg, "变动") ||
           rc_has(seg, "比较") || rc_has(seg, "占");
}

/* Whether column path q lies under prefix p[0..depth). */
static bool under(const path *q, const path *p, int depth)
{
    if (q->n <= depth)
        return false;
    for (int i = 0; i < depth; i++)
        if (strcmp(q->seg[i], p->seg[i]) != 0)
            return false;
    return true;
}

typedef struct colset {
    size_t idx[64];
    int n;
    bool overflow;
} colset;

static void push(colset *s, size_t j)
{
    if (s->n < 64)
        s->idx[s->n++] = j;
    else
        s->overflow = true;
}

/* The columns standing for the subtree at prefix (p, depth): the column
 * exactly at the prefix, else the subtree's own total, else its children's. */
static void subtree(const rc_table *t, const path *paths, const path *p, int depth,
                    size_t self, colset *out)
{
    /* a leaf column exactly at this prefix */
    for (size_t j = 0; depth > 0 && j < t->n_cols; j++) {
        if (j == self || !t->cols[j].numeric || t->cols[j].is_percent ||
            t->cols[j].part != t->cols[self].part || paths[j].n != depth)
            continue;
        bool eq = true;
        for (int i = 0; i < depth; i++)
            eq = eq && strcmp(paths[j].seg[i], p->seg[i]) == 0;
        if (eq) {
            push(out, j);
            return;
        }
    }
    /* the subtree's own 小计 */
    for (size_t j = 0; j < t->n_cols; j++) {
        if (j == self || !t->cols[j].numeric || t->cols[j].part != t->cols[self].part)
            continue;
        if (paths[j].n == depth + 1 && under(&paths[j], p, depth) &&
            is_total_word(paths[j].seg[depth])) {
            push(out, j);
            return;
        }
    }
    /* its children, each once */
    char seen[32][256];
    int n_seen = 0;
    for (size_t j = 0; j < t->n_cols; j++) {
        if (j == self || !t->cols[j].numeric || t->cols[j].is_percent ||
            t->cols[j].part != t->cols[self].part)
            continue;
        if (!under(&paths[j], p, depth))
            continue;
        const char *child = paths[j].seg[depth];
        if (is_memo(child) || t->cols[j].is_of_which)
            continue;
        bool dup = false;
        for (int k = 0; k < n_seen && !dup; k++)
            dup = strcmp(seen[k], child) == 0;
        if (dup || n_seen == 32)
            continue;
        snprintf(seen[n_seen++], sizeof seen[0], "%s", child);
        path sub = *p;
        snprintf(sub.seg[depth], sizeof sub.seg[0], "%s", child);
        sub.n = depth + 1;
        if (depth + 1 < MAX_SEGMENTS)
            subtree(t, paths, &sub, depth + 1, self, out);
    }
}

/* A top-level header naming a total (本年收入合计, 本年支出合计, 支出合计):
 * ends in 合计/总计 after at least two characters. */
static bool total_like(const char *seg)
{
    size_t n = strlen(seg);
    return n > 6 && (strcmp(seg + n - 6, "合计") == 0 || strcmp(seg + n - 6, "总计") == 0) &&
           !is_memo(seg);
}

/* Column j is the only total-like top-level money column of its part, and
 * the part has no plain 合计/总计 column: the total of the others.  Two
 * such columns (本年收入合计 | 上年结转 | 收入总计) nest, and are left to the
 * plain words. */
static bool sole_top_total(const rc_table *t, const path *paths, size_t j)
{
    if (paths[j].n != 1 || !total_like(paths[j].seg[0]))
        return false;
    for (size_t k = 0; k < t->n_cols; k++) {
        if (k == j || !t->cols[k].numeric || t->cols[k].part != t->cols[j].part ||
            paths[k].n == 0)
            continue;
        if (paths[k].n == 1 && (total_like(paths[k].seg[0]) || is_total_word(paths[k].seg[0])))
            return false;
    }
    return true;
}

static bool row_all_blank(const rc_table *t, size_t i, size_t total, const colset *parts)
{
    if (rc_cell_at(t, i, total)->state != RC_BLANK)
        return false;
    for (int k = 0; k < parts->n; k++)
        if (rc_cell_at(t, i, parts->idx[k])->state != RC_BLANK)
            return false;
    return true;
}

static void column_sums(rc_doc *doc, rc_table *t, const path *paths)
{
    for (size_t j = 0; j < t->n_cols; j++) {
        const rc_column *c = &t->cols[j];
        if (!c->numeric || c->is_percent || paths[j].n == 0)
            continue;
        const path *p = &paths[j];
        const char *leaf = p->seg[p->n - 1];
        colset parts = {0};
        bool top = false;
        if (is_total_word(leaf) && p->n >= 2) {
            /* 小计 under a merged header: the header's other columns */
            subtree(t, paths, p, p->n - 1, j, &parts);
        } else if (p->n == 1 && is_total_word(leaf)) {
            top = true;
        } else if (p->n == 1 && (strcmp(leaf, "支出总计") == 0 || strcmp(leaf, "收入总计") == 0)) {
            top = true;
        } else if (p->n == 1 && sole_top_total(t, paths, j)) {
            top = true;   /* 本年收入合计 | 财政拨款收入 | … | 其他收入 */
        }
        if (top) {
            path root = {0};
            subtree(t, paths, &root, 0, j, &parts);
        }
        if (parts.n < 2 || parts.overflow)
            continue;
        for (size_t i = 0; i < t->n_row_nos; i++) {
            if (row_all_blank(t, i, j, &parts))
                continue;
            const rc_row *r = rc_row_at(t, i, j);
            if (r->role == RC_OF_WHICH && rc_cell_at(t, i, j)->state == RC_BLANK)
                continue;
            rc_check *chk = rc_check_new(doc, "column_total", t->unit);
            rc_add_cell(chk, t, i, j, 0, 0);
            for (int k = 0; k < parts.n; k++)
                rc_add_cell(chk, t, i, parts.idx[k], +1, 0);
            char zh[1024], en[1024];
            rc_join(zh, sizeof zh, t->name, "「", r->label ? r->label : "", "」行 [", c->path,
                    "] 等于同组各列之和", NULL);
            rc_join(en, sizeof en, t->name, " row '", r->label ? r->label : "", "': [", c->path,
                    "] equals the sum of its sibling columns", NULL);
            rc_check_finish(chk, zh, en);
            if (top && chk && chk->status == RC_MISMATCH &&
                bp_decimal_cmp(chk->expected, chk->actual) > 0) {
                chk->status = RC_UNVERIFIABLE;
                char *m1 = malloc(strlen(chk->message) + 64);
                char *m2 = malloc(strlen(chk->message_en) + 64);
                if (m1 && m2) {
                    sprintf(m1, "%s；表头可能含备查列，无法核对", chk->message);
                    sprintf(m2, "%s; the header may hold memo columns, unverifiable",
                            chk->message_en);
                    free(chk->message);
                    free(chk->message_en);
                    chk->message = m1;
                    chk->message_en = m2;
                } else {
                    free(m1);
                    free(m2);
                }
            }
        }
    }
}

/* A year (19xx/20xx) printed in s, 0 when none; 本年/上年 relative to fy. */
static int year_of(const char *s, int fiscal_year)
{
    for (const char *p = s; p && *p; p++) {
        if ((p[0] == '1' && p[1] == '9') || (p[0] == '2' && p[1] == '0')) {
            if (p[2] >= '0' && p[2] <= '9' && p[3] >= '0' && p[3] <= '9' &&
                !(p[4] >= '0' && p[4] <= '9') && (p == s || !(p[-1] >= '0' && p[-1] <= '9')))
                return (p[0] - '0') * 1000 + (p[1] - '0') * 100 + (p[2] - '0') * 10 + (p[3] - '0');
        }
    }
    if (fiscal_year > 0) {
        if (rc_has(s, "本年"))
            return fiscal_year;
        if (rc_has(s, "上年"))
            return fiscal_year - 1;
    }
    return 0;
}

static bool is_change_word(const char *s)
{
    return (rc_has(s, "增减") || rc_has(s, "变动") || rc_has(s, "变化") || rc_has(s, "增加额") ||
            rc_has(s, "比上年")) &&
           !rc_has(s, "率") && !rc_has(s, "%") && !rc_has(s, "幅");
}

static void change_columns(rc_doc *doc, rc_table *t)
{
    for (size_t j = 0; j < t->n_cols; j++) {
        const rc_column *c = &t->cols[j];
        if (!c->numeric || !is_change_word(c->key ? c->key : c->path))
            continue;
        /* current and previous year among the other money columns of the
         * same part */
        int cur = -1, prev = -1, ycur = 0;
        bool ambiguous = false;
        for (size_t k = 0; k < t->n_cols; k++) {
            const rc_column *o = &t->cols[k];
            if (k == j || !o->numeric || o->is_percent || o->part != c->part ||
                is_change_word(o->key ? o->key : o->path))
                continue;
            int y = year_of(o->path, doc->fiscal_year);
            if (y == 0)
                continue;
            if (ycur == 0 || y > ycur) {
                if (cur >= 0 && y > ycur)
                    prev = cur;
                cur = (int)k;
                ycur = y;
            } else if (y == ycur) {
                ambiguous = true;
            } else if (prev < 0 || y > year_of(t->cols[prev].path, doc->fiscal_year)) {
                prev = (int)k;
            }
        }
        if (cur < 0 || prev < 0 || ambiguous ||
            year_of(t->cols[prev].path, doc->fiscal_year) != ycur - 1)
            continue;
        for (size_t i = 0; i < t->n_row_nos; i++) {
            if (rc_cell_at(t, i, j)->state == RC_BLANK &&
                rc_cell_at(t, i, (size_t)cur)->state == RC_BLANK &&
                rc_cell_at(t, i, (size_t)prev)->state == RC_BLANK)
                continue;
            const rc_row *r = rc_row_at(t, i, j);
            rc_check *chk = rc_check_new(doc, "change", t->unit);
            rc_add_cell(chk, t, i, j, 0, 0);
            rc_add_cell(chk, t, i, (size_t)cur, +1, 0);
            rc_add_cell(chk, t, i, (size_t)prev, -1, 0);
            char zh[1024], en[1024];
            rc_join(zh, sizeof zh, t->name, "「", r->label ? r->label : "", "」行 [", c->path,
                    "] 等于本年减上年", NULL);
            rc_join(en, sizeof en, t->name, " row '", r->label ? r->label : "", "': [", c->path,
                    "] equals this year minus last year", NULL);
            rc_check_finish(chk, zh, en);
        }
    }
}

/* Rows 2021 年 / 2022 年 / 增减变化金额 (三公 tables). */
static void change_rows(rc_doc *doc, rc_table *t)
{
    for (size_t j = 0; j < t->n_cols; j++) {
        const rc_column *c = &t->cols[j];
        if (!c->numeric || c->is_percent)
            continue;
        int change = -1, cur = -1, prev = -1, ycur = 0, yprev = 0;
        for (size_t i = 0; i < t->n_row_nos; i++) {
            /* the row's year is printed in any of its text cells */
            const char *label = NULL;
            for (size_t k = 0; k < t->n_cols && !label; k++) {
                const rc_cell *x = rc_cell_at(t, i, k);
                if (!t->cols[k].numeric && x->text && year_of(x->text, 0) &&
                    strlen(x->text) <= 16)
                    label = x->text;
            }
            const rc_row *r = rc_row_at(t, i, j);
            if (r->key && is_change_word(r->key)) {
                change = (int)i;
                continue;
            }
            if (!label && r->label && year_of(r->label, 0) && strlen(r->label) <= 16)
                label = r->label;
            if (!label)
                continue;
            int y = year_of(label, 0);
            if (y > ycur) {
                prev = cur;
                yprev = ycur;
                cur = (int)i;
                ycur = y;
            } else if (y > yprev) {
                prev = (int)i;
                yprev = y;
            }
        }
        if (change < 0 || cur < 0 || prev < 0 || yprev != ycur - 1)
            continue;
        rc_check *chk = rc_check_new(doc, "change", t->unit);
        rc_add_cell(chk, t, (size_t)change, j, 0, 0);
        rc_add_cell(chk, t, (size_t)cur, j, +1, 0);
        rc_add_cell(chk, t, (size_t)prev, j, -1, 0);
        char zh[1024], en[1024];
        snprintf(zh, sizeof zh, "%s [%s] 增减行等于%d年减%d年", (t)->name, c->path, ycur, yprev);
        snprintf(en, sizeof en, "%s [%s]: the change row equals %d minus %d", (t)->name,
                 c->path, ycur, yprev);
        rc_check_finish(chk, zh, en);
    }
}

void rc_rules_columns(rc_doc *doc)
{
    for (size_t ti = 0; ti < doc->n_tables; ti++) {
        rc_table *t = &doc->tables[ti];
        if (t->n_cols == 0)
            continue;
        path *paths = calloc(t->n_cols, sizeof *paths);
        if (!paths) {
            doc->nomem = true;
            return;
        }
        for (size_t j = 0; j < t->n_cols; j++)
            split_path(t->cols[j].path, &paths[j]);
        column_sums(doc, t, paths);
        change_columns(doc, t);
        change_rows(doc, t);
        free(paths);
    }
}
