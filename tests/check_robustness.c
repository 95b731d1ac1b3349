/*
 * check_robustness.c — `budgetpdf ingest` against hostile input and
 * hostile circumstances, end to end (the built binary, read back with the
 * sqlite3 shell):
 *
 *   - a batch of damaged PDFs made at run time by hostile_gen (400
 *     mutants by default to keep `make test` short under ASan;
 *     BP_HOSTILE_COUNT=1000 for the full thousand; plus hand-made hostile
 *     documents and a decompression bomb): the batch finishes,
 *     every file is either loaded or named on exactly one error line and
 *     in ingest_errors, no sanitizer report comes from any worker, and the
 *     database is intact;
 *   - 20 SIGKILLs of the ingest at random moments (some during a --force
 *     replace), each run continuing what the last kill left: after each,
 *     PRAGMA integrity_check is ok, every document holds all its pages
 *     (less the page-level errors) and exactly the lines of an unkilled
 *     reference run, no document is lost, and a re-run finishes the rest;
 *   - a decompression bomb under --timeout and --max-cpu: the message names
 *     the limit (a worker killed by RLIMIT_CPU used to read as a crash);
 *   - two ingests on one new database at once: both finish, nothing is
 *     loaded twice, the result equals the reference.
 * What it deliberately does not assert: how long anything takes (bench/).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "extract/extract.h"
#include "tests/test_support.h"

static char workdir[256];

static char *run(const char *cmd, int *status)
{
    char *out = bp_test_run_command(cmd, status);
    ck_assert_ptr_nonnull(out);
    size_t n = strlen(out);
    while (n && out[n - 1] == '\n')
        out[--n] = '\0';
    return out;
}

static long sql_long(const char *db, const char *query)
{
    char *got = bp_test_sql(db, query);
    long v = strtol(got, NULL, 10);
    free(got);
    return v;
}

/* Documents whose pages rows plus page-level errors do not add up to their
 * page count: must always be none. */
static const char torn_documents[] =
    "SELECT count(*) FROM documents d WHERE d.pages !="
    " (SELECT count(*) FROM pages p WHERE p.doc_id = d.id) +"
    " (SELECT count(DISTINCT e.page) FROM ingest_errors e"
    "   WHERE e.sha256 = d.sha256 AND e.page IS NOT NULL)";

/* One line per document: sha256, pages, pages rows, lines rows. */
static const char document_shapes[] =
    "SELECT group_concat(x, ' ') FROM (SELECT d.sha256 || ':' || d.pages || ':' ||"
    " (SELECT count(*) FROM pages p WHERE p.doc_id = d.id) || ':' ||"
    " (SELECT count(*) FROM lines l WHERE l.doc_id = d.id) AS x"
    " FROM documents d ORDER BY d.sha256)";

static void assert_intact(const char *db)
{
    bp_test_assert_sql(db, "PRAGMA integrity_check", "ok");
    bp_test_assert_sql(db, "PRAGMA foreign_key_check", "");
    bp_test_assert_sql(db, torn_documents, "0");
}

/* Every document of db is one of the reference's, with the same shape. */
static void assert_subset_of(const char *db, const char *reference)
{
    char *shapes = bp_test_sql(reference, document_shapes);
    char *got = bp_test_sql(db, document_shapes);
    for (char *tok = strtok(got, " "); tok; tok = strtok(NULL, " "))
        ck_assert_msg(strstr(shapes, tok) != NULL, "%s: document %s is not whole", db, tok);
    free(got);
    free(shapes);
}

/* ---- the hostile batch ------------------------------------------------------ */

static int count_lines_naming(const char *text, const char *name)
{
    int n = 0;
    size_t len = strlen(name);
    for (const char *line = text; line && *line;) {
        const char *end = strchr(line, '\n');
        size_t line_len = end ? (size_t)(end - line) : strlen(line);
        for (const char *p = line; p + len <= line + line_len; p++)
            if (memcmp(p, name, len) == 0 && (p[len] == ':' || p[len] == ' ')) {
                n++;
                break;
            }
        line = end ? end + 1 : line + line_len;
    }
    return n;
}

/* Sources for mutants: the project's corpus and a few small documents of
 * the shared corpus, read in place. */
static void mutation_sources(char *out, size_t cap)
{
    out[0] = '\0';
    static const char *const shared_small[] = {"cn-006.pdf", "cn-025.pdf"};
    const char *shared = bp_test_shared_dir();
    for (size_t i = 0; shared && i < sizeof shared_small / sizeof shared_small[0]; i++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/corpus/real/%s", shared, shared_small[i]);
        if (access(path, R_OK) == 0)
            snprintf(out + strlen(out), cap - strlen(out), " '%s'", path);
    }
    char cmd[512];
    snprintf(cmd, sizeof cmd, "ls %s/corpus/*.pdf 2>/dev/null | head -4", BP_SOURCE_DIR);
    int status;
    char *list = run(cmd, &status);
    for (char *tok = strtok(list, "\n"); tok; tok = strtok(NULL, "\n"))
        snprintf(out + strlen(out), cap - strlen(out), " '%s'", tok);
    free(list);
}

