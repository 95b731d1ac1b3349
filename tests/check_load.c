/*
 * check_load.c — load/: migrations, refusing a newer schema, the worker →
 * parent merge (insert, keep, replace, transactional failure), and which
 * document a DOC argument selects in every visitor that takes one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "load/load.h"
#include "tests/test_support.h"

static char db_path[64];

static void setup(void)
{
    snprintf(db_path, sizeof db_path, "/tmp/bp-load-XXXXXX");
    int fd = mkstemp(db_path);
    ck_assert_int_ge(fd, 0);
    close(fd);
    unlink(db_path);
}

static void teardown(void)
{
    char path[80];
    unlink(db_path);
    snprintf(path, sizeof path, "%s-wal", db_path);
    unlink(path);
    snprintf(path, sizeof path, "%s-shm", db_path);
    unlink(path);
}

/* A worker database holding one document with the given sha256 and two
 * pages of one line each; returns its serialized bytes. */
static void *worker_bytes(const char *sha256, size_t *size)
{
    bp_db *w = NULL;
    bp_error err;
    ck_assert_int_eq(bp_db_open_memory(&w, &err), BP_OK);
    bp_pdf_info info = {.file_size = 1234, .n_pages = 2, .producer = "WPS Office"};
    snprintf(info.sha256, sizeof info.sha256, "%s", sha256);
    int64_t doc_id = 0;
    ck_assert_int_eq(bp_db_begin(w, &err), BP_OK);
    ck_assert_int_eq(bp_db_insert_document(w, &info, "a.pdf", &doc_id, &err), BP_OK);
    bp_word word = {.text = "合计", .box = {10, 20, 30, 32}, .n_glyphs = 2};
    bp_line line = {.text = "合计", .box = {10, 20, 30, 32}, .n_words = 1};
    bp_page page[2];
    bp_page *pages[2];
    for (int p = 0; p < 2; p++) {
        page[p] = (bp_page){.number = p + 1, .width = 595, .height = 842,
                            .words = &word, .n_words = 1, .lines = &line, .n_lines = 1};
        pages[p] = &page[p];
    }
    ck_assert_int_eq(bp_db_insert_pages(w, doc_id, pages, 2, &err), BP_OK);
    ck_assert_int_eq(bp_db_commit(w, &err), BP_OK);
    void *data = NULL;
    ck_assert_int_eq(bp_db_serialize(w, &data, size, &err), BP_OK);
    bp_db_close(w);
    return data;
}

START_TEST(new_database_is_at_current_version)
{
    bp_db *db = NULL;
    bp_error err;
    ck_assert_int_eq(bp_db_open(db_path, &db, &err), BP_OK);
    int version = bp_db_schema_version(db);
    ck_assert_int_ge(version, 1);
    bp_db_close(db);
    /* Reopening applies nothing and keeps the version. */
    ck_assert_int_eq(bp_db_open(db_path, &db, &err), BP_OK);
    ck_assert_int_eq(bp_db_schema_version(db), version);
    ck_assert_int_eq(bp_db_count(db, "documents"), 0);
    ck_assert_int_eq(bp_db_count(db, "no_such_table"), -1);
    bp_db_close(db);
}
END_TEST

START_TEST(newer_schema_is_refused)
{
    char cmd[200];
    snprintf(cmd, sizeof cmd, "sqlite3 '%s' 'PRAGMA user_version = 999'", db_path);
    ck_assert_int_eq(system(cmd), 0);
    bp_db *db = NULL;
    bp_error err;
    ck_assert_int_eq(bp_db_open(db_path, &db, &err), BP_ERR_DB);
    ck_assert_ptr_nonnull(strstr(err.message, "newer"));
    ck_assert_ptr_null(db);
}
END_TEST

