/*
 * text.c — `budgetpdf text [--bbox] FILE.pdf`: what extract/ sees.
 * Without --bbox, each page's lines (page separated by a form feed, like
 * pdftotext); with --bbox, one JSON object per word: page, line, text, box
 * in PDF points (origin top-left).
 */
#include "cli/cli.h"
#include "extract/extract.h"

#include <stdio.h>
#include <string.h>

static void print_word_json(const bp_page *page, size_t line_no, const bp_word *w)
{
    printf("{\"page\":%d,\"line\":%zu,\"text\":", page->number, line_no + 1);
    bp_cli_json_string(stdout, w->text);
    printf(",\"bbox\":[%.2f,%.2f,%.2f,%.2f],\"font_size\":%.2f}\n",
           w->box.x0, w->box.y0, w->box.x1, w->box.y1, w->font_size);
}

int bp_cli_text(int argc, char **argv, bp_cli_globals *globals)
{
    (void)globals;
    int bbox = 0;
    const char *path = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--bbox") == 0)
            bbox = 1;
        else if (argv[i][0] == '-' && argv[i][1] != '\0')
            return bp_cli_usage_error("text", "usage: budgetpdf text [--bbox] FILE.pdf");
        else if (path == NULL)
            path = argv[i];
        else
            return bp_cli_usage_error("text", "one file at a time");
    }
    if (path == NULL)
        return bp_cli_usage_error("text", "usage: budgetpdf text [--bbox] FILE.pdf");

    bp_error err;
    bp_pdf *pdf = NULL;
    if (bp_pdf_open(path, NULL, &pdf, &err) != BP_OK) {
        fprintf(stderr, "budgetpdf: %s\n", err.message);
        return BP_EXIT_FAILED;
    }
    int status = BP_EXIT_OK;
    int n_pages = bp_pdf_get_info(pdf)->n_pages;
    for (int p = 1; p <= n_pages; p++) {
        bp_page *page = NULL;
        if (bp_pdf_page(pdf, p, &page, &err) != BP_OK) {
            fprintf(stderr, "budgetpdf: %s\n", err.message);
            status = BP_EXIT_FAILED;
            continue;
        }
        for (size_t l = 0; l < page->n_lines; l++) {
            const bp_line *line = &page->lines[l];
            if (!bbox) {
                printf("%s\n", line->text);
                continue;
            }
            for (size_t w = 0; w < line->n_words; w++)
                print_word_json(page, l, &page->words[line->first_word + w]);
        }
        if (!bbox)
            putchar('\f');
        bp_page_free(page);
    }
    bp_pdf_close(pdf);
    return status;
}
