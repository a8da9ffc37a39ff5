#!/bin/bash
# What ran for this block (code ad079f3, gold as in session 17): evals/report_block.sh — the prompt-read speed before
# and after, seed and RGB (both with --baseline), rgb-conflict, the quote-first pipeline (6bbbddb worktree at /work/base)
# on the seed and BBC report halves (gold files written from the audited gold), BBC with --baseline, bench_load.
bash -x evals/report_block.sh evals/results/2026-12-06/session18 /tmp/q18
