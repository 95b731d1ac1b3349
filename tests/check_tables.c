/*
 * check_tables.c — table recovery: ruling lines, headers, codes, levels,
 * roles and side-by-side parts on the shared rendered corpus; form-like
 * 绩效目标 tables (fields and sections, continued over pages); a table
 * without ruling lines read from alignment on a page built here; the
 * golden score of the cells export against the .truth.json files of the
 * rendered corpus and of the project's corpus/ (bench/score_cells.py);
 * and every table a real document's 目录 lists is recovered
 * (bench/toc_check.py).  Tests on ../shared skip when it is absent.
 */
#include "tests/test_support.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extract/extract.h"
#include "normalize/normalize.h"
#include "patterns/patterns.h"
#include "tables/tables.h"

typedef struct doc_tables {
    bp_table_set set;
    int ok;
} doc_tables;

/* Recovers the tables of the PDF at path (pages and rules read here). */
static doc_tables recover_path(const char *path)
{
    doc_tables out;
    memset(&out, 0, sizeof out);
    bp_error err;
    bp_pdf *pdf = NULL;
    bp_patterns *patterns = NULL;
    ck_assert_int_eq(bp_patterns_load(NULL, &patterns, &err), BP_OK);
    ck_assert_msg(bp_pdf_open(path, NULL, &pdf, &err) == BP_OK, "%s", err.message);
    int n = bp_pdf_get_info(pdf)->n_pages;
    bp_page **pages = calloc((size_t)n, sizeof *pages);
    bp_page_rules **rules = calloc((size_t)n, sizeof *rules);
    ck_assert_ptr_nonnull(pages);
    ck_assert_ptr_nonnull(rules);
    for (int p = 0; p < n; p++) {
        ck_assert_int_eq(bp_pdf_page(pdf, p + 1, &pages[p], &err), BP_OK);
        ck_assert_int_eq(bp_pdf_page_rules(pdf, p + 1, &rules[p], &err), BP_OK);
    }
    ck_assert_int_eq(bp_tables_recover((const bp_page *const *)pages,
                                       (const bp_page_rules *const *)rules, (size_t)n,
                                       patterns, &out.set, &err),
                     BP_OK);
    for (int p = 0; p < n; p++) {
        bp_page_free(pages[p]);
        bp_page_rules_free(rules[p]);
    }
    free(pages);
    free(rules);
    bp_pdf_close(pdf);
    bp_patterns_free(patterns);
    out.ok = 1;
    return out;
}

/* A PDF of the shared corpus folder (rendered, real); .ok is 0 when
 * ../shared is absent. */
static doc_tables recover_in(const char *folder, const char *name)
{
    doc_tables out;
    memset(&out, 0, sizeof out);
    const char *shared = bp_test_shared_dir();
    if (shared == NULL)
        return out;
    char path[4096];
    snprintf(path, sizeof path, "%s/corpus/%s/%s", shared, folder, name);
    return recover_path(path);
}

static doc_tables recover(const char *name)
{
    return recover_in("rendered", name);
}

static const bp_table *find_table(const bp_table_set *set, const char *label)
{
    for (size_t i = 0; i < set->n_tables; i++)
        if (set->tables[i].label && strcmp(set->tables[i].label, label) == 0)
            return &set->tables[i];
    return NULL;
}

static const bp_table_row *find_row(const bp_table *t, const char *label, int part)
{
    for (size_t i = 0; i < t->n_rows; i++)
        if (t->rows[i].part == part && strcmp(t->rows[i].label, label) == 0)
            return &t->rows[i];
    return NULL;
}

static const bp_table_cell *find_cell(const bp_table *t, int row_no, const char *column)
{
    for (size_t i = 0; i < t->n_cells; i++)
        if (t->cells[i].row_no == row_no &&
            strcmp(t->columns[t->cells[i].column].path, column) == 0)
            return &t->cells[i];
    return NULL;
}

