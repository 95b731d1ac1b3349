/*
 * reconcile_sections.c — where one budget ends and the next begins inside
 * one PDF, so that the rules compare figures only within one budget.
 *
 * A compilation (汇编) or a bundle prints several budgets in one file: a
 * department's and each unit's, several departments, several years, a
 * 预算 and a 决算.  The 财政拨款 of one is not expected to equal the
 * 财政拨款 of another, so comparing them would only make false findings.
 *
 * A new section starts at a table that, against the tables before it in
 * the current section,
 *   - names another department (部门：… / 编制单位：…),
 *   - is of the other kind (决算 after 预算, or the reverse), or
 *   - restarts the numbering: its number is below the last one, and it is
 *     number 1 or numbered in the same style (公开表十二 → 表一; 公开 09 表
 *     → 表2 is an appendix, not a new budget).
 * The pages after the last table known to be the earlier budget's (one
 * with a department, kind or number) up to the first table of the next
 * stay with the earlier budget, unless the next one visibly starts among
 * them: where the running title (a line at the top naming a year's
 * 预算/决算) last changes, else at the last cover (a short page with such
 * a title) or 目录, with a cover or 目录 right before it.  The tables
 * after that page that say nothing of themselves go with the new budget.
 *
 * Without signs of a bundle, and when tables or statements do not run in
 * page order, the whole document is one section.
 */
#include "load/reconcile_int.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* 1 for a 预算 table, 2 for a 决算 table, 0 when the title says neither. */
static int budget_kind(const char *title)
{
    if (title == NULL)
        return 0;
    if (rc_has(title, "决算") || rc_has(title, "決算"))
        return 2;
    return rc_has(title, "预算") || rc_has(title, "預算") ? 1 : 0;
}

bool rc_departments_differ(const char *a, const char *b)
{
    if (a == NULL || b == NULL || *a == '\0' || *b == '\0')
        return false;
    char *ka = rc_key(a), *kb = rc_key(b);   /* spaces and script folded */
    bool differ = ka && kb && strcmp(ka, kb) != 0;
    free(ka);
    free(kb);
    return differ;
}

/* A table's number and the style it is numbered in. */
typedef struct numbering {
    int number;       /* 0 when the table has none */
    char style[48];   /* the label without its number (公开表, 表), or the
                         numbering kind of the title (一、 or （一）) */
} numbering;

/* Whether s starts a part of a label's number (a digit, a numeral, a space
 * or a dash), and its length. */
static bool in_number(const char *s, size_t *len)
{
    static const char *const numerals[] = {"零", "〇", "一", "二", "三", "四", "五",
                                           "六", "七", "八", "九", "十", "百"};
    if ((*s >= '0' && *s <= '9') || *s == ' ' || *s == '-') {
        *len = 1;
        return true;
    }
    for (size_t i = 0; i < sizeof numerals / sizeof *numerals; i++)
        if (strncmp(s, numerals[i], 3) == 0) {
            *len = 3;
            return true;
        }
    return false;
}

static numbering numbering_of(const rc_table *t)
{
    numbering n = {0, ""};
    if (t->label && t->label[0]) {
        n.number = rc_label_number(t->label);
        size_t out = 0, len;
        for (const char *s = t->label; *s && out + 1 < sizeof n.style;) {
            if (in_number(s, &len)) {
                s += len;
                continue;
            }
            n.style[out++] = *s++;
        }
        n.style[out] = '\0';
    } else if (t->title && rc_ordinal_kind(t->title) > 0) {
        n.number = rc_ordinal_number(t->title);
        snprintf(n.style, sizeof n.style, "title %d", rc_ordinal_kind(t->title));
    }
    return n;
}

/* What a table says of the budget it belongs to; for a section, the last
 * of each that its tables said. */
typedef struct marks {
    const char *department;   /* NULL when none is printed */
    int kind;                 /* 0 when unknown */
    numbering number;         /* number 0 when none */
} marks;

static marks marks_of(const rc_table *t)
{
    marks m = {t->department && t->department[0] ? t->department : NULL,
               budget_kind(t->title), numbering_of(t)};
    return m;
}

/* Adds what a table says to the section's marks; false when it says
 * nothing. */
static bool take_marks(marks *section, const marks *m)
{
    if (m->department)
        section->department = m->department;
    if (m->kind)
        section->kind = m->kind;
    if (m->number.number > 0)
        section->number = m->number;
    return m->department || m->kind || m->number.number > 0;
}

static bool starts_budget(const marks *section, const marks *m)
{
    if (rc_departments_differ(section->department, m->department))
        return true;
    if (section->kind && m->kind && m->kind != section->kind)
        return true;
    int n = m->number.number, last = section->number.number;
    return n > 0 && last > 0 && n < last &&
           (n == 1 || strcmp(m->number.style, section->number.style) == 0);
}

/* ------------------------------------------------------------------ */
/* the page where a budget starts                                      */
/* ------------------------------------------------------------------ */

typedef struct gap_page {
    int page;
    int n_lines;
    bool toc;        /* has a 目录 heading */
    const char *title;   /* its first line naming a year's 预算 or 决算,
                            among the first TITLE_LINES (the document's
                            line); NULL when none */
} gap_page;

enum {
    TITLE_LINES = 3,       /* a title or running header is at the top */
    COVER_MAX_LINES = 6    /* a cover is a short page */
};

/* Whether a line could be a budget's title: a year (19xx年 / 20xx年), no
 * other digit, and 预算 or 决算. */
