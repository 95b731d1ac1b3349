/*
 * rules_cross.c — rule family 5: the same quantity in several tables.
 *
 *   - Classification rows: two tables whose grand totals agree (so they
 *     cover the same funds: 收支总表 and 一般公共预算支出表 of a department
 *     funded only by 一般公共预算) must give the same amount for the same
 *     code.  Tables whose totals differ have different scopes (财政拨款 vs
 *     all funds) and are not compared row by row.  Tables printed in
 *     different money units are compared once converted; two whose totals
 *     are printed alike but differ by their unit lines (9,628.22 元 and
 *     9,628.22 万元) are reported as a unit slip.
 *   - Named items (projects, tasks): a row of a project-like table (项目,
 *     绩效, 任务) names an item; every other mention of the same name in
 *     another project-like table or in the narrative must give the same
 *     amount.  When mentions disagree, each one that differs from the
 *     figure most mentions agree on is one mismatch, with those mentions as
 *     evidence; a narrative figure is only a finding when every table
 *     mention agrees with every other.
 */
#include "load/reconcile_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The first money column of the label group of label column lc (or of the
 * table when lc < 0). */
static int main_column(const rc_table *t, int lc)
{
    for (size_t j = 0; j < t->n_cols; j++)
        if (t->cols[j].numeric && !t->cols[j].is_percent && !t->cols[j].is_of_which &&
            t->cols[j].label_col == lc)
            return (int)j;
    return -1;
}

/* The grand total row of a series: the first total row, or a coded
 * table's unit line before its first code. */
static int grand_total_row(const rc_table *t, size_t col)
{
    for (size_t i = 0; i < t->n_row_nos; i++) {
        const rc_row *r = rc_row_at(t, i, col);
        if (r->role == RC_TOTAL && rc_cell_at(t, i, col)->state == RC_VALUE)
            return (int)i;
    }
    for (size_t i = 0; i + 1 < t->n_row_nos; i++) {
        const rc_row *r = rc_row_at(t, i, col), *n = rc_row_at(t, i + 1, col);
        if (!r->code && r->label && r->label[0] && n->code && strlen(n->code) == 3 &&
            !n->code_inferred && rc_cell_at(t, i, col)->state == RC_VALUE)
            return (int)i;
        if (r->code)
            break;
    }
    return -1;
}

static bool within_tolerance(const rc_cell *a, int64_t sa, const rc_cell *b, int64_t sb)
{
    return a->state == RC_VALUE && b->state == RC_VALUE &&
           rc_agree_in_units(a->value, a->precision, sa, b->value, b->precision, sb);
}

/* Two grand totals printed in different units that agree only read in
 * one unit (9,628.22 in a 元 table, 9,628.22 in a 万元 table): one table's
 * unit line is likely wrong.  Figures of fewer than four significant
 * digits are too likely to agree by chance. */
static bool totals_agree_as_printed(const rc_cell *a, int64_t sa, const rc_cell *b, int64_t sb)
{
    if (sa <= 0 || sb <= 0 || sa == sb || a->state != RC_VALUE || b->state != RC_VALUE)
        return false;
    int64_t ma = a->value.mantissa < 0 ? -a->value.mantissa : a->value.mantissa;
    int64_t mb = b->value.mantissa < 0 ? -b->value.mantissa : b->value.mantissa;
    if (ma < 1000 || mb < 1000)
        return false;
    return rc_agree_in_units(a->value, a->precision, 1, b->value, b->precision, 1);
}

/* The unit check of two tables whose totals agree only as printed: a
 * cross_table identity in a's unit, which rc_check_finish reports as a
 * unit slip of b's figure. */
static void table_unit_slip(rc_doc *doc, rc_table *a, int ra, int ca, rc_table *b, int rb, int cb)
{
    rc_check *c = rc_check_new(doc, "cross_table", a->unit);
    rc_add_cell(c, a, (size_t)ra, (size_t)ca, 0, a->unit_scale);
    rc_add_cell(c, b, (size_t)rb, (size_t)cb, +1, a->unit_scale);
    char zh[1024], en[1024];
    snprintf(zh, sizeof zh, "%s（单位%s）与%s（单位%s）的合计数按所印单位相差%lld倍，而所印数字相同",
             a->name, a->unit, b->name, b->unit,
             (long long)(a->unit_scale > b->unit_scale ? a->unit_scale / b->unit_scale
                                                       : b->unit_scale / a->unit_scale));
    snprintf(en, sizeof en, "%s (unit %s) and %s (unit %s): the totals are printed alike but "
             "differ by the units printed", a->name, a->unit, b->name, b->unit);
    rc_check_finish(c, zh, en);
}