/* The row labelled label in part; fails the test when there is none. */
static const bp_table_row *must_row(const bp_table *t, const char *label, int part)
{
    const bp_table_row *r = find_row(t, label, part);
    ck_assert_msg(r != NULL, "no row '%s' in part %d", label, part);
    return r;
}

/* t runs from page first to page last. */
static void assert_pages(const bp_table *t, int first, int last)
{
    ck_assert_msg(t->first_page == first && t->last_page == last, "%s: pages %d-%d, not %d-%d",
                  t->label ? t->label : "(no label)", t->first_page, t->last_page, first, last);
}

/* Recovers the tables of the rendered PDF name into *d and returns the one
 * labelled label (failing the test when it is missing), or NULL when
 * ../shared is absent and the test is skipped. */
static const bp_table *recover_table(doc_tables *d, const char *name, const char *label)
{
    *d = recover(name);
    if (!d->ok)
        return NULL;
    const bp_table *t = find_table(&d->set, label);
    ck_assert_msg(t != NULL, "%s: no table %s", name, label);
    return t;
}

static void assert_value(const bp_table_cell *c, const char *text, const char *value)
{
    ck_assert_ptr_nonnull(c);
    ck_assert_str_eq(c->text, text);
    ck_assert(c->has_value);
    char buf[BP_DECIMAL_STRING_MAX];
    ck_assert_str_eq(bp_decimal_format(c->value, buf, sizeof buf), value);
}

START_TEST(test_function_classification_table)
{
    doc_tables d;
    const bp_table *t = recover_table(&d, "000_f0c626f3f0336fe3.pdf", "表7");
    if (t == NULL)
        return;
    ck_assert_str_eq(t->unit, "万元");
    ck_assert_int_eq(t->first_page, 19);
    const bp_table_row *r = must_row(t, "机关事业单位基本养老保险缴费支出", 0);
    ck_assert_str_eq(r->code, "2080505");
    ck_assert_int_eq(r->level, 2);
    assert_value(find_cell(t, r->row_no, "支出总计"), "358", "358");
    r = must_row(t, "卫生健康支出", 0);
    ck_assert_str_eq(r->code, "210");
    ck_assert_int_eq(r->level, 0);
    assert_value(find_cell(t, r->row_no, "项目支出"), "246,895", "246895");
    bp_table_set_free(&d.set);
}
END_TEST

START_TEST(test_side_by_side_parts)
{
    doc_tables d;
    const bp_table *t = recover_table(&d, "000_f0c626f3f0336fe3.pdf", "表1");
    if (t == NULL)
        return;
    ck_assert_str_eq(t->title, "收支总表");
    ck_assert_int_eq((int)t->n_columns, 4);
    ck_assert_str_eq(t->columns[1].path, "收入 / 2022年预算数");
    ck_assert_int_eq(t->columns[2].part, 1);
    /* A label wrapped over two lines in its cell is one row. */
    const bp_table_row *r = must_row(t, "机关事业单位基本养老保险缴费支出", 1);
    const bp_table_row *left = must_row(t, "2. 政府性基金预算拨款", 0);
    ck_assert_int_eq(left->row_no, r->row_no);
    assert_value(find_cell(t, r->row_no, "支出 / 2022年预算数"), "358", "358");
    r = must_row(t, "本年收入合计", 0);
    ck_assert_int_eq(r->role, BP_ROW_TOTAL);
    assert_value(find_cell(t, r->row_no, "收入 / 2022年预算数"), "255,126", "255126");
    bp_table_set_free(&d.set);
}
END_TEST

