/*
 * reconcile.c — reconciliation driver: loads one document's tables and
 * statements from the database into the rc_* model, runs every rule family
 * and replaces the document's checks in one transaction.
 *
 * Invariants: a check is written with all its operands or not at all; a
 * re-run replaces, never appends; the same identity over the same operands
 * is written once.  Nothing here decides what adds up — that is the rules'
 * business (rules_*.c) and the check builder's (reconcile_check.c).
 */
#include "load/load_int.h"
#include "load/reconcile_int.h"

#include <glib.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* helpers                                                             */
/* ------------------------------------------------------------------ */

/* Column i's text kept in the document's string chunk, NULL when NULL. */
static const char *kept_col(rc_doc *doc, sqlite3_stmt *stmt, int i)
{
    const unsigned char *t = sqlite3_column_text(stmt, i);
    if (t == NULL)
        return NULL;
    return g_string_chunk_insert_len(doc->strings, (const char *)t,
                                     sqlite3_column_bytes(stmt, i));
}

static int int_col(sqlite3_stmt *stmt, int i, int dflt)
{
    return sqlite3_column_type(stmt, i) == SQLITE_NULL ? dflt : sqlite3_column_int(stmt, i);
}

/* Parses a stored exact decimal; false when absent or malformed. */
static bool decimal_col(sqlite3_stmt *stmt, int i, bp_decimal *out)
{
    const unsigned char *t = sqlite3_column_text(stmt, i);
    if (t == NULL || *t == '\0')
        return false;
    return bp_decimal_parse((const char *)t, out, NULL) == BP_OK;
}

static bool path_has_any(const char *s, const char *const *words)
{
    for (; *words; words++)
        if (rc_has(s, *words))
            return true;
    return false;
}

static bool all_digits(const char *s, size_t min, size_t max)
{
    size_t n = 0;
    while (*s == ' ')
        s++;
    for (; *s >= '0' && *s <= '9'; s++)
        n++;
    while (*s == ' ')
        s++;
    return *s == '\0' && n >= min && n <= max;
}

/* ------------------------------------------------------------------ */
/* loading tables                                                      */
/* ------------------------------------------------------------------ */

/* A table's arrays (its texts are in the document's string chunk). */
static void free_table(rc_table *t)
{
    free(t->cols);
    free(t->rows);
    free(t->cells);
    free(t->row_nos);
    free(t->row_table);
}

static void free_doc(rc_doc *doc)
{
    for (size_t i = 0; i < doc->n_tables; i++)
        free_table(&doc->tables[i]);
    free(doc->tables);
    for (size_t i = 0; i < doc->n_statements; i++)
        free(doc->statements[i].components);
    free(doc->statements);
    if (doc->strings)
        g_string_chunk_free(doc->strings);
    free(doc->lines);
    for (size_t i = 0; i < doc->n_checks; i++) {
        rc_check *c = &doc->checks[i];
        free(c->ops);
        free(c->message);
        free(c->message_en);
    }
    free(doc->checks);
}

static int find_row_index(const rc_table *t, int row_no)
{
    size_t lo = 0, hi = t->n_row_nos;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (t->row_nos[mid] < row_no)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < t->n_row_nos && t->row_nos[lo] == row_no ? (int)lo : -1;
}

static int find_col_index(const rc_table *t, int column_no)
{
    for (size_t j = 0; j < t->n_cols; j++)
        if (t->cols[j].column_no == column_no)
            return (int)j;
    return -1;
}

static rc_role role_from_text(const char *key, const char *stored)
{
    if (stored && strcmp(stored, "of_which") == 0)
        return RC_OF_WHICH;
    if (key == NULL)
        return RC_ITEM;
    if (rc_has(key, "小计"))
        return RC_SUBTOTAL;
    if (stored && strcmp(stored, "subtotal") == 0)
        return RC_SUBTOTAL;
    if (stored && strcmp(stored, "total") == 0)
        return RC_TOTAL;
    size_t n = strlen(key);
    /* …合计 / …总计 as the whole label's ending, short labels only */
    if (n >= 6 && n <= 30 &&
        (strcmp(key + n - 6, "合计") == 0 || strcmp(key + n - 6, "总计") == 0))
        return RC_TOTAL;
    return RC_ITEM;
}

static bool starts_with_of_which(const char *label)
{
    if (label == NULL)
        return false;
    while (*label == ' ')
        label++;
    return strncmp(label, "其中", 6) == 0 || strncmp(label, "其 中", 7) == 0;
}

/* The number of adjacent code columns just left of label column lc (a
 * code split over 类 | 款 | 项 columns when two or three). */
static size_t code_run(const rc_table *t, size_t lc)
{
    size_t n = 0;
    for (size_t k = lc; k-- > 0 && n < 4;) {
        if (!t->cols[k].is_code || t->cols[k].part != t->cols[lc].part)
            break;
        n++;
    }
    return n;
}

/* The code of row i read from the 类 | 款 | 项 columns just left of label
 * column lc: 类 three digits, 款 and 项 one or two (padded: 301 | 2 →
 * 30102); false when the columns are not split or the parts do not make a
 * code. */
static bool split_code(const rc_table *t, size_t i, size_t lc, char out[8])
{
    size_t run = code_run(t, lc);
    if (run < 2 || run > 3)
        return false;
    const char *part[3] = {NULL, NULL, NULL};
    for (size_t lv = 0; lv < run; lv++) {
        const rc_cell *cell = rc_cell_at(t, i, lc - run + lv);
        part[lv] = cell->text && cell->text[0] ? cell->text : NULL;
    }
    if (!part[0] || !all_digits(part[0], 3, 3) || (part[2] && !part[1]))
        return false;
    size_t o = 0;
    for (int lv = 0; lv < 3 && part[lv]; lv++) {
        const char *p = part[lv];
        while (*p == ' ')
            p++;
        if (lv > 0 && !all_digits(p, 1, 2))
            return false;
        size_t n = 0;
        while (p[n] >= '0' && p[n] <= '9')
            n++;
        if (lv > 0 && n == 1)
            out[o++] = '0';
        memcpy(out + o, p, n);
        o += n;
    }
    out[o] = '\0';
    return true;
}

/* Text printed in the code columns just left of label column lc that is
 * not a code (合计 spread over 类 | 款 | 项), or NULL. */
static const char *label_in_code_columns(const rc_table *t, size_t i, size_t lc)
{
    for (size_t k = lc; k-- > 0;) {
        const rc_column *c = &t->cols[k];
        if (!c->is_code || c->part != t->cols[lc].part)
            break;
        const rc_cell *cell = rc_cell_at(t, i, k);
        if (cell->text && cell->text[0] && !all_digits(cell->text, 1, 7))
            return cell->text;
    }
    return NULL;
}

