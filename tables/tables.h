/*
 * tables.h — the disclosure tables of a document, recovered from extract/'s
 * positioned words and ruling lines: the public API of tables/.
 *
 * bp_tables_recover() reads all pages of one document and returns every
 * table it finds (with or without a 表N heading), in document order.  A
 * table continued over several pages is one table; each cell keeps its own
 * page and box.  Side-by-side tables (收入 | 支出) are one table whose
 * columns and rows carry a `part` (0 left, 1 right); a row number is shared
 * by the parts printed on the same line, each part with its own label.
 *
 * Everything here is plain data owned by the bp_table_set; strings are
 * malloc'ed UTF-8, freed by bp_table_set_free().  Values are exact decimals
 * from normalize/ in the table's unit; no floating point touches money
 * (geometry is in doubles, PDF points, origin top-left of the page as
 * displayed).
 *
 * Deliberately not here: checking the sums (reconciliation, load/), storing
 * (load/store_tables.c), parsing numbers (normalize/), the wording of
 * headings and total rows (the pattern files of patterns/).
 */
#ifndef BP_TABLES_H
#define BP_TABLES_H

#include <stdbool.h>
#include <stddef.h>

#include "common/error.h"
#include "common/layout.h"
#include "extract/extract.h"
#include "normalize/normalize.h"
#include "patterns/patterns.h"

typedef enum bp_row_role {
    BP_ROW_ITEM = 0,
    BP_ROW_TOTAL,      /* 合计, 总计, 收入总计, 本年支出合计 … */
    BP_ROW_SUBTOTAL,   /* 小计 */
    BP_ROW_OF_WHICH    /* 其中：… (a part of the row above, not a sibling) */
} bp_row_role;

/* "item", "total", "subtotal", "of_which" (the table_rows.role values). */
const char *bp_row_role_name(bp_row_role role);

typedef struct bp_table_column {
    char *path;        /* header levels joined by " / "; "" when unnamed */
    int part;          /* side-by-side group: 0, or 1 for the right half */
    bool is_label;     /* holds row labels (项目, 科目名称 …) */
    bool is_code;      /* holds classification codes (科目编码, 类/款/项) */
    double x0, x1;     /* horizontal extent on the table's first page */
} bp_table_column;

typedef struct bp_table_row {
    int row_no;        /* 1-based, shared by the parts of one printed line */
    int part;
    char *label;       /* as printed, wrapped lines joined, whitespace folded;
                          "" when the row has none */
    char *code;        /* classification code (2080505), NULL if none */
    int level;         /* hierarchy depth, 0 = top */
    bp_row_role role;
    int page;
    double y0, y1;
} bp_table_row;

typedef struct bp_table_cell {
    int row_no;        /* matches bp_table_row.row_no (part = column's part) */
    size_t column;     /* index into bp_table.columns */
    int page;
    bp_box box;        /* union of the cell's word boxes */
    char *text;        /* as printed (wrapped lines joined) */
    bool has_value;    /* text parsed as a figure with a value */
    bp_decimal value;  /* in the table's unit when has_value */
    int precision;     /* digits after the point as printed */
} bp_table_cell;

typedef struct bp_table {
    char *label;       /* as printed: 表1, 公开01表, 附表1-2; NULL if none */
    char *title;       /* 收支总表; NULL if none */
    char *unit;        /* 万元 / 元 / 千元 from the unit line; NULL if none */
    char *department;  /* the 部门名称/单位名称 line; NULL if none */
    char *empty_note;  /* 本表无数据 … when the table declares itself empty */
    int first_page, last_page;
    bp_table_column *columns;
    size_t n_columns;
    bp_table_row *rows;   /* ordered by row_no, then part */
    size_t n_rows;
    bp_table_cell *cells; /* ordered by row_no, then column */
    size_t n_cells;
} bp_table;

typedef struct bp_table_set {
    bp_table *tables;
    size_t n_tables;
} bp_table_set;

/* Recovers the tables of one document.  pages[i] is an extracted page
 * (any order of page numbers is accepted but document order is expected);
 * rules[i] its ruling lines from bp_pdf_page_rules(), or NULL when unknown
 * (rules itself may be NULL: alignment only).  patterns gives the wording of
 * headings, units, department lines and total rows.  On success *out holds
 * the tables (possibly none); free it with bp_table_set_free().  Errors:
 * BP_ERR_NOMEM, BP_ERR_USAGE for a NULL argument.  A malformed page never
 * fails the call: what cannot be read as a table is left out. */
bp_status bp_tables_recover(const bp_page *const *pages,
                            const bp_page_rules *const *rules, size_t n_pages,
                            const bp_patterns *patterns, bp_table_set *out,
                            bp_error *err);

/* Frees everything the set owns and leaves it empty; accepts NULL. */
void bp_table_set_free(bp_table_set *set);

#endif
