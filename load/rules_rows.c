/*
 * rules_rows.c — rule families 1, 3 and 4 over the rows of one table:
 * row totals (合计/小计 = their items), the classification hierarchy
 * (类 = Σ 款, 款 = Σ 项 by code length, or by numbering 一、→1.→(1)) and
 * the balance rows (本年收入合计 + 上年结转 = 收入总计; 收入总计 = 支出总计).
 *
 * Each value column is read as a series of rows labelled by its label
 * column.  A row's depth comes from its classification code (stated, or
 * inferred from the same label elsewhere in the document), else from its
 * numbering, else from the stored level.  其中 rows are never summed.  A row
 * whose depth cannot be told and that carries a non-zero figure makes the
 * check unverifiable — never guessed.  In a table with no depth at all
 * (flat list) a sum that exceeds its total is taken as undetected nesting
 * and reported unverifiable, not as a mismatch.
 */
#include "load/reconcile_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MODE_FLAT, MODE_CODES, MODE_NUMBERING, MODE_LEVELS };

typedef struct series {
    rc_doc *doc;
    rc_table *t;
    size_t col;          /* value column */
    size_t n;            /* rows in the series */
    size_t *row;         /* table row index of each */
    int *level;          /* depth, -1 unknown */
    int mode;
} series;

static bool valid_code(const char *code)
{
    size_t n = code ? strlen(code) : 0;
    return n == 3 || n == 5 || n == 7;
}

static const rc_row *srow(const series *s, size_t k)
{
    return rc_row_at(s->t, s->row[k], s->col);
}

static const rc_cell *scell(const series *s, size_t k)
{
    return rc_cell_at(s->t, s->row[k], s->col);
}

static bool is_zero_or_blank(const rc_cell *c)
{
    return c->state == RC_BLANK || (c->state == RC_VALUE && c->value.mantissa == 0);
}

static bool is_marker(const rc_row *r)
{
    return r->role == RC_TOTAL || r->role == RC_SUBTOTAL;
}

