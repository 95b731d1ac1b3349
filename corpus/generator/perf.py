"""Performance-target forms (绩效目标表): grid layout and truth rows together."""
import re
from xml.sax.saxutils import escape

COLS_WHOLE = ['值', '任务名称', '主要内容', '预算金额（万元）/总额', '预算金额（万元）/其中：财政拨款',
              '预算金额（万元）/其中：其他资金', '一级指标', '二级指标', '三级指标', '目标值']


def read_fields(path):
    """key: value lines; repeated keys collect into lists of "|"-split cells."""
    fields = {}
    for raw in open(path, encoding='utf-8'):
        line = raw.strip()
        if not line or line.startswith('#'):
            continue
        key, _, val = line.partition(':')
        val = val.strip()
        if key in ('task', 'ind', 'total'):
            fields.setdefault(key, []).append([c.strip() for c in val.split('|')])
        else:
            fields[key] = val
    return fields


def value_row(label, value):
    return {'code': None, 'label': label, 'cells': {'值': value}}


def vertical_runs(rows, col, longest=10):
    """Start index and length of each run of equal values in column col.  Runs
    are cut after `longest` rows (the label is printed again) so that a merged
    cell never has to cross a page break."""
    runs, i = [], 0
    while i < len(rows):
        j = i
        while j + 1 < len(rows) and rows[j + 1][col] == rows[i][col] and j + 1 - i < longest:
            j += 1
        runs.append((i, j - i + 1))
        i = j + 1
    return runs


def indicator_part(truth, inds, side, spans):
    """A grid of 一级/二级/三级指标 + 目标值 under a full-width side label; the
    label and the column header repeat on each page.  一级 and 二级 merge
    vertically.  spans: column spans of (一级, 二级, 三级, 目标值)."""
    s1, s2, s3, s4 = spans
    grid = [[(side, sum(spans), 'hdr')],
            [('一级指标', s1, 'hdr'), ('二级指标', s2, 'hdr'), ('三级指标', s3, 'hdr'), ('目标值', s4, 'hdr')]]
    first = {i for i, _ in vertical_runs(inds, 0)}
    second = {i for i, _ in vertical_runs([r[:2] for r in inds], 1)}
    for i, (l1, l2, l3, target) in enumerate(inds):
        grid.append([(l1 if i in first else '^', s1, 'cellc'),
                     (l2 if i in second else '^', s2, 'cellc'),
                     (l3, s3, 'cell'), (target, s4, 'cell')])
        truth.append({'code': None, 'label': l3,
                      'cells': {'一级指标': l1, '二级指标': l2, '三级指标': l3, '目标值': target}})
    return {'grid': grid, 'repeat': 2}


def whole_unit_form(table_id, path, doc):
    """整体支出绩效目标表 (seed 001 表12): 6-column grid."""
    f = read_fields(path)
    grid, truth = [], []
    grid.append([(f['heading'], 6, 'heading')])
    grid.append([(f['title'], 6, 'title')])
    grid.append([(f['year'], 3, 'meta'), ('单位：' + f['unit'], 3, 'metar')])
    grid.append([('单位名称', 1, 'cellc'), (f['单位名称'], 2, 'cell'),
                 ('主管部门', 1, 'cellc'), (f['主管部门'], 2, 'cell')])
    truth += [value_row('单位名称', f['单位名称']), value_row('主管部门', f['主管部门'])]
    grid.append([('年度主要任务', 6, 'hdr')])
    grid.append([('任务名称', 2, 'hdr'), ('主要内容', 1, 'hdr'), ('预算金额(万元)', 3, 'hdr')])
    grid.append([('^', 2, 'hdr'), ('^', 1, 'hdr'),
                 ('总额', 1, 'hdr'), ('其中：财政拨款', 1, 'hdr'), ('其中：其他资金', 1, 'hdr')])
    for name, content, total, fiscal, other in f['task']:
        grid.append([(name, 2, 'cell'), (content, 1, 'cell'),
                     (total, 1, 'num'), (fiscal, 1, 'num'), (other, 1, 'num')])
        truth.append({'code': None, 'label': name, 'cells': dict(zip(COLS_WHOLE[1:6], [name, content, total, fiscal, other]))})
    for label, total, fiscal, other in f['total']:
        grid.append([(label, 3, 'cellc'), (total, 1, 'num'), (fiscal, 1, 'num'), (other, 1, 'num')])
        truth.append({'code': None, 'label': label,
                      'cells': {'任务名称': label, COLS_WHOLE[3]: total, COLS_WHOLE[4]: fiscal, COLS_WHOLE[5]: other}})
    grid.append([('年度总体目标', 1, 'cellc'), (f['年度总体目标'], 5, 'cell')])
    truth.append(value_row('年度总体目标', f['年度总体目标']))
    part2 = indicator_part(truth, f['ind'], '年度绩效指标', (1, 1, 3, 1))
    return {'id': table_id, 'title': f['title'], 'heading': f['heading'], 'unit': f['unit'],
            'widths': [14, 20, 40, 12, 12, 12], 'columns': COLS_WHOLE,
            'parts': [{'grid': grid, 'repeat': 7, 'plain': 3}, part2], 'truth': truth, 'notes': [f['note']]}


