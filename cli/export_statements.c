/*
 * export_statements.c — `budgetpdf export --format jsonl|csv statements`:
 * one record per narrative statement with the fields of DESIGN.md (doc,
 * file, page, sentence, subject, value, unit, text, base_year, change,
 * percent, not_comparable) plus statement_no, components and bbox.  A
 * comparison printed as not comparable (增长--，基数为 0，不可比) is
 * exported as percent null, not_comparable true.
 * JSONL fields are null where the sentence has no such part; CSV has a header line, RFC 4180
 * quoting, empty for null, and components as their JSON text.  Called by
 * cli/export.c (it overrides the weak placeholder there).
 */
#include "cli/cli.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "load/load.h"

static void csv_field(FILE *f, const char *s)
{
    if (!s)
        return;
    if (!strpbrk(s, ",\"\r\n")) {
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

static void json_or_null(FILE *f, const char *key, const char *s, int comma)
{
    fprintf(f, "%s\"%s\":", comma ? "," : "", key);
    if (s)
        bp_cli_json_string(f, s);
    else
        fputs("null", f);
}

typedef struct export_state {
    int csv;
    int count;
} export_state;

static int statement_record(const bp_statement_record *r, void *vctx)
{
    export_state *x = vctx;
    char base_year[16] = "";
    if (r->base_year >= 0)
        snprintf(base_year, sizeof base_year, "%d", r->base_year);
    bool not_comparable = r->not_comparable != 0;
    const char *percent = r->percent;
    char bbox[128];
    snprintf(bbox, sizeof bbox, "[%.2f,%.2f,%.2f,%.2f]", r->bbox[0], r->bbox[1],
             r->bbox[2], r->bbox[3]);
    if (x->csv) {
        if (x->count == 0)
            puts("doc,file,statement_no,page,sentence,subject,value,unit,text,"
                 "base_year,change,percent,not_comparable,components,bbox");
        csv_field(stdout, r->doc);
        putchar(',');
        csv_field(stdout, r->file);
        printf(",%d,%d,", r->statement_no, r->page);
        const char *rest[] = {r->sentence, r->subject, r->value, r->unit, r->text,
                              base_year[0] ? base_year : NULL, r->change, percent,
                              not_comparable ? "true" : "false", r->components_json, bbox};
        for (size_t i = 0; i < sizeof rest / sizeof *rest; i++) {
            if (i)
                putchar(',');
            csv_field(stdout, rest[i]);
        }
        putchar('\n');
    } else {
        putchar('{');
        json_or_null(stdout, "doc", r->doc, 0);
        json_or_null(stdout, "file", r->file, 1);
        printf(",\"statement_no\":%d,\"page\":%d", r->statement_no, r->page);
        json_or_null(stdout, "sentence", r->sentence, 1);
        json_or_null(stdout, "subject", r->subject, 1);
        json_or_null(stdout, "value", r->value, 1);
        json_or_null(stdout, "unit", r->unit, 1);
        json_or_null(stdout, "text", r->text, 1);
        if (base_year[0])
            printf(",\"base_year\":%s", base_year);
        else
            fputs(",\"base_year\":null", stdout);
        json_or_null(stdout, "change", r->change, 1);
        json_or_null(stdout, "percent", percent, 1);
        printf(",\"not_comparable\":%s", not_comparable ? "true" : "false");
        printf(",\"components\":%s,\"bbox\":%s}\n", r->components_json, bbox);
    }
    x->count++;
    return 0;
}

int bp_cli_export_statements(const char *db_path, int csv)
{
    bp_db *db = NULL;
    bp_error err = {0};
    if (bp_db_open(db_path, &db, &err) != BP_OK) {
        fprintf(stderr, "budgetpdf export: %s\n", err.message);
        return BP_EXIT_USAGE;
    }
    export_state x = {csv, 0};
    bp_status st = bp_db_each_statement(db, NULL, statement_record, &x, &err);
    bp_db_close(db);
    if (st != BP_OK) {
        fprintf(stderr, "budgetpdf export: %s\n", err.message);
        return BP_EXIT_FAILED;
    }
    return BP_EXIT_OK;
}
