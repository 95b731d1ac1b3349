/*
 * tables_int.h — private to tables/: the page fragment, a rectangular grid
 * of cells found on one page (from ruling lines or from text alignment),
 * which recover.c turns into tables.
 *
 * A fragment has n_rows × n_cols atomic cells between the row edges ys[]
 * and column edges xs[]; atomic cells merged by the drawing (a header cell
 * spanning columns, a label spanning rows) share one frag_cell.  Every
 * glyph whose centre lies inside the fragment belongs to exactly one
 * frag_cell, and cell text is assembled from those glyphs, so a word glued
 * across a column rule is split where the rule is.
 */
#ifndef BP_TABLES_INT_H
#define BP_TABLES_INT_H

#include "tables/tables.h"

/* Whether a text is a figure as bp_cell_number reads it, and the parts of
 * the figure recovery uses. */
typedef struct frag_cell {
    int r0, r1, c0, c1;  /* atomic span, inclusive */
    char *text;          /* assembled text, NULL when the cell is empty */
    bp_box box;          /* union of its glyph boxes (valid when text) */
    bp_box first_line;   /* union of the glyph boxes of its first printed
                          * line (valid when text): where a label wrapped
                          * onto two lines is indented, and its font size */
} frag_cell;

typedef struct fragment {
    int page;
    bool ruled;          /* edges from ruling lines (else from alignment) */
    int n_rows, n_cols;
    double *xs;          /* n_cols + 1 ascending column edges */
    double *ys;          /* n_rows + 1 ascending row edges */
    int *owner;          /* n_rows * n_cols: index into cells */
    frag_cell *cells;
    size_t n_cells;
    bp_box box;
} fragment;

static inline frag_cell *frag_at(const fragment *f, int r, int c)
{
    return &f->cells[f->owner[(size_t)r * (size_t)f->n_cols + (size_t)c]];
}

void bp_fragment_free(fragment *f); /* frees contents, not f itself */

/* Finds the ruled grids of a page.  Appends fragments to *out (*n, *cap
 * maintained, realloc'ed).  Returns BP_ERR_NOMEM only. */
bp_status bp_fragments_from_rules(const bp_page *page, const bp_page_rules *rules,
                                  fragment **out, size_t *n, size_t *cap,
                                  bp_error *err);

/* Builds a fragment from text alignment for the lines [first, last] of a
 * page that have no ruling lines: rows are text lines, columns the gaps
 * that run through all lines that carry a figure.  *made is false when the
 * lines do not look like a table.  BP_ERR_NOMEM only. */
bp_status bp_fragment_from_alignment(const bp_page *page, size_t first_line,
                                     size_t last_line, fragment *out, bool *made,
                                     bp_error *err);

/* Assembles the text of the glyphs of the page inside each cell of f
 * (f's edges, owner and cells already set). */
bp_status bp_fragment_fill(const bp_page *page, fragment *f, bp_error *err);

/* True when text is a figure (amount, bare number, percent, count) and not
 * a year or a heading word; fills *number when not NULL. */
bool bp_cell_number(const char *text, bp_number *number);

/* The texts bp_cell_number has read, with what it found: a document
 * prints the same few texts (0.00, -, 合计, codes) in most of its cells.
 * bp_figure_memo_new returns NULL when out of memory; a NULL memo
 * remembers nothing.  _free accepts NULL. */
typedef struct bp_figure_memo bp_figure_memo;
bp_figure_memo *bp_figure_memo_new(void);
void bp_figure_memo_free(bp_figure_memo *memo);

/* bp_cell_number(cell->text, number) for a fragment cell, each text read
 * once: a table asks about the same cell several times (header rows,
 * column kinds, labels, values), and reading a figure is the dearest step
 * of recovery; a text already in memo is not read again.  When true,
 * number holds kind, value and precision only. */
bool bp_frag_cell_number(bp_figure_memo *memo, const frag_cell *cell, bp_number *number);

/* Copy of s with whitespace runs folded to one space, trimmed (malloc'ed;
 * NULL for NULL or out of memory). */
char *bp_tables_fold_ws(const char *s);

/* Whether a and b are equal ignoring ASCII spaces (NULL equals only NULL). */
bool bp_tables_same_text(const char *a, const char *b);

/* Row role of a label from total_row.pcre / of_which.pcre. */
bp_row_role bp_tables_row_role(const bp_patterns *patterns, const char *label);

/* Builds the columns, rows and cells of a form-like table (绩效目标表 …,
 * see form.c) from its fragments in order; t's caption fields are kept.
 * BP_ERR_NOMEM only; on failure t holds what was built so far. */
bp_status bp_form_build(const bp_patterns *patterns, const fragment *frags, size_t n_frags,
                        bp_table *t, bp_error *err);

#endif
