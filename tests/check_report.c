/*
 * check_report.c — `budgetpdf report`: the static HTML site lists the
 * findings of a document with escaped text and renders non-blank evidence
 * images; a document whose PDF has moved still gets its page, with a note.
 * The findings are inserted by hand with the sqlite3 shell so the test
 * does not depend on the table or reconciliation stages.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tests/test_support.h"

static char workdir[256];

static char *run(const char *cmd, int expect_status)
{
    int status;
    char *out = bp_test_run_command(cmd, &status);
    ck_assert_msg(status == expect_status, "%s: exit %d", cmd, status);
    return out;
}

static char *read_file(const char *path)
{
    char cmd[1100];
    snprintf(cmd, sizeof cmd, "cat '%s'", path);
    return run(cmd, 0);
}

/* Builds workdir/site from a one-page PDF with one table cell and two
 * checks inserted by hand: a mismatch citing the cell (with HTML in its
 * message, to prove escaping) and an ok check. */
static void build_site(void)
{
    bp_test_make_dir(workdir, sizeof workdir, "report");
    const char *texts[] = {"Total 256,890 and items 252,891 2,234"};
    size_t size;
    char *pdf = bp_test_minimal_pdf(texts, 1, &size);
    char path[1024], cmd[4096];
    snprintf(path, sizeof path, "%s/doc.pdf", workdir);
    ck_assert_int_eq(bp_test_write_file(path, pdf, size), 0);
    free(pdf);
    snprintf(cmd, sizeof cmd, "'%s' ingest --db '%s/t.sqlite' '%s' 2>/dev/null", BP_BINARY,
             workdir, path);
    free(run(cmd, 0));
    /* One table cell on the line, one mismatch check citing it, with HTML
     * in the message to prove escaping. */
    snprintf(cmd, sizeof cmd,
             "sqlite3 '%s/t.sqlite' \""
             "INSERT INTO doc_tables VALUES (1, 1, '表1', '收支总表', '万元', NULL, 1, 1, NULL);"
             "INSERT INTO table_columns VALUES (1, 1, 1, '项目', 0, 1, 0, 100),"
             " (1, 1, 2, '2022年预算数', 0, 0, 100, 200);"
             "INSERT INTO table_rows VALUES (1, 1, 1, 0, '合计', NULL, 0, 'total', 1, 60, 75);"
             "INSERT INTO cells SELECT 1, 1, 1, 2, 1, '256,890', '256890', 0,"
             " x0 + 30, y0, x0 + 75, y1 FROM lines WHERE doc_id = 1;"
             "INSERT INTO checks VALUES (1, 1, 'row_total', 'mismatch', '255125', '256890',"
             " '1765', '1', '万元', '合计 <script>alert(1)</script> 与分项之和不符',"
             " 'Total does not equal the sum of its items');"
             "INSERT INTO check_operands VALUES (1, 1, 1, 1, 1, 1, 2, NULL, '256,890', '256890');"
             "INSERT INTO checks VALUES (1, 2, 'row_total', 'ok', '1', '1', '0', '0', '万元',"
             " 'fine', 'fine');\"",
             workdir);
    free(run(cmd, 0));

    snprintf(cmd, sizeof cmd, "'%s' report --db '%s/t.sqlite' --html '%s/site'", BP_BINARY,
             workdir, workdir);
    free(run(cmd, 0));
}

/* The file name of the one document page in workdir/site (malloc'ed). */
static char *document_page_name(void)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "ls '%s/site/' | grep -v index | grep html", workdir);
    char *name = run(cmd, 0);
    name[strcspn(name, "\n")] = '\0';
    return name;
}

