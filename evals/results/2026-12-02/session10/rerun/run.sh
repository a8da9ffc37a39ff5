#!/bin/bash
set -x
cd /work/blk2
export PYTHONPATH=/work/blk2 QA_MODELS_CACHE=/root/dlmodels
date -u; .venv/bin/python /work/main/evals/results/2026-12-02/session9-tune/prompt_speed.py 2>&1 | grep -v Warn
.venv/bin/qa eval --gold evals/gold/seed.jsonl --corpus corpus --half report --baseline --out /tmp/q10b/seed
.venv/bin/qa eval --gold evals/gold/rgb.jsonl --corpus evals/data/rgb-dev/corpus --half report --baseline --out /tmp/q10b/rgb
date -u; .venv/bin/python /work/main/evals/results/2026-12-02/session9-tune/prompt_speed.py 2>&1 | grep -v Warn
date -u
