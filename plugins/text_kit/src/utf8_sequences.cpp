#include <text_kit/utf8.hpp>

#include <algorithm>

#ifdef TEXT_KIT_HAVE_SIMDJSON
#include <simdjson.h>
#endif

namespace text_kit {
namespace {

// How many leading bytes are well-formed UTF-8; adds the code points they hold to `code_points`.
// ASCII runs are skipped by ascii_prefix_length, because almost all real text is long ASCII runs.
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


std::size_t invalid_subpart_length(const unsigned char* s, std::size_t available) {
    const LeadByteShape shape = lead_byte_shape(s[0]);
    if (shape.length == 0) return 1;
    std::size_t length = 1;
    if (available > 1 && s[1] >= shape.low && s[1] <= shape.high) {
        length = 2;
        while (length < shape.length && length < available && is_continuation_byte(s[length])) ++length;
    }
    return length;
}

std::size_t incomplete_tail_length(const unsigned char* s, std::size_t size) {
    const std::size_t lookback = size < 3 ? size : 3;
    for (std::size_t back = 1; back <= lookback; ++back) {
        const unsigned char byte = s[size - back];
        if (is_continuation_byte(byte)) continue;
        if (lead_byte_shape(byte).length <= back) return 0;  // ASCII, an invalid lead, or a complete sequence
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

}  // namespace text_kit
