"""Layout engine for the sample disclosures: narrative, ruled tables, forms.

Everything that is printed goes through this module, and the same calls record
the truth file (tables with every cell as printed, statements with their page),
so the truth is exact by construction.  Uses reportlab (Debian python3-reportlab)
with TrueType CJK fonts (fonts-arphic-uming for text, fonts-wqy-zenhei for tables).
"""
import json
import re

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (BaseDocTemplate, Flowable, Frame, LongTable, NextPageTemplate,
                                PageBreak, PageTemplate, Paragraph, Spacer)

MING = 'UMingCN'
HEI = 'WQYZenHei'
pdfmetrics.registerFont(TTFont(MING, '/usr/share/fonts/truetype/arphic/uming.ttc', subfontIndex=0))
pdfmetrics.registerFont(TTFont(HEI, '/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc', subfontIndex=0))


def _style(name, font=MING, size=10.5, lead=None, align=TA_LEFT, **kw):
    return ParagraphStyle(name, fontName=font, fontSize=size, leading=lead or size * 1.6,
                          alignment=align, wordWrap='CJK', **kw)


ST = {
    'cover': _style('cover', HEI, 22, 34, TA_CENTER, spaceBefore=180, spaceAfter=24),
    'h1': _style('h1', HEI, 14, 22, TA_CENTER, spaceBefore=10, spaceAfter=8),
    'h2': _style('h2', HEI, 11.5, 20, spaceBefore=6, spaceAfter=2, firstLineIndent=21),
    'body': _style('body', MING, 10.5, 19, firstLineIndent=21, spaceAfter=2),
    'heading': _style('heading', HEI, 9, 12),
    'headingr': _style('headingr', HEI, 9, 12, TA_RIGHT),
    'title': _style('title', HEI, 14, 20, TA_CENTER, spaceAfter=4),
    'meta': _style('meta', HEI, 8.5, 12),
    'metar': _style('metar', HEI, 8.5, 12, TA_RIGHT),
    'hdr': _style('hdr', HEI, 8.5, 11, TA_CENTER),
    'cell': _style('cell', HEI, 9, 12),
    'cellc': _style('cellc', HEI, 9, 12, TA_CENTER),
    'num': _style('num', HEI, 9, 12, TA_RIGHT),
    'note': _style('note', HEI, 7.5, 10),
}

# A figure with its unit, as a statement records it ("21,866.99万元", "17.8%").
FIGURE = re.compile(r'\d[\d,]*(?:\.\d+)?\s*(?:万元|元|%|个|人次|人|辆|台（套）|家|项|次|分)')
SENTENCE = re.compile(r'[^。；;]*[。；;]?')
NUMERIC = re.compile(r'^[-—]?[\d,]+(?:\.\d+)?%?$|^[（(][\d,.]+[）)]$')


class Mark(Flowable):
    """Zero-size flowable whose page is recorded (table start/end)."""

    def __init__(self, key):
        Flowable.__init__(self)
        self.key = key
        self.width = self.height = 0

    def draw(self):
        pass


class Keyed:
    """Mixin: the parts a flowable splits into keep its truth key, so that
    afterFlowable can record the page of each part."""
    key = None

    def split(self, availWidth, availHeight):
        parts = super().split(availWidth, availHeight)
        for p in parts:
            p.key = self.key
        return parts


class TrackedTable(Keyed, LongTable):
    """A table whose parts remember which truth table they belong to."""


class TrackedPara(Keyed, Paragraph):
    """A narrative paragraph; its parts report their page and text length."""


def clean(cell):
    """Printed text of a data-file cell: strip the layout markers."""
    return cell.lstrip('>=').strip()


def header_grid(columns):
    """Merged header cells for column paths: list of (text, col0, row0, col1, row1)."""
    paths = [re.sub(r'\[\d+\]$', '', c).split('/') for c in columns]
    depth = max(len(p) for p in paths)
    cells = []
    for lvl in range(depth):
        j = 0
        while j < len(paths):
            p = paths[j]
            if lvl >= len(p):
                j += 1
                continue
            k = j
            while (k + 1 < len(paths) and len(paths[k + 1]) > lvl and lvl < len(p) - 1
                   and paths[k + 1][:lvl + 1] == p[:lvl + 1]):
                k += 1
            bottom = depth - 1 if lvl == len(p) - 1 else lvl
            cells.append((p[lvl], j, lvl, k, bottom))
            j = k + 1
    return cells, depth


def ruled(top=0):
    """Grid lines for the rows from `top` down (rows above are unruled title lines)."""
    return [('GRID', (0, top), (-1, -1), 0.5, colors.black),
            ('BOX', (0, top), (-1, -1), 1.0, colors.black)]


