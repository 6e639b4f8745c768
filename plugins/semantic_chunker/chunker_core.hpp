#pragma once
// The chunking algorithm, fed normalised text of one file at a time in pieces of any size
// (docs/chunking.md explains the rules). It knows nothing of records or plugins, so tests and the
// bench drive it directly.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <text_kit/offset_map.hpp>

#include "heading_stack.hpp"
#include "indexed_text.hpp"
#include "line_classifier.hpp"
#include "mark_list.hpp"

namespace semantic_chunker {

struct ChunkerSettings {
    std::size_t chunk_size = 800;  // code points, overlap included
    std::size_t overlap = 100;     // code points repeated from the previous chunk, at most
    std::size_t min_chunk = 50;    // code points; a smaller section tail merges into a neighbour
};

// Checks the settings; returns an empty string when they are usable, else what to change.
std::string validate_settings(const ChunkerSettings& settings);

struct Chunk {
    std::uint64_t index = 0;
    std::string_view source;
    std::string_view text;          // valid only while the sink runs
    std::size_t overlap_bytes = 0;  // leading bytes of `text` that repeat the previous chunk
    std::uint64_t byte_begin = 0;   // [byte_begin, byte_end) in the original file
    std::uint64_t byte_end = 0;
    // Valid only while the sink runs, like `text`: the chunker rewrites the vector in place for
    // later chunks (no allocation per heading), so a kept pointer would silently change.
    const std::vector<std::string>* heading_path = nullptr;
    std::size_t characters = 0;     // code points in `text`
};

using ChunkSink = std::function<void(const Chunk&)>;

struct ChunkStats {
    std::uint64_t chunks = 0;
    std::uint64_t characters = 0;  // code points in all chunks, overlaps included
    std::uint64_t min_characters = 0;
    std::uint64_t max_characters = 0;
};

class ChunkerCore {
public:
    ChunkerCore(ChunkerSettings settings, ChunkSink sink);

    // Starts a new file; a file still open is finished first.
    void begin_file(std::string source);
    // Appends normalised text that starts at original byte `original_begin`; `anchors` map
    // offsets relative to `text` to original offsets where normalisation shifted them.
    void feed(std::string_view text, std::uint64_t original_begin, const std::vector<text_kit::OffsetAnchor>& anchors = {});
    // Emits everything left of the open file.
    void end_file();
    bool file_open() const { return open_; }
    const ChunkStats& stats() const { return stats_; }
    std::size_t buffered_bytes() const { return text_.size(); }

private:
    struct PendingChunk {
        std::uint64_t text_begin, body_begin, end;
        std::size_t characters;
        std::shared_ptr<const std::vector<std::string>> path;
    };

    void scan(bool at_end);
    enum class LinesTaken { none, some, wait };
    // Consumes complete lines from scanned_ on, in one loop that decides running text (prose,
    // blank lines, list items, table rows: most of any document) itself, with its state in
    // locals, and hands every other line to scan_line(). It stops at the first incomplete line
    // and after a line that may make a cut due; `wait` when scan_line() waits for the next line.
    LinesTaken take_lines(bool at_end);
    // Where code point chunk_size + 1 of the chunk starts (npos while it has not arrived): a line
    // that ends past it makes the chunk too long.
    std::uint64_t chunk_limit() {
        // It stays where it is until the chunk starts elsewhere; while fewer code points have
        // arrived it is looked for again.
        return limit_for_ == text_begin_ && limit_ != IndexedText::npos ? limit_ : find_chunk_limit();
    }
    std::uint64_t find_chunk_limit();
    // Classifies and consumes one line that is not plain running prose; false to wait for more
    // text (the next line decides some headings).
    bool scan_line(std::uint64_t line_begin, std::uint64_t line_end, bool at_end);
    void consume_to(std::uint64_t end) {
        scanned_ = end;
        // A code point is at least one byte: while the bytes fit, so do the code points.
        if (scanned_ - text_begin_ > settings_.chunk_size) count_and_cut();
    }
    void count_and_cut();
    void count_to_scanned();
    void cut_for_size();
    std::uint64_t choose_cut(std::uint64_t half, std::uint64_t window_end) const;
    // `one_byte`: every code point in [body_begin_, cut) is one byte.
    std::uint64_t overlap_begin(std::uint64_t cut, bool one_byte) const;
    bool close_section(bool at_end);
    void start_chunk_at(std::uint64_t pos);
    void hold(PendingChunk chunk);
    void release_held();
    void compact();
    // Where `count` code points after `pos` end (the end of the text at most).
    std::uint64_t advance_chars(std::uint64_t pos, std::size_t count) const;
    // Where `count` code points before `end` begin (`floor` at most).
    std::uint64_t back_chars(std::uint64_t end, std::size_t count, std::uint64_t floor) const;
    std::size_t chars_between(std::uint64_t begin, std::uint64_t end) const {
        return static_cast<std::size_t>(text_.chars_between(begin, end));
    }
    std::string_view view() const { return text_.view(); }
    std::size_t rel(std::uint64_t pos) const { return text_.rel(pos); }

    ChunkerSettings settings_;
    ChunkSink sink_;
    std::uint64_t next_index_ = 0;
    ChunkStats stats_;

    // Per file.
    bool open_ = false;
    std::string source_;
    IndexedText text_;            // normalised text from text_.base() on
    text_kit::OffsetMap offsets_;
    std::uint64_t scanned_ = 0;   // lines before this offset are classified and counted
    bool in_long_line_ = false;   // the line at scanned_ is prose too long to wait for
    bool previous_blank_ = true;  // the last classified line was blank or a rule
    std::uint64_t text_begin_ = 0;  // the current chunk, overlap included
    std::uint64_t body_begin_ = 0;  // where its new text starts
    std::size_t overlap_chars_ = 0;
    std::size_t chars_ = 0;       // code points in [text_begin_, counted_to_)
    std::uint64_t counted_to_ = 0;  // counting lags scanning until the bytes could exceed chunk_size
    bool after_size_cut_ = false; // the current chunk continues a section that a size cut split
    bool emitted_in_file_ = false;
    MarkList marks_;              // line starts in (body_begin_, scanned_]
    std::uint64_t limit_for_ = IndexedText::npos;  // the text_begin_ that limit_ is chunk_limit() of
    std::uint64_t limit_ = 0;
    std::optional<PendingChunk> held_;  // the last chunk, kept back so a small tail can merge into it
    LineClassifier classifier_;
    HeadingStack headings_;
};

}  // namespace semantic_chunker
