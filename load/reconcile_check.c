/*
 * reconcile_check.c — the check builder every rule writes through, and the
 * small text helpers the rules share (matching keys, numbering kinds).
 *
 * A check collects operands with provenance.  rc_check_finish() sums them
 * exactly: expected = Σ sign × operand, actual = the stated operand,
 * difference = actual − expected, tolerance = Σ half a unit of the last
 * printed digit of every printed operand.  Status: ok when the difference
 * is zero, rounding when within tolerance, mismatch otherwise, and
 * unverifiable as soon as one operand cannot be read.  A failed identity
 * that one operand read in another money unit would satisfy is reported as
 * rule "unit_slip" instead of as a huge gap.
 */
#include "load/reconcile_int.h"

#include <glib.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *rc_status_name(rc_status status)
{
    switch (status) {
    case RC_OK: return "ok";
    case RC_ROUNDING: return "rounding";
    case RC_MISMATCH: return "mismatch";
    case RC_UNVERIFIABLE: return "unverifiable";
    }
    return "unverifiable";
}

bool rc_has(const char *s, const char *needle)
{
    return s && needle && strstr(s, needle) != NULL;
}

/* The quantity a figure is, as far as its name, table title and column
 * header say: the kind of spending and the funds it covers. */
unsigned rc_quantity(const char *text)
{
    unsigned q = 0;
    if (!text)
        return 0;
    if (rc_has(text, "基本支出"))
        q |= RC_Q_BASIC;
    if (rc_has(text, "项目支出"))
        q |= RC_Q_PROJECT;
    if (rc_has(text, "政府性基金"))
        q |= RC_Q_FUND;
    if (rc_has(text, "国有资本经营"))
        q |= RC_Q_STATE_CAPITAL;
    if (rc_has(text, "一般公共预算"))
        q |= RC_Q_GENERAL;
    if (rc_has(text, "三公"))
        q |= RC_Q_THREE;
    return q;
}

/* A figure named by a column header tells its kind itself; the table
 * title tells it otherwise.  Fund scopes add up from both. */
unsigned rc_cell_quantity(const char *title, const char *path)
{
    unsigned qp = rc_quantity(path), qt = rc_quantity(title);
    unsigned kind = (qp & RC_Q_KIND) ? (qp & RC_Q_KIND) : (qt & RC_Q_KIND);
    if ((kind & RC_Q_KIND) == RC_Q_KIND)
        kind = 0;   /* both named: a whole-spending table */
    return kind | ((qp | qt) & RC_Q_SCOPE);
}

bool rc_same_quantity(unsigned a, unsigned b, bool strict)
{
    unsigned ka = a & RC_Q_KIND, kb = b & RC_Q_KIND;
    unsigned sa = a & RC_Q_SCOPE, sb = b & RC_Q_SCOPE;
    if (strict)
        return ka == kb && sa == sb;
    return !(ka && kb && ka != kb) && !(sa && sb && sa != sb);
}

/* ------------------------------------------------------------------ */
/* keys and numbering                                                  */
/* ------------------------------------------------------------------ */

static const char *const cn_digits[] = {"一", "二", "三", "四", "五", "六", "七",
                                        "八", "九", "十", NULL};

/* Whether s starts with the three bytes of c (one CJK character): what
 * strncmp(s, c, 3) == 0 says, without a call for every character the
 * numbering helpers look at (the NUL ending s never matches). */
static inline bool starts3(const char *s, const char *c)
{
    return s[0] == c[0] && s[1] == c[1] && s[2] == c[2];
}

/* Length of a run of Chinese numerals at s (bytes), 0 when none. */
static size_t cn_numeral_run(const char *s)
{
    size_t n = 0;
    for (;;) {
        /* 一 … 十 all begin with byte E4 or E5 */
        unsigned char lead = (unsigned char)s[n];
        bool hit = false;
        for (int i = 0; (lead == 0xE4 || lead == 0xE5) && cn_digits[i]; i++)
            if (starts3(s + n, cn_digits[i])) {
                n += 3;
                hit = true;
                break;
            }
        if (!hit)
            return n;
    }
}

static size_t digit_run(const char *s)
{
    size_t n = 0;
    while (s[n] >= '0' && s[n] <= '9')
        n++;
    return n;
}

