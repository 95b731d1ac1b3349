/*
 * normalize.h — clean text and exact numbers: the public API of normalize/.
 *
 * Four services, each usable on its own:
 *   1. Text: bp_text_normalize() folds full-width forms to ASCII (digits,
 *      Latin letters, ，．％（）) and repairs letter-spaced CJK words, keeping
 *      the CJK punctuation that carries structure (、。：“”《》).
 *      bp_label_fold() goes further, for *matching only*: Traditional →
 *      Simplified, no whitespace, folded punctuation.  Stored text always
 *      stays as printed.
 *   2. Numbers: bp_number_parse() reads one table cell; bp_number_scan()
 *      finds every figure in running text.  Values are exact decimals
 *      (bp_decimal); floating point never touches money.
 *   3. Decimals: bp_decimal_* add, subtract, compare, rescale, round,
 *      convert to 元 and format — all exact, overflow reported, never wrapped.
 *   4. Tokens: bp_tokenize_line() splits one line of extract/'s words into
 *      cell tokens using the glyph boxes (glued cells apart, broken numbers
 *      joined).
 *
 * Ownership: every struct here is plain data.  bp_number holds its own
 * copy of the printed text (fixed buffer), so it can be copied by value.
 * Functions that return `char **out` give a malloc'ed string the caller
 * frees with free().  Lists (bp_number_list, bp_token_list) are owned by the
 * caller's struct and emptied with their _free function, which accepts NULL
 * and leaves the list empty and reusable.  Nothing returned here points into
 * ICU or any other library's memory.
 *
 * Thread safety: all functions are reentrant.  bp_label_fold() shares one
 * ICU transliterator (created on first use) behind a mutex.
 */
#ifndef BP_NORMALIZE_H
#define BP_NORMALIZE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/error.h"
#include "common/layout.h"

/* ------------------------------------------------------------------ */
/* Exact decimals                                                       */
/* ------------------------------------------------------------------ */

/* value = mantissa × 10^(−scale).  scale is 0..BP_DECIMAL_MAX_SCALE.
 * Two decimals with different scales may be equal (1.5 == 1.50); the
 * scale is the precision carried, not part of the value. */
typedef struct bp_decimal {
    int64_t mantissa;
    int32_t scale;
} bp_decimal;

#define BP_DECIMAL_MAX_SCALE 18

/* Longest string bp_decimal_format() can produce, with the NUL. */
#define BP_DECIMAL_STRING_MAX 48

static inline bp_decimal bp_decimal_make(int64_t mantissa, int32_t scale)
{
    bp_decimal d = {mantissa, scale};
    return d;
}

/* sum = a + b, difference = a − b, at the larger of the two scales.
 * BP_ERR_LIMIT when the exact result does not fit in int64. */
bp_status bp_decimal_add(bp_decimal a, bp_decimal b, bp_decimal *sum, bp_error *err);
bp_status bp_decimal_sub(bp_decimal a, bp_decimal b, bp_decimal *difference,
                         bp_error *err);

/* product = a × factor (an integer, e.g. a unit scale), same scale as a. */
bp_status bp_decimal_mul_int(bp_decimal a, int64_t factor, bp_decimal *product,
                             bp_error *err);

/* Exact comparison regardless of scale: negative, 0, positive. */
int bp_decimal_cmp(bp_decimal a, bp_decimal b);

/* Same value at a larger scale (exact).  BP_ERR_USAGE when scale is smaller
 * than a.scale and digits would be lost (use bp_decimal_round), BP_ERR_LIMIT
 * on overflow. */
bp_status bp_decimal_rescale(bp_decimal a, int32_t scale, bp_decimal *out,
                             bp_error *err);

/* Rounds half away from zero to `scale` digits (0..a.scale); exact when
 * scale >= a.scale (then it rescales). */
bp_status bp_decimal_round(bp_decimal a, int32_t scale, bp_decimal *out,
                           bp_error *err);

/* Writes the plain decimal string ("-1234.50", never exponent or grouping)
 * into buf (size >= BP_DECIMAL_STRING_MAX is always enough); returns buf. */
char *bp_decimal_format(bp_decimal a, char *buf, size_t size);

/* Reads a plain decimal ("-12.30", "7", ".5" is rejected); the inverse of
 * bp_decimal_format.  For printed figures use bp_number_parse. */
bp_status bp_decimal_parse(const char *text, bp_decimal *out, bp_error *err);

/* −a (negating INT64_MIN is reported as BP_ERR_LIMIT). */
bp_status bp_decimal_neg(bp_decimal a, bp_decimal *out, bp_error *err);

/* Half a unit of the last digit at `precision` digits after the point:
 * 0.5 × 10^(−precision), i.e. the rounding bound of a printed figure. */
bp_decimal bp_decimal_half_ulp(int32_t precision);

/* ------------------------------------------------------------------ */
/* Figures                                                              */
/* ------------------------------------------------------------------ */

