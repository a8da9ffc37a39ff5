#!/bin/bash
# The report-half benchmark block behind the README's "Measured" tables. Run it on a quiet machine:
# nothing else may run. It records the machine's prompt-read speed before and after (evals/prompt_speed.py).
# usage: bash evals/report_block.sh OUT_DIR [WORK_DIR]
# The quote-first pipeline's seed run needs a worktree of 6bbbddb at $BASE (default /work/base) and
# its seed report half as a gold file at $BASE_GOLD (that code predates the --half flag); its BBC run
# (optional, ~15 min) needs the BBC report half as a gold file at $BASE_BBC_GOLD.
set -euxo pipefail
OUT=$(realpath -m "$1"); WORK=${2:-/tmp/report-block}; BASE=${BASE:-/work/base}; BASE_GOLD=${BASE_GOLD:-/tmp/q/seed-report.jsonl}
BASE_BBC_GOLD=${BASE_BBC_GOLD:-/tmp/q/bbc-report.jsonl}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$OUT" "$WORK"
cd "$ROOT"
uptime > "$OUT/uptime_start.txt"
speed() { { date -u; git rev-parse --short HEAD; .venv/bin/python -m evals.prompt_speed; } > "$OUT/prompt_speed_$1.txt"; }
speed start  # the VM's prompt-read speed, before and after: latencies are read against it
.venv/bin/qa eval --gold evals/gold/seed.jsonl --corpus corpus --half report --baseline --out "$WORK/seed"
.venv/bin/qa eval --gold evals/gold/rgb.jsonl --corpus evals/data/rgb-dev/corpus --half report --baseline --out "$WORK/rgb"
.venv/bin/qa eval --gold evals/gold/rgb-conflict.jsonl --corpus evals/data/rgb-dev/corpus-conflict --half report --out "$WORK/rgbc"
if [ -d "$BASE" ]; then
  (cd "$BASE" && PYTHONPATH="$BASE" "$ROOT/.venv/bin/python" -m qa.cli eval --gold "$BASE_GOLD" --corpus "$ROOT/corpus" --out "$WORK/seed-main")
fi
.venv/bin/qa eval --gold evals/gold/bbc.jsonl --corpus evals/data/bbc-news --half report --baseline --out "$WORK/bbc"
if [ -d "$BASE" ] && [ -f "$BASE_BBC_GOLD" ]; then
  (cd "$BASE" && PYTHONPATH="$BASE" "$ROOT/.venv/bin/python" -m qa.cli eval --gold "$BASE_BBC_GOLD" --corpus "$ROOT/evals/data/bbc-news" --out "$WORK/bbc-main")
fi
.venv/bin/python -m evals.bench_load --out "$WORK/bench_load.json"
uptime > "$OUT/uptime_end.txt"
speed end
for run in seed rgb rgbc seed-main bbc bbc-main; do
  [ -f "$WORK/$run/report.json" ] && cp "$WORK/$run/report.json" "$OUT/${run}_report_half.json" && cp "$WORK/$run/report.md" "$OUT/${run}_report_half.md"
done
cp "$WORK/bench_load.json" "$OUT/"
