#!/usr/bin/env python3
"""score_cells.py — score a `budgetpdf export --format jsonl cells` export
against the .truth.json files of a corpus (recall and precision of cells).

A truth cell is every non-empty cell of every truth table.  An exported
cell matches a truth cell when all of these agree:
  * page: the exported page lies in the truth table's page range;
  * row: the exported row label equals the truth row's label, or one of the
    texts printed in that truth row (side-by-side tables carry one label per
    part), or the exported code equals the truth code, or neither has a
    label (a table whose one row prints no label, e.g. "三公" tables);
  * column: the header path, compared without spaces, '/' separators and
    the "[2]" suffix truth uses for repeated names;
  * text: the printed text, compared without whitespace (NFKC-folded).
Each exported cell matches at most one truth cell.  Recall = matched /
truth cells, precision = matched / exported cells of that document.

usage: score_cells.py [--min-recall R] [--min-precision P] [--misses N]
                      [--doc NAME] TRUTH_DIR CELLS.jsonl
--doc NAME scores only <NAME>.truth.json (may be repeated).
Exit 1 when a document is below a threshold (documents are matched by file
name: <name>.pdf ↔ <name>.truth.json).
"""
import json, os, re, sys, unicodedata
from collections import defaultdict

def fold(s):
    if s is None:
        return ""
    s = unicodedata.normalize("NFKC", str(s))
    return re.sub(r"\s+", "", s)

def fold_col(s):
    s = re.sub(r"\[\d+\]$", "", s or "")
    return fold(s).replace("/", "")

def main(argv):
    min_r = min_p = None
    show = 0
    only = set()
    args = []
    i = 1
    while i < len(argv):
        if argv[i] == "--min-recall": min_r = float(argv[i + 1]); i += 2
        elif argv[i] == "--min-precision": min_p = float(argv[i + 1]); i += 2
        elif argv[i] == "--misses": show = int(argv[i + 1]); i += 2
        elif argv[i] == "--doc": only.add(argv[i + 1]); i += 2
        else: args.append(argv[i]); i += 1
    if len(args) != 2:
        print(__doc__, file=sys.stderr); return 2
    truth_dir, cells_path = args
    exported = defaultdict(list)
    with open(cells_path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                c = json.loads(line)
                exported[os.path.splitext(os.path.basename(c["file"]))[0]].append(c)
    tot_t = tot_e = tot_m = 0
    failed = False
    for name in sorted(os.listdir(truth_dir)):
        if not name.endswith(".truth.json"):
            continue
        stem = name[:-len(".truth.json")]
        if only and stem not in only:
            continue
        truth = json.load(open(os.path.join(truth_dir, name), encoding="utf-8"))
        cells = exported.get(stem, [])
        # index exported cells by (column, text)
        index = defaultdict(list)
        for k, c in enumerate(cells):
            index[(fold_col(c["column"]), fold(c["text"]))].append(k)
        used = set()
        n_truth = matched = 0
        misses = []
        for t in truth["tables"]:
            p0, p1 = t["pages"][0], t["pages"][-1]
            for r in t["rows"]:
                keys = {fold(r.get("label"))}
                keys |= {fold(v) for v in r["cells"].values() if v}
                keys.discard("")
                for col, val in r["cells"].items():
                    if val is None or fold(val) == "":
                        continue
                    n_truth += 1
                    hit = None
                    for k in index.get((fold_col(col), fold(val)), []):
                        c = cells[k]
                        if k in used or not (p0 <= c["page"] <= p1):
                            continue
                        unlabelled = not fold(c["row"]) and not fold(r.get("label"))
                        if fold(c["row"]) in keys or unlabelled or \
                                (r.get("code") and c.get("code") == r["code"]):
                            hit = k; break
                    if hit is None:
                        misses.append((t["id"], r.get("label"), col, val))
                    else:
                        used.add(hit); matched += 1
        rec = matched / n_truth if n_truth else 1.0
        prec = matched / len(cells) if cells else 0.0
        print(f"{stem}: truth {n_truth} exported {len(cells)} matched {matched} "
              f"recall {rec:.4f} precision {prec:.4f}")
        for m in misses[:show]:
            print("   miss", m)
        if show:
            extra = [cells[k] for k in range(len(cells)) if k not in used]
            for c in extra[:show]:
                print("   extra", c["table"], c["page"], c["row"], "|", c["column"], "|", c["text"])
        if (min_r is not None and rec < min_r) or (min_p is not None and prec < min_p):
            failed = True
        tot_t += n_truth; tot_e += len(cells); tot_m += matched
    if tot_t:
        print(f"total: truth {tot_t} exported {tot_e} matched {tot_m} "
              f"recall {tot_m / tot_t:.4f} precision {tot_m / max(tot_e, 1):.4f}")
    return 1 if failed else 0

if __name__ == "__main__":
    sys.exit(main(sys.argv))
