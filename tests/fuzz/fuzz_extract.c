/*
 * fuzz_extract.c — libFuzzer target for the extract path: arbitrary bytes
 * through bp_pdf_open_memory, then the first pages (at most 4) through
 * bp_pdf_page (glyphs, words, lines) and the first page's ruling lines
 * both ways: bp_pdf_page_rules (vector graphics, paths.cc) and
 * bp_pdf_page_rules_rendered (cairo).  Our sources in
 * extract/ are compiled into the fuzzer, so coverage guides the search
 * through them; poppler itself is the system library, uninstrumented.
 * Invariants checked: a failure always comes with a message, and the
 * page structures obey extract.h (each line is a contiguous run of words
 * inside the page's word array; every glyph lies in a word).
 */
#include "extract/extract.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_page(const bp_page *page)
{
    size_t words_in_lines = 0;
    for (size_t l = 0; l < page->n_lines; l++) {
        const bp_line *line = &page->lines[l];
        if (line->text == NULL || line->first_word + line->n_words > page->n_words ||
            line->first_word != words_in_lines)
            abort();
        words_in_lines += line->n_words;
    }
    if (words_in_lines != page->n_words)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    bp_extract_limits limits = {200, 14400};
    bp_pdf *pdf = NULL;
    bp_error err;
    bp_error_clear(&err);
    if (bp_pdf_open_memory("fuzz.pdf", data, size, &limits, &pdf, &err) != BP_OK) {
        if (pdf != NULL || err.message[0] == '\0')
            abort();
        return 0;
    }
    const bp_pdf_info *info = bp_pdf_get_info(pdf);
    for (int p = 1; p <= info->n_pages && p <= 4; p++) {
        bp_page *page = NULL;
        bp_error_clear(&err);
        if (bp_pdf_page(pdf, p, &page, &err) != BP_OK) {
            if (page != NULL || err.message[0] == '\0')
                abort();
            continue;
        }
        check_page(page);
        bp_page_free(page);
    }
    bp_page_rules *rules = NULL;
    if (bp_pdf_page_rules(pdf, 1, &rules, &err) == BP_OK)
        bp_page_rules_free(rules);
    rules = NULL;
    if (bp_pdf_page_rules_rendered(pdf, 1, &rules, &err) == BP_OK)
        bp_page_rules_free(rules);
    bp_pdf_close(pdf);
    return 0;
}
