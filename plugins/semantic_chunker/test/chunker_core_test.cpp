#include <catch2/catch.hpp>

#include <string>

#include "chunk_checks.hpp"

using semantic_chunker::ChunkerSettings;
using semantic_chunker::testing::check_invariants;
using semantic_chunker::testing::chunk_raw;

namespace {

ChunkerSettings small_settings(std::size_t size = 120, std::size_t overlap = 30, std::size_t min_chunk = 10) {
    ChunkerSettings settings;
    settings.chunk_size = size;
    settings.overlap = overlap;
    settings.min_chunk = min_chunk;
    return settings;
}

std::string sentences(int count, const std::string& word = "word") {
    std::string text;
    for (int i = 0; i < count; ++i) text += "Sentence " + std::to_string(i) + " has a " + word + " or two in it. ";
    return text;
}

}  // namespace

TEST_CASE("each heading starts a chunk and sets the heading path") {
    const std::string doc = "# Guide\n\nIntro text that is long enough to stand alone as a chunk.\n\n"
                            "## Setup\n\nInstall the tool and run it once to create the config file.\n\n"
                            "### Linux\n\nUse the package manager of the distribution to install it.\n\n"
                            "## Usage\n\nRun it with the input folder as its only argument, then wait.\n";
    const auto settings = small_settings(400, 50, 10);
    const auto chunks = chunk_raw(doc, settings);
    check_invariants(doc, chunks, settings, true);
    REQUIRE(chunks.size() == 4);
    CHECK(chunks[0].heading_path == std::vector<std::string>{"Guide"});
    CHECK(chunks[1].heading_path == std::vector<std::string>{"Guide", "Setup"});
    CHECK(chunks[2].heading_path == std::vector<std::string>{"Guide", "Setup", "Linux"});
    CHECK(chunks[3].heading_path == std::vector<std::string>{"Guide", "Usage"});
    CHECK(chunks[3].text.rfind("## Usage", 0) == 0);
    CHECK(chunks[1].overlap_bytes == 0);  // no overlap across a heading
}

TEST_CASE("numbered, keyword and underlined headings nest by style") {
    const std::string doc = "Section 4\n\nGeneral rules for the management of patients in this section.\n\n"
                            "4.1 Cardiovascular Management\n\nBlood pressure is measured twice a day by the nurse.\n\n"
                            "4.1.2 Drugs\n\nThe doses are listed in the table at the end of this manual.\n\n"
                            "Section 5\n\nOther rules that apply to every ward of the hospital.\n";
    const auto settings = small_settings(400, 50, 10);
    const auto chunks = chunk_raw(doc, settings);
    check_invariants(doc, chunks, settings, true);
    REQUIRE(chunks.size() == 4);
    CHECK(chunks[1].heading_path == std::vector<std::string>{"Section 4", "4.1 Cardiovascular Management"});
    CHECK(chunks[2].heading_path == std::vector<std::string>{"Section 4", "4.1 Cardiovascular Management", "4.1.2 Drugs"});
    CHECK(chunks[3].heading_path == std::vector<std::string>{"Section 5"});

    const std::string underlined = "Manual\n******\n\nFirst words of the manual, long enough for a chunk.\n\n"
                                   "1. Scope\n=========\n\nThe scope of the manual is every package we build.\n\n"
                                   "1.1. Terms\n----------\n\nThe terms are defined in this short section here.\n\n"
                                   "Part Two\n━━━━━━━━\n\nThe second part begins here with a few words more.\n";
    const auto more = chunk_raw(underlined, settings);
    check_invariants(underlined, more, settings, true);
    REQUIRE(more.size() == 4);
    CHECK(more[0].heading_path == std::vector<std::string>{"Manual"});
    CHECK(more[1].heading_path == std::vector<std::string>{"Manual", "1. Scope"});
    CHECK(more[2].heading_path == std::vector<std::string>{"Manual", "1. Scope", "1.1. Terms"});
    CHECK(more[3].heading_path == std::vector<std::string>{"Manual", "1. Scope", "1.1. Terms", "Part Two"});
}

