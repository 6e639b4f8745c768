#include "rejects_writer.hpp"

#include <cerrno>
#include <cstring>

#include <flowdistill/errors.hpp>

namespace flowdistill::engine {

RejectsWriter::RejectsWriter(std::filesystem::path file) : file_(std::move(file)) {
    // Appending keeps the rejects of an interrupted run next to those of its resumption.
    out_ = std::fopen(file_.c_str(), "a");
    if (out_ == nullptr)
        throw FatalError("cannot write " + file_.string() + ": " + std::strerror(errno) +
                         " (choose a writable --output-dir)");
}

RejectsWriter::~RejectsWriter() {
    if (out_ != nullptr) std::fclose(out_);
}

void RejectsWriter::write(const std::string& stage, const std::string& plugin, const Record& item,
                          const std::string& reason, const std::string& cause, const Json& detail) {
    Json line = {{"stage", stage}, {"plugin", plugin}, {"item", item.id}, {"reason", reason}, {"cause", cause}};
    if (!item.provenance.source.empty()) line["source"] = item.provenance.source;
    if (!detail.is_null()) line["detail"] = detail;
    const std::string text = line.dump(-1, ' ', false, Json::error_handler_t::replace) + "\n";
    std::lock_guard lock(mutex_);
    ++counts_[reason];
    std::fwrite(text.data(), 1, text.size(), out_);
    std::fflush(out_);
}

std::map<std::string, std::uint64_t> RejectsWriter::counts_by_reason() const {
    std::lock_guard lock(mutex_);
    return counts_;
}

std::uint64_t RejectsWriter::total() const {
    std::lock_guard lock(mutex_);
    std::uint64_t sum = 0;
    for (const auto& [reason, count] : counts_) sum += count;
    return sum;
}

}  // namespace flowdistill::engine
