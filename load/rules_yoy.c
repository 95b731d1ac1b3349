/*
 * rules_yoy.c — rule family 7 where the text prints both amounts of a
 * comparison (rule `yoy_amounts`):
 *
 *   "2025年当年预算执行数为3269.3万元，2026年预算安排3845.49万元，比2025年
 *    预算执行数增加17.62%" / "本年度支出 201,787.57 万元；与 2019 年度支出
 *    17,677.03 万元相比，增加 184,110.54 万元，增加 1,041.52%"
 *
 * A printed change must equal current − previous, a printed percentage
 * (current − previous) ÷ previous, within the rounding of every printed
 * figure; 增加/减少 and 持平 are the signs.  The two amounts are told apart
 * by the year their subjects name (the comparison's base year, 上年 … →
 * previous; the year after it, 本年 … → current).  Both amounts in the
 * comparison's own clause, or one of them in the sentence just before
 * under the same subject (core keys equal), make a pairing that may
 * accuse.  Any other pairing with the sentence before (several figures,
 * other names) can only confirm: the first figure that fits gives ok, none
 * gives no check (the yoy rule still checks change against percentage).
 *
 * A mismatch names the odd figure when the others agree: the current
 * amount is restated by the item's heading sentence just before
 * ("住房公积金（01项）208.8万元。") or by a table line, and either that
 * restatement fits the comparison (the current amount is the odd one) or it
 * confirms the current amount and one single-digit edit of the previous
 * amount fits (43269.3 → 3269.3).  Exact decimals throughout.
 */
#include "load/reconcile_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A printed money figure: value in a unit of `scale` 元. */
typedef struct figure {
    bp_decimal value;
    int precision;
    int64_t scale;
} figure;

typedef enum year_role { YEAR_NONE, YEAR_BASE, YEAR_CURRENT, YEAR_OTHER } year_role;

/* The year a subject is about, against the comparison's base year: the
 * last year (or 本年 / 上年 word) it names.  (The subject as printed: the
 * matching key drops a year in front as if it were a code.) */
static year_role year_of(const char *key, int base)
{
#define YEAR_WORD(w, role) {w, sizeof w - 1, role}
    static const struct {
        const char *word;
        size_t len;
        year_role role;
    } words[] = {YEAR_WORD("上年度", YEAR_BASE),    YEAR_WORD("上一年", YEAR_BASE),
                 YEAR_WORD("上年", YEAR_BASE),      YEAR_WORD("去年", YEAR_BASE),
                 YEAR_WORD("本年度", YEAR_CURRENT), YEAR_WORD("本年", YEAR_CURRENT),
                 YEAR_WORD("今年", YEAR_CURRENT)};
#undef YEAR_WORD
    year_role role = YEAR_NONE;
    if (!key)
        return role;
    for (const char *p = key; *p;) {
        if (p[0] >= '0' && p[0] <= '9') {
            const char *q = p;
            int y = 0;
            while (*q >= '0' && *q <= '9' && q - p < 6)
                y = y * 10 + (*q++ - '0');
            const char *after = q;
            while (*after == ' ')
                after++;
            if (q - p == 4 && strncmp(after, "年", 3) == 0)
                role = y == base ? YEAR_BASE : y == base + 1 ? YEAR_CURRENT : YEAR_OTHER;
            while (*q >= '0' && *q <= '9')
                q++;
            p = q;
            continue;
        }
        size_t k = 0;
        for (; k < sizeof words / sizeof words[0]; k++)
            if (p[0] == words[k].word[0] && strncmp(p, words[k].word, words[k].len) == 0)
                break;
        if (k < sizeof words / sizeof words[0]) {
            role = words[k].role;
            p += words[k].len;
        } else {
            p++;
        }
    }
    return role;
}

static bool money(const rc_statement *st, figure *f)
{
    int64_t scale = st->has_value ? st->unit_scale : 0;
    if (scale <= 0)
        return false;
    if (f)
        *f = (figure){st->value, st->precision, scale};
    return true;
}

