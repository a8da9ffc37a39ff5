"""Report files of one eval run: report.json (everything), report.md (for people), two PNG plots.

report.md is built only from the report dict, so a report.json from CI can be re-rendered
later (`python -m evals.report report.json OUT`) without running the model again.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from evals.metrics import KS, is_failure

# (label, key, format) rows of the metrics table, in reading order
ROWS = [
    ("questions", "n", "int"),
    ("end-to-end correct (answer, or refusal when unanswerable)", "correct", "pct"),
    ("answer accuracy (answerable)", "accuracy", "pct"),
    ("token F1 (answerable)", "f1", "num"),
    *[(f"hit@{k}", f"hit@{k}", "pct") for k in KS],
    ("MRR@10", "mrr@10", "num"),
    ("citation precision", "citation_precision", "pct"),
    ("citation recall", "citation_recall", "pct"),
    ("refusal precision", "refusal_precision", "pct"),
    ("refusal recall", "refusal_recall", "pct"),
    ("false-refusal rate (lower is better)", "false_refusal_rate", "pct"),
    ("conflict flagged (conflict questions)", "conflict_rate", "pct"),
    ("conflict questions with both sides among the passages read", "conflicts_both_sides_read", "int"),
    ("conflict flagged where both sides were read", "conflict_rate_both_sides_read", "pct"),
    ("spurious conflict rate (lower is better)", "spurious_conflict_rate", "pct"),
    ("answers citing another year or quarter than asked (lower is better)", "answers_contradicting_pins", "int"),
    ("retrieval p50 / p95", ("retrieval_ms_p50", "retrieval_ms_p95"), "ms"),
    ("first token p50 / p95", ("first_token_ms_p50", "first_token_ms_p95"), "ms"),
    ("whole answer p50 / p95", ("total_ms_p50", "total_ms_p95"), "ms"),
    ("errors", "errors", "int"),
]
TYPE_COLUMNS = [("n", "n", "int"), ("correct", "correct", "pct"), ("accuracy", "accuracy", "pct"),
                ("F1", "f1", "num"), ("hit@5", "hit@5", "pct"), ("MRR@10", "mrr@10", "num"),
                ("cit. P", "citation_precision", "pct"), ("cit. R", "citation_recall", "pct"),
                ("refusal R", "refusal_recall", "pct"), ("false refusal", "false_refusal_rate", "pct"),
                ("conflict", "conflict_rate", "pct")]
SYSTEMS = {"dateline": "Dateline", "baseline": "baseline (stock llama-index)"}
HALF_NOTE = {"all": "every question, tune half included", "tune": "the half rules may be fitted to",
             "report": "the half numbers are quoted from"}


def write_report(report: dict, out: str | Path) -> list[Path]:
    """Write report.json, report.md and the plots into ``out``; return their paths."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    paths = [out / "report.json", out / "report.md"]
    paths[0].write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    plots = write_plots(report, out)
    paths[1].write_text(markdown(report, [p.name for p in plots]), encoding="utf-8")
    return paths + plots


# --- Markdown ---------------------------------------------------------------------------------
def markdown(report: dict, plots: list[str] = ()) -> str:
    systems = list(report["metrics"])
    half = report.get("half", "all")  # reports from before the split were always the whole set
    title = Path(report["gold"]).name + ("" if half == "all" else f", {half} half")
    lines = [f"# Dateline eval: {title}", ""]
    lines += [f"- date: {report['date']} ({report['duration_s']:.0f} s)",
              f"- gold: `{report['gold']}`, corpus: `{report['corpus']}`, half: {half} "
              f"({HALF_NOTE[half]})" + (f", first {report['limit']} questions" if report.get("limit") else ""),
              f"- model: {report['model']}; embedder: {report['embedder']}; "
              f"top_k {report['config'].get('top_k')}, chunk_size {report['config'].get('chunk_size')}",
              f"- machine: {report['machine'].get('cpu_count')} CPUs, {report['machine'].get('platform')}",
              f"- corpus ingested: {report['ingest']['articles']} articles, {report['ingest']['chunks']} chunks"]
    if report.get("baseline_from"):  # baseline records carried over from an earlier run
        lines += [f"- baseline records: {report['baseline_from']}"]
    lines += [f"- **warning:** {w}" for w in report.get("warnings", [])]
    lines += ["", "## Metrics", ""]
    lines += _table(["metric", *(SYSTEMS.get(s, s) for s in systems)],
                    [[label, *(_fmt(report["metrics"][s]["overall"], key, kind) for s in systems)]
                     for label, key, kind in ROWS])
    lines += ["", "hit@k and MRR use the top 10 of `Dateline.retrieve` (baseline: the chunks it "
              "answered from, top 2 by default); citation metrics are n/a for a system that does not cite."]
    for s in systems:
        lines += ["", f"## By question type: {SYSTEMS.get(s, s)}", ""]
        by_type = report["metrics"][s]["by_type"]
        lines += _table(["type", *(c[0] for c in TYPE_COLUMNS)],
                        [[t, *(_fmt(m, key, kind) for _, key, kind in TYPE_COLUMNS)] for t, m in by_type.items()])
    if plots:
        lines += ["", "## Plots"] + [line for name in plots for line in ("", f"![{name}]({name})")]
    lines += ["", *failures(report)]
    return "\n".join(lines) + "\n"


