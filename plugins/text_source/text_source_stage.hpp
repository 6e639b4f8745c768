#pragma once
// The text_source stage: reads the run's input files in order and emits text blocks.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <flowdistill/context.hpp>
#include <flowdistill/stage.hpp>
#include <text_kit/utf8_normalizer.hpp>

#include "file_block_reader.hpp"

namespace text_source {

struct TextSourceSettings {
    std::vector<std::string> inputs;      // files, folders, globs
    std::vector<std::string> extensions{".txt", ".md"};
    text_kit::InvalidUtf8Policy on_invalid_utf8 = text_kit::InvalidUtf8Policy::Error;
    std::size_t block_bytes = 64 * 1024;
};

class TextSourceStage final : public flowdistill::Source {
public:
    TextSourceStage(TextSourceSettings settings, flowdistill::PluginContext& context);
    void start() override;
    std::optional<flowdistill::Record> next() override;

private:
    void open_next_file();
    [[noreturn]] void reject_current(const std::string& cause, const std::string& reason);

    TextSourceSettings settings_;
    flowdistill::PluginContext& context_;
    std::vector<std::string> files_;
    std::vector<std::string> problems_;
    bool expanded_ = false;
    std::size_t next_file_ = 0;   // index into files_ of the next file to open
    std::size_t file_index_ = 0;  // index of the open file (valid while reader_ is set)
    std::uint64_t block_index_ = 0;
    std::unique_ptr<FileBlockReader> reader_;
    text_kit::NormalizedPiece piece_;
};

}  // namespace text_source
