/*
 * patterns.c — loading pattern files and matching text against a set.
 *
 * A pattern file is parsed line by line (format in docs/patterns.md):
 * blank lines and lines starting with `#` are skipped, a line starting with
 * white space continues the previous pattern, and a leading `label: ` names
 * the pattern.  Each pattern is compiled with PCRE2_UTF | PCRE2_UCP when
 * loaded, and JIT-compiled when it is first matched (a stage uses only a
 * few of the sets; a JIT failure is not an error: the interpreter is
 * used).  Sets are kept in load order:
 * built-ins first, override files replace a set of the same name in place,
 * new files are appended.  This is the only file of the project that
 * includes pcre2.h; nothing of PCRE2 leaves it.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patterns/patterns.h"
#include "patterns/patterns_builtin.h"

typedef struct named_group {
    char *name;
    int number;
} named_group;

/* Whether a pattern has been JIT-compiled: that happens on its first match. */
typedef enum jit_state { JIT_UNTRIED, JIT_READY, JIT_FAILED } jit_state;

typedef struct pattern {
    char *label;       /* from `label:` or "<file>:<line>" */
    int line;
    pcre2_code *code;
    jit_state jit;     /* written while matching, like md */
    pcre2_match_data *md; /* reused by every match: a bp_patterns serves one thread */
    int n_names;
    named_group names[BP_PATTERN_GROUPS_MAX];
    int required_unit; /* a byte every match holds (see cannot_match), or -1 */
} pattern;

typedef struct pattern_set {
    char *name;        /* file name without ".pcre" */
    char *origin;      /* "built-in" or the file's path */
    pattern *items;
    size_t n_items;
} pattern_set;

/* The last text PCRE2 found to be valid UTF-8 when matched from its
 * start.  The same line or cell is matched against set after set, and
 * PCRE2's check of the whole text cost a third of each match; a text
 * equal byte for byte to this one is matched without it. */
typedef struct valid_text {
    char *bytes;
    size_t len, capacity;
} valid_text;

/* Which set a caller's name pointer found last.  Callers pass the same
 * literal names again and again, and comparing one pointer and one name is
 * cheaper than the search of every set; the name is still compared, since
 * a caller may pass other text at the same address. */
typedef struct set_lookup {
    const char *name;
    pattern_set *set;
} set_lookup;

#define SET_LOOKUPS 16 /* a slot per name pointer, hashed */

struct bp_patterns {
    pattern_set *sets;
    size_t n_sets;
    valid_text *last_valid; /* written while matching, like pattern.md */
    set_lookup *lookups;    /* SET_LOOKUPS slots, written while matching */
};

static char *dup_range(const char *s, size_t n)
{
    char *copy = malloc(n + 1);
    if (copy) {
        memcpy(copy, s, n);
        copy[n] = '\0';
    }
    return copy;
}

static void set_clear(pattern_set *set)
{
    for (size_t i = 0; i < set->n_items; i++) {
        pattern *p = &set->items[i];
        free(p->label);
        pcre2_code_free(p->code);
        pcre2_match_data_free(p->md);
        for (int g = 0; g < p->n_names; g++)
            free(p->names[g].name);
    }
    free(set->items);
    free(set->name);
    free(set->origin);
    memset(set, 0, sizeof *set);
}

void bp_patterns_free(bp_patterns *patterns)
{
    if (!patterns)
        return;
    for (size_t i = 0; i < patterns->n_sets; i++)
        set_clear(&patterns->sets[i]);
    free(patterns->sets);
    if (patterns->last_valid)
        free(patterns->last_valid->bytes);
    free(patterns->last_valid);
    free(patterns->lookups);
    free(patterns);
}

