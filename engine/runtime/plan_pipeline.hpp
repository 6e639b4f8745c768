#pragma once
// `flowdistill plan`: runs the free stages (reading, chunking) for real and asks each paid stage
// what its inputs would cost, without sending anything; prints requests, tokens, worst-case cost
// and time per stage.
#include <filesystem>

#include "runtime/run_pipeline.hpp"

namespace flowdistill::engine {

int plan_pipeline(const std::filesystem::path& pipeline_file, const RunOptions& options);

}  // namespace flowdistill::engine
