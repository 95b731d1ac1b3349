/*
 * recover.c — from a document's pages to its tables.
 *
 * Page by page, top to bottom, lines outside any grid are read as captions
 * (table heading, title, unit line, department line, empty declaration —
 * the wording is in patterns/) and grids as table bodies.  A grid takes the
 * caption collected above it; a grid with no caption that opens a page
 * right after a table continues that table when its columns line up (its
 * repeated header, if any, is dropped); otherwise it is an untitled table.
 * A caption with a unit line but no grid is a table without a body (an
 * empty table or one whose body could not be read), kept so that every
 * table the 目录 lists is accounted for.
 *
 * A table's first fragment gives its header: the leading rows that hold no
 * figure.  Each column's path is the header cells above it, top to bottom,
 * a merged cell counted once.  Columns whose body is mostly text are label
 * columns; codes (编码, 类/款/项, 3/5/7 digits) are code columns.  When the
 * top header splits the columns into groups that each have a label and a
 * figure column (收入 | 支出), each group is a part with its own row
 * labels.
 *
 * Invariant: a figure is only ever taken from the cell it is printed in;
 * merged text cells spanning several rows are repeated on each row, merged
 * figures never are.
 */
#include "tables/tables_int.h"

#include <glib.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- small helpers -------------------------------------------------- */

static char *xstrdup(const char *s)
{
    if (s == NULL)
        return NULL;
    size_t n = strlen(s);
    char *d = malloc(n + 1);
    if (d)
        memcpy(d, s, n + 1);
    return d;
}

/* Copies text with whitespace runs folded to one space and trimmed. */
char *bp_tables_fold_ws(const char *s)
{
    if (s == NULL)
        return NULL;
    size_t n = strlen(s);
    char *d = malloc(n + 1);
    if (d == NULL)
        return NULL;
    size_t w = 0;
    bool space = false;
    for (const char *p = s; *p; p++) {
        if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') {
            space = w > 0;
            continue;
        }
        if (space)
            d[w++] = ' ';
        space = false;
        d[w++] = *p;
    }
    d[w] = '\0';
    return d;
}

/* Text with all ASCII spaces removed, for comparisons. */
bool bp_tables_same_text(const char *a, const char *b)
{
    if (a == NULL || b == NULL)
        return a == b;
    for (;;) {
        while (*a == ' ')
            a++;
        while (*b == ' ')
            b++;
        if (*a != *b)
            return false;
        if (*a == '\0')
            return true;
        a++;
        b++;
    }
}

static bool is_digits(const char *s, size_t *len)
{
    size_t n = 0;
    for (; s[n]; n++)
        if (s[n] < '0' || s[n] > '9')
            return false;
    if (len)
        *len = n;
    return n > 0;
}

static char *group_dup(const bp_pattern_match *m, const char *text, const char *name)
{
    char *g = bp_pattern_match_group_dup(m, text, name);
    if (g != NULL && *g == '\0') {
        free(g);
        return NULL;
    }
    if (g == NULL)
        return NULL;
    char *f = bp_tables_fold_ws(g);
    free(g);
    return f;
}

const char *bp_row_role_name(bp_row_role role)
{
    switch (role) {
    case BP_ROW_TOTAL: return "total";
    case BP_ROW_SUBTOTAL: return "subtotal";
    case BP_ROW_OF_WHICH: return "of_which";
    default: return "item";
    }
}

/* ---- the output set ------------------------------------------------- */

static void table_free(bp_table *t)
{
    free(t->label);
    free(t->title);
    free(t->unit);
    free(t->department);
    free(t->empty_note);
    for (size_t i = 0; i < t->n_columns; i++)
        free(t->columns[i].path);
    free(t->columns);
    for (size_t i = 0; i < t->n_rows; i++) {
        free(t->rows[i].label);
        free(t->rows[i].code);
    }
    free(t->rows);
    for (size_t i = 0; i < t->n_cells; i++)
        free(t->cells[i].text);
    free(t->cells);
    memset(t, 0, sizeof *t);
}

void bp_table_set_free(bp_table_set *set)
{
    if (set == NULL)
        return;
    for (size_t i = 0; i < set->n_tables; i++)
        table_free(&set->tables[i]);
    free(set->tables);
    set->tables = NULL;
    set->n_tables = 0;
}

/* ---- captions and tables in progress -------------------------------- */

typedef struct caption {
    char *label, *title, *unit, *department, *empty_note;
    int page;
    bool open;           /* a heading, title or unit line was seen */
    bool title_open;     /* the title may continue on the next line */
    size_t *lines;       /* other lines after the caption on its page */
    size_t n_lines, cap_lines;
} caption;

typedef struct draft {
    caption cap;
    fragment *frags;     /* owned */
    size_t n_frags, cap_frags;
    int first_page, last_page;
} draft;

typedef struct state {
    const bp_patterns *patterns;
    draft *drafts;
    size_t n_drafts, cap_drafts;
    caption pending;
    int narrative_since_table; /* text lines since the last table body */
    bool continued;            /* a repeated heading: captions until the
                                  next grid belong to the last table */
    size_t skip_line;          /* a line already read as part of a title */
    int skip_page;
    char **furniture;          /* running header/footer texts, digits as '#' */
    size_t n_furniture;
    bp_figure_memo *figures;   /* cell texts read as figures (NULL: none kept) */
    GHashTable *roles;         /* row label (g_strdup) -> its bp_row_role + 1 */
    int toc_page;              /* the page toc_heading was looked up for (0: none) */
    bool toc_heading;          /* whether that page has a 目录 heading */
    bp_error *err;
} state;

static void caption_free(caption *c)
{
    free(c->label);
    free(c->title);
    free(c->unit);
    free(c->department);
    free(c->empty_note);
    free(c->lines);
    memset(c, 0, sizeof *c);
}

static void draft_free(draft *d)
{
    caption_free(&d->cap);
    for (size_t i = 0; i < d->n_frags; i++)
        bp_fragment_free(&d->frags[i]);
    free(d->frags);
    memset(d, 0, sizeof *d);
}

static bp_status oom(state *st)
{
    return bp_error_set(st->err, BP_ERR_NOMEM, 0, "tables: out of memory");
}

static draft *new_draft(state *st, int page)
{
    if (st->n_drafts == st->cap_drafts) {
        size_t cap = st->cap_drafts ? st->cap_drafts * 2 : 16;
        draft *grown = realloc(st->drafts, cap * sizeof *grown);
        if (grown == NULL)
            return NULL;
        st->drafts = grown;
        st->cap_drafts = cap;
    }
    draft *d = &st->drafts[st->n_drafts++];
    memset(d, 0, sizeof *d);
    d->first_page = d->last_page = page;
    return d;
}

static int draft_add_fragment(draft *d, fragment *f)
{
    if (d->n_frags == d->cap_frags) {
        size_t cap = d->cap_frags ? d->cap_frags * 2 : 4;
        fragment *grown = realloc(d->frags, cap * sizeof *grown);
        if (grown == NULL)
            return -1;
        d->frags = grown;
        d->cap_frags = cap;
    }
    d->frags[d->n_frags++] = *f;
    memset(f, 0, sizeof *f);
    if (d->frags[d->n_frags - 1].page > d->last_page)
        d->last_page = d->frags[d->n_frags - 1].page;
    return 0;
}