START_TEST(test_continued_table_is_one)
{
    doc_tables d;
    const bp_table *t = recover_table(&d, "003_4cd56771f99f2713.pdf", "表6");
    if (t == NULL)
        return;
    assert_pages(t, 23, 24);
    int labelled = 0;
    for (size_t i = 0; i < d.set.n_tables; i++)
        labelled += d.set.tables[i].label && strcmp(d.set.tables[i].label, "表6") == 0;
    ck_assert_int_eq(labelled, 1);
    /* Every 表N heading keeps its label (表1 … 表15 with 表14-1 … 14-6). */
    const char *labels[] = {"表1", "表5", "表7", "表9", "表12", "表14-1", "表14-6", "表15"};
    for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
        ck_assert_msg(find_table(&d.set, labels[i]) != NULL, "%s lost its label", labels[i]);
    /* The empty tables (title and unit line only) are listed too. */
    const bp_table *empty = find_table(&d.set, "表2");
    ck_assert_ptr_nonnull(empty);
    ck_assert_int_eq((int)empty->n_cells, 0);
    ck_assert_str_eq(empty->unit, "万元");
    bp_table_set_free(&d.set);
}
END_TEST

static const bp_table_cell *cell_text(const bp_table *t, int row_no, const char *column,
                                      const char *text)
{
    const bp_table_cell *c = find_cell(t, row_no, column);
    ck_assert_msg(c != NULL, "row %d has no cell in %s", row_no, column);
    ck_assert_str_eq(c->text, text);
    return c;
}

/* A 绩效目标表: field rows (label → 值, a group label joined with its
 * sub-label) and a section with its own header; targets are not money. */
START_TEST(test_form_fields_and_sections)
{
    doc_tables d;
    const bp_table *t = recover_table(&d, "003_4cd56771f99f2713.pdf", "表14-1");
    if (t == NULL)
        return;
    const bp_table_row *r = must_row(t, "项目名称", 0);
    cell_text(t, r->row_no, "值", "办公经费");
    r = must_row(t, "资金金额(万元) / 实施期资金总额", 0);
    assert_value(find_cell(t, r->row_no, "值"), "3", "3");
    /* 其他资金 has no value printed: no cell is made up for it. */
    r = find_row(t, "资金金额(万元) / 其他资金", 0);
    ck_assert_ptr_null(r);
    r = must_row(t, "指标1：订阅报纸", 0);
    cell_text(t, r->row_no, "一级指标", "产出指标");
    cell_text(t, r->row_no, "二级指标", "数量指标");
    const bp_table_cell *c = cell_text(t, r->row_no, "指标值", "200份");
    ck_assert(!c->has_value);
    r = must_row(t, "受众群体满意度", 0);
    c = cell_text(t, r->row_no, "指标值", "98%");
    ck_assert(!c->has_value);
    bp_table_set_free(&d.set);
}
END_TEST

/* 表11 of 000 goes on over pages 24–25 as untitled grids: one table, the
 * merged 一级/二级指标 cells carried over the page break. */
START_TEST(test_form_continued_over_pages)
{
    doc_tables d;
    const bp_table *t = recover_table(&d, "000_f0c626f3f0336fe3.pdf", "表 11");
    if (t == NULL)
        return;
    assert_pages(t, 23, 25);
    ck_assert_ptr_eq(d.set.tables + d.set.n_tables - 1, t);
    const bp_table_row *r = must_row(t, "金额合计", 0);
    ck_assert_int_eq(r->role, BP_ROW_TOTAL);
    assert_value(find_cell(t, r->row_no, "预算金额（万元） / 总额"), "256,890", "256890");
    r = must_row(t, "调查病历真实性的业务数量", 0);
    ck_assert_int_eq(r->page, 24);
    cell_text(t, r->row_no, "一级指标", "产出指标");
    cell_text(t, r->row_no, "二级指标", "数量指标");
    r = must_row(t, "医保五项功能“好差评”功能好评率", 0);
    ck_assert_int_eq(r->page, 25);
    cell_text(t, r->row_no, "一级指标", "满意度指标");
    bp_table_set_free(&d.set);
}
END_TEST

/* Side by side (经济分类 类 | 款 | 科目名称 | 决算数, twice) without a
 * top header: each half joins its own 类/款 pieces into its codes. */