COLS_PROJECT = ['值', '目标内容', '二级指标', '绩效指标', '指标目标值', '目标值来源']
FIELD_LABELS = {'项目名称', '项目类型', '资金用途', '计划开始日期', '计划完成日期', '项目总金额',
                '本年度项目金额', '财政拨款资金', '其他资金', '资产采购计划', '固定资产采购金额', '采购品目',
                '项目概况', '项目用途', '项目总(中期)目标', '年度绩效目标'}
CHECKED = '<input checked="" type="checkbox"/>'
UNCHECKED = '<input type="checkbox"/>'


def printed(cell):
    """The seed cell as printed: HTML paragraphs become lines, checkbox inputs
    become √ / □ (the symbols the other forms of the same seed use)."""
    cell = cell.replace(CHECKED, '√').replace(UNCHECKED, '□')
    cell = re.sub(r'\s*</p>\s*<p>\s*', '\n', cell)
    cell = re.sub(r'</?p>', '', cell)
    return cell.strip()


def markup(text):
    """Paragraph markup for printed text (escaped, line breaks kept)."""
    return escape(text).replace('\n', '<br/>')


def split_forms(path):
    """The seed's forms: lists of tab-split rows, from one title line to the next."""
    forms = []
    for raw in open(path, encoding='utf-8'):
        line = raw.rstrip('\n')
        if line.lstrip('# ').strip() == '项目绩效目标表':
            forms.append([])
        elif forms and line.strip():
            forms[-1].append(line.split('\t'))
    return forms


def project_form(table_id, rows):
    """One 项目绩效目标表 of seed 004 as a 5-column form and its truth rows."""
    year = rows[0][0].replace(' ', '')
    unit_line = rows[1][0]
    grid = [[('项目绩效目标表', 5, 'title')], [(year, 5, 'cellc')], [(unit_line, 5, 'metar')]]
    truth, inds, kind = [], [], 'fields'
    for cells in rows[2:]:
        first = cells[0].strip()
        if first.startswith('实施单位'):
            pairs = [re.split(r'[:：]\s*', c.strip(), 1) for c in cells if c.strip()]
            (l1, v1), (l2, v2) = pairs
            grid.append([(l1, 1, 'cellc'), (v1, 2, 'cell'), (l2, 1, 'cellc'), (v2, 1, 'cell')])
            truth += [value_row(l1, v1), value_row(l2, v2)]
        elif first == '目标内容':
            grid2 = [[(c.strip(), 1, 'hdr') for c in cells[:5]]]
            kind = 'indicators'
        elif kind == 'indicators':
            cells = [printed(c) for c in cells] + [''] * 5
            inds.append([cells[0] or (inds[-1][0] if inds else '')] + cells[1:5])
        else:
            fields, label = [], None
            for c in cells:
                c = printed(c)
                glued = re.match(r'^(\S+)\s+(.+)$', c)
                if glued and glued.group(1) in FIELD_LABELS:   # "采购品目 办公设备" in one cell
                    fields.append([glued.group(1), [glued.group(2)]])
                    label = glued.group(1)
                elif c in FIELD_LABELS:
                    label = c
                    fields.append([c, []])
                elif c and label:
                    fields[-1][1].append(c)
            fields = [(l, ' '.join(v)) for l, v in fields]
            truth += [value_row(l, v) for l, v in fields]
            if fields[0][0] == '资产采购计划':
                (l0, _), (l1, v1), (l2, v2) = fields
                grid.append([(l0, 1, 'cellc'), (l1, 1, 'cellc'), (markup(v1), 1, 'num'),
                             (l2, 1, 'cellc'), (markup(v2), 1, 'cell')])
            elif len(fields) == 2:
                (l1, v1), (l2, v2) = fields
                grid.append([(l1, 1, 'cellc'), (markup(v1), 2, 'num'), (l2, 1, 'cellc'), (markup(v2), 1, 'num')])
            else:
                (l1, v1), = fields
                grid.append([(l1, 1, 'cellc'), (markup(v1), 4, 'cell')])
    starts = {i for i, _ in vertical_runs(inds, 0)}
    for i, (l1, l2, name, target, source) in enumerate(inds):
        grid2.append([(l1 if i in starts else '^', 1, 'cellc'), (l2, 1, 'cellc'), (markup(name), 1, 'cell'),
                     (markup(target), 1, 'cell'), (markup(source), 1, 'cell')])
        truth.append({'code': None, 'label': name, 'cells': dict(zip(COLS_PROJECT[1:], (l1, l2, name, target, source)))})
    return {'id': table_id, 'title': '项目绩效目标表', 'heading': None, 'unit': '万元',
            'widths': [13, 15, 24, 20, 28], 'columns': COLS_PROJECT,
            'parts': [{'grid': grid, 'repeat': 3, 'plain': 3}, {'grid': grid2, 'repeat': 1}], 'truth': truth,
            'location': year + ' ' + unit_line}



