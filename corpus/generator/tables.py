"""Reader for the hand-encoded table files in data/*.tables.txt.

A file holds sections.  Each starts with "=== ID", then "key: value" lines, then
"rows:" and one line per table row with cells separated by "|".  Keys:
heading, title, dept, unit, location, landscape (yes), columns (header paths
joined by "/", separated by "|"), widths (relative column widths), label
(columns whose text is the row label, first non-empty wins; "none": no label),
code (the classification-code column), codeparts (类 | 款 | 项 columns whose
texts join into the row code), colnos (the 栏次 row under the header, one cell
per column), repeat (no: the header is not repeated on continuation pages),
heading_align (right), dept_cols (columns the 部门 line spans), note (repeatable).  Cell markers: ">" per indent level,
"=" centred, "^" merged with the cell above, "<" merged with the cell to the left.  Lines starting with "#"
outside rows are comments.
"""


def _split(line):
    return [c.strip() for c in line.split('|')]


def load_tables(path):
    specs, spec, in_rows = {}, None, False
    for raw in open(path, encoding='utf-8'):
        line = raw.rstrip('\n')
        if line.startswith('=== '):
            spec = {'id': line[4:].strip(), 'rows': [], 'notes': []}
            specs[spec['id']] = spec
            in_rows = False
        elif spec is None or (not in_rows and (not line.strip() or line.startswith('#'))):
            continue
        elif in_rows:
            if line.strip():
                spec['rows'].append(_split(line))
            else:
                in_rows = False
        elif line.strip() == 'rows:':
            in_rows = True
        else:
            key, _, val = line.partition(':')
            val = val.strip()
            if key == 'note':
                spec['notes'].append(val)
            elif key in ('columns', 'label', 'colnos', 'codeparts'):
                spec[key] = _split(val)
            elif key == 'widths':
                spec[key] = [float(w) for w in _split(val)]
            elif key in ('landscape', 'repeat'):
                spec[key] = val == 'yes'
            else:
                spec[key] = val
    return specs
