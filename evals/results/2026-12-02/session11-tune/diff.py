import json,sys
a=json.load(open(sys.argv[1]))['records']['dateline']; b=json.load(open(sys.argv[2]))['records']['dateline']
from evals.metrics import score
bi={r['id']:r for r in b}
for r in a:
    s=bi[r['id']]
    if r.get('raw_output')!=s.get('raw_output') or r['answer']!=s['answer'] or r.get('correct')!=s.get('correct'):
        print(r['id'], r['question'][:70], '| exp', r['expected'])
        print('   A:', r.get('correct'), r.get('raw_output'), '->', r['answer'][:150])
        print('   B:', s.get('correct'), s.get('raw_output'), '->', s['answer'][:150])
ta=sorted(x['timings']['total_ms'] for x in a); tb=sorted(x['timings']['total_ms'] for x in b)