static bool names_budget_year(const char *text)
{
    if (!(rc_has(text, "预算") || rc_has(text, "决算") || rc_has(text, "預算") ||
          rc_has(text, "決算")))
        return false;
    int digits = 0;
    for (const char *p = text; *p; p++)
        digits += *p >= '0' && *p <= '9';
    if (digits != 4)
        return false;
    for (const char *p = text; (p = strstr(p, "年")) != NULL; p += 3) {
        const char *d = p;
        while (d > text && d[-1] == ' ')
            d--;
        if (d - text >= 4 && (strncmp(d - 4, "19", 2) == 0 || strncmp(d - 4, "20", 2) == 0) &&
            d[-2] >= '0' && d[-2] <= '9' && d[-1] >= '0' && d[-1] <= '9')
            return true;
    }
    return false;
}

static bool cover_or_toc(const gap_page *g)
{
    return g->toc || (g->title && g->n_lines <= COVER_MAX_LINES);
}

static bool same_title(const gap_page *a, const gap_page *b)
{
    return a->title && b->title && strcmp(a->title, b->title) == 0;
}

/* Whether pages[k] has a running title: its title repeated on a page next
 * to it. */
static bool running_title(const gap_page *pages, size_t n, size_t k)
{
    return (k > 0 && same_title(&pages[k], &pages[k - 1])) ||
           (k + 1 < n && same_title(&pages[k], &pages[k + 1]));
}

/* The first page of the budget whose first table is on page `first`, the
 * previous budget's known tables ending on page `last` (< first). */
static bp_status start_page(rc_doc *doc, int last, int first, int *start, bp_error *err)
{
    *start = first;
    const rc_line *lines = NULL;
    size_t n_lines = 0;
    bp_status st = rc_doc_lines(doc, &lines, &n_lines, err);
    if (st != BP_OK)
        return st;
    size_t n = (size_t)(first - last);
    gap_page *pages = calloc(n, sizeof *pages);
    if (pages == NULL)
        return bp_error_set(err, BP_ERR_NOMEM, 0, "out of memory");
    for (size_t k = 0; k < n; k++)
        pages[k].page = last + 1 + (int)k;
    /* the first line after page last (the lines ascend by page) */
    size_t lo = 0, hi = n_lines;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (lines[mid].page <= last)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t l = lo; l < n_lines && lines[l].page <= first; l++) {
        gap_page *g = &pages[lines[l].page - last - 1];
        const char *text = lines[l].text;
        if (!g->toc)
            g->toc = rc_is_toc_heading(text);
        if (!g->title && g->n_lines < TITLE_LINES && names_budget_year(text))
            g->title = text;
        g->n_lines++;
    }
    /* the last change of running title, else the last cover or 目录; and
     * a cover or 目录 right before it */
    size_t k = n;
    while (k > 1 && !(running_title(pages, n, k - 1) && running_title(pages, n, k - 2) &&
                      !same_title(&pages[k - 1], &pages[k - 2])))
        k--;
    if (k <= 1)
        for (k = n; k > 0 && !cover_or_toc(&pages[k - 1]);)
            k--;
    while (k > 1 && cover_or_toc(&pages[k - 2]))
        k--;
    if (k > 0)
        *start = pages[k - 1].page;
    free(pages);
    return BP_OK;
}

/* ------------------------------------------------------------------ */
/* sections                                                            */
/* ------------------------------------------------------------------ */

static bool in_page_order(const rc_doc *doc)
{
    for (size_t i = 1; i < doc->n_tables; i++)
        if (doc->tables[i].first_page < doc->tables[i - 1].first_page)
            return false;
    for (size_t i = 1; i < doc->n_statements; i++)
        if (doc->statements[i].page < doc->statements[i - 1].page)
            return false;
    return true;
}

bp_status rc_find_sections(rc_doc *doc, rc_section **out, size_t *n, bp_error *err)
{
    *n = 0;
    *out = malloc((doc->n_tables ? doc->n_tables : 1) * sizeof **out);
    if (*out == NULL)
        return bp_error_set(err, BP_ERR_NOMEM, 0, "out of memory");
    rc_section *sections = *out;
    sections[0] = (rc_section){0, doc->n_tables, 0, doc->n_statements, 0, INT_MAX};
    *n = 1;
    if (!in_page_order(doc))
        return BP_OK;

    marks section = {NULL, 0, {0, ""}};
    size_t last_known = 0;   /* the current section's last table that says
                                whose, what or which it is */
    for (size_t i = 0; i < doc->n_tables; i++) {
        const rc_table *t = &doc->tables[i];
        marks m = marks_of(t);
        if (i > 0 && starts_budget(&section, &m)) {
            /* the new budget starts after the last table known to be the
             * old one's: at its cover or 目录 if one is printed between */
            int known_end = doc->tables[last_known].last_page;
            int start = t->first_page;
            if (known_end < t->first_page) {
                bp_status st = start_page(doc, known_end, t->first_page, &start, err);
                if (st != BP_OK)
                    return st;
            }
            size_t first = i;   /* tables saying nothing, after the cover */
            while (first > last_known + 1 && doc->tables[first - 1].first_page >= start)
                first--;
            rc_section *prev = &sections[*n - 1];
            prev->n_tables = first - prev->first_table;
            prev->last_page = start - 1;
            sections[(*n)++] = (rc_section){first, doc->n_tables - first, 0, 0, start, INT_MAX};
            section = (marks){NULL, 0, {0, ""}};
        }
        if (take_marks(&section, &m))
            last_known = i;
    }
    /* statements by page */
    size_t next = 0;
    for (size_t k = 0; k < *n; k++) {
        rc_section *s = &sections[k];
        s->first_statement = next;
        while (next < doc->n_statements && doc->statements[next].page <= s->last_page)
            next++;
        s->n_statements = next - s->first_statement;
    }
    return BP_OK;
}
