#include "overrides.hpp"

#include <sstream>
#include <vector>

#include "did_you_mean.hpp"

namespace flowdistill::engine {
namespace {

std::vector<std::string> split_dots(const std::string& path) {
    std::vector<std::string> parts;
    std::stringstream stream(path);
    std::string part;
    while (std::getline(stream, part, '.')) parts.push_back(part);
    return parts;
}

// The index of the stage named `segment` (an id, or a number).
std::optional<std::size_t> stage_index(const Json& stages, const std::string& segment) {
    for (std::size_t i = 0; i < stages.size(); ++i)
        if (stages[i].is_object() && stages[i].value("id", Json()).is_string() && stages[i]["id"] == segment) return i;
    if (!segment.empty() && segment.find_first_not_of("0123456789") == std::string::npos) {
        std::size_t index = std::stoul(segment);
        if (index < stages.size()) return index;
    }
    return std::nullopt;
}

std::vector<std::string> stage_ids(const Json& stages) {
    std::vector<std::string> ids;
    for (const auto& stage : stages)
        if (stage.is_object() && stage.value("id", Json()).is_string()) ids.push_back(stage["id"]);
    return ids;
}

}  // namespace

void apply_override(YamlDocument& document, const std::string& assignment, Diagnostics& diagnostics) {
    const SourcePosition where{"--set " + assignment, 0, 0};
    const auto equals = assignment.find('=');
    if (equals == std::string::npos || equals == 0) {
        diagnostics.error(where, "expected KEY=VALUE", "e.g. --set stages.generate.config.model=deepseek-chat");
        return;
    }
    const auto parts = split_dots(assignment.substr(0, equals));
    Json* node = &document.root;
    std::string pointer;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        const std::string& part = parts[i];
        const bool last = i + 1 == parts.size();
        if (node->is_array()) {
            auto index = stage_index(*node, part);
            if (!index) {
                diagnostics.error(where, "no stage '" + part + "'",
                                  did_you_mean(part, stage_ids(*node)) + "stages: " + join(stage_ids(*node)));
                return;
            }
            node = &(*node)[*index];
            pointer = json_pointer_append(pointer, *index);
            continue;
        }
        if (node->is_null()) *node = Json::object();
        if (!node->is_object()) {
            diagnostics.error(where, "'" + part + "' is inside a value that is not a mapping");
            return;
        }
        pointer = json_pointer_append(pointer, part);
        if (last) {
            (*node)[part] = typed_scalar(assignment.substr(equals + 1));
            document.key_positions[pointer] = where;
            document.value_positions[pointer] = where;
            return;
        }
        node = &(*node)[part];
    }
}

}  // namespace flowdistill::engine
