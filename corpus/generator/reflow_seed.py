#!/usr/bin/python3
"""One-off helper: turn a line-wrapped seed text region into one paragraph per line.

Used once to draft data/*.text.txt; the drafts were then checked and fixed by
hand (paragraph breaks are a guess where a wrapped line happens to be full).
Usage: reflow_seed.py SEED FIRST_LINE LAST_LINE > draft.txt   (1-based, inclusive)
"""
import re
import sys

HEAD = re.compile(r'^(第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）'
                  r'|\d+[.．](?![\d%])|（\d+）|\(\d+\)|附件)')
PAGENO = re.compile(r'^-\s*\d+\s*-$')


def dw(s):
    """Display width: CJK and full-width characters count 2."""
    return sum(2 if ord(c) > 0x2e80 else 1 for c in s)


def main():
    seed, first, last = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    lines = open(seed, encoding='utf-8').read().split('\n')[first - 1:last]
    lines = [l.strip() for l in lines]
    lines = [l for l in lines if l and not PAGENO.match(l)]
    width = sorted(dw(l) for l in lines)[len(lines) * 9 // 10]
    paras, cur = [], ''
    for l in lines:
        if cur and (HEAD.match(l) or cur_last.startswith('第') and '部分' in cur_last[:6] or dw(cur_last) < width * 0.6
                    or (cur_last[-1] in '。：；！' and dw(cur_last) < width - 4)):
            paras.append(cur)
            cur = ''
        cur += l
        cur_last = l
    if cur:
        paras.append(cur)
    print('\n'.join(paras))


if __name__ == '__main__':
    main()
