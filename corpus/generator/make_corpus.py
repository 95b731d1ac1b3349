#!/usr/bin/python3
"""Render the seed texts into the sample disclosures of corpus/.

Usage (from the repository root):  /usr/bin/python3 corpus/generator/make_corpus.py [NAME...]
Writes corpus/NAME.pdf and corpus/NAME.truth.json.  Needs Debian python3-reportlab,
fonts-arphic-uming and fonts-wqy-zenhei (see corpus/README.md).
"""
import os
import sys

from budgetdoc import Document
from tables import load_tables
import perf

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.dirname(HERE)
DATA = os.path.join(HERE, 'data')
SEEDS = os.environ.get('BUDGETPDF_SEEDS', os.path.join(os.path.dirname(CORPUS), '..', 'shared', 'seeds'))


def data(name):
    return os.path.join(DATA, name)


def lines(path):
    return [l.rstrip('\n') for l in open(path, encoding='utf-8')]


def out(name):
    return os.path.join(CORPUS, name + '.pdf'), os.path.join(CORPUS, name + '.truth.json')


def szyb_2024_budget():
    """Seed 001: 2024 深圳市医疗保障局（本级）部门预算, text part + 表1–表12."""
    name = 'szyb-2024-budget'
    pdf, truth = out(name)
    doc = Document(pdf, '2024年深圳市医疗保障局（本级）部门预算', '深圳市医疗保障局',
                   '001_59d7ed140c5f721b.txt')
    specs = load_tables(data(name + '.tables.txt'))
    doc.cover(['2024年深圳市医疗保障局（本级）部门预算', '一、文字部分'])
    doc.narrative(lines(data(name + '.text.txt')), specs)
    doc.new_page()
    doc.heading('二、表格部分')
    for i in range(1, 12):
        doc.table(specs['表%d' % i])
    doc.new_page()
    doc.form(perf.whole_unit_form('表12', data(name + '.form12.txt'), doc))
    doc.build(truth)


def szyb_2019_perf():
    """Seed 004: 2019 项目绩效目标表 of 深圳市医疗保障局 and 医保中心, parsed from the seed."""
    name = 'szyb-2019-project-targets'
    pdf, truth = out(name)
    seed = '004_d8b86456d0071b87.txt'
    doc = Document(pdf, '2019年深圳市医疗保障局项目绩效目标表', '深圳市医疗保障局', seed, footer='- {} -')
    for i, rows in enumerate(perf.split_forms(os.path.join(SEEDS, seed)), 1):
        doc.new_page()
        doc.form(perf.project_form('项目绩效目标表-%d' % i, rows))
    doc.build(truth)


def szyb_2020_final():
    """Seed 002: 2020 深圳市医疗保险基金管理中心 部门决算: 一、主要概况, 公开01–09表,
    三、情况说明, 四、名词解释, 附件1 整体绩效自评报告 (with its 满意度 tables) and
    附件2 项目支出绩效自评表."""
    name = 'szyb-2020-final-accounts'
    pdf, truth = out(name)
    doc = Document(pdf, '深圳市医疗保险基金管理中心2020年度部门决算', '深圳市医疗保险基金管理中心',
                   '002_339364824c9abd23.txt', footer='- {} -')
    specs = load_tables(data(name + '.tables.txt'))
    doc.cover(['深圳市医疗保险基金管理中心', '2020 年度部门决算'])
    doc.new_page()
    before, after = '\n'.join(lines(data(name + '.text.txt'))).split('@@TABLES')
    doc.narrative(before.split('\n'), specs)
    doc.heading('二、深圳市医疗保险基金管理中心 2020 年度部门决算表')
    for i in range(1, 10):
        doc.table(specs['公开%02d表' % i])
    doc.new_page()
    doc.narrative(after.split('\n'), specs)
    for form in perf.self_eval_forms(data(name + '.selfeval.txt')):
        doc.new_page('landscape')
        doc.form(form)
    doc.build(truth)


DOCS = {'szyb-2024-budget': szyb_2024_budget, 'szyb-2019-project-targets': szyb_2019_perf,
        'szyb-2020-final-accounts': szyb_2020_final}

if __name__ == '__main__':
    for n in sys.argv[1:] or DOCS:
        DOCS[n]()
        print('wrote', n)
