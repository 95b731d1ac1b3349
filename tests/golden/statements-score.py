#!/usr/bin/env python3
"""statements-score.py — scores a `budgetpdf export --format jsonl statements`
against hand-checked golden statements (tests/golden/statements-*.jsonl) or,
for a rendered document, against the statements of its .truth.json.
Typical run (tests/check_statements_golden.c does the same field by field):
  budgetpdf --db X ingest PDF && budgetpdf --db X export --format jsonl \
    statements > E.jsonl && statements-score.py -v E.jsonl GOLDEN.jsonl

Golden mode (second file ends in .jsonl).  The unit counted is the
figure-bearing sentence: the golden's records grouped by sentence (white
space removed).  Our records of the same sentence are lined up with the
golden's in order; a sentence whose statement count differs, or that we
cut differently (no record with the same sentence), fails every field.
Otherwise a sentence is right for a field when every statement agrees:
  subject     subject (white space removed)
  value       value (exact decimal) and printed text
  unit        unit
  comparison  base_year, change and percent (exact decimals, signed) and
              not_comparable
  components  each component's subject, value and unit
A sentence is *right* when all five agree.  Records the golden's header
lists as `# known wrong: statement N field[ and field] (why)` are counted as
misses for those fields (the golden pins today's output; the list is the
hand judgement of what is still wrong).  Our sentences absent from the
golden are counted as extra (a figure we should not have read, e.g. from
a table).  bbox is not scored (tests/check_statements_golden.c checks it).

Truth mode (.truth.json): a truth sentence is covered when our statements
for it account for every figure it lists (value or change or percent or
component), by exact value and unit; white space and commas are folded
when sentences are matched.

usage: statements-score.py [-v] EXPORT.jsonl GOLDEN.jsonl|TRUTH.json [...]
"""
import json, re, sys
from decimal import Decimal

FIELDS = ("subject", "value", "unit", "comparison", "components")

def fold(s):
    return re.sub(r"\s+", "", s or "")

def dec(v):
    return None if v is None else Decimal(v).normalize()

def known_wrong(path):
    """{statement_no: set of fields} from `# known wrong:` header lines."""
    out = {}
    for line in open(path, encoding="utf-8"):
        m = re.match(r"#\s*known wrong:\s*statement\s+(\d+)\s+([^(]*)", line)
        if m:
            out.setdefault(int(m.group(1)), set()).update(
                f for f in FIELDS if re.search(r"\b" + f + r"\b", m.group(2)))
    return out

def read_jsonl(path):
    out = []
    for line in open(path, encoding="utf-8"):
        line = line.strip()
        if line and not line.startswith("#"):
            out.append(json.loads(line))
    return out

def field(r, name):
    if name == "subject":
        return fold(r.get("subject"))
    if name == "value":
        return (dec(r.get("value")), fold(r.get("text")))
    if name == "unit":
        return r.get("unit") or ""
    if name == "comparison":
        return (r.get("base_year"), dec(r.get("change")), dec(r.get("percent")),
                bool(r.get("not_comparable")))
    return [(fold(c.get("subject")), dec(c.get("value")), c.get("unit") or "")
            for c in r.get("components") or []]

def group(recs):
    groups = {}
    for r in recs:
        groups.setdefault(fold(r["sentence"]), []).append(r)
    return groups

def score_golden(export, golden, verbose):
    ours, gold = group(read_jsonl(export)), group(read_jsonl(golden))
    wrong = known_wrong(golden)
    right = {f: 0 for f in FIELDS}
    whole, misses = 0, []
    for key, g in gold.items():
        o = ours.get(key, [])
        ok_all = True
        bad = []
        for f in FIELDS:
            ok = len(o) == len(g) and all(field(a, f) == field(b, f)
                                          for a, b in zip(o, g))
            if any(f in wrong.get(b["statement_no"], ()) for b in g):
                ok = False  # judged wrong by hand
            right[f] += ok
            if not ok:
                ok_all = False
                bad.append(f)
        whole += ok_all
        if not ok_all:
            misses.append((g[0]["page"], key, bad, g, o))
    extra = [k for k in ours if k not in gold]
    return len(gold), right, whole, misses, extra, ours

def score_truth(export, truth):
    ours = read_jsonl(export)
    t = json.load(open(truth, encoding="utf-8"))
    stmts = t["statements"] if isinstance(t, dict) else t
    covered, missing = 0, []
    # commas are folded too: a rendered page may drop one the truth keeps
    loose = lambda t: re.sub(r"[,，]", "", fold(t))
    for s in stmts:
        key = loose(s["text"])
        mine = [r for r in ours if key and (key in loose(r["sentence"]) or
                (len(loose(r["sentence"])) > 8 and loose(r["sentence"]) in key))]
        have = []
        for r in mine:
            unit = r.get("unit") or ""
            if r.get("value") is not None:
                have.append((Decimal(r["value"]).copy_abs().normalize(), unit))
            if r.get("change") is not None:
                have.append((Decimal(r["change"]).copy_abs().normalize(), unit))
            if r.get("percent") is not None:
                have.append((Decimal(r["percent"]).copy_abs().normalize(), "%"))
            for c in r.get("components") or []:
                if c.get("value") is not None:
                    have.append((Decimal(c["value"]).copy_abs().normalize(),
                                 c.get("unit") or ""))
        ok = True
        for n in s["numbers"]:
            m = re.match(r"^[-]?(\d+(?:\.\d+)?)(.*)$", fold(n).replace(",", ""))
            if not m:
                continue
            f = (Decimal(m.group(1)).normalize(), m.group(2) or "")
            if f in have:
                have.remove(f)
            else:
                ok = False
        covered += ok
        if not ok:
            missing.append(s)
    return covered, len(stmts), missing

def pct(a, n):
    return f"{100.0 * a / max(n, 1):.1f}%"

def main(args):
    verbose = "-v" in args
    args = [a for a in args if a != "-v"]
    tot_n, tot_whole, tot = 0, 0, {f: 0 for f in FIELDS}
    for export, ref in zip(args[0::2], args[1::2]):
        if ref.endswith(".json"):
            c, n, missing = score_truth(export, ref)
            print(f"{ref}: {c}/{n} truth sentences covered ({pct(c, n)})")
            for s in missing:
                print(f"  missed p{s['page']}: {s['text'][:90]} {s['numbers']}")
            continue
        n, right, whole, misses, extra, ours = score_golden(export, ref, verbose)
        tot_n += n
        tot_whole += whole
        for f in FIELDS:
            tot[f] += right[f]
        cols = "  ".join(f"{f} {right[f]}/{n} {pct(right[f], n)}" for f in FIELDS)
        print(f"{ref}: {n} sentences; {cols}; all {whole}/{n} {pct(whole, n)}; "
              f"extra sentences {len(extra)}")
        for page, key, bad, g, o in misses:
            print(f"  p{page} wrong {','.join(bad)}: {key[:70]}")
            if verbose:
                for r in g:
                    print(f"    want {r['subject']!r} {r['text']!r} {r['base_year']} {r['change']} {r['percent']}")
                for r in o:
                    print(f"    have {r['subject']!r} {r['text']!r} {r['base_year']} {r['change']} {r['percent']}")
        for key in extra:
            print(f"  extra p{ours[key][0]['page']}: {key[:70]}")
    if tot_n:
        cols = "  ".join(f"{f} {tot[f]}/{tot_n} {pct(tot[f], tot_n)}" for f in FIELDS)
        print(f"total: {tot_n} sentences; {cols}; all {tot_whole}/{tot_n} {pct(tot_whole, tot_n)}")
    return 0

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
