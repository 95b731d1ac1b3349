/*
 * rules_form.c — rule family 1 for form-like tables (绩效目标表, 绩效自评表):
 * field rows with a 值 column (tables/form.c).  The fund total equals its
 * sources: 资金总额 = 财政拨款 + 上年结转 + 其他资金, per money column
 * (实施期 / 年度 in target forms; 年初预算数 / 全年预算数 / 全年执行数 in
 * self-evaluations).
 *
 * Only clearly identified fields are used: a total (实施期资金总额,
 * 年度资金总额, 项目总金额, 本年度项目金额) and both 财政拨款 and 其他资金
 * rows under the same parent field, each printed once.  Anything else
 * gives no check.
 */
#include "load/reconcile_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { F_NONE = 0, F_PERIOD, F_YEAR, F_GRANT, F_CARRY, F_OTHER };

/* The field a label names: its last " / " segment, folded. */
static int field_kind(const char *label, char *parent, size_t psize)
{
    if (!label)
        return F_NONE;
    const char *last = label, *p;
    for (p = label; (p = strstr(p, " / ")); p += 3)
        last = p + 3;
    size_t plen = (size_t)(last - label);
    if (plen >= psize)
        return F_NONE;
    memcpy(parent, label, plen);
    parent[plen] = '\0';
    char *k = rc_key(last);
    if (!k)
        return F_NONE;
    int kind = F_NONE;
    /* rc_key drops 其中; the colon may remain */
    const char *s = k;
    if (strncmp(s, "：", strlen("：")) == 0)
        s += strlen("：");
    if (!strcmp(s, "实施期资金总额") || !strcmp(s, "项目总金额"))
        kind = F_PERIOD;
    else if (!strcmp(s, "年度资金总额") || !strcmp(s, "本年度项目金额"))
        kind = F_YEAR;
    else if (!strcmp(s, "财政拨款") || !strcmp(s, "财政拨款资金") || !strcmp(s, "当年财政拨款"))
        kind = F_GRANT;
    else if (!strcmp(s, "上年结转资金") || !strcmp(s, "上年结转"))
        kind = F_CARRY;
    else if (!strcmp(s, "其他资金"))
        kind = F_OTHER;
    free(k);
    return kind;
}

static bool is_form(const rc_table *t)
{
    for (size_t j = 0; j < t->n_cols; j++)
        if (t->cols[j].path && strcmp(t->cols[j].path, "值") == 0)
            return true;
    return false;
}

/* A money column of the form: not a score, rate or target column. */
static bool money_column(const rc_column *c)
{
    if (c->is_label || c->is_percent || c->is_code || !c->path)
        return false;
    static const char *const no[] = {"率", "分", "指标", "目标", "备注", "%"};
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
        if (rc_has(c->path, no[i]))
            return false;
    return true;
}

#define MAX_GROUPS 64

/* The money unit a field's label names ("资金金额(万元) / …"), else the
 * table's: the unit's name and 元 per unit (0 when unknown). */
static const char *field_unit(const rc_table *t, const char *label, int64_t *scale)
{
    if (label && (rc_has(label, "(万元)") || rc_has(label, "（万元）"))) {
        *scale = 10000;
        return "万元";
    }
    if (label && (rc_has(label, "(元)") || rc_has(label, "（元）"))) {
        *scale = 1;
        return "元";
    }
    *scale = t->unit_scale;
    return t->unit;
}

/* A figure printed bare: digits, grouping commas, one point. */
static bool bare_figure(const char *s)
{
    if (!s || !*s)
        return false;
    for (; *s; s++)
        if (!((*s >= '0' && *s <= '9') || *s == ',' || *s == '.'))
            return false;
    return true;
}

/* The 指标值 column of a target form: exactly one. */
static int target_column(const rc_table *t)
{
    int found = -1;
    for (size_t j = 0; j < t->n_cols; j++) {
        const char *p = t->cols[j].path;
        if (p && (rc_has(p, "指标值") || rc_has(p, "目标值"))) {
            if (found >= 0)
                return -1;
            found = (int)j;
        }
    }
    return found;
}

static bool cost_row(const rc_table *t, size_t i, size_t vc)
{
    for (size_t j = 0; j < t->n_cols; j++) {
        if (j == vc)
            continue;
        const rc_cell *c = rc_cell_at(t, i, j);
        if (c->text && (strcmp(c->text, "成本指标") == 0 || strcmp(c->text, "成本") == 0))
            return true;
    }
    return false;
}

static bp_decimal half_unit(int precision)
{
    return bp_decimal_make(5, precision + 1);
}

/*
 * 成本指标 figures printed bare in a form whose funds are in 万元: when they
 * add up to the fund total only read as 元, that is a unit slip (unit_slip,
 * mismatch).  When they add up as printed: ok.  Otherwise nothing — cost
 * indicators need not list every cost.
 */
