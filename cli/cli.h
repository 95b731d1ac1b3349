/*
 * cli.h — the subcommands of the `budgetpdf` command and what they share:
 * global options parsed before the subcommand and the exit codes of
 * DESIGN.md (0 success, 1 done but something failed, 2 usage or fatal).
 */
#ifndef BP_CLI_H
#define BP_CLI_H

enum { BP_EXIT_OK = 0, BP_EXIT_FAILED = 1, BP_EXIT_USAGE = 2 };

typedef struct bp_cli_globals {
    const char *db_path;       /* --db FILE, default "budget.sqlite" */
    const char *patterns_dir;  /* --patterns DIR, may be NULL */
} bp_cli_globals;

/* Each subcommand gets argv after its own name (argv[0] is the name). */
typedef int (*bp_cli_command_fn)(int argc, char **argv, bp_cli_globals *globals);

int bp_cli_text(int argc, char **argv, bp_cli_globals *globals);
int bp_cli_ingest(int argc, char **argv, bp_cli_globals *globals);
int bp_cli_number(int argc, char **argv, bp_cli_globals *globals);
int bp_cli_tables(int argc, char **argv, bp_cli_globals *globals);
int bp_cli_export(int argc, char **argv, bp_cli_globals *globals);
int bp_cli_reconcile(int argc, char **argv, bp_cli_globals *globals);
int bp_cli_report(int argc, char **argv, bp_cli_globals *globals);

/* Prints "budgetpdf <command>: <message>" to stderr and returns
 * BP_EXIT_USAGE. */
int bp_cli_usage_error(const char *command, const char *message);

/* `budgetpdf export` record types provided outside export.c: statements
 * (cli/export_statements.c) and checks.  They write the records of the
 * database at db_path to stdout, as CSV when csv is non-zero, else JSONL,
 * and return an exit code.  export.c holds weak placeholders that say
 * "not available yet" (exit 2) until the real ones are linked in. */
int bp_cli_export_statements(const char *db_path, int csv);
int bp_cli_export_checks(const char *db_path, int csv);

/* Writes s as a JSON string literal (with quotes) to f. */
#include <stdio.h>
void bp_cli_json_string(FILE *f, const char *s);

#endif
