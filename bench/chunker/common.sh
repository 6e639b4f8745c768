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
