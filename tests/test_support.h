/*
 * test_support.h — helpers shared by the Check runners: where the sample
 * corpora are, and running a suite with a standard exit code.
 */
#ifndef BP_TEST_SUPPORT_H
#define BP_TEST_SUPPORT_H

#include <check.h>

/* Path of the shared sample corpus (../shared), or NULL when it is absent;
 * the first call that finds it absent prints one "skipped: …" line. */
const char *bp_test_shared_dir(void);

/* Joins dir and name into a static buffer (valid until the next call). */
const char *bp_test_path(const char *dir, const char *name);

/* Builds a small valid PDF in memory: one page (612 x 792 pt) per entry of
 * page_texts, each showing its text in Helvetica 12 pt at (72, 720), and
 * n_pages == 0 gives a document whose page tree is empty.  Returns a
 * malloc'ed buffer (caller frees) and its size. */
char *bp_test_minimal_pdf(const char *const *page_texts, int n_pages, size_t *size);

/* Writes size bytes to path; returns 0 on success. */
int bp_test_write_file(const char *path, const void *data, size_t size);

/* Runs a shell command and returns its stdout (malloc'ed, caller frees)
 * and its exit status in *status. */
char *bp_test_run_command(const char *command, int *status);

/* Makes a fresh directory /tmp/bp-<tag>-XXXXXX into dir (size bytes) and
 * fails the test when it cannot; bp_test_remove_dir() deletes it. */
void bp_test_make_dir(char *dir, size_t size, const char *tag);
void bp_test_remove_dir(const char *dir);

/* Runs query on the database at db with the sqlite3 shell and returns its
 * output without trailing newlines (malloc'ed); fails the test when the
 * shell fails.  bp_test_assert_sql() compares that output with expected. */
char *bp_test_sql(const char *db, const char *query);
void bp_test_assert_sql(const char *db, const char *query, const char *expected);

/* Runs the suite and returns the process exit code (0 when all passed). */
int bp_test_run(Suite *suite);

#endif
