/*
 * check_statements.c — narrative statements and document identity
 * (patterns/statements.c, identity.c) over plain text: values, units,
 * comparisons with their signs, components, 持平, and table lines skipped;
 * one case per subject rule (shares of components, count nouns, purpose
 * wording, changes after figure-less sentences and after components,
 * heading subjects) and not-comparable comparisons.
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

/* Finds the statements of text (one page) into out; there must be n. */
static void find(const char *text, int year, size_t n, bp_statement_list *out)
{
    const char *pages[] = {text};
    bp_error err = {0};
    ck_assert_int_eq(bp_statements_find_text(pages, 1, patterns, year, out, &err), BP_OK);
    ck_assert_uint_eq(out->count, n);
}

static void assert_value(const bp_decimal *d, const char *expected)
{
    char buf[BP_DECIMAL_STRING_MAX];
    ck_assert_str_eq(bp_decimal_format(*d, buf, sizeof buf), expected);
}

/* The comparison of s: its change and percent (NULL: not checked) against
 * base_year. */
static void assert_comparison(const bp_statement *s, const char *change, const char *percent,
                              int base_year)
{
    if (change)
        assert_value(&s->change, change);
    if (percent)
        assert_value(&s->percent, percent);
    ck_assert_int_eq(s->base_year, base_year);
}

START_TEST(comparison_with_base_year)
{
    bp_statement_list out = {0};
    find("2022 年部门预算收入 256,890 万元，比 2021 年增加 11,530 万元，增长 5%。\n"
         "\n财政补助较上年预算减少 55,104 万元，减幅 19%。\n", 2022, 2, &out);
    ck_assert_str_eq(out.items[0].subject, "2022 年部门预算收入");
    assert_value(&out.items[0].number.value, "256890");
    ck_assert_str_eq(out.items[0].number.unit, "万元");
    assert_comparison(&out.items[0], "11530", "5", 2021);
    /* a change with no figure of its own, signed negative, 比上年 */
    ck_assert_int_eq(out.items[1].number.kind, BP_NUMBER_NO_VALUE);
    ck_assert_str_eq(out.items[1].subject, "财政补助");
    assert_comparison(&out.items[1], "-55104", "-19", 2021);
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
         "（五）其他支出 10 万元。\n", 0, 5, &out);
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
         1, &out);
    ck_assert(out.items[0].has_change);
    assert_value(&out.items[0].change, "0");
    bp_statement_list_free(&out);
}
END_TEST

/* A share after a component is the component's share. */
START_TEST(share_of_component)
{
    bp_statement_list out = {0};
    find("本年支出合计 500.00 万元，其中：人员支出 400.00 万元，占 80.00%；运行支出 100.00 万元，占 20.00%。\n",
         0, 4, &out); /* the ； ends the list: 运行支出 stands alone */
    ck_assert_uint_eq(out.items[0].n_components, 1);
    ck_assert_str_eq(out.items[1].subject, "人员支出占比");
    ck_assert_str_eq(out.items[3].subject, "运行支出占比");
    bp_statement_list_free(&out);
}
END_TEST

/* Counts: the noun ends after a word for people; 万 without 元 before a
 * noun is a count; a bracketed remark or ） is not what is counted. */
START_TEST(count_nouns)
{
    bp_statement_list out = {0};
    find("该经费用于支付 12 名协管人员劳务报酬。\n\n惠及全县 8 万余农村居民。\n\n"
         "整改完成的 3 个，尚未整改的 1 个）。\n\n用地面积约为 500.5 平方米（以实测为准）。\n",
         0, 5, &out);
    ck_assert_str_eq(out.items[0].subject, "协管人员");
    ck_assert_str_eq(out.items[1].subject, "农村居民");
    ck_assert_int_eq(out.items[1].number.kind, BP_NUMBER_COUNT);
    ck_assert_str_eq(out.items[1].number.unit, "万");
    ck_assert_str_eq(out.items[3].subject, "尚未整改");
    ck_assert_str_eq(out.items[4].subject, "用地面积");
    bp_statement_list_free(&out);
}
END_TEST

