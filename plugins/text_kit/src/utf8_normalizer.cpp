#include <text_kit/utf8_normalizer.hpp>

#include <cstring>
#include <string>

#include <text_kit/append_bytes.hpp>
#include <text_kit/clean_text_scanner.hpp>
#include <text_kit/utf8.hpp>

namespace text_kit {
namespace {

constexpr char kReplacementCharacter[] = "\xEF\xBF\xBD";

// The original offset that normalised offset `normalized` maps to if no anchor is added there.
std::uint64_t implied_original(const NormalizedPiece& out, std::size_t normalized) {
    if (out.anchors.empty()) return out.original_begin + normalized;
    const OffsetAnchor& last = out.anchors.back();
    return last.original + (normalized - last.normalized);
}

// Records an anchor only where the running offset mapping would otherwise be wrong.
void sync_anchor(NormalizedPiece& out, std::size_t normalized, std::uint64_t original) {
    if (implied_original(out, normalized) != original) out.anchors.push_back({normalized, original});
}

void sync_anchor(NormalizedPiece& out, std::uint64_t original) { sync_anchor(out, out.text.size(), original); }

// How much of `raw` can be normalised now: all of it at the end of the input; otherwise a
// trailing CR (maybe half of CRLF) or the start of a split sequence waits for more input.
std::size_t usable_length(const unsigned char* s, std::size_t n, bool at_end) {
    if (at_end || n == 0) return n;
    return s[n - 1] == '\r' ? n - 1 : n - incomplete_tail_length(s, n);
}

// A byte order mark is dropped where the file starts.
std::size_t bom_length(const unsigned char* s, std::size_t n, std::uint64_t raw_offset) {
    return raw_offset == 0 && n >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF ? 3 : 0;
}

// Where the input goes on after the CR at s[i]: a CRLF is one line end.
std::size_t after_cr(const unsigned char* s, std::size_t i, std::size_t n) {
    return i + ((i + 1 < n && s[i + 1] == '\n') ? 2 : 1);
}

// Cuts an in-place piece down to its normalised text, text[bom, written).
void keep_normalized(std::string& text, std::size_t bom, std::size_t written) {
    text.resize(written);
    text.erase(0, bom);
}

[[noreturn]] void throw_nul_byte(std::uint64_t offset) {
    throw TextDecodeError(TextDecodeError::Kind::NulByte, offset,
                          "NUL byte at byte offset " + std::to_string(offset) + ": this looks like a binary file, not text");
}

[[noreturn]] void throw_invalid_utf8(std::uint64_t offset) {
    throw TextDecodeError(TextDecodeError::Kind::InvalidUtf8, offset,
                          "invalid UTF-8 at byte offset " + std::to_string(offset) +
                              ": convert the file to UTF-8, or set on_invalid_utf8: replace to substitute U+FFFD");
}

}  // namespace

std::size_t Utf8Normalizer::normalize(std::string_view raw, std::uint64_t raw_offset, bool at_end,
                                      NormalizedPiece& out) {
    const auto* s = reinterpret_cast<const unsigned char*>(raw.data());
    const std::size_t n = raw.size();
    const std::size_t end = usable_length(s, n, at_end);
    std::size_t i = bom_length(s, n, raw_offset);
    if (out.text.empty() && out.anchors.empty()) out.original_begin = raw_offset + i;

    CleanTextScanner scanner(s, end);
    while (i < end) {
        const std::size_t clean_end = scanner.clean_end(i, out.code_points);
        if (clean_end > i) {
            sync_anchor(out, raw_offset + i);
            append_bytes(out.text, raw.data() + i, clean_end - i);
            i = clean_end;
            if (i == end) break;
        }
        if (s[i] == '\r') {
            sync_anchor(out, raw_offset + i);
            out.text.push_back('\n');
            i = after_cr(s, i, n);
        } else if (s[i] == 0) {
            throw_nul_byte(raw_offset + i);
        } else {
            if (policy_ == InvalidUtf8Policy::Error) throw_invalid_utf8(raw_offset + i);
            sync_anchor(out, raw_offset + i);
            out.text.append(kReplacementCharacter);
            i += invalid_subpart_length(s + i, end - i);
        }
        ++out.code_points;
        sync_anchor(out, raw_offset + i);
    }
    return i;
}

std::size_t Utf8Normalizer::normalize_in_place(std::uint64_t raw_offset, bool at_end, NormalizedPiece& out,
                                               std::string& held_back) {
    char* text = out.text.data();
    const auto* s = reinterpret_cast<const unsigned char*>(text);
    const std::size_t n = out.text.size();
    const std::size_t end = usable_length(s, n, at_end);
    held_back.assign(text + end, n - end);
    const std::size_t bom = bom_length(s, n, raw_offset);
    out.original_begin = raw_offset + bom;

    // text[bom, written) is normalised; the raw bytes from i on are untouched, as written <= i.
    // The piece starts consistent with its mapping, and only line ends can shift it here, so
    // an anchor can only be needed after a CR.
    std::size_t i = bom, written = bom;
    CleanTextScanner scanner(s, end);
    while (i < end) {
        const std::size_t clean_end = scanner.clean_end(i, out.code_points);
        if (written != i) std::memmove(text + written, text + i, clean_end - i);  // after a CRLF
        written += clean_end - i;
        i = clean_end;
        if (i == end) break;
        if (s[i] == '\r') {
            text[written++] = '\n';
            ++out.code_points;
            i = after_cr(s, i, n);
            sync_anchor(out, written - bom, raw_offset + i);
        } else {
            const bool nul = s[i] == 0;
            if (!nul && policy_ == InvalidUtf8Policy::Replace) copied_rest_.assign(text + i, n - i);
            keep_normalized(out.text, bom, written);  // as normalize() leaves it: the text before this byte
            if (nul) throw_nul_byte(raw_offset + i);
            if (policy_ == InvalidUtf8Policy::Error) throw_invalid_utf8(raw_offset + i);
            // U+FFFD can be longer than the bytes it replaces: the rest is normalised from a copy.
            return i + normalize(copied_rest_, raw_offset + i, at_end, out);
        }
    }
    keep_normalized(out.text, bom, written);
    return i;
}

std::string normalize_text(std::string_view raw, InvalidUtf8Policy policy) {
    Utf8Normalizer normalizer(policy);
    NormalizedPiece piece;
    normalizer.normalize(raw, 0, true, piece);
    return std::move(piece.text);
}

}  // namespace text_kit
