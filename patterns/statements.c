/*
 * statements.c — the figures stated by the narrative part of a document.
 *
 * Three steps.  (1) Lines: every extracted line is kept as narrative or
 * dropped — table lines (two or more number words with a wide gap, or a
 * number word after a wide gap), everything below a table heading or unit
 * line on its page, pages that are mostly table lines, 目录 entries and
 * page furniture.  (2) Sentences: narrative lines are joined across lines
 * and pages and cut at 。！？, at the end of a paragraph (a short last line,
 * an indented or numbered first line) and before a numbered heading.
 * (3) Statements: the figures of a sentence (normalize/'s bp_number_scan)
 * are read left to right; a figure preceded by 增加/减少/增长… is the
 * change or percent of the statement before it, any other amount, count
 * or percent starts a statement whose subject is the text before it in its
 * clause.  Figures after 包括/其中 become components of the figure that
 * introduced them, and a sentence ending in 具体包括： takes the first
 * figures of the numbered items that follow as its components.
 *
 * The wording lives in comparison.pcre, component.pcre and statement.pcre;
 * this file holds only the geometry and the bookkeeping.  Not here: number
 * grammar (normalize/), checking the figures against tables (load/).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patterns/patterns.h"

/* One line of text with where it came from. */
typedef struct text_line {
    const char *text;
    int page;
    bp_box box;
    bool para_start; /* opens a paragraph */
    bool para_end;   /* closes a paragraph */
    char *owned;     /* text when this file built it (a split line), else NULL */
    double height;   /* line height: the box, or the font size when larger */
} text_line;

/* A sentence under construction: bytes plus, per line, where it starts. */
typedef struct span {
    size_t offset;   /* into the sentence buffer */
    int page;
    bp_box box;
} span;

typedef struct builder {
    char *buf;
    size_t len, cap;
    size_t scanned; /* buf[0..scanned) is the unfinished sentence as far as
                       flush read it: no stop in it, characters as decoded */
    span *spans;
    size_t n_spans, cap_spans;
} builder;

typedef struct context {
    const bp_patterns *patterns;
    int fiscal_year;
    bp_statement_list *out;
    /* a sentence ending in 具体包括： waits for numbered items */
    long list_owner;      /* index into out, −1 when none */
    char item_class;      /* marker class of the items, 0 until the first */
    /* last statement of the sentences before, −1 when none: 与上年相比增加
     * X 万元 at the start of a sentence belongs to it.  Sentences without
     * figures in between keep it (gap is then true); a numbered one ends it. */
    long previous_last;
    bool gap;
    /* a numbered heading sentence without figures (1、行政运行（项）。):
     * prepended to the generic subjects (年初预算) of the sentences under it
     * until the next numbered sentence; NULL when none */
    char *heading;
    int heading_page;
} context;

static bp_status nomem(bp_error *err)
{
    return bp_error_set(err, BP_ERR_NOMEM, 0, "out of memory");
}

static char *dup_range(const char *s, size_t n)
{
    char *copy = malloc(n + 1);
    if (copy) {
        memcpy(copy, s, n);
        copy[n] = '\0';
    }
    return copy;
}

void bp_statement_list_free(bp_statement_list *list)
{
    if (!list)
        return;
    for (size_t i = 0; i < list->count; i++) {
        bp_statement *s = &list->items[i];
        free(s->sentence);
        free(s->subject);
        for (size_t c = 0; c < s->n_components; c++)
            free(s->components[c].subject);
        free(s->components);
    }
    free(list->items);
    memset(list, 0, sizeof *list);
}

/* ---- UTF-8 helpers -------------------------------------------------- */

/* Decodes the code point at s[i] (i < n); sets *len to its byte length. */
static uint32_t decode_at(const char *s, size_t n, size_t i, size_t *len)
{
    const unsigned char *u = (const unsigned char *)s + i;
    size_t left = n - i;
    if (u[0] < 0x80 || left < 2) {
        *len = 1;
        return u[0];
    }
    if ((u[0] & 0xE0) == 0xC0) {
        *len = 2;
        return ((uint32_t)(u[0] & 0x1F) << 6) | (u[1] & 0x3F);
    }
    if ((u[0] & 0xF0) == 0xE0 && left >= 3) {
        *len = 3;
        return ((uint32_t)(u[0] & 0x0F) << 12) | ((uint32_t)(u[1] & 0x3F) << 6) |
               (u[2] & 0x3F);
    }
    if (left >= 4) {
        *len = 4;
        return ((uint32_t)(u[0] & 0x07) << 18) | ((uint32_t)(u[1] & 0x3F) << 12) |
               ((uint32_t)(u[2] & 0x3F) << 6) | (u[3] & 0x3F);
    }
    *len = 1;
    return u[0];
}

/* Start of the code point that ends at s[end) (end > 0). */
static size_t prev_start(const char *s, size_t end)
{
    size_t i = end - 1;
    while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80)
        i--;
    return i;
}

static bool is_space_cp(uint32_t c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == 0x3000 || c == 0xA0;
}

/* Sentence terminators. */
static bool is_stop(uint32_t c)
{
    return c == 0x3002 /* 。 */ || c == 0xFF01 || c == 0xFF1F || c == '!' || c == '?';
}

/* Clause boundaries for subjects: ，,；;：:、。 and the stops. */
static bool is_clause_break(uint32_t c)
{
    return c == 0xFF0C || c == ',' || c == 0xFF1B || c == ';' || c == 0xFF1A ||
           c == ':' || c == 0x3001 || is_stop(c);
}

static bool is_semicolon(uint32_t c)
{
    return c == 0xFF1B || c == ';';
}

/* ---- sentence builder ----------------------------------------------- */

