/*
 * tables.c — the tables stage of the ingest worker and `budgetpdf tables
 * [--db FILE] [DOC] [--table N]`, which prints recovered tables readably:
 * a caption line per table, its columns (header paths), then one line per
 * row part with its label, code, role and level and the cells by column.
 *
 * DOC selects documents by sha256 prefix, file name as ingested or id;
 * --table N picks one table (its number in the document, 1-based).
 */
#include "cli/cli.h"
#include "cli/worker.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extract/extract.h"
#include "load/load.h"
#include "patterns/patterns.h"
#include "tables/tables.h"

bp_status bp_tables_stage(bp_pdf *pdf, bp_page *const *pages, int n_pages,
                          const bp_patterns *patterns, bp_db *db, int64_t doc_id,
                          bp_error *err)
{
    bp_page_rules **rules = calloc(n_pages > 0 ? (size_t)n_pages : 1, sizeof *rules);
    if (rules == NULL)
        return bp_error_set(err, BP_ERR_NOMEM, 0, "tables: out of memory");
    for (int p = 0; p < n_pages; p++) {
        bp_error rule_err;
        if (pages[p] != NULL && bp_pdf_page_rules(pdf, p + 1, &rules[p], &rule_err) != BP_OK)
            rules[p] = NULL; /* alignment only on this page */
    }
    bp_table_set set = {0};
    bp_status rc = bp_tables_recover((const bp_page *const *)pages, (const bp_page_rules *const *)rules,
                           (size_t)n_pages, patterns, &set, err);
    if (rc == BP_OK)
        rc = bp_db_insert_tables(db, doc_id, &set, err);
    bp_table_set_free(&set);
    for (int p = 0; p < n_pages; p++)
        bp_page_rules_free(rules[p]);
    free(rules);
    return rc;
}

typedef struct show_ctx {
    bp_db *db;
    int current_row, current_part;
    bp_error err;
    int failed;
} show_ctx;

static int print_column(int column_no, const char *path, int part, int is_label, void *ctx)
{
    (void)ctx;
    printf("  col %d%s%s: %s\n", column_no, part ? " (part 2)" : "",
           is_label ? " [label]" : "", path && *path ? path : "(unnamed)");
    return 0;
}

static int print_cell(const bp_cell_record *c, void *vctx)
{
    show_ctx *ctx = vctx;
    if (c->row_no != ctx->current_row || c->part != ctx->current_part) {
        ctx->current_row = c->row_no;
        ctx->current_part = c->part;
        printf("\n  %d%s p%d", c->row_no, c->part ? "b" : "", c->page);
        if (c->role && strcmp(c->role, "item") != 0)
            printf(" <%s>", c->role);
        printf(" %*s%s", c->level * 2, "", c->row && *c->row ? c->row : "—");
        if (c->code)
            printf(" [%s]", c->code);
        printf(" |");
    }
    printf(" %d=%s", c->column_no, c->text ? c->text : "");
    return 0;
}

static int print_table(const bp_table_record *t, void *vctx)
{
    show_ctx *ctx = vctx;
    printf("%s#%d %s %s  (%s, pages %d-%d, unit %s",
           t->file ? t->file : "", t->table_no, t->table ? t->table : "(no number)",
           t->title ? t->title : "(untitled)", t->doc ? t->doc : "", t->first_page,
           t->last_page, t->unit ? t->unit : "?");
    if (t->department)
        printf(", %s", t->department);
    printf(", %d rows, %d cells)\n", t->n_rows, t->n_cells);
    if (t->empty_note)
        printf("  empty: %s\n", t->empty_note);
    if (bp_db_each_column(ctx->db, t->doc, t->table_no, print_column, ctx, &ctx->err) != BP_OK ||
        (ctx->current_row = -1, ctx->current_part = -1,
         bp_db_each_cell(ctx->db, t->doc, t->table_no, print_cell, ctx, &ctx->err)) != BP_OK) {
        ctx->failed = 1;
        return 1;
    }
    printf("\n\n");
    return 0;
}

int bp_cli_tables(int argc, char **argv, bp_cli_globals *globals)
{
    const char *doc = NULL;
    int table_no = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--db") == 0 && i + 1 < argc) {
            globals->db_path = argv[++i];
        } else if (strcmp(argv[i], "--table") == 0 && i + 1 < argc) {
            char *end;
            long v = strtol(argv[++i], &end, 10);
            if (*end != '\0' || v < 1 || v > 1000000)
                return bp_cli_usage_error("tables", "--table wants a table number (1, 2, …)");
            table_no = (int)v;
        } else if (strcmp(argv[i], "--help") == 0) {
            printf("usage: budgetpdf tables [--db FILE] [DOC] [--table N]\n");
            return BP_EXIT_OK;
        } else if (argv[i][0] == '-') {
            return bp_cli_usage_error("tables", "usage: budgetpdf tables [--db FILE] [DOC] [--table N]");
        } else if (doc == NULL) {
            doc = argv[i];
        } else {
            return bp_cli_usage_error("tables", "one document at a time");
        }
    }
    bp_db *db = NULL;
    show_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    if (bp_db_open(globals->db_path, &db, &ctx.err) != BP_OK) {
        fprintf(stderr, "budgetpdf tables: %s\n", ctx.err.message);
        return BP_EXIT_USAGE;
    }
    ctx.db = db;
    bp_status rc = bp_db_each_table(db, doc, table_no, print_table, &ctx, &ctx.err);
    bp_db_close(db);
    if (rc != BP_OK || ctx.failed) {
        fprintf(stderr, "budgetpdf tables: %s\n", ctx.err.message);
        /* a DOC that names no document, or several, is a usage error */
        return ctx.err.code == BP_ERR_USAGE ? BP_EXIT_USAGE : BP_EXIT_FAILED;
    }
    return BP_EXIT_OK;
}
