import sys
import qa.answer.evidence as ev
from qa import Dateline
from qa.answer.constraints import extract
from qa.answer.crosscheck import asks_across_articles, on_its_topic, for_one_article
from evals.goldset import load_gold
app = Dateline(); llm = app.llm._llm
items = load_gold(sys.argv[1], None, half=sys.argv[2])
cache = []
for it in items:
    q = it.question
    passages = app.retrieve(q)
    groups = app.per_article(q) if asks_across_articles(q) else []
    if groups: passages = [h for g in groups for h in g]
    topic = on_its_topic(q) if groups else q
    e = ev.select(topic, extract(q), passages, per_article=bool(groups), max_lines=5, max_chars=700)
    cache.append((e, for_one_article(q) if groups else q, bool(groups)))
for tw in (10, 8, 6, 5):
    ev.TITLE_WORDS = tw
    n = sorted(len(llm.tokenize(ev.messages(e, q, per_article=g)[-1]["content"].encode(), add_bos=False)) for e, q, g in cache)
    print(tw, "median", n[len(n)//2], "p90", n[int(len(n)*.9)], "p95", n[int(len(n)*.95)], "max", n[-1])
