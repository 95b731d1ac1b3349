/*
 * patterns_builtin.h — the pattern files compiled into the binary.  The
 * array is generated at build time from the .pcre files in patterns/
 * (embed.cmake) and
 * ends with a {NULL, NULL} entry.
 */
#ifndef BP_PATTERNS_BUILTIN_H
#define BP_PATTERNS_BUILTIN_H

typedef struct bp_builtin_pattern_file {
    const char *name; /* file name, e.g. "table_heading.pcre" */
    const char *text; /* its contents */
} bp_builtin_pattern_file;

extern const bp_builtin_pattern_file bp_builtin_pattern_files[];
extern const int bp_builtin_pattern_file_count;

#endif