/* Whether two tables cover the same funds: their grand totals (row ra /
 * rb of columns ca / cb) agree once converted.  Totals printed alike in
 * different units are reported as a unit slip and not compared further. */
static bool same_scope(rc_doc *doc, rc_table *a, int ra, int ca, rc_table *b, int rb, int cb)
{
    const rc_cell *xa = rc_cell_at(a, (size_t)ra, (size_t)ca);
    const rc_cell *xb = rc_cell_at(b, (size_t)rb, (size_t)cb);
    if (totals_agree_as_printed(xa, a->unit_scale, xb, b->unit_scale)) {
        table_unit_slip(doc, a, ra, ca, b, rb, cb);
        return false;
    }
    return within_tolerance(xa, a->unit_scale, xb, b->unit_scale);
}

/* A label group with a grand total, and its coded item rows by code: every
 * pair of groups is compared row by row, and finding each row's code in
 * the other group by scanning it was most of this rule's work. */
typedef struct coded_series {
    rc_table *t;
    size_t col;             /* the group's main money column */
    int total;              /* its grand total row */
    size_t first, n;        /* its rows in code_refs */
} coded_series;

typedef struct code_ref {
    uint64_t hash;          /* of the code */
    size_t row;
} code_ref;

static int code_ref_order(const void *pa, const void *pb)
{
    const code_ref *a = pa, *b = pb;
    if (a->hash != b->hash)
        return a->hash < b->hash ? -1 : 1;
    return a->row < b->row ? -1 : a->row > b->row;
}

/* The index in refs of the first row of s whose code has this hash; the
 * rows of one hash follow it in row order. */