static bp_status builder_append(builder *b, const text_line *line, bp_error *err)
{
    const char *t = line->text;
    size_t n = strlen(t);
    /* trim and fold white space; join lines without a space except between
     * two ASCII letters (a word broken at the line end has no hyphen here) */
    size_t a = 0;
    while (a < n && (t[a] == ' ' || t[a] == '\t'))
        a++;
    while (n > a && (t[n - 1] == ' ' || t[n - 1] == '\t' || t[n - 1] == '\r'))
        n--;
    if (a == n)
        return BP_OK;
    size_t need = b->len + (n - a) + 2;
    if (need > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 512;
        while (cap < need)
            cap *= 2;
        char *grown = realloc(b->buf, cap);
        if (!grown)
            return nomem(err);
        b->buf = grown;
        b->cap = cap;
    }
    if (b->n_spans == b->cap_spans) {
        size_t cap = b->cap_spans ? b->cap_spans * 2 : 16;
        span *grown = realloc(b->spans, cap * sizeof *grown);
        if (!grown)
            return nomem(err);
        b->spans = grown;
        b->cap_spans = cap;
    }
    if (b->len > 0) {
        char last = b->buf[b->len - 1];
        char first = t[a];
        bool last_alpha = (last >= 'A' && last <= 'Z') || (last >= 'a' && last <= 'z');
        bool first_alpha = (first >= 'A' && first <= 'Z') || (first >= 'a' && first <= 'z');
        if (last_alpha && first_alpha)
            b->buf[b->len++] = ' ';
    }
    span *s = &b->spans[b->n_spans++];
    s->offset = b->len;
    s->page = line->page;
    s->box = line->box;
    for (size_t i = a; i < n; i++) {
        char c = t[i] == '\t' ? ' ' : t[i];
        if (c == ' ' && b->len > 0 && b->buf[b->len - 1] == ' ')
            continue;
        /* letter-spaced (justified) lines: 万 元 ， 与 上 年 → 万元，与上年;
         * a space between two non-ASCII characters is dropped */
        if (c == ' ' && b->len > 0 && ((unsigned char)b->buf[b->len - 1] & 0x80)) {
            size_t j = i;
            while (j < n && (t[j] == ' ' || t[j] == '\t'))
                j++;
            if (j < n && ((unsigned char)t[j] & 0x80))
                continue;
        }
        b->buf[b->len++] = c;
    }
    b->buf[b->len] = '\0';
    return BP_OK;
}

/* The span holding byte offset `at` of the sentence. */
static const span *span_at(const span *spans, size_t n, size_t at)
{
    const span *found = &spans[0];
    for (size_t i = 0; i < n; i++)
        if (spans[i].offset <= at)
            found = &spans[i];
    return found;
}

/* ---- statements of one sentence ------------------------------------- */

static bool match_label_in(const context *cx, const char *set, const char *label,
                           const char *text, size_t len, size_t from,
                           bp_pattern_match *m)
{
    return bp_patterns_match_label(cx->patterns, set, label, text, len, from, m);
}

/* Start of the clause that holds byte `at`, not before `floor` (the end of
 * the figure before).  、 does not end a subject: 财政拨款收、支总预算, and
 * a list 货物 4 万元、工程 0 万元 is already cut by `floor`. */
static size_t clause_start(const char *s, size_t floor, size_t at)
{
    size_t i = at;
    while (i > floor) {
        size_t p = prev_start(s, i), len;
        uint32_t c = decode_at(s, at, p, &len);
        if (is_clause_break(c) && c != 0x3001)
            return i;
        i = p;
    }
    return floor;
}

/* End of the clause that starts at `from` (next clause break or `limit`). */
static size_t clause_end(const char *s, size_t from, size_t limit)
{
    size_t i = from;
    while (i < limit) {
        size_t len;
        uint32_t c = decode_at(s, limit, i, &len);
        if (is_clause_break(c))
            return i;
        i += len;
    }
    return limit;
}

/* True when the n bytes at s hold the string needle. */
static bool has_bytes(const char *s, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = 0; i + k <= n; i++)
        if (memcmp(s + i, needle, k) == 0)
            return true;
    return false;
}

/* Cleans s[a..b) into a subject: strips connectors and heading numbers in
 * front, verbs and particles at the end, quotes and spaces at both ends. */
static char *make_subject(const context *cx, const char *s, size_t a, size_t b)
{
    bp_pattern_match m;
    for (int round = 0; round < 3 && a < b; round++) {
        size_t before_a = a, before_b = b;
        /* quotes go only when unpaired inside: “三公”经费 keeps its “ */
        bool opens = has_bytes(s + a, b - a, "\xe2\x80\x9c");
        bool closes = has_bytes(s + a, b - a, "\xe2\x80\x9d");
        while (a < b) {
            size_t len;
            uint32_t c = decode_at(s, b, a, &len);
            if (!(is_space_cp(c) || (c == 0x201C && !closes) || c == 0x201D || c == '"' ||
                  is_clause_break(c)))
                break;
            a += len;
        }
        while (b > a) {
            size_t p = prev_start(s, b), len;
            uint32_t c = decode_at(s, b, p, &len);
            if (!(is_space_cp(c) || c == 0x201C || (c == 0x201D && !opens) || c == '"' ||
                  is_clause_break(c)))
                break;
            b = p;
        }
        /* match on s[a..b) itself so that ^ and $ anchor at the window */
        if (a < b && match_label_in(cx, "statement", "subject_head", s + a, b - a, 0, &m) &&
            m.start == 0 && m.end > 0)
            a += m.end;
        if (a < b && match_label_in(cx, "statement", "subject_tail", s + a, b - a, 0, &m) &&
            m.start < b - a)
            b = a + m.start;
        if (a == before_a && b == before_b)
            break;
    }
    return dup_range(s + a, b > a ? b - a : 0);
}

static bool has_digit(const char *t)
{
    for (; *t; t++)
        if ((*t >= '0' && *t <= '9') ||
            ((unsigned char)t[0] == 0xEF && (unsigned char)t[1] == 0xBC &&
             (unsigned char)t[2] >= 0x90 && (unsigned char)t[2] <= 0x99))
            return true; /* ASCII or full-width digit */
    return false;
}

static bool is_figure(const bp_number *n)
{
    return n->kind == BP_NUMBER_AMOUNT || n->kind == BP_NUMBER_PERCENT ||
           n->kind == BP_NUMBER_COUNT;
}

static bp_status push_statement(bp_statement_list *out, bp_statement **added,
                                 bp_error *err)
{
    if (out->count == out->capacity) {
        size_t cap = out->capacity ? out->capacity * 2 : 32;
        bp_statement *grown = realloc(out->items, cap * sizeof *grown);
        if (!grown)
            return nomem(err);
        out->items = grown;
        out->capacity = cap;
    }
    bp_statement *s = &out->items[out->count++];
    memset(s, 0, sizeof *s);
    *added = s;
    return BP_OK;
}

