/*
 * reconcile.c — `budgetpdf reconcile [--db FILE] [--json] [--all] [--rerun]
 * [DOC...]`: reports, per document (a sha256 prefix or a file name; all
 * when none is named), the checks of the reconciliation rules — mismatches
 * first, with printed figures, pages, rule and the one-line explanation in
 * Chinese and English — then the counts per status.  Ingest already ran the
 * rules; they are run again for a document whose checks another build of
 * the rules made (or none did), and for every named document with --rerun.
 * --all lists every check, not only mismatches; --json prints the check
 * records of the export contract instead, one per line.
 *
 * Exit: 0 no mismatch, 1 at least one mismatch (or a document failed),
 * 2 usage or fatal error.
 */
#include "cli/cli.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/export_checks.h"
#include "load/load.h"

typedef struct list_ctx {
    int json;
    int all;
    int rerun;
    int64_t current_doc;
    int header_done;
} list_ctx;

/* Bytes of s that fit in max_bytes without cutting a UTF-8 character. */
static int utf8_prefix(const char *s, int max_bytes)
{
    int n = 0;
    while (s[n] && n < max_bytes)
        n++;
    if (s[n] == '\0')
        return n;
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--; /* back off to the start of the character that did not fit */
    return n;
}

static void print_evidence(const bp_check_record *c)
{
    for (size_t i = 0; i < c->n_operands; i++) {
        const bp_check_operand *o = &c->operands[i];
        printf("      ");
        if (o->page > 0)
            printf("p%d ", o->page);
        if (o->statement_no > 0) {
            const char *sentence = o->statement ? o->statement : "";
            int n = utf8_prefix(sentence, 60);
            printf("text: %.*s%s ", n, sentence, sentence[n] ? "…" : "");
        }
        else if (o->table_no > 0)
            printf("%s 「%s」 [%s] ", o->table ? o->table : "table", o->row ? o->row : "",
                   o->column ? o->column : "");
        printf("%s\n", o->text && o->text[0] ? o->text : "(blank)");
    }
}

static int list_one(void *ctx, const bp_check_record *c)
{
    list_ctx *x = ctx;
    if (x->json) {
        bp_cli_check_json(stdout, c);
        putchar('\n');
        return 0;
    }
    if (!x->header_done) {
        printf("== %s (%.12s) ==\n", c->file ? c->file : "", c->sha256 ? c->sha256 : "");
        x->header_done = 1;
    }
    if (!x->all && strcmp(c->status, "mismatch") != 0)
        return 1; /* mismatches come first: none of the rest is listed */
    printf("  %-12s %-16s %s\n", c->status, c->rule, c->message ? c->message : "");
    printf("  %-12s %-16s %s\n", "", "", c->message_en ? c->message_en : "");
    print_evidence(c);
    return 0;
}

static void usage(FILE *f)
{
    fprintf(f, "usage: budgetpdf reconcile [--db FILE] [--json] [--all] [--rerun] [DOC...]\n"
               "  DOC   a sha256 prefix or a file name of an ingested document (default: all)\n"
               "  --json  print the check records (export contract), one JSON object per line\n"
               "  --all   list every check, not only the mismatches\n"
               "  --rerun run the rules again even where this build's rules made the checks\n"
               "Exit: 0 no mismatch, 1 a mismatch was found, 2 usage or fatal error.\n");
}

int bp_cli_reconcile(int argc, char **argv, bp_cli_globals *globals)
{
    list_ctx x = {0, 0, 0, 0, 0};
    const char **specs = calloc((size_t)argc + 1, sizeof *specs);
    size_t n_specs = 0;
    if (!specs)
        return BP_EXIT_USAGE;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0) {
            x.json = 1;
        } else if (strcmp(argv[i], "--all") == 0) {
            x.all = 1;
        } else if (strcmp(argv[i], "--rerun") == 0) {
            x.rerun = 1;
        } else if (strcmp(argv[i], "--db") == 0 && i + 1 < argc) {
            globals->db_path = argv[++i];
        } else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage(stdout);
            free(specs);
            return BP_EXIT_OK;
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            free(specs);
            usage(stderr);
            return bp_cli_usage_error("reconcile", "unknown option");
        } else {
            specs[n_specs++] = argv[i];
        }
    }
    bp_db *db = NULL;
    bp_error err;
    bp_error_clear(&err);
    if (bp_db_open(globals->db_path, &db, &err) != BP_OK) {
        fprintf(stderr, "budgetpdf reconcile: %s\n", err.message);
        free(specs);
        return BP_EXIT_USAGE;
    }
    int64_t *ids = NULL;
    size_t n_ids = 0;
    if (bp_db_resolve_documents(db, specs, n_specs, &ids, &n_ids, &err) != BP_OK) {
        fprintf(stderr, "budgetpdf reconcile: %s\n", err.message);
        bp_db_close(db);
        free(specs);
        return BP_EXIT_USAGE;
    }
    free(specs);
    int exit_code = BP_EXIT_OK;
    bp_check_counts total = {0, 0, 0, 0};
    for (size_t i = 0; i < n_ids; i++) {
        bool current = false;
        if (!x.rerun && bp_db_checks_current(db, ids[i], &current, &err) != BP_OK) {
            fprintf(stderr, "budgetpdf reconcile: %s\n", err.message);
            exit_code = BP_EXIT_FAILED;
            continue;
        }
        if (!current && bp_reconcile_document(db, ids[i], &err) != BP_OK) {
            fprintf(stderr, "budgetpdf reconcile: document %lld: %s\n", (long long)ids[i],
                    err.message);
            exit_code = BP_EXIT_FAILED;
            continue;
        }
        bp_check_counts counts;
        if (bp_db_check_counts(db, ids[i], &counts, &err) != BP_OK) {
            fprintf(stderr, "budgetpdf reconcile: %s\n", err.message);
            exit_code = BP_EXIT_FAILED;
            continue;
        }
        x.current_doc = ids[i];
        x.header_done = 0;
        if (bp_db_each_check(db, ids[i], 1, list_one, &x, &err) != BP_OK) {
            fprintf(stderr, "budgetpdf reconcile: %s\n", err.message);
            exit_code = BP_EXIT_FAILED;
        }
        if (!x.json && !x.header_done) {
            char file[1024], sha[72];
            if (bp_db_document_name(db, ids[i], file, sizeof file, sha, sizeof sha, &err) ==
                    BP_OK &&
                file[0])
                printf("== %s (%.12s) ==\n", file, sha);
            else
                printf("== document %lld ==\n", (long long)ids[i]);
        }
        if (!x.json)
            printf("  checks: %lld ok, %lld rounding, %lld mismatch, %lld unverifiable\n",
                   (long long)counts.ok, (long long)counts.rounding, (long long)counts.mismatch,
                   (long long)counts.unverifiable);
        total.ok += counts.ok;
        total.rounding += counts.rounding;
        total.mismatch += counts.mismatch;
        total.unverifiable += counts.unverifiable;
    }
    if (!x.json && n_ids > 1)
        printf("total: %zu documents, %lld ok, %lld rounding, %lld mismatch, %lld unverifiable\n",
               n_ids, (long long)total.ok, (long long)total.rounding, (long long)total.mismatch,
               (long long)total.unverifiable);
    if (total.mismatch > 0 && exit_code == BP_EXIT_OK)
        exit_code = BP_EXIT_FAILED;
    free(ids);
    bp_db_close(db);
    return exit_code;
}
