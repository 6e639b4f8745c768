#pragma once
// `plugins list` and `plugins describe`, rendered from each plugin's one spec.
#include <string>

#include "plugins/plugin_registry.hpp"

namespace flowdistill::engine {

std::string plugin_list_text(const PluginRegistry& registry);
std::string describe_text(const LoadedPlugin& plugin);
std::string describe_markdown(const LoadedPlugin& plugin);
Json describe_json(const LoadedPlugin& plugin);
Json spec_json(const ConfigSpec& spec);
std::string spec_markdown_table(const ConfigSpec& spec);

}  // namespace flowdistill::engine