static bp_status add_component(bp_statement *owner, const char *subject,
                               const bp_number *number, bp_error *err)
{
    bp_statement_component *grown =
        realloc(owner->components, (owner->n_components + 1) * sizeof *grown);
    if (!grown)
        return nomem(err);
    owner->components = grown;
    bp_statement_component *c = &owner->components[owner->n_components];
    c->subject = strdup(subject ? subject : "");
    if (!c->subject)
        return nomem(err);
    c->number = *number;
    owner->n_components++;
    return BP_OK;
}

/* End of the words naming a change's own subject: the comparison wording
 * less its base (收入支出总计比 2021 年增加 → 收入支出总计). */
static size_t comparison_subject_end(const context *cx, const char *s, size_t clause,
                                     size_t wording)
{
    bp_pattern_match m;
    if (match_label_in(cx, "comparison", "base_year", s, wording, clause, &m) ||
        match_label_in(cx, "comparison", "base_previous", s, wording, clause, &m))
        return m.start;
    return wording;
}

/* Sets st's base year from 比 2021 年 / 比上年 in s[from..to), when unset. */
static void set_base_year(const context *cx, bp_statement *st, const char *s, size_t from,
                          size_t to)
{
    bp_pattern_match m;
    if (st->base_year != 0)
        return;
    if (match_label_in(cx, "comparison", "base_year", s, to, from, &m)) {
        const bp_pattern_group *g = bp_pattern_match_group(&m, "year");
        if (g)
            st->base_year = atoi(s + g->start);
    } else if (cx->fiscal_year > 0 &&
               match_label_in(cx, "comparison", "base_previous", s, to, from, &m)) {
        st->base_year = cx->fiscal_year - 1;
    }
}

/* Sets the comparison fields of st from a change or percent figure. */
static void apply_change(const context *cx, bp_statement *st, const bp_number *fig,
                         bool decrease, const char *s, size_t window_from,
                         size_t window_to)
{
    bp_decimal v = fig->value;
    if (decrease && v.mantissa > 0)
        v.mantissa = -v.mantissa;
    if (fig->kind == BP_NUMBER_PERCENT) {
        if (!st->has_percent) {
            st->has_percent = true;
            st->percent = v;
        }
    } else if (!st->has_change) {
        st->has_change = true;
        st->change = v;
        snprintf(st->change_unit, sizeof st->change_unit, "%s", fig->unit);
    }
    set_base_year(cx, st, s, window_from, window_to);
}

/* Marker class of a numbered line: 'A' 1. / 1、, 'P' （1） / （一）,
 * 'C' 一、, 'O' ①, 'H' 第一部分; 0 when it has none. */
static char marker_class(const char *s)
{
    while (*s == ' ')
        s++;
    if (strncmp(s, "第", 3) == 0)
        return 'H';
    if (*s >= '0' && *s <= '9') {
        while (*s >= '0' && *s <= '9')
            s++;
        if (*s == '.' || strncmp(s, "、", 3) == 0 || strncmp(s, "．", 3) == 0)
            return (s[1] >= '0' && s[1] <= '9') ? 0 : 'A';
        return 0;
    }
    if (*s == '(' || strncmp(s, "（", 3) == 0)
        return 'P';
    if ((unsigned char)s[0] == 0xE2 && (unsigned char)s[1] == 0x91 &&
        (unsigned char)s[2] >= 0xA0 && (unsigned char)s[2] <= 0xB3)
        return 'O'; /* ① … ⑳ */
    static const char *numerals[] = {"一", "二", "三", "四", "五", "六", "七", "八", "九", "十"};
    const char *r = s;
    for (int count = 0; count < 3; count++) {
        bool found = false;
        for (size_t i = 0; i < 10 && !found; i++)
            if (strncmp(r, numerals[i], 3) == 0)
                found = true;
        if (!found)
            break;
        r += 3;
    }
    if (r != s && strncmp(r, "、", 3) == 0)
        return 'C';
    return 0;
}

/* A heading written as a sentence: ends in 。, holds at most 64
 * characters and no colon (1、一般公共服务支出（类）财政事务（款）行政运行
 * （项）。 — not a definition 1. 机关运行经费：指…。). */
static bool is_heading_sentence(const char *s, size_t n)
{
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    if (n < 3 || memcmp(s + n - 3, "\xe3\x80\x82", 3) != 0) /* 。 */
        return false;
    size_t chars = 0;
    for (size_t i = 0; i < n; i++) {
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            chars++;
        if (s[i] == ':' || (i + 3 <= n && memcmp(s + i, "\xef\xbc\x9a", 3) == 0)) /* ： */
            return false;
    }
    return chars <= 64;
}