static size_t skip_spaces(const char *s)
{
    size_t n = 0;
    for (;;) {
        if (s[n] == ' ' || s[n] == '\t')
            n++;
        else if (starts3(s + n, "\xe3\x80\x80"))   /* ideographic space */
            n += 3;
        else
            return n;
    }
}

/* Opening/closing parentheses, ASCII or full width. */
static size_t open_paren(const char *s)
{
    if (*s == '(')
        return 1;
    if (starts3(s, "（"))
        return 3;
    return 0;
}

static size_t close_paren(const char *s)
{
    if (*s == ')')
        return 1;
    if (starts3(s, "）"))
        return 3;
    return 0;
}

/* A list separator after a number: 、 . ． */
static size_t list_sep(const char *s)
{
    if (starts3(s, "、") || starts3(s, "．"))
        return 3;
    if (*s == '.' && !(s[1] >= '0' && s[1] <= '9'))
        return 1;
    return 0;
}

/* The numbering at the start of s: kind (see rc_row.ordinal) and length. */
static int numbering(const char *s, size_t *len)
{
    size_t n, p, q;
    if ((n = cn_numeral_run(s)) > 0 && (p = list_sep(s + n)) > 0) {
        *len = n + p;
        return 1;
    }
    if ((p = open_paren(s)) > 0) {
        size_t sp = skip_spaces(s + p);
        if ((n = cn_numeral_run(s + p + sp)) > 0 &&
            (q = close_paren(s + p + sp + n + skip_spaces(s + p + sp + n))) > 0) {
            *len = p + sp + n + skip_spaces(s + p + sp + n) + q;
            return 2;
        }
        if ((n = digit_run(s + p + sp)) > 0 && n <= 2 &&
            (q = close_paren(s + p + sp + n + skip_spaces(s + p + sp + n))) > 0) {
            *len = p + sp + n + skip_spaces(s + p + sp + n) + q;
            return 4;
        }
    }
    if ((n = digit_run(s)) > 0 && n <= 2 && (p = list_sep(s + n)) > 0) {
        *len = n + p;
        return 3;
    }
    /* ① … ⑳ : U+2460 … U+2473 */
    const unsigned char *u = (const unsigned char *)s;
    if (u[0] == 0xE2 && u[1] == 0x91 && u[2] >= 0xA0 && u[2] <= 0xB3) {
        *len = 3;
        return 5;
    }
    *len = 0;
    return 0;
}

const char *rc_after_numbering(const char *label)
{
    size_t len = 0;
    const char *s = label + skip_spaces(label);
    if (numbering(s, &len) > 0)
        s += len;
    return s + skip_spaces(s);
}

int rc_ordinal_kind(const char *label)
{
    size_t len;
    if (label == NULL)
        return 0;
    return numbering(label + skip_spaces(label), &len);
}

/* The number of a list item at the start of a sentence: 3 for "3." "(3)"
 * "（三）" "三、"; 0 when none. */
int rc_ordinal_number(const char *sentence)
{
    static const char *const cn[] = {"一", "二", "三", "四", "五", "六", "七", "八", "九", "十"};
    const char *p = sentence;
    while (*p == ' ')
        p++;
    if (*p == '(')
        p++;
    else if (strncmp(p, "（", 3) == 0)
        p += 3;
    if (*p >= '0' && *p <= '9') {
        int n = 0;
        while (*p >= '0' && *p <= '9' && n < 1000)
            n = n * 10 + (*p++ - '0');
        return n;
    }
    int n = 0;
    for (int i = 0; i < 10; i++)
        if (strncmp(p, cn[i], 3) == 0) {
            n = i + 1;
            if (i == 9) {   /* 十一 … 十九 */
                for (int k = 0; k < 9; k++)
                    if (strncmp(p + 3, cn[k], 3) == 0)
                        n = 11 + k;
            } else if (strncmp(p + 3, cn[9], 3) == 0) {   /* 二十, 二十一 … */
                n = (i + 1) * 10;
                for (int k = 0; k < 9; k++)
                    if (strncmp(p + 6, cn[k], 3) == 0)
                        n += k + 1;
            }
            break;
        }
    return n;
}

int rc_label_number(const char *label)
{
    for (const char *p = label; *p; p++)
        if (*p >= '0' && *p <= '9') {
            int n = 0;
            while (*p >= '0' && *p <= '9' && n < 1000)
                n = n * 10 + (*p++ - '0');
            return n;
        }
    const char *t = strstr(label, "表");
    return t ? rc_ordinal_number(t + 3) : 0;
}

