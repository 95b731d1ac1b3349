/*
 * reconcile_query.c — reading stored checks back for the CLI and exports:
 * resolving DOC arguments, visiting checks with their operands (and the
 * table, row, column and sentence each operand points at), status counts.
 *
 * Read-only; every string handed to a callback is borrowed for that call.
 */
#include "load/load_int.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool is_hex_prefix(const char *s)
{
    size_t n = strlen(s);
    if (n < 4 || n > 64)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return false;
    return true;
}

static bp_status push_id(int64_t **ids, size_t *n, size_t *cap, int64_t id, bp_error *err)
{
    for (size_t i = 0; i < *n; i++)
        if ((*ids)[i] == id)
            return BP_OK;
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 16;
        int64_t *ni = realloc(*ids, *cap * sizeof *ni);
        if (!ni)
            return bp_error_set(err, BP_ERR_NOMEM, 0, "out of memory");
        *ids = ni;
    }
    (*ids)[(*n)++] = id;
    return BP_OK;
}

bp_status bp_db_resolve_documents(bp_db *db, const char *const *specs, size_t n_specs,
                                  int64_t **ids, size_t *n_ids, bp_error *err)
{
    *ids = NULL;
    *n_ids = 0;
    size_t cap = 0;
    sqlite3_stmt *q = NULL;
    bp_status st = BP_OK;
    if (n_specs == 0) {
        if (bp_db_prepare(db, "SELECT id FROM documents ORDER BY id", &q, err) != BP_OK)
            return BP_ERR_DB;
        while (st == BP_OK && sqlite3_step(q) == SQLITE_ROW)
            st = push_id(ids, n_ids, &cap, sqlite3_column_int64(q, 0), err);
        sqlite3_finalize(q);
        return st;
    }
    if (bp_db_prepare(db,
                      "SELECT id FROM documents WHERE (?2 AND substr(sha256, 1, length(?1)) = ?1)"
                      " OR file = ?1 OR substr(file, -length(?1) - 1) = '/' || ?1"
                      " OR CAST(id AS TEXT) = ?1 ORDER BY id",
                      &q, err) != BP_OK)
        return BP_ERR_DB;
    for (size_t i = 0; i < n_specs && st == BP_OK; i++) {
        sqlite3_reset(q);
        sqlite3_bind_text(q, 1, specs[i], -1, SQLITE_TRANSIENT);
        sqlite3_bind_int(q, 2, is_hex_prefix(specs[i]));
        int64_t found[2];
        int n = 0;
        while (sqlite3_step(q) == SQLITE_ROW) {
            if (n < 2)
                found[n] = sqlite3_column_int64(q, 0);
            n++;
        }
        if (n == 0)
            st = bp_error_set(err, BP_ERR_USAGE, 0, "%s: no loaded document matches '%s'",
                              db->path, specs[i]);
        else if (n > 1)
            st = bp_error_set(err, BP_ERR_USAGE, 0,
                              "%s: '%s' matches %d documents; give more of the sha256",
                              db->path, specs[i], n);
        else
            st = push_id(ids, n_ids, &cap, found[0], err);
    }
    sqlite3_finalize(q);
    if (st != BP_OK) {
        free(*ids);
        *ids = NULL;
        *n_ids = 0;
    }
    return st;
}

static const char *text_or_null(sqlite3_stmt *q, int i)
{
    return (const char *)sqlite3_column_text(q, i);
}

