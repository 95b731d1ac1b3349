/*
 * worker.c — the parse of one document, every stage in order:
 *
 *   extract pages → (tables) → (statements, identity) → reconcile
 *   → serialized database
 *
 * Everything lands in a private in-memory database (load/), which the
 * parent merges into the real one; so a worker never writes the user's
 * database and a crash here costs nothing already loaded.  A page that
 * cannot be read becomes a page-level ingest error and the rest of the
 * document still loads; a document with no text at all (a scan) is an
 * error for the whole file.
 */
#include "cli/worker.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "extract/extract.h"
#include "patterns/patterns.h"

void bp_worker_options_default(bp_worker_options *opt)
{
    opt->patterns_dir = NULL;
    opt->max_pages = 5000;
    opt->max_page_side = 14400; /* 200 inches, the largest page PDF allows */
    opt->max_memory_mb = 2048;
    opt->max_cpu_seconds = 300;
    opt->timeout_seconds = 600;
}

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Extracts every page into pages[], then stores them all; unreadable pages
 * are recorded and left NULL, the first of them also in *first_failure, and
 * counted in *failed. */
static bp_status load_pages(bp_pdf *pdf, const char *path, bp_db *db, int64_t doc_id,
                            bp_page **pages, size_t *glyphs, int *failed,
                            bp_error *first_failure, bp_error *err)
{
    const bp_pdf_info *info = bp_pdf_get_info(pdf);
    *glyphs = 0;
    *failed = 0;
    for (int p = 1; p <= info->n_pages; p++) {
        bp_error page_err;
        if (bp_pdf_page(pdf, p, &pages[p - 1], &page_err) != BP_OK) {
            if (page_err.code == BP_ERR_NOMEM)
                return bp_error_set(err, page_err.code, p, "%s", page_err.message);
            bp_db_record_error(db, path, info->sha256, &page_err);
            if ((*failed)++ == 0)
                *first_failure = page_err;
            continue;
        }
        *glyphs += pages[p - 1]->n_glyphs;
    }
    return bp_db_insert_pages(db, doc_id, pages, (size_t)info->n_pages, err);
}

bp_status bp_worker_parse(const char *path, const bp_worker_options *opt,
                          bp_db **out, int *n_pages, bp_error *err)
{
    *out = NULL;
    *n_pages = 0;
    int64_t started = now_ms();
    bp_extract_limits limits = {opt->max_pages, opt->max_page_side};
    bp_pdf *pdf = NULL;
    bp_status rc = bp_pdf_open(path, &limits, &pdf, err);
    if (rc != BP_OK)
        return rc;
    const bp_pdf_info *info = bp_pdf_get_info(pdf);
    *n_pages = info->n_pages;

    bp_db *db = NULL;
    bp_page **pages = calloc((size_t)info->n_pages, sizeof *pages);
    int64_t doc_id = 0;
    size_t glyphs = 0;
    if (pages == NULL)
        rc = bp_error_set(err, BP_ERR_NOMEM, 0, "%s: out of memory", path);
    if (rc == BP_OK)
        rc = bp_db_open_memory(&db, err);
    if (rc == BP_OK)
        rc = bp_db_begin(db, err);
    if (rc == BP_OK)
        rc = bp_db_insert_document(db, info, path, &doc_id, err);
    int failed_pages = 0;
    bp_error first_failure;
    if (rc == BP_OK)
        rc = load_pages(pdf, path, db, doc_id, pages, &glyphs, &failed_pages, &first_failure,
                        err);
    /* No page could be read: say why, rather than guess at a scan (the
     * page-level rows go with the discarded worker database). */
    if (rc == BP_OK && failed_pages == info->n_pages)
        rc = bp_error_set(err, first_failure.code, 0, "%s%s", first_failure.message,
                          info->n_pages > 1 ? " (and no other page could be read)" : "");
    if (rc == BP_OK && glyphs == 0)
        rc = bp_error_set(err, BP_ERR_EMPTY, 0,
                          "%s: no text layer on any of its %d pages (a scan?)", path,
                          info->n_pages);

    /* ---- stages over the extracted pages -------------------------------
     * Each stage reads pages[0 .. info->n_pages) (NULL where a page failed)
     * with the patterns (built-ins + opt->patterns_dir, loaded once) and
     * stores its records for doc_id in db. */
    bp_patterns *patterns = NULL;
    if (rc == BP_OK)
        rc = bp_patterns_load(opt->patterns_dir, &patterns, err);
    if (rc == BP_OK)
        rc = bp_tables_stage(pdf, pages, info->n_pages, patterns, db, doc_id, err);
    if (rc == BP_OK) /* identity and narrative statements (patterns/, load/) */
        rc = bp_statements_stage((const bp_page *const *)pages, (size_t)info->n_pages,
                                 patterns, db, doc_id, err);
    bp_patterns_free(patterns);

    /* ---- end of stages ------------------------------------------------- */

    if (rc == BP_OK)
        rc = bp_db_set_parse_time(db, doc_id, now_ms() - started, err);
    if (rc == BP_OK)
        rc = bp_db_commit(db, err);
    char sha256[sizeof info->sha256];
    memcpy(sha256, info->sha256, sizeof sha256);
    for (int p = 0; pages && p < info->n_pages; p++)
        bp_page_free(pages[p]);
    free(pages);
    bp_pdf_close(pdf);
    if (rc != BP_OK) {
        bp_db_close(db);
        return rc;
    }
    /* Reconciled here, so a parallel ingest reconciles in parallel and the
     * checks travel with the document.  A failure costs the checks only:
     * it is recorded, and `reconcile` makes them later (rules_id NULL). */
    bp_error rules_err;
    if (bp_reconcile_document(db, doc_id, &rules_err) != BP_OK) {
        bp_error named;
        bp_error_set(&named, rules_err.code, 0, "%s: reconciling: %s", path, rules_err.message);
        bp_db_record_error(db, path, sha256, &named);
    }
    *out = db;
    return BP_OK;
}