/* Room for one more item in *items (cap doubling from first); false when
 * out of memory, *items untouched. */
static bool grow(void *items, size_t *cap, size_t n, size_t first, size_t size)
{
    if (n < *cap)
        return true;
    size_t ncap = *cap ? *cap * 2 : first;
    void *ni = realloc(*(void **)items, ncap * size);
    if (!ni)
        return false;
    *(void **)items = ni;
    *cap = ncap;
    return true;
}

static bp_status read_tables(rc_doc *doc, bp_error *err)
{
    sqlite3_stmt *q = NULL;
    if (bp_db_prepare(doc->db,
                      "SELECT table_no, label, title, unit, empty_note, first_page, last_page,"
                      " department FROM doc_tables WHERE doc_id = ?1 ORDER BY table_no",
                      &q, err) != BP_OK)
        return BP_ERR_DB;
    sqlite3_bind_int64(q, 1, doc->doc_id);
    size_t cap = 0;
    while (sqlite3_step(q) == SQLITE_ROW) {
        if (!grow(&doc->tables, &cap, doc->n_tables, 8, sizeof *doc->tables)) {
            sqlite3_finalize(q);
            return bp_error_set(err, BP_ERR_NOMEM, 0, "out of memory");
        }
        rc_table *t = &doc->tables[doc->n_tables++];
        memset(t, 0, sizeof *t);
        t->table_no = sqlite3_column_int(q, 0);
        t->label = kept_col(doc, q, 1);
        t->title = kept_col(doc, q, 2);
        t->unit = kept_col(doc, q, 3);
        t->empty_note = kept_col(doc, q, 4);
        t->first_page = sqlite3_column_int(q, 5);
        t->last_page = sqlite3_column_int(q, 6);
        t->department = kept_col(doc, q, 7);
        t->unit_scale = t->unit ? bp_number_unit_scale(t->unit, NULL) : 0;
        if (t->label && t->label[0])
            snprintf(t->name, sizeof t->name, "%s", t->label);
        else if (t->title && t->title[0])
            snprintf(t->name, sizeof t->name, "%s", t->title);
        else
            snprintf(t->name, sizeof t->name, "第%d页的表", t->first_page);
    }
    sqlite3_finalize(q);
    return BP_OK;
}

/* The table numbered table_no, searching forward from *next (the queries
 * below come ordered by table_no, like doc->tables); NULL when the
 * document has no such table. */
static rc_table *table_from(rc_doc *doc, size_t *next, int table_no)
{
    while (*next < doc->n_tables && doc->tables[*next].table_no < table_no)
        (*next)++;
    if (*next < doc->n_tables && doc->tables[*next].table_no == table_no)
        return &doc->tables[*next];
    return NULL;
}

/* Every table's columns in one query, in column order. */
static bp_status read_columns(rc_doc *doc, bp_error *err)
{
    sqlite3_stmt *q = NULL;
    if (bp_db_prepare(doc->db,
                      "SELECT table_no, column_no, path, part, is_label FROM table_columns"
                      " WHERE doc_id = ?1 ORDER BY table_no, column_no",
                      &q, err) != BP_OK)
        return BP_ERR_DB;
    sqlite3_bind_int64(q, 1, doc->doc_id);
    size_t next = 0, cap = 0;
    const rc_table *filling = NULL;
    while (sqlite3_step(q) == SQLITE_ROW) {
        rc_table *t = table_from(doc, &next, sqlite3_column_int(q, 0));
        if (!t)
            continue;
        if (t != filling) {
            filling = t;
            cap = 0;
        }
        if (!grow(&t->cols, &cap, t->n_cols, 8, sizeof *t->cols)) {
            sqlite3_finalize(q);
            return bp_error_set(err, BP_ERR_NOMEM, 0, "out of memory");
        }
        rc_column *c = &t->cols[t->n_cols++];
        memset(c, 0, sizeof *c);
        c->column_no = sqlite3_column_int(q, 1);
        c->path = kept_col(doc, q, 2);
        if (!c->path)
            c->path = "";
        c->part = sqlite3_column_int(q, 3);
        c->is_label = sqlite3_column_int(q, 4) != 0;
        c->key = rc_doc_key(doc, c->path);
        c->label_col = -1;
    }
    sqlite3_finalize(q);
    return BP_OK;
}

/* One row of table_rows, read for the whole document. */
typedef struct stored_row {
    int table_no, row_no, part, level, page;
    const char *label, *code, *role;   /* in the document's string chunk */
} stored_row;

/* One row of cells, read before its table's grid exists. */
typedef struct stored_cell {
    int table_no, row_no, column_no;
    rc_cell cell;
} stored_cell;

typedef struct stored_doc {
    stored_row *rows;      /* ordered by table_no, row_no, part */
    size_t n_rows;
    stored_cell *cells;    /* ordered by table_no, row_no, column_no */
    size_t n_cells;
} stored_doc;

static void free_stored(stored_doc *sd)
{
    free(sd->rows);
    free(sd->cells);
}

static bp_status read_stored_rows(rc_doc *doc, stored_doc *sd, bp_error *err)
{
    sqlite3_stmt *q = NULL;
    if (bp_db_prepare(doc->db,
                      "SELECT table_no, row_no, part, label, code, level, role, page"
                      " FROM table_rows WHERE doc_id = ?1 ORDER BY table_no, row_no, part",
                      &q, err) != BP_OK)
        return BP_ERR_DB;
    sqlite3_bind_int64(q, 1, doc->doc_id);
    size_t cap = 0;
    while (sqlite3_step(q) == SQLITE_ROW) {
        if (!grow(&sd->rows, &cap, sd->n_rows, 256, sizeof *sd->rows)) {
            sqlite3_finalize(q);
            return bp_error_set(err, BP_ERR_NOMEM, 0, "out of memory");
        }
        stored_row *s = &sd->rows[sd->n_rows++];
        s->table_no = sqlite3_column_int(q, 0);
        s->row_no = sqlite3_column_int(q, 1);
        s->part = sqlite3_column_int(q, 2);
        s->label = kept_col(doc, q, 3);
        s->code = kept_col(doc, q, 4);
        s->level = int_col(q, 5, -1);
        s->role = kept_col(doc, q, 6);
        s->page = sqlite3_column_int(q, 7);
    }
    sqlite3_finalize(q);
    return BP_OK;
}

