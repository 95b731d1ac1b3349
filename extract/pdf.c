/*
 * pdf.c — opening a PDF with poppler-glib and extracting a page's glyphs.
 *
 * The file is read fully into memory and handed to poppler as GBytes, so a
 * document never changes underneath us and its sha256 is of exactly the
 * bytes parsed.  Per page, poppler_page_get_text() gives the characters in
 * poppler's reading order and poppler_page_get_text_layout() one box per
 * character; whitespace characters break words and are not kept as glyphs.
 * Grouping words into lines is lines.c's job.
 *
 * GLib memory is freed here; nothing allocated by GLib leaves this file.
 */
#include "extract/extract.h"
#include "extract/extract_int.h"

#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <nettle/sha2.h>
#include <poppler.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct bp_pdf {
    char *name;
    GBytes *bytes;
    void *owned_data;     /* file contents when we read the file */
    void *patched_data;   /* what poppler parses, when it differs (see below) */
    PopplerDocument *doc;
    bp_vector_doc *vector;  /* the same bytes read by qpdf, for rules.c */
    int vector_tried;
    bp_pdf_info info;
    bp_extract_limits limits;
};

static char *dup_or_null(const char *s)
{
    return s && *s ? strdup(s) : NULL;
}

/* The digest in ctx as 64 lowercase hex digits into out. */
static void sha256_hex(struct sha256_ctx *ctx, char out[65])
{
    uint8_t digest[SHA256_DIGEST_SIZE];
    sha256_digest(ctx, sizeof digest, digest);
    for (size_t i = 0; i < sizeof digest; i++)
        snprintf(out + 2 * i, 3, "%02x", digest[i]);
}

static void info_from_document(bp_pdf *pdf, const void *data, size_t size)
{
    struct sha256_ctx ctx;
    sha256_init(&ctx);
    sha256_update(&ctx, size, data);
    sha256_hex(&ctx, pdf->info.sha256);
    pdf->info.file_size = (int64_t)size;
    pdf->info.n_pages = poppler_document_get_n_pages(pdf->doc);

    gchar *s = poppler_document_get_producer(pdf->doc);
    pdf->info.producer = dup_or_null(s);
    g_free(s);
    s = poppler_document_get_creator(pdf->doc);
    pdf->info.creator = dup_or_null(s);
    g_free(s);
    s = poppler_document_get_title(pdf->doc);
    pdf->info.title = dup_or_null(s);
    g_free(s);
    s = poppler_document_get_pdf_version_string(pdf->doc);
    pdf->info.pdf_version = dup_or_null(s);
    g_free(s);
}

bp_status bp_file_sha256(const char *path, char out[65], bp_error *err)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return bp_error_set(err, BP_ERR_IO, 0, "%s: cannot read (%s)", path, strerror(errno));
    struct sha256_ctx ctx;
    sha256_init(&ctx);
    unsigned char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        sha256_update(&ctx, n, buf);
    int failed = ferror(f);
    fclose(f);
    if (failed)
        return bp_error_set(err, BP_ERR_IO, 0, "%s: read error", path);
    sha256_hex(&ctx, out);
    return BP_OK;
}

static int looks_like_pdf(const unsigned char *data, size_t size)
{
    /* The header may follow up to 1024 bytes of junk (PDF 32000 §7.5.2
     * tolerance that readers implement). */
    size_t limit = size < 1024 ? size : 1024;
    for (size_t i = 0; i + 5 <= limit; i++)
        if (memcmp(data + i, "%PDF-", 5) == 0)
            return 1;
    return 0;
}

/* poppler builds a colour transform from the document's output intent (an
 * ICC profile: every PDF/A that Microsoft Office writes has one) each time
 * it reads a page's text or draws it (Gfx::initDisplayProfile), and lcms2
 * takes tens of milliseconds for each: two thirds of the parse of such a
 * document.  Colour means nothing to text and ruling lines, so poppler gets
 * a copy of the bytes with the catalog's /OutputIntents key renamed — same
 * length, so every offset stays valid; the sha256 stays that of the file.
 * A catalog inside a compressed object stream cannot be patched this way
 * and keeps the cost.  Returns NULL when there is nothing to rename. */
