/*
 * number.c — the number grammar: one figure from a table cell
 * (bp_number_parse) or every figure in running text (bp_number_scan).
 *
 * Both work on the width-folded code points of the input (normalize_int.h)
 * and report spans in the bytes as printed.  A figure is
 *
 *     [bound] [currency] core [余|多] [unit] [±tolerance] [以上|以内|左右]
 *     core  := [-] arabic | ( arabic ) | chinese-numeral | mixed | range
 *     mixed := arabic 亿|億 arabic 万|萬 arabic 千 … 元   (descending units)
 *     range := arabic (-|~|至|到) arabic
 *
 * Arabic numbers are digits with optional 3-digit grouping by commas (and,
 * in a cell, by single spaces: "1 172.35") and a fraction; the mantissa is
 * accumulated exactly in int64 and overflow is an error, never a wrap.
 * The unit decides the kind: money units give AMOUNT, % PERCENT, a measure
 * word COUNT, nothing BARE.  What only looks numeric — dates, years,
 * document numbers, table names, ordinal headings, 十四五 — is rejected
 * in a cell (with a reason) and skipped in running text.  This file does
 * not know table context: whether 2080505 is a code is the table's call.
 */
#include "normalize/normalize.h"
#include "normalize/normalize_int.h"

#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* Lexical helpers over folded code points                              */
/* ------------------------------------------------------------------ */

typedef struct cursor {
    const uint32_t *c;
    size_t n;
    bool cell; /* whole-cell mode: stricter, allows space grouping */
} cursor;

static uint32_t at(const cursor *cu, size_t i)
{
    return i < cu->n ? cu->c[i] : 0;
}

static size_t skip_spaces(const cursor *cu, size_t i)
{
    while (i < cu->n && bp_is_space(cu->c[i]))
        i++;
    return i;
}

/* The first byte of cp's UTF-8 encoding. */
static unsigned char utf8_lead(uint32_t cp)
{
    return cp < 0x80      ? (unsigned char)cp
           : cp < 0x800   ? (unsigned char)(0xC0 | cp >> 6)
           : cp < 0x10000 ? (unsigned char)(0xE0 | cp >> 12)
                          : (unsigned char)(0xF0 | cp >> 18);
}

/* Lead bytes of the characters bp_fold_width maps to another (U+00A0,
 * U+2002…U+2267, U+3000, U+FE63, U+FF01…U+FFE5): a word beginning with
 * one may match a character with other bytes. */
static bool folds(unsigned char lead)
{
    return lead == 0xC2 || lead == 0xE2 || lead == 0xE3 || lead == 0xEF;
}

/* Whether a word whose first byte is `first` may start at a character
 * whose UTF-8 encoding begins with `lead`.  Most words fail on their first
 * character, and that is told from the first bytes alone. */
static bool first_byte_fits(unsigned char lead, unsigned char first)
{
    return first == lead || folds(first);
}

/* Does the UTF-8 literal `word` (folded like the input) start at i?  On a
 * match *end is the index after it.  No filter: see first_byte_fits. */
static bool match_word(const cursor *cu, size_t i, const char *word, size_t *end)
{
    size_t len = strlen(word), k = 0;
    while (k < len) {
        if (i >= cu->n)
            return false; /* at() is 0 past the end: no character of a word */
        uint32_t cp;
        k += bp_utf8_decode(word + k, len - k, &cp);
        if (at(cu, i) != bp_fold_width(cp))
            return false;
        i++;
    }
    if (end != NULL)
        *end = i;
    return true;
}

/* match_word behind the first-byte filter. */
static bool match(const cursor *cu, size_t i, const char *word, size_t *end)
{
    return i < cu->n && first_byte_fits(utf8_lead(cu->c[i]), (unsigned char)word[0]) &&
           match_word(cu, i, word, end);
}

/* First word of the NULL-terminated list matching at i (longest first is
 * the caller's ordering); returns its index or -1.  The character at i is
 * encoded once for the whole list, and a word that cannot fold must begin
 * with exactly its bytes: CJK characters share a few lead bytes. */
static int match_any(const cursor *cu, size_t i, const char *const *words, size_t *end)
{
    if (i >= cu->n)
        return -1;
    char enc[4];
    size_t n_enc = bp_utf8_encode(cu->c[i], enc);
    for (int w = 0; words[w] != NULL; w++) {
        const char *word = words[w];
        if (!first_byte_fits((unsigned char)enc[0], (unsigned char)word[0]))
            continue;
        bool first_char_fits = true;
        if (!folds((unsigned char)word[0]))
            for (size_t b = 1; b < n_enc && first_char_fits; b++)
                first_char_fits = word[b] == enc[b]; /* false too where the word ends */
        if (first_char_fits && match_word(cu, i, word, end))
            return w;
    }
    return -1;
}

/* ------------------------------------------------------------------ */
/* Numbers                                                              */
/* ------------------------------------------------------------------ */

typedef struct numtok {
    size_t start, end;
    int64_t mantissa;
    int32_t scale;
} numtok;

enum { READ_NONE = 0, READ_OK = 1, READ_BAD = -1 };

static bool push_digit(numtok *t, uint32_t d)
{
    return !__builtin_mul_overflow(t->mantissa, 10, &t->mantissa) &&
           !__builtin_add_overflow(t->mantissa, (int64_t)(d - '0'), &t->mantissa);
}

