// jsonl: descriptor, spec and factory.
#include <memory>

#include <flowdistill/flowdistill.hpp>

#include "jsonl_sink.hpp"

namespace {

using namespace flowdistill;

constexpr const char* kFile = "file";
constexpr const char* kFormat = "format";

ConfigSpec jsonl_spec() {
    ConfigSpec spec;
    spec.summary = "Writes records as JSON Lines: the golden fine-tuning dataset, or every record as it arrives";
    spec.description =
        "`format: golden` (the default) writes one object per Q&A pair with the fields `instruction`, "
        "`input` (always \"\"), `output`, `reasoning`, `difficulty` and `source` (the chunk id), in that "
        "order. The pairs are sorted by record id, so the same input gives the same file, and the file "
        "appears whole at the end of the run (temporary file, fsync, rename): a reader never sees half "
        "of it, and an interrupted run leaves the previous file in place. Records that are not Q&A pairs "
        "are rejected.\n\n"
        "`format: records` writes each record as it arrives (its `id`, then its data fields), one "
        "write per line, so a crash loses nothing already written; the file is synced at the end.\n\n"
        "Text is written as UTF-8, never as `\\u` escapes. A file that cannot be created or written "
        "(unwritable directory, full disk) stops the run with an error naming the file.";
    spec.stability = Stability::Beta;
    spec.field(string_field(kFile)
                   .describe("File to write, relative to the run's output directory")
                   .defaults_to("golden_dataset.jsonl"));
    spec.field(string_field(kFormat)
                   .describe("golden: sorted instruction/output pairs, written atomically at the end; "
                             "records: every record as it arrives")
                   .defaults_to("golden")
                   .allowed({"golden", "records"}));
    spec.example = "file: golden_dataset.jsonl\nformat: golden\n";
    return spec;
}

std::unique_ptr<Stage> create_jsonl(const ParsedConfig& config, PluginContext& context) {
    jsonl::JsonlSettings settings;
    if (config.has(kFile)) settings.file = config.get_string(kFile);
    if (config.has(kFormat) && config.get_string(kFormat) == "records") settings.format = jsonl::Format::Records;
    return std::make_unique<jsonl::JsonlSink>(settings, context);
}

}  // namespace

FLOWDISTILL_REGISTER_PLUGIN("jsonl", flowdistill::PluginKind::Exporter, "0.1.0", jsonl_spec, create_jsonl)
