/*
 * rules_toc.c — rule family 9, completeness: every table the document's
 * own 目录 lists is present.
 *
 * The 目录 is read from the page text lines: the page with a short line
 * ending in 目录, and the pages right after it while they still read like
 * a table of contents.  A table entry is a line with a label (表1, 表 10,
 * 表14-1, 公开01表, 附表2) or a numbered title ending in 表 ((四) 基本支出总表).
 * An entry is:
 *   ok           when a recovered table has its label or title, or the
 *                目录 itself marks it empty (是否空表: 是 / 空表 / 不涉及), or
 *                its heading is printed with a 本表无数据-style note;
 *   unverifiable when its heading is printed but no table was recovered
 *                there (our extraction may have missed it);
 *   mismatch     when nothing after the 目录 carries its label or title.
 */
#include "load/load_int.h"
#include "load/reconcile_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct line {
    int page;
    const char *raw;  /* as extracted, in the document's strings */
    char *text;   /* width-normalized, single spaces; made on first use */
    char *key;    /* folded for matching: no whitespace; made on first use */
} line;

typedef struct lines {
    line *items;
    size_t n;
    bool nomem;
} lines;

/* The normalized text of a line, made on first use: only the lines of the
 * 目录 and, for a table not found, those after it are read.  The line as
 * extracted when it cannot be normalized (and ls->nomem out of memory). */
static const char *text_of(lines *ls, line *l)
{
    if (l->text == NULL &&
        (bp_text_normalize(l->raw, (size_t)-1, BP_NORMALIZE_DEFAULT, &l->text, NULL) != BP_OK ||
         !l->text) &&
        (l->text = strdup(l->raw)) == NULL)
        ls->nomem = true;
    return l->text ? l->text : l->raw;
}

/* The folded key of a line, made on first use: folding runs ICU's
 * Traditional-Simplified transform, and most lines are never compared.
 * The line as extracted when it cannot be folded ("" out of memory). */
static const char *key_of(line *l)
{
    if (l->key == NULL && (bp_label_fold(l->raw, (size_t)-1, &l->key, NULL) != BP_OK || !l->key))
        l->key = strdup(l->raw);
    return l->key ? l->key : "";
}

/* A table label at s (folded): 表12, 表14-1, 附表2, 公开01表.  Writes the
 * normalized label ("表12") and returns its length in s, 0 when none. */
static size_t table_label(const char *s, char *out, size_t size)
{
    const char *p = s;
    while (*p == ' ')
        p++;
    if (strncmp(p, "附", 3) == 0)
        p += 3;
    if (strncmp(p, "表", 3) == 0) {
        const char *d = p + 3;
        while (*d == ' ')
            d++;
        if (!(*d >= '0' && *d <= '9'))
            return 0;
        const char *q = d;
        while ((*q >= '0' && *q <= '9') || (*q == '-' && q[1] >= '0' && q[1] <= '9'))
            q++;
        snprintf(out, size, "表%.*s", (int)(q - d), d);
        return (size_t)(q - s);
    }
    if (strncmp(p, "公开", 6) == 0 && p[6] >= '0' && p[6] <= '9') {
        const char *q = p + 6;
        while (*q >= '0' && *q <= '9')
            q++;
        if (strncmp(q, "表", 3) == 0) {
            snprintf(out, size, "公开%.*s表", (int)(q - p - 6), p + 6);
            return (size_t)(q + 3 - s);
        }
    }
    return 0;
}

static bool empty_note(const char *s)
{
    return rc_has(s, "本表无数据") || rc_has(s, "空表") || rc_has(s, "本表无") ||
           rc_has(s, "不涉及") || (rc_has(s, "本部门") && rc_has(s, "无")) ||
           (rc_has(s, "本单位") && rc_has(s, "无"));
}

