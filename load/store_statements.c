/*
 * store_statements.c — writing a document's identity (documents.fiscal_year,
 * issuer, kind, level) and its narrative statements with their components
 * (statements, statement_components).
 *
 * Values are stored as exact decimal strings in the unit printed with the
 * figure; a statement whose sentence states only a change (补助增加 4,396
 * 万元) has NULL value and text.  Statements are numbered from 1 in reading
 * order.  A comparison printed as not comparable (增长--，基数为 0) is stored
 * with not_comparable = 1 and no percent.  Runs inside the caller's
 * transaction; all SQL is prepared.
 *
 * The statements stage runs after the tables stage: a statement whose box
 * lies on a recovered table cell (same page, overlapping by more than a
 * sliver) is a figure of a table that the line filter of patterns/ let
 * through, and is dropped before it is stored.
 */
#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load/load.h"
#include "load/load_int.h"

bp_status bp_db_set_identity(bp_db *db, int64_t doc_id, const bp_identity *identity,
                             bp_error *err)
{
    sqlite3_stmt *stmt;
    if (bp_db_prepare(db,
                      "UPDATE documents SET fiscal_year = ?, issuer = ?, kind = ?, level = ?"
                      " WHERE id = ?",
                      &stmt, err))
        return BP_ERR_DB;
    if (identity->fiscal_year > 0)
        sqlite3_bind_int(stmt, 1, identity->fiscal_year);
    else
        sqlite3_bind_null(stmt, 1);
    bp_db_bind_text(stmt, 2, identity->issuer);
    bp_db_bind_text(stmt, 3, identity->kind);
    bp_db_bind_text(stmt, 4, identity->level);
    sqlite3_bind_int64(stmt, 5, doc_id);
    int rc = sqlite3_step(stmt);
    sqlite3_finalize(stmt);
    if (rc != SQLITE_DONE)
        return bp_db_fail(db, err, "storing document identity");
    return BP_OK;
}

static bool has_value(const bp_number *n)
{
    return n->kind == BP_NUMBER_AMOUNT || n->kind == BP_NUMBER_PERCENT ||
           n->kind == BP_NUMBER_COUNT || n->kind == BP_NUMBER_BARE;
}

/* Text bound in the batches below lives in the list until it is freed, after
 * the insert: it is bound without a copy; decimals formatted into a buffer
 * on the stack are copied. */
static void bind_decimal_or_null(sqlite3_stmt *q, int index, bool has, bp_decimal d)
{
    char text[BP_DECIMAL_STRING_MAX];
    bp_db_bind_text(q, index, has ? bp_decimal_format(d, text, sizeof text) : NULL);
}

static void bind_int_or_null(sqlite3_stmt *q, int index, bool has, int value)
{
    if (has)
        sqlite3_bind_int(q, index, value);
    else
        sqlite3_bind_null(q, index);
}

static void bind_statement(sqlite3_stmt *q, int o, int64_t doc_id, int statement_no,
                           const bp_statement *s)
{
    bool valued = has_value(&s->number);
    sqlite3_bind_int64(q, o + 1, doc_id);
    sqlite3_bind_int(q, o + 2, statement_no);
    sqlite3_bind_int(q, o + 3, s->page);
    bp_db_bind_static_text(q, o + 4, s->sentence ? s->sentence : "");
    bp_db_bind_static_text(q, o + 5, s->subject);
    bp_db_bind_static_text(q, o + 6, valued ? s->number.text : NULL);
    bind_decimal_or_null(q, o + 7, valued, s->number.value);
    const char *unit = valued ? s->number.unit : s->change_unit;
    bp_db_bind_static_text(q, o + 8, unit[0] ? unit : NULL);
    bind_int_or_null(q, o + 9, valued, s->number.precision);
    bind_int_or_null(q, o + 10, s->base_year > 0, s->base_year);
    bind_decimal_or_null(q, o + 11, s->has_change, s->change);
    bind_decimal_or_null(q, o + 12, s->has_percent, s->percent);
    sqlite3_bind_double(q, o + 13, s->box.x0); /* geometry, not money */
    sqlite3_bind_double(q, o + 14, s->box.y0);
    sqlite3_bind_double(q, o + 15, s->box.x1);
    sqlite3_bind_double(q, o + 16, s->box.y1);
    sqlite3_bind_int(q, o + 17, s->not_comparable ? 1 : 0);
}

