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

/* Runs the suite and returns the process exit code (0 when all passed). */
int bp_test_run(Suite *suite);

#endif