START_TEST(test_side_by_side_split_codes)
{
    doc_tables d = recover_in("real", "cn-031.pdf");
    if (!d.ok)
        return;
    const bp_table *t = NULL;
    for (size_t i = 0; i < d.set.n_tables && t == NULL; i++)
        if (d.set.tables[i].title && strcmp(d.set.tables[i].title, "一般公共预算财政拨款基本支出决算表") == 0)
            t = &d.set.tables[i];
    ck_assert_ptr_nonnull(t);
    const bp_table_row *r = must_row(t, "基本工资", 0);
    ck_assert_str_eq(r->code, "30101");
    r = must_row(t, "退休费", 0);
    ck_assert_str_eq(r->code, "30302");
    r = must_row(t, "印刷费", 1);
    ck_assert_str_eq(r->code, "30202");
    const bp_table_cell *c = NULL;
    for (size_t i = 0; i < t->n_cells; i++)
        if (t->cells[i].row_no == r->row_no && t->columns[t->cells[i].column].part == 1 &&
            strcmp(t->columns[t->cells[i].column].path, "决算数") == 0)
            c = &t->cells[i];
    assert_value(c, "7.61", "7.61");
    bp_table_set_free(&d.set);
}
END_TEST

/* cn-014 表十二 (Excel) goes on over page 13 under its repeated title,
 * unit and header; its large bold header glyphs are not rules. */
START_TEST(test_repeated_title_continues)
{
    doc_tables d = recover_in("real", "cn-014.pdf");
    if (!d.ok)
        return;
    const bp_table *t = find_table(&d.set, "表十二");
    ck_assert_ptr_nonnull(t);
    assert_pages(t, 12, 13);
    ck_assert_int_eq((int)t->n_columns, 6);
    ck_assert_str_eq(t->columns[0].path, "采购品目大类");
    ck_assert_ptr_eq(t, d.set.tables + d.set.n_tables - 1);
    bp_table_set_free(&d.set);
}
END_TEST

/* 行次 numbers lines: 26, 27 … are neither classification codes nor
 * figures (szyb-2020 公开01表). */
START_TEST(test_row_numbers_are_not_codes)
{
    doc_tables d = recover_path(BP_SOURCE_DIR "/corpus/szyb-2020-final-accounts.pdf");
    const bp_table *t = find_table(&d.set, "公开 01 表");
    ck_assert_ptr_nonnull(t);
    const bp_table_row *r = must_row(t, "一、一般公共服务支出", 1);
    ck_assert_ptr_null(r->code);
    const bp_table_cell *c = NULL;
    for (size_t i = 0; i < t->n_cells; i++)
        if (t->cells[i].row_no == r->row_no && t->columns[t->cells[i].column].part == 1 &&
            strcmp(t->columns[t->cells[i].column].path, "支出 / 行次") == 0)
            c = &t->cells[i];
    ck_assert_ptr_nonnull(c);
    ck_assert_str_eq(c->text, "26");
    ck_assert(!c->has_value);
    bp_table_set_free(&d.set);
}
END_TEST

/* ---- a page without ruling lines, built here ------------------------- */

static uint32_t utf8_next(const char **s)
{
    const unsigned char *p = (const unsigned char *)*s;
    uint32_t cp;
    int n;
    if (*p < 0x80) { cp = *p; n = 1; }
    else if (*p < 0xE0) { cp = *p & 0x1F; n = 2; }
    else if (*p < 0xF0) { cp = *p & 0x0F; n = 3; }
    else { cp = *p & 0x07; n = 4; }
    for (int i = 1; i < n; i++)
        cp = (cp << 6) | (p[i] & 0x3F);
    *s += n;
    return cp;
}

/* Appends a printed line to page: words[i] starts at x[i] (or ends at
 * -x[i] when negative: right-aligned), glyphs 10 pt high, CJK 10 pt and
 * ASCII 5 pt wide. */