/* Reads one sentence's figures into statements. */
static bp_status sentence_statements(context *cx, const char *s, size_t n,
                                     const span *spans, size_t n_spans,
                                     bp_error *err)
{
    bp_number_list figures = {0};
    bp_status st = bp_number_scan(s, n, &figures, err);
    if (st != BP_OK)
        return st;

    char sentence_class = marker_class(s);
    /* a numbered item restating part of a listed total */
    if (cx->list_owner >= 0 && sentence_class != 0) {
        if (cx->item_class == 0 && sentence_class != 'H' && sentence_class != 'C')
            cx->item_class = sentence_class;
        if (sentence_class != cx->item_class)
            cx->list_owner = -1;
    }

    size_t first_new = cx->out->count;
    size_t threshold_from = 0; /* clause start of the last statement's figure */
    bool continues_previous = false; /* this sentence's change went to the one before */
    long current = -1;       /* index of the statement comparisons attach to */
    long component_owner = -1;
    size_t prev_end = 0;
    char *last_subject = NULL;  /* subject of the last figure (statement or component) */
    bool after_component = false; /* the last figure was a component */
    char *borrowed = NULL;      /* subject for a change statement, taken elsewhere */
    bool any_figure = false;
    for (size_t i = 0; i < figures.count && st == BP_OK; i++) {
        const bp_number *fig = &figures.items[i];
        if (!is_figure(fig) || !has_digit(fig->text))
            continue; /* Chinese numerals (待遇管理一部, 三种情形) are not figures here */
        any_figure = true;
        size_t at = fig->offset;
        size_t clause = clause_start(s, prev_end, at);
        bp_number counted; /* 34 万余参保群众: 万 without 元 before a noun is a count */
        if (fig->kind == BP_NUMBER_AMOUNT && !strstr(fig->unit, "元") &&
            match_label_in(cx, "statement", "count_noun", s, n, at + fig->length, NULL)) {
            counted = *fig;
            counted.kind = BP_NUMBER_COUNT;
            fig = &counted;
        }
        /* 单价 100 万元（含）以上设备 2 台（套）: the figure before is a
         * threshold inside this figure's subject */
        if (current >= 0 && prev_end > 0 && clause == prev_end &&
            (match_label_in(cx, "statement", "threshold", s, at, prev_end, NULL) ||
             match_label_in(cx, "statement", "threshold",
                            cx->out->items[current].number.text, (size_t)-1, 0, NULL)))
            clause = threshold_from;
        bp_pattern_match m;
        bool increase = match_label_in(cx, "comparison", "increase", s, at, prev_end, &m);
        bool decrease = !increase &&
                        match_label_in(cx, "comparison", "decrease", s, at, prev_end, &m);
        if (increase || decrease) {
            size_t wording = m.start;
            if (current < 0 && first_new == cx->out->count && cx->previous_last >= 0) {
                /* 。与上年相比增加 1483.8 万元: nothing names a subject before
                 * the wording, so the change is that of the figure the
                 * sentence before ended with */
                size_t subject_end = comparison_subject_end(cx, s, clause, wording);
                char *own = make_subject(cx, s, clause, subject_end);
                if (!own) {
                    st = nomem(err);
                    break;
                }
                bp_statement *before = &cx->out->items[cx->previous_last];
                bool free_slot = fig->kind == BP_NUMBER_PERCENT ? !before->has_percent
                                                                : !before->has_change;
                if (own[0] == '\0' && free_slot && !cx->gap &&
                    before->number.kind == BP_NUMBER_AMOUNT) {
                    current = cx->previous_last;
                    continues_previous = true;
                } else if (own[0] == '\0' && before->subject && before->subject[0] &&
                           (before->number.kind == BP_NUMBER_AMOUNT ||
                            before->number.kind == BP_NUMBER_NO_VALUE)) {
                    /* its slot is taken, or a sentence without figures lies
                     * between (该项目用于…。较 2021 年预算增加 386 万元): a
                     * statement of its own about the same subject */
                    borrowed = strdup(before->subject);
                    if (!borrowed) {
                        free(own);
                        st = nomem(err);
                        break;
                    }
                }
                free(own);
            }
            bool own_subject = false; /* words name a subject before the wording */
            if (after_component && !continues_previous && last_subject) {
                size_t subject_end = comparison_subject_end(cx, s, clause, wording);
                char *own = make_subject(cx, s, clause, subject_end);
                if (!own) {
                    st = nomem(err);
                    break;
                }
                own_subject = own[0] != '\0';
                free(own);
            }
            if (after_component && !continues_previous && last_subject && !own_subject) {
                /* 其中：公务用车购置费 0 万元，比 2021 年增加 0 万元: the change
                 * is the component's, not the total's */
                free(borrowed);
                borrowed = strdup(last_subject);
                if (!borrowed) {
                    st = nomem(err);
                    break;
                }
                current = -1;
            }
            after_component = false;
            if (current < 0 || (fig->kind == BP_NUMBER_PERCENT
                                    ? cx->out->items[current].has_percent
                                    : cx->out->items[current].has_change)) {
                /* a change with no figure of its own: 一是补助增加 4,396 万元 */
                bp_statement *added;
                st = push_statement(cx->out, &added, err);
                if (st != BP_OK)
                    break;
                current = (long)(cx->out->count - 1);
                added->number.kind = BP_NUMBER_NO_VALUE;
                size_t subject_end = comparison_subject_end(cx, s, clause, wording);
                if (borrowed) {
                    added->subject = borrowed;
                    borrowed = NULL;
                } else {
                    added->subject = make_subject(cx, s, clause, subject_end);
                }
                const span *sp = span_at(spans, n_spans, at);
                added->page = sp->page;
                added->box = sp->box;
                if (!added->subject) {
                    st = nomem(err);
                } else {
                    free(last_subject);
                    last_subject = strdup(added->subject);
                    if (!last_subject)
                        st = nomem(err);
                }
            }
            if (st == BP_OK) {
                bp_statement *target = &cx->out->items[current];
                apply_change(cx, target, fig, decrease, s, prev_end, at);
            }
            prev_end = at + fig->length;
            continue;
        }

        /* components introduced by 包括 / 其中 after their owner figure,
         * within the same clause run (a ； ends the list) */
        bool is_component = false;
        if (component_owner >= 0) {
            bp_statement *owner = &cx->out->items[component_owner];
            bool same_kind = owner->number.kind == fig->kind;
            bool broken = false;
            for (size_t k = prev_end; k < at;) {
                size_t len;
                uint32_t c = decode_at(s, at, k, &len);
                if (is_semicolon(c))
                    broken = true;
                k += len;
            }
            if (broken || !same_kind)
                component_owner = -1;
            else
                is_component = true;
        }
        if (!is_component && current >= 0 &&
            match_label_in(cx, "component", "intro", s, at, prev_end, &m) &&
            cx->out->items[current].number.kind == fig->kind) {
            component_owner = current;
            is_component = true;
        }
        char *subject = NULL;
        if (fig->kind == BP_NUMBER_PERCENT && current >= 0 &&
            match_label_in(cx, "statement", "share", s + clause, at - clause, 0, &m)) {
            /* 基本支出 12323.48 万元，占 68.48%: the share of that figure */
            const bp_pattern_group *g = bp_pattern_match_group(&m, "base");
            char *base = g ? make_subject(cx, s, clause + g->start, clause + g->end)
                           : strdup("");
            /* 其中：财政拨款收入 2940.05 万元，占 99.79%: the share of the
             * component, when the figure before was one */
            const char *owner_subject =
                last_subject ? last_subject : cx->out->items[current].subject;
            if (base) {
                size_t need = strlen(owner_subject) + strlen(base) + 8;
                subject = malloc(need);
                if (subject)
                    snprintf(subject, need, "%s占%s", owner_subject,
                             base[0] ? base : "比");
            }
            free(base);
        } else if (fig->kind == BP_NUMBER_COUNT &&
                   match_label_in(cx, "statement", "count_noun", s, n, at + fig->length, &m) &&
                   m.start == at + fig->length) {
            /* 18 个内（下）设机构, 大鹏 10 个非独立法人分中心: a count names
             * what it counts after itself */
            const bp_pattern_group *g = bp_pattern_match_group(&m, "noun");
            subject = g ? make_subject(cx, s, g->start, g->end) : NULL;
            if (subject && subject[0] == '\0') {
                free(subject);
                subject = NULL;
            }
            if (!subject)
                subject = make_subject(cx, s, clause, at);
        } else {
            subject = make_subject(cx, s, clause, at);
        }
        if (!subject) {
            st = nomem(err);
            break;
        }
        if (subject[0] == '\0') {
            /* 共设 18 个内设机构: the subject follows the figure */
            size_t after = at + fig->length;
            free(subject);
            subject = make_subject(cx, s, after, clause_end(s, after, n));
            if (!subject) {
                st = nomem(err);
                break;
            }
        }
        free(last_subject);
        last_subject = strdup(subject);
        if (!last_subject) {
            free(subject);
            st = nomem(err);
            break;
        }
        if (is_component) {
            st = add_component(&cx->out->items[component_owner], subject, fig, err);
            free(subject);
            prev_end = at + fig->length;
            after_component = true;
            continue;
        }
        after_component = false;
        bp_statement *added;
        st = push_statement(cx->out, &added, err);
        if (st != BP_OK) {
            free(subject);
            break;
        }
        current = (long)(cx->out->count - 1);
        threshold_from = clause;
        added->subject = subject;
        added->number = *fig;
        const span *sp = span_at(spans, n_spans, at);
        added->page = sp->page;
        added->box = sp->box;
        for (size_t k = 0; k < n_spans; k++)
            if (spans[k].offset > at && spans[k].offset < at + fig->length &&
                spans[k].page == sp->page) {
                added->box = bp_box_union(added->box, spans[k].box);
            }
        prev_end = at + fig->length;

        /* 持平 / 不可比 before the next figure */
        size_t next_fig = n;
        for (size_t j = i + 1; j < figures.count; j++)
            if (is_figure(&figures.items[j])) {
                next_fig = figures.items[j].offset;
                break;
            }
        size_t look_to = next_fig;
        if (match_label_in(cx, "comparison", "flat", s, look_to, prev_end, &m)) {
            added->has_change = true;
            added->change = bp_decimal_make(0, 0);
            snprintf(added->change_unit, sizeof added->change_unit, "%s", fig->unit);
            set_base_year(cx, added, s, prev_end, m.start);
        }
        if (match_label_in(cx, "comparison", "not_comparable", s, look_to, prev_end, &m)) {
            /* 比上年增长--（基数为 0，不可比） */
            added->not_comparable = true;
            set_base_year(cx, added, s, prev_end, m.start);
        }
    }
    free(last_subject);
    free(borrowed);

    /* the first statement of a numbered item is a component of the total
     * that announced the list */
    if (st == BP_OK && cx->list_owner >= 0 && sentence_class == cx->item_class &&
        cx->out->count > first_new) {
        bp_statement *item = &cx->out->items[first_new];
        bp_statement *owner = &cx->out->items[cx->list_owner];
        if (item->number.kind == owner->number.kind && item->number.kind != BP_NUMBER_NO_VALUE)
            st = add_component(owner, item->subject, &item->number, err);
    }
    /* does this sentence announce a list? (…250,606 万元，具体包括：) */
    if (st == BP_OK && cx->out->count > first_new) {
        bp_pattern_match m;
        size_t last_end = 0;
        for (size_t i = 0; i < figures.count; i++)
            if (is_figure(&figures.items[i]))
                last_end = figures.items[i].offset + figures.items[i].length;
        if (match_label_in(cx, "component", "list_end", s, n, last_end, &m)) {
            cx->list_owner = (long)(cx->out->count - 1);
            while (cx->list_owner > (long)first_new &&
                   cx->out->items[cx->list_owner].number.kind == BP_NUMBER_NO_VALUE)
                cx->list_owner--;
            cx->item_class = 0;
        }
    }

    if (st == BP_OK && continues_previous) {
        /* the sentence before and this one state one figure together: the
         * statements of the sentence before get both as their sentence */
        const char *old = cx->out->items[cx->previous_last].sentence;
        size_t had = strlen(old);
        char *joined = malloc(had + n + 1);
        if (!joined) {
            st = nomem(err);
        } else {
            memcpy(joined, old, had);
            memcpy(joined + had, s, n);
            joined[had + n] = '\0';
            for (long k = cx->previous_last; k >= 0 && st == BP_OK; k--) {
                bp_statement *item = &cx->out->items[k];
                if (k < cx->previous_last && strcmp(item->sentence, joined) != 0 &&
                    (strlen(item->sentence) != had || memcmp(item->sentence, joined, had) != 0))
                    break;
                if (strcmp(item->sentence, joined) == 0)
                    continue;
                char *copy = strdup(joined);
                if (!copy) {
                    st = nomem(err);
                    break;
                }
                free(item->sentence);
                item->sentence = copy;
            }
            free(joined);
        }
    }
    /* generic subjects (年初预算, 2022 年预算数) under a heading sentence */
    if (st == BP_OK && cx->heading && n_spans > 0 && spans[0].page > cx->heading_page + 1) {
        free(cx->heading); /* a heading reaches the page after its own at most */
        cx->heading = NULL;
    }
    if (st == BP_OK && cx->heading)
        for (size_t i = first_new; i < cx->out->count && st == BP_OK; i++) {
            bp_statement *item = &cx->out->items[i];
            if (!item->subject || !match_label_in(cx, "statement", "generic_subject",
                                                  item->subject, strlen(item->subject), 0,
                                                  NULL))
                continue;
            size_t need = strlen(cx->heading) + strlen(item->subject) + 1;
            char *joined = malloc(need);
            if (!joined) {
                st = nomem(err);
                break;
            }
            snprintf(joined, need, "%s%s", cx->heading, item->subject);
            free(item->subject);
            item->subject = joined;
        }
    if (st == BP_OK && sentence_class != 0) {
        /* a numbered sentence ends the heading before; one without figures
         * that ends in 。 and is short is a heading itself */
        free(cx->heading);
        cx->heading = NULL;
        if (!any_figure && is_heading_sentence(s, n) &&
            !match_label_in(cx, "statement", "section_title", s, n, 0, NULL)) {
            cx->heading = make_subject(cx, s, 0, n);
            cx->heading_page = spans[0].page;
            if (!cx->heading)
                st = nomem(err);
            else if (cx->heading[0] == '\0') {
                free(cx->heading);
                cx->heading = NULL;
            }
        }
    }
    if (cx->out->count > first_new) {
        cx->previous_last = (long)cx->out->count - 1;
        cx->gap = false;
    } else if (sentence_class != 0) {
        cx->previous_last = -1; /* a numbered sentence opens a new topic */
    } else {
        cx->gap = true;
    }
    for (size_t i = first_new; i < cx->out->count && st == BP_OK; i++) {
        cx->out->items[i].sentence = dup_range(s, n);
        if (!cx->out->items[i].sentence)
            st = nomem(err);
    }
    bp_number_list_free(&figures);
    return st;
}