/* Moves the pending caption into a new draft (with no body yet). */
static draft *draft_from_pending(state *st, int page)
{
    draft *d = new_draft(st, st->pending.page ? st->pending.page : page);
    if (d == NULL)
        return NULL;
    d->cap = st->pending;
    free(d->cap.lines);
    d->cap.lines = NULL;
    d->cap.n_lines = d->cap.cap_lines = 0;
    memset(&st->pending, 0, sizeof st->pending);
    return d;
}

/* ---- header analysis ------------------------------------------------ */

/* Whether row r of f holds a figure (a body row). */
static bool row_has_figure(bp_figure_memo *figures, const fragment *f, int r)
{
    for (int c = 0; c < f->n_cols; c++) {
        const frag_cell *cell = frag_at(f, r, c);
        if (cell->c0 != c || cell->r0 != r || cell->text == NULL)
            continue;
        if (bp_frag_cell_number(figures, cell, NULL)) {
            size_t n;
            /* a bare code (2080505) is not a figure */
            if (is_digits(cell->text, &n) && (n == 3 || n == 5 || n == 7) && c < 3)
                continue;
            return true;
        }
    }
    return false;
}

/* A 栏次 row: column numbers 1 2 3 … (or the word 栏次). */
static bool is_numbering_row(const fragment *f, int r)
{
    int expected = 1, seen = 0;
    for (int c = 0; c < f->n_cols; c++) {
        const frag_cell *cell = frag_at(f, r, c);
        if (cell->c0 != c || cell->text == NULL)
            continue;
        if (strstr(cell->text, "栏次") || strstr(cell->text, "栏 次"))
            return true;
        size_t n;
        if (!is_digits(cell->text, &n) || n > 2 || atoi(cell->text) != expected)
            return false;
        expected++;
        seen++;
    }
    return seen >= 2;
}

/* Number of header rows at the top of f. */
static int header_rows(bp_figure_memo *figures, const fragment *f)
{
    int first_body = -1;
    for (int r = 0; r < f->n_rows && r < 8; r++)
        if (row_has_figure(figures, f, r) && !is_numbering_row(f, r)) {
            first_body = r;
            break;
        }
    if (first_body < 0) {
        /* No figure at all: the header reaches one row below the last
         * row (of the first four) that has a cell merged across columns. */
        int h = f->n_rows > 1 ? 1 : 0;
        for (int r = 0; r < f->n_rows - 1 && r < 4; r++)
            for (int c = 0; c < f->n_cols; c++) {
                const frag_cell *cell = frag_at(f, r, c);
                if (cell->c1 > cell->c0 && cell->text != NULL && r + 2 > h)
                    h = r + 2;
            }
        return h < f->n_rows ? h : f->n_rows - 1;
    }
    if (first_body > 6)
        return 1;
    return first_body;
}

/* ---- building a table ----------------------------------------------- */

typedef struct col_info {
    int n_text, n_number, n_code;
    int n_class;         /* of n_code: 3, 5 or 7 digits (类/款/项 codes) */
    bool row_numbers;    /* 行次 / 栏次: line numbers, not figures */
    double min_x0;
} col_info;

static bool is_code_text(const char *t)
{
    size_t n;
    return t && is_digits(t, &n) && n >= 2 && n <= 7;
}

static bool header_says_code(const char *path)
{
    if (path == NULL)
        return false;
    const char *leaf = strrchr(path, '/');
    leaf = leaf ? leaf + 1 : path;
    while (*leaf == ' ')
        leaf++;
    if (strcmp(leaf, "类") == 0 || strcmp(leaf, "款") == 0 || strcmp(leaf, "项") == 0)
        return true;
    return strstr(leaf, "编码") || strstr(leaf, "代码") || strstr(leaf, "科目编号");
}

/* 行次 / 栏次 / 序号: the column numbers lines, its digits are no figures. */
static bool header_says_row_number(const char *path)
{
    if (path == NULL)
        return false;
    const char *leaf = strrchr(path, '/');
    leaf = leaf ? leaf + 1 : path;
    while (*leaf == ' ')
        leaf++;
    return bp_tables_same_text(leaf, "行次") || bp_tables_same_text(leaf, "栏次") ||
           bp_tables_same_text(leaf, "序号");
}

typedef struct row_cells {
    const frag_cell **cell; /* per table column, NULL when empty */
    bool *spanned;          /* cell continues from a row above */
    int page;
    double y0, y1;
} row_cells;

static int add_cell(bp_table *t, size_t *cap, bp_table_cell c)
{
    if (t->n_cells == *cap) {
        size_t n = *cap ? *cap * 2 : 64;
        bp_table_cell *g = realloc(t->cells, n * sizeof *g);
        if (g == NULL)
            return -1;
        t->cells = g;
        *cap = n;
    }
    t->cells[t->n_cells++] = c;
    return 0;
}

static int add_row(bp_table *t, size_t *cap, bp_table_row r)
{
    if (t->n_rows == *cap) {
        size_t n = *cap ? *cap * 2 : 32;
        bp_table_row *g = realloc(t->rows, n * sizeof *g);
        if (g == NULL)
            return -1;
        t->rows = g;
        *cap = n;
    }
    t->rows[t->n_rows++] = r;
    return 0;
}

/* Level from the numbering that opens a label: 一、 → 0, （一） → 1,
 * 1. / 1、 → 1 (2 after a （一） level), （1） → 2; -1 when none. */
static int numbering_level(const char *label)
{
    const unsigned char *s = (const unsigned char *)label;
    static const char *const cn_digits[] = {"一", "二", "三", "四", "五", "六",
                                            "七", "八", "九", "十"};
    bool paren = false;
    if (strncmp((const char *)s, "（", 3) == 0) {
        paren = true;
        s += 3;
    } else if (*s == '(') {
        paren = true;
        s++;
    }
    bool cn = false, digit = false;
    for (;;) {
        bool hit = false;
        for (size_t i = 0; i < 10; i++)
            if (strncmp((const char *)s, cn_digits[i], 3) == 0) {
                s += 3;
                hit = cn = true;
                break;
            }
        if (!hit && *s >= '0' && *s <= '9') {
            s++;
            hit = digit = true;
        }
        if (!hit)
            break;
    }
    if (!cn && !digit)
        return -1;
    if (paren)
        return (strncmp((const char *)s, "）", 3) == 0 || *s == ')') ? (cn ? 1 : 2) : -1;
    if (strncmp((const char *)s, "、", 3) == 0)
        return cn ? 0 : 1;
    if (*s == '.' && digit && !(s[1] >= '0' && s[1] <= '9'))
        return 1;
    return -1;
}

