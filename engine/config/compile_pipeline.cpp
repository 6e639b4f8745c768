#include "compile_pipeline.hpp"

#include <cmath>
#include <functional>
#include <map>
#include <set>

#include "config/did_you_mean.hpp"
#include "config/overrides.hpp"
#include "config/pipeline_schema.hpp"
#include "config/spec_check.hpp"

namespace flowdistill::engine {

StageRole role_of(PluginKind kind) {
    switch (kind) {
        case PluginKind::Source: return StageRole::Source;
        case PluginKind::Exporter: return StageRole::Sink;
        case PluginKind::Launcher: return StageRole::Launcher;
        case PluginKind::Transform:
        case PluginKind::Teacher:
        case PluginKind::Validator: return StageRole::Transform;
    }
    return StageRole::Transform;
}

std::vector<std::size_t> PipelinePlan::consumers_of(std::size_t stage) const {
    std::vector<std::size_t> out;
    for (std::size_t i = 0; i < stages.size(); ++i)
        for (std::size_t input : stages[i].inputs)
            if (input == stage) out.push_back(i);
    return out;
}

namespace {

std::string default_title(PluginKind kind) {
    switch (kind) {
        case PluginKind::Source: return "Load Text";
        case PluginKind::Transform: return "Transform";
        case PluginKind::Teacher: return "Generate Q&A Pairs";
        case PluginKind::Validator: return "Validate Pairs";
        case PluginKind::Exporter: return "Export Dataset";
        case PluginKind::Launcher: return "Launch Fine-tuning";
    }
    return "Stage";
}

bool produces(StageRole role) { return role == StageRole::Source || role == StageRole::Transform; }

LogLevel parse_log_level(const std::string& name) {
    if (name == "debug") return LogLevel::Debug;
    if (name == "warn") return LogLevel::Warn;
    if (name == "error") return LogLevel::Error;
    return LogLevel::Info;
}

std::string default_output_dir(const std::vector<std::string>& inputs) {
    if (inputs.empty()) return "./distilled_output";
    std::filesystem::path first(inputs.front());
    while (!first.empty() && (first.filename().empty() || first.filename() == "." || first.filename().string().find('*') != std::string::npos))
        first = first.parent_path();
    std::string stem = first.stem().string();
    return "./distilled_" + (stem.empty() ? std::string("output") : stem);
}

struct StageDraft {
    StagePlan plan;
    std::string pointer;
    std::vector<std::pair<std::string, SourcePosition>> from;  // named inputs and where each is written
    bool explicit_from = false;
};

class PipelineCompiler {
public:
    PipelineCompiler(const YamlDocument& doc, const PluginRegistry& registry, Diagnostics& diagnostics)
        : doc_(doc), registry_(registry), diagnostics_(diagnostics) {}

    std::optional<PipelinePlan> compile(const CompileOptions& options) {
        if (!doc_.root.is_object()) {
            diagnostics_.error(doc_.value_at(""), "a pipeline file must be a mapping with name, inputs and stages");
            return std::nullopt;
        }
        Json top = doc_.root;
        Json stages = top.contains("stages") ? top["stages"] : Json();
        top.erase("stages");
        const Json checked = check_against_spec(top, pipeline_file_spec(), {doc_, "", "pipeline", ""}, diagnostics_);

        PipelinePlan plan;
        plan.file = doc_.file;
        plan.name = checked.value("name", std::string{});
        plan.description = checked.value("description", std::string{});
        plan.inputs = options.inputs.empty() ? checked.value("inputs", std::vector<std::string>{}) : options.inputs;
        plan.output_dir = options.output_dir ? *options.output_dir
                                             : checked.value("output_dir", default_output_dir(plan.inputs));
        if (checked.contains("budget_usd")) plan.budget_usd = checked["budget_usd"].get<double>();
        plan.batch_size = checked.value("batch_size", 64ULL);
        plan.log_level = parse_log_level(checked.value("log_level", std::string("info")));
        plan.fingerprint = doc_.root.dump();

        read_stages(stages);
        resolve_edges();
        order_stages(plan);
        if (diagnostics_.has_errors()) return std::nullopt;
        return plan;
    }

private:
    void read_stages(const Json& stages) {
        if (!stages.is_array() || stages.empty()) {
            diagnostics_.error(doc_.key_at("/stages"), "pipeline: 'stages' must be a non-empty list of stages",
                               "each stage has at least an id and a plugin; see docs/pipeline-reference.md");
            return;
        }
        std::map<std::string, SourcePosition> seen;
        for (std::size_t i = 0; i < stages.size(); ++i) {
            const std::string pointer = json_pointer_append("", std::string("stages")) + "/" + std::to_string(i);
            const std::string fallback_label = "stage #" + std::to_string(i + 1);
            const std::string id = stages[i].is_object() ? stages[i].value("id", std::string{}) : std::string{};
            const Json entry = check_against_spec(stages[i], stage_entry_spec(),
                                                  {doc_, pointer, id.empty() ? fallback_label : "stage '" + id + "'", ""},
                                                  diagnostics_);
            StageDraft draft;
            draft.pointer = pointer;
            draft.plan.id = id;
            draft.plan.where = doc_.value_at(pointer);
            if (!id.empty()) {
                if (auto it = seen.find(id); it != seen.end())
                    diagnostics_.error(doc_.value_at(pointer + "/id"), "duplicate stage id '" + id + "'",
                                       "also used at " + format_position(it->second) + "; ids must be unique");
                else
                    seen[id] = doc_.value_at(pointer + "/id");
            }
            read_stage_entry(entry, draft);
            drafts_.push_back(std::move(draft));
        }
    }

