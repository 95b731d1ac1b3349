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
    char *path;     /* ":memory:" for worker databases */
    /* Statements run once per page or line, prepared on first use and
     * finalized by bp_db_close (preparing them per page was measurable). */
    sqlite3_stmt *insert_page, *insert_line;
};

/* Number of migrations this binary knows; the SQL of migration v (1-based). */
int bp_schema_version(void);
const char *bp_schema_migration(int version);

/* Fills err from the connection's last error, naming what was attempted. */
bp_status bp_db_fail(bp_db *db, bp_error *err, const char *what);

/* Prepares sql, or fills err. */
bp_status bp_db_prepare(bp_db *db, const char *sql, sqlite3_stmt **stmt, bp_error *err);

/* Binds a UTF-8 string or NULL. */
void bp_db_bind_text(sqlite3_stmt *stmt, int index, const char *text);

/* Prepares sql for a visitor that takes a DOC argument: ?1 is bound to the
 * id of the one document doc names (bp_db_resolve_documents), or to 0 when
 * doc is NULL, so the SQL selects with "(?1 = 0 OR doc_id = ?1)".
 * BP_ERR_USAGE when doc names no document or several. */
bp_status bp_db_prepare_for_document(bp_db *db, const char *sql, const char *doc,
                                     sqlite3_stmt **stmt, bp_error *err);

#endif
