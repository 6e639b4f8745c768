#pragma once
// The normalised text of the open file, from base() on, indexed while it is copied in: a bit per
// byte for the line ends, a bit per byte that starts a code point, and the number of code points
// before every 64-byte word. The chunker asks where each line ends and how many code points lie
// between two places for every line and every cut; the index answers both in a few steps, where
// scanning the bytes again cost more than chunking itself (docs/chunking.md, "Performance").
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

namespace semantic_chunker {

// Byte i of the result: the set bits of byte i of `bits`.
inline std::uint64_t bit_counts_per_byte(std::uint64_t bits) {
    bits = bits - ((bits >> 1) & 0x5555555555555555ULL);
    bits = (bits & 0x3333333333333333ULL) + ((bits >> 2) & 0x3333333333333333ULL);
    return (bits + (bits >> 4)) & 0x0F0F0F0F0F0F0F0FULL;
}

// Set bits of a word. The x86-64 baseline has no POPCNT instruction, and without it g++ calls a
// library function for __builtin_popcountll, which cost more than this.
inline unsigned bit_count(std::uint64_t bits) {
    return static_cast<unsigned>((bit_counts_per_byte(bits) * 0x0101010101010101ULL) >> 56);
}

class IndexedText {
    // What the index keeps of each 64-byte word of the text, bit k for byte k.
    struct Word {
        std::uint64_t newlines;
        std::uint64_t leads;         // bytes that start a code point (not 10xxxxxx)
        std::uint64_t chars_before;  // code points in the file before the word
    };

public:
    static constexpr std::uint64_t npos = ~std::uint64_t{0};

    IndexedText();
    // Empties the text for a new file that starts at offset 0.
    void reset();
    // Appends text (valid UTF-8, cut on a code point boundary).
    void append(std::string_view text);
    // Forgets the bytes before `pos` (the first kept byte is the start of pos's 64-byte word).
    void drop_before(std::uint64_t pos);

    std::uint64_t base() const { return base_; }
    std::uint64_t end() const { return base_ + size_; }
    std::size_t size() const { return size_; }
    // The bytes from base() on; the byte after the last reads as 0, as with std::string.
    std::string_view view() const { return {bytes_.get(), size_}; }
    std::size_t rel(std::uint64_t pos) const { return static_cast<std::size_t>(pos - base_); }

    // Code points in the file before `pos` (base() <= pos <= end()).
    std::uint64_t char_index(std::uint64_t pos) const {
        const Word& word = words_[rel(pos) / 64];
        return word.chars_before + bit_count(word.leads & ((std::uint64_t{1} << (rel(pos) % 64)) - 1));
    }
    std::uint64_t chars_between(std::uint64_t begin, std::uint64_t end) const { return char_index(end) - char_index(begin); }
    // Where code point number `index` of the file starts, for index >= char_index(base()); end()
    // when the text ends before it. The search starts at the word of `near`: the closer, the fewer steps.
    std::uint64_t char_position(std::uint64_t index, std::uint64_t near) const;

    // Walks the newlines from a position on, a word of bits at a time: the loop over the lines of
    // running text uses this, and next_newline() takes its first.
    class NewlineCursor {
    public:
        NewlineCursor(const IndexedText& text, std::uint64_t from)
            : words_(text.words_.get()), base_(text.base_), word_(text.rel(from) / 64),
              bits_(words_[word_].newlines & (~std::uint64_t{0} << (text.rel(from) % 64))) {}
        // The next newline's offset; at or after the text's end once there is none (the words
        // after the text have their top bit set). Call it no more after it has returned a position
        // at or past the end: it reads two words ahead, and only the sentinels stand there.
        std::uint64_t next() {
            // The next newline is in this word or one of the next two as a rule: picked with
            // arithmetic, where a loop over empty words mispredicted on most lines.
            const std::uint64_t second = words_[word_ + 1].newlines, third = words_[word_ + 2].newlines;
            if ((bits_ | second | third) == 0) {
                word_ += 3;
                while (words_[word_].newlines == 0) ++word_;
                bits_ = words_[word_].newlines;
            } else {
                const unsigned k = static_cast<unsigned>(bits_ == 0) + static_cast<unsigned>((bits_ | second) == 0);
                const auto pick = [k](unsigned which) { return std::uint64_t{0} - static_cast<std::uint64_t>(k == which); };
                bits_ = (bits_ & pick(0)) | (second & pick(1)) | (third & pick(2));
                word_ += k;
            }
            const std::uint64_t at = base_ + 64 * word_ + static_cast<unsigned>(__builtin_ctzll(bits_));
            bits_ &= bits_ - 1;
            return at;
        }

    private:
        const Word* words_;
        std::uint64_t base_;
        std::size_t word_;
        std::uint64_t bits_;
    };

    // The first '\n' at or after `pos`, or npos when none has arrived yet.
    std::uint64_t next_newline(std::uint64_t pos) const {
        const std::uint64_t found = NewlineCursor(*this, pos).next();
        return found < end() ? found : npos;
    }

private:
    // The words after the last one: the first holds the count of all code points; all three
    // have the top newline bit set, so next_newline() can read ahead and NewlineCursor stops.
    static constexpr std::size_t kSentinelWords = 3;
    static constexpr std::size_t kPadding = 64;  // zero bytes after the text: word-wide loads stay inside

    void reserve(std::size_t bytes);
    void seal(std::size_t words);

    std::unique_ptr<char[]> bytes_;
    std::size_t capacity_ = 0;  // bytes, padding excluded
    std::size_t size_ = 0;
    std::uint64_t base_ = 0;    // file offset of bytes_[0], a multiple of 64
    std::unique_ptr<Word[]> words_;  // for (size_ + 63) / 64 words and the sentinels; not zeroed
};

}  // namespace semantic_chunker