static size_t count_digits(const cursor *cu, size_t i)
{
    size_t k = 0;
    while (bp_is_digit(at(cu, i + k)))
        k++;
    return k;
}

/* Reads an unsigned Arabic number at i.  READ_NONE when no digit is
 * there, READ_BAD with *why on malformed grouping or overflow. */
static int read_arabic(const cursor *cu, size_t i, numtok *t, const char **why)
{
    memset(t, 0, sizeof *t);
    t->start = i;
    size_t first = count_digits(cu, i);
    if (first == 0)
        return READ_NONE;
    for (size_t k = 0; k < first; k++)
        if (!push_digit(t, cu->c[i + k])) {
            *why = "number too long";
            return READ_BAD;
        }
    i += first;
    size_t group_len = first;
    bool grouped = false;
    for (;;) {
        uint32_t sep = at(cu, i);
        if (sep != ',' && !(cu->cell && sep == ' '))
            break;
        size_t g = count_digits(cu, i + 1);
        if (g == 0)
            break; /* a comma of prose, or the space before a unit */
        if (g != 3 || (!grouped && group_len > 3)) {
            if (cu->cell && sep == ',') {
                *why = "bad digit grouping";
                return READ_BAD;
            }
            break; /* "2021,2022" in prose is two numbers */
        }
        for (size_t k = 0; k < 3; k++)
            if (!push_digit(t, cu->c[i + 1 + k])) {
                *why = "number too long";
                return READ_BAD;
            }
        grouped = true;
        group_len = 3;
        i += 4;
    }
    if (at(cu, i) == '.' && bp_is_digit(at(cu, i + 1))) {
        i++;
        while (bp_is_digit(at(cu, i))) {
            if (++t->scale > BP_DECIMAL_MAX_SCALE || !push_digit(t, cu->c[i])) {
                *why = "number too long";
                return READ_BAD;
            }
            i++;
        }
        if (at(cu, i) == ',' && cu->cell && bp_is_digit(at(cu, i + 1))) {
            *why = "bad digit grouping";
            return READ_BAD;
        }
    } else if (at(cu, i) == '.' && cu->cell && skip_spaces(cu, i + 1) >= cu->n) {
        *why = "dangling decimal point";
        return READ_BAD;
    }
    t->end = i;
    return READ_OK;
}

static int chinese_digit(uint32_t c)
{
    switch (c) {
    case 0x96F6: case 0x3007: return 0;          /* 零 〇 */
    case 0x4E00: return 1;                       /* 一 */
    case 0x4E8C: case 0x4E24: return 2;          /* 二 两 */
    case 0x4E09: return 3;                       /* 三 */
    case 0x56DB: return 4;                       /* 四 */
    case 0x4E94: return 5;                       /* 五 */
    case 0x516D: return 6;                       /* 六 */
    case 0x4E03: return 7;                       /* 七 */
    case 0x516B: return 8;                       /* 八 */
    case 0x4E5D: return 9;                       /* 九 */
    default: return -1;
    }
}

static int64_t chinese_unit(uint32_t c)
{
    switch (c) {
    case 0x5341: return 10;        /* 十 */
    case 0x767E: return 100;       /* 百 */
    case 0x5343: return 1000;      /* 千 */
    default: return 0;
    }
}

static bool is_chinese_numeral(uint32_t c)
{
    return chinese_digit(c) >= 0 || chinese_unit(c) > 0;
}

/* Reads a Chinese numeral below 万 (一, 十二, 三百零五, 两千).  Two digits in
 * a row without a unit between them (十四五) make it a name: READ_BAD. */
static int read_chinese(const cursor *cu, size_t i, numtok *t)
{
    memset(t, 0, sizeof *t);
    t->start = i;
    int64_t total = 0, pending = -1;
    int64_t last_unit = 100000;
    bool any = false;
    for (; i < cu->n; i++) {
        uint32_t c = cu->c[i];
        int d = chinese_digit(c);
        int64_t u = chinese_unit(c);
        if (d >= 0) {
            if (pending >= 0 && d != 0 && pending != 0)
                return READ_BAD;
            pending = d;
        } else if (u > 0) {
            if (u >= last_unit)
                return READ_BAD;
            total += (pending < 0 ? 1 : pending) * u;
            pending = -1;
            last_unit = u;
        } else {
            break;
        }
        any = true;
    }
    if (!any)
        return READ_NONE;
    if (pending > 0)
        total += pending;
    t->mantissa = total;
    t->end = i;
    return READ_OK;
}

/* ------------------------------------------------------------------ */
/* Units                                                                */
/* ------------------------------------------------------------------ */

typedef struct money_unit {
    const char *word;
    int64_t yuan;
    const char *currency;
} money_unit;

static const money_unit money_units[] = {
    {"新臺幣千元", 1000, "TWD"}, {"新台币千元", 1000, "TWD"},
    {"新臺幣元", 1, "TWD"},      {"新台币元", 1, "TWD"},
    {"百万元", 1000000, "CNY"},  {"亿元", 100000000, "CNY"},
    {"億元", 100000000, "CNY"},  {"万元", 10000, "CNY"},
    {"萬元", 10000, "CNY"},      {"千元", 1000, "CNY"},
    {"元", 1, "CNY"},            {NULL, 0, NULL}};

