import json,statistics as st,sys
a={r['id']:r for r in json.load(open(sys.argv[1]))['records']['dateline']}
b={r['id']:r for r in json.load(open(sys.argv[2]))['records']['dateline']}
wa=[];wb=[];fa=[];fb=[]
for k in a:
    if a[k]['raw_output']==b[k]['raw_output'] and 'first_token_ms' in a[k]['timings'] and 'first_token_ms' in b[k]['timings']:
        wa.append(a[k]['timings']['total_ms']-a[k]['timings']['first_token_ms']); wb.append(b[k]['timings']['total_ms']-b[k]['timings']['first_token_ms'])
        fa.append(a[k]['timings']['first_token_ms']); fb.append(b[k]['timings']['first_token_ms'])
print(len(wa), 'writing p50', st.median(wa), st.median(wb), 'first token p50', st.median(fa), st.median(fb))
for s in ('dateline','baseline'):
  for f in sys.argv[1:3]:
    r=json.load(open(f))['records'].get(s)
    if r: print(s, f.split('/')[-2], 'total p50', st.median(x['timings']['total_ms'] for x in r))