/* Reads the named groups of a compiled pattern into p->names. */
static bp_status read_group_names(pattern *p, const char *file, int line,
                                  bp_error *err)
{
    uint32_t count = 0, entry_size = 0;
    PCRE2_SPTR table = NULL;
    pcre2_pattern_info(p->code, PCRE2_INFO_NAMECOUNT, &count);
    if (count == 0)
        return BP_OK;
    if (count > BP_PATTERN_GROUPS_MAX)
        return bp_error_set(err, BP_ERR_FORMAT, 0,
                            "%s:%d: more than %d named groups", file, line,
                            BP_PATTERN_GROUPS_MAX);
    pcre2_pattern_info(p->code, PCRE2_INFO_NAMEENTRYSIZE, &entry_size);
    pcre2_pattern_info(p->code, PCRE2_INFO_NAMETABLE, &table);
    /* Entries are sorted by name; put them back in group-number order so
     * callers see them as written. */
    for (uint32_t i = 0; i < count; i++) {
        PCRE2_SPTR entry = table + (size_t)i * entry_size;
        int number = (entry[0] << 8) | entry[1];
        char *name = strdup((const char *)entry + 2);
        if (!name)
            return bp_error_set(err, BP_ERR_NOMEM, 0, "out of memory");
        int at = p->n_names;
        while (at > 0 && p->names[at - 1].number > number) {
            p->names[at] = p->names[at - 1];
            at--;
        }
        p->names[at].name = name;
        p->names[at].number = number;
        p->n_names++;
    }
    return BP_OK;
}

/* The code unit PCRE2 found that every match holds ("the rightmost literal
 * code unit that must exist in any matched string"), or -1 when there is
 * none.  A caseless pattern may record an ASCII letter that also matches
 * its other case: a letter is not used.  (A character of several bytes is
 * recorded only when matched with its case.) */
static int required_unit(const pcre2_code *re)
{
    uint32_t type = 0, unit = 0;
    pcre2_pattern_info(re, PCRE2_INFO_LASTCODETYPE, &type);
    pcre2_pattern_info(re, PCRE2_INFO_LASTCODEUNIT, &unit);
    bool letter = (unit >= 'A' && unit <= 'Z') || (unit >= 'a' && unit <= 'z');
    return type == 1 && !letter ? (int)unit : -1;
}