static size_t code_start(const code_ref *refs, const coded_series *s, uint64_t hash)
{
    size_t lo = s->first, hi = s->first + s->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (refs[mid].hash < hash)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static void by_code(rc_doc *doc)
{
    size_t cap = 0, rows = 0;
    for (size_t ti = 0; ti < doc->n_tables; ti++) {
        cap += doc->tables[ti].n_cols;
        rows += doc->tables[ti].n_cols * doc->tables[ti].n_row_nos;
    }
    coded_series *ss = malloc((cap ? cap : 1) * sizeof *ss);
    code_ref *refs = malloc((rows ? rows : 1) * sizeof *refs);
    if (!ss || !refs) {
        free(ss);
        free(refs);
        doc->nomem = true;
        return;
    }
    size_t n_ss = 0, n_refs = 0;
    for (size_t ti = 0; ti < doc->n_tables; ti++) {
        rc_table *t = &doc->tables[ti];
        for (size_t g = 0; g < t->n_cols; g++) {
            if (!t->cols[g].is_label)
                continue;
            int col = main_column(t, (int)g);
            int total = col >= 0 ? grand_total_row(t, (size_t)col) : -1;
            if (total < 0)
                continue;
            coded_series *s = &ss[n_ss++];
            *s = (coded_series){t, (size_t)col, total, n_refs, 0};
            for (size_t i = 0; i < t->n_row_nos; i++) {
                const rc_row *r = rc_row_at(t, i, s->col);
                if (r->code && r->role == RC_ITEM)
                    refs[n_refs++] = (code_ref){rc_hash(RC_HASH_START, r->code, strlen(r->code)), i};
            }
            s->n = n_refs - s->first;
            if (s->n)
                qsort(refs + s->first, s->n, sizeof *refs, code_ref_order);
        }
    }
    for (size_t sa = 0; sa < n_ss; sa++) {
        rc_table *a = ss[sa].t;
        size_t ca = ss[sa].col;
        for (size_t sb = sa + 1; sb < n_ss; sb++) {
            const coded_series *b_s = &ss[sb];
            rc_table *b = b_s->t;
            size_t cb = b_s->col;
            if (b == a || !same_scope(doc, a, ss[sa].total, (int)ca, b, b_s->total, (int)cb))
                continue;
            for (size_t i = 0; i < a->n_row_nos; i++) {
                const rc_row *ra = rc_row_at(a, i, ca);
                if (!ra->code || ra->role != RC_ITEM)
                    continue;
                uint64_t h = rc_hash(RC_HASH_START, ra->code, strlen(ra->code));
                for (size_t x = code_start(refs, b_s, h);
                     x < b_s->first + b_s->n && refs[x].hash == h; x++) {
                    size_t k = refs[x].row;
                    const rc_row *rb = rc_row_at(b, k, cb);
                    if (strcmp(ra->code, rb->code) != 0)
                        continue;
                    if (ra->code_inferred && rb->code_inferred)
                        continue;
                    if (rc_cell_at(a, i, ca)->state == RC_BLANK &&
                        rc_cell_at(b, k, cb)->state == RC_BLANK)
                        continue;
                    rc_check *c = rc_check_new(doc, "cross_table", a->unit);
                    rc_add_cell(c, a, i, ca, 0, a->unit_scale);
                    rc_add_cell(c, b, k, cb, +1, a->unit_scale);
                    char zh[1024], en[1024];
                    rc_join(zh, sizeof zh, a->name, "与", b->name, "（合计相同）中科目 ", ra->code,
                            "「", ra->label ? ra->label : "", "」金额一致", NULL);
                    rc_join(en, sizeof en, a->name, " and ", b->name, " (same total): class ",
                            ra->code, " '", ra->label ? ra->label : "", "' has the same amount",
                            NULL);
                    rc_check_finish(c, zh, en);
                    break;
                }
            }
        }
    }
    free(ss);
    free(refs);
}

/* ------------------------------------------------------------------ */
/* named items                                                         */
/* ------------------------------------------------------------------ */

typedef struct mention {
    char key[256];
    const rc_table *t;        /* NULL for a statement */
    size_t row, col;
    const rc_statement *st;
    bp_decimal value;         /* in 元-units of `scale` */
    int precision;
    int64_t scale;
    unsigned quantity;        /* RC_Q_* of the cell or subject: 基本支出 in
                                 基本支出总表 is not 项目支出 in 项目支出总表 */
} mention;

/* Budget categories, not named items: their amount depends on the fund
 * scope of each table. */
static bool generic_category(const char *key)
{
    static const char *const words[] = {"基本支出", "项目支出", "人员经费", "公用经费",
                                        "人员支出", "公用支出", "工资福利支出", "商品和服务支出",
                                        "对个人和家庭的补助", "资本性支出", "其他支出", NULL};
    for (int i = 0; words[i]; i++)
        if (strcmp(key, words[i]) == 0)
            return true;
    return false;
}

static bool project_like(const rc_table *t)
{
    if (rc_has(t->title, "项目") || rc_has(t->title, "绩效") || rc_has(t->title, "任务"))
        return true;
    for (size_t j = 0; j < t->n_cols; j++)
        if (t->cols[j].is_label && (rc_has(t->cols[j].path, "项目名称") ||
                                    rc_has(t->cols[j].path, "项目类别") ||
                                    rc_has(t->cols[j].path, "支出项目") ||
                                    rc_has(t->cols[j].path, "任务名称")))
            return true;
    return false;
}

void rc_item_key(const char *key, char *out, size_t size)
{
    rc_join(out, size, key ? key : "", NULL);
    static const char *const tails[] = {"预算数", "预算", "项目预算", "资金", NULL};
    size_t n = strlen(out);
    for (int i = 0; tails[i]; i++) {
        size_t m = strlen(tails[i]);
        if (n > m + 6 && strcmp(out + n - m, tails[i]) == 0) {
            out[n - m] = '\0';
            break;
        }
    }
}

static bool same_amount(const mention *a, const mention *b)
{
    return rc_agree_in_units(a->value, a->precision, a->scale, b->value, b->precision, b->scale);
}

static void add_mention(rc_check *c, const mention *m, int sign, int64_t scale)
{
    if (m->t)
        rc_add_cell(c, m->t, m->row, m->col, sign, scale);
    else
        rc_add_statement(c, m->st, 0, sign, scale);
}

static const char *where(const mention *m, char *buf, size_t size)
{
    if (m->t)
        snprintf(buf, size, "%s", (m->t)->name);
    else
        snprintf(buf, size, "p%d 文字", m->st->page);
    return buf;
}

static void named_items(rc_doc *doc)
{
    mention *ms = NULL;
    size_t n = 0, cap = 0;
#define PUSH(m)                                                                 \
    do {                                                                        \
        if (n == cap) {                                                         \
            cap = cap ? cap * 2 : 64;                                           \
            mention *nm = realloc(ms, cap * sizeof *nm);                        \
            if (!nm) {                                                          \
                free(ms);                                                       \
                doc->nomem = true;                                              \
                return;                                                         \
            }                                                                   \
            ms = nm;                                                            \
        }                                                                       \
        ms[n++] = (m);                                                          \
    } while (0)
    for (size_t ti = 0; ti < doc->n_tables; ti++) {
        const rc_table *t = &doc->tables[ti];
        if (!project_like(t) || t->unit_scale <= 0)
            continue;
        bool any_label = false;
        for (size_t g = 0; g < t->n_cols; g++)
            any_label = any_label || t->cols[g].is_label;
        /* label groups; a form-like table without label columns is one
         * group labelled by its stored row labels */
        for (int g = any_label ? 0 : -1; g < (int)t->n_cols; g++) {
            if (g >= 0 && !t->cols[g].is_label)
                continue;
            int col = main_column(t, g);
            if (col < 0)
                continue;
            for (size_t i = 0; i < t->n_row_nos; i++) {
                const rc_row *r = rc_row_at(t, i, (size_t)col);
                const rc_cell *cell = rc_cell_at(t, i, (size_t)col);
                if (r->role != RC_ITEM || !r->key || strlen(r->key) < 12 ||
                    cell->state != RC_VALUE || r->code || generic_category(r->key))
                    continue;
                mention m;
                memset(&m, 0, sizeof m);
                rc_item_key(r->key, m.key, sizeof m.key);
                m.t = t;
                m.row = i;
                m.col = (size_t)col;
                m.value = cell->value;
                m.precision = cell->precision;
                m.scale = t->unit_scale;
                m.quantity = rc_cell_quantity(t->title, t->cols[col].path);
                PUSH(m);
            }
        }
    }
    size_t n_table_mentions = n;
    for (size_t si = 0; si < doc->n_statements; si++) {
        const rc_statement *st = &doc->statements[si];
        if (!st->has_value || !st->key || !st->unit)
            continue;
        int64_t scale = st->unit_scale;
        if (scale <= 0)
            continue;
        mention m;
        memset(&m, 0, sizeof m);
        rc_item_key(st->key, m.key, sizeof m.key);
        bool known = false;
        for (size_t k = 0; k < n_table_mentions && !known; k++)
            known = strcmp(ms[k].key, m.key) == 0;
        if (!known)
            continue;
        m.st = st;
        m.quantity = rc_quantity(st->key);
        m.value = st->value;
        m.precision = st->precision;
        m.scale = scale;
        PUSH(m);
    }
#undef PUSH
    bool *done = calloc(n ? n : 1, sizeof *done);
    if (!done) {
        free(ms);
        doc->nomem = true;
        return;
    }
    for (size_t a = 0; a < n; a++) {
        if (done[a])
            continue;
        size_t group[64];
        size_t g = 0;
        for (size_t b = a; b < n && g < 64; b++)
            if (!done[b] && strcmp(ms[b].key, ms[a].key) == 0 &&
                rc_same_quantity(ms[a].quantity, ms[b].quantity, false)) {
                /* one mention per table */
                bool same_table = false;
                for (size_t k = 0; k < g && ms[b].t; k++)
                    same_table = same_table || ms[group[k]].t == ms[b].t;
                done[b] = true;
                if (!same_table)
                    group[g++] = b;
            }
        size_t tables = 0;
        for (size_t k = 0; k < g; k++)
            tables += ms[group[k]].t != NULL;
        if (g < 2 || tables == 0)
            continue;
        /* the figure most mentions agree on */
        size_t best = group[0], best_votes = 0;
        for (size_t k = 0; k < g; k++) {
            size_t votes = 0;
            for (size_t l = 0; l < g; l++)
                votes += same_amount(&ms[group[k]], &ms[group[l]]);
            if (votes > best_votes || (votes == best_votes && ms[group[k]].t && !ms[best].t)) {
                best_votes = votes;
                best = group[k];
            }
        }
        bool tables_agree = true;
        for (size_t k = 0; k < g; k++)
            for (size_t l = 0; l < g; l++)
                if (ms[group[k]].t && ms[group[l]].t && !same_amount(&ms[group[k]], &ms[group[l]]))
                    tables_agree = false;
        const mention *ref = &ms[best];
        int64_t scale = ref->scale;
        const char *unit = ref->t ? ref->t->unit : ref->st->unit;
        if (best_votes == g) {
            /* all agree: one pairwise identity per other mention */
            for (size_t k = 0; k < g; k++) {
                if (group[k] == best)
                    continue;
                rc_check *p = rc_check_new(doc, "cross_table", unit);
                if (!p)
                    break;
                add_mention(p, &ms[group[k]], 0, scale);
                add_mention(p, ref, +1, scale);
                char w1[192], w2[192], zh[1024], en[1024];
                snprintf(zh, sizeof zh, "「%s」在%s与%s的金额一致", ref->key,
                         where(&ms[group[k]], w1, sizeof w1), where(ref, w2, sizeof w2));
                snprintf(en, sizeof en, "'%s' has the same amount in %s and %s", ref->key, w1, w2);
                rc_check_finish(p, zh, en);
            }
            continue;
        }
        for (size_t k = 0; k < g; k++) {
            const mention *m = &ms[group[k]];
            if (same_amount(m, ref))
                continue;
            if (!m->t && !tables_agree)
                continue;   /* the text may restate any of the table figures */
            if ((!m->t || !ref->t) && !rc_same_quantity(m->quantity, ref->quantity, true))
                continue;   /* the text names a wider or other quantity than
                               the table's title or header says */
            rc_check *p = rc_check_new(doc, "cross_table", unit);
            if (!p)
                break;
            add_mention(p, m, 0, scale);
            add_mention(p, ref, +1, scale);
            char w1[192], w2[192], zh[1024], en[1024];
            snprintf(zh, sizeof zh, "「%s」在%s与%s的金额应一致（%zu处中%zu处为后者）", ref->key,
                     where(m, w1, sizeof w1), where(ref, w2, sizeof w2), g, best_votes);
            snprintf(en, sizeof en,
                     "'%s' should have the same amount in %s and %s (%zu of %zu mentions agree with the latter)",
                     ref->key, w1, w2, best_votes, g);
            rc_check_finish(p, zh, en);
        }
    }
    free(done);
    free(ms);
}

/* The label column all money columns of t share, or -2 when they do not
 * (side-by-side tables are compared by code only). */
static int single_label_group(const rc_table *t)
{
    int g = -2;
    for (size_t j = 0; j < t->n_cols; j++) {
        if (!t->cols[j].numeric || t->cols[j].is_percent)
            continue;
        if (g == -2)
            g = t->cols[j].label_col;
        else if (g != t->cols[j].label_col)
            return -2;
    }
    return g;
}

/* Two tables of the same scope (grand totals agree) give the same totals
 * for the columns they share (人员经费支出, 公用经费支出 …). */
static void by_column(rc_doc *doc)
{
    for (size_t ta = 0; ta < doc->n_tables; ta++) {
        rc_table *a = &doc->tables[ta];
        int ga = single_label_group(a);
        int ca = ga == -2 ? -1 : main_column(a, ga);
        int ra = ca >= 0 ? grand_total_row(a, (size_t)ca) : -1;
        if (ra < 0)
            continue;
        for (size_t tb = ta + 1; tb < doc->n_tables; tb++) {
            rc_table *b = &doc->tables[tb];
            int gb = single_label_group(b);
            int cb = gb == -2 ? -1 : main_column(b, gb);
            int rb = cb >= 0 ? grand_total_row(b, (size_t)cb) : -1;
            if (rb < 0 || !same_scope(doc, a, ra, ca, b, rb, cb))
                continue;
            for (size_t j = 0; j < a->n_cols; j++) {
                const rc_column *x = &a->cols[j];
                if (!x->numeric || x->is_percent || !x->key || !x->key[0])
                    continue;
                for (size_t k = 0; k < b->n_cols; k++) {
                    const rc_column *y = &b->cols[k];
                    if (!y->numeric || y->is_percent || !y->key || strcmp(x->key, y->key) != 0)
                        continue;
                    if (rc_cell_at(a, (size_t)ra, j)->state == RC_BLANK &&
                        rc_cell_at(b, (size_t)rb, k)->state == RC_BLANK)
                        break;
                    rc_check *c = rc_check_new(doc, "cross_table", a->unit);
                    rc_add_cell(c, a, (size_t)ra, j, 0, a->unit_scale);
                    rc_add_cell(c, b, (size_t)rb, k, +1, a->unit_scale);
                    char zh[1024], en[1024];
                    snprintf(zh, sizeof zh, "%s与%s（合计相同）的 [%s] 合计数一致", a->name, b->name,
                             x->path);
                    snprintf(en, sizeof en, "%s and %s (same total): the totals of [%s] agree",
                             a->name, b->name, x->path);
                    rc_check_finish(c, zh, en);
                    break;
                }
            }
        }
    }
}

void rc_rules_cross(rc_doc *doc)
{
    by_code(doc);
    by_column(doc);
    named_items(doc);
}
