#include "jsonl_sink.hpp"

#include <algorithm>
#include <system_error>

#include "jsonl_lines.hpp"

namespace flowdistill::jsonl {

JsonlSink::JsonlSink(JsonlSettings settings, PluginContext& context)
    : settings_(std::move(settings)), context_(context), path_(context.output_dir() / settings_.file) {
    temp_path_ = path_.parent_path() / ("." + path_.filename().string() + ".tmp");
}

JsonlSink::~JsonlSink() {
    // Never closed (the run was torn down): leave the previous golden file as it was.
    if (settings_.format == Format::Golden && file_.is_open()) {
        try {
            file_.close();
        } catch (const FatalError&) {
        }
        std::error_code ignored;
        std::filesystem::remove(temp_path_, ignored);
    }
}

void JsonlSink::start() { open_output(); }

// Opening at start() makes an unwritable output directory stop the run before anything is paid for.
void JsonlSink::open_output() {
    if (opened_) return;
    opened_ = true;
    file_.open(settings_.format == Format::Golden ? temp_path_ : path_);
    context_.metrics().set_note("path", path_.string());
}

void JsonlSink::consume(Record record) {
    open_output();
    if (settings_.format == Format::Golden) {
        golden_lines_.emplace_back(record.id, golden_line(record));
        return;
    }
    file_.write(record_line(record) + "\n");
    context_.metrics().add("written", 1);
}

void JsonlSink::close() {
    if (closed_) return;
    closed_ = true;
    open_output();
    if (settings_.format == Format::Golden) {
        write_golden();
        return;
    }
    file_.sync();
    file_.close();
}

void JsonlSink::write_golden() {
    // Sorting by id (the line breaks ties between records sharing an id) makes the file the same
    // whatever order the pairs arrived in.
    std::sort(golden_lines_.begin(), golden_lines_.end());
    std::string contents;
    for (const auto& [id, line] : golden_lines_) {
        contents += line;
        contents += '\n';
    }
    try {
        file_.write(contents);
        file_.sync();
        file_.close();
        replace_file(temp_path_, path_);
    } catch (const FatalError&) {
        std::error_code ignored;
        std::filesystem::remove(temp_path_, ignored);
        throw;
    }
    context_.metrics().add("written", static_cast<double>(golden_lines_.size()));
}

}  // namespace flowdistill::jsonl
