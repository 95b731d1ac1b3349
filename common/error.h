/*
 * error.h — status codes and the error record every fallible call fills.
 *
 * Fallible functions return a bp_status (BP_OK == 0, failures negative) and
 * take a last `bp_error *err` argument that may be NULL.  On failure the
 * callee writes a one-line message naming the file (and page) it concerns,
 * in the manner of libarchive's archive_error_string().  The record is a
 * plain fixed-size struct so that it can cross folder and process
 * boundaries without ownership questions.
 */
#ifndef BP_COMMON_ERROR_H
#define BP_COMMON_ERROR_H

#include <stdarg.h>

typedef enum bp_status {
    BP_OK = 0,
    BP_ERR_USAGE = -1,     /* caller passed something meaningless */
    BP_ERR_IO = -2,        /* file missing, unreadable, unwritable */
    BP_ERR_FORMAT = -3,    /* input is not what it claims (not a PDF, bad number) */
    BP_ERR_ENCRYPTED = -4, /* PDF needs a password */
    BP_ERR_EMPTY = -5,     /* PDF has no pages or no text layer */
    BP_ERR_LIMIT = -6,     /* input exceeds a configured limit */
    BP_ERR_DB = -7,        /* SQLite reported an error */
    BP_ERR_NOMEM = -8,
    BP_ERR_CRASH = -9,     /* an isolated worker died or was killed */
    BP_ERR_INTERNAL = -10
} bp_status;

#define BP_ERROR_MESSAGE_MAX 512

typedef struct bp_error {
    bp_status code;
    int page;                           /* 1-based page, 0 when not page-specific */
    char message[BP_ERROR_MESSAGE_MAX]; /* one line, no trailing newline */
} bp_error;

/* Records code, page and a printf-style message in err (if non-NULL) and
 * returns code, so a callee can write `return bp_error_set(err, ...);`.
 * Newlines in the formatted message are replaced by spaces. */
bp_status bp_error_set(bp_error *err, bp_status code, int page,
                       const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Resets err to BP_OK with an empty message. */
void bp_error_clear(bp_error *err);

/* A short English name for a status ("io", "format", …), used as the
 * `kind` column of the ingest_errors table. */
const char *bp_status_name(bp_status code);

#endif
