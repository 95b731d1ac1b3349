/*
 * check_statements_golden.c — the narrative statements of whole documents
 * against hand-checked goldens (tests/golden/statements-*.jsonl, see
 * docs/statements.md).  Each golden names its PDF in a `# pdf:` header
 * line (a path under the shared corpus, read in place); the test ingests
 * it with the CLI, exports statements and cells, and
 *   - compares every statement field by field with the golden: the same
 *     number of records, and equal statement_no, page, sentence, subject,
 *     value, unit, text, base_year, change, percent, not_comparable and
 *     components (as JSON text); bbox may differ by at most BP_BBOX_SLACK points per
 *     coordinate (poppler versions round glyph boxes differently);
 *   - checks that no statement's box overlaps a recovered table cell on its
 *     page (a figure inside a table is never a statement).
 * Skips cleanly (no failure) when the shared corpus is absent.
 */
#include <check.h>
#include <glob.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_support.h"

#define BP_BBOX_SLACK 0.5
#define MAX_GOLDENS 32

static char *golden_paths[MAX_GOLDENS];
static int n_goldens;

/* Compared fields, in the order of the export. */
static const char *const fields[] = {"statement_no", "page", "sentence", "subject",
                                     "value", "unit", "text", "base_year",
                                     "change", "percent", "not_comparable",
                                     "components"};

/* Reads a whole file (malloc'ed, caller frees), NULL when unreadable. */
static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap);
    size_t got;
    while (buf && (got = fread(buf + len, 1, cap - len - 1, f)) > 0) {
        len += got;
        if (len + 1 == cap) {
            char *grown = realloc(buf, cap * 2);
            if (!grown) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = grown;
            cap *= 2;
        }
    }
    fclose(f);
    if (buf)
        buf[len] = '\0';
    return buf;
}

/* Splits text into its non-blank lines that do not start with '#'
 * (in place); returns the count, up to max. */
static size_t records(char *text, char **lines, size_t max)
{
    size_t n = 0;
    for (char *line = text; line && *line;) {
        char *next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        if (line[0] != '#' && line[strspn(line, " \t\r")] != '\0' && n < max)
            lines[n++] = line;
        line = next;
    }
    return n;
}

/* The raw JSON text of a top-level field of a one-line object: a string
 * with its quotes, a number, null, or a balanced array/object.  Returns
 * its length and sets *at, or 0 when the key is absent. */
static size_t json_field(const char *obj, const char *key, const char **at)
{
    char pattern[64];
    snprintf(pattern, sizeof pattern, "\"%s\":", key);
    size_t klen = strlen(pattern);
    int depth = 0;
    bool in_string = false;
    for (const char *p = obj; *p; p++) {
        if (in_string) {
            if (*p == '\\' && p[1])
                p++;
            else if (*p == '"')
                in_string = false;
            continue;
        }
        if (*p == '{' || *p == '[')
            depth++;
        else if (*p == '}' || *p == ']')
            depth--;
        else if (*p == '"') {
            if (depth == 1 && strncmp(p, pattern, klen) == 0) {
                const char *v = p + klen, *e = v;
                int d = 0;
                bool s = false;
                for (; *e; e++) {
                    if (s) {
                        if (*e == '\\' && e[1])
                            e++;
                        else if (*e == '"')
                            s = false;
                        continue;
                    }
                    if (*e == '"')
                        s = true;
                    else if (*e == '[' || *e == '{')
                        d++;
                    else if (*e == ']' || *e == '}') {
                        if (d == 0)
                            break;
                        d--;
                    } else if (*e == ',' && d == 0)
                        break;
                }
                *at = v;
                return (size_t)(e - v);
            }
            in_string = true;
        }
    }
    return 0;
}

typedef struct box_on_page {
    int page;
    double x0, y0, x1, y1;
} box_on_page;

static bool read_box(const char *obj, box_on_page *out)
{
    const char *v;
    size_t n = json_field(obj, "page", &v);
    if (n == 0)
        return false;
    out->page = atoi(v);
    n = json_field(obj, "bbox", &v);
    return n > 0 && sscanf(v, "[%lf,%lf,%lf,%lf]", &out->x0, &out->y0, &out->x1,
                           &out->y1) == 4;
}

static double overlap(const box_on_page *a, const box_on_page *b)
{
    double w = (a->x1 < b->x1 ? a->x1 : b->x1) - (a->x0 > b->x0 ? a->x0 : b->x0);
    double h = (a->y1 < b->y1 ? a->y1 : b->y1) - (a->y0 > b->y0 ? a->y0 : b->y0);
    return w > 0 && h > 0 ? w * h : 0;
}

