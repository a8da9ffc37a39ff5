#!/bin/bash
# What ran for this block: the VM's prompt-read speed before and after (then a session folder's script,
# now evals/prompt_speed.py, which evals/report_block.sh runs itself; output in log.txt), and
# evals/report_block.sh — seed, RGB (both with --baseline), rgb-conflict, the quote-first pipeline
# (6bbbddb worktree at /work/base) on the seed and BBC report halves, BBC with --baseline, bench_load.
bash -x evals/report_block.sh evals/results/2026-12-06/session14 /tmp/q14
