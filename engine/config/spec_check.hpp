#pragma once
// Checks one YAML object against a ConfigSpec: unknown keys (with "did you mean"), missing
// required keys, types, allowed values, ranges and deprecations, and fills in defaults.
#include <string>

#include <flowdistill/config_spec.hpp>

#include "diagnostics.hpp"
#include "yaml_document.hpp"

namespace flowdistill::engine {

struct SpecCheckTarget {
    const YamlDocument& document;
    std::string pointer;      // JSON pointer of the object being checked ("" = document root)
    std::string label;        // message prefix, e.g. "stage 'generate' (openai_chat)"
    std::string describe_hint;  // e.g. "see: flowdistill plugins describe openai_chat"
};

// Returns the object with defaults filled in. `value` may be null (no block given).
Json check_against_spec(const Json& value, const ConfigSpec& spec, const SpecCheckTarget& target,
                        Diagnostics& diagnostics);

}  // namespace flowdistill::engine