/* Splits a leading classification code off a label: "2080505 机关…". */
static void split_code(char **label, char **code)
{
    const char *s = *label;
    size_t n = 0;
    while (s[n] >= '0' && s[n] <= '9')
        n++;
    if (!(n == 3 || n == 5 || n == 7))
        return;
    const char *rest = s + n;
    while (*rest == ' ')
        rest++;
    unsigned char c = (unsigned char)*rest;
    if (c < 0xE0) /* must continue with CJK text */
        return;
    if (strncmp(rest, "年", 3) == 0 || strncmp(rest, "、", 3) == 0)
        return;
    char *cd = malloc(n + 1);
    char *lb = xstrdup(rest);
    if (cd == NULL || lb == NULL) {
        free(cd);
        free(lb);
        return;
    }
    memcpy(cd, s, n);
    cd[n] = '\0';
    free(*label);
    *label = lb;
    free(*code);
    *code = cd;
}

bp_row_role bp_tables_row_role(const bp_patterns *patterns, const char *label)
{
    if (label == NULL || *label == '\0' || patterns == NULL)
        return BP_ROW_ITEM;
    bp_pattern_match m;
    if (bp_patterns_match(patterns, BP_PSET_TOTAL_ROW, label, (size_t)-1, 0, &m))
        return strcmp(m.label, "subtotal") == 0 ? BP_ROW_SUBTOTAL : BP_ROW_TOTAL;
    if (bp_patterns_match(patterns, BP_PSET_OF_WHICH, label, (size_t)-1, 0, &m))
        return BP_ROW_OF_WHICH;
    return BP_ROW_ITEM;
}

/* bp_tables_row_role with each distinct label read once: a document
 * repeats a few hundred labels over its tables (335 for the 3,114 rows of
 * the 408-page benchmark). */
static bp_row_role row_role(state *st, const char *label)
{
    if (label == NULL || *label == '\0')
        return bp_tables_row_role(st->patterns, label);
    gpointer known = g_hash_table_lookup(st->roles, label);
    if (known != NULL)
        return (bp_row_role)(GPOINTER_TO_INT(known) - 1);
    bp_row_role role = bp_tables_row_role(st->patterns, label);
    g_hash_table_insert(st->roles, g_strdup(label), GINT_TO_POINTER((int)role + 1));
    return role;
}

static double mid_x(const fragment *f, int j)
{
    return (f->xs[j] + f->xs[j + 1]) / 2;
}

/* Maps column j of a continuation fragment to a column of the first. */
static int map_column(const fragment *first, const fragment *f, int j)
{
    if (f->n_cols == first->n_cols)
        return j;
    double cx = mid_x(f, j);
    for (int k = 0; k < first->n_cols; k++)
        if (cx >= first->xs[k] && cx < first->xs[k + 1])
            return k;
    return -1;
}

/* A form-like table (绩效目标表, 绩效自评表): its title says so
 * (table_title.pcre, pattern "performance") and its grid is ruled. */
static bool is_form(const bp_patterns *patterns, const char *title, const draft *d)
{
    bp_pattern_match m;
    if (title == NULL || d->n_frags == 0 || !d->frags[0].ruled)
        return false;
    return bp_patterns_match_label(patterns, BP_PSET_TABLE_TITLE, "performance", title,
                                   (size_t)-1, 0, &m);
}

