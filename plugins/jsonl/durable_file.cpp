#include "durable_file.hpp"

#include <cerrno>
#include <cstring>
#include <string>
#include <system_error>

#include <fcntl.h>
#include <unistd.h>

#include <flowdistill/errors.hpp>

namespace flowdistill::jsonl {
namespace {

[[noreturn]] void fail(const std::string& action, const std::filesystem::path& path, int error) {
    throw FatalError("jsonl: cannot " + action + " '" + path.string() + "': " + std::strerror(error) +
                     "; check that the output directory exists and is writable and that the disk has space "
                     "(set output_dir in the pipeline or --output-dir)");
}

}  // namespace

DurableFile::~DurableFile() {
    if (fd_ >= 0) ::close(fd_);
}

void DurableFile::open(const std::filesystem::path& path) {
    path_ = path;
    if (path.has_parent_path()) {
        std::error_code error;
        std::filesystem::create_directories(path.parent_path(), error);
        if (error) fail("create the directory of", path, error.value());
    }
    fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd_ < 0) fail("open", path, errno);
}

void DurableFile::write(std::string_view bytes) {
    while (!bytes.empty()) {
        const ssize_t written = ::write(fd_, bytes.data(), bytes.size());
        if (written < 0) {
            if (errno == EINTR) continue;
            fail("write to", path_, errno);
        }
        bytes.remove_prefix(static_cast<std::size_t>(written));
    }
}

void DurableFile::sync() {
    // EINVAL: a pipe or device (/dev/stdout) that has nothing to sync.
    if (::fsync(fd_) != 0 && errno != EINVAL) fail("sync", path_, errno);
}

void DurableFile::close() {
    if (fd_ < 0) return;
    const int result = ::close(fd_);
    fd_ = -1;
    if (result != 0 && errno != EINTR) fail("close", path_, errno);
}

void replace_file(const std::filesystem::path& from, const std::filesystem::path& to) {
    if (std::rename(from.c_str(), to.c_str()) != 0) fail("rename '" + from.string() + "' to", to, errno);
    const auto directory = to.has_parent_path() ? to.parent_path() : std::filesystem::path(".");
    const int fd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return;  // the rename itself has happened; only its durability is unconfirmed
    const int result = ::fsync(fd);
    const int error = errno;
    ::close(fd);
    if (result != 0 && error != EINVAL) fail("sync the directory of", to, error);
}

}  // namespace flowdistill::jsonl
