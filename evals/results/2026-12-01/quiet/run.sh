#!/bin/bash
# Quiet-machine benchmark block: nothing else may run. Results into evals/results/2026-12-01/quiet/.
set -x
export QA_MODELS_CACHE=/root/dlmodels
OUT=/work/main/evals/results/2026-12-01/quiet
mkdir -p $OUT
cd /work/main
uptime > $OUT/uptime_start.txt
.venv/bin/qa eval --gold evals/gold/seed.jsonl --corpus corpus --half report --baseline --out /tmp/q/seed
.venv/bin/qa eval --gold evals/gold/rgb.jsonl --corpus evals/data/rgb-dev/corpus --half report --baseline --out /tmp/q/rgb
.venv/bin/qa eval --gold evals/gold/rgb-conflict.jsonl --corpus evals/data/rgb-dev/corpus-conflict --half report --out /tmp/q/rgbc
.venv/bin/qa eval --gold evals/gold/bbc.jsonl --corpus evals/data/bbc-news --half report --baseline --out /tmp/q/bbc
cd /work/base && PYTHONPATH=/work/base /work/main/.venv/bin/python -m qa.cli eval --gold /tmp/q/seed-report.jsonl --corpus /work/main/corpus --out /tmp/q/seed-main
cd /work/main
.venv/bin/python -m evals.bench_load --out /tmp/q/bench_load.json
uptime > $OUT/uptime_end.txt
echo ALLDONE
