#pragma once
// The normalisation rules applied one sequence at a time, written the plain way so that the fast
// paths (CleanTextScanner, Utf8Normalizer::normalize and normalize_in_place) can be held to them.
// Also the random text the differential tests feed to both.
#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include <text_kit/utf8.hpp>
#include <text_kit/utf8_normalizer.hpp>

namespace text_kit::testing {

struct ReferenceOutcome {
    NormalizedPiece piece;
    std::size_t consumed = 0;
    bool failed = false;  // then kind, offset and message say why
    TextDecodeError::Kind kind = TextDecodeError::Kind::InvalidUtf8;
    std::uint64_t offset = 0;
    std::string message;
};

// What Utf8Normalizer::normalize(raw, raw_offset, at_end, piece) must give on an empty piece.
inline ReferenceOutcome reference_normalize(std::string_view raw, std::uint64_t raw_offset, bool at_end,
                                            InvalidUtf8Policy policy) {
    const auto* s = reinterpret_cast<const unsigned char*>(raw.data());
    const std::size_t n = raw.size();
    std::size_t end = n;
    if (!at_end && n > 0) end = s[n - 1] == '\r' ? n - 1 : n - incomplete_tail_length(s, n);
    std::size_t i = raw_offset == 0 && raw.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
    ReferenceOutcome outcome;
    NormalizedPiece& out = outcome.piece;
    out.original_begin = raw_offset + i;
    const auto fail = [&](TextDecodeError::Kind kind, const std::string& message) {
        outcome.failed = true;
        outcome.kind = kind;
        outcome.offset = raw_offset + i;
        outcome.message = message;
    };
    while (i < end) {
        if (s[i] == '\r') {
            out.text += '\n';
            i += i + 1 < n && s[i + 1] == '\n' ? 2 : 1;
        } else if (s[i] == 0) {
            fail(TextDecodeError::Kind::NulByte, "NUL byte at byte offset " + std::to_string(raw_offset + i) +
                                                     ": this looks like a binary file, not text");
            return outcome;
        } else if (const std::size_t length = valid_sequence_length(s + i, end - i); length > 0) {
            out.text.append(raw.substr(i, length));
            i += length;
        } else if (policy == InvalidUtf8Policy::Error) {
            fail(TextDecodeError::Kind::InvalidUtf8,
                 "invalid UTF-8 at byte offset " + std::to_string(raw_offset + i) +
                     ": convert the file to UTF-8, or set on_invalid_utf8: replace to substitute U+FFFD");
            return outcome;
        } else {
            out.text += "\xEF\xBF\xBD";
            i += invalid_subpart_length(s + i, end - i);
        }
        ++out.code_points;
        // An anchor wherever the offsets stop growing in step (after a CRLF or a replacement).
        const std::uint64_t implied = out.anchors.empty() ? out.original_begin + out.text.size()
                                                          : out.anchors.back().original +
                                                                (out.text.size() - out.anchors.back().normalized);
        if (implied != raw_offset + i) out.anchors.push_back({out.text.size(), raw_offset + i});
    }
    outcome.consumed = i;
    return outcome;
}

// Text that mixes what normalisation treats differently: ASCII runs short and long (past a
// 64-byte step, a 512-byte run, a 64 KiB window), sequences of every length, CR, CRLF and lone
// CR, NUL (when `nul` is set) and, at `invalid_rate` per piece, every kind of ill-formed bytes.
inline std::string random_text(std::mt19937& random, std::size_t size, double invalid_rate, bool nul = false) {
    static const std::vector<std::string> valid = {"a", "word ", "\n", "\r\n", "\r", "\t", "\xC3\xA9", "\xE2\x80\x9C",
                                                   "\xE6\x97\xA5\xE6\x9C\xAC", "\xF0\x9F\x98\x80", "\xED\x9F\xBF",
                                                   "\xF4\x8F\xBF\xBF", "\xE0\xA0\x80", "\xEF\xBB\xBF", "\xC2\xA0"};
    static const std::vector<std::string> invalid = {"\x80", "\xBF", "\xC3", "\xE4\xB8", "\xF0\x9F\x98", "\xC0\xAF",
                                                     "\xE0\x80\x80", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xFF",
                                                     "\xF5", "\x80\x80\x80\x80\x80", "\xE2\x80\r\n"};
    std::bernoulli_distribution bad(invalid_rate);
    std::string text;
    while (text.size() < size) {
        const unsigned pick = random() % 16;
        if (bad(random)) text += invalid[random() % invalid.size()];
        else if (nul && pick == 0) text += '\0';
        else if (pick == 1) text += std::string(random() % 700, 'x');
        else if (pick == 2) for (unsigned k = random() % 300; k > 0; --k) text += "\xE6\x97\xA5";
        else text += valid[random() % valid.size()];
    }
    return text;
}

}  // namespace text_kit::testing
