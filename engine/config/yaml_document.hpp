#pragma once
// A YAML file read into JSON, with the position of every key and value kept by JSON pointer, so
// every later check can say file:line:column. `${VAR}` and `${VAR:-default}` are expanded from the
// environment in scalars as they are read.
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>

#include <flowdistill/record.hpp>

#include "diagnostics.hpp"

namespace flowdistill::engine {

using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;
EnvLookup process_environment();

struct YamlDocument {
    Json root;
    std::string file;                                      // as given, for messages
    std::map<std::string, SourcePosition> key_positions;   // JSON pointer -> where its key is
    std::map<std::string, SourcePosition> value_positions; // JSON pointer -> where its value is

    // Where to point a message about `pointer`: its key if it has one, else its value, else the
    // closest enclosing node that has a position.
    SourcePosition key_at(const std::string& pointer) const;
    SourcePosition value_at(const std::string& pointer) const;
};

// Reads and converts `path`. Syntax errors and unset variables go to `diagnostics`; the result is
// empty when the file could not be read or parsed at all.
std::optional<YamlDocument> load_yaml_document(const std::filesystem::path& path, Diagnostics& diagnostics,
                                               const EnvLookup& env = process_environment());

// Same, for text already in memory (tests, --set values).
std::optional<YamlDocument> parse_yaml_document(const std::string& text, const std::string& file_label,
                                                Diagnostics& diagnostics,
                                                const EnvLookup& env = process_environment());

// Types an unquoted YAML scalar as YAML 1.2's core schema does: null, bool, integer, float, string.
Json typed_scalar(const std::string& text);

// Expands ${VAR} and ${VAR:-default}; an unset variable without default is reported and left as is.
std::string expand_environment(const std::string& text, const EnvLookup& env, const SourcePosition& where,
                               Diagnostics& diagnostics);

std::string json_pointer_append(const std::string& pointer, const std::string& token);
std::string json_pointer_append(const std::string& pointer, std::size_t index);

}  // namespace flowdistill::engine
