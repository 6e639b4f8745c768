#include <catch2/catch.hpp>

#include <random>
#include <string>

#include <text_kit/append_bytes.hpp>
#include <text_kit/utf8.hpp>

TEST_CASE("the ASCII prefix ends at the first byte with its top bit set, wherever it falls") {
    for (std::size_t size : {0u, 1u, 15u, 16u, 17u, 63u, 64u, 65u, 200u}) {
        std::string text(size, 'a');
        const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
        CHECK(text_kit::ascii_prefix_length(bytes, size) == size);
        for (std::size_t at = 0; at < size; ++at) {
            text[at] = static_cast<char>(0x80 + at % 0x80);
            INFO("size " << size << " non-ASCII at " << at);
            REQUIRE(text_kit::ascii_prefix_length(bytes, size) == at);
            REQUIRE(text_kit::ascii_prefix_length(bytes + at, size - at) == 0);
            text[at] = 'a';
        }
    }
}

TEST_CASE("appending in slices gives what one append gives") {
    std::mt19937 random(4);
    std::string source(3 * text_kit::kAppendSliceBytes + 77, '\0');
    for (char& c : source) c = static_cast<char>(random());
    for (std::size_t size : {std::size_t{0}, std::size_t{1}, text_kit::kAppendSliceBytes, text_kit::kAppendSliceBytes + 1,
                             source.size()}) {
        std::string expected = "prefix", appended = "prefix";
        expected.append(source.data(), size);
        text_kit::append_bytes(appended, source.data(), size);
        CHECK(appended == expected);
    }
}
