/*
 * check_normalize.c — Check tests for normalize/: exact decimals, the
 * number grammar through the API, text normalization and label folding,
 * the tokenizer on synthetic glyph rows, and the "Done when" sweep of
 * issue 3: every numeric token on the table pages of the real PDFs in
 * ../shared/corpus/real parses to the value its digits spell (skipped
 * when the corpus is absent).
 */
#include "test_support.h"

#include "extract/extract.h"
#include "normalize/normalize.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/ustring.h>
#include <unicode/utrans.h>

static const char *fmt(bp_decimal d)
{
    static char buf[4][BP_DECIMAL_STRING_MAX];
    static int k;
    k = (k + 1) % 4;
    return bp_decimal_format(d, buf[k], sizeof buf[k]);
}

/* ---- decimals ----------------------------------------------------- */

START_TEST(test_decimal_add_sub)
{
    bp_decimal s;
    ck_assert_int_eq(bp_decimal_add(bp_decimal_make(12345, 2), bp_decimal_make(7, 0), &s, NULL), BP_OK);
    ck_assert_str_eq(fmt(s), "130.45");
    ck_assert_int_eq(bp_decimal_sub(bp_decimal_make(5, 1), bp_decimal_make(75, 2), &s, NULL), BP_OK);
    ck_assert_str_eq(fmt(s), "-0.25");
    bp_error err;
    ck_assert_int_eq(bp_decimal_add(bp_decimal_make(INT64_MAX, 0), bp_decimal_make(1, 0), &s, &err),
                     BP_ERR_LIMIT);
    ck_assert_int_eq(bp_decimal_rescale(bp_decimal_make(INT64_MAX / 10 + 1, 0), 1, &s, &err),
                     BP_ERR_LIMIT);
}
END_TEST

START_TEST(test_decimal_cmp_round_format)
{
    ck_assert_int_eq(bp_decimal_cmp(bp_decimal_make(15, 1), bp_decimal_make(150, 2)), 0);
    ck_assert_int_lt(bp_decimal_cmp(bp_decimal_make(-1, 0), bp_decimal_make(-99, 2)), 0);
    ck_assert_int_gt(bp_decimal_cmp(bp_decimal_make(1, 18), bp_decimal_make(0, 0)), 0);
    /* across a scale difference that cannot be rescaled in int64 */
    ck_assert_int_gt(bp_decimal_cmp(bp_decimal_make(INT64_MAX, 0), bp_decimal_make(1, 18)), 0);
    bp_decimal r;
    ck_assert_int_eq(bp_decimal_round(bp_decimal_make(-12345, 3), 2, &r, NULL), BP_OK);
    ck_assert_str_eq(fmt(r), "-12.35");
    ck_assert_int_eq(bp_decimal_round(bp_decimal_make(12344, 3), 2, &r, NULL), BP_OK);
    ck_assert_str_eq(fmt(r), "12.34");
    ck_assert_int_eq(bp_decimal_rescale(bp_decimal_make(5, 2), 1, &r, NULL), BP_ERR_USAGE);
    ck_assert_str_eq(fmt(bp_decimal_make(INT64_MIN, 2)), "-92233720368547758.08");
    ck_assert_str_eq(fmt(bp_decimal_make(7, 3)), "0.007");
    ck_assert_str_eq(fmt(bp_decimal_half_ulp(2)), "0.005");
    bp_decimal p;
    ck_assert_int_eq(bp_decimal_parse("-12.30", &p, NULL), BP_OK);
    ck_assert_int_eq(p.mantissa, -1230);
    ck_assert_int_eq(p.scale, 2);
    ck_assert_int_eq(bp_decimal_parse("1.", &p, NULL), BP_ERR_FORMAT);
    ck_assert_int_eq(bp_decimal_parse("1,000", &p, NULL), BP_ERR_FORMAT);
}
END_TEST

