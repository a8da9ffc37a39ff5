"""Dateline: offline, cited answers over news articles.

Public API (used by the CLI, the page, the HTTP API and the evals)::

    from qa import Dateline, Filters
    app = Dateline(data_dir="/tmp/store")
    app.ingest(["corpus"])
    answer = app.ask("What deadline was set for the fund agreement?")
    print(answer.answer, [c.quote for c in answer.citations])
"""
from qa.answer.compose import NOT_FOUND, Answer, Source
from qa.config import Settings, load_settings
from qa.errors import UserError
from qa.ingest.pipeline import IngestReport
from qa.retrieve import Filters
from qa.service import Dateline, Event

__all__ = ["Answer", "Dateline", "Event", "Filters", "IngestReport", "NOT_FOUND", "Settings",
           "Source", "UserError", "load_settings"]