static void cost_indicators(rc_doc *doc, const rc_table *t, size_t vc, int from, int total)
{
    int tc = target_column(t);
    if (tc < 0 || total < 0)
        return;
    const rc_cell *tot = rc_cell_at(t, (size_t)total, vc);
    if (tot->state != RC_VALUE || tot->precision < 0 || tot->value.mantissa <= 0)
        return;
    int64_t scale;
    const char *unit = field_unit(t, rc_row_at(t, (size_t)total, vc)->label, &scale);
    if (scale <= 1)
        return;
    int digits = 0;
    for (int64_t x = scale; x >= 10; x /= 10)
        digits++;
    size_t rows[32], n = 0;
    bp_decimal sum = bp_decimal_make(0, 0), tol_costs = bp_decimal_make(0, 0);
    for (size_t i = 0; i < t->n_row_nos; i++) {
        if ((t->row_table ? t->row_table[i] : t->table_no) != from || !cost_row(t, i, vc))
            continue;
        const rc_cell *c = rc_cell_at(t, i, (size_t)tc);
        if (!c->text || !c->text[0] || c->state == RC_BLANK)
            continue;
        if (c->state != RC_VALUE || !bare_figure(c->text) || c->precision < 0 ||
            c->value.mantissa <= 0 || n == sizeof rows / sizeof rows[0])
            return;   /* a unit printed, or not a figure: not ours to judge */
        if (bp_decimal_add(sum, c->value, &sum, NULL) != BP_OK ||
            bp_decimal_add(tol_costs, half_unit(c->precision), &tol_costs, NULL) != BP_OK)
            return;
        rows[n++] = i;
    }
    if (n < 2)
        return;
    bp_decimal d, ad, tol;
    /* as printed */
    if (bp_decimal_sub(tot->value, sum, &d, NULL) != BP_OK ||
        bp_decimal_add(tol_costs, half_unit(tot->precision), &tol, NULL) != BP_OK)
        return;
    ad = d.mantissa < 0 ? bp_decimal_make(-d.mantissa, d.scale) : d;
    bool as_printed = bp_decimal_cmp(ad, tol) <= 0;
    bool slip = false;
    bp_decimal read_as_yuan = sum;
    if (!as_printed && sum.scale + digits <= BP_DECIMAL_MAX_SCALE &&
        tol_costs.scale + digits <= BP_DECIMAL_MAX_SCALE) {
        read_as_yuan.scale += digits;
        bp_decimal tc2 = tol_costs, d2, t2;
        tc2.scale += digits;
        if (bp_decimal_sub(tot->value, read_as_yuan, &d2, NULL) != BP_OK ||
            bp_decimal_add(tc2, half_unit(tot->precision), &t2, NULL) != BP_OK)
            return;
        if (d2.mantissa < 0)
            d2.mantissa = -d2.mantissa;
        slip = bp_decimal_cmp(d2, t2) <= 0;
    }
    if (!as_printed && !slip)
        return;
    const char *tl = rc_row_at(t, (size_t)total, vc)->label;
    rc_check *chk = rc_check_new(doc, slip ? "unit_slip" : "form_cost", unit);
    rc_add_cell(chk, t, (size_t)total, vc, 0, 0);
    for (size_t k = 0; k < n; k++)
        rc_add_cell(chk, t, rows[k], (size_t)tc, +1, 0);
    char zh[1024], en[1024];
    if (as_printed) {
        snprintf(zh, sizeof zh, "%s %s等于成本指标之和", t->name, tl ? tl : "");
        snprintf(en, sizeof en, "%s: %s equals the sum of the cost indicators", t->name,
                 tl ? tl : "");
        rc_check_finish(chk, zh, en);
        return;
    }
    if (!chk)
        return;
    char ssum[64], sy[64], stot[64];
    rc_format(sum, ssum, sizeof ssum);
    while (read_as_yuan.scale > 0 && read_as_yuan.mantissa % 10 == 0) {
        read_as_yuan.mantissa /= 10;
        read_as_yuan.scale--;
    }
    rc_format(read_as_yuan, sy, sizeof sy);
    rc_format(tot->value, stot, sizeof stot);
    chk->has_numbers = true;
    chk->actual = tot->value;
    chk->expected = sum;
    chk->difference = d;
    chk->tolerance = tol;
    snprintf(zh, sizeof zh,
             "%s %s等于成本指标之和：印%s，成本指标未注单位，合计%s，按元读为%s%s则相符，"
             "疑为单位错误", t->name, tl ? tl : "", stot, ssum, sy, unit ? unit : "");
    snprintf(en, sizeof en,
             "%s: %s equals the sum of the cost indicators: printed %s; the cost indicators, "
             "printed without a unit, add up to %s, which read as 元 is %s %s and fits, "
             "likely a unit error", t->name, tl ? tl : "", stot, ssum, sy, unit ? unit : "");
    rc_check_finish_fixed(chk, RC_MISMATCH, zh, en);
}