/* bp_decimal_format writes digits itself: every scale, both ends of
 * int64, a scale it did not make (printed as 0), and a short buffer cut
 * the way snprintf cuts */
typedef struct format_case {
    int64_t mantissa;
    int32_t scale;
    size_t size;
    const char *expected;
} format_case;

static const format_case format_cases[] = {
    {0, 0, BP_DECIMAL_STRING_MAX, "0"},
    {0, 3, BP_DECIMAL_STRING_MAX, "0.000"},
    {1230, 2, BP_DECIMAL_STRING_MAX, "12.30"},
    {-5, 1, BP_DECIMAL_STRING_MAX, "-0.5"},
    {-5, 3, BP_DECIMAL_STRING_MAX, "-0.005"},
    {1, 18, BP_DECIMAL_STRING_MAX, "0.000000000000000001"},
    {-1, 18, BP_DECIMAL_STRING_MAX, "-0.000000000000000001"},
    {INT64_MAX, 0, BP_DECIMAL_STRING_MAX, "9223372036854775807"},
    {INT64_MAX, 18, BP_DECIMAL_STRING_MAX, "9.223372036854775807"},
    {INT64_MIN, 0, BP_DECIMAL_STRING_MAX, "-9223372036854775808"},
    {INT64_MIN, 18, BP_DECIMAL_STRING_MAX, "-9.223372036854775808"},
    {42, 19, BP_DECIMAL_STRING_MAX, "42"},
    {42, -1, BP_DECIMAL_STRING_MAX, "42"},
    {-12345, 2, 4, "-12"},
    {-12345, 2, 1, ""},
};

START_TEST(test_decimal_format_table)
{
    const format_case *c = &format_cases[_i];
    char buf[BP_DECIMAL_STRING_MAX];
    memset(buf, 'x', sizeof buf);
    ck_assert_ptr_eq(bp_decimal_format(bp_decimal_make(c->mantissa, c->scale), buf, c->size), buf);
    ck_assert_str_eq(buf, c->expected);
}
END_TEST

/* ---- numbers ------------------------------------------------------ */

typedef struct parse_case {
    const char *text;
    bp_number_kind kind;
    const char *value, *yuan, *unit;
    int precision;
} parse_case;

static const parse_case parse_cases[] = {
    {"256,890", BP_NUMBER_BARE, "256890", NULL, "", 0},
    {"（110.29）", BP_NUMBER_BARE, "-110.29", NULL, "", 2},
    {"1868520000.00", BP_NUMBER_BARE, "1868520000.00", NULL, "", 2},
    {"10 億 9,711 萬 9 千元", BP_NUMBER_AMOUNT, "1097119", "1097119000", "千元", 0},
    {"0.68 万元", BP_NUMBER_AMOUNT, "0.68", "6800.00", "万元", 2},
    {"≥90%", BP_NUMBER_PERCENT, "90", NULL, "%", 0},
    {"2 台（套）", BP_NUMBER_COUNT, "2", NULL, "台（套）", 0},
    {"—", BP_NUMBER_NO_VALUE, "0", NULL, "", 0},
    {"--", BP_NUMBER_NOT_COMPARABLE, "0", NULL, "", 0},
    {"  1 172.35 ", BP_NUMBER_BARE, "1172.35", NULL, "", 2},
};

START_TEST(test_number_parse_table)
{
    const parse_case *c = &parse_cases[_i];
    bp_number n;
    bp_error err;
    ck_assert_msg(bp_number_parse(c->text, (size_t)-1, &n, &err) == BP_OK, "%s: %s", c->text,
                  err.message);
    ck_assert_int_eq(n.kind, c->kind);
    ck_assert_str_eq(fmt(n.value), c->value);
    ck_assert_str_eq(n.unit, c->unit);
    ck_assert_int_eq(n.precision, c->precision);
    bp_decimal y;
    if (c->yuan != NULL) {
        ck_assert_int_eq(bp_number_yuan(&n, &y, NULL), BP_OK);
        ck_assert_str_eq(fmt(y), c->yuan);
    } else {
        ck_assert_int_eq(bp_number_yuan(&n, &y, NULL), BP_ERR_USAGE);
    }
}
END_TEST