static bp_status build_table(state *st, draft *d, bp_table *t)
{
    memset(t, 0, sizeof *t);
    t->label = d->cap.label;
    t->title = d->cap.title;
    t->unit = d->cap.unit;
    t->department = d->cap.department;
    t->empty_note = d->cap.empty_note;
    d->cap.label = d->cap.title = d->cap.unit = d->cap.department = d->cap.empty_note = NULL;
    t->first_page = d->first_page;
    t->last_page = d->last_page;
    if (d->n_frags == 0)
        return BP_OK;
    if (is_form(st->patterns, t->title, d))
        return bp_form_build(st->patterns, d->frags, d->n_frags, t, st->err);

    const fragment *first = &d->frags[0];
    int nc = first->n_cols;
    int H = header_rows(st->figures, first);

    /* Column paths. */
    char **paths = calloc((size_t)nc, sizeof *paths);
    col_info *info = calloc((size_t)nc, sizeof *info);
    if (paths == NULL || info == NULL) {
        free(paths);
        free(info);
        return oom(st);
    }
    for (int c = 0; c < nc; c++) {
        size_t len = 0, capn = 64;
        char *p = malloc(capn);
        if (p == NULL)
            goto fail;
        p[0] = '\0';
        const frag_cell *prev = NULL;
        for (int r = 0; r < H; r++) {
            if (is_numbering_row(first, r))
                continue;
            const frag_cell *cell = frag_at(first, r, c);
            if (cell == prev || cell->text == NULL)
                continue;
            prev = cell;
            char *piece = bp_tables_fold_ws(cell->text);
            if (piece == NULL) {
                free(p);
                goto fail;
            }
            size_t need = len + strlen(piece) + 4;
            if (need > capn) {
                capn = need * 2;
                char *g = realloc(p, capn);
                if (g == NULL) {
                    free(piece);
                    free(p);
                    goto fail;
                }
                p = g;
            }
            if (len > 0) {
                memcpy(p + len, " / ", 3);
                len += 3;
            }
            memcpy(p + len, piece, strlen(piece) + 1);
            len += strlen(piece);
            free(piece);
        }
        paths[c] = p;
        info[c].min_x0 = 1e9;
    }

    /* Body rows of all fragments. */
    size_t n_body = 0, cap_body = 32;
    row_cells *body = malloc(cap_body * sizeof *body);
    if (body == NULL)
        goto fail;
    for (size_t fi = 0; fi < d->n_frags; fi++) {
        const fragment *f = &d->frags[fi];
        int start = fi == 0 ? H : 0;
        if (fi > 0) {
            int hc = header_rows(st->figures, f);
            /* A repeated header: same text in the first row. */
            if (hc > 0 && H > 0) {
                bool same = true;
                for (int c = 0; c < f->n_cols && same; c++) {
                    int k = map_column(first, f, c);
                    if (k < 0)
                        continue;
                    same = bp_tables_same_text(frag_at(f, 0, c)->text, frag_at(first, 0, k)->text);
                }
                if (same)
                    start = hc;
            }
        }
        for (int r = start; r < f->n_rows; r++) {
            if (is_numbering_row(f, r))
                continue;
            if (n_body == cap_body) {
                cap_body *= 2;
                row_cells *g = realloc(body, cap_body * sizeof *g);
                if (g == NULL)
                    goto fail_body;
                body = g;
            }
            row_cells *rc = &body[n_body];
            rc->cell = calloc((size_t)nc, sizeof *rc->cell);
            rc->spanned = calloc((size_t)nc, sizeof *rc->spanned);
            if (rc->cell == NULL || rc->spanned == NULL) {
                free(rc->cell);
                free(rc->spanned);
                goto fail_body;
            }
            rc->page = f->page;
            rc->y0 = f->ys[r];
            rc->y1 = f->ys[r + 1];
            bool any = false;
            for (int c = 0; c < f->n_cols; c++) {
                const frag_cell *cell = frag_at(f, r, c);
                if (cell->c0 != c || cell->text == NULL)
                    continue;
                int k = map_column(first, f, c);
                if (k < 0 || rc->cell[k] != NULL)
                    continue;
                bool spanned = cell->r0 != r;
                if (spanned && bp_frag_cell_number(st->figures, cell, NULL))
                    continue; /* a figure belongs to one row only */
                rc->cell[k] = cell;
                rc->spanned[k] = spanned;
                any = any || !spanned;
            }
            if (!any) {
                free(rc->cell);
                free(rc->spanned);
                continue;
            }
            n_body++;
        }
    }

    /* Column kinds. */
    for (size_t i = 0; i < n_body; i++)
        for (int c = 0; c < nc; c++) {
            const frag_cell *cell = body[i].cell[c];
            if (cell == NULL)
                continue;
            if (is_code_text(cell->text)) {
                info[c].n_code++;
                size_t len = strlen(cell->text);
                info[c].n_class += len == 3 || len == 5 || len == 7;
            }
            else if (bp_frag_cell_number(st->figures, cell, NULL))
                info[c].n_number++;
            else
                info[c].n_text++;
            if (cell->first_line.x0 < info[c].min_x0)
                info[c].min_x0 = cell->first_line.x0;
        }
    t->columns = calloc((size_t)nc, sizeof *t->columns);
    if (t->columns == NULL)
        goto fail_body;
    t->n_columns = (size_t)nc;
    for (int c = 0; c < nc; c++) {
        bp_table_column *col = &t->columns[c];
        col->path = paths[c];
        paths[c] = NULL;
        col->x0 = first->xs[c];
        col->x1 = first->xs[c + 1];
        int filled = info[c].n_text + info[c].n_number + info[c].n_code;
        info[c].row_numbers = header_says_row_number(col->path);
        col->is_code = filled > 0 && !info[c].row_numbers &&
                       ((header_says_code(col->path) && info[c].n_code * 2 >= filled) ||
                        (info[c].n_class == filled && info[c].n_class >= 2 &&
                         strstr(col->path, "金额") == NULL));
        if (info[c].row_numbers)
            info[c].n_number = 0; /* not a figure column */
        col->is_label = !col->is_code && info[c].n_text > info[c].n_number;
    }

    /* Parts: top header groups that each hold a label and a figure column. */
    if (H >= 2) {
        int groups = 0, qualifying = 0;
        int *group_of = calloc((size_t)nc, sizeof *group_of);
        if (group_of == NULL)
            goto fail_body;
        const frag_cell *prev = NULL;
        bool has_label = false, has_number = false;
        bool all_qualify = true;
        for (int c = 0; c <= nc; c++) {
            const frag_cell *top = c < nc ? frag_at(first, 0, c) : NULL;
            if (c == nc || top != prev) {
                if (c > 0) {
                    if (has_label && has_number)
                        qualifying++;
                    else
                        all_qualify = false;
                }
                if (c < nc) {
                    groups++;
                    has_label = has_number = false;
                }
                prev = top;
            }
            if (c < nc) {
                group_of[c] = groups - 1;
                if (t->columns[c].is_label)
                    has_label = true;
                if (info[c].n_number > 0)
                    has_number = true;
            }
        }
        if (qualifying >= 2 && all_qualify && groups == qualifying)
            for (int c = 0; c < nc; c++)
                t->columns[c].part = group_of[c];
        free(group_of);
    }
    /* Parts without a top header: the first label column's header repeats. */
    {
        int first_label = -1, part = 0;
        bool split = false;
        for (int c = 0; c < nc; c++)
            if (t->columns[c].part != 0)
                split = true;
        for (int c = 0; c < nc && !split; c++) {
            if (!t->columns[c].is_label)
                continue;
            if (first_label < 0) {
                first_label = c;
                continue;
            }
            int start = c;
            if (*t->columns[c].path && bp_tables_same_text(t->columns[c].path, t->columns[first_label].path) &&
                c > first_label + 1) {
                part++;
                /* The part's own code columns (类 | 款) just left of its
                 * label column belong to it. */
                while (start - 1 > first_label && t->columns[start - 1].is_code)
                    start--;
            }
            if (part > 0)
                for (int k = start; k < nc; k++)
                    t->columns[k].part = part;
        }
    }

    /* A part that prints several label columns, each with figure columns
     * after it (支出: 功能科目名称 | 金额 | 项目名称 | 金额), is as many
     * parts: every label column after a figure column that has figure
     * columns of its own starts one (with its code columns). */
    {
        int next_part = 0, prev_part = -1;
        bool seen_figure = false;
        for (int c = 0; c < nc; c++) {
            if (t->columns[c].part != prev_part) {
                prev_part = t->columns[c].part;
                seen_figure = false;
                if (c > 0)
                    next_part++;
            }
            bool own_figures = false;
            for (int k = c + 1; k < nc && t->columns[k].part == prev_part && !t->columns[k].is_label;
                 k++)
                own_figures = own_figures || info[k].n_number > 0;
            if (t->columns[c].is_label && seen_figure && own_figures) {
                next_part++;
                int start = c;
                while (start > 0 && t->columns[start - 1].is_code &&
                       t->columns[start - 1].part == prev_part)
                    start--;
                for (int k = start; k < c; k++)
                    t->columns[k].part = -1 - next_part; /* fixed below */
                seen_figure = false;
            }
            if (!t->columns[c].is_label && !t->columns[c].is_code && info[c].n_number > 0)
                seen_figure = true;
            t->columns[c].part = -1 - next_part;
        }
        for (int c = 0; c < nc; c++)
            t->columns[c].part = -1 - t->columns[c].part;
    }

    /* Rows and cells. */
    size_t cap_rows = 0, cap_cells = 0;
    int n_parts = 1;
    for (int c = 0; c < nc; c++)
        if (t->columns[c].part + 1 > n_parts)
            n_parts = t->columns[c].part + 1;
    int row_no = 0;
    for (size_t i = 0; i < n_body; i++) {
        row_cells *rc = &body[i];
        row_no++;
        for (int p = 0; p < n_parts; p++) {
            const frag_cell *label_cell = NULL;
            int label_col = -1;
            char *code = NULL;
            int code_pieces = 0;
            bool any = false;
            for (int c = 0; c < nc; c++) {
                if (t->columns[c].part != p || rc->cell[c] == NULL)
                    continue;
                any = true;
                if (t->columns[c].is_label && label_cell == NULL) {
                    label_cell = rc->cell[c];
                    label_col = c;
                }
                if (t->columns[c].is_code && is_code_text(rc->cell[c]->text)) {
                    const char *piece = rc->cell[c]->text;
                    size_t pl = strlen(piece);
                    bool joinable = code != NULL && code_pieces > 0 && strlen(code) + pl <= 7 &&
                                    pl <= 2 && (strlen(code) == 3 || strlen(code) == 5);
                    if (code == NULL) {
                        code = xstrdup(piece);
                        code_pieces = 1;
                    } else if (joinable) {
                        char *joined = malloc(strlen(code) + pl + 1);
                        if (joined) {
                            strcpy(joined, code);
                            strcat(joined, piece);
                            free(code);
                            code = joined;
                            code_pieces++;
                        }
                    }
                }
            }
            if (!any) {
                free(code);
                continue;
            }
            if (label_cell == NULL) {
                /* A label merged across the code and label columns
                 * (合 计 over 科目编码 | 科目名称) sits in the code column. */
                for (int c = 0; c < nc && label_cell == NULL; c++)
                    if (t->columns[c].part == p && rc->cell[c] != NULL &&
                        (t->columns[c].is_code || t->columns[c].is_label) &&
                        !is_code_text(rc->cell[c]->text) &&
                        !bp_frag_cell_number(st->figures, rc->cell[c], NULL) &&
                        rc->cell[c]->c1 > rc->cell[c]->c0) {
                        label_cell = rc->cell[c];
                        label_col = c;
                    }
                /* A label merged from the part before across this part's
                 * label column (当年支出小计 over 功能分类 | 支出用途). */
                int own_label = -1;
                for (int c = 0; c < nc && own_label < 0; c++)
                    if (t->columns[c].part == p && t->columns[c].is_label)
                        own_label = c;
                for (int c = 0; c < own_label && label_cell == NULL; c++) {
                    const frag_cell *x = rc->cell[c];
                    if (x != NULL && t->columns[c].part != p && x->text != NULL &&
                        !bp_frag_cell_number(st->figures, x, NULL) && c + (x->c1 - x->c0) >= own_label) {
                        label_cell = x;
                        label_col = c;
                    }
                }
            }
            bp_table_row row;
            memset(&row, 0, sizeof row);
            row.row_no = row_no;
            row.part = p;
            row.page = rc->page;
            row.y0 = rc->y0;
            row.y1 = rc->y1;
            row.label = bp_tables_fold_ws(label_cell ? label_cell->text : "");
            row.code = code;
            if (row.label == NULL) {
                free(code);
                goto fail_body;
            }
            if (row.code == NULL)
                split_code(&row.label, &row.code);
            row.role = row_role(st, row.label);
            size_t code_len = row.code ? strlen(row.code) : 0;
            if (code_len == 3 || code_len == 5 || code_len == 7) {
                row.level = (int)(code_len - 3) / 2;
            } else {
                int lv = numbering_level(row.label);
                if (lv < 0 && label_cell != NULL && label_col >= 0) {
                    /* Indentation is that of the label's first line, in
                     * its own font size: a label wrapped onto a second
                     * line neither starts further left nor prints larger. */
                    const bp_box *line1 = &label_cell->first_line;
                    double em = line1->y1 - line1->y0;
                    if (em < 4)
                        em = 4;
                    if (em > 14)
                        em = 14;
                    lv = (int)floor((line1->x0 - info[label_col].min_x0) / em + 0.3);
                    if (lv > 4)
                        lv = 4;
                    if (lv < 0)
                        lv = 0;
                }
                row.level = lv < 0 ? 0 : lv;
            }
            if (add_row(t, &cap_rows, row) != 0) {
                free(row.label);
                free(row.code);
                goto fail_body;
            }
            for (int c = 0; c < nc; c++) {
                if (t->columns[c].part != p || rc->cell[c] == NULL)
                    continue;
                const frag_cell *cell = rc->cell[c];
                bp_table_cell out;
                memset(&out, 0, sizeof out);
                out.row_no = row_no;
                out.column = (size_t)c;
                out.page = rc->page;
                out.box = cell->box;
                out.text = bp_tables_fold_ws(cell->text);
                if (out.text == NULL)
                    goto fail_body;
                bp_number num;
                if (!t->columns[c].is_label && !t->columns[c].is_code && !info[c].row_numbers &&
                    bp_frag_cell_number(st->figures, cell, &num)) {
                    out.has_value = true;
                    out.value = num.value;
                    out.precision = num.precision;
                }
                if (add_cell(t, &cap_cells, out) != 0) {
                    free(out.text);
                    goto fail_body;
                }
            }
        }
    }
    for (size_t i = 0; i < n_body; i++) {
        free(body[i].cell);
        free(body[i].spanned);
    }
    free(body);
    free(paths);
    free(info);
    return BP_OK;

fail_body:
    for (size_t i = 0; i < n_body; i++) {
        free(body[i].cell);
        free(body[i].spanned);
    }
    free(body);
fail:
    for (int c = 0; c < nc; c++)
        free(paths[c]);
    free(paths);
    free(info);
    return oom(st);
}