START_TEST(report_lists_findings_with_evidence)
{
    char path[1024], cmd[4096];
    build_site();
    snprintf(path, sizeof path, "%s/site/index.html", workdir);
    char *index = read_file(path);
    ck_assert_ptr_nonnull(strstr(index, "doc.pdf"));
    ck_assert_ptr_nonnull(strstr(index, "<td class=\"num mismatch\">1</td>"));
    free(index);

    char *page_name = document_page_name();
    snprintf(path, sizeof path, "%s/site/%s", workdir, page_name);
    char *page = read_file(path);
    ck_assert_ptr_null(strstr(page, "<script>"));
    ck_assert_ptr_nonnull(strstr(page, "&lt;script&gt;alert(1)&lt;/script&gt;"));
    ck_assert_ptr_nonnull(strstr(page, "data-status=\"mismatch\""));
    ck_assert_ptr_null(strstr(page, "fine")); /* ok checks are counted, not listed */
    ck_assert_ptr_nonnull(strstr(page, "表1 收支总表 / 合计 / 2022年预算数"));
    char *img = strstr(page, "<img src=\"");
    ck_assert_ptr_nonnull(img);
    img += strlen("<img src=\"");
    char rel[256];
    snprintf(rel, sizeof rel, "%.*s", (int)strcspn(img, "\""), img);
    snprintf(path, sizeof path, "%s/site/%s", workdir, rel);
    struct stat st;
    ck_assert_int_eq(stat(path, &st), 0);
    /* A blank crop of this size compresses to well under 1 KB; text and
     * the red outline make it several. */
    ck_assert_int_gt(st.st_size, 2000);
    free(page);

    /* The PDF moved: the page is still written, with a note, exit 1. */
    snprintf(cmd, sizeof cmd, "rm -rf '%s/doc.pdf' '%s/site' && '%s' report --db '%s/t.sqlite'"
             " --html '%s/site' 2>/dev/null", workdir, workdir, BP_BINARY, workdir, workdir);
    free(run(cmd, 0));
    snprintf(path, sizeof path, "%s/site/%s", workdir, page_name);
    page = read_file(path);
    ck_assert_ptr_nonnull(strstr(page, "evidence images unavailable"));
    free(page);
    free(page_name);
    bp_test_remove_dir(workdir);
}
END_TEST

/* A page that loads the document page in a frame and records what a
 * reader would see: findings, images, and whether each image has ink. */
static const char probe_html[] =
    "<!DOCTYPE html><html><body><script>\n"
    "const frame = document.createElement('iframe');\n"
    "frame.src = location.hash.slice(1);\n"
    "frame.onload = () => {\n"
    "  const d = frame.contentDocument;\n"
    "  const out = ['mismatch=' + d.querySelectorAll('section[data-status=mismatch]').length];\n"
    "  let inked = 0;\n"
    "  const imgs = d.querySelectorAll('img');\n"
    "  for (const img of imgs) {\n"
    "    if (!img.complete || img.naturalWidth === 0) continue;\n"
    "    const c = document.createElement('canvas');\n"
    "    c.width = img.naturalWidth; c.height = img.naturalHeight;\n"
    "    const g = c.getContext('2d'); g.drawImage(img, 0, 0);\n"
    "    const px = g.getImageData(0, 0, c.width, c.height).data;\n"
    "    let dark = 0;\n"
    "    for (let i = 0; i < px.length; i += 4) if (px[i] < 160 || px[i + 1] < 160) dark++;\n"
    "    if (dark > 100) inked++;\n"
    "  }\n"
    "  out.push('images=' + imgs.length, 'inked=' + inked);\n"
    "  document.body.setAttribute('data-result', out.join(' '));\n"
    "};\n"
    "document.body.appendChild(frame);\n"
    "</script></body></html>\n";

/* Opens workdir/site/<page> in headless chromium through the probe and
 * returns what it saw ("mismatch=N images=N inked=N", malloc'ed). */
static char *probe_in_browser(const char *page)
{
    int status;
    free(bp_test_run_command("command -v chromium", &status));
    ck_assert_msg(status == 0, "chromium is missing: make test installs it");
    char path[1024], cmd[4096];
    snprintf(path, sizeof path, "%s/site/probe.html", workdir);
    ck_assert_int_eq(bp_test_write_file(path, probe_html, sizeof probe_html - 1), 0);
    snprintf(cmd, sizeof cmd,
             "chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run"
             " --disable-background-networking --disable-component-update --disable-sync"
             " --user-data-dir='%s/profile' --allow-file-access-from-files"
             " --virtual-time-budget=20000 --dump-dom 'file://%s#%s' 2>/dev/null"
             " | grep -o 'data-result=\"[^\"]*\"' | sed 's/data-result=//; s/\"//g'",
             workdir, path, page);
    char *result = run(cmd, 0);
    result[strcspn(result, "\n")] = '\0';
    return result;
}

START_TEST(report_in_a_browser)
{
    build_site();
    char *page_name = document_page_name();
    char *result = probe_in_browser(page_name);
    ck_assert_str_eq(result, "mismatch=1 images=1 inked=1");
    free(result);
    free(page_name);
    bp_test_remove_dir(workdir);
}
END_TEST

/* The published inconsistencies of the rendered corpus that reconcile
 * reports (DISCREPANCIES.md), as a reader finds them in the report: the
 * printed figures in a mismatch section, every evidence image loaded and
 * inked. */
