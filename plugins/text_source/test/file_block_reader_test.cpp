#include <catch2/catch.hpp>

#include <random>
#include <string>
#include <vector>

#include <text_kit/utf8_normalizer.hpp>

#include "file_block_reader.hpp"
#include "temp_folder.hpp"

using text_kit::InvalidUtf8Policy;
using text_kit::NormalizedPiece;
using text_kit::TextDecodeError;
using text_source::FileBlockReader;
using text_source::testing::TempFolder;

namespace {

// What a reader gave: its blocks, then the error that stopped it, if one did.
struct Reading {
    std::vector<NormalizedPiece> blocks;
    std::vector<bool> at_end;
    std::string error;  // kind, offset and message
};

std::string describe(const TextDecodeError& e) {
    return std::to_string(static_cast<int>(e.kind())) + "@" + std::to_string(e.offset()) + ": " + e.what();
}

Reading read_file(const std::string& path, std::size_t block_bytes, InvalidUtf8Policy policy) {
    FileBlockReader reader(path, block_bytes, policy);
    Reading reading;
    NormalizedPiece piece;
    try {
        while (reader.next(piece)) {
            reading.blocks.push_back(piece);
            reading.at_end.push_back(reader.at_end());
        }
        REQUIRE(piece.text.empty());  // a reader that is done leaves the piece empty
    } catch (const TextDecodeError& e) {
        reading.error = describe(e);
    }
    return reading;
}

// The reader as it was before it normalised in place: each block (the bytes carried from the
// last, then as many more as make block_bytes) is copied through Utf8Normalizer::normalize.
Reading read_by_copying(const std::string& raw, std::size_t block_bytes, InvalidUtf8Policy policy) {
    text_kit::Utf8Normalizer normalizer(policy);
    Reading reading;
    std::string carried;
    std::size_t next = 0, offset = 0;
    try {
        while (true) {
            const std::size_t take = std::min(block_bytes - std::min(block_bytes, carried.size()), raw.size() - next);
            const std::string block = carried + raw.substr(next, take);
            next += take;
            const bool eof = next == raw.size();
            NormalizedPiece piece;
            const std::size_t consumed = normalizer.normalize(block, offset, eof, piece);
            carried = block.substr(consumed);
            offset += consumed;
            reading.blocks.push_back(piece);
            reading.at_end.push_back(eof && carried.empty());
            if (eof && carried.empty()) break;
        }
    } catch (const TextDecodeError& e) {
        reading.error = describe(e);
    }
    return reading;
}

void require_same(const Reading& got, const Reading& want) {
    REQUIRE(got.error == want.error);
    REQUIRE(got.blocks.size() == want.blocks.size());
    for (std::size_t k = 0; k < got.blocks.size(); ++k) {
        INFO("block " << k);
        const NormalizedPiece& a = got.blocks[k];
        const NormalizedPiece& b = want.blocks[k];
        REQUIRE(a.text == b.text);
        REQUIRE(a.original_begin == b.original_begin);
        REQUIRE(a.code_points == b.code_points);
        REQUIRE(got.at_end[k] == want.at_end[k]);
        REQUIRE(a.anchors.size() == b.anchors.size());
        for (std::size_t j = 0; j < a.anchors.size(); ++j) {
            REQUIRE(a.anchors[j].normalized == b.anchors[j].normalized);
            REQUIRE(a.anchors[j].original == b.anchors[j].original);
        }
    }
}

// Text with what the block boundaries can split: sequences, CRLF, a BOM, invalid bytes.
std::string random_file(std::mt19937& random, std::size_t size, bool invalid, bool nul) {
    static const std::vector<std::string> pieces = {"plain words ", "\n", "\r\n", "\r", "\xC3\xA9", "\xE2\x80\x9C",
                                                    "\xE6\x97\xA5\xE6\x9C\xAC", "\xF0\x9F\x98\x80"};
    static const std::vector<std::string> bad = {"\xFF", "\x80", "\xE2\x80", "\xED\xA0\x80", "\xF0\x9F\x98"};
    std::string text = random() % 3 == 0 ? "\xEF\xBB\xBF" : "";
    while (text.size() < size) {
        const unsigned pick = random() % 100;
        if (invalid && pick == 0) text += bad[random() % bad.size()];
        else if (nul && pick == 1) text += '\0';
        else if (pick < 10) text += std::string(random() % 500, 'x');
        else text += pieces[random() % pieces.size()];
    }
    return text;
}

}  // namespace

TEST_CASE("FileBlockReader gives the blocks, offsets and errors a copying reader gives (seeded)") {
    TempFolder dir;
    std::mt19937 random(4711);
    for (int round = 0; round < 40; ++round) {
        const std::string raw = random_file(random, random() % 300000, round % 3 != 0, round % 10 == 9);
        const std::string path = dir.write("file" + std::to_string(round) + ".txt", raw);
        for (std::size_t block_bytes : {std::size_t{4096}, std::size_t{4099}, std::size_t{65536}, std::size_t{1} << 20}) {
            for (InvalidUtf8Policy policy : {InvalidUtf8Policy::Replace, InvalidUtf8Policy::Error}) {
                INFO("round " << round << " size " << raw.size() << " block " << block_bytes);
                require_same(read_file(path, block_bytes, policy), read_by_copying(raw, block_bytes, policy));
            }
        }
    }
}

TEST_CASE("an empty file and a BOM alone give one empty block") {
    TempFolder dir;
    for (const std::string raw : {"", "\xEF\xBB\xBF"}) {
        const Reading reading = read_file(dir.write("f.txt", raw), 4096, InvalidUtf8Policy::Error);
        REQUIRE(reading.blocks.size() == 1);
        CHECK(reading.blocks[0].text.empty());
        CHECK(reading.blocks[0].original_begin == raw.size());
        CHECK(reading.at_end[0]);
        require_same(reading, read_by_copying(raw, 4096, InvalidUtf8Policy::Error));
    }
}

// Bug: with blocks smaller than a carried split sequence (4 bytes at most), a block held only the
// carried bytes, which waited again for more: next() returned empty blocks forever.
TEST_CASE("blocks of 0 to 3 bytes still make progress through split sequences and CRLF") {
    TempFolder dir;
    const std::string raw = "a\xF0\x9F\x98\x80" "b\r\n\xE2\x82\xAC\r\r\xC3\xA9\xF0\x9F\x8E\x89";
    const std::string path = dir.write("f.txt", raw);
    for (std::size_t block_bytes = 0; block_bytes <= 3; ++block_bytes) {
        INFO("block " << block_bytes);
        FileBlockReader reader(path, block_bytes, InvalidUtf8Policy::Error);
        NormalizedPiece piece;
        std::string text;
        std::size_t blocks = 0;
        while (blocks <= raw.size() + 1 && reader.next(piece)) {
            text += piece.text;
            ++blocks;
        }
        REQUIRE(blocks <= raw.size() + 1);  // the reader stopped: a byte per block, and an empty last one
        CHECK(text == text_kit::normalize_text(raw));
        CHECK(reader.bytes_read() == raw.size());
    }
}
