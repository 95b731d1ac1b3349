/*
 * hostile_gen.c — writes a folder of damaged and hostile PDFs for the
 * robustness tests and the bench, at run time (nothing generated is ever
 * committed).
 *
 *   hostile_gen [--bomb-mb N] [--real-every K] OUTDIR COUNT SEED [SOURCE.pdf ...]
 *
 * Two families:
 *   - hand-made hostile documents, always written (special-*.pdf): absurd
 *     page counts and sizes, deep nesting, broken and looping xref and page
 *     trees, a decompression bomb (a FlateDecode∘FlateDecode content
 *     stream that inflates to --bomb-mb MiB of zeros, 2048 by default),
 *     a huge declared stream length, a page flooded with glyphs, a huge
 *     image;
 *   - COUNT mutants (mutant-NNNN-KIND.pdf) of the sources — the project's
 *     own small PDFs (built here with bp_test_minimal_pdf) plus any SOURCE
 *     files given (every K-th mutant, default every one in turn: mutants
 *     of real documents cost more to ingest): truncation at offsets spread
 *     over the file, bit flips,
 *     random overwrites, numbers replaced by absurd ones, chunks deleted
 *     or duplicated, PDF keywords swapped.
 * The same SEED gives the same files.  Sources are read, never modified.
 * Prints one line: how many files it wrote.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "tests/test_support.h"

/* ---- a tiny deterministic PRNG (xorshift64*) ----------------------------- */

static uint64_t rng_state = 88172645463325252ULL;

static uint64_t rng_next(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 2685821657736338717ULL;
}

static size_t rng_below(size_t n)
{
    return n ? (size_t)(rng_next() % n) : 0;
}

/* ---- growable byte buffer ------------------------------------------------- */

typedef struct buffer {
    unsigned char *data;
    size_t len, cap;
} buffer;

static void buf_reserve(buffer *b, size_t more)
{
    if (b->len + more <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < b->len + more)
        cap *= 2;
    b->data = realloc(b->data, cap);
    if (b->data == NULL) {
        fprintf(stderr, "hostile_gen: out of memory\n");
        exit(2);
    }
    b->cap = cap;
}

static void buf_add(buffer *b, const void *data, size_t n)
{
    buf_reserve(b, n + 1);
    memcpy(b->data + b->len, data, n);
    b->len += n;
    b->data[b->len] = '\0';
}

