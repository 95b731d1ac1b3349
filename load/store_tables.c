/*
 * store_tables.c — recovered tables into SQLite and back out: inserting a
 * document's bp_table_set (doc_tables, table_columns, table_rows, cells)
 * and iterating tables, cells and documents for `budgetpdf tables` and the
 * exports.
 *
 * Values are stored as exact decimal strings (bp_decimal_format), never
 * REAL.  A DOC argument names one document as bp_db_resolve_documents()
 * reads it (sha256 prefix, file name as ingested, id), never by a
 * substring of the file name.  All SQL goes through prepared statements.
 */
#include "load/load_int.h"

#include <stdio.h>
#include <string.h>

#include "normalize/normalize.h"
#include "tables/tables.h"

/* The number of tables, columns, rows (parts) or cells of all tables. */
static size_t count_all(const bp_table_set *set, size_t (*count)(const bp_table *))
{
    size_t n = 0;
    for (size_t t = 0; set && t < set->n_tables; t++)
        n += count(&set->tables[t]);
    return n;
}

static size_t count_tables(const bp_table *t)
{
    (void)t;
    return 1;
}

static size_t count_columns(const bp_table *t)
{
    return t->n_columns;
}

static size_t count_rows(const bp_table *t)
{
    return t->n_rows;
}

static size_t count_cells(const bp_table *t)
{
    return t->n_cells;
}

