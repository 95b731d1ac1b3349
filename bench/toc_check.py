#!/usr/bin/env python3
"""toc_check.py — does every table a document's own 目录 lists come out of
`budgetpdf` as a recovered table?

For each PDF: the 目录 is read from `budgetpdf text FILE` (the lines after
a 目录 heading on that page and, while no body text starts, the next one);
its table entries are the lines that, without numbering (一、 公开01表
（一） 1.), dot leaders and page numbers, end in 表.  A 目录 entry is found
when a recovered table (from `budgetpdf export --format jsonl tables`)
has a title or label+title that equals it, or contains it, or is
contained in it, compared without spaces, years, numbering and
punctuation.  A document whose text says its tables are attached
separately (…表附后 / 另附) is reported as such and not failed.

usage: toc_check.py BUDGETPDF TABLES.jsonl PDF...
Prints one line per document ("ok", "missing: …", "attached separately")
and exits 1 when an entry is missing.
"""
import json, re, subprocess, sys, unicodedata

NUMBERING = re.compile(r"^(?:第[一二三四五六七八九十]+部分|[一二三四五六七八九十]{1,3}[、.．]|"
                       r"[(（][一二三四五六七八九十\d]{1,3}[)）]|\d{1,2}[.、．](?!\d))\s*")
LABEL = re.compile(r"^(?:(?:部门|单位)?公开\s*(?:\d{1,2}\s*表|表\s*[\d一二三四五六七八九十]{1,3})|附?表\s*[\d一二三四五六七八九十]{1,3}(?:-\d+)?)\s*[:：]?")


def fold(s):
    s = unicodedata.normalize("NFKC", s or "")
    s = re.sub(r"\s+", "", s)
    s = re.sub(r"(?:19|20)\d\d年度?", "", s)
    s = re.sub(r"[“”\"'《》（）()、，,：:·—-]", "", s)
    return s


def level(t):
    if re.match(r"[一二三四五六七八九十]{1,3}[、.．]", t): return 0
    if re.match(r"[(（][一二三四五六七八九十]{1,3}[)）]", t): return 1
    if re.match(r"\d{1,2}[.、．](?!\d)", t): return 2
    return -1


def toc_entries(text_lines):
    entries, in_toc, seen = [], False, set()
    lines = []
    for line in text_lines:          # a wrapped entry (…支出预算 / 表) joins
        t = line.strip()
        if lines and level(t) < 0 and len(t) <= 4 and not t.isdigit() and \
                not re.fullmatch(r"目\s*录", t):
            lines[-1] += t
        else:
            lines.append(t)
    for i, t in enumerate(lines):
        if re.fullmatch(r"目\s*录", t):
            in_toc = True
            continue
        if not in_toc:
            continue
        t = re.sub(r"(?:[.．…·_]\s*){3,}\s*\d*\s*$", "", t)
        t = re.sub(r"\s+\d{1,3}\s*$", "", t)
        key = fold(t)
        if key in seen:          # the body repeats the 目录's first lines
            break
        seen.add(key)
        if len(entries) > 60 or (len(t) > 40 and not t.endswith("表")):
            break
        if re.match(r"第[一二三四五六七八九十]+部分", t):
            continue             # a part heading (第二部分 …部门预算表), not a table
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        if level(t) >= 0 and level(nxt) > level(t):
            continue             # a group of entries (五、部门预算表 / 1. …), not a table
        core = NUMBERING.sub("", t)
        core = LABEL.sub("", core).strip()
        if core.endswith("表") and len(core) >= 3 and "说明" not in core:
            entries.append(core)
    return entries


def main(argv):
    if len(argv) < 4:
        print(__doc__, file=sys.stderr)
        return 2
    exe, tables_path, pdfs = argv[1], argv[2], argv[3:]
    titles = {}
    with open(tables_path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                t = json.loads(line)
                titles.setdefault(t["file"].split("/")[-1], []).append(
                    fold(NUMBERING.sub("", t.get("title") or "")))
    failed = False
    for pdf in pdfs:
        name = pdf.split("/")[-1]
        out = subprocess.run([exe, "text", pdf], capture_output=True, text=True).stdout
        lines = out.splitlines()
        entries = toc_entries(lines)
        got = [t for t in titles.get(name, []) if t]
        missing = []
        for e in entries:
            k = fold(e)
            if not any(k == g or k in g or (len(g) >= 4 and g in k) for g in got):
                missing.append(e)
        attached = any(re.search(r"表(?:附后|另附)", l) for l in lines)
        if not entries:
            print(f"{name}: no 目录 table entries")
        elif missing and attached and not got:
            print(f"{name}: {len(entries)} 目录 tables, attached separately (not in this PDF)")
        elif missing:
            failed = True
            print(f"{name}: {len(entries) - len(missing)}/{len(entries)} found; missing: "
                  + "; ".join(missing))
        else:
            print(f"{name}: ok, {len(entries)}/{len(entries)} 目录 tables found")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