/* Emits the builder's text as sentences (cut at 。！？) and empties it. */
static bp_status flush(context *cx, builder *b, bool all, bp_error *err)
{
    size_t start = 0;
    bp_status st = BP_OK;
    size_t i = b->scanned; /* lines only append: the tail kept was read */
    size_t settled = i;    /* decoded up to here whatever is appended */
    while (i < b->len && st == BP_OK) {
        size_t at = i, len;
        uint32_t c = decode_at(b->buf, b->len, i, &len);
        i += len;
        if (at + 4 <= b->len)
            settled = i;
        /* closing quotes and brackets after the stop belong to the sentence */
        if (is_stop(c)) {
            while (i < b->len) {
                uint32_t d = decode_at(b->buf, b->len, i, &len);
                if (d != 0x201D && d != 0xFF09 && d != ')' && d != 0x300D)
                    break;
                i += len;
            }
            size_t a = start;
            while (a < i && b->buf[a] == ' ')
                a++;
            if (a < i) {
                /* spans re-based on this sentence */
                size_t first = 0, n_sp = 0;
                for (size_t k = 0; k < b->n_spans; k++) {
                    if (b->spans[k].offset <= a)
                        first = k;
                }
                for (size_t k = first; k < b->n_spans && b->spans[k].offset < i; k++)
                    n_sp++;
                span *local = malloc((n_sp ? n_sp : 1) * sizeof *local);
                if (!local)
                    return nomem(err);
                for (size_t k = 0; k < n_sp; k++) {
                    local[k] = b->spans[first + k];
                    local[k].offset = local[k].offset > a ? local[k].offset - a : 0;
                }
                st = sentence_statements(cx, b->buf + a, i - a, local, n_sp, err);
                free(local);
            }
            start = i;
        }
    }
    if (st != BP_OK)
        return st;
    /* keep the unfinished tail unless the paragraph ended */
    size_t rest = b->len - start;
    if (all && rest > 0) {
        size_t a = start;
        while (a < b->len && b->buf[a] == ' ')
            a++;
        if (a < b->len) {
            size_t first = 0;
            for (size_t k = 0; k < b->n_spans; k++)
                if (b->spans[k].offset <= a)
                    first = k;
            size_t n_sp = b->n_spans - first;
            span *local = malloc((n_sp ? n_sp : 1) * sizeof *local);
            if (!local)
                return nomem(err);
            for (size_t k = 0; k < n_sp; k++) {
                local[k] = b->spans[first + k];
                local[k].offset = local[k].offset > a ? local[k].offset - a : 0;
            }
            st = sentence_statements(cx, b->buf + a, b->len - a, local, n_sp, err);
            free(local);
        }
        b->len = 0;
        b->scanned = 0;
        b->n_spans = 0;
        if (b->buf)
            b->buf[0] = '\0';
        return st;
    }
    /* move the tail to the front */
    size_t first = b->n_spans;
    for (size_t k = 0; k < b->n_spans; k++)
        if (b->spans[k].offset <= start)
            first = k;
    if (rest == 0 || first == b->n_spans) {
        b->len = 0;
        b->scanned = 0;
        b->n_spans = 0;
        if (b->buf)
            b->buf[0] = '\0';
        return BP_OK;
    }
    memmove(b->buf, b->buf + start, rest);
    b->len = rest;
    b->scanned = settled > start ? settled - start : 0;
    b->buf[rest] = '\0';
    size_t kept = 0;
    for (size_t k = first; k < b->n_spans; k++) {
        b->spans[kept] = b->spans[k];
        b->spans[kept].offset = b->spans[k].offset > start ? b->spans[k].offset - start : 0;
        kept++;
    }
    b->n_spans = kept;
    return BP_OK;
}

