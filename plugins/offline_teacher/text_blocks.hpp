#pragma once
// Splits a chunk's Markdown-ish text into headings, paragraphs, list items and sentences, keeping
// byte offsets so that every answer the teacher gives is a verbatim span of the chunk.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace flowdistill::offline_teacher {

// [begin, end) byte offsets into the chunk text.
struct Span {
    std::size_t begin = 0;
    std::size_t end = 0;

    bool empty() const { return end <= begin; }
    std::string_view of(std::string_view text) const { return text.substr(begin, end - begin); }
};

enum class BlockKind { Heading, Paragraph, NumberedItem, BulletItem };

struct Block {
    BlockKind kind = BlockKind::Paragraph;
    Span whole;    // the block as written, list marker and '#'s included
    Span content;  // without the marker or the '#'s
};

std::vector<Block> split_blocks(std::string_view text);

// Sentences of `within`, each trimmed of surrounding white space, terminator included.
std::vector<Span> split_sentences(std::string_view text, Span within);

// White space runs (new lines, no-break and ideographic spaces included) become one space, ends trimmed: for quoting text in a
// question, never for answers.
std::string collapse_whitespace(std::string_view text);

std::size_t count_words(std::string_view text);

// White space at both ends removed; the no-break and ideographic spaces count as white space.

Span trim(std::string_view text, Span span);

// Bytes of the no-break space (U+00A0) or ideographic space (U+3000) starting at i, else 0.
std::size_t wide_space_length(std::string_view text, std::size_t i);

}  // namespace flowdistill::offline_teacher
