/*
 * check_ingest.c — `budgetpdf ingest` end to end: bad input of every kind
 * gets one line naming the file and a row in ingest_errors while the rest
 * of the batch loads; re-runs are no-ops; copies in one batch load once;
 * --force replaces; the shared
 * real corpus loads with the right page counts; ingest reconciles, and
 * reconcile remakes only checks another build of the rules made.  Drives the built binary
 * and reads the database with the sqlite3 shell.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/test_support.h"

static char workdir[256];

/* Runs ingest; returns its exit code and its stderr (malloc'ed). */
static int ingest(const char *args, char **stderr_text)
{
    char cmd[2048], errfile[300];
    snprintf(errfile, sizeof errfile, "%s/stderr.txt", workdir);
    snprintf(cmd, sizeof cmd, "'%s' ingest --db '%s/t.sqlite' %s 2>'%s' >/dev/null",
             BP_BINARY, workdir, args, errfile);
    int status;
    free(bp_test_run_command(cmd, &status));
    snprintf(cmd, sizeof cmd, "cat '%s'", errfile);
    int ignored;
    *stderr_text = bp_test_run_command(cmd, &ignored);
    return status;
}

static int count_lines_with(const char *text, const char *needle)
{
    int n = 0;
    for (const char *line = text; line && *line;) {
        const char *end = strchr(line, '\n');
        size_t len = end ? (size_t)(end - line) : strlen(line);
        char buf[2048];
        snprintf(buf, sizeof buf, "%.*s", (int)len, line);
        n += strstr(buf, needle) != NULL;
        line = end ? end + 1 : line + len;
    }
    return n;
}

static void write_pdf(const char *name, const char *const *texts, int n, size_t keep)
{
    size_t size;
    char *data = bp_test_minimal_pdf(texts, n, &size);
    char path[512];
    snprintf(path, sizeof path, "%s/in/%s", workdir, name);
    ck_assert_int_eq(bp_test_write_file(path, data, keep && keep < size ? keep : size), 0);
    free(data);
}