static void put_line(bp_page *page, double y, const char *const *words, const double *x,
                     size_t n)
{
    page->lines = realloc(page->lines, (page->n_lines + 1) * sizeof *page->lines);
    ck_assert_ptr_nonnull(page->lines);
    bp_line *line = &page->lines[page->n_lines++];
    memset(line, 0, sizeof *line);
    line->first_word = page->n_words;
    size_t text_len = 0;
    for (size_t i = 0; i < n; i++)
        text_len += strlen(words[i]) + 1;
    line->text = calloc(text_len + 1, 1);
    ck_assert_ptr_nonnull(line->text);
    for (size_t i = 0; i < n; i++) {
        double width = 0;
        for (const char *s = words[i]; *s;)
            width += utf8_next(&s) < 0x80 ? 5 : 10;
        double x0 = x[i] >= 0 ? x[i] : -x[i] - width;
        page->words = realloc(page->words, (page->n_words + 1) * sizeof *page->words);
        ck_assert_ptr_nonnull(page->words);
        bp_word *w = &page->words[page->n_words++];
        memset(w, 0, sizeof *w);
        w->text = strdup(words[i]);
        w->first_glyph = page->n_glyphs;
        w->font_size = 10;
        for (const char *s = words[i]; *s;) {
            uint32_t cp = utf8_next(&s);
            double gw = cp < 0x80 ? 5 : 10;
            page->glyphs = realloc(page->glyphs, (page->n_glyphs + 1) * sizeof *page->glyphs);
            ck_assert_ptr_nonnull(page->glyphs);
            bp_glyph g = {cp, {x0, y, x0 + gw, y + 10}, 10};
            page->glyphs[page->n_glyphs++] = g;
            x0 += gw;
            w->n_glyphs++;
        }
        w->box = page->glyphs[w->first_glyph].box;
        w->box.x1 = x0;
        line->box = line->n_words ? bp_box_union(line->box, w->box) : w->box;
        line->n_words++;
        if (i > 0)
            strcat(line->text, " ");
        strcat(line->text, words[i]);
    }
}

static bp_table_set recover_page(bp_page *page)
{
    bp_error err;
    bp_patterns *patterns = NULL;
    ck_assert_int_eq(bp_patterns_load(NULL, &patterns, &err), BP_OK);
    const bp_page *pages[1] = {page};
    bp_table_set set;
    ck_assert_int_eq(bp_tables_recover(pages, NULL, 1, patterns, &set, &err), BP_OK);
    bp_patterns_free(patterns);
    return set;
}

static bp_page *new_page(void)
{
    bp_page *page = calloc(1, sizeof *page);
    ck_assert_ptr_nonnull(page);
    page->number = 3;
    page->width = 595;
    page->height = 842;
    return page;
}

/* Labels left-aligned, figures right-aligned, no rules: three columns. */
START_TEST(test_alignment_table)
{
    bp_page *page = new_page();
    const char *heading[] = {"表1", "支出预算表"};
    const double heading_x[] = {80, 120};
    put_line(page, 100, heading, heading_x, 2);
    const char *unit[] = {"单位：万元"};
    const double unit_x[] = {-480};
    put_line(page, 120, unit, unit_x, 1);
    const char *header[] = {"项目", "本年预算", "上年预算"};
    const double header_x[] = {80, -380, -480};
    put_line(page, 140, header, header_x, 3);
    const char *rows[][3] = {{"工资福利支出", "1,234.56", "1,100.00"},
                             {"商品和服务支出", "88.00", "90.50"},
                             {"合计", "1,322.56", "1,190.50"}};
    const double row_x[] = {80, -380, -480};
    for (int i = 0; i < 3; i++)
        put_line(page, 160 + 20 * i, rows[i], row_x, 3);
    bp_table_set set = recover_page(page);
    const bp_table *t = find_table(&set, "表1");
    ck_assert_ptr_nonnull(t);
    ck_assert_str_eq(t->unit, "万元");
    ck_assert_int_eq((int)t->n_columns, 3);
    ck_assert(t->columns[0].is_label);
    const bp_table_row *r = must_row(t, "合计", 0);
    ck_assert_int_eq(r->role, BP_ROW_TOTAL);
    assert_value(find_cell(t, r->row_no, "本年预算"), "1,322.56", "1322.56");
    assert_value(find_cell(t, r->row_no, "上年预算"), "1,190.50", "1190.50");
    r = must_row(t, "商品和服务支出", 0);
    assert_value(find_cell(t, r->row_no, "上年预算"), "90.50", "90.50");
    bp_table_set_free(&set);
    bp_page_free(page);
}
END_TEST