static const struct {
    const char *pdf, *figures[2];
} rendered_findings[] = {
    {"000_f0c626f3f0336fe3.pdf", {"3,829", "3,871"}},   /* item 1 */
    {"000_f0c626f3f0336fe3.pdf", {"1,522", "1,480"}},   /* item 2 */
    {"000_f0c626f3f0336fe3.pdf", {"119%", "7.68"}},     /* item 4 */
    {"003_4cd56771f99f2713.pdf", {"1172.36", "1,167.36"}}, /* item 1 */
    {"003_4cd56771f99f2713.pdf", {"-6,580.08", "-6,570.08"}}, /* item 3 */
};

START_TEST(rendered_corpus_report_in_a_browser)
{
    const char *shared = bp_test_shared_dir();
    if (shared == NULL)
        return;
    bp_test_make_dir(workdir, sizeof workdir, "report");
    char cmd[4096];
    snprintf(cmd, sizeof cmd,
             "'%s' ingest --db '%s/t.sqlite' '%s/corpus/rendered' 2>/dev/null >/dev/null &&"
             " '%s' reconcile --db '%s/t.sqlite' >/dev/null;"
             " '%s' report --db '%s/t.sqlite' --html '%s/site' >/dev/null",
             BP_BINARY, workdir, shared, BP_BINARY, workdir, BP_BINARY, workdir, workdir);
    free(run(cmd, 0));
    for (size_t i = 0; i < sizeof rendered_findings / sizeof rendered_findings[0]; i++) {
        /* The document's page is named after its sha256. */
        snprintf(cmd, sizeof cmd, "sha256sum '%s/corpus/rendered/%s' | cut -c1-12", shared,
                 rendered_findings[i].pdf);
        char *sha12 = run(cmd, 0);
        sha12[strcspn(sha12, "\n")] = '\0';
        char page[64], path[1024];
        snprintf(page, sizeof page, "%s.html", sha12);
        snprintf(path, sizeof path, "%s/site/%s", workdir, page);
        char *html = read_file(path);
        /* Each finding is a section; find one holding both figures. */
        int found = 0;
        for (const char *sec = strstr(html, "<section"); sec && !found;
             sec = strstr(sec + 1, "<section")) {
            const char *end = strstr(sec, "</section>");
            ck_assert_ptr_nonnull(end);
            size_t len = (size_t)(end - sec);
            char *section = strndup(sec, len);
            found = strstr(section, "data-status=\"mismatch\"") &&
                    strstr(section, rendered_findings[i].figures[0]) &&
                    strstr(section, rendered_findings[i].figures[1]);
            free(section);
        }
        ck_assert_msg(found, "%s: no mismatch showing %s and %s", rendered_findings[i].pdf,
                      rendered_findings[i].figures[0], rendered_findings[i].figures[1]);
        free(html);

        /* In the browser: every image of the page loaded and not blank. */
        char *seen = probe_in_browser(page);
        int mismatches = -1, images = -1, inked = -2;
        ck_assert_int_eq(sscanf(seen, "mismatch=%d images=%d inked=%d", &mismatches, &images,
                                &inked), 3);
        ck_assert_int_ge(mismatches, 1);
        ck_assert_int_ge(images, mismatches);
        ck_assert_msg(inked == images, "%s: %d of %d evidence images blank or missing", page,
                      images - inked, images);
        free(seen);
        free(sha12);
    }
    bp_test_remove_dir(workdir);
}
END_TEST

START_TEST(report_usage)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "'%s' report 2>/dev/null", BP_BINARY);
    free(run(cmd, 2));
    /* A DOC naming nothing is a usage error that says which. */
    snprintf(cmd, sizeof cmd, "'%s' report --db /tmp/bp-no-such.sqlite --html /tmp/bp-x"
             " no-such-doc 2>/tmp/bp-x.err", BP_BINARY);
    free(run(cmd, 2));
    char *out = read_file("/tmp/bp-x.err");
    ck_assert_ptr_nonnull(strstr(out, "matches 'no-such-doc'"));
    free(out);
    ck_assert_int_eq(system("rm -rf /tmp/bp-no-such.sqlite* /tmp/bp-x /tmp/bp-x.err"), 0);
}
END_TEST

static Suite *report_suite(void)
{
    Suite *s = suite_create("report");
    TCase *tc = tcase_create("html");
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, report_lists_findings_with_evidence);
    tcase_add_test(tc, report_usage);
    tcase_add_test(tc, report_in_a_browser);
    tcase_add_test(tc, rendered_corpus_report_in_a_browser);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return bp_test_run(report_suite());
}
