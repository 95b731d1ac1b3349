/*
 * test_support.c — see test_support.h.
 */
#include "tests/test_support.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

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
