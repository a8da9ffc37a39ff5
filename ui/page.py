"""The chat page: a Chat tab (streamed, cited answers + sources panel) and an Articles tab.

Per-session state lives in gr.State (each browser tab has its own conversation); the shared
Dateline sits behind Gradio's queue (model jobs share one concurrency slot) and Backend.lock.
Handlers never raise: a UserError becomes a message in the chat, anything else is logged on
the server and shown as a plain apology, so the page keeps working and shows no tracebacks.
"""
from __future__ import annotations

import logging
from pathlib import Path

import gradio as gr

from qa import Filters, UserError
from ui import render
from ui.backend import Backend
from ui.uploads import ALLOWED_SUFFIXES, save_uploads

log = logging.getLogger("dateline.ui")
MODEL_QUEUE = "dateline-model"  # one queue slot for everything that takes Backend.lock
MAX_TURNS_KEPT = 20  # source blocks kept in the panel per session
INTERNAL = "Something went wrong on the server (details are in its log). Please try again."


# --- chat -----------------------------------------------------------------------------------------
def _message(role: str, html: str) -> dict:
    return {"role": role, "content": html}


def _filters(source: str | None, since: str | None, until: str | None) -> Filters:
    return Filters(source=(source or "").strip(), since=(since or "").strip(), until=(until or "").strip())


def make_ask(backend: Backend):
    """The chat handler: the passages being read go to the sources panel as soon as retrieval ends,
    then the verified answer and its cited sources replace them."""

    def ask(question, messages, history, blocks, source, since, until):
        def view(box=gr.update(), reading: str = ""):  # chat, its state copy, history, source blocks, panel, box
            return messages, messages, history, blocks, render.panel_html(([reading] if reading else []) + blocks), box

        question = (question or "").strip()
        if not question:
            yield view()
            return
        turn = len(history) // 2 + 1
        messages = messages + [_message("user", render.user_html(question)),
                               _message("assistant", render.waiting_html())]
        yield view(box="")
        reading = ""
        try:
            for event in backend.ask_stream(question, filters=_filters(source, since, until), history=history):
                if event.kind == "sources":
                    reading = render.reading_html(question, [s.__dict__ | {"quote": s.quote} for s in event.sources], turn)
                    yield view(reading=reading)
                elif event.kind == "checking":
                    messages[-1] = _message("assistant", render.checking_html())
                    yield view(reading=reading)
                elif event.kind == "answer":
                    answer = event.answer.to_dict()
        except UserError as exc:
            messages[-1] = _message("assistant", render.error_html(str(exc)))
        except Exception:
            log.exception("answering %r failed", question[:80])
            messages[-1] = _message("assistant", render.error_html(INTERNAL))
        else:
            messages[-1] = _message("assistant", render.answer_html(answer, turn))
            history = history + [{"role": "user", "content": question},
                                 {"role": "assistant", "content": answer["answer"]}]
            blocks = [render.sources_html(answer, turn)] + blocks[: MAX_TURNS_KEPT - 1]
        yield view()

    return ask


def new_conversation():
    return [], [], [], [], render.panel_html([])


# --- articles -------------------------------------------------------------------------------------
def make_add_files(backend: Backend):
    """Upload handler: check and store the files, ingest them, report per file."""
    settings = backend.app.settings

    def add_files(paths, progress=gr.Progress()):
        paths = paths or []
        try:
            files = [(Path(p).name, Path(p)) for p in paths]
            saved, rejected = save_uploads(files, backend.uploads_dir, max_bytes=settings.max_upload_bytes,
                                           max_files=settings.max_upload_files)
            report = None
            if saved:
                progress((0, len(saved)), desc="waiting for the model to be free…")

                def tick(rep, current):
                    progress((min(rep.read, len(saved)), len(saved)), desc=f"reading {current.rsplit('/', 1)[-1]}")

                report = backend.ingest(saved, progress=tick).as_dict()
            result = render.upload_result_html(len(saved), rejected, report)
        except UserError as exc:
            result = render.error_html(str(exc))
        except Exception:
            log.exception("upload failed")
            result = render.error_html(INTERNAL)
        return (result, None) + article_views(backend)

    return add_files


def make_delete(backend: Backend):
    def delete(doc_id):
        try:
            if not doc_id:
                raise UserError("choose an article to delete first")
            removed = backend.delete(doc_id)
            result = f'<div class="dl-note">Deleted <code>{render.esc(doc_id)}</code> ({removed} passages).</div>'
        except UserError as exc:
            result = render.error_html(str(exc))
        except Exception:
            log.exception("delete failed")
            result = render.error_html(INTERNAL)
        return (result,) + article_views(backend)

    return delete


