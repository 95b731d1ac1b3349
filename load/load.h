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

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/error.h"
#include "extract/extract.h"

typedef struct bp_db bp_db;

/* Opens (creating if needed) the database at path, sets WAL mode, foreign
 * keys and a busy timeout, and applies missing migrations.  A database with
 * a newer schema than this binary is refused with BP_ERR_DB. */
bp_status bp_db_open(const char *path, bp_db **out, bp_error *err);

/* A private in-memory database with the same schema (for workers).  It
 * keeps no rollback journal: a worker's database is discarded whole when
 * its parse fails, never rolled back. */
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

/* Inserts a row for each page and rows for its text lines; pages[i] may be
 * NULL (a page that could not be read). */
bp_status bp_db_insert_pages(bp_db *db, int64_t doc_id, bp_page *const *pages,
                             size_t n_pages, bp_error *err);

/* Records an ingest error (file, sha256 may be NULL).  Runs in its own
 * statement; never fails loudly (an error table that cannot be written is
 * reported on stderr). */
void bp_db_record_error(bp_db *db, const char *file, const char *sha256,
                        const bp_error *error);

/* Serializes a whole (in-memory) database; free *data with
 * bp_db_serialized_free(). */
bp_status bp_db_serialize(bp_db *db, void **data, size_t *size, bp_error *err);
void bp_db_serialized_free(void *data);

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

/* ---- report: what the evidence report reads ------------------------------ */

typedef struct bp_report_document {
    int64_t id;
    char sha256[65];
    char *file, *title, *issuer, *kind, *level; /* NULL when unknown */
    int fiscal_year;                            /* 0 when unknown */
    int pages;
    int64_t tables, cells, statements;
    int64_t checks_by_status[4];                /* ok, rounding, mismatch, unverifiable */
} bp_report_document;

typedef struct bp_report_operand {
    int page;                    /* 0 when unknown */
    char *where;                 /* "表1 收支总表 / 一、政府预算拨款 / 2022年预算数" or the sentence */
    char *text;                  /* as printed */
    bp_box box;                  /* on `page`; all zero when unknown */
} bp_report_operand;

typedef struct bp_report_check {
    int check_no;
    char *rule, *status, *expected, *actual, *difference, *tolerance, *unit;
    char *message, *message_en;
    bp_report_operand *operands;
    size_t n_operands;
} bp_report_check;

enum { BP_STATUS_OK, BP_STATUS_ROUNDING, BP_STATUS_MISMATCH, BP_STATUS_UNVERIFIABLE };

/* Summary of one document.  Free with bp_report_document_clear(). */
bp_status bp_report_document_get(bp_db *db, int64_t doc_id, bp_report_document *out,
                                 bp_error *err);
void bp_report_document_clear(bp_report_document *doc);

/* The document's checks whose status is mismatch or rounding (mismatches
 * first, then by rule and number), with their operands and boxes.  Free
 * with bp_report_checks_free(). */
bp_status bp_report_checks_get(bp_db *db, int64_t doc_id, bp_report_check **out,
                               size_t *n_out, bp_error *err);
void bp_report_checks_free(bp_report_check *checks, size_t n);

/* ---- tables (load/store_tables.c) -------------------------------------
 * Storing recovered tables (tables/tables.h) and reading them back for
 * `budgetpdf tables` and the tables/cells/documents exports. */
struct bp_table_set;

/* Inserts every table of set for doc_id: doc_tables, table_columns,
 * table_rows and cells (values as exact decimal strings). */
bp_status bp_db_insert_tables(bp_db *db, int64_t doc_id,
                              const struct bp_table_set *set, bp_error *err);

/* One exported cell, borrowed for the duration of the callback.  Strings
 * may be NULL (code, value, table label, title, unit). */
