/*
 * schema.c — the database schema as a list of forward migrations.
 *
 * PRAGMA user_version holds the number of migrations applied.  Opening a
 * database applies the missing ones in one transaction each; a database
 * newer than this binary is refused.  Migrations are append-only: never
 * edit one that has shipped, add the next.
 *
 * Conventions every per-document table follows (load/merge.c relies on
 * them): a `doc_id` column referencing documents(id) with ON DELETE
 * CASCADE, and keys local to the document (page, table_no, row_no …), so
 * that a document parsed into a private database by a worker can be copied
 * into the main one by rewriting doc_id alone.  Money is TEXT holding an
 * exact decimal string, never REAL; REAL is only for coordinates in PDF
 * points (origin top-left of the displayed page).
 */
#include "load/load_int.h"

#include <stddef.h>

static const char *const migrations[] = {
    /* 1: documents, pages, lines, tables, statements, checks, errors */
    "CREATE TABLE documents ("
    "  id INTEGER PRIMARY KEY,"
    "  sha256 TEXT NOT NULL UNIQUE,"
    "  file TEXT NOT NULL,"
    "  file_size INTEGER NOT NULL,"
    "  pages INTEGER NOT NULL,"
    "  producer TEXT, creator TEXT, title TEXT, pdf_version TEXT,"
    "  fiscal_year INTEGER,"     /* identity, from the text (statements work) */
    "  issuer TEXT,"
    "  kind TEXT,"               /* 部门预算, 部门决算, 绩效目标 … */
    "  level TEXT,"              /* 省 / 市 / 区 / 街道 where stated */
    "  ingested_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),"
    "  parse_ms INTEGER"
    ");"
    "CREATE TABLE pages ("
    "  doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,"
    "  page INTEGER NOT NULL,"
    "  width REAL NOT NULL, height REAL NOT NULL, rotation INTEGER NOT NULL,"
    "  glyphs INTEGER NOT NULL,"
    "  PRIMARY KEY (doc_id, page)"
    ") WITHOUT ROWID;"
    "CREATE TABLE lines ("
    "  doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,"
    "  page INTEGER NOT NULL,"
    "  line INTEGER NOT NULL,"   /* 1-based, top to bottom */
    "  text TEXT NOT NULL,"
    "  x0 REAL, y0 REAL, x1 REAL, y1 REAL,"
    "  PRIMARY KEY (doc_id, page, line)"
    ") WITHOUT ROWID;"
    "CREATE TABLE doc_tables ("
    "  doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,"
    "  table_no INTEGER NOT NULL,"  /* 1-based, in document order */
    "  label TEXT,"                 /* as printed: 表1, 公开01表, 附表1-2; NULL if none */
    "  title TEXT,"                 /* 收支总表 */
    "  unit TEXT,"                  /* 万元 / 元 / 千元 as printed on the unit line */
    "  department TEXT,"            /* 部门名称/单位名称 line */
    "  first_page INTEGER NOT NULL, last_page INTEGER NOT NULL,"
    "  empty_note TEXT,"            /* 本表无数据 … when declared empty */
    "  PRIMARY KEY (doc_id, table_no)"
    ") WITHOUT ROWID;"
    "CREATE TABLE table_columns ("
    "  doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,"
    "  table_no INTEGER NOT NULL,"
    "  column_no INTEGER NOT NULL,"
    "  path TEXT NOT NULL,"         /* header levels joined by ' / ' */
    "  part INTEGER NOT NULL DEFAULT 0," /* side-by-side group (收入 0, 支出 1) */
    "  is_label INTEGER NOT NULL DEFAULT 0,"
    "  x0 REAL, x1 REAL,"
    "  PRIMARY KEY (doc_id, table_no, column_no)"
    ") WITHOUT ROWID;"
    "CREATE TABLE table_rows ("
    "  doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,"
    "  table_no INTEGER NOT NULL,"
    "  row_no INTEGER NOT NULL,"
    "  part INTEGER NOT NULL DEFAULT 0,"
    "  label TEXT,"                 /* as printed, whitespace folded */
    "  code TEXT,"                  /* classification code, NULL if none */
    "  level INTEGER,"              /* hierarchy depth, 0 = top */
    "  role TEXT NOT NULL DEFAULT 'item'," /* item, total, subtotal, of_which */
    "  page INTEGER NOT NULL,"
    "  y0 REAL, y1 REAL,"
    "  PRIMARY KEY (doc_id, table_no, row_no, part)"
    ") WITHOUT ROWID;"
    "CREATE TABLE cells ("
    "  doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,"
    "  table_no INTEGER NOT NULL,"
    "  row_no INTEGER NOT NULL,"
    "  column_no INTEGER NOT NULL,"
    "  page INTEGER NOT NULL,"
    "  text TEXT NOT NULL,"         /* as printed */
    "  value TEXT,"                 /* exact decimal in the table's unit; NULL if no number */
    "  precision INTEGER,"          /* digits after the point as printed */
    "  x0 REAL, y0 REAL, x1 REAL, y1 REAL,"
    "  PRIMARY KEY (doc_id, table_no, row_no, column_no)"
    ") WITHOUT ROWID;"
    "CREATE TABLE statements ("
    "  doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,"
    "  statement_no INTEGER NOT NULL,"
    "  page INTEGER NOT NULL,"
    "  sentence TEXT NOT NULL,"
    "  subject TEXT,"
    "  text TEXT,"                  /* the figure as printed */
    "  value TEXT,"                 /* exact decimal in `unit` */
    "  unit TEXT,"
    "  precision INTEGER,"
    "  base_year INTEGER,"
    "  change TEXT,"                /* signed exact decimal in `unit` */
    "  percent TEXT,"               /* signed exact decimal, percent */
    "  x0 REAL, y0 REAL, x1 REAL, y1 REAL,"
    "  PRIMARY KEY (doc_id, statement_no)"
    ") WITHOUT ROWID;"
    "CREATE TABLE statement_components ("
    "  doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,"
    "  statement_no INTEGER NOT NULL,"
    "  component_no INTEGER NOT NULL,"
    "  subject TEXT, text TEXT, value TEXT, unit TEXT, precision INTEGER,"
    "  PRIMARY KEY (doc_id, statement_no, component_no)"
    ") WITHOUT ROWID;"
    "CREATE TABLE checks ("
    "  doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,"
    "  check_no INTEGER NOT NULL,"
    "  rule TEXT NOT NULL,"
    "  status TEXT NOT NULL CHECK (status IN ('ok','rounding','mismatch','unverifiable')),"
    "  expected TEXT, actual TEXT, difference TEXT, tolerance TEXT, unit TEXT,"
    "  message TEXT,"               /* one line, Chinese */
    "  message_en TEXT,"
    "  PRIMARY KEY (doc_id, check_no)"
    ") WITHOUT ROWID;"
    "CREATE TABLE check_operands ("
    "  doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,"
    "  check_no INTEGER NOT NULL,"
    "  operand_no INTEGER NOT NULL,"
    "  page INTEGER,"
    "  table_no INTEGER, row_no INTEGER, column_no INTEGER,"
    "  statement_no INTEGER,"
    "  text TEXT, value TEXT,"
    "  PRIMARY KEY (doc_id, check_no, operand_no)"
    ") WITHOUT ROWID;"
    "CREATE TABLE ingest_errors ("
    "  id INTEGER PRIMARY KEY,"
    "  file TEXT NOT NULL,"
    "  sha256 TEXT,"
    "  page INTEGER,"
    "  kind TEXT NOT NULL,"         /* io, format, encrypted, empty, limit, crash … */
    "  message TEXT NOT NULL,"
    "  at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))"
    ");"
    "CREATE INDEX ingest_errors_file ON ingest_errors(file);",

    /* 2: a comparison printed as not comparable (增长--（基数为 0，不可比）) */
    "ALTER TABLE statements ADD COLUMN not_comparable INTEGER NOT NULL DEFAULT 0;",

    /* 3: the cells of one page, looked up when statements that sit inside a
     * table are dropped (a scan of every cell of the document per sentence
     * was 40% of an ingest without rules) */
    "CREATE INDEX cells_page ON cells(doc_id, page);",

    /* 4: drop_table_figures reads a document's cells once and searches them
     * by page in memory; the index no query needs cost a third of every
     * cell insert, in the worker and again in the merge */
    "DROP INDEX IF EXISTS cells_page;",

    /* 5: which build of the rules made a document's checks (bp_rules_id;
     * NULL: none yet): `reconcile` re-runs the rules where it differs */
    "ALTER TABLE documents ADD COLUMN rules_id TEXT;",
};

int bp_schema_version(void)
{
    return (int)(sizeof migrations / sizeof migrations[0]);
}

const char *bp_schema_migration(int version)
{
    if (version < 1 || version > bp_schema_version())
        return NULL;
    return migrations[version - 1];
}
