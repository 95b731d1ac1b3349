/*
 * reconcile_int.h — private to the reconciliation files of load/: the
 * in-memory picture of one loaded document that the rules read, and the
 * check builder they write through.
 *
 * reconcile.c loads a document (tables, columns, rows, cells, statements)
 * from the database into these plain structs, runs every rule family
 * (rules_*.c) and writes the checks back in one transaction.  Rules never
 * touch SQLite except rules_toc.c, which counts the pages without text; the
 * page text lines (its 目录, the covers between budgets) come through
 * rc_doc_lines().  The model's texts live in the document's string
 * chunk: rules read them and never free them.  Money is bp_decimal only;
 * no floating point.
 *
 * A check is an identity "actual = expected" where `actual` is the figure
 * the document states (a total, a restated figure) and `expected` is what
 * its operands imply (a sum, a difference, the same figure elsewhere).
 * Tolerance is the sum of the rounding bounds of every printed operand.
 */
#ifndef BP_RECONCILE_INT_H
#define BP_RECONCILE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <glib.h>

#include "load/load.h"
#include "normalize/normalize.h"

/* What a cell holds, as far as a sum is concerned. */
typedef enum rc_state {
    RC_BLANK = 0,     /* nothing printed, or —/-: contributes nothing */
    RC_VALUE,         /* a figure */
    RC_UNREADABLE     /* something printed that is not a usable figure */
} rc_state;

typedef struct rc_cell {
    rc_state state;
    bp_decimal value;    /* in the table's unit when RC_VALUE */
    int precision;
    int page;
    const char *text;    /* as printed ("" when absent) */
} rc_cell;

typedef struct rc_column {
    int column_no;
    int part;
    bool is_label;
    bool numeric;        /* a money column: most printed cells are figures */
    bool is_code;        /* holds classification codes */
    bool is_percent;     /* 增长率, 幅度, % */
    bool is_of_which;    /* 其中：… (a part of another column, never summed) */
    int label_col;       /* index of the label column this value column reads
                            its row labels from, -1 when none */
    const char *path;    /* header levels joined by " / " */
    const char *key;     /* folded path, numbering and spaces removed */
} rc_column;

typedef enum rc_role {
    RC_ITEM = 0, RC_TOTAL, RC_SUBTOTAL, RC_OF_WHICH
} rc_role;

/* One row as seen from one label column (its "series"). */
typedef struct rc_row {
    int row_no;
    int part;
    int page;
    const char *label;   /* as printed */
    const char *key;     /* folded label without numbering, for matching */
    const char *code;    /* classification code, stated or inferred; NULL */
    bool code_inferred;
    int level;           /* stored hierarchy depth, -1 when unknown */
    rc_role role;
    int ordinal;         /* numbering kind: 0 none, 1 一、, 2 （一）, 3 1./1、,
                            4 (1), 5 ① */
} rc_row;

typedef struct rc_table {
    int table_no;
    const char *label, *title, *unit, *empty_note;
    const char *department;  /* 部门：… printed with it, NULL when none */
    int first_page, last_page;
    char name[160];      /* 表1, else the title, else 第10页的表: for messages */
    int64_t unit_scale;  /* 元 per printed unit, 0 when unknown */
    rc_column *cols;
    size_t n_cols;
    int *row_nos;        /* distinct row numbers, ascending (per origin) */
    int *row_table;      /* table_no each row was loaded from: a table
                            continued on the next page as a second table
                            is merged into the first; NULL = table_no */
    size_t n_row_nos;
    rc_row *rows;        /* n_row_nos × n_cols: the row of row_nos[i] as
                            labelled by the label column of column j */
    rc_cell *cells;      /* n_row_nos × n_cols */
} rc_table;

typedef struct rc_component {
    const char *subject, *key, *text, *unit;
    int64_t unit_scale;  /* 元 per unit (bp_number_unit_scale), 0 when none */
    bool has_value;
    bp_decimal value;
    int precision;
} rc_component;

