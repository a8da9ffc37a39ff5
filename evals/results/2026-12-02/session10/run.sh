#!/bin/bash
# What ran for this block (03:08-03:44 UTC, code 80956d7, from a worktree with PYTHONPATH set to it):
# evals/report_block.sh, unchanged — seed, RGB (both with --baseline), rgb-conflict, the quote-first
# pipeline (6bbbddb worktree at /work/base) on the seed report half, BBC with --baseline, bench_load.
exec bash "$(dirname "$0")/../../../report_block.sh" evals/results/2026-12-02/session10 /tmp/q10