/* Measure words, longer ones first where one is a prefix of another. */
static const char *const measure_words[] = {
    "个百分点", "百分点", "台(套)", "台/套", "人次", "户次", "家次", "批次",
    "个工作日", "个月", "工作日", "小时", "分钟", "课时", "学时", "平方米", "公里",
    "万人次", "人", "个", "项", "次", "宗", "条", "页", "单", "家", "件", "台",
    "套", "辆", "所", "名", "户", "轮", "批", "份", "张", "册", "本", "篇",
    "场", "期", "天", "周", "吨", "亩", "座", "间", "部", "笔", "例", "床",
    "支", "门", "种", "类", "处", "位", "棵", "株", "米", "台次", "块", "根",
    "版", "TB", "GB", "MB", "KB", "km", NULL};

static const char *const not_measure_words[] = {
    "个人", "个体", "本年", "本级", "本期", "本部", "本单位", "本次", "本市",
    "部分", "部门", "项目", "门诊", "处理", "期末", "期初", "期间", "场所",
    "家庭", "所属", "所有", "位于", "台账", "条件", "条例", "种类", "类型",
    "批准", "批复", "份额", "名称", "名单", "户籍", "单位", "页面", "期限",
    "次年", "天然", "件事", "张贴", NULL};

static const char *const magnitudes[] = {"亿", "億", "万", "萬", NULL};
static const int64_t magnitude_value[] = {100000000, 100000000, 10000, 10000};

/* Calendar words: a number followed by one of these is a date or time. */
static const char *const date_words[] = {"年", "月", "日", "号", "時", "时", NULL};

typedef struct unit_match {
    size_t start, end;      /* span of the unit, empty when none */
    bp_number_kind kind;
    int64_t yuan;
    const char *currency;
} unit_match;

static bool match_measure(const cursor *cu, size_t i, size_t *end)
{
    if (match_any(cu, i, measure_words, end) < 0)
        return false;
    /* words that start with a measure word but are not one
     * (30310 个人农业生产补贴, 201,787.57 本年支出合计) */
    if (match_any(cu, i, not_measure_words, NULL) >= 0)
        return false;
    /* "TB" must not run on into a word */
    return !bp_is_ascii_alpha(at(cu, *end));
}

/* Reads the unit that follows a number at i (spaces allowed before it). */
static void read_unit(const cursor *cu, size_t i, unit_match *u)
{
    memset(u, 0, sizeof *u);
    u->kind = BP_NUMBER_BARE;
    size_t j = skip_spaces(cu, i), end;
    u->start = u->end = i;
    if (j >= cu->n)
        return; /* the figure ends the text (most table cells): no unit */
    for (const money_unit *m = money_units; m->word != NULL; m++)
        if (match(cu, j, m->word, &end)) {
            *u = (unit_match){j, end, BP_NUMBER_AMOUNT, m->yuan, m->currency};
            return;
        }
    if (at(cu, j) == '%' || at(cu, j) == 0x2030 /* ‰ */) {
        *u = (unit_match){j, j + 1, BP_NUMBER_PERCENT, 0, NULL};
        return;
    }
    if (match_measure(cu, j, &end)) {
        *u = (unit_match){j, end, BP_NUMBER_COUNT, 0, NULL};
        return;
    }
    int mag = match_any(cu, j, magnitudes, &end);
    if (mag >= 0) {
        size_t k = end;
        if (at(cu, k) == 0x4F59 /* 余 */ || at(cu, k) == 0x591A /* 多 */)
            k++;
        size_t mend;
        if (match_measure(cu, k, &mend)) {
            *u = (unit_match){j, mend, BP_NUMBER_COUNT, 0, NULL};
            return;
        }
        *u = (unit_match){j, end, BP_NUMBER_AMOUNT, magnitude_value[mag], "CNY"};
    }
}

int64_t bp_number_unit_scale(const char *unit, char currency[4])
{
    if (currency != NULL)
        currency[0] = '\0';
    if (unit == NULL)
        return 0;
    bp_cpbuf buf;
    if (bp_cpbuf_decode(unit, strlen(unit), true, &buf, NULL) != BP_OK)
        return 0;
    cursor cu = {buf.cps, buf.n, true};
    size_t i = skip_spaces(&cu, 0);
    /* accept "单位：万元" */
    size_t end;
    if (match(&cu, i, "单位", &end) || match(&cu, i, "單位", &end)) {
        i = skip_spaces(&cu, end);
        if (at(&cu, i) == 0xFF1A || at(&cu, i) == ':')
            i = skip_spaces(&cu, i + 1);
    }
    if (at(&cu, i) == '(')
        i = skip_spaces(&cu, i + 1);
    int64_t scale = 0;
    for (const money_unit *m = money_units; m->word != NULL; m++)
        if (match(&cu, i, m->word, &end)) {
            size_t k = skip_spaces(&cu, end);
            if (at(&cu, k) == ')')
                k = skip_spaces(&cu, k + 1);
            if (k == cu.n) {
                scale = m->yuan;
                if (currency != NULL)
                    memcpy(currency, m->currency, 4);
            }
            break;
        }
    bp_cpbuf_free(&buf);
    return scale;
}

/* ------------------------------------------------------------------ */
/* Figures                                                              */
/* ------------------------------------------------------------------ */

