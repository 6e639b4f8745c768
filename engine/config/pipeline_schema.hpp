#pragma once
// The pipeline file's own keys, declared with the same spec types plugins use, so the pipeline
// and every stage are checked (and documented) by one mechanism.
#include <flowdistill/config_spec.hpp>

namespace flowdistill::engine {

const ConfigSpec& pipeline_file_spec();
const ConfigSpec& stage_entry_spec();
const ConfigSpec& rate_limit_spec();

}  // namespace flowdistill::engine