START_TEST(golden_document)
{
    const char *shared = bp_test_shared_dir();
    if (shared == NULL)
        return;
    const char *golden_path = golden_paths[_i];
    char *golden = slurp(golden_path);
    ck_assert_msg(golden != NULL, "cannot read %s", golden_path);
    const char *pdf_line = strstr(golden, "# pdf: ");
    ck_assert_msg(pdf_line != NULL, "%s: no '# pdf:' header line", golden_path);
    char pdf[1024];
    ck_assert_int_eq(sscanf(pdf_line + 7, "%1023s", pdf), 1);
    char pdf_path[4096];
    snprintf(pdf_path, sizeof pdf_path, "%s/%s", shared, pdf);
    FILE *probe = fopen(pdf_path, "rb");
    if (!probe) {
        fprintf(stderr, "skipped: %s not found\n", pdf_path);
        free(golden);
        return;
    }
    fclose(probe);

    char dir[] = "/tmp/bp-stgolden-XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char cmd[16384];
    snprintf(cmd, sizeof cmd,
             "'%s' --db '%s/t.sqlite' ingest '%s' >/dev/null 2>&1 && "
             "'%s' --db '%s/t.sqlite' export --format jsonl statements > '%s/st.jsonl' && "
             "'%s' --db '%s/t.sqlite' export --format jsonl cells > '%s/cells.jsonl'",
             BP_BINARY, dir, pdf_path, BP_BINARY, dir, dir, BP_BINARY, dir, dir);
    int rc = system(cmd);
    char path[4200];
    snprintf(path, sizeof path, "%s/st.jsonl", dir);
    char *ours = slurp(path);
    snprintf(path, sizeof path, "%s/cells.jsonl", dir);
    char *cells = slurp(path);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    ck_assert_msg(rc == 0 && ours && cells, "%s: ingest/export failed", pdf);

    enum { MAX_RECORDS = 4096, MAX_CELLS = 1 << 16 };
    static char *want[MAX_RECORDS], *have[MAX_RECORDS], *cell[MAX_CELLS];
    size_t n_want = records(golden, want, MAX_RECORDS);
    size_t n_have = records(ours, have, MAX_RECORDS);
    size_t n_cells = records(cells, cell, MAX_CELLS);
    ck_assert_msg(n_want > 0, "%s: empty golden", golden_path);

    /* field by field: report the first difference of each record */
    int differences = 0;
    for (size_t i = 0; i < n_want && i < n_have; i++) {
        for (size_t f = 0; f < sizeof fields / sizeof *fields; f++) {
            const char *a, *b;
            size_t la = json_field(want[i], fields[f], &a);
            size_t lb = json_field(have[i], fields[f], &b);
            if (la != lb || memcmp(a, b, la) != 0) {
                if (differences++ < 10)
                    fprintf(stderr, "%s: statement %zu: %s: want %.*s, have %.*s\n", pdf,
                            i + 1, fields[f], (int)(la > 200 ? 200 : la), la ? a : "",
                            (int)(lb > 200 ? 200 : lb), lb ? b : "");
                break;
            }
        }
        box_on_page wb, hb;
        if (read_box(want[i], &wb) && read_box(have[i], &hb) &&
            (wb.x0 - hb.x0 > BP_BBOX_SLACK || hb.x0 - wb.x0 > BP_BBOX_SLACK ||
             wb.y0 - hb.y0 > BP_BBOX_SLACK || hb.y0 - wb.y0 > BP_BBOX_SLACK ||
             wb.x1 - hb.x1 > BP_BBOX_SLACK || hb.x1 - wb.x1 > BP_BBOX_SLACK ||
             wb.y1 - hb.y1 > BP_BBOX_SLACK || hb.y1 - wb.y1 > BP_BBOX_SLACK)) {
            if (differences++ < 10)
                fprintf(stderr, "%s: statement %zu: bbox differs by more than %.1f pt\n",
                        pdf, i + 1, BP_BBOX_SLACK);
        }
    }
    if (n_want != n_have)
        fprintf(stderr, "%s: %zu statements, golden has %zu\n", pdf, n_have, n_want);

    /* no statement lies on a table cell */
    int on_cells = 0;
    for (size_t i = 0; i < n_have; i++) {
        box_on_page s;
        if (!read_box(have[i], &s) || (s.x1 <= s.x0 && s.y1 <= s.y0))
            continue;
        for (size_t c = 0; c < n_cells; c++) {
            box_on_page b;
            if (read_box(cell[c], &b) && b.page == s.page && overlap(&s, &b) > 1.0) {
                if (on_cells++ < 5)
                    fprintf(stderr, "%s: statement %zu (page %d) overlaps a table cell\n",
                            pdf, i + 1, s.page);
                break;
            }
        }
    }
    free(golden);
    free(ours);
    free(cells);
    ck_assert_msg(n_want == n_have && differences == 0,
                  "%s: statements differ from %s (%d differences)", pdf, golden_path,
                  differences);
    ck_assert_msg(on_cells == 0, "%s: %d statements lie on table cells", pdf, on_cells);
}
END_TEST

/* The goldens present, and a runner that fails when there are none. */
START_TEST(goldens_exist)
{
    ck_assert_int_ge(n_goldens, 5);
}
END_TEST

int main(void)
{
    glob_t found;
    if (glob(BP_SOURCE_DIR "/tests/golden/statements-*.jsonl", 0, NULL, &found) == 0) {
        for (size_t i = 0; i < found.gl_pathc && n_goldens < MAX_GOLDENS; i++)
            golden_paths[n_goldens++] = strdup(found.gl_pathv[i]);
        globfree(&found);
    }
    Suite *s = suite_create("statements_golden");
    TCase *tc = tcase_create("documents");
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, goldens_exist);
    tcase_add_loop_test(tc, golden_document, 0, n_goldens);
    suite_add_tcase(s, tc);
    int rc = bp_test_run(s);
    for (int i = 0; i < n_goldens; i++)
        free(golden_paths[i]);
    return rc;
}