bool rc_is_toc_heading(const char *text)
{
    /* a key ending in 目录 needs a 目 and a 录 (or 錄 録) in the line: no
     * step of the folding makes them from other characters (every code
     * point folded alone, and every rule of ICU 72's Traditional-Simplified
     * read), so most lines are never folded */
    if (!strstr(text, "目") || !(strstr(text, "录") || strstr(text, "錄") || strstr(text, "録")))
        return false;
    char *key = NULL;
    if (bp_label_fold(text, (size_t)-1, &key, NULL) != BP_OK || key == NULL)
        return false;
    size_t len = strlen(key);
    bool heading = len >= 6 && len <= 24 && strcmp(key + len - 6, "目录") == 0;
    free(key);
    return heading;
}

/* The key of text, computed (see rc_key). */
static char *compute_key(const char *text)
{
    char *folded = NULL;
    if (bp_label_fold(text, (size_t)-1, &folded, NULL) != BP_OK || folded == NULL)
        folded = strdup(text);
    if (folded == NULL)
        return NULL;
    const char *s = folded;
    for (;;) {
        size_t len = 0;
        s += skip_spaces(s);
        if (numbering(s, &len) > 0) {
            s += len;
            continue;
        }
        if (strncmp(s, "其中", 6) == 0) {
            s += 6;
            if (*s == ':' || *s == ',')
                s++;
            else if (strncmp(s, "：", 3) == 0 || strncmp(s, "，", 3) == 0)
                s += 3;
            continue;
        }
        /* a classification code glued in front of the name */
        size_t d = digit_run(s);
        if (d >= 3 && d <= 7 && (unsigned char)s[d] >= 0xE0) {
            s += d;
            continue;
        }
        if (*s == ':' || *s == '-')
            s++;
        else if (strncmp(s, "：", 3) == 0)
            s += 3;
        else
            break;
    }
    char *key = strdup(s);
    free(folded);
    if (key) {
        /* trailing colon or spaces */
        size_t n = strlen(key);
        while (n > 0 && (key[n - 1] == ' ' || key[n - 1] == ':'))
            key[--n] = '\0';
        if (n >= 3 && strcmp(key + n - 3, "：") == 0)
            key[n - 3] = '\0';
    }
    return key;
}

/* Reconcile asks for the keys of the same labels again and again (every
 * comparison of two classification names folds both), and folding runs
 * ICU's Traditional-Simplified transform, tens of microseconds a label:
 * the keys are remembered.  Reconcile runs on one thread; the table is
 * bounded and starts over once it holds KEYS_KEPT labels. */
#define KEYS_KEPT 12288

static GHashTable *keys; /* label (a g_strdup copy) → key (compute_key's) */

uint64_t rc_hash(uint64_t h, const void *data, size_t size)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < size; i++)
        h = (h ^ p[i]) * 1099511628211u;
    return h;
}

/* The key of text as remembered: valid until the next call; NULL on
 * failure. */
static const char *remembered_key(const char *text)
{
    if (keys == NULL)
        keys = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, free);
    const char *known = g_hash_table_lookup(keys, text);
    if (known)
        return known;
    char *key = compute_key(text);
    if (key == NULL)
        return NULL;
    if (g_hash_table_size(keys) >= KEYS_KEPT)
        g_hash_table_remove_all(keys);
    g_hash_table_insert(keys, g_strdup(text), key);
    return key;
}

char *rc_key(const char *text)
{
    const char *key = text ? remembered_key(text) : NULL;
    return key ? strdup(key) : NULL;
}

const char *rc_doc_key(rc_doc *doc, const char *text)
{
    const char *key = text ? remembered_key(text) : NULL;
    return key ? g_string_chunk_insert(doc->strings, key) : NULL;
}

void rc_format(bp_decimal d, char *buf, size_t size)
{
    char plain[BP_DECIMAL_STRING_MAX];
    bp_decimal_format(d, plain, sizeof plain);
    const char *p = plain;
    size_t o = 0;
    if (*p == '-') {
        if (o + 1 < size)
            buf[o++] = '-';
        p++;
    }
    const char *dot = strchr(p, '.');
    size_t int_len = dot ? (size_t)(dot - p) : strlen(p);
    for (size_t i = 0; i < int_len; i++) {
        if (i > 0 && (int_len - i) % 3 == 0 && o + 1 < size)
            buf[o++] = ',';
        if (o + 1 < size)
            buf[o++] = p[i];
    }
    for (const char *r = p + int_len; *r && o + 1 < size; r++)
        buf[o++] = *r;
    buf[o < size ? o : size - 1] = '\0';
}

