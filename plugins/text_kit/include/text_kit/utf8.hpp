#pragma once
// Byte-level UTF-8 helpers. Everything works on raw bytes so hot loops never decode code points:
// a code point is counted by its first byte, which is never a continuation byte (10xxxxxx).
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace text_kit {

inline bool is_continuation_byte(unsigned char byte) { return (byte & 0xC0) == 0x80; }

// The number of code points in valid UTF-8: the bytes that are not continuation bytes
// (10xxxxxx). Eight bytes per step, with per-byte tallies kept in the lanes of one word.
inline std::size_t count_code_points(const char* data, std::size_t size) {
    constexpr std::uint64_t kLowBits = 0x0101010101010101ULL;
    std::size_t count = 0, i = 0;
    while (size - i >= 8) {
        // At most 255 words per round, so no byte lane of the tally overflows.
        const std::size_t words = (size - i) / 8 < 255 ? (size - i) / 8 : 255;
        std::uint64_t tally = 0;
        for (std::size_t k = 0; k < words; ++k, i += 8) {
            std::uint64_t word;
            std::memcpy(&word, data + i, 8);
            // A lane counts 1 unless bit 7 is set and bit 6 clear.
            tally += ((~word | (word << 1)) >> 7) & kLowBits;
        }
        // Sum the eight byte lanes: pairs into 16-bit lanes, then all four at once.
        const std::uint64_t pairs = (tally & 0x00FF00FF00FF00FFULL) + ((tally >> 8) & 0x00FF00FF00FF00FFULL);
        count += static_cast<std::size_t>((pairs * 0x0001000100010001ULL) >> 48);
    }
    for (; i < size; ++i) count += static_cast<signed char>(data[i]) > -65;  // not in 0x80..0xBF
    return count;
}

inline std::size_t count_code_points(std::string_view text) {
    return count_code_points(text.data(), text.size());
}

// Length of the well-formed sequence at `s` (Unicode table 3-7), or 0 if it is ill-formed or
// truncated by the end of the buffer.
inline std::size_t valid_sequence_length(const unsigned char* s, std::size_t available) {
    const unsigned char lead = s[0];
    if (lead < 0x80) return 1;
    std::size_t length = 0;
    unsigned char low = 0x80, high = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3;
        if (lead == 0xE0) low = 0xA0;
        if (lead == 0xED) high = 0x9F;  // no UTF-16 surrogates
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4;
        if (lead == 0xF0) low = 0x90;
        if (lead == 0xF4) high = 0x8F;  // nothing above U+10FFFF
    } else {
        return 0;
    }
    if (available < length) return 0;
    if (s[1] < low || s[1] > high) return 0;
    for (std::size_t i = 2; i < length; ++i)
        if (!is_continuation_byte(s[i])) return 0;
    return length;
}

// How many bytes at `s` one U+FFFD replaces: the maximal subpart of an ill-formed sequence (the
// W3C/Unicode "substitution of maximal subparts" practice), always at least 1.
std::size_t invalid_subpart_length(const unsigned char* s, std::size_t available);

// The number of bytes at the end of [s, s+size) that start a sequence the buffer cuts short but
// that could still become well-formed with more bytes (0 to 3). Used to carry them to the next read.
std::size_t incomplete_tail_length(const unsigned char* s, std::size_t size);

// Where [data, data+size) stops being valid UTF-8; `size` when it is valid throughout.
std::size_t first_invalid_byte(std::string_view text);

}  // namespace text_kit