typedef struct bp_cell_record {
    const char *doc, *file;       /* sha256 and file as ingested */
    int table_no;
    const char *table, *title, *unit;
    int page;
    int row_no, column_no, part;
    const char *row, *code, *column, *text, *value;
    int precision;                /* -1 when value is NULL */
    double bbox[4];
    const char *role;             /* row role */
    int level;
} bp_cell_record;

/* One exported table. */
typedef struct bp_table_record {
    const char *doc, *file;
    int table_no;
    const char *table, *title, *unit, *department, *empty_note;
    int first_page, last_page;
    int n_columns, n_rows, n_cells;
} bp_table_record;

/* One document row; NULL strings where unknown. */
typedef struct bp_document_record {
    int64_t id;
    const char *doc, *file, *producer, *creator, *title, *pdf_version;
    const char *issuer, *kind, *level, *ingested_at;
    int64_t file_size, fiscal_year, parse_ms; /* fiscal_year/parse_ms: -1 if NULL */
    int pages;
    int64_t n_tables, n_cells;
} bp_document_record;

/* Visitors return 0 to go on, non-zero to stop early. */
typedef int (*bp_cell_visitor)(const bp_cell_record *cell, void *ctx);
typedef int (*bp_table_visitor)(const bp_table_record *table, void *ctx);
typedef int (*bp_document_visitor)(const bp_document_record *doc, void *ctx);

/* Iterates in document, table, row, column order.  doc names one document
 * as bp_db_resolve_documents() reads it (sha256 prefix, file name as
 * ingested, id; NULL: all); table_no 0 means all tables.  BP_ERR_USAGE when
 * doc names no document or several, BP_ERR_DB on SQLite errors. */
bp_status bp_db_each_cell(bp_db *db, const char *doc, int table_no,
                          bp_cell_visitor fn, void *ctx, bp_error *err);
bp_status bp_db_each_table(bp_db *db, const char *doc, int table_no,
                           bp_table_visitor fn, void *ctx, bp_error *err);
bp_status bp_db_each_document(bp_db *db, const char *doc,
                              bp_document_visitor fn, void *ctx, bp_error *err);

/* Column paths of one table in column order (each via fn(path, part,
 * is_label, ctx)). */
bp_status bp_db_each_column(bp_db *db, const char *doc, int table_no,
                            int (*fn)(int column_no, const char *path, int part,
                                      int is_label, void *ctx),
                            void *ctx, bp_error *err);

/* ---- statements and identity (load/store_statements.c) ---------------- */
#include "patterns/patterns.h"

/* Sets documents.fiscal_year, issuer, kind and level (NULL when unknown). */
bp_status bp_db_set_identity(bp_db *db, int64_t doc_id, const bp_identity *identity,
                             bp_error *err);

/* Inserts the statements (numbered 1.. in list order) and their components. */
bp_status bp_db_insert_statements(bp_db *db, int64_t doc_id,
                                  const bp_statement_list *list, bp_error *err);

/* The ingest stage: reads the identity and statements of the pages
 * (pages[i] may be NULL) with patterns and stores them for doc_id. */
bp_status bp_statements_stage(const bp_page *const *pages, size_t n_pages,
                              const bp_patterns *patterns, bp_db *db, int64_t doc_id,
                              bp_error *err);

/* One stored statement as read back for exports; strings borrowed for the
 * duration of the visitor call.  base_year −1 when NULL. */
typedef struct bp_statement_record {
    const char *doc, *file, *sentence, *subject, *text, *value, *unit;
    const char *change, *percent;
    const char *components_json; /* [{"subject","text","value","unit"}…] */
    int statement_no, page, base_year;
    int not_comparable;          /* 增长--（基数为 0，不可比） */
    double bbox[4];
} bp_statement_record;

typedef int (*bp_statement_visitor)(const bp_statement_record *s, void *ctx);

/* Iterates statements in document and reading order; doc names one
 * document as for bp_db_each_cell (NULL: all). */
bp_status bp_db_each_statement(bp_db *db, const char *doc, bp_statement_visitor fn,
                               void *ctx, bp_error *err);