/* ---- reading pages --------------------------------------------------- */

static bool line_inside(const bp_line *line, const bp_box *boxes, size_t n)
{
    double cx = (line->box.x0 + line->box.x1) / 2, cy = (line->box.y0 + line->box.y1) / 2;
    for (size_t i = 0; i < n; i++)
        if (boxes[i].x0 - 1 <= cx && cx <= boxes[i].x1 + 1 &&
            boxes[i].y0 - 1 <= cy && cy <= boxes[i].y1 + 1)
            return true;
    return false;
}

static void set_once(char **slot, char *value)
{
    if (*slot == NULL)
        *slot = value;
    else
        free(value);
}

/* Flushes the pending caption: a table without body when it has a unit
 * line or an empty declaration (a heading alone is a mention, e.g. in the
 * 目录); the alignment reader gets a chance at the lines below it first. */
static bp_status flush_pending(state *st, const bp_page *page)
{
    caption *c = &st->pending;
    if (!c->open) {
        caption_free(c);
        return BP_OK;
    }
    bp_status rc = BP_OK;
    if (page != NULL && c->n_lines >= 2 && (c->unit || c->department) && c->page == page->number) {
        fragment f;
        bool made = false;
        rc = bp_fragment_from_alignment(page, c->lines[0], c->lines[c->n_lines - 1], &f,
                                        &made, st->err);
        if (rc != BP_OK)
            return rc;
        if (made) {
            draft *d = draft_from_pending(st, page->number);
            if (d == NULL || draft_add_fragment(d, &f) != 0) {
                bp_fragment_free(&f);
                return oom(st);
            }
            st->narrative_since_table = 0;
            return BP_OK;
        }
    }
    if (c->unit || c->empty_note) {
        if (draft_from_pending(st, c->page) == NULL)
            return oom(st);
    } else {
        caption_free(c);
    }
    return rc;
}

#define EDGE_MATCH 6.0

static bool has_edge(const fragment *f, double x)
{
    for (int i = 0; i <= f->n_cols; i++)
        if (fabs(f->xs[i] - x) <= EDGE_MATCH)
            return true;
    return false;
}

/* Whether fragment b can continue a (on the next page): the same outer
 * edges, and b's column edges are a's (same count and places), or all of
 * b's are among a's or all of a's among b's (a continued piece may lack
 * the edges of merged header cells or of another section). */