START_TEST(test_number_spans_and_bounds)
{
    bp_number n;
    ck_assert_int_eq(bp_number_parse("  10942 宗±10% ", (size_t)-1, &n, NULL), BP_OK);
    ck_assert_uint_eq(n.offset, 2);
    ck_assert_str_eq(n.text, "10942 宗±10%");
    ck_assert(n.has_low && n.has_high);
    ck_assert_str_eq(fmt(n.low), "9847.80");
    ck_assert_str_eq(fmt(n.high), "12036.20");
    ck_assert_str_eq(fmt(bp_number_rounding_bound(&n)), "0.5");

    const char *s = "收入 256,890 万元，增长 5%，截至 2021 年 12 月 31 日，深医保规〔2020〕5 号";
    bp_number_list list = {0};
    ck_assert_int_eq(bp_number_scan(s, (size_t)-1, &list, NULL), BP_OK);
    ck_assert_uint_eq(list.count, 2);
    ck_assert_uint_eq(list.items[0].offset, strlen("收入 "));
    ck_assert_uint_eq(list.items[0].length, strlen("256,890 万元"));
    ck_assert_int_eq(list.items[1].kind, BP_NUMBER_PERCENT);
    bp_number_list_free(&list);
    ck_assert_ptr_null(list.items);
    bp_number_list_free(NULL);

    bp_error err;
    ck_assert_int_eq(bp_number_parse("1,23.4", (size_t)-1, &n, &err), BP_ERR_FORMAT);
    ck_assert_str_eq(err.message, "bad digit grouping: \"1,23.4\"");
    ck_assert_int_eq(n.kind, 0);
    ck_assert_int_eq(bp_number_parse(NULL, 0, &n, &err), BP_ERR_USAGE);

    char cur[4];
    ck_assert_int_eq(bp_number_unit_scale("单位：万元", cur), 10000);
    ck_assert_str_eq(cur, "CNY");
    ck_assert_int_eq(bp_number_unit_scale("新臺幣千元", cur), 1000);
    ck_assert_str_eq(cur, "TWD");
    ck_assert_int_eq(bp_number_unit_scale("人", cur), 0);
}
END_TEST

START_TEST(test_number_long_text_truncates)
{
    char big[400];
    memset(big, 0, sizeof big);
    strcpy(big, "1");
    for (int i = 0; i < 40; i++)
        strcat(big, ",000");
    bp_number n;
    bp_error err;
    ck_assert_int_eq(bp_number_parse(big, (size_t)-1, &n, &err), BP_ERR_FORMAT);
    ck_assert_str_eq(err.message, "number too long: \"1,000,000,000,000,000,000,000,000,000,000,000,000,000,000,000,000,000,000,000,000,000,000,000,000,000,000,000,000,000,000,000,000,000,000,000,000,000,000,000,000\"");
}
END_TEST

/* ---- text ----------------------------------------------------------- */

START_TEST(test_text_normalize)
{
    char *out = NULL;
    ck_assert_int_eq(bp_text_normalize("收 支 总 表", (size_t)-1, BP_NORMALIZE_DEFAULT, &out, NULL), BP_OK);
    ck_assert_str_eq(out, "收支总表");
    free(out);
    ck_assert_int_eq(bp_text_normalize("一般公共服务 支出  １２３，４５６．７８％（一）、。：“”《》",
                                       (size_t)-1, BP_NORMALIZE_DEFAULT, &out, NULL), BP_OK);
    ck_assert_str_eq(out, "一般公共服务 支出 123,456.78%(一)、。：“”《》");
    free(out);
    ck_assert_int_eq(bp_text_normalize("合 计 1,234", (size_t)-1, BP_NORMALIZE_DEFAULT, &out, NULL), BP_OK);
    ck_assert_str_eq(out, "合计 1,234");
    free(out);
    ck_assert_int_eq(bp_text_normalize("ＡＢ\xff", (size_t)-1, BP_NORMALIZE_WIDTH, &out, NULL), BP_OK);
    ck_assert_str_eq(out, "AB\xef\xbf\xbd");
    free(out);
}
END_TEST

