#pragma once
// Streaming UTF-8 normalisation: validates, drops a leading BOM, turns CRLF and lone CR into LF
// and either rejects or replaces ill-formed bytes. It is fed raw bytes in pieces of any size and
// never holds more than 3 bytes back between pieces.
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <text_kit/offset_map.hpp>

namespace text_kit {

enum class InvalidUtf8Policy { Error, Replace };

// Thrown for ill-formed UTF-8 (policy Error) and for NUL bytes (a binary file).
class TextDecodeError : public std::runtime_error {
public:
    enum class Kind { InvalidUtf8, NulByte };
    TextDecodeError(Kind kind, std::uint64_t offset, const std::string& message)
        : std::runtime_error(message), kind_(kind), offset_(offset) {}
    Kind kind() const noexcept { return kind_; }
    std::uint64_t offset() const noexcept { return offset_; }  // byte offset in the original input

private:
    Kind kind_;
    std::uint64_t offset_;
};

// One normalised piece: `text` begins at original byte `original_begin`; `anchors` hold
// normalised offsets relative to the start of `text` and absolute original offsets.
struct NormalizedPiece {
    std::string text;
    std::uint64_t original_begin = 0;
    std::vector<OffsetAnchor> anchors;
    std::uint64_t code_points = 0;

    void clear() { text.clear(); anchors.clear(); original_begin = 0; code_points = 0; }
};

class Utf8Normalizer {
public:
    explicit Utf8Normalizer(InvalidUtf8Policy policy) : policy_(policy) {}

    // Normalises a prefix of `raw` (which starts at original offset `raw_offset`) into `out`
    // (appending) and returns how many bytes it consumed. Unless `at_end`, up to 3 trailing bytes
    // that could still complete a sequence (or a CR that may precede an LF) stay unconsumed:
    // pass them again, followed by more input.
    std::size_t normalize(std::string_view raw, std::uint64_t raw_offset, bool at_end, NormalizedPiece& out);

    // The same, in place: `out.text` holds the raw input (its other fields empty, as clear()
    // leaves them) and ends up holding what normalize() would have appended to an empty piece,
    // without clean text being copied. The unconsumed trailing bytes are put in `held_back`.
    // Returns how many bytes it consumed.
    std::size_t normalize_in_place(std::uint64_t raw_offset, bool at_end, NormalizedPiece& out, std::string& held_back);

private:
    InvalidUtf8Policy policy_;
    std::string copied_rest_;  // normalize_in_place(): the rest of a piece that U+FFFD would outgrow
};

// Normalises a whole buffer at once (tests and small inputs).
std::string normalize_text(std::string_view raw, InvalidUtf8Policy policy = InvalidUtf8Policy::Replace);

}  // namespace text_kit
