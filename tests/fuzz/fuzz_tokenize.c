/*
 * fuzz_tokenize.c — libFuzzer target for bp_tokenize_line.  The input is
 * read as a row of glyphs: each 4-byte record gives a code point class
 * and the glyph's advance, gap and height, so the fuzzer explores glued,
 * broken and overlapping layouts; words are cut where a record says so.
 * Invariants: tokens lie inside the glyph array, in order, and every
 * NUMBER token re-parses to the same value.
 */
#include "normalize/normalize.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint32_t alphabet[] = {'0', '1', '2', '3', '4', '5', '6', '7', '8', '9',
                                    ',', '.', '%', '-', '(', ')', 0x4E07 /* 万 */,
                                    0x5143 /* 元 */, 0x5408 /* 合 */, 0x8BA1 /* 计 */,
                                    0xFF08, 0xFF09, 0x2014, ' '};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t n = size / 4;
    if (n == 0 || n > 512)
        return 0;
    bp_glyph *glyphs = calloc(n, sizeof *glyphs);
    bp_word *words = calloc(n, sizeof *words);
    double x = 0;
    size_t n_words = 0;
    for (size_t i = 0; i < n; i++) {
        const uint8_t *r = data + 4 * i;
        double width = 1 + (r[1] & 15), height = 1 + (r[3] & 31);
        double gap = (double)(int8_t)r[2] / 8.0;
        glyphs[i].codepoint = alphabet[r[0] % (sizeof alphabet / sizeof alphabet[0])];
        glyphs[i].box = (bp_box){x, 100, x + width, 100 + height};
        glyphs[i].font_size = height;
        x += width + gap;
        if (i == 0 || (r[0] & 0x80)) {
            words[n_words].first_glyph = i;
            words[n_words].box = glyphs[i].box;
            n_words++;
        }
        words[n_words - 1].n_glyphs++;
    }
    double edges[2] = {x / 3, 2 * x / 3};
    bp_tokenize_options opts = {edges, (data[0] & 1) ? 2 : 0, 0};
    bp_token_list toks = {0};
    if (bp_tokenize_line(words, n_words, glyphs, n, &opts, &toks, NULL) == BP_OK)
        for (size_t t = 0; t < toks.count; t++) {
            const bp_token *tok = &toks.items[t];
            if (tok->first_glyph >= n || tok->n_glyphs == 0 || tok->n_glyphs > n)
                abort();
            if (tok->kind == BP_TOKEN_NUMBER) {
                bp_number again;
                if (bp_number_parse(tok->text, (size_t)-1, &again, NULL) != BP_OK ||
                    bp_decimal_cmp(again.value, tok->number.value) != 0)
                    abort();
            }
            if (t + 1 < toks.count) {
                bp_token joined;
                if (bp_token_join_wrapped(tok, &toks.items[t + 1], &joined, NULL) == BP_OK)
                    free(joined.text);
            }
        }
    bp_token_list_free(&toks);
    free(glyphs);
    free(words);
    return 0;
}