START_TEST(test_label_fold)
{
    char *a = NULL, *b = NULL;
    ck_assert_int_eq(bp_label_fold("收 支 總 表（一）", (size_t)-1, &a, NULL), BP_OK);
    ck_assert_int_eq(bp_label_fold("收支总表(一)", (size_t)-1, &b, NULL), BP_OK);
    ck_assert_str_eq(a, b);
    ck_assert_str_eq(b, "收支总表(一)");
    free(a);
    free(b);
    ck_assert_int_eq(bp_label_fold("一般公共預算財政撥款", (size_t)-1, &a, NULL), BP_OK);
    ck_assert_str_eq(a, "一般公共预算财政拨款");
    free(a);
}
END_TEST

/* The fold's transliteration is ICU's Traditional-Simplified compiled from
 * its rules (normalize/text.c, open_from_rules): it must read every Han
 * character of the BMP, and the context rules between neighbours, as the
 * transform opened by name does. */
START_TEST(test_label_fold_is_icu_traditional_simplified)
{
    enum { FIRST = 0x3400, LAST = 0x9FFF };
    size_t n = LAST - FIRST + 1;
    UChar *u16 = malloc((2 * n + 16) * sizeof *u16);
    char *utf8 = malloc(3 * n + 1);
    ck_assert_ptr_nonnull(u16);
    ck_assert_ptr_nonnull(utf8);
    size_t len = 0;
    for (uint32_t c = FIRST; c <= LAST; c++) {
        if (c >= 0x4DC0 && c <= 0x4DFF)
            continue; /* Yijing hexagram symbols: not Han */
        utf8[len++] = (char)(0xE0 | (c >> 12));
        utf8[len++] = (char)(0x80 | ((c >> 6) & 0x3F));
        utf8[len++] = (char)(0x80 | (c & 0x3F));
    }
    utf8[len] = '\0';
    UErrorCode status = U_ZERO_ERROR;
    int32_t n16 = 0;
    u_strFromUTF8(u16, (int32_t)(2 * n + 16), &n16, utf8, (int32_t)len, &status);
    ck_assert(U_SUCCESS(status));
    UChar id[32];
    u_uastrcpy(id, "Traditional-Simplified");
    UTransliterator *by_name = utrans_openU(id, -1, UTRANS_FORWARD, NULL, 0, NULL, &status);
    ck_assert_msg(U_SUCCESS(status), "%s", u_errorName(status));
    int32_t limit = n16;
    utrans_transUChars(by_name, u16, &n16, (int32_t)(2 * n + 16), 0, &limit, &status);
    ck_assert(U_SUCCESS(status));
    utrans_close(by_name);
    int32_t need = 0;
    u_strToUTF8(NULL, 0, &need, u16, n16, &status);
    status = U_ZERO_ERROR;
    char *expected = malloc((size_t)need + 1);
    ck_assert_ptr_nonnull(expected);
    u_strToUTF8(expected, need + 1, NULL, u16, n16, &status);
    ck_assert(U_SUCCESS(status));
    char *folded = NULL;
    ck_assert_int_eq(bp_label_fold(utf8, len, &folded, NULL), BP_OK);
    ck_assert(strcmp(folded, utf8) != 0); /* something was simplified */
    ck_assert(strcmp(folded, expected) == 0);
    free(folded);
    free(expected);
    free(utf8);
    free(u16);
}
END_TEST

/* ---- tokenizer -------------------------------------------------------- */

/* Lays out `text` as glyphs of width 5 and height 10 starting at x, with
 * an extra gap after the glyph at index gap_after (or none when < 0). */
