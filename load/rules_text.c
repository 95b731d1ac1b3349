/*
 * rules_text.c — rule families 6 and 7 over the narrative statements:
 *
 *   - text_table: a stated figure equals the table figure it restates (the
 *     row or column of the same name; 部门预算收入/支出 = 收入总计/支出总计).
 *     Agreeing with any one candidate is enough; a finding needs every
 *     candidate to agree with each other and none with the text.
 *   - text_sum: a stated total equals the components listed with it
 *     (主要包括… lists may be partial: only a sum above the total counts);
 *   - yoy: "比2021年增加 11,530 万元，增长 5%" — the percentage equals
 *     change ÷ (amount − change), given the rounding of all three figures;
 *     增加 with a negative percentage (or the reverse) is a finding;
 *   - text_consistency: two sentences about the same amount give the same
 *     change against the same year.
 */
#include "load/reconcile_int.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), m = strlen(tail);
    return n >= m && strcmp(s + n - m, tail) == 0;
}

/* 收入总计 / 支出总计 for the subjects that mean the whole budget. */
static const char *whole_budget(const char *key)
{
    if (rc_has(key, "一般公共") || rc_has(key, "政府性基金") || rc_has(key, "国有资本") ||
        rc_has(key, "财政拨款") || rc_has(key, "项目") || rc_has(key, "基本"))
        return NULL;
    static const char *const in[] = {"部门预算收入", "预算收入", "收入预算", "收入总预算", NULL};
    static const char *const out[] = {"部门预算支出", "预算支出", "支出预算", "支出总预算", NULL};
    for (int i = 0; in[i]; i++)
        if (ends_with(key, in[i]))
            return "收入总计";
    for (int i = 0; out[i]; i++)
        if (ends_with(key, out[i]))
            return "支出总计";
    return NULL;
}

static bool cell_matches(const rc_cell *c, int64_t table_scale, const rc_statement *st,
                         int64_t st_scale)
{
    return c->state == RC_VALUE &&
           rc_agree_in_units(c->value, c->precision, table_scale, st->value, st->precision,
                             st_scale);
}

/* The row of a table that holds a column's whole-table figure. */
static int total_row_for(const rc_table *t, size_t col)
{
    int values = 0, first = -1;
    for (size_t i = 0; i < t->n_row_nos; i++) {
        const rc_row *r = rc_row_at(t, i, col);
        if (r->role == RC_TOTAL && rc_cell_at(t, i, col)->state == RC_VALUE)
            return (int)i;
        if (rc_cell_at(t, i, col)->state == RC_VALUE) {
            values++;
            if (first < 0)
                first = (int)i;
        }
    }
    return values == 1 ? first : -1;
}

/* Whether a cell counts every fund of the department: neither its table
 * title nor its column names one fund (财政拨款, 一般公共预算, 政府性基金,
 * 国有资本经营). */
static bool all_funds_cell(const rc_table *t, size_t col)
{
    if (rc_has(t->title, "财政拨款") || rc_has(t->cols[col].path, "财政拨款"))
        return false;
    return (rc_cell_quantity(t->title, t->cols[col].path) & RC_Q_SCOPE) == 0;
}

/* Judges a stated figure against the table cells that may restate it and
 * writes the text_table check.  Agreeing with any candidate is ok; a
 * finding needs candidates of the same quantity (when strict) that all say
 * one thing — two of them, unless whole says the text names the whole
 * budget.  name is what the text names, for the message. */
static void judge_candidates(rc_doc *doc, const rc_statement *st, int64_t scale, const char *name,
                             rc_cell_ref *cands, size_t n, bool strict, bool whole,
                             bool need_all_funds)
{
    if (n == 0)
        return;
    size_t agree = SIZE_MAX;
    for (size_t k = 0; k < n && agree == SIZE_MAX; k++)
        if (cell_matches(rc_cell_at(cands[k].t, cands[k].row, cands[k].col),
                         cands[k].t->unit_scale, st, scale))
            agree = k;
    size_t use = agree;
    if (agree == SIZE_MAX && strict) {
        /* evidence against the text only from cells of the same quantity:
         * 政府性基金预算支出表's 项目支出 is not the department's 项目支出 */
        unsigned want = rc_quantity(st->key);
        size_t kept = 0;
        for (size_t k = 0; k < n; k++) {
            const rc_table *ct = cands[k].t;
            unsigned have = rc_cell_quantity(ct->title, ct->cols[cands[k].col].path);
            if (rc_same_quantity(want, have, true))
                cands[kept++] = cands[k];
        }
        n = kept;
        if (n == 0)
            return;
    }
    if (agree == SIZE_MAX && n < 2 && !whole)
        return;   /* one table row of that name may count other funds */
    if (agree == SIZE_MAX) {
        /* a finding only when the tables say one thing */
        for (size_t k = 1; k < n; k++) {
            const rc_cell *a = rc_cell_at(cands[0].t, cands[0].row, cands[0].col);
            const rc_cell *b = rc_cell_at(cands[k].t, cands[k].row, cands[k].col);
            if (cands[0].t->unit_scale != cands[k].t->unit_scale ||
                bp_decimal_cmp(a->value, b->value) != 0)
                return;
        }
        /* the text may count every fund: tables of one fund (财政拨款,
         * 一般公共预算 …) accuse it only when a table of all funds agrees */
        bool all_funds = !need_all_funds;
        for (size_t k = 0; k < n && !all_funds; k++)
            all_funds = all_funds_cell(cands[k].t, cands[k].col);
        if (!all_funds)
            return;
        use = 0;
    }
    const rc_table *t = cands[use].t;
    rc_check *c = rc_check_new(doc, "text_table", st->unit);
    rc_add_statement(c, st, 0, 0, scale);
    rc_add_cell(c, t, cands[use].row, cands[use].col, +1, scale);
    const rc_row *r = rc_row_at(t, cands[use].row, cands[use].col);
    char label[256];
    rc_join(label, sizeof label, r->code && !r->code_inferred ? r->code : "",
            r->code && !r->code_inferred ? " " : "",
            r->label ? r->label : t->cols[cands[use].col].path, NULL);
    char zh[1024], en[1024];
    snprintf(zh, sizeof zh, "p%d 文字「%s」等于%s「%s」", st->page, name, t->name, label);
    snprintf(en, sizeof en, "p%d text '%s' equals %s '%s'", st->page, name, t->name, label);
    rc_check_finish(c, zh, en);
}

