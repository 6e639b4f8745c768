#pragma once
// A plugin's configuration, declared once. The same spec drives `flowdistill lint`,
// `flowdistill plugins describe` and docs/plugins/<name>.md; plugins never see YAML.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <flowdistill/record.hpp>

namespace flowdistill {

enum class FieldType { String, Integer, Number, Boolean, StringList, Object };

inline const char* field_type_name(FieldType type) {
    switch (type) {
        case FieldType::String: return "string";
        case FieldType::Integer: return "integer";
        case FieldType::Number: return "number";
        case FieldType::Boolean: return "boolean";
        case FieldType::StringList: return "list of strings";
        case FieldType::Object: return "object";
    }
    return "?";
}

struct FieldSpec {
    std::string name;
    FieldType type = FieldType::String;
    std::string doc;
    bool required = false;
    Json default_value;                   // null when there is no default
    std::vector<std::string> one_of;      // allowed values of a string field, empty = any
    std::optional<double> min, max;       // inclusive range of a numeric field
    bool secret = false;                  // never printed; usually the *name* of an env variable
    std::string deprecated;               // non-empty: a deprecation note shown by lint
    std::string unit;                     // "characters", "USD", "seconds", ...

    // Fluent setters so a spec reads like a table.
    FieldSpec& describe(std::string text) { doc = std::move(text); return *this; }
    FieldSpec& is_required() { required = true; return *this; }
    FieldSpec& defaults_to(Json value) { default_value = std::move(value); return *this; }
    FieldSpec& allowed(std::vector<std::string> values) { one_of = std::move(values); return *this; }
    FieldSpec& range(std::optional<double> lo, std::optional<double> hi) { min = lo; max = hi; return *this; }
    FieldSpec& in_unit(std::string u) { unit = std::move(u); return *this; }
    FieldSpec& is_secret() { secret = true; return *this; }
    FieldSpec& deprecate(std::string note) { deprecated = std::move(note); return *this; }
};

inline FieldSpec make_field(std::string name, FieldType type) {
    FieldSpec field;
    field.name = std::move(name);
    field.type = type;
    return field;
}
inline FieldSpec string_field(std::string name) { return make_field(std::move(name), FieldType::String); }
inline FieldSpec integer_field(std::string name) { return make_field(std::move(name), FieldType::Integer); }
inline FieldSpec number_field(std::string name) { return make_field(std::move(name), FieldType::Number); }
inline FieldSpec boolean_field(std::string name) { return make_field(std::move(name), FieldType::Boolean); }
inline FieldSpec string_list_field(std::string name) { return make_field(std::move(name), FieldType::StringList); }
inline FieldSpec object_field(std::string name) { return make_field(std::move(name), FieldType::Object); }

enum class Stability { Stable, Beta, Experimental };

inline const char* stability_name(Stability s) {
    switch (s) {
        case Stability::Stable: return "stable";
        case Stability::Beta: return "beta";
        case Stability::Experimental: return "experimental";
    }
    return "?";
}

struct ConfigSpec {
    std::string summary;                  // one line
    std::string description;              // a paragraph or two, Markdown
    Stability stability = Stability::Beta;
    std::vector<FieldSpec> fields;
    std::string example;                  // a YAML snippet of the stage's `config:` block

    ConfigSpec& field(FieldSpec f) { fields.push_back(std::move(f)); return *this; }

    const FieldSpec* find(const std::string& name) const {
        for (const auto& f : fields)
            if (f.name == name) return &f;
        return nullptr;
    }
};

// The validated, defaults-filled configuration a factory receives. Lint has already checked keys,
// types and ranges against the spec, so the getters only convert.
class ParsedConfig {
public:
    ParsedConfig() = default;
    explicit ParsedConfig(Json values) : values_(std::move(values)) {}

    bool has(const std::string& key) const { return values_.contains(key) && !values_[key].is_null(); }
    std::string get_string(const std::string& key) const { return values_.value(key, std::string{}); }
    long long get_int(const std::string& key) const { return values_.value(key, 0LL); }
    double get_number(const std::string& key) const { return values_.value(key, 0.0); }
    bool get_bool(const std::string& key) const { return values_.value(key, false); }
    std::vector<std::string> get_strings(const std::string& key) const {
        return has(key) ? values_.at(key).get<std::vector<std::string>>() : std::vector<std::string>{};
    }
    const Json& get_json(const std::string& key) const {
        static const Json null_json;
        return has(key) ? values_.at(key) : null_json;
    }
    const Json& all() const { return values_; }

private:
    Json values_ = Json::object();
};

}  // namespace flowdistill
