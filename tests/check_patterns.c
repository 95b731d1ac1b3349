/*
 * check_patterns.c — the pattern-file loader and matcher (patterns/):
 * every built-in file compiles, the file format (comments, labels,
 * continuation lines), errors naming file and line, override directories,
 * and table-driven cases for each built-in line-role set.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "patterns/patterns.h"
#include "patterns/patterns_builtin.h"
#include "test_support.h"

static bp_patterns *builtins;

static void load_builtins(void)
{
    bp_error err = {0};
    ck_assert_int_eq(bp_patterns_load(NULL, &builtins, &err), BP_OK);
}

static void free_builtins(void)
{
    bp_patterns_free(builtins);
    builtins = NULL;
}

START_TEST(every_builtin_file_compiles)
{
    ck_assert_int_gt(bp_builtin_pattern_file_count, 0);
    for (int i = 0; i < bp_builtin_pattern_file_count; i++) {
        char set[128];
        const char *name = bp_builtin_pattern_files[i].name;
        size_t n = strlen(name) - strlen(".pcre");
        ck_assert_uint_lt(n, sizeof set);
        memcpy(set, name, n);
        set[n] = '\0';
        ck_assert_msg(bp_patterns_has_set(builtins, set), "set %s missing", set);
        ck_assert_msg(bp_patterns_set_size(builtins, set) > 0, "set %s is empty", set);
        ck_assert_str_eq(bp_patterns_set_origin(builtins, set), "built-in");
    }
    const char *required[] = {BP_PSET_TABLE_HEADING, BP_PSET_TABLE_TITLE,
                              BP_PSET_UNIT, BP_PSET_DEPARTMENT, BP_PSET_TOTAL_ROW,
                              BP_PSET_OF_WHICH, BP_PSET_EMPTY_TABLE,
                              BP_PSET_TOC_ENTRY};
    for (size_t i = 0; i < sizeof required / sizeof *required; i++)
        ck_assert_msg(bp_patterns_has_set(builtins, required[i]), "no set %s",
                      required[i]);
}
END_TEST

/* One line, the set, and what must come out: NULL label = no match. */
typedef struct line_case {
    const char *set;
    const char *text;
    const char *group;    /* group to check, or NULL */
    const char *expected; /* its text; NULL when the line must not match */
    const char *pattern;  /* expected pattern label, or NULL for any */
} line_case;

static const line_case line_cases[] = {
    {"table_heading", "表1", "label", "表1", NULL},
    {"table_heading", "表 1 收支总表", "label", "表 1", NULL},
    {"table_heading", "表 1 收支总表", "title", "收支总表", NULL},
    {"table_heading", "表一", "label", "表一", NULL},
    {"table_heading", "表14-5 一般公共预算支出表", "label", "表14-5", NULL},
    {"table_heading", "附表1-2", "label", "附表1-2", NULL},
    {"table_heading", "公开01表", "label", "公开01表", NULL},
    {"table_heading", "公开表一", "label", "公开表一", NULL},
    {"table_heading", "收入支出决算总表 公开01表", "title", "收入支出决算总表", NULL},
    {"table_heading", "收入支出决算总表 公开01表", "label", "公开01表", NULL},
    {"table_heading", "表11", "label", "表11", NULL},
    {"table_heading", "详见表1，本年收入合计256,890万元。", NULL, NULL, NULL},
    {"table_heading", "表明本单位预算收入增加", NULL, NULL, NULL},
    {"table_title", "收支总表", "title", "收支总表", NULL},
    {"table_title", "部门收支总表", "title", "部门收支总表", NULL},
    {"table_title", "一般公共预算支出表（按功能分类）", "title",
     "一般公共预算支出表（按功能分类）", NULL},
    {"table_title", "2022年部门收支总表", "title", "部门收支总表", NULL},
    {"table_title", "部门预算收入256,890万元，详见收支总表", NULL, NULL, NULL},
    {"unit", "单位：万元", "unit", "万元", NULL},
    {"unit", "金额单位：元", "unit", "元", NULL},
    {"unit", "（单位：千元）", "unit", "千元", NULL},
    {"unit", "部门名称：深圳市医疗保障局    单位:万元", "unit", "万元", NULL},
    {"unit", "单位名称：深圳市医疗保障局", NULL, NULL, NULL},
    {"unit", "单位：个", NULL, NULL, NULL},
    {"department", "部门名称：深圳市医疗保障局    单位：万元", "name", "深圳市医疗保障局", NULL},
    {"department", "单位名称：江苏省政协办公厅", "name", "江苏省政协办公厅", NULL},
    {"department", "部门：江苏省政协办公厅 单位：万元", "name", "江苏省政协办公厅", NULL},
    {"department", "预算主管部门：上海市普陀区司法局", "name", "上海市普陀区司法局", NULL},
    {"department", "本部门共设6个处室", NULL, NULL, NULL},
    {"total_row", "合计", "label", "合计", "total"},
    {"total_row", "总 计", "label", "总 计", "total"},
    {"total_row", "小计", "label", "小计", "subtotal"},
    {"total_row", "本年收入合计", "label", "本年收入合计", "total"},
    {"total_row", "收入总计", "label", "收入总计", "total"},
    {"total_row", "支出合计", "label", "支出合计", "total"},
    {"total_row", "合计数据说明", NULL, NULL, NULL},
    {"total_row", "基本支出", NULL, NULL, NULL},
    {"of_which", "其中：基本支出", "rest", "基本支出", NULL},
    {"of_which", "其中:", "rest", "", NULL},
    {"of_which", "其他支出", NULL, NULL, NULL},
    {"empty_table", "本表无数据", NULL, "本表无数据", NULL},
    {"empty_table", "空表", NULL, "空表", NULL},
    {"empty_table", "本单位2022年无政府性基金预算支出。", NULL, "", NULL},
    {"empty_table", "本部门没有国有资本经营预算拨款收入，也没有使用国有资本经营预算拨款安排的支出。",
     NULL, "", NULL},
    {"empty_table", "本部门2022年一般公共预算支出256,890万元", NULL, NULL, NULL},
    {"toc_entry", "目 录", NULL, "", "heading"},
    {"toc_entry", "三、名词解释 ……………………………… 12", "page", "12", "dotted"},
    {"toc_entry", "(一) 收支总表", "title", "(一) 收支总表", "numbered"},
};