/* Whether column j is the first money column of its label group. */
static bool first_money_column(const rc_table *t, size_t j)
{
    for (size_t k = 0; k < j; k++)
        if (t->cols[k].numeric && t->cols[k].label_col == t->cols[j].label_col)
            return false;
    return true;
}

/* ------------------------------------------------------------------ */
/* the tables' names, indexed                                          */
/* ------------------------------------------------------------------ */

/* Every statement looks for the columns and rows named like its subject or
 * its classification path.  Comparing it with every row of every table was
 * most of the work of these rules on a long document, so rc_rules_text
 * indexes the names once: the money columns a figure may be restated in
 * ("slots": numeric, not percent, in tables of a known unit; in table and
 * column order) and, sorted by hash, the names that pick a cell of a slot.
 * A lookup yields the refs of one name in slot and row order, which is the
 * order the tables used to be scanned in. */

typedef struct name_slot {
    const rc_table *t;
    size_t col;
} name_slot;

typedef struct name_ref {
    uint64_t hash;
    const char *key;     /* the name: len bytes, borrowed from the table */
    size_t len;
    uint32_t slot, row;
    bool column;         /* the slot's column is named key (row unused) */
} name_ref;

typedef struct name_refs {
    name_ref *refs;
    size_t n, cap;
} name_refs;

struct rc_name_index {
    name_slot *slots;
    size_t n_slots;
    /* keys of the columns without a header level above them, and of the
     * rows with a figure in the first money column of their label group */
    name_refs names;
    /* the same item rows by class name (class_name_len) */
    name_refs classes;
};

/* The length of a classification name's key without a 支出 ending:
 * 公共安全 and 公共安全支出 name one line. */
static size_t class_name_len(const char *key)
{
    size_t n = strlen(key);
    return n > 6 && strcmp(key + n - 6, "支出") == 0 ? n - 6 : n;
}

static bool push_ref(name_refs *r, const char *key, size_t len, size_t slot, size_t row,
                     bool column)
{
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 256;
        name_ref *nr = realloc(r->refs, cap * sizeof *nr);
        if (!nr)
            return false;
        r->refs = nr;
        r->cap = cap;
    }
    r->refs[r->n++] = (name_ref){rc_hash(RC_HASH_START, key, len), key, len, (uint32_t)slot,
                                 (uint32_t)row, column};
    return true;
}

static int ref_order(const void *pa, const void *pb)
{
    const name_ref *a = pa, *b = pb;
    if (a->hash != b->hash)
        return a->hash < b->hash ? -1 : 1;
    if (a->slot != b->slot)
        return a->slot < b->slot ? -1 : 1;
    if (a->column != b->column)
        return a->column ? -1 : 1;
    return a->row < b->row ? -1 : a->row > b->row;
}

static void name_index_free(struct rc_name_index *ix)
{
    if (ix == NULL)
        return;
    free(ix->slots);
    free(ix->names.refs);
    free(ix->classes.refs);
    free(ix);
}

/* Indexes the slots and names of doc's tables; NULL out of memory. */
static struct rc_name_index *name_index_new(const rc_doc *doc)
{
    struct rc_name_index *ix = calloc(1, sizeof *ix);
    size_t cap = 0;
    for (size_t ti = 0; ti < doc->n_tables; ti++)
        cap += doc->tables[ti].n_cols;
    if (!ix || !(ix->slots = malloc((cap ? cap : 1) * sizeof *ix->slots))) {
        name_index_free(ix);
        return NULL;
    }
    bool ok = true;
    for (size_t ti = 0; ti < doc->n_tables && ok; ti++) {
        const rc_table *t = &doc->tables[ti];
        if (t->unit_scale <= 0)
            continue;
        for (size_t j = 0; j < t->n_cols && ok; j++) {
            const rc_column *c = &t->cols[j];
            if (!c->numeric || c->is_percent)
                continue;
            size_t slot = ix->n_slots++;
            ix->slots[slot] = (name_slot){t, j};
            if (c->key && strchr(c->key, '/') == NULL)
                ok = push_ref(&ix->names, c->key, strlen(c->key), slot, 0, true);
            if (!first_money_column(t, j))
                continue;
            for (size_t i = 0; i < t->n_row_nos && ok; i++) {
                const rc_row *r = rc_row_at(t, i, j);
                if (!r->key || rc_cell_at(t, i, j)->state != RC_VALUE)
                    continue;
                ok = push_ref(&ix->names, r->key, strlen(r->key), slot, i, false);
                if (ok && r->role == RC_ITEM)
                    ok = push_ref(&ix->classes, r->key, class_name_len(r->key), slot, i, false);
            }
        }
    }
    if (!ok) {
        name_index_free(ix);
        return NULL;
    }
    if (ix->names.n)
        qsort(ix->names.refs, ix->names.n, sizeof *ix->names.refs, ref_order);
    if (ix->classes.n)
        qsort(ix->classes.refs, ix->classes.n, sizeof *ix->classes.refs, ref_order);
    return ix;
}

/* The refs of one name, in slot and row order: next_ref() returns, one
 * after the other, those whose name is the len bytes at key (refs of rows
 * only when rows), then NULL. */
typedef struct name_cursor {
    const name_ref *at, *end;
    const char *key;
    size_t len;
    bool rows;
} name_cursor;

static const name_ref *next_ref(name_cursor *cur)
{
    while (cur->at < cur->end) {
        const name_ref *r = cur->at++;
        if (r->len == cur->len && memcmp(r->key, cur->key, cur->len) == 0 &&
            (cur->rows || r->column))
            return r;
    }
    return NULL;
}

static name_cursor find_name(const name_refs *r, const char *key, size_t len, bool rows)
{
    name_cursor cur = {NULL, NULL, key, len, rows};
    if (key == NULL || r->n == 0)
        return cur;
    uint64_t h = rc_hash(RC_HASH_START, key, len);
    size_t lo = 0, hi = r->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (r->refs[mid].hash < h)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (hi = lo; hi < r->n && r->refs[hi].hash == h; hi++)
        ;
    cur.at = r->refs + lo;
    cur.end = r->refs + hi;
    return cur;
}

