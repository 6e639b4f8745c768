#pragma once
// Where the sentence searches look: the bytes after which a sentence can start, found 64 at a
// time. A search runs for every chunk cut and scans a fifth of all text, so this is one of the
// chunker's hot loops; the byte classes are found with SSSE3 table lookups where the CPU has them
// (chosen at run time, as the build targets plain x86-64) and SSE2 compares otherwise.
#include <cstdint>

namespace semantic_chunker {

// Bit k is set for byte p[k] when is_sentence_candidate() (text_boundaries.hpp) accepts it, with
// one exception: a line feed right after a byte that ends a sentence is left out, as that byte
// (bit k - 1, or `before` for k = 0) is a candidate itself and the same word follows both. A few
// more bits may be set (the table lookups group some byte values together); the searches test
// every candidate, so extra bits cost a test, never a different answer. `before` and `after` are
// the bytes around the 64 (0 where there is none); p[0..63] must be readable.
std::uint64_t sentence_candidates64(const char* p, char before, char after);

}  // namespace semantic_chunker
