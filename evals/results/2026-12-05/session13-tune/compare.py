"""compare two report.json: metrics + per-question answer diffs. usage: cmp.py A B"""
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
ma, mb = a['metrics']['dateline']['overall'], b['metrics']['dateline']['overall']
for k in ma:
    if isinstance(ma[k], (int, float)) and ma.get(k) != mb.get(k):
        print(f"{k:40s} {ma[k]!s:>10} -> {mb.get(k)!s:>10}")
ra = {r['id']: r for r in a['records']['dateline']}
rb = {r['id']: r for r in b['records']['dateline']}
for i in ra:
    x, y = ra[i], rb.get(i)
    if y and (x['answer'] != y['answer'] or x['correct'] != y['correct']):
        print(f"{i} [{x['correct']}->{y['correct']}] {x['question'][:70]}\n   A: {x['answer'][:150]!r}\n   B: {y['answer'][:150]!r}")
