/*
 * check_extract.c — extract/: opening PDFs (good and bad), glyphs, words
 * and lines, and agreement with pdftotext on the shared real corpus.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extract/extract.h"
#include "tests/test_support.h"

static bp_pdf *open_minimal(const char *const *texts, int n, char **data_out)
{
    size_t size;
    char *data = bp_test_minimal_pdf(texts, n, &size);
    ck_assert_ptr_nonnull(data);
    bp_pdf *pdf = NULL;
    bp_error err;
    ck_assert_int_eq(bp_pdf_open_memory("minimal.pdf", data, size, NULL, &pdf, &err), BP_OK);
    *data_out = data;
    return pdf;
}

START_TEST(missing_file_is_io_error_naming_it)
{
    bp_pdf *pdf = (bp_pdf *)1;
    bp_error err;
    ck_assert_int_eq(bp_pdf_open("/no/such/dir/x.pdf", NULL, &pdf, &err), BP_ERR_IO);
    ck_assert_ptr_null(pdf);
    ck_assert_ptr_nonnull(strstr(err.message, "/no/such/dir/x.pdf"));
    ck_assert_ptr_null(strchr(err.message, '\n'));
}
END_TEST

START_TEST(not_a_pdf_is_format_error)
{
    static const char text[] = "部门预算 2022\nthis is a text file\n";
    bp_pdf *pdf = NULL;
    bp_error err;
    ck_assert_int_eq(bp_pdf_open_memory("notes.pdf", text, sizeof text - 1, NULL, &pdf, &err),
                     BP_ERR_FORMAT);
    ck_assert_ptr_nonnull(strstr(err.message, "notes.pdf"));
    ck_assert_int_eq(bp_pdf_open_memory("empty.pdf", text, 0, NULL, &pdf, &err), BP_ERR_FORMAT);
}
END_TEST

START_TEST(zero_pages_is_empty_error)
{
    size_t size;
    char *data = bp_test_minimal_pdf(NULL, 0, &size);
    bp_pdf *pdf = NULL;
    bp_error err;
    ck_assert_int_eq(bp_pdf_open_memory("zero.pdf", data, size, NULL, &pdf, &err), BP_ERR_EMPTY);
    ck_assert_ptr_nonnull(strstr(err.message, "no pages"));
    free(data);
}
END_TEST

START_TEST(page_limit_is_enforced)
{
    const char *texts[] = {"one", "two", "three"};
    size_t size;
    char *data = bp_test_minimal_pdf(texts, 3, &size);
    bp_extract_limits limits = {2, 0};
    bp_pdf *pdf = NULL;
    bp_error err;
    ck_assert_int_eq(bp_pdf_open_memory("big.pdf", data, size, &limits, &pdf, &err), BP_ERR_LIMIT);
    free(data);
}
END_TEST

START_TEST(truncations_never_crash)
{
    const char *texts[] = {"Budget 2022", "Page two"};
    size_t size;
    char *data = bp_test_minimal_pdf(texts, 2, &size);
    for (size_t cut = 0; cut < size; cut += 7) {
        bp_pdf *pdf = NULL;
        bp_error err;
        bp_status rc = bp_pdf_open_memory("cut.pdf", data, cut, NULL, &pdf, &err);
        if (rc != BP_OK) {
            ck_assert(rc == BP_ERR_FORMAT || rc == BP_ERR_EMPTY);
            ck_assert_ptr_nonnull(strstr(err.message, "cut.pdf"));
            continue;
        }
        for (int p = 1; p <= bp_pdf_get_info(pdf)->n_pages; p++) {
            bp_page *page = NULL;
            if (bp_pdf_page(pdf, p, &page, &err) == BP_OK)
                bp_page_free(page);
        }
        bp_pdf_close(pdf);
    }
    free(data);
}
END_TEST

START_TEST(words_lines_and_boxes)
{
    const char *texts[] = {"Income 256,890 total"};
    char *data;
    bp_pdf *pdf = open_minimal(texts, 1, &data);
    const bp_pdf_info *info = bp_pdf_get_info(pdf);
    ck_assert_int_eq(info->n_pages, 1);
    ck_assert_int_eq((int)strlen(info->sha256), 64);
    bp_page *page = NULL;
    bp_error err;
    ck_assert_int_eq(bp_pdf_page(pdf, 1, &page, &err), BP_OK);
    ck_assert_int_eq(page->number, 1);
    ck_assert(page->width == 612 && page->height == 792);
    ck_assert_int_eq(page->rotation, 0);
    ck_assert_uint_eq(page->n_lines, 1);
    ck_assert_str_eq(page->lines[0].text, "Income 256,890 total");
    ck_assert_uint_eq(page->n_words, 3);
    ck_assert_str_eq(page->words[1].text, "256,890");
    /* The text is drawn at y = 720 from the bottom: 72 pt from the top. */
    const bp_word *w = &page->words[0];
    ck_assert(w->box.x0 > 71 && w->box.x0 < 73);
    ck_assert(w->box.y1 > 65 && w->box.y1 < 80);
    ck_assert(page->words[0].box.x1 < page->words[1].box.x0);
    ck_assert(w->font_size > 11.9 && w->font_size < 12.1);
    ck_assert_uint_eq(page->n_glyphs, strlen("Income256,890total"));
    bp_page *missing = NULL;
    ck_assert_int_eq(bp_pdf_page(pdf, 2, &missing, &err), BP_ERR_USAGE);
    ck_assert_ptr_null(missing);
    bp_page_free(page);
    bp_pdf_close(pdf);
    free(data);
}
END_TEST

