#!/usr/bin/env bash
# The chunker's speed by kind of text: each corpus document on its own (repeated to 10 MB), and two
# made-up files with no structure at all (lines of plain prose, with and without blank lines
# between paragraphs), which show what the design costs on the easiest text there is. For each
# file: reading and normalisation alone, the chunker with reading (what run.sh times) and the
# chunker alone on text read beforehand (`--mode stage`, as the engine feeds it), best CPU seconds
# of five repeats, as GB/s.
#
# usage: bench/chunker/by_kind.sh        (BUILD=build/chunker by default; KEEP=1 keeps the inputs)
set -euo pipefail

source "$(dirname "$0")/common.sh"
work=$(mktemp -d /tmp/fd_chunker_kinds.XXXXXX)
[[ ${KEEP:-0} == 1 ]] || trap 'rm -rf "$work"' EXIT

require_corpus
build_chunker_bench

# Copies of a document, each followed by a blank line, to 10 MB.
repeat_to_10mb() {  # file, out
  { cat "$1"; printf '\n\n'; } >"$work/once"
  repeat_to_size "$work/once" "$2" 10000000
}

# Nine words a line from a small vocabulary; `blank_share` of the lines are blank (paragraphs).
made_up_prose() {  # out, blank_share
  awk -v blank_share="$2" 'BEGIN {
    srand(1)
    split("the patient should receive a dose of medication within hours after admission and monitor closely for any reaction", word, " ")
    for (bytes = 0; bytes < 10000000; bytes += length(line) + 1) {
      line = ""
      if (rand() >= blank_share)
        for (k = 0; k < 9; ++k) line = line (k ? " " : "") word[1 + int(rand() * 18)]
      print line
    }
  }' >"$1"
}

gbps() {  # mode, file: best of five repeats
  local out
  out=$("$bench" --mode "$1" --repeat 5 "$2") || { echo "chunker_bench --mode $1 failed on $2" >&2; exit 1; }
  sed -n 's/.*chunk_cpu_GBps=\([0-9.]*\).*/\1/p' <<<"$out" | sort -n | tail -1
}

# Stops the script when the bench printed no figure.
require_figure() {  # value, what
  [[ -n $1 ]] || { echo "no figure for $2" >&2; exit 1; }
}

echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "chunk_size 800, overlap 100; CPU GB/s, best of 5 repeats"
printf '%-62s %6s %8s %6s\n' file read chunker stage
made_up_prose "$work/made_up_prose_lines.txt" 0
made_up_prose "$work/made_up_prose_paragraphs.txt" 0.2
inputs=("$work/made_up_prose_lines.txt" "$work/made_up_prose_paragraphs.txt")
while read -r f; do
  inputs+=("$work/$(basename "$f")")
  repeat_to_10mb "$f" "${inputs[-1]}"
done < <(corpus_documents)
for f in "${inputs[@]}"; do
  read_gbps=$(gbps read "$f")
  chunk_gbps=$(gbps chunk "$f")
  stage_gbps=$(gbps stage "$f")
  for figure in "$read_gbps" "$chunk_gbps" "$stage_gbps"; do require_figure "$figure" "$(basename "$f")"; done
  printf '%-62s %6s %8s %6s\n' "$(basename "$f")" "$read_gbps" "$chunk_gbps" "$stage_gbps"
done