static bool columns_line_up(const fragment *a, const fragment *b)
{
    if (fabs(a->xs[0] - b->xs[0]) > EDGE_MATCH ||
        fabs(a->xs[a->n_cols] - b->xs[b->n_cols]) > EDGE_MATCH)
        return false;
    bool b_in_a = true, a_in_b = true;
    for (int i = 0; i <= b->n_cols && b_in_a; i++)
        b_in_a = has_edge(a, b->xs[i]);
    for (int i = 0; i <= a->n_cols && a_in_b; i++)
        a_in_b = has_edge(b, a->xs[i]);
    return (b_in_a || a_in_b) && a->n_cols >= 1 && b->n_cols >= 1;
}

/* Same left and right edges (a form continued: its sections differ). */
static bool same_outline(const fragment *a, const fragment *b)
{
    return fabs(a->xs[0] - b->xs[0]) <= EDGE_MATCH &&
           fabs(a->xs[a->n_cols] - b->xs[b->n_cols]) <= EDGE_MATCH;
}

/* The next non-empty cell text of row 0 from column *c on. */
static const char *next_top_text(const fragment *f, int *c)
{
    while (*c < f->n_cols) {
        const frag_cell *cell = frag_at(f, 0, *c);
        *c = cell->c1 + 1;
        if (cell->text != NULL)
            return cell->text;
    }
    return NULL;
}

/* The same texts, in order, in the first row (a header repeated over a
 * page break), at least three of them; the grids may differ in atomic
 * columns. */
static bool same_header(const fragment *a, const fragment *b)
{
    if (a->n_rows < 2 || b->n_rows < 2)
        return false;
    int ca = 0, cb = 0, same = 0;
    for (;;) {
        const char *x = next_top_text(a, &ca), *y = next_top_text(b, &cb);
        if (x == NULL || y == NULL)
            return x == y && same >= 3;
        if (!bp_tables_same_text(x, y))
            return false;
        same++;
    }
}

static bp_status take_fragment(state *st, fragment *f)
{
    draft *d = NULL;
    draft *prev = st->n_drafts ? &st->drafts[st->n_drafts - 1] : NULL;
    bool title_repeated = prev != NULL && prev->n_frags > 0 && st->pending.open &&
                          st->pending.label == NULL && st->pending.title != NULL &&
                          prev->cap.title != NULL && prev->last_page == f->page - 1 &&
                          bp_tables_same_text(st->pending.title, prev->cap.title) &&
                          same_header(&prev->frags[0], f) &&
                          !is_form(st->patterns, prev->cap.title, prev);
    if ((st->continued || title_repeated) && prev != NULL) {
        /* A repeated heading or title (no new label) over a table
         * continued from the page before. */
        caption_free(&st->pending);
        d = prev;
    } else if (st->pending.open) {
        d = draft_from_pending(st, f->page);
    } else {
        caption_free(&st->pending);
        draft *last = st->n_drafts ? &st->drafts[st->n_drafts - 1] : NULL;
        if (last && last->n_frags > 0 && st->narrative_since_table == 0 &&
            last->last_page >= f->page - 1 &&
            (columns_line_up(&last->frags[last->n_frags - 1], f) ||
             same_header(&last->frags[0], f) ||
             (same_outline(&last->frags[last->n_frags - 1], f) &&
              is_form(st->patterns, last->cap.title, last))))
            d = last;
        else
            d = new_draft(st, f->page);
    }
    st->continued = false;
    if (d == NULL || draft_add_fragment(d, f) != 0)
        return oom(st);
    st->narrative_since_table = 0;
    return BP_OK;
}

static int cmp_frag_y(const void *a, const void *b)
{
    const fragment *x = a, *y = b;
    return (x->box.y0 > y->box.y0) - (x->box.y0 < y->box.y0);
}

/* A title that does not end in 表 or a closing bracket may wrap onto the
 * next line. */
static bool title_may_go_on(const char *t)
{
    size_t tl = t ? strlen(t) : 0;
    return !(tl >= 3 && (strcmp(t + tl - 3, "表") == 0 || strcmp(t + tl - 3, "）") == 0 ||
                         t[tl - 1] == ')'));
}

/* "：收支预算总表" (公开01表：收支预算总表) → "收支预算总表". */
static void strip_leading_colon(char *t)
{
    if (t == NULL)
        return;
    size_t skip = 0;
    for (;;) {
        if (strncmp(t + skip, "：", 3) == 0)
            skip += 3;
        else if (t[skip] == ':' || t[skip] == ' ')
            skip++;
        else
            break;
    }
    if (skip > 0)
        memmove(t, t + skip, strlen(t + skip) + 1);
}

/* Whether a toc_entry match is a line of a 目录: the 目录 heading itself,
 * a dotted leader, an entry with its page number, or any entry on a page
 * that has a 目录 heading.  A bare numbered line elsewhere
 * (一、收支预算总表) is a title, not a 目录 entry. */
static bool is_toc_line(state *st, const bp_page *page, const bp_pattern_match *m,
                        const char *text)
{
    if (m->label == NULL || strcmp(m->label, "numbered") != 0)
        return true;
    const bp_pattern_group *g = bp_pattern_match_group(m, "page");
    if (g != NULL && g->end > g->start)
        return true;
    (void)text;
    /* Looked up once per page, not once per numbered line of it. */
    if (st->toc_page != page->number) {
        st->toc_page = page->number;
        st->toc_heading = false;
        for (size_t i = 0; i < page->n_lines && !st->toc_heading; i++) {
            bp_pattern_match h;
            st->toc_heading = bp_patterns_match_label(st->patterns, BP_PSET_TOC_ENTRY, "heading",
                                                      page->lines[i].text, (size_t)-1, 0, &h);
        }
    }
    return st->toc_heading;
}