static void bind_component(sqlite3_stmt *q, int o, int64_t doc_id, int statement_no,
                           int component_no, const bp_statement_component *comp)
{
    sqlite3_bind_int64(q, o + 1, doc_id);
    sqlite3_bind_int(q, o + 2, statement_no);
    sqlite3_bind_int(q, o + 3, component_no);
    bp_db_bind_static_text(q, o + 4, comp->subject);
    bp_db_bind_static_text(q, o + 5, comp->number.text);
    bind_decimal_or_null(q, o + 6, true, comp->number.value);
    bp_db_bind_static_text(q, o + 7, comp->number.unit[0] ? comp->number.unit : NULL);
    sqlite3_bind_int(q, o + 8, comp->number.precision);
}

bp_status bp_db_insert_statements(bp_db *db, int64_t doc_id,
                                  const bp_statement_list *list, bp_error *err)
{
    size_t n_components = 0;
    for (size_t i = 0; i < list->count; i++)
        n_components += list->items[i].n_components;
    bp_batch statements, components;
    memset(&components, 0, sizeof components);
    bp_status st = bp_batch_open(db, &statements, "statements",
                                 "doc_id, statement_no, page, sentence, subject, text, value,"
                                 " unit, precision, base_year, change, percent,"
                                 " x0, y0, x1, y1, not_comparable",
                                 17, list->count, "inserting statement", err);
    if (st == BP_OK)
        st = bp_batch_open(db, &components, "statement_components",
                           "doc_id, statement_no, component_no, subject, text, value, unit,"
                           " precision",
                           8, n_components, "inserting statement component", err);
    int o; /* parameter offset of the row being bound */
    for (size_t i = 0; i < list->count && st == BP_OK; i++) {
        sqlite3_stmt *q = bp_batch_row(&statements, &o);
        bind_statement(q, o, doc_id, (int)i + 1, &list->items[i]);
        st = bp_batch_bound(db, &statements, err);
    }
    for (size_t i = 0; i < list->count && st == BP_OK; i++) {
        const bp_statement *s = &list->items[i];
        for (size_t c = 0; c < s->n_components && st == BP_OK; c++) {
            sqlite3_stmt *q = bp_batch_row(&components, &o);
            bind_component(q, o, doc_id, (int)i + 1, (int)c + 1, &s->components[c]);
            st = bp_batch_bound(db, &components, err);
        }
    }
    bp_batch_close(&statements);
    bp_batch_close(&components);
    return st;
}

/* Overlap of a and b in square points (0 when they do not meet). */
static double overlap_area(bp_box a, bp_box b)
{
    double w = (a.x1 < b.x1 ? a.x1 : b.x1) - (a.x0 > b.x0 ? a.x0 : b.x0);
    double h = (a.y1 < b.y1 ? a.y1 : b.y1) - (a.y0 > b.y0 ? a.y0 : b.y0);
    return w > 0 && h > 0 ? w * h : 0;
}

static void statement_clear(bp_statement *s)
{
    free(s->sentence);
    free(s->subject);
    for (size_t c = 0; c < s->n_components; c++)
        free(s->components[c].subject);
    free(s->components);
}

/* The boxes of a document's table cells, in page order. */
typedef struct cell_box {
    int page;
    bp_box box;
} cell_box;

typedef struct cell_boxes {
    cell_box *items;
    size_t n;
} cell_boxes;

static int by_page(const void *pa, const void *pb)
{
    const cell_box *a = pa, *b = pb;
    return (a->page > b->page) - (a->page < b->page);
}

/* Whether a statement can lie on a cell: a box without area lies on none. */
static bool has_area(const bp_statement *s)
{
    return overlap_area(s->box, s->box) > 0;
}

/* The pages of the statements that can lie on a cell, as a JSON array
 * ("[3,7,12]"; a page may repeat), or NULL when out of memory. */
static char *statement_pages_json(const bp_statement_list *list)
{
    char *json = malloc(list->count * 12 + 3);
    if (json == NULL)
        return NULL;
    size_t len = 0;
    int last = -1;
    json[len++] = '[';
    for (size_t i = 0; i < list->count; i++) {
        const bp_statement *s = &list->items[i];
        if (!has_area(s) || s->page == last)
            continue;
        len += (size_t)sprintf(json + len, "%s%d", len > 1 ? "," : "", s->page);
        last = s->page;
    }
    json[len++] = ']';
    json[len] = '\0';
    return json;
}

