#!/usr/bin/env bash
# The chunker bench (issue 4). Builds inputs by repeating the corpus (../shared/corpus) into a
# temporary folder, then:
#   1. 1 GB: the C++ chunker (read + UTF-8 normalisation + chunking, one thread) and a plain memchr
#      newline scan of the same bytes, in the same run, three times (the machine's noise moves
#      single figures by several per cent); then reading and normalisation alone on 100 MB, the
#      part of the chunker's time that text_source spends;
#   2. 100 MB: the same C++ chunker next to LangChain's RecursiveCharacterTextSplitter and Chonkie
#      (@chonkiejs/core RecursiveChunker, @chonkiejs/chunk), run with node;
#   3. peak RSS of the C++ chunker on 1 GB and on 10 MB;
#   and the digest of the 100 MB file's chunks, which must not change when only speed does.
# The JavaScript packages are installed into bench/.node/ (git-ignored); they are never a
# dependency of flowdistill.
#
# usage: bench/chunker/run.sh            (BUILD=build/chunker by default; KEEP=1 keeps the inputs)
set -euo pipefail

source "$(dirname "$0")/common.sh"
chunk_size=${CHUNK_SIZE:-800}
overlap=${OVERLAP:-100}
work=$(mktemp -d /tmp/fd_chunker_bench.XXXXXX)
[[ ${KEEP:-0} == 1 ]] || trap 'rm -rf "$work"' EXIT

require_corpus
build_chunker_bench

# Whole copies of the corpus (no cut inside a UTF-8 sequence) until the file reaches the size.
make_input() {  # name, minimum bytes
  local out=$work/$1 min=$2
  if [[ ! -f $work/corpus_once.txt ]]; then
    corpus_documents | while read -r f; do cat "$f"; printf '\n\n'; done >"$work/corpus_once.txt"
  fi
  repeat_to_size "$work/corpus_once.txt" "$out" "$min"
  echo "$out"
}

echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "settings: chunk_size=$chunk_size overlap=$overlap (characters)"
big=$(make_input corpus_1g.txt 1000000000)
mid=$(make_input corpus_100m.txt 100000000)
small=$(make_input corpus_10m.txt 10000000)
cat "$big" >/dev/null  # warm the page cache so both scans read from memory

echo
echo "== 1 GB: C++ chunker vs memchr newline scan (same run), three runs"
for run in 1 2 3; do "$bench" --mode both --chunk-size "$chunk_size" --overlap "$overlap" "$big"; done
echo "== 100 MB: reading and normalisation alone (text_source's share), three rounds"
"$bench" --mode read --repeat 3 "$mid"

echo
echo "== peak RSS (/usr/bin/time -v), chunking only: 1 GB vs 10 MB"
for f in "$big" "$small"; do
  rss=$(/usr/bin/time -v "$bench" --mode chunk --chunk-size "$chunk_size" --overlap "$overlap" "$f" 2>&1 >/dev/null |
    sed -n 's/.*Maximum resident set size (kbytes): //p')
  echo "$(basename "$f") $(stat -c %s "$f") bytes: peak RSS ${rss} KiB"
done

echo
echo "== 100 MB side by side"
"$bench" --mode chunk --chunk-size "$chunk_size" --overlap "$overlap" "$mid"
echo "chunk digest (XXH3 of every chunk; a change meant only for speed must keep it):"
# From the input's folder, so the chunks' source is "corpus_100m.txt" wherever the folder is.
(cd "$work" && "$bench" --mode chunk --digest --chunk-size "$chunk_size" --overlap "$overlap" corpus_100m.txt) |
  sed 's/.*\(chunks=[0-9]*\).*\(digest=.*\)/\1 \2/'
node_dir=$root/bench/.node
if [[ ! -d $node_dir/node_modules/@langchain/textsplitters || ! -d $node_dir/node_modules/@chonkiejs/chunk ]]; then
  mkdir -p "$node_dir"
  npm install --prefix "$node_dir" --no-audit --no-fund --silent \
    @langchain/textsplitters@1.0.2 @langchain/core @chonkiejs/core@0.0.11 @chonkiejs/chunk@0.9.3
fi
node --max-old-space-size=8192 "$root/bench/chunker/js_chunkers.mjs" "$mid" "$chunk_size" "$overlap" "$node_dir/node_modules"
