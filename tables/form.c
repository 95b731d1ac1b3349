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

/* Field rows from label/value pairs on row r (columns from c_from),
 * labelled "prefix / label" when prefix is not NULL. */
static bp_status field_row(form *fm, const fragment *f, int r, int c_from, const char *prefix)
{
    const frag_cell *cells[MAX_LEAVES];
    int n = row_cells(f, r, c_from, cells, MAX_LEAVES);
    for (int i = 0; i + 1 < n; i += 2) {
        const frag_cell *label = cells[i], *value = cells[i + 1];
        if (!is_text(label) || label->r0 != r)
            continue;
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

/* Reads the header of a section on rows [a, a+h) of f (its body down to
 * row b) from column c_from and sets up fm->sec. */
static bp_status section_header(form *fm, const fragment *f, int a, int h, int b, int c_from)
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
    for (int i = 0; i < s->n_leaves; i++) {
        leaf *lf = &s->leaves[i];
        char path[1024];
        size_t len = 0;
        path[0] = '\0';
        const frag_cell *prev = NULL;
        for (int r = a; r < a + h; r++) {
            const frag_cell *cell = frag_at(f, r, lf->c0);
            if (cell == prev || cell->text == NULL)
                continue;
            prev = cell;
            size_t tl = strlen(cell->text);
            if (len + tl + 4 >= sizeof path)
                break;
            if (len > 0) {
                memcpy(path + len, " / ", 3);
                len += 3;
            }
            memcpy(path + len, cell->text, tl + 1);
            len += tl;
        }
        int occurrence = 0;
        for (int k = 0; k < i; k++)
            occurrence += strcmp(fm->t->columns[s->leaves[k].column].path, path) == 0;
        char *folded = bp_tables_fold_ws(path);
        if (folded == NULL)
            return nomem(fm);
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

/* Chooses the label leaf: most distinct text cells in rows [a, b]. */
static void choose_label_leaf(section *s, const fragment *f, int a, int b)
{
    int best = -1, best_n = 0;
    for (int i = 0; i < s->n_leaves; i++) {
        int n = 0;
        for (int r = a; r <= b; r++) {
            const frag_cell *cell = frag_at(f, r, s->leaves[i].c0);
            if (cell->r0 == r && cell->c0 >= s->leaves[i].c0 && is_text(cell))
                n++;
        }
        if (n > best_n) {
            best_n = n;
            best = i;
        }
    }
    s->label_leaf = best;
}

/* The body rows [a, b] of the open section, read from f.  top_continues:
 * the rows are the top of a continuation page. */
static bp_status section_rows(form *fm, const fragment *f, int a, int b, int c_from,
                              bool top_continues)
{
    section *s = &fm->sec;
    for (int r = a; r <= b; r++) {
        const frag_cell *by_leaf[MAX_LEAVES] = {0};
        bool fresh = false;
        const frag_cell *cells[MAX_LEAVES * 2];
        int n = row_cells(f, r, c_from, cells, MAX_LEAVES * 2);
        for (int i = 0; i < n; i++) {
            int k = leaf_of(s, f, cells[i]->c0);
            if (k < 0 || by_leaf[k] != NULL)
                continue;
            by_leaf[k] = cells[i];
            if (cells[i]->r0 == r && cells[i]->text != NULL)
                fresh = true;
        }
        if (!fresh)
            continue;
        /* A repeated section header on a continuation page. */
        if (top_continues && r == a) {
            bool repeated = true;
            int filled = 0;
            for (int k = 0; k < s->n_leaves && repeated; k++) {
                if (by_leaf[k] == NULL || by_leaf[k]->text == NULL)
                    continue;
                filled++;
                const char *path = fm->t->columns[s->leaves[k].column].path;
                const char *leaf_name = strrchr(path, '/');
                leaf_name = leaf_name ? leaf_name + 1 : path;
                while (*leaf_name == ' ')
                    leaf_name++;
                repeated = bp_tables_same_text(by_leaf[k]->text, leaf_name) ||
                           bp_tables_same_text(by_leaf[k]->text, path);
            }
            if (repeated && filled >= 2)
                continue;
        }
        const frag_cell *label = s->label_leaf >= 0 ? by_leaf[s->label_leaf] : NULL;
        const char *label_text = label && label->text ? label->text : "";
        bp_status rc = add_row(fm, label_text, f->page, f->ys[r], f->ys[r + 1]);
        if (rc != BP_OK)
            return rc;
        for (int k = 0; k < s->n_leaves; k++) {
            const frag_cell *cell = by_leaf[k];
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

/* Whether every row of [a, b] is one sub-label and one value. */
static bool group_of_fields(const fragment *f, int a, int b, int c_from)
{
    for (int r = a; r <= b; r++) {
        const frag_cell *cells[4];
        int n = row_cells(f, r, c_from, cells, 4);
        if (n != 2 || !(cells[0]->r0 == r && is_text(cells[0])))
            return false;
    }
    return true;
}

static bp_status read_fragment(form *fm, const fragment *f, bool continuation)
{
    bp_status rc = BP_OK;
    int r = 0;
    while (r < f->n_rows && rc == BP_OK) {
        const frag_cell *first = frag_at(f, r, 0);
        bool group = first->c1 == 0 && first->r1 > r && f->n_cols > 1;
        if (first->r0 < r) {
            /* inside a group handled below */
            r = first->r1 + 1;
            continue;
        }
        if (!group) {
            if (continuation && r == 0 && fm->sec.open && first->text == NULL)
                rc = section_rows(fm, f, r, r, 0, true);
            else if (first->c1 == 0 && first->text == NULL && fm->sec.open)
                rc = section_rows(fm, f, r, r, 1, continuation && r == 0);
            else {
                section_clear(&fm->sec);
                rc = field_row(fm, f, r, 0, NULL);
            }
            r++;
            continue;
        }
        int a = r, b = first->r1;
        if (first->text == NULL && fm->sec.open) {
            rc = section_rows(fm, f, a, b, 1, continuation && a == 0);
        } else if (first->text != NULL && group_of_fields(f, a, b, 1)) {
            section_clear(&fm->sec);
            for (int k = a; k <= b && rc == BP_OK; k++)
                rc = field_row(fm, f, k, 1, first->text);
        } else if (first->text != NULL) {
            int h = header_height(f, a, b, 1);
            rc = section_header(fm, f, a, h, b, 1);
            if (rc == BP_OK && a + h <= b) {
                choose_label_leaf(&fm->sec, f, a + h, b);
                rc = section_rows(fm, f, a + h, b, 1, false);
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
