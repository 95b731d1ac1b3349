/*
 * error.c — filling bp_error records.  See error.h.
 */
#include "common/error.h"

#include <stdio.h>
#include <string.h>

bp_status bp_error_set(bp_error *err, bp_status code, int page,
                       const char *fmt, ...)
{
    if (err == NULL)
        return code;
    err->code = code;
    err->page = page;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    for (char *p = err->message; *p; p++)
        if (*p == '\n' || *p == '\r')
            *p = ' ';
    return code;
}

void bp_error_clear(bp_error *err)
{
    if (err == NULL)
        return;
    err->code = BP_OK;
    err->page = 0;
    err->message[0] = '\0';
}

const char *bp_status_name(bp_status code)
{
    switch (code) {
    case BP_OK: return "ok";
    case BP_ERR_USAGE: return "usage";
    case BP_ERR_IO: return "io";
    case BP_ERR_FORMAT: return "format";
    case BP_ERR_ENCRYPTED: return "encrypted";
    case BP_ERR_EMPTY: return "empty";
    case BP_ERR_LIMIT: return "limit";
    case BP_ERR_DB: return "database";
    case BP_ERR_NOMEM: return "memory";
    case BP_ERR_CRASH: return "crash";
    case BP_ERR_INTERNAL: return "internal";
    }
    return "unknown";
}