/* Compiles one pattern and appends it to set. */
static bp_status add_pattern(pattern_set *set, const char *file, int line,
                             const char *label, size_t label_len,
                             const char *source, size_t source_len,
                             bp_error *err)
{
    int code = 0;
    PCRE2_SIZE offset = 0;
    pcre2_code *re = pcre2_compile((PCRE2_SPTR)source, source_len,
                                   PCRE2_UTF | PCRE2_UCP, &code, &offset, NULL);
    if (!re) {
        PCRE2_UCHAR message[256];
        pcre2_get_error_message(code, message, sizeof message);
        return bp_error_set(err, BP_ERR_FORMAT, 0, "%s:%d: %s at offset %zu",
                            file, line, (const char *)message, (size_t)offset);
    }
    pattern *grown = realloc(set->items, (set->n_items + 1) * sizeof *grown);
    if (!grown) {
        pcre2_code_free(re);
        return bp_error_set(err, BP_ERR_NOMEM, 0, "out of memory");
    }
    set->items = grown;
    pattern *p = &set->items[set->n_items++];
    memset(p, 0, sizeof *p);
    p->code = re;
    p->line = line;
    p->required_unit = required_unit(re);
    p->md = pcre2_match_data_create_from_pattern(re, NULL);
    if (!p->md)
        return bp_error_set(err, BP_ERR_NOMEM, 0, "out of memory");
    if (label_len > 0) {
        p->label = dup_range(label, label_len);
    } else {
        char buf[300];
        snprintf(buf, sizeof buf, "%s:%d", set->name, line);
        p->label = strdup(buf);
    }
    if (!p->label)
        return bp_error_set(err, BP_ERR_NOMEM, 0, "out of memory");
    return read_group_names(p, file, line, err);
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

/* Length of a `label:` prefix (the label only), or 0.  A label is an ASCII
 * identifier [A-Za-z_][A-Za-z0-9_.-]* followed by ':' and white space. */
static size_t label_prefix(const char *s, size_t n)
{
    size_t i = 0;
    if (n == 0 || !((s[0] >= 'A' && s[0] <= 'Z') || (s[0] >= 'a' && s[0] <= 'z') ||
                    s[0] == '_'))
        return 0;
    while (i < n && ((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z') ||
                     (s[i] >= '0' && s[i] <= '9') || s[i] == '_' || s[i] == '.' ||
                     s[i] == '-'))
        i++;
    if (i + 1 < n && s[i] == ':' && is_space(s[i + 1]))
        return i;
    return 0;
}

typedef struct pending {
    char *text;
    size_t len, cap;
    char label[128];
    size_t label_len;
    int line;
} pending;

static bp_status pending_append(pending *pd, const char *s, size_t n,
                                bp_error *err)
{
    if (pd->len + n + 1 > pd->cap) {
        size_t cap = pd->cap ? pd->cap * 2 : 256;
        while (cap < pd->len + n + 1)
            cap *= 2;
        char *grown = realloc(pd->text, cap);
        if (!grown)
            return bp_error_set(err, BP_ERR_NOMEM, 0, "out of memory");
        pd->text = grown;
        pd->cap = cap;
    }
    memcpy(pd->text + pd->len, s, n);
    pd->len += n;
    pd->text[pd->len] = '\0';
    return BP_OK;
}

static bp_status pending_flush(pending *pd, pattern_set *set, const char *file,
                               bp_error *err)
{
    if (pd->len == 0)
        return BP_OK;
    bp_status st = add_pattern(set, file, pd->line, pd->label, pd->label_len,
                               pd->text, pd->len, err);
    pd->len = 0;
    pd->label_len = 0;
    return st;
}

/* Parses the text of one pattern file into set (already named). */
static bp_status parse_file(pattern_set *set, const char *file,
                            const char *text, bp_error *err)
{
    pending pd = {0};
    bp_status st = BP_OK;
    int line_no = 0;
    const char *p = text;
    while (*p && st == BP_OK) {
        const char *eol = strchr(p, '\n');
        size_t n = eol ? (size_t)(eol - p) : strlen(p);
        line_no++;
        const char *line = p;
        p = eol ? eol + 1 : p + n;

        int continues = n > 0 && is_space(line[0]);
        size_t a = 0, b = n;
        while (a < b && is_space(line[a]))
            a++;
        while (b > a && is_space(line[b - 1]))
            b--;
        if (a == b || line[a] == '#')
            continue; /* blank or comment (also between continuation lines) */
        if (continues && pd.len > 0) {
            st = pending_append(&pd, line + a, b - a, err);
            continue;
        }
        st = pending_flush(&pd, set, file, err);
        if (st != BP_OK)
            break;
        size_t label_len = label_prefix(line + a, b - a);
        pd.line = line_no;
        if (label_len > 0) {
            if (label_len >= sizeof pd.label) {
                st = bp_error_set(err, BP_ERR_FORMAT, 0, "%s:%d: label too long",
                                  file, line_no);
                break;
            }
            memcpy(pd.label, line + a, label_len);
            pd.label_len = label_len;
            a += label_len + 1;
            while (a < b && is_space(line[a]))
                a++;
            if (a == b) {
                st = bp_error_set(err, BP_ERR_FORMAT, 0,
                                  "%s:%d: label without a pattern", file, line_no);
                break;
            }
        }
        st = pending_append(&pd, line + a, b - a, err);
    }
    if (st == BP_OK)
        st = pending_flush(&pd, set, file, err);
    free(pd.text);
    return st;
}

static pattern_set *find_set(const bp_patterns *patterns, const char *name)
{
    if (!patterns || !name)
        return NULL;
    for (size_t i = 0; i < patterns->n_sets; i++) /* first bytes first: a match per call */
        if (patterns->sets[i].name[0] == name[0] && strcmp(patterns->sets[i].name, name) == 0)
            return &patterns->sets[i];
    return NULL;
}

/* Builds a set from a file's text, then installs it in patterns, replacing
 * a set of the same name.  file_name is "<set>.pcre". */
static bp_status install_set(bp_patterns *patterns, const char *file_name,
                             const char *origin, const char *display,
                             const char *text, bp_error *err)
{
    size_t n = strlen(file_name);
    if (n <= 5 || strcmp(file_name + n - 5, ".pcre") != 0)
        return bp_error_set(err, BP_ERR_USAGE, 0, "%s: not a .pcre file", display);
    pattern_set fresh = {0};
    fresh.name = dup_range(file_name, n - 5);
    fresh.origin = strdup(origin);
    if (!fresh.name || !fresh.origin) {
        set_clear(&fresh);
        return bp_error_set(err, BP_ERR_NOMEM, 0, "out of memory");
    }
    bp_status st = parse_file(&fresh, display, text, err);
    if (st != BP_OK) {
        set_clear(&fresh);
        return st;
    }
    pattern_set *old = find_set(patterns, fresh.name);
    if (old) {
        set_clear(old);
        *old = fresh;
        return BP_OK;
    }
    pattern_set *grown = realloc(patterns->sets,
                                 (patterns->n_sets + 1) * sizeof *grown);
    if (!grown) {
        set_clear(&fresh);
        return bp_error_set(err, BP_ERR_NOMEM, 0, "out of memory");
    }
    patterns->sets = grown;
    patterns->sets[patterns->n_sets++] = fresh;
    return BP_OK;
}

static bp_status read_whole_file(const char *path, char **out, bp_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return bp_error_set(err, BP_ERR_IO, 0, "%s: %s", path, strerror(errno));
    char *buf = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (len + 4096 + 1 > cap) {
            cap = cap ? cap * 2 : 8192;
            char *grown = realloc(buf, cap);
            if (!grown) {
                free(buf);
                fclose(f);
                return bp_error_set(err, BP_ERR_NOMEM, 0, "out of memory");
            }
            buf = grown;
        }
        size_t got = fread(buf + len, 1, 4096, f);
        len += got;
        if (got < 4096)
            break;
    }
    int failed = ferror(f);
    fclose(f);
    if (failed) {
        free(buf);
        return bp_error_set(err, BP_ERR_IO, 0, "%s: read error", path);
    }
    buf[len] = '\0';
    if (memchr(buf, '\0', len)) {
        free(buf);
        return bp_error_set(err, BP_ERR_FORMAT, 0, "%s: contains a NUL byte", path);
    }
    *out = buf;
    return BP_OK;
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Installs every *.pcre file of dir, in name order. */
static bp_status load_dir(bp_patterns *patterns, const char *dir, bp_error *err)
{
    DIR *d = opendir(dir);
    if (!d)
        return bp_error_set(err, BP_ERR_IO, 0, "%s: %s", dir, strerror(errno));
    char **names = NULL;
    size_t n_names = 0;
    bp_status st = BP_OK;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name);
        if (n <= 5 || strcmp(e->d_name + n - 5, ".pcre") != 0 || e->d_name[0] == '.')
            continue;
        char **grown = realloc(names, (n_names + 1) * sizeof *grown);
        char *copy = strdup(e->d_name);
        if (!grown || !copy) {
            free(copy);
            if (grown)
                names = grown;
            st = bp_error_set(err, BP_ERR_NOMEM, 0, "out of memory");
            break;
        }
        names = grown;
        names[n_names++] = copy;
    }
    closedir(d);
    if (st == BP_OK && n_names > 1)
        qsort(names, n_names, sizeof *names, compare_names);
    for (size_t i = 0; i < n_names && st == BP_OK; i++) {
        size_t len = strlen(dir) + 1 + strlen(names[i]) + 1;
        char *path = malloc(len);
        if (!path) {
            st = bp_error_set(err, BP_ERR_NOMEM, 0, "out of memory");
            break;
        }
        snprintf(path, len, "%s/%s", dir, names[i]);
        char *text = NULL;
        st = read_whole_file(path, &text, err);
        if (st == BP_OK)
            st = install_set(patterns, names[i], path, path, text, err);
        free(text);
        free(path);
    }
    for (size_t i = 0; i < n_names; i++)
        free(names[i]);
    free(names);
    return st;
}

