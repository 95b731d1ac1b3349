/*
 * report.c — `budgetpdf report`: not built yet.  This placeholder keeps the
 * command table complete; it says so and exits with the usage code.
 */
#include "cli/cli.h"

#include <stdio.h>

int bp_cli_report(int argc, char **argv, bp_cli_globals *globals)
{
    (void)argc;
    (void)argv;
    (void)globals;
    fprintf(stderr, "budgetpdf report: not implemented yet\n");
    return BP_EXIT_USAGE;
}