/* Reads the boxes of doc_id's stored cells on the pages of the statements
 * that can lie on one (most cells are on pages without a statement), in
 * one pass, and sorts them by page here (SQLite's sorter, for ORDER BY
 * page, cost more than the reading); free cells->items with free(). */
static bp_status cell_boxes_read(bp_db *db, int64_t doc_id, const bp_statement_list *list,
                                 cell_boxes *cells, bp_error *err)
{
    sqlite3_stmt *q = NULL;
    memset(cells, 0, sizeof *cells);
    char *pages = statement_pages_json(list);
    if (pages == NULL)
        return bp_error_set(err, BP_ERR_NOMEM, 0, "out of memory");
    if (bp_db_prepare(db,
                      "SELECT page, x0, y0, x1, y1 FROM cells WHERE doc_id = ?1"
                      " AND page IN (SELECT value FROM json_each(?2))",
                      &q, err)) {
        free(pages);
        return BP_ERR_DB;
    }
    bp_db_bind_static_text(q, 2, pages);
    sqlite3_bind_int64(q, 1, doc_id);
    size_t cap = 0;
    bp_status st = BP_OK;
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        if (cells->n == cap) {
            cap = cap ? 2 * cap : 256;
            cell_box *items = realloc(cells->items, cap * sizeof *items);
            if (items == NULL) {
                st = bp_error_set(err, BP_ERR_NOMEM, 0, "out of memory");
                break;
            }
            cells->items = items;
        }
        cells->items[cells->n++] = (cell_box){
            sqlite3_column_int(q, 0),
            {sqlite3_column_double(q, 1), sqlite3_column_double(q, 2),
             sqlite3_column_double(q, 3), sqlite3_column_double(q, 4)}};
    }
    if (st == BP_OK && rc != SQLITE_DONE)
        st = bp_db_fail(db, err, "looking up table cells");
    sqlite3_finalize(q);
    free(pages);
    if (st != BP_OK) {
        free(cells->items);
        cells->items = NULL;
    } else if (cells->n > 1) {
        qsort(cells->items, cells->n, sizeof *cells->items, by_page);
    }
    return st;
}

/* Whether statement box s (on page) sits on one of the cells: the cell
 * and the box overlap by more than a quarter of the box or half of the
 * cell (a narrative line just above or below a table touches no cell; a
 * figure read out of a form lies inside one). */
static bool on_a_cell(const cell_boxes *cells, int page, bp_box s)
{
    size_t lo = 0, hi = cells->n; /* first cell of the page */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cells->items[mid].page < page)
            lo = mid + 1;
        else
            hi = mid;
    }
    double quarter_of_box = 0.25 * (s.x1 - s.x0) * (s.y1 - s.y0);
    for (size_t i = lo; i < cells->n && cells->items[i].page == page; i++) {
        bp_box c = cells->items[i].box;
        if (!(c.x0 < s.x1 && c.x1 > s.x0 && c.y0 < s.y1 && c.y1 > s.y0))
            continue;
        double w = (c.x1 < s.x1 ? c.x1 : s.x1) - (c.x0 > s.x0 ? c.x0 : s.x0);
        double h = (c.y1 < s.y1 ? c.y1 : s.y1) - (c.y0 > s.y0 ? c.y0 : s.y0);
        double half_of_cell = 0.5 * (c.x1 - c.x0) * (c.y1 - c.y0);
        if (w * h > (quarter_of_box < half_of_cell ? quarter_of_box : half_of_cell))
            return true;
    }
    return false;
}

/* Drops the statements that sit on a stored table cell of the document
 * (on_a_cell).  The cells of their pages are read once and searched by
 * page in memory: a query per sentence was a fifth of a whole ingest. */
static bp_status drop_table_figures(bp_db *db, int64_t doc_id, bp_statement_list *list,
                                    bp_error *err)
{
    cell_boxes cells;
    bp_status st = cell_boxes_read(db, doc_id, list, &cells, err);
    if (st != BP_OK)
        return st;
    size_t kept = 0;
    for (size_t i = 0; i < list->count; i++) {
        bp_statement *s = &list->items[i];
        if (has_area(s) && on_a_cell(&cells, s->page, s->box)) {
            statement_clear(s);
            continue;
        }
        list->items[kept++] = *s;
    }
    list->count = kept;
    free(cells.items);
    return BP_OK;
}