/* Builds the series of value column col; false when there is nothing. */
static bool build_series(series *s, rc_doc *doc, rc_table *t, size_t col)
{
    memset(s, 0, sizeof *s);
    s->doc = doc;
    s->t = t;
    s->col = col;
    s->row = calloc(t->n_row_nos ? t->n_row_nos : 1, sizeof *s->row);
    s->level = calloc(t->n_row_nos ? t->n_row_nos : 1, sizeof *s->level);
    if (!s->row || !s->level) {
        doc->nomem = true;
        return false;
    }
    bool seen_label = false;
    for (size_t i = 0; i < t->n_row_nos; i++) {
        const rc_row *r = rc_row_at(t, i, col);
        const rc_cell *c = rc_cell_at(t, i, col);
        bool labelled = r->label && r->label[0];
        if (!labelled && !seen_label)
            continue;   /* header-like rows above the first label */
        if (!labelled && c->state == RC_BLANK)
            continue;   /* an empty line of this side of a side-by-side table */
        seen_label = seen_label || labelled;
        s->row[s->n++] = i;
    }
    if (s->n == 0)
        return false;

    size_t codes = 0, numbered = 0, items = 0;
    int min_level = 1 << 20, max_level = -1;
    unsigned kinds = 0;
    for (size_t k = 0; k < s->n; k++) {
        const rc_row *r = srow(s, k);
        if (r->role != RC_ITEM)
            continue;
        items++;
        if (valid_code(r->code))
            codes++;
        if (r->ordinal) {
            numbered++;
            kinds |= 1u << r->ordinal;
        }
        if (r->level >= 0) {
            if (r->level < min_level)
                min_level = r->level;
            if (r->level > max_level)
                max_level = r->level;
        }
    }
    if (codes > 0 && codes * 2 >= items)
        s->mode = MODE_CODES;
    else if (numbered > 0)
        s->mode = MODE_NUMBERING;
    else if (max_level > min_level)
        s->mode = MODE_LEVELS;
    else
        s->mode = MODE_FLAT;

    int last_numbered_level = -1;
    for (size_t k = 0; k < s->n; k++) {
        const rc_row *r = srow(s, k);
        int lv = -1;
        switch (s->mode) {
        case MODE_CODES:
            if (valid_code(r->code))
                lv = (int)(strlen(r->code) - 3) / 2;
            break;
        case MODE_NUMBERING:
            if (r->ordinal) {
                lv = 0;
                for (int kind = 1; kind < r->ordinal; kind++)
                    if (kinds & (1u << kind))
                        lv++;
                last_numbered_level = lv;
            } else if (last_numbered_level >= 0 && r->role == RC_ITEM) {
                /* unnumbered lines under a numbered one: its details, at a
                 * depth we cannot tell — below the numbered line */
                lv = -2;
            }
            break;
        case MODE_LEVELS:
            lv = r->level;
            break;
        default:
            lv = 0;
        }
        if (is_marker(r))
            lv = -3;   /* markers are not items */
        s->level[k] = lv;
    }
    /* 其他…支出 without a code is the catch-all 项/款 of the line it
     * names: 其他医疗保障管理事务支出 under 医疗保障管理事务 */
    if (s->mode == MODE_CODES) {
        for (size_t k = 0; k < s->n; k++) {
            const rc_row *r = srow(s, k);
            if (s->level[k] != -1 || !r->key || strncmp(r->key, "其他", 6) != 0)
                continue;
            for (size_t m = k; m-- > 0;) {
                const rc_row *p = srow(s, m);
                if (s->level[m] < 0 || s->level[m] >= 2 || !p->key)
                    continue;
                char stem[256];
                snprintf(stem, sizeof stem, "%s", p->key);
                size_t n = strlen(stem);
                if (n > 6 && strcmp(stem + n - 6, "支出") == 0)
                    stem[n - 6] = '\0';
                if (stem[0] && strstr(r->key + 6, stem) == r->key + 6) {
                    s->level[k] = s->level[m] + 1;
                    break;
                }
                if (s->level[m] == 0)
                    break;
            }
        }
    }
    return true;
}

static void free_series(series *s)
{
    free(s->row);
    free(s->level);
}

static void describe(char *zh, size_t nzh, char *en, size_t nen, const rc_table *t,
                     const char *row_label, const char *col_path, const char *what_zh,
                     const char *what_en)
{
    rc_join(zh, nzh, t->name, t->title && t->label ? t->title : "", "「",
            row_label ? row_label : "", "」[", col_path, "] ", what_zh, NULL);
    rc_join(en, nen, t->name, " '", row_label ? row_label : "", "' [", col_path, "] ", what_en,
            NULL);
}

/* Adds the summands of positions [from, to) at the shallowest known depth
 * (of_which rows never; subtotals when present cover the items before
 * them).  Returns false when nothing was added. */
/* Whether the 小计 rows of [from, to) head their groups (小计 first, then
 * its items) rather than close them. */
static bool subtotals_on_top(const series *s, size_t from, size_t to)
{
    for (size_t k = from; k < to; k++) {
        rc_role role = srow(s, k)->role;
        if (role == RC_SUBTOTAL)
            return true;
        if (role == RC_ITEM)
            return false;
    }
    return false;
}

/* Two columns on the same side of a side-by-side table: their headers
 * open with the same segment (支出 / 功能分类 / 金额, 支出 / 支出用途 / 金额). */
static bool same_side(const rc_column *a, const rc_column *b)
{
    const char *ea = strchr(a->path, '/'), *eb = strchr(b->path, '/');
    if (!ea || !eb || ea - a->path != eb - b->path)
        return false;
    return strncmp(a->path, b->path, (size_t)(ea - a->path)) == 0;
}

