/* ingest.c — placeholder replaced below */
#include "cli/cli.h"
int bp_cli_ingest(int argc, char **argv, bp_cli_globals *globals) { (void)argc; (void)argv; (void)globals; return 2; }