GRID = [('VALIGN', (0, 0), (-1, -1), 'MIDDLE'),
        ('LEFTPADDING', (0, 0), (-1, -1), 2.5), ('RIGHTPADDING', (0, 0), (-1, -1), 2.5),
        ('TOPPADDING', (0, 0), (-1, -1), 4), ('BOTTOMPADDING', (0, 0), (-1, -1), 4)]


class Document:
    def __init__(self, path, title, author, seed, footer='第 {} 页'):
        self.path = path
        self.title = title
        self.author = author
        self.seed = seed
        self.footer = footer
        self.story = []
        self.tables = []
        self.statements = []
        self._pages = {}        # key -> set of pages
        self._paras = {}        # key -> (text, [(page, chars)])
        self.orientation = 'portrait'

    # ---- page templates -------------------------------------------------
    def _on_page(self, canvas, doc):
        w, h = canvas._pagesize
        canvas.saveState()
        canvas.setFont(MING, 9)
        canvas.drawCentredString(w / 2, 12 * mm, self.footer.format(doc.page))
        canvas.setLineWidth(0.4)
        canvas.line(20 * mm, h - 14 * mm, w - 20 * mm, h - 14 * mm)
        canvas.setFont(MING, 7.5)
        canvas.drawRightString(w - 20 * mm, h - 12.5 * mm, self.title)
        canvas.restoreState()

    def _templates(self):
        pw, ph = A4
        lw, lh = landscape(A4)
        return [PageTemplate('portrait', [Frame(25 * mm, 20 * mm, pw - 50 * mm, ph - 40 * mm, id='p')],
                             onPage=self._on_page, pagesize=A4),
                PageTemplate('landscape', [Frame(15 * mm, 18 * mm, lw - 30 * mm, lh - 36 * mm, id='l')],
                             onPage=self._on_page, pagesize=landscape(A4))]

    def width(self):
        return (landscape(A4)[0] - 30 * mm) if self.orientation == 'landscape' else (A4[0] - 50 * mm)

    def new_page(self, orientation='portrait'):
        if self.story:
            self.story.append(NextPageTemplate(orientation))
            self.story.append(PageBreak())
        elif orientation != 'portrait':
            raise ValueError('first page is portrait')
        self.orientation = orientation

    # ---- narrative --------------------------------------------------------
    def cover(self, lines):
        for i, l in enumerate(lines):
            self.story.append(Paragraph(l, ST['cover'] if i == 0 else ST['h1']))

    def heading(self, text, level=1):
        self.story.append(Paragraph(text, ST['h1' if level == 1 else 'h2']))

    def para(self, text, statements=True):
        p = TrackedPara(text, ST['body'])
        if statements:
            p.key = 'para%d' % len(self._paras)
            self._paras[p.key] = (text, [])
        self.story.append(p)

    def spacer(self, h=6):
        self.story.append(Spacer(1, h))

    def narrative(self, paragraphs, tables=None):
        """Lay out one paragraph per line; 第X部分 and short 一、 lines are headings;
        "@@TABLE id" lines place a table from `tables`, "@@H1 text" / "@@H2 text"
        are headings, "@@PAGE" starts a new portrait page."""
        for p in paragraphs:
            p = p.strip()
            if not p:
                continue
            if p == '@@PAGE':
                self.new_page()
            elif p.startswith('@@H1 ') or p.startswith('@@H2 '):
                self.heading(p[5:].strip(), int(p[3]))
            elif p.startswith('@@TABLE '):
                self.table(tables[p[8:].strip()], new_page=False)
            elif re.match(r'^第[一二三四五六七八九十]+部分', p) or re.match(r'^[一二三四五六七八九十]+、\S{0,18}$', p) and len(p) < 16:
                self.heading(p, 1 if p.startswith('第') else 2)
            elif re.match(r'^[一二三四五六七八九十]+、', p) and len(p) < 24 and '。' not in p:
                self.heading(p, 2)
            else:
                self.para(p)

    # ---- tables -----------------------------------------------------------
    def table(self, spec, new_page=True):
        """A ruled table from a spec (see tables.load_tables); title lines and the
        merged column header (with the 栏次 row of spec['colnos']) repeat on every
        page unless spec['repeat'] is false.  A body cell "<" merges with the cell to
        its left (its truth text is "")."""
        if new_page:
            self.new_page('landscape' if spec.get('landscape') else 'portrait')
        cols = spec['columns']
        ncol = len(cols)
        grid, depth = header_grid(cols)
        widths = spec.get('widths') or [1] * ncol
        scale = self.width() / sum(widths)
        colw = [w * scale for w in widths]
        data, style = [], list(GRID)
        top = 0
        if spec.get('heading') or spec.get('title'):
            hst = ST['headingr'] if spec.get('heading_align') == 'right' else ST['heading']
            data.append([Paragraph(spec.get('heading') or '', hst)] + [''] * (ncol - 1))
            data.append([Paragraph(spec.get('title') or '', ST['title'])] + [''] * (ncol - 1))
            half = int(spec.get('dept_cols') or max(1, ncol // 2))
            unit = Paragraph('单位：' + spec['unit'], ST['metar']) if spec.get('unit') else ''
            data.append([Paragraph(spec.get('dept') or '', ST['meta'])] + [''] * (half - 1)
                        + [unit] + [''] * (ncol - half - 1))
            style += [('SPAN', (0, 0), (-1, 0)), ('SPAN', (0, 1), (-1, 1)),
                      ('SPAN', (0, 2), (half - 1, 2)), ('SPAN', (half, 2), (-1, 2)),
                      ]
            top = 3
        style += ruled(top)
        hdr = [[''] * ncol for _ in range(depth)]
        for text, c0, r0, c1, r1 in grid:
            hdr[r0][c0] = Paragraph(text, ST['hdr'])
            if (c0, r0) != (c1, r1):
                style.append(('SPAN', (c0, top + r0), (c1, top + r1)))
        colnos = None
        if spec.get('colnos'):
            if len(spec['colnos']) != ncol:
                raise ValueError('%s colnos has %d cells, want %d' % (spec['id'], len(spec['colnos']), ncol))
            row, colnos = [], {}
            for j, cell in enumerate(spec['colnos']):
                if cell == '<':
                    row.append('')
                    colnos[cols[j]] = ''
                else:
                    row.append(Paragraph(clean(cell), ST['hdr']))
                    colnos[cols[j]] = clean(cell)
            hdr.append(row)
            style += self._hspans(spec['colnos'], top + depth)
            depth += 1
        style.append(('BACKGROUND', (0, top), (-1, top + depth - 1), colors.Color(0.9, 0.93, 0.97)))
        data += hdr
        body = top + depth
        label = spec.get('label', [cols[0]])
        label_cols = [] if label == ['none'] else [cols.index(c) for c in label]
        code_col = cols.index(spec['code']) if spec.get('code') else None
        code_parts = [cols.index(c) for c in spec.get('codeparts', [])]
        truth_rows = []
        above = [''] * ncol
        for i, row in enumerate(spec['rows']):
            if len(row) != ncol:
                raise ValueError('%s row %d has %d cells, want %d: %r' % (spec['id'], i, len(row), ncol, row))
            out, printed = [], []
            for j, cell in enumerate(row):
                if cell == '^':
                    style.append(('SPAN', (j, body + i - 1), (j, body + i)))
                    text = above[j]
                    out.append('')
                elif cell == '<':
                    text = ''
                    out.append('')
                else:
                    text = clean(cell)
                    level = len(cell) - len(cell.lstrip('>'))
                    if text and NUMERIC.match(text) and j not in label_cols and j != code_col:
                        st = ST['num']
                    elif cell.startswith('=') or j == code_col:
                        st = ST['cellc']
                    else:
                        st = ParagraphStyle('ind', parent=ST['cell'], leftIndent=level * 7.5) if level else ST['cell']
                    out.append(Paragraph(text, st) if text else '')
                printed.append(text)
            above = printed
            data.append(out)
            style += self._hspans(row, body + i)
            code = printed[code_col] if code_col is not None and printed[code_col].isdigit() else None
            if code_parts and printed[code_parts[0]].isdigit():
                code = ''.join(printed[j] for j in code_parts)
            label = (next((printed[j] for j in label_cols if printed[j]), printed[0])
                     if label_cols else None)
            truth_rows.append({'code': code, 'label': label,
                               'cells': {c: printed[j] for j, c in enumerate(cols)}})
        t = TrackedTable(data, colWidths=colw, repeatRows=body if spec.get('repeat', True) else 0,
                         style=style)
        t.key = spec['id']
        self.story.append(t)
        for n in spec.get('notes', []):
            self.story.append(Paragraph(n, ST['note']))
        entry = {'id': spec['id'], 'title': spec.get('title'), 'heading': spec.get('heading'),
                 'unit': spec.get('unit'), 'pages': None, 'columns': cols, 'rows': truth_rows}
        if colnos:
            entry['column_numbers'] = colnos
        if not spec.get('repeat', True):
            entry['header_repeated'] = False
        for k in ('dept', 'location'):
            if spec.get(k):
                entry['dept_line' if k == 'dept' else k] = spec[k]
        if spec.get('notes'):
            entry['notes'] = spec['notes']
        self.tables.append(entry)

    @staticmethod
    def _hspans(cells, r):
        """SPAN commands for runs of "<" cells in one row."""
        spans, j = [], 0
        while j < len(cells):
            k = j
            while k + 1 < len(cells) and cells[k + 1] == '<':
                k += 1
            if k > j:
                spans.append(('SPAN', (j, r), (k, r)))
            j = k + 1
        return spans

    def form(self, spec):
        """A form-like table.  spec['parts'] is a list of grids (each rendered as one
        table, so that no merged cell has to cross a page break); a grid is a list
        of rows of (text, colspan, style) cells, text '^' merging with the cell
        above.  A part may say how many leading rows repeat on each page
        ('repeat') and how many are unruled title lines ('plain').
        spec['truth'] holds the truth rows."""
        colw = [w * self.width() / sum(spec['widths']) for w in spec['widths']]
        for part in spec['parts']:
            self.story.append(self._form_part(spec['id'], part, colw))
        for n in spec.get('notes', []):
            self.story.append(Paragraph(n, ST['note']))
        entry = {'id': spec['id'], 'title': spec.get('title'), 'heading': spec.get('heading'),
                 'unit': spec.get('unit'), 'pages': None, 'columns': spec['columns'], 'rows': spec['truth']}
        for k in ('dept_line', 'location', 'notes'):
            if spec.get(k):
                entry[k] = spec[k]
        self.tables.append(entry)

    def _form_part(self, key, part, colw):
        ncol = len(colw)
        data, style = [], list(GRID)
        for r, row in enumerate(part['grid']):
            out, c = [], 0
            for text, span, kind in row:
                if text == '^':
                    style.append(('SPAN', (c, r - 1), (c + span - 1, r)))
                    out += [''] * span
                else:
                    out.append(Paragraph(text, ST[kind]) if text else '')
                    out += [''] * (span - 1)
                    if span > 1:
                        style.append(('SPAN', (c, r), (c + span - 1, r)))
                c += span
            if c != ncol:
                raise ValueError('%s form row %d covers %d columns, want %d' % (key, r, c, ncol))
            data.append(out)
        style += ruled(part.get('plain', 0))
        t = TrackedTable(data, colWidths=colw, repeatRows=part.get('repeat', 0), style=style)
        t.key = key
        return t

    def caption(self, text, kind='title'):
        self.story.append(Paragraph(text, ST[kind]))

    # ---- build --------------------------------------------------------------
    def _after(self, flowable):
        key = getattr(flowable, 'key', None)
        if key is None:
            return
        page = self._doc.page
        if key in self._paras:
            self._paras[key][1].append((page, printed_chars(flowable)))
        else:
            self._pages.setdefault(key, set()).add(page)

    def build(self, truth_path, extra=None):
        doc = BaseDocTemplate(self.path, pagesize=A4, title=self.title, author=self.author,
                              creator='budgetpdf corpus generator (reportlab)', subject=self.title)
        doc.addPageTemplates(self._templates())
        doc.afterFlowable = self._after
        self._doc = doc
        doc.build(self.story)
        for t in self.tables:
            pages = sorted(self._pages[t['id']])
            t['pages'] = [pages[0], pages[-1]]
        for key, (text, parts) in self._paras.items():
            for sent, start in sentences(text):
                figs = FIGURE.findall(sent)
                if not figs:
                    continue
                page, seen = parts[-1][0], 0
                for pg, n in parts:
                    if start < seen + n:
                        page = pg
                        break
                    seen += n
                self.statements.append({'page': page, 'text': sent, 'numbers': figs})
        self.statements.sort(key=lambda s: s['page'])
        truth = {'source_seed': self.seed, 'pdf': self.path.rsplit('/', 1)[-1],
                 'route': 'corpus/generator (Python + reportlab platypus, TrueType CJK subsets)',
                 'unit_scale': '万元', 'page_count': doc.page}
        truth.update(extra or {})
        truth['tables'] = self.tables
        truth['statements'] = self.statements
        with open(truth_path, 'w', encoding='utf-8') as f:
            json.dump(truth, f, ensure_ascii=False, indent=1)
            f.write('\n')


def printed_chars(para):
    """Characters a laid-out paragraph (or split part) prints; getPlainText
    is empty for split parts, so count the laid-out lines."""
    lines = para.blPara.lines
    if para.blPara.kind:
        return sum(len(''.join(getattr(f, 'text', '') for f in l.words)) for l in lines)
    return sum(len(''.join(l[1])) for l in lines)


def sentences(text):
    """(sentence, offset) pairs; a sentence ends at 。 or ；."""
    for m in SENTENCE.finditer(text):
        s = m.group(0).strip()
        if s:
            yield s, m.start() + (len(m.group(0)) - len(m.group(0).lstrip()))
