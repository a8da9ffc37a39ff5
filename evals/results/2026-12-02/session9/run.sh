#!/bin/bash
# What ran for this block (00:18-01:06 UTC, code 8c3bd56): the commands now kept, unchanged, in
# evals/report_block.sh — seed, RGB (both with --baseline), rgb-conflict, the quote-first pipeline
# (6bbbddb worktree at /work/base) on the seed report half, BBC with --baseline, bench_load.
exec bash "$(dirname "$0")/../../../report_block.sh" evals/results/2026-12-02/session9 /tmp/q9
