/*
 * decimal.c — exact decimal arithmetic on bp_decimal (int64 mantissa ×
 * 10^−scale).  Every operation is exact or fails: overflow is reported as
 * BP_ERR_LIMIT, never wrapped, and nothing here converts through floating
 * point.  Results of add/sub carry the larger scale of their operands, so
 * the printed precision survives arithmetic.
 */
#include "normalize/normalize.h"

#include <stdint.h>
#include <string.h>

static const int64_t pow10_table[BP_DECIMAL_MAX_SCALE + 1] = {
    1LL, 10LL, 100LL, 1000LL, 10000LL, 100000LL, 1000000LL, 10000000LL,
    100000000LL, 1000000000LL, 10000000000LL, 100000000000LL,
    1000000000000LL, 10000000000000LL, 100000000000000LL,
    1000000000000000LL, 10000000000000000LL, 100000000000000000LL,
    1000000000000000000LL};

static bool scale_ok(int32_t scale)
{
    return scale >= 0 && scale <= BP_DECIMAL_MAX_SCALE;
}

static bp_status overflow(bp_error *err, const char *what)
{
    return bp_error_set(err, BP_ERR_LIMIT, 0, "decimal overflow in %s", what);
}

bp_status bp_decimal_rescale(bp_decimal a, int32_t scale, bp_decimal *out,
                             bp_error *err)
{
    if (!scale_ok(scale) || !scale_ok(a.scale))
        return bp_error_set(err, BP_ERR_USAGE, 0, "decimal scale %d out of range",
                            (int)scale);
    if (scale < a.scale)
        return bp_error_set(err, BP_ERR_USAGE, 0,
                            "rescale from %d to %d digits would lose digits",
                            (int)a.scale, (int)scale);
    int64_t m;
    if (__builtin_mul_overflow(a.mantissa, pow10_table[scale - a.scale], &m))
        return overflow(err, "rescale");
    out->mantissa = m;
    out->scale = scale;
    return BP_OK;
}

/* Brings a and b to their common (larger) scale. */
static bp_status align(bp_decimal *a, bp_decimal *b, bp_error *err)
{
    int32_t s = a->scale > b->scale ? a->scale : b->scale;
    bp_status st = bp_decimal_rescale(*a, s, a, err);
    if (st == BP_OK)
        st = bp_decimal_rescale(*b, s, b, err);
    return st;
}

bp_status bp_decimal_add(bp_decimal a, bp_decimal b, bp_decimal *sum, bp_error *err)
{
    bp_status st = align(&a, &b, err);
    if (st != BP_OK)
        return st;
    int64_t m;
    if (__builtin_add_overflow(a.mantissa, b.mantissa, &m))
        return overflow(err, "addition");
    *sum = bp_decimal_make(m, a.scale);
    return BP_OK;
}

bp_status bp_decimal_sub(bp_decimal a, bp_decimal b, bp_decimal *difference,
                         bp_error *err)
{
    bp_status st = align(&a, &b, err);
    if (st != BP_OK)
        return st;
    int64_t m;
    if (__builtin_sub_overflow(a.mantissa, b.mantissa, &m))
        return overflow(err, "subtraction");
    *difference = bp_decimal_make(m, a.scale);
    return BP_OK;
}

bp_status bp_decimal_mul_int(bp_decimal a, int64_t factor, bp_decimal *product,
                             bp_error *err)
{
    int64_t m;
    if (__builtin_mul_overflow(a.mantissa, factor, &m))
        return overflow(err, "multiplication");
    *product = bp_decimal_make(m, a.scale);
    return BP_OK;
}

bp_status bp_decimal_neg(bp_decimal a, bp_decimal *out, bp_error *err)
{
    if (a.mantissa == INT64_MIN)
        return overflow(err, "negation");
    *out = bp_decimal_make(-a.mantissa, a.scale);
    return BP_OK;
}

static int sign_of(int64_t v)
{
    return (v > 0) - (v < 0);
}