static void fund_sources(rc_doc *doc, const rc_table *t)
{
    char parents[MAX_GROUPS][256];
    int origin[MAX_GROUPS];   /* merged continuation tables: one form each */
    int idx[MAX_GROUPS][F_OTHER + 1];   /* row index per kind, -1 none, -2 twice */
    size_t n_groups = 0;
    /* fields are labelled by the stored row: read them from the 值 column */
    size_t vc = 0;
    for (size_t j = 0; j < t->n_cols; j++)
        if (t->cols[j].path && strcmp(t->cols[j].path, "值") == 0) {
            vc = j;
            break;
        }
    for (size_t i = 0; i < t->n_row_nos; i++) {
        char parent[256];
        int kind = field_kind(rc_row_at(t, i, vc)->label, parent, sizeof parent);
        if (kind == F_NONE)
            continue;
        int from = t->row_table ? t->row_table[i] : t->table_no;
        size_t g;
        for (g = 0; g < n_groups; g++)
            if (origin[g] == from && strcmp(parents[g], parent) == 0)
                break;
        if (g == n_groups) {
            if (n_groups == MAX_GROUPS)
                continue;
            snprintf(parents[g], sizeof parents[g], "%s", parent);
            origin[g] = from;
            for (int k = 0; k <= F_OTHER; k++)
                idx[g][k] = -1;
            n_groups++;
        }
        idx[g][kind] = idx[g][kind] == -1 ? (int)i : -2;
    }
    for (size_t g = 0; g < n_groups; g++) {
        int *x = idx[g];
        /* the sources make up the year's total; the period's when that is
         * the only total printed */
        int total = x[F_YEAR] >= 0 ? x[F_YEAR] : x[F_YEAR] == -1 ? x[F_PERIOD] : -1;
        /* cost indicators: one fund total per form (the first group) */
        if (x[F_YEAR] != -2 && x[F_PERIOD] != -2 && (g == 0 || origin[g] != origin[g - 1]))
            cost_indicators(doc, t, vc, origin[g], total);
        /* 资金金额 / 实施期… and 资金金额 / 年度… with one set of sources: whose
         * sources they are is not clear */
        if (parents[g][0] && x[F_YEAR] >= 0 && x[F_PERIOD] >= 0)
            continue;
        if (total < 0 || x[F_GRANT] < 0 || x[F_OTHER] < 0 || x[F_CARRY] == -2)
            continue;
        for (size_t j = 0; j < t->n_cols; j++) {
            if (!money_column(&t->cols[j]))
                continue;
            const rc_cell *tc = rc_cell_at(t, (size_t)total, j);
            if (tc->state != RC_VALUE || (tc->text && strchr(tc->text, '%')))
                continue;
            /* at least one source printed as a figure in this column */
            bool any = false, pct = false;
            for (int k = F_GRANT; k <= F_OTHER; k++) {
                if (x[k] < 0)
                    continue;
                const rc_cell *pc = rc_cell_at(t, (size_t)x[k], j);
                any = any || pc->state == RC_VALUE;
                pct = pct || (pc->text && strchr(pc->text, '%'));
            }
            if (!any || pct)
                continue;
            int64_t scale;
            const char *unit = field_unit(t, rc_row_at(t, (size_t)total, vc)->label, &scale);
            rc_check *chk = rc_check_new(doc, "form_funds", unit);
            rc_add_cell(chk, t, (size_t)total, j, 0, 0);
            for (int k = F_GRANT; k <= F_OTHER; k++)
                if (x[k] >= 0)
                    rc_add_cell(chk, t, (size_t)x[k], j, +1, 0);
            const char *tl = rc_row_at(t, (size_t)total, vc)->label;
            char zh[1024], en[1024];
            snprintf(zh, sizeof zh, "%s [%s] %s等于财政拨款与其他资金之和", t->name,
                     t->cols[j].path, tl ? tl : "");
            snprintf(en, sizeof en, "%s [%s]: %s equals 财政拨款 plus other funds", t->name,
                     t->cols[j].path, tl ? tl : "");
            rc_check_finish(chk, zh, en);
        }
    }
}

void rc_rules_form(rc_doc *doc)
{
    for (size_t ti = 0; ti < doc->n_tables; ti++) {
        const rc_table *t = &doc->tables[ti];
        if (t->n_cols == 0 || !is_form(t))
            continue;
        fund_sources(doc, t);
    }
}
