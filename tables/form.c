/*
 * form.c — form-like tables (绩效目标表, 整体支出绩效目标表, 绩效自评表):
 * grids that are not one header over rows of figures but a stack of
 * fields and sections.
 *
 * A form grid is read band by band from the top.  A band is either
 *  - a line of fields: label and value cells alternating
 *    (部门名称 | 某某局 | 主管部门 | 某某局) — each pair is one row whose
 *    label is the field name and whose only cell is in the column "值";
 *  - a group: a cell in the first column spanning several rows
 *    (资金金额（万元）, 年度主要任务, 年度绩效指标).  When every row of the
 *    group is one sub-label and one value, the rows are fields named
 *    "group / sub-label"; otherwise the group is a section: its first
 *    row (extended down while a header cell spans further) is the
 *    section's own header, whose leaf paths name the columns of the rows
 *    below.  A section row's label is the cell of its label column, the
 *    column with the most distinct text cells (三级指标, 任务名称).
 * A fragment of the same table on a later page whose first group has no
 * text continues the last section: its cells go to the section's columns
 * by position, a repeated section header is skipped, and a merged cell of
 * a column left of the label column (一级指标/二级指标) that is empty at
 * the top of the page carries the text it had at the foot of the page
 * before.
 *
 * As everywhere in tables/: a figure is only taken from the cell it is
 * printed in; merged text cells are repeated on the rows they span.
 * Deliberately not done: forms without ruling lines (read as ordinary
 * alignment tables), fields whose value sits below their label.
 */
#include "tables/tables_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_LEAVES 32

typedef struct leaf {
    int c0, c1;          /* atomic columns of the fragment it was read on */
    double x0, x1;       /* its extent in points */
    size_t column;       /* index into the table's columns */
    char *carry;         /* text of its merged cell at the foot of the page */
} leaf;

typedef struct section {
    leaf leaves[MAX_LEAVES];
    int n_leaves;
    int label_leaf;      /* -1 when none */
    bool stub;           /* the label leaf has no header of its own */
    char *row_label;     /* label of a one-row section (its group's) */
    bool open;
} section;

typedef struct form {
    const bp_patterns *patterns;
    bp_table *t;
    size_t cap_rows, cap_cells, cap_columns;
    int row_no;
    section sec;
    bp_error *err;
} form;

static bp_status nomem(form *fm)
{
    return bp_error_set(fm->err, BP_ERR_NOMEM, 0, "tables: out of memory");
}

static void section_clear(section *s)
{
    for (int i = 0; i < s->n_leaves; i++)
        free(s->leaves[i].carry);
    free(s->row_label);
    memset(s, 0, sizeof *s);
    s->label_leaf = -1;
}

/* Index of the column with this path and occurrence (the k-th leaf of one
 * section with that path), created when new. */
static int column_for(form *fm, const char *path, int occurrence, double x0, double x1,
                      size_t *index)
{
    bp_table *t = fm->t;
    int seen = 0;
    for (size_t i = 0; i < t->n_columns; i++)
        if (strcmp(t->columns[i].path, path) == 0 && seen++ == occurrence) {
            *index = i;
            return 0;
        }
    if (t->n_columns == fm->cap_columns) {
        size_t cap = fm->cap_columns ? fm->cap_columns * 2 : 8;
        bp_table_column *g = realloc(t->columns, cap * sizeof *g);
        if (g == NULL)
            return -1;
        t->columns = g;
        fm->cap_columns = cap;
    }
    bp_table_column *c = &t->columns[t->n_columns];
    memset(c, 0, sizeof *c);
    c->path = bp_tables_fold_ws(path);
    if (c->path == NULL)
        return -1;
    c->x0 = x0;
    c->x1 = x1;
    *index = t->n_columns++;
    return 0;
}

static bp_status add_row(form *fm, const char *label, int page, double y0, double y1)
{
    bp_table *t = fm->t;
    if (t->n_rows == fm->cap_rows) {
        size_t cap = fm->cap_rows ? fm->cap_rows * 2 : 32;
        bp_table_row *g = realloc(t->rows, cap * sizeof *g);
        if (g == NULL)
            return nomem(fm);
        t->rows = g;
        fm->cap_rows = cap;
    }
    bp_table_row *r = &t->rows[t->n_rows];
    memset(r, 0, sizeof *r);
    r->label = bp_tables_fold_ws(label ? label : "");
    if (r->label == NULL)
        return nomem(fm);
    r->row_no = ++fm->row_no;
    r->role = bp_tables_row_role(fm->patterns, r->label);
    r->page = page;
    r->y0 = y0;
    r->y1 = y1;
    t->n_rows++;
    return BP_OK;
}