bp_status bp_statements_stage(const bp_page *const *pages, size_t n_pages,
                              const bp_patterns *patterns, bp_db *db, int64_t doc_id,
                              bp_error *err)
{
    bp_identity identity = {0};
    bp_statement_list statements = {0};
    bp_status st = bp_identity_find(pages, n_pages, patterns, &identity, err);
    if (st == BP_OK)
        st = bp_db_set_identity(db, doc_id, &identity, err);
    if (st == BP_OK)
        st = bp_statements_find(pages, n_pages, patterns, identity.fiscal_year,
                                &statements, err);
    if (st == BP_OK)
        st = drop_table_figures(db, doc_id, &statements, err);
    if (st == BP_OK)
        st = bp_db_insert_statements(db, doc_id, &statements, err);
    bp_statement_list_free(&statements);
    bp_identity_free(&identity);
    return st;
}

/* Components of one statement, in order, as a JSON array text. */
static char *components_json(bp_db *db, sqlite3_stmt *q, int64_t doc_id, int statement_no)
{
    (void)db;
    sqlite3_reset(q);
    sqlite3_bind_int64(q, 1, doc_id);
    sqlite3_bind_int(q, 2, statement_no);
    const char *text = NULL;
    if (sqlite3_step(q) == SQLITE_ROW)
        text = (const char *)sqlite3_column_text(q, 0);
    return strdup(text ? text : "[]");
}

bp_status bp_db_each_statement(bp_db *db, const char *doc, bp_statement_visitor fn,
                               void *ctx, bp_error *err)
{
    sqlite3_stmt *q = NULL, *cq = NULL;
    bp_status st = bp_db_prepare_for_document(
        db,
        "SELECT d.id, d.sha256, d.file, s.statement_no, s.page, s.sentence,"
        " s.subject, s.text, s.value, s.unit, s.base_year, s.change, s.percent,"
        " s.x0, s.y0, s.x1, s.y1, s.not_comparable"
        " FROM statements s JOIN documents d ON d.id = s.doc_id"
        " WHERE ?1 = 0 OR s.doc_id = ?1 ORDER BY d.id, s.statement_no",
        doc, &q, err);
    if (st != BP_OK)
        return st;
    if (bp_db_prepare(db,
                      "SELECT json_group_array(json_object('subject', subject, 'text', text,"
                      " 'value', value, 'unit', unit)) FROM (SELECT * FROM statement_components"
                      " WHERE doc_id = ? AND statement_no = ? ORDER BY component_no)",
                      &cq, err)) {
        sqlite3_finalize(q);
        return BP_ERR_DB;
    }
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        bp_statement_record r;
        memset(&r, 0, sizeof r);
        int64_t doc_id = sqlite3_column_int64(q, 0);
        r.doc = (const char *)sqlite3_column_text(q, 1);
        r.file = (const char *)sqlite3_column_text(q, 2);
        r.statement_no = sqlite3_column_int(q, 3);
        r.page = sqlite3_column_int(q, 4);
        r.sentence = (const char *)sqlite3_column_text(q, 5);
        r.subject = (const char *)sqlite3_column_text(q, 6);
        r.text = (const char *)sqlite3_column_text(q, 7);
        r.value = (const char *)sqlite3_column_text(q, 8);
        r.unit = (const char *)sqlite3_column_text(q, 9);
        r.base_year = sqlite3_column_type(q, 10) == SQLITE_NULL ? -1 : sqlite3_column_int(q, 10);
        r.change = (const char *)sqlite3_column_text(q, 11);
        r.percent = (const char *)sqlite3_column_text(q, 12);
        r.not_comparable = sqlite3_column_int(q, 17);
        for (int k = 0; k < 4; k++)
            r.bbox[k] = sqlite3_column_double(q, 13 + k);
        char *components = components_json(db, cq, doc_id, r.statement_no);
        if (!components) {
            st = bp_error_set(err, BP_ERR_NOMEM, 0, "out of memory");
            break;
        }
        r.components_json = components;
        int stop = fn(&r, ctx);
        free(components);
        if (stop)
            break;
    }
    if (st == BP_OK && rc != SQLITE_ROW && rc != SQLITE_DONE)
        st = bp_db_fail(db, err, "reading statements");
    sqlite3_finalize(q);
    sqlite3_finalize(cq);
    return st;
}
