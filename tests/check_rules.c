/*
 * check_rules.c — ruling lines: read from the vector graphics of small
 * hand-made pages (strokes, bars, covers, colour, clips, forms, rotation,
 * inline images, a scan-like image), each also compared with the rules
 * found by rendering the same page; and, on every page of the shared and
 * own corpora, every rule read from vectors must be one rendering sees.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extract/extract.h"
#include "tests/test_support.h"

/* A one-page PDF: `content` as the page's content stream, `page_extra`
 * added to the page dictionary, and XObject /X1 (object 5), a form
 * drawing `form` when form_dict is NULL, otherwise a stream with that
 * dictionary and form_len bytes of `form` (an image). */
static char *one_page_pdf(const char *content, const char *page_extra, const char *form,
                          size_t form_len, const char *form_dict, size_t *size)
{
    size_t content_len = strlen(content);
    size_t cap = 4096 + content_len + form_len;
    char *buf = malloc(cap);
    ck_assert_ptr_nonnull(buf);
    size_t offsets[6], at = 0;
    at += (size_t)sprintf(buf + at, "%%PDF-1.4\n");
    offsets[1] = at;
    at += (size_t)sprintf(buf + at, "1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n");
    offsets[2] = at;
    at += (size_t)sprintf(buf + at, "2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n");
    offsets[3] = at;
    at += (size_t)sprintf(buf + at,
                          "3 0 obj << /Type /Page /Parent 2 0 R %s"
                          " /Resources << /XObject << /X1 5 0 R >> /Font << /F1 << /Type /Font"
                          " /Subtype /Type1 /BaseFont /Helvetica >> >> >> /Contents 4 0 R >> endobj\n",
                          page_extra ? page_extra : "/MediaBox [0 0 612 792]");
    offsets[4] = at;
    at += (size_t)sprintf(buf + at, "4 0 obj << /Length %zu >> stream\n", content_len);
    memcpy(buf + at, content, content_len);
    at += content_len;
    at += (size_t)sprintf(buf + at, "\nendstream endobj\n");
    offsets[5] = at;
    if (form_dict == NULL) {
        form_len = form ? strlen(form) : 0;
        at += (size_t)sprintf(buf + at,
                              "5 0 obj << /Type /XObject /Subtype /Form /BBox [0 0 612 792]"
                              " /Matrix [1 0 0 1 0 -100]"
                              " /Resources << /XObject << /X1 5 0 R >> >>"
                              " /Length %zu >> stream\n", form_len);
    } else {
        at += (size_t)sprintf(buf + at, "5 0 obj << %s /Length %zu >> stream\n", form_dict,
                              form_len);
    }
    if (form_len)
        memcpy(buf + at, form, form_len);
    at += form_len;
    at += (size_t)sprintf(buf + at, "\nendstream endobj\n");
    size_t xref = at;
    at += (size_t)sprintf(buf + at, "xref\n0 6\n0000000000 65535 f \n");
    for (int i = 1; i < 6; i++)
        at += (size_t)sprintf(buf + at, "%010zu 00000 n \n", offsets[i]);
    at += (size_t)sprintf(buf + at, "trailer << /Size 6 /Root 1 0 R >>\nstartxref\n%zu\n%%%%EOF\n",
                          xref);
    *size = at;
    return buf;
}

typedef struct page_rules {
    char *data;
    bp_pdf *pdf;
    bp_page_rules *vector, *rendered;
} page_rules;

static page_rules rules_of(const char *content, const char *page_extra, const char *form)
{
    page_rules r = {0};
    size_t size;
    r.data = one_page_pdf(content, page_extra, form, 0, NULL, &size);
    bp_error err;
    ck_assert_int_eq(bp_pdf_open_memory("rules.pdf", r.data, size, NULL, &r.pdf, &err), BP_OK);
    ck_assert_int_eq(bp_pdf_page_rules(r.pdf, 1, &r.vector, &err), BP_OK);
    ck_assert_int_eq(bp_pdf_page_rules_rendered(r.pdf, 1, &r.rendered, &err), BP_OK);
    return r;
}

static void page_rules_free(page_rules *r)
{
    bp_page_rules_free(r->vector);
    bp_page_rules_free(r->rendered);
    bp_pdf_close(r->pdf);
    free(r->data);
}

/* Is there a rule in list along `mid` (its centre line) from `lo` to `hi`,
 * within tol points on each? */
