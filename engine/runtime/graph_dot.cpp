#include "graph_dot.hpp"

#include <cstdio>

namespace flowdistill::engine {
namespace {

std::string quoted(const std::string& text) {
    std::string out = "\"";
    for (char c : text) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + "\"";
}

std::string rate_text(const RateLimit& limit) {
    char text[64];
    if (limit.per_second < 1) std::snprintf(text, sizeof text, "%g/min, burst %g", limit.per_second * 60, limit.burst);
    else std::snprintf(text, sizeof text, "%g/s, burst %g", limit.per_second, limit.burst);
    return text;
}

const char* shape_of(StageRole role) {
    switch (role) {
        case StageRole::Source: return "invhouse";
        case StageRole::Transform: return "box";
        case StageRole::Sink: return "house";
        case StageRole::Launcher: return "octagon";
    }
    return "box";
}

}  // namespace

std::string graph_to_dot(const PipelinePlan& plan) {
    std::string out = "digraph " + quoted(plan.name) + " {\n  rankdir=LR;\n  node [fontname=\"Helvetica\"];\n";
    for (const auto& stage : plan.stages) {
        std::string label = stage.id + "\\n" + stage.plugin->name() + " (" + plugin_kind_name(stage.plugin->kind()) + ")";
        if (stage.concurrency > 0) label += "\\nconcurrency " + std::to_string(stage.concurrency);
        if (stage.budget_usd) {
            char budget[32];
            std::snprintf(budget, sizeof budget, "\\nbudget $%.2f", *stage.budget_usd);
            label += budget;
        }
        out += "  " + quoted(stage.id) + " [shape=" + shape_of(stage.role) + ", label=\"" + label + "\"];\n";
    }
    for (const auto& stage : plan.stages)
        for (std::size_t input : stage.inputs) {
            std::string label = "capacity " + std::to_string(stage.capacity);
            if (stage.rate_limit) label += "\\n" + rate_text(*stage.rate_limit);
            out += "  " + quoted(plan.stages[input].id) + " -> " + quoted(stage.id) + " [label=\"" + label + "\"];\n";
        }
    // Launchers run once the sinks have finished.
    for (const auto& launcher : plan.stages) {
        if (launcher.role != StageRole::Launcher) continue;
        for (const auto& sink : plan.stages)
            if (sink.role == StageRole::Sink)
                out += "  " + quoted(sink.id) + " -> " + quoted(launcher.id) + " [style=dashed, label=\"after close\"];\n";
    }
    return out + "}\n";
}

}  // namespace flowdistill::engine