START_TEST(hostile_batch_never_dies)
{
    bp_test_make_dir(workdir, sizeof workdir, "robust");
    const char *env = getenv("BP_HOSTILE_COUNT");
    long count = env ? strtol(env, NULL, 10) : 400;
    char cmd[8192], sources[4096], db[300], dir[300];
    snprintf(db, sizeof db, "%s/h.sqlite", workdir);
    snprintf(dir, sizeof dir, "%s/in", workdir);
    mutation_sources(sources, sizeof sources);
    snprintf(cmd, sizeof cmd, "mkdir -p '%s' '%s/san' && '%s' --bomb-mb 256 --real-every 10 '%s' %ld 20240601 %s",
             dir, workdir, BP_HOSTILE_GEN, dir, count, sources);
    int status;
    free(run(cmd, &status));
    ck_assert_int_eq(status, 0);

    /* Sanitizer reports of workers (whose stderr is muted) go to files. */
    snprintf(cmd, sizeof cmd,
             "ASAN_OPTIONS=log_path='%s/san/asan' UBSAN_OPTIONS=log_path='%s/san/ubsan'"
             " '%s' ingest --db '%s' -j 2 --timeout 120 --max-cpu 60 --max-memory 1024 '%s'"
             " 2>'%s/stderr.txt'",
             workdir, workdir, BP_BINARY, db, dir, workdir);
    char *summary = run(cmd, &status);
    ck_assert_msg(status == 0 || status == 1, "ingest died: status %d", status);
    ck_assert_msg(strncmp(summary, "ingested ", 9) == 0, "no summary: %s", summary);
    free(summary);
    snprintf(cmd, sizeof cmd, "cat '%s/stderr.txt'", workdir);
    char *errors = run(cmd, &status);
    snprintf(cmd, sizeof cmd, "cat '%s'/san/* 2>/dev/null", workdir);
    char *reports = run(cmd, &status);
    ck_assert_msg(reports[0] == '\0', "sanitizer reports from workers:\n%.4000s", reports);
    free(reports);

    /* Every file: one line naming it, and either a document or an error
     * row — or, for a mutant that came out byte-identical to another, the
     * line "unchanged, skipped" and that other's document. */
    char *rows = bp_test_sql(db, "SELECT file || '|' || what FROM (SELECT file, 'loaded' AS what"
                         " FROM documents UNION ALL SELECT file, 'error' FROM ingest_errors"
                         " WHERE page IS NULL)");
    char *loaded = bp_test_sql(db, "SELECT group_concat(sha256, ' ') FROM documents");
    snprintf(cmd, sizeof cmd, "ls '%s'", dir);
    char *files = run(cmd, &status);
    long n_files = 0, n_crashes = 0;
    for (char *name = strtok(files, "\n"); name; name = strtok(NULL, "\n")) {
        char path[1024], row[1100];
        snprintf(path, sizeof path, "%s/%s", dir, name);
        ck_assert_msg(count_lines_naming(errors, path) == 1,
                      "want exactly one line naming %s", path);
        snprintf(row, sizeof row, "%s|", path);
        int found = 0;
        for (const char *p = rows; (p = strstr(p, row)) != NULL; p++)
            found += p == rows || p[-1] == '\n';
        snprintf(row, sizeof row, "%s: unchanged, skipped", path);
        if (found == 0 && strstr(errors, row) != NULL) {
            char sha256[65];
            ck_assert_int_eq(bp_file_sha256(path, sha256, NULL), BP_OK);
            found = strstr(loaded, sha256) != NULL;
        }
        ck_assert_msg(found == 1, "%s: %d documents/ingest_errors rows, want 1", path, found);
        n_files++;
    }
    free(loaded);
    free(rows);
    free(files);
    ck_assert_int_ge(n_files, count);
    for (const char *p = errors; (p = strstr(p, "worker crashed")) != NULL; p++)
        n_crashes++;
    fprintf(stderr, "hostile batch: %ld files, %ld loaded, %ld errors (%ld worker crashes)\n",
            n_files, sql_long(db, "SELECT count(*) FROM documents"),
            sql_long(db, "SELECT count(*) FROM ingest_errors WHERE page IS NULL"), n_crashes);
    free(errors);
    /* Regression: the page-size refusal read the page after freeing it
     * (ASan above), and a document whose every page failed was reported as
     * a scan. */
    char query[1024];
    snprintf(query, sizeof query,
             "SELECT kind || ' ' || substr(message, instr(message, 'page 1:'))"
             " FROM ingest_errors WHERE file = '%s/special-mediabox-wide.pdf'", dir);
    bp_test_assert_sql(db, query, "limit page 1: 4294966683x792 pt, over the limit of 14400 pt");
    assert_intact(db);
    bp_test_remove_dir(workdir);
}
END_TEST