static size_t lay_out(const char *text, double x, long gap_after, double gap,
                      bp_glyph *glyphs, size_t at)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)text; *p;) {
        uint32_t cp = *p;
        int len = 1;
        if (cp >= 0xE0) {
            cp = ((cp & 0x0F) << 12) | ((p[1] & 0x3F) << 6) | (p[2] & 0x3F);
            len = 3;
        }
        bp_glyph *g = &glyphs[at + n];
        g->codepoint = cp;
        g->box = (bp_box){x, 100, x + 5, 110};
        g->font_size = 10;
        x += 5;
        if ((long)n == gap_after)
            x += gap;
        n++;
        p += len;
    }
    return n;
}

static bp_word word_of(const bp_glyph *glyphs, size_t first, size_t n)
{
    bp_word w = {NULL, glyphs[first].box, first, n, 10};
    for (size_t i = first + 1; i < first + n; i++)
        w.box = bp_box_union(w.box, glyphs[i].box);
    return w;
}

START_TEST(test_tokenize_split_glued)
{
    bp_glyph g[64];
    /* "5,269.54302" with a 3-point seam before "302": two cells */
    size_t n = lay_out("5,269.54302", 100, 7, 3.0, g, 0);
    bp_word w = word_of(g, 0, n);
    bp_token_list toks = {0};
    ck_assert_int_eq(bp_tokenize_line(&w, 1, g, n, NULL, &toks, NULL), BP_OK);
    ck_assert_uint_eq(toks.count, 2);
    ck_assert_str_eq(toks.items[0].text, "5,269.54");
    ck_assert_str_eq(fmt(toks.items[0].number.value), "5269.54");
    ck_assert_str_eq(toks.items[1].text, "302");
    ck_assert_int_eq(toks.items[1].kind, BP_TOKEN_NUMBER);
    bp_token_list_free(&toks);

    /* glued with no gap at all: only a column edge can split it */
    n = lay_out("5,269.54302", 100, -1, 0, g, 0);
    w = word_of(g, 0, n);
    ck_assert_int_eq(bp_tokenize_line(&w, 1, g, n, NULL, &toks, NULL), BP_OK);
    ck_assert_uint_eq(toks.count, 1);
    bp_token_list_free(&toks);
    double edges[] = {140.0};
    bp_tokenize_options opts = {edges, 1, 0};
    ck_assert_int_eq(bp_tokenize_line(&w, 1, g, n, &opts, &toks, NULL), BP_OK);
    ck_assert_uint_eq(toks.count, 2);
    ck_assert_str_eq(toks.items[1].text, "302");
    bp_token_list_free(&toks);
}
END_TEST

START_TEST(test_tokenize_join_broken)
{
    bp_glyph g[64];
    /* "1" and "172.35" as two words 2 points apart: one number */
    size_t a = lay_out("1", 100, -1, 0, g, 0);
    size_t b = lay_out("172.35", 107, -1, 0, g, a);
    bp_word w[2] = {word_of(g, 0, a), word_of(g, a, b)};
    bp_token_list toks = {0};
    ck_assert_int_eq(bp_tokenize_line(w, 2, g, a + b, NULL, &toks, NULL), BP_OK);
    ck_assert_uint_eq(toks.count, 1);
    ck_assert(toks.items[0].joined);
    ck_assert_str_eq(fmt(toks.items[0].number.value), "1172.35");
    bp_token_list_free(&toks);

    /* two cells far apart stay apart, and a label stays text */
    a = lay_out("26", 100, -1, 0, g, 0);
    b = lay_out("172.35", 160, -1, 0, g, a);
    size_t c = lay_out("合计", 220, -1, 0, g, a + b);
    bp_word w3[3] = {word_of(g, 0, a), word_of(g, a, b), word_of(g, a + b, c)};
    ck_assert_int_eq(bp_tokenize_line(w3, 3, g, a + b + c, NULL, &toks, NULL), BP_OK);
    ck_assert_uint_eq(toks.count, 3);
    ck_assert_int_eq(toks.items[2].kind, BP_TOKEN_TEXT);
    bp_token_list_free(&toks);

    /* a word pointing outside the glyph array is a usage error */
    bp_word bad = {NULL, {0, 0, 1, 1}, 60, 10, 10};
    bp_error err;
    ck_assert_int_eq(bp_tokenize_line(&bad, 1, g, 64, NULL, &toks, &err), BP_ERR_USAGE);
}
END_TEST

