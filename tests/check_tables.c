/*
 * check_tables.c — table recovery: ruling lines, headers, codes, levels,
 * roles and side-by-side parts on the shared rendered corpus, and the
 * golden score of the cells export against its .truth.json files
 * (bench/score_cells.py).  Skips when ../shared is absent.
 */
#include "tests/test_support.h"

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

static doc_tables recover(const char *name)
{
    doc_tables out;
    memset(&out, 0, sizeof out);
    const char *shared = bp_test_shared_dir();
    if (shared == NULL)
        return out;
    char path[4096];
    snprintf(path, sizeof path, "%s/corpus/rendered/%s", shared, name);
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
    doc_tables d = recover("000_f0c626f3f0336fe3.pdf");
    if (!d.ok)
        return;
    const bp_table *t = find_table(&d.set, "表7");
    ck_assert_ptr_nonnull(t);
    ck_assert_str_eq(t->unit, "万元");
    ck_assert_int_eq(t->first_page, 19);
    const bp_table_row *r = find_row(t, "机关事业单位基本养老保险缴费支出", 0);
    ck_assert_ptr_nonnull(r);
    ck_assert_str_eq(r->code, "2080505");
    ck_assert_int_eq(r->level, 2);
    assert_value(find_cell(t, r->row_no, "支出总计"), "358", "358");
    r = find_row(t, "卫生健康支出", 0);
    ck_assert_ptr_nonnull(r);
    ck_assert_str_eq(r->code, "210");
    ck_assert_int_eq(r->level, 0);
    assert_value(find_cell(t, r->row_no, "项目支出"), "246,895", "246895");
    bp_table_set_free(&d.set);
}
END_TEST

START_TEST(test_side_by_side_parts)
{
    doc_tables d = recover("000_f0c626f3f0336fe3.pdf");
    if (!d.ok)
        return;
    const bp_table *t = find_table(&d.set, "表1");
    ck_assert_ptr_nonnull(t);
    ck_assert_str_eq(t->title, "收支总表");
    ck_assert_int_eq((int)t->n_columns, 4);
    ck_assert_str_eq(t->columns[1].path, "收入 / 2022年预算数");
    ck_assert_int_eq(t->columns[2].part, 1);
    /* A label wrapped over two lines in its cell is one row. */
    const bp_table_row *r = find_row(t, "机关事业单位基本养老保险缴费支出", 1);
    ck_assert_ptr_nonnull(r);
    const bp_table_row *left = find_row(t, "2. 政府性基金预算拨款", 0);
    ck_assert_ptr_nonnull(left);
    ck_assert_int_eq(left->row_no, r->row_no);
    assert_value(find_cell(t, r->row_no, "支出 / 2022年预算数"), "358", "358");
    r = find_row(t, "本年收入合计", 0);
    ck_assert_ptr_nonnull(r);
    ck_assert_int_eq(r->role, BP_ROW_TOTAL);
    assert_value(find_cell(t, r->row_no, "收入 / 2022年预算数"), "255,126", "255126");
    bp_table_set_free(&d.set);
}
END_TEST

START_TEST(test_continued_table_is_one)
{
    doc_tables d = recover("003_4cd56771f99f2713.pdf");
    if (!d.ok)
        return;
    const bp_table *t = find_table(&d.set, "表6");
    ck_assert_ptr_nonnull(t);
    ck_assert_int_eq(t->first_page, 23);
    ck_assert_int_eq(t->last_page, 24);
    int labelled = 0;
    for (size_t i = 0; i < d.set.n_tables; i++)
        labelled += d.set.tables[i].label && strcmp(d.set.tables[i].label, "表6") == 0;
    ck_assert_int_eq(labelled, 1);
    /* The empty tables (title and unit line only) are listed too. */
    const bp_table *empty = find_table(&d.set, "表2");
    ck_assert_ptr_nonnull(empty);
    ck_assert_int_eq((int)empty->n_cells, 0);
    ck_assert_str_eq(empty->unit, "万元");
    bp_table_set_free(&d.set);
}
END_TEST

/* Golden: ingest the rendered corpus with the CLI, export cells and score
 * them.  The floors are today's measured level on the grid tables plus the
 * 绩效目标 forms (see docs/tables.md); raise them as recovery improves. */
START_TEST(test_golden_rendered_score)
{
    const char *shared = bp_test_shared_dir();
    if (shared == NULL)
        return;
    if (system("command -v python3 >/dev/null 2>&1") != 0) {
        fprintf(stderr, "skipped: python3 not found for bench/score_cells.py\n");
        return;
    }
    char dir[] = "/tmp/bp-tables-XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char cmd[8192];
    snprintf(cmd, sizeof cmd,
             "'%s' ingest --db '%s/t.sqlite' '%s/corpus/rendered/000_f0c626f3f0336fe3.pdf' "
             "'%s/corpus/rendered/003_4cd56771f99f2713.pdf' >/dev/null 2>&1 && "
             "'%s' export --db '%s/t.sqlite' --format jsonl cells > '%s/cells.jsonl' && "
             "python3 '%s/bench/score_cells.py' --min-recall 0.58 --min-precision 0.50 "
             "'%s/corpus/rendered' '%s/cells.jsonl'",
             BP_BINARY, dir, shared, shared, BP_BINARY, dir, dir, BP_SOURCE_DIR, shared, dir);
    int rc = system(cmd);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
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
    tcase_add_test(tc, test_golden_rendered_score);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return bp_test_run(tables_suite());
}
