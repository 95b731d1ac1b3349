/*
 * check_reconcile.c — reconciliation rules on small hand-made databases
 * (one family per test, the nasty cases included: nested subtotals, 其中
 * rows, negative changes, blank vs zero, rounding vs a real gap, an
 * unreadable operand), and end to end over the rendered corpus when the
 * shared folder is there: every DISCREPANCIES.md entry a rule covers is a
 * mismatch, its rounding entries are rounding.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "load/load.h"
#include "tests/test_support.h"

/* ------------------------------------------------------------------ */
/* building a document with plain SQL                                  */
/* ------------------------------------------------------------------ */

static bp_db *db;

static void sql(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void sql(const char *fmt, ...)
{
    char buf[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    bp_error err;
    bp_status st = bp_db_exec_sql(db, buf, &err);
    ck_assert_msg(st == BP_OK, "%s: %s", buf, err.message);
}

static void setup(void)
{
    bp_error err;
    ck_assert_int_eq(bp_db_open_memory(&db, &err), BP_OK);
    sql("INSERT INTO documents (id, sha256, file, file_size, pages, fiscal_year)"
        " VALUES (1, 'abcd1234', 'test.pdf', 1, 9, 2022)");
}

static void teardown(void)
{
    bp_db_close(db);
    db = NULL;
}

typedef struct trow {
    const char *label;    /* label column text */
    const char *code;     /* NULL when none */
    const char *role;     /* NULL = item */
    const char *cells[4]; /* value columns; NULL = no cell, "" = blank */
} trow;

/* The plain decimal of a printed figure: commas dropped, （x） negative;
 * NULL when it is not a plain number. */
static int plain(const char *text, char *out, size_t size)
{
    size_t o = 0;
    const char *p = text;
    int neg = 0;
    if (strncmp(p, "（", 3) == 0) {
        neg = 1;
        p += 3;
    }
    if (*p == '-' && p[1]) {
        neg = 1;
        p++;
    }
    if (neg && o + 1 < size)
        out[o++] = '-';
    int digits = 0;
    for (; *p; p++) {
        if (*p == ',')
            continue;
        if (strncmp(p, "）", 3) == 0 && neg)
            break;
        if (!((*p >= '0' && *p <= '9') || *p == '.'))
            return 0;
        digits += *p != '.';
        if (o + 1 < size)
            out[o++] = *p;
    }
    out[o] = '\0';
    return digits > 0;
}

static int precision_of(const char *v)
{
    const char *dot = strchr(v, '.');
    return dot ? (int)strlen(dot + 1) : 0;
}

/* Adds table table_no: column 1 is the label column (label_path), then one
 * value column per entry of paths. */
static void add_table(int table_no, const char *label, const char *title, const char *unit,
                      int page, const char *label_path, const char *const *paths, int n_paths,
                      const trow *rows, int n_rows)
{
    sql("INSERT INTO doc_tables (doc_id, table_no, label, title, unit, first_page, last_page)"
        " VALUES (1, %d, %s%s%s, '%s', %s%s%s, %d, %d)",
        table_no, label ? "'" : "", label ? label : "NULL", label ? "'" : "", title,
        unit ? "'" : "", unit ? unit : "NULL", unit ? "'" : "", page, page);
    sql("INSERT INTO table_columns (doc_id, table_no, column_no, path, is_label)"
        " VALUES (1, %d, 1, '%s', 1)", table_no, label_path);
    for (int c = 0; c < n_paths; c++)
        sql("INSERT INTO table_columns (doc_id, table_no, column_no, path) VALUES (1, %d, %d, '%s')",
            table_no, c + 2, paths[c]);
    for (int r = 0; r < n_rows; r++) {
        const trow *row = &rows[r];
        sql("INSERT INTO table_rows (doc_id, table_no, row_no, label, code, role, page)"
            " VALUES (1, %d, %d, '%s', %s%s%s, '%s', %d)",
            table_no, r + 1, row->label, row->code ? "'" : "", row->code ? row->code : "NULL",
            row->code ? "'" : "", row->role ? row->role : "item", page);
        sql("INSERT INTO cells (doc_id, table_no, row_no, column_no, page, text)"
            " VALUES (1, %d, %d, 1, %d, '%s')", table_no, r + 1, page, row->label);
        for (int c = 0; c < n_paths && c < 4; c++) {
            const char *text = row->cells[c];
            if (text == NULL)
                continue;
            char v[64];
            if (plain(text, v, sizeof v))
                sql("INSERT INTO cells (doc_id, table_no, row_no, column_no, page, text, value,"
                    " precision) VALUES (1, %d, %d, %d, %d, '%s', '%s', %d)",
                    table_no, r + 1, c + 2, page, text, v, precision_of(v));
            else
                sql("INSERT INTO cells (doc_id, table_no, row_no, column_no, page, text)"
                    " VALUES (1, %d, %d, %d, %d, '%s')", table_no, r + 1, c + 2, page, text);
        }
    }
}

/* Adds a form table (tables/form.c): column 1 值 holds the fields (row
 * label = field), column 2 二级指标, column 3 指标值; fields[i] = {label,
 * value}, costs[i] = {indicator, value} (二级指标 成本指标). */
static void add_form(int table_no, const char *label, int page, const char *const (*fields)[2],
                     int n_fields, const char *const (*costs)[2], int n_costs)
{
    sql("INSERT INTO doc_tables (doc_id, table_no, label, title, first_page, last_page)"
        " VALUES (1, %d, '%s', '绩效目标表', %d, %d)", table_no, label, page, page);
    static const char *const paths[] = {"值", "二级指标", "指标值"};
    for (int c = 0; c < 3; c++)
        sql("INSERT INTO table_columns (doc_id, table_no, column_no, path) VALUES (1, %d, %d,"
            " '%s')", table_no, c + 1, paths[c]);
    for (int r = 0; r < n_fields + n_costs; r++) {
        const char *lab = r < n_fields ? fields[r][0] : costs[r - n_fields][0];
        const char *text = r < n_fields ? fields[r][1] : costs[r - n_fields][1];
        int col = r < n_fields ? 1 : 3;
        sql("INSERT INTO table_rows (doc_id, table_no, row_no, label, role, page)"
            " VALUES (1, %d, %d, '%s', 'item', %d)", table_no, r + 1, lab, page);
        if (r >= n_fields)
            sql("INSERT INTO cells (doc_id, table_no, row_no, column_no, page, text)"
                " VALUES (1, %d, %d, 2, %d, '成本指标')", table_no, r + 1, page);
        char v[64];
        if (plain(text, v, sizeof v))
            sql("INSERT INTO cells (doc_id, table_no, row_no, column_no, page, text, value,"
                " precision) VALUES (1, %d, %d, %d, %d, '%s', '%s', %d)",
                table_no, r + 1, col, page, text, v, precision_of(v));
        else
            sql("INSERT INTO cells (doc_id, table_no, row_no, column_no, page, text)"
                " VALUES (1, %d, %d, %d, %d, '%s')", table_no, r + 1, col, page, text);
    }
}

static void add_statement(int no, int page, const char *subject, const char *text,
                          const char *value, const char *unit, const char *change,
                          const char *percent, const char *sentence)
{
    sql("INSERT INTO statements (doc_id, statement_no, page, sentence, subject, text, value, unit,"
        " precision, base_year, change, percent) VALUES (1, %d, %d, '%s', '%s', '%s', %s%s%s,"
        " '%s', %d, %s, %s%s%s, %s%s%s)",
        no, page, sentence, subject, text, value ? "'" : "", value ? value : "NULL",
        value ? "'" : "", unit, value ? precision_of(value) : 0, change ? "2021" : "NULL",
        change ? "'" : "", change ? change : "NULL", change ? "'" : "", percent ? "'" : "",
        percent ? percent : "NULL", percent ? "'" : "");
}

/* ------------------------------------------------------------------ */
/* reading checks back                                                 */
/* ------------------------------------------------------------------ */

typedef struct found {
    char rule[32], status[16], message[512];
    char operands[8][64];
    int operand_tables[8];
    int n_operands;
} found;

static found checks[512];
static int n_checks;

static int collect(void *ctx, const bp_check_record *c)
{
    (void)ctx;
    if (n_checks >= 512)
        return 1;
    found *f = &checks[n_checks++];
    snprintf(f->rule, sizeof f->rule, "%s", c->rule);
    snprintf(f->status, sizeof f->status, "%s", c->status);
    snprintf(f->message, sizeof f->message, "%s", c->message ? c->message : "");
    f->n_operands = 0;
    for (size_t i = 0; i < c->n_operands && i < 8; i++) {
        f->operand_tables[f->n_operands] = c->operands[i].table_no;
        snprintf(f->operands[f->n_operands++], sizeof f->operands[0], "%s",
                 c->operands[i].text ? c->operands[i].text : "");
    }
    return 0;
}

static void reconcile(void)
{
    bp_error err;
    ck_assert_msg(bp_reconcile_document(db, 1, &err) == BP_OK, "%s", err.message);
    n_checks = 0;
    ck_assert_int_eq(bp_db_each_check(db, 1, 0, collect, NULL, &err), BP_OK);
}

/* Number of checks of rule with status whose message contains needle
 * (NULL: any). */
static int count(const char *rule, const char *status, const char *needle)
{
    int n = 0;
    for (int i = 0; i < n_checks; i++)
        if ((!rule || strcmp(checks[i].rule, rule) == 0) &&
            (!status || strcmp(checks[i].status, status) == 0) &&
            (!needle || strstr(checks[i].message, needle)))
            n++;
    return n;
}

static void dump(void)
{
    for (int i = 0; i < n_checks; i++)
        fprintf(stderr, "  %s %s %s\n", checks[i].rule, checks[i].status, checks[i].message);
}

#define EXPECT(cond)                                                                        \
    do {                                                                                    \
        if (!(cond))                                                                        \
            dump();                                                                         \
        ck_assert_msg(cond, "%s", #cond);                                                   \
    } while (0)

static const char *const one_col[] = {"预算数"};

/* ------------------------------------------------------------------ */
/* 1. row totals                                                       */
/* ------------------------------------------------------------------ */

START_TEST(row_total_with_numbered_children_is_not_double_counted)
{
    static const trow rows[] = {
        {"一、基本支出", NULL, NULL, {"100"}}, {"1. 人员经费", NULL, NULL, {"60"}},
        {"2. 公用经费", NULL, NULL, {"40"}},   {"二、项目支出", NULL, NULL, {"50"}},
        {"合计", NULL, "total", {"150"}},
    };
    add_table(1, "表1", "支出总表", "万元", 3, "项目", one_col, 1, rows, 5);
    reconcile();
    EXPECT(count("row_total", "ok", "合计") == 1);
    EXPECT(count("hierarchy", "ok", "一、基本支出") == 1);
    EXPECT(count(NULL, "mismatch", NULL) == 0);
}
END_TEST

START_TEST(nested_subtotals_are_summed_once)
{
    static const trow rows[] = {
        {"甲", NULL, NULL, {"10"}}, {"乙", NULL, NULL, {"20"}}, {"小计", NULL, "subtotal", {"30"}},
        {"丙", NULL, NULL, {"5"}},  {"丁", NULL, NULL, {"5"}},  {"小计", NULL, "subtotal", {"10"}},
        {"合计", NULL, "total", {"40"}},
    };
    add_table(1, "表1", "项目表", "万元", 3, "项目", one_col, 1, rows, 7);
    reconcile();
    EXPECT(count("row_total", "ok", NULL) == 3);
    EXPECT(count(NULL, "mismatch", NULL) == 0);
}
END_TEST

START_TEST(of_which_rows_are_not_summed)
{
    static const trow rows[] = {
        {"一、财政拨款", NULL, NULL, {"60"}}, {"其中：专项资金", NULL, "of_which", {"30"}},
        {"二、其他收入", NULL, NULL, {"40"}},  {"合计", NULL, "total", {"100"}},
    };
    add_table(1, "表1", "收入总表", "万元", 3, "项目", one_col, 1, rows, 4);
    reconcile();
    EXPECT(count("row_total", "ok", NULL) == 1);
    EXPECT(count(NULL, "mismatch", NULL) == 0);
}
END_TEST

START_TEST(rounding_within_tolerance_and_a_real_gap)
{
    static const trow rows[] = {
        {"一、甲", NULL, NULL, {"50"}}, {"二、乙", NULL, NULL, {"50"}}, {"合计", NULL, "total", {"101"}},
    };
    add_table(1, "表1", "表", "万元", 3, "项目", one_col, 1, rows, 3);
    static const trow rows2[] = {
        {"一、甲", NULL, NULL, {"50"}}, {"二、乙", NULL, NULL, {"50"}}, {"合计", NULL, "total", {"103"}},
    };
    add_table(2, "表2", "表", "万元", 4, "项目", one_col, 1, rows2, 3);
    reconcile();
    EXPECT(count("row_total", "rounding", "表1") == 1);
    EXPECT(count("row_total", "mismatch", "表2") == 1);
    EXPECT(count("row_total", "mismatch", "差3") == 1);
}
END_TEST

START_TEST(blank_is_no_value_and_a_blank_total_is_unverifiable)
{
    static const trow rows[] = {
        {"一、甲", NULL, NULL, {"70", ""}},  {"二、乙", NULL, NULL, {"—", "5"}},
        {"三、丙", NULL, NULL, {"30", "5"}}, {"合计", NULL, "total", {"100", ""}},
    };
    static const char *const cols[] = {"本年", "上年"};
    add_table(1, "表1", "表", "万元", 3, "项目", cols, 2, rows, 4);
    reconcile();
    EXPECT(count("row_total", "ok", "[本年]") == 1);
    EXPECT(count("row_total", "unverifiable", "[上年]") == 1);
}
END_TEST

START_TEST(unreadable_operand_is_unverifiable_not_mismatch)
{
    static const trow rows[] = {
        {"一、甲", NULL, NULL, {"12,3a4"}}, {"二、乙", NULL, NULL, {"50"}},
        {"合计", NULL, "total", {"1,284"}},
    };
    add_table(1, "表1", "表", "万元", 3, "项目", one_col, 1, rows, 3);
    reconcile();
    EXPECT(count("row_total", "unverifiable", NULL) == 1);
    EXPECT(count(NULL, "mismatch", NULL) == 0);
}
END_TEST

START_TEST(flat_list_that_overshoots_is_unverifiable)
{
    /* no codes, no numbering: nesting cannot be seen */
    static const trow rows[] = {
        {"合计", NULL, "total", {"100"}}, {"卫生健康支出", NULL, NULL, {"100"}},
        {"医疗保障管理事务", NULL, NULL, {"100"}},
    };
    add_table(1, "表1", "表", "万元", 3, "项目", one_col, 1, rows, 3);
    reconcile();
    EXPECT(count("row_total", "unverifiable", NULL) == 1);
    EXPECT(count(NULL, "mismatch", NULL) == 0);
}
END_TEST

/* ------------------------------------------------------------------ */
/* 2. column identities                                                */
/* ------------------------------------------------------------------ */

START_TEST(column_total_and_merged_header_subtotal)
{
    static const char *const cols[] = {"支出总计", "基本支出", "项目支出 / 小计",
                                       "项目支出 / 甲项目"};
    static const trow rows[] = {
        {"单位甲", NULL, NULL, {"100", "40", "60", "60"}},
        {"单位乙", NULL, NULL, {"90", "40", "60", "60"}},
    };
    add_table(1, "表3", "支出总表", "万元", 3, "单位名称", cols, 4, rows, 2);
    reconcile();
    EXPECT(count("column_total", "ok", "单位甲") == 1);
    EXPECT(count("column_total", "mismatch", "单位乙") == 0);   /* sum above total */
    EXPECT(count("column_total", "unverifiable", "单位乙") == 1);
}
END_TEST

START_TEST(negative_change_column)
{
    static const char *const cols[] = {"2022年预算数", "2021年预算数", "增减额"};
    static const trow rows[] = {
        {"甲", NULL, NULL, {"80", "100", "-20"}},
        {"乙", NULL, NULL, {"80", "100", "（20）"}},
        {"丙", NULL, NULL, {"80", "100", "20"}},
    };
    add_table(1, "表1", "比较表", "万元", 3, "项目", cols, 3, rows, 3);
    reconcile();
    EXPECT(count("change", "ok", NULL) == 2);
    EXPECT(count("change", "mismatch", "丙") == 1);
}
END_TEST

/* ------------------------------------------------------------------ */
/* 3. classification hierarchy                                         */
/* ------------------------------------------------------------------ */

START_TEST(code_hierarchy)
{
    static const trow rows[] = {
        {"社会保障和就业支出", "208", NULL, {"30"}},
        {"行政事业单位养老支出", "20805", NULL, {"20"}},
        {"机关事业单位基本养老保险缴费支出", "2080505", NULL, {"12"}},
        {"机关事业单位职业年金缴费支出", "2080506", NULL, {"5"}},
        {"其他社会保障和就业支出", "20899", NULL, {"10"}},
        {"卫生健康支出", "210", NULL, {"5"}},
        {"行政事业单位医疗", "21011", NULL, {"5"}},
    };
    add_table(1, "表7", "一般公共预算支出表", "万元", 5, "科目名称", one_col, 1, rows, 7);
    reconcile();
    EXPECT(count("hierarchy", "ok", "208") == 1);
    EXPECT(count("hierarchy", "mismatch", "20805") == 1);   /* 12 + 5 ≠ 20 */
    EXPECT(count("hierarchy", "ok", "210") == 1);
}
END_TEST

START_TEST(table_continued_on_next_page_is_one_table)
{
    static const trow first[] = {
        {"合计", NULL, "total", {"30"}}, {"工资福利支出", "301", NULL, {"30"}},
        {"基本工资", "30101", NULL, {"10"}},
    };
    static const trow rest[] = {{"津贴补贴", "30102", NULL, {"20"}}};
    add_table(1, "表6", "支出经济分类表", "万元", 23, "科目名称", one_col, 1, first, 3);
    add_table(2, NULL, "支出经济分类表", "万元", 24, "科目名称", one_col, 1, rest, 1);
    reconcile();
    EXPECT(count("hierarchy", "ok", "301") == 1);
    EXPECT(count(NULL, "mismatch", NULL) == 0);
    /* the continued row keeps its own table as provenance */
    int found_second = 0;
    for (int i = 0; i < n_checks; i++)
        for (int k = 0; k < checks[i].n_operands; k++)
            found_second += strcmp(checks[i].operands[k], "20") == 0 &&
                            checks[i].operand_tables[k] == 2;
    EXPECT(found_second > 0);
}
END_TEST

START_TEST(rows_from_another_page_are_not_accused)
{
    /* a list numbered from 24 and a 合计 on top of a later 总计: both may
     * close rows printed elsewhere */
    static const trow rows[] = {
        {"24、预备费", NULL, NULL, {"0.00"}}, {"25、其他支出", NULL, NULL, {"0.00"}},
        {"本年支出合计", NULL, "total", {"1172.35"}},
    };
    add_table(1, "表1", "收支总表", "万元", 17, "项目", one_col, 1, rows, 3);
    static const trow rows2[] = {
        {"本年收入合计", NULL, "total", {"1172.35"}}, {"上年结转", NULL, NULL, {"0.00"}},
        {"收入总计", NULL, "total", {"1172.35"}},
    };
    add_table(2, "表4", "收支总表", "万元", 21, "项目", one_col, 1, rows2, 3);
    reconcile();
    EXPECT(count(NULL, "mismatch", NULL) == 0);
    EXPECT(count("row_total", "unverifiable", NULL) == 2);
}
END_TEST

START_TEST(numbering_gap)
{
    static const trow rows[] = {
        {"一、甲", NULL, NULL, {"1"}}, {"二、乙", NULL, NULL, {"1"}}, {"四、丁", NULL, NULL, {"1"}},
    };
    add_table(1, "表9", "表", "万元", 5, "项目", one_col, 1, rows, 3);
    reconcile();
    EXPECT(count("numbering", "mismatch", "缺少第3项") == 1);
}
END_TEST

/* ------------------------------------------------------------------ */
/* 4. balance                                                          */
/* ------------------------------------------------------------------ */

START_TEST(balance_chain_and_sides)
{
    sql("INSERT INTO doc_tables (doc_id, table_no, label, title, unit, first_page, last_page)"
        " VALUES (1, 1, '表1', '收支总表', '万元', 2, 2)");
    sql("INSERT INTO table_columns (doc_id, table_no, column_no, path, part, is_label) VALUES"
        " (1,1,1,'收入 / 项目',0,1), (1,1,2,'收入 / 预算数',0,0),"
        " (1,1,3,'支出 / 项目',1,1), (1,1,4,'支出 / 预算数',1,0)");
    const char *in[][2] = {{"一、财政拨款", "90"}, {"二、其他收入", "10"}, {"本年收入合计", "100"},
                           {"上年结转", "20"}, {"收入总计", "120"}};
    const char *out[][2] = {{"一、基本支出", "70"}, {"二、项目支出", "45"}, {"本年支出合计", "115"},
                            {"结转下年", "5"}, {"支出总计", "121"}};
    for (int r = 0; r < 5; r++) {
        sql("INSERT INTO table_rows (doc_id, table_no, row_no, part, label, role, page) VALUES"
            " (1,1,%d,0,'%s','%s',2), (1,1,%d,1,'%s','%s',2)",
            r + 1, in[r][0], r == 2 || r == 4 ? "total" : "item", r + 1, out[r][0],
            r == 2 || r == 4 ? "total" : "item");
        sql("INSERT INTO cells (doc_id, table_no, row_no, column_no, page, text, value, precision)"
            " VALUES (1,1,%d,1,2,'%s',NULL,NULL), (1,1,%d,2,2,'%s','%s',0),"
            " (1,1,%d,3,2,'%s',NULL,NULL), (1,1,%d,4,2,'%s','%s',0)",
            r + 1, in[r][0], r + 1, in[r][1], in[r][1], r + 1, out[r][0], r + 1, out[r][1],
            out[r][1]);
    }
    reconcile();
    EXPECT(count("balance", "ok", "收入总计") == 1);         /* 100 + 20 = 120 */
    EXPECT(count("balance", "rounding", "支出总计") >= 1);   /* 115 + 5 vs 121 */
    EXPECT(count("balance", NULL, "等于「收入总计」") == 1); /* 121 vs 120 */
}
END_TEST

/* ------------------------------------------------------------------ */
/* 5. cross-table agreement                                            */
/* ------------------------------------------------------------------ */

START_TEST(cross_table_same_scope_by_code_and_projects)
{
    static const trow a[] = {
        {"合计", NULL, "total", {"100"}}, {"卫生健康支出", "210", NULL, {"70"}},
        {"住房保障支出", "221", NULL, {"30"}},
    };
    static const trow b[] = {
        {"合计", NULL, "total", {"100"}}, {"卫生健康支出", "210", NULL, {"72"}},
        {"住房保障支出", "221", NULL, {"28"}},
    };
    add_table(1, "表5", "一般公共预算支出表", "万元", 5, "科目名称", one_col, 1, a, 3);
    add_table(2, "表7", "一般公共预算支出表", "万元", 6, "科目名称", one_col, 1, b, 3);
    static const char *const money[] = {"预算数（万元）"};
    static const trow p1[] = {{"医保经办管理项目", NULL, NULL, {"3,829"}}};
    static const trow p2[] = {{"医保经办管理项目", NULL, NULL, {"3,871"}}};
    static const trow p3[] = {{"医保经办管理项目", NULL, NULL, {"3,871"}}};
    add_table(3, NULL, "重点项目", NULL, 8, "项目名称", money, 1, p1, 1);
    add_table(4, "表10", "项目支出表", "万元", 9, "项目名称", one_col, 1, p2, 1);
    add_table(5, "表11", "绩效目标表", "万元", 10, "任务名称", one_col, 1, p3, 1);
    reconcile();
    EXPECT(count("cross_table", "mismatch", "210") == 1);
    EXPECT(count("cross_table", "mismatch", "医保经办管理项目") == 1);
    EXPECT(count("cross_table", NULL, "医保经办管理项目") == 1);   /* the outlier, once */
}
END_TEST

/* ------------------------------------------------------------------ */
/* 6-7. text against tables, text sums, year over year                 */
/* ------------------------------------------------------------------ */

START_TEST(text_against_tables_and_listed_parts)
{
    static const char *const cols[] = {"支出总计", "基本支出", "项目支出"};
    static const trow rows[] = {{"单位甲", NULL, NULL, {"256,890", "6,283", "250,606"}}};
    add_table(1, "表3", "支出总表", "万元", 16, "单位名称", cols, 3, rows, 1);
    /* a second table says 6,283 too: the text is alone against two */
    static const char *const basic[] = {"基本支出"};
    static const trow rows2[] = {{"单位甲", NULL, NULL, {"6,283"}}};
    add_table(2, "表4", "基本支出表", "万元", 17, "单位名称", basic, 1, rows2, 1);
    add_statement(1, 5, "项目支出", "250,606 万元", "250606", "万元", NULL, NULL,
                  "项目支出 250,606 万元。");
    add_statement(2, 5, "基本支出", "6,238 万元", "6238", "万元", NULL, NULL, "基本支出 6,238 万元。");
    add_statement(3, 6, "一般公共预算支出", "1172.36 万元", "1172.36", "万元", NULL, NULL,
                  "一般公共预算支出 1172.36 万元，其中：");
    add_statement(4, 6, "甲", "1000.00 万元", "1000.00", "万元", NULL, NULL, "(1) 甲 1000.00 万元；");
    add_statement(5, 6, "乙", "167.36 万元", "167.36", "万元", NULL, NULL, "(2) 乙 167.36 万元。");
    reconcile();
    EXPECT(count("text_table", "ok", "项目支出") == 1);
    EXPECT(count("text_table", "mismatch", "基本支出") == 1);
    EXPECT(count("text_sum", "mismatch", "一般公共预算支出") == 1);
}
END_TEST

START_TEST(year_over_year_percent_and_direction)
{
    add_statement(1, 4, "部门预算收入", "256,890 万元", "256890", "万元", "11530", "5",
                  "部门预算收入 256,890 万元，比 2021 年增加 11,530 万元，增长 5%。");
    add_statement(2, 8, "三公经费预算", "7.68万元", "7.68", "万元", "3.5", "119",
                  "三公经费预算7.68万元，比2021年预算增加3.5万元，增长119%。");
    add_statement(3, 9, "公用经费", "90 万元", "90", "万元", "-10", "-10",
                  "公用经费 90 万元，比上年减少 10 万元，下降 10%。");
    add_statement(4, 9, "会议费", "90 万元", "90", "万元", "10", "-10",
                  "会议费 90 万元，比上年增加 10 万元，下降 10%。");
    /* the comparison is the next sentence's, about the whole item */
    add_statement(5, 6, "医保综合业务管理", "745 万元", "745", "万元", "-1054", "-42",
                  "该项目主要用于以下方面：员额经费 735 万元；医保综合业务管理 745 万元，用于办公。"
                  "较 2021 年预算减少1,054 万元，减幅 42%。");
    reconcile();
    EXPECT(count("yoy", "mismatch", "医保综合业务管理") == 0);
    EXPECT(count("yoy", "unverifiable", "医保综合业务管理") == 1);
    EXPECT(count("yoy", "ok", "部门预算收入") == 1);
    EXPECT(count("yoy", "mismatch", "三公经费") == 1);
    EXPECT(count("yoy", "ok", "公用经费") == 1);
    EXPECT(count("yoy", "mismatch", "会议费") == 1);
    /* the contradiction names both printed figures */
    EXPECT(count("yoy", "mismatch", "（变动10，百分比-10%）") == 1);
}
END_TEST

/* A sentence printing the previous amount (statement no) and the
 * current one with the comparison (no + 1). */
static void add_pair(int no, int page, const char *sentence, const char *prev_subject,
                     const char *prev_text, const char *prev, const char *prev_unit,
                     const char *cur_subject, const char *cur_text, const char *cur,
                     const char *cur_unit, const char *change, const char *percent)
{
    add_statement(no, page, prev_subject, prev_text, prev, prev_unit, NULL, NULL, sentence);
    add_statement(no + 1, page, cur_subject, cur_text, cur, cur_unit, change, percent, sentence);
}

/* Family 7 with both amounts printed (yoy_amounts): current − previous
 * against the printed change and rate; the odd figure named when a
 * heading or table restates the current amount. */
START_TEST(year_over_year_with_both_amounts)
{
    /* consistent, and in different units */
    add_pair(1, 3, "2021年执行数为100万元，2022年预算安排110万元，比2021年增加10万元，增长10%。",
             "2021年执行数", "100万元", "100", "万元", "2022年预算", "110万元", "110", "万元", "10", "10");
    add_pair(3, 3, "2021年公用经费执行数为1,000,000元，2022年预算安排125万元，比2021年增加25万元，增长25%。",
             "2021年公用经费执行数", "1,000,000元", "1000000", "元", "2022年预算", "125万元", "125", "万元", "25", "25");
    /* a typo in the current amount: the heading says 208.8 */
    add_statement(5, 4, "住房公积金（01项）", "208.8万元", "208.8", "万元", NULL, NULL,
                  "12、住房公积金（01项）208.8万元。");
    add_pair(6, 4, "2021年执行数为198.34万元，2022年预算安排201.50万元，比2021年增加5.27%。",
             "2021年执行数", "198.34万元", "198.34", "万元", "2022年预算", "201.50万元", "201.50", "万元", NULL, "5.27");
    /* a typo in the previous amount: the heading confirms the current one */
    add_statement(8, 5, "其他司法支出（99项）", "3845.49万元", "3845.49", "万元", NULL, NULL,
                  "6、其他司法支出（99项）3845.49万元。");
    add_pair(9, 5, "2021年执行数为43269.3万元，2022年预算安排3845.49万元，比2021年增加17.62%。",
             "2021年执行数", "43269.3万元", "43269.3", "万元", "2022年预算", "3845.49万元", "3845.49", "万元", NULL, "17.62");
    /* the direction word is wrong */
    add_pair(11, 6, "2021年执行数为100万元，2022年预算安排90万元，比2021年增加10%。",
             "2021年执行数", "100万元", "100", "万元", "2022年预算", "90万元", "90", "万元", NULL, "10");
    /* 持平: equal amounts, and unequal ones */
    add_pair(13, 7, "2021年执行数为20.00万元，2022年预算安排20.00万元，比2021年持平。",
             "2021年执行数", "20.00万元", "20.00", "万元", "2022年预算", "20.00万元", "20.00", "万元", "0", NULL);
    add_pair(15, 7, "2021年执行数为30.00万元，2022年预算安排31.00万元，比2021年持平。",
             "2021年执行数", "30.00万元", "30.00", "万元", "2022年预算", "31.00万元", "31.00", "万元", "0", NULL);
    /* the previous amount is zero: no rate to compute */
    add_pair(17, 8, "2021年执行数为0.00万元，2022年预算安排25.00万元，比2021年增加100.00%。",
             "2021年执行数", "0.00万元", "0.00", "万元", "2022年预算", "25.00万元", "25.00", "万元", NULL, "100.00");
    reconcile();
    EXPECT(count("yoy_amounts", "ok", "110与") == 2);
    EXPECT(count("yoy_amounts", "ok", "125与") == 2);
    EXPECT(count("yoy_amounts", "mismatch", "按208.8则相符") == 1);
    EXPECT(count("yoy_amounts", "mismatch", "按3,269.3则相符") == 1);
    EXPECT(count("yoy_amounts", "mismatch", "增减方向有误") == 1);
    EXPECT(count("yoy_amounts", "ok", "20.00与") == 1);
    EXPECT(count("yoy_amounts", "mismatch", "31.00与") == 1);
    EXPECT(count("yoy_amounts", "unverifiable", "25.00与") == 1);
    EXPECT(count("yoy_amounts", "mismatch", NULL) == 4);
}
END_TEST

/* The previous amount in the sentence before, under the same subject:
 * that pairing may accuse; a pairing by position alone only confirms. */
START_TEST(year_over_year_amount_in_the_sentence_before)
{
    add_statement(1, 3, "2021年会议费预算", "50万元", "50", "万元", NULL, NULL,
                  "2021年会议费预算50万元。");
    add_statement(2, 3, "2022年会议费预算", "60万元", "60", "万元", "10", "20",
                  "2022年会议费预算60万元，比上年增加10万元，增长20%。");
    add_statement(3, 4, "2021年培训费预算", "50万元", "50", "万元", NULL, NULL,
                  "2021年培训费预算50万元。");
    add_statement(4, 4, "2022年培训费预算", "70万元", "70", "万元", "10", "20",
                  "2022年培训费预算70万元，比上年增加10万元，增长20%。");
    /* another item's figure before: no pairing, no finding */
    add_statement(5, 5, "2021年印刷费预算", "50万元", "50", "万元", NULL, NULL,
                  "2021年印刷费预算50万元。");
    add_statement(6, 5, "2022年邮电费预算", "70万元", "70", "万元", "10", "20",
                  "2022年邮电费预算70万元，比上年增加10万元，增长20%。");
    reconcile();
    EXPECT(count("yoy_amounts", "ok", "会议费") == 2);
    EXPECT(count("yoy_amounts", "mismatch", "培训费") == 2);
    EXPECT(count("yoy_amounts", NULL, "邮电费") == 0);
}
END_TEST

/* ------------------------------------------------------------------ */
/* form tables (绩效目标表, 绩效自评表)                                 */
/* ------------------------------------------------------------------ */

START_TEST(form_fund_total_equals_its_sources)
{
    static const char *const good[][2] = {
        {"项目名称", "甲项目"},
        {"资金金额(万元) / 实施期资金总额", "48.84"},
        {"资金金额(万元) / 其中：财政拨款", "40.84"},
        {"资金金额(万元) / 其他资金", "8"},
    };
    static const char *const bad[][2] = {
        {"项目总金额", "50"}, {"本年度项目金额", "45"},
        {"财政拨款资金", "30"}, {"其他资金", "8.00"},
    };
    /* no 其他资金 field: the identity is not clearly printed */
    static const char *const partial[][2] = {
        {"资金金额(万元) / 实施期资金总额", "20"},
        {"资金金额(万元) / 其中：财政拨款", "12"},
    };
    add_form(1, "表14-1", 3, good, 4, NULL, 0);
    add_form(2, "表14-2", 4, bad, 4, NULL, 0);
    add_form(3, "表14-3", 5, partial, 2, NULL, 0);
    reconcile();
    EXPECT(count("form_funds", "ok", "表14-1") == 1);
    /* the year's total (45), not the period's (50) */
    EXPECT(count("form_funds", "mismatch", "表14-2 [值] 本年度项目金额") == 1);
    EXPECT(count("form_funds", "mismatch", "差7") == 1);
    EXPECT(count("form_funds", NULL, "表14-3") == 0);
    EXPECT(count(NULL, "mismatch", NULL) == 1);
}
END_TEST

START_TEST(form_cost_indicators_in_yuan_are_a_unit_slip)
{
    static const char *const fields[][2] = {
        {"资金金额(万元) / 实施期资金总额", "48.84"},
        {"资金金额(万元) / 其中：财政拨款", "48.84"},
    };
    static const char *const yuan[][2] = {
        {"指标1：工资", "360000"}, {"指标2：社保", "120000"}, {"指标3：劳务费", "8400"},
        {"指标4：", ""},
    };
    /* units printed, or figures that do not add up either way: no finding */
    static const char *const with_unit[][2] = {{"指标1：甲", "360000元"}, {"指标2：乙", "128400"}};
    static const char *const partial[][2] = {{"指标1：甲", "30"}, {"指标2：乙", "10"}};
    static const char *const printed[][2] = {{"指标1：甲", "40"}, {"指标2：乙", "8.84"}};
    add_form(1, "表14-5", 37, fields, 2, yuan, 4);
    add_form(2, "表14-6", 38, fields, 2, with_unit, 2);
    add_form(3, "表14-7", 39, fields, 2, partial, 2);
    add_form(4, "表14-8", 40, fields, 2, printed, 2);
    reconcile();
    EXPECT(count("unit_slip", "mismatch", "表14-5") == 1);
    EXPECT(count("unit_slip", "mismatch", "48.84万元") == 1);
    EXPECT(count(NULL, NULL, "表14-6") == 0);
    EXPECT(count(NULL, NULL, "表14-7") == 0);
    EXPECT(count("form_cost", "ok", "表14-8") == 1);
    EXPECT(count(NULL, "mismatch", NULL) == 1);
}
END_TEST

/* ------------------------------------------------------------------ */
/* 8. unit slips, 9. completeness, re-runs                             */
/* ------------------------------------------------------------------ */

START_TEST(unit_slip_is_reported_as_such)
{
    static const trow rows[] = {
        {"一、甲", NULL, NULL, {"100"}}, {"二、乙", NULL, NULL, {"200"}},
        {"三、丙", NULL, NULL, {"3000000"}}, {"合计", NULL, "total", {"600"}},
    };
    add_table(1, "表1", "表", "万元", 3, "项目", one_col, 1, rows, 4);
    reconcile();
    EXPECT(count("unit_slip", "mismatch", "三、丙") == 1);
    EXPECT(count("row_total", NULL, NULL) == 0);
}
END_TEST

/* A comparison across money units is also a unit check: ok when the
 * figures agree once converted, unit_slip mismatch when they agree only
 * as printed.  Zeros say nothing about a unit. */
START_TEST(comparisons_across_units_are_unit_checks)
{
    static const char *const cols[] = {"合计", "基本支出"};
    static const trow yuan[] = {
        {"合计", NULL, "total", {"96,282,213.44", "25,741,666.44"}},
        {"公共安全支出", "204", NULL, {"87,267,272.44", "16,726,725.44"}},
        {"司法", "20406", NULL, {"87,267,272.44", "16,726,725.44"}},
        {"行政运行", "2040601", NULL, {"16,726,725.44", "16,726,725.44"}},
        {"其他司法支出", "2040699", NULL, {"70,540,547.00", "0"}},
        {"住房保障支出", "221", NULL, {"9,014,941.00", "9,014,941.00"}},
        {"住房改革支出", "22102", NULL, {"9,014,941.00", "9,014,941.00"}},
        {"住房公积金", "2210201", NULL, {"9,014,941.00", "9,014,941.00"}},
    };
    add_table(1, NULL, "部门支出预算总表", "元", 12, "科目名称", cols, 2, yuan, 8);
    /* the same lines in 万元: compared once converted */
    static const trow wan[] = {
        {"合计", NULL, "total", {"9,628.22", "2,574.17"}},
        {"公共安全支出", "204", NULL, {"8,726.73", "1,672.67"}},
        {"住房保障支出", "221", NULL, {"901.49", "901.49"}},
    };
    add_table(2, NULL, "部门支出总表（万元）", "万元", 13, "科目名称", cols, 2, wan, 3);
    /* a 元 table whose figures are printed as in 万元: its unit line slipped */
    static const trow slipped[] = {
        {"合计", NULL, "total", {"9,628.22"}}, {"公共安全支出", "204", NULL, {"8,726.73"}},
        {"住房保障支出", "221", NULL, {"901.49"}},
    };
    add_table(3, NULL, "财政拨款支出表", "元", 14, "科目名称", one_col, 1, slipped, 3);
    add_statement(1, 8, "）", "1672.67万元", "1672.67", "万元", NULL, NULL,
                  "1、公共安全支出（204类）司法（06款）行政运行（01项）1672.67万元。");
    add_statement(2, 8, "”", "901.49万元", "901.49", "万元", NULL, NULL,
                  "2. “住房保障支出（类）住房改革支出（款）住房公积金（项）”901.49万元，主要用于公积金。");
    add_statement(3, 8, "事业收入", "0万元", "0", "万元", NULL, NULL, "事业收入0万元。");
    reconcile();
    /* text in 万元 against the 元 table, by code and by name path */
    EXPECT(count("text_table", "rounding", "2040601 行政运行") == 1);
    EXPECT(count("unit_slip", "rounding", "2040601 行政运行") == 1);
    EXPECT(count("text_table", "rounding", "2210201 住房公积金") == 1);
    EXPECT(count("unit_slip", "rounding", "2210201 住房公积金") == 1);
    /* the 万元 and 元 tables agree once converted: unit checks, no slip */
    EXPECT(count("cross_table", "rounding", "204") >= 1);
    EXPECT(count("unit_slip", "rounding", "204") >= 1);
    /* the 元 table printed like the 万元 one: one unit slip, once */
    EXPECT(count("unit_slip", "mismatch", "财政拨款支出表") == 1);
    EXPECT(count(NULL, "mismatch", NULL) == 1);
    /* zero against zero is no unit check */
    EXPECT(count("unit_slip", NULL, "事业收入") == 0);
}
END_TEST

/* A figure printed in 元 where the tables say 万元, and the path names in
 * the text that do not name the table's line. */
START_TEST(text_figure_in_the_wrong_unit_is_a_unit_slip)
{
    static const trow rows[] = {
        {"合计", NULL, "total", {"6,283.50"}}, {"一般公共服务支出", "201", NULL, {"6,283.50"}},
        {"统计信息事务", "20105", NULL, {"6,283.50"}}, {"专项普查活动", "2010507", NULL, {"6,283.50"}},
    };
    add_table(1, "表3", "支出预算总表", "万元", 16, "科目名称", one_col, 1, rows, 4);
    add_table(2, "表5", "一般公共预算支出表", "万元", 17, "科目名称", one_col, 1, rows, 4);
    add_statement(1, 5, "”", "6,283.50元", "6283.50", "元", NULL, NULL,
                  "1. “一般公共服务支出（类）统计信息事务（款）专项普查活动（项）”6,283.50元。");
    /* 款 name not the table's: not this line */
    add_statement(2, 5, "”", "7,000万元", "7000", "万元", NULL, NULL,
                  "2. “一般公共服务支出（类）群众团体事务（款）专项普查活动（项）”7,000万元。");
    /* code parts that are not the row's */
    add_statement(3, 5, "）", "7,000万元", "7000", "万元", NULL, NULL,
                  "3、一般公共服务支出（201类）统计信息事务（06款）专项普查活动（07项）7,000万元。");
    reconcile();
    EXPECT(count("unit_slip", "mismatch", "专项普查活动") == 1);
    EXPECT(count("unit_slip", "mismatch", "×10000") == 1);
    EXPECT(count(NULL, NULL, "群众团体事务") == 0);
    EXPECT(count(NULL, NULL, "（06款）") == 0);
    EXPECT(count(NULL, "mismatch", NULL) == 1);
}
END_TEST

/* Only tables of one fund disagree with the text's class figure: the text
 * may count every fund, no finding. */
START_TEST(class_figure_against_one_fund_tables_is_no_finding)
{
    static const trow rows[] = {
        {"合计", NULL, "total", {"13,641.34"}}, {"公共安全支出", "204", NULL, {"13,641.34"}},
    };
    add_table(1, "表5", "财政拨款支出预算表", "万元", 12, "科目名称", one_col, 1, rows, 2);
    add_table(2, "表8", "一般公共预算支出预算表", "万元", 14, "科目名称", one_col, 1, rows, 2);
    add_statement(1, 19, "公共安全（类）支出", "13656.34 万元", "13656.34", "万元", NULL, NULL,
                  "1．公共安全（类）支出 13656.34 万元，主要用于检察院行政支出。");
    reconcile();
    EXPECT(count("text_table", NULL, "公共安全") == 0);
    /* an all-funds table that agrees with them makes it a finding */
    add_table(3, "表3", "支出预算总表", "万元", 11, "科目名称", one_col, 1, rows, 2);
    reconcile();
    EXPECT(count("text_table", "mismatch", "公共安全（类）") == 1);
}
END_TEST

/* One printed cell of a raw table (value parsed like add_table's). */
static void raw_cell(int table_no, int row_no, int column_no, const char *text)
{
    char v[64];
    if (plain(text, v, sizeof v))
        sql("INSERT INTO cells (doc_id, table_no, row_no, column_no, page, text, value, precision)"
            " VALUES (1, %d, %d, %d, 4, '%s', '%s', %d)", table_no, row_no, column_no, text, v,
            precision_of(v));
    else
        sql("INSERT INTO cells (doc_id, table_no, row_no, column_no, page, text)"
            " VALUES (1, %d, %d, %d, 4, '%s')", table_no, row_no, column_no, text);
}

/* A table whose first n_code columns are code columns (paths code_paths),
 * then 科目名称, then money columns; rows[r][0..] = the printed cells left
 * to right ("" = nothing printed). */
static void add_coded_table(int table_no, const char *label, const char *title,
                            const char *const *code_paths, int n_code,
                            const char *const *money, int n_money,
                            const char *const (*rows)[8], int n_rows)
{
    sql("INSERT INTO doc_tables (doc_id, table_no, label, title, unit, first_page, last_page)"
        " VALUES (1, %d, '%s', '%s', '万元', 4, 4)", table_no, label, title);
    int col = 1;
    for (int k = 0; k < n_code; k++)
        sql("INSERT INTO table_columns (doc_id, table_no, column_no, path, is_label)"
            " VALUES (1, %d, %d, '%s', 1)", table_no, col++, code_paths[k]);
    sql("INSERT INTO table_columns (doc_id, table_no, column_no, path, is_label)"
        " VALUES (1, %d, %d, '项目 / 科目名称', 1)", table_no, col++);
    for (int k = 0; k < n_money; k++)
        sql("INSERT INTO table_columns (doc_id, table_no, column_no, path) VALUES (1, %d, %d,"
            " '%s')", table_no, col++, money[k]);
    for (int r = 0; r < n_rows; r++) {
        sql("INSERT INTO table_rows (doc_id, table_no, row_no, label, role, page)"
            " VALUES (1, %d, %d, '%s', 'item', 4)", table_no, r + 1, rows[r][n_code]);
        for (int c = 0; c < 1 + n_code + n_money && c < 8; c++)
            if (rows[r][c] && rows[r][c][0])
                raw_cell(table_no, r + 1, c + 1, rows[r][c]);
    }
}

/* szyb-2020 公开02 / 公开03: 合计 printed in the code column (the name cell
 * empty) is the table's total row; a lone …合计 header (本年收入合计) is
 * the total of the other top-level columns. */
START_TEST(total_in_the_code_column_and_a_named_total_column)
{
    static const char *const code[] = {"项目 / 功能分类科目编码"};
    static const char *const money[] = {"本年收入合计", "财政拨款收入", "其他收入"};
    static const char *const rows[][8] = {
        {"合计", "", "6,093.90", "6,093.52", "0.37"},
        {"205", "教育支出", "13.86", "13.86", ""},
        {"2050803", "培训支出", "13.86", "13.86", ""},
        {"210", "医疗卫生与计划生育支出", "6,080.04", "6,079.66", "0.37"},
        {"2101550", "事业运行", "6,080.04", "6,079.66", "0.37"},
    };
    add_coded_table(1, "公开 02 表", "收入决算表", code, 1, money, 3, rows, 5);
    reconcile();
    /* 6,079.66 + 0.37 = 6,080.03: the seed's kept gap, as rounding */
    EXPECT(count("column_total", "rounding", "事业运行") == 1);
    EXPECT(count("row_total", "ok", "「合计」[本年收入合计]") == 1);
    EXPECT(count("row_total", "ok", "「合计」[财政拨款收入]") == 1);
    EXPECT(count(NULL, "mismatch", NULL) == 0);
    /* two total-like headers nest: neither sums the other columns */
    static const char *const nested[] = {"本年收入合计", "上年结转", "收入总计"};
    static const char *const rows2[][8] = {{"205", "教育支出", "10.00", "5.00", "15.00"}};
    add_coded_table(2, "表2", "收入表", code, 1, nested, 3, rows2, 1);
    reconcile();
    EXPECT(count("column_total", NULL, "表2「教育支出」行 [本年收入合计]") == 0);
}
END_TEST

/* Codes split over 类 | 款 columns, a one-digit 款 printed as "2": the
 * line is 30102, under 301 — not a second 301. */
START_TEST(codes_split_over_columns)
{
    static const char *const code[] = {"项目 / 经济分类科目编码 / 类", "项目 / 经济分类科目编码 / 款"};
    static const char *const money[] = {"合计"};
    static const char *const rows[][8] = {
        {"301", "", "工资福利支出", "100"}, {"301", "01", "基本工资", "60"},
        {"301", "2", "津贴补贴", "30"},      {"301", "7", "绩效工资", "10"},
        {"302", "", "商品和服务支出", "5"},  {"302", "1", "办公费", "5"},
        {"合计", "", "", "105"},
    };
    add_coded_table(1, "表8", "基本支出表", code, 2, money, 1, rows, 7);
    reconcile();
    EXPECT(count("hierarchy", "ok", "301 工资福利支出") == 1);
    EXPECT(count("hierarchy", "ok", "302 商品和服务支出") == 1);
    EXPECT(count("row_total", "ok", "合计") == 1);
    EXPECT(count(NULL, "mismatch", NULL) == 0);
    EXPECT(count(NULL, "unverifiable", NULL) == 0);
}
END_TEST

/* 收支总表 with 支出 split into 功能分类 | 支出用途: 当年支出小计 and
 * 支出合计 print one figure for the whole side, under 支出用途. */
START_TEST(one_total_figure_for_both_groups_of_a_side)
{
    sql("INSERT INTO doc_tables (doc_id, table_no, label, title, unit, first_page, last_page)"
        " VALUES (1, 1, '表1', '收支预算总表', '万元', 10, 10)");
    static const char *const paths[] = {"支出 / 功能分类 / 功能科目名称", "支出 / 功能分类 / 金额",
                                        "支出 / 支出用途 / 项目名称", "支出 / 支出用途 / 金额"};
    for (int c = 0; c < 4; c++)
        sql("INSERT INTO table_columns (doc_id, table_no, column_no, path, part, is_label)"
            " VALUES (1, 1, %d, '%s', %d, %d)", c + 1, paths[c], 1 + c / 2, c % 2 == 0);
    static const char *const rows[][4] = {
        {"一、公共安全支出", "13,656.34", "一、基本支出", "12,323.48"},
        {"二、社会保障和就业支出", "2,021.18", "二、项目支出", "5,533.00"},
        {"三、住房保障支出", "2,319.16", "三、单位预留机动经费", "140.20"},
        {"当年支出小计", "", "", "17,996.68"},
        {"结转下年资金", "", "", ""},
        {"支出合计", "", "", "17,996.68"},
    };
    for (int r = 0; r < 6; r++) {
        /* the stored row of each part: the one label printed serves both */
        for (int part = 1; part <= 2; part++) {
            const char *lab = rows[r][(part - 1) * 2][0] ? rows[r][(part - 1) * 2] : rows[r][0];
            sql("INSERT INTO table_rows (doc_id, table_no, row_no, part, label, role, page)"
                " VALUES (1, 1, %d, %d, '%s', '%s', 10)", r + 1, part, lab,
                strstr(lab, "合计") ? "total" : "item");
        }
        for (int c = 0; c < 4; c++)
            if (rows[r][c][0])
                raw_cell(1, r + 1, c + 1, rows[r][c]);
    }
    reconcile();
    EXPECT(count("row_total", "ok", "「当年支出小计」[支出 / 功能分类 / 金额]") == 1);
    EXPECT(count("row_total", "ok", "「当年支出小计」[支出 / 支出用途 / 金额]") == 1);
    EXPECT(count(NULL, "unverifiable", NULL) == 0);
    EXPECT(count(NULL, "mismatch", NULL) == 0);
}
END_TEST

/* "与上年相比，财政拨款收、支总计各增加 1454.35 万元，增长 8.8 %" after
 * the sentence stating 17981.68: the amount is borrowed — it confirms, it
 * never accuses. */
START_TEST(comparison_after_the_sentence_stating_the_amount)
{
    add_statement(1, 20, "省检察院 2017 年度财政拨款收、支总预算", "17981.68万元", "17981.68",
                  "万元", NULL, NULL, "省检察院 2017 年度财政拨款收、支总预算 17981.68万元。");
    add_statement(2, 20, "财政拨款收、支总计各", "", NULL, "万元", "1454.35", "8.8",
                  "与上年相比，财政拨款收、支总计各增加 1454.35 万元，增长 8.8 %。");
    add_statement(3, 20, "省检察院 2017 年财政拨款预算支出", "17981.68 万元", "17981.68", "万元",
                  NULL, NULL, "省检察院 2017 年财政拨款预算支出 17981.68 万元，占本年支出合计的 99.92 %。");
    add_statement(4, 20, "省检察院 2017 年财政拨款预算支出占本年支出合计", "99.92 %", "99.92", "%",
                  NULL, NULL, "省检察院 2017 年财政拨款预算支出 17981.68 万元，占本年支出合计的 99.92 %。");
    add_statement(5, 20, "", "", NULL, "万元", "1454.35", "8.8",
                  "与上年相比，增加 1454.35 万元，增长 8.8 %。");
    /* the previous sentence is about something else: no accusation */
    add_statement(6, 21, "会议费", "50万元", "50", "万元", NULL, NULL, "会议费50万元。");
    add_statement(7, 21, "培训费", "", NULL, "万元", "10", "30",
                  "与上年相比，培训费增加 10 万元，增长 30%。");
    reconcile();
    EXPECT(count("yoy", "ok", "收、支总计各") == 1);
    EXPECT(count("yoy", "ok", "1,454.35") == 2);
    EXPECT(count("yoy", "mismatch", NULL) == 0);
    EXPECT(count("yoy", "unverifiable", "培训费") == 1);
}
END_TEST

/* Family 3 without codes: 一、 > （一） > 1. by numbering, 其中 and
 * unnumbered detail lines inside; family 7: a 增加/减少 word against the
 * sign of the percentage. */
START_TEST(numbering_hierarchy_and_contradicting_words)
{
    static const trow rows[] = {
        {"一、基本支出", NULL, NULL, {"100"}},
        {"（一）人员经费", NULL, NULL, {"70"}},
        {"1. 工资", NULL, NULL, {"40"}},
        {"其中：奖金", NULL, "of_which", {"15"}},
        {"2. 社保", NULL, NULL, {"25"}},   /* 40 + 25 = 65 ≠ 70 */
        {"（二）公用经费", NULL, NULL, {"30"}},
        {"办公费（明细，无序号）", NULL, NULL, {"30"}},
        {"二、项目支出", NULL, NULL, {"—"}},
        {"合计", NULL, "total", {"100"}},
    };
    add_table(1, "表1", "支出表", "万元", 3, "项目", one_col, 1, rows, 9);
    add_statement(1, 9, "公用经费", "90 万元", "90", "万元", "-10", "10",
                  "公用经费 90 万元，比上年减少 10 万元，增长 10%。");
    add_statement(2, 9, "印刷费", "90 万元", "90", "万元", "-10", "-10",
                  "印刷费 90 万元，比上年减少 10 万元，下降 10%。");
    add_statement(3, 9, "邮电费", "90 万元", "90", "万元", "0", "0", "邮电费 90 万元，与上年持平。");
    reconcile();
    EXPECT(count("hierarchy", "ok", "一、基本支出") == 1);
    EXPECT(count("hierarchy", "mismatch", "（一）人员经费") == 1);
    EXPECT(count("hierarchy", "mismatch", "差5") == 1);   /* 奖金 not summed */
    EXPECT(count("row_total", "ok", "合计") == 1);
    EXPECT(count("yoy", "mismatch", "公用经费") == 1);
    EXPECT(count("yoy", "mismatch", "增减方向") == 1);
    EXPECT(count("yoy", "ok", "印刷费") == 1);
    EXPECT(count("yoy", "mismatch", "邮电费") == 0);
}
END_TEST

START_TEST(completeness_against_the_table_of_contents)
{
    sql("INSERT INTO lines (doc_id, page, line, text) VALUES"
        " (1, 2, 1, '目 录'), (1, 2, 2, '表1 收支总表'), (1, 2, 3, '表2 收入总表'),"
        " (1, 2, 4, '表3 支出总表 是 空表'), (1, 2, 5, '表4 三公经费表'),"
        " (1, 5, 1, '表4'), (1, 5, 2, '三公经费表'), (1, 5, 3, '本表无数据')");
    static const trow rows[] = {{"合计", NULL, "total", {"1"}}};
    add_table(1, "表1", "收支总表", "万元", 3, "项目", one_col, 1, rows, 1);
    reconcile();
    EXPECT(count("completeness", "ok", "表1") == 1);
    EXPECT(count("completeness", "mismatch", "表2") == 1);
    EXPECT(count("completeness", "ok", "表3") == 1);   /* declared empty in the 目录 */
    EXPECT(count("completeness", "ok", "表4") == 1);   /* 本表无数据 under its heading */
}
END_TEST

/* ------------------------------------------------------------------ */
/* bundles: several budgets in one file                                */
/* ------------------------------------------------------------------ */

static const trow spending_a[] = {
    {"合计", NULL, "total", {"100"}}, {"卫生健康支出", "210", NULL, {"70"}},
    {"住房保障支出", "221", NULL, {"30"}},
};
static const trow spending_b[] = {   /* the same total, split otherwise */
    {"合计", NULL, "total", {"100"}}, {"卫生健康支出", "210", NULL, {"72"}},
    {"住房保障支出", "221", NULL, {"28"}},
};

/* Whether a check has operands both in tables below first_b and in tables
 * from first_b on. */
static bool compares_across(int first_b)
{
    for (int i = 0; i < n_checks; i++) {
        bool a = false, b = false;
        for (int k = 0; k < checks[i].n_operands; k++) {
            int t = checks[i].operand_tables[k];
            a = a || (t > 0 && t < first_b);
            b = b || t >= first_b;
        }
        if (a && b)
            return true;
    }
    return false;
}

START_TEST(bundled_budgets_are_compared_within_each)
{
    /* budget A: 表5 and 表7; budget B restarts at 表1 with other figures */
    add_table(1, "表5", "一般公共预算支出表", "万元", 5, "科目名称", one_col, 1, spending_a, 3);
    add_table(2, "表7", "一般公共预算支出表", "万元", 6, "科目名称", one_col, 1, spending_a, 3);
    add_table(3, "表1", "一般公共预算支出表", "万元", 12, "科目名称", one_col, 1, spending_b, 3);
    add_table(4, "表3", "一般公共预算支出表", "万元", 13, "科目名称", one_col, 1, spending_b, 3);
    /* A's narrative after its tables; B's cover, 目录 and narrative */
    sql("INSERT INTO lines (doc_id, page, line, text) VALUES"
        " (1, 7, 1, '卫生健康支出 70 万元。'), (1, 9, 1, '某某局'), (1, 9, 2, '2022 年部门预算'),"
        " (1, 10, 1, '目 录'), (1, 10, 2, '表1 一般公共预算支出表'),"
        " (1, 11, 1, '卫生健康支出 72 万元。')");
    add_statement(1, 7, "卫生健康支出", "70 万元", "70", "万元", NULL, NULL, "卫生健康支出 70 万元。");
    add_statement(2, 11, "卫生健康支出", "72 万元", "72", "万元", NULL, NULL, "卫生健康支出 72 万元。");
    reconcile();
    EXPECT(!compares_across(3));
    EXPECT(count(NULL, "mismatch", NULL) == 0);
    EXPECT(count("cross_table", "ok", "210") == 2);     /* one within each budget */
    EXPECT(count("text_table", "ok", "70") == 1);       /* A's text against A */
    EXPECT(count("text_table", "ok", "72") == 1);       /* B's, after its cover */
}
END_TEST

START_TEST(another_department_or_kind_starts_a_budget)
{
    /* on every other page: not continued tables */
    add_table(1, NULL, "一般公共预算支出表", "万元", 5, "科目名称", one_col, 1, spending_a, 3);
    add_table(2, NULL, "一般公共预算支出表", "万元", 7, "科目名称", one_col, 1, spending_a, 3);
    add_table(3, NULL, "一般公共预算支出表", "万元", 9, "科目名称", one_col, 1, spending_b, 3);
    add_table(4, NULL, "一般公共预算支出表", "万元", 11, "科目名称", one_col, 1, spending_b, 3);
    sql("UPDATE doc_tables SET department = CASE WHEN table_no <= 2 THEN '甲 局' ELSE '乙局' END");
    reconcile();
    EXPECT(!compares_across(3));
    EXPECT(count("cross_table", "ok", "210") == 2);
    /* a spelling with other spaces is the same department: one budget */
    sql("UPDATE doc_tables SET department = '甲局'");
    reconcile();
    EXPECT(compares_across(3));
    EXPECT(count("cross_table", "mismatch", "210") >= 1);
    /* a 决算 after a 预算 is another document */
    sql("UPDATE doc_tables SET title = '一般公共预算财政拨款支出决算表' WHERE table_no > 2");
    reconcile();
    EXPECT(!compares_across(3));
}
END_TEST

START_TEST(a_table_does_not_continue_into_another_department)
{
    /* the same title on the next page, but another department's */
    add_table(1, NULL, "一般公共预算支出表", "万元", 5, "科目名称", one_col, 1, spending_a, 3);
    add_table(2, NULL, "一般公共预算支出表", "万元", 6, "科目名称", one_col, 1, spending_b, 3);
    sql("UPDATE doc_tables SET department = CASE table_no WHEN 1 THEN '甲局' ELSE '乙局' END");
    reconcile();
    EXPECT(count("row_total", "ok", NULL) == 2);
    EXPECT(count(NULL, "mismatch", NULL) == 0);
    EXPECT(!compares_across(2));
}
END_TEST

START_TEST(appendix_numbering_is_the_same_budget)
{
    /* 公开 09 表 then 表2 (an appendix numbered on its own): one budget, so
     * the two still disagree */
    add_table(1, "公开 09 表", "一般公共预算支出表", "万元", 5, "科目名称", one_col, 1, spending_a,
              3);
    add_table(2, "表2", "一般公共预算支出表", "万元", 9, "科目名称", one_col, 1, spending_b, 3);
    reconcile();
    EXPECT(compares_across(2));
    EXPECT(count("cross_table", "mismatch", "210") >= 1);
}
END_TEST

START_TEST(rerun_replaces_and_export_fields)
{
    static const trow rows[] = {
        {"一、甲", NULL, NULL, {"50"}}, {"二、乙", NULL, NULL, {"50"}}, {"合计", NULL, "total", {"103"}},
    };
    add_table(1, "表1", "表", "万元", 3, "项目", one_col, 1, rows, 3);
    bp_error err;
    bool current = true;
    ck_assert_int_eq(bp_db_checks_current(db, 1, &current, &err), BP_OK);
    EXPECT(!current); /* no rules have run */
    reconcile();
    ck_assert_int_eq(bp_db_checks_current(db, 1, &current, &err), BP_OK);
    EXPECT(current);
    sql("UPDATE documents SET rules_id = 'another build'");
    ck_assert_int_eq(bp_db_checks_current(db, 1, &current, &err), BP_OK);
    EXPECT(!current);
    int first = n_checks;
    reconcile();
    EXPECT(n_checks == first);
    EXPECT(first > 0);
    /* operands carry the printed figures */
    int i = 0;
    while (i < n_checks && strcmp(checks[i].rule, "row_total") != 0)
        i++;
    ck_assert_int_lt(i, n_checks);
    EXPECT(checks[i].n_operands == 3);
    EXPECT(strcmp(checks[i].operands[0], "103") == 0);
    int64_t *ids = NULL;
    size_t n = 0;
    const char *spec[] = {"abcd"};
    ck_assert_int_eq(bp_db_resolve_documents(db, spec, 1, &ids, &n, &err), BP_OK);
    EXPECT(n == 1 && ids[0] == 1);
    free(ids);
    const char *bad[] = {"nothing.pdf"};
    ck_assert_int_eq(bp_db_resolve_documents(db, bad, 1, &ids, &n, &err), BP_ERR_USAGE);
    bp_check_counts counts;
    ck_assert_int_eq(bp_db_check_counts(db, 1, &counts, &err), BP_OK);
    EXPECT(counts.mismatch == 1);
}
END_TEST


/* ------------------------------------------------------------------ */
/* inferred structure and quantities (false alarms seen on corpus/)    */
/* ------------------------------------------------------------------ */

/* 基本支出总表 without codes: the class structure comes from codes printed
 * in another table for some labels only; the unit line above is no total
 * of what was inferred. */
START_TEST(inferred_codes_do_not_accuse)
{
    static const trow coded[] = {
        {"工资福利支出", "301", NULL, {"90"}},
        {"基本工资", "30101", NULL, {"50"}},
        {"津贴补贴", "30102", NULL, {"40"}},
    };
    static const trow plain_rows[] = {
        {"某局（本级）", NULL, NULL, {"110"}}, {"工资福利支出", NULL, NULL, {"90"}},
        {"基本工资", NULL, NULL, {"50"}},      {"津贴补贴", NULL, NULL, {"40"}},
        {"商品和服务支出", NULL, NULL, {"20"}}, {"办公费", NULL, NULL, {"20"}},
    };
    add_table(1, "表8", "一般公共预算支出表（按经济分类）", "万元", 18, "科目名称", one_col, 1,
              coded, 3);
    add_table(2, "表4", "基本支出总表", "万元", 13, "支出项目类别", one_col, 1, plain_rows, 6);
    reconcile();
    EXPECT(count(NULL, "mismatch", NULL) == 0);
    EXPECT(count("row_total", "unverifiable", "某局") == 1);
}
END_TEST

/* Indentation levels are inferred: a wrapped label at the wrong level makes
 * a parent that the table does not have — unverifiable; the same mistake
 * under a printed 合计 that the top lines add up to is a finding. */
START_TEST(indentation_levels_need_confirmation)
{
    static const trow rows[] = {
        {"某局（本级）", NULL, NULL, {"100"}}, {"基金监督管理", NULL, NULL, {"30"}},
        {"区财政安排项目", NULL, NULL, {"20"}},
        {"信息化服务类项目（非运维服务部分）", NULL, NULL, {"50"}},
        {"信息化系统运行维护", NULL, NULL, {"50"}},
    };
    add_table(1, "表5", "项目支出总表", "万元", 15, "支出项目类别", one_col, 1, rows, 5);
    sql("UPDATE table_rows SET level = CASE WHEN row_no IN (1, 4) THEN 0 ELSE 1 END"
        " WHERE table_no = 1");
    static const trow confirmed[] = {
        {"合计", NULL, "total", {"100"}}, {"一类", NULL, NULL, {"60"}},
        {"甲", NULL, NULL, {"30"}},       {"乙", NULL, NULL, {"20"}},
        {"二类", NULL, NULL, {"40"}},     {"丙", NULL, NULL, {"40"}},
    };
    add_table(2, "表9", "分类表", "万元", 20, "项目", one_col, 1, confirmed, 6);
    sql("UPDATE table_rows SET level = CASE WHEN row_no IN (2, 5) THEN 0 ELSE 1 END"
        " WHERE table_no = 2");
    reconcile();
    EXPECT(count("hierarchy", "mismatch", "某局") == 0);
    EXPECT(count("hierarchy", "unverifiable", "某局") == 1);
    EXPECT(count("hierarchy", "mismatch", "一类") == 1);   /* 30 + 20 ≠ 60 */
    EXPECT(count("hierarchy", "ok", "二类") == 1);
}
END_TEST

/* The same unit row in 基本支出总表 and 项目支出总表 is two quantities; the
 * text's 项目支出 is not 政府性基金预算支出表's 项目支出. */
START_TEST(different_quantities_are_not_compared)
{
    static const trow basic[] = {{"某某局（本级）", NULL, NULL, {"11,254.27"}}};
    static const trow project[] = {
        {"某某局（本级）", NULL, NULL, {"10,612.72"}}, {"信息化建设项目甲", NULL, NULL, {"10,612.72"}},
    };
    static const trow other_project[] = {{"信息化建设项目甲", NULL, NULL, {"10,600.00"}}};
    static const char *const cols3[] = {"支出总计", "基本支出", "项目支出"};
    static const trow fund[] = {{"某某局（本级）", NULL, NULL, {"0.00", "0.00", "0.00"}}};
    add_table(1, "表4", "基本支出总表", "万元", 13, "支出项目类别", one_col, 1, basic, 1);
    add_table(2, "表5", "项目支出总表", "万元", 15, "支出项目类别", one_col, 1, project, 2);
    add_table(3, "表10", "政府性基金预算支出表", "万元", 21, "预算单位", cols3, 3, fund, 1);
    add_table(4, "表11", "国有资本经营预算支出表", "万元", 22, "预算单位", cols3, 3, fund, 1);
    add_table(5, "表12", "项目绩效目标表", "万元", 23, "项目名称", one_col, 1, other_project, 1);
    add_statement(1, 3, "项目支出", "10,612.72万元", "10612.72", "万元", NULL, NULL,
                  "（四）项目支出 10,612.72万元，具体包括：");
    add_statement(2, 2, "某某局（本级）预算", "21,866.99万元", "21866.99", "万元", NULL, NULL,
                  "某某局（本级）预算 21,866.99万元。");
    reconcile();
    EXPECT(count("cross_table", "mismatch", "某某局") == 0);
    EXPECT(count("text_table", "mismatch", NULL) == 0);
    /* the same project in two project tables still disagrees */
    EXPECT(count("cross_table", "mismatch", "信息化建设项目甲") == 1);
}
END_TEST

/* "与2019年决算数 0.18万元相比" names the base year's figure, not an item:
 * two such sentences about different items are not compared. */
START_TEST(comparison_base_is_not_a_subject)
{
    add_statement(1, 17, "与2019年决算数", "0.18万元", "0.18", "万元", "1.56", NULL,
                  "“三公”经费支出1.74万元，与2019年决算数0.18万元相比，增加1.56万元。");
    add_statement(2, 18, "与2019年决算数", "0.18万元", "0.18", "万元", "-0.18", NULL,
                  "与2019年决算数 0.18万元相比，减少 0.18 万元。");
    add_statement(3, 19, "对个人和家庭的补助支出（303）", "789.92万元", "789.92", "万元",
                  "-6580.08", NULL, "对个人和家庭的补助支出（303）789.92万元，减少6,580.08万元。");
    add_statement(4, 20, "对个人和家庭的补助支出", "789.92万元", "789.92", "万元", "-6570.08",
                  NULL, "对个人和家庭的补助支出789.92万元，减少6,570.08万元。");
    reconcile();
    EXPECT(count("text_consistency", NULL, "与2019") == 0);
    EXPECT(count("text_consistency", "mismatch", "对个人和家庭的补助") == 1);
}
END_TEST

/* ------------------------------------------------------------------ */
/* end to end over the rendered corpus                                 */
/* ------------------------------------------------------------------ */

static char *run(const char *cmd, int *status)
{
    char *out = bp_test_run_command(cmd, status);
    ck_assert_ptr_nonnull(out);
    return out;
}


/* Whether one line of reconcile --json mentions doc and has status, rule
 * and every needle (up to 3, NULL-terminated early). */
static int json_has_check(const char *json, const char *doc, const char *status,
                          const char *rule, const char *const *needles)
{
    char want_status[64], want_rule[64];
    snprintf(want_status, sizeof want_status, "\"status\":\"%s\"", status);
    snprintf(want_rule, sizeof want_rule, "\"rule\":\"%s\"", rule);
    int hit = 0;
    for (const char *line = json; line && *line && !hit;) {
        const char *end = strchr(line, '\n');
        size_t len = end ? (size_t)(end - line) : strlen(line);
        char *copy = strndup(line, len);
        ck_assert_ptr_nonnull(copy);
        hit = strstr(copy, doc) && strstr(copy, want_status) && strstr(copy, want_rule);
        for (int k = 0; k < 3 && hit && needles[k]; k++)
            hit = strstr(copy, needles[k]) != NULL;
        free(copy);
        line = end ? end + 1 : NULL;
    }
    return hit;
}

START_TEST(rendered_corpus_discrepancies)
{
    const char *shared = bp_test_shared_dir();
    if (shared == NULL)
        return;
    char dir[] = "/tmp/bp-rec-XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char cmd[2048];
    int status;
    snprintf(cmd, sizeof cmd, "%s ingest --db %s/r.sqlite %s/corpus/rendered 2>&1", BP_BINARY,
             dir, shared);
    free(run(cmd, &status));
    ck_assert_int_eq(status, 0);
    snprintf(cmd, sizeof cmd, "%s reconcile --db %s/r.sqlite --json", BP_BINARY, dir);
    char *json = run(cmd, &status);
    if (strstr(json, "\"rule\":\"row_total\"") == NULL) {
        /* ingest does not recover tables yet: nothing to reconcile */
        printf("skipped: rendered corpus end to end (no tables loaded)\n");
        free(json);
        snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
        free(run(cmd, &status));
        return;
    }
    ck_assert_int_eq(status, 1);   /* mismatches found */
    /* one line per check: look for the DISCREPANCIES.md entries a rule covers */
    struct {
        const char *doc, *status, *rule, *needles[3];
    } expect[] = {
        /* 000 #1, #2: the 重点项目 table moves 42 万元 between two projects */
        {"000_", "mismatch", "cross_table", {"医疗保障经办管理", "3,829", NULL}},
        {"000_", "mismatch", "cross_table", {"医疗保障综合管理", "1,522", NULL}},
        /* 000 #4: 三公 growth 119% */
        {"000_", "mismatch", "yoy", {"119", NULL, NULL}},
        /* 000 #6: 表4 in the 目录, absent */
        {"000_", "mismatch", "completeness", {"基本支出总表", NULL, NULL}},
        /* 000 #8, #9: rounding */
        {"000_", "rounding", "row_total", {"本年收入合计", NULL, NULL}},
        {"000_", "rounding", "hierarchy", {"医疗保障管理事务", NULL, NULL}},
        {"000_", "rounding", "column_total", {"收入总计", NULL, NULL}},
        {"000_", "rounding", "column_total", {"支出总计", NULL, NULL}},
        {"000_", "rounding", "text_sum", {"256,890", NULL, NULL}},
        /* 003 #1, #2: the listed parts do not add up */
        {"003_", "mismatch", "text_sum", {"1,172.36", "1,167.36", NULL}},
        {"003_", "mismatch", "text_sum", {"1,010.52", NULL, NULL}},
        /* 003 #3: the same 789.92 with two different changes */
        {"003_", "mismatch", "text_consistency", {"6,580.08", "6,570.08", NULL}},
        /* 003 #12: 十三 missing */
        {"003_", "mismatch", "numbering", {"十四", NULL, NULL}},
        /* 003 #9: 成本指标 360000 / 120000 / 8400 are 元 in a 万元 form */
        {"003_", "mismatch", "unit_slip", {"表14-5", "488,400", NULL}},
        /* form fund sources */
        {"003_", "ok", "form_funds", {"表14-6", NULL, NULL}},
        /* 003 #5, #7: rounding */
        {"003_", "rounding", "cross_table", {"卫生健康支出", NULL, NULL}},
        {"003_", "rounding", "column_total", {"1,172.36", NULL, NULL}},
        {"003_", "rounding", "column_total", {"行政运行", NULL, NULL}},
        {"003_", "rounding", "cross_table", {"人员经费支出", "998.12", NULL}},
    };
    for (size_t e = 0; e < sizeof expect / sizeof expect[0]; e++) {
        int hit = json_has_check(json, expect[e].doc, expect[e].status, expect[e].rule,
                                 expect[e].needles);
        ck_assert_msg(hit, "no %s %s check for %s (%s)", expect[e].status, expect[e].rule,
                      expect[e].doc, expect[e].needles[0]);
    }
    /* every other mismatch is one of the documented ones */
    int mismatches = 0;
    for (char *p = json; (p = strstr(p, "\"status\":\"mismatch\"")); p++)
        mismatches++;
    ck_assert_int_le(mismatches, 10);
    free(json);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    free(run(cmd, &status));
}
END_TEST


/* The project's own corpus (exact truth files, tables recovered cell for
 * cell): every mismatch reported must be a real inconsistency of the
 * seed.  Verified by hand: none of the 19 reported before the fixes was —
 * szyb-2024 表4 (classes inferred from codes in 表8), 表5 (indentation of
 * wrapped labels), 表5 vs 表4 (项目支出 vs 基本支出), p3 项目支出 vs 表10
 * (政府性基金 only); szyb-2020 p17/p18 "与2019年决算数" (different items).
 * The seed's kept inconsistencies are all within rounding and must be
 * reported as rounding (公开02 2101550 and 公开03 合计 项目支出 were missed
 * until the 本年收入合计 header and 合计 in the code column were read). */
START_TEST(project_corpus_has_no_false_alarm)
{
    char dir[] = "/tmp/bp-rec-XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char cmd[2048];
    int status;
    snprintf(cmd, sizeof cmd, "%s ingest --db %s/c.sqlite %s/corpus 2>&1", BP_BINARY, dir,
             BP_SOURCE_DIR);
    free(run(cmd, &status));
    ck_assert_int_eq(status, 0);
    snprintf(cmd, sizeof cmd, "%s reconcile --db %s/c.sqlite", BP_BINARY, dir);
    char *text = run(cmd, &status);
    /* a document without checks is named by its file, not its id */
    ck_assert_msg(strstr(text, "corpus/szyb-2019-project-targets.pdf (") != NULL, "%s", text);
    ck_assert_msg(strstr(text, "== document") == NULL, "%s", text);
    free(text);
    snprintf(cmd, sizeof cmd, "%s reconcile --db %s/c.sqlite --json", BP_BINARY, dir);
    char *json = run(cmd, &status);
    /* real mismatches kept on purpose, with the reason: none in this corpus */
    int mismatches = 0;
    for (char *p = json; (p = strstr(p, "\"status\":\"mismatch\"")); p++)
        mismatches++;
    ck_assert_msg(mismatches == 0, "unexpected mismatches on corpus/: %d", mismatches);
    ck_assert_int_eq(status, 0);
    struct {
        const char *status, *rule, *needles[2];
    } expect[] = {
        /* szyb-2024 表5 医疗保障综合管理 1,236.12 vs 1,212.30 + 23.81 */
        {"rounding", "column_total", {"医疗保障综合管理", "1,236.12"}},
        /* szyb-2020 公开01 / 公开04 expenditure lines 201,787.56 vs 201,787.57 */
        {"rounding", "row_total", {"本年支出合计", "201,787.57"}},
        /* 公开04 一般公共预算 201,109.33 vs 201,109.34 */
        {"rounding", "row_total", {"本年支出合计", "201,109.34"}},
        /* 公开05 小计 201,109.34 vs 5,712.00 + 195,397.33 */
        {"rounding", "column_total", {"201,109.34", "195,397.33"}},
        /* 公开06 302 lines 337.10 vs 337.09 */
        {"rounding", "hierarchy", {"商品和服务支出", "337.09"}},
        /* 公开02 2101550 本年收入合计 6,080.04 vs 6,079.66 + 0.37 */
        {"rounding", "column_total", {"事业运行", "6,080.04"}},
        /* 公开03 合计 项目支出 196,075.56 vs 13.86 + 195,383.48 + 678.23 */
        {"rounding", "row_total", {"[项目支出]", "196,075.56"}},
    };
    for (size_t e = 0; e < sizeof expect / sizeof expect[0]; e++) {
        const char *needles[3] = {expect[e].needles[0], expect[e].needles[1], NULL};
        int hit = json_has_check(json, "", expect[e].status, expect[e].rule, needles);
        ck_assert_msg(hit, "no %s %s check for %s %s", expect[e].status, expect[e].rule,
                      expect[e].needles[0], expect[e].needles[1]);
    }
    free(json);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    free(run(cmd, &status));
}
END_TEST

/* "rule status count" lines of a database's checks. */
static char *check_counts(const char *path)
{
    sqlite3 *s = NULL;
    ck_assert_int_eq(sqlite3_open_v2(path, &s, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *q = NULL;
    ck_assert_int_eq(sqlite3_prepare_v2(s,
                                        "SELECT rule, status, count(*) FROM checks"
                                        " GROUP BY rule, status ORDER BY rule, status",
                                        -1, &q, NULL),
                     SQLITE_OK);
    size_t size = 8192, len = 0;
    char *out = calloc(1, size);
    ck_assert_ptr_nonnull(out);
    while (sqlite3_step(q) == SQLITE_ROW && len < size)
        len += (size_t)snprintf(out + len, size - len, "%s %s %d\n",
                                (const char *)sqlite3_column_text(q, 0),
                                (const char *)sqlite3_column_text(q, 1), sqlite3_column_int(q, 2));
    sqlite3_finalize(q);
    sqlite3_close(s);
    return out;
}

/* Joins files into one PDF with qpdf and ingests it, and the files one by
 * one: the bundle's checks must be its documents' checks, no more (no
 * budget compared with another) and no fewer. */
static void expect_bundle_like_its_documents(const char *dir, const char *const *files, int n)
{
    char cmd[4096];
    int status;
    int len = snprintf(cmd, sizeof cmd, "qpdf --empty --pages");
    for (int i = 0; i < n; i++)
        len += snprintf(cmd + len, sizeof cmd - (size_t)len, " %s", files[i]);
    snprintf(cmd + len, sizeof cmd - (size_t)len, " -- %s/bundle.pdf 2>&1", dir);
    char *out = run(cmd, &status);
    ck_assert_msg(status == 0 || status == 3, "%s: %s", cmd, out);   /* 3: warnings */
    free(out);
    len = snprintf(cmd, sizeof cmd, "%s ingest --db %s/separate.sqlite", BP_BINARY, dir);
    for (int i = 0; i < n; i++)
        len += snprintf(cmd + len, sizeof cmd - (size_t)len, " %s", files[i]);
    snprintf(cmd + len, sizeof cmd - (size_t)len, " 2>&1");
    free(run(cmd, &status));
    ck_assert_int_eq(status, 0);
    snprintf(cmd, sizeof cmd, "%s ingest --db %s/bundle.sqlite %s/bundle.pdf 2>&1", BP_BINARY, dir,
             dir);
    free(run(cmd, &status));
    ck_assert_int_eq(status, 0);
    char path[1024];
    snprintf(path, sizeof path, "%s/separate.sqlite", dir);
    char *separate = check_counts(path);
    snprintf(path, sizeof path, "%s/bundle.sqlite", dir);
    char *bundle = check_counts(path);
    ck_assert_msg(strchr(separate, '\n') != NULL, "no checks at all");
    ck_assert_str_eq(bundle, separate);
    free(separate);
    free(bundle);
    snprintf(cmd, sizeof cmd, "rm -f %s/*.sqlite* %s/bundle.pdf", dir, dir);
    free(run(cmd, &status));
}

START_TEST(a_bundle_finds_what_its_documents_find)
{
    int status;
    free(run("command -v qpdf", &status));
    if (status != 0) {
        printf("skipped: bundles (no qpdf tool to join PDFs)\n");
        return;
    }
    char dir[] = "/tmp/bp-rec-XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    /* a 决算, a 预算 and project targets of one department */
    const char *const own[] = {BP_SOURCE_DIR "/corpus/szyb-2020-final-accounts.pdf",
                               BP_SOURCE_DIR "/corpus/szyb-2024-budget.pdf",
                               BP_SOURCE_DIR "/corpus/szyb-2019-project-targets.pdf"};
    expect_bundle_like_its_documents(dir, own, 3);
    /* one department's budgets of 2017 and 2018: joined, the 2018 tables
     * would disagree with the 2017 ones */
    const char *shared = bp_test_shared_dir();
    if (shared != NULL) {
        char a[1024], b[1024];
        snprintf(a, sizeof a, "%s/corpus/real/cn-001.pdf", shared);
        snprintf(b, sizeof b, "%s/corpus/real/cn-002.pdf", shared);
        const char *const years[] = {a, b};
        expect_bundle_like_its_documents(dir, years, 2);
    }
    char cmd[1100];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    free(run(cmd, &status));
}
END_TEST

static Suite *reconcile_suite(void)
{
    Suite *s = suite_create("reconcile");
    TCase *tc = tcase_create("rules");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, row_total_with_numbered_children_is_not_double_counted);
    tcase_add_test(tc, nested_subtotals_are_summed_once);
    tcase_add_test(tc, of_which_rows_are_not_summed);
    tcase_add_test(tc, rounding_within_tolerance_and_a_real_gap);
    tcase_add_test(tc, blank_is_no_value_and_a_blank_total_is_unverifiable);
    tcase_add_test(tc, unreadable_operand_is_unverifiable_not_mismatch);
    tcase_add_test(tc, flat_list_that_overshoots_is_unverifiable);
    tcase_add_test(tc, column_total_and_merged_header_subtotal);
    tcase_add_test(tc, negative_change_column);
    tcase_add_test(tc, code_hierarchy);
    tcase_add_test(tc, table_continued_on_next_page_is_one_table);
    tcase_add_test(tc, rows_from_another_page_are_not_accused);
    tcase_add_test(tc, numbering_gap);
    tcase_add_test(tc, balance_chain_and_sides);
    tcase_add_test(tc, cross_table_same_scope_by_code_and_projects);
    tcase_add_test(tc, text_against_tables_and_listed_parts);
    tcase_add_test(tc, year_over_year_percent_and_direction);
    tcase_add_test(tc, year_over_year_with_both_amounts);
    tcase_add_test(tc, year_over_year_amount_in_the_sentence_before);
    tcase_add_test(tc, unit_slip_is_reported_as_such);
    tcase_add_test(tc, form_fund_total_equals_its_sources);
    tcase_add_test(tc, form_cost_indicators_in_yuan_are_a_unit_slip);
    tcase_add_test(tc, comparisons_across_units_are_unit_checks);
    tcase_add_test(tc, text_figure_in_the_wrong_unit_is_a_unit_slip);
    tcase_add_test(tc, class_figure_against_one_fund_tables_is_no_finding);
    tcase_add_test(tc, total_in_the_code_column_and_a_named_total_column);
    tcase_add_test(tc, codes_split_over_columns);
    tcase_add_test(tc, one_total_figure_for_both_groups_of_a_side);
    tcase_add_test(tc, comparison_after_the_sentence_stating_the_amount);
    tcase_add_test(tc, numbering_hierarchy_and_contradicting_words);
    tcase_add_test(tc, completeness_against_the_table_of_contents);
    tcase_add_test(tc, bundled_budgets_are_compared_within_each);
    tcase_add_test(tc, another_department_or_kind_starts_a_budget);
    tcase_add_test(tc, a_table_does_not_continue_into_another_department);
    tcase_add_test(tc, appendix_numbering_is_the_same_budget);
    tcase_add_test(tc, rerun_replaces_and_export_fields);
    tcase_add_test(tc, inferred_codes_do_not_accuse);
    tcase_add_test(tc, indentation_levels_need_confirmation);
    tcase_add_test(tc, different_quantities_are_not_compared);
    tcase_add_test(tc, comparison_base_is_not_a_subject);
    suite_add_tcase(s, tc);
    TCase *e2e = tcase_create("corpus");
    tcase_set_timeout(e2e, 600);
    tcase_add_test(e2e, rendered_corpus_discrepancies);
    tcase_add_test(e2e, project_corpus_has_no_false_alarm);
    tcase_add_test(e2e, a_bundle_finds_what_its_documents_find);
    suite_add_tcase(s, e2e);
    return s;
}

int main(void)
{
    return bp_test_run(reconcile_suite());
}
