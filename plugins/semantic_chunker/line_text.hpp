#pragma once
// Byte tests and measures of a line's text, shared by the line classifier and the heading
// patterns. is_space, is_digit and is_upper test ASCII: no byte of a multibyte sequence passes.
#include <cctype>
#include <cstddef>
#include <string_view>

#include <text_kit/utf8.hpp>

namespace semantic_chunker::line_text {

// The bytes that separate words (title_cleaning's table is made from this).
constexpr bool is_space(char c) { return c == ' ' || c == '\t' || c == '\f' || c == '\v' || c == '\r'; }
inline bool is_digit(char c) { return c >= '0' && c <= '9'; }
inline bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
// std::isalnum, answered without a library call for ASCII (above it the answer depends on the locale).
inline bool is_alnum(char c) {
    const auto byte = static_cast<unsigned char>(c);
    const auto lower = static_cast<unsigned char>(byte | 0x20);
    return byte < 0x80 ? is_digit(c) || (lower >= 'a' && lower <= 'z') : std::isalnum(byte) != 0;
}

inline std::string_view trim(std::string_view text) {
    while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
    while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
    return text;
}

inline std::size_t chars(std::string_view text) { return text_kit::count_code_points(text); }
// Code points are only counted where the bytes could exceed the limit.
inline bool more_chars_than(std::string_view text, std::size_t limit) { return text.size() > limit && chars(text) > limit; }

}  // namespace semantic_chunker::line_text
