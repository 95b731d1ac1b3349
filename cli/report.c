/*
 * report.c — `budgetpdf report [--db FILE] --html DIR [DOC...]`: a static
 * site for people, readable offline with no server.
 *
 *   DIR/index.html        documents (year, issuer, kind, counts per status),
 *                         worst first
 *   DIR/<sha12>.html      one page per document: every mismatch, then every
 *                         rounding case, with rule, printed figures,
 *                         difference, tolerance, the explanation in Chinese
 *                         and English, each operand's place, and evidence
 *   DIR/img/<sha12>-<check>-<n>.png
 *                         the page region around the operands, rendered
 *                         from the PDF with the operands outlined
 *
 * Every string taken from a PDF or the database is HTML-escaped.  When the
 * PDF is no longer at the path it was ingested from, the report says so in
 * place of the images; the findings are still listed.
 */
#include "cli/cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "extract/extract.h"
#include "load/load.h"

#define EVIDENCE_SCALE 1.6      /* pixels per point */
#define EVIDENCE_MARGIN 36.0    /* points above and below the operands */
#define EVIDENCE_MAX_SPAN 420.0 /* taller than this: one crop per operand */

static void html_escaped(FILE *f, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        case '\'': fputs("&#39;", f); break;
        default: fputc(*s, f);
        }
    }
}

static const char style_css[] =
    "body{font-family:'Noto Sans CJK SC','Noto Sans SC',sans-serif;margin:2em;color:#222;"
    "max-width:1200px}\n"
    "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #bbb;padding:.3em .6em;"
    "text-align:left;vertical-align:top}\n"
    "th{background:#f0f0f0}.num{text-align:right;font-variant-numeric:tabular-nums}\n"
    ".mismatch{color:#b00020;font-weight:bold}.rounding{color:#8a6d00}\n"
    ".finding{border:1px solid #ccc;border-left:6px solid #b00020;padding:.5em 1em;"
    "margin:1.5em 0}\n"
    ".finding.rounding-case{border-left-color:#d4a000}\n"
    ".evidence img{max-width:100%;border:1px solid #999;margin:.4em 0;display:block}\n"
    ".note{color:#666;font-size:.9em}\n";

static int write_text_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (f == NULL)
        return -1;
    fputs(text, f);
    return fclose(f);
}