/* The cells named like a stated figure's subject: a column named like it
 * at its total row, or a row named like it in the first money column of
 * its label group (部门预算收入/支出: 收入总计/支出总计).  Returns how many
 * were written to cands (at most max), in table and column order. */
static size_t named_cells(const rc_doc *doc, const rc_statement *st, rc_cell_ref *cands,
                          size_t max)
{
    const struct rc_name_index *ix = doc->names;
    assert(ix != NULL);
    char item[256];
    rc_item_key(st->key, item, sizeof item);
    const char *whole = whole_budget(st->key);
    size_t item_len = strlen(item);
    /* rows are named by the item only when it is two characters or more */
    name_cursor by_item = find_name(&ix->names, item, item_len, item_len >= 6);
    name_cursor by_whole = find_name(&ix->names, whole, whole ? strlen(whole) : 0, true);
    const name_ref *a = next_ref(&by_item), *b = next_ref(&by_whole);
    size_t n = 0;
    while ((a || b) && n < max) {
        uint32_t slot = !b || (a && a->slot < b->slot) ? a->slot : b->slot;
        bool column = false;
        uint32_t row = UINT32_MAX;
        for (; a && a->slot == slot; a = next_ref(&by_item)) {
            column = column || a->column;
            if (!a->column && a->row < row)
                row = a->row;
        }
        for (; b && b->slot == slot; b = next_ref(&by_whole)) {
            column = column || b->column;
            if (!b->column && b->row < row)
                row = b->row;
        }
        const name_slot *s = &ix->slots[slot];
        if (column) {
            /* the column named like the subject, at its total row */
            int r = total_row_for(s->t, s->col);
            if (r >= 0)
                cands[n++] = (rc_cell_ref){s->t, (size_t)r, s->col};
        } else {
            cands[n++] = (rc_cell_ref){s->t, row, s->col};
        }
    }
    return n;
}

static bool money_statement(const rc_statement *st, int64_t *scale)
{
    *scale = st->has_value ? st->unit_scale : 0;
    return *scale > 0;
}

static void text_table(rc_doc *doc)
{
    rc_cell_ref cands[32];
    for (size_t si = 0; si < doc->n_statements; si++) {
        const rc_statement *st = &doc->statements[si];
        int64_t scale;
        if (!st->key || !st->key[0] || !money_statement(st, &scale))
            continue;
        size_t n = named_cells(doc, st, cands, 32);
        judge_candidates(doc, st, scale, st->subject, cands, n, true,
                         whole_budget(st->key) != NULL, false);
    }
}

/* ------------------------------------------------------------------ */
/* classification paths in the text                                    */
/* ------------------------------------------------------------------ */

/* "公共安全支出（204类）司法（06款）行政运行（01项）1672.67万元",
 * "“一般公共服务支出（类）统计信息事务（款）专项普查活动（项）”25.77万元",
 * "政协事务（款）行政运行（项）支出 3,233.03 万元": a figure printed right
 * after a classification path names that line of the 功能/经济分类 tables.
 * level[] is 0 类, 1 款, 2 项 (consecutive); digits[] may be empty. */
typedef struct class_path {
    int n;
    int level[3];
    char name[3][128];
    char key[3][256]; /* rc_key of each name, as the rows' keys are made */
    char digits[3][8];
} class_path;

static size_t open_paren_at(const char *s)
{
    return *s == '(' ? 1 : strncmp(s, "（", 3) == 0 ? 3 : 0;
}

static size_t close_paren_at(const char *s)
{
    return *s == ')' ? 1 : strncmp(s, "）", 3) == 0 ? 3 : 0;
}

/* Copies name, without spaces and quotes, into out. */
static void clean_name(const char *s, size_t len, char *out, size_t size)
{
    size_t o = 0;
    for (size_t i = 0; i < len && o + 1 < size;) {
        if (s[i] == ' ' || s[i] == '"') {
            i++;
            continue;
        }
        if (strncmp(s + i, "“", 3) == 0 || strncmp(s + i, "”", 3) == 0 ||
            strncmp(s + i, "「", 3) == 0 || strncmp(s + i, "」", 3) == 0) {
            i += 3;
            continue;
        }
        out[o++] = s[i++];
    }
    out[o] = '\0';
}

/* The classification path printed just before the statement's figure. */
static bool class_path_of(const rc_statement *st, class_path *cp)
{
    memset(cp, 0, sizeof *cp);
    if (!st->sentence || !st->text || !st->text[0])
        return false;
    const char *fig = strstr(st->sentence, st->text);
    if (!fig || strstr(fig + 1, st->text))
        return false;   /* the figure twice in the sentence: which one? */
    /* the clause before the figure: back to the last sentence punctuation */
    const char *start = st->sentence;
    static const char *const stops[] = {"。", "；", ";", "，", ",", "：", ":", NULL};
    for (int i = 0; stops[i]; i++)
        for (const char *p = st->sentence; (p = strstr(p, stops[i])) && p < fig; p++)
            if (p + strlen(stops[i]) > start)
                start = p + strlen(stops[i]);
    char clause[512];
    size_t len = (size_t)(fig - start);
    if (len == 0 || len >= sizeof clause)
        return false;
    memcpy(clause, start, len);
    clause[len] = '\0';
    /* after the last ）: only spaces, quotes, 支出, 为 */
    char *tail = clause + len;
    for (;;) {
        if (tail > clause && (tail[-1] == ' ' || tail[-1] == '"'))
            tail--;
        else if (tail - clause >= 3 && (strncmp(tail - 3, "”", 3) == 0 ||
                                        strncmp(tail - 3, "」", 3) == 0 ||
                                        strncmp(tail - 3, "为", 3) == 0))
            tail -= 3;
        else if (tail - clause >= 6 && strncmp(tail - 6, "支出", 6) == 0)
            tail -= 6;
        else
            break;
    }
    *tail = '\0';
    const char *p = rc_after_numbering(clause);
    static const char *const levels[] = {"类", "款", "项"};
    while (*p) {
        /* a name up to the next opening parenthesis */
        const char *q = p;
        while (*q && !open_paren_at(q))
            q++;
        if (!*q || cp->n == 3)
            return false;
        const char *name = p;
        size_t name_len = (size_t)(q - p);
        q += open_paren_at(q);
        const char *d = q;
        while (*q >= '0' && *q <= '9')
            q++;
        size_t nd = (size_t)(q - d);
        int lv = -1;
        for (int k = 0; k < 3; k++)
            if (strncmp(q, levels[k], 3) == 0)
                lv = k;
        if (lv < 0 || nd > 3 || (cp->n > 0 && lv != cp->level[cp->n - 1] + 1))
            return false;
        q += 3;
        size_t cl = close_paren_at(q);
        if (!cl)
            return false;
        cp->level[cp->n] = lv;
        clean_name(name, name_len, cp->name[cp->n], sizeof cp->name[0]);
        snprintf(cp->digits[cp->n], sizeof cp->digits[0], "%.*s", (int)nd, d);
        if (!cp->name[cp->n][0])
            return false;
        cp->n++;
        p = q + cl;
    }
    for (int k = 0; k < cp->n; k++) {
        char *key = rc_key(cp->name[k]);
        rc_join(cp->key[k], sizeof cp->key[k], key ? key : "", NULL);
        free(key);
    }
    return cp->n > 0;
}