def failures(report: dict) -> list[str]:
    """Dateline's wrong answers with what it said and what it read (and the baseline's answer)."""
    records = report["records"]["dateline"]
    baseline = {r["id"]: r for r in report["records"].get("baseline", [])}
    failed = [r for r in records if is_failure(r)]
    lines = [f"## Failures ({len(failed)} of {len(records)})", ""]
    if not failed:
        return lines + ["None."]
    header = ["id", "type", "question", "expected", "Dateline answered", "retrieved (top 3)"]
    if baseline:
        header.append("baseline answered")
    rows = []
    for r in failed:
        row = [r["id"], r["type"], r["question"], r["expected"] or "(unanswerable)", _given(r),
               "<br>".join(f"{i}. `{c['doc_id']}` {c['text'][:70]}…" for i, c in
                           enumerate(r["retrieved"][:3], start=1)) or "(nothing)"]
        if baseline:
            row.append(_given(baseline[r["id"]]) if r["id"] in baseline else "")
        rows.append(row)
    return lines + _table(header, rows, numbers=False)


def _given(r: dict) -> str:
    if r["status"] == "error":
        return f"ERROR {r['error']}"
    label = {"not_found": "NOT FOUND", "conflict": "CONFLICT"}.get(r["status"], "")
    text = r["answer"] if r["status"] != "not_found" or not r["answer"].startswith("Not found") else ""
    text = text if len(text) <= 200 else text[:199] + "…"
    if r.get("dropped"):
        text += " (unverified, dropped: " + "; ".join(d[:60] for d in r["dropped"][:2]) + ")"
    return f"**{label}** {text}".strip() if label else text


def _table(header: list[str], rows: list[list], numbers: bool = True) -> list[str]:
    """A GitHub Markdown table; with ``numbers``, every column after the first is right-aligned."""
    def cell(value) -> str:
        return " ".join(str(value).split()).replace("|", "\\|")

    rule = ["---"] + ["---:" if numbers else "---"] * (len(header) - 1)
    lines = ["| " + " | ".join(cell(h) for h in header) + " |", "|" + "|".join(rule) + "|"]
    return lines + ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]


def _fmt(metrics: dict, key, kind: str) -> str:
    if isinstance(key, tuple):
        values = [metrics.get(k) for k in key]
        return "n/a" if all(v is None for v in values) else " / ".join(_fmt({"v": v}, "v", kind) for v in values)
    value = metrics.get(key)
    if value is None:
        return "n/a"
    return {"int": f"{value:d}" if isinstance(value, int) else f"{value}",
            "pct": f"{value:.1%}", "num": f"{value:.3f}",
            "ms": f"{value / 1000:.2f} s" if value >= 1000 else f"{value:.0f} ms"}[kind]


# --- plots ------------------------------------------------------------------------------------
def write_plots(report: dict, out: Path) -> list[Path]:
    """metrics_by_type.png (bars) and latency.png (histograms), drawn headless (Agg)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    paths = [out / "metrics_by_type.png", out / "latency.png"]
    fig = _by_type_figure(plt, report)
    fig.savefig(paths[0], dpi=110)
    plt.close(fig)
    fig = _latency_figure(plt, report)
    fig.savefig(paths[1], dpi=110)
    plt.close(fig)
    return paths


def _by_type_figure(plt, report: dict):
    series = [("dateline", "correct", "correct"), ("dateline", "hit@5", "hit@5"),
              ("dateline", "citation_precision", "citation precision")]
    if "baseline" in report["metrics"]:
        series.append(("baseline", "correct", "baseline correct"))
    types = list(report["metrics"]["dateline"]["by_type"])
    fig, ax = plt.subplots(figsize=(max(6.0, 1.6 * len(types) + 2), 4.4))
    width = 0.8 / len(series)
    for j, (system, key, label) in enumerate(series):
        by_type = report["metrics"][system]["by_type"]
        values = [by_type.get(t, {}).get(key) for t in types]
        xs = [i + (j - (len(series) - 1) / 2) * width for i in range(len(types))]
        ax.bar(xs, [v if v is not None else 0 for v in values], width, label=label,
               hatch=None if system == "dateline" else "//")
    ax.set_xticks(range(len(types)))
    ax.set_xticklabels([f"{t}\n(n={report['metrics']['dateline']['by_type'][t]['n']})" for t in types])
    ax.set_ylim(0, 1.05)
    ax.set_ylabel("share")
    ax.set_title("Metrics by question type (missing bar = n/a or 0)")
    ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=len(series), frameon=False)
    fig.tight_layout()
    return fig


def _latency_figure(plt, report: dict):
    fig, ax = plt.subplots(figsize=(7, 4))
    series = [("dateline", "first_token_ms", "Dateline first token"), ("dateline", "total_ms", "Dateline whole answer")]
    if "baseline" in report["records"]:
        series.append(("baseline", "total_ms", "baseline whole answer"))
    data = {label: [r["timings"][key] / 1000 for r in report["records"][system] if r["timings"].get(key) is not None]
            for system, key, label in series}
    top = max((max(v) for v in data.values() if v), default=1.0)
    bins = [top * i / 25 for i in range(26)]  # shared bins, so the series compare bar for bar
    for label, seconds in data.items():
        if seconds:
            ax.hist(seconds, bins=bins, alpha=0.55, label=f"{label} (n={len(seconds)})")
    ax.set_xlabel("seconds")
    ax.set_ylabel("questions")
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.set_title("Latency distribution")
    if ax.get_legend_handles_labels()[0]:
        ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


if __name__ == "__main__":  # re-render: python -m evals.report report.json OUT_DIR
    data = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    for p in write_report(data, sys.argv[2] if len(sys.argv) > 2 else Path(sys.argv[1]).parent):
        print(p)
