#pragma once
// `--set stages.generate.config.model=deepseek-chat`: dotted paths into the pipeline, where a
// segment after `stages` names a stage by id (or index).
#include <string>

#include "diagnostics.hpp"
#include "yaml_document.hpp"

namespace flowdistill::engine {

void apply_override(YamlDocument& document, const std::string& assignment, Diagnostics& diagnostics);

}  // namespace flowdistill::engine