/* a has the smaller scale; compares without rescaling b's digits away. */
static int cmp_small_large(bp_decimal a, bp_decimal b)
{
    int64_t p = pow10_table[b.scale - a.scale];
    int64_t q = b.mantissa / p, r = b.mantissa % p;
    if (a.mantissa != q)
        return a.mantissa > q ? 1 : -1;
    return -sign_of(r);
}

int bp_decimal_cmp(bp_decimal a, bp_decimal b)
{
    if (!scale_ok(a.scale) || !scale_ok(b.scale))
        return 0; /* not a decimal this module made; callers assert earlier */
    if (a.scale <= b.scale)
        return cmp_small_large(a, b);
    return -cmp_small_large(b, a);
}

bp_status bp_decimal_round(bp_decimal a, int32_t scale, bp_decimal *out,
                           bp_error *err)
{
    if (!scale_ok(scale) || !scale_ok(a.scale))
        return bp_error_set(err, BP_ERR_USAGE, 0, "decimal scale %d out of range",
                            (int)scale);
    if (scale >= a.scale)
        return bp_decimal_rescale(a, scale, out, err);
    int64_t p = pow10_table[a.scale - scale];
    int64_t q = a.mantissa / p, r = a.mantissa % p;
    /* half away from zero: |r| >= p/2 (p is even for p >= 10) */
    int64_t ar = r < 0 ? -r : r;
    if (ar >= p / 2)
        q += a.mantissa < 0 ? -1 : 1;
    *out = bp_decimal_make(q, scale);
    return BP_OK;
}

bp_decimal bp_decimal_half_ulp(int32_t precision)
{
    if (precision < 0)
        precision = 0;
    if (precision > BP_DECIMAL_MAX_SCALE - 1)
        precision = BP_DECIMAL_MAX_SCALE - 1;
    return bp_decimal_make(5, precision + 1);
}

char *bp_decimal_format(bp_decimal a, char *buf, size_t size)
{
    if (size == 0)
        return buf;
    uint64_t mag = a.mantissa < 0 ? (uint64_t)0 - (uint64_t)a.mantissa
                                  : (uint64_t)a.mantissa;
    int scale = scale_ok(a.scale) ? a.scale : 0;
    /* digits from the right: the scale decimals, the point, then at least
     * one integer digit (0.007, not .007) */
    char tmp[BP_DECIMAL_STRING_MAX];
    char *p = tmp + sizeof tmp;
    for (int written = 0; mag > 0 || written <= scale; written++) {
        if (written == scale && scale > 0)
            *--p = '.';
        *--p = (char)('0' + mag % 10);
        mag /= 10;
    }
    if (a.mantissa < 0)
        *--p = '-';
    size_t n = (size_t)(tmp + sizeof tmp - p);
    if (n > size - 1)
        n = size - 1; /* cut like snprintf */
    memcpy(buf, p, n);
    buf[n] = '\0';
    return buf;
}

bp_status bp_decimal_parse(const char *text, bp_decimal *out, bp_error *err)
{
    const char *p = text;
    bool neg = false;
    if (*p == '-') {
        neg = true;
        p++;
    }
    int64_t m = 0;
    int32_t scale = 0;
    bool seen_point = false, any = false;
    for (; *p; p++) {
        if (*p == '.' && !seen_point && any) {
            seen_point = true;
            continue;
        }
        if (*p < '0' || *p > '9')
            return bp_error_set(err, BP_ERR_FORMAT, 0, "not a plain decimal: %s", text);
        if (seen_point && ++scale > BP_DECIMAL_MAX_SCALE)
            return bp_error_set(err, BP_ERR_LIMIT, 0, "too many decimals: %s", text);
        if (__builtin_mul_overflow(m, 10, &m) ||
            __builtin_add_overflow(m, neg ? -(*p - '0') : (*p - '0'), &m))
            return bp_error_set(err, BP_ERR_LIMIT, 0, "decimal overflow: %s", text);
        any = true;
    }
    if (!any || (seen_point && scale == 0))
        return bp_error_set(err, BP_ERR_FORMAT, 0, "not a plain decimal: %s", text);
    *out = bp_decimal_make(m, scale);
    return BP_OK;
}
