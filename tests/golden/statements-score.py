#!/usr/bin/env python3
"""statements-score.py — scores a `budgetpdf export --format jsonl statements`
against the statements of a .truth.json (or a golden statements-*.jsonl).

A truth sentence is *covered* when our statements for that sentence (same
text once white space is removed; ours may be longer or shorter when the
sentence was cut differently, so containment either way counts) account for
every figure the truth lists: each figure (value and unit) must appear as a
statement value, a change, a percent or a component.  Figures are compared
by exact decimal value and unit.  Prints per-document and total counts.

usage: statements-score.py EXPORT.jsonl TRUTH.json [EXPORT TRUTH ...]
"""
import json, re, sys
from decimal import Decimal

def fold(s):
    return re.sub(r"\s+", "", s or "")

def parse_fig(t):
    t = fold(t).replace(",", "").replace("，", "")
    m = re.match(r"^[-]?(\d+(?:\.\d+)?)(.*)$", t)
    if not m:
        return None
    return (Decimal(m.group(1)).normalize(), m.group(2) or "")

def ours_figs(recs):
    figs = []
    for r in recs:
        unit = r.get("unit") or ""
        if r.get("value") is not None:
            figs.append((Decimal(r["value"]).copy_abs().normalize(), unit))
        if r.get("change") is not None:
            figs.append((Decimal(r["change"]).copy_abs().normalize(), unit))
        if r.get("percent") is not None:
            figs.append((Decimal(r["percent"]).copy_abs().normalize(), "%"))
        for c in r.get("components") or []:
            if c.get("value") is not None:
                figs.append((Decimal(c["value"]).copy_abs().normalize(), c.get("unit") or ""))
    return figs

def score(export, truth):
    ours = [json.loads(l) for l in open(export, encoding="utf-8") if l.strip()]
    t = json.load(open(truth, encoding="utf-8"))
    stmts = t["statements"] if isinstance(t, dict) else t
    covered, missing = 0, []
    for s in stmts:
        key = fold(s["text"])
        mine = [r for r in ours if key and (key in fold(r["sentence"]) or
                (len(fold(r["sentence"])) > 8 and fold(r["sentence"]) in key))]
        have = ours_figs(mine)
        ok = True
        for n in s["numbers"]:
            f = parse_fig(n)
            if f is None:
                continue
            if f in have:
                have.remove(f)
            else:
                ok = False
        if ok:
            covered += 1
        else:
            missing.append(s)
    return covered, len(stmts), missing

def main(args):
    total_c = total_n = 0
    for export, truth in zip(args[0::2], args[1::2]):
        c, n, missing = score(export, truth)
        total_c += c
        total_n += n
        print(f"{truth}: {c}/{n} sentences covered ({100.0 * c / max(n, 1):.1f}%)")
        for s in missing:
            print(f"  missed p{s['page']}: {s['text'][:90]} {s['numbers']}")
    print(f"total: {total_c}/{total_n} ({100.0 * total_c / max(total_n, 1):.1f}%)")
    return 0

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