/* A unit line over prose with one figure is no table body: nothing is
 * invented. */
START_TEST(test_alignment_needs_two_figure_lines)
{
    bp_page *page = new_page();
    const char *heading[] = {"表2", "收入预算表"};
    const double heading_x[] = {80, 120};
    put_line(page, 100, heading, heading_x, 2);
    const char *unit[] = {"单位：万元"};
    const double unit_x[] = {-480};
    put_line(page, 120, unit, unit_x, 1);
    const char *prose1[] = {"本年收入预算", "1,322.56", "万元，比上年增加。"};
    const double prose1_x[] = {80, 200, 250};
    put_line(page, 140, prose1, prose1_x, 3);
    const char *prose2[] = {"主要原因是人员增加。"};
    const double prose2_x[] = {80};
    put_line(page, 160, prose2, prose2_x, 1);
    bp_table_set set = recover_page(page);
    const bp_table *t = find_table(&set, "表2");
    ck_assert_ptr_nonnull(t); /* kept as a table without body */
    ck_assert_int_eq((int)t->n_cells, 0);
    bp_table_set_free(&set);
    bp_page_free(page);
}
END_TEST

typedef struct want_level {
    const char *label;
    int level;
} want_level;

/* Asserts the level of each labelled row of part 0 of t. */
static void assert_levels(const bp_table *t, const want_level *want, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const bp_table_row *r = find_row(t, want[i].label, 0);
        ck_assert_msg(r != NULL, "no row %s", want[i].label);
        ck_assert_msg(r->level == want[i].level, "%s: level %d, want %d", want[i].label,
                      r->level, want[i].level);
    }
}

/* A ruled 项目支出表 built here: a unit row, project rows indented 0.8
 * em under it, two of them with labels wrapped onto a second line (one
 * continuing flush left in the cell, one under its first line).  A wrapped
 * label has the level of its first line. */
START_TEST(test_wrapped_label_level)
{
    bp_page *page = new_page();
    const char *heading[] = {"表9", "项目支出表"};
    const double heading_x[] = {80, 120};
    put_line(page, 100, heading, heading_x, 2);
    const char *unit[] = {"单位：万元"};
    const double unit_x[] = {-348};
    put_line(page, 120, unit, unit_x, 1);
    /* Rows: header 140-160, 某局（本级） 160-180, 甲项目 180-200, wrapped
     * 200-230 and 230-260, 乙项目 260-280. */
    const char *header[] = {"项目名称", "合计"};
    const double header_x[] = {52, -348};
    put_line(page, 145, header, header_x, 2);
    const char *r1[] = {"某局（本级）", "300.00"};
    const double x0[] = {52, -348}, x1[] = {60, -348};
    put_line(page, 165, r1, x0, 2);
    const char *r2[] = {"甲项目", "100.00"};
    put_line(page, 185, r2, x1, 2);
    const char *r3a[] = {"信息化服务类项目（非运维服", "80.00"};
    put_line(page, 203, r3a, x1, 2);
    const char *r3b[] = {"务部分）"};
    put_line(page, 216, r3b, x0, 1);
    const char *r4a[] = {"中央财政转移支付——医疗服", "70.00"};
    put_line(page, 233, r4a, x1, 2);
    const char *r4b[] = {"务补助资金"};
    put_line(page, 246, r4b, x1, 1);
    const char *r5[] = {"乙项目", "50.00"};
    put_line(page, 265, r5, x1, 2);
    bp_box horizontal[] = {{50, 140, 350, 140.5}, {50, 160, 350, 160.5},
                           {50, 180, 350, 180.5}, {50, 200, 350, 200.5},
                           {50, 230, 350, 230.5}, {50, 260, 350, 260.5},
                           {50, 280, 350, 280.5}};
    bp_box vertical[] = {{50, 140, 50.5, 280}, {280, 140, 280.5, 280}, {350, 140, 350.5, 280}};
    bp_page_rules rules = {horizontal, sizeof horizontal / sizeof horizontal[0], vertical,
                           sizeof vertical / sizeof vertical[0]};
    bp_error err;
    bp_patterns *patterns = NULL;
    ck_assert_int_eq(bp_patterns_load(NULL, &patterns, &err), BP_OK);
    const bp_page *pages[1] = {page};
    const bp_page_rules *page_rules[1] = {&rules};
    bp_table_set set;
    ck_assert_int_eq(bp_tables_recover(pages, page_rules, 1, patterns, &set, &err), BP_OK);
    bp_patterns_free(patterns);
    const bp_table *t = find_table(&set, "表9");
    ck_assert_ptr_nonnull(t);
    static const want_level want[] = {
        {"某局（本级）", 0},
        {"甲项目", 1},
        {"信息化服务类项目（非运维服务部分）", 1},
        {"中央财政转移支付——医疗服务补助资金", 1},
        {"乙项目", 1},
    };
    assert_levels(t, want, sizeof want / sizeof want[0]);
    bp_table_set_free(&set);
    bp_page_free(page);
}
END_TEST