static bp_status read_cells(rc_doc *doc, stored_doc *sd, bp_error *err)
{
    sqlite3_stmt *q = NULL;
    if (bp_db_prepare(doc->db,
                      "SELECT table_no, row_no, column_no, page, text, value, precision FROM cells"
                      " WHERE doc_id = ?1 ORDER BY table_no, row_no, column_no",
                      &q, err) != BP_OK)
        return BP_ERR_DB;
    sqlite3_bind_int64(q, 1, doc->doc_id);
    size_t cap = 0;
    while (sqlite3_step(q) == SQLITE_ROW) {
        if (!grow(&sd->cells, &cap, sd->n_cells, 1024, sizeof *sd->cells)) {
            sqlite3_finalize(q);
            return bp_error_set(err, BP_ERR_NOMEM, 0, "out of memory");
        }
        stored_cell *s = &sd->cells[sd->n_cells++];
        memset(s, 0, sizeof *s);
        s->table_no = sqlite3_column_int(q, 0);
        s->row_no = sqlite3_column_int(q, 1);
        s->column_no = sqlite3_column_int(q, 2);
        rc_cell *cell = &s->cell;
        cell->state = RC_BLANK;
        cell->page = sqlite3_column_int(q, 3);
        cell->text = kept_col(doc, q, 4);
        bp_decimal v;
        if (decimal_col(q, 5, &v)) {
            cell->state = RC_VALUE;
            cell->value = v;
            cell->precision = int_col(q, 6, v.scale);
        }   /* else blank or unreadable: settle_unvalued decides */
    }
    sqlite3_finalize(q);
    return BP_OK;
}

static bool printed_without_value(const rc_cell *cell)
{
    return cell->state != RC_VALUE && cell->text && cell->text[0];
}

/* A cell printed without a stored value is blank when its text is a
 * no-value mark (—, -) and unreadable otherwise.  A few hundred texts
 * (codes, 合计, 分散自行组织) fill thousands of such cells: each distinct
 * text is parsed once. */
static void settle_unvalued(stored_doc *sd)
{
    /* text → its state + 1 (a value of 0 means not seen) */
    GHashTable *seen = g_hash_table_new(g_str_hash, g_str_equal);
    for (size_t k = 0; k < sd->n_cells; k++) {
        rc_cell *cell = &sd->cells[k].cell;
        if (!printed_without_value(cell))
            continue;
        int known = GPOINTER_TO_INT(g_hash_table_lookup(seen, cell->text));
        if (known == 0) {
            bp_number num;
            rc_state state = bp_number_parse(cell->text, (size_t)-1, &num, NULL) == BP_OK &&
                                     num.kind == BP_NUMBER_NO_VALUE
                                 ? RC_BLANK
                                 : RC_UNREADABLE;
            known = (int)state + 1;
            g_hash_table_insert(seen, (char *)cell->text, GINT_TO_POINTER(known));
        }
        cell->state = (rc_state)(known - 1);
    }
    g_hash_table_destroy(seen);
}

/* The row numbers of t — each row number of its stored rows and of its
 * cells (both ascending) once, ascending — then its grid, with the stored
 * cells copied in (a cell of a column the table lacks is left out). */
static bool build_grid(rc_table *t, const stored_row *srows, size_t n_srows,
                       stored_cell *cells, size_t n_cells)
{
    t->row_nos = malloc((n_srows + n_cells ? n_srows + n_cells : 1) * sizeof *t->row_nos);
    if (!t->row_nos)
        return false;
    size_t r = 0, c = 0;
    while (r < n_srows || c < n_cells) {
        int row_no = c == n_cells || (r < n_srows && srows[r].row_no <= cells[c].row_no)
                         ? srows[r].row_no
                         : cells[c].row_no;
        t->row_nos[t->n_row_nos++] = row_no;
        while (r < n_srows && srows[r].row_no == row_no)
            r++;
        while (c < n_cells && cells[c].row_no == row_no)
            c++;
    }
    size_t n = t->n_row_nos * t->n_cols;
    t->rows = calloc(n ? n : 1, sizeof *t->rows);
    t->cells = calloc(n ? n : 1, sizeof *t->cells);
    if (!t->rows || !t->cells)
        return false;
    for (size_t i = 0; i < n; i++) {
        t->rows[i].level = -1;
        t->cells[i].state = RC_BLANK;
    }
    for (size_t k = 0; k < n_cells; k++) {
        int ri = find_row_index(t, cells[k].row_no);
        int cj = find_col_index(t, cells[k].column_no);
        if (ri < 0 || cj < 0)
            continue;
        t->cells[(size_t)ri * t->n_cols + (size_t)cj] = cells[k].cell;
    }
    return true;
}

/* What each column of t holds, its unit when only the headers say, the
 * label column each column reads from, and each row as each column sees
 * it (srows: t's stored rows). */
