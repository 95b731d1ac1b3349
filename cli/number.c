/*
 * number.c — `budgetpdf number TEXT...`: the figures normalize/ reads in
 * each argument, one JSON line per figure, for scripts and for checking.
 *
 * An argument that is one figure as a whole (a cell: "（110.29）", "—",
 * "10 億 9,711 萬 9 千元") is parsed as a cell; otherwise every figure in
 * it is found as in running text.  An argument with no figure at all is
 * reported on stderr (with the parser's reason) and makes the exit code 1.
 * Fields: text, kind, value (in the printed unit), unit, yuan (amounts
 * only), precision, bound, low/high (when set); null where not applicable.
 */
#include "cli/cli.h"
#include "normalize/normalize.h"

#include <stdio.h>
#include <string.h>

static void print_decimal_field(const char *name, bool present, bp_decimal d)
{
    char buf[BP_DECIMAL_STRING_MAX];
    if (present)
        printf(",\"%s\":\"%s\"", name, bp_decimal_format(d, buf, sizeof buf));
    else
        printf(",\"%s\":null", name);
}

static void print_figure(const bp_number *num)
{
    bool has_value = num->kind != BP_NUMBER_NO_VALUE &&
                     num->kind != BP_NUMBER_NOT_COMPARABLE;
    printf("{\"text\":");
    bp_cli_json_string(stdout, num->text);
    printf(",\"kind\":\"%s\"", bp_number_kind_name(num->kind));
    print_decimal_field("value", has_value, num->value);
    printf(",\"unit\":");
    if (num->unit[0] != '\0')
        bp_cli_json_string(stdout, num->unit);
    else
        printf("null");
    bp_decimal yuan = {0, 0};
    bool has_yuan = num->kind == BP_NUMBER_AMOUNT && bp_number_yuan(num, &yuan, NULL) == BP_OK;
    print_decimal_field("yuan", has_yuan, yuan);
    if (num->kind == BP_NUMBER_AMOUNT && strcmp(num->currency, "CNY") != 0)
        printf(",\"currency\":\"%s\"", num->currency);
    if (has_value)
        printf(",\"precision\":%d", (int)num->precision);
    else
        printf(",\"precision\":null");
    printf(",\"bound\":\"%s\"", bp_number_bound_name(num->bound));
    print_decimal_field("low", num->has_low, num->low);
    print_decimal_field("high", num->has_high, num->high);
    printf("}\n");
}

int bp_cli_number(int argc, char **argv, bp_cli_globals *globals)
{
    (void)globals;
    if (argc < 2)
        return bp_cli_usage_error("number", "usage: budgetpdf number TEXT...");
    int status = BP_EXIT_OK;
    for (int a = 1; a < argc; a++) {
        bp_number cell;
        bp_error cell_err;
        if (bp_number_parse(argv[a], (size_t)-1, &cell, &cell_err) == BP_OK) {
            print_figure(&cell);
            continue;
        }
        /* Only text around figures is running text; a malformed figure,
         * a date or a name is reported as the cell parser saw it. */
        if (strncmp(cell_err.message, "not a figure", 12) != 0) {
            fprintf(stderr, "budgetpdf number: %s\n", cell_err.message);
            status = BP_EXIT_FAILED;
            continue;
        }
        bp_number_list found = {0};
        bp_error err;
        if (bp_number_scan(argv[a], (size_t)-1, &found, &err) != BP_OK) {
            fprintf(stderr, "budgetpdf number: %s\n", err.message);
            return BP_EXIT_USAGE;
        }
        if (found.count == 0) {
            fprintf(stderr, "budgetpdf number: %s\n", cell_err.message);
            status = BP_EXIT_FAILED;
        }
        for (size_t i = 0; i < found.count; i++)
            print_figure(&found.items[i]);
        bp_number_list_free(&found);
    }
    fflush(stdout);
    return status;
}