/* Two names of one classification line, by their keys (rc_key): equal
 * once a 支出 ending is dropped (公共安全 = 公共安全支出). */
static bool same_class_name(const char *ka, const char *kb)
{
    if (!ka || !kb || !ka[0])
        return false;
    size_t na = strlen(ka), nb = strlen(kb);
    if (ends_with(ka, "支出") && na > 6)
        na -= 6;
    if (ends_with(kb, "支出") && nb > 6)
        nb -= 6;
    return na == nb && strncmp(ka, kb, na) == 0;
}

/* The row of series column j with exactly this code, -1 when none. */
static int row_with_code(const rc_table *t, size_t j, const char *code, size_t len)
{
    for (size_t i = 0; i < t->n_row_nos; i++) {
        const rc_row *r = rc_row_at(t, i, j);
        if (r->code && !r->code_inferred && strlen(r->code) == len &&
            strncmp(r->code, code, len) == 0)
            return (int)i;
    }
    return -1;
}

/* Whether row i (coded) is the line the path names: every printed code
 * part equals the row's, the last name is the row's, and every name
 * without a code part names the ancestor at its level. */
static bool path_names_row(const rc_table *t, size_t i, size_t j, const class_path *cp)
{
    const rc_row *r = rc_row_at(t, i, j);
    int last = cp->level[cp->n - 1];
    size_t want = 3 + 2 * (size_t)last;
    if (!r->code || r->code_inferred || strlen(r->code) != want || r->role != RC_ITEM)
        return false;
    if (!same_class_name(cp->key[cp->n - 1], r->key))
        return false;
    for (int k = 0; k < cp->n; k++) {
        int lv = cp->level[k];
        size_t off = lv == 0 ? 0 : 3 + 2 * (size_t)(lv - 1), width = lv == 0 ? 3 : 2;
        if (cp->digits[k][0]) {
            char part[4];
            snprintf(part, sizeof part, "%.*s", (int)width, r->code + off);
            if (atoi(cp->digits[k]) != atoi(part))
                return false;
            continue;
        }
        if (k == cp->n - 1)
            continue;
        int a = row_with_code(t, j, r->code, 3 + 2 * (size_t)lv);
        if (a < 0)
            return false;
        const rc_row *ar = rc_row_at(t, (size_t)a, j);
        if (!same_class_name(cp->key[k], ar->key))
            return false;
    }
    return true;
}

/* An uncoded line named like a 类 the path names alone ("四、公共安全支出"
 * in 收支总表 for "公共安全（类）"): 类 names are unique in a document. */
static bool names_class_line(const rc_table *t, size_t i, size_t j, const class_path *cp)
{
    const rc_row *r = rc_row_at(t, i, j);
    return cp->n == 1 && cp->level[0] == 0 && (!r->code || r->code_inferred) &&
           r->role == RC_ITEM && same_class_name(cp->key[0], r->key);
}

/* The classification lines of the tables that a figure printed right after
 * the path cp names (first money column of each label group): both ways
 * of naming a line need the row's class name to be the path's last. */
static size_t class_cells(const rc_doc *doc, const class_path *cp, rc_cell_ref *cands,
                          size_t max)
{
    const struct rc_name_index *ix = doc->names;
    assert(ix != NULL);
    const char *last = cp->key[cp->n - 1];
    if (!last[0])
        return 0;
    name_cursor cur = find_name(&ix->classes, last, class_name_len(last), true);
    size_t n = 0;
    uint32_t taken = UINT32_MAX;   /* the slot of the last cell taken */
    for (const name_ref *r = next_ref(&cur); r && n < max; r = next_ref(&cur)) {
        const name_slot *s = &ix->slots[r->slot];
        if (r->slot != taken &&
            (path_names_row(s->t, r->row, s->col, cp) || names_class_line(s->t, r->row, s->col, cp))) {
            cands[n++] = (rc_cell_ref){s->t, r->row, s->col};
            taken = r->slot;
        }
    }
    return n;
}

static void text_classes(rc_doc *doc)
{
    rc_cell_ref cands[32];
    for (size_t si = 0; si < doc->n_statements; si++) {
        const rc_statement *st = &doc->statements[si];
        int64_t scale;
        class_path cp;
        if (!money_statement(st, &scale) || !class_path_of(st, &cp))
            continue;
        size_t n = class_cells(doc, &cp, cands, 32);
        char name[512];
        size_t o = 0;
        static const char *const lv_name[] = {"类", "款", "项"};
        for (int k = 0; k < cp.n && o < sizeof name; k++)
            o += (size_t)snprintf(name + o, sizeof name - o, "%s（%s%s）", cp.name[k],
                                  cp.digits[k], lv_name[cp.level[k]]);
        /* the code is the quantity; the funds it counts are the text's */
        judge_candidates(doc, st, scale, name, cands, n, false, false, true);
    }
}

size_t rc_restating_cells(const rc_doc *doc, const rc_statement *st, rc_cell_ref *cells,
                          size_t max)
{
    int64_t scale;
    if (!money_statement(st, &scale))
        return 0;
    class_path cp;
    if (class_path_of(st, &cp))
        return class_cells(doc, &cp, cells, max);
    return st->key && st->key[0] ? named_cells(doc, st, cells, max) : 0;
}