/* A worker over a limit is named with the limit, not as a crash. */
START_TEST(limits_are_reported_as_limits)
{
    bp_test_make_dir(workdir, sizeof workdir, "robust");
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "'%s' --bomb-mb 4096 '%s' 0 1 >/dev/null", BP_HOSTILE_GEN,
             workdir);
    ck_assert_int_eq(system(cmd), 0);
    static const struct {
        const char *option, *message;
    } limits[] = {{"--timeout 1", "worker exceeded the time limit of 1 s"},
                  {"--max-cpu 1", "worker exceeded the CPU limit of 1 s"}};
    for (size_t i = 0; i < sizeof limits / sizeof limits[0]; i++) {
        snprintf(cmd, sizeof cmd,
                 "'%s' ingest --db '%s/l.sqlite' %s '%s/special-deflate-bomb.pdf' 2>&1 >/dev/null",
                 BP_BINARY, workdir, limits[i].option, workdir);
        int status;
        char *out = run(cmd, &status);
        ck_assert_int_eq(status, 1);
        char want[512];
        snprintf(want, sizeof want, "budgetpdf: %s/special-deflate-bomb.pdf: %s", workdir,
                 limits[i].message);
        ck_assert_msg(strcmp(out, want) == 0, "%s: got %s", limits[i].option, out);
        free(out);
    }
    bp_test_remove_dir(workdir);
}
END_TEST

/* ---- killing and racing ingests -------------------------------------------- */

/* A folder of small multi-page documents plus the shared corpus when it is
 * there: enough merges that kills land inside them. */
static void make_inputs(const char *dir)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "mkdir -p '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
    static char texts[60][64];
    const char *pages[60];
    for (int i = 0; i < 60; i++) {
        snprintf(texts[i], sizeof texts[i], "page %d total %d,%03d.%02d", i + 1, i, i * 7 % 1000,
                 i % 100);
        pages[i] = texts[i];
    }
    for (int d = 0; d < 16; d++) {
        size_t size;
        int n = 1 + d * 19 / 15;
        char *data = bp_test_minimal_pdf(pages, n, &size);
        ck_assert_ptr_nonnull(data);
        data[size - 7] = 'A' + d % 26; /* distinct bytes: "%%EOF" → "%%EOA" */
        char path[512];
        snprintf(path, sizeof path, "%s/doc-%02d.pdf", dir, d);
        ck_assert_int_eq(bp_test_write_file(path, data, size), 0);
        free(data);
    }
    const char *shared = bp_test_shared_dir();
    if (shared) { /* one real document, read in place */
        snprintf(cmd, sizeof cmd, "ln -s '%s/corpus/real/cn-006.pdf' '%s/'", shared, dir);
        ck_assert_int_eq(system(cmd), 0);
    }
}


static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Starts `budgetpdf ingest --db db [extra] dir` in the background, output
 * discarded. */
static pid_t start_ingest(const char *db, const char *extra, const char *dir)
{
    fflush(NULL);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        int null = open("/dev/null", O_WRONLY);
        dup2(null, STDOUT_FILENO);
        dup2(null, STDERR_FILENO);
        if (extra && *extra)
            execl(BP_BINARY, BP_BINARY, "ingest", "--db", db, "-j", "2", extra, dir,
                  (char *)NULL);
        else
            execl(BP_BINARY, BP_BINARY, "ingest", "--db", db, "-j", "2", dir, (char *)NULL);
        _exit(127);
    }
    return pid;
}

