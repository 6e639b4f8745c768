#include "indexed_text.hpp"

#include <algorithm>
#include <array>
#include <cstring>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

namespace semantic_chunker {
namespace {

#ifdef __SSE2__
inline __m128i load16(const char* p) { return _mm_loadu_si128(reinterpret_cast<const __m128i*>(p)); }
inline std::uint64_t newline_bits(__m128i bytes) {
    return static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(bytes, _mm_set1_epi8('\n'))));
}
// 0xFF in the lanes that start a code point: continuation bytes 0x80..0xBF, read as signed, are -128..-65.
inline __m128i lead_lanes(__m128i bytes) { return _mm_cmpgt_epi8(bytes, _mm_set1_epi8(-65)); }
#endif

struct WordFacts {
    std::uint64_t newlines = 0;  // bit k: byte k is '\n'
    std::uint64_t leads = 0;     // bit k: byte k starts a code point
};

// Copies the 64-byte word at `in` to `out` (unless they are the same) and indexes it, reading the
// bytes once.
WordFacts copy_word(char* out, const char* in) {
    WordFacts facts;
#ifdef __SSE2__
    for (int lane = 0; lane < 4; ++lane) {
        const __m128i bytes = load16(in + 16 * lane);
        if (out != in) _mm_storeu_si128(reinterpret_cast<__m128i*>(out + 16 * lane), bytes);
        facts.newlines |= newline_bits(bytes) << (16 * lane);
        facts.leads |= static_cast<std::uint64_t>(static_cast<unsigned>(_mm_movemask_epi8(lead_lanes(bytes)))) << (16 * lane);
    }
#else
    if (out != in) std::memcpy(out, in, 64);
    for (int k = 0; k < 64; ++k) {
        facts.newlines |= static_cast<std::uint64_t>(in[k] == '\n') << k;
        facts.leads |= static_cast<std::uint64_t>(static_cast<signed char>(in[k]) > -65) << k;
    }
#endif
    return facts;
}

// Bit positions of the set bits of every byte value, in order: kBitsOfByte[b][k] is where set
// bit number k of b is.
constexpr auto kBitsOfByte = [] {
    std::array<std::array<unsigned char, 8>, 256> table{};
    for (unsigned byte = 0; byte < 256; ++byte)
        for (unsigned bit = 0, found = 0; bit < 8; ++bit)
            if (byte & (1u << bit)) table[byte][found++] = static_cast<unsigned char>(bit);
    return table;
}();

// The position of set bit number `k` (from 0) of `mask`, which has more than k set bits, without a
// branch. Not with pdep: it is microcoded and slow on the AMD machines this project runs on.
unsigned select_bit(std::uint64_t mask, unsigned k) {
    std::uint64_t counts = mask - ((mask >> 1) & 0x5555555555555555ULL);
    counts = (counts & 0x3333333333333333ULL) + ((counts >> 2) & 0x3333333333333333ULL);
    counts = (counts + (counts >> 4)) & 0x0F0F0F0F0F0F0F0FULL;
    const std::uint64_t running = counts * 0x0101010101010101ULL;  // byte i: set bits in bytes 0..i
    // Bytes whose running count exceeds k get their high bit set (the counts stay below 128).
    const std::uint64_t above =
        ((running | 0x8080808080808080ULL) - (k + 1) * 0x0101010101010101ULL) & 0x8080808080808080ULL;
    const unsigned byte = static_cast<unsigned>(__builtin_ctzll(above)) / 8;
    const unsigned before = static_cast<unsigned>(((running << 8) >> (8 * byte)) & 0xFF);  // set bits below the byte
    return 8 * byte + kBitsOfByte[(mask >> (8 * byte)) & 0xFF][k - before];
}

// Copies forward in 2 KiB slices: glibc moves larger blocks with `rep movsb`, which runs at under
// 3 GB/s on the project's AMD machines (text_kit/append_bytes.hpp). Needs out < in.
void move_down(char* out, const char* in, std::size_t size) {
    constexpr std::size_t kSlice = 2048;
    if (static_cast<std::size_t>(in - out) < kSlice) {
        std::memmove(out, in, size);
        return;
    }
    for (std::size_t done = 0; done < size; done += kSlice) {
        std::size_t slice = std::min(kSlice, size - done);
#if defined(__GNUC__)
        asm("" : "+r"(slice));  // keeps g++ from inlining a known-size copy as `rep movsq`
#endif
        std::memcpy(out + done, in + done, slice);
    }
}

}  // namespace