static unsigned char *without_output_intents(const unsigned char *data, size_t size)
{
    static const char key[] = "/OutputIntents";
    const size_t n = sizeof key - 1;
    unsigned char *copy = NULL;
    for (size_t i = 0; i + n < size; i++) {
        const unsigned char *slash = memchr(data + i, '/', size - n - i);
        if (slash == NULL)
            break;
        i = (size_t)(slash - data);
        if (memcmp(data + i, key, n) != 0)
            continue;
        unsigned char next = data[i + n];
        if (next != ' ' && next != '\n' && next != '\r' && next != '\t' && next != '[' &&
            next != '<' && next != '/' && next != '\f' && next != 0)
            continue; /* a longer name */
        if (copy == NULL) {
            copy = malloc(size);
            if (copy == NULL)
                return NULL;
            memcpy(copy, data, size);
        }
        memcpy(copy + i, "/OutputIntentX", n);
    }
    return copy;
}

bp_status bp_pdf_open_memory(const char *name, const void *data, size_t size,
                             const bp_extract_limits *limits, bp_pdf **out,
                             bp_error *err)
{
    *out = NULL;
    if (size == 0)
        return bp_error_set(err, BP_ERR_FORMAT, 0, "%s: empty file, not a PDF", name);
    if (!looks_like_pdf(data, size))
        return bp_error_set(err, BP_ERR_FORMAT, 0, "%s: not a PDF (no %%PDF- header)", name);

    bp_pdf *pdf = calloc(1, sizeof *pdf);
    if (pdf == NULL)
        return bp_error_set(err, BP_ERR_NOMEM, 0, "%s: out of memory", name);
    pdf->name = strdup(name);
    if (limits)
        pdf->limits = *limits;
    pdf->patched_data = without_output_intents(data, size);
    pdf->bytes = g_bytes_new_static(pdf->patched_data ? pdf->patched_data : data, size);

    GError *gerr = NULL;
    pdf->doc = poppler_document_new_from_bytes(pdf->bytes, NULL, &gerr);
    if (pdf->doc == NULL) {
        bp_status code = BP_ERR_FORMAT;
        const char *what = "damaged or not a PDF";
        if (gerr && gerr->domain == POPPLER_ERROR && gerr->code == POPPLER_ERROR_ENCRYPTED) {
            code = BP_ERR_ENCRYPTED;
            what = "encrypted, needs a password";
        }
        bp_error_set(err, code, 0, "%s: %s (%s)", name, what,
                     gerr ? gerr->message : "poppler gave no reason");
        if (gerr)
            g_error_free(gerr);
        bp_pdf_close(pdf);
        return code;
    }
    info_from_document(pdf, data, size);
    if (pdf->info.n_pages <= 0) {
        bp_pdf_close(pdf);
        return bp_error_set(err, BP_ERR_EMPTY, 0, "%s: the PDF has no pages", name);
    }
    if (pdf->limits.max_pages > 0 && pdf->info.n_pages > pdf->limits.max_pages) {
        int n = pdf->info.n_pages;
        bp_pdf_close(pdf);
        return bp_error_set(err, BP_ERR_LIMIT, 0, "%s: %d pages, over the limit of %d",
                            name, n, limits->max_pages);
    }
    *out = pdf;
    return BP_OK;
}

/* The whole file in one malloc'd buffer, read straight into it (no copy). */
static bp_status read_file(const char *path, unsigned char **data, size_t *size, bp_error *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        bp_error_set(err, BP_ERR_IO, 0, "%s: cannot read (%s)", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return BP_ERR_IO;
    }
    /* one byte more than stat says, so the read that meets the end needs no
     * bigger buffer; a pipe (size 0) or a file still growing is read to its
     * end all the same */
    size_t cap = (size_t)st.st_size + 1;
    unsigned char *buf = malloc(cap);
    if (buf == NULL) {
        close(fd);
        return bp_error_set(err, BP_ERR_NOMEM, 0, "%s: out of memory", path);
    }
    size_t len = 0;
    for (;;) {
        if (len == cap) {
            unsigned char *bigger = cap < SIZE_MAX / 2 ? realloc(buf, 2 * cap) : NULL;
            if (bigger == NULL) {
                free(buf);
                close(fd);
                return bp_error_set(err, BP_ERR_NOMEM, 0, "%s: out of memory", path);
            }
            buf = bigger;
            cap *= 2;
        }
        ssize_t n = read(fd, buf + len, cap - len);
        if (n > 0) {
            len += (size_t)n;
        } else if (n == 0) {
            break;
        } else if (errno != EINTR) {
            bp_error_set(err, BP_ERR_IO, 0, "%s: cannot read (%s)", path, strerror(errno));
            free(buf);
            close(fd);
            return BP_ERR_IO;
        }
    }
    close(fd);
    *data = buf;
    *size = len;
    return BP_OK;
}

