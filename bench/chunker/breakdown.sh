#!/usr/bin/env bash
# Where the chunker's time goes, by what it is asked to do: the same binary on the same file, with
# the chunk size raised until size cuts all but stop (chunks end at headings; min_chunk 10 lets
# small sections stand alone) and the overlap off, in alternated rounds. The differences are the
# cost of reading, of the lines and sections, of size cuts and of the overlap.
#
# usage: bench/chunker/breakdown.sh FILE     (BUILD=build/chunker by default; ROUNDS=3)
# FILE can be run.sh's corpus_100m.txt: `KEEP=1 bench/chunker/run.sh` keeps it in /tmp/fd_chunker_bench.*
set -euo pipefail

source "$(dirname "$0")/common.sh"
file=${1:?usage: breakdown.sh FILE}
[[ -f $file ]] || { echo "no such file: $file" >&2; exit 2; }
build_chunker_bench

# Best CPU seconds of three repeats; stops the script when the bench fails.
cpu_seconds() {
  local out best
  out=$("$bench" --mode "$@" --repeat 3 "$file") || { echo "chunker_bench --mode $* failed" >&2; exit 1; }
  best=$(sed -n 's/.*chunk_cpu_s=\([0-9.]*\).*/\1/p' <<<"$out" | sort -n | head -1)
  [[ -n $best ]] || { echo "chunker_bench --mode $* printed no time" >&2; exit 1; }
  echo "$best"
}

echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "file: $(basename "$file"), $(stat -c %s "$file") bytes; best CPU seconds of 3 repeats"
printf '%-6s %8s %16s %10s %10s %12s\n' round read sections-only 4000/0 800/0 800/100
for round in $(seq "${ROUNDS:-3}"); do
  read_s=$(cpu_seconds read)
  sections_s=$(cpu_seconds chunk --chunk-size 100000 --overlap 0 --min-chunk 10)
  large_s=$(cpu_seconds chunk --chunk-size 4000 --overlap 0)
  no_overlap_s=$(cpu_seconds chunk --chunk-size 800 --overlap 0)
  default_s=$(cpu_seconds chunk --chunk-size 800 --overlap 100)
  printf '%-6s %8s %16s %10s %10s %12s\n' "$round" "$read_s" "$sections_s" "$large_s" "$no_overlap_s" "$default_s"
done
