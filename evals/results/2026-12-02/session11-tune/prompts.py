"""Print each question's prompt (user turn) and its token count; usage: prompts.py GOLD HALF"""
import sys, json
from qa import Dateline
from qa.answer.constraints import extract
from qa.answer.crosscheck import asks_across_articles, on_its_topic, for_one_article
from qa.answer.evidence import select, messages
from evals.goldset import load_gold
app = Dateline()
items = load_gold(sys.argv[1], None, half=sys.argv[2])
llm = app.llm._llm
tot = []
for it in items:
    q = it.question
    passages = app.retrieve(q)
    groups = app.per_article(q) if asks_across_articles(q) else []
    if groups: passages = [h for g in groups for h in g]
    topic = on_its_topic(q) if groups else q
    ev = select(topic, extract(q), passages, per_article=bool(groups), max_lines=app.settings.evidence_lines, max_chars=app.settings.evidence_chars)
    msgs = messages(ev, for_one_article(q) if groups else q, per_article=bool(groups))
    user = msgs[-1]["content"]
    n = len(llm.tokenize(user.encode(), add_bos=False))
    tot.append(n)
    if "-v" in sys.argv:
        print("=====", it.id, n); print(user)
    else:
        print(it.id, n)
tot.sort(); print("median", tot[len(tot)//2], "p90", tot[int(len(tot)*0.9)], "max", tot[-1])
