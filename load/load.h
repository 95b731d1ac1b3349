/*
 * load.h — the SQLite database: schema, loading with provenance,
 * idempotency, queries and exports (the only folder that sees sqlite3.h).
 *
 * A bp_db is one open database connection.  Documents are identified by the
 * sha256 of their bytes.  Loading happens in two steps so that parsing can
 * run in an isolated worker process: the worker loads a document into a
 * private in-memory database (bp_db_open_memory) and serializes it
 * (bp_db_serialize); the parent, the only writer of the real database,
 * merges those bytes in one transaction (bp_db_merge_document).
 *
 * All SQL goes through prepared statements.
 */
#ifndef BP_LOAD_H
#define BP_LOAD_H

#include <stddef.h>
#include <stdint.h>

#include "common/error.h"
#include "extract/extract.h"

typedef struct bp_db bp_db;

/* Opens (creating if needed) the database at path, sets WAL mode, foreign
 * keys and a busy timeout, and applies missing migrations.  A database with
 * a newer schema than this binary is refused with BP_ERR_DB. */
bp_status bp_db_open(const char *path, bp_db **out, bp_error *err);

/* A private in-memory database with the same schema (for workers). */
bp_status bp_db_open_memory(bp_db **out, bp_error *err);

void bp_db_close(bp_db *db);

/* Current schema version of the open database. */
int bp_db_schema_version(bp_db *db);

bp_status bp_db_begin(bp_db *db, bp_error *err);   /* BEGIN IMMEDIATE */
bp_status bp_db_commit(bp_db *db, bp_error *err);
void bp_db_rollback(bp_db *db);                      /* no-op outside a transaction */

/* The id of the document with this sha256, or 0 when it is not loaded. */
bp_status bp_db_find_document(bp_db *db, const char *sha256, int64_t *doc_id,
                              bp_error *err);

/* Inserts the document row for an opened PDF; file is the path as given. */
bp_status bp_db_insert_document(bp_db *db, const bp_pdf_info *info,
                                const char *file, int64_t *doc_id, bp_error *err);

/* Sets documents.parse_ms. */
bp_status bp_db_set_parse_time(bp_db *db, int64_t doc_id, int64_t parse_ms,
                               bp_error *err);

/* Inserts a page row and its text lines. */
bp_status bp_db_insert_page(bp_db *db, int64_t doc_id, const bp_page *page,
                            bp_error *err);

/* Records an ingest error (file, sha256 may be NULL).  Runs in its own
 * statement; never fails loudly (an error table that cannot be written is
 * reported on stderr). */
void bp_db_record_error(bp_db *db, const char *file, const char *sha256,
                        const bp_error *error);

/* Serializes a whole (in-memory) database; free *data with free(). */
bp_status bp_db_serialize(bp_db *db, void **data, size_t *size, bp_error *err);

/* Merges the single document held in a serialized worker database into db,
 * in one transaction.  *merged tells what happened: 1 inserted; 0 kept,
 * because a document with the same sha256 is present and replace is not
 * set (*doc_id is then the present one); 2 replaced, the present one
 * deleted and the new one inserted in the same transaction. */
bp_status bp_db_merge_document(bp_db *db, const void *data, size_t size,
                               int replace, int64_t *doc_id, int *merged,
                               bp_error *err);

/* Tables and cells loaded for one document. */
void bp_db_document_counts(bp_db *db, int64_t doc_id, int64_t *tables, int64_t *cells);

/* Counts for summaries: rows in the named per-document table (documents,
 * pages, doc_tables, cells, statements, checks, ingest_errors). */
int64_t bp_db_count(bp_db *db, const char *table);

#endif
