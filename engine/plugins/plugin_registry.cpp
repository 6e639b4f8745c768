#include "plugin_registry.hpp"

#include <algorithm>
#include <cstdlib>
#include <sstream>

#include <boost/dll/runtime_symbol_info.hpp>

namespace flowdistill::engine {
namespace {

constexpr const char* kDescriptorSymbol = "flowdistill_plugin_descriptor";

std::string version_text(std::uint32_t major, std::uint32_t minor) {
    return std::to_string(major) + "." + std::to_string(minor);
}

std::vector<std::filesystem::path> split_path_list(const std::string& text) {
    std::vector<std::filesystem::path> out;
    std::stringstream stream(text);
    std::string item;
    while (std::getline(stream, item, ':'))
        if (!item.empty()) out.emplace_back(item);
    return out;
}

}  // namespace

std::optional<std::string> abi_problem(const PluginDescriptor& d) {
    const std::string engine_version = version_text(kSdkAbiMajor, kSdkAbiMinor);
    const std::string plugin_version = version_text(d.abi_major, d.abi_minor);
    if (d.abi_major != kSdkAbiMajor)
        return "built for SDK ABI " + plugin_version + ", this flowdistill has ABI " + engine_version +
               " (major versions must match): rebuild the plugin against this SDK";
    if (d.abi_minor > kSdkAbiMinor)
        return "built for SDK ABI " + plugin_version + ", newer than this flowdistill's " + engine_version +
               ": upgrade flowdistill or rebuild the plugin against this SDK";
    if (d.struct_size > sizeof(PluginDescriptor))
        return "its descriptor is " + std::to_string(d.struct_size) + " bytes, larger than the " +
               std::to_string(sizeof(PluginDescriptor)) + " this flowdistill knows: rebuild the plugin against this SDK";
    if (d.name == nullptr || *d.name == '\0') return "its descriptor has no name";
    if (d.spec == nullptr || d.create == nullptr) return "its descriptor has no spec or no factory";
    return std::nullopt;
}

std::vector<std::filesystem::path> PluginRegistry::search_path(const std::vector<std::string>& extra_dirs) {
    std::vector<std::filesystem::path> dirs(extra_dirs.begin(), extra_dirs.end());
    if (const char* env = std::getenv("FLOWDISTILL_PLUGIN_PATH")) {
        auto from_env = split_path_list(env);
        dirs.insert(dirs.end(), from_env.begin(), from_env.end());
    }
    const std::filesystem::path exe_dir = boost::dll::program_location().parent_path();
    dirs.push_back(exe_dir.parent_path() / "lib" / "flowdistill" / "plugins");
    return dirs;
}

void PluginRegistry::load_directories(const std::vector<std::filesystem::path>& dirs) {
    for (const auto& dir : dirs) {
        std::error_code ec;
        if (!std::filesystem::is_directory(dir, ec)) continue;
        auto canonical = std::filesystem::weakly_canonical(dir, ec);
        if (std::find(searched_.begin(), searched_.end(), canonical) != searched_.end()) continue;
        searched_.push_back(canonical);
        std::vector<std::filesystem::path> files;
        for (const auto& entry : std::filesystem::directory_iterator(dir, ec))
            if (entry.is_regular_file() && entry.path().extension() == ".so") files.push_back(entry.path());
        std::sort(files.begin(), files.end());
        for (const auto& file : files) load_file(file);
    }
}

bool PluginRegistry::load_file(const std::filesystem::path& file) {
    boost::dll::shared_library library;
    std::error_code ec;
    library.load(file, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local, ec);
    if (ec) {
        refused_.push_back({file, "cannot be loaded: " + ec.message()});
        return false;
    }
    if (!library.has(kDescriptorSymbol)) {
        refused_.push_back({file, std::string("is not a flowdistill plugin: it does not export ") + kDescriptorSymbol +
                                      " (build it with flowdistill_add_plugin and FLOWDISTILL_PLUGIN)"});
        return false;
    }
    // BOOST_DLL_ALIAS exports a pointer to the function under the alias name.
    auto describe = library.get_alias<DescribeFunction>(kDescriptorSymbol);
    const PluginDescriptor* descriptor = describe();
    if (descriptor == nullptr) {
        refused_.push_back({file, "its descriptor function returned nothing"});
        return false;
    }
    if (auto problem = abi_problem(*descriptor)) {
        refused_.push_back({file, "is refused: " + *problem});
        return false;
    }
    const std::string name = descriptor->name;
    if (auto existing = plugins_.find(name); existing != plugins_.end()) {
        // The first one found wins the search order; a second copy is a configuration mistake.
        refused_.push_back({file, "defines plugin '" + name + "', already loaded from " + existing->second.file.string() +
                                      ": remove one of them or take one folder off the plugin path", true});
        return false;
    }
    LoadedPlugin plugin{descriptor, file, descriptor->spec(), std::move(library)};
    plugins_.emplace(name, std::move(plugin));
    return true;
}

const LoadedPlugin* PluginRegistry::find(const std::string& name) const {
    auto it = plugins_.find(name);
    return it == plugins_.end() ? nullptr : &it->second;
}

std::vector<const LoadedPlugin*> PluginRegistry::plugins() const {
    std::vector<const LoadedPlugin*> out;
    for (const auto& [name, plugin] : plugins_) out.push_back(&plugin);
    return out;
}

std::vector<std::string> PluginRegistry::names() const {
    std::vector<std::string> out;
    for (const auto& [name, plugin] : plugins_) out.push_back(name);
    return out;
}

}  // namespace flowdistill::engine