static void shape_table(rc_doc *doc, rc_table *t, const stored_row *srows, size_t n_srows)
{
    /* column kinds */
    static const char *const code_words[] = {"编码", "代码", "编号", "序号", NULL};
    static const char *const text_words[] = {"备注", "年度", "说明", "简介", "内容",
                                             "指标", "目标", "名称", "理由", "是否",
                                             "依据", "用途", NULL};
    static const char *const pct_words[] = {"%", "率", "幅", "百分比", NULL};
    for (size_t j = 0; j < t->n_cols; j++) {
        rc_column *c = &t->cols[j];
        const char *leaf = strrchr(c->path, '/');
        leaf = leaf ? leaf + 1 : c->path;
        while (*leaf == ' ')
            leaf++;
        c->is_code = path_has_any(leaf, code_words) || strcmp(leaf, "类") == 0 ||
                     strcmp(leaf, "款") == 0 || strcmp(leaf, "项") == 0;
        c->is_percent = path_has_any(leaf, pct_words);
        c->is_of_which = starts_with_of_which(leaf);
        size_t values = 0, printed = 0, codes = 0;
        for (size_t i = 0; i < t->n_row_nos; i++) {
            const rc_cell *cell = rc_cell_at(t, i, j);
            if (cell->text && cell->text[0])
                printed++;
            if (cell->state == RC_VALUE)
                values++;
            if (cell->text && all_digits(cell->text, 3, 7))
                codes++;
        }
        if (!c->is_label && printed > 0 && codes * 10 >= printed * 9 &&
            (rc_has(c->path, "科目") || rc_has(c->path, "单位")))
            c->is_code = true;
        c->numeric = !c->is_label && !c->is_code && values > 0 && values * 2 >= printed &&
                     !path_has_any(leaf, text_words);
    }
    /* no unit line: a unit printed in the money columns' headers,
     * 预算数（万元）, when they all agree */
    if (t->unit_scale <= 0) {
        int64_t scale = 0;
        bool agree = true;
        for (size_t j = 0; j < t->n_cols; j++) {
            if (!t->cols[j].numeric)
                continue;
            const char *p = t->cols[j].path;
            int64_t sc = rc_has(p, "亿元") ? 100000000 : rc_has(p, "万元") ? 10000
                         : rc_has(p, "千元") ? 1000 : rc_has(p, "元") ? 1 : 0;
            if (sc == 0 || (scale && sc != scale))
                agree = false;
            scale = sc ? sc : scale;
        }
        if (agree && scale > 0) {
            t->unit_scale = scale;
            t->unit = scale == 100000000 ? "亿元" : scale == 10000 ? "万元"
                      : scale == 1000 ? "千元" : "元";
        }
    }
    /* which label column each column reads its row labels from */
    for (size_t j = 0; j < t->n_cols; j++) {
        int best = -1;
        for (size_t k = 0; k <= j; k++)
            if (t->cols[k].is_label && t->cols[k].part == t->cols[j].part)
                best = (int)k;
        if (best < 0)
            for (size_t k = j + 1; k < t->n_cols; k++)
                if (t->cols[k].is_label && t->cols[k].part == t->cols[j].part) {
                    best = (int)k;
                    break;
                }
        /* over a run of adjacent label/code columns, the first label
         * column is the primary one (部门科目 before 政府科目) */
        while (best > 0) {
            int k = best - 1;
            while (k >= 0 && t->cols[k].is_code && t->cols[k].part == t->cols[j].part)
                k--;
            if (k >= 0 && t->cols[k].is_label && t->cols[k].part == t->cols[j].part &&
                k + 1 < (int)j)
                best = k;
            else
                break;
        }
        t->cols[j].label_col = best;
    }
    /* the first label column of each column's part, which uses the
     * stored row */
    int *first_label = malloc((t->n_cols ? t->n_cols : 1) * sizeof *first_label);
    if (first_label == NULL) {
        doc->nomem = true;
        return;
    }
    for (size_t j = 0; j < t->n_cols; j++) {
        first_label[j] = -1;
        for (size_t k = 0; k < t->n_cols; k++)
            if (t->cols[k].is_label && t->cols[k].part == t->cols[j].part) {
                first_label[j] = (int)k;
                break;
            }
    }
    /* rows per column */
    size_t row_srows = 0;   /* the first stored row of row i (srows ascend too) */
    for (size_t i = 0; i < t->n_row_nos; i++) {
        while (row_srows < n_srows && srows[row_srows].row_no < t->row_nos[i])
            row_srows++;
        /* the columns of a row mostly share one label: its key, numbering,
         * 其中 and role once */
        const char *keyed_label = NULL, *key = NULL;
        int ordinal = 0;
        bool of_which = false;
        const char *roled_key = NULL, *roled_stored = NULL;
        rc_role role = RC_ITEM;
        bool roled = false;
        for (size_t j = 0; j < t->n_cols; j++) {
            rc_row *r = &t->rows[i * t->n_cols + j];
            const rc_column *c = &t->cols[j];
            r->row_no = t->row_nos[i];
            r->part = c->part;
            const stored_row *s = NULL;
            for (size_t k = row_srows; k < n_srows && srows[k].row_no == r->row_no; k++)
                if (srows[k].part == c->part) {
                    s = &srows[k];
                    break;
                }
            const char *label = NULL;
            const char *code = NULL;
            bool stored = s && (c->label_col < 0 || c->label_col == first_label[j]);
            if (c->label_col >= 0) {
                const rc_cell *lc = rc_cell_at(t, i, (size_t)c->label_col);
                if (lc->text && lc->text[0])
                    label = lc->text;
            }
            if (label == NULL && stored && s->label && s->label[0] &&
                (c->label_col < 0 || !t->cells[i * t->n_cols + (size_t)c->label_col].text))
                label = s->label;
            /* 合计 printed across the code columns, the name cell empty */
            if (label == NULL && c->label_col > 0)
                label = label_in_code_columns(t, i, (size_t)c->label_col);
            /* the stored row names the same thing: its code holds */
            if (stored || (s && s->label && label && strcmp(s->label, label) == 0))
                code = s->code;
            /* a code split over 类 | 款 | 项 columns (301 | 2 | —):
             * read from its parts, a one-digit part padded (30102) */
            char split[8];
            if (c->label_col > 0 && split_code(t, i, (size_t)c->label_col, split))
                code = split;
            /* a code column just left of the label column */
            if (c->label_col > 0 && t->cols[c->label_col - 1].is_code &&
                code_run(t, (size_t)c->label_col) < 2) {
                const rc_cell *cc = rc_cell_at(t, i, (size_t)c->label_col - 1);
                if (cc->text && all_digits(cc->text, 3, 7))
                    code = cc->text;
                else if (!stored)
                    code = NULL;
            }
            if (label != keyed_label) {
                keyed_label = label;
                key = rc_doc_key(doc, label);
                ordinal = label ? rc_ordinal_kind(label) : 0;
                of_which = starts_with_of_which(label);
            }
            r->label = label;
            r->key = key;
            if (code && all_digits(code, 3, 7)) {
                const char *p = code;
                while (*p == ' ')
                    p++;
                size_t n = strlen(p);
                while (n > 0 && p[n - 1] == ' ')
                    n--;
                r->code = g_string_chunk_insert_len(doc->strings, p, (gssize)n);
            }
            r->level = stored ? s->level : -1;
            r->page = s ? s->page : 0;
            const rc_cell *any = rc_cell_at(t, i, j);
            if (r->page == 0)
                r->page = any->page ? any->page : t->first_page;
            const char *stored_role = stored ? s->role : NULL;
            if (!roled || key != roled_key || stored_role != roled_stored) {
                roled = true;
                roled_key = key;
                roled_stored = stored_role;
                role = role_from_text(key, stored_role);
            }
            r->role = of_which ? RC_OF_WHICH : role;
            /* a finer label column of the run may say 小计 / 合计 / 其中
             * (一般公共预算资金 | 小计) */
            for (int k = c->label_col + 1; c->label_col >= 0 && k < (int)j; k++) {
                if (!t->cols[k].is_label || t->cols[k].part != c->part)
                    continue;
                const rc_cell *lc = rc_cell_at(t, i, (size_t)k);
                if (!lc->text || !lc->text[0])
                    continue;
                rc_role fr = starts_with_of_which(lc->text)
                                 ? RC_OF_WHICH
                                 : role_from_text(rc_doc_key(doc, lc->text), NULL);
                if (fr != RC_ITEM)
                    r->role = fr;
            }
            r->ordinal = ordinal;
        }
    }
    free(first_label);
}

/* Every table of the document with its columns, rows and cells: four
 * queries for the whole document, whatever the number of tables. */
