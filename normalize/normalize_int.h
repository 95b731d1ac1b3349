/*
 * normalize_int.h — helpers shared by the files of normalize/ and nobody
 * else: UTF-8 decoding into code points that remember their byte offsets,
 * the width folding of one code point, and the character classes the
 * number grammar and the spacing repair agree on.
 *
 * A bp_cpbuf is the input as folded code points; cps[i] came from bytes
 * [off[i], off[i+1]) of the original text, so spans found on the folded
 * form map back to the text exactly as printed.
 */
#ifndef BP_NORMALIZE_INT_H
#define BP_NORMALIZE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/error.h"
#include "common/utf8.h"

typedef struct bp_cpbuf {
    uint32_t *cps;   /* folded code points */
    size_t *off;     /* n + 1 byte offsets into the original text */
    size_t n;
} bp_cpbuf;

/* Decodes text (len bytes) into *buf, folding each code point with
 * bp_fold_width when fold is true.  Invalid bytes become U+FFFD (one per
 * byte).  BP_ERR_NOMEM only. */
bp_status bp_cpbuf_decode(const char *text, size_t len, bool fold, bp_cpbuf *buf,
                          bp_error *err);
void bp_cpbuf_free(bp_cpbuf *buf);

/* Decodes one code point at s (at most len bytes); returns its byte length
 * (1 for an invalid byte, with *cp = U+FFFD). */
size_t bp_utf8_decode(const char *s, size_t len, uint32_t *cp);


/* Full-width ASCII forms, the ideographic space and the dash family mapped
 * to what they mean: １→1, ，→, ．→. ％→% （→( －→- U+3000→space, U+2212→-.
 * CJK structure punctuation (、。：；“”《》 and the em dash) is left alone. */
uint32_t bp_fold_width(uint32_t cp);

static inline bool bp_is_digit(uint32_t c) { return c >= '0' && c <= '9'; }
static inline bool bp_is_space(uint32_t c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x3000 ||
           c == 0xA0 || c == 0x2002 || c == 0x2003 || c == 0x2009 || c == 0x202F;
}
static inline bool bp_is_ascii_alpha(uint32_t c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}
/* CJK unified ideographs (the BMP blocks and extension A) and the
 * compatibility ideographs. */
static inline bool bp_is_cjk(uint32_t c)
{
    return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
           (c >= 0xF900 && c <= 0xFAFF);
}

/* Growable byte string for building output. */
typedef struct bp_strbuf {
    char *data;
    size_t len, cap;
} bp_strbuf;

bool bp_strbuf_put(bp_strbuf *sb, const char *s, size_t n);
bool bp_strbuf_put_cp(bp_strbuf *sb, uint32_t cp);

#endif
