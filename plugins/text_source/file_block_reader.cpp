#include "file_block_reader.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace text_source {

FileBlockReader::FileBlockReader(const std::string& path, std::size_t block_bytes, text_kit::InvalidUtf8Policy policy)
    : path_(path), normalizer_(policy), block_bytes_(block_bytes) {
    fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) throw std::runtime_error("cannot open '" + path + "': " + std::strerror(errno));
#ifdef POSIX_FADV_SEQUENTIAL
    ::posix_fadvise(fd_, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
}

FileBlockReader::~FileBlockReader() {
    if (fd_ >= 0) ::close(fd_);
}

void FileBlockReader::fill(std::string& block) {
    // The string is sized before reading into it. A piece that is reused keeps its size and
    // capacity from the previous block, so this neither allocates nor zero-fills much; the stage
    // moves each block's text into its record, so there every block allocates and zero-fills once.
    // At least one byte more than was carried: the carried bytes (a split sequence, or a CR) wait
    // for the next, so a block of them alone would make no progress, however small block_bytes is.
    const std::size_t want = std::max(block_bytes_, carried_.size() + 1);
    block.resize(want);
    std::memcpy(block.data(), carried_.data(), carried_.size());
    std::size_t filled = carried_.size();
    while (!eof_ && filled < want) {
        const ssize_t got = ::read(fd_, block.data() + filled, want - filled);
        if (got < 0) {
            if (errno == EINTR) continue;
            block.clear();  // as the piece was before it was read into
            throw std::runtime_error("cannot read '" + path_ + "': " + std::strerror(errno));
        }
        if (got == 0) eof_ = true;
        filled += static_cast<std::size_t>(got);
    }
    block.resize(filled);
}

bool FileBlockReader::next(text_kit::NormalizedPiece& piece) {
    if (finished_) {
        piece.clear();
        return false;
    }
    // The block is read straight into the piece and normalised there: clean text, almost all of
    // it, is never copied.
    piece.anchors.clear();
    piece.original_begin = 0;
    piece.code_points = 0;
    fill(piece.text);
    file_offset_ += normalizer_.normalize_in_place(file_offset_, eof_, piece, carried_);
    if (eof_ && carried_.empty()) finished_ = true;
    return true;
}

}  // namespace text_source