bp_status bp_pdf_open(const char *path, const bp_extract_limits *limits,
                      bp_pdf **out, bp_error *err)
{
    *out = NULL;
    unsigned char *data = NULL;
    size_t size = 0;
    bp_status rc = read_file(path, &data, &size, err);
    if (rc != BP_OK)
        return rc;
    rc = bp_pdf_open_memory(path, data, size, limits, out, err);
    if (rc != BP_OK) {
        free(data);
        return rc;
    }
    (*out)->owned_data = data;
    return BP_OK;
}

void bp_pdf_close(bp_pdf *pdf)
{
    if (pdf == NULL)
        return;
    if (pdf->doc)
        g_object_unref(pdf->doc);
    bp_vector_close(pdf->vector);
    if (pdf->bytes)
        g_bytes_unref(pdf->bytes);
    free(pdf->owned_data);
    free(pdf->patched_data);
    free(pdf->info.producer);
    free(pdf->info.creator);
    free(pdf->info.title);
    free(pdf->info.pdf_version);
    free(pdf->name);
    free(pdf);
}

const bp_pdf_info *bp_pdf_get_info(const bp_pdf *pdf)
{
    return &pdf->info;
}

/* Font size per character index, from poppler's attribute runs. */
static void apply_font_sizes(PopplerPage *page, double *sizes, size_t n_chars)
{
    GList *attrs = poppler_page_get_text_attributes(page);
    for (GList *l = attrs; l; l = l->next) {
        PopplerTextAttributes *a = l->data;
        for (int i = a->start_index; i <= a->end_index; i++)
            if (i >= 0 && (size_t)i < n_chars)
                sizes[i] = a->font_size;
    }
    poppler_page_free_text_attributes(attrs);
}

static int is_break(gunichar c)
{
    return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == 0x3000 || c == 0xA0;
}

/* The extracted page before grouping: glyphs with the index of the word
 * they belong to (words = maximal runs between whitespace). */
static bp_status collect_glyphs(PopplerPage *ppage, bp_page *page, bp_error *err,
                                const char *name)
{
    char *text = poppler_page_get_text(ppage);
    PopplerRectangle *rects = NULL;
    guint n_rects = 0;
    if (text == NULL || !poppler_page_get_text_layout(ppage, &rects, &n_rects)) {
        g_free(text);
        g_free(rects);
        return BP_OK; /* a page without text: no glyphs */
    }
    glong n_chars = g_utf8_strlen(text, -1);
    size_t n = (size_t)n_chars < n_rects ? (size_t)n_chars : n_rects;
    /* glyphs and word_of are filled as far as they are used, so not
     * zeroed first; a size no attribute run covers stays 0. */
    double *sizes = calloc(n ? n : 1, sizeof *sizes);
    page->glyphs = malloc((n ? n : 1) * sizeof *page->glyphs);
    size_t *word_of = malloc((n ? n : 1) * sizeof *word_of);
    if (!sizes || !page->glyphs || !word_of) {
        free(sizes);
        free(word_of);
        g_free(text);
        g_free(rects);
        return bp_error_set(err, BP_ERR_NOMEM, page->number, "%s: page %d: out of memory",
                            name, page->number);
    }
    apply_font_sizes(ppage, sizes, n);

    const char *p = text;
    size_t word = 0;
    int in_word = 0;
    for (size_t i = 0; i < n; i++, p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        if (is_break(c) || c == 0) {
            if (in_word)
                word++;
            in_word = 0;
            continue;
        }
        PopplerRectangle r = rects[i];
        bp_glyph *g = &page->glyphs[page->n_glyphs];
        g->codepoint = c;
        g->box.x0 = r.x1 < r.x2 ? r.x1 : r.x2;
        g->box.x1 = r.x1 < r.x2 ? r.x2 : r.x1;
        g->box.y0 = r.y1 < r.y2 ? r.y1 : r.y2;
        g->box.y1 = r.y1 < r.y2 ? r.y2 : r.y1;
        g->font_size = sizes[i];
        word_of[page->n_glyphs] = word;
        page->n_glyphs++;
        in_word = 1;
    }
    bp_status rc = bp_extract_group(page, word_of, err, name);
    free(sizes);
    free(word_of);
    g_free(text);
    g_free(rects);
    return rc;
}

