import json, sys, re
from qa.answer.text import content_terms, normalise, STOPWORDS
from qa.answer.kinds import kind_of
SCALE = {"million","billion","thousand","m","bn","k","hundred","trillion","per","cent","percent","%"}
def counted_in_question(q):
    m = re.search(r"\bhow many\s+((?:[\w'’-]+\s+){0,3})", q, re.I)
    if not m: return None
    return content_terms(m.group(1))
def counted_in_sentence(sentence, answer):
    num = re.search(r"[\d.,]+|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozen|hundreds|thousands)\b", answer, re.I)
    if not num: return None
    out = []
    for m in re.finditer(r"(?<![\w.,])" + re.escape(num.group(0)) + r"(?![\w,])", sentence, re.I):
        rest = re.findall(r"[\w'’-]+", sentence[m.end():])[:5]
        words = [w for w in rest if w.lower() not in SCALE]
        out.append(content_terms(" ".join(words[:3])) if words and words[0].lower() not in STOPWORDS else set())
    return out
rows=[]
for f in sys.argv[1:]:
    for r in json.load(open(f))['records']['dateline']:
        if r['status']!='answered' or not r['citations'] or not re.search(r"\bhow many\b", r['question'], re.I): continue
        asked = counted_in_question(r['question'])
        sent = r['citations'][0]['quote']
        found = counted_in_sentence(sent, r['answer'])
        verdict = None if not found else any((not t) or (t & asked) for t in found)
        rows.append((verdict, r['correct'], r['id'], r['question'][:70], r['answer'][:30], sent[:110], asked, found))
for x in sorted(rows, key=lambda x: str(x[0])): print(x)
print("reject right", sum(1 for x in rows if x[0] is False and x[1]), "reject wrong", sum(1 for x in rows if x[0] is False and not x[1]), "of", len(rows))