/* The column whose cell states the total of marker row k: the series'
 * own, or — when that cell is blank — the one figure printed on the row
 * for the whole side of a side-by-side table ("当年支出小计 … 17,996.68"
 * under 支出 / 功能分类 | 支出 / 支出用途: one label, one figure, in the
 * other group's money column, whose own label cell is empty). */
static size_t stated_column(const series *s, size_t k)
{
    const rc_table *t = s->t;
    size_t i = s->row[k], col = s->col;
    int lc = t->cols[col].label_col;
    if (rc_cell_at(t, i, col)->state != RC_BLANK || lc < 0)
        return col;
    const rc_cell *own = rc_cell_at(t, i, (size_t)lc);
    if (!own->text || !own->text[0])
        return col;
    size_t found = col, values = 0;
    for (size_t j = 0; j < t->n_cols; j++) {
        const rc_column *c = &t->cols[j];
        if (j == col || !c->numeric || c->is_percent || !same_side(c, &t->cols[col]) ||
            rc_cell_at(t, i, j)->state == RC_BLANK)
            continue;
        values++;
        found = j;
    }
    if (values != 1 || t->cols[found].label_col == lc || t->cols[found].label_col < 0 ||
        rc_cell_at(t, i, found)->state != RC_VALUE)
        return col;
    const rc_cell *other = rc_cell_at(t, i, (size_t)t->cols[found].label_col);
    return other->text && other->text[0] ? col : found;
}

static bool add_range(series *s, rc_check *c, size_t from, size_t to, bool *ambiguous)
{
    int top = 1 << 20;
    size_t last_sub = SIZE_MAX, first_sub = SIZE_MAX;
    for (size_t k = from; k < to; k++) {
        const rc_row *r = srow(s, k);
        if (r->role == RC_SUBTOTAL) {
            last_sub = k;
            if (first_sub == SIZE_MAX)
                first_sub = k;
        }
        if (r->role == RC_ITEM && s->level[k] >= 0 && s->level[k] < top)
            top = s->level[k];
    }
    bool on_top = subtotals_on_top(s, from, to);
    bool any = false;
    for (size_t k = from; k < to; k++) {
        const rc_row *r = srow(s, k);
        if (r->role == RC_OF_WHICH || r->role == RC_TOTAL)
            continue;
        if (r->role == RC_SUBTOTAL) {
            rc_add_cell(c, s->t, s->row[k], stated_column(s, k), +1, 0);
            any = true;
            continue;
        }
        /* items a 小计 already covers */
        if (on_top && first_sub != SIZE_MAX && k > first_sub)
            continue;
        if (!on_top && last_sub != SIZE_MAX && k < last_sub)
            continue;
        if (s->level[k] == top) {
            rc_add_cell(c, s->t, s->row[k], s->col, +1, 0);
            any = true;
        } else if (s->level[k] == -1 && !is_zero_or_blank(scell(s, k))) {
            rc_add_missing(c, s->t, s->row[k], s->col, "层级不明 / depth unknown");
            *ambiguous = true;
        }
    }
    return any;
}

static bool all_items_blank(const series *s, size_t from, size_t to)
{
    for (size_t k = from; k < to; k++)
        if (srow(s, k)->role != RC_OF_WHICH && scell(s, k)->state != RC_BLANK)
            return false;
    return true;
}

/* Turns a failed check into unverifiable, saying why. */
static void demote(rc_check *c, const char *why_zh, const char *why_en)
{
    c->status = RC_UNVERIFIABLE;
    size_t nzh = strlen(c->message) + strlen(why_zh) + 8;
    size_t nen = strlen(c->message_en) + strlen(why_en) + 8;
    char *zh = malloc(nzh), *en = malloc(nen);
    if (zh && en) {
        snprintf(zh, nzh, "%s；%s", c->message, why_zh);
        snprintf(en, nen, "%s; %s", c->message_en, why_en);
        free(c->message);
        free(c->message_en);
        c->message = zh;
        c->message_en = en;
    } else {
        free(zh);
        free(en);
    }
}