static const char *const at_least_words[] = {">=", "≥", "不低于", "不少于", "不小于", "至少", NULL};
static const char *const at_most_words[] = {"<=", "≤", "不超过", "不高于", "不多于", "最多", NULL};
static const char *const more_than_words[] = {">", "超过", "大于", "高于", "多于", NULL};
static const char *const less_than_words[] = {"<", "低于", "小于", "少于", "不足", NULL};
static const char *const about_words[] = {"大约", "约", NULL};
static const char *const currency_words[] = {"新臺幣", "新台币", "人民币", "¥", "￥", NULL};
static const char *const range_words[] = {"-", "~", "～", "至", "到", "—", NULL};

typedef struct figure {
    size_t start, end;      /* code point span */
    bp_number_kind kind;
    bp_decimal value;
    bool parens;
    size_t unit_start, unit_end;
    int64_t yuan;
    const char *currency;
    bp_number_bound bound;
    bool has_low, has_high;
    bp_decimal low, high;
    bool calendar;          /* followed by 年/月/日/号: not a figure */
} figure;

static int read_prefix_bound(const cursor *cu, size_t i, size_t *end,
                             bp_number_bound *bound)
{
    static const struct {
        const char *const *words;
        bp_number_bound bound;
    } families[] = {{at_least_words, BP_BOUND_AT_LEAST},
                    {at_most_words, BP_BOUND_AT_MOST},
                    {more_than_words, BP_BOUND_MORE_THAN},
                    {less_than_words, BP_BOUND_LESS_THAN},
                    {about_words, BP_BOUND_ABOUT}};
    for (size_t f = 0; f < sizeof families / sizeof families[0]; f++)
        if (match_any(cu, i, families[f].words, end) >= 0) {
            *bound = families[f].bound;
            return 1;
        }
    return 0;
}

/* Mixed units: after `first` (already read) comes 亿/万/千 and another
 * number.  Fills fig and returns READ_OK, READ_NONE when this is not a
 * mixed form, READ_BAD with *why when it starts like one but is broken. */
static int read_mixed(const cursor *cu, const numtok *first, figure *fig,
                      const char **why)
{
    static const char *const steps[] = {"亿", "億", "万", "萬", "千", NULL};
    static const int64_t step_value[] = {100000000, 100000000, 10000, 10000, 1000};
    numtok num = *first;
    int64_t prev_mult = INT64_MAX, total = 0; /* in units of prev_mult */
    size_t unit_start = 0, unit_end = 0;
    int n_parts = 0;
    for (;;) {
        size_t j = skip_spaces(cu, num.end), end;
        int s = match_any(cu, j, steps, &end);
        int64_t mult;
        bool ends_in_yuan;
        if (s >= 0) {
            mult = step_value[s];
            ends_in_yuan = match(cu, end, "元", &end);
        } else if (n_parts > 0 && match(cu, j, "元", &end)) {
            mult = 1;
            ends_in_yuan = true;
        } else {
            return READ_NONE;
        }
        if (mult >= prev_mult) {
            if (n_parts == 0)
                return READ_NONE;
            *why = "bad mixed-unit amount";
            return READ_BAD;
        }
        int64_t scale_up = 1;
        for (int32_t k = 0; k < num.scale; k++)
            scale_up *= 10;
        if ((n_parts > 0 && __builtin_mul_overflow(total, prev_mult / mult, &total)) ||
            __builtin_mul_overflow(total, scale_up, &total) ||
            __builtin_add_overflow(total, num.mantissa, &total)) {
            *why = "number too long";
            return READ_BAD;
        }
        n_parts++;
        prev_mult = mult;
        unit_start = j;
        unit_end = end;
        if (ends_in_yuan || num.scale > 0)
            break; /* only the last part may carry decimals */
        numtok next;
        int r = read_arabic(cu, skip_spaces(cu, end), &next, why);
        if (r == READ_BAD)
            return READ_BAD;
        size_t nj = skip_spaces(cu, next.end);
        if (r == READ_NONE ||
            (match_any(cu, nj, steps, NULL) < 0 && !match(cu, nj, "元", NULL)))
            break;
        num = next;
    }
    if (n_parts < 2)
        return READ_NONE;
    fig->kind = BP_NUMBER_AMOUNT;
    fig->value = bp_decimal_make(total, num.scale);
    fig->unit_start = unit_start;
    fig->unit_end = unit_end;
    fig->yuan = prev_mult;
    if (fig->currency == NULL)
        fig->currency = "CNY";
    fig->end = unit_end;
    return READ_OK;
}

/* tolerance after "±": absolute (37±3) or relative (10942 宗±10%). */
static int read_tolerance(const cursor *cu, size_t i, bool relative_ok, figure *fig,
                          const char **why)
{
    size_t j = skip_spaces(cu, i);
    if (at(cu, j) != 0xB1 /* ± */)
        return READ_NONE;
    numtok tol;
    int r = read_arabic(cu, skip_spaces(cu, j + 1), &tol, why);
    if (r != READ_OK)
        return r == READ_BAD ? READ_BAD : READ_NONE;
    bp_decimal delta = bp_decimal_make(tol.mantissa, tol.scale);
    size_t end = tol.end;
    size_t k = skip_spaces(cu, end);
    if (at(cu, k) == '%' && relative_ok) {
        int64_t m;
        int32_t s = fig->value.scale + tol.scale + 2;
        if (s > BP_DECIMAL_MAX_SCALE ||
            __builtin_mul_overflow(fig->value.mantissa, tol.mantissa, &m)) {
            *why = "number too long";
            return READ_BAD;
        }
        delta = bp_decimal_make(m, s);
        end = k + 1;
    }
    if (bp_decimal_sub(fig->value, delta, &fig->low, NULL) != BP_OK ||
        bp_decimal_add(fig->value, delta, &fig->high, NULL) != BP_OK) {
        *why = "number too long";
        return READ_BAD;
    }
    fig->has_low = fig->has_high = true;
    fig->bound = BP_BOUND_RANGE;
    fig->end = end;
    return READ_OK;
}

