#pragma once
// rejects.jsonl: one line per item a stage could not process, written as it happens and flushed,
// so a crash loses none of them.
#include <cstdio>
#include <filesystem>
#include <map>
#include <mutex>
#include <string>

#include <flowdistill/record.hpp>

namespace flowdistill::engine {

class RejectsWriter {
public:
    explicit RejectsWriter(std::filesystem::path file);  // throws FatalError when it cannot be opened
    ~RejectsWriter();
    RejectsWriter(const RejectsWriter&) = delete;
    RejectsWriter& operator=(const RejectsWriter&) = delete;

    void write(const std::string& stage, const std::string& plugin, const Record& item, const std::string& reason,
               const std::string& cause, const Json& detail);

    std::map<std::string, std::uint64_t> counts_by_reason() const;
    std::uint64_t total() const;
    const std::filesystem::path& file() const { return file_; }

private:
    std::filesystem::path file_;
    std::FILE* out_ = nullptr;
    mutable std::mutex mutex_;
    std::map<std::string, std::uint64_t> counts_;
};

}  // namespace flowdistill::engine
