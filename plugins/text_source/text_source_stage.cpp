#include "text_source_stage.hpp"

#include <filesystem>
#include <system_error>

#include <flowdistill/errors.hpp>
#include <text_kit/text_block.hpp>

#include "input_expansion.hpp"

namespace text_source {

TextSourceStage::TextSourceStage(TextSourceSettings settings, flowdistill::PluginContext& context)
    : settings_(std::move(settings)), context_(context) {}

void TextSourceStage::start() {
    if (expanded_) return;
    auto expanded = expand_inputs(settings_.inputs, settings_.extensions);
    files_ = std::move(expanded.files);
    problems_ = std::move(expanded.problems);
    expanded_ = true;
    if (settings_.inputs.empty())
        context_.logger().warn("text_source: no inputs: list files or folders under the pipeline's `inputs:` or pass --input");
}

void TextSourceStage::reject_current(const std::string& cause, const std::string& reason) {
    const std::string path = files_[file_index_];
    reader_.reset();
    throw flowdistill::ItemError(path + ": " + cause, reason);
}

void TextSourceStage::open_next_file() {
    file_index_ = next_file_++;
    block_index_ = 0;
    const std::string& path = files_[file_index_];
    std::error_code ec;
    const auto size = std::filesystem::file_size(path, ec);
    if (!ec && size == 0) {
        context_.logger().warn("text_source: skipping empty file " + path);
        throw flowdistill::ItemError(path + ": the file is empty; nothing to chunk", "empty_file");
    }
    try {
        reader_ = std::make_unique<FileBlockReader>(path, settings_.block_bytes, settings_.on_invalid_utf8);
    } catch (const std::runtime_error& e) {
        throw flowdistill::ItemError(e.what(), "unreadable_file");
    }
    context_.metrics().add("files", 1);
}

std::optional<flowdistill::Record> TextSourceStage::next() {
    if (!expanded_) start();
    if (!problems_.empty()) {
        // Reported one at a time so each missing input is counted in rejects.jsonl.
        const std::string problem = problems_.back();
        problems_.pop_back();
        context_.logger().warn("text_source: " + problem);
        throw flowdistill::ItemError(problem, "missing_input");
    }
    if (!reader_) {
        if (next_file_ >= files_.size()) return std::nullopt;
        open_next_file();
    }
    try {
        if (!reader_->next(piece_)) {
            reader_.reset();
            return next();
        }
    } catch (const text_kit::TextDecodeError& e) {
        if (e.kind() == text_kit::TextDecodeError::Kind::NulByte) {
            context_.logger().warn("text_source: skipping binary file " + files_[file_index_] + " (" + e.what() + ")");
            reject_current(e.what(), "binary_file");
        }
        reject_current(e.what(), "invalid_utf8");
    } catch (const std::runtime_error& e) {
        reject_current(e.what(), "unreadable_file");
    }

    const bool last = reader_->at_end();
    if (block_index_ == 0 && last && piece_.text.empty()) {
        // Only a byte order mark: as empty as a zero-byte file.
        reader_.reset();
        context_.logger().warn("text_source: skipping empty file " + files_[file_index_]);
        throw flowdistill::ItemError(files_[file_index_] + ": the file holds no text; nothing to chunk", "empty_file");
    }
    context_.metrics().add("characters", static_cast<double>(piece_.code_points));

    text_kit::TextBlock block;
    block.source = files_[file_index_];
    block.file_index = file_index_;
    block.block_index = block_index_++;
    block.text = std::move(piece_.text);
    block.original_begin = piece_.original_begin;
    block.anchors = std::move(piece_.anchors);
    block.last = last;
    if (last) reader_.reset();
    return text_kit::block_to_record(std::move(block));
}

}  // namespace text_source
