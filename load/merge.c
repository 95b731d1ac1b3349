/*
 * merge.c — moving a parsed document from a worker's private database into
 * the main one.
 *
 * A worker loads exactly one document into an in-memory database with the
 * full schema and serializes it (sqlite3_serialize).  The parent attaches
 * those bytes as schema "worker" (sqlite3_deserialize) and, in one
 * IMMEDIATE transaction, inserts the document row, then copies every other
 * table row for row with doc_id rewritten to the new id.  The copy is
 * generic over the schema (schema.c's conventions make it so), so new
 * per-document tables need no code here.  Surrogate INTEGER PRIMARY KEY
 * columns (ingest_errors.id) are left for the main database to assign.
 *
 * A database's first document gets the id the worker gave it: its rows
 * are then copied unchanged (SELECT *: both databases are built by the
 * same migrations, so their columns are in the same order), which lets
 * SQLite move each record whole instead of decoding and rebuilding it (its
 * transfer optimization, taken for a table that is still empty while
 * foreign keys are off).
 */
#include "load/load_int.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bp_status bp_db_serialize(bp_db *db, void **data, size_t *size, bp_error *err)
{
    sqlite3_int64 n = 0;
    *data = sqlite3_serialize(db->sql, "main", &n, 0);
    if (*data == NULL)
        return bp_db_fail(db, err, "serializing");
    *size = (size_t)n;
    return BP_OK;
}

void bp_db_serialized_free(void *data)
{
    sqlite3_free(data);
}

/* Appends to an INSERT … SELECT pair the columns of worker.<table>. */
typedef struct copy_sql {
    char into[4096];
    char select[4096];
} copy_sql;

static bp_status build_copy(bp_db *db, const char *table, copy_sql *q, bool *whole_rows,
                            bp_error *err)
{
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT name, type, pk FROM pragma_table_info('%s', 'worker')",
             table);
    sqlite3_stmt *stmt;
    if (bp_db_prepare(db, sql, &stmt, err))
        return BP_ERR_DB;
    snprintf(q->into, sizeof q->into, "INSERT INTO main.\"%s\" (", table);
    snprintf(q->select, sizeof q->select, ") SELECT ");
    *whole_rows = true;
    int first = 1;
    while (sqlite3_step(stmt) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(stmt, 0);
        const char *type = (const char *)sqlite3_column_text(stmt, 1);
        int pk = sqlite3_column_int(stmt, 2);
        if (pk == 1 && type && strcmp(type, "INTEGER") == 0 && strcmp(name, "doc_id") != 0) {
            *whole_rows = false;
            continue; /* rowid alias: let the main database number it */
        }
        size_t li = strlen(q->into), ls = strlen(q->select);
        snprintf(q->into + li, sizeof q->into - li, "%s\"%s\"", first ? "" : ",", name);
        snprintf(q->select + ls, sizeof q->select - ls, "%s%s%s%s", first ? "" : ",",
                 strcmp(name, "doc_id") == 0 ? "?1" : "\"", strcmp(name, "doc_id") == 0 ? "" : name,
                 strcmp(name, "doc_id") == 0 ? "" : "\"");
        first = 0;
    }
    sqlite3_finalize(stmt);
    size_t ls = strlen(q->select);
    snprintf(q->select + ls, sizeof q->select - ls, " FROM worker.\"%s\"", table);
    return BP_OK;
}

/* Copies worker.<table> into main with doc_id rewritten to doc_id, or
 * unchanged where that is the worker's own id and no column is left out. */
static bp_status copy_table(bp_db *db, const char *table, int64_t doc_id,
                            int64_t worker_doc_id, bp_error *err)
{
    copy_sql q;
    bool whole_rows;
    if (build_copy(db, table, &q, &whole_rows, err))
        return BP_ERR_DB;
    char sql[8192 + 8];
    if (whole_rows && doc_id == worker_doc_id)
        snprintf(sql, sizeof sql, "INSERT INTO main.\"%s\" SELECT * FROM worker.\"%s\"", table,
                 table);
    else
        snprintf(sql, sizeof sql, "%s%s", q.into, q.select);
    sqlite3_stmt *stmt;
    if (bp_db_prepare(db, sql, &stmt, err))
        return BP_ERR_DB;
    if (sqlite3_bind_parameter_count(stmt) == 1)
        sqlite3_bind_int64(stmt, 1, doc_id);
    int rc = sqlite3_step(stmt);
    sqlite3_finalize(stmt);
    if (rc != SQLITE_DONE) {
        char what[128];
        snprintf(what, sizeof what, "copying %s", table);
        return bp_db_fail(db, err, what);
    }
    return BP_OK;
}

