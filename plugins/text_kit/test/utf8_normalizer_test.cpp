#include <catch2/catch.hpp>

#include <random>
#include <string>

#include <text_kit/utf8.hpp>
#include <text_kit/utf8_normalizer.hpp>

using text_kit::InvalidUtf8Policy;
using text_kit::NormalizedPiece;
using text_kit::TextDecodeError;
using text_kit::Utf8Normalizer;

namespace {

// Feeds `raw` in pieces of `step` bytes the way a file reader does, carrying what is not consumed.
NormalizedPiece normalize_in_steps(const std::string& raw, std::size_t step, InvalidUtf8Policy policy) {
    Utf8Normalizer normalizer(policy);
    NormalizedPiece whole;
    whole.original_begin = 0;
    std::string pending;
    std::uint64_t pending_offset = 0;
    std::size_t next = 0;
    std::uint64_t normalized_so_far = 0;
    while (true) {
        const std::size_t take = std::min(step, raw.size() - next);
        pending.append(raw, next, take);
        next += take;
        const bool at_end = next == raw.size();
        NormalizedPiece piece;
        const std::size_t used = normalizer.normalize(pending, pending_offset, at_end, piece);
        if (whole.text.empty() && whole.anchors.empty() && normalized_so_far == 0) whole.original_begin = piece.original_begin;
        // Re-base the piece's anchors onto the whole text, with an anchor at the piece start.
        whole.anchors.push_back({normalized_so_far, piece.original_begin});
        for (auto a : piece.anchors) whole.anchors.push_back({normalized_so_far + a.normalized, a.original});
        whole.text += piece.text;
        whole.code_points += piece.code_points;
        normalized_so_far += piece.text.size();
        pending.erase(0, used);
        pending_offset += used;
        if (at_end) break;
    }
    return whole;
}

std::uint64_t map_offset(const NormalizedPiece& piece, std::uint64_t normalized) {
    std::uint64_t original = piece.original_begin + normalized;
    for (const auto& a : piece.anchors)
        if (a.normalized <= normalized) original = a.original + (normalized - a.normalized);
    return original;
}

}  // namespace

TEST_CASE("a BOM is dropped and offsets still point into the original file") {
    const std::string raw = "\xEF\xBB\xBFhello\n";
    NormalizedPiece piece;
    Utf8Normalizer(InvalidUtf8Policy::Error).normalize(raw, 0, true, piece);
    CHECK(piece.text == "hello\n");
    CHECK(piece.original_begin == 3);
    CHECK(map_offset(piece, 0) == 3);
    CHECK(map_offset(piece, 6) == 9);
}

TEST_CASE("CRLF and lone CR become LF, with offsets mapped back") {
    const std::string raw = "a\r\nb\rc\r\n";
    NormalizedPiece piece;
    Utf8Normalizer(InvalidUtf8Policy::Error).normalize(raw, 0, true, piece);
    CHECK(piece.text == "a\nb\nc\n");
    CHECK(map_offset(piece, 2) == 3);  // 'b'
    CHECK(map_offset(piece, 4) == 5);  // 'c'
    CHECK(map_offset(piece, 6) == 8);  // end of input
}

TEST_CASE("invalid UTF-8 in error mode names the byte offset") {
    const std::string raw = "caf\xC3\xA9 \xFF rest";
    NormalizedPiece piece;
    try {
        Utf8Normalizer(InvalidUtf8Policy::Error).normalize(raw, 100, true, piece);
        FAIL("no error for an invalid byte");
    } catch (const TextDecodeError& e) {
        CHECK(e.kind() == TextDecodeError::Kind::InvalidUtf8);
        CHECK(e.offset() == 106);
        CHECK(std::string(e.what()).find("byte offset 106") != std::string::npos);
    }
}

TEST_CASE("invalid UTF-8 in replace mode becomes U+FFFD per maximal subpart") {
    // E2 82 is a truncated 3-byte sequence (one U+FFFD), C0 and FF are invalid leads (one each),
    // ED A0 80 is a surrogate (three U+FFFD: ED is not followed by a valid second byte).
    const std::string raw = "a\xE2\x82z\xC0\xFF\xED\xA0\x80.";
    NormalizedPiece piece;
    Utf8Normalizer(InvalidUtf8Policy::Replace).normalize(raw, 0, true, piece);
    const std::string fffd = "\xEF\xBF\xBD";
    CHECK(piece.text == "a" + fffd + "z" + fffd + fffd + fffd + fffd + fffd + ".");
    CHECK(text_kit::first_invalid_byte(piece.text) == piece.text.size());
    CHECK(map_offset(piece, piece.text.size() - 1) == raw.size() - 1);  // the final '.'
    CHECK(map_offset(piece, 4) == 3);  // 'z'
}

TEST_CASE("a NUL byte is reported as binary content") {
    NormalizedPiece piece;
    try {
        Utf8Normalizer(InvalidUtf8Policy::Replace).normalize(std::string("ab\0cd", 5), 0, true, piece);
        FAIL("no error for a NUL byte");
    } catch (const TextDecodeError& e) {
        CHECK(e.kind() == TextDecodeError::Kind::NulByte);
        CHECK(e.offset() == 2);
    }
}

TEST_CASE("a sequence or CRLF split between reads is held back, not damaged") {
    Utf8Normalizer normalizer(InvalidUtf8Policy::Error);
    NormalizedPiece piece;
    const std::string first = "x\xE6\x97";  // first two bytes of 日
    CHECK(normalizer.normalize(first, 0, false, piece) == 1);
    CHECK(piece.text == "x");
    piece.clear();
    CHECK(normalizer.normalize("line\r", 10, false, piece) == 4);  // the CR may be half of CRLF
}

TEST_CASE("normalising in pieces of any size equals normalising at once (seeded)") {
    std::mt19937 random(4242);
    const std::vector<std::string> atoms = {"a", " ", "\n", "\r\n", "\r", "é", "日本", "😀", "\xFF", "\xE2\x82",
                                            "\xEF\xBB\xBF", "Dr. ", "4.1"};
    for (int round = 0; round < 500; ++round) {
        std::string raw = round % 3 == 0 ? "\xEF\xBB\xBF" : "";
        const int atoms_in_doc = std::uniform_int_distribution<int>(0, 60)(random);
        for (int i = 0; i < atoms_in_doc; ++i) raw += atoms[random() % atoms.size()];
        const NormalizedPiece whole = normalize_in_steps(raw, raw.size() + 1, InvalidUtf8Policy::Replace);
        const std::size_t step = std::uniform_int_distribution<std::size_t>(1, 7)(random);
        const NormalizedPiece pieces = normalize_in_steps(raw, step, InvalidUtf8Policy::Replace);
        REQUIRE(pieces.text == whole.text);
        CHECK(pieces.code_points == text_kit::count_code_points(whole.text));
        CHECK(text_kit::first_invalid_byte(whole.text) == whole.text.size());
        CHECK(whole.text.find('\r') == std::string::npos);
        // Every line start maps to the byte after the original line end.
        for (std::size_t i = 0; i < whole.text.size(); ++i)
            if (whole.text[i] == '\n') {
                const std::uint64_t original = map_offset(pieces, i + 1);
                REQUIRE(original <= raw.size());
                const char before = raw[original - 1];
                CHECK((before == '\n' || before == '\r'));
            }
    }
}