static void apply_unit(figure *fig, const unit_match *u)
{
    fig->kind = u->kind;
    fig->unit_start = u->start;
    fig->unit_end = u->end;
    fig->yuan = u->yuan;
    if (u->kind == BP_NUMBER_AMOUNT && fig->currency == NULL)
        fig->currency = u->currency;
    if (u->end > u->start)
        fig->end = u->end;
}

/* 2019-04-01, 2019/4/1, 2019.04.01: a year, a separator, a month, the
 * same separator, a day.  On a match *end moves past the day. */
static bool is_numeric_date(const cursor *cu, const numtok *num, size_t *end)
{
    size_t i = num->start, k = count_digits(cu, i);
    if (k != 4)
        return false;
    uint32_t sep = at(cu, i + 4);
    if (sep != '-' && sep != '/' && sep != '.')
        return false;
    size_t m = count_digits(cu, i + 5);
    if (m < 1 || m > 2 || at(cu, i + 5 + m) != sep)
        return false;
    size_t d = count_digits(cu, i + 6 + m);
    if (d < 1 || d > 2)
        return false;
    *end = i + 6 + m + d;
    return true;
}

/* Reads one figure starting at i.  READ_NONE: nothing numeric here. */
static int read_figure(const cursor *cu, size_t i, figure *fig, const char **why)
{
    memset(fig, 0, sizeof *fig);
    fig->start = i;
    size_t j = i, end;
    if (read_prefix_bound(cu, j, &end, &fig->bound))
        j = skip_spaces(cu, end);
    int cur = match_any(cu, j, currency_words, &end);
    if (cur >= 0) {
        fig->currency = cur <= 1 ? "TWD" : "CNY";
        j = skip_spaces(cu, end);
    }
    bool negative = false;
    if (at(cu, j) == '-' && bp_is_digit(at(cu, j + 1))) {
        negative = true;
        j++;
    } else if (at(cu, j) == '(' && bp_is_digit(at(cu, skip_spaces(cu, j + 1)))) {
        fig->parens = true;
        j = skip_spaces(cu, j + 1);
    }
    numtok num;
    int r = read_arabic(cu, j, &num, why);
    bool chinese = false;
    if (r == READ_NONE && !fig->parens && !negative) {
        r = read_chinese(cu, j, &num);
        if (r == READ_BAD) {
            *why = "not a figure: name with Chinese numerals";
            return READ_BAD;
        }
        chinese = r == READ_OK;
    }
    if (r != READ_OK)
        return r;
    fig->value = bp_decimal_make(num.mantissa, num.scale);
    fig->end = num.end;
    fig->kind = BP_NUMBER_BARE;
    if (!chinese && is_numeric_date(cu, &num, &fig->end)) {
        fig->calendar = true;
        return READ_OK;
    }

    if (fig->parens) {
        size_t k = skip_spaces(cu, num.end);
        if (at(cu, k) != ')') {
            if (cu->cell) {
                *why = "unbalanced parenthesis";
                return READ_BAD;
            }
            return READ_NONE;
        }
        fig->end = k + 1;
        negative = true;
    }
    if (negative)
        fig->value.mantissa = -fig->value.mantissa;

    if (!chinese && !fig->parens) {
        r = read_mixed(cu, &num, fig, why);
        if (r == READ_BAD)
            return READ_BAD;
        if (r == READ_OK) {
            if (negative)
                fig->value.mantissa = -fig->value.mantissa;
            return READ_OK;
        }
    }
    /* a range a-b / a~b / a至b */
    size_t k = skip_spaces(cu, fig->end);
    int rw = fig->parens || chinese ? -1 : match_any(cu, k, range_words, &end);
    if (rw >= 0) {
        numtok hi;
        const char *ignored = NULL;
        if (read_arabic(cu, skip_spaces(cu, end), &hi, &ignored) == READ_OK) {
            fig->low = fig->value;
            fig->high = bp_decimal_make(hi.mantissa, hi.scale);
            fig->has_low = fig->has_high = true;
            fig->bound = BP_BOUND_RANGE;
            fig->end = hi.end;
        }
    }
    /* 37±3 次: tolerance before the unit */
    r = read_tolerance(cu, fig->end, false, fig, why);
    if (r == READ_BAD)
        return READ_BAD;
    k = fig->end;
    size_t about_end = skip_spaces(cu, k);
    if (at(cu, about_end) == 0x4F59 /* 余 */ || at(cu, about_end) == 0x591A /* 多 */) {
        unit_match probe;
        read_unit(cu, about_end + 1, &probe);
        if (probe.end > probe.start) {
            fig->bound = BP_BOUND_ABOUT;
            k = about_end + 1;
        }
    }
    unit_match u;
    read_unit(cu, k, &u);
    if (chinese && u.end == u.start)
        return READ_NONE; /* a Chinese numeral counts only with a unit */
    if (match_any(cu, skip_spaces(cu, fig->end), date_words, NULL) >= 0 &&
        u.end == u.start)
        fig->calendar = true;
    apply_unit(fig, &u);
    if (fig->bound != BP_BOUND_RANGE) {
        r = read_tolerance(cu, fig->end, true, fig, why);
        if (r == READ_BAD)
            return READ_BAD;
    }
    k = skip_spaces(cu, fig->end);
    if (match(cu, k, "以上", &end)) {
        fig->bound = BP_BOUND_AT_LEAST;
        fig->end = end;
    } else if (match(cu, k, "以内", &end) || match(cu, k, "以下", &end)) {
        fig->bound = BP_BOUND_AT_MOST;
        fig->end = end;
    } else if (match(cu, k, "左右", &end)) {
        fig->bound = BP_BOUND_ABOUT;
        fig->end = end;
    }
    if (fig->bound == BP_BOUND_AT_LEAST || fig->bound == BP_BOUND_MORE_THAN) {
        fig->has_low = true;
        fig->low = fig->value;
    } else if (fig->bound == BP_BOUND_AT_MOST || fig->bound == BP_BOUND_LESS_THAN) {
        fig->has_high = true;
        fig->high = fig->value;
    }
    return READ_OK;
}

