#!/bin/bash
# Quiet-machine benchmark block (session 7): nothing else may run.
set -x
export QA_MODELS_CACHE=/root/dlmodels
OUT=/work/main/evals/results/2026-12-01/session7
mkdir -p $OUT
cd /work/main
uptime > $OUT/uptime_start.txt
.venv/bin/qa eval --gold evals/gold/seed.jsonl --corpus corpus --half report --baseline --out /tmp/q2/seed
.venv/bin/qa eval --gold evals/gold/rgb.jsonl --corpus evals/data/rgb-dev/corpus --half report --baseline --out /tmp/q2/rgb
.venv/bin/qa eval --gold evals/gold/rgb-conflict.jsonl --corpus evals/data/rgb-dev/corpus-conflict --half report --out /tmp/q2/rgbc
cd /work/base && PYTHONPATH=/work/base /work/main/.venv/bin/python -m qa.cli eval --gold /tmp/q/seed-report.jsonl --corpus /work/main/corpus --out /tmp/q2/seed-main
cd /work/main
.venv/bin/qa eval --gold evals/gold/bbc.jsonl --corpus evals/data/bbc-news --half report --out /tmp/q2/bbc
.venv/bin/python -m evals.bench_load --out /tmp/q2/bench_load.json
.venv/bin/python /tmp/onesent.py > /tmp/q2/onesent.txt 2>&1
uptime > $OUT/uptime_end.txt
echo ALLDONE
