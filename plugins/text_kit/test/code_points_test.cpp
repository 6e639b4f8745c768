#include <catch2/catch.hpp>

#include <random>
#include <string>

#include <text_kit/code_points.hpp>

namespace {

// The definitions, one byte at a time: what the block loops must agree with.
bool is_lead(char byte) { return (static_cast<unsigned char>(byte) & 0xC0) != 0x80; }

std::size_t naive_count(const std::string& text, std::size_t begin, std::size_t end) {
    std::size_t count = 0;
    for (std::size_t i = begin; i < end; ++i) count += is_lead(text[i]);
    return count;
}

std::size_t naive_skip(const std::string& text, std::size_t from, std::size_t count) {
    std::size_t seen = 0;
    for (std::size_t i = from; i < text.size(); ++i)
        if (is_lead(text[i]) && seen++ == count) return i;
    return text.size();
}

std::size_t naive_back(const std::string& text, std::size_t floor, std::size_t end, std::size_t count) {
    if (count == 0) return end;
    std::size_t seen = 0;
    for (std::size_t i = end; i > floor;)
        if (is_lead(text[--i]) && ++seen == count) return i;
    return floor;
}

// Text that mixes ASCII runs with 2-, 3- and 4-byte sequences, and with `invalid` also stray
// continuation and lead bytes, so block boundaries fall everywhere.
std::string random_text(std::mt19937& random, std::size_t size, bool invalid) {
    static const char* const pieces[] = {"a", "word ", "\xC3\xA9", "\xE4\xB8\xAD", "\xF0\x9F\x98\x80", "\n", "  "};
    std::uniform_int_distribution<int> pick(0, invalid ? 8 : 6);
    std::string text;
    while (text.size() < size) {
        const int choice = pick(random);
        if (choice == 7) text += '\x80';
        else if (choice == 8) text += '\xE4';
        else if (choice == 0) text += std::string(std::uniform_int_distribution<std::size_t>(1, 70)(random), 'x');
        else text += pieces[choice];
    }
    return text;
}

}  // namespace

TEST_CASE("code points are counted, skipped and stepped back over as one byte at a time would") {
    std::mt19937 random(20261125);
    for (int round = 0; round < 400; ++round) {
        const std::string text = random_text(random, std::uniform_int_distribution<std::size_t>(0, 5000)(random), round % 2 == 1);
        std::uniform_int_distribution<std::size_t> position(0, text.size());
        std::uniform_int_distribution<std::size_t> count(0, round % 3 == 0 ? 40 : 3000);
        for (int probe = 0; probe < 20; ++probe) {
            std::size_t a = position(random), b = position(random);
            if (a > b) std::swap(a, b);
            const std::size_t n = count(random);
            INFO("round " << round << " a " << a << " b " << b << " n " << n);
            REQUIRE(text_kit::count_code_points(text.data() + a, b - a) == naive_count(text, a, b));
            REQUIRE(text_kit::skip_code_points(text.data(), a, text.size(), n) == naive_skip(text, a, n));
            REQUIRE(text_kit::back_code_points(text.data(), a, b, n) == naive_back(text, a, b, n));
        }
    }
}

TEST_CASE("counting spans more than 255 blocks of 16 bytes without overflowing a lane") {
    const std::string ascii(16 * 1000 + 7, 'a');
    CHECK(text_kit::count_code_points(ascii.data(), ascii.size()) == ascii.size());
    std::string cjk;
    for (int i = 0; i < 3000; ++i) cjk += "\xE4\xB8\xAD";
    CHECK(text_kit::count_code_points(cjk.data(), cjk.size()) == 3000);
    CHECK(text_kit::skip_code_points(cjk.data(), 0, cjk.size(), 2999) == 3 * 2999);
    CHECK(text_kit::back_code_points(cjk.data(), 0, cjk.size(), 2999) == 3);
}