/* ------------------------------------------------------------------ */
/* Building bp_number                                                   */
/* ------------------------------------------------------------------ */

static void copy_span(char *dst, size_t cap, const char *src, size_t len, bool *truncated)
{
    size_t n = len;
    if (n > cap - 1) {
        n = cap - 1;
        while (n > 0 && ((unsigned char)src[n] & 0xC0) == 0x80)
            n--;
        if (truncated != NULL)
            *truncated = true;
    }
    memcpy(dst, src, n);
    dst[n] = '\0';
}

static void fill_number(const char *text, const bp_cpbuf *buf, const figure *fig,
                        bp_number *out)
{
    memset(out, 0, sizeof *out);
    out->offset = buf->off[fig->start];
    out->length = buf->off[fig->end] - out->offset;
    copy_span(out->text, sizeof out->text, text + out->offset, out->length,
              &out->text_truncated);
    out->kind = fig->kind;
    out->value = fig->value;
    out->precision = fig->value.scale;
    out->negative_parens = fig->parens;
    if (fig->unit_end > fig->unit_start) {
        size_t a = buf->off[fig->unit_start], b = buf->off[fig->unit_end];
        copy_span(out->unit, sizeof out->unit, text + a, b - a, NULL);
    }
    if (fig->kind == BP_NUMBER_AMOUNT) {
        out->yuan_per_unit = fig->yuan;
        memcpy(out->currency, fig->currency ? fig->currency : "CNY", 4);
    }
    out->bound = fig->bound;
    out->has_low = fig->has_low;
    out->has_high = fig->has_high;
    out->low = fig->low;
    out->high = fig->high;
}

static void fill_marker(const char *text, const bp_cpbuf *buf, size_t start,
                        size_t end, bp_number_kind kind, bp_number *out)
{
    figure fig;
    memset(&fig, 0, sizeof fig);
    fig.start = start;
    fig.end = end;
    fig.kind = kind;
    fill_number(text, buf, &fig, out);
}

/* ------------------------------------------------------------------ */
/* Cells                                                                */
/* ------------------------------------------------------------------ */

static const char *const no_value_markers[] = {
    "-", "—", "——", "–", "/", "\\", "无", "不适用", "…", "……", "·", "*", "_",
    "x", "X", "×", NULL};

static bool is_whole(const cursor *cu, size_t i, size_t j, const char *const *words)
{
    size_t end;
    for (int w = 0; words[w] != NULL; w++)
        if (match(cu, i, words[w], &end) && end == j)
            return true;
    return false;
}

static bool contains(const cursor *cu, size_t i, size_t j, const char *word)
{
    size_t end;
    for (size_t k = i; k < j; k++)
        if (match(cu, k, word, &end) && end <= j)
            return true;
    return false;
}

/* "--", "增长--", "增长--（基数为 0，不可比）", "不可比": the cell says the
 * comparison has no value, not that the figure is missing. */
static bool is_not_comparable(const cursor *cu, size_t i, size_t j)
{
    static const char *const change_words[] = {"增长", "下降", "增加", "减少", "增减", NULL};
    size_t end;
    if (match(cu, i, "不可比", &end) && end == j)
        return true;
    if (match_any(cu, i, change_words, &end) >= 0)
        i = skip_spaces(cu, end);
    size_t k = i;
    while (k < j && (cu->c[k] == '-' || cu->c[k] == 0x2014 || cu->c[k] == ' '))
        k++;
    if (k == i || is_whole(cu, i, k, no_value_markers))
        return false;
    k = skip_spaces(cu, k);
    if (k == j)
        return true;
    return cu->c[k] == '(' && cu->c[j - 1] == ')' && contains(cu, k, j, "不可比");
}