bp_status bp_db_insert_tables(bp_db *db, int64_t doc_id, const bp_table_set *set,
                              bp_error *err)
{
    bp_batch b[4];
    memset(b, 0, sizeof b);
    bp_status rc = bp_batch_open(db, &b[0], "doc_tables",
                              "doc_id, table_no, label, title, unit, department,"
                              " first_page, last_page, empty_note",
                              9, count_all(set, count_tables), "inserting table", err);
    if (rc == BP_OK)
        rc = bp_batch_open(db, &b[1], "table_columns",
                        "doc_id, table_no, column_no, path, part, is_label, x0, x1", 8,
                        count_all(set, count_columns), "inserting table column", err);
    if (rc == BP_OK)
        rc = bp_batch_open(db, &b[2], "table_rows",
                        "doc_id, table_no, row_no, part, label, code, level, role, page,"
                        " y0, y1",
                        11, count_all(set, count_rows), "inserting table row", err);
    if (rc == BP_OK)
        rc = bp_batch_open(db, &b[3], "cells",
                        "doc_id, table_no, row_no, column_no, page, text, value, precision,"
                        " x0, y0, x1, y1",
                        12, count_all(set, count_cells), "inserting cell", err);
    sqlite3_stmt *st;
    int o; /* parameter offset of the row being bound */
    for (size_t t = 0; set && t < set->n_tables && rc == BP_OK; t++) {
        const bp_table *tb = &set->tables[t];
        int table_no = (int)t + 1;
        st = bp_batch_row(&b[0], &o);
        sqlite3_bind_int64(st, o + 1, doc_id);
        sqlite3_bind_int(st, o + 2, table_no);
        bp_db_bind_static_text(st, o + 3, tb->label);
        bp_db_bind_static_text(st, o + 4, tb->title);
        bp_db_bind_static_text(st, o + 5, tb->unit);
        bp_db_bind_static_text(st, o + 6, tb->department);
        sqlite3_bind_int(st, o + 7, tb->first_page);
        sqlite3_bind_int(st, o + 8, tb->last_page);
        bp_db_bind_static_text(st, o + 9, tb->empty_note);
        rc = bp_batch_bound(db, &b[0], err);
    }
    for (size_t t = 0; set && t < set->n_tables && rc == BP_OK; t++) {
        const bp_table *tb = &set->tables[t];
        for (size_t c = 0; c < tb->n_columns && rc == BP_OK; c++) {
            const bp_table_column *col = &tb->columns[c];
            st = bp_batch_row(&b[1], &o);
            sqlite3_bind_int64(st, o + 1, doc_id);
            sqlite3_bind_int(st, o + 2, (int)t + 1);
            sqlite3_bind_int(st, o + 3, (int)c + 1);
            bp_db_bind_static_text(st, o + 4, col->path ? col->path : "");
            sqlite3_bind_int(st, o + 5, col->part);
            sqlite3_bind_int(st, o + 6, col->is_label || col->is_code);
            sqlite3_bind_double(st, o + 7, col->x0);
            sqlite3_bind_double(st, o + 8, col->x1);
            rc = bp_batch_bound(db, &b[1], err);
        }
    }
    for (size_t t = 0; set && t < set->n_tables && rc == BP_OK; t++) {
        const bp_table *tb = &set->tables[t];
        for (size_t r = 0; r < tb->n_rows && rc == BP_OK; r++) {
            const bp_table_row *row = &tb->rows[r];
            st = bp_batch_row(&b[2], &o);
            sqlite3_bind_int64(st, o + 1, doc_id);
            sqlite3_bind_int(st, o + 2, (int)t + 1);
            sqlite3_bind_int(st, o + 3, row->row_no);
            sqlite3_bind_int(st, o + 4, row->part);
            bp_db_bind_static_text(st, o + 5, row->label);
            bp_db_bind_static_text(st, o + 6, row->code);
            sqlite3_bind_int(st, o + 7, row->level);
            bp_db_bind_static_text(st, o + 8, bp_row_role_name(row->role));
            sqlite3_bind_int(st, o + 9, row->page);
            sqlite3_bind_double(st, o + 10, row->y0);
            sqlite3_bind_double(st, o + 11, row->y1);
            rc = bp_batch_bound(db, &b[2], err);
        }
    }
    for (size_t t = 0; set && t < set->n_tables && rc == BP_OK; t++) {
        const bp_table *tb = &set->tables[t];
        for (size_t i = 0; i < tb->n_cells && rc == BP_OK; i++) {
            const bp_table_cell *cell = &tb->cells[i];
            char value[BP_DECIMAL_STRING_MAX];
            st = bp_batch_row(&b[3], &o);
            sqlite3_bind_int64(st, o + 1, doc_id);
            sqlite3_bind_int(st, o + 2, (int)t + 1);
            sqlite3_bind_int(st, o + 3, cell->row_no);
            sqlite3_bind_int(st, o + 4, (int)cell->column + 1);
            sqlite3_bind_int(st, o + 5, cell->page);
            bp_db_bind_static_text(st, o + 6, cell->text ? cell->text : "");
            if (cell->has_value) {
                bp_db_bind_text(st, o + 7, bp_decimal_format(cell->value, value, sizeof value));
                sqlite3_bind_int(st, o + 8, cell->precision);
            } else {
                sqlite3_bind_null(st, o + 7);
                sqlite3_bind_null(st, o + 8);
            }
            sqlite3_bind_double(st, o + 9, cell->box.x0);
            sqlite3_bind_double(st, o + 10, cell->box.y0);
            sqlite3_bind_double(st, o + 11, cell->box.x1);
            sqlite3_bind_double(st, o + 12, cell->box.y1);
            rc = bp_batch_bound(db, &b[3], err);
        }
    }
    for (int i = 0; i < 4; i++)
        bp_batch_close(&b[i]);
    return rc;
}

static const char *col_text(sqlite3_stmt *s, int i)
{
    return (const char *)sqlite3_column_text(s, i);
}

/* A caller's visitor and its context, for the row readers below. */
typedef struct visit {
    union {
        bp_cell_visitor cell;
        bp_table_visitor table;
        bp_document_visitor document;
        int (*column)(int column_no, const char *path, int part, int is_label, void *ctx);
    } fn;
    void *ctx;
} visit;

/* Runs sql for the document doc names (bp_db_prepare_for_document: ?1)
 * and, where the SQL has a ?2, table_no; hands each row to row(s, v) until
 * one returns non-zero.  BP_ERR_DB naming what on SQLite errors. */