    void read_stage_entry(const Json& entry, StageDraft& draft) {
        StagePlan& stage = draft.plan;
        const std::string label = "stage '" + stage.id + "'";
        stage.concurrency = static_cast<int>(entry.value("concurrency", 0LL));
        stage.capacity = entry.value("capacity", 256ULL);
        if (entry.contains("budget_usd")) stage.budget_usd = entry["budget_usd"].get<double>();
        if (entry.contains("rate_limit")) {
            const Json limit = check_against_spec(entry["rate_limit"], rate_limit_spec(),
                                                  {doc_, draft.pointer + "/rate_limit", label + " rate_limit", ""}, diagnostics_);
            if (limit.contains("rate")) {
                const double per_second = limit["rate"].get<double>() / (limit.value("per", std::string("second")) == "minute" ? 60.0 : 1.0);
                const double burst = limit.contains("burst") ? limit["burst"].get<double>() : std::max(1.0, std::ceil(per_second));
                stage.rate_limit = RateLimit{per_second, burst};
            }
        }
        if (entry.contains("from")) {
            draft.explicit_from = true;
            const auto names = entry["from"].get<std::vector<std::string>>();
            for (std::size_t k = 0; k < names.size(); ++k) {
                // `from: a` has no list item of its own: point at the value itself then.
                const std::string list = draft.pointer + "/from";
                const std::string item = json_pointer_append(list, k);
                draft.from.emplace_back(names[k], doc_.value_at(doc_.value_positions.count(item) ? item : list));
            }
        }
        read_plugin(entry, draft);
    }

    void read_plugin(const Json& entry, StageDraft& draft) {
        StagePlan& stage = draft.plan;
        const std::string plugin_name = entry.value("plugin", std::string{});
        if (plugin_name.empty()) return;  // already reported as missing
        stage.plugin = registry_.find(plugin_name);
        if (stage.plugin == nullptr) {
            std::string hint = did_you_mean(plugin_name, registry_.names()) + "installed: " + join(registry_.names());
            for (const auto& refused : registry_.refused())
                hint += "\n        (refused: " + refused.file.string() + " " + refused.reason + ")";
            diagnostics_.error(doc_.value_at(draft.pointer + "/plugin"),
                               "stage '" + stage.id + "': unknown plugin '" + plugin_name + "'", hint);
            return;
        }
        stage.role = role_of(stage.plugin->kind());
        stage.title = entry.value("title", default_title(stage.plugin->kind()));
        const std::string label = "stage '" + stage.id + "' (" + plugin_name + ")";
        const Json config = entry.contains("config") ? entry["config"] : Json();
        stage.config = ParsedConfig(check_against_spec(config, stage.plugin->spec,
            {doc_, draft.pointer + "/config", label, "see: flowdistill plugins describe " + plugin_name}, diagnostics_));
    }

