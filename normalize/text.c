/*
 * text.c — text normalization for display and storage (bp_text_normalize)
 * and label keys for matching (bp_label_fold).
 *
 * bp_text_normalize folds width (１２３ ，．％（） → ASCII) and repairs the
 * spacing of letter-spaced CJK words: a single space between two CJK
 * characters is removed when both neighbours are one-character "words"
 * (收 支 总 表 → 收支总表), while spaces between multi-character words,
 * numbers and cells stay (runs are collapsed to one).  CJK structure
 * punctuation (、。：；“”《》) is never touched.
 *
 * bp_label_fold is for matching only: it adds Traditional → Simplified
 * through ICU's Traditional-Simplified transliterator (compiled from ICU's
 * own Hant-Hans rules, see open_from_rules), drops all
 * whitespace and folds the remaining punctuation variants.  The one
 * transliterator is shared behind a mutex; ICU memory never leaves this
 * file (results are copied into malloc'ed UTF-8).
 */
#include "normalize/normalize.h"
#include "normalize/normalize_int.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/unorm2.h>
#include <unicode/ures.h>
#include <unicode/ustring.h>
#include <unicode/utrans.h>

/* Structure punctuation that compatibility folding must not touch. */
static bool is_protected(uint32_t c)
{
    switch (c) {
    case 0x3001: case 0x3002: case 0xFF1A: case 0xFF1B: case 0x201C:
    case 0x201D: case 0x300A: case 0x300B: case 0xFF01: case 0xFF1F:
    case 0x2014: case 0x2026:
        return true;
    default:
        return false;
    }
}

/* Enclosed and small-form characters (⑴ ㈠ ﹙) NFKC may fold safely. */
static bool nfkc_candidate(uint32_t c)
{
    return (c >= 0x2460 && c <= 0x24FF) || (c >= 0x3200 && c <= 0x32FF) ||
           (c >= 0xFE10 && c <= 0xFE6F) || (c >= 0x2150 && c <= 0x218F);
}

static bool put_nfkc(bp_strbuf *sb, uint32_t c)
{
    UErrorCode status = U_ZERO_ERROR;
    const UNormalizer2 *nfkc = unorm2_getNFKCInstance(&status);
    if (U_FAILURE(status))
        return bp_strbuf_put_cp(sb, c);
    UChar src[2], dst[16];
    int32_t src_len = 0;
    U16_APPEND_UNSAFE(src, src_len, c);
    int32_t n = unorm2_normalize(nfkc, src, src_len, dst, 16, &status);
    if (U_FAILURE(status) || n <= 0)
        return bp_strbuf_put_cp(sb, c);
    char utf8[64];
    int32_t out_len = 0;
    u_strToUTF8(utf8, (int32_t)sizeof utf8, &out_len, dst, n, &status);
    if (U_FAILURE(status))
        return bp_strbuf_put_cp(sb, c);
    return bp_strbuf_put(sb, utf8, (size_t)out_len);
}

/* Is cps[k] a CJK character standing alone between spaces/edges? */
static bool lone_cjk(const bp_cpbuf *b, size_t k)
{
    if (k >= b->n || !bp_is_cjk(b->cps[k]))
        return false;
    bool left_edge = k == 0 || !bp_is_cjk(b->cps[k - 1]);
    bool right_edge = k + 1 >= b->n || !bp_is_cjk(b->cps[k + 1]);
    return left_edge && right_edge;
}

bp_status bp_text_normalize(const char *text, size_t len, unsigned flags,
                            char **out, bp_error *err)
{
    if (text == NULL || out == NULL)
        return bp_error_set(err, BP_ERR_USAGE, 0, "bp_text_normalize: NULL argument");
    *out = NULL;
    if (len == (size_t)-1)
        len = strlen(text);
    bp_cpbuf b;
    bp_status st = bp_cpbuf_decode(text, len, (flags & BP_NORMALIZE_WIDTH) != 0, &b, err);
    if (st != BP_OK)
        return st;
    bp_strbuf sb = {0};
    bool ok = bp_strbuf_put(&sb, "", 0);
    bool spacing = (flags & BP_NORMALIZE_SPACING) != 0;
    for (size_t i = 0; i < b.n && ok; i++) {
        uint32_t c = b.cps[i];
        if (spacing && bp_is_space(c)) {
            size_t j = i;
            while (j < b.n && bp_is_space(b.cps[j]))
                j++;
            bool at_edge = i == 0 || j == b.n;
            bool letter_spaced = j == i + 1 && i > 0 && lone_cjk(&b, i - 1) &&
                                 lone_cjk(&b, j);
            if (!at_edge && !letter_spaced)
                ok = bp_strbuf_put(&sb, " ", 1);
            i = j - 1;
            continue;
        }
        if ((flags & BP_NORMALIZE_NFKC_SAFE) && nfkc_candidate(c) && !is_protected(c))
            ok = put_nfkc(&sb, c);
        else
            ok = bp_strbuf_put_cp(&sb, c);
    }
    bp_cpbuf_free(&b);
    if (!ok) {
        free(sb.data);
        return bp_error_set(err, BP_ERR_NOMEM, 0, "out of memory normalizing text");
    }
    *out = sb.data;
    return BP_OK;
}

/* ---- Traditional → Simplified ------------------------------------- */

static pthread_once_t trans_once = PTHREAD_ONCE_INIT;
static pthread_mutex_t trans_lock = PTHREAD_MUTEX_INITIALIZER;
static UTransliterator *trans; /* NULL when ICU lacks the transform */