static int has_rule(const bp_box *list, size_t n, int horizontal, double mid, double lo,
                    double hi, double tol)
{
    for (size_t i = 0; i < n; i++) {
        const bp_box *b = &list[i];
        double m = horizontal ? (b->y0 + b->y1) / 2 : (b->x0 + b->x1) / 2;
        double a = horizontal ? b->x0 : b->y0, z = horizontal ? b->x1 : b->y1;
        if (fabs(m - mid) <= tol && fabs(a - lo) <= tol && fabs(z - hi) <= tol)
            return 1;
    }
    return 0;
}

/* Every rule of `a` is one of `b` (centre within 1.5 pt, ends within 3). */
static int rules_within(const bp_page_rules *a, const bp_page_rules *b, char *why, size_t cap)
{
    for (int h = 0; h < 2; h++) {
        const bp_box *list = h ? a->horizontal : a->vertical;
        size_t n = h ? a->n_horizontal : a->n_vertical;
        for (size_t i = 0; i < n; i++) {
            const bp_box *r = &list[i];
            double mid = h ? (r->y0 + r->y1) / 2 : (r->x0 + r->x1) / 2;
            double lo = h ? r->x0 : r->y0, hi = h ? r->x1 : r->y1;
            int found = 0;
            const bp_box *other = h ? b->horizontal : b->vertical;
            size_t m = h ? b->n_horizontal : b->n_vertical;
            for (size_t j = 0; j < m && !found; j++) {
                const bp_box *o = &other[j];
                double om = h ? (o->y0 + o->y1) / 2 : (o->x0 + o->x1) / 2;
                double olo = h ? o->x0 : o->y0, ohi = h ? o->x1 : o->y1;
                found = fabs(om - mid) <= 1.5 && fabs(olo - lo) <= 3 && fabs(ohi - hi) <= 3;
            }
            if (!found) {
                snprintf(why, cap, "%s rule %.1f,%.1f-%.1f,%.1f has no match",
                         h ? "horizontal" : "vertical", r->x0, r->y0, r->x1, r->y1);
                return 0;
            }
        }
    }
    return 1;
}

/* The vector rules and the rendered rules of a hand-made page agree both
 * ways: the frames, thickness limits and painting order are the same. */
static void assert_same_as_rendered(const page_rules *r)
{
    char why[200];
    ck_assert_msg(rules_within(r->vector, r->rendered, why, sizeof why), "vector: %s", why);
    ck_assert_msg(rules_within(r->rendered, r->vector, why, sizeof why), "rendered: %s", why);
}

START_TEST(stroked_grid)
{
    /* a 3 × 3 grid of 0.5 pt lines from (100,500) to (400,700) in PDF space */
    page_rules r = rules_of("0.5 w 0 G 100 500 m 400 500 l 100 600 m 400 600 l"
                            " 100 700 m 400 700 l 100 500 m 100 700 l 250 500 m 250 700 l"
                            " 400 500 m 400 700 l S",
                            NULL, NULL);
    ck_assert_int_eq(r.vector->n_horizontal, 3);
    ck_assert_int_eq(r.vector->n_vertical, 3);
    /* displayed: y = 792 − y_pdf */
    ck_assert(has_rule(r.vector->horizontal, 3, 1, 92, 100, 400, 0.3));
    ck_assert(has_rule(r.vector->horizontal, 3, 1, 292, 100, 400, 0.3));
    ck_assert(has_rule(r.vector->vertical, 3, 0, 250, 92, 292, 0.3));
    assert_same_as_rendered(&r);
    page_rules_free(&r);
}
END_TEST

START_TEST(bars_pieces_and_fills)
{
    /* thin filled bars are rules; a thick box is not; a border drawn as
     * touching 10 pt pieces (each too short) is one 40 pt rule */
    page_rules r = rules_of("0 g 100 700 200 0.8 re f 100 600 200 20 re f"
                            " 0.5 w 100 500 m 110 500 l 110 500 m 120 500 l"
                            " 120 500 m 130 500 l 130 500 m 140 500 l S",
                            NULL, NULL);
    ck_assert_int_eq(r.vector->n_horizontal, 2);
    ck_assert_int_eq(r.vector->n_vertical, 0);
    ck_assert(has_rule(r.vector->horizontal, 2, 1, 91.6, 100, 300, 0.3));
    ck_assert(has_rule(r.vector->horizontal, 2, 1, 292, 100, 140, 0.3));
    assert_same_as_rendered(&r);
    page_rules_free(&r);
}
END_TEST