/* Two printed figures, in money units of sa and sb 元, are the same amount
 * once converted to the smaller unit (within the rounding of both
 * printings). */
bool rc_agree_in_units(bp_decimal va, int pa, int64_t sa, bp_decimal vb, int pb, int64_t sb)
{
    if (sa <= 0 || sb <= 0)
        return false;
    if (sa > sb) {
        if (bp_decimal_mul_int(va, sa / sb, &va, NULL) != BP_OK)
            return false;
        for (int64_t x = sa / sb; x >= 10; x /= 10)
            pa--;
    } else if (sb > sa) {
        if (bp_decimal_mul_int(vb, sb / sa, &vb, NULL) != BP_OK)
            return false;
        for (int64_t x = sb / sa; x >= 10; x /= 10)
            pb--;
    }
    bp_decimal d;
    if (bp_decimal_sub(va, vb, &d, NULL) != BP_OK)
        return false;
    if (d.mantissa < 0)
        d.mantissa = -d.mantissa;
    bp_decimal ha = pa >= 0 ? bp_decimal_half_ulp(pa) : bp_decimal_make(5, 0);
    bp_decimal hb = pb >= 0 ? bp_decimal_half_ulp(pb) : bp_decimal_make(5, 0);
    for (int k = pa; k < -1; k++)
        ha.mantissa *= 10;
    for (int k = pb; k < -1; k++)
        hb.mantissa *= 10;
    bp_decimal tol;
    if (bp_decimal_add(ha, hb, &tol, NULL) != BP_OK)
        return false;
    return bp_decimal_cmp(d, tol) <= 0;
}

/* ------------------------------------------------------------------ */
/* building                                                            */
/* ------------------------------------------------------------------ */

/* src into dst, cut to size - 1 bytes as snprintf would. */
static void copy_text(char *dst, size_t size, const char *src)
{
    size_t n = strnlen(src, size - 1);
    memcpy(dst, src, n);
    dst[n] = '\0';
}

rc_check *rc_check_new(rc_doc *doc, const char *rule, const char *unit)
{
    if (doc->n_checks == doc->cap_checks) {
        size_t cap = doc->cap_checks ? doc->cap_checks * 2 : 64;
        rc_check *nc = realloc(doc->checks, cap * sizeof *nc);
        if (!nc) {
            doc->nomem = true;
            return NULL;
        }
        doc->checks = nc;
        doc->cap_checks = cap;
    }
    rc_check *c = &doc->checks[doc->n_checks++];
    memset(c, 0, sizeof *c);
    copy_text(c->rule, sizeof c->rule, rule);
    copy_text(c->unit, sizeof c->unit, unit ? unit : "");
    return c;
}

static rc_operand *new_operand(rc_check *c)
{
    if (c == NULL)
        return NULL;
    if (c->n_ops == c->cap_ops) {
        size_t cap = c->cap_ops ? c->cap_ops * 2 : 8;
        rc_operand *no = realloc(c->ops, cap * sizeof *no);
        if (!no)
            return NULL;
        c->ops = no;
        c->cap_ops = cap;
    }
    rc_operand *o = &c->ops[c->n_ops++];
    memset(o, 0, sizeof *o);
    return o;
}

/* value printed in from_scale 元-units, expressed in to_scale units
 * (both powers of ten, or 0 = same).  Exact: only the scale moves. */
static bool convert(bp_decimal v, int precision, int64_t from_scale, int64_t to_scale,
                    bp_decimal *out, int *out_precision)
{
    *out = v;
    *out_precision = precision;
    if (from_scale <= 0 || to_scale <= 0 || from_scale == to_scale)
        return true;
    if (from_scale > to_scale) {
        int64_t f = from_scale / to_scale;
        if (f * to_scale != from_scale)
            return false;
        if (bp_decimal_mul_int(v, f, out, NULL) != BP_OK)
            return false;
        int digits = 0;
        for (int64_t x = f; x >= 10; x /= 10)
            digits++;
        *out_precision = precision - digits;
        return true;
    }
    int64_t f = to_scale / from_scale;
    if (f * from_scale != to_scale)
        return false;
    int digits = 0;
    for (int64_t x = f; x >= 10; x /= 10)
        digits++;
    if (v.scale + digits > BP_DECIMAL_MAX_SCALE)
        return false;
    out->scale = v.scale + digits;
    *out_precision = precision + digits;
    return true;
}