bool rc_cell_restates(const rc_cell_ref *ref, const rc_statement *st)
{
    int64_t scale;
    return money_statement(st, &scale) &&
           cell_matches(rc_cell_at(ref->t, ref->row, ref->col), ref->t->unit_scale, st, scale);
}

static void text_sums(rc_doc *doc)
{
    for (size_t si = 0; si < doc->n_statements; si++) {
        const rc_statement *st = &doc->statements[si];
        if (!st->has_value || st->n_components < 2 || !st->unit)
            continue;
        int64_t scale = st->unit_scale;
        if (scale <= 0)
            continue;
        size_t usable = 0;
        for (size_t k = 0; k < st->n_components; k++) {
            const rc_component *c = &st->components[k];
            if (c->has_value && (c->unit ? c->unit_scale : st->unit_scale) > 0)
                usable++;
        }
        if (usable < 2)
            continue;
        rc_check *c = rc_check_new(doc, "text_sum", st->unit);
        rc_add_statement(c, st, 0, 0, scale);
        for (size_t k = 0; k < st->n_components; k++)
            rc_add_statement(c, st, (int)k + 1, +1, scale);
        char zh[1024], en[1024];
        snprintf(zh, sizeof zh, "p%d 文字「%s」等于其所列%zu项之和", st->page,
                 st->subject ? st->subject : "", st->n_components);
        snprintf(en, sizeof en, "p%d text '%s' equals the sum of the %zu parts listed with it",
                 st->page, st->subject ? st->subject : "", st->n_components);
        rc_check_finish(c, zh, en);
        /* 主要包括 lists need not be complete: only parts above the whole count */
        if (c && c->status == RC_MISMATCH && rc_has(st->sentence, "主要") &&
            bp_decimal_cmp(c->expected, c->actual) < 0) {
            c->message = (free(c->message), NULL);
            free(c->message_en);
            c->message_en = NULL;
        }
    }
}

/* ------------------------------------------------------------------ */
/* percentages                                                         */
/* ------------------------------------------------------------------ */

static const __int128 P10[] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000,
                               100000000, 1000000000, 10000000000LL, 100000000000LL,
                               1000000000000LL};

/* 100 × num / den as a decimal at `scale` digits, rounded half away. */
bool rc_percent_of(__int128 num, __int128 den, int scale, bp_decimal *out)
{
    if (den == 0 || scale > 10)
        return false;
    __int128 n = num * 100 * P10[scale];
    bool neg = (n < 0) != (den < 0);
    if (n < 0)
        n = -n;
    if (den < 0)
        den = -den;
    __int128 q = (2 * n + den) / (2 * den);
    if (q > INT64_MAX)
        return false;
    *out = bp_decimal_make(neg ? -(int64_t)q : (int64_t)q, scale);
    return true;
}

bool rc_judge_percent(__int128 num, __int128 den, const __int128 (*corners)[2], size_t n_corners,
                      bp_decimal printed, int printed_precision, rc_percent_judgement *out)
{
    int ps = printed_precision + 2;
    bp_decimal center, lo, hi, corner;
    for (size_t k = 0; k < n_corners; k++)
        if (corners[k][1] <= 0)
            return false;
    if (den <= 0 || !rc_percent_of(num, den, ps, &center))
        return false;
    lo = hi = center;
    for (size_t k = 0; k < n_corners; k++)
        if (rc_percent_of(corners[k][0], corners[k][1], ps, &corner)) {
            if (bp_decimal_cmp(corner, lo) < 0)
                lo = corner;
            if (bp_decimal_cmp(corner, hi) > 0)
                hi = corner;
        }
    /* one unit of the last printed digit: published rates are rounded or
     * truncated */
    bp_decimal hp = bp_decimal_half_ulp(printed_precision);
    bp_decimal_add(hp, hp, &hp, NULL);
    bp_decimal spread_lo, spread_hi, tol, diff, rounded;
    bp_decimal_sub(center, lo, &spread_lo, NULL);
    bp_decimal_sub(hi, center, &spread_hi, NULL);
    bp_decimal spread = bp_decimal_cmp(spread_lo, spread_hi) > 0 ? spread_lo : spread_hi;
    bp_decimal_add(spread, hp, &tol, NULL);
    bp_decimal_sub(printed, center, &diff, NULL);
    bp_decimal_round(center, printed_precision, &rounded, NULL);
    bp_decimal adiff = diff;
    if (adiff.mantissa < 0)
        adiff.mantissa = -adiff.mantissa;
    out->status = bp_decimal_cmp(rounded, printed) == 0 ? RC_OK
                  : bp_decimal_cmp(adiff, tol) <= 0     ? RC_ROUNDING
                                                        : RC_MISMATCH;
    out->center = center;
    out->tolerance = tol;
    out->difference = diff;
    return true;
}

__int128 rc_at_scale(bp_decimal d, int scale)
{
    __int128 m = d.mantissa;
    for (int i = d.scale; i < scale; i++)
        m *= 10;
    return m;
}

/* A subject without years and the generic words around an amount. */
void rc_core_key(const char *key, char *out, size_t size)
{
    size_t o = 0;
    for (const char *p = key; *p && o + 1 < size;) {
        if (*p == '(' && p[1] >= '0' && p[1] <= '9') {
            const char *q = p + 1;
            while (*q >= '0' && *q <= '9')
                q++;
            if (*q == ')') {
                p = q + 1;
                continue;
            }
        }
        if (p[0] >= '0' && p[0] <= '9') {
            const char *q = p;
            while (*q >= '0' && *q <= '9')
                q++;
            p = strncmp(q, "年", 3) == 0 ? q + 3 : q;
            continue;
        }
        out[o++] = *p++;
    }
    out[o] = '\0';
    static const char *const tails[] = {"预算数", "预算", "决算数", "决算", "执行数",
                                        "支出", "支出数", NULL};
    for (int again = 1; again;) {
        again = 0;
        for (int i = 0; tails[i]; i++)
            if (ends_with(out, tails[i])) {
                out[strlen(out) - strlen(tails[i])] = '\0';
                again = 1;
            }
    }
    /* "与2019年决算数" names the base of a comparison, not an item: what
     * is left after 与/较/比/同 and the generic words is no subject */
    static const char *const heads[] = {"与", "较", "比", "同", NULL};
    for (int i = 0; heads[i]; i++)
        if (strncmp(out, heads[i], strlen(heads[i])) == 0 &&
            strlen(out) - strlen(heads[i]) < 6) {
            out[0] = '\0';
            break;
        }
}

