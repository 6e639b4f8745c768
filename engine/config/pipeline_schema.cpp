#include "pipeline_schema.hpp"

namespace flowdistill::engine {

const ConfigSpec& pipeline_file_spec() {
    static const ConfigSpec spec = [] {
        ConfigSpec s;
        s.summary = "A pipeline: inputs, stages and budgets.";
        s.field(string_field("name").is_required().describe("The pipeline's name, shown in banners and reports."))
         .field(string_field("description").describe("One line saying what the pipeline makes."))
         .field(string_list_field("inputs").describe(
             "Files, globs or folders to read; `--input` on the command line replaces them."))
         .field(string_field("output_dir").describe(
             "Where outputs, rejects.jsonl, run_report.json and the run store go. "
             "Default: ./distilled_<stem of the first input>."))
         .field(number_field("budget_usd").range(0, std::nullopt).in_unit("USD").describe(
             "The whole run's spending limit; no request that could pass it is started."))
         .field(integer_field("batch_size").defaults_to(64).range(1, 65536).in_unit("records").describe(
             "How many records travel together between local stages (network stages take one at a time)."))
         .field(string_field("log_level").defaults_to("info").allowed({"debug", "info", "warn", "error"})
             .describe("The least important log messages shown."));
        // `stages` (a required, non-empty list of stage entries) is checked by compile_pipeline.
        return s;
    }();
    return spec;
}

const ConfigSpec& stage_entry_spec() {
    static const ConfigSpec spec = [] {
        ConfigSpec s;
        s.summary = "One stage of a pipeline.";
        s.field(string_field("id").is_required().describe("A unique name for the stage, used by `from:` and `--set`."))
         .field(string_field("plugin").is_required().describe("The plugin that does the work (`flowdistill plugins list`)."))
         .field(string_field("title").describe("The stage's banner, e.g. \"Generate Q&A Pairs\". Default: from the plugin's kind."))
         .field(object_field("config").describe("The plugin's own keys (`flowdistill plugins describe NAME`)."))
         .field(string_list_field("from").describe(
             "The stages whose output this stage reads. Default: the closest earlier stage that produces records."))
         .field(integer_field("concurrency").range(1, 4096).describe(
             "How many items the stage works on at once. Default: 1 for serial stages, else the number of cores."))
         .field(integer_field("capacity").defaults_to(256).range(1, 1 << 20).in_unit("records").describe(
             "The most items in flight on the stage's input edge; a full edge holds back the stage before it."))
         .field(object_field("rate_limit").describe(
             "A token bucket on the input edge: {rate: N, per: second|minute, burst: N}."))
         .field(number_field("budget_usd").range(0, std::nullopt).in_unit("USD").describe(
             "This stage's spending limit, inside the run's."));
        return s;
    }();
    return spec;
}

const ConfigSpec& rate_limit_spec() {
    static const ConfigSpec spec = [] {
        ConfigSpec s;
        s.field(number_field("rate").is_required().range(1e-6, std::nullopt).describe("Items per `per`."))
         .field(string_field("per").defaults_to("second").allowed({"second", "minute"}).describe("The rate's time unit."))
         .field(integer_field("burst").range(1, 1 << 20).describe(
             "Items that may pass at once after a pause. Default: one second's worth, at least 1."));
        return s;
    }();
    return spec;
}

}  // namespace flowdistill::engine