/* Runs the sentence builder over narrative lines. */
static bp_status run_lines(context *cx, const text_line *lines, size_t n,
                           bp_error *err)
{
    builder b = {0};
    bp_status st = BP_OK;
    for (size_t i = 0; i < n && st == BP_OK; i++) {
        if (lines[i].para_start && b.len > 0)
            st = flush(cx, &b, true, err);
        if (st == BP_OK)
            st = builder_append(&b, &lines[i], err);
        if (st == BP_OK)
            st = flush(cx, &b, lines[i].para_end, err);
    }
    if (st == BP_OK && b.len > 0)
        st = flush(cx, &b, true, err);
    free(b.buf);
    free(b.spans);
    return st;
}

/* ---- which lines are narrative -------------------------------------- */

static bool whole_line(const bp_patterns *p, const char *set, const char *text)
{
    return bp_patterns_match(p, set, text, (size_t)-1, 0, NULL);
}

/* A word that is a number cell: digits with , . % and brackets only. */
static bool numeric_word(const char *w)
{
    int digits = 0;
    for (const char *c = w; *c; c++) {
        if (*c >= '0' && *c <= '9')
            digits++;
        else if (!strchr(",.%-()+", *c))
            return false;
    }
    return digits > 0;
}

static bool table_line(const bp_page *page, const bp_line *line)
{
    double h = line->box.y1 - line->box.y0;
    if (h <= 0)
        h = 10;
    int numeric = 0, wide_before_number = 0;
    for (size_t k = 0; k < line->n_words; k++) {
        const bp_word *w = &page->words[line->first_word + k];
        if (!numeric_word(w->text))
            continue;
        /* a figure whose unit follows as the next word (justified prose:
         * 增加     309.03   万元，增长) is prose; cells carry no unit */
        if (k + 1 < line->n_words) {
            const char *next = page->words[line->first_word + k + 1].text;
            static const char *const units[] = {"万", "元", "亿", "千", "%", "\xef\xbc\x85",
                                                "个", "人", "家", "辆", "台", "项"};
            bool unit_follows = false;
            for (size_t u = 0; u < sizeof units / sizeof *units; u++)
                if (strncmp(next, units[u], strlen(units[u])) == 0)
                    unit_follows = true;
            if (unit_follows)
                continue;
        }
        numeric++;
        if (k > 0) {
            double gap = w->box.x0 - page->words[line->first_word + k - 1].box.x1;
            if (gap > 2.0 * h)
                wide_before_number++;
        }
    }
    /* prose keeps numbers one space from their words; table cells sit
     * apart (a lone number ending a short line is prose, not a cell) */
    return wide_before_number > 0 && numeric > 0;
}

