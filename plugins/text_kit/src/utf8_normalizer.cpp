#include <text_kit/utf8_normalizer.hpp>

#include <algorithm>
#include <cstring>
#include <string>

#include <text_kit/append_bytes.hpp>
#include <text_kit/utf8.hpp>

#ifdef TEXT_KIT_HAVE_SIMDJSON
#include <simdjson.h>
#endif

namespace text_kit {
namespace {

// How many leading bytes are well-formed UTF-8; adds the code points they hold to `code_points`.
// ASCII runs are skipped by ascii_prefix_length, because almost all real text is long ASCII runs.
// CR and NUL are found separately with memchr.
std::size_t valid_prefix_length(const unsigned char* s, std::size_t n, std::uint64_t& code_points) {
    std::size_t i = 0;
    std::size_t sequences = 0;  // multibyte sequences: each is one code point for several bytes
    std::size_t multibyte_bytes = 0;
    while (i < n) {
        i += ascii_prefix_length(s + i, n - i);
        // Stay here while the text is non-ASCII (CJK, Cyrillic...), with the common two- and
        // three-byte forms checked inline.
        while (i < n && s[i] >= 0x80) {
            const unsigned char lead = s[i];
            std::size_t length;
            if (lead >= 0xE1 && lead <= 0xEF && lead != 0xED) {
                length = (i + 2 < n && is_continuation_byte(s[i + 1]) && is_continuation_byte(s[i + 2])) ? 3 : 0;
            } else if (lead >= 0xC2 && lead <= 0xDF) {
                length = (i + 1 < n && is_continuation_byte(s[i + 1])) ? 2 : 0;
            } else {
                length = valid_sequence_length(s + i, n - i);
            }
            if (length == 0) {
                code_points += i - multibyte_bytes + sequences;
                return i;
            }
            i += length;
            ++sequences;
            multibyte_bytes += length;
        }
    }
    code_points += n - multibyte_bytes + sequences;
    return n;
}

// Blocks judged whole by the vectorised validator. Small enough that a file with invalid bytes
// (Latin-1 read as UTF-8) costs at most one failed check per block, large enough that the call
// overhead vanishes on valid text.
constexpr std::size_t kValidationBlock = 4096;

// Where the block of valid-looking text from `i` should end (at most kValidationBlock bytes, not
// past `stop`): at the start of a sequence, so that a valid block holds whole sequences only.
std::size_t validation_block_end(const unsigned char* s, std::size_t i, std::size_t stop) {
    if (stop - i <= kValidationBlock) return stop;
    std::size_t end = i + kValidationBlock;
    // A sequence has at most three continuation bytes; more than that is invalid wherever it is cut.
    for (int back = 0; back < 3 && is_continuation_byte(s[end]); ++back) --end;
    return end;
}

bool block_is_valid(const unsigned char* s, std::size_t n) {
#ifdef TEXT_KIT_HAVE_SIMDJSON
    return simdjson::validate_utf8(reinterpret_cast<const char*>(s), n);
#else
    (void)s;
    (void)n;
    return false;  // no vectorised validator: every block takes the byte-wise check
#endif
}

}  // namespace

std::size_t valid_run_end(const unsigned char* s, std::size_t i, std::size_t stop, std::size_t& bytewise_until,
                          std::uint64_t& code_points) {
    while (i < stop) {
        if (i >= bytewise_until) {
            const std::size_t end = validation_block_end(s, i, stop);
            if (block_is_valid(s + i, end - i)) {
                code_points += count_code_points(reinterpret_cast<const char*>(s + i), end - i);
                i = end;
                continue;
            }
            bytewise_until = end;  // the invalid byte is in this block: find it byte by byte
        }
        const std::size_t limit = std::min(stop, bytewise_until);
        const std::size_t run = valid_prefix_length(s + i, limit - i, code_points);
        i += run;
        if (i < limit) return i;
    }
    return i;
}

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

std::size_t invalid_subpart_length(const unsigned char* s, std::size_t available) {
    const unsigned char lead = s[0];
    std::size_t expected = 0;
    unsigned char low = 0x80, high = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) {
        expected = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        expected = 3;
        if (lead == 0xE0) low = 0xA0;
        if (lead == 0xED) high = 0x9F;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        expected = 4;
        if (lead == 0xF0) low = 0x90;
        if (lead == 0xF4) high = 0x8F;
    } else {
        return 1;
    }
    std::size_t length = 1;
    if (available > 1 && s[1] >= low && s[1] <= high) {
        length = 2;
        while (length < expected && length < available && is_continuation_byte(s[length])) ++length;
    }
    return length;
}

std::size_t incomplete_tail_length(const unsigned char* s, std::size_t size) {
    const std::size_t lookback = size < 3 ? size : 3;
    for (std::size_t back = 1; back <= lookback; ++back) {
        const unsigned char byte = s[size - back];
        if (is_continuation_byte(byte)) continue;
        std::size_t expected = 0;
        if (byte >= 0xC2 && byte <= 0xDF) expected = 2;
        else if (byte >= 0xE0 && byte <= 0xEF) expected = 3;
        else if (byte >= 0xF0 && byte <= 0xF4) expected = 4;
        if (expected <= back) return 0;  // ASCII, an invalid lead, or a complete sequence
        // Only hold back what could still become valid; anything else is reported now.
        return invalid_subpart_length(s + size - back, back) == back ? back : 0;
    }
    return 0;
}

std::size_t first_invalid_byte(std::string_view text) {
    const auto* s = reinterpret_cast<const unsigned char*>(text.data());
    std::size_t i = 0;
    while (i < text.size()) {
        const std::size_t length = valid_sequence_length(s + i, text.size() - i);
        if (length == 0) return i;
        i += length;
    }
    return text.size();
}

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