START_TEST(bad_inputs_are_reported_and_the_batch_goes_on)
{
    bp_test_make_dir(workdir, sizeof workdir, "ingest");
    char cmd[1200], db[300];
    snprintf(db, sizeof db, "%s/t.sqlite", workdir);
    snprintf(cmd, sizeof cmd, "mkdir -p '%s/in/sub'", workdir);
    ck_assert_int_eq(system(cmd), 0);

    const char *good[] = {"Budget 2022 total 256,890"};
    const char *blank[] = {""};
    write_pdf("good.pdf", good, 1, 0);
    write_pdf("sub/truncated.pdf", good, 1, 40);
    write_pdf("zero-pages.pdf", NULL, 0, 0);
    write_pdf("scan.pdf", blank, 1, 0);
    snprintf(cmd, sizeof cmd, "%s/in/notes.pdf", workdir);
    ck_assert_int_eq(bp_test_write_file(cmd, "just text\n", 10), 0);
    snprintf(cmd, sizeof cmd,
             "qpdf --encrypt secret secret 256 -- '%s/in/good.pdf' '%s/in/encrypted.pdf'",
             workdir, workdir);
    ck_assert_int_eq(system(cmd), 0);

    char args[600], *err = NULL;
    snprintf(args, sizeof args, "'%s/in' '%s/missing.pdf'", workdir, workdir);
    ck_assert_int_eq(ingest(args, &err), 1);
    const char *bad[] = {"truncated.pdf", "zero-pages.pdf", "scan.pdf", "notes.pdf",
                         "encrypted.pdf", "missing.pdf"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        ck_assert_msg(count_lines_with(err, bad[i]) == 1, "want one line for %s in:\n%s",
                      bad[i], err);
    ck_assert_int_eq(count_lines_with(err, "budgetpdf: "), 6);
    free(err);

    bp_test_assert_sql(db, "SELECT count(*) FROM documents", "1");
    bp_test_assert_sql(db, "SELECT pages FROM documents WHERE file LIKE '%good.pdf'", "1");
    bp_test_assert_sql(db, "SELECT text FROM lines", "Budget 2022 total 256,890");
    bp_test_assert_sql(db,
               "SELECT group_concat(kind || ':' || name, ' ') FROM (SELECT kind,"
               " replace(file, rtrim(file, replace(file, '/', '')), '') AS name"
               " FROM ingest_errors ORDER BY name)",
               "encrypted:encrypted.pdf io:missing.pdf format:notes.pdf empty:scan.pdf "
               "format:truncated.pdf empty:zero-pages.pdf");
    bp_test_assert_sql(db, "PRAGMA integrity_check", "ok");

    /* Again: the good file is unchanged; the bad ones are reported again. */
    ck_assert_int_eq(ingest(args, &err), 1);
    free(err);
    bp_test_assert_sql(db, "SELECT count(*) FROM documents", "1");
    snprintf(args, sizeof args, "'%s/in/good.pdf'", workdir);
    ck_assert_int_eq(ingest(args, &err), 0);
    ck_assert_int_eq(count_lines_with(err, "unchanged"), 1);
    free(err);

    /* --force replaces the document: one copy remains. */
    snprintf(args, sizeof args, "--force '%s/in/good.pdf'", workdir);
    ck_assert_int_eq(ingest(args, &err), 0);
    ck_assert_int_eq(count_lines_with(err, "replaced"), 1);
    free(err);
    bp_test_assert_sql(db, "SELECT count(*) FROM documents", "1");
    bp_test_assert_sql(db, "SELECT count(*) FROM lines", "1");
    bp_test_remove_dir(workdir);
}
END_TEST

/* Two copies of one file in the first batch into a new database load
 * once: at -j1 the second is found loaded before it is parsed, at -j2 the
 * two are parsed at once and the merge keeps the first. */
START_TEST(copies_in_one_batch_load_once)
{
    const char *one[] = {"Budget 2022 total 256,890"};
    const char *other[] = {"Budget 2023 total 300,100"};
    for (int jobs = 1; jobs <= 2; jobs++) {
        bp_test_make_dir(workdir, sizeof workdir, "ingest");
        char cmd[600], db[300];
        snprintf(db, sizeof db, "%s/t.sqlite", workdir);
        snprintf(cmd, sizeof cmd, "mkdir -p '%s/in'", workdir);
        ck_assert_int_eq(system(cmd), 0);
        write_pdf("a.pdf", one, 1, 0);
        write_pdf("b.pdf", one, 1, 0);
        write_pdf("c.pdf", other, 1, 0);
        char args[400], *err = NULL;
        snprintf(args, sizeof args, "-j %d '%s/in'", jobs, workdir);
        ck_assert_int_eq(ingest(args, &err), 0);
        ck_assert_msg(count_lines_with(err, "unchanged") == 1, "-j%d:\n%s", jobs, err);
        ck_assert_int_eq(count_lines_with(err, "loaded"), 2);
        free(err);
        bp_test_assert_sql(db, "SELECT count(*) FROM documents", "2");
        bp_test_assert_sql(db, "SELECT count(*) FROM lines", "2");
        bp_test_remove_dir(workdir);
    }
}
END_TEST

START_TEST(usage_errors_exit_2)
{
    bp_test_make_dir(workdir, sizeof workdir, "ingest");
    char *err = NULL;
    ck_assert_int_eq(ingest("", &err), 2);
    free(err);
    ck_assert_int_eq(ingest("-j zero x.pdf", &err), 2);
    free(err);
    /* a DOC that names no loaded document: usage, not a failure */
    const char *texts[] = {"合计 1,172.35"};
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "mkdir -p '%s/in'", workdir);
    ck_assert_int_eq(system(cmd), 0);
    write_pdf("one.pdf", texts, 1, 0);
    snprintf(cmd, sizeof cmd, "'%s/in/one.pdf'", workdir);
    ck_assert_int_eq(ingest(cmd, &err), 0);
    free(err);
    int status;
    snprintf(cmd, sizeof cmd, "'%s' tables --db '%s/t.sqlite' no-such-doc 2>/dev/null",
             BP_BINARY, workdir);
    free(bp_test_run_command(cmd, &status));
    ck_assert_int_eq(status, 2);
    snprintf(cmd, sizeof cmd, "'%s' tables --db '%s/t.sqlite' one.pdf >/dev/null", BP_BINARY,
             workdir);
    free(bp_test_run_command(cmd, &status));
    ck_assert_int_eq(status, 0);
    bp_test_remove_dir(workdir);
}
END_TEST