static bp_status load(const char *dir, int builtins, bp_patterns **out,
                      bp_error *err)
{
    if (!out)
        return bp_error_set(err, BP_ERR_USAGE, 0, "bp_patterns_load: no output");
    *out = NULL;
    bp_patterns *patterns = calloc(1, sizeof *patterns);
    if (patterns) {
        patterns->last_valid = calloc(1, sizeof *patterns->last_valid);
        patterns->lookups = calloc(SET_LOOKUPS, sizeof *patterns->lookups);
    }
    if (!patterns || !patterns->last_valid || !patterns->lookups) {
        bp_patterns_free(patterns);
        return bp_error_set(err, BP_ERR_NOMEM, 0, "out of memory");
    }
    bp_status st = BP_OK;
    for (int i = 0; builtins && st == BP_OK && i < bp_builtin_pattern_file_count; i++) {
        const bp_builtin_pattern_file *f = &bp_builtin_pattern_files[i];
        char display[300];
        snprintf(display, sizeof display, "%s (built-in)", f->name);
        st = install_set(patterns, f->name, "built-in", display, f->text, err);
    }
    if (st == BP_OK && dir)
        st = load_dir(patterns, dir, err);
    if (st != BP_OK) {
        bp_patterns_free(patterns);
        return st;
    }
    *out = patterns;
    return BP_OK;
}

