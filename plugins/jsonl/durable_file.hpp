#pragma once
// A file written with plain write(2) calls, so every line is in the kernel as soon as it is
// written (nothing sits in a user-space buffer when the process dies), and synced on demand.
// Every failure is a flowdistill::FatalError that names the file and says what to check.
#include <filesystem>
#include <string_view>

namespace flowdistill::jsonl {

class DurableFile {
public:
    DurableFile() = default;
    DurableFile(const DurableFile&) = delete;
    DurableFile& operator=(const DurableFile&) = delete;
    ~DurableFile();

    // Creates missing parent directories; an existing file is truncated.
    void open(const std::filesystem::path& path);
    void write(std::string_view bytes);
    void sync();   // fsync: the bytes survive a power cut
    void close();  // without a sync; throws if the kernel reports a deferred write error
    bool is_open() const { return fd_ >= 0; }
    const std::filesystem::path& path() const { return path_; }

private:
    int fd_ = -1;
    std::filesystem::path path_;
};

// rename(2) `from` over `to` (atomic within one file system), then syncs the directory so the
// new name survives a power cut too.
void replace_file(const std::filesystem::path& from, const std::filesystem::path& to);

}  // namespace flowdistill::jsonl