/* Title of a toc entry without its trailing (…) and leader dots/page. */
static void clean_title(const char *s, char *out, size_t size)
{
    snprintf(out, size, "%s", s);
    char *e = out + strlen(out);
    /* trailing page number and dots */
    while (e > out && ((e[-1] >= '0' && e[-1] <= '9') || e[-1] == '.' || e[-1] == '-'))
        *--e = '\0';
    while (e - out >= 3 && (strcmp(e - 3, "…") == 0 || strcmp(e - 3, "·") == 0)) {
        e -= 3;
        *e = '\0';
    }
}

static bool ends_with_table(const char *title)
{
    char t[512];
    snprintf(t, sizeof t, "%s", title);
    size_t n = strlen(t);
    if (n > 0 && t[n - 1] == ')') {
        char *open = strrchr(t, '(');
        if (open)
            *open = '\0';
        n = strlen(t);
    }
    return n >= 3 && strcmp(t + n - 3, "表") == 0;
}

typedef struct entry {
    int kind;            /* numbering kind of the 目录 line */
    int number;          /* the 目录 numbering ((四) → 4), 0 when none */
    char label[64];
    char title[512];
    int page;
    char text[512];
    bool declared_empty;
    int toc_last_page;   /* the 目录 ends on this page */
} entry;

static bool is_numbered_title(const char *s, const char **title)
{
    if (rc_ordinal_kind(s) == 0)
        return false;
    *title = rc_after_numbering(s);
    return strlen(*title) >= 6;
}

static bool toc_like(const char *s)
{
    char label[64];
    const char *title;
    return table_label(s, label, sizeof label) > 0 || is_numbered_title(s, &title) ||
           rc_has(s, "部分") || rc_has(s, "……") || rc_has(s, "...");
}

/* Whether any entry's heading is printed after its 目录. */
static bool any_heading(lines *ls, const entry *es, size_t n_es)
{
    for (size_t k = 0; k < n_es; k++)
        for (size_t l = 0; l < ls->n; l++) {
            if (ls->items[l].page <= es[k].toc_last_page)
                continue;
            const char *key = key_of(&ls->items[l]);
            size_t n = strlen(key), m = strlen(es[k].title);
            if (m >= 6 && n >= m && n <= m + 24 && strcmp(key + n - m, es[k].title) == 0)
                return true;
        }
    return false;
}

/* Pages with (almost) no text: scans or images we cannot read. */
static int pages_without_text(rc_doc *doc)
{
    sqlite3_stmt *q = NULL;
    int n = 0;
    if (bp_db_prepare(doc->db, "SELECT count(*) FROM pages WHERE doc_id = ?1 AND glyphs <= 3",
                      &q, NULL) != BP_OK)
        return 0;
    sqlite3_bind_int64(q, 1, doc->doc_id);
    if (sqlite3_step(q) == SQLITE_ROW)
        n = sqlite3_column_int(q, 0);
    sqlite3_finalize(q);
    return n;
}