bp_status bp_patterns_load(const char *override_dir, bp_patterns **out,
                           bp_error *err)
{
    return load(override_dir, 1, out, err);
}

bp_status bp_patterns_load_dir_only(const char *dir, bp_patterns **out,
                                    bp_error *err)
{
    if (!dir)
        return bp_error_set(err, BP_ERR_USAGE, 0, "no pattern directory given");
    return load(dir, 0, out, err);
}

bool bp_patterns_has_set(const bp_patterns *patterns, const char *set)
{
    return find_set(patterns, set) != NULL;
}

size_t bp_patterns_set_size(const bp_patterns *patterns, const char *set)
{
    const pattern_set *s = find_set(patterns, set);
    return s ? s->n_items : 0;
}

const char *bp_patterns_set_origin(const bp_patterns *patterns, const char *set)
{
    const pattern_set *s = find_set(patterns, set);
    return s ? s->origin : NULL;
}

/* Runs one pattern; on a match fills *m (groups included) and returns 1.
 * A text already known to be valid UTF-8 goes straight to the JIT code,
 * past pcre2_match's checks of its arguments. */
static int run_one(const pattern_set *set, pattern *p, size_t index,
                   const char *text, size_t len, size_t from,
                   uint32_t options, bp_pattern_match *m)
{
    if (p->jit == JIT_UNTRIED)
        p->jit = pcre2_jit_compile(p->code, PCRE2_JIT_COMPLETE) == 0 ? JIT_READY : JIT_FAILED;
    int rc = p->jit == JIT_READY && (options & PCRE2_NO_UTF_CHECK)
                 ? pcre2_jit_match(p->code, (PCRE2_SPTR)text, len, from, 0, p->md, NULL)
                 : pcre2_match(p->code, (PCRE2_SPTR)text, len, from, options, p->md, NULL);
    if (rc < 0)
        return rc == PCRE2_ERROR_NOMATCH ? 0 : -1;
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(p->md);
    uint32_t pairs = pcre2_get_ovector_count(p->md);
    memset(m, 0, sizeof *m);
    m->set = set->name;
    m->label = p->label;
    m->line = p->line;
    m->index = (int)index;
    m->start = ov[0];
    m->end = ov[1];
    m->n_groups = p->n_names;
    for (int g = 0; g < p->n_names; g++) {
        uint32_t k = (uint32_t)p->names[g].number;
        m->groups[g].name = p->names[g].name;
        if (k < pairs && ov[2 * k] != PCRE2_UNSET) {
            m->groups[g].start = ov[2 * k];
            m->groups[g].end = ov[2 * k + 1];
        } else {
            m->groups[g].start = m->groups[g].end = BP_PATTERN_UNSET;
        }
    }
    return 1;
}

/* Whether p cannot match text[from..len) because the text lacks the code
 * unit every match holds.  PCRE2's interpreter makes this check before it
 * matches; its JIT code, which this file runs, did not skip these texts
 * (measured), and most texts lack the unit of most patterns: the last byte
 * of 表 for the table headings and titles, of 计 for the total rows, of 元
 * for the unit line ….  A match starts at or after from and PCRE2 records
 * no unit of a lookbehind, so the unit lies in between. */
