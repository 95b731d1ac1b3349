#!/usr/bin/python3
"""Check a rendered corpus PDF against its truth file: every table cell (and column
name, 栏次 number) must appear in pdftotext output of the table's pages, every statement
figure on its page, and no U+FFFD.  Cells wrapped beside another wrapped cell are
accepted when their pieces appear in order.  Usage: check_truth.py FILE.pdf FILE.truth.json"""
import json, subprocess, sys, re
pdf, truth = sys.argv[1], sys.argv[2]
t = json.load(open(truth))
def text(a, b, layout=False):
    args = ['pdftotext', '-f', str(a), '-l', str(b)] + (['-layout'] if layout else []) + [pdf, '-']
    return subprocess.run(args, capture_output=True, text=True).stdout
allt = text(1, t['page_count'])
print('pages', t['page_count'], 'FFFD', allt.count('\ufffd'))
bad = 0; n = 0
for tb in t['tables']:
    a, b = tb['pages']
    raw = text(a, b) + text(a, b, True)
    squash = re.sub(r'\s', '', raw)
    vals = [c for r in tb['rows'] for c in r['cells'].values() if c] + [c.split('/')[-1] for c in tb['columns']] + [v for v in tb.get('column_numbers', {}).values() if v]
    for v in vals:
        n += 1
        v2 = re.sub(r'\[\d+\]$', '', v)
        if v2 in raw: continue
        if re.sub(r'\s', '', v2) in squash:
            print('  only-squashed', tb['id'], repr(v2)); continue
        chunks = [re.sub(r'\s', '', c) for l in text(a, b, True).split('\n') for c in l.split()]
        rest = re.sub(r'\s', '', v2)
        for c in chunks:
            if rest.startswith(c):
                rest = rest[len(c):]
        if not rest:
            print('  fragmented (wrapped beside another wrapped cell)', tb['id'], repr(v2[:30])); continue
        bad += 1; print('MISSING', tb['id'], tb['pages'], repr(v2))
for s in t['statements']:
    raw = re.sub(r'\s', '', text(s['page'], s['page']))
    for num in s['numbers']:
        n += 1
        if re.sub(r'\s', '', num) not in raw:
            bad += 1; print('STMT MISSING', s['page'], num)
print('checked', n, 'bad', bad)