/* Flat lists: a sum above its total means nesting we could not see. */
static void demote_flat(const series *s, rc_check *c)
{
    if (s->mode != MODE_FLAT || c == NULL || c->status != RC_MISMATCH)
        return;
    if (bp_decimal_cmp(c->expected, c->actual) <= 0)
        return;
    demote(c, "各行层级不明，无法核对", "row nesting unknown, unverifiable");
}

/* Whether the depth of row k was inferred (its stored indentation level,
 * or a code printed elsewhere for the same label) rather than printed. */
static bool depth_inferred(const series *s, size_t k)
{
    if (s->mode == MODE_LEVELS)
        return true;
    return s->mode == MODE_CODES && srow(s, k)->code_inferred;
}

/* An inferred structure is confirmed by the table itself when the lines at
 * its shallowest depth add up (within the rounding of their printing) to a
 * printed 合计/总计 row of the same series. */
static bool structure_confirmed(const series *s)
{
    int top = 1 << 20;
    for (size_t k = 0; k < s->n; k++)
        if (srow(s, k)->role == RC_ITEM && s->level[k] >= 0 && s->level[k] < top)
            top = s->level[k];
    bp_decimal sum = bp_decimal_make(0, 0), tol = bp_decimal_make(0, 0);
    const rc_cell *total = NULL;
    for (size_t k = 0; k < s->n; k++) {
        const rc_row *r = srow(s, k);
        const rc_cell *c = scell(s, k);
        if (r->role == RC_TOTAL && c->state == RC_VALUE && !total) {
            total = c;
            continue;
        }
        if (r->role != RC_ITEM || s->level[k] != top || c->state == RC_BLANK)
            continue;
        if (c->state != RC_VALUE)
            return false;
        if (bp_decimal_add(sum, c->value, &sum, NULL) != BP_OK ||
            bp_decimal_add(tol, bp_decimal_half_ulp(c->precision), &tol, NULL) != BP_OK)
            return false;
    }
    if (!total)
        return false;
    bp_decimal d;
    if (bp_decimal_add(tol, bp_decimal_half_ulp(total->precision), &tol, NULL) != BP_OK ||
        bp_decimal_sub(total->value, sum, &d, NULL) != BP_OK)
        return false;
    if (d.mantissa < 0)
        d.mantissa = -d.mantissa;
    return bp_decimal_cmp(d, tol) <= 0;
}

/* A failed identity over an inferred structure (rows [from, to) and the
 * stated row at) accuses nobody unless the table confirms the structure. */
static void demote_inferred(const series *s, rc_check *c, size_t at, size_t from, size_t to)
{
    if (c == NULL || c->status != RC_MISMATCH)
        return;
    bool inferred = depth_inferred(s, at);
    for (size_t k = from; k < to && !inferred; k++)
        inferred = srow(s, k)->role == RC_ITEM && depth_inferred(s, k);
    if (!inferred || structure_confirmed(s))
        return;
    demote(c, "层级系推断（缩进或他表编码），表内无合计印证，无法核对",
           "the nesting is inferred (indentation or codes from another table) and no printed "
           "total confirms it, unverifiable");
}

/* The summed lines are numbered and their numbering does not start at 1
 * (24、预备费 …): the list began on another page or table. */
static bool list_starts_elsewhere(const series *s, const rc_check *c)
{
    for (size_t i = 0; i < c->n_ops; i++) {
        if (c->ops[i].sign <= 0)
            continue;
        for (size_t k = 0; k < s->n; k++) {
            const rc_row *r = srow(s, k);
            if (s->t->row_nos[s->row[k]] != c->ops[i].row_no || !r->label)
                continue;
            if (r->ordinal == 0)
                return false;
            return rc_ordinal_number(r->label + strspn(r->label, " ")) > 1;
        }
        return false;
    }
    return false;
}