static bool same_sentence(const rc_statement *a, const rc_statement *b)
{
    return a->sentence && b->sentence && a->page == b->page &&
           strcmp(a->sentence, b->sentence) == 0;
}

/* The statement before si that states the amount of the same item (its
 * subject names the item; same money unit), or NULL. */
static const rc_statement *amount_before(const rc_doc *doc, size_t si)
{
    const rc_statement *st = &doc->statements[si];
    if (!st->unit)
        return NULL;
    if (st->key && st->key[0]) {
        char want[256];
        rc_core_key(st->key, want, sizeof want);
        for (size_t k = si; strlen(want) >= 6 && k-- > 0 && si - k <= 30;) {
            const rc_statement *p = &doc->statements[k];
            if (!p->has_value || !p->key || !p->unit || strcmp(p->unit, st->unit) != 0)
                continue;
            char have[256];
            rc_core_key(p->key, have, sizeof have);
            if (strcmp(have, want) == 0)
                return p;
        }
    }
    if ((!st->key || !st->key[0]) && si > 0) {
        /* "较 2021 年预算增加 386 万元，增幅35%" right after the figure */
        const rc_statement *p = &doc->statements[si - 1];
        if (p->has_value && p->unit && strcmp(p->unit, st->unit) == 0 &&
            p->page >= st->page - 1 && !p->has_change)
            return p;
    }
    /* "与上年相比，财政拨款收、支总计各增加 1454.35 万元" right after the
     * sentence that states the item
     * ("…财政拨款收、支总预算 17981.68万元。"): the first money figure of
     * the sentence before */
    size_t k = si;
    while (k > 0 && same_sentence(&doc->statements[k - 1], st))
        k--;
    if (k == 0)
        return NULL;
    const rc_statement *prev = &doc->statements[k - 1];
    while (k > 1 && same_sentence(&doc->statements[k - 2], prev))
        k--;
    for (size_t m = k - 1; m < si && same_sentence(&doc->statements[m], prev); m++) {
        const rc_statement *p = &doc->statements[m];
        if (p->has_value && p->unit && strcmp(p->unit, st->unit) == 0)
            return p->page >= st->page - 1 && !p->has_change ? p : NULL;
    }
    return NULL;
}

/* The comparison sits in a later sentence than the figure (…745 万元，…。
 * 较 2021 年预算减少 1,054 万元), or the figure is one part of a list: the
 * change may be about the whole item, not this figure. */
static bool change_joined_later(const rc_statement *st)
{
    if (!st->sentence || !st->text || !st->text[0])
        return false;
    const char *fig = strstr(st->sentence, st->text);
    if (!fig)
        return true;
    static const char *const words[] = {"增加", "减少", "增长", "下降", "增幅", "减幅", "持平",
                                        "降低", "提高", NULL};
    const char *cmp = NULL;
    for (int i = 0; words[i]; i++) {
        const char *w = strstr(fig, words[i]);
        if (w && (!cmp || w < cmp))
            cmp = w;
    }
    if (!cmp)
        return false;
    for (const char *p = fig; p < cmp; p++)
        if (strncmp(p, "。", 3) == 0 || *p == ';' || strncmp(p, "；", 3) == 0)
            return true;
    size_t head = (size_t)(fig - st->sentence);
    char before[1024];
    snprintf(before, sizeof before, "%.*s", (int)(head < 1023 ? head : 1023), st->sentence);
    return rc_has(before, "包括") || rc_has(before, "以下方面") || rc_has(before, "用于");
}

