/*
 * report.c — the reads behind the evidence report:
 * a document's summary (identity, counts per check status) and its
 * findings (mismatch and rounding checks) with each operand's place in
 * words and its box on the page, joined from cells or statements.
 *
 * Everything returned is copied out of SQLite into malloc'ed memory owned
 * by the caller's structs.
 */
#include "load/load_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *column_dup(sqlite3_stmt *stmt, int col)
{
    const unsigned char *t = sqlite3_column_text(stmt, col);
    return t ? strdup((const char *)t) : NULL;
}

static const char *const status_names[] = {"ok", "rounding", "mismatch", "unverifiable"};

bp_status bp_report_document_get(bp_db *db, int64_t doc_id, bp_report_document *out,
                                 bp_error *err)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *stmt;
    if (bp_db_prepare(db,
                      "SELECT sha256, file, title, issuer, kind, level, fiscal_year, pages,"
                      " (SELECT count(*) FROM doc_tables WHERE doc_id = d.id),"
                      " (SELECT count(*) FROM cells WHERE doc_id = d.id),"
                      " (SELECT count(*) FROM statements WHERE doc_id = d.id)"
                      " FROM documents d WHERE id = ?",
                      &stmt, err))
        return BP_ERR_DB;
    sqlite3_bind_int64(stmt, 1, doc_id);
    if (sqlite3_step(stmt) != SQLITE_ROW) {
        sqlite3_finalize(stmt);
        return bp_error_set(err, BP_ERR_USAGE, 0, "no document %lld", (long long)doc_id);
    }
    out->id = doc_id;
    snprintf(out->sha256, sizeof out->sha256, "%s", sqlite3_column_text(stmt, 0));
    out->file = column_dup(stmt, 1);
    out->title = column_dup(stmt, 2);
    out->issuer = column_dup(stmt, 3);
    out->kind = column_dup(stmt, 4);
    out->level = column_dup(stmt, 5);
    out->fiscal_year = sqlite3_column_int(stmt, 6);
    out->pages = sqlite3_column_int(stmt, 7);
    out->tables = sqlite3_column_int64(stmt, 8);
    out->cells = sqlite3_column_int64(stmt, 9);
    out->statements = sqlite3_column_int64(stmt, 10);
    sqlite3_finalize(stmt);

    if (bp_db_prepare(db, "SELECT status, count(*) FROM checks WHERE doc_id = ? GROUP BY status",
                      &stmt, err))
        return BP_ERR_DB;
    sqlite3_bind_int64(stmt, 1, doc_id);
    while (sqlite3_step(stmt) == SQLITE_ROW) {
        const char *status = (const char *)sqlite3_column_text(stmt, 0);
        for (int s = 0; s < 4; s++)
            if (status && strcmp(status, status_names[s]) == 0)
                out->checks_by_status[s] = sqlite3_column_int64(stmt, 1);
    }
    sqlite3_finalize(stmt);
    return BP_OK;
}

void bp_report_document_clear(bp_report_document *doc)
{
    if (doc == NULL)
        return;
    free(doc->file);
    free(doc->title);
    free(doc->issuer);
    free(doc->kind);
    free(doc->level);
    memset(doc, 0, sizeof *doc);
}