IndexedText::IndexedText() { reset(); }

void IndexedText::reset() {
    size_ = 0;
    base_ = 0;
    reserve(64 * 1024);
    std::memset(bytes_.get(), 0, kPadding);
    chars_before_.assign(1, 0);
    size_words(0);
}

void IndexedText::reserve(std::size_t bytes) {
    if (bytes_ && bytes <= capacity_) return;
    const std::size_t capacity = std::max({bytes, capacity_ * 2, std::size_t{64 * 1024}});
    std::unique_ptr<char[]> grown(new char[capacity + kPadding]);
    if (size_ > 0) std::memcpy(grown.get(), bytes_.get(), size_);
    std::memset(grown.get() + size_, 0, kPadding);
    bytes_ = std::move(grown);
    capacity_ = capacity;
}

void IndexedText::size_words(std::size_t words) {
    chars_before_.resize(words + 1);
    lead_masks_.resize(words + 1);
    lead_masks_[words] = 0;
    newline_masks_.resize(words + 3);
    for (std::size_t sentinel = words; sentinel < words + 3; ++sentinel) newline_masks_[sentinel] = std::uint64_t{1} << 63;
}

void IndexedText::append(std::string_view text) {
    if (text.empty()) return;
    const std::size_t old_size = size_;
    reserve(old_size + text.size());
    size_ += text.size();
    const std::size_t words = (size_ + 63) / 64;
    char* const out = bytes_.get();
    // The words that hold old bytes or end before 64 bytes (the first and the last) are copied in
    // first, before zero padding, then indexed where they lie; the words between are copied and
    // indexed in one pass.
    const std::size_t first_word = old_size / 64, last_word = words - 1;
    const std::size_t head = std::min(text.size(), 64 * first_word + 64 - old_size);
    const std::size_t tail = last_word > first_word ? size_ - 64 * last_word : 0;
    std::memcpy(out + old_size, text.data(), head);
    std::memcpy(out + size_ - tail, text.data() + text.size() - tail, tail);
    std::memset(out + size_, 0, kPadding);
    size_words(words);
    std::uint64_t chars = chars_before_[first_word];
    for (std::size_t word = first_word; word < words; ++word) {
        char* const at = out + 64 * word;
        const bool in_place = word == first_word || word == last_word;
        WordFacts facts = copy_word(at, in_place ? at : text.data() + (64 * word - old_size));
        const std::size_t valid = std::min<std::size_t>(64, size_ - 64 * word);
        if (valid < 64) facts.leads &= (std::uint64_t{1} << valid) - 1;  // not the padding's zero bytes
        newline_masks_[word] = facts.newlines;
        lead_masks_[word] = facts.leads;
        chars += bit_count(facts.leads);
        chars_before_[word + 1] = chars;
    }
}

void IndexedText::drop_before(std::uint64_t pos) {
    const std::size_t drop = rel(pos) & ~std::size_t{63};
    if (drop == 0) return;
    move_down(bytes_.get(), bytes_.get() + drop, size_ - drop + kPadding);
    const auto words = static_cast<std::ptrdiff_t>(drop / 64);
    chars_before_.erase(chars_before_.begin(), chars_before_.begin() + words);
    lead_masks_.erase(lead_masks_.begin(), lead_masks_.begin() + words);
    newline_masks_.erase(newline_masks_.begin(), newline_masks_.begin() + words);
    base_ += drop;
    size_ -= drop;
}

std::uint64_t IndexedText::char_position(std::uint64_t index, std::uint64_t near) const {
    if (index >= chars_before_.back()) return end();
    // The word holding that code point's lead byte: the last whose count before it is <= index.
    std::size_t word = std::min(rel(std::max(near, base_)), size_) / 64;
    while (chars_before_[word] > index) --word;
    while (chars_before_[word + 1] <= index) ++word;
    return base_ + 64 * word + select_bit(lead_masks_[word], static_cast<unsigned>(index - chars_before_[word]));
}

}  // namespace semantic_chunker
