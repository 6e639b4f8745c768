#include "spec_check.hpp"

#include "did_you_mean.hpp"

namespace flowdistill::engine {
namespace {

bool has_type(const Json& value, FieldType type) {
    switch (type) {
        case FieldType::String: return value.is_string();
        case FieldType::Integer: return value.is_number_integer();
        case FieldType::Number: return value.is_number();
        case FieldType::Boolean: return value.is_boolean();
        case FieldType::StringList:
            if (!value.is_array()) return false;
            for (const auto& item : value)
                if (!item.is_string()) return false;
            return true;
        case FieldType::Object: return value.is_object();
    }
    return false;
}

std::string describe_value(const Json& value) {
    if (value.is_string()) return "the string \"" + value.get<std::string>() + "\"";
    if (value.is_boolean()) return value.get<bool>() ? "true" : "false";
    if (value.is_number()) return "the number " + value.dump();
    if (value.is_array()) return "a list";
    if (value.is_object()) return "a mapping";
    return "nothing";
}

std::string format_bound(double bound) {
    Json number = bound;
    if (bound == static_cast<double>(static_cast<long long>(bound))) number = static_cast<long long>(bound);
    return number.dump();
}

// Returns false when the value cannot be used at all (wrong type); the caller then leaves it out.
bool check_field(const FieldSpec& field, Json& value, const std::string& pointer, const SpecCheckTarget& target,
                 Diagnostics& diagnostics) {
    const SourcePosition where = target.document.value_at(pointer);
    // A single string where a list is expected is a one-item list: `inputs: notes.md`.
    if (field.type == FieldType::StringList && value.is_string()) value = Json::array({value});
    if (!has_type(value, field.type)) {
        diagnostics.error(where, target.label + ": '" + field.name + "' must be " +
                                     (field.type == FieldType::Integer || field.type == FieldType::Object ? "an " : "a ") +
                                     field_type_name(field.type) + ", not " + describe_value(value),
                          field.doc);
        return false;
    }
    if (!field.one_of.empty() && value.is_string()) {
        const auto text = value.get<std::string>();
        if (std::find(field.one_of.begin(), field.one_of.end(), text) == field.one_of.end())
            diagnostics.error(where, target.label + ": '" + field.name + "' cannot be \"" + text + "\"",
                              did_you_mean(text, field.one_of) + "allowed: " + join(field.one_of));
    }
    if (value.is_number()) {
        const double number = value.get<double>();
        const bool too_low = field.min && number < *field.min;
        const bool too_high = field.max && number > *field.max;
        if (too_low || too_high) {
            std::string range = field.min && field.max ? "between " + format_bound(*field.min) + " and " + format_bound(*field.max)
                                : field.min            ? "at least " + format_bound(*field.min)
                                                       : "at most " + format_bound(*field.max);
            diagnostics.error(where, target.label + ": '" + field.name + "' is " + value.dump() + ", must be " + range,
                              field.doc);
        }
    }
    if (!field.deprecated.empty())
        diagnostics.warning(target.document.key_at(pointer),
                            target.label + ": '" + field.name + "' is deprecated", field.deprecated);
    return true;
}

}  // namespace

Json check_against_spec(const Json& value, const ConfigSpec& spec, const SpecCheckTarget& target,
                        Diagnostics& diagnostics) {
    Json result = Json::object();
    if (!value.is_null() && !value.is_object()) {
        diagnostics.error(target.document.value_at(target.pointer),
                          target.label + ": expected a mapping of keys, not " + describe_value(value));
        return result;
    }
    std::vector<std::string> known;
    for (const auto& field : spec.fields) known.push_back(field.name);

    if (value.is_object()) {
        for (const auto& [key, item] : value.items()) {
            const std::string pointer = json_pointer_append(target.pointer, key);
            const FieldSpec* field = spec.find(key);
            if (field == nullptr) {
                std::string hint = did_you_mean(key, known) + "valid keys: " + (known.empty() ? "(none)" : join(known));
                if (!target.describe_hint.empty()) hint += "\n        (" + target.describe_hint + ")";
                diagnostics.error(target.document.key_at(pointer), target.label + ": unknown key '" + key + "'", hint);
                continue;
            }
            Json checked = item;
            if (checked.is_null() && !field->required) continue;  // `key:` with no value = default
            if (check_field(*field, checked, pointer, target, diagnostics)) result[key] = std::move(checked);
        }
    }
    for (const auto& field : spec.fields) {
        if (result.contains(field.name)) continue;
        if (field.required)
            diagnostics.error(target.document.value_at(target.pointer),
                              target.label + ": missing required key '" + field.name + "'", field.doc);
        else if (!field.default_value.is_null())
            result[field.name] = field.default_value;
    }
    return result;
}

}  // namespace flowdistill::engine
