#!/usr/bin/env bash
# Engine throughput and memory, as recorded in bench/RESULTS.md.
#   bench/engine/run.sh [BUILD_DIR]        (default build/release)
set -euo pipefail
build=${1:-build/release}
bench="$build/bin/engine_bench"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load $(cut -d' ' -f1-3 /proc/loadavg)"
for stage in map bench_pass; do
  echo "== throughput: source -> 3 x $stage -> sink, 3,000,000 records, engine vs hand-written TBB graph (same process), 3 runs"
  for i in 1 2 3; do "$bench" 3000000 both 64 "$stage" 2>/dev/null | grep -E '^(engine|baseline|ratio)'; done
done
echo "== token-bucket edge accuracy over 10 s (burst 10): 500/s with batches of 64, 5,000/s with batches of 1"
"$bench" 5000 rate 2>/dev/null
"$bench" 50000 rate 1 2>/dev/null
echo "== peak RSS: 100,000 records vs 10,000,000 records (separate processes)"
small=$("$bench" 100000 engine 2>/dev/null | awk '/peak RSS/ {print $3}')
large=$("$bench" 10000000 engine 2>/dev/null | tee /dev/stderr | awk '/peak RSS/ {print $3}')
echo "peak RSS 100k: ${small} MiB, 10M: ${large} MiB, difference: $(awk -v a="$large" -v b="$small" 'BEGIN {print a - b}') MiB"
