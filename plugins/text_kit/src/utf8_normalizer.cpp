#include <text_kit/utf8_normalizer.hpp>

#include <algorithm>
#include <cstring>
#include <string>

#include <text_kit/append_bytes.hpp>
#include <text_kit/utf8.hpp>

namespace text_kit {
namespace {

std::size_t find_byte(const unsigned char* s, std::size_t from, std::size_t end, int byte) {
    const void* found = std::memchr(s + from, byte, end - from);
    return found ? static_cast<std::size_t>(static_cast<const unsigned char*>(found) - s) : end;
}

std::uint64_t implied_original(const NormalizedPiece& out) {
    if (out.anchors.empty()) return out.original_begin + out.text.size();
    const OffsetAnchor& last = out.anchors.back();
    return last.original + (out.text.size() - last.normalized);
}

// Records an anchor only where the running offset mapping would otherwise be wrong.
void sync_anchor(NormalizedPiece& out, std::uint64_t original) {
    if (implied_original(out) != original) out.anchors.push_back({out.text.size(), original});
}

}  // namespace

std::size_t Utf8Normalizer::normalize(std::string_view raw, std::uint64_t raw_offset, bool at_end,
                                      NormalizedPiece& out) {
    const auto* s = reinterpret_cast<const unsigned char*>(raw.data());
    const std::size_t n = raw.size();
    std::size_t end = n;
    if (!at_end && n > 0) end = s[n - 1] == '\r' ? n - 1 : n - incomplete_tail_length(s, n);

    std::size_t i = 0;
    if (raw_offset == 0 && n >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF) i = 3;
    if (out.text.empty() && out.anchors.empty()) out.original_begin = raw_offset + i;

    std::size_t bytewise_until = 0;  // valid_run_end(): bytes before this are checked byte by byte
    std::size_t next_cr = find_byte(s, i, end, '\r');
    std::size_t next_nul = find_byte(s, i, end, 0);
    while (i < end) {
        const std::size_t stop = std::min(next_cr, next_nul);
        const std::size_t run = valid_run_end(s, i, stop, bytewise_until, out.code_points) - i;
        if (run > 0) {
            sync_anchor(out, raw_offset + i);
            append_bytes(out.text, reinterpret_cast<const char*>(s + i), run);
            i += run;
            if (i == end) break;
        }
        if (i == next_cr) {
            sync_anchor(out, raw_offset + i);
            out.text.push_back('\n');
            ++out.code_points;
            i += (i + 1 < n && s[i + 1] == '\n') ? 2 : 1;
            next_cr = find_byte(s, i, end, '\r');
        } else if (i == next_nul) {
            throw TextDecodeError(TextDecodeError::Kind::NulByte, raw_offset + i,
                                  "NUL byte at byte offset " + std::to_string(raw_offset + i) +
                                      ": this looks like a binary file, not text");
        } else if (i < stop) {
            if (policy_ == InvalidUtf8Policy::Error)
                throw TextDecodeError(TextDecodeError::Kind::InvalidUtf8, raw_offset + i,
                                      "invalid UTF-8 at byte offset " + std::to_string(raw_offset + i) +
                                          ": convert the file to UTF-8, or set on_invalid_utf8: replace to "
                                          "substitute U+FFFD");
            sync_anchor(out, raw_offset + i);
            out.text.append("\xEF\xBF\xBD");
            ++out.code_points;
            i += invalid_subpart_length(s + i, stop - i);
        }
        sync_anchor(out, raw_offset + i);
    }
    return i;
}

std::string normalize_text(std::string_view raw, InvalidUtf8Policy policy) {
    Utf8Normalizer normalizer(policy);
    NormalizedPiece piece;
    normalizer.normalize(raw, 0, true, piece);
    return std::move(piece.text);
}

}  // namespace text_kit
