/*
 * db.c — opening the database, migrations, transactions, and the rows every
 * ingest writes: documents, pages, text lines and ingest errors.
 *
 * Connections to a database file run in WAL mode with foreign keys on and
 * a busy timeout, so two ingests on one database wait for each other
 * instead of failing.  A worker's memory database has neither a journal
 * nor foreign key checks (see open_at).
 */
#include "load/load_int.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BUSY_TIMEOUT_MS 60000

bp_status bp_db_fail(bp_db *db, bp_error *err, const char *what)
{
    return bp_error_set(err, BP_ERR_DB, 0, "%s: %s: %s", db->path, what,
                        sqlite3_errmsg(db->sql));
}

bp_status bp_db_prepare(bp_db *db, const char *sql, sqlite3_stmt **stmt, bp_error *err)
{
    if (sqlite3_prepare_v2(db->sql, sql, -1, stmt, NULL) != SQLITE_OK)
        return bp_db_fail(db, err, "prepare");
    return BP_OK;
}

void bp_db_bind_text(sqlite3_stmt *stmt, int index, const char *text)
{
    if (text)
        sqlite3_bind_text(stmt, index, text, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(stmt, index);
}

void bp_db_bind_static_text(sqlite3_stmt *stmt, int index, const char *text)
{
    if (text)
        sqlite3_bind_text(stmt, index, text, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(stmt, index);
}

bp_status bp_db_exec_sql(bp_db *db, const char *sql, bp_error *err)
{
    char *msg = NULL;
    if (sqlite3_exec(db->sql, sql, NULL, NULL, &msg) != SQLITE_OK) {
        bp_error_set(err, BP_ERR_DB, 0, "%s: %s", db->path, msg ? msg : "error");
        sqlite3_free(msg);
        return BP_ERR_DB;
    }
    return BP_OK;
}

int bp_db_schema_version(bp_db *db)
{
    sqlite3_stmt *stmt = NULL;
    int version = -1;
    if (sqlite3_prepare_v2(db->sql, "PRAGMA user_version", -1, &stmt, NULL) == SQLITE_OK &&
        sqlite3_step(stmt) == SQLITE_ROW)
        version = sqlite3_column_int(stmt, 0);
    sqlite3_finalize(stmt);
    return version;
}

static bp_status migrate(bp_db *db, bp_error *err)
{
    int have = bp_db_schema_version(db);
    int want = bp_schema_version();
    if (have < 0)
        return bp_db_fail(db, err, "reading schema version");
    if (have > want)
        return bp_error_set(err, BP_ERR_DB, 0,
                            "%s: schema version %d is newer than this budgetpdf (%d)",
                            db->path, have, want);
    for (int v = have + 1; v <= want; v++) {
        char pragma[64];
        snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d;", v);
        if (bp_db_exec_sql(db, "BEGIN IMMEDIATE", err) != BP_OK)
            return BP_ERR_DB;
        /* Another process may have migrated while we waited for the lock. */
        if (bp_db_schema_version(db) >= v) {
            bp_db_exec_sql(db, "COMMIT", NULL);
            continue;
        }
        if (bp_db_exec_sql(db, bp_schema_migration(v), err) != BP_OK ||
            bp_db_exec_sql(db, pragma, err) != BP_OK) {
            bp_db_exec_sql(db, "ROLLBACK", NULL);
            return BP_ERR_DB;
        }
        if (bp_db_exec_sql(db, "COMMIT", err) != BP_OK)
            return BP_ERR_DB;
    }
    return BP_OK;
}

/* Runs the connection setup.  Switching a new database to WAL needs an
 * exclusive lock and SQLite reports SQLITE_BUSY at once, without the busy
 * handler, while another process holds the file (two ingests starting
 * together): retry for as long as the busy timeout. */
static bp_status setup_connection(bp_db *db, const char *setup, bp_error *err)
{
    const struct timespec pause = {0, 20 * 1000 * 1000};
    for (int waited_ms = 0;; waited_ms += 20) {
        int rc = sqlite3_exec(db->sql, setup, NULL, NULL, NULL);
        if (rc == SQLITE_OK)
            return BP_OK;
        if ((rc != SQLITE_BUSY && rc != SQLITE_LOCKED) || waited_ms >= BUSY_TIMEOUT_MS)
            return bp_db_exec_sql(db, setup, err);
        nanosleep(&pause, NULL);
    }
}

/* Process-wide SQLite settings, before its first use: no allocation
 * statistics (nothing reads them, and keeping them takes a global mutex on
 * every allocation).  Too late once SQLite is initialized, which is
 * harmless. */
static void configure_sqlite(void)
{
    static bool configured;
    if (!configured) {
        sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
        configured = true;
    }
}

static bp_status open_at(const char *path, int memory, bp_db **out, bp_error *err)
{
    *out = NULL;
    bp_db *db = calloc(1, sizeof *db);
    if (db == NULL)
        return bp_error_set(err, BP_ERR_NOMEM, 0, "%s: out of memory", path);
    db->path = strdup(path);
    configure_sqlite();
    /* A bp_db is used by one thread: no per-call connection mutex. */
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(path, &db->sql, flags, NULL) != SQLITE_OK) {
        bp_error_set(err, BP_ERR_DB, 0, "%s: cannot open database: %s", path,
                     db->sql ? sqlite3_errmsg(db->sql) : "out of memory");
        bp_db_close(db);
        return BP_ERR_DB;
    }
    sqlite3_busy_timeout(db->sql, BUSY_TIMEOUT_MS);
    /* A memory database is a worker's, discarded whole when a parse fails:
     * it needs no rollback journal (1.2% of a 408-page ingest).  It holds
     * one document, inserted first, and only ever gains rows, so checking
     * each row's reference to it (a cursor opened and closed per row) can
     * find nothing.  Its freed space never reaches the user's database
     * (the merge copies rows), so zeroing it, as Debian's SQLite does by
     * default (secure_delete), is work for nothing.  On 64 KiB pages its
     * b-trees split less often than on 4 KiB ones: inserting a 408-page
     * document costs a tenth less, for a serialized database of at least
     * 960 KiB (one page per table and index).
     * The file's cache holds a whole merged document (64 MiB at most):
     * with SQLite's default 2 MiB a merge spilled pages to the WAL before
     * its commit, and wrote them again there, with a statement journal in
     * a temporary file — a third more writes for a 408-page document. */
    const char *setup = memory ? "PRAGMA page_size = 65536; PRAGMA journal_mode = OFF;"
                                 "PRAGMA foreign_keys = OFF; PRAGMA secure_delete = OFF;"
                               : "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;"
                                 "PRAGMA foreign_keys = ON; PRAGMA cache_size = -65536;";
    if (setup_connection(db, setup, err) != BP_OK || migrate(db, err) != BP_OK) {
        bp_db_close(db);
        return BP_ERR_DB;
    }
    *out = db;
    return BP_OK;
}

bp_status bp_db_open(const char *path, bp_db **out, bp_error *err)
{
    return open_at(path, 0, out, err);
}

bp_status bp_db_open_memory(bp_db **out, bp_error *err)
{
    bp_status rc = open_at(":memory:", 1, out, err);
    char *name = rc == BP_OK ? strdup("worker database") : NULL;
    if (name) { /* what messages call it; ":memory:" means nothing to a user */
        free((*out)->path);
        (*out)->path = name;
    }
    return rc;
}

void bp_db_close(bp_db *db)
{
    if (db == NULL)
        return;
    sqlite3_close_v2(db->sql);
    free(db->path);
    free(db);
}

bp_status bp_db_check_constraints(bp_db *db, int enforced, bp_error *err)
{
    return bp_db_exec_sql(db,
                          enforced ? "PRAGMA ignore_check_constraints = OFF"
                                   : "PRAGMA ignore_check_constraints = ON",
                          err);
}

bp_status bp_db_begin(bp_db *db, bp_error *err)
{
    return bp_db_exec_sql(db, "BEGIN IMMEDIATE", err);
}

bp_status bp_db_commit(bp_db *db, bp_error *err)
{
    return bp_db_exec_sql(db, "COMMIT", err);
}

void bp_db_rollback(bp_db *db)
{
    if (!sqlite3_get_autocommit(db->sql))
        bp_db_exec_sql(db, "ROLLBACK", NULL);
}

bp_status bp_db_find_document(bp_db *db, const char *sha256, int64_t *doc_id,
                              bp_error *err)
{
    sqlite3_stmt *stmt;
    *doc_id = 0;
    if (bp_db_prepare(db, "SELECT id FROM documents WHERE sha256 = ?", &stmt, err))
        return BP_ERR_DB;
    sqlite3_bind_text(stmt, 1, sha256, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW)
        *doc_id = sqlite3_column_int64(stmt, 0);
    sqlite3_finalize(stmt);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return bp_db_fail(db, err, "finding document");
    return BP_OK;
}

bp_status bp_db_prepare_for_document(bp_db *db, const char *sql, const char *doc,
                                     sqlite3_stmt **stmt, bp_error *err)
{
    int64_t doc_id = 0;
    *stmt = NULL;
    if (doc != NULL) {
        int64_t *ids = NULL;
        size_t n_ids = 0;
        bp_status st = bp_db_resolve_documents(db, &doc, 1, &ids, &n_ids, err);
        if (st != BP_OK)
            return st;
        doc_id = ids[0]; /* exactly one, else the resolver failed */
        free(ids);
    }
    if (bp_db_prepare(db, sql, stmt, err) != BP_OK)
        return BP_ERR_DB;
    sqlite3_bind_int64(*stmt, 1, doc_id);
    return BP_OK;
}

bp_status bp_db_insert_document(bp_db *db, const bp_pdf_info *info,
                                const char *file, int64_t *doc_id, bp_error *err)
{
    sqlite3_stmt *stmt;
    if (bp_db_prepare(db,
                      "INSERT INTO documents (sha256, file, file_size, pages, producer,"
                      " creator, title, pdf_version) VALUES (?,?,?,?,?,?,?,?)",
                      &stmt, err))
        return BP_ERR_DB;
    sqlite3_bind_text(stmt, 1, info->sha256, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(stmt, 2, file, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(stmt, 3, info->file_size);
    sqlite3_bind_int(stmt, 4, info->n_pages);
    bp_db_bind_text(stmt, 5, info->producer);
    bp_db_bind_text(stmt, 6, info->creator);
    bp_db_bind_text(stmt, 7, info->title);
    bp_db_bind_text(stmt, 8, info->pdf_version);
    int rc = sqlite3_step(stmt);
    sqlite3_finalize(stmt);
    if (rc != SQLITE_DONE)
        return bp_db_fail(db, err, "inserting document");
    *doc_id = sqlite3_last_insert_rowid(db->sql);
    return BP_OK;
}

bp_status bp_db_set_parse_time(bp_db *db, int64_t doc_id, int64_t parse_ms,
                               bp_error *err)
{
    sqlite3_stmt *stmt;
    if (bp_db_prepare(db, "UPDATE documents SET parse_ms = ? WHERE id = ?", &stmt, err))
        return BP_ERR_DB;
    sqlite3_bind_int64(stmt, 1, parse_ms);
    sqlite3_bind_int64(stmt, 2, doc_id);
    int rc = sqlite3_step(stmt);
    sqlite3_finalize(stmt);
    return rc == SQLITE_DONE ? BP_OK : bp_db_fail(db, err, "setting parse time");
}

bp_status bp_db_insert_pages(bp_db *db, int64_t doc_id, bp_page *const *pages,
                             size_t n_pages, bp_error *err)
{
    size_t n_read = 0, n_lines = 0;
    for (size_t p = 0; p < n_pages; p++)
        if (pages[p] != NULL) {
            n_read++;
            n_lines += pages[p]->n_lines;
        }
    bp_batch page_rows, line_rows;
    memset(&line_rows, 0, sizeof line_rows);
    bp_status rc = bp_batch_open(db, &page_rows, "pages",
                                 "doc_id, page, width, height, rotation, glyphs", 6, n_read,
                                 "inserting page", err);
    if (rc == BP_OK)
        rc = bp_batch_open(db, &line_rows, "lines", "doc_id, page, line, text, x0, y0, x1, y1",
                           8, n_lines, "inserting line", err);
    sqlite3_stmt *st;
    int o; /* parameter offset of the row being bound */
    for (size_t p = 0; p < n_pages && rc == BP_OK; p++) {
        const bp_page *page = pages[p];
        if (page == NULL)
            continue;
        st = bp_batch_row(&page_rows, &o);
        sqlite3_bind_int64(st, o + 1, doc_id);
        sqlite3_bind_int(st, o + 2, page->number);
        sqlite3_bind_double(st, o + 3, page->width);
        sqlite3_bind_double(st, o + 4, page->height);
        sqlite3_bind_int(st, o + 5, page->rotation);
        sqlite3_bind_int64(st, o + 6, (sqlite3_int64)page->n_glyphs);
        rc = bp_batch_bound(db, &page_rows, err);
    }
    for (size_t p = 0; p < n_pages && rc == BP_OK; p++) {
        const bp_page *page = pages[p];
        for (size_t l = 0; page != NULL && l < page->n_lines && rc == BP_OK; l++) {
            const bp_line *line = &page->lines[l];
            st = bp_batch_row(&line_rows, &o);
            sqlite3_bind_int64(st, o + 1, doc_id);
            sqlite3_bind_int(st, o + 2, page->number);
            sqlite3_bind_int64(st, o + 3, (sqlite3_int64)l + 1);
            sqlite3_bind_text(st, o + 4, line->text, -1, SQLITE_STATIC);
            sqlite3_bind_double(st, o + 5, line->box.x0);
            sqlite3_bind_double(st, o + 6, line->box.y0);
            sqlite3_bind_double(st, o + 7, line->box.x1);
            sqlite3_bind_double(st, o + 8, line->box.y1);
            rc = bp_batch_bound(db, &line_rows, err);
        }
    }
    bp_batch_close(&page_rows);
    bp_batch_close(&line_rows);
    return rc;
}

void bp_db_record_error(bp_db *db, const char *file, const char *sha256,
                        const bp_error *error)
{
    sqlite3_stmt *stmt;
    bp_error err;
    if (bp_db_prepare(db,
                      "INSERT INTO ingest_errors (file, sha256, page, kind, message)"
                      " VALUES (?,?,?,?,?)",
                      &stmt, &err)) {
        fprintf(stderr, "budgetpdf: %s\n", err.message);
        return;
    }
    bp_db_bind_text(stmt, 1, file);
    bp_db_bind_text(stmt, 2, sha256);
    if (error->page > 0)
        sqlite3_bind_int(stmt, 3, error->page);
    else
        sqlite3_bind_null(stmt, 3);
    sqlite3_bind_text(stmt, 4, bp_status_name(error->code), -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 5, error->message, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(stmt) != SQLITE_DONE)
        fprintf(stderr, "budgetpdf: %s: cannot record error: %s\n", db->path,
                sqlite3_errmsg(db->sql));
    sqlite3_finalize(stmt);
}

int64_t bp_db_count(bp_db *db, const char *table)
{
    static const char *const allowed[] = {"documents", "pages", "lines", "doc_tables",
                                          "cells", "statements", "checks",
                                          "ingest_errors"};
    int ok = 0;
    for (size_t i = 0; i < sizeof allowed / sizeof allowed[0]; i++)
        ok |= strcmp(table, allowed[i]) == 0;
    if (!ok)
        return -1;
    char sql[96];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", table);
    sqlite3_stmt *stmt;
    int64_t n = -1;
    if (sqlite3_prepare_v2(db->sql, sql, -1, &stmt, NULL) == SQLITE_OK &&
        sqlite3_step(stmt) == SQLITE_ROW)
        n = sqlite3_column_int64(stmt, 0);
    sqlite3_finalize(stmt);
    return n;
}

static int64_t count_for_document(bp_db *db, const char *sql, int64_t doc_id)
{
    sqlite3_stmt *stmt;
    int64_t n = 0;
    if (sqlite3_prepare_v2(db->sql, sql, -1, &stmt, NULL) != SQLITE_OK)
        return 0;
    sqlite3_bind_int64(stmt, 1, doc_id);
    if (sqlite3_step(stmt) == SQLITE_ROW)
        n = sqlite3_column_int64(stmt, 0);
    sqlite3_finalize(stmt);
    return n;
}

void bp_db_document_counts(bp_db *db, int64_t doc_id, int64_t *tables, int64_t *cells)
{
    *tables = count_for_document(db, "SELECT count(*) FROM doc_tables WHERE doc_id = ?", doc_id);
    *cells = count_for_document(db, "SELECT count(*) FROM cells WHERE doc_id = ?", doc_id);
}