static bp_status read_line(state *st, const bp_page *page, size_t index)
{
    const bp_line *line = &page->lines[index];
    const char *text = line->text;
    const bp_patterns *pt = st->patterns;
    bp_pattern_match m;
    bp_status rc;
    if (bp_patterns_match(pt, BP_PSET_TOC_ENTRY, text, (size_t)-1, 0, &m) &&
        is_toc_line(st, page, &m, text))
        return BP_OK;
    if (bp_patterns_match(pt, BP_PSET_TABLE_HEADING, text, (size_t)-1, 0, &m)) {
        /* A title printed above its heading (收支预算总表 / 公开表一):
         * the heading completes that caption. */
        char *title_above = NULL;
        if (st->pending.open && st->pending.page == page->number && st->pending.label == NULL &&
            st->pending.title != NULL && st->pending.unit == NULL &&
            st->pending.department == NULL && st->pending.n_lines == 0) {
            title_above = st->pending.title;
            st->pending.title = NULL;
        }
        if ((rc = flush_pending(st, page)) != BP_OK) {
            free(title_above);
            return rc;
        }
        char *label = group_dup(&m, text, "label");
        draft *last = st->n_drafts ? &st->drafts[st->n_drafts - 1] : NULL;
        if (label && last && last->n_frags > 0 && last->cap.label &&
            bp_tables_same_text(label, last->cap.label) && last->last_page == page->number - 1) {
            /* The heading repeated over a continued table. */
            free(label);
            free(title_above);
            st->continued = true;
            st->narrative_since_table = 0;
            return BP_OK;
        }
        free(label);
        st->pending.open = true;
        st->pending.page = page->number;
        st->pending.label = group_dup(&m, text, "label");
        st->pending.title = group_dup(&m, text, "title");
        strip_leading_colon(st->pending.title);
        if (title_above != NULL && st->pending.title == NULL)
            st->pending.title = title_above;
        else
            free(title_above);
        st->pending.title_open = title_may_go_on(st->pending.title);
        return BP_OK;
    }
    if (st->continued) {
        if (bp_patterns_match(pt, BP_PSET_UNIT, text, (size_t)-1, 0, &m) ||
            bp_patterns_match(pt, BP_PSET_DEPARTMENT, text, (size_t)-1, 0, &m) ||
            bp_patterns_match(pt, BP_PSET_TABLE_TITLE, text, (size_t)-1, 0, &m) ||
            strlen(text) <= 90)
            return BP_OK;
        st->continued = false;
    }
    bool is_unit = bp_patterns_match(pt, BP_PSET_UNIT, text, (size_t)-1, 0, &m);
    bp_pattern_match dm;
    bool is_dept = bp_patterns_match(pt, BP_PSET_DEPARTMENT, text, (size_t)-1, 0, &dm);
    if (is_unit || is_dept) {
        if (!st->pending.open || st->pending.page != page->number) {
            if ((rc = flush_pending(st, page)) != BP_OK)
                return rc;
            st->pending.open = true;
            st->pending.page = page->number;
        }
        if (is_unit)
            set_once(&st->pending.unit, group_dup(&m, text, "unit"));
        if (is_dept)
            set_once(&st->pending.department, group_dup(&dm, text, "name"));
        return BP_OK;
    }
    if (bp_patterns_match(pt, BP_PSET_EMPTY_TABLE, text, (size_t)-1, 0, &m)) {
        if (st->pending.open) {
            set_once(&st->pending.empty_note, bp_tables_fold_ws(text));
            return BP_OK;
        }
        draft *last = st->n_drafts ? &st->drafts[st->n_drafts - 1] : NULL;
        if (last && last->last_page == page->number)
            set_once(&last->cap.empty_note, bp_tables_fold_ws(text));
        return BP_OK;
    }
    if (bp_patterns_match(pt, BP_PSET_TABLE_TITLE, text, (size_t)-1, 0, &m)) {
        bool heading_waits = st->pending.open && st->pending.unit == NULL &&
                             st->pending.page == page->number &&
                             (st->pending.title == NULL || st->pending.title_open);
        if (heading_waits && st->pending.title != NULL) {
            /* The title wrapped onto this line: join it. */
            size_t a = strlen(st->pending.title);
            char *piece = bp_tables_fold_ws(text);
            char *joined = piece ? realloc(st->pending.title, a + strlen(piece) + 1) : NULL;
            if (joined == NULL) {
                free(piece);
                return oom(st);
            }
            strcpy(joined + a, piece);
            free(piece);
            st->pending.title = joined;
            st->pending.title_open = title_may_go_on(joined);
            return BP_OK;
        }
        if (!heading_waits) {
            if ((rc = flush_pending(st, page)) != BP_OK)
                return rc;
            st->pending.open = true;
            st->pending.page = page->number;
        }
        set_once(&st->pending.title, bp_tables_fold_ws(text));
        st->pending.title_open = title_may_go_on(st->pending.title);
        return BP_OK;
    }
    /* A title wrapped before its last characters (…支出预 / 算表): the
     * line and the short next one together are a title. */
    if (index + 1 < page->n_lines && strlen(page->lines[index + 1].text) <= 12 &&
        strlen(text) >= 9) {
        size_t a = strlen(text), b = strlen(page->lines[index + 1].text);
        char *joined = malloc(a + b + 1);
        if (joined == NULL)
            return oom(st);
        memcpy(joined, text, a);
        memcpy(joined + a, page->lines[index + 1].text, b + 1);
        if (bp_patterns_match(pt, BP_PSET_TABLE_TITLE, joined, (size_t)-1, 0, &m)) {
            bool heading_waits = st->pending.open && st->pending.unit == NULL &&
                                 st->pending.page == page->number && st->pending.title == NULL;
            if (!heading_waits && (rc = flush_pending(st, page)) != BP_OK) {
                free(joined);
                return rc;
            }
            st->pending.open = true;
            st->pending.page = page->number;
            st->pending.title = bp_tables_fold_ws(joined);
            free(joined);
            if (st->pending.title == NULL)
                return oom(st);
            st->skip_line = index + 1;
            st->skip_page = page->number;
            return BP_OK;
        }
        free(joined);
    }
    /* A heading without a title: the next short line is its title; a
     * title wrapped over two lines goes on until the unit line. */
    if (st->pending.open && st->pending.page == page->number && st->pending.unit == NULL &&
        st->pending.department == NULL && strlen(text) <= 120 &&
        (st->pending.title == NULL || st->pending.title_open)) {
        char *piece = bp_tables_fold_ws(text);
        if (piece == NULL)
            return oom(st);
        if (st->pending.title == NULL) {
            st->pending.title = piece;
        } else {
            size_t a = strlen(st->pending.title), b = strlen(piece);
            char *joined = realloc(st->pending.title, a + b + 1);
            if (joined == NULL) {
                free(piece);
                return oom(st);
            }
            memcpy(joined + a, piece, b + 1);
            st->pending.title = joined;
            free(piece);
        }
        st->pending.title_open = true;
        return BP_OK;
    }
    /* Other text: kept for the alignment reader, counted as narrative. */
    if (st->pending.open && st->pending.page == page->number) {
        caption *c = &st->pending;
        if (c->n_lines == c->cap_lines) {
            size_t cap = c->cap_lines ? c->cap_lines * 2 : 32;
            size_t *g = realloc(c->lines, cap * sizeof *g);
            if (g == NULL)
                return oom(st);
            c->lines = g;
            c->cap_lines = cap;
        }
        c->lines[c->n_lines++] = index;
    }
    if (strlen(text) > 24)
        st->narrative_since_table++;
    return BP_OK;
}

/* ---- running headers and footers ------------------------------------ */

/* The first or last line of its page, in the top or bottom tenth (where
 * running headers, footers and page numbers sit). */
static bool in_margin(const bp_page *page, const bp_line *line)
{
    double h = page->height > 0 ? page->height : 842;
    bool top = line->box.y1 < 0.1 * h, bottom = line->box.y0 > 0.9 * h;
    if (!top && !bottom)
        return false;
    int beyond = 0;
    for (size_t i = 0; i < page->n_lines; i++) {
        const bp_line *o = &page->lines[i];
        if ((top && o->box.y1 < line->box.y0) || (bottom && o->box.y0 > line->box.y1))
            beyond++;
    }
    return beyond == 0;
}

/* The line's place (to 4 pt) and text, spaces dropped and ASCII digits
 * as '#' (page numbers differ from page to page) — except in a line that
 * reads as a table heading or title (表6 and 表7 at the top of their pages
 * are captions, not a running header). */
