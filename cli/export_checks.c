/*
 * export_checks.c — the `checks` export (JSONL and CSV) with exactly the
 * fields of DESIGN.md's export contract: doc, file, rule, status, expected,
 * actual, difference, tolerance, unit, message, evidence.  Evidence is a
 * list of {page, table, row, column, text} for table cells and
 * {page, statement} for narrative sentences (and {page, text} for a 目录
 * line).  Decimals stay strings, exactly as stored.
 */
#include "cli/export_checks.h"

#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

static void json_field(FILE *out, const char *name, const char *value, int *first)
{
    if (!*first)
        fputc(',', out);
    *first = 0;
    bp_cli_json_string(out, name);
    fputc(':', out);
    if (value)
        bp_cli_json_string(out, value);
    else
        fputs("null", out);
}

static void json_evidence(FILE *out, const bp_check_record *c)
{
    fputc('[', out);
    for (size_t i = 0; i < c->n_operands; i++) {
        const bp_check_operand *o = &c->operands[i];
        if (i)
            fputc(',', out);
        fputc('{', out);
        if (o->page > 0)
            fprintf(out, "\"page\":%d", o->page);
        else
            fputs("\"page\":null", out);
        int first = 0;
        if (o->statement_no > 0) {
            json_field(out, "statement", o->statement, &first);
        } else if (o->table_no > 0) {
            json_field(out, "table", o->table, &first);
            json_field(out, "row", o->row, &first);
            json_field(out, "column", o->column, &first);
            json_field(out, "text", o->text, &first);
        } else {
            json_field(out, "text", o->text, &first);
        }
        fputc('}', out);
    }
    fputc(']', out);
}

void bp_cli_check_json(FILE *out, const bp_check_record *c)
{
    int first = 1;
    fputc('{', out);
    json_field(out, "doc", c->sha256, &first);
    json_field(out, "file", c->file, &first);
    json_field(out, "rule", c->rule, &first);
    json_field(out, "status", c->status, &first);
    json_field(out, "expected", c->expected, &first);
    json_field(out, "actual", c->actual, &first);
    json_field(out, "difference", c->difference, &first);
    json_field(out, "tolerance", c->tolerance, &first);
    json_field(out, "unit", c->unit, &first);
    json_field(out, "message", c->message, &first);
    fputs(",\"evidence\":", out);
    json_evidence(out, c);
    fputc('}', out);
}

/* RFC 4180 field: quoted when it holds a comma, quote or line break. */
static void csv_field(FILE *out, const char *s)
{
    if (s == NULL)
        return;
    if (strpbrk(s, ",\"\r\n") == NULL) {
        fputs(s, out);
        return;
    }
    fputc('"', out);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', out);
        fputc(*s, out);
    }
    fputc('"', out);
}

typedef struct export_ctx {
    FILE *out;
    int csv;
} export_ctx;

static int export_one(void *ctx, const bp_check_record *c)
{
    export_ctx *x = ctx;
    if (!x->csv) {
        bp_cli_check_json(x->out, c);
        fputc('\n', x->out);
        return 0;
    }
    const char *fields[] = {c->sha256, c->file, c->rule, c->status, c->expected, c->actual,
                            c->difference, c->tolerance, c->unit, c->message};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        csv_field(x->out, fields[i]);
        fputc(',', x->out);
    }
    char *buf = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&buf, &len);
    if (mem) {
        json_evidence(mem, c);
        fclose(mem);
        csv_field(x->out, buf);
        free(buf);
    }
    fputs("\r\n", x->out);
    return 0;
}

bp_status bp_cli_write_checks(bp_db *db, int64_t doc_id, const char *format, FILE *out,
                              bp_error *err)
{
    export_ctx x = {out, 0};
    if (strcmp(format, "csv") == 0) {
        x.csv = 1;
        fputs("doc,file,rule,status,expected,actual,difference,tolerance,unit,message,evidence\r\n",
              out);
    } else if (strcmp(format, "jsonl") != 0) {
        return bp_error_set(err, BP_ERR_USAGE, 0, "unknown export format '%s' (jsonl or csv)",
                            format);
    }
    return bp_db_each_check(db, doc_id, 0, export_one, &x, err);
}

int bp_cli_export_checks(const char *db_path, int csv)
{
    bp_db *db = NULL;
    bp_error err;
    bp_error_clear(&err);
    if (bp_db_open(db_path, &db, &err) != BP_OK) {
        fprintf(stderr, "budgetpdf export: %s\n", err.message);
        return BP_EXIT_USAGE;
    }
    bp_status st = bp_cli_write_checks(db, 0, csv ? "csv" : "jsonl", stdout, &err);
    bp_db_close(db);
    if (st != BP_OK) {
        fprintf(stderr, "budgetpdf export: %s\n", err.message);
        return BP_EXIT_USAGE;
    }
    return fflush(stdout) == 0 ? BP_EXIT_OK : BP_EXIT_FAILED;
}
