/*
 * bench_number.c — figures parsed per second by bp_number_parse (table
 * cells) and bp_number_scan (running text), on a fixed mix of the formats
 * the golden file covers.  Prints one line per workload:
 *   bench_number <workload> <figures> <seconds> <figures/s>
 * Usage: bench_number [ITERATIONS] (default 20000 passes over the mix).
 * Timing uses CLOCK_MONOTONIC; the only floating point here is the rate.
 */
#include "normalize/normalize.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static const char *const cells[] = {
    "256,890", "21,866.99", "1172.35", "1868520000.00", "0", "0.00", "-4,440",
    "（110.29）", "—", "--", "１２３．５", "5%", "≥90%", "10942 宗±10%",
    "10 億 9,711 萬 9 千元", "约 42 万条", "37±3 次", "2 台（套）", "137 人",
    "3,311.52万元", "0.68 万元", "1,041.53 %", "2080505", "增长--（基数为 0，不可比）",
};

static const char *const sentences[] = {
    "2022 年深圳市医疗保险基金管理中心 部门预算收入 256,890 万元，比 2021 年增加 11,530 万元，增长 5%。",
    ("深圳市医疗保险基金管理中心预算 256,890 万元，包括人员支出 5,524 万元、公用支出 550 万元、"
     "对个人和家庭的补助支出 209 万元、项目支出 250,606 万元。"),
    "1,365.24万元，增长--（基数为 0，不可比），主要原因是本项目为新增项目。",
};

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    long iterations = argc > 1 ? atol(argv[1]) : 20000;
    size_t n_cells = sizeof cells / sizeof cells[0];
    long figures = 0, failures = 0;
    double t0 = now();
    for (long it = 0; it < iterations; it++)
        for (size_t c = 0; c < n_cells; c++) {
            bp_number num;
            if (bp_number_parse(cells[c], (size_t)-1, &num, NULL) == BP_OK)
                figures++;
            else
                failures++;
        }
    double dt = now() - t0;
    printf("bench_number cells %ld %.3f %.0f\n", figures, dt, (double)figures / dt);

    long found = 0;
    bp_number_list list = {0};
    t0 = now();
    for (long it = 0; it < iterations; it++)
        for (size_t s = 0; s < sizeof sentences / sizeof sentences[0]; s++) {
            list.count = 0;
            if (bp_number_scan(sentences[s], (size_t)-1, &list, NULL) != BP_OK)
                failures++;
            found += (long)list.count;
        }
    dt = now() - t0;
    bp_number_list_free(&list);
    printf("bench_number scan %ld %.3f %.0f\n", found, dt, (double)found / dt);
    return failures == 0 ? 0 : 1;
}
