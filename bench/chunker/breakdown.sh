#!/usr/bin/env bash
# Where the chunker's time goes, by what it is asked to do: the same binary on the same file, with
# the chunk size raised until size cuts stop (only sections end chunks) and the overlap off, in
# alternated rounds. The differences are the cost of reading, of the lines and sections, of size
# cuts and of the overlap.
#
# usage: bench/chunker/breakdown.sh FILE     (BUILD=build/chunker by default; ROUNDS=3)
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD:-$root/build/chunker}
file=${1:?usage: breakdown.sh FILE}
cmake --build "$build" --target chunker_bench >/dev/null
bench=$build/bin/chunker_bench

cpu_seconds() {  # best CPU seconds of three repeats
  "$bench" --mode "$@" --repeat 3 "$file" | sed -n 's/.*chunk_cpu_s=\([0-9.]*\).*/\1/p' | sort -n | head -1
}

echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "file: $(basename "$file"), $(stat -c %s "$file") bytes; best CPU seconds of 3 repeats"
printf '%-6s %8s %16s %10s %10s %12s\n' round read sections-only 4000/0 800/0 800/100
for round in $(seq "${ROUNDS:-3}"); do
  printf '%-6s %8s %16s %10s %10s %12s\n' "$round" "$(cpu_seconds read)" \
    "$(cpu_seconds chunk --chunk-size 100000 --overlap 0 --min-chunk 10)" \
    "$(cpu_seconds chunk --chunk-size 4000 --overlap 0)" "$(cpu_seconds chunk --chunk-size 800 --overlap 0)" \
    "$(cpu_seconds chunk --chunk-size 800 --overlap 100)"
done