START_TEST(merge_inserts_keeps_and_replaces)
{
    static const char sha[] = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
    bp_db *db = NULL;
    bp_error err;
    ck_assert_int_eq(bp_db_open(db_path, &db, &err), BP_OK);
    size_t size;
    void *bytes = worker_bytes(sha, &size);
    int64_t doc_id = 0, found = 0;
    int merged = -1;
    ck_assert_int_eq(bp_db_merge_document(db, bytes, size, 0, &doc_id, &merged, &err), BP_OK);
    ck_assert_int_eq(merged, 1);
    ck_assert_int_eq(bp_db_find_document(db, sha, &found, &err), BP_OK);
    ck_assert_int_eq(found, doc_id);
    ck_assert_int_eq(bp_db_count(db, "pages"), 2);
    ck_assert_int_eq(bp_db_count(db, "lines"), 2);

    int64_t again = 0;
    ck_assert_int_eq(bp_db_merge_document(db, bytes, size, 0, &again, &merged, &err), BP_OK);
    ck_assert_int_eq(merged, 0);
    ck_assert_int_eq(again, doc_id);
    ck_assert_int_eq(bp_db_count(db, "documents"), 1);

    ck_assert_int_eq(bp_db_merge_document(db, bytes, size, 1, &again, &merged, &err), BP_OK);
    ck_assert_int_eq(merged, 2);
    ck_assert_int_eq(bp_db_count(db, "documents"), 1);
    ck_assert_int_eq(bp_db_count(db, "pages"), 2); /* old pages cascaded away */
    ck_assert_int_eq(bp_db_count(db, "lines"), 2);

    /* Garbage bytes fail cleanly and leave the database as it was. */
    ck_assert_int_ne(bp_db_merge_document(db, "not a database", 14, 0, &again, &merged, &err),
                     BP_OK);
    ck_assert_int_eq(merged, 0);
    ck_assert_int_eq(bp_db_count(db, "documents"), 1);
    bp_db_serialized_free(bytes);
    bp_db_close(db);
}
END_TEST

START_TEST(errors_are_recorded)
{
    bp_db *db = NULL;
    bp_error err, failure;
    ck_assert_int_eq(bp_db_open(db_path, &db, &err), BP_OK);
    bp_error_set(&failure, BP_ERR_FORMAT, 3, "x.pdf: page 3: cannot be read");
    bp_db_record_error(db, "x.pdf", NULL, &failure);
    ck_assert_int_eq(bp_db_count(db, "ingest_errors"), 1);
    bp_db_close(db);
}
END_TEST

/* ---- DOC selection ---------------------------------------------------------
 * Three documents whose names contain each other's: a DOC is a sha256
 * prefix, a file name as ingested or an id, never a substring of a file
 * name (cn-01 is not cn-015, bbbb is doc 2's sha256 and not doc 3's name). */

static const char selection_sql[] =
    "INSERT INTO documents (id, sha256, file, file_size, pages) VALUES"
    " (1, 'aaaa1111', '/c/cn-01.pdf', 1, 1),"
    " (2, 'bbbb2222', '/c/cn-015.pdf', 1, 1),"
    " (3, 'cccc3333', '/c/bbbb-cn-01.pdf', 1, 1);"
    "INSERT INTO doc_tables (doc_id, table_no, title, first_page, last_page)"
    " SELECT id, 1, '收支总表', 1, 1 FROM documents;"
    "INSERT INTO table_columns (doc_id, table_no, column_no, path)"
    " SELECT id, 1, 1, '预算数' FROM documents;"
    "INSERT INTO table_rows (doc_id, table_no, row_no, label, page)"
    " SELECT id, 1, 1, '合计', 1 FROM documents;"
    "INSERT INTO cells (doc_id, table_no, row_no, column_no, page, text, value)"
    " SELECT id, 1, 1, 1, 1, '100', '100' FROM documents;"
    "INSERT INTO statements (doc_id, statement_no, page, sentence)"
    " SELECT id, 1, 1, '收入合计100万元。' FROM documents;";

typedef struct selection_case {
    const char *doc;
    const char *sha256; /* the one document selected; NULL: a usage error */
} selection_case;