START_TEST(cover_colour_and_clip)
{
    /* a white box laid over the middle of a line splits it (a merged
     * cell); a light grey line is not ink, a mid grey one is; a line
     * clipped to a rectangle ends at the clip */
    page_rules r = rules_of("1 w 0 G 100 700 m 500 700 l S 1 g 250 690 100 20 re f"
                            " 0.9 G 100 600 m 500 600 l S 0.5 G 100 550 m 500 550 l S"
                            " q 100 400 150 200 re W n 0 G 50 450 m 500 450 l S Q"
                            " 0 G 100 300 m 500 300 l S",
                            NULL, NULL);
    ck_assert_int_eq(r.vector->n_horizontal, 5);
    ck_assert(has_rule(r.vector->horizontal, 5, 1, 92, 100, 250, 0.6));
    ck_assert(has_rule(r.vector->horizontal, 5, 1, 92, 350, 500, 0.6));
    ck_assert(!has_rule(r.vector->horizontal, 5, 1, 192, 100, 500, 1));
    ck_assert(has_rule(r.vector->horizontal, 5, 1, 242, 100, 500, 0.6));
    ck_assert(has_rule(r.vector->horizontal, 5, 1, 342, 100, 250, 0.6));
    ck_assert(has_rule(r.vector->horizontal, 5, 1, 492, 100, 500, 0.6));
    assert_same_as_rendered(&r);
    page_rules_free(&r);
}
END_TEST

START_TEST(forms_strings_and_inline_images)
{
    /* the form (Matrix moves it 100 pt down, and it draws itself again,
     * which must be refused) holds a line; a string with operator-like
     * text and an inline image whose data contains "EI" and ")" change
     * nothing */
    const char *content =
        "BT /F1 12 Tf 72 720 Td (0 0 m 600 600 l S \\) \\( re) Tj ET"
        " q 20 0 0 2 100 100 cm BI /W 4 /H 1 /BPC 8 /CS /G ID )EIx\xff EI Q"
        " /X1 Do 0 G 1 w 100 300 m 100 400 l S";
    const char *form = "0 G 1 w 150 700 m 450 700 l S /X1 Do";
    page_rules r = rules_of(content, NULL, form);
    ck_assert_int_eq(r.vector->n_horizontal, 1);
    ck_assert_int_eq(r.vector->n_vertical, 1);
    ck_assert(has_rule(r.vector->horizontal, 1, 1, 192, 150, 450, 0.6));
    ck_assert(has_rule(r.vector->vertical, 1, 0, 100, 392, 492, 0.6));
    page_rules_free(&r);
}
END_TEST

START_TEST(rotated_and_cropped_pages)
{
    const char *extras[] = {"/MediaBox [0 0 612 792] /CropBox [50 60 562 700]",
                            "/MediaBox [0 0 612 792] /CropBox [50 60 562 700] /Rotate 90",
                            "/MediaBox [0 0 612 792] /CropBox [50 60 562 700] /Rotate 180",
                            "/MediaBox [0 0 612 792] /CropBox [50 60 562 700] /Rotate -90",
                            "/MediaBox [20 30 612 792] /CropBox [0 0 562 700] /Rotate 90"};
    for (size_t i = 0; i < sizeof extras / sizeof *extras; i++) {
        page_rules r = rules_of("1 w 0 G 100 500 m 400 500 l 100 600 m 400 600 l"
                                " 150 450 m 150 650 l S",
                                extras[i], NULL);
        ck_assert_int_eq(r.vector->n_horizontal + r.vector->n_vertical, 3);
        assert_same_as_rendered(&r);
        page_rules_free(&r);
    }
}
END_TEST

/* Rules of a one-page PDF whose only content is a page-sized grey image
 * with one black pixel row, plus `text` (content stream operators). */
static bp_page_rules *picture_page_rules(const char *text)
{
    enum { SIDE = 250 };
    char *pixels = malloc(SIDE * SIDE);
    memset(pixels, 0xFF, SIDE * SIDE);
    memset(pixels + 100 * SIDE + 25, 0x00, 200);
    char content[1024];
    snprintf(content, sizeof content, "q 250 0 0 250 25 25 cm /X1 Do Q %s", text);
    size_t size;
    char *data = one_page_pdf(content, "/MediaBox [0 0 300 300]", pixels, SIDE * SIDE,
                              "/Type /XObject /Subtype /Image /Width 250 /Height 250"
                              " /ColorSpace /DeviceGray /BitsPerComponent 8",
                              &size);
    bp_pdf *pdf = NULL;
    bp_error err;
    ck_assert_int_eq(bp_pdf_open_memory("picture.pdf", data, size, NULL, &pdf, &err), BP_OK);
    bp_page_rules *rules = NULL;
    ck_assert_int_eq(bp_pdf_page_rules(pdf, 1, &rules, &err), BP_OK);
    bp_pdf_close(pdf);
    free(data);
    free(pixels);
    return rules;
}

