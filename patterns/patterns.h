/*
 * patterns.h — named sets of regular expressions that recognise the lines
 * and sentences of a budget disclosure (table headings, titles, unit lines,
 * total rows, narrative statements …), loaded from pattern files.
 *
 * A pattern set is one file `<set>.pcre`; its set name is the file name
 * without the extension ("table_heading.pcre" → set "table_heading").  The
 * defaults are compiled into the binary (the .pcre files of patterns/, embedded by
 * embed.cmake); a directory given with --patterns adds sets (new file
 * names) or replaces built-in ones (same file name).  The file format is
 * documented in docs/patterns.md: one pattern per line, `#` comments,
 * optional `label:` prefix, named groups such as (?<id>…) read by callers.
 *
 * Patterns are compiled as UTF-8 with Unicode properties (PCRE2 UTF|UCP)
 * and JIT-compiled where the platform allows.  No PCRE2 type appears here:
 * callers see plain structs and byte offsets into the text they passed.
 *
 * A loaded bp_patterns does not change what it matches, but matching
 * reuses one PCRE2 match block per pattern and JIT-compiles a pattern on
 * its first match: one bp_patterns serves one thread at a time
 * (budgetpdf's parallel workers are processes).
 */
#ifndef BP_PATTERNS_H
#define BP_PATTERNS_H

#include <stdbool.h>
#include <stddef.h>

#include "common/error.h"
#include "extract/extract.h"
#include "normalize/normalize.h"

typedef struct bp_patterns bp_patterns;

/* Set names of the built-in pattern files (callers may use any string). */
#define BP_PSET_TABLE_HEADING "table_heading" /* 表1, 表 1, 表一, 公开01表, 附表1-2, 表14-5 */
#define BP_PSET_TABLE_TITLE   "table_title"   /* 收支总表, 一般公共预算支出表 … (no number) */
#define BP_PSET_UNIT          "unit"          /* 单位：万元, 金额单位：元 */
#define BP_PSET_DEPARTMENT    "department"    /* 部门名称：…, 单位名称：…, 部门：… */
#define BP_PSET_TOTAL_ROW     "total_row"     /* 合计, 总计, 小计, 本年收入合计 … */
#define BP_PSET_OF_WHICH      "of_which"      /* 其中： */
#define BP_PSET_EMPTY_TABLE   "empty_table"   /* 本表无数据, 空表, 本单位无…预算 */
#define BP_PSET_TOC_ENTRY     "toc_entry"     /* 目录 lines: 一、部门职责 ……… 3 */
#define BP_PSET_IDENTITY      "identity"      /* year, issuer, kind, level of a document */
#define BP_PSET_STATEMENT     "statement"     /* narrative figure sentences */
#define BP_PSET_COMPARISON    "comparison"    /* 比上年增加 X 万元, 增长 Y%, 持平 … */
#define BP_PSET_COMPONENT     "component"     /* 包括…、…; 其中：…; numbered items */

/* Loads the built-in pattern files, then every *.pcre file of override_dir
 * (may be NULL) on top of them.  On a bad pattern returns BP_ERR_FORMAT and
 * err names the file and line ("table_heading.pcre:12: missing ) at
 * offset 7"); an unreadable directory or file gives BP_ERR_IO.  Free the
 * result with bp_patterns_free. */
bp_status bp_patterns_load(const char *override_dir, bp_patterns **out,
                           bp_error *err);

/* Loads only the files of dir (no built-ins): for tests and tools. */
bp_status bp_patterns_load_dir_only(const char *dir, bp_patterns **out,
                                    bp_error *err);

void bp_patterns_free(bp_patterns *patterns); /* accepts NULL */

/* True when a set of that name was loaded (it may hold zero patterns). */
bool bp_patterns_has_set(const bp_patterns *patterns, const char *set);

/* Number of patterns in a set (0 for an unknown set). */
size_t bp_patterns_set_size(const bp_patterns *patterns, const char *set);

/* Where the set's file came from: "built-in" or the override path.
 * Borrowed; NULL for an unknown set. */
const char *bp_patterns_set_origin(const bp_patterns *patterns,
                                   const char *set);

#define BP_PATTERN_GROUPS_MAX 16

/* A named group of a match: byte offsets into the text passed to
 * bp_patterns_match.  start == end == BP_PATTERN_UNSET when the group did
 * not take part in the match. */
#define BP_PATTERN_UNSET ((size_t)-1)
typedef struct bp_pattern_group {
    const char *name; /* borrowed from the bp_patterns */
    size_t start, end;
} bp_pattern_group;

typedef struct bp_pattern_match {
    const char *set;   /* borrowed: the set name */
    const char *label; /* borrowed: the pattern's label, or "<file>:<line>" */
    int line;          /* line of the pattern in its file (1-based) */
    int index;         /* 0-based position of the pattern in its set */
    size_t start, end; /* the whole match, byte offsets into the text */
    int n_groups;      /* named groups of that pattern, in pattern order */
    bp_pattern_group groups[BP_PATTERN_GROUPS_MAX];
} bp_pattern_match;