/* ---- the shared real corpus --------------------------------------------- */

static const struct {
    const char *file;
    int pages;
    int page_with_text;
    const char *text; /* checked by hand on the rendered page */
} real_docs[] = {
    {"cn-001.pdf", 25, 10, "一、收支预算总表"},
    {"cn-002.pdf", 31, 1, "2018年部门预算"},
    {"cn-006.pdf", 13, 1, "江苏省人大常委会办公厅"},
    {"cn-014.pdf", 13, 1, "收支预算总表"},
    {"cn-015.pdf", 20, 1, "江苏省政协办公厅"},
    {"cn-023.pdf", 23, 1, "上海市普陀区2026年区级部门预算"},
    {"cn-025.pdf", 33, 1, "上海市普陀区2024年区级部门预算"},
    {"cn-031.pdf", 25, 1, "2024年度部门决算"},
    {"cn-034.pdf", 21, 1, "上海市2025年市级单位预算"},
};

/* Counts of each non-space codepoint, as a sorted array of values. */
static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

static size_t utf8_codepoints(const char *s, size_t len, uint32_t *out)
{
    size_t n = 0;
    const unsigned char *p = (const unsigned char *)s, *end = p + len;
    while (p < end) {
        uint32_t c = *p;
        int extra = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
        c &= extra == 3 ? 0x07 : extra == 2 ? 0x0F : extra == 1 ? 0x1F : 0x7F;
        p++;
        for (int i = 0; i < extra && p < end; i++)
            c = (c << 6) | (*p++ & 0x3F);
        if (c != ' ' && c != '\n' && c != '\r' && c != '\t' && c != '\f' && c != 0x3000 &&
            c != 0xA0)
            out[n++] = c;
    }
    return n;
}

START_TEST(real_corpus_matches_pdftotext)
{
    const char *shared = bp_test_shared_dir();
    if (shared == NULL)
        return;
    const char *file = real_docs[_i].file;
    char path[1024];
    snprintf(path, sizeof path, "%s/corpus/real/%s", shared, file);
    bp_pdf *pdf = NULL;
    bp_error err;
    ck_assert_msg(bp_pdf_open(path, NULL, &pdf, &err) == BP_OK, "%s", err.message);
    ck_assert_int_eq(bp_pdf_get_info(pdf)->n_pages, real_docs[_i].pages);

    char cmd[1200];
    snprintf(cmd, sizeof cmd, "pdftotext -enc UTF-8 '%s' -", path);
    int status;
    char *reference = bp_test_run_command(cmd, &status);
    ck_assert_msg(reference != NULL && status == 0, "pdftotext failed on %s", file);
    const char *ref_page = reference;
    for (int p = 1; p <= real_docs[_i].pages; p++) {
        const char *ff = strchr(ref_page, '\f');
        size_t ref_len = ff ? (size_t)(ff - ref_page) : strlen(ref_page);
        bp_page *page = NULL;
        ck_assert_int_eq(bp_pdf_page(pdf, p, &page, &err), BP_OK);
        uint32_t *ours = malloc((page->n_glyphs + 1) * sizeof *ours);
        uint32_t *theirs = malloc((ref_len + 1) * sizeof *theirs);
        size_t n_theirs = utf8_codepoints(ref_page, ref_len, theirs);
        size_t n_ours = 0;
        for (size_t g = 0; g < page->n_glyphs; g++) {
            ck_assert_msg(page->glyphs[g].codepoint != 0xFFFD, "%s p%d: U+FFFD", file, p);
            ours[n_ours++] = page->glyphs[g].codepoint;
        }
        qsort(ours, n_ours, sizeof *ours, cmp_u32);
        qsort(theirs, n_theirs, sizeof *theirs, cmp_u32);
        ck_assert_msg(n_ours == n_theirs && memcmp(ours, theirs, n_ours * sizeof *ours) == 0,
                      "%s page %d: %zu glyphs vs pdftotext's %zu characters", file, p, n_ours,
                      n_theirs);
        if (p == real_docs[_i].page_with_text) {
            int found = 0;
            for (size_t l = 0; l < page->n_lines && !found; l++)
                found = strstr(page->lines[l].text, real_docs[_i].text) != NULL;
            ck_assert_msg(found, "%s page %d lacks '%s'", file, p, real_docs[_i].text);
        }
        free(ours);
        free(theirs);
        bp_page_free(page);
        ref_page = ff ? ff + 1 : ref_page + ref_len;
    }
    free(reference);
    bp_pdf_close(pdf);
}
END_TEST

static Suite *extract_suite(void)
{
    Suite *s = suite_create("extract");
    TCase *tc = tcase_create("open");
    tcase_add_test(tc, missing_file_is_io_error_naming_it);
    tcase_add_test(tc, not_a_pdf_is_format_error);
    tcase_add_test(tc, zero_pages_is_empty_error);
    tcase_add_test(tc, page_limit_is_enforced);
    tcase_add_test(tc, truncations_never_crash);
    suite_add_tcase(s, tc);
    tc = tcase_create("layout");
    tcase_add_test(tc, words_lines_and_boxes);
    suite_add_tcase(s, tc);
    tc = tcase_create("real");
    tcase_set_timeout(tc, 300);
    tcase_add_loop_test(tc, real_corpus_matches_pdftotext, 0,
                        (int)(sizeof real_docs / sizeof real_docs[0]));
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return bp_test_run(extract_suite());
}