static bp_status visit_rows(bp_db *db, const char *sql, const char *doc, int table_no,
                            int (*row)(sqlite3_stmt *s, visit *v), visit *v,
                            const char *what, bp_error *err)
{
    sqlite3_stmt *s;
    bp_status st = bp_db_prepare_for_document(db, sql, doc, &s, err);
    if (st != BP_OK)
        return st;
    if (sqlite3_bind_parameter_count(s) >= 2)
        sqlite3_bind_int(s, 2, table_no);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW)
        if (row(s, v) != 0) {
            rc = SQLITE_DONE;
            break;
        }
    sqlite3_finalize(s);
    return rc == SQLITE_DONE ? BP_OK : bp_db_fail(db, err, what);
}

/* The first columns of a table or cell row: sha256, file, table_no, label,
 * title, unit. */
#define CAPTION_COLUMNS "d.sha256, d.file, t.table_no, t.label, t.title, t.unit"

static void read_caption(sqlite3_stmt *s, const char **doc, const char **file, int *table_no,
                         const char **table, const char **title, const char **unit)
{
    *doc = col_text(s, 0);
    *file = col_text(s, 1);
    *table_no = sqlite3_column_int(s, 2);
    *table = col_text(s, 3);
    *title = col_text(s, 4);
    *unit = col_text(s, 5);
}

static int cell_row(sqlite3_stmt *s, visit *v)
{
    bp_cell_record r;
    read_caption(s, &r.doc, &r.file, &r.table_no, &r.table, &r.title, &r.unit);
    r.page = sqlite3_column_int(s, 6);
    r.row_no = sqlite3_column_int(s, 7);
    r.column_no = sqlite3_column_int(s, 8);
    r.part = sqlite3_column_int(s, 9);
    r.row = col_text(s, 10);
    r.code = col_text(s, 11);
    r.column = col_text(s, 12);
    r.text = col_text(s, 13);
    r.value = col_text(s, 14);
    r.precision = sqlite3_column_type(s, 15) == SQLITE_NULL ? -1 : sqlite3_column_int(s, 15);
    for (int i = 0; i < 4; i++)
        r.bbox[i] = sqlite3_column_double(s, 16 + i);
    r.role = col_text(s, 20);
    r.level = sqlite3_column_int(s, 21);
    return v->fn.cell(&r, v->ctx);
}

bp_status bp_db_each_cell(bp_db *db, const char *doc, int table_no,
                          bp_cell_visitor fn, void *ctx, bp_error *err)
{
    visit v = {.fn.cell = fn, .ctx = ctx};
    return visit_rows(db,
                      "SELECT " CAPTION_COLUMNS ", c.page,"
                      " c.row_no, c.column_no, col.part, r.label, r.code, col.path, c.text,"
                      " c.value, c.precision, c.x0, c.y0, c.x1, c.y1, r.role, r.level"
                      " FROM cells c JOIN documents d ON d.id = c.doc_id"
                      " JOIN doc_tables t ON t.doc_id = c.doc_id AND t.table_no = c.table_no"
                      " JOIN table_columns col ON col.doc_id = c.doc_id"
                      "  AND col.table_no = c.table_no AND col.column_no = c.column_no"
                      " LEFT JOIN table_rows r ON r.doc_id = c.doc_id AND r.table_no = c.table_no"
                      "  AND r.row_no = c.row_no AND r.part = col.part"
                      " WHERE (?1 = 0 OR c.doc_id = ?1) AND (?2 = 0 OR c.table_no = ?2)"
                      " ORDER BY d.id, c.table_no, c.row_no, c.column_no",
                      doc, table_no, cell_row, &v, "reading cells", err);
}

static int table_row(sqlite3_stmt *s, visit *v)
{
    bp_table_record r;
    read_caption(s, &r.doc, &r.file, &r.table_no, &r.table, &r.title, &r.unit);
    r.department = col_text(s, 6);
    r.empty_note = col_text(s, 7);
    r.first_page = sqlite3_column_int(s, 8);
    r.last_page = sqlite3_column_int(s, 9);
    r.n_columns = sqlite3_column_int(s, 10);
    r.n_rows = sqlite3_column_int(s, 11);
    r.n_cells = sqlite3_column_int(s, 12);
    return v->fn.table(&r, v->ctx);
}