/* Why a cell holding something other than a figure is not one. */
static const char *classify_non_figure(const cursor *cu, size_t i, size_t j)
{
    if (contains(cu, i, j, "〔") || contains(cu, i, j, "号"))
        return "not a figure: document number";
    if (match(cu, i, "表", NULL) || match(cu, i, "第", NULL))
        return "not a figure: label";
    for (size_t k = i; k < j; k++)
        if (bp_is_digit(cu->c[k]) || is_chinese_numeral(cu->c[k]))
            return "not a figure: text before number";
    return "not a figure: no number";
}

/* Checks the arguments of the two entry points and decodes the text
 * (len (size_t)-1 means NUL-terminated). */
static bp_status decode_input(const char *text, size_t *len, bool have_out,
                              bp_cpbuf *buf, bp_error *err)
{
    if (text == NULL || !have_out)
        return bp_error_set(err, BP_ERR_USAGE, 0, "number parser: NULL argument");
    if (*len == (size_t)-1)
        *len = strlen(text);
    return bp_cpbuf_decode(text, *len, true, buf, err);
}

bp_status bp_number_parse(const char *text, size_t len, bp_number *out, bp_error *err)
{
    if (out != NULL)
        memset(out, 0, sizeof *out);
    bp_cpbuf buf;
    bp_status st = decode_input(text, &len, out != NULL, &buf, err);
    if (st != BP_OK)
        return st;
    cursor cu = {buf.cps, buf.n, true};
    size_t i = skip_spaces(&cu, 0), j = buf.n;
    while (j > i && bp_is_space(buf.cps[j - 1]))
        j--;
    cu.n = j; /* the cell ends at its last non-space */
    const char *why = NULL;
    figure fig;
    if (i == j) {
        fill_marker(text, &buf, i, j, BP_NUMBER_NO_VALUE, out);
    } else if (is_whole(&cu, i, j, no_value_markers)) {
        fill_marker(text, &buf, i, j, BP_NUMBER_NO_VALUE, out);
    } else if (is_not_comparable(&cu, i, j)) {
        fill_marker(text, &buf, i, j, BP_NUMBER_NOT_COMPARABLE, out);
    } else {
        int r = read_figure(&cu, i, &fig, &why);
        if (r == READ_NONE)
            why = classify_non_figure(&cu, i, j);
        else if (r == READ_OK && fig.calendar)
            why = match_any(&cu, skip_spaces(&cu, fig.end), date_words, NULL) == 3
                      ? "not a figure: document number"
                      : "not a figure: date";
        else if (r == READ_OK && skip_spaces(&cu, fig.end) != j)
            why = "not a figure: text after number";
        if (why == NULL)
            fill_number(text, &buf, &fig, out);
    }
    bp_cpbuf_free(&buf);
    if (why != NULL) {
        memset(out, 0, sizeof *out);
        return bp_error_set(err, BP_ERR_FORMAT, 0, "%s: \"%.*s\"", why,
                            (int)(len > 200 ? 200 : len), text);
    }
    return BP_OK;
}

/* ------------------------------------------------------------------ */
/* Running text                                                         */
/* ------------------------------------------------------------------ */

static bool list_push(bp_number_list *list, const bp_number *num)
{
    if (list->count == list->capacity) {
        size_t cap = list->capacity ? list->capacity * 2 : 8;
        bp_number *p = realloc(list->items, cap * sizeof *p);
        if (p == NULL)
            return false;
        list->items = p;
        list->capacity = cap;
    }
    list->items[list->count++] = *num;
    return true;
}

void bp_number_list_free(bp_number_list *list)
{
    if (list == NULL)
        return;
    free(list->items);
    memset(list, 0, sizeof *list);
}

/* First characters of the bound and currency words: a cheap filter so
 * that scanning prose does not try every word list at every character. */
static bool may_start_word(uint32_t c)
{
    switch (c) {
    case '>': case '<': case 0x2265: case 0x2264: case 0x4E0D: case 0x81F3:
    case 0x6700: case 0x8D85: case 0x5927: case 0x9AD8: case 0x591A: case 0x4F4E:
    case 0x5C0F: case 0x5C11: case 0x7EA6: case 0x65B0: case 0x4EBA: case 0xA5:
    case 0xFFE5:
        return true;
    default:
        return false;
    }
}

static bool starts_figure(const cursor *cu, size_t i)
{
    uint32_t c = at(cu, i), prev = i > 0 ? cu->c[i - 1] : ' ';
    if (bp_is_digit(prev) || bp_is_ascii_alpha(prev) || prev == '.' ||
        (prev == ',' && bp_is_digit(at(cu, i))))
        return false;
    if (bp_is_digit(c))
        return true;
    if (c == '-')
        return bp_is_digit(at(cu, i + 1));
    if (is_chinese_numeral(c))
        return !is_chinese_numeral(prev) && prev != 0x7B2C /* 第 */;
    if (!may_start_word(c))
        return false;
    size_t end;
    bp_number_bound b;
    return read_prefix_bound(cu, i, &end, &b) ||
           match_any(cu, i, currency_words, &end) >= 0;
}