START_TEST(test_token_join_wrapped)
{
    bp_token up = {"13223551.7", {100, 100, 150, 110}, 0, 10, BP_TOKEN_NUMBER, false, {0}};
    bp_token low = {"1", {145, 112, 150, 122}, 10, 1, BP_TOKEN_NUMBER, false, {0}};
    bp_token out;
    ck_assert_int_eq(bp_token_join_wrapped(&up, &low, &out, NULL), BP_OK);
    ck_assert_str_eq(out.text, "13223551.71");
    ck_assert_str_eq(fmt(out.number.value), "13223551.71");
    free(out.text);
    bp_token label = {"合计", {145, 112, 150, 122}, 10, 2, BP_TOKEN_TEXT, false, {0}};
    ck_assert_int_eq(bp_token_join_wrapped(&up, &label, &out, NULL), BP_ERR_FORMAT);
}
END_TEST

/* ---- the real PDFs ---------------------------------------------------- */

/* The value the digits of a numeric-looking token spell, written without
 * grouping (an oracle independent of the grammar): "1,234.50" → "1234.50".
 * Returns false when the token is not plain digits/commas/point/sign. */
static bool plain_value(const char *text, char *out, size_t cap)
{
    char *norm = NULL;
    if (bp_text_normalize(text, (size_t)-1, BP_NORMALIZE_WIDTH, &norm, NULL) != BP_OK)
        return false;
    size_t k = 0;
    bool ok = true, digit = false, paren = norm[0] == '(';
    for (const char *p = norm + paren; *p && ok; p++) {
        if (*p >= '0' && *p <= '9') {
            digit = true;
            out[k++] = *p;
        } else if (*p == '.' || (*p == '-' && k == 0)) {
            out[k++] = *p;
        } else if (*p == ',' || (*p == '%' && p[1] == '\0') || (paren && *p == ')' && p[1] == '\0')) {
            continue;
        } else {
            ok = false;
        }
        if (k + 2 >= cap)
            ok = false;
    }
    out[k] = '\0';
    /* "1." is a heading and "(20" a wrapped fragment, not figures */
    if (k > 0 && out[k - 1] == '.')
        ok = false;
    if (paren && norm[strlen(norm) - 1] != ')')
        ok = false;
    if (ok && paren) {
        memmove(out + 1, out, k + 1);
        out[0] = '-';
    }
    free(norm);
    return ok && digit;
}

static bool is_table_page(const bp_page *page)
{
    size_t numeric = 0;
    for (size_t w = 0; w < page->n_words; w++) {
        char v[64];
        if (strstr(page->words[w].text, "单位") != NULL && strstr(page->words[w].text, "元") != NULL)
            return true;
        if (plain_value(page->words[w].text, v, sizeof v))
            numeric++;
    }
    return numeric >= 20;
}