START_TEST(line_roles)
{
    const line_case *c = &line_cases[_i];
    bp_pattern_match m;
    bool hit = bp_patterns_match(builtins, c->set, c->text, (size_t)-1, 0, &m);
    if (!c->expected) {
        ck_assert_msg(!hit, "%s matched %s (pattern %s)", c->set, c->text,
                      hit ? m.label : "");
        return;
    }
    ck_assert_msg(hit, "%s did not match %s", c->set, c->text);
    if (c->pattern)
        ck_assert_str_eq(m.label, c->pattern);
    if (c->group) {
        char *got = bp_pattern_match_group_dup(&m, c->text, c->group);
        ck_assert_msg(got != NULL, "group %s unset for %s", c->group, c->text);
        ck_assert_str_eq(got, c->expected);
        free(got);
    }
}
END_TEST

static char tmpdir[256];

static void write_file(const char *dir, const char *name, const char *text)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
}

static void make_tmpdir(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/check_patterns.XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void remove_tmpdir(void)
{
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    ck_assert_int_eq(system(cmd), 0);
}

START_TEST(override_replaces_and_extends)
{
    make_tmpdir();
    write_file(tmpdir, "table_heading.pcre",
               "# one city prints its tables as 预算公开表（三）\n"
               "city: ^\\s*(?<label>预算公开表[（(][一二三四五六七八九十]+[)）])\\s*(?<title>.*)$\n");
    write_file(tmpdir, "city_title.pcre", "^\\s*(?<title>\\S+明细表)\\s*$\n");
    write_file(tmpdir, "notes.txt", "(unbalanced\n"); /* not a .pcre: ignored */
    bp_patterns *p = NULL;
    bp_error err = {0};
    ck_assert_int_eq(bp_patterns_load(tmpdir, &p, &err), BP_OK);
    ck_assert_uint_eq(bp_patterns_set_size(p, "table_heading"), 1);
    ck_assert_ptr_nonnull(strstr(bp_patterns_set_origin(p, "table_heading"), tmpdir));
    bp_pattern_match m;
    const char *line = "预算公开表（三） 一般公共预算支出表";
    ck_assert(bp_patterns_match(p, "table_heading", line, (size_t)-1, 0, &m));
    ck_assert_str_eq(m.label, "city");
    char *label = bp_pattern_match_group_dup(&m, line, "label");
    ck_assert_str_eq(label, "预算公开表（三）");
    free(label);
    /* the replaced built-in no longer applies */
    ck_assert(!bp_patterns_match(p, "table_heading", "表1", (size_t)-1, 0, NULL));
    /* other built-ins are still there, and the new set was added */
    ck_assert(bp_patterns_match(p, "unit", "单位：万元", (size_t)-1, 0, NULL));
    ck_assert(bp_patterns_has_set(p, "city_title"));
    ck_assert(bp_patterns_match(p, "city_title", "基本支出明细表", (size_t)-1, 0, &m));
    ck_assert_str_eq(m.label, "city_title:1");
    ck_assert(!bp_patterns_has_set(p, "notes"));
    bp_patterns_free(p);

    /* dir-only loading sees only the directory's files */
    ck_assert_int_eq(bp_patterns_load_dir_only(tmpdir, &p, &err), BP_OK);
    ck_assert(!bp_patterns_has_set(p, "unit"));
    ck_assert(bp_patterns_has_set(p, "city_title"));
    bp_patterns_free(p);
    remove_tmpdir();
}
END_TEST

START_TEST(bad_pattern_names_file_and_line)
{
    make_tmpdir();
    write_file(tmpdir, "broken.pcre",
               "# a comment\n"
               "\n"
               "good: 合计\n"
               "bad: (?<label>未闭合\n");
    bp_patterns *p = (bp_patterns *)1;
    bp_error err = {0};
    ck_assert_int_eq(bp_patterns_load(tmpdir, &p, &err), BP_ERR_FORMAT);
    ck_assert_ptr_null(p);
    ck_assert_int_eq(err.code, BP_ERR_FORMAT);
    ck_assert_msg(strstr(err.message, "broken.pcre:4:") != NULL, "message: %s",
                  err.message);
    remove_tmpdir();

    ck_assert_int_eq(bp_patterns_load("/nonexistent/patterns", &p, &err), BP_ERR_IO);
    ck_assert_ptr_nonnull(strstr(err.message, "/nonexistent/patterns"));
}
END_TEST

START_TEST(format_labels_comments_continuations)
{
    make_tmpdir();
    write_file(tmpdir, "demo.pcre",
               "# comment line\n"
               "first: 甲\n"
               "   # a comment between continuation lines is skipped\n"
               "second: (?<a>乙)\n"
               "    (?<b>丙)?\n"
               "\r\n"
               "(?<c>丁)\n");
    bp_patterns *p = NULL;
    bp_error err = {0};
    ck_assert_int_eq(bp_patterns_load_dir_only(tmpdir, &p, &err), BP_OK);
    ck_assert_uint_eq(bp_patterns_set_size(p, "demo"), 3);
    bp_pattern_match m;
    const char *text = "丁乙丙";
    /* earliest match wins: 丁 at 0 beats 乙丙 at 3 */
    ck_assert(bp_patterns_match(p, "demo", text, (size_t)-1, 0, &m));
    ck_assert_str_eq(m.label, "demo:7");
    ck_assert_int_eq(m.line, 7);
    ck_assert_uint_eq(m.start, 0);
    /* searching from an offset */
    ck_assert(bp_patterns_match(p, "demo", text, (size_t)-1, 3, &m));
    ck_assert_str_eq(m.label, "second");
    ck_assert_int_eq(m.n_groups, 2);
    ck_assert_str_eq(m.groups[0].name, "a");
    ck_assert_str_eq(m.groups[1].name, "b");
    const bp_pattern_group *b = bp_pattern_match_group(&m, "b");
    ck_assert_ptr_nonnull(b);
    ck_assert_uint_eq(b->start, 6);
    ck_assert_uint_eq(b->end, 9);
    ck_assert_ptr_null(bp_pattern_match_group(&m, "c"));
    /* an unset optional group */
    ck_assert(bp_patterns_match(p, "demo", "乙", (size_t)-1, 0, &m));
    ck_assert_ptr_null(bp_pattern_match_group(&m, "b"));
    ck_assert_ptr_null(bp_pattern_match_group_dup(&m, "乙", "b"));
    /* by label */
    ck_assert(!bp_patterns_match_label(p, "demo", "first", "乙丙", (size_t)-1, 0, NULL));
    ck_assert(bp_patterns_match_label(p, "demo", "first", "乙甲", (size_t)-1, 0, &m));
    ck_assert_uint_eq(m.start, 3);
    /* unknown set, invalid UTF-8, offset past the end */
    ck_assert(!bp_patterns_match(p, "nope", "甲", (size_t)-1, 0, NULL));
    ck_assert(!bp_patterns_match(p, "demo", "\xff\xfe甲", (size_t)-1, 0, NULL));
    ck_assert(!bp_patterns_match(p, "demo", "甲", (size_t)-1, 99, NULL));
    bp_patterns_free(p);
    bp_patterns_free(NULL);
    remove_tmpdir();
}
END_TEST

static Suite *patterns_suite(void)
{
    Suite *s = suite_create("patterns");
    TCase *tc = tcase_create("builtins");
    tcase_add_unchecked_fixture(tc, load_builtins, free_builtins);
    tcase_add_test(tc, every_builtin_file_compiles);
    tcase_add_loop_test(tc, line_roles, 0,
                        (int)(sizeof line_cases / sizeof *line_cases));
    suite_add_tcase(s, tc);
    TCase *files = tcase_create("files");
    tcase_add_test(files, override_replaces_and_extends);
    tcase_add_test(files, bad_pattern_names_file_and_line);
    tcase_add_test(files, format_labels_comments_continuations);
    suite_add_tcase(s, files);
    return s;
}

int main(void)
{
    return bp_test_run(patterns_suite());
}