static bp_status push_line(text_line **lines, size_t *n, size_t *cap, bp_error *err)
{
    if (*n == *cap) {
        size_t c = *cap ? *cap * 2 : 256;
        text_line *grown = realloc(*lines, c * sizeof *grown);
        if (!grown)
            return nomem(err);
        *lines = grown;
        *cap = c;
    }
    memset(&(*lines)[*n], 0, sizeof **lines);
    (*n)++;
    return BP_OK;
}

static double word_center(const bp_word *w)
{
    return (w->box.y0 + w->box.y1) / 2;
}

/* Some producers give a glyph box of the whole font height to one font
 * and a sliver to another, and the extractor then merges two printed
 * lines into one (603.14万元，占20.51%； 本年支出合计…, sorted by x).
 * When the word centres of a line lie more than half a font size apart,
 * the words are regrouped by centre into lines, each read left to right.
 * Appends the line or its parts to *lines. */
static bp_status add_page_line(const bp_page *page, const bp_line *line,
                               text_line **lines, size_t *n, size_t *cap, bp_error *err)
{
    const bp_word *words = &page->words[line->first_word];
    double font = 0, lo = 1e9, hi = -1e9;
    for (size_t k = 0; k < line->n_words; k++) {
        if (words[k].font_size > font)
            font = words[k].font_size;
        double c = word_center(&words[k]);
        lo = c < lo ? c : lo;
        hi = c > hi ? c : hi;
    }
    double box_h = line->box.y1 - line->box.y0;
    double height = font > box_h ? font : box_h;
    if (height <= 0)
        height = 10;
    if (font <= 0 || line->n_words < 2 || hi - lo <= 0.5 * font) {
        bp_status st = push_line(lines, n, cap, err);
        if (st == BP_OK) {
            (*lines)[*n - 1].text = line->text;
            (*lines)[*n - 1].box = line->box;
            (*lines)[*n - 1].height = height;
        }
        return st;
    }
    /* order by centre, cut where consecutive centres jump */
    size_t count = line->n_words;
    size_t *order = malloc(count * sizeof *order);
    if (!order)
        return nomem(err);
    for (size_t k = 0; k < count; k++)
        order[k] = k;
    for (size_t a = 1; a < count; a++) /* insertion sort: lines are short */
        for (size_t b = a; b > 0 && word_center(&words[order[b]]) <
                                        word_center(&words[order[b - 1]]); b--) {
            size_t t = order[b];
            order[b] = order[b - 1];
            order[b - 1] = t;
        }
    bp_status st = BP_OK;
    size_t from = 0;
    while (from < count && st == BP_OK) {
        size_t to = from + 1;
        while (to < count && word_center(&words[order[to]]) -
                                     word_center(&words[order[to - 1]]) <= 0.5 * font)
            to++;
        /* this group left to right */
        for (size_t a = from + 1; a < to; a++)
            for (size_t b = a; b > from && words[order[b]].box.x0 < words[order[b - 1]].box.x0;
                 b--) {
                size_t t = order[b];
                order[b] = order[b - 1];
                order[b - 1] = t;
            }
        size_t bytes = 1;
        for (size_t k = from; k < to; k++)
            bytes += strlen(words[order[k]].text) + 1;
        char *text = malloc(bytes);
        st = text ? push_line(lines, n, cap, err) : nomem(err);
        if (st != BP_OK) {
            free(text);
            break;
        }
        text_line *tl = &(*lines)[*n - 1];
        text[0] = '\0';
        bp_box box = words[order[from]].box;
        for (size_t k = from; k < to; k++) {
            if (k > from)
                strcat(text, " ");
            strcat(text, words[order[k]].text);
            box = bp_box_union(box, words[order[k]].box);
        }
        tl->text = tl->owned = text;
        tl->box = box;
        tl->height = height;
        from = to;
    }
    free(order);
    return st;
}