static void page_head(FILE *f, const char *title)
{
    fputs("<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
          "<link rel=\"stylesheet\" href=\"style.css\"><title>", f);
    html_escaped(f, title);
    fputs("</title></head><body>\n", f);
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* Renders the evidence of one check: operands grouped by page, one crop
 * per page (or per operand when they lie far apart). */
static void write_evidence(FILE *f, bp_pdf *pdf, const char *dir, const char *sha12,
                           const bp_report_check *c, int *images_failed)
{
    fputs("<div class=\"evidence\">", f);
    int image_no = 0;
    int *done = calloc(c->n_operands + 1, sizeof *done);
    for (size_t i = 0; done && i < c->n_operands; i++) {
        const bp_report_operand *op = &c->operands[i];
        if (done[i] || op->page <= 0 || op->box.x1 <= op->box.x0)
            continue;
        bp_box span = op->box;
        bp_box outlines[64];
        size_t n = 0;
        for (size_t k = i; k < c->n_operands && n < 64; k++) {
            const bp_report_operand *other = &c->operands[k];
            if (done[k] || other->page != op->page || other->box.x1 <= other->box.x0)
                continue;
            bp_box joined = bp_box_union(span, other->box);
            if (joined.y1 - joined.y0 > EVIDENCE_MAX_SPAN)
                continue;
            span = joined;
            outlines[n++] = other->box;
            done[k] = 1;
        }
        if (pdf == NULL)
            continue;
        bp_box region = {0, span.y0 - EVIDENCE_MARGIN, 100000, span.y1 + EVIDENCE_MARGIN};
        char rel[256], path[4096];
        snprintf(rel, sizeof rel, "img/%s-%d-%d.png", sha12, c->check_no, ++image_no);
        snprintf(path, sizeof path, "%s/%s", dir, rel);
        bp_error err;
        if (bp_pdf_render_region_png(pdf, op->page, region, outlines, n, EVIDENCE_SCALE, path,
                                     &err) != BP_OK) {
            fprintf(stderr, "budgetpdf: %s\n", err.message);
            (*images_failed)++;
            continue;
        }
        fprintf(f, "<figure><img src=\"%s\" alt=\"page %d\"><figcaption class=\"note\">"
                   "第 %d 页 / page %d</figcaption></figure>", rel, op->page, op->page, op->page);
    }
    free(done);
    fputs("</div>\n", f);
}

static void write_check(FILE *f, bp_pdf *pdf, const char *dir, const char *sha12,
                        const bp_report_check *c, int *images_failed)
{
    int mismatch = c->status && strcmp(c->status, "mismatch") == 0;
    fprintf(f, "<section class=\"finding%s\" id=\"check-%d\" data-status=\"%s\">\n",
            mismatch ? "" : " rounding-case", c->check_no, mismatch ? "mismatch" : "rounding");
    fprintf(f, "<h3><span class=\"%s\">", mismatch ? "mismatch" : "rounding");
    html_escaped(f, mismatch ? "不一致 mismatch" : "尾数误差 rounding");
    fputs("</span> · <code>", f);
    html_escaped(f, c->rule);
    fputs("</code></h3>\n<p>", f);
    html_escaped(f, c->message);
    fputs("<br><span class=\"note\">", f);
    html_escaped(f, c->message_en);
    fputs("</span></p>\n<table><tr><th>expected</th><th>actual</th><th>difference</th>"
          "<th>tolerance</th><th>unit</th></tr><tr>", f);
    const char *fields[] = {c->expected, c->actual, c->difference, c->tolerance};
    for (int i = 0; i < 4; i++) {
        fputs("<td class=\"num\">", f);
        html_escaped(f, fields[i]);
        fputs("</td>", f);
    }
    fputs("<td>", f);
    html_escaped(f, c->unit);
    fputs("</td></tr></table>\n<table class=\"operands\"><tr><th>page</th><th>where</th>"
          "<th>printed</th></tr>\n", f);
    for (size_t i = 0; i < c->n_operands; i++) {
        const bp_report_operand *op = &c->operands[i];
        fprintf(f, "<tr><td class=\"num\">%d</td><td>", op->page);
        html_escaped(f, op->where);
        fputs("</td><td class=\"num\">", f);
        html_escaped(f, op->text);
        fputs("</td></tr>\n", f);
    }
    fputs("</table>\n", f);
    write_evidence(f, pdf, dir, sha12, c, images_failed);
    fputs("</section>\n", f);
}

static int write_document(const char *dir, bp_db *db, const bp_report_document *doc,
                          int *images_failed)
{
    char sha12[13], path[4096];
    snprintf(sha12, sizeof sha12, "%.12s", doc->sha256);
    snprintf(path, sizeof path, "%s/%s.html", dir, sha12);
    bp_report_check *checks = NULL;
    size_t n = 0;
    bp_error err;
    if (bp_report_checks_get(db, doc->id, &checks, &n, &err) != BP_OK) {
        fprintf(stderr, "budgetpdf: %s\n", err.message);
        return -1;
    }
    FILE *f = fopen(path, "w");
    if (f == NULL) {
        fprintf(stderr, "budgetpdf: %s: cannot write (%s)\n", path, strerror(errno));
        bp_report_checks_free(checks, n);
        return -1;
    }
    bp_pdf *pdf = NULL;
    if (n > 0 && bp_pdf_open(doc->file, NULL, &pdf, &err) != BP_OK)
        pdf = NULL;
    page_head(f, base_name(doc->file));
    fputs("<p><a href=\"index.html\">← 全部文件 / all documents</a></p>\n<h1>", f);
    html_escaped(f, base_name(doc->file));
    fputs("</h1>\n<p>", f);
    if (doc->fiscal_year)
        fprintf(f, "%d 年度 · ", doc->fiscal_year);
    html_escaped(f, doc->issuer);
    fputs(" · ", f);
    html_escaped(f, doc->kind);
    fprintf(f, " · %d 页 pages · sha256 <code>%s</code></p>\n", doc->pages, doc->sha256);
    fprintf(f, "<p>不一致 mismatch: <b>%lld</b> · 尾数误差 rounding: %lld · 一致 ok: %lld · "
               "无法核对 unverifiable: %lld</p>\n",
            (long long)doc->checks_by_status[BP_STATUS_MISMATCH],
            (long long)doc->checks_by_status[BP_STATUS_ROUNDING],
            (long long)doc->checks_by_status[BP_STATUS_OK],
            (long long)doc->checks_by_status[BP_STATUS_UNVERIFIABLE]);
    if (n > 0 && pdf == NULL) {
        fputs("<p class=\"note\">", f);
        html_escaped(f, err.message);
        fputs(" — evidence images unavailable.</p>\n", f);
    }
    if (n == 0)
        fputs("<p>没有发现问题 No mismatch or rounding case found.</p>\n", f);
    for (size_t i = 0; i < n; i++)
        write_check(f, pdf, dir, sha12, &checks[i], images_failed);
    fputs("</body></html>\n", f);
    bp_pdf_close(pdf);
    bp_report_checks_free(checks, n);
    return fclose(f) == 0 ? 0 : -1;
}

static int by_worst(const void *a, const void *b)
{
    const bp_report_document *x = a, *y = b;
    int64_t mx = x->checks_by_status[BP_STATUS_MISMATCH], my = y->checks_by_status[BP_STATUS_MISMATCH];
    if (mx != my)
        return mx > my ? -1 : 1;
    return strcmp(x->file ? x->file : "", y->file ? y->file : "");
}

static void write_index(FILE *f, bp_report_document *docs, size_t n)
{
    page_head(f, "budgetpdf report");
    fputs("<h1>预算公开文件核对报告 · Budget disclosure checks</h1>\n"
          "<table id=\"documents\"><tr><th>文件 document</th><th>年度 year</th>"
          "<th>单位 issuer</th><th>类型 kind</th><th>页 pages</th><th>不一致 mismatch</th>"
          "<th>尾数误差 rounding</th><th>一致 ok</th><th>无法核对 unverifiable</th></tr>\n", f);
    for (size_t i = 0; i < n; i++) {
        const bp_report_document *d = &docs[i];
        fprintf(f, "<tr data-sha256=\"%s\"><td><a href=\"%.12s.html\">", d->sha256, d->sha256);
        html_escaped(f, base_name(d->file));
        fputs("</a></td><td class=\"num\">", f);
        if (d->fiscal_year)
            fprintf(f, "%d", d->fiscal_year);
        fputs("</td><td>", f);
        html_escaped(f, d->issuer);
        fputs("</td><td>", f);
        html_escaped(f, d->kind);
        fprintf(f, "</td><td class=\"num\">%d</td><td class=\"num mismatch\">%lld</td>"
                   "<td class=\"num\">%lld</td><td class=\"num\">%lld</td>"
                   "<td class=\"num\">%lld</td></tr>\n",
                d->pages, (long long)d->checks_by_status[BP_STATUS_MISMATCH],
                (long long)d->checks_by_status[BP_STATUS_ROUNDING],
                (long long)d->checks_by_status[BP_STATUS_OK],
                (long long)d->checks_by_status[BP_STATUS_UNVERIFIABLE]);
    }
    fputs("</table>\n<p class=\"note\">Made by budgetpdf. Tolerance is the sum of the operands' "
          "rounding bounds (half a unit of each one's last printed digit).</p></body></html>\n", f);
}

static const char usage[] = "usage: budgetpdf report [--db FILE] --html DIR [DOC...]";

int bp_cli_report(int argc, char **argv, bp_cli_globals *globals)
{
    const char *dir = NULL;
    const char **selectors = calloc((size_t)argc, sizeof *selectors);
    size_t n_selectors = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--html") == 0 && i + 1 < argc)
            dir = argv[++i];
        else if (strcmp(argv[i], "--db") == 0 && i + 1 < argc)
            globals->db_path = argv[++i];
        else if (argv[i][0] == '-') {
            free(selectors);
            return bp_cli_usage_error("report", usage);
        } else
            selectors[n_selectors++] = argv[i];
    }
    if (dir == NULL) {
        free(selectors);
        return bp_cli_usage_error("report", usage);
    }
    char img_dir[4096];
    snprintf(img_dir, sizeof img_dir, "%s/img", dir);
    if ((mkdir(dir, 0777) != 0 && errno != EEXIST) ||
        (mkdir(img_dir, 0777) != 0 && errno != EEXIST)) {
        fprintf(stderr, "budgetpdf report: cannot create %s (%s)\n", img_dir, strerror(errno));
        free(selectors);
        return BP_EXIT_USAGE;
    }
    bp_db *db = NULL;
    bp_error err;
    int64_t *ids = NULL;
    size_t n_ids = 0;
    if (bp_db_open(globals->db_path, &db, &err) != BP_OK ||
        bp_db_resolve_documents(db, selectors, n_selectors, &ids, &n_ids, &err) != BP_OK) {
        fprintf(stderr, "budgetpdf report: %s\n", err.message);
        bp_db_close(db);
        free(selectors);
        return BP_EXIT_USAGE;
    }
    free(selectors);
    bp_report_document *docs = calloc(n_ids + 1, sizeof *docs);
    int failed = 0, images_failed = 0;
    size_t n_docs = 0;
    for (size_t i = 0; docs && i < n_ids; i++) {
        if (bp_report_document_get(db, ids[i], &docs[n_docs], &err) != BP_OK) {
            fprintf(stderr, "budgetpdf report: %s\n", err.message);
            failed = 1;
            continue;
        }
        if (write_document(dir, db, &docs[n_docs], &images_failed) != 0)
            failed = 1;
        n_docs++;
    }
    qsort(docs, n_docs, sizeof *docs, by_worst);
    char path[4096];
    snprintf(path, sizeof path, "%s/index.html", dir);
    FILE *f = fopen(path, "w");
    if (f) {
        write_index(f, docs, n_docs);
        failed |= fclose(f) != 0;
    } else {
        failed = 1;
    }
    snprintf(path, sizeof path, "%s/style.css", dir);
    failed |= write_text_file(path, style_css) != 0;
    for (size_t i = 0; i < n_docs; i++)
        bp_report_document_clear(&docs[i]);
    free(docs);
    free(ids);
    bp_db_close(db);
    printf("report: %s/index.html (%zu document%s)\n", dir, n_docs, n_docs == 1 ? "" : "s");
    return failed || images_failed ? BP_EXIT_FAILED : BP_EXIT_OK;
}