/* The same in the corpus: szyb-2024-budget 表5 项目支出总表 (p15), where
 * 信息化服务类项目（非运维服务部分） and 信息化新建项目（非政府投资项目）
 * wrap under their first line and 中央财政转移支付——… wraps flush left. */
START_TEST(test_wrapped_label_level_corpus)
{
    doc_tables d = recover_path(BP_SOURCE_DIR "/corpus/szyb-2024-budget.pdf");
    const bp_table *t = find_table(&d.set, "表5");
    ck_assert_ptr_nonnull(t);
    static const want_level want[] = {
        {"深圳市医疗保障局（本级）", 0},
        {"基金监督管理", 1},
        {"区财政安排项目", 1},
        {"信息化服务类项目（非运维服务部分）", 1},
        {"信息化系统运行维护", 1},
        {"信息化新建项目（非政府投资项目）", 1},
        {"预算准备金", 1},
        {"中央财政转移支付——医疗服务与保障能力提升补助资金", 1},
    };
    assert_levels(t, want, sizeof want / sizeof want[0]);
    bp_table_set_free(&d.set);
}
END_TEST

/* Ingests PDFs with the CLI into dir and exports what to dir/out.jsonl. */
static int ingest_export(const char *dir, const char *pdfs, const char *what)
{
    char cmd[8192];
    snprintf(cmd, sizeof cmd,
             "'%s' ingest -j 2 --db '%s/t.sqlite' %s >/dev/null 2>&1; "
             "'%s' export --db '%s/t.sqlite' --format jsonl %s > '%s/out.jsonl'",
             BP_BINARY, dir, pdfs, BP_BINARY, dir, what, dir);
    return system(cmd);
}

