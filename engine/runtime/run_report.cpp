#include "run_report.hpp"

#include <cmath>
#include <cstdio>
#include <fstream>

#include <flowdistill/errors.hpp>

#include "runtime/console.hpp"

namespace flowdistill::engine {

const char* run_status_name(RunStatus status) {
    switch (status) {
        case RunStatus::Completed: return "completed";
        case RunStatus::Interrupted: return "interrupted";
        case RunStatus::Failed: return "failed";
        case RunStatus::BudgetExhausted: return "budget_exhausted";
    }
    return "?";
}

namespace {

Json stage_entry(const StageRuntime& stage, const StageContext& context) {
    const PluginKind kind = stage.plan->plugin->kind();
    Json entry = {
        {"id", stage.plan->id},
        {"plugin", stage.plan->plugin->name()},
        {"kind", plugin_kind_name(kind)},
        {"title", stage.plan->title},
        {"received", stage.counters.received.load()},
        {"emitted", stage.counters.emitted.load()},
        {"rejected", stage.counters.rejected.load()},
        {"skipped", stage.counters.skipped.load()},
        {"metrics", context.stage_metrics().counters()},
        {"notes", context.stage_metrics().notes()},
    };
    const BudgetLedger& budget = context.stage_budget();
    entry["cost_usd"] = budget.spent_usd();
    if (std::isfinite(budget.limit_usd())) entry["budget_usd"] = budget.limit_usd();
    entry["budget_exhausted"] = budget.exhausted();
    return entry;
}

// Sums `field` (a top-level count or a metric) over the stages of one kind; null if none ran.
Json sum_over(const Json& stages, const char* kind, const std::string& field, bool metric = false) {
    Json total;
    for (const auto& stage : stages) {
        if (stage["kind"] != kind) continue;
        const Json& source = metric ? stage["metrics"] : stage;
        const double value = source.contains(field) ? source[field].get<double>() : 0.0;
        total = total.is_null() ? value : total.get<double>() + value;
    }
    if (total.is_number() && total.get<double>() == static_cast<double>(static_cast<std::uint64_t>(total.get<double>())))
        return static_cast<std::uint64_t>(total.get<double>());
    return total;
}

Json results_block(const PipelinePlan& plan, const Json& stages, const RejectsWriter& rejects) {
    Json results;
    results["inputs"] = plan.inputs;
    results["input_characters"] = sum_over(stages, "source", "characters", true);
    results["input_files"] = sum_over(stages, "source", "files", true);
    results["chunks"] = sum_over(stages, "teacher", "received");
    results["qa_generated"] = sum_over(stages, "teacher", "emitted");
    results["validated"] = sum_over(stages, "validator", "received");
    results["golden"] = sum_over(stages, "validator", "emitted");
    if (results["validated"].is_number() && results["validated"].get<double>() > 0)
        results["approval_rate"] = results["golden"].get<double>() / results["validated"].get<double>();
    else
        results["approval_rate"] = nullptr;
    double cost = 0, cached = 0, paid = 0;
    Json cost_by_stage = Json::object();
    for (const auto& stage : stages) {
        cost += stage["cost_usd"].get<double>();
        cached += stage["metrics"].value("cached", 0.0);
        paid += stage["metrics"].value("paid", 0.0);
        if (stage.contains("budget_usd") || stage["cost_usd"].get<double>() > 0) cost_by_stage[stage["id"].get<std::string>()] = stage["cost_usd"];
    }
    results["cost_usd"] = cost;
    results["cost_by_stage"] = cost_by_stage;
    results["requests_paid"] = static_cast<std::uint64_t>(paid);
    results["requests_cached"] = static_cast<std::uint64_t>(cached);
    results["rejects"] = {{"total", rejects.total()}, {"by_reason", rejects.counts_by_reason()},
                          {"file", rejects.file().string()}};
    Json outputs = Json::array();
    for (const auto& stage : stages)
        if (stage["notes"].contains("path")) outputs.push_back(stage["notes"]["path"]);
    results["outputs"] = outputs;
    return results;
}

std::string row(const std::string& label, const std::string& value) {
    std::string line = label + ":";
    line.resize(std::max<std::size_t>(line.size() + 1, 18), ' ');
    return line + value + "\n";
}

std::string count_or(const Json& value, const std::string& absent) {
    if (!value.is_number()) return absent;
    return format_count(value.get<std::uint64_t>());
}

}  // namespace

Json build_run_report(const PipelinePlan& plan, const CompiledGraph& graph,
                      const std::vector<std::unique_ptr<StageContext>>& contexts, const RejectsWriter& rejects,
                      const RunFacts& facts) {
    Json stages = Json::array();
    for (const auto& stage : graph.stages()) stages.push_back(stage_entry(*stage, *contexts[stage->index]));
    Json edges = Json::array();
    for (const auto& edge : graph.edges())
        edges.push_back({{"from", plan.stages[edge->producer].id}, {"to", plan.stages[edge->consumer].id},
                         {"capacity", edge->capacity}, {"peak_in_flight", edge->peak_in_flight.load()}});
    Json report = {
        {"pipeline", plan.name},
        {"pipeline_file", plan.file},
        {"status", run_status_name(facts.status)},
        {"started_at", facts.started_at},
        {"duration_s", facts.duration_s},
        {"output_dir", plan.output_dir.string()},
        {"stages", stages},
        {"edges", edges},
        {"services", facts.services},
    };
    if (!facts.failure.empty()) report["failure"] = {{"stage", facts.failed_stage}, {"cause", facts.failure}};
    report["results"] = results_block(plan, stages, rejects);
    if (plan.budget_usd) report["budget_usd"] = *plan.budget_usd;
    return report;
}

std::string format_summary(const Json& report) {
    const Json& r = report["results"];
    const std::string rule(60, '=');
    std::string out = rule + "\nRESULTS (" + report["status"].get<std::string>() + ")\n" + rule + "\n";
    std::string inputs;
    for (const auto& input : r["inputs"]) inputs += (inputs.empty() ? "" : ", ") + input.get<std::string>();
    if (r["input_characters"].is_number())
        inputs += " (" + count_or(r["input_characters"], "?") + " characters, " + count_or(r["input_files"], "?") +
                  (r["input_files"] == 1 ? " file)" : " files)");
    out += row("Input", inputs.empty() ? "(none)" : inputs);
    out += row("Chunks", count_or(r["chunks"], "n/a (no teacher stage)"));
    out += row("Q&A generated", count_or(r["qa_generated"], "n/a (no teacher stage)"));
    out += row("Validated", count_or(r["validated"], "not run (no validator stage)"));
    out += row("Golden approved", count_or(r["golden"], "not run (no validator stage)"));
    if (r["approval_rate"].is_number()) {
        char rate[16];
        std::snprintf(rate, sizeof rate, "%.1f%%", 100.0 * r["approval_rate"].get<double>());
        out += row("Approval rate", rate);
    } else {
        out += row("Approval rate", "n/a");
    }
    out += row("Time", format_duration(report["duration_s"].get<double>()));
    std::string cost = format_usd(r["cost_usd"].get<double>());
    std::string by_stage;
    for (const auto& [stage, usd] : r["cost_by_stage"].items())
        by_stage += (by_stage.empty() ? "" : ", ") + stage + " " + format_usd(usd.get<double>());
    if (!by_stage.empty()) cost += " (" + by_stage + ")";
    cost += "; requests: " + format_count(r["requests_paid"].get<std::uint64_t>()) + " paid, " +
            format_count(r["requests_cached"].get<std::uint64_t>()) + " cached";
    out += row("Cost", cost);
    std::string rejects = format_count(r["rejects"]["total"].get<std::uint64_t>());
    std::string reasons;
    for (const auto& [reason, count] : r["rejects"]["by_reason"].items())
        reasons += (reasons.empty() ? "" : ", ") + reason + ": " + format_count(count.get<std::uint64_t>());
    if (!reasons.empty()) rejects += " (" + reasons + ") in " + r["rejects"]["file"].get<std::string>();
    out += row("Rejects", rejects);
    for (const auto& stage : report["stages"])
        if (stage["budget_exhausted"].get<bool>())
            out += row("Budget", "stage '" + stage["id"].get<std::string>() + "' ran out of budget; later items were not sent");
    if (report.contains("failure"))
        out += row("Failed", "stage '" + report["failure"]["stage"].get<std::string>() + "': " + report["failure"]["cause"].get<std::string>());
    std::string outputs;
    for (const auto& path : r["outputs"]) outputs += (outputs.empty() ? "" : "\n                  ") + path.get<std::string>();
    outputs += (outputs.empty() ? "" : "\n                  ") + (std::filesystem::path(report["output_dir"].get<std::string>()) / "run_report.json").string();
    out += row("Outputs", outputs);
    out += "\nStages:\n";
    for (const auto& stage : report["stages"]) {
        std::string line = "  " + stage["id"].get<std::string>() + " (" + stage["plugin"].get<std::string>() + ")";
        line.resize(std::max<std::size_t>(line.size() + 1, 34), ' ');
        line += format_count(stage["received"].get<std::uint64_t>()) + " in, " +
                format_count(stage["emitted"].get<std::uint64_t>()) + " out, " +
                format_count(stage["rejected"].get<std::uint64_t>()) + " rejected";
        if (stage["skipped"].get<std::uint64_t>() > 0)
            line += ", " + format_count(stage["skipped"].get<std::uint64_t>()) + " not processed (interrupted)";
        out += line + "\n";
    }
    return out;
}

void write_json_atomically(const std::filesystem::path& file, const Json& value) {
    const std::filesystem::path temporary = file.string() + ".tmp";
    {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        out << value.dump(2, ' ', false, Json::error_handler_t::replace) << "\n";
        if (!out) throw FatalError("cannot write " + temporary.string() + " (is the disk full or the folder read-only?)");
    }
    std::error_code ec;
    std::filesystem::rename(temporary, file, ec);
    if (ec) throw FatalError("cannot replace " + file.string() + ": " + ec.message());
}

}  // namespace flowdistill::engine
