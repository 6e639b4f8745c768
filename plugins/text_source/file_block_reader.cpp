#include "file_block_reader.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace text_source {

FileBlockReader::FileBlockReader(const std::string& path, std::size_t block_bytes, text_kit::InvalidUtf8Policy policy)
    : path_(path), normalizer_(policy), buffer_(block_bytes + 8), block_bytes_(block_bytes) {
    fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) throw std::runtime_error("cannot open '" + path + "': " + std::strerror(errno));
#ifdef POSIX_FADV_SEQUENTIAL
    ::posix_fadvise(fd_, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
}

FileBlockReader::~FileBlockReader() {
    if (fd_ >= 0) ::close(fd_);
}

bool FileBlockReader::next(text_kit::NormalizedPiece& piece) {
    piece.clear();
    if (finished_) return false;
    // Fill up to block_bytes after the carried bytes (at most 3 of a split sequence, or a CR).
    std::size_t filled = carried_;
    while (!eof_ && filled < block_bytes_) {
        const ssize_t got = ::read(fd_, buffer_.data() + filled, block_bytes_ - filled);
        if (got < 0) {
            if (errno == EINTR) continue;
            throw std::runtime_error("cannot read '" + path_ + "': " + std::strerror(errno));
        }
        if (got == 0) eof_ = true;
        filled += static_cast<std::size_t>(got);
    }
    const std::size_t consumed =
        normalizer_.normalize(std::string_view(buffer_.data(), filled), file_offset_, eof_, piece);
    carried_ = filled - consumed;
    if (carried_ > 0) std::memmove(buffer_.data(), buffer_.data() + consumed, carried_);
    file_offset_ += consumed;
    if (eof_ && carried_ == 0) finished_ = true;
    return true;
}

}  // namespace text_source