START_TEST(real_corpus_loads_with_page_counts)
{
    const char *shared = bp_test_shared_dir();
    if (shared == NULL)
        return;
    bp_test_make_dir(workdir, sizeof workdir, "ingest");
    char args[600], db[300], *err = NULL;
    snprintf(db, sizeof db, "%s/t.sqlite", workdir);
    snprintf(args, sizeof args, "-j 2 '%s/corpus/real'", shared);
    ck_assert_int_eq(ingest(args, &err), 0);
    free(err);
    /* Page counts from SOURCES.tsv, confirmed with pdfinfo. */
    bp_test_assert_sql(db,
               "SELECT group_concat(name || '=' || pages, ' ') FROM (SELECT"
               " replace(file, rtrim(file, replace(file, '/', '')), '') AS name, pages"
               " FROM documents ORDER BY name)",
               "cn-001.pdf=25 cn-002.pdf=31 cn-006.pdf=13 cn-014.pdf=13 cn-015.pdf=20 "
               "cn-023.pdf=23 cn-025.pdf=33 cn-031.pdf=25 cn-034.pdf=21");
    bp_test_assert_sql(db, "SELECT count(*) FROM pages", "204");
    bp_test_assert_sql(db, "SELECT count(*) FROM ingest_errors", "0");
    bp_test_assert_sql(db,
               "SELECT count(*) FROM lines l JOIN documents d ON d.id = l.doc_id"
               " WHERE d.file LIKE '%cn-001.pdf' AND l.page = 10 AND l.text LIKE '%17,981.68%'",
               "2");
    ck_assert_int_eq(ingest(args, &err), 0);
    ck_assert_int_eq(count_lines_with(err, "unchanged"), 9);
    free(err);
    bp_test_assert_sql(db, "SELECT count(*) FROM documents", "9");
    bp_test_remove_dir(workdir);
}
END_TEST

/* Ingest runs the rules in its worker and stores the checks with the id
 * of the rules that made them; reconcile lists them as stored, and runs the
 * rules again only for checks another build made, or with --rerun. */
START_TEST(ingest_reconciles_and_reconcile_reruns_only_stale_checks)
{
    bp_test_make_dir(workdir, sizeof workdir, "ingest");
    char args[600], db[300], cmd[1200], *err = NULL;
    snprintf(db, sizeof db, "%s/t.sqlite", workdir);
    snprintf(args, sizeof args, "'%s/corpus/szyb-2020-final-accounts.pdf'", BP_SOURCE_DIR);
    ck_assert_int_eq(ingest(args, &err), 0);
    free(err);
    char *checks = bp_test_sql(db, "SELECT count(*) FROM checks");
    char *rules_id = bp_test_sql(db, "SELECT rules_id FROM documents");
    ck_assert_int_gt(atoi(checks), 100);
    ck_assert_int_eq((int)strlen(rules_id), 16);

    /* stored checks are listed, not remade */
    free(bp_test_sql(db, "UPDATE checks SET message = 'as stored' WHERE check_no = 1"));
    int status;
    snprintf(cmd, sizeof cmd, "'%s' reconcile --db '%s' --all", BP_BINARY, db);
    char *out = bp_test_run_command(cmd, &status);
    ck_assert_int_eq(status, 0);
    ck_assert_ptr_nonnull(strstr(out, "as stored"));
    free(out);

    /* --rerun remakes them */
    snprintf(cmd, sizeof cmd, "'%s' reconcile --db '%s' --rerun >/dev/null", BP_BINARY, db);
    free(bp_test_run_command(cmd, &status));
    ck_assert_int_eq(status, 0);
    bp_test_assert_sql(db, "SELECT count(*) FROM checks WHERE message = 'as stored'", "0");
    bp_test_assert_sql(db, "SELECT count(*) FROM checks", checks);

    /* checks made by another build of the rules are remade by a plain run */
    free(bp_test_sql(db, "UPDATE documents SET rules_id = 'older rules'"));
    free(bp_test_sql(db, "DELETE FROM check_operands"));
    free(bp_test_sql(db, "DELETE FROM checks"));
    snprintf(cmd, sizeof cmd, "'%s' reconcile --db '%s' >/dev/null", BP_BINARY, db);
    free(bp_test_run_command(cmd, &status));
    ck_assert_int_eq(status, 0);
    bp_test_assert_sql(db, "SELECT count(*) FROM checks", checks);
    bp_test_assert_sql(db, "SELECT rules_id FROM documents", rules_id);
    free(checks);
    free(rules_id);
    bp_test_remove_dir(workdir);
}
END_TEST

static Suite *ingest_suite(void)
{
    Suite *s = suite_create("ingest");
    TCase *tc = tcase_create("cli");
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, bad_inputs_are_reported_and_the_batch_goes_on);
    tcase_add_test(tc, copies_in_one_batch_load_once);
    tcase_add_test(tc, usage_errors_exit_2);
    tcase_add_test(tc, real_corpus_loads_with_page_counts);
    tcase_add_test(tc, ingest_reconciles_and_reconcile_reruns_only_stale_checks);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return bp_test_run(ingest_suite());
}
