"""Print each question's prompt (user turn) and its token count; usage: prompts.py GOLD HALF [-v]
(QA_DATA_DIR: a store holding the set's corpus)."""
import sys

from qa import Dateline
from qa.answer.constraints import extract
from qa.answer.crosscheck import asks_across_articles, for_one_article, on_its_topic
from qa.answer.evidence import messages, select


def evidence_for(app, q):
    """The evidence, the question the model is asked and whether it is comparison mode, as ask_stream builds them."""
    passages = app.retrieve(q)
    groups = app.per_article(q) if asks_across_articles(q) else []
    if groups:
        passages = [h for g in groups for h in g]
    topic = on_its_topic(q) if groups else q
    ev = select(topic, extract(q), passages, per_article=bool(groups),
                max_lines=app.settings.evidence_lines, max_chars=app.settings.evidence_chars)
    return ev, (for_one_article(q) if groups else q), bool(groups)


def main():
    from evals.goldset import load_gold

    app = Dateline()
    llm = app.llm._llm
    tot = []
    for it in load_gold(sys.argv[1], None, half=sys.argv[2]):
        ev, asked, compare = evidence_for(app, it.question)
        user = messages(ev, asked, per_article=compare)[-1]["content"]
        n = len(llm.tokenize(user.encode(), add_bos=False))
        tot.append(n)
        print(f"===== {it.id} {n}\n{user}" if "-v" in sys.argv else f"{it.id} {n}")
    tot.sort()
    print("median", tot[len(tot) // 2], "p90", tot[int(len(tot) * 0.9)], "max", tot[-1])


if __name__ == "__main__":
    main()
