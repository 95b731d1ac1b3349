/*
 * reconciled.c — which build of the rules made a document's stored checks.
 *
 * A worker reconciles the document it parses, so a parallel ingest also
 * reconciles in parallel, and stores bp_rules_id() (a hash of the rules'
 * sources, load/rules_id.cmake) in documents.rules_id with the checks.
 * `budgetpdf reconcile` then only lists them, re-running the rules where
 * they were made by another build (an upgrade, or a database from before
 * ingest reconciled) or never made.
 */
#include "load/load_int.h"

#include <string.h>

bp_status bp_db_set_rules_id(bp_db *db, int64_t doc_id, bp_error *err)
{
    sqlite3_stmt *stmt;
    if (bp_db_prepare(db, "UPDATE documents SET rules_id = ?1 WHERE id = ?2", &stmt, err))
        return BP_ERR_DB;
    sqlite3_bind_text(stmt, 1, bp_rules_id(), -1, SQLITE_STATIC);
    sqlite3_bind_int64(stmt, 2, doc_id);
    int rc = sqlite3_step(stmt);
    sqlite3_finalize(stmt);
    return rc == SQLITE_DONE ? BP_OK : bp_db_fail(db, err, "storing the rules id");
}

bp_status bp_db_checks_current(bp_db *db, int64_t doc_id, bool *current, bp_error *err)
{
    *current = false;
    sqlite3_stmt *stmt;
    if (bp_db_prepare(db, "SELECT rules_id FROM documents WHERE id = ?1", &stmt, err))
        return BP_ERR_DB;
    sqlite3_bind_int64(stmt, 1, doc_id);
    int rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW) {
        const char *id = (const char *)sqlite3_column_text(stmt, 0);
        *current = id != NULL && strcmp(id, bp_rules_id()) == 0;
    }
    sqlite3_finalize(stmt);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? BP_OK
                                                 : bp_db_fail(db, err, "reading the rules id");
}