typedef struct rc_statement {
    int statement_no, page;
    const char *sentence, *subject, *key, *text, *unit;
    int64_t unit_scale;  /* 元 per unit (bp_number_unit_scale), 0 when none */
    bool has_value;
    bp_decimal value;
    int precision;
    int base_year;       /* 0 when none */
    bool has_change, has_percent;
    bp_decimal change, percent;
    int change_precision, percent_precision;
    const char *change_text, *percent_text;   /* formatted (1,234.5, 17.8%), or NULL */
    rc_component *components;
    size_t n_components;
} rc_statement;

typedef enum rc_status {
    RC_OK = 0, RC_ROUNDING, RC_MISMATCH, RC_UNVERIFIABLE
} rc_status;

const char *rc_status_name(rc_status status);

typedef struct rc_operand {
    int page;
    int table_no, row_no, column_no, statement_no;  /* 0 = not applicable */
    const char *text;    /* printed text; like label, lives as long as the
                            document (its model, doc->strings or a literal) */
    const char *label;   /* what it is (row label / subject), for messages */
    bool usable;         /* has a value the check can use */
    bool blank;          /* nothing printed: zero, no rounding bound */
    bp_decimal value;    /* in the check's unit */
    int precision;
    int sign;            /* +1 / −1 in `expected`; 0 = the stated side */
    int64_t scale;       /* 元 per unit of `value` as printed (for slips) */
} rc_operand;

typedef struct rc_check {
    char rule[32];
    char unit[32];
    rc_status status;
    bool has_numbers;
    bp_decimal expected, actual, difference, tolerance;
    char *message, *message_en;
    rc_operand *ops;
    size_t n_ops, cap_ops;
} rc_check;

/* What the rules see: one section of a document (reconcile_sections.c),
 * which is the whole document unless it bundles several budgets. */
typedef struct rc_doc {
    bp_db *db;
    int64_t doc_id;
    int fiscal_year;
    rc_table *tables;
    size_t n_tables;
    rc_statement *statements;
    size_t n_statements;
    rc_check *checks;
    size_t n_checks, cap_checks;
    bool nomem;
    GStringChunk *strings;  /* the texts of the model (tables, rows, cells,
                               statements and their keys), freed with it */
    struct rc_line *lines;  /* the page text lines once read (rc_doc_lines) */
    size_t n_lines;
    bool lines_read;
    struct rc_name_index *names;  /* the tables' names by hash, while
                                     rc_rules_text runs (rules_text.c) */
} rc_doc;

/* --- building checks (reconcile.c) --- */

/* A new check for rule with values in unit (may be NULL); owned by doc. */
rc_check *rc_check_new(rc_doc *doc, const char *rule, const char *unit);

/* Adds a table cell as an operand.  sign 0 marks the stated figure
 * (actual); +1/−1 the terms of expected.  scale_to converts the cell from
 * the table's unit into the check's: value × table scale / check scale
 * (pass 0 to keep the table's unit). */
void rc_add_cell(rc_check *check, const rc_table *table, size_t row, size_t col,
                 int sign, int64_t check_scale);

/* Adds a stated figure of a statement (or component_no > 0: a component). */
void rc_add_statement(rc_check *check, const rc_statement *st, int component_no,
                      int sign, int64_t check_scale);

/* Adds an operand that could not be read at all (a missing cell); why is a
 * string literal. */
void rc_add_missing(rc_check *check, const rc_table *table, size_t row, size_t col,
                    const char *why);

/* Computes expected/actual/difference/tolerance and the status, then
 * writes the one-line messages: what (zh/en) names the identity.  When the
 * identity fails but would hold with one operand read in another money
 * unit (×/÷ 10, 1000, 10000, 1e8) the rule becomes "unit_slip". */
void rc_check_finish(rc_check *check, const char *what_zh, const char *what_en);

/* A check whose status is fixed (completeness, percent arithmetic): the
 * caller has filled the numbers (or none). */