static bp_status load_tables(rc_doc *doc, bp_error *err)
{
    stored_doc sd = {NULL, 0, NULL, 0};
    bp_status st = read_tables(doc, err);
    if (st == BP_OK)
        st = read_columns(doc, err);
    if (st == BP_OK)
        st = read_stored_rows(doc, &sd, err);
    if (st == BP_OK)
        st = read_cells(doc, &sd, err);
    if (st == BP_OK)
        settle_unvalued(&sd);
    size_t r = 0, c = 0;
    for (size_t ti = 0; st == BP_OK && ti < doc->n_tables; ti++) {
        rc_table *t = &doc->tables[ti];
        while (r < sd.n_rows && sd.rows[r].table_no < t->table_no)
            r++;
        size_t r_end = r;
        while (r_end < sd.n_rows && sd.rows[r_end].table_no == t->table_no)
            r_end++;
        while (c < sd.n_cells && sd.cells[c].table_no < t->table_no)
            c++;
        size_t c_end = c;
        while (c_end < sd.n_cells && sd.cells[c_end].table_no == t->table_no)
            c_end++;
        if (!build_grid(t, sd.rows + r, r_end - r, sd.cells + c, c_end - c))
            st = bp_error_set(err, BP_ERR_NOMEM, 0, "out of memory");
        else
            shape_table(doc, t, sd.rows + r, r_end - r);
        r = r_end;
        c = c_end;
    }
    free_stored(&sd);
    return st;
}

/* Whether b continues a on the next page: no label of its own, the same
 * title (or none), department (or none) and columns. */
static bool continues(const rc_table *a, const rc_table *b)
{
    if (b->label || b->first_page != a->last_page + 1 || a->n_cols != b->n_cols ||
        b->n_row_nos == 0 || a->n_row_nos == 0 || rc_departments_differ(a->department, b->department))
        return false;
    if (b->title && (!a->title || strcmp(a->title, b->title) != 0))
        return false;
    for (size_t j = 0; j < a->n_cols; j++)
        if (a->cols[j].column_no != b->cols[j].column_no ||
            strcmp(a->cols[j].path, b->cols[j].path) != 0)
            return false;
    return true;
}

/* Merges tables continued on the next page into the table they continue,
 * keeping each row's own table and row number for provenance. */
static void merge_continuations(rc_doc *doc)
{
    size_t kept = 0;
    for (size_t ti = 0; ti < doc->n_tables; ti++) {
        rc_table *b = &doc->tables[ti];
        rc_table *a = kept ? &doc->tables[kept - 1] : NULL;
        if (!a || !continues(a, b)) {
            if (kept != ti)
                doc->tables[kept] = *b;
            kept++;
            continue;
        }
        size_t na = a->n_row_nos, nb = b->n_row_nos, nc = a->n_cols;
        int *row_nos = malloc((na + nb) * sizeof *row_nos);
        int *row_table = malloc((na + nb) * sizeof *row_table);
        rc_row *rows = malloc((na + nb) * nc * sizeof *rows);
        rc_cell *cells = malloc((na + nb) * nc * sizeof *cells);
        if (!row_nos || !row_table || !rows || !cells) {
            free(row_nos);
            free(row_table);
            free(rows);
            free(cells);
            doc->nomem = true;
            if (kept != ti)
                doc->tables[kept] = *b;
            kept++;
            continue;
        }
        for (size_t i = 0; i < na; i++) {
            row_nos[i] = a->row_nos[i];
            row_table[i] = a->row_table ? a->row_table[i] : a->table_no;
        }
        for (size_t i = 0; i < nb; i++) {
            row_nos[na + i] = b->row_nos[i];
            row_table[na + i] = b->table_no;
        }
        memcpy(rows, a->rows, na * nc * sizeof *rows);
        memcpy(rows + na * nc, b->rows, nb * nc * sizeof *rows);
        memcpy(cells, a->cells, na * nc * sizeof *cells);
        memcpy(cells + na * nc, b->cells, nb * nc * sizeof *cells);
        free(a->row_nos);
        free(a->row_table);
        free(a->rows);
        free(a->cells);
        a->row_nos = row_nos;
        a->row_table = row_table;
        a->rows = rows;
        a->cells = cells;
        a->n_row_nos = na + nb;
        a->last_page = b->last_page;
        for (size_t j = 0; j < nc; j++)
            a->cols[j].numeric = a->cols[j].numeric || b->cols[j].numeric;
        /* b's rows and cells are a's now; its texts stay in the chunk */
        free_table(b);
    }
    doc->n_tables = kept;
}

/* Under numbered lines without a code that occur several times at the same
 * depth (1、人员经费 … 2、专项业务经费 …), one classification appears under
 * each of them as a part: a label match says nothing about its code. */
static void drop_nested_inferred(rc_table *t, size_t j)
{
    int counts[6] = {0};
    for (size_t i = 0; i < t->n_row_nos; i++) {
        const rc_row *r = &t->rows[i * t->n_cols + j];
        if (!r->code && r->ordinal > 0 && r->ordinal < 6 && r->role == RC_ITEM)
            counts[r->ordinal]++;
    }
    bool open[6] = {false};   /* an uncoded numbered line of that kind is open */
    for (size_t i = 0; i < t->n_row_nos; i++) {
        rc_row *r = &t->rows[i * t->n_cols + j];
        int o = r->ordinal > 0 && r->ordinal < 6 ? r->ordinal : 0;
        if (o > 0)
            for (int k = o; k < 6; k++)
                open[k] = false;   /* a new line at depth o closes o and deeper */
        if (!r->code && o > 0 && r->role == RC_ITEM) {
            open[o] = true;
            continue;
        }
        if (!r->code || !r->code_inferred)
            continue;
        for (int k = 1; k < (o > 0 ? o : 6); k++)
            if (open[k] && counts[k] >= 2) {
                r->code = NULL;
                r->code_inferred = false;
                break;
            }
    }
}

/* Codes for rows printed without one, from rows elsewhere in the document
 * with the same label and a code (only where that label has one code). */
static void infer_codes(rc_doc *doc)
{
    /* key → the code printed with it, or ambiguous once two disagree */
    static const char ambiguous[] = "";
    GHashTable *codes = g_hash_table_new(g_str_hash, g_str_equal);
    for (size_t ti = 0; ti < doc->n_tables; ti++) {
        rc_table *t = &doc->tables[ti];
        for (size_t i = 0; i < t->n_row_nos * t->n_cols; i++) {
            rc_row *r = &t->rows[i];
            if (!r->code || !r->key || !r->key[0])
                continue;
            const char *known = g_hash_table_lookup(codes, r->key);
            if (known == NULL)
                g_hash_table_insert(codes, (char *)r->key, (char *)r->code);
            else if (known != ambiguous && strcmp(known, r->code) != 0)
                g_hash_table_insert(codes, (char *)r->key, (char *)ambiguous);
        }
    }
    for (size_t ti = 0; ti < doc->n_tables; ti++) {
        rc_table *t = &doc->tables[ti];
        for (size_t j = 0; j < t->n_cols; j++) {
            for (size_t i = 0; i < t->n_row_nos; i++) {
                rc_row *r = &t->rows[i * t->n_cols + j];
                if (r->code || !r->key || r->role != RC_ITEM)
                    continue;
                const char *code = g_hash_table_lookup(codes, r->key);
                if (code == NULL || code == ambiguous)
                    continue;
                /* a label printed twice in one column names two things */
                size_t twice = 0;
                for (size_t i2 = 0; i2 < t->n_row_nos; i2++) {
                    const rc_row *o = &t->rows[i2 * t->n_cols + j];
                    twice += o->key && strcmp(o->key, r->key) == 0;
                }
                if (twice > 1)
                    continue;
                r->code = code;
                r->code_inferred = true;
            }
            drop_nested_inferred(t, j);
        }
    }
    g_hash_table_destroy(codes);
}