TEST_CASE("headings as licences and text from PDFs set them: indented numbers, a page's first line, a number over its title") {
    const std::string licence = "                       TERMS AND CONDITIONS\n\n  0. Definitions.\n\n"
                                "  \"This License\" refers to version 3 of the licence, as written here.\n\n"
                                "  1. Source Code.\n\n  The source code of a work is the form preferred for changes.\n";
    const auto settings = small_settings(400, 50, 10);
    const auto sections = chunk_raw(licence, settings);
    check_invariants(licence, sections, settings, true);
    REQUIRE(sections.size() == 3);
    CHECK(sections[1].heading_path == std::vector<std::string>{"0. Definitions."});
    CHECK(sections[2].heading_path == std::vector<std::string>{"1. Source Code."});

    const std::string guide = "The guide starts with a few words that stand before any part.\n\n"
                              "\fPart One.\nThe Income\n\nThe chapters in this part explain the first steps.\n\n"
                              "\f1.\nFiling Information\nWhat's New\nThe due date of the return is in April.\n";
    const auto pages = chunk_raw(guide, settings);
    check_invariants(guide, pages, settings, true);
    REQUIRE(pages.size() == 3);
    CHECK(pages[1].heading_path == std::vector<std::string>{"Part One."});
    CHECK(pages[2].heading_path == std::vector<std::string>{"Part One.", "1. Filing Information"});
    CHECK(pages[2].text.rfind("\f1.\nFiling Information\nWhat's New", 0) == 0);
}

TEST_CASE("a long section is cut at paragraphs first, then sentences, and chunks stay within chunk_size") {
    std::string doc = "# Topic\n\n";
    for (int p = 0; p < 6; ++p) doc += sentences(3) + "\n\n";
    const auto settings = small_settings(300, 60, 20);
    const auto chunks = chunk_raw(doc, settings);
    check_invariants(doc, chunks, settings, true);
    REQUIRE(chunks.size() >= 3);
    for (std::size_t i = 0; i + 1 < chunks.size(); ++i) {
        const std::string& text = chunks[i].text;
        // Every chunk but the last ends at a paragraph or a sentence end.
        const auto last = text.find_last_not_of(" \n");
        REQUIRE(last != std::string::npos);
        CHECK(text[last] == '.');
    }
}

TEST_CASE("overlap repeats whole sentences from the end of the previous chunk") {
    const std::string doc = sentences(40);
    const auto settings = small_settings(200, 80, 10);
    const auto chunks = chunk_raw(doc, settings);
    check_invariants(doc, chunks, settings, true);
    REQUIRE(chunks.size() > 5);
    int with_overlap = 0;
    for (std::size_t i = 1; i < chunks.size(); ++i) {
        if (chunks[i].overlap_bytes == 0) continue;
        ++with_overlap;
        const std::string overlap = chunks[i].text.substr(0, chunks[i].overlap_bytes);
        CHECK(overlap.rfind("Sentence ", 0) == 0);       // starts a sentence
        CHECK(overlap.substr(overlap.size() - 2) == ". ");  // ends one
    }
    CHECK(with_overlap >= static_cast<int>(chunks.size()) - 2);
}

TEST_CASE("an overlap that would repeat markup alone, such as the end of a table row, is left out") {
    // Each row's last cell is a long name without spaces: 30 characters back from a row start
    // fall inside it, and the first word start after them is the row's closing bar.
    std::string doc = "| drug | code |\n|---|---|\n";
    for (int row = 0; row < 12; ++row)
        doc += "| drug " + std::to_string(row) + " | ATC-" + std::string(40, static_cast<char>('A' + row)) + " |\n";
    const auto settings = small_settings(120, 30, 10);
    const auto chunks = chunk_raw(doc, settings);
    check_invariants(doc, chunks, settings, true);
    REQUIRE(chunks.size() > 4);
    for (const auto& chunk : chunks) {
        const std::string overlap = chunk.text.substr(0, chunk.overlap_bytes);
        INFO("chunk " << chunk.index << " overlap \"" << overlap << "\"");
        CHECK((overlap.empty() || overlap.find_first_of("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") !=
                                      std::string::npos));
    }
}

TEST_CASE("sentence ends are not taken after abbreviations or inside decimals") {
    // Only the dots after "visit." and "4.1." end sentences: cuts happen there or at spaces.
    std::string doc;
    for (int i = 0; i < 30; ++i) doc += "See Dr. Smith e.g. at Fig. 3 on visit. Dose is 4.1 mg per day in 4.1. ";
    const auto settings = small_settings(100, 0, 10);
    const auto chunks = chunk_raw(doc, settings);
    check_invariants(doc, chunks, settings, true);
    for (const auto& chunk : chunks) {
        const std::string& text = chunk.text;
        CHECK(text.find("Dr. ") != 0);
        const auto end = text.find_last_not_of(' ');
        const std::string tail = text.substr(0, end + 1);
        CHECK(tail.size() >= 3);
        CHECK(tail.substr(tail.size() - 3) != "Dr.");
        CHECK(tail.substr(tail.size() - 4) != "e.g.");
        CHECK(tail.substr(tail.size() - 4) != "Fig.");
    }
}

TEST_CASE("CJK, accented and emoji text is never split inside a code point") {
    std::string doc;
    for (int i = 0; i < 50; ++i) doc += "日本語の文章です。絵文字😀👍🏽もあります！Café déjà vu à côté. ";
    for (std::size_t size : {16, 17, 40, 83}) {
        const auto settings = small_settings(size, size / 4, 2);
        const auto chunks = chunk_raw(doc, settings, 7);  // tiny blocks split sequences between blocks
        check_invariants(doc, chunks, settings, true);
        CHECK(chunks.size() > 5);
    }
}

