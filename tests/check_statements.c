/*
 * check_statements.c — narrative statements and document identity
 * (patterns/statements.c, identity.c) over plain text: values, units,
 * comparisons with their signs, components, 持平, and table lines skipped.
 */
#include <check.h>
#include <string.h>

#include "patterns/patterns.h"
#include "test_support.h"

static bp_patterns *patterns;

static void setup(void)
{
    bp_error err = {0};
    ck_assert_int_eq(bp_patterns_load(NULL, &patterns, &err), BP_OK);
}

static void teardown(void)
{
    bp_patterns_free(patterns);
}

static void find(const char *text, int year, bp_statement_list *out)
{
    const char *pages[] = {text};
    bp_error err = {0};
    ck_assert_int_eq(bp_statements_find_text(pages, 1, patterns, year, out, &err), BP_OK);
}

static void assert_value(const bp_decimal *d, const char *expected)
{
    char buf[BP_DECIMAL_STRING_MAX];
    ck_assert_str_eq(bp_decimal_format(*d, buf, sizeof buf), expected);
}

START_TEST(comparison_with_base_year)
{
    bp_statement_list out = {0};
    find("2022 年部门预算收入 256,890 万元，比 2021 年增加 11,530 万元，增长 5%。\n"
         "\n财政补助较上年预算减少 55,104 万元，减幅 19%。\n", 2022, &out);
    ck_assert_uint_eq(out.count, 2);
    ck_assert_str_eq(out.items[0].subject, "2022 年部门预算收入");
    assert_value(&out.items[0].number.value, "256890");
    ck_assert_str_eq(out.items[0].number.unit, "万元");
    ck_assert_int_eq(out.items[0].base_year, 2021);
    assert_value(&out.items[0].change, "11530");
    assert_value(&out.items[0].percent, "5");
    /* a change with no figure of its own, signed negative, 比上年 */
    ck_assert_int_eq(out.items[1].number.kind, BP_NUMBER_NO_VALUE);
    ck_assert_str_eq(out.items[1].subject, "财政补助");
    assert_value(&out.items[1].change, "-55104");
    assert_value(&out.items[1].percent, "-19");
    ck_assert_int_eq(out.items[1].base_year, 2021);
    bp_statement_list_free(&out);
}
END_TEST

START_TEST(components_and_numbered_items)
{
    bp_statement_list out = {0};
    find("中心预算 256,890 万元，包括人员支出 5,524 万元、公用支出 550 万元。\n\n"
         "（四）项目支出 250,606 万元，具体包括：\n\n"
         "1. 补助预算 239,498 万元，用于补助。\n\n"
         "2. 经办管理预算 3,871 万元，用于经办。\n\n"
         "（五）其他支出 10 万元。\n", 0, &out);
    ck_assert_uint_eq(out.count, 5);
    ck_assert_uint_eq(out.items[0].n_components, 2);
    ck_assert_str_eq(out.items[0].components[0].subject, "人员支出");
    assert_value(&out.items[0].components[1].number.value, "550");
    ck_assert_str_eq(out.items[1].subject, "项目支出");
    ck_assert_uint_eq(out.items[1].n_components, 2);
    assert_value(&out.items[1].components[1].number.value, "3871");
    ck_assert_uint_eq(out.items[4].n_components, 0);
    bp_statement_list_free(&out);
}
END_TEST

START_TEST(flat_and_table_lines)
{
    bp_statement_list out = {0};
    find("机关运行经费 16 万元，与上年持平。\n\n表1 收支总表\n单位：万元\n合计 256,890 256,890\n", 0,
         &out);
    ck_assert_uint_eq(out.count, 1);
    ck_assert(out.items[0].has_change);
    assert_value(&out.items[0].change, "0");
    bp_statement_list_free(&out);
}
END_TEST

static Suite *statements_suite(void)
{
    Suite *s = suite_create("statements");
    TCase *tc = tcase_create("text");
    tcase_add_unchecked_fixture(tc, setup, teardown);
    tcase_add_test(tc, comparison_with_base_year);
    tcase_add_test(tc, components_and_numbered_items);
    tcase_add_test(tc, flat_and_table_lines);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return bp_test_run(statements_suite());
}
