/*
 * check_numbers_golden.c — runs tests/numbers.test against the built
 * `budgetpdf number`, one Check loop iteration per case.
 *
 * The file format is jq's tests/jq.test adapted: an input line, the
 * expected stdout lines (one JSON object per figure), a blank line; or
 * "%%FAIL", the input, the exact error message (stderr without the
 * "budgetpdf number: " prefix), a blank line, with exit code 1 expected.
 * "#" lines are comments.  The binary runs in a child with stdout and
 * stderr captured in temporary files, so nothing is shell-quoted.
 */
#include "test_support.h"

#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

typedef struct golden_case {
    int line;          /* line of the input in numbers.test */
    bool fail;
    char *input;
    char *expected;    /* expected stdout, or the error message */
} golden_case;

static golden_case *cases;
static int n_cases;

static char *read_stream(FILE *f)
{
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc((size_t)n + 1);
    size_t got = fread(s, 1, (size_t)n, f);
    s[got] = '\0';
    return s;
}

static char *append(char *acc, const char *line)
{
    size_t a = acc ? strlen(acc) : 0, b = strlen(line);
    char *r = realloc(acc, a + b + 2);
    memcpy(r + a, line, b);
    r[a + b] = '\n';
    r[a + b + 1] = '\0';
    return r;
}

static void load_cases(const char *path)
{
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        fprintf(stderr, "cannot open %s\n", path);
        exit(2);
    }
    char buf[4096];
    int lineno = 0, capacity = 0;
    golden_case cur = {0};
    int state = 0; /* 0 between cases, 1 after input, 2 after %%FAIL */
    while (fgets(buf, sizeof buf, f) != NULL) {
        lineno++;
        buf[strcspn(buf, "\n")] = '\0';
        if (state == 0 && (buf[0] == '#' || buf[0] == '\0'))
            continue;
        if (state == 0 && strcmp(buf, "%%FAIL") == 0) {
            cur.fail = true;
            state = 2;
            continue;
        }
        if (state == 0 || state == 2) {
            cur.input = strdup(buf);
            cur.line = lineno;
            state = 1;
            continue;
        }
        if (buf[0] != '\0') {
            if (cur.fail && cur.expected != NULL) {
                fprintf(stderr, "%s:%d: one error line per %%%%FAIL case\n", path, lineno);
                exit(2);
            }
            cur.expected = append(cur.expected, buf);
            continue;
        }
        if (n_cases == capacity) {
            capacity = capacity ? capacity * 2 : 256;
            cases = realloc(cases, (size_t)capacity * sizeof *cases);
        }
        cases[n_cases++] = cur;
        memset(&cur, 0, sizeof cur);
        state = 0;
    }
    if (state == 1) {
        if (n_cases == capacity)
            cases = realloc(cases, (size_t)(capacity + 1) * sizeof *cases);
        cases[n_cases++] = cur;
    }
    fclose(f);
}

/* Runs `budgetpdf number input`; returns its exit code, output in *out,
 * *err_text (both malloc'ed). */
static int run_number(const char *input, char **out, char **err_text)
{
    FILE *o = tmpfile(), *e = tmpfile();
    ck_assert(o != NULL && e != NULL);
    fflush(stdout);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        dup2(fileno(o), 1);
        dup2(fileno(e), 2);
        execl(BP_BINARY, BP_BINARY, "number", input, (char *)NULL);
        _exit(127);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    *out = read_stream(o);
    *err_text = read_stream(e);
    fclose(o);
    fclose(e);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

START_TEST(test_golden_case)
{
    const golden_case *c = &cases[_i];
    char *out = NULL, *err_text = NULL;
    int code = run_number(c->input, &out, &err_text);
    if (c->fail) {
        char want[4200];
        snprintf(want, sizeof want, "budgetpdf number: %s", c->expected ? c->expected : "\n");
        ck_assert_msg(code == 1, "numbers.test:%d: %s: exit %d, want 1", c->line, c->input, code);
        ck_assert_msg(strcmp(err_text, want) == 0, "numbers.test:%d: %s\n got: %s want: %s",
                      c->line, c->input, err_text, want);
        ck_assert_msg(out[0] == '\0', "numbers.test:%d: unexpected output %s", c->line, out);
    } else {
        ck_assert_msg(code == 0, "numbers.test:%d: %s: exit %d (%s)", c->line, c->input, code,
                      err_text);
        ck_assert_msg(strcmp(out, c->expected ? c->expected : "") == 0,
                      "numbers.test:%d: %s\n got:\n%s want:\n%s", c->line, c->input, out,
                      c->expected ? c->expected : "");
    }
    free(out);
    free(err_text);
}
END_TEST

/* The file must keep the size the issue asks for, so a careless edit that
 * drops blocks is caught here rather than in review. */
START_TEST(test_golden_size)
{
    int fails = 0;
    for (int i = 0; i < n_cases; i++)
        fails += cases[i].fail;
    ck_assert_int_ge(n_cases, 300);
    ck_assert_int_ge(fails, 20);
}
END_TEST

int main(void)
{
    load_cases(BP_SOURCE_DIR "/tests/numbers.test");
    Suite *s = suite_create("numbers_golden");
    TCase *tc = tcase_create("golden");
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, test_golden_size);
    tcase_add_loop_test(tc, test_golden_case, 0, n_cases);
    suite_add_tcase(s, tc);
    int rc = bp_test_run(s);
    for (int i = 0; i < n_cases; i++) {
        free(cases[i].input);
        free(cases[i].expected);
    }
    free(cases);
    return rc;
}