bp_status rc_rules_toc(rc_doc *doc, bp_error *err)
{
    lines ls = {0};
    const rc_line *doc_lines = NULL;
    size_t n_lines = 0;
    bp_status st = rc_doc_lines(doc, &doc_lines, &n_lines, err);
    if (st == BP_OK && (ls.items = calloc(n_lines ? n_lines : 1, sizeof *ls.items)) == NULL)
        st = bp_error_set(err, BP_ERR_NOMEM, 0, "out of memory");
    for (size_t k = 0; st == BP_OK && k < n_lines; k++)
        ls.items[ls.n++] = (line){doc_lines[k].page, doc_lines[k].text, NULL, NULL};
    entry *es = NULL;
    size_t n_es = 0;
    if (st != BP_OK)
        goto done;

    es = calloc(ls.n ? ls.n : 1, sizeof *es);
    if (!es) {
        st = bp_error_set(err, BP_ERR_NOMEM, 0, "out of memory");
        goto done;
    }
    /* every 目录 page (a text part and a table part may each have one) */
    for (size_t h = 0; h < ls.n; h++) {
        if (!rc_is_toc_heading(ls.items[h].raw))
            continue;
        int last_page = ls.items[h].page;
        size_t i = h + 1;
        for (; i < ls.n; i++) {
            const line *l = &ls.items[i];
            if (l->page != last_page) {
                /* a following page still reads like a table of contents? */
                size_t like = 0, total = 0;
                for (size_t k = i; k < ls.n && ls.items[k].page == l->page; k++) {
                    total++;
                    like += toc_like(text_of(&ls, &ls.items[k]));
                }
                if (l->page != last_page + 1 || total == 0 || like * 10 < total * 6)
                    break;
                last_page = l->page;
            }
            const char *text = text_of(&ls, &ls.items[i]);
            char label[64] = "";
            size_t len = table_label(text, label, sizeof label);
            const char *title = NULL;
            if (len > 0) {
                title = text + len;
            } else if (is_numbered_title(text, &title) && ends_with_table(title)) {
                label[0] = '\0';
            } else {
                /* a wrapped title line of the previous entry */
                if (n_es > 0 && !rc_has(text, "部分")) {
                    entry *e = &es[n_es - 1];
                    if (e->page == l->page && empty_note(text))
                        e->declared_empty = true;
                }
                continue;
            }
            entry *e = &es[n_es++];
            snprintf(e->label, sizeof e->label, "%s", label);
            e->number = len > 0 ? rc_label_number(label) : rc_ordinal_number(text);
            e->kind = len > 0 ? 0 : rc_ordinal_kind(text);
            char *tk = rc_key(title);
            clean_title(tk ? tk : title, e->title, sizeof e->title);
            free(tk);
            e->page = l->page;
            e->toc_last_page = last_page;
            snprintf(e->text, sizeof e->text, "%s", text);
            /* 是否空表 = 是 after the title, or 空表/不涉及 */
            if (empty_note(title))
                e->declared_empty = true;
        }
        h = i > h ? i - 1 : h;
    }

    /* 五、单位预算表 followed by 1. … 2. …: a section heading, not a table */
    size_t kept = 0;
    for (size_t k = 0; k < n_es; k++) {
        bool section = !es[k].label[0] && k + 1 < n_es && !es[k + 1].label[0] &&
                       es[k + 1].kind != es[k].kind && es[k + 1].number == 1;
        if (!section)
            es[kept++] = es[k];
    }
    n_es = kept;
    int image_pages = pages_without_text(doc);
    /* no listed table recovered and none of their headings printed: the
     * whole table part is missing (附后 in another file) — one finding */
    size_t missing = 0;
    bool any_table = doc->n_tables > 0;
    for (size_t k = 0; k < n_es && !any_table; k++)
        missing += !es[k].declared_empty;
    if (!any_table && missing >= 2 && image_pages == 0 && !any_heading(&ls, es, n_es)) {
        rc_check *c = rc_check_new(doc, "completeness", NULL);
        if (c && (c->ops = calloc(1, sizeof *c->ops)) != NULL) {
            c->cap_ops = c->n_ops = 1;
            c->ops[0].page = es[0].page;
            c->ops[0].text = g_string_chunk_insert(doc->strings, es[0].text);
            c->ops[0].label = g_string_chunk_insert(doc->strings, es[0].title);
        }
        char zh[1024], en[1024];
        snprintf(zh, sizeof zh, "目录（第%d页）列出%zu张表（%s等），文件中一张也没有", es[0].page,
                 missing, es[0].title);
        snprintf(en, sizeof en,
                 "the table of contents (p%d) lists %zu tables ('%s' …) and the document contains none of them",
                 es[0].page, missing, es[0].title);
        rc_check_finish_fixed(c, RC_MISMATCH, zh, en);
        n_es = 0;
    }
    for (size_t k = 0; k < n_es; k++) {
        entry *e = &es[k];
        if (!e->label[0] && !e->title[0])
            continue;
        bool present = false, heading = false, declared = e->declared_empty;
        for (size_t t = 0; t < doc->n_tables && !present; t++) {
            const rc_table *tb = &doc->tables[t];
            if (e->label[0] && tb->label) {
                char folded[64] = "", *f = rc_key(tb->label);
                if (f && table_label(f, folded, sizeof folded) > 0) {
                    size_t n = strlen(e->label);
                    /* 表14 in the 目录 is covered by 表14-1 … */
                    present = strcmp(folded, e->label) == 0 ||
                              (strncmp(folded, e->label, n) == 0 && folded[n] == '-');
                }
                free(f);
            } else if (!e->label[0] && tb->title && e->title[0]) {
                char *f = rc_key(tb->title);
                present = f && strcmp(f, e->title) == 0;
                free(f);
                /* (十) in the 目录 is 公开 10 表 / 表十 even when worded otherwise */
                if (!present && e->number > 0 && tb->label)
                    present = rc_label_number(tb->label) == e->number;
            }
            if (present && tb->empty_note)
                declared = true;
        }
        if (!present) {
            /* printed after the 目录? */
            for (size_t l = 0; l < ls.n; l++) {
                if (ls.items[l].page <= e->toc_last_page)
                    continue;
                char label[64];
                bool hit = false;
                if (e->label[0]) {
                    const char *s = text_of(&ls, &ls.items[l]);
                    size_t len = table_label(s, label, sizeof label);
                    size_t n = strlen(e->label);
                    hit = len > 0 && strlen(s) <= len + 120 &&
                          (strcmp(label, e->label) == 0 ||
                           (strncmp(label, e->label, n) == 0 && label[n] == '-'));
                } else {
                    const char *lk = key_of(&ls.items[l]);
                    size_t n = strlen(lk), m = strlen(e->title);
                    hit = m >= 6 && n >= m && n <= m + 24 && strcmp(lk + n - m, e->title) == 0;
                }
                if (hit) {
                    heading = true;
                    for (size_t q = l; q < ls.n && ls.items[q].page == ls.items[l].page; q++)
                        if (empty_note(text_of(&ls, &ls.items[q])))
                            declared = true;
                    break;
                }
            }
        }
        if (!present && !declared && !heading && image_pages > 0)
            heading = true;   /* pages without text may hold it as an image */
        rc_check *c = rc_check_new(doc, "completeness", NULL);
        if (!c)
            break;
        /* the 目录 line is the evidence */
        c->ops = calloc(1, sizeof *c->ops);
        if (c->ops) {
            c->cap_ops = c->n_ops = 1;
            c->ops[0].page = e->page;
            c->ops[0].text = g_string_chunk_insert(doc->strings, e->text);
            c->ops[0].label = g_string_chunk_insert(doc->strings, e->title);
        }
        const char *name = e->label[0] ? e->label : e->title;
        char zh[768], en[768];
        rc_status status;
        if (present || declared) {
            status = RC_OK;
            snprintf(zh, sizeof zh, "目录所列%s「%s」%s", name, e->title,
                     present ? "在文件中" : "声明为空表");
            snprintf(en, sizeof en, "table of contents lists %s '%s': %s", name, e->title,
                     present ? "present" : "declared empty");
        } else if (heading) {
            status = RC_UNVERIFIABLE;
            snprintf(zh, sizeof zh, "目录所列%s「%s」未能识别（有标题或无文字页）", name, e->title);
            snprintf(en, sizeof en,
                     "table of contents lists %s '%s': not recovered (its heading, or pages without text, are there)",
                     name, e->title);
        } else {
            status = RC_MISMATCH;
            snprintf(zh, sizeof zh, "目录（第%d页）列出%s「%s」，但文件中没有该表", e->page, name,
                     e->title);
            snprintf(en, sizeof en,
                     "the table of contents (p%d) lists %s '%s' but the document does not contain it",
                     e->page, name, e->title);
        }
        rc_check_finish_fixed(c, status, zh, en);
    }
    if (ls.nomem)
        st = bp_error_set(err, BP_ERR_NOMEM, 0, "out of memory");
done:
    for (size_t k = 0; k < ls.n; k++) {
        free(ls.items[k].text);
        free(ls.items[k].key);
    }
    free(ls.items);
    free(es);
    return st;
}