static bool is_grand_total(const char *key)
{
    return rc_has(key, "总计");
}

static void row_totals(series *s)
{
    rc_table *t = s->t;
    const rc_column *col = &t->cols[s->col];
    size_t prev_total = SIZE_MAX, prev_marker = SIZE_MAX;
    bool seen_item = false;
    for (size_t k = 0; k < s->n; k++) {
        const rc_row *r = srow(s, k);
        if (!is_marker(r)) {
            if (r->role == RC_ITEM)
                seen_item = true;
            continue;
        }
        char zh[1024], en[1024];
        rc_check *c = NULL;
        bool ambiguous = false, top_before_total = false;
        if (!seen_item && r->role == RC_TOTAL) {
            /* total printed on top: covers the rows below up to the next total */
            size_t end = k + 1;
            while (end < s->n && srow(s, end)->role != RC_TOTAL)
                end++;
            if (end == k + 1 || all_items_blank(s, k + 1, end))
                goto next;
            /* 本年收入合计 on top of a page, 收入总计 further down: it may
             * close rows printed on the previous page */
            top_before_total = end < s->n;
            c = rc_check_new(s->doc, "row_total", t->unit);
            rc_add_cell(c, t, s->row[k], stated_column(s, k), 0, 0);
            if (!add_range(s, c, k + 1, end, &ambiguous))
                goto drop;
            describe(zh, sizeof zh, en, sizeof en, t, r->label, col->path, "等于其下各项之和",
                     "equals the sum of the rows below it");
        } else if (r->role == RC_TOTAL && prev_total != SIZE_MAX) {
            /* chain: 本年收入合计 + 上年结转 … = 收入总计 */
            c = rc_check_new(s->doc, is_grand_total(r->key) ? "balance" : "row_total", t->unit);
            rc_add_cell(c, t, s->row[k], stated_column(s, k), 0, 0);
            rc_add_cell(c, t, s->row[prev_total], stated_column(s, prev_total), +1, 0);
            bool after_of_which = false;
            /* 年初结转和结余 followed by 一、… 二、…: the numbered lines
             * under an unnumbered one are its breakdown */
            int chain_kind = -1;
            for (size_t m = prev_total + 1; m < k; m++) {
                const rc_row *x = srow(s, m);
                if (x->role == RC_OF_WHICH) {
                    after_of_which = true;
                    continue;
                }
                if (chain_kind < 0)
                    chain_kind = x->ordinal;
                if (chain_kind == 0 && x->ordinal > 0)
                    continue;
                if (after_of_which && !x->ordinal && !is_zero_or_blank(scell(s, m))) {
                    /* 其中：A 结转 / B 结余: is B a second part or a new line? */
                    rc_add_missing(c, t, s->row[m], s->col, "其中项之后，归属不明 / may belong to 其中");
                    continue;
                }
                after_of_which = false;
                rc_add_cell(c, t, s->row[m], s->col, +1, 0);
            }
            describe(zh, sizeof zh, en, sizeof en, t, r->label, col->path,
                     "等于上一合计加其间各行", "equals the previous total plus the rows between");
        } else if (r->role == RC_SUBTOTAL &&
                   subtotals_on_top(s, prev_total == SIZE_MAX ? 0 : prev_total + 1, s->n)) {
            /* 小计 heading its group: the rows below it up to the next 小计 */
            size_t end = k + 1;
            while (end < s->n && !is_marker(srow(s, end)))
                end++;
            if (all_items_blank(s, k + 1, end) && scell(s, k)->state == RC_BLANK)
                goto next;
            c = rc_check_new(s->doc, "row_total", t->unit);
            rc_add_cell(c, t, s->row[k], stated_column(s, k), 0, 0);
            if (!add_range(s, c, k + 1, end, &ambiguous))
                goto drop;
            describe(zh, sizeof zh, en, sizeof en, t, r->label, col->path, "小计等于其下各项之和",
                     "subtotal equals the sum of the rows below it");
        } else {
            size_t from = 0;
            if (r->role == RC_SUBTOTAL && prev_marker != SIZE_MAX)
                from = prev_marker + 1;
            else if (r->role == RC_TOTAL && prev_total != SIZE_MAX)
                from = prev_total + 1;
            if (from >= k || all_items_blank(s, from, k))
                goto next;
            c = rc_check_new(s->doc, "row_total", t->unit);
            rc_add_cell(c, t, s->row[k], stated_column(s, k), 0, 0);
            if (!add_range(s, c, from, k, &ambiguous))
                goto drop;
            describe(zh, sizeof zh, en, sizeof en, t, r->label, col->path, "等于其上各项之和",
                     "equals the sum of the rows above it");
        }
        rc_check_finish(c, zh, en);
        demote_flat(s, c);
        if (c && c->status == RC_MISMATCH && (top_before_total || list_starts_elsewhere(s, c)))
            demote(c, "可能接续前页，无法核对", "may continue rows printed elsewhere, unverifiable");
        goto next;
    drop:
        if (c) {
            /* leave it unfinished: write_checks skips checks without a message */
            c->message = NULL;
        }
    next:
        if (r->role == RC_TOTAL)
            prev_total = k;
        prev_marker = k;
    }
}