/* ------------------------------------------------------------------ */
/* loading statements                                                  */
/* ------------------------------------------------------------------ */

/* A statement's change or percentage as the messages show it (1,234.5 /
 * 17.8%), kept in the document's strings. */
static const char *figure_text(rc_doc *doc, bp_decimal d, const char *suffix)
{
    char text[BP_DECIMAL_STRING_MAX + 16];
    rc_format(d, text, sizeof text - 2);
    strcat(text, suffix);
    return g_string_chunk_insert(doc->strings, text);
}

/* The money unit's scale of statements' units (bp_number_unit_scale),
 * remembering the last unit: a document's figures mostly share one. */
typedef struct unit_memo {
    const char *unit;
    int64_t scale;
} unit_memo;

static int64_t unit_scale_of(unit_memo *memo, const char *unit)
{
    if (unit == NULL)
        return 0;
    if (memo->unit == NULL || strcmp(memo->unit, unit) != 0)
        *memo = (unit_memo){unit, bp_number_unit_scale(unit, NULL)};
    return memo->scale;
}

static bp_status load_statements(rc_doc *doc, bp_error *err)
{
    unit_memo units = {NULL, 0};
    sqlite3_stmt *q = NULL;
    if (bp_db_prepare(doc->db,
                      "SELECT statement_no, page, sentence, subject, text, value, unit,"
                      " precision, base_year, change, percent FROM statements"
                      " WHERE doc_id = ?1 ORDER BY statement_no",
                      &q, err) != BP_OK)
        return BP_ERR_DB;
    sqlite3_bind_int64(q, 1, doc->doc_id);
    size_t cap = 0;
    while (sqlite3_step(q) == SQLITE_ROW) {
        if (doc->n_statements == cap) {
            cap = cap ? cap * 2 : 16;
            rc_statement *ns = realloc(doc->statements, cap * sizeof *ns);
            if (!ns) {
                sqlite3_finalize(q);
                return bp_error_set(err, BP_ERR_NOMEM, 0, "out of memory");
            }
            doc->statements = ns;
        }
        rc_statement *s = &doc->statements[doc->n_statements++];
        memset(s, 0, sizeof *s);
        s->statement_no = sqlite3_column_int(q, 0);
        s->page = sqlite3_column_int(q, 1);
        s->sentence = kept_col(doc, q, 2);
        s->subject = kept_col(doc, q, 3);
        s->key = rc_doc_key(doc, s->subject);
        s->text = kept_col(doc, q, 4);
        s->has_value = decimal_col(q, 5, &s->value);
        s->unit = kept_col(doc, q, 6);
        s->unit_scale = unit_scale_of(&units, s->unit);
        s->precision = int_col(q, 7, s->has_value ? s->value.scale : 0);
        s->base_year = int_col(q, 8, 0);
        s->has_change = decimal_col(q, 9, &s->change);
        s->change_precision = s->has_change ? s->change.scale : 0;
        s->has_percent = decimal_col(q, 10, &s->percent);
        s->percent_precision = s->has_percent ? s->percent.scale : 0;
        s->change_text = s->has_change ? figure_text(doc, s->change, "") : NULL;
        s->percent_text = s->has_percent ? figure_text(doc, s->percent, "%") : NULL;
    }
    sqlite3_finalize(q);

    if (bp_db_prepare(doc->db,
                      "SELECT statement_no, component_no, subject, text, value, unit, precision"
                      " FROM statement_components WHERE doc_id = ?1"
                      " ORDER BY statement_no, component_no",
                      &q, err) != BP_OK)
        return BP_ERR_DB;
    sqlite3_bind_int64(q, 1, doc->doc_id);
    while (sqlite3_step(q) == SQLITE_ROW) {
        int no = sqlite3_column_int(q, 0);
        rc_statement *s = NULL;
        for (size_t i = 0; i < doc->n_statements; i++)
            if (doc->statements[i].statement_no == no)
                s = &doc->statements[i];
        if (!s)
            continue;
        rc_component *nc = realloc(s->components, (s->n_components + 1) * sizeof *nc);
        if (!nc) {
            sqlite3_finalize(q);
            return bp_error_set(err, BP_ERR_NOMEM, 0, "out of memory");
        }
        s->components = nc;
        rc_component *c = &s->components[s->n_components++];
        memset(c, 0, sizeof *c);
        c->subject = kept_col(doc, q, 2);
        c->key = rc_doc_key(doc, c->subject);
        c->text = kept_col(doc, q, 3);
        c->has_value = decimal_col(q, 4, &c->value);
        c->unit = kept_col(doc, q, 5);
        c->unit_scale = unit_scale_of(&units, c->unit);
        c->precision = int_col(q, 6, c->has_value ? c->value.scale : 0);
    }
    sqlite3_finalize(q);
    return BP_OK;
}

bp_status rc_doc_lines(rc_doc *doc, const rc_line **lines, size_t *n, bp_error *err)
{
    if (!doc->lines_read) {
        sqlite3_stmt *q = NULL;
        if (bp_db_prepare(doc->db,
                          "SELECT page, text FROM lines WHERE doc_id = ?1 ORDER BY page, line",
                          &q, err) != BP_OK)
            return BP_ERR_DB;
        sqlite3_bind_int64(q, 1, doc->doc_id);
        size_t cap = 0;
        while (sqlite3_step(q) == SQLITE_ROW) {
            if (!grow(&doc->lines, &cap, doc->n_lines, 1024, sizeof *doc->lines)) {
                sqlite3_finalize(q);
                return bp_error_set(err, BP_ERR_NOMEM, 0, "out of memory");
            }
            const char *text = kept_col(doc, q, 1);
            doc->lines[doc->n_lines++] = (rc_line){sqlite3_column_int(q, 0), text ? text : ""};
        }
        sqlite3_finalize(q);
        doc->lines_read = true;
    }
    *lines = doc->lines;
    *n = doc->n_lines;
    return BP_OK;
}

