/*
 * fuzz_paths.c — libFuzzer target for the vector reader (extract/paths.cc)
 * and the rules made from it (extract/rules.c): arbitrary bytes become the
 * uncompressed content stream of a one-page PDF whose resources hold a
 * form XObject drawing the same bytes (so nesting, self-reference and
 * every lexical case are reached), then bp_pdf_page_rules runs on it.
 * Invariants checked: success or a message, and every rule lies within
 * the page, is at least 12 pt long and at most 2.6 pt thick.
 */
#include "extract/extract.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static size_t put(char *buf, size_t at, const char *text)
{
    size_t n = strlen(text);
    memcpy(buf + at, text, n);
    return at + n;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    if (size > 65536)
        return 0;
    char *pdf = malloc(2 * size + 2048);
    if (pdf == NULL)
        return 0;
    size_t offsets[6], at = 0;
    char line[256];
    at = put(pdf, at, "%PDF-1.4\n");
    offsets[1] = at;
    at = put(pdf, at, "1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n");
    offsets[2] = at;
    at = put(pdf, at, "2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n");
    offsets[3] = at;
    at = put(pdf, at, "3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 300 300]"
                      " /Resources << /XObject << /X1 5 0 R >> >> /Contents 4 0 R >> endobj\n");
    for (int obj = 4; obj <= 5; obj++) {
        offsets[obj] = at;
        snprintf(line, sizeof line,
                 obj == 4 ? "4 0 obj << /Length %zu >> stream\n"
                          : "5 0 obj << /Type /XObject /Subtype /Form /BBox [0 0 300 300]"
                            " /Matrix [1 0 0 1 5 5] /Resources << /XObject << /X1 5 0 R >> >>"
                            " /Length %zu >> stream\n",
                 size);
        at = put(pdf, at, line);
        memcpy(pdf + at, data, size);
        at += size;
        at = put(pdf, at, "\nendstream endobj\n");
    }
    size_t xref = at;
    at = put(pdf, at, "xref\n0 6\n0000000000 65535 f \n");
    for (int i = 1; i < 6; i++) {
        snprintf(line, sizeof line, "%010zu 00000 n \n", offsets[i]);
        at = put(pdf, at, line);
    }
    snprintf(line, sizeof line, "trailer << /Size 6 /Root 1 0 R >>\nstartxref\n%zu\n%%%%EOF\n",
             xref);
    at = put(pdf, at, line);

    bp_pdf *doc = NULL;
    bp_error err;
    bp_error_clear(&err);
    if (bp_pdf_open_memory("fuzz.pdf", pdf, at, NULL, &doc, &err) == BP_OK) {
        bp_page_rules *rules = NULL;
        if (bp_pdf_page_rules(doc, 1, &rules, &err) == BP_OK) {
            for (int h = 0; h < 2; h++) {
                const bp_box *list = h ? rules->horizontal : rules->vertical;
                size_t n = h ? rules->n_horizontal : rules->n_vertical;
                for (size_t i = 0; i < n; i++) {
                    const bp_box *b = &list[i];
                    double length = h ? b->x1 - b->x0 : b->y1 - b->y0;
                    double thick = h ? b->y1 - b->y0 : b->x1 - b->x0;
                    if (b->x0 < -0.01 || b->y0 < -0.01 || b->x1 > 300.01 || b->y1 > 300.01 ||
                        length < 12 || thick > 2.6 + 1e-9)
                        abort();
                }
            }
            bp_page_rules_free(rules);
        } else if (err.message[0] == '\0') {
            abort();
        }
        bp_pdf_close(doc);
    }
    free(pdf);
    return 0;
}