void rc_add_cell(rc_check *check, const rc_table *table, size_t row, size_t col, int sign,
                 int64_t check_scale)
{
    rc_operand *o = new_operand(check);
    if (!o)
        return;
    const rc_cell *cell = rc_cell_at(table, row, col);
    const rc_row *r = rc_row_at(table, row, col);
    o->page = cell->page ? cell->page : r->page;
    o->table_no = table->row_table ? table->row_table[row] : table->table_no;
    o->row_no = table->row_nos[row];
    o->column_no = table->cols[col].column_no;
    o->text = cell->text ? cell->text : "";
    o->label = r->label ? r->label : table->cols[col].path;
    o->sign = sign;
    o->scale = table->unit_scale;
    if (cell->state == RC_VALUE) {
        o->usable = convert(cell->value, cell->precision, table->unit_scale, check_scale,
                            &o->value, &o->precision);
        if (!o->usable)
            o->value = bp_decimal_make(0, 0);
    } else if (cell->state == RC_BLANK) {
        /* nothing printed: contributes zero, with no rounding of its own */
        o->usable = true;
        o->value = bp_decimal_make(0, 0);
        o->blank = true;
    } else {
        o->usable = false;
    }
    if (sign == 0 && cell->state == RC_BLANK)
        o->usable = false;   /* a stated figure that is not printed */
}

void rc_add_missing(rc_check *check, const rc_table *table, size_t row, size_t col,
                    const char *why)
{
    rc_operand *o = new_operand(check);
    if (!o)
        return;
    const rc_row *r = rc_row_at(table, row, col);
    const rc_cell *cell = rc_cell_at(table, row, col);
    o->page = cell->page ? cell->page : r->page;
    o->table_no = table->row_table ? table->row_table[row] : table->table_no;
    o->row_no = table->row_nos[row];
    o->column_no = table->cols[col].column_no;
    o->text = cell->text ? cell->text : "";
    o->label = why ? why : (r->label ? r->label : "");
    o->sign = 1;
    o->usable = false;
}

void rc_add_statement(rc_check *check, const rc_statement *st, int component_no, int sign,
                      int64_t check_scale)
{
    rc_operand *o = new_operand(check);
    if (!o)
        return;
    o->page = st->page;
    o->statement_no = st->statement_no;
    o->sign = sign;
    const char *text, *label;
    int64_t scale;
    bool has;
    bp_decimal value;
    int precision;
    if (component_no > 0 && (size_t)component_no <= st->n_components) {
        const rc_component *c = &st->components[component_no - 1];
        text = c->text;
        scale = c->unit ? c->unit_scale : st->unit_scale;
        label = c->subject;
        has = c->has_value;
        value = c->value;
        precision = c->precision;
    } else {
        text = st->text;
        scale = st->unit_scale;
        label = st->subject;
        has = st->has_value;
        value = st->value;
        precision = st->precision;
    }
    o->text = text ? text : "";
    o->label = label ? label : "";
    o->scale = scale;
    o->usable = has && convert(value, precision, scale, check_scale, &o->value, &o->precision);
}

/* ------------------------------------------------------------------ */
/* finishing                                                           */
/* ------------------------------------------------------------------ */

static char *dup_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *dup_printf(const char *fmt, ...)
{
    /* one formatting pass for the usual message; a second only for a
     * longer one (measuring with a NULL buffer costs more than printing) */
    char buf[2048];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n < 0)
        return NULL;
    char *s = malloc((size_t)n + 1);
    if (!s)
        return NULL;
    if ((size_t)n < sizeof buf) {
        memcpy(s, buf, (size_t)n + 1);
        return s;
    }
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return s;
}

/* first and the strings after it up to a NULL, joined into buf and cut to
 * size - 1 bytes (size > 0) as snprintf would; returns the length of the
 * whole join. */