static void buf_printf(buffer *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void buf_printf(buffer *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    buf_reserve(b, (size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf((char *)b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

static void buf_repeat(buffer *b, const char *text, size_t times)
{
    size_t n = strlen(text);
    buf_reserve(b, n * times + 1);
    for (size_t i = 0; i < times; i++)
        buf_add(b, text, n);
}

/* Replaces b's contents with head, then open and close each depth times. */
static void nest(buffer *b, const char *head, const char *open, const char *close,
                 size_t depth)
{
    b->len = 0;
    buf_add(b, head, strlen(head));
    buf_repeat(b, open, depth);
    buf_repeat(b, close, depth);
}

/* ---- building a PDF from numbered objects -------------------------------- */

/* A document under construction: object bodies (without "N 0 obj" …
 * "endobj"), numbered from 1; the writer adds a correct xref unless told
 * otherwise. */
typedef struct pdf_doc {
    buffer objects[64];
    int n;
} pdf_doc;

static int obj_new(pdf_doc *d)
{
    return ++d->n;
}

static buffer *obj(pdf_doc *d, int number)
{
    return &d->objects[number - 1];
}

/* A stream object: dictionary entries (without << >>) plus raw bytes. */
static void obj_stream(pdf_doc *d, int number, const char *dict, const void *data, size_t n)
{
    buffer *b = obj(d, number);
    buf_printf(b, "<< %s /Length %zu >>\nstream\n", dict, n);
    buf_add(b, data, n);
    buf_printf(b, "\nendstream");
}

static void doc_write(pdf_doc *d, buffer *out, const char *trailer_extra)
{
    size_t offsets[64];
    buf_printf(out, "%%PDF-1.4\n%%\xe2\xe3\xcf\xd3\n");
    for (int i = 1; i <= d->n; i++) {
        offsets[i - 1] = out->len;
        buf_printf(out, "%d 0 obj\n", i);
        buf_add(out, obj(d, i)->data ? obj(d, i)->data : (unsigned char *)"null",
                obj(d, i)->data ? obj(d, i)->len : 4);
        buf_printf(out, "\nendobj\n");
    }
    size_t xref = out->len;
    buf_printf(out, "xref\n0 %d\n0000000000 65535 f \n", d->n + 1);
    for (int i = 0; i < d->n; i++)
        buf_printf(out, "%010zu 00000 n \n", offsets[i]);
    buf_printf(out, "trailer\n<< /Size %d /Root 1 0 R %s >>\nstartxref\n%zu\n%%%%EOF\n",
               d->n + 1, trailer_extra ? trailer_extra : "", xref);
    for (int i = 0; i < d->n; i++)
        free(d->objects[i].data);
    memset(d, 0, sizeof *d);
}

/* Catalog (1), Pages (2), font (3), one page (4) showing `content`, with
 * extra entries spliced into the Pages and Page dictionaries. */
static void one_page_doc(pdf_doc *d, const char *pages_extra, const char *page_extra,
                         const void *content, size_t content_len, const char *content_dict)
{
    memset(d, 0, sizeof *d);
    int catalog = obj_new(d), pages = obj_new(d), font = obj_new(d), page = obj_new(d),
        stream = obj_new(d);
    buf_printf(obj(d, catalog), "<< /Type /Catalog /Pages %d 0 R >>", pages);
    buf_printf(obj(d, pages), "<< /Type /Pages /Kids [%d 0 R] %s >>", page,
               pages_extra ? pages_extra : "/Count 1");
    buf_printf(obj(d, font), "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
    buf_printf(obj(d, page),
               "<< /Type /Page /Parent %d 0 R %s /Resources << /Font << /F1 %d 0 R >> >>"
               " /Contents %d 0 R >>",
               pages, page_extra ? page_extra : "/MediaBox [0 0 612 792]", font, stream);
    obj_stream(d, stream, content_dict ? content_dict : "", content, content_len);
}

static const char plain_content[] = "BT /F1 12 Tf 72 720 Td (Budget total 256,890) Tj ET";

/* ---- the decompression bomb ---------------------------------------------- */

/* zlib bytes of `mib` MiB of zeros, built without compressing them all: after
 * Z_FULL_FLUSH the compressor restarts from an empty window, so every
 * further 1 MiB chunk compresses to the same bytes; the checksum comes from
 * adler32_combine. */
static void zeros_deflated(uint64_t mib, buffer *out)
{
    enum { CHUNK = 1 << 20 };
    unsigned char *zeros = calloc(1, CHUNK);
    buffer first = {0}, repeat = {0}, again = {0};
    z_stream z;
    memset(&z, 0, sizeof z);
    deflateInit(&z, 9);
    buffer *parts[3] = {&first, &repeat, &again};
    for (int i = 0; i < 3; i++) {
        buf_reserve(parts[i], CHUNK);
        z.next_in = zeros;
        z.avail_in = CHUNK;
        z.next_out = parts[i]->data;
        z.avail_out = CHUNK;
        deflate(&z, Z_FULL_FLUSH);
        parts[i]->len = CHUNK - z.avail_out;
    }
    unsigned char tail[64];
    z.next_in = NULL;
    z.avail_in = 0;
    z.next_out = tail;
    z.avail_out = sizeof tail;
    deflate(&z, Z_FINISH);
    size_t tail_len = sizeof tail - z.avail_out;
    deflateEnd(&z);
    if (repeat.len != again.len || memcmp(repeat.data, again.data, repeat.len) != 0 ||
        tail_len < 4) {
        fprintf(stderr, "hostile_gen: zlib does not repeat after a full flush\n");
        exit(2);
    }
    uLong chunk_adler = adler32(adler32(0, NULL, 0), zeros, CHUNK);
    uLong adler = chunk_adler;
    buf_add(out, first.data, first.len);
    for (uint64_t i = 1; i < mib; i++) {
        buf_add(out, repeat.data, repeat.len);
        adler = adler32_combine(adler, chunk_adler, CHUNK);
    }
    unsigned char checksum[4] = {(unsigned char)(adler >> 24), (unsigned char)(adler >> 16),
                                 (unsigned char)(adler >> 8), (unsigned char)adler};
    memcpy(tail + tail_len - 4, checksum, 4);
    buf_add(out, tail, tail_len);
    free(zeros);
    free(first.data);
    free(repeat.data);
    free(again.data);
}

static void deflate_buffer(const buffer *in, buffer *out)
{
    uLongf n = compressBound(in->len);
    buf_reserve(out, n);
    compress2(out->data + out->len, &n, in->data, in->len, 9);
    out->len += n;
}

/* ---- writing files -------------------------------------------------------- */

static const char *outdir;
static int written;

static void write_named(const char *name, const void *data, size_t size)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s.pdf", outdir, name);
    if (bp_test_write_file(path, data, size) != 0) {
        fprintf(stderr, "hostile_gen: cannot write %s: %s\n", path, strerror(errno));
        exit(2);
    }
    written++;
}

static void write_doc(const char *name, pdf_doc *d, const char *trailer_extra)
{
    buffer out = {0};
    doc_write(d, &out, trailer_extra);
    write_named(name, out.data, out.len);
    free(out.data);
}

static void write_specials(uint64_t bomb_mib)
{
    pdf_doc d;
    const size_t plain_len = strlen(plain_content);

    one_page_doc(&d, "/Count 1000000000", NULL, plain_content, plain_len, NULL);
    write_doc("special-count-1e9", &d, NULL);
    one_page_doc(&d, "/Count -7", NULL, plain_content, plain_len, NULL);
    write_doc("special-count-negative", &d, NULL);
    one_page_doc(&d, NULL, "/MediaBox [0 0 1e9 1e9]", plain_content, plain_len, NULL);
    write_doc("special-mediabox-1e9", &d, NULL);
    /* One absurd corner: poppler keeps this box (the one above it clamps). */
    one_page_doc(&d, NULL, "/MediaBox [4294967295 0 612 792]", plain_content, plain_len, NULL);
    write_doc("special-mediabox-wide", &d, NULL);
    one_page_doc(&d, NULL, "/MediaBox [0 0 0 0]", plain_content, plain_len, NULL);
    write_doc("special-mediabox-empty", &d, NULL);
    one_page_doc(&d, NULL, "/MediaBox [-1e308 -1e308 1e308 1e308] /UserUnit 1e30",
                 plain_content, plain_len, NULL);
    write_doc("special-mediabox-1e308", &d, NULL);
    one_page_doc(&d, NULL, "/MediaBox [0 0 612 792] /Rotate 45", plain_content, plain_len,
                 NULL);
    write_doc("special-rotate-45", &d, NULL);

    /* Deep nesting: in the page dictionary, in the resources, in the
     * content stream's operands and in the trailer. */
    const size_t depth = 100000;
    static const char page_deep[] = "/MediaBox [0 0 612 792] /Deep ";
    buffer deep = {0};
    nest(&deep, page_deep, "[", "]", depth);
    one_page_doc(&d, NULL, (char *)deep.data, plain_content, plain_len, NULL);
    write_doc("special-nested-arrays", &d, NULL);
    nest(&deep, page_deep, "<< /A ", ">> ", depth);
    one_page_doc(&d, NULL, (char *)deep.data, plain_content, plain_len, NULL);
    write_doc("special-nested-dicts", &d, NULL);
    nest(&deep, "BT /F1 12 Tf 72 720 Td ", "[", "]", depth);
    buf_printf(&deep, " TJ (after) Tj ET");
    one_page_doc(&d, NULL, NULL, deep.data, deep.len, NULL);
    write_doc("special-nested-content", &d, NULL);
    nest(&deep, "/Deep ", "[<< /A ", ">>]", depth / 2);
    one_page_doc(&d, NULL, NULL, plain_content, plain_len, NULL);
    write_doc("special-nested-trailer", &d, (char *)deep.data);
    free(deep.data);

    /* Page trees: a loop, a page listed thousands of times, a kid that is
     * not a page. */
    one_page_doc(&d, "/Count 2 /Kids [4 0 R 2 0 R]", NULL, plain_content, plain_len, NULL);
    write_doc("special-pages-loop", &d, NULL);
    buffer kids = {0};
    buf_printf(&kids, "/Count 4000 /Kids [");
    buf_repeat(&kids, "4 0 R ", 4000);
    buf_printf(&kids, "]");
    one_page_doc(&d, (char *)kids.data, NULL, plain_content, plain_len, NULL);
    write_doc("special-pages-repeated", &d, NULL);
    free(kids.data);
    one_page_doc(&d, "/Count 1 /Kids [3 0 R]", NULL, plain_content, plain_len, NULL);
    write_doc("special-pages-kid-is-font", &d, NULL);

    /* Cross-reference damage. */
    buffer out = {0};
    one_page_doc(&d, NULL, NULL, plain_content, plain_len, NULL);
    doc_write(&d, &out, NULL);
    char *xref = strstr((char *)out.data, "xref\n0 ");
    for (char *p = xref; p && *p && p < (char *)out.data + out.len; p++)
        if (*p >= '1' && *p <= '9' && p > xref + 12 && p[-1] == '0')
            *p = '7'; /* every offset wrong */
    write_named("special-xref-offsets-wrong", out.data, out.len);
    out.len = 0;
    one_page_doc(&d, NULL, NULL, plain_content, plain_len, NULL);
    doc_write(&d, &out, NULL);
    xref = strstr((char *)out.data, "xref\n0 ");
    write_named("special-xref-missing", out.data, (size_t)(xref - (char *)out.data));
    out.len = 0;
    one_page_doc(&d, NULL, NULL, plain_content, plain_len, NULL);
    doc_write(&d, &out, "/Prev 0");
    char *sx = strstr((char *)out.data, "startxref\n");
    size_t xref_at = (size_t)strtoull(sx + 10, NULL, 10);
    out.len = (size_t)(sx - (char *)out.data);
    char *prev = strstr((char *)out.data, "/Prev 0");
    char self[32];
    int n = snprintf(self, sizeof self, "/Prev %zu", xref_at);
    if (prev && n <= 12) { /* point /Prev at this very xref: a loop */
        memmove(prev + n, prev + 7, out.len - (size_t)(prev + 7 - (char *)out.data));
        memcpy(prev, self, (size_t)n);
        out.len += (size_t)n - 7;
    }
    buf_printf(&out, "startxref\n%zu\n%%%%EOF\n", xref_at);
    write_named("special-xref-prev-loop", out.data, out.len);
    out.len = 0;
    one_page_doc(&d, NULL, NULL, plain_content, plain_len, NULL);
    doc_write(&d, &out, NULL);
    sx = strstr((char *)out.data, "startxref\n");
    out.len = (size_t)(sx - (char *)out.data);
    buf_printf(&out, "startxref\n99999999999999999999\n%%%%EOF\n");
    write_named("special-startxref-huge", out.data, out.len);
    out.len = 0;
    one_page_doc(&d, NULL, NULL, plain_content, plain_len, NULL);
    doc_write(&d, &out, "/Size 2147483647 /Encrypt 99 0 R");
    write_named("special-trailer-absurd", out.data, out.len);
    free(out.data);

    /* Streams: a length far past the end, the decompression bomb, a
     * glyph flood, an image of absurd size. */
    one_page_doc(&d, NULL, NULL, plain_content, plain_len, NULL);
    buffer *s = obj(&d, 5);
    s->len = 0;
    buf_printf(s, "<< /Length 999999999999 >>\nstream\n%s\nendstream", plain_content);
    write_doc("special-stream-length-huge", &d, NULL);

    buffer inner = {0}, outer = {0};
    zeros_deflated(bomb_mib, &inner);
    deflate_buffer(&inner, &outer);
    one_page_doc(&d, NULL, NULL, outer.data, outer.len, "/Filter [/FlateDecode /FlateDecode]");
    write_doc("special-deflate-bomb", &d, NULL);
    free(inner.data);
    free(outer.data);

    buffer flood = {0};
    buf_printf(&flood, "BT /F1 4 Tf ");
    for (int i = 0; i < 20000; i++)
        buf_printf(&flood, "1 0 0 1 %d %d Tm (%d) Tj ", (int)rng_below(600),
                   (int)rng_below(780), (int)rng_below(100000));
    buf_printf(&flood, "ET");
    one_page_doc(&d, NULL, NULL, flood.data, flood.len, NULL);
    write_doc("special-glyph-flood", &d, NULL);
    free(flood.data);

    one_page_doc(&d, NULL, NULL, "", 0, NULL);
    s = obj(&d, 4);
    s->len = 0;
    buf_printf(s, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << "
                  "/Font << /F1 3 0 R >> /XObject << /Im1 6 0 R >> >> /Contents 5 0 R >>");
    s = obj(&d, 5);
    s->len = 0;
    const char *draw = "q 612 0 0 792 0 0 cm /Im1 Do Q BT /F1 12 Tf 72 720 Td (image) Tj ET";
    obj_stream(&d, 5, "", draw, strlen(draw));
    int image = obj_new(&d);
    unsigned char pixels[16] = {0};
    obj_stream(&d, image,
               "/Type /XObject /Subtype /Image /Width 1000000000 /Height 1000000000"
               " /ColorSpace /DeviceRGB /BitsPerComponent 8",
               pixels, sizeof pixels);
    write_doc("special-image-huge", &d, NULL);
}

/* ---- mutants -------------------------------------------------------------- */

typedef struct source {
    char name[64];
    unsigned char *data;
    size_t size;
} source;

/* memmem(), which C11 lacks. */
static unsigned char *find_bytes(unsigned char *hay, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = 0; k && i + k <= n; i++)
        if (memcmp(hay + i, needle, k) == 0)
            return hay + i;
    return NULL;
}

static const char *const keywords[] = {"obj", "endobj", "stream", "endstream", "xref",
                                       "trailer", "startxref", "/Length", "/Count",
                                       "/Kids", "/Type", "/Page", "/Filter", "R", "<<",
                                       ">>", "[", "]", "/Root", "/Size"};

static const char *const absurd_numbers[] = {"99999999999999999999", "-1", "0",
                                             "2147483648", "-2147483649", "1e308",
                                             "4294967295", "nan", "00000000000000000000001",
                                             "3.4e38"};

/* Finds a random run of digits; returns its start and sets *len, or
 * returns SIZE_MAX. */
static size_t random_number(const buffer *b, size_t *len)
{
    for (int tries = 0; tries < 64; tries++) {
        size_t at = rng_below(b->len);
        while (at < b->len && !(b->data[at] >= '0' && b->data[at] <= '9'))
            at++;
        if (at >= b->len)
            continue;
        size_t end = at;
        while (end < b->len && b->data[end] >= '0' && b->data[end] <= '9')
            end++;
        *len = end - at;
        return at;
    }
    return SIZE_MAX;
}

static void splice(buffer *b, size_t at, size_t remove, const void *insert, size_t n)
{
    buf_reserve(b, n + 1);
    memmove(b->data + at + n, b->data + at + remove, b->len - at - remove);
    memcpy(b->data + at, insert, n);
    b->len = b->len - remove + n;
}

static const char *mutate(buffer *b, size_t index, size_t count)
{
    size_t size = b->len;
    switch (rng_below(8)) {
    case 0: /* truncation at offsets spread evenly over the file */
        b->len = size * (index % 97 + 1) / 98;
        return "truncated";
    case 1: { /* a few bit flips */
        size_t flips = 1 + rng_below(16);
        for (size_t i = 0; i < flips; i++)
            b->data[rng_below(size)] ^= (unsigned char)(1u << rng_below(8));
        return "bitflip";
    }
    case 2: { /* a run of random bytes */
        size_t at = rng_below(size), n = 1 + rng_below(64);
        for (size_t i = at; i < at + n && i < size; i++)
            b->data[i] = (unsigned char)rng_next();
        return "overwrite";
    }
    case 3: { /* numbers (offsets, lengths, counts, coordinates) made absurd */
        for (int i = 0; i < 1 + (int)rng_below(4); i++) {
            size_t len, at = random_number(b, &len);
            if (at == SIZE_MAX)
                break;
            const char *bad = absurd_numbers[rng_below(sizeof absurd_numbers /
                                                       sizeof absurd_numbers[0])];
            splice(b, at, len, bad, strlen(bad));
        }
        return "number";
    }
    case 4: { /* a chunk deleted */
        size_t at = rng_below(size), n = 1 + rng_below(size / 8 + 1);
        if (at + n > size)
            n = size - at;
        splice(b, at, n, "", 0);
        return "deleted";
    }
    case 5: { /* a chunk duplicated elsewhere */
        size_t from = rng_below(size), n = 1 + rng_below(4096), to = rng_below(size);
        if (from + n > size)
            n = size - from;
        unsigned char *copy = malloc(n);
        memcpy(copy, b->data + from, n);
        splice(b, to, 0, copy, n);
        free(copy);
        return "duplicated";
    }
    case 6: { /* a keyword swapped for another */
        size_t nk = sizeof keywords / sizeof keywords[0];
        for (int tries = 0; tries < 32; tries++) {
            const char *from = keywords[rng_below(nk)], *to = keywords[rng_below(nk)];
            size_t at = rng_below(size);
            unsigned char *hit = find_bytes(b->data + at, b->len - at, from);
            if (hit) {
                splice(b, (size_t)(hit - b->data), strlen(from), to, strlen(to));
                break;
            }
        }
        return "keyword";
    }
    default: { /* the tail zeroed (a download cut short by a sparse file) */
        size_t at = size / 2 + rng_below(size / 2 + 1);
        memset(b->data + at, 0, size - at);
        (void)count;
        return "zeroed";
    }
    }
}

enum { N_MINIMAL = 2 }; /* sources made here, before those given */

static void add_minimal_sources(source *sources, int *n)
{
    static const char *const one[] = {"Budget 2022 total 256,890"};
    static const char *const five[] = {"page one 1,172.35", "page two (110.29)",
                                       "page three 21,866.99", "page four 0.00",
                                       "page five -4,440"};
    static const char *const *texts[] = {one, five};
    static const int counts[] = {1, 5};
    for (int i = 0; i < N_MINIMAL; i++) {
        source *s = &sources[(*n)++];
        snprintf(s->name, sizeof s->name, "minimal%d", counts[i]);
        s->data = (unsigned char *)bp_test_minimal_pdf(texts[i], counts[i], &s->size);
    }
}

static int read_source(const char *path, source *s)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return -1;
    buffer b = {0};
    unsigned char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        buf_add(&b, chunk, n);
    fclose(f);
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    snprintf(s->name, sizeof s->name, "%.*s", (int)strcspn(base, "."), base);
    s->data = b.data;
    s->size = b.len;
    return b.len ? 0 : -1;
}

int main(int argc, char **argv)
{
    uint64_t bomb_mib = 2048;
    size_t real_every = 0;
    int a = 1;
    while (a + 1 < argc && strncmp(argv[a], "--", 2) == 0) {
        if (strcmp(argv[a], "--bomb-mb") == 0)
            bomb_mib = strtoull(argv[a + 1], NULL, 10);
        else if (strcmp(argv[a], "--real-every") == 0)
            real_every = strtoull(argv[a + 1], NULL, 10);
        else
            break;
        a += 2;
    }
    if (argc - a < 3 || bomb_mib < 1) {
        fprintf(stderr, "usage: hostile_gen [--bomb-mb N] [--real-every K] OUTDIR COUNT SEED"
                        " [SOURCE.pdf ...]\n");
        return 2;
    }
    outdir = argv[a];
    size_t count = strtoull(argv[a + 1], NULL, 10);
    rng_state ^= strtoull(argv[a + 2], NULL, 10) * 0x9E3779B97F4A7C15ULL;
    if (rng_state == 0)
        rng_state = 1;

    source sources[66];
    int n_sources = 0;
    add_minimal_sources(sources, &n_sources);
    for (int i = a + 3; i < argc && n_sources < 66; i++) {
        if (read_source(argv[i], &sources[n_sources]) != 0) {
            fprintf(stderr, "hostile_gen: cannot read %s\n", argv[i]);
            return 2;
        }
        n_sources++;
    }

    write_specials(bomb_mib);
    for (size_t i = 0; i < count; i++) {
        size_t n_real = (size_t)n_sources - N_MINIMAL, pick = i % (size_t)n_sources;
        if (real_every > 0 && n_real > 0)
            pick = i % real_every == 0 ? N_MINIMAL + (i / real_every) % n_real : i % N_MINIMAL;
        const source *s = &sources[pick];
        buffer b = {0};
        buf_add(&b, s->data, s->size);
        const char *kind = mutate(&b, i / (size_t)n_sources, count);
        char name[128];
        snprintf(name, sizeof name, "mutant-%04zu-%s-%s", i, s->name, kind);
        write_named(name, b.data, b.len);
        free(b.data);
    }
    for (int i = 0; i < n_sources; i++)
        free(sources[i].data);
    printf("%d files\n", written);
    return 0;
}
