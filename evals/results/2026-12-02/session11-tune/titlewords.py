"""Prompt tokens per half with an article title cut to 10/8/6/5 words; usage: titlewords.py GOLD HALF."""
import sys

import qa.answer.evidence as ev
from evals.goldset import load_gold
from prompts import evidence_for
from qa import Dateline

app = Dateline()
llm = app.llm._llm
cache = [evidence_for(app, it.question) for it in load_gold(sys.argv[1], None, half=sys.argv[2])]
for words in (10, 8, 6, 5):
    ev.TITLE_WORDS = words
    n = sorted(len(llm.tokenize(ev.messages(e, q, per_article=g)[-1]["content"].encode(), add_bos=False)) for e, q, g in cache)
    print(words, "median", n[len(n) // 2], "p90", n[int(len(n) * .9)], "p95", n[int(len(n) * .95)], "max", n[-1])