static void yoy(rc_doc *doc)
{
    for (size_t si = 0; si < doc->n_statements; si++) {
        const rc_statement *st = &doc->statements[si];
        if (!st->has_change || !st->has_percent)
            continue;
        char zh[1024], en[1024];
        rc_check *c = rc_check_new(doc, "yoy", "%");
        if (!c)
            return;
        /* operands: the amount, the change, the percent (as statement rows) */
        rc_add_statement(c, st, 0, +1, 0);
        if (c->n_ops)
            c->ops[0].sign = 1;
        /* signs of wording disagree: 增加 … 下降 x% */
        if ((st->change.mantissa > 0 && st->percent.mantissa < 0) ||
            (st->change.mantissa < 0 && st->percent.mantissa > 0)) {
            snprintf(zh, sizeof zh, "p%d 文字「%s」增减方向前后矛盾（变动%s，百分比%s）", st->page,
                     st->subject ? st->subject : "", st->change_text ? st->change_text : "",
                     st->percent_text ? st->percent_text : "");
            snprintf(en, sizeof en, "p%d text '%s': the change and the percentage point in opposite directions",
                     st->page, st->subject ? st->subject : "");
            rc_check_finish_fixed(c, RC_MISMATCH, zh, en);
            continue;
        }
        const rc_statement *amount = st;
        if (!st->has_value)
            amount = amount_before(doc, si);
        if (amount != st && amount && c->n_ops == 1) {
            /* the amount of the same item, stated just before */
            c->n_ops = 0;
            rc_add_statement(c, amount, 0, +1, 0);
            rc_add_statement(c, st, 0, +1, 0);
            if (c->n_ops == 2) {
                c->ops[1].usable = true;
                c->ops[1].value = st->change;
            }
        }
        if (!amount) {
            snprintf(zh, sizeof zh, "p%d 文字「%s」增幅：无法核对（句中无本年数）", st->page,
                     st->subject ? st->subject : "");
            snprintf(en, sizeof en, "p%d text '%s' growth rate: unverifiable (no current amount in the sentence)",
                     st->page, st->subject ? st->subject : "");
            rc_check_finish_fixed(c, RC_UNVERIFIABLE, zh, en);
            continue;
        }
        /* "与 2016 年度相比（2016 年度部门支出预算 8,648.07…": the stated
         * amount is the base itself */
        bool amount_is_base = false;
        int base_year = st->base_year > 0 ? st->base_year
                        : doc->fiscal_year > 0 ? doc->fiscal_year - 1 : 0;
        if (base_year > 0 && amount->subject) {
            char year[16];
            snprintf(year, sizeof year, "%d", base_year);
            /* the last year named before the figure is the base year */
            const char *last = NULL;
            for (const char *p = amount->subject; (p = strstr(p, year)); p++)
                last = p;
            char cur[16];
            snprintf(cur, sizeof cur, "%d", base_year + 1);
            const char *last_cur = NULL;
            for (const char *p = amount->subject; (p = strstr(p, cur)); p++)
                last_cur = p;
            amount_is_base = last && (!last_cur || last > last_cur);
        }
        int s = amount->value.scale > st->change.scale ? amount->value.scale : st->change.scale;
        s += 1;   /* room for the half units */
        __int128 v = rc_at_scale(amount->value, s), ch = rc_at_scale(st->change, s);
        __int128 hv = rc_at_scale(bp_decimal_half_ulp(amount->precision), s);
        __int128 hc = rc_at_scale(bp_decimal_half_ulp(st->change_precision), s);
        __int128 base = amount_is_base ? v : v - ch, hb = amount_is_base ? hv : hv + hc;
        const __int128 corners[4][2] = {{ch - hc, base - hb}, {ch - hc, base + hb},
                                        {ch + hc, base - hb}, {ch + hc, base + hb}};
        rc_percent_judgement pj;
        if (!rc_judge_percent(ch, base, corners, 4, st->percent, st->percent_precision, &pj)) {
            snprintf(zh, sizeof zh, "p%d 文字「%s」增幅：无法核对（上年基数近零）", st->page,
                     st->subject ? st->subject : "");
            snprintf(en, sizeof en, "p%d text '%s' growth rate: unverifiable (base near zero)",
                     st->page, st->subject ? st->subject : "");
            rc_check_finish_fixed(c, RC_UNVERIFIABLE, zh, en);
            continue;
        }
        rc_status status = pj.status;
        bp_decimal center = pj.center;
        /* an amount borrowed from another sentence can confirm, never
         * accuse: the sentence may be about something else */
        bool borrowed = amount != st || change_joined_later(st);
        if (borrowed && status == RC_MISMATCH)
            status = RC_UNVERIFIABLE;
        c->has_numbers = true;
        c->expected = center;
        c->actual = st->percent;
        c->difference = pj.difference;
        c->tolerance = pj.tolerance;
        char se[64], sa[64], sc[64], sv[64];
        rc_format(center, se, sizeof se);
        rc_format(st->percent, sa, sizeof sa);
        rc_format(st->change, sc, sizeof sc);
        rc_format(amount->value, sv, sizeof sv);
        snprintf(zh, sizeof zh, "p%d 文字「%s」%s，变动%s，印增幅%s%%，按%s÷(%s−%s)应为%s%%（%s）",
                 st->page, st->subject ? st->subject : "", sv, sc, sa, sc, sv, sc, se,
                 status == RC_OK ? "一致" : status == RC_ROUNDING ? "尾数误差"
                 : status == RC_UNVERIFIABLE ? "本年数取自他句，无法核对" : "不一致");
        snprintf(en, sizeof en, "p%d text '%s' %s, change %s, printed %s%%; %s/(%s-%s) gives %s%% (%s%s)",
                 st->page, st->subject ? st->subject : "", sv, sc, sa, sc, sv, sc, se,
                 rc_status_name(status),
                 status == RC_UNVERIFIABLE ? ": amount taken from another sentence" : "");
        rc_check_finish_fixed(c, status, zh, en);
    }
}

/* A statement that states a change, with the core key of its subject. */
typedef struct change_subject {
    const rc_statement *st;
    size_t len;
    char core[256];
} change_subject;

static void consistency(rc_doc *doc)
{
    /* the statements that may pair up, their core keys made once */
    change_subject *cs = malloc((doc->n_statements ? doc->n_statements : 1) * sizeof *cs);
    if (!cs) {
        doc->nomem = true;
        return;
    }
    size_t n_cs = 0;
    for (size_t a = 0; a < doc->n_statements; a++) {
        const rc_statement *x = &doc->statements[a];
        if (!x->has_change || !x->key || strlen(x->key) < 12 || !x->unit)
            continue;
        change_subject *c = &cs[n_cs];
        c->st = x;
        rc_core_key(x->key, c->core, sizeof c->core);
        c->len = strlen(c->core);
        n_cs += c->len >= 12;
    }
    for (size_t a = 0; a < n_cs; a++) {
        const rc_statement *x = cs[a].st;
        for (size_t b = a + 1; b < n_cs; b++) {
            const rc_statement *y = cs[b].st;
            const char *kx = cs[a].core, *ky = cs[b].core;
            size_t lx = cs[a].len, ly = cs[b].len;
            /* one key starts or ends the other */
            const char *longer = lx > ly ? kx : ky, *shorter = lx > ly ? ky : kx;
            size_t ls = lx > ly ? ly : lx, ll = lx > ly ? lx : ly;
            if (memcmp(kx, ky, ls) != 0 && memcmp(longer + ll - ls, shorter, ls) != 0)
                continue;
            if (x->base_year && y->base_year && x->base_year != y->base_year)
                continue;
            /* the same amount on both sides, or nothing to compare */
            if (!x->has_value || !y->has_value)
                continue;
            int64_t sx = x->unit_scale, sy = y->unit_scale;
            if (sx <= 0 || sx != sy)
                continue;
            if (x->has_value && bp_decimal_cmp(x->value, y->value) != 0)
                continue;
            rc_check *c = rc_check_new(doc, "text_consistency", x->unit);
            if (!c) {
                free(cs);
                return;
            }
            c->has_numbers = true;
            c->actual = x->change;
            c->expected = y->change;
            bp_decimal_sub(x->change, y->change, &c->difference, NULL);
            bp_decimal_add(bp_decimal_half_ulp(x->change_precision),
                           bp_decimal_half_ulp(y->change_precision), &c->tolerance, NULL);
            rc_add_statement(c, x, 0, 0, sx);
            rc_add_statement(c, y, 0, +1, sx);
            /* the operands are the changes, not the amounts */
            for (size_t k = 0; k < c->n_ops; k++) {
                const rc_statement *s = k == 0 ? x : y;
                c->ops[k].value = s->change;
                c->ops[k].usable = true;
                if (s->change_text)
                    c->ops[k].text = s->change_text;
            }
            bp_decimal ad = c->difference;
            if (ad.mantissa < 0)
                ad.mantissa = -ad.mantissa;
            rc_status status = ad.mantissa == 0                          ? RC_OK
                               : bp_decimal_cmp(ad, c->tolerance) <= 0 ? RC_ROUNDING
                                                                        : RC_MISMATCH;
            char s1[64], s2[64], zh[512], en[512];
            rc_format(x->change, s1, sizeof s1);
            rc_format(y->change, s2, sizeof s2);
            snprintf(zh, sizeof zh, "p%d「%s」与p%d「%s」同一金额的增减应相同：%s 与 %s（%s）",
                     x->page, x->subject, y->page, y->subject, s1, s2,
                     status == RC_OK ? "一致" : status == RC_ROUNDING ? "尾数误差" : "不一致");
            snprintf(en, sizeof en, "p%d '%s' and p%d '%s' state changes of the same amount: %s vs %s (%s)",
                     x->page, x->subject, y->page, y->subject, s1, s2, rc_status_name(status));
            rc_check_finish_fixed(c, status, zh, en);
        }
    }
    free(cs);
}

