#pragma once
// The 64-byte steps CleanTextScanner works in, as bit masks (bit k for byte k) made with SSE2.
// Internal to text_kit.
#include <cstddef>
#include <cstdint>
#include <cstring>

#include <emmintrin.h>

namespace text_kit::steps {

inline constexpr std::size_t kStepBytes = 64;

inline __m128i load(const unsigned char* p) { return _mm_loadu_si128(reinterpret_cast<const __m128i*>(p)); }

// Zero exactly in the lanes that hold CR.
inline __m128i zero_at_cr(__m128i x) { return _mm_xor_si128(x, _mm_set1_epi8('\r')); }

template <class Lanes>
std::uint64_t mask(const unsigned char* p, Lanes lanes) {
    std::uint64_t bits = 0;
    for (int k = 0; k < 4; ++k)
        bits |= std::uint64_t{static_cast<std::uint16_t>(_mm_movemask_epi8(lanes(load(p + 16 * k))))} << (16 * k);
    return bits;
}

inline std::uint64_t non_ascii(const unsigned char* p) {
    return mask(p, [](__m128i x) { return x; });
}

inline std::uint64_t nul(const unsigned char* p) {
    return mask(p, [](__m128i x) { return _mm_cmpeq_epi8(x, _mm_setzero_si128()); });
}

// A step that the end of the text cuts short, padded with spaces: clean ASCII, so the padding
// shows in no mask.
struct PaddedStep {
    unsigned char bytes[kStepBytes];
    PaddedStep(const unsigned char* p, std::size_t size) {
        std::memset(bytes, ' ', sizeof bytes);
        std::memcpy(bytes, p, size);
    }
};

// `masks` of the step at s[at], of which only the bytes before s[end] are read.
template <class Masks>
auto of_step_at(const unsigned char* s, std::size_t at, std::size_t end, Masks masks) {
    if (end - at >= kStepBytes) return masks(s + at);
    const PaddedStep padded(s + at, end - at);
    return masks(padded.bytes);
}

// Bits for the bytes of the step at `step` that lie at or after `from`.
inline std::uint64_t from_position(std::size_t step, std::size_t from) {
    if (from <= step) return ~std::uint64_t{0};
    return from - step >= kStepBytes ? 0 : ~std::uint64_t{0} << (from - step);
}

// Bits for the bytes of the step at `step` that lie before `to`.
inline std::uint64_t before_position(std::size_t step, std::size_t to) {
    return to - step >= kStepBytes ? ~std::uint64_t{0} : (std::uint64_t{1} << (to - step)) - 1;
}

}  // namespace text_kit::steps
