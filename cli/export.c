/*
 * export.c — `budgetpdf export [--db FILE] --format jsonl|csv TYPE` with
 * TYPE one of documents, tables, cells, statements, checks.
 *
 * JSONL is one object per line with the fields of the export contract in
 * DESIGN.md (cells: doc, file, table, title, unit, page, row, code,
 * column, text, value, bbox); CSV has a header line and the same fields in
 * the same order, quoted per RFC 4180, bbox as "[x0,y0,x1,y1]".  Values are
 * the exact decimal strings stored, null/empty when the cell holds no
 * number.  statements and checks are written by their own modules; until
 * those exist the weak placeholders here report it with exit 2.
 */
#include "cli/cli.h"

#include <stdio.h>
#include <string.h>

#include "load/load.h"

typedef enum field_kind { F_STR, F_INT, F_BBOX } field_kind;

typedef struct field {
    const char *name;
    field_kind kind;
    const char *s;   /* F_STR (NULL → null) */
    long long i;     /* F_INT; F_INT with is_null → null */
    int is_null;
    const double *bbox;
} field;

static void csv_string(FILE *f, const char *s)
{
    if (s == NULL)
        return;
    if (strpbrk(s, ",\"\n\r") == NULL) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

static void write_record(FILE *f, int csv, const field *fields, size_t n)
{
    if (!csv)
        fputc('{', f);
    for (size_t i = 0; i < n; i++) {
        const field *x = &fields[i];
        if (i > 0)
            fputc(',', f);
        if (!csv) {
            bp_cli_json_string(f, x->name);
            fputc(':', f);
        }
        switch (x->kind) {
        case F_STR:
            if (csv)
                csv_string(f, x->s);
            else if (x->s == NULL)
                fputs("null", f);
            else
                bp_cli_json_string(f, x->s);
            break;
        case F_INT:
            if (x->is_null)
                fputs(csv ? "" : "null", f);
            else
                fprintf(f, "%lld", x->i);
            break;
        case F_BBOX:
            fprintf(f, csv ? "\"[%.2f,%.2f,%.2f,%.2f]\"" : "[%.2f,%.2f,%.2f,%.2f]",
                    x->bbox[0], x->bbox[1], x->bbox[2], x->bbox[3]);
            break;
        }
    }
    fputs(csv ? "\n" : "}\n", f);
}

static void write_header(FILE *f, const field *fields, size_t n)
{
    for (size_t i = 0; i < n; i++)
        fprintf(f, "%s%s", i ? "," : "", fields[i].name);
    fputc('\n', f);
}

typedef struct export_ctx {
    int csv;
    int header_done;
} export_ctx;

#define S(name, v) {name, F_STR, (v), 0, 0, NULL}
#define I(name, v) {name, F_INT, NULL, (long long)(v), 0, NULL}
#define IN(name, v, null) {name, F_INT, NULL, (long long)(v), (null), NULL}

static void emit(export_ctx *ctx, const field *fields, size_t n)
{
    if (ctx->csv && !ctx->header_done) {
        write_header(stdout, fields, n);
        ctx->header_done = 1;
    }
    write_record(stdout, ctx->csv, fields, n);
}

static int cell_record(const bp_cell_record *c, void *vctx)
{
    field f[] = {
        S("doc", c->doc), S("file", c->file), S("table", c->table), S("title", c->title),
        S("unit", c->unit), I("page", c->page), S("row", c->row), S("code", c->code),
        S("column", c->column), S("text", c->text), S("value", c->value),
        {"bbox", F_BBOX, NULL, 0, 0, c->bbox},
    };
    emit(vctx, f, sizeof f / sizeof f[0]);
    return 0;
}

static int table_record(const bp_table_record *t, void *vctx)
{
    field f[] = {
        S("doc", t->doc), S("file", t->file), I("table_no", t->table_no),
        S("table", t->table), S("title", t->title), S("unit", t->unit),
        S("department", t->department), I("first_page", t->first_page),
        I("last_page", t->last_page), S("empty_note", t->empty_note),
        I("columns", t->n_columns), I("rows", t->n_rows), I("cells", t->n_cells),
    };
    emit(vctx, f, sizeof f / sizeof f[0]);
    return 0;
}

static int document_record(const bp_document_record *d, void *vctx)
{
    field f[] = {
        S("doc", d->doc), S("file", d->file), I("file_size", d->file_size),
        I("pages", d->pages), S("producer", d->producer), S("creator", d->creator),
        S("title", d->title), S("pdf_version", d->pdf_version),
        IN("fiscal_year", d->fiscal_year, d->fiscal_year < 0), S("issuer", d->issuer),
        S("kind", d->kind), S("level", d->level), S("ingested_at", d->ingested_at),
        IN("parse_ms", d->parse_ms, d->parse_ms < 0), I("tables", d->n_tables),
        I("cells", d->n_cells),
    };
    emit(vctx, f, sizeof f / sizeof f[0]);
    return 0;
}

__attribute__((weak)) int bp_cli_export_statements(const char *db_path, int csv)
{
    (void)db_path;
    (void)csv;
    fprintf(stderr, "budgetpdf export: statements are not available yet\n");
    return BP_EXIT_USAGE;
}

__attribute__((weak)) int bp_cli_export_checks(const char *db_path, int csv)
{
    (void)db_path;
    (void)csv;
    fprintf(stderr, "budgetpdf export: checks are not available yet\n");
    return BP_EXIT_USAGE;
}

static const char usage[] =
    "usage: budgetpdf export [--db FILE] --format jsonl|csv "
    "documents|tables|cells|statements|checks";

int bp_cli_export(int argc, char **argv, bp_cli_globals *globals)
{
    const char *format = NULL, *type = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--db") == 0 && i + 1 < argc)
            globals->db_path = argv[++i];
        else if (strcmp(argv[i], "--format") == 0 && i + 1 < argc)
            format = argv[++i];
        else if (strncmp(argv[i], "--format=", 9) == 0)
            format = argv[i] + 9;
        else if (strcmp(argv[i], "--help") == 0) {
            printf("%s\n", usage);
            return BP_EXIT_OK;
        } else if (argv[i][0] == '-' || type != NULL)
            return bp_cli_usage_error("export", usage);
        else
            type = argv[i];
    }
    if (format == NULL || type == NULL)
        return bp_cli_usage_error("export", usage);
    int csv;
    if (strcmp(format, "csv") == 0)
        csv = 1;
    else if (strcmp(format, "jsonl") == 0)
        csv = 0;
    else
        return bp_cli_usage_error("export", "--format is jsonl or csv");

    if (strcmp(type, "statements") == 0)
        return bp_cli_export_statements(globals->db_path, csv);
    if (strcmp(type, "checks") == 0)
        return bp_cli_export_checks(globals->db_path, csv);
    if (strcmp(type, "documents") != 0 && strcmp(type, "tables") != 0 &&
        strcmp(type, "cells") != 0)
        return bp_cli_usage_error("export", usage);

    bp_error err;
    bp_db *db = NULL;
    if (bp_db_open(globals->db_path, &db, &err) != BP_OK) {
        fprintf(stderr, "budgetpdf export: %s\n", err.message);
        return BP_EXIT_USAGE;
    }
    export_ctx ctx = {csv, 0};
    bp_status rc;
    if (strcmp(type, "documents") == 0)
        rc = bp_db_each_document(db, NULL, document_record, &ctx, &err);
    else if (strcmp(type, "tables") == 0)
        rc = bp_db_each_table(db, NULL, 0, table_record, &ctx, &err);
    else
        rc = bp_db_each_cell(db, NULL, 0, cell_record, &ctx, &err);
    bp_db_close(db);
    if (fflush(stdout) != 0 || rc != BP_OK) {
        fprintf(stderr, "budgetpdf export: %s\n", rc != BP_OK ? err.message : "write error");
        return BP_EXIT_FAILED;
    }
    return BP_EXIT_OK;
}