/* A coded table's first rows without a code (the unit or 合计 line) are
 * the total of the 类 rows that follow. */
static void unit_row_totals(series *s)
{
    if (s->mode != MODE_CODES)
        return;
    rc_table *t = s->t;
    size_t k = 0;
    while (k < s->n) {
        const rc_row *r = srow(s, k);
        if (r->code)
            break;   /* only the lines above the first coded line */
        if (r->code || r->role != RC_ITEM || !r->label || !r->label[0] || s->level[k] >= 0) {
            k++;
            continue;
        }
        /* the next rows must be coded */
        size_t end = k + 1;
        while (end < s->n && srow(s, end)->code && srow(s, end)->role == RC_ITEM)
            end++;
        if (end == k + 1 || !valid_code(srow(s, k + 1)->code) ||
            strlen(srow(s, k + 1)->code) != 3) {
            k++;
            continue;
        }
        if (scell(s, k)->state == RC_BLANK && all_items_blank(s, k + 1, end)) {
            k = end;
            continue;
        }
        rc_check *c = rc_check_new(s->doc, "row_total", t->unit);
        rc_add_cell(c, t, s->row[k], s->col, 0, 0);
        for (size_t m = k + 1; m < end; m++)
            if (s->level[m] == 0)
                rc_add_cell(c, t, s->row[m], s->col, +1, 0);
        char zh[1024], en[1024];
        describe(zh, sizeof zh, en, sizeof en, t, r->label, t->cols[s->col].path,
                 "等于其下各类之和", "equals the sum of the classes (类) below it");
        rc_check_finish(c, zh, en);
        demote_inferred(s, c, k, k + 1, end);
        k = end;
    }
}