static bool opens_list(const char *sentence)
{
    static const char *const tails[] = {"其中：", "其中:", "包括：", "包括:", "如下：", "如下:",
                                        "分别为：", "分别是：", NULL};
    char buf[1024];
    rc_join(buf, sizeof buf, sentence ? sentence : "", NULL);
    size_t n = strlen(buf);
    while (n > 0 && buf[n - 1] == ' ')
        buf[--n] = '\0';
    for (int i = 0; tails[i]; i++)
        if (ends_with(buf, tails[i]))
            return true;
    return false;
}

/* An unnumbered sentence that starts a new topic rather than listing a
 * part: it names a year or a total. */
static bool names_new_topic(const char *subject)
{
    if (!subject)
        return false;
    if (rc_has(subject, "合计") || rc_has(subject, "总计") || rc_has(subject, "总预算"))
        return true;
    for (const char *p = subject; *p; p++)
        if ((p[0] == '1' || p[0] == '2') && (p[1] == '9' || p[1] == '0') && p[2] >= '0' &&
            p[2] <= '9' && p[3] >= '0' && p[3] <= '9')
            return true;
    return false;
}

/* Whether the items so far add up to the head exactly. */
static bool sum_reaches(const rc_statement *head, const rc_doc *doc, const size_t *items,
                        size_t n)
{
    bp_decimal sum = bp_decimal_make(0, 0);
    for (size_t k = 0; k < n; k++) {
        const rc_statement *x = &doc->statements[items[k]];
        if (!x->unit || strcmp(x->unit, head->unit) != 0 ||
            bp_decimal_add(sum, x->value, &sum, NULL) != BP_OK)
            return false;
    }
    return bp_decimal_cmp(sum, head->value) == 0;
}

/* "支出 1172.36 万元，其中：" followed by the listed parts, one sentence
 * each (numbered 1. 2. … consecutively, or unnumbered and consecutive). */
static void list_sums(rc_doc *doc)
{
    for (size_t h = 0; h < doc->n_statements; h++) {
        const rc_statement *head = &doc->statements[h];
        if (!head->has_value || !head->unit || !opens_list(head->sentence) ||
            head->unit_scale <= 0)
            continue;
        if (h + 1 < doc->n_statements && doc->statements[h + 1].sentence && head->sentence &&
            strcmp(doc->statements[h + 1].sentence, head->sentence) == 0)
            continue;   /* the figure is not the last of its sentence */
        int64_t scale = head->unit_scale;
        size_t items[64];
        size_t n = 0;
        int item_kind = -1, next_number = 0, last_page = head->page;
        const char *prev_sentence = head->sentence;
        for (size_t k = h + 1; k < doc->n_statements && n < 64; k++) {
            const rc_statement *x = &doc->statements[k];
            if (x->sentence && prev_sentence && strcmp(x->sentence, prev_sentence) == 0)
                continue;   /* one item per sentence: its first figure */
            prev_sentence = x->sentence;
            if (x->page > last_page + 1)
                break;
            int kind = rc_ordinal_kind(x->sentence);
            if (item_kind < 0) {
                item_kind = kind;
                next_number = kind ? rc_ordinal_number(x->sentence) : 0;
                if (kind && next_number != 1)
                    break;
            }
            bool money = x->has_value && x->unit_scale > 0;
            if (item_kind > 0) {
                if (kind == 0)
                    continue;   /* a detail sentence of the last item */
                if (kind != item_kind || rc_ordinal_number(x->sentence) != next_number)
                    break;
                next_number++;
            } else if (kind != 0 || !money || opens_list(x->sentence) ||
                       names_new_topic(x->subject)) {
                break;
            }
            if (item_kind == 0 && n >= 2 && sum_reaches(head, doc, items, n))
                break;   /* the parts listed so far make the whole: the list ended */
            if (!money)
                break;
            items[n++] = k;
            last_page = x->page;
        }
        if (n < 2)
            continue;
        rc_check *c = rc_check_new(doc, "text_sum", head->unit);
        rc_add_statement(c, head, 0, 0, scale);
        for (size_t k = 0; k < n; k++)
            rc_add_statement(c, &doc->statements[items[k]], 0, +1, scale);
        char zh[1024], en[1024];
        snprintf(zh, sizeof zh, "p%d 文字「%s」等于其后所列%zu项之和", head->page,
                 head->subject ? head->subject : "", n);
        snprintf(en, sizeof en, "p%d text '%s' equals the sum of the %zu items listed after it",
                 head->page, head->subject ? head->subject : "", n);
        rc_check_finish(c, zh, en);
        if (c && c->status == RC_MISMATCH && rc_has(head->sentence, "主要") &&
            bp_decimal_cmp(c->expected, c->actual) < 0) {
            free(c->message);
            free(c->message_en);
            c->message = c->message_en = NULL;
        }
    }
}

void rc_rules_text(rc_doc *doc)
{
    doc->names = name_index_new(doc);
    if (doc->names == NULL) {
        doc->nomem = true;
        return;
    }
    text_table(doc);
    text_classes(doc);
    text_sums(doc);
    list_sums(doc);
    yoy(doc);
    rc_rules_yoy_amounts(doc);
    consistency(doc);
    name_index_free(doc->names);
    doc->names = NULL;
}