typedef enum bp_number_kind {
    BP_NUMBER_AMOUNT = 0,      /* money: has a unit scale to 元 */
    BP_NUMBER_PERCENT,         /* 5%, 1,041.53 %, ≥90% */
    BP_NUMBER_COUNT,           /* with a measure word: 137 人, 2 台（套）, 10942 宗 */
    BP_NUMBER_BARE,            /* a number alone; its unit comes from context
                                  (a table cell under "单位：万元") */
    BP_NUMBER_NO_VALUE,        /* blank, —, -, 不适用: nothing printed */
    BP_NUMBER_NOT_COMPARABLE   /* --, 增长--（基数为 0，不可比） */
} bp_number_kind;

/* How the printed value relates to the quantity. */
typedef enum bp_number_bound {
    BP_BOUND_EXACT = 0,   /* as printed (up to its rounding) */
    BP_BOUND_AT_LEAST,    /* ≥ x, 不低于 x, x 以上 : low = x */
    BP_BOUND_MORE_THAN,   /* > x, 超过 x : low = x (exclusive) */
    BP_BOUND_AT_MOST,     /* ≤ x, 不超过 x, x 以内 : high = x */
    BP_BOUND_LESS_THAN,   /* < x, 低于 x : high = x (exclusive) */
    BP_BOUND_ABOUT,       /* 约 x, x 左右, x 余 : approximate, no low/high */
    BP_BOUND_RANGE        /* x±d, x–y : low and high both set */
} bp_number_bound;

#define BP_NUMBER_TEXT_MAX 128
#define BP_NUMBER_UNIT_MAX 32

typedef struct bp_number {
    /* Where the figure was printed: byte span [offset, offset+length) of
     * the text given to parse/scan, and a NUL-terminated copy (truncated at
     * a UTF-8 boundary if longer than BP_NUMBER_TEXT_MAX−1 bytes; then
     * text_truncated is set). */
    size_t offset, length;
    char text[BP_NUMBER_TEXT_MAX];
    bool text_truncated;

    bp_number_kind kind;

    /* The value in the printed unit (meaningless for NO_VALUE and
     * NOT_COMPARABLE, where it is 0).  value.scale == precision. */
    bp_decimal value;
    int32_t precision;     /* digits after the point as printed */
    bool negative_parens;  /* printed as （110.29） */

    /* The unit as printed after normalization of width ("万元", "千元",
     * "%", "人", "台（套）"); empty for BARE and markers.  For mixed forms
     * (10 億 9,711 萬 9 千元) it is the last, smallest unit printed and
     * value is expressed in it (1097119 千元). */
    char unit[BP_NUMBER_UNIT_MAX];

    /* For AMOUNT: how many 元 one printed unit is (1, 1000, 10000,
     * 100000000) and the currency ("CNY", or "TWD" for 新臺幣); 0 and ""
     * otherwise. */
    int64_t yuan_per_unit;
    char currency[4];

    /* Bounds and ranges.  has_low/has_high say which are set; both are in
     * the printed unit.  For 10942 宗±10%: value 10942, low 9847.8, high
     * 12036.2; for 37±3 次: low 34, high 40; for ≥90%: low 90. */
    bp_number_bound bound;
    bool has_low, has_high;
    bp_decimal low, high;
} bp_number;

/* A growable array of figures, owned by whoever holds the struct.
 * Initialise with {0}; empty with bp_number_list_free(). */
typedef struct bp_number_list {
    bp_number *items;
    size_t count;
    size_t capacity;
} bp_number_list;

void bp_number_list_free(bp_number_list *list);

/* Parses the whole text of one cell as one figure (or a no-value /
 * not-comparable marker).  Surrounding whitespace is ignored; full-width
 * forms are accepted.  A cell that is only digits (256890, 2080505) is
 * BARE — whether it is a classification code is the table's business.
 * On failure returns BP_ERR_FORMAT with a message naming why ("not a
 * figure: date", "bad digit grouping", …) and leaves *out zeroed.
 * len may be (size_t)-1 for a NUL-terminated text. */
bp_status bp_number_parse(const char *text, size_t len, bp_number *out,
                          bp_error *err);

/* Finds every figure in running text (a narrative sentence) and appends
 * them to *out in order.  Skips what only looks numeric: years and dates
 * (2022 年 12 月 31 日), document numbers (深医保规〔2020〕5 号), table
 * names (表11), 十四五-style names, ordinal headings (一、（二）).  Chinese
 * numerals are read where they state a quantity (三个项目 → count 3).
 * Spans are byte offsets into text.  BP_ERR_NOMEM only. */
bp_status bp_number_scan(const char *text, size_t len, bp_number_list *out,
                         bp_error *err);

/* The value in 元 (value × yuan_per_unit) for AMOUNT; BP_ERR_USAGE for
 * other kinds, BP_ERR_LIMIT on overflow. */
bp_status bp_number_yuan(const bp_number *number, bp_decimal *yuan, bp_error *err);

/* Half a unit of the last printed digit, in the printed unit. */
bp_decimal bp_number_rounding_bound(const bp_number *number);

/* "amount", "percent", "count", "bare", "no_value", "not_comparable". */
const char *bp_number_kind_name(bp_number_kind kind);