static bp_status collect_page(const bp_patterns *p, const bp_page *page,
                              text_line **lines, size_t *n, size_t *cap,
                              bp_error *err)
{
    size_t first = *n;
    size_t tabular = 0, nonempty = 0;
    bool *is_table_line = malloc((page->n_lines ? page->n_lines : 1) * sizeof *is_table_line);
    if (!is_table_line)
        return nomem(err);
    for (size_t i = 0; i < page->n_lines; i++) {
        if (page->lines[i].text[0] != '\0')
            nonempty++;
        is_table_line[i] = table_line(page, &page->lines[i]);
        if (is_table_line[i])
            tabular++;
    }
    if (nonempty > 0 && tabular * 10 >= nonempty * 4) {
        free(is_table_line);
        return BP_OK; /* a table page */
    }
    double left = 1e9, right = 0;
    bp_status st = BP_OK;
    for (size_t i = 0; i < page->n_lines && st == BP_OK; i++) {
        const bp_line *line = &page->lines[i];
        const char *t = line->text;
        if (whole_line(p, "table_heading", t) || bp_patterns_match(p, "unit", t, (size_t)-1, 0, NULL))
            break; /* a table starts: the rest of the page is the table */
        if (is_table_line[i] ||
            bp_patterns_match_label(p, "statement", "page_furniture", t, (size_t)-1, 0, NULL) ||
            bp_patterns_match_label(p, "toc_entry", "dotted", t, (size_t)-1, 0, NULL))
            continue;
        size_t added_from = *n;
        st = add_page_line(page, line, lines, n, cap, err);
        for (size_t k = added_from; k < *n && st == BP_OK; k++) {
            text_line *tl = &(*lines)[k];
            tl->page = page->number;
            tl->para_start = bp_patterns_match_label(p, "statement", "paragraph_start",
                                                     tl->text, (size_t)-1, 0, NULL);
            if (tl->box.x0 < left)
                left = tl->box.x0;
            if (tl->box.x1 > right)
                right = tl->box.x1;
        }
    }
    free(is_table_line);
    if (st != BP_OK)
        return st;
    /* paragraphs from geometry: an indented first line, a short last line */
    for (size_t i = first; i < *n; i++) {
        text_line *tl = &(*lines)[i];
        double h = tl->height;
        if (tl->box.x0 > left + 1.2 * h)
            tl->para_start = true;
        /* a short last line ends a paragraph; ragged-right text leaves
         * up to a few characters free, so a colon or stop is required
         * unless the line is clearly short */
        size_t tn = strlen(tl->text);
        bool closes = tn >= 3 && (strcmp(tl->text + tn - 3, "。") == 0 ||
                                  strcmp(tl->text + tn - 3, "：") == 0 ||
                                  tl->text[tn - 1] == ':');
        if (tl->box.x1 < right - 5.0 * h || (closes && tl->box.x1 < right - 1.5 * h))
            tl->para_end = true;
        if (i > first) {
            text_line *prev = &(*lines)[i - 1];
            /* from the line centres, since glyph boxes may be slivers */
            double gap = (tl->box.y0 + tl->box.y1) / 2 - (prev->box.y0 + prev->box.y1) / 2 -
                         h;
            if (gap > 1.2 * h)
                tl->para_start = true; /* a blank line between */
        }
    }
    return BP_OK;
}

bp_status bp_statements_find(const bp_page *const *pages, size_t n_pages,
                             const bp_patterns *patterns, int fiscal_year,
                             bp_statement_list *out, bp_error *err)
{
    if (!patterns || !out)
        return bp_error_set(err, BP_ERR_USAGE, 0, "bp_statements_find: NULL argument");
    text_line *lines = NULL;
    size_t n = 0, cap = 0;
    bp_status st = BP_OK;
    for (size_t i = 0; i < n_pages && st == BP_OK; i++)
        if (pages[i])
            st = collect_page(patterns, pages[i], &lines, &n, &cap, err);
    context cx = {patterns, fiscal_year, out, -1, 0, -1, false, NULL, 0};
    if (st == BP_OK)
        st = run_lines(&cx, lines, n, err);
    free(cx.heading);
    for (size_t i = 0; i < n; i++)
        free(lines[i].owned);
    free(lines);
    return st;
}

bp_status bp_statements_find_text(const char *const *page_texts, size_t n_pages,
                                  const bp_patterns *patterns, int fiscal_year,
                                  bp_statement_list *out, bp_error *err)
{
    if (!patterns || !out)
        return bp_error_set(err, BP_ERR_USAGE, 0,
                            "bp_statements_find_text: NULL argument");
    /* copy each page and split it into lines; a blank line or a numbered
     * line starts a paragraph, a page break does not */
    text_line *lines = NULL;
    char **copies = calloc(n_pages ? n_pages : 1, sizeof *copies);
    size_t n = 0, cap = 0;
    bp_status st = copies ? BP_OK : nomem(err);
    for (size_t p = 0; p < n_pages && st == BP_OK; p++) {
        if (!page_texts[p])
            continue;
        copies[p] = strdup(page_texts[p]);
        if (!copies[p]) {
            st = nomem(err);
            break;
        }
        bool in_table = false;
        for (char *line = copies[p]; line && st == BP_OK;) {
            char *next = strchr(line, '\n');
            if (next)
                *next++ = '\0';
            if (whole_line(patterns, "table_heading", line) ||
                bp_patterns_match(patterns, "unit", line, (size_t)-1, 0, NULL))
                in_table = true;
            bool blank = line[strspn(line, " \t\r")] == '\0';
            if (blank && n > 0)
                lines[n - 1].para_end = true;
            bool skip = in_table || blank ||
                        bp_patterns_match_label(patterns, "statement", "page_furniture",
                                                line, (size_t)-1, 0, NULL) ||
                        bp_patterns_match_label(patterns, "toc_entry", "dotted", line,
                                                (size_t)-1, 0, NULL);
            if (!skip) {
                if (n == cap) {
                    size_t c = cap ? cap * 2 : 256;
                    text_line *grown = realloc(lines, c * sizeof *grown);
                    if (!grown) {
                        st = nomem(err);
                        break;
                    }
                    lines = grown;
                    cap = c;
                }
                text_line *tl = &lines[n++];
                memset(tl, 0, sizeof *tl);
                tl->text = line;
                tl->page = (int)p + 1;
                tl->para_start = bp_patterns_match_label(patterns, "statement",
                                                         "paragraph_start", line,
                                                         (size_t)-1, 0, NULL);
            }
            line = next;
        }
    }
    context cx = {patterns, fiscal_year, out, -1, 0, -1, false, NULL, 0};
    if (st == BP_OK)
        st = run_lines(&cx, lines, n, err);
    free(cx.heading);
    free(lines);
    for (size_t p = 0; p < n_pages && copies; p++)
        free(copies[p]);
    free(copies);
    return st;
}