static int wait_exit(pid_t pid)
{
    int status;
    while (waitpid(pid, &status, 0) < 0)
        ck_assert_int_eq(errno, EINTR);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

START_TEST(sigkill_leaves_whole_documents)
{
    bp_test_make_dir(workdir, sizeof workdir, "robust");
    char dir[300], ref[300], db[300], cmd[1024];
    snprintf(dir, sizeof dir, "%s/in", workdir);
    snprintf(ref, sizeof ref, "%s/ref.sqlite", workdir);
    snprintf(db, sizeof db, "%s/k.sqlite", workdir);
    make_inputs(dir);

    double t0 = now_seconds();
    ck_assert_int_eq(wait_exit(start_ingest(ref, NULL, dir)), 0);
    double duration = now_seconds() - t0;
    char *want = bp_test_sql(ref, document_shapes);
    long want_docs = sql_long(ref, "SELECT count(*) FROM documents");
    ck_assert_int_ge(want_docs, 16);

    /* Each run continues the database the previous kill left (a re-run
     * finishing the rest), so kills land at every stage of a batch; a run
     * that completed before its kill starts the next from nothing.  Every
     * fourth kill hits a --force replace of a complete database. */
    srand(20240601);
    int killed_mid_run = 0;
    long had = 0;
    for (int k = 0; k < 20; k++) {
        int replace = k % 4 == 3;
        if (replace) {
            ck_assert_int_eq(wait_exit(start_ingest(db, NULL, dir)), 0);
            had = want_docs;
        }
        double at = duration * (0.03 + 0.5 * rand() / (double)RAND_MAX);
        pid_t pid = start_ingest(db, replace ? "--force" : NULL, dir);
        struct timespec pause = {(time_t)at, (long)((at - (time_t)at) * 1e9)};
        nanosleep(&pause, NULL);
        kill(pid, SIGKILL);
        int status = wait_exit(pid);
        int interrupted = status == 128 + SIGKILL;
        killed_mid_run += interrupted;
        if (access(db, F_OK) != 0)
            continue; /* killed before the database was created */
        if (sql_long(db, "PRAGMA user_version") == 0) {
            /* killed before the first migration committed: no tables yet */
            bp_test_assert_sql(db, "PRAGMA integrity_check", "ok");
            continue;
        }
        assert_intact(db);
        assert_subset_of(db, ref);
        long have = sql_long(db, "SELECT count(*) FROM documents");
        ck_assert_msg(have >= had, "kill %d: %ld documents, had %ld", k, have, had);
        if (replace)
            ck_assert_int_eq(have, want_docs);
        had = have;
        if (!interrupted || have == want_docs) { /* complete: start again */
            snprintf(cmd, sizeof cmd, "rm -f '%s' '%s-wal' '%s-shm'", db, db, db);
            ck_assert_int_eq(system(cmd), 0);
            had = 0;
        }
    }
    /* A re-run finishes the rest. */
    ck_assert_int_eq(wait_exit(start_ingest(db, NULL, dir)), 0);
    assert_intact(db);
    char *got = bp_test_sql(db, document_shapes);
    ck_assert_msg(strcmp(got, want) == 0, "after the kills and a re-run:\n%s\nwant\n%s", got,
                  want);
    free(got);
    /* The kills must really have interrupted runs, or nothing was tested. */
    fprintf(stderr, "kill: %d of 20 kills interrupted a running ingest\n", killed_mid_run);
    ck_assert_int_ge(killed_mid_run, 10);
    free(want);
    bp_test_remove_dir(workdir);
}
END_TEST

START_TEST(concurrent_ingests_load_each_document_once)
{
    bp_test_make_dir(workdir, sizeof workdir, "robust");
    char dir[300], ref[300], db[300];
    snprintf(dir, sizeof dir, "%s/in", workdir);
    snprintf(ref, sizeof ref, "%s/ref.sqlite", workdir);
    snprintf(db, sizeof db, "%s/c.sqlite", workdir);
    make_inputs(dir);
    ck_assert_int_eq(wait_exit(start_ingest(ref, NULL, dir)), 0);
    char *want = bp_test_sql(ref, document_shapes);

    for (int round = 0; round < 2; round++) {
        char rm[1024];
        snprintf(rm, sizeof rm, "rm -f '%s' '%s-wal' '%s-shm'", db, db, db);
        ck_assert_int_eq(system(rm), 0);
        pid_t a = start_ingest(db, NULL, dir);
        pid_t b = start_ingest(db, round == 1 ? "--force" : NULL, dir);
        ck_assert_int_eq(wait_exit(a), 0);
        ck_assert_int_eq(wait_exit(b), 0);
        assert_intact(db);
        char *got = bp_test_sql(db, document_shapes);
        ck_assert_msg(strcmp(got, want) == 0, "round %d:\n%s\nwant\n%s", round, got, want);
        free(got);
    }
    free(want);
    bp_test_remove_dir(workdir);
}
END_TEST

static Suite *robustness_suite(void)
{
    Suite *s = suite_create("robustness");
    const struct {
        const char *name;
        const TTest *test;
    } cases[] = {{"hostile", hostile_batch_never_dies},
                 {"limits", limits_are_reported_as_limits},
                 {"kill", sigkill_leaves_whole_documents},
                 {"race", concurrent_ingests_load_each_document_once}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        TCase *tc = tcase_create(cases[i].name);
        tcase_set_timeout(tc, 1800);
        tcase_add_test(tc, cases[i].test);
        suite_add_tcase(s, tc);
    }
    return s;
}

int main(void)
{
    return bp_test_run(robustness_suite());
}
