#pragma once
#include <string>

#include "config/pipeline_plan.hpp"

namespace flowdistill::engine {

// The compiled topology as Graphviz DOT: one node per stage (plugin, kind, concurrency), one edge
// per connection labelled with its capacity and rate limit.
std::string graph_to_dot(const PipelinePlan& plan);

}  // namespace flowdistill::engine
