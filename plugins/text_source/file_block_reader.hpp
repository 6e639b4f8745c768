#pragma once
// Reads one file as a sequence of bounded, normalised text blocks, so a file of any size is
// processed in constant memory.
#include <cstdint>
#include <optional>
#include <string>

#include <text_kit/utf8_normalizer.hpp>

namespace text_source {

class FileBlockReader {
public:
    // Throws std::runtime_error when the file cannot be opened.
    FileBlockReader(const std::string& path, std::size_t block_bytes, text_kit::InvalidUtf8Policy policy);
    ~FileBlockReader();
    FileBlockReader(const FileBlockReader&) = delete;
    FileBlockReader& operator=(const FileBlockReader&) = delete;

    // Fills `piece` with the next block (at most block_bytes of raw input, or the carried bytes
    // and one more when block_bytes is smaller, plus what a UTF-8 replacement adds) and returns
    // true; false once the file is exhausted. The last block may be empty. Throws
    // text_kit::TextDecodeError for NUL bytes, and for invalid UTF-8 in Error mode.
    bool next(text_kit::NormalizedPiece& piece);
    bool at_end() const { return finished_; }
    std::uint64_t bytes_read() const { return file_offset_; }

private:
    // Reads into `block` after the carried bytes until it holds block_bytes_ (and at least one byte
    // more than was carried) or the file ends.
    void fill(std::string& block);

    int fd_ = -1;
    std::string path_;
    text_kit::Utf8Normalizer normalizer_;
    std::size_t block_bytes_;
    std::string carried_;             // unconsumed bytes (at most 3 of a split sequence, or a CR)
    std::uint64_t file_offset_ = 0;   // original offset of the first carried byte
    bool eof_ = false;
    bool finished_ = false;
};

}  // namespace text_source
