#pragma once
// Byte-level UTF-8 helpers. Everything works on raw bytes so hot loops never decode code points:
// a code point is counted by its first byte, which is never a continuation byte (10xxxxxx).
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#include <text_kit/code_points.hpp>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

namespace text_kit {

inline bool is_continuation_byte(unsigned char byte) { return (byte & 0xC0) == 0x80; }

inline std::size_t count_code_points(std::string_view text) {
    return count_code_points(text.data(), text.size());
}

// What a lead byte promises (Unicode table 3-7): the sequence's length and the range its second
// byte must fall in; length 0 for a byte that cannot start a multibyte sequence.
struct LeadByteShape {
    std::size_t length = 0;
    unsigned char low = 0x80, high = 0xBF;
};

inline LeadByteShape lead_byte_shape(unsigned char lead) {
    if (lead >= 0xC2 && lead <= 0xDF) return {2, 0x80, 0xBF};
    if (lead >= 0xE0 && lead <= 0xEF)
        return {3, static_cast<unsigned char>(lead == 0xE0 ? 0xA0 : 0x80),
                static_cast<unsigned char>(lead == 0xED ? 0x9F : 0xBF)};  // no UTF-16 surrogates
    if (lead >= 0xF0 && lead <= 0xF4)
        return {4, static_cast<unsigned char>(lead == 0xF0 ? 0x90 : 0x80),
                static_cast<unsigned char>(lead == 0xF4 ? 0x8F : 0xBF)};  // nothing above U+10FFFF
    return {};
}

// Length of the well-formed sequence at `s`, or 0 if it is ill-formed or truncated by the end of
// the buffer.
inline std::size_t valid_sequence_length(const unsigned char* s, std::size_t available) {
    if (s[0] < 0x80) return 1;
    const LeadByteShape shape = lead_byte_shape(s[0]);
    if (shape.length == 0 || available < shape.length) return 0;
    if (s[1] < shape.low || s[1] > shape.high) return 0;
    for (std::size_t i = 2; i < shape.length; ++i)
        if (!is_continuation_byte(s[i])) return 0;
    return shape.length;
}

// The number of leading ASCII bytes of [s, s+size): where the first byte >= 0x80 is, else `size`.
// Inline: in text that mixes scripts it runs for every short ASCII run between multibyte ones.
inline std::size_t ascii_prefix_length(const unsigned char* s, std::size_t size) {
    std::size_t i = 0;
#ifdef __SSE2__
    const auto high_bits = [s](std::size_t at) {  // bit k: byte at+k is not ASCII
        return static_cast<unsigned>(_mm_movemask_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(s + at))));
    };
    // The first 16 bytes alone first: runs between multibyte characters are mostly short.
    if (size >= 16) {
        if (const unsigned high = high_bits(0); high != 0) return static_cast<std::size_t>(__builtin_ctz(high));
        i = 16;
    }
    // Then 64 bytes per test while the text stays ASCII, and the 16-byte steps find the byte.
    while (size - i >= 64 && (high_bits(i) | high_bits(i + 16) | high_bits(i + 32) | high_bits(i + 48)) == 0) i += 64;
    for (; size - i >= 16; i += 16)
        if (const unsigned high = high_bits(i); high != 0) return i + static_cast<std::size_t>(__builtin_ctz(high));
#endif
    while (i < size && s[i] < 0x80) ++i;
    return i;
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