static char *furniture_key(const state *st, const bp_line *line)
{
    const char *text = line->text;
    bp_pattern_match m;
    bool is_caption = bp_patterns_match(st->patterns, BP_PSET_TABLE_HEADING, text, (size_t)-1, 0, &m) ||
                   bp_patterns_match(st->patterns, BP_PSET_TABLE_TITLE, text, (size_t)-1, 0, &m);
    size_t n = strlen(text);
    char *k = malloc(n + 24);
    if (k == NULL)
        return NULL;
    size_t w = (size_t)snprintf(k, 24, "%d|", (int)(line->box.y0 / 4));
    for (const char *p = text; *p; p++) {
        if (*p == ' ')
            continue;
        k[w++] = (*p >= '0' && *p <= '9' && !is_caption) ? '#' : *p;
    }
    k[w] = '\0';
    return k;
}

static bool is_furniture(const state *st, const bp_page *page, const bp_line *line)
{
    if (st->n_furniture == 0 || !in_margin(page, line))
        return false;
    char *k = furniture_key(st, line);
    bool hit = false;
    for (size_t i = 0; k != NULL && i < st->n_furniture && !hit; i++)
        hit = strcmp(k, st->furniture[i]) == 0;
    free(k);
    return hit;
}

/* Finds the running headers and footers: margin lines whose text (digits
 * aside) recurs at the same place on at least three pages and on a third
 * of them.  They are
 * not captions and not narrative: a table continued on the next page
 * under a running header is still continued. */
static bp_status find_furniture(state *st, const bp_page *const *pages, size_t n_pages)
{
    size_t n = 0, cap = 0;
    char **keys = NULL;
    for (size_t i = 0; i < n_pages; i++) {
        if (pages[i] == NULL)
            continue;
        size_t page_start = n;
        for (size_t l = 0; l < pages[i]->n_lines; l++) {
            const bp_line *line = &pages[i]->lines[l];
            if (!in_margin(pages[i], line) || line->text == NULL || line->text[0] == '\0')
                continue;
            if (n == cap) {
                cap = cap ? cap * 2 : 64;
                char **g = realloc(keys, cap * sizeof *g);
                if (g == NULL)
                    goto fail;
                keys = g;
            }
            if ((keys[n] = furniture_key(st, line)) == NULL)
                goto fail;
            /* once per page */
            bool seen = false;
            for (size_t k = 0; k < n && !seen; k++)
                seen = k >= page_start && strcmp(keys[k], keys[n]) == 0;
            if (seen)
                free(keys[n]);
            else
                n++;
        }
    }
    size_t min_pages = n_pages / 3 > 3 ? n_pages / 3 : 3;
    for (size_t i = 0; i < n; i++) {
        if (keys[i] == NULL)
            continue;
        size_t count = 1;
        for (size_t k = i + 1; k < n; k++)
            if (keys[k] != NULL && strcmp(keys[k], keys[i]) == 0) {
                count++;
                free(keys[k]);
                keys[k] = NULL;
            }
        if (count < min_pages)
            continue;
        char **g = realloc(st->furniture, (st->n_furniture + 1) * sizeof *g);
        if (g == NULL)
            goto fail;
        st->furniture = g;
        st->furniture[st->n_furniture++] = keys[i];
        keys[i] = NULL;
    }
    for (size_t i = 0; i < n; i++)
        free(keys[i]);
    free(keys);
    return BP_OK;
fail:
    for (size_t i = 0; i < n; i++)
        free(keys[i]);
    free(keys);
    return oom(st);
}

static bp_status read_page(state *st, const bp_page *page, const bp_page_rules *rules)
{
    fragment *frags = NULL;
    size_t n = 0, cap = 0;
    bp_status rc = bp_fragments_from_rules(page, rules, &frags, &n, &cap, st->err);
    if (rc == BP_OK && n > 1)
        qsort(frags, n, sizeof *frags, cmp_frag_y);
    /* The grids' boxes, kept: a fragment taken into a draft is moved. */
    bp_box *boxes = n > 0 ? malloc(n * sizeof *boxes) : NULL;
    if (n > 0 && boxes == NULL)
        rc = oom(st);
    for (size_t i = 0; i < n && boxes != NULL; i++)
        boxes[i] = frags[i].box;
    size_t next = 0;
    for (size_t l = 0; l < page->n_lines && rc == BP_OK; l++) {
        const bp_line *line = &page->lines[l];
        while (next < n && frags[next].box.y0 <= line->box.y0 && rc == BP_OK)
            rc = take_fragment(st, &frags[next++]);
        if (rc != BP_OK || line_inside(line, boxes, n) || is_furniture(st, page, line))
            continue;
        if (st->skip_page == page->number && st->skip_line == l)
            continue; /* the end of a wrapped title already read */
        rc = read_line(st, page, l);
    }
    while (next < n && rc == BP_OK)
        rc = take_fragment(st, &frags[next++]);
    if (rc == BP_OK && st->pending.open && st->pending.n_lines >= 2)
        rc = flush_pending(st, page);
    for (size_t i = 0; i < n; i++)
        bp_fragment_free(&frags[i]);
    free(frags);
    free(boxes);
    return rc;
}

bp_status bp_tables_recover(const bp_page *const *pages,
                            const bp_page_rules *const *rules, size_t n_pages,
                            const bp_patterns *patterns, bp_table_set *out,
                            bp_error *err)
{
    if (out == NULL || (pages == NULL && n_pages > 0) || patterns == NULL)
        return bp_error_set(err, BP_ERR_USAGE, 0, "bp_tables_recover: missing argument");
    memset(out, 0, sizeof *out);
    state st;
    memset(&st, 0, sizeof st);
    st.patterns = patterns;
    st.err = err;
    st.figures = bp_figure_memo_new(); /* without it, texts are read each time */
    st.roles = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    bp_status rc = find_furniture(&st, pages, n_pages);
    for (size_t i = 0; i < n_pages && rc == BP_OK; i++) {
        if (pages[i] == NULL)
            continue;
        rc = read_page(&st, pages[i], rules ? rules[i] : NULL);
    }
    for (size_t i = 0; i < st.n_furniture; i++)
        free(st.furniture[i]);
    free(st.furniture);
    if (rc == BP_OK)
        rc = flush_pending(&st, NULL);
    caption_free(&st.pending);
    if (rc == BP_OK && st.n_drafts > 0) {
        out->tables = calloc(st.n_drafts, sizeof *out->tables);
        if (out->tables == NULL)
            rc = oom(&st);
    }
    for (size_t i = 0; i < st.n_drafts && rc == BP_OK; i++) {
        rc = build_table(&st, &st.drafts[i], &out->tables[out->n_tables]);
        out->n_tables++;
    }
    for (size_t i = 0; i < st.n_drafts; i++)
        draft_free(&st.drafts[i]);
    free(st.drafts);
    bp_figure_memo_free(st.figures);
    g_hash_table_destroy(st.roles);
    if (rc != BP_OK)
        bp_table_set_free(out);
    return rc;
}
