#include "text_boundaries.hpp"

#include <array>
#include <bit>
#include <cctype>
#include <cstring>

namespace semantic_chunker {
namespace {

// Words that end with a dot without ending a sentence (compared in lower case, without the dot).
constexpr std::string_view kAbbreviations[] = {
    "e.g", "i.e", "etc", "vs", "cf", "al", "dr", "mr", "mrs", "ms", "prof", "sr", "jr", "st", "no", "nos",
    "fig", "figs", "vol", "vols", "pp", "p", "ed", "eds", "approx", "dept", "est", "inc", "ltd", "co", "corp", "eq",
    "eqs", "ref", "refs", "sec", "art", "ch", "u.s", "u.k", "op", "ibid", "gen", "gov", "rev", "jan", "feb", "aug"};

constexpr std::size_t kLongestAbbreviation = [] {
    std::size_t longest = 0;
    for (auto abbreviation : kAbbreviations) longest = abbreviation.size() > longest ? abbreviation.size() : longest;
    return longest;
}();

// A word of at most 7 bytes as one number (byte i is the word's byte i, the top byte its length),
// so that finding it among the abbreviations takes a multiplication and one compare, not a walk
// over 48 strings.
constexpr std::uint64_t kKeyBytes = 7;
// Strictly shorter: a key of 7 bytes stands for every longer word that ends with them, so no
// abbreviation may be 7 bytes long.
static_assert(kLongestAbbreviation < kKeyBytes);

// The bytes of a word of at most 8, byte i in bits 8i to 8i + 7.
constexpr std::uint64_t packed(std::string_view word) {
    std::uint64_t bytes = 0;
    for (std::size_t i = 0; i < word.size(); ++i) bytes |= std::uint64_t{static_cast<unsigned char>(word[i])} << (8 * i);
    return bytes;
}

constexpr std::uint64_t key_of(std::uint64_t bytes, std::size_t size) { return bytes | std::uint64_t{size} << 56; }

// A-Z to a-z in each of 8 bytes at once; ASCII lowering is enough (and needs no locale): the
// abbreviations are ASCII.
constexpr std::uint64_t lowered(std::uint64_t bytes) {
    constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
    const std::uint64_t seven_bits = bytes & (0x7F * kOnes);
    const std::uint64_t from_a = seven_bits + (0x80 - 'A') * kOnes;     // top bit set from 'A' on
    const std::uint64_t past_z = seven_bits + (0x80 - 'Z' - 1) * kOnes;  // top bit set past 'Z'
    const std::uint64_t capitals = from_a & ~past_z & ~bytes & (0x80 * kOnes);
    return bytes | capitals >> 2;  // 0x80 >> 2 is the 0x20 between A and a
}

// Each abbreviation in its own slot of a table of 128, chosen by a multiplication: the multiplier
// was found by trying random odd numbers (the table's construction fails to compile if two
// abbreviations share a slot).
constexpr unsigned kSlotBits = 7;
constexpr std::uint64_t kSlotMultiplier = 0xC684E7F98C7FDA1DULL;

constexpr unsigned slot_of(std::uint64_t key) { return static_cast<unsigned>((key * kSlotMultiplier) >> (64 - kSlotBits)); }

constexpr std::array<std::uint64_t, std::size_t{1} << kSlotBits> kAbbreviationSlots = [] {
    std::array<std::uint64_t, std::size_t{1} << kSlotBits> slots{};
    for (auto abbreviation : kAbbreviations) {
        const std::uint64_t key = key_of(packed(abbreviation), abbreviation.size());
        if (slots[slot_of(key)] != 0) throw "two abbreviations share a slot: choose another kSlotMultiplier";
        slots[slot_of(key)] = key;
    }
    return slots;
}();

// Whether the `size` bytes in the low bytes of `bytes` (the rest 0) are an abbreviation, in any
// case. A size of 7 or more is no abbreviation and finds none: its length byte matches no slot.
bool is_abbreviation_bytes(std::uint64_t bytes, std::size_t size) {
    const std::uint64_t key = key_of(lowered(bytes), size < kKeyBytes ? size : kKeyBytes);
    return kAbbreviationSlots[slot_of(key)] == key;
}

// Where the word that ends at `end` begins: after the last ASCII space before `end`, or at `floor`.
std::size_t word_begin_before(std::string_view text, std::size_t end, std::size_t floor) {
    std::size_t begin = end;
#ifdef __SSE2__
    // Words are short: the 16 bytes before `end` hold the space before nearly all of them.
    if (end >= 16) {
        if (const unsigned spaces = ascii_space_mask16(text.data() + end - 16); spaces != 0) {
            begin = end - 16 + static_cast<std::size_t>(32 - __builtin_clz(spaces));
            return begin > floor ? begin : floor;
        }
        begin = end - 16;  // none there: the word is longer, or begins at the floor
    }
#endif
    while (begin > floor && !is_ascii_space(text[begin - 1])) --begin;
    return begin > floor ? begin : floor;
}

// Whether the dot at `dot` ends a sentence, from the word it closes (the bytes back to the
// previous space, less opening brackets and quotes): not after an abbreviation or an initial, but
// after an ellipsis or a lone dot. is_sentence_start_slow() says the same byte by byte.
bool dot_ends_sentence(std::string_view text, std::size_t dot, std::size_t floor) {
    std::size_t begin = word_begin_before(text, dot, floor);
    while (begin < dot && (text[begin] == '(' || text[begin] == '"' || text[begin] == '\'')) ++begin;
    const std::size_t size = dot - begin;
    if (size == 0) return true;                                              // a lone "."
    if (size >= 2 && text[dot - 1] == '.' && text[dot - 2] == '.') return true;  // an ellipsis
    if (size == 1 && std::isalpha(static_cast<unsigned char>(text[begin]))) return false;  // an initial
    if (dot < 8 || std::endian::native != std::endian::little) return !is_abbreviation(text.substr(begin, size));
    // The word is the last `size` of the 8 bytes before the dot; longer words keep their last 7,
    // which match no abbreviation.
    std::uint64_t bytes;
    std::memcpy(&bytes, text.data() + dot - 8, 8);
    const std::size_t kept = size < kKeyBytes ? size : kKeyBytes;
    return !is_abbreviation_bytes(bytes >> (8 * (8 - kept)), size);
}

}  // namespace

bool is_abbreviation(std::string_view word) {
    if (word.size() > kLongestAbbreviation) return false;
    return is_abbreviation_bytes(packed(word), word.size());
}

bool is_sentence_start_after_space(std::string_view text, std::size_t pos, std::size_t floor) {
    if (is_ascii_space(text[pos])) return false;  // no word starts here
    std::size_t run_begin = pos - 1;
    int newlines = text[run_begin] == '\n';
    while (run_begin > floor && is_ascii_space(text[run_begin - 1])) newlines += text[--run_begin] == '\n';
    return is_sentence_start_after_run(text, pos, run_begin, newlines, floor);
}

bool is_sentence_start_after_run(std::string_view text, std::size_t pos, std::size_t run_begin, int newlines, std::size_t floor) {
    if (newlines >= 2) return true;  // a paragraph starts here
    const char first = text[pos];
    if (first >= 'a' && first <= 'z') return false;
    if (run_begin <= floor) return false;
    const auto last = static_cast<unsigned char>(text[run_begin - 1]);
    if (last == '.') return dot_ends_sentence(text, run_begin - 1, floor);
    if (last == '!' || last == '?') return true;
    // Most word starts follow a letter, digit or comma: no sentence can end there.
    if (last < 0x80 && last != '"' && last != '\'' && last != ')' && last != ']') return false;
    return is_sentence_start_slow(text, pos, floor);  // after closing quotes or brackets, or a byte that is not ASCII
}

bool is_sentence_start_slow(std::string_view text, std::size_t pos, std::size_t floor) {
    if (pos <= floor || pos >= text.size()) return false;
    if (follows_cjk_sentence_end(text, pos, floor)) return !is_ascii_space(text[pos]);
    if (!is_word_start(text, pos)) return false;
    std::size_t q = pos;
    int newlines = 0;
    while (q > floor && is_ascii_space(text[q - 1])) newlines += text[--q] == '\n';
    if (newlines >= 2) return true;  // a paragraph starts here
    const char first = text[pos];
    if (first >= 'a' && first <= 'z') return false;
    if (q <= floor) return false;
    // Most word starts follow a letter, digit or comma: no sentence can end there.
    const auto last = static_cast<unsigned char>(text[q - 1]);
    if (last < 0x80 && last != '.' && last != '!' && last != '?' && last != '"' && last != '\'' && last != ')' && last != ']')
        return false;
    // Closing quotes and brackets after the terminator: ." .) .' .” .’ .»
    while (q > floor) {
        const char c = text[q - 1];
        if (c == '"' || c == '\'' || c == ')' || c == ']') { --q; continue; }
        if (q >= floor + 3 && static_cast<unsigned char>(text[q - 3]) == 0xE2 && static_cast<unsigned char>(text[q - 2]) == 0x80 &&
            (static_cast<unsigned char>(c) == 0x9D || static_cast<unsigned char>(c) == 0x99)) { q -= 3; continue; }
        if (q >= floor + 2 && static_cast<unsigned char>(text[q - 2]) == 0xC2 && static_cast<unsigned char>(c) == 0xBB) { q -= 2; continue; }
        break;
    }
    if (q <= floor) return false;
    if (follows_cjk_sentence_end(text, q, floor)) return true;
    const char terminator = text[q - 1];
    if (terminator == '!' || terminator == '?') return true;
    if (terminator != '.') return false;
    // The word the dot closes, back to the previous space.
    std::size_t word_begin = q - 1;
    while (word_begin > floor && !is_ascii_space(text[word_begin - 1])) --word_begin;
    std::string_view word = text.substr(word_begin, q - 1 - word_begin);
    while (!word.empty() && (word.front() == '(' || word.front() == '"' || word.front() == '\'')) word.remove_prefix(1);
    if (word.empty()) return true;  // a lone "."
    if (word.size() >= 2 && word.substr(word.size() - 2) == "..") return true;  // an ellipsis ends a sentence
    if (word.size() == 1 && std::isalpha(static_cast<unsigned char>(word[0]))) return false;  // an initial: "J. Smith"
    return !is_abbreviation(word);
}

}  // namespace semantic_chunker
