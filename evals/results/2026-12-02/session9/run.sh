#!/bin/bash
# Quiet-machine benchmark block (session 9): nothing else may run.
set -x
export QA_MODELS_CACHE=/root/dlmodels
OUT=/work/main/evals/results/2026-12-02/session9
mkdir -p $OUT
cd /work/main
uptime > $OUT/uptime_start.txt
.venv/bin/qa eval --gold evals/gold/seed.jsonl --corpus corpus --half report --baseline --out /tmp/q9/seed
.venv/bin/qa eval --gold evals/gold/rgb.jsonl --corpus evals/data/rgb-dev/corpus --half report --baseline --out /tmp/q9/rgb
.venv/bin/qa eval --gold evals/gold/rgb-conflict.jsonl --corpus evals/data/rgb-dev/corpus-conflict --half report --out /tmp/q9/rgbc
cd /work/base && PYTHONPATH=/work/base /work/main/.venv/bin/python -m qa.cli eval --gold /tmp/q/seed-report.jsonl --corpus /work/main/corpus --out /tmp/q9/seed-main
cd /work/main
.venv/bin/qa eval --gold evals/gold/bbc.jsonl --corpus evals/data/bbc-news --half report --baseline --out /tmp/q9/bbc
.venv/bin/python -m evals.bench_load --out /tmp/q9/bench_load.json
uptime > $OUT/uptime_end.txt
echo ALLDONE