def article_views(backend: Backend):
    """Everything that shows the store's contents: list, delete choices, source filter, stats."""
    try:
        rows = backend.app.sources()
        stats, error = backend.app.stats(), ""
    except Exception as exc:  # a broken store must not take the page down
        log.exception("reading the store failed")
        rows, stats, error = [], None, str(exc) if isinstance(exc, UserError) else "see the server log"
    docs = [(f"{r['title'][:60] or r['doc_id']} ({r['doc_id']})", r["doc_id"]) for r in rows]
    sources = [("All sources", "")] + [(s, s) for s in sorted({r["source"] for r in rows if r["source"]})]
    return (render.articles_html(rows), gr.update(choices=docs, value=None),
            gr.update(choices=sources), render.stats_html(stats, error))


def make_poll(backend: Backend):
    """While startup runs, refresh the status line; once it is over, refresh once and stop."""

    def poll():
        status = backend.status
        line = render.status_html(status.message, status.state)
        if not status.settled:
            return (line,) + (gr.update(),) * 4 + (gr.Timer(active=True),)
        return (line,) + article_views(backend) + (gr.Timer(active=False),)

    return poll


# --- layout ---------------------------------------------------------------------------------------
def build_page(backend: Backend) -> gr.Blocks:
    with gr.Blocks(title="Dateline", analytics_enabled=False) as page:
        gr.HTML('<h2 style="margin:0">Dateline</h2><div class="dl-note">Answers from your news articles, '
                "each sentence checked against the passage it cites.</div>", js_on_load=None)
        status = gr.HTML(render.status_html(backend.status.message, backend.status.state),
                         elem_id="dl-status", js_on_load=None)
        messages, history, blocks = gr.State([]), gr.State([]), gr.State([])

        with gr.Tab("Chat"):
            with gr.Row(equal_height=False):
                with gr.Column(scale=3):
                    chat = gr.Chatbot(label="Conversation", elem_id="dl-chat", height=520, render_markdown=False,
                                      sanitize_html=True, allow_tags=False, feedback_options=None, buttons=[])
                    with gr.Row():
                        question = gr.Textbox(placeholder="Ask about the articles…", show_label=False, scale=5,
                                              elem_id="dl-question", max_lines=4)
                        ask_button = gr.Button("Ask", variant="primary", scale=1, elem_id="dl-ask")
                    with gr.Row():
                        source = gr.Dropdown(label="Only source", choices=[("All sources", "")], value="",
                                             elem_id="dl-source")
                        since = gr.Textbox(label="From date (YYYY-MM-DD)", elem_id="dl-since")
                        until = gr.Textbox(label="To date (YYYY-MM-DD)", elem_id="dl-until")
                    clear = gr.Button("New conversation", size="sm", elem_id="dl-clear")
                with gr.Column(scale=2):
                    gr.HTML('<div class="dl-turn-q">Sources</div>', js_on_load=None)
                    panel = gr.HTML(render.panel_html([]), elem_id="dl-sources", js_on_load=None)

        with gr.Tab("Articles"):
            gr.HTML(f'<div class="dl-note">Upload {", ".join(ALLOWED_SUFFIXES)} files: at most '
                    f"{backend.app.settings.max_upload_files} at a time, "
                    f"{backend.app.settings.max_upload_bytes // 1_000_000} MB each.</div>", js_on_load=None)
            upload = gr.File(label="Add articles", file_count="multiple", file_types=list(ALLOWED_SUFFIXES),
                             type="filepath", elem_id="dl-upload")
            upload_result = gr.HTML(elem_id="dl-upload-result", js_on_load=None)
            articles = gr.HTML(elem_id="dl-articles", js_on_load=None)
            with gr.Row():
                doc = gr.Dropdown(label="Article", choices=[], elem_id="dl-doc", scale=3)
                delete = gr.Button("Delete article", variant="stop", elem_id="dl-delete", scale=1)
            delete_result = gr.HTML(js_on_load=None)

        stats = gr.HTML(elem_id="dl-stats", js_on_load=None)
        timer = gr.Timer(1.0)

        views = [articles, doc, source, stats]
        ask_io = dict(inputs=[question, messages, history, blocks, source, since, until],
                      outputs=[chat, messages, history, blocks, panel, question])
        ask = make_ask(backend)
        for trigger in (question.submit, ask_button.click):
            trigger(ask, **ask_io, concurrency_id=MODEL_QUEUE, concurrency_limit=1, show_progress="hidden",
                    api_visibility="private")
        for trigger in (clear.click, chat.clear):  # the button, and the chat's own trash icon
            trigger(new_conversation, None, [chat, messages, history, blocks, panel], queue=False,
                    api_visibility="private")
        upload.upload(make_add_files(backend), upload, [upload_result, upload] + views,
                      concurrency_id=MODEL_QUEUE, concurrency_limit=1, api_visibility="private")
        delete.click(make_delete(backend), doc, [delete_result] + views,
                     concurrency_id=MODEL_QUEUE, concurrency_limit=1, api_visibility="private")
        timer.tick(make_poll(backend), None, [status] + views + [timer], show_progress="hidden",
                   api_visibility="private")
        page.load(lambda: article_views(backend), None, views, api_visibility="private")
    return page
