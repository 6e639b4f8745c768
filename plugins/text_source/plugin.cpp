// text_source: descriptor, config spec and factory. The work is in text_source_stage.cpp.
#include <flowdistill/plugin.hpp>

#include "text_source_stage.hpp"

namespace {

constexpr const char* kExtensions = "extensions";
constexpr const char* kOnInvalidUtf8 = "on_invalid_utf8";
constexpr const char* kBlockSize = "block_size";
constexpr const char* kPaths = "paths";

flowdistill::ConfigSpec text_source_spec() {
    using namespace flowdistill;
    ConfigSpec spec;
    spec.summary = "Reads UTF-8 text and Markdown files (files, folders, globs) as a stream of normalised text blocks";
    spec.description =
        "Reads the run's inputs (the pipeline's `inputs:` list or `--input`, plus `paths`): files, folders "
        "(recursively, sorted by path) and globs. Text is validated as UTF-8, a byte order mark is dropped, CRLF "
        "and CR become LF. A file is read in blocks of `block_size` bytes, so files of any size stream in constant "
        "memory. Empty files and binary files (with NUL bytes) are skipped with a warning and counted as rejects "
        "(`empty_file`, `binary_file`). Emits text blocks for `semantic_chunker` (see docs/chunking.md).";
    spec.stability = Stability::Beta;
    spec.field(string_list_field(kPaths)
                   .describe("Extra inputs (files, folders, globs) read after the run's inputs")
                   .defaults_to(Json::array()));
    spec.field(string_list_field(kExtensions)
                   .describe("File extensions taken from folders; files named directly are always read")
                   .defaults_to(Json::array({".txt", ".md"})));
    spec.field(string_field(kOnInvalidUtf8)
                   .describe("Invalid UTF-8: `error` rejects the file naming the byte offset, `replace` substitutes U+FFFD")
                   .defaults_to("error")
                   .allowed({"error", "replace"}));
    spec.field(integer_field(kBlockSize)
                   .describe("Bytes read per block; bounds the memory each file needs")
                   .defaults_to(65536)
                   .range(4096, 64 * 1024 * 1024)
                   .in_unit("bytes"));
    spec.example =
        "paths: [docs/manuals]\n"
        "extensions: [.txt, .md]\n"
        "on_invalid_utf8: replace\n";
    return spec;
}

std::unique_ptr<flowdistill::Stage> create_text_source(const flowdistill::ParsedConfig& config,
                                                       flowdistill::PluginContext& context) {
    text_source::TextSourceSettings settings;
    settings.inputs = context.inputs();
    for (auto& path : config.get_strings(kPaths)) settings.inputs.push_back(std::move(path));
    if (config.has(kExtensions)) settings.extensions = config.get_strings(kExtensions);
    if (config.has(kOnInvalidUtf8) && config.get_string(kOnInvalidUtf8) == "replace")
        settings.on_invalid_utf8 = text_kit::InvalidUtf8Policy::Replace;
    if (config.has(kBlockSize)) settings.block_bytes = static_cast<std::size_t>(config.get_int(kBlockSize));
    return std::make_unique<text_source::TextSourceStage>(std::move(settings), context);
}

}  // namespace

FLOWDISTILL_REGISTER_PLUGIN("text_source", flowdistill::PluginKind::Source, "0.1.0", text_source_spec, create_text_source)