static bp_status copy_all(bp_db *db, int64_t doc_id, int64_t worker_doc_id, bp_error *err)
{
    sqlite3_stmt *stmt;
    if (bp_db_prepare(db,
                      "SELECT name FROM worker.sqlite_schema WHERE type = 'table'"
                      " AND name NOT IN ('documents') AND name NOT LIKE 'sqlite_%'"
                      " ORDER BY name",
                      &stmt, err))
        return BP_ERR_DB;
    bp_status rc = BP_OK;
    while (rc == BP_OK && sqlite3_step(stmt) == SQLITE_ROW) {
        char table[128];
        snprintf(table, sizeof table, "%s", (const char *)sqlite3_column_text(stmt, 0));
        rc = copy_table(db, table, doc_id, worker_doc_id, err);
    }
    sqlite3_finalize(stmt);
    return rc;
}

/* The sha256 and id of the worker's one document. */
static bp_status worker_document(bp_db *db, char sha256[65], int64_t *id, bp_error *err)
{
    sqlite3_stmt *stmt;
    if (bp_db_prepare(db, "SELECT sha256, id, (SELECT count(*) FROM worker.documents)"
                          " FROM worker.documents LIMIT 1", &stmt, err))
        return BP_ERR_DB;
    bp_status rc = BP_OK;
    if (sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_int(stmt, 2) == 1) {
        snprintf(sha256, 65, "%s", (const char *)sqlite3_column_text(stmt, 0));
        *id = sqlite3_column_int64(stmt, 1);
    } else {
        rc = bp_error_set(err, BP_ERR_INTERNAL, 0, "worker database holds no single document");
    }
    sqlite3_finalize(stmt);
    return rc;
}

/* With foreign keys on, every copied row looks its document up again (a
 * cursor opened and closed per row: an eighth of the copy), though that row
 * was inserted just before in the same transaction.  A merge that may
 * replace a document keeps them on: its delete relies on ON DELETE
 * CASCADE.  The setting only changes outside a transaction. */
static void set_foreign_keys(bp_db *db, int on)
{
    sqlite3_exec(db->sql, on ? "PRAGMA foreign_keys = ON" : "PRAGMA foreign_keys = OFF",
                 NULL, NULL, NULL);
}

/* The worker's bytes are read in place: SQLite neither copies nor frees
 * them, and they outlive the attachment (detached before the merge
 * returns).  Not SQLITE_DESERIALIZE_READONLY: BEGIN IMMEDIATE locks every
 * attached database for writing, though nothing writes to this one. */
static bp_status attach_worker(bp_db *db, const void *data, size_t size, bp_error *err)
{
    if (sqlite3_exec(db->sql, "ATTACH DATABASE ':memory:' AS worker", NULL, NULL, NULL) !=
        SQLITE_OK)
        return bp_db_fail(db, err, "attaching worker database");
    if (sqlite3_deserialize(db->sql, "worker", (unsigned char *)data, (sqlite3_int64)size,
                            (sqlite3_int64)size, 0) != SQLITE_OK)
        return bp_db_fail(db, err, "reading worker database");
    return BP_OK;
}

bp_status bp_db_merge_document(bp_db *db, const void *data, size_t size,
                               int replace, int64_t *doc_id, int *merged,
                               bp_error *err)
{
    *doc_id = 0;
    *merged = 0;
    char sha256[65] = "";
    int64_t worker_doc_id = 0;
    if (!replace)
        set_foreign_keys(db, 0);
    /* the worker's rows were written under the same CHECK constraints
     * (checks.status by reconcile.c, with only the names they allow): the
     * copy does not evaluate them again (that was half of copying checks) */
    bp_db_check_constraints(db, 0, NULL);
    bp_status rc = attach_worker(db, data, size, err);
    if (rc == BP_OK)
        rc = worker_document(db, sha256, &worker_doc_id, err);
    if (rc == BP_OK)
        rc = bp_db_begin(db, err);
    if (rc != BP_OK)
        goto detach;

    int64_t existing = 0;
    rc = bp_db_find_document(db, sha256, &existing, err);
    if (rc == BP_OK && existing && !replace) {
        *doc_id = existing;
        rc = bp_db_commit(db, err);
        goto detach;
    }
    if (rc == BP_OK && existing) {
        sqlite3_stmt *del;
        rc = bp_db_prepare(db, "DELETE FROM documents WHERE id = ?", &del, err);
        if (rc == BP_OK) {
            sqlite3_bind_int64(del, 1, existing);
            if (sqlite3_step(del) != SQLITE_DONE)
                rc = bp_db_fail(db, err, "replacing document");
            sqlite3_finalize(del);
        }
    }
    if (rc == BP_OK)
        rc = copy_table(db, "documents", 0, worker_doc_id, err);
    if (rc == BP_OK) {
        *doc_id = sqlite3_last_insert_rowid(db->sql);
        rc = copy_all(db, *doc_id, worker_doc_id, err);
    }
    if (rc == BP_OK)
        rc = bp_db_commit(db, err);
    if (rc == BP_OK)
        *merged = existing ? 2 : 1;
    else
        bp_db_rollback(db);
detach:
    if (rc != BP_OK)
        bp_db_rollback(db);
    sqlite3_exec(db->sql, "DETACH DATABASE worker", NULL, NULL, NULL);
    bp_db_check_constraints(db, 1, NULL);
    if (!replace)
        set_foreign_keys(db, 1);
    return rc;
}