void rc_check_finish_fixed(rc_check *check, rc_status status, const char *msg_zh,
                           const char *msg_en);

/* --- reading the model --- */

static inline const rc_cell *rc_cell_at(const rc_table *t, size_t row, size_t col)
{
    return &t->cells[row * t->n_cols + col];
}

static inline const rc_row *rc_row_at(const rc_table *t, size_t row, size_t col)
{
    return &t->rows[row * t->n_cols + col];
}

/* A folded matching key (no whitespace, no numbering, no 其中, Traditional
 * → Simplified); malloc'ed, NULL on failure. */
char *rc_key(const char *text);

/* rc_key of text kept in doc->strings (lives as long as the model). */
const char *rc_doc_key(rc_doc *doc, const char *text);

/* FNV-1a over size bytes of data, continuing from h (RC_HASH_START to
 * begin): for the key cache and the signatures of checks. */
#define RC_HASH_START 1469598103934665603u
uint64_t rc_hash(uint64_t h, const void *data, size_t size);

/* The item name of a matching key: without 预算/预算数 at its end. */
void rc_item_key(const char *key, char *out, size_t size);

/* The number of the numbering at the start (3 for 3. (3) （三） 三、), 0
 * when none. */
int rc_ordinal_number(const char *label);

/* label past its numbering (一、 （二） 3. (4) ①) and spaces. */
const char *rc_after_numbering(const char *label);

/* Numbering kind at the start of a label (see rc_row.ordinal). */
int rc_ordinal_kind(const char *label);

/* Whether s contains the UTF-8 substring needle. */
bool rc_has(const char *s, const char *needle);

/* What quantity a figure is (基本支出 / 项目支出; the funds: 政府性基金,
 * 国有资本经营, 一般公共预算, 三公), from the words of its name, table
 * title or header: RC_Q_* bits, 0 when nothing says. */
enum {
    RC_Q_BASIC = 1u, RC_Q_PROJECT = 2u, RC_Q_KIND = 3u,
    RC_Q_FUND = 4u, RC_Q_STATE_CAPITAL = 8u, RC_Q_GENERAL = 16u, RC_Q_THREE = 32u,
    RC_Q_SCOPE = 60u
};
unsigned rc_quantity(const char *text);

/* The quantity of a table cell: the kind from its column header, else
 * from the table title; the fund scope from either. */
unsigned rc_cell_quantity(const char *title, const char *path);

/* Whether two figures can be the same quantity: no named kind or scope
 * differs.  strict (evidence for a finding): what one names the other
 * names too — 项目支出 of all funds is not 政府性基金's 项目支出, and a
 * department's 预算 is not its 基本支出. */
bool rc_same_quantity(unsigned a, unsigned b, bool strict);

/* Whether two printed figures, in money units of sa and sb 元 (1, 1000,
 * 10000, 10⁸), are the same amount once converted to the smaller unit,
 * within half a unit of the last printed digit of each. */
bool rc_agree_in_units(bp_decimal va, int pa, int64_t sa, bp_decimal vb, int pb, int64_t sb);

/* first and the strings after it up to a NULL, joined into buf and cut to
 * size - 1 bytes as snprintf(buf, size, "%s%s…") would: the texts of
 * messages, without vsnprintf's cost.  Returns buf. */
char *rc_join(char *buf, size_t size, const char *first, ...) __attribute__((sentinel));

/* Human form of a decimal for messages (grouped like the print: 1,234.5). */
void rc_format(bp_decimal d, char *buf, size_t size);

/* The number in a table label: 10 for 公开 10 表, 表10, 表十, 公开表十二;
 * 0 when none. */
int rc_label_number(const char *label);

/* Whether a page text line is a 目录 heading (目 录, 目錄, 部门预算目录). */
bool rc_is_toc_heading(const char *text);

/* A page text line ("" when it has no text). */
typedef struct rc_line {
    int page;
    const char *text;    /* in doc->strings */
} rc_line;