bp_status bp_db_each_check(bp_db *db, int64_t doc_id, int mismatches_first, bp_check_fn fn,
                           void *ctx, bp_error *err)
{
    sqlite3_stmt *q = NULL, *ops = NULL;
    /* one document's checks come by primary key (doc_id = ?1, not "?1 = 0
     * OR …", which scans every document's); mismatches first as four
     * arms, one per rank, each already in check order, that SQLite merges
     * as it goes instead of sorting every check before the first row */
    static const char columns[] =
        "c.doc_id, d.sha256, d.file, c.check_no, c.rule, c.status, c.expected, c.actual,"
        " c.difference, c.tolerance, c.unit, c.message, c.message_en";
    static const char from[] = "checks c JOIN documents d ON d.id = c.doc_id";
    const char *which = doc_id ? "c.doc_id = ?1" : "1";
    char sql[2048];
    if (mismatches_first)
        snprintf(sql, sizeof sql,
                 "SELECT %s, 0 FROM %s WHERE %s AND c.status = 'mismatch'"
                 " UNION ALL SELECT %s, 1 FROM %s WHERE %s AND c.status = 'unverifiable'"
                 " UNION ALL SELECT %s, 2 FROM %s WHERE %s AND c.status = 'rounding'"
                 " UNION ALL SELECT %s, 3 FROM %s WHERE %s AND c.status NOT IN"
                 " ('mismatch', 'unverifiable', 'rounding')"
                 " ORDER BY 1, 14, 4",
                 columns, from, which, columns, from, which, columns, from, which, columns,
                 from, which);
    else
        snprintf(sql, sizeof sql, "SELECT %s FROM %s WHERE %s ORDER BY c.doc_id, c.check_no",
                 columns, from, which);
    if (bp_db_prepare(db, sql, &q, err) != BP_OK)
        return BP_ERR_DB;
    if (bp_db_prepare(db,
                      "SELECT o.page, o.table_no, o.row_no, o.column_no, o.statement_no,"
                      " coalesce(t.label, t.title), t.title,"
                      /* the row as labelled next to the operand's column (side-by-
                       * side groups), else the stored row label */
                      " coalesce((SELECT lcell.text FROM cells lcell JOIN table_columns lc"
                      "   ON lc.doc_id = lcell.doc_id AND lc.table_no = lcell.table_no AND"
                      "   lc.column_no = lcell.column_no"
                      "   WHERE lcell.doc_id = o.doc_id AND lcell.table_no = o.table_no AND"
                      "   lcell.row_no = o.row_no AND lc.is_label = 1 AND"
                      "   lc.part = coalesce(tc.part, 0) AND lc.column_no < o.column_no AND"
                      "   lcell.text <> '' ORDER BY lc.column_no DESC LIMIT 1),"
                      " (SELECT r.label FROM table_rows r WHERE r.doc_id = o.doc_id AND"
                      "   r.table_no = o.table_no AND r.row_no = o.row_no AND"
                      "   r.part = coalesce(tc.part, 0))),"
                      " tc.path, s.sentence, o.text, o.value"
                      " FROM check_operands o"
                      " LEFT JOIN doc_tables t ON t.doc_id = o.doc_id AND t.table_no = o.table_no"
                      " LEFT JOIN table_columns tc ON tc.doc_id = o.doc_id AND"
                      "   tc.table_no = o.table_no AND tc.column_no = o.column_no"
                      " LEFT JOIN statements s ON s.doc_id = o.doc_id AND"
                      "   s.statement_no = o.statement_no"
                      " WHERE o.doc_id = ?1 AND o.check_no = ?2 ORDER BY o.operand_no",
                      &ops, err) != BP_OK) {
        sqlite3_finalize(q);
        return BP_ERR_DB;
    }
    if (doc_id)
        sqlite3_bind_int64(q, 1, doc_id);
    bp_status st = BP_OK;
    bp_check_operand *operands = NULL;
    size_t cap = 0;
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        bp_check_record rec;
        memset(&rec, 0, sizeof rec);
        rec.doc_id = sqlite3_column_int64(q, 0);
        rec.sha256 = text_or_null(q, 1);
        rec.file = text_or_null(q, 2);
        rec.check_no = sqlite3_column_int(q, 3);
        rec.rule = text_or_null(q, 4);
        rec.status = text_or_null(q, 5);
        rec.expected = text_or_null(q, 6);
        rec.actual = text_or_null(q, 7);
        rec.difference = text_or_null(q, 8);
        rec.tolerance = text_or_null(q, 9);
        rec.unit = text_or_null(q, 10);
        rec.message = text_or_null(q, 11);
        rec.message_en = text_or_null(q, 12);
        sqlite3_reset(ops);
        sqlite3_bind_int64(ops, 1, rec.doc_id);
        sqlite3_bind_int(ops, 2, rec.check_no);
        size_t n = 0;
        while (sqlite3_step(ops) == SQLITE_ROW) {
            if (n == cap) {
                cap = cap ? cap * 2 : 8;
                bp_check_operand *no = realloc(operands, cap * sizeof *no);
                if (!no) {
                    st = bp_error_set(err, BP_ERR_NOMEM, 0, "out of memory");
                    goto done;
                }
                operands = no;
            }
            bp_check_operand *o = &operands[n++];
            o->page = sqlite3_column_int(ops, 0);
            o->table_no = sqlite3_column_int(ops, 1);
            o->row_no = sqlite3_column_int(ops, 2);
            o->column_no = sqlite3_column_int(ops, 3);
            o->statement_no = sqlite3_column_int(ops, 4);
            /* column texts die at the next step: copy them */
            const char **slots[7] = {&o->table, &o->title, &o->row, &o->column,
                                     &o->statement, &o->text, &o->value};
            for (int k = 0; k < 7; k++) {
                const char *v = text_or_null(ops, 5 + k);
                *slots[k] = v ? strdup(v) : NULL;
            }
        }
        rec.operands = operands;
        rec.n_operands = n;
        int stop = fn(ctx, &rec);
        for (size_t i = 0; i < n; i++) {
            bp_check_operand *o = &operands[i];
            free((char *)o->table);
            free((char *)o->title);
            free((char *)o->row);
            free((char *)o->column);
            free((char *)o->statement);
            free((char *)o->text);
            free((char *)o->value);
        }
        if (stop != 0)
            break;
    }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        st = bp_db_fail(db, err, "reading checks");