/* "exact", "at_least", "more_than", "at_most", "less_than", "about", "range". */
const char *bp_number_bound_name(bp_number_bound bound);

/* The unit scale of a unit word: "元"→1, "千元"→1000, "万元"/"萬元"→10000,
 * "亿元"/"億元"→100000000, "新臺幣千元"→1000 (currency "TWD").  Accepts
 * the text of a "单位：万元" line after the colon.  Returns 0 when the
 * text is not a money unit.  currency may be NULL. */
int64_t bp_number_unit_scale(const char *unit, char currency[4]);

/* ------------------------------------------------------------------ */
/* Text                                                                 */
/* ------------------------------------------------------------------ */

enum {
    BP_NORMALIZE_WIDTH = 1u << 0,   /* full-width ASCII forms → ASCII */
    BP_NORMALIZE_SPACING = 1u << 1, /* 收 支 总 表 → 收支总表; runs of spaces → one */
    BP_NORMALIZE_NFKC_SAFE = 1u << 2, /* compatibility forms (⑴ ㈠ ﹙…) that do
                                        not touch CJK structure punctuation */
    BP_NORMALIZE_DEFAULT = BP_NORMALIZE_WIDTH | BP_NORMALIZE_SPACING
};

/* Normalizes UTF-8 text per flags into a malloc'ed string (*out, caller
 * frees with free()).  Invalid UTF-8 bytes become U+FFFD.  len may be
 * (size_t)-1 for NUL-terminated input. */
bp_status bp_text_normalize(const char *text, size_t len, unsigned flags,
                            char **out, bp_error *err);

/* A key for matching labels, never for display: bp_text_normalize with
 * all flags, Traditional → Simplified (ICU "Traditional-Simplified"), all
 * whitespace removed, （）【】 → ()[], Latin lowercased.  "收 支 總 表" and
 * "收支总表" fold to the same key.  Caller frees *out with free(). */
bp_status bp_label_fold(const char *text, size_t len, char **out, bp_error *err);

/* Loads the Traditional-Simplified transform bp_label_fold uses now rather
 * than at its first call (tens of milliseconds, once per process): a
 * process that forks workers calls it first, and they inherit it. */
void bp_label_fold_prepare(void);

/* ------------------------------------------------------------------ */
/* Tokens over positioned text                                          */
/* ------------------------------------------------------------------ */

typedef enum bp_token_kind {
    BP_TOKEN_TEXT = 0,   /* a label or other words */
    BP_TOKEN_NUMBER,     /* parses as a figure (number filled) */
    BP_TOKEN_MARKER      /* no-value or not-comparable marker alone */
} bp_token_kind;

typedef struct bp_token {
    char *text;           /* malloc'ed UTF-8 as printed (owned by the list) */
    bp_box box;           /* union of its glyph boxes */
    size_t first_glyph;   /* glyph indices into the page's glyph array; a
                             token's glyphs are consecutive in reading order
                             except when joined across words (see joined) */
    size_t n_glyphs;
    bp_token_kind kind;
    bool joined;          /* made by joining pieces of a broken number */
    bp_number number;     /* valid when kind is NUMBER or MARKER */
} bp_token;

typedef struct bp_token_list {
    bp_token *items;
    size_t count;
    size_t capacity;
} bp_token_list;

void bp_token_list_free(bp_token_list *list);

/* Optional knowledge of the table the line belongs to. */
typedef struct bp_tokenize_options {
    /* x positions (points) of column boundaries, ascending; a token never
     * spans one.  NULL/0 when unknown — then only the glyph gaps are used. */
    const double *column_edges;
    size_t n_column_edges;
    /* A gap between glyphs wider than gap_ratio × glyph height splits a
     * token; 0 means the default (0.6). */
    double gap_ratio;
} bp_tokenize_options;

/* Splits one line — n_words consecutive words with the page's glyph array
 * — into tokens, left to right, appending to *out.  Splits where glyph
 * gaps or column edges separate cells ("5,269.54302" → 5,269.54 | 302 when
 * the gap or an edge falls there) and joins a number broken across glyph
 * runs ("1 172.35" with the gap inside a digit group).  opts may be NULL.
 * BP_ERR_USAGE when a word's glyph range lies outside glyphs. */
bp_status bp_tokenize_line(const bp_word *words, size_t n_words,
                           const bp_glyph *glyphs, size_t n_glyphs,
                           const bp_tokenize_options *opts, bp_token_list *out,
                           bp_error *err);

/* Joins a number wrapped inside a narrow cell: `upper` ends a line and
 * `lower` is the continuation directly below it in the same cell
 * ("13223551.7" over "1").  On success *out is a token whose text is the
 * concatenation and whose number parses; returns BP_ERR_FORMAT (and leaves
 * *out untouched) when the two do not form one number.  The caller (who
 * knows the cell) decides whether to ask.  Caller frees out->text. */
bp_status bp_token_join_wrapped(const bp_token *upper, const bp_token *lower,
                                bp_token *out, bp_error *err);

#endif