/* The document's page text lines in page and line order (for the 目录 and
 * the covers between budgets): read once, on first use, and kept in doc. */
bp_status rc_doc_lines(rc_doc *doc, const rc_line **lines, size_t *n, bp_error *err);

/* --- shared by the narrative rules (rules_text.c, rules_yoy.c) --- */

/* A table cell, by position. */
typedef struct rc_cell_ref {
    const rc_table *t;
    size_t row, col;
} rc_cell_ref;

/* The table cells that may restate a stated money figure: the lines its
 * classification path names (公共安全支出（204类）… 3845.49万元), else the
 * row or column named like its subject (text_table's candidates).  Writes
 * at most max to cells; returns how many.  Only while rc_rules_text runs:
 * it reads doc->names. */
size_t rc_restating_cells(const rc_doc *doc, const rc_statement *st, rc_cell_ref *cells,
                          size_t max);

/* Whether the cell holds the statement's figure (units converted, within
 * the rounding of both printings). */
bool rc_cell_restates(const rc_cell_ref *ref, const rc_statement *st);

/* A subject without years, (303)-style codes and the generic words around
 * an amount (预算数, 执行数, 支出 …); "" for the base of a comparison
 * ("与2019年决算数"). */
void rc_core_key(const char *key, char *out, size_t size);

/* d as an integer count of 10^-scale (scale ≥ d.scale). */
__int128 rc_at_scale(bp_decimal d, int scale);

/* 100 × num / den as a decimal at `scale` digits, rounded half away;
 * false when den is 0 or the result does not fit. */
bool rc_percent_of(__int128 num, __int128 den, int scale, bp_decimal *out);

/* A printed percentage against num ÷ den, where num and den are exact
 * integers (at one scale) and corners[k] = {num, den} span the box their
 * rounding allows.  ok when the printed figure is num ÷ den rounded to its
 * digits; rounding when it lies within the spread of the corners plus one
 * unit of its last digit (rates are rounded or truncated); else mismatch.
 * false (nothing judged) when a corner's den is not positive: base zero. */
typedef struct rc_percent_judgement {
    rc_status status;
    bp_decimal center, tolerance, difference;
} rc_percent_judgement;
bool rc_judge_percent(__int128 num, __int128 den, const __int128 (*corners)[2], size_t n_corners,
                      bp_decimal printed, int printed_precision, rc_percent_judgement *out);

/* --- sections (reconcile_sections.c) --- */

/* One budget inside a document: tables [first_table, +n_tables) and
 * statements [first_statement, +n_statements) of the loaded document, and
 * its pages (the first section from 0, the last to INT_MAX). */
typedef struct rc_section {
    size_t first_table, n_tables;
    size_t first_statement, n_statements;
    int first_page, last_page;
} rc_section;

/* Whether two printed department names (部门：…) differ, compared by
 * their keys (rc_key); false when either is missing. */
bool rc_departments_differ(const char *a, const char *b);

/* Splits the loaded document (tables after merging continuations,
 * statements in order) into sections, in page order; at least one.
 * *out is malloc'ed. */
bp_status rc_find_sections(rc_doc *doc, rc_section **out, size_t *n, bp_error *err);

/* --- rule families --- */
void rc_rules_rows(rc_doc *doc);       /* row totals, hierarchy, balance */
void rc_rules_columns(rc_doc *doc);    /* column identities, 本年 − 上年 */
void rc_rules_form(rc_doc *doc);       /* form tables: fund total = sources */
void rc_rules_cross(rc_doc *doc);      /* cross-table agreement */
void rc_rules_text(rc_doc *doc);       /* text vs tables, text sums, YoY */
void rc_rules_yoy_amounts(rc_doc *doc); /* YoY with both amounts printed */
bp_status rc_rules_toc(rc_doc *doc, bp_error *err);   /* completeness */
void rc_rules_units(rc_doc *doc);      /* comparisons across money units;
                                          runs last, over the finished checks */

#endif
