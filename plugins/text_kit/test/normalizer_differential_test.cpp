#include <catch2/catch.hpp>

#include <random>
#include <string>
#include <vector>

#include <text_kit/utf8_normalizer.hpp>

#include "reference_normalizer.hpp"

using text_kit::InvalidUtf8Policy;
using text_kit::NormalizedPiece;
using text_kit::TextDecodeError;
using text_kit::Utf8Normalizer;
using text_kit::testing::reference_normalize;
using text_kit::testing::ReferenceOutcome;

namespace {

// What one call of a normaliser gave: the piece and what it consumed or held back, or the error.
struct Attempt {
    ReferenceOutcome outcome;
    std::string held_back;
};

template <class Normalize>
Attempt attempt(Normalize normalize) {
    Attempt result;
    try {
        result.outcome.consumed = normalize(result.outcome.piece, result.held_back);
    } catch (const TextDecodeError& e) {  // the piece stays as the error left it
        result.outcome.failed = true;
        result.outcome.kind = e.kind();
        result.outcome.offset = e.offset();
        result.outcome.message = e.what();
    }
    return result;
}

Attempt copying(Utf8Normalizer& normalizer, const std::string& raw, std::uint64_t offset, bool at_end) {
    return attempt([&](NormalizedPiece& piece, std::string& held_back) {
        const std::size_t consumed = normalizer.normalize(raw, offset, at_end, piece);
        held_back = raw.substr(consumed);
        return consumed;
    });
}

Attempt in_place(Utf8Normalizer& normalizer, const std::string& raw, std::uint64_t offset, bool at_end) {
    return attempt([&](NormalizedPiece& piece, std::string& held_back) {
        piece.text = raw;
        return normalizer.normalize_in_place(offset, at_end, piece, held_back);
    });
}

// The piece must match even after an error: it then holds the text before the bad byte.
void require_same(const Attempt& got, const ReferenceOutcome& want, const std::string& raw) {
    REQUIRE(got.outcome.failed == want.failed);
    if (want.failed) {
        REQUIRE(got.outcome.kind == want.kind);
        REQUIRE(got.outcome.offset == want.offset);
        REQUIRE(got.outcome.message == want.message);
    } else {
        REQUIRE(got.outcome.consumed == want.consumed);
        REQUIRE(got.held_back == raw.substr(want.consumed));
    }
    const NormalizedPiece& a = got.outcome.piece;
    const NormalizedPiece& b = want.piece;
    REQUIRE(a.text == b.text);
    REQUIRE(a.original_begin == b.original_begin);
    REQUIRE(a.code_points == b.code_points);
    REQUIRE(a.anchors.size() == b.anchors.size());
    for (std::size_t k = 0; k < a.anchors.size(); ++k) {
        REQUIRE(a.anchors[k].normalized == b.anchors[k].normalized);
        REQUIRE(a.anchors[k].original == b.anchors[k].original);
    }
}

// Both normalisers, on the same input, against the reference.
void check_piece(const std::string& raw, std::uint64_t offset, bool at_end, InvalidUtf8Policy policy) {
    Utf8Normalizer normalizer(policy);
    const ReferenceOutcome want = reference_normalize(raw, offset, at_end, policy);
    INFO("size " << raw.size() << " offset " << offset << " at_end " << at_end << " replace "
                 << (policy == InvalidUtf8Policy::Replace));
    {
        INFO("normalize");
        require_same(copying(normalizer, raw, offset, at_end), want, raw);
    }
    {
        INFO("normalize_in_place");
        require_same(in_place(normalizer, raw, offset, at_end), want, raw);
    }
}

}  // namespace

TEST_CASE("normalize and normalize_in_place give what the sequence-by-sequence rules give (seeded)") {
    std::mt19937 random(777);
    for (double rate : {0.0, 0.002, 0.05, 0.5}) {
        for (int round = 0; round < 150; ++round) {
            const std::size_t size = round % 25 == 0 ? 70000 + random() % 70000 : random() % 3000;
            std::string raw = (round % 4 == 0 ? "\xEF\xBB\xBF" : "") +
                              text_kit::testing::random_text(random, size, rate, round % 5 == 0);
            for (InvalidUtf8Policy policy : {InvalidUtf8Policy::Replace, InvalidUtf8Policy::Error})
                for (bool at_end : {true, false})
                    for (std::uint64_t offset : {std::uint64_t{0}, std::uint64_t{4096}}) check_piece(raw, offset, at_end, policy);
        }
    }
}

TEST_CASE("edge pieces: empty, a BOM alone or cut short, a CR or a split sequence at the end") {
    const std::vector<std::string> pieces = {"", "\xEF\xBB\xBF", "\xEF\xBB", "\xEF", "\r", "a\r", "\r\n", "\xE6\x97",
                                             "a\xF0\x9F\x98", "\xFF", "\xEF\xBB\xBF\r\n\xE6\x97\xA5", std::string("\0", 1),
                                             "a\xC3\xA9\r\xC3"};
    for (const std::string& raw : pieces) {
        for (InvalidUtf8Policy policy : {InvalidUtf8Policy::Replace, InvalidUtf8Policy::Error})
            for (bool at_end : {true, false})
                for (std::uint64_t offset : {std::uint64_t{0}, std::uint64_t{7}}) check_piece(raw, offset, at_end, policy);
    }
}

TEST_CASE("a read that ends at any offset gives the pieces the rules give (seeded)") {
    // Two reads, as the file reader makes them: the first ends at `cut`; what it held back comes
    // first in the second.
    std::mt19937 random(31337);
    for (int round = 0; round < 40; ++round) {
        const double rate = round % 4 == 0 ? 0.05 : 0.0;
        const std::string raw = (round % 3 == 0 ? "\xEF\xBB\xBF" : "") +
                                text_kit::testing::random_text(random, 200 + random() % 200, rate, round % 7 == 0);
        const InvalidUtf8Policy policy = round % 2 == 0 ? InvalidUtf8Policy::Replace : InvalidUtf8Policy::Error;
        for (std::size_t cut = 0; cut <= raw.size(); ++cut) {
            const std::string first = raw.substr(0, cut);
            check_piece(first, 0, false, policy);
            const ReferenceOutcome head = reference_normalize(first, 0, false, policy);
            if (head.failed) continue;
            check_piece(first.substr(head.consumed) + raw.substr(cut), head.consumed, true, policy);
        }
    }
}

TEST_CASE("Windows line ends at every place in 16 bytes, lone CRs and blank lines among them, give what the rules give") {
    // normalize_in_place() moves CRLF text 16 bytes at a time once it has met a CR: every line
    // length puts the CR at another byte of those 16, its LF in the same 16 or the next.
    for (std::size_t line = 0; line <= 40; ++line) {
        std::string raw = "start\r\n";
        for (int k = 0; k < 12; ++k) raw += std::string(line, static_cast<char>('a' + k)) + "\r\n";
        // A lone CR with an LF further on in the same 16 bytes, then blank lines.
        raw += std::string(line, 'y') + "\r" + std::string(3, 'z') + "\n" + std::string(20, 'z') + "\r\n\r\n" +
               std::string(line, 'w') + "\r\n";
        INFO("line length " << line);
        check_piece(raw, 0, true, InvalidUtf8Policy::Error);
        check_piece(raw, 9, false, InvalidUtf8Policy::Replace);
        check_piece("\xEF\xBB\xBF" + raw, 0, true, InvalidUtf8Policy::Replace);  // a BOM is dropped only at offset 0
    }
}