static size_t join_strings(char *buf, size_t size, const char *first, va_list ap)
{
    size_t n = 0;
    for (const char *p = first; p; p = va_arg(ap, const char *)) {
        size_t len = strlen(p);
        if (n + 1 < size)
            memcpy(buf + n, p, len < size - 1 - n ? len : size - 1 - n);
        n += len;
    }
    buf[n < size ? n : size - 1] = '\0';
    return n;
}

char *rc_join(char *buf, size_t size, const char *first, ...)
{
    va_list ap;
    va_start(ap, first);
    join_strings(buf, size, first, ap);
    va_end(ap);
    return buf;
}

/* The strings up to a NULL, joined and malloc'ed: the messages of every
 * check, which formatting through vsnprintf made cost more than the check
 * itself.  One pass into a buffer for the usual message, a second only
 * for a longer one. */
static char *concat(const char *first, ...) __attribute__((sentinel));
static char *concat(const char *first, ...)
{
    char buf[2048];
    va_list ap;
    va_start(ap, first);
    size_t n = join_strings(buf, sizeof buf, first, ap);
    va_end(ap);
    char *s = malloc(n + 1);
    if (!s)
        return NULL;
    if (n < sizeof buf) {
        memcpy(s, buf, n + 1);
        return s;
    }
    va_start(ap, first);
    join_strings(s, n + 1, first, ap);
    va_end(ap);
    return s;
}

static bp_decimal abs_dec(bp_decimal d)
{
    if (d.mantissa < 0 && d.mantissa != INT64_MIN)
        d.mantissa = -d.mantissa;
    return d;
}

/* Sums the operands; skip = index of an operand to replace by `alt` (or
 * SIZE_MAX).  Returns false when an operand is unusable or on overflow. */
static bool evaluate(const rc_check *c, size_t skip, bp_decimal alt, int alt_precision,
                     bp_decimal *expected, bp_decimal *actual, bp_decimal *diff,
                     bp_decimal *tol, bool *has_actual)
{
    *expected = bp_decimal_make(0, 0);
    *actual = bp_decimal_make(0, 0);
    *tol = bp_decimal_make(0, 0);
    *has_actual = false;
    for (size_t i = 0; i < c->n_ops; i++) {
        const rc_operand *o = &c->ops[i];
        if (!o->usable)
            return false;
        bp_decimal v = i == skip ? alt : o->value;
        int prec = i == skip ? alt_precision : o->precision;
        if (!o->blank || i == skip) {
            /* precision < 0 after a unit conversion means a bound above 1 */
            bp_decimal bound = bp_decimal_half_ulp(prec);
            if (prec < 0) {
                int64_t m = 5;
                for (int k = prec + 1; k < 0; k++)
                    m *= 10;
                bound = bp_decimal_make(m, 0);
            }
            if (bp_decimal_add(*tol, bound, tol, NULL) != BP_OK)
                return false;
        }
        if (o->sign == 0) {
            *actual = v;
            *has_actual = true;
        } else if (o->sign > 0) {
            if (bp_decimal_add(*expected, v, expected, NULL) != BP_OK)
                return false;
        } else if (bp_decimal_sub(*expected, v, expected, NULL) != BP_OK) {
            return false;
        }
    }
    return bp_decimal_sub(*actual, *expected, diff, NULL) == BP_OK;
}

static rc_status classify(bp_decimal diff, bp_decimal tol)
{
    if (diff.mantissa == 0)
        return RC_OK;
    return bp_decimal_cmp(abs_dec(diff), tol) <= 0 ? RC_ROUNDING : RC_MISMATCH;
}

static const char *status_zh(rc_status s)
{
    switch (s) {
    case RC_OK: return "一致";
    case RC_ROUNDING: return "尾数误差";
    case RC_MISMATCH: return "不一致";
    case RC_UNVERIFIABLE: return "无法核对";
    }
    return "";
}

