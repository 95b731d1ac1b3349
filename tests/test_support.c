/*
 * test_support.c — see test_support.h.
 */
#include "tests/test_support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

const char *bp_test_shared_dir(void)
{
    static int warned;
    struct stat st;
    if (stat(BP_SHARED_DIR "/corpus", &st) == 0 && S_ISDIR(st.st_mode))
        return BP_SHARED_DIR;
    if (!warned) {
        fprintf(stderr, "skipped: shared corpus not found at %s\n", BP_SHARED_DIR);
        warned = 1;
    }
    return NULL;
}

const char *bp_test_path(const char *dir, const char *name)
{
    static char buf[4096];
    snprintf(buf, sizeof buf, "%s/%s", dir, name);
    return buf;
}

int bp_test_run(Suite *suite)
{
    SRunner *runner = srunner_create(suite);
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

/* Appends text to buf (holding cap bytes) at offset at; returns the new end. */
static size_t append(char *buf, size_t at, size_t cap, const char *text)
{
    size_t n = strlen(text);
    if (at + n >= cap)
        return at;
    memcpy(buf + at, text, n + 1);
    return at + n;
}

char *bp_test_minimal_pdf(const char *const *page_texts, int n_pages, size_t *size)
{
    size_t cap = 4096 + (size_t)n_pages * 1024;
    for (int i = 0; i < n_pages; i++)
        cap += 2 * strlen(page_texts[i]);
    char *buf = malloc(cap);
    size_t offsets[1024];
    int n_objects = 3 + 2 * n_pages;
    if (buf == NULL || n_objects >= 1024)
        return free(buf), NULL;
    size_t at = append(buf, 0, cap, "%PDF-1.4\n");
    offsets[1] = at;
    at = append(buf, at, cap, "1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n");
    offsets[2] = at;
    at = append(buf, at, cap, "2 0 obj << /Type /Pages /Kids [");
    for (int i = 0; i < n_pages; i++) {
        char ref[32];
        snprintf(ref, sizeof ref, "%d 0 R ", 4 + 2 * i);
        at = append(buf, at, cap, ref);
    }
    char count[64];
    snprintf(count, sizeof count, "] /Count %d >> endobj\n", n_pages);
    at = append(buf, at, cap, count);
    offsets[3] = at;
    at = append(buf, at, cap,
                "3 0 obj << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> endobj\n");
    for (int i = 0; i < n_pages; i++) {
        char obj[256];
        offsets[4 + 2 * i] = at;
        snprintf(obj, sizeof obj,
                 "%d 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792]"
                 " /Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >> endobj\n",
                 4 + 2 * i, 5 + 2 * i);
        at = append(buf, at, cap, obj);
        char stream[1024];
        snprintf(stream, sizeof stream, "BT /F1 12 Tf 72 720 Td (%s) Tj ET", page_texts[i]);
        offsets[5 + 2 * i] = at;
        snprintf(obj, sizeof obj, "%d 0 obj << /Length %zu >> stream\n", 5 + 2 * i,
                 strlen(stream));
        at = append(buf, at, cap, obj);
        at = append(buf, at, cap, stream);
        at = append(buf, at, cap, "\nendstream endobj\n");
    }
    size_t xref = at;
    char line[64];
    snprintf(line, sizeof line, "xref\n0 %d\n0000000000 65535 f \n", n_objects);
    at = append(buf, at, cap, line);
    for (int i = 1; i < n_objects; i++) {
        snprintf(line, sizeof line, "%010zu 00000 n \n", offsets[i]);
        at = append(buf, at, cap, line);
    }
    snprintf(line, sizeof line, "trailer << /Size %d /Root 1 0 R >>\n", n_objects);
    at = append(buf, at, cap, line);
    snprintf(line, sizeof line, "startxref\n%zu\n%%%%EOF\n", xref);
    at = append(buf, at, cap, line);
    *size = at;
    return buf;
}

int bp_test_write_file(const char *path, const void *data, size_t size)
{
    FILE *f = fopen(path, "wb");
    if (f == NULL)
        return -1;
    size_t n = fwrite(data, 1, size, f);
    return (fclose(f) == 0 && n == size) ? 0 : -1;
}

char *bp_test_run_command(const char *command, int *status)
{
    FILE *p = popen(command, "r");
    if (p == NULL) {
        *status = -1;
        return NULL;
    }
    size_t cap = 65536, len = 0;
    char *out = malloc(cap);
    size_t n;
    while (out && (n = fread(out + len, 1, cap - len - 1, p)) > 0) {
        len += n;
        if (cap - len < 4096) {
            char *bigger = realloc(out, cap * 2);
            if (bigger == NULL)
                break;
            out = bigger;
            cap *= 2;
        }
    }
    if (out)
        out[len] = '\0';
    int rc = pclose(p);
    *status = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
    return out;
}

void bp_test_make_dir(char *dir, size_t size, const char *tag)
{
    snprintf(dir, size, "/tmp/bp-%s-XXXXXX", tag);
    ck_assert_ptr_nonnull(mkdtemp(dir));
}

void bp_test_remove_dir(const char *dir)
{
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
}

char *bp_test_sql(const char *db, const char *query)
{
    size_t size = strlen(db) + strlen(query) + 32;
    char *cmd = malloc(size);
    ck_assert_ptr_nonnull(cmd);
    snprintf(cmd, size, "sqlite3 '%s' \"%s\"", db, query);
    int status;
    char *out = bp_test_run_command(cmd, &status);
    ck_assert_msg(out != NULL && status == 0, "sqlite3 failed on %s", query);
    free(cmd);
    size_t n = strlen(out);
    while (n && out[n - 1] == '\n')
        out[--n] = '\0';
    return out;
}

void bp_test_assert_sql(const char *db, const char *query, const char *expected)
{
    char *got = bp_test_sql(db, query);
    ck_assert_msg(strcmp(got, expected) == 0, "%s\n  expected: %s\n  got: %s", query, expected,
                  got);
    free(got);
}
