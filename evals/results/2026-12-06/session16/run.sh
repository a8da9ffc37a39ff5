#!/bin/bash
# What ran for this block: evals/report_block.sh — the prompt-read speed before and after, seed and RGB
# (both with --baseline), rgb-conflict, the quote-first pipeline (6bbbddb worktree at /work/base) on the
# seed and BBC report halves, BBC with --baseline, bench_load. Output in log.txt.
bash -x evals/report_block.sh evals/results/2026-12-06/session16 /tmp/q16