/* ------------------------------------------------------------------ */
/* writing checks                                                      */
/* ------------------------------------------------------------------ */

/* Same rule over the same operands: the same check. */
static bool same_check(const rc_check *a, const rc_check *b)
{
    /* the same operands in the same roles: one finding, whichever rule
     * found it first — but a unit check (rules_units.c) is a second fact
     * about the operands of the identity it comes from */
    bool unit_a = strcmp(a->rule, "unit_slip") == 0 && a->status != RC_MISMATCH;
    bool unit_b = strcmp(b->rule, "unit_slip") == 0 && b->status != RC_MISMATCH;
    if (a->n_ops != b->n_ops || unit_a != unit_b)
        return false;
    for (size_t i = 0; i < a->n_ops; i++) {
        bool found = false;
        for (size_t j = 0; j < b->n_ops && !found; j++) {
            const rc_operand *x = &a->ops[i], *y = &b->ops[j];
            found = x->table_no == y->table_no && x->row_no == y->row_no &&
                    x->column_no == y->column_no && x->statement_no == y->statement_no &&
                    x->sign == y->sign && x->page == y->page &&
                    strcmp(x->text ? x->text : "", y->text ? y->text : "") == 0;
        }
        if (!found)
            return false;
    }
    return true;
}

/* h with one more number mixed in, a word at a time (rc_hash goes byte by
 * byte). */
static uint64_t mix_number(uint64_t h, int64_t v)
{
    h = (h ^ (uint64_t)v) * 0x9E3779B97F4A7C15u;
    return h ^ (h >> 32);
}

/* A hash of what same_check compares, the same whatever the order of the
 * operands: checks with different signatures are never the same. */
static uint64_t check_signature(const rc_check *c)
{
    bool unit = strcmp(c->rule, "unit_slip") == 0 && c->status != RC_MISMATCH;
    uint64_t sum = (uint64_t)c->n_ops * 0x9E3779B97F4A7C15u + unit;
    for (size_t i = 0; i < c->n_ops; i++) {
        const rc_operand *x = &c->ops[i];
        uint64_t h = RC_HASH_START;
        h = mix_number(h, x->table_no);
        h = mix_number(h, x->row_no);
        h = mix_number(h, x->column_no);
        h = mix_number(h, x->statement_no);
        h = mix_number(h, x->sign);
        h = mix_number(h, x->page);
        if (x->text)
            h = rc_hash(h, x->text, strlen(x->text));
        sum += h; /* commutative: operand order does not matter */
    }
    return sum;
}

typedef struct signed_check {
    uint64_t signature;
    size_t index;
} signed_check;

static int by_signature_then_index(const void *pa, const void *pb)
{
    const signed_check *a = pa, *b = pb;
    if (a->signature != b->signature)
        return a->signature < b->signature ? -1 : 1;
    return (a->index > b->index) - (a->index < b->index);
}

/* Marks dup[i] when a finished check before i is the same check (the
 * first of a kind is written; comparing only within one signature keeps
 * this linear in the number of checks).  Returns false when out of memory. */
static bool mark_duplicates(const rc_doc *doc, bool *dup)
{
    signed_check *order = malloc((doc->n_checks ? doc->n_checks : 1) * sizeof *order);
    if (order == NULL)
        return false;
    size_t n = 0;
    for (size_t i = 0; i < doc->n_checks; i++)
        if (doc->checks[i].message)
            order[n++] = (signed_check){check_signature(&doc->checks[i]), i};
    qsort(order, n, sizeof *order, by_signature_then_index);
    for (size_t g = 0; g < n;) {
        size_t end = g;
        while (end < n && order[end].signature == order[g].signature)
            end++;
        for (size_t i = g + 1; i < end; i++)
            for (size_t k = g; k < i && !dup[order[i].index]; k++)
                dup[order[i].index] = same_check(&doc->checks[order[k].index],
                                                 &doc->checks[order[i].index]);
        g = end;
    }
    free(order);
    return true;
}

/* Binds d as an exact decimal string, or NULL.  The string is kept in
 * doc->strings, which outlives the batch: SQLite reads it in place. */
static void bind_decimal(rc_doc *doc, sqlite3_stmt *q, int idx, bool has, bp_decimal d)
{
    char buf[BP_DECIMAL_STRING_MAX];
    const char *text = has ? bp_decimal_format(d, buf, sizeof buf) : NULL;
    bp_db_bind_static_text(q, idx, text ? g_string_chunk_insert(doc->strings, text) : NULL);
}

static void bind_id_or_null(sqlite3_stmt *q, int idx, int id)
{
    if (id > 0)
        sqlite3_bind_int(q, idx, id);
    else
        sqlite3_bind_null(q, idx);
}

/* The texts of a check live until the document is freed, after its
 * checks are written: bound without copies. */
static bp_status insert_check(rc_doc *doc, bp_batch *b, int check_no, const rc_check *c,
                              bp_error *err)
{
    int o;
    sqlite3_stmt *q = bp_batch_row(b, &o);
    sqlite3_bind_int64(q, o + 1, doc->doc_id);
    sqlite3_bind_int(q, o + 2, check_no);
    bp_db_bind_static_text(q, o + 3, c->rule);
    bp_db_bind_static_text(q, o + 4, rc_status_name(c->status));
    bind_decimal(doc, q, o + 5, c->has_numbers, c->expected);
    bind_decimal(doc, q, o + 6, c->has_numbers, c->actual);
    bind_decimal(doc, q, o + 7, c->has_numbers, c->difference);
    bind_decimal(doc, q, o + 8, c->has_numbers, c->tolerance);
    bp_db_bind_static_text(q, o + 9, c->unit[0] ? c->unit : NULL);
    bp_db_bind_static_text(q, o + 10, c->message);
    bp_db_bind_static_text(q, o + 11, c->message_en);
    return bp_batch_bound(doc->db, b, err);
}

static bp_status insert_operand(rc_doc *doc, bp_batch *b, int check_no, int operand_no,
                                const rc_operand *op, bp_error *err)
{
    int o;
    sqlite3_stmt *q = bp_batch_row(b, &o);
    sqlite3_bind_int64(q, o + 1, doc->doc_id);
    sqlite3_bind_int(q, o + 2, check_no);
    sqlite3_bind_int(q, o + 3, operand_no);
    bind_id_or_null(q, o + 4, op->page);
    bind_id_or_null(q, o + 5, op->table_no);
    bind_id_or_null(q, o + 6, op->row_no);
    bind_id_or_null(q, o + 7, op->column_no);
    bind_id_or_null(q, o + 8, op->statement_no);
    bp_db_bind_static_text(q, o + 9, op->text);
    bind_decimal(doc, q, o + 10, op->usable, op->value);
    return bp_batch_bound(doc->db, b, err);
}

