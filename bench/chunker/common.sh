# Sourced by the chunker bench scripts: where the checkout, the build and the corpus are, and the
# bench binary built.
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=${BUILD:-$root/build/chunker}
corpus=$root/../shared/corpus

require_corpus() {
  [[ -d $corpus ]] || { echo "corpus not found at $corpus: run from a checkout next to shared/corpus" >&2; exit 2; }
}

# Configures a Release build in $build when there is none, builds chunker_bench and sets $bench.
build_chunker_bench() {
  if [[ ! -f $build/build.ninja && ! -f $build/Makefile ]]; then
    cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
  fi
  cmake --build "$build" --target chunker_bench >/dev/null
  bench=$build/bin/chunker_bench
}

# The corpus's documents, in a stable order.
corpus_documents() {
  find "$corpus" -type f \( -name '*.txt' -o -name '*.md' \) ! -name SOURCES.md | LC_ALL=C sort
}

# Whole copies of a file (no cut inside a UTF-8 sequence) until `out` holds at least `min` bytes.
repeat_to_size() {  # file, out, min
  : >"$2"
  while (($(stat -c %s "$2") < $3)); do cat "$1" >>"$2"; done
}