/* Operands of one check, with a readable place and a box. */
static bp_status load_operands(bp_db *db, int64_t doc_id, bp_report_check *check,
                               bp_error *err)
{
    sqlite3_stmt *stmt;
    if (bp_db_prepare(db,
                      "SELECT coalesce(o.page, c.page, s.page),"
                      " CASE WHEN o.statement_no IS NOT NULL THEN s.sentence ELSE"
                      "  coalesce(nullif(trim(coalesce(t.label, '') || ' ' ||"
                      "   coalesce(t.title, '')), ''), 'table ' || o.table_no) ||"
                      "  ' / ' || coalesce(r.code || ' ', '') || coalesce(r.label, '?') ||"
                      "  ' / ' || coalesce(col.path, '?') END,"
                      " coalesce(o.text, c.text, s.text),"
                      " coalesce(c.x0, s.x0), coalesce(c.y0, s.y0),"
                      " coalesce(c.x1, s.x1), coalesce(c.y1, s.y1)"
                      " FROM check_operands o"
                      " LEFT JOIN cells c ON c.doc_id = o.doc_id AND c.table_no = o.table_no"
                      "  AND c.row_no = o.row_no AND c.column_no = o.column_no"
                      " LEFT JOIN doc_tables t ON t.doc_id = o.doc_id AND t.table_no = o.table_no"
                      " LEFT JOIN table_columns col ON col.doc_id = o.doc_id"
                      "  AND col.table_no = o.table_no AND col.column_no = o.column_no"
                      " LEFT JOIN table_rows r ON r.doc_id = o.doc_id AND r.table_no = o.table_no"
                      "  AND r.row_no = o.row_no AND r.part = coalesce(col.part, 0)"
                      " LEFT JOIN statements s ON s.doc_id = o.doc_id"
                      "  AND s.statement_no = o.statement_no"
                      " WHERE o.doc_id = ? AND o.check_no = ?"
                      " GROUP BY o.operand_no ORDER BY o.operand_no",
                      &stmt, err))
        return BP_ERR_DB;
    sqlite3_bind_int64(stmt, 1, doc_id);
    sqlite3_bind_int(stmt, 2, check->check_no);
    size_t cap = 0;
    bp_status rc = BP_OK;
    while (sqlite3_step(stmt) == SQLITE_ROW) {
        if (check->n_operands == cap) {
            cap = cap ? 2 * cap : 8;
            bp_report_operand *more = realloc(check->operands, cap * sizeof *more);
            if (more == NULL) {
                rc = bp_error_set(err, BP_ERR_NOMEM, 0, "report: out of memory");
                break;
            }
            check->operands = more;
        }
        bp_report_operand *op = &check->operands[check->n_operands++];
        memset(op, 0, sizeof *op);
        op->page = sqlite3_column_int(stmt, 0);
        op->where = column_dup(stmt, 1);
        op->text = column_dup(stmt, 2);
        if (sqlite3_column_type(stmt, 3) != SQLITE_NULL) {
            op->box.x0 = sqlite3_column_double(stmt, 3);
            op->box.y0 = sqlite3_column_double(stmt, 4);
            op->box.x1 = sqlite3_column_double(stmt, 5);
            op->box.y1 = sqlite3_column_double(stmt, 6);
        }
    }
    sqlite3_finalize(stmt);
    return rc;
}

bp_status bp_report_checks_get(bp_db *db, int64_t doc_id, bp_report_check **out,
                               size_t *n_out, bp_error *err)
{
    *out = NULL;
    *n_out = 0;
    sqlite3_stmt *stmt;
    if (bp_db_prepare(db,
                      "SELECT check_no, rule, status, expected, actual, difference,"
                      " tolerance, unit, message, message_en FROM checks"
                      " WHERE doc_id = ? AND status IN ('mismatch', 'rounding')"
                      " ORDER BY status = 'rounding', rule, check_no",
                      &stmt, err))
        return BP_ERR_DB;
    sqlite3_bind_int64(stmt, 1, doc_id);
    size_t cap = 0;
    bp_status rc = BP_OK;
    bp_report_check *checks = NULL;
    while (rc == BP_OK && sqlite3_step(stmt) == SQLITE_ROW) {
        if (*n_out == cap) {
            cap = cap ? 2 * cap : 16;
            bp_report_check *more = realloc(checks, cap * sizeof *more);
            if (more == NULL) {
                rc = bp_error_set(err, BP_ERR_NOMEM, 0, "report: out of memory");
                break;
            }
            checks = more;
        }
        bp_report_check *c = &checks[(*n_out)++];
        memset(c, 0, sizeof *c);
        c->check_no = sqlite3_column_int(stmt, 0);
        c->rule = column_dup(stmt, 1);
        c->status = column_dup(stmt, 2);
        c->expected = column_dup(stmt, 3);
        c->actual = column_dup(stmt, 4);
        c->difference = column_dup(stmt, 5);
        c->tolerance = column_dup(stmt, 6);
        c->unit = column_dup(stmt, 7);
        c->message = column_dup(stmt, 8);
        c->message_en = column_dup(stmt, 9);
    }
    sqlite3_finalize(stmt);
    for (size_t i = 0; rc == BP_OK && i < *n_out; i++)
        rc = load_operands(db, doc_id, &checks[i], err);
    if (rc != BP_OK) {
        bp_report_checks_free(checks, *n_out);
        *n_out = 0;
        return rc;
    }
    *out = checks;
    return BP_OK;
}

void bp_report_checks_free(bp_report_check *checks, size_t n)
{
    for (size_t i = 0; checks && i < n; i++) {
        bp_report_check *c = &checks[i];
        free(c->rule);
        free(c->status);
        free(c->expected);
        free(c->actual);
        free(c->difference);
        free(c->tolerance);
        free(c->unit);
        free(c->message);
        free(c->message_en);
        for (size_t o = 0; o < c->n_operands; o++) {
            free(c->operands[o].where);
            free(c->operands[o].text);
        }
        free(c->operands);
    }
    free(checks);
}