static bool same_text(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

/* The run [*first, *last] of statements printed in the sentence of si. */
static void sentence_run(const rc_doc *doc, size_t si, size_t *first, size_t *last)
{
    const char *s = doc->statements[si].sentence;
    size_t a = si, b = si;
    while (a > 0 && same_text(doc->statements[a - 1].sentence, s))
        a--;
    while (b + 1 < doc->n_statements && same_text(doc->statements[b + 1].sentence, s))
        b++;
    *first = a;
    *last = b;
}

static bool compares(const rc_statement *st)
{
    return st->has_change || st->has_percent;
}

/* 持平 / 与上年一致: a change of exactly zero, no rounding bound. */
static bool flat(const rc_statement *cmp)
{
    return cmp->has_change && cmp->change.mantissa == 0 && cmp->sentence &&
           (rc_has(cmp->sentence, "持平") || rc_has(cmp->sentence, "一致") ||
            rc_has(cmp->sentence, "相等") || rc_has(cmp->sentence, "不变"));
}

/* ------------------------------------------------------------------ */
/* judging one pairing                                                 */
/* ------------------------------------------------------------------ */

typedef struct judgement {
    bool has_change, has_percent, percent_judged;
    rc_status change_status;
    bp_decimal change_expected, change_difference, change_tolerance;
    rc_percent_judgement percent;
    int64_t unit_scale;   /* the check unit of the change: the smallest */
} judgement;

static bp_decimal trimmed(__int128 m, int scale)
{
    while (scale > 0 && m % 10 == 0) {
        m /= 10;
        scale--;
    }
    if (m > INT64_MAX || m < -INT64_MAX)
        return bp_decimal_make(0, 0);
    return bp_decimal_make((int64_t)m, scale);
}

/* The change and percentage of cmp against current cur and previous prev. */
static bool judge(const rc_statement *cmp, figure cur, figure prev, judgement *j)
{
    memset(j, 0, sizeof *j);
    figure ch = {cmp->change, cmp->change_precision, 0};
    if (cmp->has_change && (ch.scale = cmp->unit_scale) <= 0)
        return false;
    int64_t unit = cur.scale < prev.scale ? cur.scale : prev.scale;
    if (cmp->has_change && ch.scale < unit)
        unit = ch.scale;
    int s = 0;
    const figure *all[] = {&cur, &prev, cmp->has_change ? &ch : NULL};
    for (int k = 0; k < 3; k++)
        if (all[k]) {
            if (all[k]->value.scale > s)
                s = all[k]->value.scale;
            if (all[k]->precision + 1 > s)
                s = all[k]->precision + 1;
        }
    if (s > 12)
        return false;
    __int128 v[3] = {0, 0, 0}, h[3] = {0, 0, 0};
    for (int k = 0; k < 3; k++)
        if (all[k]) {
            __int128 ratio = all[k]->scale / unit;
            v[k] = rc_at_scale(all[k]->value, s) * ratio;
            h[k] = rc_at_scale(bp_decimal_half_ulp(all[k]->precision), s) * ratio;
        }
    if (cmp->has_change && flat(cmp))
        h[2] = 0;
    j->unit_scale = unit;
    if (cmp->has_change) {
        j->has_change = true;
        __int128 diff = v[2] - (v[0] - v[1]), tol = h[0] + h[1] + h[2];
        __int128 ad = diff < 0 ? -diff : diff;
        j->change_status = diff == 0 ? RC_OK : ad <= tol ? RC_ROUNDING : RC_MISMATCH;
        j->change_expected = trimmed(v[0] - v[1], s);
        j->change_difference = trimmed(diff, s);
        j->change_tolerance = trimmed(tol, s);
    }
    if (cmp->has_percent) {
        j->has_percent = true;
        const __int128 corners[4][2] = {
            {(v[0] - h[0]) - (v[1] - h[1]), v[1] - h[1]}, {(v[0] - h[0]) - (v[1] + h[1]), v[1] + h[1]},
            {(v[0] + h[0]) - (v[1] - h[1]), v[1] - h[1]}, {(v[0] + h[0]) - (v[1] + h[1]), v[1] + h[1]}};
        j->percent_judged = rc_judge_percent(v[0] - v[1], v[1], corners, 4, cmp->percent,
                                             cmp->percent_precision, &j->percent);
    }
    return true;
}

/* Every printed comparison agrees (base zero: the change alone decides). */
static bool fits(const judgement *j)
{
    if (j->has_change && j->change_status == RC_MISMATCH)
        return false;
    if (j->has_percent && j->percent_judged && j->percent.status == RC_MISMATCH)
        return false;
    return j->has_change || (j->has_percent && j->percent_judged);
}

static bool fits_with(const rc_statement *cmp, figure cur, figure prev)
{
    judgement j;
    return judge(cmp, cur, prev, &j) && fits(&j);
}

/* What a subject names once its years (2026年, 2019 年度, 本年, 上年 …),
 * a leading 与/较/比 and the generic words around an amount (预算, 执行数
 * …) are dropped: "2021年会议费预算" → 会议费; "2026年预算" → "" (generic). */
static void subject_core(const rc_statement *st, char *out, size_t size)
{
    static const char *const years[] = {"本年度", "上年度", "本年", "上年", "当年", "今年",
                                        "去年", "年度", NULL};
    char buf[512];
    size_t o = 0;
    for (const char *p = st->subject ? st->subject : ""; *p && o + 1 < sizeof buf;) {
        if (*p == ' ') {
            p++;
            continue;
        }
        if (p[0] >= '0' && p[0] <= '9') {
            const char *q = p;
            while (*q >= '0' && *q <= '9')
                q++;
            const char *r = q;
            while (*r == ' ')
                r++;
            if (q - p == 4 && strncmp(r, "年", 3) == 0) {
                p = r + 3;
                if (strncmp(p, "度", 3) == 0)
                    p += 3;
                continue;
            }
        }
        size_t k = 0;
        for (; years[k]; k++)
            if (strncmp(p, years[k], strlen(years[k])) == 0)
                break;
        if (years[k]) {
            p += strlen(years[k]);
            continue;
        }
        buf[o++] = *p++;
    }
    buf[o] = '\0';
    const char *b = buf;
    static const char *const heads[] = {"与", "较", "比", "同", NULL};
    for (int i = 0; heads[i]; i++)
        if (strncmp(b, heads[i], strlen(heads[i])) == 0)
            b += strlen(heads[i]);
    rc_core_key(b, out, size);
    static const char *const generic[] = {"安排", "预算安排", NULL};
    for (int i = 0; generic[i]; i++)
        if (strcmp(out, generic[i]) == 0)
            out[0] = '\0';
}

static bool same_core(const rc_statement *a, const rc_statement *b)
{
    char ka[256], kb[256];
    subject_core(a, ka, sizeof ka);
    subject_core(b, kb, sizeof kb);
    return ka[0] && strcmp(ka, kb) == 0;
}

/* ------------------------------------------------------------------ */
/* the odd figure out                                                  */
/* ------------------------------------------------------------------ */

/* A restatement of the current amount: the heading sentence's figure, or
 * a table line. */
typedef struct witness {
    figure f;
    char what_zh[256], what_en[256];
} witness;

static void format_figure(figure f, char *buf, size_t size)
{
    rc_format(f.value, buf, size);
}

static const char *unit_of_scale(int64_t scale)
{
    return scale == 1 ? "元" : scale == 1000 ? "千元" : scale == 10000 ? "万元"
           : scale == 100000000 ? "亿元" : "";
}

/* Table lines restating st, appended to w (at most max in all). */
static size_t table_witnesses(const rc_doc *doc, const rc_statement *st, witness *w, size_t n,
                              size_t max)
{
    rc_cell_ref cells[16];
    size_t nc = rc_restating_cells(doc, st, cells, 16);
    for (size_t k = 0; k < nc && n < max; k++) {
        const rc_cell *c = rc_cell_at(cells[k].t, cells[k].row, cells[k].col);
        if (c->state != RC_VALUE || cells[k].t->unit_scale <= 0)
            continue;
        witness *x = &w[n++];
        x->f = (figure){c->value, c->precision, cells[k].t->unit_scale};
        snprintf(x->what_zh, sizeof x->what_zh, "%s第%d页「%s」%s", cells[k].t->name, c->page,
                 c->text, unit_of_scale(x->f.scale));
        snprintf(x->what_en, sizeof x->what_en, "%s p%d '%s' %s", cells[k].t->name, c->page,
                 c->text, unit_of_scale(x->f.scale));
    }
    return n;
}

/* The heading sentence just before the comparison states the item's
 * amount (its one money figure) when the current amount's subject is
 * generic ("2026年预算"); table lines restate it or the current amount. */
static size_t witnesses(const rc_doc *doc, const rc_statement *cur, const rc_statement *head,
                        witness *w, size_t max)
{
    size_t n = 0;
    char core[256];
    subject_core(cur, core, sizeof core);
    if (core[0])
        n = table_witnesses(doc, cur, w, n, max);
    else if (head && n < max) {
        money(head, &w[n].f);
        snprintf(w[n].what_zh, sizeof w[n].what_zh, "第%d页「%s」", head->page, head->text);
        snprintf(w[n].what_en, sizeof w[n].what_en, "p%d '%s'", head->page, head->text);
        n++;
        n = table_witnesses(doc, head, w, n, max);
    }
    return n;
}

/* The witnesses that state f, joined for a message. */
static void agreeing(const witness *w, size_t n, figure f, char *zh, size_t zsize, char *en,
                     size_t esize)
{
    size_t oz = 0, oe = 0;
    zh[0] = en[0] = '\0';
    for (size_t k = 0, shown = 0; k < n && shown < 3; k++) {
        if (!rc_agree_in_units(w[k].f.value, w[k].f.precision, w[k].f.scale, f.value,
                               f.precision, f.scale))
            continue;
        if (oz < zsize)
            oz += (size_t)snprintf(zh + oz, zsize - oz, "%s%s", shown ? "、" : "", w[k].what_zh);
        if (oe < esize)
            oe += (size_t)snprintf(en + oe, esize - oe, "%s%s", shown ? ", " : "", w[k].what_en);
        shown++;
    }
}

/* The one value, with the same printed decimals, that a single-digit
 * edit of f (a digit dropped, added, changed, or two swapped) gives and
 * that fits; false when none or several do. */
static bool one_digit_fix(const rc_statement *cmp, figure cur, figure prev, figure *fix)
{
    char digits[32];
    int64_t m = prev.value.mantissa;
    if (m <= 0 || snprintf(digits, sizeof digits, "%lld", (long long)m) >= 20)
        return false;
    size_t len = strlen(digits);
    int found = 0;
    int64_t found_m = 0;
    char cand[40];
    for (int op = 0; op < 4; op++)
        for (size_t i = 0; i <= len; i++)
            for (char d = '0'; d <= '9'; d++) {
                size_t o = 0;
                if (op == 0) {          /* drop digit i */
                    if (i == len || d != '0')
                        continue;
                    for (size_t k = 0; k < len; k++)
                        if (k != i)
                            cand[o++] = digits[k];
                } else if (op == 1) {   /* add d before position i */
                    for (size_t k = 0; k <= len; k++) {
                        if (k == i)
                            cand[o++] = d;
                        if (k < len)
                            cand[o++] = digits[k];
                    }
                } else if (op == 2) {   /* change digit i to d */
                    if (i == len || digits[i] == d)
                        continue;
                    memcpy(cand, digits, len);
                    cand[i] = d;
                    o = len;
                } else {                /* swap i and i + 1 */
                    if (i + 1 >= len || d != '0' || digits[i] == digits[i + 1])
                        continue;
                    memcpy(cand, digits, len);
                    cand[i] = digits[i + 1];
                    cand[i + 1] = digits[i];
                    o = len;
                }
                cand[o] = '\0';
                /* no leading zero before the decimal point */
                if (o == 0 || (cand[0] == '0' && o > (size_t)prev.value.scale + 1))
                    continue;
                int64_t cm = strtoll(cand, NULL, 10);
                if (cm <= 0 || cm == m || (found && cm == found_m))
                    continue;
                figure alt = prev;
                alt.value = bp_decimal_make(cm, prev.value.scale);
                if (fits_with(cmp, cur, alt)) {
                    if (found)
                        return false;   /* two readings fit: no telling */
                    found = 1;
                    found_m = cm;
                }
            }
    if (!found)
        return false;
    *fix = prev;
    fix->value = bp_decimal_make(found_m, prev.value.scale);
    return true;
}

/* Why a strong pairing fails, in words, when the document says which
 * figure is off; "" when it does not. */
static void explain(const rc_doc *doc, const rc_statement *cmp, const rc_statement *cur_st,
                    const rc_statement *prev_st, const rc_statement *head, const judgement *j,
                    char *zh, size_t zsize, char *en, size_t esize)
{
    zh[0] = en[0] = '\0';
    figure cur, prev;
    money(cur_st, &cur);
    money(prev_st, &prev);
    char sc[64], sp[64], sx[64];
    format_figure(cur, sc, sizeof sc);
    format_figure(prev, sp, sizeof sp);
    /* the direction word: the printed change or rate fits with its sign
     * turned */
    rc_statement flipped = *cmp;
    bp_decimal_neg(cmp->change, &flipped.change, NULL);
    bp_decimal_neg(cmp->percent, &flipped.percent, NULL);
    bool change_off = cmp->has_change && cmp->change.mantissa != 0 &&
                      j->change_status == RC_MISMATCH;
    bool pct_off = cmp->has_percent && cmp->percent.mantissa != 0 && j->percent_judged &&
                   j->percent.status == RC_MISMATCH;
    if ((change_off || pct_off) && fits_with(&flipped, cur, prev)) {
        bool up = (cmp->has_percent ? cmp->percent.mantissa : cmp->change.mantissa) > 0;
        snprintf(zh, zsize, "；增减方向有误：本年%s%s上年%s，而文字称%s", sc,
                 bp_decimal_cmp(cur.value, prev.value) < 0 ? "低于" : "高于", sp,
                 up ? "增加/增长" : "减少/下降");
        snprintf(en, esize, "; the direction word is wrong: %s is %s than %s but the text says %s",
                 sc, up ? "lower" : "higher", sp, up ? "increase" : "decrease");
        return;
    }
    witness w[12];
    size_t nw = witnesses(doc, cur_st, head, w, 12);
    const witness *confirm = NULL, *alt = NULL;
    for (size_t k = 0; k < nw; k++) {
        if (rc_agree_in_units(w[k].f.value, w[k].f.precision, w[k].f.scale, cur.value,
                              cur.precision, cur.scale)) {
            if (!confirm)
                confirm = &w[k];
        } else if (!alt && fits_with(cmp, w[k].f, prev)) {
            alt = &w[k];
        }
    }
    char what_zh[96], what_en[96], num[64];
    rc_format(cmp->has_percent ? cmp->percent : cmp->change, num, sizeof num);
    snprintf(what_zh, sizeof what_zh, "%s%s%s", cmp->has_percent ? "增幅" : "增减额", num,
             cmp->has_percent ? "%" : cmp->unit ? cmp->unit : "");
    snprintf(what_en, sizeof what_en, "%s%s", num,
             cmp->has_percent ? "%" : cmp->unit ? cmp->unit : "");
    char by_zh[600], by_en[600];
    if (alt && !confirm) {
        format_figure(alt->f, sx, sizeof sx);
        agreeing(w, nw, alt->f, by_zh, sizeof by_zh, by_en, sizeof by_en);
        snprintf(zh, zsize, "；本年数%s与%s及上年数%s不符，也与%s不符；按%s则相符", sc, what_zh, sp,
                 by_zh, sx);
        snprintf(en, esize, "; %s disagrees with %s and the %s base, and with %s; %s would agree",
                 sc, what_en, sp, by_en, sx);
        return;
    }
    figure fix;
    if (confirm && one_digit_fix(cmp, cur, prev, &fix)) {
        format_figure(fix, sx, sizeof sx);
        agreeing(w, nw, cur, by_zh, sizeof by_zh, by_en, sizeof by_en);
        snprintf(zh, zsize, "；上年数%s与%s及本年数%s（%s同）不符；按%s则相符", sp, what_zh, sc,
                 by_zh, sx);
        snprintf(en, esize, "; %s disagrees with %s and %s (also %s); %s would agree", sp, what_en,
                 sc, by_en, sx);
        return;
    }
    if (j->has_change && j->has_percent && j->percent_judged) {
        bool ch_ok = j->change_status != RC_MISMATCH, pc_ok = j->percent.status != RC_MISMATCH;
        if (ch_ok != pc_ok) {
            snprintf(zh, zsize, "；本年数、上年数与%s相符，%s不符", ch_ok ? "增减额" : "增幅",
                     ch_ok ? "增幅" : "增减额");
            snprintf(en, esize, "; the amounts agree with %s, not with %s",
                     ch_ok ? "the change" : "the rate", ch_ok ? "the rate" : "the change");
        }
    }
}

/* ------------------------------------------------------------------ */
/* writing the checks                                                  */
/* ------------------------------------------------------------------ */

static void add_amounts(rc_check *c, const rc_statement *cur, const rc_statement *prev,
                        int64_t scale)
{
    rc_add_statement(c, cur, 0, +1, scale);
    rc_add_statement(c, prev, 0, -1, scale);
}

/* The printed comparison figure as the stated operand (sign 0). */
static void add_printed(rc_doc *doc, rc_check *c, const rc_statement *cmp, bool percent,
                        int64_t scale)
{
    size_t at = c ? c->n_ops : 0;
    rc_add_statement(c, cmp, 0, 0, scale);
    if (!c || c->n_ops != at + 1)
        return;
    rc_operand *o = &c->ops[at];
    char num[64], text[96];
    rc_format(percent ? cmp->percent : cmp->change, num, sizeof num);
    snprintf(text, sizeof text, "%s%s", num, percent ? "%" : cmp->unit ? cmp->unit : "");
    o->text = g_string_chunk_insert(doc->strings, text);
    o->usable = true;
    o->blank = false;
    if (percent) {
        o->value = cmp->percent;
        o->precision = cmp->percent_precision;
        o->scale = 0;
        return;
    }
    /* the change, in the check's unit */
    int64_t from = cmp->unit_scale;
    o->value = cmp->change;
    o->precision = cmp->change_precision;
    o->scale = from;
    if (from > scale && scale > 0)
        bp_decimal_mul_int(cmp->change, from / scale, &o->value, NULL);
}

static void emit(rc_doc *doc, const rc_statement *cmp, const rc_statement *cur,
                 const rc_statement *prev, const rc_statement *head, bool strong)
{
    figure fc, fp;
    money(cur, &fc);
    money(prev, &fp);
    judgement j;
    if (!judge(cmp, fc, fp, &j))
        return;
    if (!strong && !fits(&j))
        return;   /* a loose pairing only confirms */
    char why_zh[1024] = "", why_en[1024] = "";
    if (strong && !fits(&j))
        explain(doc, cmp, cur, prev, head, &j, why_zh, sizeof why_zh, why_en, sizeof why_en);
    char sc[64], sp[64], sa[64], se[64];
    rc_format(fc.value, sc, sizeof sc);
    rc_format(fp.value, sp, sizeof sp);
    const char *cs = cur->subject ? cur->subject : "", *ps = prev->subject ? prev->subject : "";
    char zh[4096], en[4096];
    if (j.has_change) {
        const char *unit = unit_of_scale(j.unit_scale);
        rc_check *c = rc_check_new(doc, "yoy_amounts", unit);
        if (!c)
            return;
        add_printed(doc, c, cmp, false, j.unit_scale);
        add_amounts(c, cur, prev, j.unit_scale);
        c->has_numbers = true;
        c->actual = cmp->change;
        if (c->n_ops)
            c->actual = c->ops[0].value;
        c->expected = j.change_expected;
        c->difference = j.change_difference;
        c->tolerance = j.change_tolerance;
        rc_format(c->actual, sa, sizeof sa);
        rc_format(j.change_expected, se, sizeof se);
        const char *verdict = j.change_status == RC_OK ? "一致"
                              : j.change_status == RC_ROUNDING ? "尾数误差" : "不一致";
        snprintf(zh, sizeof zh, "p%d 文字「%s」%s与「%s」%s：印增减%s%s，两数之差%s%s（%s）%s",
                 cmp->page, cs, sc, ps, sp, sa, unit, se, unit, verdict,
                 j.has_percent ? "" : why_zh);
        snprintf(en, sizeof en, "p%d text '%s' %s against '%s' %s: printed change %s %s, the "
                 "amounts differ by %s %s (%s)%s",
                 cmp->page, cs, sc, ps, sp, sa, unit, se, unit, rc_status_name(j.change_status),
                 j.has_percent ? "" : why_en);
        rc_check_finish_fixed(c, j.change_status, zh, en);
    }
    if (j.has_percent) {
        rc_check *c = rc_check_new(doc, "yoy_amounts", "%");
        if (!c)
            return;
        add_printed(doc, c, cmp, true, 0);
        add_amounts(c, cur, prev, 0);
        rc_format(cmp->percent, sa, sizeof sa);
        if (!j.percent_judged) {
            snprintf(zh, sizeof zh, "p%d 文字「%s」%s与「%s」%s：印增幅%s%%，上年数为零或近零，"
                     "增幅无从计算（无法核对）", cmp->page, cs, sc, ps, sp, sa);
            snprintf(en, sizeof en, "p%d text '%s' %s against '%s' %s: printed %s%%, the previous "
                     "amount is zero or near it (unverifiable)", cmp->page, cs, sc, ps, sp, sa);
            rc_check_finish_fixed(c, RC_UNVERIFIABLE, zh, en);
            return;
        }
        c->has_numbers = true;
        c->actual = cmp->percent;
        c->expected = j.percent.center;
        c->difference = j.percent.difference;
        c->tolerance = j.percent.tolerance;
        rc_format(j.percent.center, se, sizeof se);
        rc_status status = j.percent.status;
        const char *verdict = status == RC_OK ? "一致" : status == RC_ROUNDING ? "尾数误差" : "不一致";
        snprintf(zh, sizeof zh, "p%d 文字「%s」%s与「%s」%s：印增幅%s%%，按(%s−%s)÷%s应为%s%%（%s）%s",
                 cmp->page, cs, sc, ps, sp, sa, sc, sp, sp, se, verdict, why_zh);
        snprintf(en, sizeof en, "p%d text '%s' %s against '%s' %s: printed %s%%; (%s-%s)/%s gives "
                 "%s%% (%s)%s", cmp->page, cs, sc, ps, sp, sa, sc, sp, sp, se,
                 rc_status_name(status), why_en);
        rc_check_finish_fixed(c, status, zh, en);
    }
}

/* ------------------------------------------------------------------ */
/* pairing                                                             */
/* ------------------------------------------------------------------ */

/* "与2019年度支出…相比": the year right after 与/较/比/同 at the start. */
static int stated_base_year(const char *key)
{
    static const char *const heads[] = {"与", "较", "比", "同", NULL};
    for (int i = 0; key && heads[i]; i++) {
        size_t n = strlen(heads[i]);
        if (strncmp(key, heads[i], n) == 0) {
            const char *p = key + n;
            while (*p == ' ')
                p++;
            int y = 0, d = 0;
            while (p[d] >= '0' && p[d] <= '9' && d < 5)
                y = y * 10 + (p[d++] - '0');
            while (p[d] == ' ')
                d++;
            if (y >= 1000 && y <= 9999 && strncmp(p + d, "年", 3) == 0)
                return y;
        }
    }
    return 0;
}

typedef struct roles {
    size_t cur[8], prev[8];
    size_t n_cur, n_prev;
} roles;

static void collect(const rc_doc *doc, size_t from, size_t to, int base, roles *r)
{
    memset(r, 0, sizeof *r);
    for (size_t k = from; k <= to; k++) {
        const rc_statement *x = &doc->statements[k];
        if (!money(x, NULL))
            continue;
        year_role y = year_of(x->subject, base);
        if (y == YEAR_CURRENT && r->n_cur < 8)
            r->cur[r->n_cur++] = k;
        else if (y == YEAR_BASE && r->n_prev < 8)
            r->prev[r->n_prev++] = k;
    }
}

/* Of candidates, the one whose subject's core equals other's, or
 * SIZE_MAX when not exactly one. */
static size_t named_like(const rc_doc *doc, const size_t *cands, size_t n, const rc_statement *other)
{
    size_t hit = SIZE_MAX;
    for (size_t k = 0; k < n; k++)
        if (same_core(&doc->statements[cands[k]], other)) {
            if (hit != SIZE_MAX)
                return SIZE_MAX;
            hit = cands[k];
        }
    return hit;
}

/* Loose pairing: the first candidate (non-zero) that fits. */
static void confirm_any(rc_doc *doc, const rc_statement *cmp, const size_t *cands, size_t n,
                        const rc_statement *fixed, bool cands_are_current)
{
    if (fixed->value.mantissa == 0)
        return;
    for (size_t k = 0; k < n; k++) {
        const rc_statement *x = &doc->statements[cands[k]];
        figure fx, ff;
        if (!money(x, &fx) || !money(fixed, &ff) || x->value.mantissa == 0)
            continue;
        if (cands_are_current ? fits_with(cmp, fx, ff) : fits_with(cmp, ff, fx)) {
            emit(doc, cmp, cands_are_current ? x : fixed, cands_are_current ? fixed : x, NULL,
                 false);
            return;
        }
    }
}

void rc_rules_yoy_amounts(rc_doc *doc)
{
    for (size_t ci = 0; ci < doc->n_statements; ci++) {
        const rc_statement *cmp = &doc->statements[ci];
        if (!compares(cmp))
            continue;
        size_t first, last;
        sentence_run(doc, ci, &first, &last);
        /* the comparison's clause: after the previous comparison */
        size_t seg = first;
        for (size_t k = first; k < ci; k++)
            if (compares(&doc->statements[k]))
                seg = k + 1;
        int base = cmp->base_year;
        for (size_t k = seg; k <= ci && base == 0; k++)
            base = stated_base_year(doc->statements[k].subject);
        if (base == 0 && doc->fiscal_year > 0)
            base = doc->fiscal_year - 1;
        if (base == 0)
            continue;
        roles in;
        collect(doc, seg, ci, base, &in);
        /* the sentence before, on this page or the one before */
        roles before = {0};
        const rc_statement *head = NULL;
        size_t pfirst = 0, plast = 0;
        bool has_before = false;
        if (first > 0 && doc->statements[first - 1].page >= cmp->page - 1) {
            sentence_run(doc, first - 1, &pfirst, &plast);
            has_before = true;
            collect(doc, pfirst, plast, base, &before);
            size_t n_money = 0;
            for (size_t k = pfirst; k <= plast; k++)
                if (money(&doc->statements[k], NULL)) {
                    n_money++;
                    head = &doc->statements[k];
                }
            if (n_money != 1 || before.n_prev > 0 || before.n_cur > 0)
                head = NULL;   /* a heading states the item's amount alone */
        }
        if (in.n_prev > 1)
            continue;
        if (in.n_prev == 1 && in.n_cur > 0) {
            const rc_statement *prev = &doc->statements[in.prev[0]];
            size_t cur = in.n_cur == 1 ? in.cur[0] : named_like(doc, in.cur, in.n_cur, prev);
            if (cur != SIZE_MAX)
                emit(doc, cmp, &doc->statements[cur], prev, head, true);
            else
                confirm_any(doc, cmp, in.cur, in.n_cur, prev, true);
            continue;
        }
        if (!has_before)
            continue;
        if (in.n_prev == 1) {
            /* the current amount in the sentence before */
            const rc_statement *prev = &doc->statements[in.prev[0]];
            size_t cur = before.n_cur == 1 && same_core(&doc->statements[before.cur[0]], prev)
                             ? before.cur[0] : SIZE_MAX;
            if (cur != SIZE_MAX) {
                emit(doc, cmp, &doc->statements[cur], prev, NULL, true);
                continue;
            }
            /* loosely: a figure of the current year, else one naming no year */
            size_t checks_before = doc->n_checks;
            confirm_any(doc, cmp, before.cur, before.n_cur, prev, true);
            size_t others[8], n = 0;
            for (size_t k = pfirst; k <= plast && n < 8; k++)
                if (money(&doc->statements[k], NULL) &&
                    year_of(doc->statements[k].subject, base) == YEAR_NONE)
                    others[n++] = k;
            if (doc->n_checks == checks_before)
                confirm_any(doc, cmp, others, n, prev, true);
        } else if (in.n_cur == 1) {
            /* the previous amount in the sentence before */
            const rc_statement *cur = &doc->statements[in.cur[0]];
            size_t prev = before.n_prev == 1 && same_core(&doc->statements[before.prev[0]], cur)
                              ? before.prev[0] : SIZE_MAX;
            if (prev != SIZE_MAX)
                emit(doc, cmp, cur, &doc->statements[prev], NULL, true);
            else
                confirm_any(doc, cmp, before.prev, before.n_prev, cur, false);
        }
    }
}
