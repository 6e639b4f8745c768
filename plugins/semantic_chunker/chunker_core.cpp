#include "chunker_core.hpp"

#include <algorithm>

#include "text_boundaries.hpp"

namespace semantic_chunker {
namespace {

// Compact the buffer once this much of it is behind every position still needed.
constexpr std::size_t kCompactBytes = 256 * 1024;

}  // namespace

std::string validate_settings(const ChunkerSettings& settings) {
    if (settings.chunk_size < 16) return "chunk_size must be at least 16 characters";
    if (settings.overlap * 2 > settings.chunk_size)
        return "overlap (" + std::to_string(settings.overlap) + ") must be at most half of chunk_size (" +
               std::to_string(settings.chunk_size) + "): lower overlap or raise chunk_size";
    if (settings.min_chunk > settings.chunk_size / 2)
        return "min_chunk (" + std::to_string(settings.min_chunk) + ") must be at most half of chunk_size (" +
               std::to_string(settings.chunk_size) + ")";
    return {};
}

ChunkerCore::ChunkerCore(ChunkerSettings settings, ChunkSink sink) : settings_(settings), sink_(std::move(sink)) {}

void ChunkerCore::begin_file(std::string source) {
    if (open_) end_file();
    open_ = true;
    source_ = std::move(source);
    text_.reset();
    limit_for_ = IndexedText::npos;
    offsets_.clear();
    scanned_ = 0;
    in_long_line_ = false;
    previous_blank_ = true;
    start_chunk_at(0);
    emitted_in_file_ = false;
    held_.reset();
    classifier_.reset();
    headings_.reset();
}

void ChunkerCore::feed(std::string_view text, std::uint64_t original_begin,
                       const std::vector<text_kit::OffsetAnchor>& anchors) {
    if (!open_) begin_file({});
    compact();
    const std::uint64_t start = text_.end();
    offsets_.add({start, original_begin});
    for (const auto& anchor : anchors) offsets_.add({start + anchor.normalized, anchor.original});
    text_.append(text);
    scan(false);
}

void ChunkerCore::end_file() {
    if (!open_) return;
    scan(true);
    close_section(true);
    release_held();
    open_ = false;
    text_.reset();
    marks_.clear();
}

void ChunkerCore::compact() {
    std::uint64_t keep = text_begin_;
    if (held_) keep = std::min(keep, held_->text_begin);
    // No word before `keep` is judged again, but a judgement looks back from the words after it.
    keep -= std::min<std::uint64_t>(rel(keep), kLookBehindBytes);
    const std::size_t drop = rel(keep);
    if (drop < kCompactBytes || drop * 2 < text_.size()) return;
    text_.drop_before(keep);
    offsets_.drop_before(text_.base());
}

std::uint64_t ChunkerCore::advance_chars(std::uint64_t pos, std::size_t count) const {
    // Each code point is at least one byte: the answer is at pos + count or after it.
    return text_.char_position(text_.char_index(pos) + count, pos + count);
}

std::uint64_t ChunkerCore::back_chars(std::uint64_t end, std::size_t count, std::uint64_t floor) const {
    const std::uint64_t end_index = text_.char_index(end);
    if (end_index - text_.char_index(floor) <= count) return count == 0 ? end : floor;
    return text_.char_position(end_index - count, end - count);  // at end - count or before it
}

void ChunkerCore::start_chunk_at(std::uint64_t pos) {
    text_begin_ = body_begin_ = pos;
    overlap_chars_ = 0;
    chars_ = 0;
    counted_to_ = pos;
    after_size_cut_ = false;
    marks_.clear();
}

bool ChunkerCore::close_section(bool at_end) {
    const std::uint64_t end = scanned_;
    count_to_scanned();
    if (end <= body_begin_) {
        start_chunk_at(end);
        release_held();
        return true;
    }
    const std::size_t body_chars = chars_ - overlap_chars_;
    const std::string_view body = view().substr(rel(body_begin_), static_cast<std::size_t>(end - body_begin_));
    const bool blank = std::all_of(body.begin(), body.end(), is_ascii_space);
    if (body_chars < settings_.min_chunk || blank) {
        if (held_ && after_size_cut_ && held_->characters + body_chars <= settings_.chunk_size) {
            held_->end = end;  // the section's small tail joins the chunk before it
            held_->characters += body_chars;
            start_chunk_at(end);
            release_held();
            return true;
        }
        if (!at_end) return false;  // too small to stand alone: it merges into what follows
        if (blank && !held_ && !emitted_in_file_) {
            start_chunk_at(end);  // a file of nothing but whitespace yields no chunk
            return true;
        }
    }
    hold({text_begin_, body_begin_, end, chars_, headings_.path()});
    start_chunk_at(end);
    release_held();
    return true;
}

void ChunkerCore::hold(PendingChunk chunk) {
    release_held();
    held_ = std::move(chunk);
}

void ChunkerCore::release_held() {
    if (!held_) return;
    const PendingChunk& pending = *held_;
    Chunk chunk;
    chunk.index = next_index_++;
    chunk.source = source_;
    chunk.text = view().substr(rel(pending.text_begin), static_cast<std::size_t>(pending.end - pending.text_begin));
    chunk.overlap_bytes = static_cast<std::size_t>(pending.body_begin - pending.text_begin);
    chunk.byte_begin = offsets_.to_original(pending.text_begin);
    chunk.byte_end = offsets_.to_original(pending.end);
    chunk.heading_path = pending.path.get();
    chunk.characters = pending.characters;
    if (stats_.chunks == 0 || chunk.characters < stats_.min_characters) stats_.min_characters = chunk.characters;
    stats_.max_characters = std::max<std::uint64_t>(stats_.max_characters, chunk.characters);
    stats_.characters += chunk.characters;
    ++stats_.chunks;
    emitted_in_file_ = true;
    sink_(chunk);
    held_.reset();
}
}  // namespace semantic_chunker