/* 该项目主要用于 / 用于对 introduce what the money is for. */
START_TEST(purpose_wording)
{
    bp_statement_list out = {0};
    find("该项目主要用于档案数字化 30 万元，设备维护 20 万元。\n\n"
         "审核费 9 万元，用于对单笔费用 2 万元及以上的票据进行核查。\n", 0, 4, &out);
    ck_assert_str_eq(out.items[0].subject, "档案数字化");
    ck_assert_str_eq(out.items[1].subject, "设备维护");
    ck_assert_str_eq(out.items[3].subject, "单笔费用");
    bp_statement_list_free(&out);
}
END_TEST

/* A sentence opening with a change after a sentence without figures: a
 * statement of its own about the subject before. */
START_TEST(change_after_sentence_without_figures)
{
    bp_statement_list out = {0};
    find("3. 培训项目预算 120 万元，用于干部培训。该项目面向全系统。较 2021 年预算增加 20 万元，增幅 20%。\n",
         2022, 2, &out);
    ck_assert(!out.items[0].has_change);
    ck_assert_int_eq(out.items[1].number.kind, BP_NUMBER_NO_VALUE);
    ck_assert_str_eq(out.items[1].subject, "培训项目预算");
    assert_comparison(&out.items[1], "20", "20", 2021);
    bp_statement_list_free(&out);
}
END_TEST

/* A change right after a component is the component's; one that names
 * its own subject is not. */
START_TEST(change_after_component)
{
    bp_statement_list out = {0};
    find("会议费 9 万元，其中：场地费 4 万元，比 2021 年增加 1 万元；"
         "资料费 5 万元。\n\n"
         "收入预算 80 万元，其中财政拨款 80 万元、事业收入 0 万元，收入预算较 2021 年减少 6 万元。\n",
         2022, 4, &out);
    ck_assert(!out.items[0].has_change);
    ck_assert_uint_eq(out.items[0].n_components, 1);
    ck_assert_int_eq(out.items[1].number.kind, BP_NUMBER_NO_VALUE);
    ck_assert_str_eq(out.items[1].subject, "场地费");
    assert_comparison(&out.items[1], "1", NULL, 2021);
    ck_assert_str_eq(out.items[3].subject, "收入预算");
    assert_value(&out.items[3].change, "-6");
    bp_statement_list_free(&out);
}
END_TEST

/* A numbered heading sentence without figures names the generic subjects
 * (年初预算, 支出决算, 2022 年预算数) under it, until the next numbered
 * sentence; a section title or a definition does not. */
START_TEST(heading_subjects)
{
    bp_statement_list out = {0};
    find("1、教育支出（类）普通教育（款）小学教育（项）。主要用于：校舍维修。年初预算为 50.00 万元，支出决算为 49.00 万元。\n\n"
         "2、差旅费。2022 年预算数 3 万元。\n\n"
         "（三）收入支出决算总体情况说明。支出决算为 70.00 万元。\n\n"
         "4、专项经费：指专门用途的经费。支出预算 10 万元。\n", 2022, 5, &out);
    ck_assert_str_eq(out.items[0].subject, "教育支出（类）普通教育（款）小学教育（项）年初预算");
    ck_assert_str_eq(out.items[1].subject, "教育支出（类）普通教育（款）小学教育（项）支出决算");
    ck_assert_str_eq(out.items[2].subject, "差旅费2022 年预算数");
    ck_assert_str_eq(out.items[3].subject, "支出决算");
    ck_assert_str_eq(out.items[4].subject, "支出预算");
    bp_statement_list_free(&out);
}
END_TEST

/* 增长--（基数为 0，不可比）: not comparable, with its base year. */
START_TEST(not_comparable)
{
    bp_statement_list out = {0};
    find("培训费 6 万元，比 2021 年增长--（基数为 0，不可比）。\n\n会议费 2 万元，比上年减少 1 万元。\n",
         2022, 2, &out);
    ck_assert(out.items[0].not_comparable);
    ck_assert(!out.items[0].has_percent);
    ck_assert_int_eq(out.items[0].base_year, 2021);
    ck_assert(!out.items[1].not_comparable);
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
    tcase_add_test(tc, share_of_component);
    tcase_add_test(tc, count_nouns);
    tcase_add_test(tc, purpose_wording);
    tcase_add_test(tc, change_after_sentence_without_figures);
    tcase_add_test(tc, change_after_component);
    tcase_add_test(tc, heading_subjects);
    tcase_add_test(tc, not_comparable);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return bp_test_run(statements_suite());
}
