/*
 * check_load.c — load/: migrations, refusing a newer schema, and the
 * worker → parent merge (insert, keep, replace, transactional failure).
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
    for (int p = 1; p <= 2; p++) {
        bp_word word = {.text = "合计", .box = {10, 20, 30, 32}, .n_glyphs = 2};
        bp_line line = {.text = "合计", .box = {10, 20, 30, 32}, .n_words = 1};
        bp_page page = {.number = p, .width = 595, .height = 842,
                        .words = &word, .n_words = 1, .lines = &line, .n_lines = 1};
        ck_assert_int_eq(bp_db_insert_page(w, doc_id, &page, &err), BP_OK);
    }
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
    free(bytes);
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

static Suite *load_suite(void)
{
    Suite *s = suite_create("load");
    TCase *tc = tcase_create("db");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, new_database_is_at_current_version);
    tcase_add_test(tc, newer_schema_is_refused);
    tcase_add_test(tc, merge_inserts_keeps_and_replaces);
    tcase_add_test(tc, errors_are_recorded);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return bp_test_run(load_suite());
}
