#include "plugin_docs.hpp"

#include <cstdio>

namespace flowdistill::engine {
namespace {

std::string padded(std::string text, std::size_t width) {
    text.resize(std::max(text.size() + 1, width), ' ');
    return text;
}

std::string type_text(const FieldSpec& field) {
    std::string text = field_type_name(field.type);
    if (!field.unit.empty()) text += ", " + field.unit;
    return text;
}

std::string default_text(const FieldSpec& field) {
    if (field.required) return "required";
    if (field.default_value.is_null()) return "-";
    return field.default_value.dump();
}

std::string number_text(double value) {
    if (value == static_cast<double>(static_cast<long long>(value))) return std::to_string(static_cast<long long>(value));
    return Json(value).dump();
}

std::string limits_text(const FieldSpec& field) {
    std::string text;
    if (!field.one_of.empty()) {
        text = "one of: ";
        for (std::size_t i = 0; i < field.one_of.size(); ++i) text += (i ? ", " : "") + field.one_of[i];
    }
    if (field.min || field.max) {
        const std::string range = field.min && field.max ? "range " + number_text(*field.min) + " .. " + number_text(*field.max)
                                  : field.min            ? "at least " + number_text(*field.min)
                                                         : "at most " + number_text(*field.max);
        text += (text.empty() ? "" : "; ") + range;
    }
    if (field.secret) text += (text.empty() ? "" : "; ") + std::string("secret");
    if (!field.deprecated.empty()) text += std::string(text.empty() ? "" : "; ") + "deprecated: " + field.deprecated;
    return text;
}

}  // namespace

std::string plugin_list_text(const PluginRegistry& registry) {
    std::string out = padded("NAME", 22) + padded("KIND", 11) + padded("VERSION", 9) + "FILE\n";
    for (const LoadedPlugin* plugin : registry.plugins())
        out += padded(plugin->name(), 22) + padded(plugin_kind_name(plugin->kind()), 11) +
               padded(plugin->descriptor->version, 9) + plugin->file.string() + "\n";
    for (const auto& refused : registry.refused()) out += "refused: " + refused.file.string() + " " + refused.reason + "\n";
    return out;
}

Json spec_json(const ConfigSpec& spec) {
    Json fields = Json::array();
    for (const auto& field : spec.fields) {
        Json entry = {{"name", field.name}, {"type", field_type_name(field.type)}, {"required", field.required},
                      {"doc", field.doc}, {"secret", field.secret}};
        if (!field.default_value.is_null()) entry["default"] = field.default_value;
        if (!field.one_of.empty()) entry["one_of"] = field.one_of;
        if (field.min) entry["min"] = *field.min;
        if (field.max) entry["max"] = *field.max;
        if (!field.unit.empty()) entry["unit"] = field.unit;
        if (!field.deprecated.empty()) entry["deprecated"] = field.deprecated;
        fields.push_back(entry);
    }
    return {{"summary", spec.summary}, {"description", spec.description}, {"stability", stability_name(spec.stability)},
            {"fields", fields}, {"example", spec.example}};
}

Json describe_json(const LoadedPlugin& plugin) {
    Json out = spec_json(plugin.spec);
    out["name"] = plugin.name();
    out["kind"] = plugin_kind_name(plugin.kind());
    out["version"] = plugin.descriptor->version;
    out["file"] = plugin.file.string();
    return out;
}

std::string describe_text(const LoadedPlugin& plugin) {
    const ConfigSpec& spec = plugin.spec;
    std::string out = plugin.name() + " (" + plugin_kind_name(plugin.kind()) + ", version " + plugin.descriptor->version +
                      ", " + stability_name(spec.stability) + ")\n  " + spec.summary + "\n";
    if (!spec.description.empty()) out += "\n" + spec.description + "\n";
    out += "\nConfig keys:\n";
    if (spec.fields.empty()) out += "  (none)\n";
    for (const auto& field : spec.fields) {
        out += "  " + padded(field.name, 22) + padded(type_text(field), 24) + "default: " + default_text(field) + "\n";
        if (!field.doc.empty()) out += "      " + field.doc + "\n";
        if (const auto limits = limits_text(field); !limits.empty()) out += "      " + limits + "\n";
    }
    if (!spec.example.empty()) out += "\nExample:\n" + spec.example + (spec.example.back() == '\n' ? "" : "\n");
    out += "\nFile: " + plugin.file.string() + "\n";
    return out;
}

std::string spec_markdown_table(const ConfigSpec& spec) {
    std::string out = "| key | type | default | description |\n|---|---|---|---|\n";
    for (const auto& field : spec.fields) {
        std::string doc = field.doc;
        if (const auto limits = limits_text(field); !limits.empty()) doc += (doc.empty() ? "" : " ") + ("(" + limits + ")");
        std::string escaped;
        for (char c : doc) escaped += c == '|' ? std::string("\\|") : std::string(1, c);
        out += "| `" + field.name + "` | " + type_text(field) + " | `" + default_text(field) + "` | " + escaped + " |\n";
    }
    return out;
}

std::string describe_markdown(const LoadedPlugin& plugin) {
    const ConfigSpec& spec = plugin.spec;
    std::string out = "# `" + plugin.name() + "`\n\n";
    out += "<!-- generated by `flowdistill plugins describe " + plugin.name() + " --markdown`; do not edit -->\n\n";
    out += std::string("Kind: ") + plugin_kind_name(plugin.kind()) + " · version " + plugin.descriptor->version + " · " +
           stability_name(spec.stability) + "\n\n" + spec.summary + "\n\n";
    if (!spec.description.empty()) out += spec.description + "\n\n";
    out += "## Config\n\n" + (spec.fields.empty() ? std::string("No keys.\n") : spec_markdown_table(spec));
    if (!spec.example.empty()) out += "\n## Example\n\n```yaml\n" + spec.example + (spec.example.back() == '\n' ? "" : "\n") + "```\n";
    return out;
}

}  // namespace flowdistill::engine