static const selection_case selection_cases[] = {
    {"cn-01.pdf", "aaaa1111"},     /* not /c/bbbb-cn-01.pdf */
    {"/c/cn-015.pdf", "bbbb2222"},
    {"bbbb", "bbbb2222"},          /* not the file holding bbbb */
    {"cccc3", "cccc3333"},
    {"2", "bbbb2222"},             /* the id */
    {"cn-01", NULL},               /* a piece of two names is no name */
    {"cn-015", NULL},
    {"nothing.pdf", NULL},
};

typedef struct selected {
    int n, wrong;
    const char *want;
} selected;

static void note(selected *sel, const char *sha256)
{
    sel->n++;
    sel->wrong += strcmp(sha256, sel->want) != 0;
}

static int on_document(const bp_document_record *d, void *ctx)
{
    note(ctx, d->doc);
    return 0;
}

static int on_table(const bp_table_record *t, void *ctx)
{
    note(ctx, t->doc);
    return 0;
}

static int on_cell(const bp_cell_record *c, void *ctx)
{
    note(ctx, c->doc);
    return 0;
}

static int on_statement(const bp_statement_record *s, void *ctx)
{
    note(ctx, s->doc);
    return 0;
}

static int on_column(int column_no, const char *path, int part, int is_label, void *ctx)
{
    ((selected *)ctx)->n++;
    return 0;
}

START_TEST(doc_selects_one_document_by_prefix_name_or_id)
{
    const selection_case *c = &selection_cases[_i];
    bp_db *db = NULL;
    bp_error err;
    ck_assert_int_eq(bp_db_open(db_path, &db, &err), BP_OK);
    ck_assert_int_eq(bp_db_exec_sql(db, selection_sql, &err), BP_OK);
    bp_status want = c->sha256 ? BP_OK : BP_ERR_USAGE;
    selected sel[5];
    memset(sel, 0, sizeof sel);
    for (int v = 0; v < 5; v++)
        sel[v].want = c->sha256 ? c->sha256 : "";
    ck_assert_int_eq(bp_db_each_document(db, c->doc, on_document, &sel[0], &err), want);
    ck_assert_int_eq(bp_db_each_table(db, c->doc, 0, on_table, &sel[1], &err), want);
    ck_assert_int_eq(bp_db_each_cell(db, c->doc, 1, on_cell, &sel[2], &err), want);
    ck_assert_int_eq(bp_db_each_statement(db, c->doc, on_statement, &sel[3], &err), want);
    ck_assert_int_eq(bp_db_each_column(db, c->doc, 1, on_column, &sel[4], &err), want);
    if (c->sha256 == NULL)
        ck_assert_ptr_nonnull(strstr(err.message, c->doc));
    for (int v = 0; v < 5; v++) {
        ck_assert_msg(sel[v].n == (c->sha256 ? 1 : 0) && sel[v].wrong == 0,
                      "DOC '%s', visitor %d: %d records, %d of another document", c->doc, v,
                      sel[v].n, sel[v].wrong);
    }
    /* NULL is every document. */
    memset(sel, 0, sizeof sel);
    ck_assert_int_eq(bp_db_each_column(db, NULL, 1, on_column, &sel[0], &err), BP_OK);
    ck_assert_int_eq(sel[0].n, 3);
    bp_db_close(db);
}
END_TEST

static Suite *load_suite(void)
{
    Suite *s = suite_create("load");
    TCase *tc = tcase_create("db");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, new_database_is_at_current_version);
    tcase_add_test(tc, newer_schema_is_refused);
    tcase_add_test(tc, merge_inserts_keeps_and_replaces);
    tcase_add_test(tc, errors_are_recorded);
    tcase_add_loop_test(tc, doc_selects_one_document_by_prefix_name_or_id, 0,
                        (int)(sizeof selection_cases / sizeof selection_cases[0]));
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return bp_test_run(load_suite());
}