static bool cannot_match(const pattern *p, const char *text, size_t len, size_t from)
{
    return p->required_unit >= 0 && memchr(text + from, p->required_unit, len - from) == NULL;
}

static bool is_last_valid(const valid_text *v, const char *text, size_t len)
{
    return v->bytes != NULL && v->len == len && memcmp(v->bytes, text, len) == 0;
}

/* Remembers text as valid UTF-8 (forgetting it when out of memory). */
static void remember_valid(valid_text *v, const char *text, size_t len)
{
    if (len + 1 > v->capacity) {
        char *grown = realloc(v->bytes, len + 1);
        if (grown == NULL) {
            v->len = (size_t)-1;
            return;
        }
        v->bytes = grown;
        v->capacity = len + 1;
    }
    memcpy(v->bytes, text, len);
    v->len = len;
}

/* find_set through the lookup slots (for matching, once loading is done). */
static const pattern_set *look_up_set(const bp_patterns *patterns, const char *name)
{
    set_lookup *slot = &patterns->lookups[((uintptr_t)name >> 3) % SET_LOOKUPS];
    if (name != NULL && slot->name == name && strcmp(slot->set->name, name) == 0)
        return slot->set;
    pattern_set *set = find_set(patterns, name);
    if (set != NULL) {
        slot->name = name;
        slot->set = set;
    }
    return set;
}

static bool match_in_set(const bp_patterns *patterns, const char *set_name,
                         const char *label, const char *text, size_t len,
                         size_t from, bp_pattern_match *match)
{
    const pattern_set *set = look_up_set(patterns, set_name);
    if (!set || !text)
        return false;
    if (len == (size_t)-1)
        len = strlen(text);
    if (from > len)
        return false;
    bp_pattern_match best, current; /* best is set once found */
    int found = 0;
    /* From the start, PCRE2 checks the whole text (from an offset, only
     * part of it, and that the offset starts a character). */
    bool whole = from == 0;
    uint32_t options = whole && is_last_valid(patterns->last_valid, text, len)
                           ? PCRE2_NO_UTF_CHECK : 0;
    for (size_t i = 0; i < set->n_items; i++) {
        pattern *p = &set->items[i];
        if (label && (p->label[0] != label[0] || strcmp(p->label, label) != 0))
            continue;
        if (cannot_match(p, text, len, from))
            continue; /* nor was the text checked: options stay */
        int rc = run_one(set, p, i, text, len, from, options, &current);
        if (rc < 0)
            return false; /* bad UTF-8 or out of resources */
        if (whole && options == 0)
            remember_valid(patterns->last_valid, text, len);
        options = PCRE2_NO_UTF_CHECK; /* the first run validated the text */
        if (rc == 1 && (!found || current.start < best.start)) {
            best = current;
            found = 1;
            if (best.start == from)
                break; /* nothing can start earlier */
        }
    }
    if (found && match)
        *match = best;
    return found;
}

bool bp_patterns_match(const bp_patterns *patterns, const char *set,
                       const char *text, size_t len, size_t from,
                       bp_pattern_match *match)
{
    return match_in_set(patterns, set, NULL, text, len, from, match);
}

bool bp_patterns_match_label(const bp_patterns *patterns, const char *set,
                             const char *label, const char *text, size_t len,
                             size_t from, bp_pattern_match *match)
{
    if (!label)
        return false;
    return match_in_set(patterns, set, label, text, len, from, match);
}

const bp_pattern_group *bp_pattern_match_group(const bp_pattern_match *match,
                                               const char *name)
{
    if (!match || !name)
        return NULL;
    for (int g = 0; g < match->n_groups; g++) {
        const bp_pattern_group *group = &match->groups[g];
        if (strcmp(group->name, name) == 0 && group->start != BP_PATTERN_UNSET)
            return group;
    }
    return NULL;
}

char *bp_pattern_match_group_dup(const bp_pattern_match *match,
                                 const char *text, const char *name)
{
    const bp_pattern_group *group = bp_pattern_match_group(match, name);
    if (!group || !text)
        return NULL;
    return dup_range(text + group->start, group->end - group->start);
}