FUND_COLS = ['项目资金（元）/年初预算数', '项目资金（元）/全年预算数', '项目资金（元）/全年执行数',
             '项目资金（元）/分值', '项目资金（元）/执行率', '项目资金（元）/得分']
GOAL_COLS = ['年度总体目标/预期目标', '年度总体目标/实际完成情况']
IND_COLS = ['一级指标', '二级指标', '三级指标', '年度指标值', '实际完成值', '分值', '得分', '偏差原因分析及改进措施']


def _printed(text):
    """Truth text of a cell whose data may force a line break ("<br/>")."""
    return text.replace('<br/>', '')


def self_eval_forms(path):
    """项目支出绩效自评表 forms (seed 002 附件2-N), from "=== 附件 2-N" sections of
    key: value lines (see the data file's header).  9-column grid: the funds block
    under a vertically merged 项目资金（元）, the indicator block as its own part
    with its header repeated on a continuation page."""
    sections, cur = [], None
    for raw in open(path, encoding='utf-8'):
        line = raw.rstrip('\n')
        if line.startswith('=== '):
            cur = {'id': line[4:].strip(), 'fund': [], 'goal': [], 'ind': [], 'total': []}
            sections.append(cur)
        elif cur is None or not line.strip() or line.startswith('#'):
            continue
        else:
            key, _, val = line.partition(':')
            val = val.strip()
            if key in ('fund', 'goal', 'ind', 'total'):
                cur[key].append([c.strip() for c in val.split('|')])
            else:
                cur[key] = val
    forms = []
    for f in sections:
        truth = [value_row(k, f[k]) for k in ('项目名称', '项目金额', '主管部门', '实施单位')]
        head = [[(f['id'], 9, 'heading')], [('项目支出绩效自评表', 9, 'title')],
                [('项目名称', 1, 'cellc'), (f['项目名称'], 3, 'cell'), ('项目金额', 1, 'cellc'), (f['项目金额'], 4, 'cell')],
                [('主管部门', 1, 'cellc'), (f['主管部门'], 3, 'cell'), ('实施单位', 1, 'cellc'), (f['实施单位'], 4, 'cell')],
                [('项目资金（元）', 1, 'cellc'), ('', 2, 'cell')] + [(c.split('/')[1], 1, 'hdr') for c in FUND_COLS]]
        for row in f['fund']:
            head.append([('^', 1, 'cellc'), (row[0], 2, 'cell')] + [(c, 1, 'num') for c in row[1:]])
            truth.append({'code': None, 'label': row[0], 'cells': dict(zip(FUND_COLS, map(_printed, row[1:])))})
        (expect, actual), = f['goal']
        head.append([('年度总体目标', 1, 'cellc'), ('预期目标', 4, 'hdr'), ('实际完成情况', 4, 'hdr')])
        head.append([('^', 1, 'cellc'), (expect, 4, 'cell'), (actual, 4, 'cell')])
        truth.append({'code': None, 'label': '年度总体目标', 'cells': dict(zip(GOAL_COLS, (expect, actual)))})
        inds = f['ind']
        grid = [[('年度绩效指标', 9, 'hdr')],
                [('一级指标', 1, 'hdr'), ('二级指标', 1, 'hdr'), ('三级指标', 2, 'hdr')]
                + [(c, 1, 'hdr') for c in IND_COLS[3:]]]
        first = {i for i, _ in vertical_runs(inds, 0)}
        second = {i for i, _ in vertical_runs([r[:2] for r in inds], 1)}
        for i, row in enumerate(inds):
            grid.append([(row[0] if i in first else '^', 1, 'cellc'), (row[1] if i in second else '^', 1, 'cellc'),
                         (row[2], 2, 'cell'), (row[3], 1, 'cell'), (row[4], 1, 'cell'),
                         (row[5], 1, 'num'), (row[6], 1, 'num'), (row[7], 1, 'cell')])
            truth.append({'code': None, 'label': row[2], 'cells': dict(zip(IND_COLS, row))})
        (score, got, last), = f['total']
        grid.append([('总分', 6, 'cellc'), (score, 1, 'num'), (got, 1, 'num'), (last, 1, 'cellc')])
        truth.append({'code': None, 'label': '总分', 'cells': {'分值': score, '得分': got, '偏差原因分析及改进措施': last}})
        forms.append({'id': f['id'], 'title': '项目支出绩效自评表', 'heading': f['id'], 'unit': '元',
                      'widths': [13, 13, 13, 34, 20, 20, 7, 8, 30],
                      'columns': ['值'] + FUND_COLS + GOAL_COLS + IND_COLS,
                      'parts': [{'grid': head, 'plain': 2}, {'grid': grid, 'repeat': 2}],
                      'truth': truth})
    return forms