static void remove_dir(const char *dir)
{
    char cmd[4200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
}

static bool have_python(void)
{
    if (system("command -v python3 >/dev/null 2>&1") == 0)
        return true;
    fprintf(stderr, "skipped: python3 not found for bench/*.py\n");
    return false;
}

/* Golden: ingest the rendered corpus with the CLI, export cells and score
 * them against the truth files (the targets: recall >= 0.995,
 * precision >= 0.999 per document). */
START_TEST(test_golden_rendered_score)
{
    const char *shared = bp_test_shared_dir();
    if (shared == NULL || !have_python())
        return;
    char dir[] = "/tmp/bp-tables-XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char pdfs[4096], cmd[8192];
    snprintf(pdfs, sizeof pdfs, "'%s/corpus/rendered/000_f0c626f3f0336fe3.pdf' "
             "'%s/corpus/rendered/003_4cd56771f99f2713.pdf'", shared, shared);
    ck_assert_int_eq(ingest_export(dir, pdfs, "cells"), 0);
    snprintf(cmd, sizeof cmd,
             "python3 '%s/bench/score_cells.py' --min-recall 0.995 --min-precision 0.999 "
             "'%s/corpus/rendered' '%s/out.jsonl'",
             BP_SOURCE_DIR, shared, dir);
    int rc = system(cmd);
    remove_dir(dir);
    ck_assert_int_eq(rc, 0);
}
END_TEST

/* Golden: the project's own corpus/ PDFs against their .truth.json, each
 * document with its floor (today's measured level, see docs/tables.md). */
static const struct {
    const char *name;
    const char *min_recall, *min_precision;
} own_corpus[] = {
    {"szyb-2024-budget", "0.999", "0.999"},
    {"szyb-2019-project-targets", "0.999", "0.999"},
    {"szyb-2020-final-accounts", "0.967", "0.967"},
};

START_TEST(test_golden_own_corpus_score)
{
    if (!have_python())
        return;
    char dir[] = "/tmp/bp-tables-XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char pdfs[4096], cmd[8192];
    snprintf(pdfs, sizeof pdfs, "'%s/corpus/%s.pdf'", BP_SOURCE_DIR, own_corpus[_i].name);
    ck_assert_int_eq(ingest_export(dir, pdfs, "cells"), 0);
    snprintf(cmd, sizeof cmd,
             "python3 '%s/bench/score_cells.py' --doc '%s' --min-recall %s --min-precision %s "
             "'%s/corpus' '%s/out.jsonl'",
             BP_SOURCE_DIR, own_corpus[_i].name, own_corpus[_i].min_recall,
             own_corpus[_i].min_precision, BP_SOURCE_DIR, dir);
    int rc = system(cmd);
    remove_dir(dir);
    ck_assert_int_eq(rc, 0);
}
END_TEST

/* Every table each real document's 目录 lists is recovered (a document
 * whose tables are said to be attached separately is reported, not
 * failed: bench/toc_check.py). */
START_TEST(test_real_toc_tables_found)
{
    const char *shared = bp_test_shared_dir();
    if (shared == NULL || !have_python())
        return;
    char dir[] = "/tmp/bp-tables-XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char pdfs[4096], cmd[8192];
    snprintf(pdfs, sizeof pdfs, "'%s/corpus/real/'*.pdf", shared);
    ck_assert_int_eq(ingest_export(dir, pdfs, "tables"), 0);
    snprintf(cmd, sizeof cmd, "python3 '%s/bench/toc_check.py' '%s' '%s/out.jsonl' '%s/corpus/real/'*.pdf",
             BP_SOURCE_DIR, BP_BINARY, dir, shared);
    int rc = system(cmd);
    remove_dir(dir);
    ck_assert_int_eq(rc, 0);
}
END_TEST

static Suite *tables_suite(void)
{
    Suite *s = suite_create("tables");
    TCase *tc = tcase_create("rendered");
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, test_function_classification_table);
    tcase_add_test(tc, test_side_by_side_parts);
    tcase_add_test(tc, test_continued_table_is_one);
    tcase_add_test(tc, test_side_by_side_split_codes);
    tcase_add_test(tc, test_repeated_title_continues);
    tcase_add_test(tc, test_row_numbers_are_not_codes);
    tcase_add_test(tc, test_form_fields_and_sections);
    tcase_add_test(tc, test_form_continued_over_pages);
    tcase_add_test(tc, test_golden_rendered_score);
    tcase_add_loop_test(tc, test_golden_own_corpus_score, 0,
                        (int)(sizeof own_corpus / sizeof own_corpus[0]));
    tcase_add_test(tc, test_real_toc_tables_found);
    tcase_add_test(tc, test_wrapped_label_level_corpus);
    suite_add_tcase(s, tc);
    tc = tcase_create("alignment");
    tcase_add_test(tc, test_alignment_table);
    tcase_add_test(tc, test_alignment_needs_two_figure_lines);
    tcase_add_test(tc, test_wrapped_label_level);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return bp_test_run(tables_suite());
}
