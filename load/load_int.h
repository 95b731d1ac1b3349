/*
 * load_int.h — private to load/: the connection struct and helpers shared
 * by its files.
 */
#ifndef BP_LOAD_INT_H
#define BP_LOAD_INT_H

#include <sqlite3.h>

#include "load/load.h"

struct bp_db {
    sqlite3 *sql;
    char *path;     /* "worker database" for a worker's memory database */
};

/* Number of migrations this binary knows; the SQL of migration v (1-based). */
int bp_schema_version(void);
const char *bp_schema_migration(int version);

/* Fills err from the connection's last error, naming what was attempted. */
bp_status bp_db_fail(bp_db *db, bp_error *err, const char *what);

/* Turns the evaluation of CHECK constraints on (enforced) or off, for
 * rows whose values the code already limits to what the constraints allow:
 * SQLite builds the IN list of checks.status anew for every row it
 * checks.  Statements prepared while off are compiled without the checks. */
bp_status bp_db_check_constraints(bp_db *db, int enforced, bp_error *err);

/* Prepares sql, or fills err. */
bp_status bp_db_prepare(bp_db *db, const char *sql, sqlite3_stmt **stmt, bp_error *err);

/* Binds a UTF-8 string or NULL. */
void bp_db_bind_text(sqlite3_stmt *stmt, int index, const char *text);

/* The same without copying the string (a copy is a malloc and a free):
 * text must stay unchanged until the statement has run, for a batch
 * (below) until bp_batch_close. */
void bp_db_bind_static_text(sqlite3_stmt *stmt, int index, const char *text);

/* Prepares sql for a visitor that takes a DOC argument: ?1 is bound to the
 * id of the one document doc names (bp_db_resolve_documents), or to 0 when
 * doc is NULL, so the SQL selects with "(?1 = 0 OR doc_id = ?1)".
 * BP_ERR_USAGE when doc names no document or several. */
bp_status bp_db_prepare_for_document(bp_db *db, const char *sql, const char *doc,
                                     sqlite3_stmt **stmt, bp_error *err);

/* An insert of n_rows rows into one table, bound a row at a time and
 * written a batch of rows to a statement (load/batch.c):
 *     bp_batch_open(db, &b, "cells", "doc_id, text", 2, n, "inserting cell", err);
 *     for each row: q = bp_batch_row(&b, &o); bind parameters o + 1 … o + 2
 *                   of q; bp_batch_bound(db, &b, err);
 *     bp_batch_close(&b);
 * Exactly n_rows rows must be bound, each binding every one of its
 * parameters, NULL included (a statement keeps the values of the batch
 * before).  Text bound with SQLITE_STATIC must live until bp_batch_close:
 * a row is written with the rows after it. */
typedef struct bp_batch {
    sqlite3_stmt *many;  /* a batch of rows (prepared when that many are due) */
    sqlite3_stmt *one;   /* one row */
    int n_cols;
    size_t left;         /* rows not yet bound */
    int in_many;         /* rows bound into many, not yet written */
    bool use_many;       /* the row being bound goes into many */
    const char *what;    /* for error messages: "inserting cell" */
} bp_batch;

bp_status bp_batch_open(bp_db *db, bp_batch *b, const char *table, const char *columns,
                        int n_cols, size_t n_rows, const char *what, bp_error *err);
sqlite3_stmt *bp_batch_row(bp_batch *b, int *base);
bp_status bp_batch_bound(bp_db *db, bp_batch *b, bp_error *err);
void bp_batch_close(bp_batch *b);

#endif