TEST_CASE("edge: an empty text and a text of whitespace give no chunk") {
    const auto settings = small_settings();
    CHECK(chunk_raw("", settings).empty());
    CHECK(chunk_raw(" \n\n\t \n", settings).empty());
}

TEST_CASE("edge: one huge line without spaces is cut between code points, in bounded memory") {
    std::string line;
    for (int i = 0; i < 20000; ++i) line += (i % 3 == 0) ? "é" : (i % 3 == 1 ? "x" : "字");
    const auto settings = small_settings(100, 20, 10);
    std::size_t most_buffered = 0, count = 0;
    semantic_chunker::ChunkerCore core(settings, [&](const semantic_chunker::Chunk& chunk) {
        ++count;
        CHECK(chunk.characters == 100);
        CHECK(text_kit::first_invalid_byte(chunk.text) == chunk.text.size());
    });
    core.begin_file("huge.txt");
    // Pieces of 4092 bytes end on code points: the pattern é x 字 is 6 bytes long.
    for (std::size_t at = 0; at < line.size(); at += 4092) {
        const std::size_t take = std::min<std::size_t>(4092, line.size() - at);
        core.feed(std::string_view(line).substr(at, take), at);
        most_buffered = std::max(most_buffered, core.buffered_bytes());
    }
    core.end_file();
    CHECK(count == 200);
    CHECK(most_buffered < 300 * 1024);  // the compaction threshold plus one block, not the line
}

TEST_CASE("edge: a file of only headings") {
    const std::string doc = "# One\n## Two\n### Three\n# Four\n## Five\n";
    const auto settings = small_settings(100, 20, 10);
    const auto chunks = chunk_raw(doc, settings);
    check_invariants(doc, chunks, settings, true);
    REQUIRE(!chunks.empty());
    CHECK(chunks.back().heading_path == std::vector<std::string>{"Four", "Five"});
}

// Bug: a line too long to wait for (over 4 KiB) was shown to the classifier as text at column 0,
// so a word in capitals over it was a label even when the long line was indented.
TEST_CASE("a word in capitals over indented text is a heading, however long the text's first line") {
    const auto settings = small_settings(800, 100, 50);
    for (const std::size_t words : {std::size_t{100}, std::size_t{1000}}) {
        std::string indented_body = "       ";
        for (std::size_t i = 0; i < words; ++i) indented_body += "word ";
        const std::string intro = "An introduction long enough to be a chunk of its own, before the heading.\n\n";
        const std::string doc = intro + "NAME\n" + indented_body + "\n";
        INFO(indented_body.size() << " bytes of indented text");
        const auto chunks = chunk_raw(doc, settings);
        check_invariants(doc, chunks, settings, true);
        REQUIRE(chunks.size() >= 2);
        CHECK(chunks.back().heading_path == std::vector<std::string>{"NAME"});
        // The same word over text at column 0 is a label.
        const std::string labelled = intro + "NAME\n" + indented_body.substr(7) + "\n";
        for (const auto& chunk : chunk_raw(labelled, settings)) CHECK(chunk.heading_path.empty());
    }
}

TEST_CASE("edge: a CRLF file maps offsets back to the original bytes") {
    std::string doc = "\xEF\xBB\xBF# Title\r\n\r\n";
    for (int i = 0; i < 20; ++i) doc += "Line " + std::to_string(i) + " of the CRLF document ends here.\r\n";
    const auto settings = small_settings(150, 40, 10);
    const auto chunks = chunk_raw(doc, settings, 50);
    check_invariants(doc, chunks, settings, true);
    REQUIRE(chunks.size() > 3);
    CHECK(chunks[0].byte_begin == 3);  // after the BOM
    CHECK(chunks.back().byte_end == doc.size());
    for (const auto& chunk : chunks) CHECK(chunk.text.find('\r') == std::string::npos);
}

TEST_CASE("edge: invalid UTF-8 replaced by the source keeps offsets right") {
    std::string doc;
    for (int i = 0; i < 30; ++i) doc += "caf\xE9 na\xEFve \xF0\x9F\x98 word. ";
    const auto settings = small_settings(60, 15, 5);
    const auto chunks = chunk_raw(doc, settings, 33);
    check_invariants(doc, chunks, settings, true);
}

TEST_CASE("edge: a file that ends without a newline keeps its last word") {
    const std::string doc = "First paragraph here.\n\nLast words without newline";
    const auto settings = small_settings(30, 0, 5);
    const auto chunks = chunk_raw(doc, settings);
    check_invariants(doc, chunks, settings, true);
    REQUIRE(!chunks.empty());
    CHECK(chunks.back().text.substr(chunks.back().text.size() - 7) == "newline");
}