/* Matches text[0..len) (UTF-8; len may be (size_t)-1 for NUL-terminated)
 * against the patterns of set, searching from byte offset `from`.  Among
 * the patterns that match, the one whose match starts earliest wins; ties
 * go to the pattern written first in the file.  Patterns anchor themselves
 * with ^ and $ when they must cover a whole line.
 *
 * Returns true and fills *match (may be NULL) on a match; false when
 * nothing matched, the set is unknown, or the text is not valid UTF-8.
 * Borrowed pointers in *match live as long as patterns. */
bool bp_patterns_match(const bp_patterns *patterns, const char *set,
                       const char *text, size_t len, size_t from,
                       bp_pattern_match *match);

/* Like bp_patterns_match but tries only the pattern with that label. */
bool bp_patterns_match_label(const bp_patterns *patterns, const char *set,
                             const char *label, const char *text, size_t len,
                             size_t from, bp_pattern_match *match);

/* The named group of a match, or NULL when the pattern has no group of
 * that name or it did not take part in the match. */
const bp_pattern_group *bp_pattern_match_group(const bp_pattern_match *match,
                                               const char *name);

/* A NUL-terminated copy of the named group's text (text is the string
 * passed to the match call), or NULL when the group is unset.  The caller
 * frees it with free(). */
char *bp_pattern_match_group_dup(const bp_pattern_match *match,
                                 const char *text, const char *name);

/* ------------------------------------------------------------------ */
/* Narrative: document identity and the figures the text states         */
/* (identity.c, statements.c; docs/statements.md)                       */
/* ------------------------------------------------------------------ */

/* Who issued a document, for which year and what it is.  Strings are
 * malloc'ed (NULL when not found); free with bp_identity_free. */
typedef struct bp_identity {
    int fiscal_year;   /* Gregorian; 0 when not found (民國 114 → 2025) */
    int roc_year;      /* the 民國 year as printed, 0 when none */
    char *issuer;      /* 深圳市医疗保障局 */
    char *kind;        /* 部门预算, 单位预算, 部门决算, 绩效目标, 绩效自评 … */
    char *level;       /* 省, 市, 区, 街道 (县 → 区, 镇/乡 → 街道) */
} bp_identity;

void bp_identity_free(bp_identity *identity); /* frees the strings, accepts NULL */

/* Reads the identity from the first pages (pages[i] may be NULL).  Uses the
 * sets "identity" and "level".  BP_ERR_NOMEM only; what is not found stays
 * 0 / NULL. */
bp_status bp_identity_find(const bp_page *const *pages, size_t n_pages,
                           const bp_patterns *patterns, bp_identity *out,
                           bp_error *err);

/* A figure listed with a total: 包括人员支出 5,524 万元、公用支出 550 万元. */
typedef struct bp_statement_component {
    char *subject;     /* malloc'ed, may be "" */
    bp_number number;
} bp_statement_component;

typedef struct bp_statement {
    int page;          /* where the figure is printed (1-based) */
    bp_box box;        /* the line(s) holding the figure */
    char *sentence;    /* the whole sentence, lines joined, spaces folded */
    char *subject;     /* what the figure measures; "" when none found */
    bp_number number;  /* the figure: text, value, unit, precision */
    /* comparison, where the sentence gives one */
    int base_year;     /* 比2021年 → 2021; 比上年 → fiscal year − 1 when
                          known; 0 when none */
    bool has_change;   /* change is set (持平 sets it to 0) */
    bp_decimal change; /* signed, in change_unit */
    char change_unit[BP_NUMBER_UNIT_MAX];
    bool has_percent;
    bp_decimal percent;/* signed percent */
    bool not_comparable; /* 基数为 0，不可比 */
    bp_statement_component *components;
    size_t n_components;
} bp_statement;

typedef struct bp_statement_list {
    bp_statement *items;
    size_t count, capacity;
} bp_statement_list;

/* Empties the list (frees every string and component); accepts NULL. */
void bp_statement_list_free(bp_statement_list *list);

/* Finds every figure-bearing sentence of the text part of a document and
 * appends its statements to *out, in reading order.  pages[i] may be NULL
 * (a page that failed).  Lines that belong to tables — two or more number
 * cells separated by wide gaps, or anything below a table heading or unit
 * line on its page — are skipped, as are 目录 entries and page numbers.
 * fiscal_year (0 if unknown) resolves 比上年.  Uses the sets "statement",
 * "comparison", "component", "table_heading", "unit", "toc_entry".
 * BP_ERR_NOMEM only. */
bp_status bp_statements_find(const bp_page *const *pages, size_t n_pages,
                             const bp_patterns *patterns, int fiscal_year,
                             bp_statement_list *out, bp_error *err);

/* The same over plain text (one string per page, lines separated by \n),
 * with no geometry: for tests and text renditions.  Boxes are zero. */
bp_status bp_statements_find_text(const char *const *page_texts, size_t n_pages,
                                  const bp_patterns *patterns, int fiscal_year,
                                  bp_statement_list *out, bp_error *err);

#endif