/* The Traditional-Simplified transform compiled from its rules, which ICU
 * keeps in its transliteration data as the Hant-Hans entry (a rule file
 * and the direction to read it in).  Opening it by name does the same,
 * but first builds ICU's registry of every transform: 5× the work (about
 * 30 ms).  NULL when the data is laid out otherwise. */
static UTransliterator *open_from_rules(void)
{
    UErrorCode status = U_ZERO_ERROR;
    UResourceBundle *root = ures_openDirect(U_ICUDATA_NAME "-translit", "root", &status);
    UResourceBundle *ids = ures_getByKey(root, "RuleBasedTransliteratorIDs", NULL, &status);
    UResourceBundle *entry = ures_getByKey(ids, "Hant-Hans", NULL, &status);
    UResourceBundle *file = ures_getByKey(entry, "file", NULL, &status);
    int32_t n_rules = 0, n_direction = 0;
    const UChar *rules = ures_getStringByKey(file, "resource", &n_rules, &status);
    const UChar *direction = ures_getStringByKey(file, "direction", &n_direction, &status);
    UTransliterator *t = NULL;
    if (U_SUCCESS(status)) {
        UChar id[16], reverse[8];
        u_uastrcpy(id, "Hant-Hans");
        u_uastrcpy(reverse, "REVERSE");
        UTransDirection dir = u_strCompare(direction, n_direction, reverse, -1, false) == 0
                                  ? UTRANS_REVERSE
                                  : UTRANS_FORWARD;
        UParseError where;
        t = utrans_openU(id, -1, dir, rules, n_rules, &where, &status);
        if (U_FAILURE(status))
            t = NULL;
    }
    ures_close(file);
    ures_close(entry);
    ures_close(ids);
    ures_close(root);
    return t;
}

static void open_transliterator(void)
{
    trans = open_from_rules();
    if (trans != NULL)
        return;
    UErrorCode status = U_ZERO_ERROR;
    UChar id[32];
    u_uastrcpy(id, "Traditional-Simplified");
    trans = utrans_openU(id, -1, UTRANS_FORWARD, NULL, 0, NULL, &status);
    if (U_FAILURE(status))
        trans = NULL;
}

void bp_label_fold_prepare(void)
{
    pthread_once(&trans_once, open_transliterator);
}

/* Transliterates UTF-16 in place (buf has room for cap units). */
static bool to_simplified(UChar *buf, int32_t *n, int32_t cap)
{
    bp_label_fold_prepare();
    if (trans == NULL)
        return false;
    UErrorCode status = U_ZERO_ERROR;
    int32_t limit = *n;
    pthread_mutex_lock(&trans_lock);
    utrans_transUChars(trans, buf, n, cap, 0, &limit, &status);
    pthread_mutex_unlock(&trans_lock);
    return U_SUCCESS(status);
}

static uint32_t fold_label_cp(uint32_t c)
{
    switch (c) {
    case 0x3010: return '[';
    case 0x3011: return ']';
    case 0xFF1A: return ':';
    case 0xFF1B: return ';';
    case 0x201C: case 0x201D: return '"';
    default:
        if (c >= 'A' && c <= 'Z')
            return c + ('a' - 'A');
        return c;
    }
}

bp_status bp_label_fold(const char *text, size_t len, char **out, bp_error *err)
{
    char *norm = NULL;
    bp_status st = bp_text_normalize(text, len,
                                     BP_NORMALIZE_DEFAULT | BP_NORMALIZE_NFKC_SAFE,
                                     &norm, err);
    if (st != BP_OK)
        return st;
    /* drop whitespace, fold punctuation */
    bp_cpbuf b;
    st = bp_cpbuf_decode(norm, strlen(norm), false, &b, err);
    free(norm);
    if (st != BP_OK)
        return st;
    size_t n16 = 0;
    int32_t cap = (int32_t)(b.n * 2 + 16);
    UChar *u16 = malloc((size_t)cap * sizeof *u16);
    if (u16 == NULL) {
        bp_cpbuf_free(&b);
        return bp_error_set(err, BP_ERR_NOMEM, 0, "out of memory folding label");
    }
    for (size_t i = 0; i < b.n; i++) {
        uint32_t c = b.cps[i];
        if (bp_is_space(c))
            continue;
        c = fold_label_cp(c);
        int32_t k = (int32_t)n16;
        U16_APPEND_UNSAFE(u16, k, c);
        n16 = (size_t)k;
    }
    bp_cpbuf_free(&b);
    int32_t n = (int32_t)n16;
    to_simplified(u16, &n, cap); /* without ICU data the key stays as is */
    UErrorCode status = U_ZERO_ERROR;
    int32_t need = 0;
    u_strToUTF8(NULL, 0, &need, u16, n, &status);
    status = U_ZERO_ERROR;
    char *utf8 = malloc((size_t)need + 1);
    if (utf8 == NULL) {
        free(u16);
        return bp_error_set(err, BP_ERR_NOMEM, 0, "out of memory folding label");
    }
    u_strToUTF8(utf8, need + 1, NULL, u16, n, &status);
    free(u16);
    if (U_FAILURE(status)) {
        free(utf8);
        return bp_error_set(err, BP_ERR_INTERNAL, 0, "ICU: %s", u_errorName(status));
    }
    utf8[need] = '\0';
    *out = utf8;
    return BP_OK;
}