TEST_CASE("a small section tail joins the chunk before it when it fits") {
    std::string doc = "# A\n\n" + sentences(5) + "Tail.\n\n# B\n\n" + sentences(1) + "\n";
    const auto settings = small_settings(250, 0, 20);
    const auto chunks = chunk_raw(doc, settings);
    check_invariants(doc, chunks, settings, true);
    for (const auto& chunk : chunks) {
        if (chunk.heading_path == std::vector<std::string>{"A"}) CHECK(chunk.characters >= 20);
    }
}

TEST_CASE("files are chunked independently and ids keep counting across files") {
    std::vector<semantic_chunker::testing::CollectedChunk> chunks;
    semantic_chunker::ChunkerCore core(small_settings(), semantic_chunker::testing::collect_into(chunks));
    semantic_chunker::testing::feed_raw(core, "# One\n\nFirst file text.\n", 64, "one.md");
    semantic_chunker::testing::feed_raw(core, "Second file, no heading.\n", 64, "two.md");
    REQUIRE(chunks.size() == 2);
    CHECK(chunks[0].source == "one.md");
    CHECK(chunks[1].source == "two.md");
    CHECK(chunks[1].index == 1);
    CHECK(chunks[1].heading_path.empty());
    CHECK(chunks[1].byte_begin == 0);
}

TEST_CASE("settings are checked with a message that says what to change") {
    ChunkerSettings settings;
    settings.chunk_size = 100;
    settings.overlap = 80;
    CHECK(semantic_chunker::validate_settings(settings).find("overlap") != std::string::npos);
    settings.overlap = 10;
    CHECK(semantic_chunker::validate_settings(settings).empty());
}

TEST_CASE("the chunks do not depend on where the input's blocks end, around lines longer than 4 KiB too") {
    // A long line is prose whether its end has arrived in the same block or not: before, a
    // keyword heading followed by one was titled by its whole line or by its number, and a long
    // line of spaces was a paragraph break or prose, depending on the block size.
    const std::string doc = "Intro paragraph text that says what follows.\n\n"
                            "SECTION. 1. All things in this section run on into the text\n" +
                            std::string(5000, 'y') + " end.\n\n" + std::string(5000, ' ') +
                            "\nNext paragraph, a short one.\n\n- " + std::string(5000, 'z') + "\nTail.\n";
    const auto settings = small_settings(800, 100, 50);
    const auto whole = chunk_raw(doc, settings, doc.size());
    check_invariants(doc, whole, settings, false);
    for (const std::size_t block : {1000, 4097, 6000}) {
        const auto cut = chunk_raw(doc, settings, block);
        INFO("block " << block);
        REQUIRE(cut.size() == whole.size());
        for (std::size_t i = 0; i < cut.size(); ++i) {
            CHECK(cut[i].heading_path == whole[i].heading_path);
            CHECK(cut[i].byte_begin == whole[i].byte_begin);
            CHECK(cut[i].byte_end == whole[i].byte_end);
        }
    }
    CHECK(whole[1].heading_path == std::vector<std::string>{"SECTION. 1."});  // the line runs on: titled by its number
}

TEST_CASE("the chunks do not depend on where the input's blocks end once the chunker drops text behind it") {
    // Past 256 KiB the chunker drops the text it is done with. A sentence start was judged by
    // looking back to wherever the kept text began, so a long run of spaces before a word was a
    // paragraph break fed whole and not fed in blocks. Judgements now look back kLookBehindBytes
    // at most, and that much is kept.
    const auto settings = small_settings(800, 400, 50);
    for (const std::size_t gap : {300, 5000, 70000}) {
        std::string doc;
        while (doc.size() < 300000) doc += "Word the dose. ";
        doc += "End.\n\n" + std::string(gap, ' ') + "\n";
        for (int i = 0; i < 40; ++i) doc += "Next sentence here. ";
        doc += "\n" + std::string(gap, 'w') + ". " + std::string(gap, '"') + " Then more text follows here.\n";
        const auto whole = chunk_raw(doc, settings, doc.size());
        check_invariants(doc, whole, settings, false);
        for (const std::size_t block : {977, 65536}) {
            const auto cut = chunk_raw(doc, settings, block);
            INFO("gap " << gap << ", block " << block);
            REQUIRE(cut.size() == whole.size());
            for (std::size_t i = 0; i < cut.size(); ++i) {
                INFO("chunk " << i);
                REQUIRE(cut[i].byte_begin == whole[i].byte_begin);
                REQUIRE(cut[i].byte_end == whole[i].byte_end);
                REQUIRE(cut[i].overlap_bytes == whole[i].overlap_bytes);
            }
        }
    }
}
