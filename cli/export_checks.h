/*
 * export_checks.h — the `checks` records of DESIGN.md's export contract,
 * shared by `budgetpdf export … checks` and `budgetpdf reconcile --json`.
 */
#ifndef BP_CLI_EXPORT_CHECKS_H
#define BP_CLI_EXPORT_CHECKS_H

#include <stdio.h>

#include "load/load.h"

/* Writes one check as one JSON object on one line (no newline). */
void bp_cli_check_json(FILE *out, const bp_check_record *check);

/* Writes every stored check of doc_id (0 = all documents) to out, as
 * "jsonl" (one object per line) or "csv" (a header line, then one row per
 * check; `evidence` holds the JSON list).  BP_ERR_USAGE for another
 * format. */
bp_status bp_cli_write_checks(bp_db *db, int64_t doc_id, const char *format, FILE *out,
                              bp_error *err);

/* `budgetpdf export --format jsonl|csv checks` (declared in cli/cli.h,
 * called by cli/export.c): every stored check of the database at db_path
 * to stdout; returns the exit code. */

#endif
