/*
 * main.c — `budgetpdf`: global options, then dispatch to a subcommand from
 * a table of {name, function, help} (bsdtar's mode switch).  Usage errors
 * go to stderr with exit 2; `--help` goes to stdout with exit 0.
 */
#include "cli/cli.h"

#include <stdio.h>
#include <string.h>

#ifndef BP_VERSION
#define BP_VERSION "dev"
#endif

typedef struct command {
    const char *name;
    bp_cli_command_fn run;
    const char *help;
} command;

static const command commands[] = {
    {"ingest", bp_cli_ingest, "ingest [--db FILE] [-j N] [--force] PATH...  load PDFs (files or folders)"},
    {"reconcile", bp_cli_reconcile, "reconcile [--db FILE] [--json] [DOC...]      list checks"},
    {"tables", bp_cli_tables, "tables [--db FILE] [DOC] [--table ID]        show recovered tables"},
    {"export", bp_cli_export, "export [--db FILE] --format jsonl|csv documents|tables|cells|statements|checks"},
    {"report", bp_cli_report, "report [--db FILE] --html DIR [DOC...]       evidence report for people"},
    {"text", bp_cli_text, "text [--bbox] FILE.pdf                       print what extract sees"},
    {"number", bp_cli_number, "number TEXT...                               parse figures, one JSON line each"},
};

static void print_help(FILE *f)
{
    fprintf(f, "usage: budgetpdf [--db FILE] [--patterns DIR] COMMAND [ARGS]\n\n"
               "Chinese government budget disclosures (PDF) into SQLite, with checks\n"
               "that the published totals add up.\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(f, "  %s\n", commands[i].help);
    fprintf(f, "\nExit codes: 0 success, 1 done but something failed, 2 usage or fatal error.\n");
}

int bp_cli_usage_error(const char *cmd, const char *message)
{
    fprintf(stderr, "budgetpdf %s: %s\n", cmd, message);
    return BP_EXIT_USAGE;
}

void bp_cli_json_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)s; p && *p; p++) {
        switch (*p) {
        case '"': fputs("\\\"", f); break;
        case '\\': fputs("\\\\", f); break;
        case '\n': fputs("\\n", f); break;
        case '\r': fputs("\\r", f); break;
        case '\t': fputs("\\t", f); break;
        default:
            if (*p < 0x20)
                fprintf(f, "\\u%04x", *p);
            else
                fputc(*p, f);
        }
    }
    fputc('"', f);
}

int main(int argc, char **argv)
{
    bp_cli_globals globals = {"budget.sqlite", NULL};
    int i = 1;
    /* Global options may come before the command; commands accept them too. */
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            print_help(stdout);
            return BP_EXIT_OK;
        } else if (strcmp(argv[i], "--version") == 0) {
            printf("budgetpdf %s\n", BP_VERSION);
            return BP_EXIT_OK;
        } else if (strcmp(argv[i], "--db") == 0 && i + 1 < argc) {
            globals.db_path = argv[++i];
        } else if (strcmp(argv[i], "--patterns") == 0 && i + 1 < argc) {
            globals.patterns_dir = argv[++i];
        } else {
            fprintf(stderr, "budgetpdf: unknown option %s (try --help)\n", argv[i]);
            return BP_EXIT_USAGE;
        }
    }
    if (i >= argc) {
        print_help(stderr);
        return BP_EXIT_USAGE;
    }
    for (size_t c = 0; c < sizeof commands / sizeof commands[0]; c++)
        if (strcmp(argv[i], commands[c].name) == 0)
            return commands[c].run(argc - i, argv + i, &globals);
    fprintf(stderr, "budgetpdf: unknown command '%s' (try --help)\n", argv[i]);
    return BP_EXIT_USAGE;
}
