/*
 * worker.h — parsing one document into a private database, and running
 * that in an isolated child process with resource limits.
 */
#ifndef BP_CLI_WORKER_H
#define BP_CLI_WORKER_H

#include <stddef.h>

#include "common/error.h"
#include "load/load.h"

typedef struct bp_worker_options {
    const char *patterns_dir;   /* --patterns DIR or NULL */
    int max_pages;              /* refuse documents with more pages */
    double max_page_side;       /* points */
    long max_memory_mb;         /* address-space limit of a worker; 0 none */
    long max_cpu_seconds;       /* CPU limit of a worker; 0 none */
    long timeout_seconds;       /* wall-clock limit of a worker; 0 none */
} bp_worker_options;

void bp_worker_options_default(bp_worker_options *opt);

/* Parses the PDF at path through every stage into a new in-memory
 * database holding that one document (and any page-level errors).
 * *pages is set to its page count.  Caller closes *out. */
bp_status bp_worker_parse(const char *path, const bp_worker_options *opt,
                          bp_db **out, int *pages, bp_error *err);

/* Stage (cli/tables.c): ruling lines of each page, table recovery and
 * storing the tables of doc_id.  pages[i] may be NULL (unreadable page). */
bp_status bp_tables_stage(bp_pdf *pdf, bp_page *const *pages, int n_pages,
                          const bp_patterns *patterns, bp_db *db, int64_t doc_id,
                          bp_error *err);

#endif