static bp_status add_cell(form *fm, size_t column, int page, const frag_cell *cell)
{
    bp_table *t = fm->t;
    if (t->n_cells == fm->cap_cells) {
        size_t cap = fm->cap_cells ? fm->cap_cells * 2 : 64;
        bp_table_cell *g = realloc(t->cells, cap * sizeof *g);
        if (g == NULL)
            return nomem(fm);
        t->cells = g;
        fm->cap_cells = cap;
    }
    bp_table_cell *c = &t->cells[t->n_cells];
    memset(c, 0, sizeof *c);
    c->row_no = fm->row_no;
    c->column = column;
    c->page = page;
    c->box = cell->box;
    c->text = bp_tables_fold_ws(cell->text);
    if (c->text == NULL)
        return nomem(fm);
    bp_number num;
    /* Amounts only: 100%, 12 批 and 2022年1-12月 are targets, not money. */
    if (bp_cell_number(cell->text, &num) &&
        (num.kind == BP_NUMBER_AMOUNT || num.kind == BP_NUMBER_BARE)) {
        c->has_value = true;
        c->value = num.value;
        c->precision = num.precision;
    }
    t->n_cells++;
    return BP_OK;
}

/* The distinct cells covering row r from atomic column c_from on, left to
 * right (a cell spanning from above counts on every row it covers). */
static int row_cells(const fragment *f, int r, int c_from, const frag_cell **out, int max)
{
    int n = 0;
    const frag_cell *prev = NULL;
    for (int c = c_from; c < f->n_cols && n < max; c++) {
        const frag_cell *cell = frag_at(f, r, c);
        if (cell == prev || cell->c0 < c_from)
            continue;
        prev = cell;
        out[n++] = cell;
    }
    return n;
}

static bool is_text(const frag_cell *cell)
{
    return cell->text != NULL && !bp_cell_number(cell->text, NULL);
}