START_TEST(test_real_pdf_tokens)
{
    const char *shared = bp_test_shared_dir();
    if (shared == NULL)
        return;
    static const char *const files[] = {"cn-001.pdf", "cn-002.pdf", "cn-006.pdf",
                                        "cn-014.pdf", "cn-015.pdf", "cn-023.pdf",
                                        "cn-025.pdf", "cn-031.pdf", "cn-034.pdf"};
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/corpus/real", shared);
    long checked = 0, right = 0, pages = 0, digit_text = 0, joined = 0, extra = 0;
    for (size_t f = 0; f < sizeof files / sizeof files[0]; f++) {
        bp_pdf *pdf = NULL;
        bp_error err;
        ck_assert_msg(bp_pdf_open(bp_test_path(dir, files[f]), NULL, &pdf, &err) == BP_OK, "%s",
                      err.message);
        for (int p = 1; p <= bp_pdf_get_info(pdf)->n_pages; p++) {
            bp_page *page = NULL;
            ck_assert_int_eq(bp_pdf_page(pdf, p, &page, &err), BP_OK);
            if (!is_table_page(page)) {
                bp_page_free(page);
                continue;
            }
            pages++;
            for (size_t l = 0; l < page->n_lines; l++) {
                const bp_line *line = &page->lines[l];
                bp_token_list toks = {0};
                ck_assert_int_eq(bp_tokenize_line(&page->words[line->first_word], line->n_words,
                                                  page->glyphs, page->n_glyphs, NULL, &toks, &err),
                                 BP_OK);
                extra += (long)toks.count - (long)line->n_words;
                for (size_t t = 0; t < toks.count; t++) {
                    const bp_token *tok = &toks.items[t];
                    joined += tok->joined;
                    char want[128];
                    if (!plain_value(tok->text, want, sizeof want)) {
                        digit_text += strpbrk(tok->text, "0123456789") != NULL;
                        continue;
                    }
                    checked++;
                    const char *got = tok->kind == BP_TOKEN_NUMBER ? fmt(tok->number.value) : "(none)";
                    bp_decimal spelled; /* "05" (a code segment) spells 5 */
                    if (bp_decimal_parse(want, &spelled, NULL) == BP_OK &&
                        tok->kind == BP_TOKEN_NUMBER &&
                        bp_decimal_cmp(spelled, tok->number.value) == 0 &&
                        spelled.scale == tok->number.value.scale)
                        right++;
                    else
                        fprintf(stderr, "%s p%d: \"%s\" read as %s, digits say %s\n", files[f], p,
                                tok->text, got, want);
                }
                bp_token_list_free(&toks);
            }
            bp_page_free(page);
        }
        bp_pdf_close(pdf);
    }
    printf("real PDFs: %ld table pages, %ld numeric tokens checked, %ld right; "
           "%ld other tokens with digits (labels, dates, headings); "
           "%ld joined tokens, %+ld tokens against words\n",
           pages, checked, right, digit_text, joined, extra);
    ck_assert_int_gt(checked, 1000);
    ck_assert_int_eq(right, checked);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("normalize");
    TCase *tc = tcase_create("decimal");
    tcase_add_test(tc, test_decimal_add_sub);
    tcase_add_test(tc, test_decimal_cmp_round_format);
    tcase_add_loop_test(tc, test_decimal_format_table, 0,
                        sizeof format_cases / sizeof format_cases[0]);
    suite_add_tcase(s, tc);
    tc = tcase_create("number");
    tcase_add_loop_test(tc, test_number_parse_table, 0, sizeof parse_cases / sizeof parse_cases[0]);
    tcase_add_test(tc, test_number_spans_and_bounds);
    tcase_add_test(tc, test_number_long_text_truncates);
    suite_add_tcase(s, tc);
    tc = tcase_create("text");
    tcase_add_test(tc, test_text_normalize);
    tcase_add_test(tc, test_label_fold);
    tcase_add_test(tc, test_label_fold_is_icu_traditional_simplified);
    suite_add_tcase(s, tc);
    tc = tcase_create("tokenize");
    tcase_add_test(tc, test_tokenize_split_glued);
    tcase_add_test(tc, test_tokenize_join_broken);
    tcase_add_test(tc, test_token_join_wrapped);
    suite_add_tcase(s, tc);
    tc = tcase_create("real");
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, test_real_pdf_tokens);
    suite_add_tcase(s, tc);
    return bp_test_run(s);
}
