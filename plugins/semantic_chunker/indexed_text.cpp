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
    unsigned lead_count = 0;
};

// Indexes the 64 bytes at `in`, and copies them to `out` when `copy`: reading the bytes once.
template <bool copy>
WordFacts index_word(const char* in, char* out) {
    WordFacts facts;
#ifdef __SSE2__
    __m128i tally = _mm_setzero_si128();  // 0xFF is -1: each byte lane counts up to 4
    for (int lane = 0; lane < 4; ++lane) {
        const __m128i bytes = load16(in + 16 * lane);
        if constexpr (copy) _mm_storeu_si128(reinterpret_cast<__m128i*>(out + 16 * lane), bytes);
        const __m128i leads = lead_lanes(bytes);
        facts.newlines |= newline_bits(bytes) << (16 * lane);
        facts.leads |= static_cast<std::uint64_t>(static_cast<unsigned>(_mm_movemask_epi8(leads))) << (16 * lane);
        tally = _mm_sub_epi8(tally, leads);
    }
    const __m128i sums = _mm_sad_epu8(tally, _mm_setzero_si128());
    facts.lead_count = static_cast<unsigned>(_mm_cvtsi128_si32(sums) + _mm_extract_epi16(sums, 4));
#else
    if constexpr (copy) std::memcpy(out, in, 64);
    for (int k = 0; k < 64; ++k) {
        facts.newlines |= static_cast<std::uint64_t>(in[k] == '\n') << k;
        facts.leads |= static_cast<std::uint64_t>(static_cast<signed char>(in[k]) > -65) << k;
    }
    facts.lead_count = bit_count(facts.leads);
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
    const std::uint64_t running = bit_counts_per_byte(mask) * 0x0101010101010101ULL;  // byte i: set bits in bytes 0..i
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
    seal(0);
    words_[0].chars_before = 0;
}

void IndexedText::reserve(std::size_t bytes) {
    if (bytes_ && bytes <= capacity_) return;
    // A quarter to spare rather than double: with 64 MiB blocks, doubling took 128 MiB (and a
    // 48 MiB index) for a block and the little text kept before it.
    const std::size_t capacity = std::max(bytes + bytes / 4, std::size_t{64 * 1024});
    std::unique_ptr<char[]> grown(new char[capacity + kPadding]);
    if (size_ > 0) std::memcpy(grown.get(), bytes_.get(), size_);
    std::memset(grown.get() + size_, 0, kPadding);
    bytes_ = std::move(grown);
    capacity_ = capacity;
    std::unique_ptr<Word[]> words(new Word[capacity / 64 + 1 + kSentinelWords]);
    if (words_) std::copy(words_.get(), words_.get() + (size_ + 63) / 64 + kSentinelWords, words.get());
    words_ = std::move(words);
}

// Marks the words after the first `words` as the end of the text.
void IndexedText::seal(std::size_t words) {
    for (std::size_t sentinel = words; sentinel < words + kSentinelWords; ++sentinel) {
        words_[sentinel].newlines = std::uint64_t{1} << 63;
        words_[sentinel].leads = 0;
    }
}

void IndexedText::append(std::string_view text) {
    if (text.empty()) return;
    const std::size_t old_size = size_;
    reserve(old_size + text.size());
    size_ += text.size();
    const std::size_t words = (size_ + 63) / 64;
    char* const out = bytes_.get();
    // The first word (it may hold old bytes) and the last (it may end before 64 bytes) are copied
    // in first, followed by zero padding, and indexed where they lie; the words between are copied
    // and indexed in one pass.
    const std::size_t first_word = old_size / 64, last_word = words - 1;
    const std::size_t head = std::min(text.size(), 64 * first_word + 64 - old_size);
    const std::size_t tail = last_word > first_word ? size_ - 64 * last_word : 0;
    std::memcpy(out + old_size, text.data(), head);
    std::memcpy(out + size_ - tail, text.data() + text.size() - tail, tail);
    std::memset(out + size_, 0, kPadding);
    Word* const index = words_.get();
    std::uint64_t chars = index[first_word].chars_before;
    const auto record = [&](std::size_t word, WordFacts facts) {
        index[word].newlines = facts.newlines;
        index[word].leads = facts.leads;
        index[word].chars_before = chars;
        chars += facts.lead_count;
    };
    // The padding's zero bytes start no code point.
    const auto within_text = [this](std::size_t word, WordFacts facts) {
        const std::size_t valid = size_ - 64 * word;
        if (valid < 64) {
            facts.leads &= (std::uint64_t{1} << valid) - 1;
            facts.lead_count -= static_cast<unsigned>(64 - valid);
        }
        return facts;
    };
    record(first_word, within_text(first_word, index_word<false>(out + 64 * first_word, nullptr)));
    for (std::size_t word = first_word + 1; word < last_word; ++word)
        record(word, index_word<true>(text.data() + (64 * word - old_size), out + 64 * word));
    if (last_word > first_word) record(last_word, within_text(last_word, index_word<false>(out + 64 * last_word, nullptr)));
    seal(words);
    index[words].chars_before = chars;
}

void IndexedText::drop_before(std::uint64_t pos) {
    const std::size_t drop = rel(pos) & ~std::size_t{63};
    if (drop == 0) return;
    move_down(bytes_.get(), bytes_.get() + drop, size_ - drop + kPadding);
    const std::size_t words = (size_ + 63) / 64;
    std::copy(words_.get() + drop / 64, words_.get() + words + kSentinelWords, words_.get());
    base_ += drop;
    size_ -= drop;
}

std::uint64_t IndexedText::char_position(std::uint64_t index, std::uint64_t near) const {
    const std::size_t words = (size_ + 63) / 64;
    if (index >= words_[words].chars_before) return end();
    // The word holding that code point's lead byte: the last whose count before it is <= index.
    std::size_t word = std::min(rel(std::max(near, base_)), size_) / 64;
    while (words_[word].chars_before > index) --word;
    while (words_[word + 1].chars_before <= index) ++word;
    return base_ + 64 * word + select_bit(words_[word].leads, static_cast<unsigned>(index - words_[word].chars_before));
}

}  // namespace semantic_chunker
