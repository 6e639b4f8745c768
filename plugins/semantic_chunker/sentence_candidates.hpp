#pragma once
// Where the sentence searches look: the bytes after which a sentence can start, found 64 at a
// time, and the chunker's two searches built on them. A search runs for every chunk cut and scans
// a fifth of all text, so this is one of the chunker's hot loops; the bytes are classified with
// SSSE3 table lookups where the CPU has them (chosen at run time, as the build targets plain
// x86-64; VEX-coded where it has AVX) and with SSE2 compares otherwise.
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace semantic_chunker {

// Bit k is set for byte p[k] when is_sentence_candidate() (text_boundaries.hpp) accepts it, with
// one exception: a line feed right after a byte that ends a sentence is left out, as that byte
// (bit k - 1, or `before` for k = 0) is a candidate itself and the same word follows both. A few
// more bits may be set (the table lookups group some byte values together); the searches test
// every candidate, so extra bits cost a test, never a different answer. `before` and `after` are
// the bytes around the 64 (0 where there is none); p[0..63] must be readable.
std::uint64_t sentence_candidates64(const char* p, char before, char after);

// sentence_candidates64() as built for "ssse3" or "portable" (SSE2 compares, or a byte loop); null
// where this CPU lacks the instructions. The function above runs the best; the tests run each.
using CandidateFinder = std::uint64_t (*)(const char* p, char before, char after);
CandidateFinder sentence_candidates_for(std::string_view instructions);

inline constexpr std::size_t kNoSentenceStart = std::string_view::npos;

// The chunker's two sentence searches (docs/chunking.md, rules 3 and 5), each the words after the
// candidates of a range judged by is_sentence_start(text, word, look_behind_floor(word))
// (text_boundaries.hpp), the vector code inlined for the whole search.
//
// The first sentence start in [from, end): the earliest word after a candidate in [from - 1, end)
// that starts a sentence, or `end` if none does before a candidate followed by only spaces up to
// `end` (or none at all). Where the overlap after a cut begins (ChunkerCore::overlap_begin).
std::size_t first_sentence_start(std::string_view text, std::size_t from, std::size_t end);

// The last sentence start in [low, high]: the latest word in that range after a candidate in
// [low - 1, high) that starts a sentence, or kNoSentenceStart. Where a cut falls when no paragraph
// or list item is near (ChunkerCore::choose_cut).
std::size_t last_sentence_start(std::string_view text, std::size_t low, std::size_t high);

// The searches as built for one instruction set: "avx", "ssse3" (the nibble lookups, VEX-coded or
// not) or "portable" (SSE2 compares, or a byte loop); null where this CPU lacks the instructions.
// The two above run the best; the tests run each.
struct SentenceSearches {
    std::size_t (*first)(std::string_view text, std::size_t from, std::size_t end);
    std::size_t (*last)(std::string_view text, std::size_t low, std::size_t high);
};

SentenceSearches sentence_searches_for(std::string_view instructions);

}  // namespace semantic_chunker
