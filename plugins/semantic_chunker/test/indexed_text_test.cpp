#include <catch2/catch.hpp>

#include <random>
#include <string>

#include "indexed_text.hpp"

using semantic_chunker::IndexedText;

namespace {

bool starts_code_point(char byte) { return static_cast<signed char>(byte) > -65; }

}  // namespace

TEST_CASE("the index answers as a scan of the bytes would, across appends of any size and drops") {
    // Pieces of 0 to 299 bytes of ASCII, 2- and 3-byte characters and newlines, so words of 64
    // bytes start and end everywhere; after each append the whole text is checked.
    std::mt19937 rng(20261130);
    for (int round = 0; round < 800; ++round) {
        IndexedText text;
        std::string all;
        std::uint64_t kept_from = 0;
        for (int piece = std::uniform_int_distribution<int>(1, 8)(rng); piece > 0; --piece) {
            std::string bytes;
            for (int i = std::uniform_int_distribution<int>(0, 299)(rng); i > 0; --i) {
                const int kind = std::uniform_int_distribution<int>(0, 9)(rng);
                bytes += kind == 0 ? "\n" : kind == 1 ? "\xC3\xA9" : kind == 2 ? "\xE6\x97\xA5" : "a";
            }
            text.append(bytes);
            all += bytes;
            if (std::uniform_int_distribution<int>(0, 3)(rng) == 0) {
                text.drop_before(kept_from + std::uniform_int_distribution<std::uint64_t>(0, all.size() - kept_from)(rng));
                kept_from = text.base();
                REQUIRE(kept_from % 64 == 0);
            }
            INFO("round " << round);
            REQUIRE(text.end() == all.size());
            REQUIRE(text.view() == std::string_view(all).substr(kept_from));
            std::uint64_t chars = 0;
            for (std::uint64_t i = 0; i < kept_from; ++i) chars += starts_code_point(all[i]);
            for (std::uint64_t pos = kept_from; pos <= all.size(); ++pos) {
                if (pos == all.size() || starts_code_point(all[pos])) {
                    REQUIRE(text.char_index(pos) == chars);
                    const std::uint64_t near = kept_from + std::uniform_int_distribution<std::uint64_t>(0, text.size())(rng);
                    if (pos < all.size()) REQUIRE(text.char_position(chars, near) == pos);
                    const std::size_t newline = all.find('\n', pos);
                    REQUIRE(text.next_newline(pos) == (newline == std::string::npos ? IndexedText::npos : newline));
                }
                if (pos < all.size()) chars += starts_code_point(all[pos]);
            }
            REQUIRE(text.char_position(chars, text.end()) == text.end());  // past the last code point
        }
    }
}

TEST_CASE("newlines are found across long lines and at the very end") {
    IndexedText text;
    const std::string long_line(1000, 'x');
    text.append(long_line + "\n" + long_line);
    CHECK(text.next_newline(0) == 1000);
    CHECK(text.next_newline(1001) == IndexedText::npos);
    IndexedText::NewlineCursor cursor(text, 0);
    CHECK(cursor.next() == 1000);
    CHECK(cursor.next() >= text.end());
    text.append("\n");
    CHECK(text.next_newline(1001) == 2001);
}

TEST_CASE("the index survives the buffer growing: text and index words are carried over") {
    // Appends far past the first 64 KiB, so that the buffer and its index are reallocated while
    // text (and, after a drop, a base other than 0) is in them.
    std::mt19937 rng(20261201);
    IndexedText text;
    std::string all;
    for (int piece = 0; piece < 6; ++piece) {
        std::string bytes;
        while (bytes.size() < 50000) {
            const int kind = std::uniform_int_distribution<int>(0, 9)(rng);
            bytes += kind == 0 ? "\n" : kind == 1 ? "\xC3\xA9" : kind == 2 ? "\xE6\x97\xA5" : "a";
        }
        text.append(bytes);
        all += bytes;
        if (piece == 2) text.drop_before(70000);
        INFO("piece " << piece);
        REQUIRE(text.view() == std::string_view(all).substr(text.base()));
        std::uint64_t chars = 0;
        for (std::uint64_t i = 0; i < text.base(); ++i) chars += starts_code_point(all[i]);
        for (std::uint64_t pos = text.base(); pos < all.size(); ++pos) {
            if (pos % 97 == 0 && starts_code_point(all[pos])) {
                REQUIRE(text.char_index(pos) == chars);
                REQUIRE(text.char_position(chars, text.base()) == pos);
                const std::size_t newline = all.find('\n', pos);
                REQUIRE(text.next_newline(pos) == (newline == std::string::npos ? IndexedText::npos : newline));
            }
            chars += starts_code_point(all[pos]);
        }
        REQUIRE(text.char_index(text.end()) == chars);
    }
}
