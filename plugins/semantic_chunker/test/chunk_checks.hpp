#pragma once
// Runs the chunker over raw file bytes the way the pipeline does (normalised in blocks) and
// checks the invariants every chunking must keep.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include <text_kit/utf8.hpp>
#include <text_kit/utf8_normalizer.hpp>

#include "chunker_core.hpp"
#include "text_boundaries.hpp"

namespace semantic_chunker::testing {

struct CollectedChunk {
    std::uint64_t index = 0;
    std::string source;
    std::string text;
    std::size_t overlap_bytes = 0;
    std::uint64_t byte_begin = 0, byte_end = 0;
    std::vector<std::string> heading_path;
    std::size_t characters = 0;
};

inline ChunkSink collect_into(std::vector<CollectedChunk>& chunks) {
    return [&chunks](const Chunk& c) {
        chunks.push_back({c.index, std::string(c.source), std::string(c.text), c.overlap_bytes, c.byte_begin, c.byte_end,
                          *c.heading_path, c.characters});
    };
}

// Normalises `raw` in blocks of `block_bytes` (carrying split sequences like the file reader) and
// feeds each block to `core` as one file.
inline void feed_raw(ChunkerCore& core, const std::string& raw, std::size_t block_bytes, const std::string& source = "doc.txt") {
    text_kit::Utf8Normalizer normalizer(text_kit::InvalidUtf8Policy::Replace);
    core.begin_file(source);
    std::size_t consumed = 0;
    while (true) {
        const std::size_t take = std::min(block_bytes, raw.size() - consumed);
        const bool at_end = consumed + take == raw.size();
        text_kit::NormalizedPiece piece;
        std::size_t used = normalizer.normalize(std::string_view(raw).substr(consumed, take), consumed, at_end, piece);
        if (used == 0 && !at_end) {  // a block smaller than one sequence: take a few more bytes
            used = normalizer.normalize(std::string_view(raw).substr(consumed, take + 4), consumed,
                                        consumed + take + 4 >= raw.size(), piece);
        }
        core.feed(piece.text, piece.original_begin, piece.anchors);
        consumed += used;
        if (consumed >= raw.size()) break;
    }
    core.end_file();
}

inline std::vector<CollectedChunk> chunk_raw(const std::string& raw, ChunkerSettings settings, std::size_t block_bytes = 65536) {
    std::vector<CollectedChunk> chunks;
    ChunkerCore core(settings, collect_into(chunks));
    feed_raw(core, raw, block_bytes);
    return chunks;
}

inline bool at_word_boundary(const std::string& text, std::size_t pos) {
    return pos == 0 || pos >= text.size() || is_ascii_space(text[pos - 1]) || is_ascii_space(text[pos]) ||
           follows_cjk_sentence_end(text, pos, 0);
}

// Checks every invariant of docs/chunking.md. `words_fit`: no word in the input is longer than
// chunk_size, so no chunk may start or end inside a word.
inline void check_invariants(const std::string& raw, const std::vector<CollectedChunk>& chunks,
                             const ChunkerSettings& settings, bool words_fit) {
    const std::string normalized = text_kit::normalize_text(raw, text_kit::InvalidUtf8Policy::Replace);
    std::string rebuilt;
    for (std::size_t i = 0; i < chunks.size(); ++i) {
        const auto& chunk = chunks[i];
        INFO("chunk " << i << " of " << chunks.size() << ": [" << chunk.text << "]");
        REQUIRE(!chunk.text.empty());
        REQUIRE(text_kit::first_invalid_byte(chunk.text) == chunk.text.size());
        REQUIRE(chunk.characters == text_kit::count_code_points(chunk.text));
        REQUIRE(chunk.characters <= settings.chunk_size);
        REQUIRE(chunk.overlap_bytes < chunk.text.size());
        REQUIRE(text_kit::count_code_points(std::string_view(chunk.text).substr(0, chunk.overlap_bytes)) <= settings.overlap);
        // The overlap repeats the end of what came before.
        REQUIRE(rebuilt.size() >= chunk.overlap_bytes);
        REQUIRE(rebuilt.compare(rebuilt.size() - chunk.overlap_bytes, chunk.overlap_bytes, chunk.text, 0, chunk.overlap_bytes) == 0);
        const std::size_t text_begin = rebuilt.size() - chunk.overlap_bytes;
        rebuilt.append(chunk.text, chunk.overlap_bytes);
        if (words_fit) {
            CHECK(at_word_boundary(normalized, text_begin));
            CHECK(at_word_boundary(normalized, rebuilt.size()));
        }
        // The offsets point at the bytes the text came from.
        REQUIRE(chunk.byte_begin <= chunk.byte_end);
        REQUIRE(chunk.byte_end <= raw.size());
        text_kit::Utf8Normalizer normalizer(text_kit::InvalidUtf8Policy::Replace);
        text_kit::NormalizedPiece piece;
        normalizer.normalize(std::string_view(raw).substr(chunk.byte_begin, chunk.byte_end - chunk.byte_begin),
                             chunk.byte_begin, true, piece);
        REQUIRE(piece.text == chunk.text);
        if (i > 0) REQUIRE(chunk.index == chunks[i - 1].index + 1);
    }
    // Concatenating the parts after the overlaps gives back the normalised input (a file of
    // nothing but whitespace gives no chunk at all).
    const bool only_space = std::all_of(normalized.begin(), normalized.end(), is_ascii_space);
    if (only_space) REQUIRE(chunks.empty());
    else REQUIRE(rebuilt == normalized);
}

}  // namespace semantic_chunker::testing