/* 类 = Σ 款, 款 = Σ 项 (codes), or a numbered line = Σ its sub-numbered lines. */
static void hierarchy(series *s)
{
    if (s->mode == MODE_FLAT)
        return;
    rc_table *t = s->t;
    for (size_t k = 0; k < s->n; k++) {
        const rc_row *p = srow(s, k);
        int lv = s->level[k];
        if (lv < 0 || p->role != RC_ITEM)
            continue;
        size_t end = k + 1;
        bool any_child = false, ambiguous_nonzero = false;
        for (; end < s->n; end++) {
            const rc_row *r = srow(s, end);
            int l = s->level[end];
            if (is_marker(r))
                break;
            if (l >= 0 && l <= lv)
                break;
            if (s->mode == MODE_CODES && r->code &&
                strncmp(r->code, p->code, strlen(p->code)) != 0)
                break;
            if (l == lv + 1)
                any_child = true;
            else if (l < 0 && r->role == RC_ITEM && !is_zero_or_blank(scell(s, end)))
                ambiguous_nonzero = true;
        }
        if (!any_child)
            continue;
        if (scell(s, k)->state == RC_BLANK && all_items_blank(s, k + 1, end))
            continue;
        rc_check *c = rc_check_new(s->doc, "hierarchy", t->unit);
        rc_add_cell(c, t, s->row[k], s->col, 0, 0);
        for (size_t m = k + 1; m < end; m++) {
            const rc_row *r = srow(s, m);
            if (r->role == RC_OF_WHICH)
                continue;
            if (s->level[m] == lv + 1)
                rc_add_cell(c, t, s->row[m], s->col, +1, 0);
            else if (s->level[m] < 0 && s->mode == MODE_CODES && ambiguous_nonzero &&
                     !is_zero_or_blank(scell(s, m)))
                rc_add_missing(c, t, s->row[m], s->col, "无科目编码 / no code");
            else if (s->level[m] == -1 && !is_zero_or_blank(scell(s, m)))
                rc_add_missing(c, t, s->row[m], s->col, "层级不明 / depth unknown");
        }
        char zh[1024], en[1024];
        const char *what_zh = s->mode == MODE_CODES ? "等于其下级科目之和" : "等于其下级各项之和";
        const char *what_en = s->mode == MODE_CODES ? "equals the sum of its sub-classes"
                                                    : "equals the sum of its numbered sub-items";
        char label[256];
        rc_join(label, sizeof label, p->code && !p->code_inferred ? p->code : "",
                p->code && !p->code_inferred ? " " : "", p->label ? p->label : "", NULL);
        describe(zh, sizeof zh, en, sizeof en, t, label, t->cols[s->col].path, what_zh, what_en);
        rc_check_finish(c, zh, en);
        demote_inferred(s, c, k, k + 1, end);
    }
}

/* 收入总计 = 支出总计 across the sides of a table (or within one side). */
static void side_balance(rc_doc *doc, rc_table *t)
{
    for (size_t i = 0; i < t->n_row_nos; i++) {
        for (size_t a = 0; a < t->n_cols; a++) {
            const rc_column *ca = &t->cols[a];
            const rc_row *ra = rc_row_at(t, i, a);
            if (!ca->numeric || ca->is_percent || !ra->key || !rc_has(ra->key, "收入总计"))
                continue;
            /* the k-th value column of its label group */
            int ka = 0;
            for (size_t x = 0; x < a; x++)
                if (t->cols[x].label_col == ca->label_col && t->cols[x].numeric)
                    ka++;
            for (size_t i2 = 0; i2 < t->n_row_nos; i2++) {
                for (size_t b = 0; b < t->n_cols; b++) {
                    const rc_column *cb = &t->cols[b];
                    const rc_row *rb = rc_row_at(t, i2, b);
                    if (b == a || !cb->numeric || cb->is_percent || !rb->key ||
                        !rc_has(rb->key, "支出总计"))
                        continue;
                    int kb = 0;
                    for (size_t x = 0; x < b; x++)
                        if (t->cols[x].label_col == cb->label_col && t->cols[x].numeric)
                            kb++;
                    if (ka != kb)
                        continue;
                    if (ca->label_col == cb->label_col && ca->label_col >= 0 && a != b)
                        continue;
                    rc_check *c = rc_check_new(doc, "balance", t->unit);
                    rc_add_cell(c, t, i2, b, 0, 0);
                    rc_add_cell(c, t, i, a, +1, 0);
                    char zh[1024], en[1024];
                    /* a row with a key has a label */
                    rc_join(zh, sizeof zh, t->name, "「", rb->label, "」[", cb->path, "] 等于「",
                            ra->label, "」[", ca->path, "]", NULL);
                    rc_join(en, sizeof en, t->name, " '", rb->label, "' [", cb->path,
                            "] equals '", ra->label, "' [", ca->path, "]", NULL);
                    rc_check_finish(c, zh, en);
                }
            }
        }
    }
}