    void resolve_edges() {
        std::map<std::string, std::size_t> index_of;
        std::vector<std::string> ids;
        for (std::size_t i = 0; i < drafts_.size(); ++i) {
            index_of.emplace(drafts_[i].plan.id, i);
            ids.push_back(drafts_[i].plan.id);
        }
        std::optional<std::size_t> previous_producer;
        for (std::size_t i = 0; i < drafts_.size(); ++i) {
            StageDraft& draft = drafts_[i];
            StagePlan& stage = draft.plan;
            const bool known = stage.plugin != nullptr;
            if (draft.explicit_from) {
                for (const auto& [name, where] : draft.from) {
                    auto it = index_of.find(name);
                    if (it == index_of.end()) {
                        diagnostics_.error(where, "stage '" + stage.id + "': 'from' names no stage '" + name + "'",
                                           did_you_mean(name, ids) + "stages: " + join(ids));
                    } else if (it->second == i) {
                        diagnostics_.error(where, "stage '" + stage.id + "' reads from itself");
                    } else if (drafts_[it->second].plan.plugin && !produces(drafts_[it->second].plan.role)) {
                        diagnostics_.error(where, "stage '" + stage.id + "': 'from' names '" + name +
                                                      "', which produces no records (its kind is " +
                                                      plugin_kind_name(drafts_[it->second].plan.plugin->kind()) + ")");
                    } else {
                        stage.inputs.push_back(it->second);
                    }
                }
            } else if (known && stage.role != StageRole::Source && stage.role != StageRole::Launcher && previous_producer) {
                stage.inputs.push_back(*previous_producer);
            }
            if (known) check_stage_shape(draft);
            // A stage whose plugin is unknown has been reported already; taking it as a producer
            // keeps the stages after it from reporting a second, misleading "no input".
            if (!known || produces(stage.role)) previous_producer = i;
        }
    }

    void check_stage_shape(const StageDraft& draft) {
        const StagePlan& stage = draft.plan;
        const SourcePosition where = doc_.value_at(draft.pointer + "/plugin");
        if (stage.role == StageRole::Source && draft.explicit_from)
            diagnostics_.error(doc_.key_at(draft.pointer + "/from"), "stage '" + stage.id + "' is a source and reads no other stage",
                               "remove its 'from'");
        if ((stage.role == StageRole::Transform || stage.role == StageRole::Sink) && stage.inputs.empty() && !draft.explicit_from)
            diagnostics_.error(where, "stage '" + stage.id + "' has no input",
                               "put a source stage before it, or name its inputs with 'from'");
        if (stage.role == StageRole::Launcher && draft.explicit_from)
            diagnostics_.error(doc_.key_at(draft.pointer + "/from"), "stage '" + stage.id + "' is a launcher; it runs after the sinks and reads no stage");
    }

    // Kahn's algorithm, taking the earliest ready stage first so file order is kept where it can be.
    void order_stages(PipelinePlan& plan) {
        const std::size_t n = drafts_.size();
        std::vector<std::size_t> pending_inputs(n);
        for (std::size_t i = 0; i < n; ++i) pending_inputs[i] = drafts_[i].plan.inputs.size();
        std::set<std::size_t> ready;
        for (std::size_t i = 0; i < n; ++i)
            if (pending_inputs[i] == 0) ready.insert(i);
        std::vector<std::size_t> order;
        while (!ready.empty()) {
            std::size_t next = *ready.begin();
            ready.erase(ready.begin());
            order.push_back(next);
            for (std::size_t j = 0; j < n; ++j)
                for (std::size_t input : drafts_[j].plan.inputs)
                    if (input == next && --pending_inputs[j] == 0) ready.insert(j);
        }
        if (order.size() != n) {
            std::vector<std::string> cycle;
            std::optional<SourcePosition> where;
            for (std::size_t i = 0; i < n; ++i)
                if (pending_inputs[i] > 0) {
                    cycle.push_back(drafts_[i].plan.id);
                    if (!where) where = doc_.key_at(drafts_[i].pointer + "/from");
                }
            diagnostics_.error(*where, "the stages " + join(cycle) + " form a cycle",
                               "a pipeline must be a directed acyclic graph; remove one of their 'from' entries");
            return;
        }
        std::vector<std::size_t> new_index(n);
        for (std::size_t k = 0; k < n; ++k) new_index[order[k]] = k;
        for (std::size_t k = 0; k < n; ++k) {
            StagePlan stage = drafts_[order[k]].plan;
            for (auto& input : stage.inputs) input = new_index[input];
            plan.stages.push_back(std::move(stage));
        }
    }

    const YamlDocument& doc_;
    const PluginRegistry& registry_;
    Diagnostics& diagnostics_;
    std::vector<StageDraft> drafts_;
};

}  // namespace

std::optional<PipelinePlan> compile_document(YamlDocument document, const PluginRegistry& registry,
                                             const CompileOptions& options, Diagnostics& diagnostics) {
    for (const auto& assignment : options.overrides) apply_override(document, assignment, diagnostics);
    return PipelineCompiler(document, registry, diagnostics).compile(options);
}

std::optional<PipelinePlan> compile_pipeline(const std::filesystem::path& file, const PluginRegistry& registry,
                                             const CompileOptions& options, Diagnostics& diagnostics) {
    auto document = load_yaml_document(file, diagnostics, options.env);
    if (!document) return std::nullopt;
    return compile_document(std::move(*document), registry, options, diagnostics);
}

}  // namespace flowdistill::engine
