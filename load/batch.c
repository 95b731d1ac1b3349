/*
 * batch.c — inserting many rows into one table with few statements.
 *
 * Rows are bound into one INSERT … VALUES (…), (…), … of BP_BATCH_ROWS rows,
 * the last few one by one.  A statement per row searched the table from its
 * root for every row and opened and closed a cursor; within one statement
 * each row is appended after the one before.  Used for a document's pages
 * and lines (db.c), tables (store_tables.c), statements
 * (store_statements.c) and checks (reconcile.c).
 */
#include "load/load_int.h"

#include <stdio.h>
#include <string.h>

enum { BP_BATCH_ROWS = 16 };

bp_status bp_batch_open(bp_db *db, bp_batch *b, const char *table, const char *columns,
                        int n_cols, size_t n_rows, const char *what, bp_error *err)
{
    memset(b, 0, sizeof *b);
    b->n_cols = n_cols;
    b->left = n_rows;
    b->what = what;
    char sql[4096];
    size_t len = (size_t)snprintf(sql, sizeof sql, "INSERT INTO %s (%s) VALUES ", table, columns);
    for (int r = 0; r < BP_BATCH_ROWS; r++) {
        if (len + 2 * (size_t)n_cols + 3 >= sizeof sql)
            return bp_error_set(err, BP_ERR_INTERNAL, 0, "%s: insert too wide", what);
        len += (size_t)snprintf(sql + len, sizeof sql - len, "%s(", r ? "," : "");
        for (int c = 0; c < n_cols; c++)
            len += (size_t)snprintf(sql + len, sizeof sql - len, "%s?", c ? "," : "");
        len += (size_t)snprintf(sql + len, sizeof sql - len, ")");
        if (r == 0 && bp_db_prepare(db, sql, &b->one, err) != BP_OK)
            return BP_ERR_DB;
    }
    if (n_rows >= BP_BATCH_ROWS && bp_db_prepare(db, sql, &b->many, err) != BP_OK)
        return BP_ERR_DB;
    return BP_OK;
}

void bp_batch_close(bp_batch *b)
{
    sqlite3_finalize(b->many);
    sqlite3_finalize(b->one);
    b->many = b->one = NULL;
}

sqlite3_stmt *bp_batch_row(bp_batch *b, int *base)
{
    b->use_many = b->in_many > 0 || b->left >= BP_BATCH_ROWS;
    *base = b->use_many ? b->in_many * b->n_cols : 0;
    return b->use_many ? b->many : b->one;
}

bp_status bp_batch_bound(bp_db *db, bp_batch *b, bp_error *err)
{
    b->left--;
    if (b->use_many && ++b->in_many < BP_BATCH_ROWS)
        return BP_OK;
    b->in_many = 0;
    sqlite3_stmt *stmt = b->use_many ? b->many : b->one;
    int rc = sqlite3_step(stmt);
    sqlite3_reset(stmt); /* bindings stay: every row rebinds all of its own */
    return rc == SQLITE_DONE ? BP_OK : bp_db_fail(db, err, b->what);
}
