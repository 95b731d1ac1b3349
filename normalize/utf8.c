/*
 * utf8.c — UTF-8 decoding with byte offsets, width folding of single code
 * points, and a small growable string.  No ICU here: these are on the hot
 * path of the number grammar and need no tables.
 *
 * Decoding never fails on bad input: each invalid byte becomes U+FFFD, so
 * offsets always advance and a span always maps back to the printed bytes.
 */
#include "normalize/normalize_int.h"

#include <stdlib.h>
#include <string.h>

size_t bp_utf8_decode(const char *s, size_t len, uint32_t *cp)
{
    const unsigned char *u = (const unsigned char *)s;
    if (len == 0) {
        *cp = 0xFFFD;
        return 1;
    }
    unsigned char b = u[0];
    if (b < 0x80) {
        *cp = b;
        return 1;
    }
    size_t need;
    uint32_t v, min;
    if ((b & 0xE0) == 0xC0) {
        need = 2; v = b & 0x1F; min = 0x80;
    } else if ((b & 0xF0) == 0xE0) {
        need = 3; v = b & 0x0F; min = 0x800;
    } else if ((b & 0xF8) == 0xF0) {
        need = 4; v = b & 0x07; min = 0x10000;
    } else {
        *cp = 0xFFFD;
        return 1;
    }
    if (len < need) {
        *cp = 0xFFFD;
        return 1;
    }
    for (size_t i = 1; i < need; i++) {
        if ((u[i] & 0xC0) != 0x80) {
            *cp = 0xFFFD;
            return 1;
        }
        v = (v << 6) | (u[i] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) {
        *cp = 0xFFFD;
        return 1;
    }
    *cp = v;
    return need;
}

uint32_t bp_fold_width(uint32_t cp)
{
    if (cp >= 0xFF01 && cp <= 0xFF5E) {
        /* Keep the full-width colon, semicolon, ! and ? of CJK prose. */
        if (cp == 0xFF1A || cp == 0xFF1B || cp == 0xFF01 || cp == 0xFF1F)
            return cp;
        return cp - 0xFEE0;
    }
    switch (cp) {
    case 0x3000: case 0xA0: case 0x2002: case 0x2003: case 0x2009: case 0x202F:
        return ' ';
    case 0x2212: case 0x2010: case 0x2011: case 0xFE63: case 0x2013:
        return '-';
    case 0xFF5F: return '(';
    case 0xFF60: return ')';
    case 0xFFE5: return 0xA5;
    case 0x2267: return 0x2265; /* ≧ → ≥ */
    case 0x2266: return 0x2264; /* ≦ → ≤ */
    default: return cp;
    }
}

bp_status bp_cpbuf_decode(const char *text, size_t len, bool fold, bp_cpbuf *buf,
                          bp_error *err)
{
    memset(buf, 0, sizeof *buf);
    buf->cps = malloc((len + 1) * sizeof *buf->cps);
    buf->off = malloc((len + 1) * sizeof *buf->off);
    if (buf->cps == NULL || buf->off == NULL) {
        bp_cpbuf_free(buf);
        return bp_error_set(err, BP_ERR_NOMEM, 0, "out of memory decoding text");
    }
    size_t i = 0, n = 0;
    while (i < len) {
        uint32_t cp;
        size_t k = bp_utf8_decode(text + i, len - i, &cp);
        buf->off[n] = i;
        buf->cps[n++] = fold ? bp_fold_width(cp) : cp;
        i += k;
    }
    buf->off[n] = len;
    buf->cps[n] = 0;
    buf->n = n;
    return BP_OK;
}

void bp_cpbuf_free(bp_cpbuf *buf)
{
    if (buf == NULL)
        return;
    free(buf->cps);
    free(buf->off);
    memset(buf, 0, sizeof *buf);
}

bool bp_strbuf_put(bp_strbuf *sb, const char *s, size_t n)
{
    if (sb->len + n + 1 > sb->cap) {
        size_t cap = sb->cap ? sb->cap : 64;
        while (cap < sb->len + n + 1)
            cap *= 2;
        char *p = realloc(sb->data, cap);
        if (p == NULL)
            return false;
        sb->data = p;
        sb->cap = cap;
    }
    memcpy(sb->data + sb->len, s, n);
    sb->len += n;
    sb->data[sb->len] = '\0';
    return true;
}

bool bp_strbuf_put_cp(bp_strbuf *sb, uint32_t cp)
{
    char tmp[4];
    size_t n = bp_utf8_encode(cp, tmp);
    return bp_strbuf_put(sb, tmp, n);
}