/* 一、货物A → 三、服务C: fixed template categories lettered A, B, C; when
 * the letters skip as the numbers do, an empty category was left out on
 * purpose. */
static bool letters_skip_too(const char *a, const char *b, int step)
{
    size_t la = a ? strlen(a) : 0, lb = b ? strlen(b) : 0;
    if (la == 0 || lb == 0)
        return false;
    char ca = a[la - 1], cb = b[lb - 1];
    return ca >= 'A' && ca <= 'Z' && cb >= 'A' && cb <= 'Z' && cb - ca == step;
}

/* 一、二、(missing 三)、四、: a skipped number in a label column.  A gap at
 * a page break may be a row we lost, so it is unverifiable there. */
static void numbering_gaps(rc_doc *doc, rc_table *t)
{
    for (size_t j = 0; j < t->n_cols; j++) {
        if (!t->cols[j].is_label)
            continue;
        int last_number[6] = {0};
        size_t last_row[6] = {0};
        for (size_t i = 0; i < t->n_row_nos; i++) {
            const rc_row *r = rc_row_at(t, i, j);
            int kind = r->ordinal;
            const rc_cell *own = rc_cell_at(t, i, j);
            if (kind <= 0 || kind >= 6 || !r->label || !own->text || !own->text[0])
                continue;   /* only labels printed in this column */
            int n = rc_ordinal_number(r->label + strspn(r->label, " "));
            for (int k = kind + 1; k < 6; k++)
                last_number[k] = 0;   /* a new parent restarts deeper lists */
            if (n <= 0)
                continue;
            int prev = last_number[kind];
            if (prev > 0 && n > prev + 1 && n <= prev + 3 &&
                !letters_skip_too(rc_row_at(t, last_row[kind], j)->label, r->label, n - prev)) {
                const rc_row *p = rc_row_at(t, last_row[kind], j);
                rc_check *c = rc_check_new(doc, "numbering", NULL);
                rc_add_cell(c, t, last_row[kind], j, 0, 0);
                rc_add_cell(c, t, i, j, +1, 0);
                bool page_break = p->page != r->page;
                char zh[1024], en[1024];
                snprintf(zh, sizeof zh, "%s [%s] 序号由「%s」跳到「%s」，缺少第%d项%s", t->name,
                         t->cols[j].path, p->label, r->label, prev + 1,
                         page_break ? "（在换页处，可能为识别遗漏）" : "");
                snprintf(en, sizeof en, "%s [%s]: numbering jumps from '%s' to '%s', item %d is missing%s",
                         t->name, t->cols[j].path, p->label, r->label, prev + 1,
                         page_break ? " (at a page break: may be a row we lost)" : "");
                rc_check_finish_fixed(c, page_break ? RC_UNVERIFIABLE : RC_MISMATCH, zh, en);
            }
            last_number[kind] = n;
            last_row[kind] = i;
        }
    }
}

void rc_rules_rows(rc_doc *doc)
{
    for (size_t ti = 0; ti < doc->n_tables; ti++) {
        rc_table *t = &doc->tables[ti];
        for (size_t j = 0; j < t->n_cols; j++) {
            const rc_column *col = &t->cols[j];
            if (!col->numeric || col->is_percent)
                continue;
            series s;
            if (!build_series(&s, doc, t, j)) {
                free_series(&s);
                continue;
            }
            row_totals(&s);
            unit_row_totals(&s);
            hierarchy(&s);
            free_series(&s);
        }
        side_balance(doc, t);
        numbering_gaps(doc, t);
    }
}