/* Looks for one operand that, read ×/÷ a unit factor, closes the gap. */
static bool find_unit_slip(const rc_check *c, size_t *which, int64_t *factor, bool *multiply)
{
    static const int64_t factors[] = {10000, 1000, 10, 100000000};
    for (size_t i = 0; i < c->n_ops; i++) {
        const rc_operand *o = &c->ops[i];
        if (!o->usable || o->value.mantissa == 0)
            continue;
        for (size_t f = 0; f < sizeof factors / sizeof factors[0]; f++) {
            int digits = 0;
            for (int64_t x = factors[f]; x >= 10; x /= 10)
                digits++;
            for (int dir = 0; dir < 2; dir++) {
                bp_decimal alt;
                int alt_prec;
                if (dir == 0) {
                    if (bp_decimal_mul_int(o->value, factors[f], &alt, NULL) != BP_OK)
                        continue;
                    alt_prec = o->precision - digits;
                } else {
                    if (o->value.scale + digits > BP_DECIMAL_MAX_SCALE)
                        continue;
                    alt = o->value;
                    alt.scale += digits;
                    alt_prec = o->precision + digits;
                }
                bp_decimal e, a, d, t;
                bool has_a;
                if (!evaluate(c, i, alt, alt_prec, &e, &a, &d, &t, &has_a))
                    continue;
                /* a slip turns a real figure into another real figure:
                 * never into (or out of) zero */
                bp_decimal alt_abs = abs_dec(alt);
                if (classify(d, t) != RC_MISMATCH && e.mantissa != 0 && a.mantissa != 0 &&
                    bp_decimal_cmp(alt_abs, t) > 0) {
                    *which = i;
                    *factor = factors[f];
                    *multiply = dir == 0;
                    return true;
                }
            }
        }
    }
    return false;
}

void rc_check_finish(rc_check *c, const char *what_zh, const char *what_en)
{
    if (c == NULL)
        return;
    bool has_actual = false;
    bp_decimal e, a, d, t;
    const char *why_zh = NULL, *why_en = NULL;
    for (size_t i = 0; i < c->n_ops && !why_zh; i++)
        if (!c->ops[i].usable) {
            why_zh = c->ops[i].sign == 0 ? "所列数字缺失或无法识别" : "有运算数缺失或无法识别";
            why_en = c->ops[i].sign == 0 ? "the stated figure is missing or unreadable"
                                         : "an operand is missing or unreadable";
        }
    if (!why_zh && !evaluate(c, SIZE_MAX, bp_decimal_make(0, 0), 0, &e, &a, &d, &t, &has_actual)) {
        why_zh = "数值溢出";
        why_en = "arithmetic overflow";
    }
    if (!why_zh && !has_actual) {
        why_zh = "缺少所列数字";
        why_en = "no stated figure";
    }
    if (why_zh) {
        c->status = RC_UNVERIFIABLE;
        c->has_numbers = false;
        c->message = concat(what_zh, "：无法核对（", why_zh, "）", NULL);
        c->message_en = concat(what_en, ": unverifiable (", why_en, ")", NULL);
        return;
    }
    c->has_numbers = true;
    c->expected = e;
    c->actual = a;
    c->difference = d;
    c->tolerance = t;
    c->status = classify(d, t);
    char se[64], sa[64], sd[64], st[64];
    rc_format(e, se, sizeof se);
    rc_format(a, sa, sizeof sa);
    rc_format(d, sd, sizeof sd);
    rc_format(t, st, sizeof st);
    size_t which;
    int64_t factor;
    bool multiply;
    if (c->status == RC_MISMATCH && c->n_ops >= 2 && find_unit_slip(c, &which, &factor, &multiply)) {
        copy_text(c->rule, sizeof c->rule, "unit_slip");
        const rc_operand *o = &c->ops[which];
        c->message = dup_printf("%s：印%s，应为%s，差%s；“%s”（%s）按%s%lld读则相符，疑为单位错误",
                                what_zh, sa, se, sd, o->label ? o->label : "", o->text,
                                multiply ? "×" : "÷", (long long)factor);
        c->message_en = dup_printf("%s: printed %s, operands give %s (difference %s); "
                                   "'%s' (%s) read %s%lld fits, likely a unit error",
                                   what_en, sa, se, sd, o->label ? o->label : "", o->text,
                                   multiply ? "x" : "/", (long long)factor);
        return;
    }
    c->message = concat(what_zh, "：印", sa, "，应为", se, "，差", sd, "，容差", st, "（",
                        status_zh(c->status), "）", NULL);
    c->message_en = concat(what_en, ": printed ", sa, ", operands give ", se, ", difference ", sd,
                           ", tolerance ", st, " (", rc_status_name(c->status), ")", NULL);
}

void rc_check_finish_fixed(rc_check *c, rc_status status, const char *msg_zh,
                           const char *msg_en)
{
    if (c == NULL)
        return;
    c->status = status;
    c->message = strdup(msg_zh);
    c->message_en = strdup(msg_en);
}
