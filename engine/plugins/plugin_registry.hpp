#pragma once
// Finds plugin libraries, checks that each one really is a plugin built for this SDK, and keeps
// them loaded. The engine knows plugins only through this registry and their descriptors.
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <boost/dll/shared_library.hpp>

#include <flowdistill/plugin.hpp>

namespace flowdistill::engine {

struct LoadedPlugin {
    const PluginDescriptor* descriptor = nullptr;
    std::filesystem::path file;
    ConfigSpec spec;
    boost::dll::shared_library library;  // keeps the code mapped while the descriptor is used

    const std::string name() const { return descriptor->name; }
    PluginKind kind() const { return descriptor->kind; }
};

// A library that was found but not taken, and why.
struct RefusedLibrary {
    std::filesystem::path file;
    std::string reason;
    bool conflict = false;  // a duplicate plugin name: an error, not just a warning
};

class PluginRegistry {
public:
    // --plugin-path values, then FLOWDISTILL_PLUGIN_PATH (':'-separated), then the folder beside
    // the executable (<prefix>/lib/flowdistill/plugins, the same layout in the build tree).
    static std::vector<std::filesystem::path> search_path(const std::vector<std::string>& extra_dirs);

    void load_directories(const std::vector<std::filesystem::path>& dirs);
    // Loads one library; returns false (and records why) when it is refused.
    bool load_file(const std::filesystem::path& file);

    const LoadedPlugin* find(const std::string& name) const;
    std::vector<const LoadedPlugin*> plugins() const;  // sorted by name
    std::vector<std::string> names() const;
    const std::vector<RefusedLibrary>& refused() const { return refused_; }
    std::vector<std::filesystem::path> searched() const { return searched_; }

private:
    std::map<std::string, LoadedPlugin> plugins_;
    std::vector<RefusedLibrary> refused_;
    std::vector<std::filesystem::path> searched_;
};

// Why a descriptor cannot be used by this engine, or nullopt when it can.
std::optional<std::string> abi_problem(const PluginDescriptor& descriptor);

}  // namespace flowdistill::engine