/* Is the figure at [s, e) a name, date or heading in prose? */
static bool prose_skip(const cursor *cu, const figure *fig)
{
    size_t s = fig->start, e = fig->end;
    uint32_t prev = s > 0 ? cu->c[s - 1] : ' ';
    if (fig->calendar)
        return true;
    size_t p = s;
    while (p > 0 && bp_is_space(cu->c[p - 1]))
        p--;
    if (p > 0 && (cu->c[p - 1] == 0x8868 /* 表 */ || cu->c[p - 1] == 0x7B2C /* 第 */))
        return true;
    if (prev == 0x8868 /* 表 */ || prev == 0x7B2C /* 第 */ || prev == 0x3014 /* 〔 */ ||
        prev == '[' || prev == 0x3010 /* 【 */)
        return true;
    uint32_t next = at(cu, e);
    if (bp_is_ascii_alpha(next) || bp_is_digit(next))
        return true;
    if (fig->kind == BP_NUMBER_BARE && fig->bound == BP_BOUND_EXACT) {
        if (next == 0x3001 /* 、 */ || (next == '.' && !bp_is_digit(at(cu, e + 1))))
            return true;               /* 1、 2. headings */
        if (prev == '(' && next == ')')
            return true;               /* (1) */
        if (next == 0x3015 /* 〕 */ || next == ']')
            return true;
    }
    return false;
}

bp_status bp_number_scan(const char *text, size_t len, bp_number_list *out,
                         bp_error *err)
{
    bp_cpbuf buf;
    bp_status st = decode_input(text, &len, out != NULL, &buf, err);
    if (st != BP_OK)
        return st;
    cursor cu = {buf.cps, buf.n, false};
    size_t i = 0;
    while (i < buf.n) {
        size_t end;
        /* 增长--（基数为 0，不可比） */
        if ((buf.cps[i] == '-' || buf.cps[i] == 0x2014 /* — */) &&
            (match(&cu, i, "--", &end) || match(&cu, i, "——", &end))) {
            size_t e = end;
            while (at(&cu, e) == '-' || at(&cu, e) == 0x2014)
                e++;
            size_t k = skip_spaces(&cu, e);
            if (at(&cu, k) == '(') {
                size_t close = k;
                while (close < buf.n && close < k + 40 && buf.cps[close] != ')')
                    close++;
                if (at(&cu, close) == ')' && contains(&cu, k, close, "不可比"))
                    e = close + 1;
            }
            bool after_change = i > 0 && (buf.cps[i - 1] == 0x957F /* 长 */ ||
                                          buf.cps[i - 1] == 0x964D /* 降 */ ||
                                          buf.cps[i - 1] == 0x52A0 /* 加 */ ||
                                          buf.cps[i - 1] == 0x5C11 /* 少 */);
            if (e > end || after_change) {
                bp_number num;
                fill_marker(text, &buf, i, e, BP_NUMBER_NOT_COMPARABLE, &num);
                if (!list_push(out, &num))
                    goto nomem;
                i = e;
                continue;
            }
            i = end;
            continue;
        }
        if (!starts_figure(&cu, i)) {
            i++;
            continue;
        }
        figure fig;
        const char *why = NULL;
        int r = read_figure(&cu, i, &fig, &why);
        if (r != READ_OK) {
            /* skip the whole digit run so its tail is not read alone */
            i++;
            while (i < buf.n && (bp_is_digit(buf.cps[i]) || is_chinese_numeral(buf.cps[i])))
                i++;
            continue;
        }
        if (!prose_skip(&cu, &fig)) {
            bp_number num;
            fill_number(text, &buf, &fig, &num);
            if (!list_push(out, &num))
                goto nomem;
        }
        i = fig.end > i ? fig.end : i + 1;
        while (i < buf.n && (bp_is_digit(buf.cps[i]) || buf.cps[i] == '.' ||
                             buf.cps[i] == ','))
            i++;
    }
    bp_cpbuf_free(&buf);
    return BP_OK;
nomem:
    bp_cpbuf_free(&buf);
    return bp_error_set(err, BP_ERR_NOMEM, 0, "out of memory scanning figures");
}

/* ------------------------------------------------------------------ */
/* Accessors                                                            */
/* ------------------------------------------------------------------ */

bp_status bp_number_yuan(const bp_number *number, bp_decimal *yuan, bp_error *err)
{
    if (number == NULL || number->kind != BP_NUMBER_AMOUNT || number->yuan_per_unit <= 0)
        return bp_error_set(err, BP_ERR_USAGE, 0, "not an amount with a unit");
    return bp_decimal_mul_int(number->value, number->yuan_per_unit, yuan, err);
}

bp_decimal bp_number_rounding_bound(const bp_number *number)
{
    return bp_decimal_half_ulp(number->precision);
}

const char *bp_number_kind_name(bp_number_kind kind)
{
    switch (kind) {
    case BP_NUMBER_AMOUNT: return "amount";
    case BP_NUMBER_PERCENT: return "percent";
    case BP_NUMBER_COUNT: return "count";
    case BP_NUMBER_BARE: return "bare";
    case BP_NUMBER_NO_VALUE: return "no_value";
    case BP_NUMBER_NOT_COMPARABLE: return "not_comparable";
    }
    return "unknown";
}

const char *bp_number_bound_name(bp_number_bound bound)
{
    switch (bound) {
    case BP_BOUND_EXACT: return "exact";
    case BP_BOUND_AT_LEAST: return "at_least";
    case BP_BOUND_MORE_THAN: return "more_than";
    case BP_BOUND_AT_MOST: return "at_most";
    case BP_BOUND_LESS_THAN: return "less_than";
    case BP_BOUND_ABOUT: return "about";
    case BP_BOUND_RANGE: return "range";
    }
    return "unknown";
}
