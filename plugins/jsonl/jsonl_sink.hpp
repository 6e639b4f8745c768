#pragma once
// The jsonl exporter. `golden` buffers the pairs and, at close(), writes them sorted by record id
// to a temporary file in the same directory, syncs it and renames it over the target, so readers
// see the old file or the whole new one, never a part. `records` writes each record as it
// arrives, one write per line, so a crash loses nothing already consumed.
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include <flowdistill/flowdistill.hpp>

#include "durable_file.hpp"

namespace flowdistill::jsonl {

enum class Format { Golden, Records };

struct JsonlSettings {
    std::string file = "golden_dataset.jsonl";  // relative to the run's output directory
    Format format = Format::Golden;
};

class JsonlSink final : public Sink {
public:
    JsonlSink(JsonlSettings settings, PluginContext& context);
    ~JsonlSink() override;

    void start() override;
    void consume(Record record) override;
    void close() override;

    const std::filesystem::path& path() const { return path_; }

private:
    void open_output();
    void write_golden();

    JsonlSettings settings_;
    PluginContext& context_;
    std::filesystem::path path_;
    std::filesystem::path temp_path_;
    DurableFile file_;
    std::vector<std::pair<std::string, std::string>> golden_lines_;  // (record id, line)
    bool opened_ = false;
    bool closed_ = false;
};

}  // namespace flowdistill::jsonl