START_TEST(ruled_picture_is_rendered)
{
    /* under a text layer (a scan with OCR) the picture's rule is found by
     * rendering; under a title only (a cover photo) the page is not
     * rendered and has no rules */
    char layer[1000] = "BT /F1 9 Tf";
    for (int i = 0; i < 12; i++) {
        char show[64];
        snprintf(show, sizeof show, " 1 0 0 1 30 %d Tm (12.5) Tj", 40 + 15 * i);
        strcat(layer, show);
    }
    strcat(layer, " ET");
    bp_page_rules *rules = picture_page_rules(layer);
    ck_assert_int_eq(rules->n_horizontal, 1);
    /* image row 100 from the top of the image, drawn from y 25 + 250 up */
    ck_assert(has_rule(rules->horizontal, 1, 1, 25 + 100.5, 50, 250, 1.0));
    bp_page_rules_free(rules);

    rules = picture_page_rules("BT /F1 9 Tf 1 0 0 1 30 280 Tm (2017 budget of the office) Tj ET");
    ck_assert_int_eq(rules->n_horizontal + rules->n_vertical, 0);
    bp_page_rules_free(rules);
}
END_TEST

/* Every rule read from vectors on every page of a PDF is one rendering
 * finds (rendering also finds long glyph strokes of large type, which are
 * no rules, so the reverse does not hold). */
static void assert_vector_within_rendered(const char *path)
{
    bp_pdf *pdf = NULL;
    bp_error err;
    ck_assert_msg(bp_pdf_open(path, NULL, &pdf, &err) == BP_OK, "%s", err.message);
    int n = bp_pdf_get_info(pdf)->n_pages, total = 0;
    for (int p = 1; p <= n; p++) {
        bp_page_rules *v = NULL, *r = NULL;
        ck_assert_int_eq(bp_pdf_page_rules(pdf, p, &v, &err), BP_OK);
        ck_assert_int_eq(bp_pdf_page_rules_rendered(pdf, p, &r, &err), BP_OK);
        char why[200];
        ck_assert_msg(rules_within(v, r, why, sizeof why), "%s page %d: %s", path, p, why);
        total += (int)(v->n_horizontal + v->n_vertical);
        bp_page_rules_free(v);
        bp_page_rules_free(r);
    }
    bp_pdf_close(pdf);
    fprintf(stderr, "%s: %d rules on %d pages, all seen by rendering\n", path, total, n);
}

START_TEST(corpora_vector_rules_are_rendered_rules)
{
    char cmd[1200];
    const char *shared = bp_test_shared_dir();
    if (shared == NULL)
        fprintf(stderr, "../shared is absent: only the project's corpus/ is compared\n");
    snprintf(cmd, sizeof cmd, "ls %s/corpus/*.pdf %s%s %s%s 2>/dev/null", BP_SOURCE_DIR,
             shared ? shared : "", shared ? "/corpus/real/*.pdf" : "",
             shared ? shared : "", shared ? "/corpus/rendered/*.pdf" : "");
    int status;
    char *list = bp_test_run_command(cmd, &status);
    ck_assert_ptr_nonnull(list);
    int files = 0;
    for (char *line = strtok(list, "\n"); line; line = strtok(NULL, "\n"), files++)
        assert_vector_within_rendered(line);
    ck_assert_int_ge(files, 3);
    free(list);
}
END_TEST

static Suite *rules_suite(void)
{
    Suite *s = suite_create("rules");
    TCase *tc = tcase_create("pages");
    tcase_add_test(tc, stroked_grid);
    tcase_add_test(tc, bars_pieces_and_fills);
    tcase_add_test(tc, cover_colour_and_clip);
    tcase_add_test(tc, forms_strings_and_inline_images);
    tcase_add_test(tc, rotated_and_cropped_pages);
    tcase_add_test(tc, ruled_picture_is_rendered);
    suite_add_tcase(s, tc);
    tc = tcase_create("corpora");
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, corpora_vector_rules_are_rendered_rules);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return bp_test_run(rules_suite());
}
