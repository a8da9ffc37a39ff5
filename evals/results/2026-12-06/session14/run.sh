#!/bin/bash
# What ran for this block (nothing else running): the VM's prompt-read speed before and after
# (session9-tune/prompt_speed.py with the joined GGUF's path), and evals/report_block.sh unchanged —
# seed, RGB (both with --baseline), rgb-conflict, the quote-first pipeline (6bbbddb worktree at
# /work/base) on the seed report half, BBC with --baseline, the quote-first pipeline on the BBC report half, bench_load.
set -x
OUT=evals/results/2026-12-06/session14
GGUF=${GGUF:-/root/.local/share/dateline/models/cc324af070c2ecbf.gguf}
date -u; git rev-parse --short HEAD; .venv/bin/python evals/results/2026-12-02/session9-tune/prompt_speed.py "$GGUF"
bash evals/report_block.sh $OUT /tmp/q14
date -u; .venv/bin/python evals/results/2026-12-02/session9-tune/prompt_speed.py "$GGUF"
date -u
