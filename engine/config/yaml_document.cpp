#include "yaml_document.hpp"

#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>

#include <yaml-cpp/yaml.h>

namespace flowdistill::engine {
namespace {

SourcePosition position_of(const YAML::Mark& mark, const std::string& file) {
    if (mark.is_null()) return {file, 0, 0};
    return {file, mark.line + 1, mark.column + 1};  // yaml-cpp marks are 0-based
}

class Converter {
public:
    Converter(YamlDocument& doc, const EnvLookup& env, Diagnostics& diagnostics)
        : doc_(doc), env_(env), diagnostics_(diagnostics) {}

    Json convert(const YAML::Node& node, const std::string& pointer) {
        doc_.value_positions[pointer] = position_of(node.Mark(), doc_.file);
        switch (node.Type()) {
            case YAML::NodeType::Null:
            case YAML::NodeType::Undefined: return nullptr;
            case YAML::NodeType::Scalar: return convert_scalar(node, pointer);
            case YAML::NodeType::Sequence: {
                Json list = Json::array();
                std::size_t index = 0;
                for (const auto& item : node) list.push_back(convert(item, json_pointer_append(pointer, index++)));
                return list;
            }
            case YAML::NodeType::Map: return convert_map(node, pointer);
        }
        return nullptr;
    }

private:
    Json convert_scalar(const YAML::Node& node, const std::string& pointer) {
        const std::size_t errors_before = diagnostics_.error_count();
        std::string text = expand_environment(node.Scalar(), env_, doc_.value_positions[pointer], diagnostics_);
        // An unset variable is reported once; the value then counts as absent, not as a second
        // error about the literal "${...}" text.
        if (diagnostics_.error_count() != errors_before) return nullptr;
        // yaml-cpp tags quoted scalars "!" and plain ones "?": only plain scalars get typed.
        if (node.Tag() == "!") return text;
        return typed_scalar(text);
    }

    Json convert_map(const YAML::Node& node, const std::string& pointer) {
        Json object = Json::object();
        for (const auto& entry : node) {
            SourcePosition key_position = position_of(entry.first.Mark(), doc_.file);
            if (!entry.first.IsScalar()) {
                diagnostics_.error(key_position, "a mapping key must be a plain word");
                continue;
            }
            const std::string key = entry.first.Scalar();
            std::string child = json_pointer_append(pointer, key);
            if (object.contains(key)) {
                diagnostics_.error(key_position, "duplicate key '" + key + "' (first given at line " +
                                                     std::to_string(doc_.key_positions[child].line) + ")");
                continue;
            }
            doc_.key_positions[child] = key_position;
            object[key] = convert(entry.second, child);
        }
        return object;
    }

    YamlDocument& doc_;
    const EnvLookup& env_;
    Diagnostics& diagnostics_;
};

SourcePosition nearest_position(const std::map<std::string, SourcePosition>& primary,
                                const std::map<std::string, SourcePosition>& secondary, std::string pointer,
                                const std::string& file) {
    while (true) {
        if (auto it = primary.find(pointer); it != primary.end()) return it->second;
        if (auto it = secondary.find(pointer); it != secondary.end()) return it->second;
        if (pointer.empty()) return {file, 0, 0};
        pointer.erase(pointer.rfind('/'));
    }
}

std::string escape_pointer_token(const std::string& token) {
    std::string out;
    for (char c : token) {
        if (c == '~') out += "~0";
        else if (c == '/') out += "~1";
        else out += c;
    }
    return out;
}

}  // namespace

EnvLookup process_environment() {
    return [](const std::string& name) -> std::optional<std::string> {
        const char* value = std::getenv(name.c_str());
        if (value == nullptr) return std::nullopt;
        return std::string(value);
    };
}

SourcePosition YamlDocument::key_at(const std::string& pointer) const {
    return nearest_position(key_positions, value_positions, pointer, file);
}

SourcePosition YamlDocument::value_at(const std::string& pointer) const {
    return nearest_position(value_positions, key_positions, pointer, file);
}

std::string json_pointer_append(const std::string& pointer, const std::string& token) {
    return pointer + "/" + escape_pointer_token(token);
}

std::string json_pointer_append(const std::string& pointer, std::size_t index) {
    return pointer + "/" + std::to_string(index);
}

Json typed_scalar(const std::string& text) {
    static const std::regex integer(R"([-+]?[0-9]+)");
    static const std::regex number(R"([-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?)");
    if (text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL") return nullptr;
    if (text == "true" || text == "True" || text == "TRUE") return true;
    if (text == "false" || text == "False" || text == "FALSE") return false;
    if (std::regex_match(text, integer)) {
        try { return std::stoll(text); } catch (const std::out_of_range&) { return text; }
    }
    if (std::regex_match(text, number)) return std::stod(text);
    return text;
}

std::string expand_environment(const std::string& text, const EnvLookup& env, const SourcePosition& where,
                               Diagnostics& diagnostics) {
    if (text.find("${") == std::string::npos) return text;
    static const std::regex reference(R"(\$\{([A-Za-z_][A-Za-z0-9_]*)(:-([^}]*))?\})");
    std::string out;
    auto begin = std::sregex_iterator(text.begin(), text.end(), reference);
    std::size_t last = 0;
    for (auto it = begin; it != std::sregex_iterator(); ++it) {
        const auto& match = *it;
        out.append(text, last, static_cast<std::size_t>(match.position()) - last);
        last = static_cast<std::size_t>(match.position() + match.length());
        const std::string name = match[1].str();
        std::optional<std::string> value = env(name);
        if (value && !value->empty()) out += *value;
        else if (match[2].matched) out += match[3].str();
        else {
            diagnostics.error(where, "environment variable " + name + " is not set",
                              "export " + name + "=..., or write ${" + name + ":-default} to give a default");
            out += match.str();
        }
    }
    out.append(text, last);
    return out;
}

std::optional<YamlDocument> parse_yaml_document(const std::string& text, const std::string& file_label,
                                                Diagnostics& diagnostics, const EnvLookup& env) {
    YamlDocument doc;
    doc.file = file_label;
    YAML::Node root;
    try {
        root = YAML::Load(text);
    } catch (const YAML::Exception& e) {
        diagnostics.error(position_of(e.mark, file_label), "YAML syntax: " + e.msg);
        return std::nullopt;
    }
    Converter converter(doc, env, diagnostics);
    doc.root = converter.convert(root, "");
    return doc;
}

std::optional<YamlDocument> load_yaml_document(const std::filesystem::path& path, Diagnostics& diagnostics,
                                               const EnvLookup& env) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        diagnostics.error({path.string(), 0, 0}, "cannot read the pipeline file",
                          "check the path; pipelines shipped with flowdistill are in pipelines/");
        return std::nullopt;
    }
    std::ostringstream text;
    text << in.rdbuf();
    return parse_yaml_document(text.str(), path.string(), diagnostics, env);
}

}  // namespace flowdistill::engine