done:
    free(operands);
    sqlite3_finalize(q);
    sqlite3_finalize(ops);
    return st;
}

bp_status bp_db_check_counts(bp_db *db, int64_t doc_id, bp_check_counts *counts, bp_error *err)
{
    memset(counts, 0, sizeof *counts);
    sqlite3_stmt *q = NULL;
    /* one pass over the document's checks (by primary key), no grouping
     * sort; any other status counts as unverifiable */
    const char *sql = doc_id ? "SELECT sum(status = 'ok'), sum(status = 'rounding'),"
                               " sum(status = 'mismatch'), count(status)"
                               " FROM checks WHERE doc_id = ?1"
                             : "SELECT sum(status = 'ok'), sum(status = 'rounding'),"
                               " sum(status = 'mismatch'), count(status) FROM checks";
    if (bp_db_prepare(db, sql, &q, err) != BP_OK)
        return BP_ERR_DB;
    if (doc_id)
        sqlite3_bind_int64(q, 1, doc_id);
    if (sqlite3_step(q) == SQLITE_ROW) {
        counts->ok = sqlite3_column_int64(q, 0);
        counts->rounding = sqlite3_column_int64(q, 1);
        counts->mismatch = sqlite3_column_int64(q, 2);
        counts->unverifiable = sqlite3_column_int64(q, 3) - counts->ok - counts->rounding -
                               counts->mismatch;
    }
    sqlite3_finalize(q);
    return BP_OK;
}

bp_status bp_db_document_name(bp_db *db, int64_t doc_id, char *file, size_t file_size,
                              char *sha256, size_t sha_size, bp_error *err)
{
    if (file_size)
        file[0] = '\0';
    if (sha_size)
        sha256[0] = '\0';
    sqlite3_stmt *q = NULL;
    if (bp_db_prepare(db, "SELECT file, sha256 FROM documents WHERE id = ?1", &q, err) != BP_OK)
        return BP_ERR_DB;
    sqlite3_bind_int64(q, 1, doc_id);
    if (sqlite3_step(q) == SQLITE_ROW) {
        const char *f = (const char *)sqlite3_column_text(q, 0);
        const char *s = (const char *)sqlite3_column_text(q, 1);
        if (file_size)
            snprintf(file, file_size, "%s", f ? f : "");
        if (sha_size)
            snprintf(sha256, sha_size, "%s", s ? s : "");
    }
    sqlite3_finalize(q);
    return BP_OK;
}
