#include <text_kit/utf8.hpp>

namespace text_kit {

std::size_t invalid_subpart_length(const unsigned char* s, std::size_t available) {
    const LeadByteShape shape = lead_byte_shape(s[0]);
    if (shape.length == 0) return 1;
    std::size_t length = 1;
    if (available > 1 && s[1] >= shape.low && s[1] <= shape.high) {
        length = 2;
        while (length < shape.length && length < available && is_continuation_byte(s[length])) ++length;
    }
    return length;
}

std::size_t incomplete_tail_length(const unsigned char* s, std::size_t size) {
    const std::size_t lookback = size < 3 ? size : 3;
    for (std::size_t back = 1; back <= lookback; ++back) {
        const unsigned char byte = s[size - back];
        if (is_continuation_byte(byte)) continue;
        if (lead_byte_shape(byte).length <= back) return 0;  // ASCII, an invalid lead, or a complete sequence
        // Only hold back what could still become valid; anything else is reported now.
        return invalid_subpart_length(s + size - back, back) == back ? back : 0;
    }
    return 0;
}

std::size_t first_invalid_byte(std::string_view text) {
    const auto* s = reinterpret_cast<const unsigned char*>(text.data());
    std::size_t i = 0;
    while (true) {
        i += ascii_prefix_length(s + i, text.size() - i);
        if (i == text.size()) return i;
        const std::size_t length = valid_sequence_length(s + i, text.size() - i);
        if (length == 0) return i;
        i += length;
    }
}

}  // namespace text_kit