bp_status bp_db_each_table(bp_db *db, const char *doc, int table_no,
                           bp_table_visitor fn, void *ctx, bp_error *err)
{
    visit v = {.fn.table = fn, .ctx = ctx};
    return visit_rows(db,
                      "SELECT " CAPTION_COLUMNS ","
                      " t.department, t.empty_note, t.first_page, t.last_page,"
                      " (SELECT count(*) FROM table_columns x WHERE x.doc_id = t.doc_id"
                      "   AND x.table_no = t.table_no),"
                      " (SELECT count(DISTINCT x.row_no) FROM table_rows x"
                      "   WHERE x.doc_id = t.doc_id AND x.table_no = t.table_no),"
                      " (SELECT count(*) FROM cells x WHERE x.doc_id = t.doc_id"
                      "   AND x.table_no = t.table_no)"
                      " FROM doc_tables t JOIN documents d ON d.id = t.doc_id"
                      " WHERE (?1 = 0 OR t.doc_id = ?1) AND (?2 = 0 OR t.table_no = ?2)"
                      " ORDER BY d.id, t.table_no",
                      doc, table_no, table_row, &v, "reading tables", err);
}

static int column_row(sqlite3_stmt *s, visit *v)
{
    return v->fn.column(sqlite3_column_int(s, 0), col_text(s, 1), sqlite3_column_int(s, 2),
                        sqlite3_column_int(s, 3), v->ctx);
}

bp_status bp_db_each_column(bp_db *db, const char *doc, int table_no,
                            int (*fn)(int column_no, const char *path, int part,
                                      int is_label, void *ctx),
                            void *ctx, bp_error *err)
{
    visit v = {.fn.column = fn, .ctx = ctx};
    return visit_rows(db,
                      "SELECT c.column_no, c.path, c.part, c.is_label FROM table_columns c"
                      " WHERE (?1 = 0 OR c.doc_id = ?1) AND c.table_no = ?2 ORDER BY c.column_no",
                      doc, table_no, column_row, &v, "reading table columns", err);
}

static int document_row(sqlite3_stmt *s, visit *v)
{
    bp_document_record r;
    r.id = sqlite3_column_int64(s, 0);
    r.doc = col_text(s, 1);
    r.file = col_text(s, 2);
    r.producer = col_text(s, 3);
    r.creator = col_text(s, 4);
    r.title = col_text(s, 5);
    r.pdf_version = col_text(s, 6);
    r.issuer = col_text(s, 7);
    r.kind = col_text(s, 8);
    r.level = col_text(s, 9);
    r.ingested_at = col_text(s, 10);
    r.file_size = sqlite3_column_int64(s, 11);
    r.fiscal_year = sqlite3_column_type(s, 12) == SQLITE_NULL ? -1 : sqlite3_column_int64(s, 12);
    r.parse_ms = sqlite3_column_type(s, 13) == SQLITE_NULL ? -1 : sqlite3_column_int64(s, 13);
    r.pages = sqlite3_column_int(s, 14);
    r.n_tables = sqlite3_column_int64(s, 15);
    r.n_cells = sqlite3_column_int64(s, 16);
    return v->fn.document(&r, v->ctx);
}

bp_status bp_db_each_document(bp_db *db, const char *doc, bp_document_visitor fn,
                              void *ctx, bp_error *err)
{
    visit v = {.fn.document = fn, .ctx = ctx};
    return visit_rows(db,
                      "SELECT d.id, d.sha256, d.file, d.producer, d.creator, d.title,"
                      " d.pdf_version, d.issuer, d.kind, d.level, d.ingested_at,"
                      " d.file_size, d.fiscal_year, d.parse_ms, d.pages,"
                      " (SELECT count(*) FROM doc_tables x WHERE x.doc_id = d.id),"
                      " (SELECT count(*) FROM cells x WHERE x.doc_id = d.id)"
                      " FROM documents d WHERE ?1 = 0 OR d.id = ?1 ORDER BY d.id",
                      doc, 0, document_row, &v, "reading documents", err);
}