/* A header word has letters or CJK in it; 2019-04-01 or 12/31 is a value. */
static bool is_header_word(const frag_cell *cell)
{
    if (!is_text(cell))
        return false;
    for (const unsigned char *p = (const unsigned char *)cell->text; *p; p++)
        if (*p >= 0x80 || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z'))
            return true;
    return false;
}

/* Field rows from label/value pairs on row r (columns from c_from),
 * labelled "prefix / label" when prefix is not NULL. */
static bp_status field_row(form *fm, const fragment *f, int r, int c_from, const char *prefix)
{
    const frag_cell *cells[MAX_LEAVES];
    int n = row_cells(f, r, c_from, cells, MAX_LEAVES);
    if (n == 1 && prefix != NULL) {
        /* The group's own value (年度总体目标 | its text). */
        if (cells[0]->text == NULL || cells[0]->r0 != r)
            return BP_OK;
        size_t col;
        if (column_for(fm, "值", 0, f->xs[cells[0]->c0], f->xs[cells[0]->c1 + 1], &col) != 0)
            return nomem(fm);
        bp_status rc = add_row(fm, prefix, f->page, f->ys[r], f->ys[r + 1]);
        return rc == BP_OK ? add_cell(fm, col, f->page, cells[0]) : rc;
    }
    for (int i = 0; i + 1 < n; i += 2) {
        const frag_cell *label = cells[i], *value = cells[i + 1];
        if (!is_text(label) || label->r0 != r)
            continue;
        /* A label with nothing filled in, followed by a label and its
         * figure or blank (资产采购计划 | 固定资产采购金额 | 0.00): the
         * first field is empty. */
        if (i + 2 < n && is_text(value) && value->r0 == r &&
            (cells[i + 2]->text == NULL || !is_text(cells[i + 2]))) {
            i--;
            continue;
        }
        if (value->text == NULL || (value->r0 != r && !is_text(value)))
            continue;
        size_t col;
        if (column_for(fm, "值", 0, f->xs[value->c0], f->xs[value->c1 + 1], &col) != 0)
            return nomem(fm);
        char *name;
        if (prefix != NULL) {
            size_t a = strlen(prefix), b = strlen(label->text);
            name = malloc(a + b + 4);
            if (name == NULL)
                return nomem(fm);
            memcpy(name, prefix, a);
            memcpy(name + a, " / ", 3);
            memcpy(name + a + 3, label->text, b + 1);
        } else {
            name = bp_tables_fold_ws(label->text);
            if (name == NULL)
                return nomem(fm);
        }
        bp_status rc = add_row(fm, name, f->page, f->ys[r], f->ys[r + 1]);
        free(name);
        if (rc == BP_OK)
            rc = add_cell(fm, col, f->page, value);
        if (rc != BP_OK)
            return rc;
    }
    return BP_OK;
}

/* Appends "prefix / text" (or text) to a fixed buffer. */
static void join_path(char *path, size_t size, const char *prefix, const char *text)
{
    if (prefix != NULL && *prefix != '\0' && *text != '\0')
        snprintf(path, size, "%s / %s", prefix, text);
    else
        snprintf(path, size, "%s", *text ? text : (prefix ? prefix : ""));
    /* Never leave a cut UTF-8 sequence at the end. */
    size_t len = strlen(path);
    if (len + 1 >= size) {
        size_t k = len;
        while (k > 0 && ((unsigned char)path[k - 1] & 0xC0) == 0x80)
            k--;
        if (k > 0 && (unsigned char)path[k - 1] >= 0xC0)
            path[k - 1] = '\0';
    }
}

/* Reads the header of a section on rows [a, a+h) of f (its body down to
 * row b) from column c_from and sets up fm->sec.  group is the text of
 * the section's group cell (NULL at the top level): when the header has a
 * stub (a leaf with no header text, over the row labels) or the section
 * has one body row, the group names the columns ("项目资金（元） /
 * 年初预算数") and, for one row, the row. */
static bp_status section_header(form *fm, const fragment *f, int a, int h, int b, int c_from,
                                const char *group)
{
    section_clear(&fm->sec);
    section *s = &fm->sec;
    const frag_cell *bottom_prev = NULL;
    for (int c = c_from; c < f->n_cols; c++) {
        const frag_cell *bottom = frag_at(f, a + h - 1, c);
        /* A header cell over several body columns (指标内容 over the
         * indicator and its value) names each of them. */
        bool body_starts = false;
        for (int r = a + h; r <= b && !body_starts; r++) {
            const frag_cell *cell = frag_at(f, r, c);
            body_starts = cell->c0 == c && cell->text != NULL;
        }
        if (bottom == bottom_prev && s->n_leaves > 0 && !body_starts) {
            s->leaves[s->n_leaves - 1].c1 = c;
            s->leaves[s->n_leaves - 1].x1 = f->xs[c + 1];
            continue;
        }
        bottom_prev = bottom;
        if (s->n_leaves == MAX_LEAVES)
            break;
        leaf *lf = &s->leaves[s->n_leaves++];
        memset(lf, 0, sizeof *lf);
        lf->c0 = lf->c1 = c;
        lf->x0 = f->xs[c];
        lf->x1 = f->xs[c + 1];
    }
    char paths[MAX_LEAVES][512];
    int stub = -1;
    for (int i = 0; i < s->n_leaves; i++) {
        leaf *lf = &s->leaves[i];
        char *path = paths[i];
        path[0] = '\0';
        const frag_cell *prev = NULL;
        for (int r = a; r < a + h; r++) {
            const frag_cell *cell = frag_at(f, r, lf->c0);
            if (cell == prev || cell->text == NULL)
                continue;
            prev = cell;
            char joined[512];
            join_path(joined, sizeof joined, path, cell->text);
            memcpy(path, joined, sizeof joined);
        }
        if (path[0] == '\0' && stub < 0)
            stub = i;
    }
    bool one_row = a + h == b;
    const char *prefix = group != NULL && (stub >= 0 || one_row) ? group : NULL;
    if (stub >= 0) {
        s->label_leaf = stub;
        s->stub = true;
    } else if (one_row && group != NULL) {
        s->row_label = bp_tables_fold_ws(group);
        if (s->row_label == NULL)
            return nomem(fm);
    }
    for (int i = 0; i < s->n_leaves; i++) {
        leaf *lf = &s->leaves[i];
        if (i == stub) {
            lf->column = (size_t)-1;
            continue;
        }
        char path[1024];
        join_path(path, sizeof path, prefix, paths[i]);
        char *folded = bp_tables_fold_ws(path);
        if (folded == NULL)
            return nomem(fm);
        int occurrence = 0;
        for (int k = 0; k < i; k++)
            occurrence += s->leaves[k].column != (size_t)-1 &&
                          strcmp(fm->t->columns[s->leaves[k].column].path, folded) == 0;
        int rc = column_for(fm, folded, occurrence, lf->x0, lf->x1, &lf->column);
        free(folded);
        if (rc != 0)
            return nomem(fm);
    }
    s->open = true;
    return BP_OK;
}

/* The leaf of the section holding atomic column c of f (by position). */
static int leaf_of(const section *s, const fragment *f, int c)
{
    double cx = (f->xs[c] + f->xs[c + 1]) / 2;
    for (int i = 0; i < s->n_leaves; i++)
        if (cx >= s->leaves[i].x0 - 1 && cx <= s->leaves[i].x1 + 1)
            return i;
    return -1;
}

/* Chooses the label leaf (unless a stub is): the column with the most
 * text cells of one row each in rows [a, b] (merged cells are categories:
 * 产出指标, 数量指标), then the most distinct texts (数量 / 数量 / 质量
 * printed on every row are categories too), then the leftmost. */
static void choose_label_leaf(section *s, const fragment *f, int a, int b)
{
    if (s->stub || s->row_label != NULL)
        return;
    int best = -1, best_single = 0, best_distinct = 0;
    for (int i = 0; i < s->n_leaves; i++) {
        int single = 0, distinct = 0;
        for (int r = a; r <= b; r++) {
            const frag_cell *cell = frag_at(f, r, s->leaves[i].c0);
            if (cell->r0 != r || cell->c0 < s->leaves[i].c0 || !is_text(cell))
                continue;
            single += cell->r1 == r;
            bool repeated = false;
            for (int q = a; q < r && !repeated; q++) {
                const frag_cell *above = frag_at(f, q, s->leaves[i].c0);
                repeated = above != cell && above->text != NULL &&
                           bp_tables_same_text(above->text, cell->text);
            }
            distinct += !repeated;
        }
        if (single > best_single || (single == best_single && distinct > best_distinct)) {
            best_single = single;
            best_distinct = distinct;
            best = i;
        }
    }
    s->label_leaf = best;
}

/* Whether the row holds the section's header again (continuation page). */
static bool repeats_header(const form *fm, const frag_cell *const *by_leaf)
{
    const section *s = &fm->sec;
    int filled = 0;
    for (int k = 0; k < s->n_leaves; k++) {
        if (by_leaf[k] == NULL || by_leaf[k]->text == NULL || s->leaves[k].column == (size_t)-1)
            continue;
        filled++;
        const char *path = fm->t->columns[s->leaves[k].column].path;
        const char *leaf_name = strrchr(path, '/');
        leaf_name = leaf_name ? leaf_name + 1 : path;
        while (*leaf_name == ' ')
            leaf_name++;
        if (!bp_tables_same_text(by_leaf[k]->text, leaf_name) &&
            !bp_tables_same_text(by_leaf[k]->text, path))
            return false;
    }
    return filled >= 2;
}

/* The body rows [a, b] of the open section, read from f.  top_continues:
 * the rows are the top of a continuation page. */
static bp_status section_rows(form *fm, const fragment *f, int a, int b, int c_from,
                              bool top_continues)
{
    section *s = &fm->sec;
    for (int r = a; r <= b; r++) {
        const frag_cell *by_leaf[MAX_LEAVES] = {0};
        const frag_cell *label = NULL;
        bool fresh = false;
        const frag_cell *cells[MAX_LEAVES * 2];
        int n = row_cells(f, r, c_from, cells, MAX_LEAVES * 2);
        for (int i = 0; i < n; i++) {
            int k = leaf_of(s, f, cells[i]->c0);
            if (k < 0 || by_leaf[k] != NULL)
                continue;
            /* A label spanning into the label column (总分, 金额合计) is
             * the row's label; a cell only where it starts in that column. */
            int k_end = leaf_of(s, f, cells[i]->c1);
            if (s->label_leaf >= 0 && k < s->label_leaf && k_end >= s->label_leaf &&
                is_text(cells[i])) {
                label = cells[i];
                continue;
            }
            by_leaf[k] = cells[i];
            if (cells[i]->r0 == r && cells[i]->text != NULL)
                fresh = true;
        }
        if (label != NULL && label->r0 == r)
            fresh = true;
        if (!fresh)
            continue;
        if (top_continues && r == a && repeats_header(fm, by_leaf))
            continue;
        if (label == NULL && s->label_leaf >= 0)
            label = by_leaf[s->label_leaf];
        for (int k = 0; k < s->n_leaves && (label == NULL || label->text == NULL); k++)
            if (by_leaf[k] != NULL && is_text(by_leaf[k]))
                label = by_leaf[k];
        const char *label_text = s->row_label ? s->row_label
                                 : label && label->text ? label->text : "";
        bp_status rc = add_row(fm, label_text, f->page, f->ys[r], f->ys[r + 1]);
        if (rc != BP_OK)
            return rc;
        for (int k = 0; k < s->n_leaves; k++) {
            const frag_cell *cell = by_leaf[k];
            if (s->leaves[k].column == (size_t)-1)
                continue; /* the stub: its text is the row label */
            bool hierarchy = s->label_leaf >= 0 && k < s->label_leaf;
            if (cell != NULL && cell->text == NULL && hierarchy && top_continues &&
                cell->r0 == 0 && s->leaves[k].carry != NULL) {
                /* The merged cell continues from the page before. */
                frag_cell carried = *cell;
                carried.text = s->leaves[k].carry;
                if ((rc = add_cell(fm, s->leaves[k].column, f->page, &carried)) != BP_OK)
                    return rc;
                continue;
            }
            if (cell == NULL || cell->text == NULL)
                continue;
            if (cell->r0 != r && !is_text(cell))
                continue; /* a figure belongs to one row only */
            if ((rc = add_cell(fm, s->leaves[k].column, f->page, cell)) != BP_OK)
                return rc;
            if (hierarchy && cell->r1 == f->n_rows - 1) {
                free(s->leaves[k].carry);
                s->leaves[k].carry = bp_tables_fold_ws(cell->text);
                if (s->leaves[k].carry == NULL)
                    return nomem(fm);
            }
        }
    }
    return BP_OK;
}

/* Header height of a section starting at row a (rows up to b): one row,
 * extended while a header cell reaches further down. */
static int header_height(const fragment *f, int a, int b, int c_from)
{
    int h = 1;
    for (int grown = 1; grown;) {
        grown = 0;
        for (int c = c_from; c < f->n_cols; c++) {
            const frag_cell *cell = frag_at(f, a + h - 1, c);
            if (cell->r1 >= a + h && cell->r1 < b && cell->text != NULL) {
                h = cell->r1 - a + 1;
                grown = 1;
            }
        }
    }
    return h;
}

/* Characters (not bytes) of UTF-8 text. */
static size_t utf8_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

/* Whether every row of [a, b] is one sub-label and one value, or one
 * value alone.  A sub-label is short: a first cell of a sentence
 * (预期目标 | 实际完成情况 over two paragraphs) makes a section. */
static bool group_of_fields(const fragment *f, int a, int b, int c_from)
{
    for (int r = a; r <= b; r++) {
        const frag_cell *cells[4];
        int n = row_cells(f, r, c_from, cells, 4);
        if (n == 1)
            continue;
        if (n != 2 || !(cells[0]->r0 == r && is_text(cells[0])) ||
            utf8_chars(cells[0]->text) > 16)
            return false;
    }
    return true;
}

/* Whether the cells of row r all start where a cell of the header rows
 * [a, a+h) starts, or under a merged header cell (the row lines up
 * under that header). */
static bool row_under_header(const fragment *f, int r, int a, int h, int *n_cells)
{
    const frag_cell *cells[MAX_LEAVES * 2];
    int n = row_cells(f, r, 0, cells, MAX_LEAVES * 2);
    *n_cells = n;
    for (int i = 0; i < n; i++) {
        const frag_cell *top = frag_at(f, a + h - 1, cells[i]->c0);
        if (top->r0 >= a + h || (top->c0 != cells[i]->c0 && top->c1 == top->c0))
            return false;
    }
    return true;
}

/* Whether row r has a cell reaching past the header cell above its start
 * (bottom header row hb) and no figure. */
static bool spreads_without_figures(const fragment *f, int r, int hb)
{
    const frag_cell *cells[MAX_LEAVES * 2];
    int n = row_cells(f, r, 0, cells, MAX_LEAVES * 2);
    bool spreads = false;
    for (int i = 0; i < n; i++) {
        if (cells[i]->text != NULL && !is_text(cells[i]))
            return false;
        if (cells[i]->c1 > frag_at(f, hb, cells[i]->c0)->c1)
            spreads = true;
    }
    return spreads;
}

/* A section at the top level (no group cell): a row of at least three
 * header words (no figure, none empty) whose next rows line up under it.
 * Returns its header height (0 when row a is not one) and sets *b to the
 * last row of its body. */
static int top_section(const fragment *f, int a, int *b)
{
    const frag_cell *cells[MAX_LEAVES * 2];
    int n = row_cells(f, a, 0, cells, MAX_LEAVES * 2);
    if (n < 3)
        return 0;
    for (int i = 0; i < n; i++)
        if (!is_header_word(cells[i]) || cells[i]->r0 != a)
            return 0;
    int h = header_height(f, a, f->n_rows - 1, 1);
    int last = a + h - 1, n_cells;
    const frag_cell *corner = frag_at(f, a, 0);
    if (corner->r1 > a + h - 1)
        return 0; /* a group cell (年度主要任务), not a header's corner */
    const frag_cell *bottom[MAX_LEAVES * 2];
    int n_bottom = row_cells(f, a + h - 1, 0, bottom, MAX_LEAVES * 2);
    for (int r = a + h; r < f->n_rows; r++) {
        if (!row_under_header(f, r, a, h, &n_cells) || n_cells < 2)
            break;
        /* The first two body rows fill every column of the header (a line
         * of fields above a line of one field is no header). */
        if (r < a + h + 2 && n_cells != n_bottom)
            return 0;
        /* A line of text spread over several of the header's columns
         * (年度总体目标 | its paragraph) ends the section; a total spread
         * over label columns (金额合计, 总分) has figures and does not. */
        if (spreads_without_figures(f, r, a + h - 1))
            break;
        /* A group cell below (年度主要任务) must sit under a header cell of
         * its own width, or the row above was a line of fields. */
        const frag_cell *first = frag_at(f, r, 0);
        if (first->r1 > first->r0 && first->c1 != corner->c1)
            return 0;
        last = r;
    }
    /* Two body rows, or one that ends the grid. */
    if (last < a + h + 1 && !(last == a + h && last == f->n_rows - 1))
        return 0;
    *b = last;
    return h;
}

static bp_status read_fragment(form *fm, const fragment *f, bool continuation)
{
    bp_status rc = BP_OK;
    int r = 0;
    while (r < f->n_rows && rc == BP_OK) {
        const frag_cell *first = frag_at(f, r, 0);
        bool group = first->c1 == 0 && first->r1 > r && f->n_cols > 1;
        int b = r, h = top_section(f, r, &b);
        if (h > 0) {
            rc = section_header(fm, f, r, h, b, 0, NULL);
            if (rc == BP_OK) {
                choose_label_leaf(&fm->sec, f, r + h, b);
                rc = section_rows(fm, f, r + h, b, 0, false);
            }
            r = b + 1;
            continue;
        }
        if (!group) {
            if (continuation && r == 0 && fm->sec.open && first->text == NULL)
                rc = section_rows(fm, f, r, r, 0, true);
            else {
                section_clear(&fm->sec);
                rc = field_row(fm, f, r, 0, NULL);
            }
            r++;
            continue;
        }
        b = first->r1;
        if (first->text == NULL && fm->sec.open) {
            rc = section_rows(fm, f, r, b, 1, continuation && r == 0);
        } else if (first->text != NULL && group_of_fields(f, r, b, 1)) {
            section_clear(&fm->sec);
            for (int k = r; k <= b && rc == BP_OK; k++)
                rc = field_row(fm, f, k, 1, first->text);
        } else if (first->text != NULL) {
            h = header_height(f, r, b, 1);
            rc = section_header(fm, f, r, h, b, 1, first->text);
            if (rc == BP_OK && r + h <= b) {
                choose_label_leaf(&fm->sec, f, r + h, b);
                rc = section_rows(fm, f, r + h, b, 1, false);
            }
        }
        r = b + 1;
    }
    return rc;
}

bp_status bp_form_build(const bp_patterns *patterns, const fragment *frags, size_t n_frags,
                        bp_table *t, bp_error *err)
{
    form fm;
    memset(&fm, 0, sizeof fm);
    fm.patterns = patterns;
    fm.t = t;
    fm.err = err;
    fm.sec.label_leaf = -1;
    bp_status rc = BP_OK;
    for (size_t i = 0; i < n_frags && rc == BP_OK; i++)
        rc = read_fragment(&fm, &frags[i], i > 0);
    section_clear(&fm.sec);
    return rc;
}
