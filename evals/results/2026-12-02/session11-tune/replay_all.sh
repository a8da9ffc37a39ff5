#!/bin/bash
# replay all four tuning halves (or report halves: $1=report with the block's records)
export PYTHONPATH=/work/main
H=${1:-tune}
cd /work/main
if [ "$H" = tune ]; then SEED=/tmp/runs/seed_gg_tune/report.json; RGB=/tmp/runs/rgb_gg_tune/report.json; RGBC=/tmp/runs/rgbc_new_tune/report.json; BBC=evals/results/2026-12-02/session10-tune/bbc_article_tune_half.json
else SEED=/tmp/q11/seed/report.json; RGB=/tmp/q11/rgb/report.json; RGBC=/tmp/q11/rgbc/report.json; BBC=/tmp/q11/bbc/report.json; fi
for s in seed:/tmp/seedstore:$SEED rgb:/tmp/rgbstore:$RGB rgb-conflict:/tmp/rgbcstore:$RGBC bbc:/tmp/bbcstore:$BBC; do
  IFS=: read g st rr <<< "$s"; echo "== $g"
  QA_DATA_DIR=$st .venv/bin/python evals/results/2026-12-02/session11-tune/replay.py evals/gold/$g.jsonl $H $rr 2>&1 | grep -v Warn
done