/* ------------------------------------------------------------------ */
/* reconciliation (load/reconcile*.c, load/rules_*.c; docs/reconcile.md) */
/* ------------------------------------------------------------------ */

/* Runs every reconciliation rule over one loaded document and replaces its
 * checks (and their operands) in one transaction.  Re-running gives the
 * same checks.  BP_ERR_USAGE when doc_id is not loaded. */
bp_status bp_reconcile_document(bp_db *db, int64_t doc_id, bp_error *err);

/* The identity of this build's rules: a hash of the sources that decide
 * what reconciliation finds (generated by load/rules_id.cmake).
 * bp_reconcile_document stores it in documents.rules_id with the checks. */
const char *bp_rules_id(void);

/* Stores bp_rules_id() as the maker of doc_id's checks (load/reconciled.c). */
bp_status bp_db_set_rules_id(bp_db *db, int64_t doc_id, bp_error *err);

/* Whether doc_id's stored checks were made by this build's rules: false
 * when they were made by another build, or never. */
bp_status bp_db_checks_current(bp_db *db, int64_t doc_id, bool *current, bp_error *err);

/* Runs literal SQL (tests and tooling only: never with outside text). */
bp_status bp_db_exec_sql(bp_db *db, const char *sql, bp_error *err);

/* The documents named by specs (a sha256 prefix of at least 4 hex digits,
 * a file name / path as ingested, or the id; n_specs == 0 means all), in id
 * order.  The one resolver of DOC arguments: every command and visitor
 * that takes a DOC goes through it.  *ids is malloc'ed (caller frees).  A spec that names no document, or
 * more than one, is BP_ERR_USAGE with the spec in the message. */
bp_status bp_db_resolve_documents(bp_db *db, const char *const *specs, size_t n_specs,
                                  int64_t **ids, size_t *n_ids, bp_error *err);

/* One operand of a check as stored, with the names a reader needs. */
typedef struct bp_check_operand {
    int page;                     /* 0 when unknown */
    int table_no, row_no, column_no, statement_no;   /* 0 when not applicable */
    const char *table;            /* 表1 (label, else title), or NULL */
    const char *title;            /* table title, or NULL */
    const char *row;              /* row label, or NULL */
    const char *column;           /* column path, or NULL */
    const char *statement;        /* the sentence, or NULL */
    const char *text;             /* the figure as printed */
    const char *value;            /* exact decimal, or NULL */
} bp_check_operand;

typedef struct bp_check_record {
    int64_t doc_id;
    const char *sha256, *file;
    int check_no;
    const char *rule, *status;
    const char *expected, *actual, *difference, *tolerance, *unit;  /* may be NULL */
    const char *message, *message_en;
    const bp_check_operand *operands;
    size_t n_operands;
} bp_check_record;

/* Called once per check; everything is borrowed for the call only.
 * Return non-zero to stop. */
typedef int (*bp_check_fn)(void *ctx, const bp_check_record *check);

/* Visits the stored checks of doc_id (0 = every document), by document,
 * mismatches first when mismatches_first is set (then unverifiable,
 * rounding, ok), else in check order. */
bp_status bp_db_each_check(bp_db *db, int64_t doc_id, int mismatches_first,
                           bp_check_fn fn, void *ctx, bp_error *err);

/* Counts of stored checks of doc_id per status. */
typedef struct bp_check_counts {
    int64_t ok, rounding, mismatch, unverifiable;
} bp_check_counts;
bp_status bp_db_check_counts(bp_db *db, int64_t doc_id, bp_check_counts *counts,
                             bp_error *err);

/* The file name (as ingested) and sha256 of doc_id, for headings; empty
 * strings when there is no such document. */
bp_status bp_db_document_name(bp_db *db, int64_t doc_id, char *file, size_t file_size,
                              char *sha256, size_t sha_size, bp_error *err);

#endif