bp_status bp_pdf_page(bp_pdf *pdf, int number, bp_page **out, bp_error *err)
{
    *out = NULL;
    if (number < 1 || number > pdf->info.n_pages)
        return bp_error_set(err, BP_ERR_USAGE, number, "%s: no page %d", pdf->name, number);
    PopplerPage *ppage = poppler_document_get_page(pdf->doc, number - 1);
    if (ppage == NULL)
        return bp_error_set(err, BP_ERR_FORMAT, number, "%s: page %d: cannot be read",
                            pdf->name, number);
    bp_page *page = calloc(1, sizeof *page);
    if (page == NULL) {
        g_object_unref(ppage);
        return bp_error_set(err, BP_ERR_NOMEM, number, "%s: out of memory", pdf->name);
    }
    page->number = number;
    poppler_page_get_size(ppage, &page->width, &page->height);
    PopplerRectangle crop;
    poppler_page_get_crop_box(ppage, &crop);
    double crop_w = crop.x2 - crop.x1, crop_h = crop.y2 - crop.y1;
    if (crop_w < 0) crop_w = -crop_w;
    if (crop_h < 0) crop_h = -crop_h;
    page->rotation = (crop_w != crop_h && crop_w == page->height && crop_h == page->width) ? 90 : 0;

    double side = pdf->limits.max_page_side;
    if (side > 0 && (page->width > side || page->height > side)) {
        double width = page->width, height = page->height;
        g_object_unref(ppage);
        bp_page_free(page);
        return bp_error_set(err, BP_ERR_LIMIT, number,
                            "%s: page %d: %.0fx%.0f pt, over the limit of %.0f pt",
                            pdf->name, number, width, height, side);
    }
    bp_status rc = collect_glyphs(ppage, page, err, pdf->name);
    g_object_unref(ppage);
    if (rc != BP_OK) {
        bp_page_free(page);
        return rc;
    }
    *out = page;
    return BP_OK;
}

char *bp_pdf_page_plain_text(bp_pdf *pdf, int number)
{
    if (number < 1 || number > pdf->info.n_pages)
        return NULL;
    PopplerPage *ppage = poppler_document_get_page(pdf->doc, number - 1);
    if (ppage == NULL)
        return NULL;
    char *text = poppler_page_get_text(ppage);
    char *copy = text ? strdup(text) : strdup("");
    g_free(text);
    g_object_unref(ppage);
    return copy;
}

void bp_page_free(bp_page *page)
{
    if (page == NULL)
        return;
    for (size_t i = 0; i < page->n_words; i++)
        free(page->words[i].text);
    for (size_t i = 0; i < page->n_lines; i++)
        free(page->lines[i].text);
    free(page->glyphs);
    free(page->words);
    free(page->lines);
    free(page);
}

PopplerPage *bp_pdf_poppler_page(bp_pdf *pdf, int number)
{
    if (number < 1 || number > pdf->info.n_pages)
        return NULL;
    return poppler_document_get_page(pdf->doc, number - 1);
}

const char *bp_pdf_name(const bp_pdf *pdf)
{
    return pdf->name;
}

double bp_pdf_max_page_side(const bp_pdf *pdf)
{
    return pdf->limits.max_page_side;
}

bp_vector_doc *bp_pdf_vector(bp_pdf *pdf)
{
    if (!pdf->vector_tried) {
        pdf->vector_tried = 1;
        gsize size = 0;
        const void *data = g_bytes_get_data(pdf->bytes, &size);
        pdf->vector = bp_vector_open(pdf->name, data, size);
        if (pdf->vector && bp_vector_page_count(pdf->vector) != pdf->info.n_pages) {
            bp_vector_close(pdf->vector); /* the two readers disagree on the pages */
            pdf->vector = NULL;
        }
    }
    return pdf->vector;
}