/* Replaces the document's stored checks with its finished ones, the first
 * of each set of duplicates only, numbered from 1. */
static bp_status write_checks(rc_doc *doc, bp_error *err)
{
    bp_db *db = doc->db;
    sqlite3_stmt *del1 = NULL, *del2 = NULL;
    bp_batch checks = {0}, ops = {0};
    bool *dup = calloc(doc->n_checks ? doc->n_checks : 1, sizeof *dup);
    if (dup == NULL || !mark_duplicates(doc, dup)) {
        free(dup);
        return bp_error_set(err, BP_ERR_NOMEM, 0, "reconcile: out of memory");
    }
    size_t n_checks = 0, n_ops = 0;
    for (size_t i = 0; i < doc->n_checks; i++) {
        dup[i] = dup[i] || doc->checks[i].message == NULL; /* unfinished: a rule gave up */
        if (!dup[i]) {
            n_checks++;
            n_ops += doc->checks[i].n_ops;
        }
    }
    /* checks.status is CHECKed against its four names (7% of a reconcile);
     * rc_status_name only returns those four, so the inserts are compiled
     * without the check (restored below) */
    bp_status st = bp_db_check_constraints(db, 0, err);
    if (st != BP_OK) {
        free(dup);
        return st;
    }
    if ((st = bp_db_prepare(db, "DELETE FROM check_operands WHERE doc_id = ?1", &del1, err)) ||
        (st = bp_db_prepare(db, "DELETE FROM checks WHERE doc_id = ?1", &del2, err)) ||
        (st = bp_batch_open(db, &checks, "checks",
                            "doc_id, check_no, rule, status, expected, actual, difference,"
                            " tolerance, unit, message, message_en",
                            11, n_checks, "inserting a check", err)) ||
        (st = bp_batch_open(db, &ops, "check_operands",
                            "doc_id, check_no, operand_no, page, table_no, row_no, column_no,"
                            " statement_no, text, value",
                            10, n_ops, "inserting a check operand", err)))
        goto done;
    sqlite3_bind_int64(del1, 1, doc->doc_id);
    sqlite3_bind_int64(del2, 1, doc->doc_id);
    if (sqlite3_step(del1) != SQLITE_DONE || sqlite3_step(del2) != SQLITE_DONE) {
        st = bp_db_fail(db, err, "deleting old checks");
        goto done;
    }
    int check_no = 0;
    for (size_t i = 0; i < doc->n_checks && st == BP_OK; i++) {
        if (dup[i])
            continue;
        const rc_check *c = &doc->checks[i];
        st = insert_check(doc, &checks, ++check_no, c, err);
        for (size_t k = 0; k < c->n_ops && st == BP_OK; k++)
            st = insert_operand(doc, &ops, check_no, (int)k + 1, &c->ops[k], err);
    }
done:
    free(dup);
    sqlite3_finalize(del1);
    sqlite3_finalize(del2);
    bp_batch_close(&checks);
    bp_batch_close(&ops);
    bp_error off_err;
    if (bp_db_check_constraints(db, 1, &off_err) != BP_OK &&
        st == BP_OK) {
        *err = off_err;
        st = BP_ERR_DB;
    }
    return st;
}

/* ------------------------------------------------------------------ */
/* entry points                                                        */
/* ------------------------------------------------------------------ */

static bp_status load_identity(rc_doc *doc, bp_error *err)
{
    sqlite3_stmt *q = NULL;
    if (bp_db_prepare(doc->db, "SELECT fiscal_year FROM documents WHERE id = ?1", &q, err))
        return BP_ERR_DB;
    sqlite3_bind_int64(q, 1, doc->doc_id);
    bp_status st = BP_OK;
    if (sqlite3_step(q) == SQLITE_ROW)
        doc->fiscal_year = int_col(q, 0, 0);
    else
        st = bp_error_set(err, BP_ERR_USAGE, 0, "%s: no document with id %lld",
                          doc->db->path, (long long)doc->doc_id);
    sqlite3_finalize(q);
    return st;
}

/* Runs the rule families that compare figures over each section of doc on
 * its own: a bundle of budgets is not compared across budgets.  doc's
 * tables and statements are narrowed to the section while its rules run;
 * the checks of every section collect in doc. */
static bp_status reconcile_sections(rc_doc *doc, bp_error *err)
{
    rc_section *sections = NULL;
    size_t n_sections = 0;
    bp_status st = rc_find_sections(doc, &sections, &n_sections, err);
    rc_table *tables = doc->tables;
    rc_statement *statements = doc->statements;
    size_t n_tables = doc->n_tables, n_statements = doc->n_statements;
    for (size_t k = 0; st == BP_OK && k < n_sections; k++) {
        doc->tables = tables + sections[k].first_table;
        doc->n_tables = sections[k].n_tables;
        doc->statements = statements + sections[k].first_statement;
        doc->n_statements = sections[k].n_statements;
        rc_rules_rows(doc);
        rc_rules_columns(doc);
        rc_rules_form(doc);
        rc_rules_cross(doc);
        rc_rules_text(doc);
    }
    doc->tables = tables;
    doc->n_tables = n_tables;
    doc->statements = statements;
    doc->n_statements = n_statements;
    free(sections);
    return st;
}

bp_status bp_reconcile_document(bp_db *db, int64_t doc_id, bp_error *err)
{
    rc_doc doc;
    memset(&doc, 0, sizeof doc);
    doc.db = db;
    doc.doc_id = doc_id;
    doc.strings = g_string_chunk_new(64 * 1024);
    bp_status st = load_identity(&doc, err);
    if (st == BP_OK)
        st = load_tables(&doc, err);
    if (st == BP_OK)
        st = load_statements(&doc, err);
    if (st == BP_OK) {
        merge_continuations(&doc);
        infer_codes(&doc);
        st = reconcile_sections(&doc, err);
    }
    if (st == BP_OK) /* what the file's 目录 lists is anywhere in the file */
        st = rc_rules_toc(&doc, err);
    if (st == BP_OK)
        rc_rules_units(&doc);
    if (st == BP_OK && doc.nomem)
        st = bp_error_set(err, BP_ERR_NOMEM, 0, "out of memory while reconciling");
    if (st == BP_OK && (st = bp_db_begin(db, err)) == BP_OK) {
        st = write_checks(&doc, err);
        if (st == BP_OK)
            st = bp_db_set_rules_id(db, doc_id, err);
        if (st == BP_OK)
            st = bp_db_commit(db, err);
        if (st != BP_OK)
            bp_db_rollback(db);
    }
    free_doc(&doc);
    return st;
}
