#pragma once
// The one thing a plugin library exports: its descriptor. A plugin's plugin.cpp holds the
// descriptor, the spec and the factory, and ends with FLOWDISTILL_PLUGIN(describe_function).
#include <cstdint>
#include <memory>

#include <boost/dll/alias.hpp>

#include <flowdistill/config_spec.hpp>
#include <flowdistill/context.hpp>
#include <flowdistill/errors.hpp>
#include <flowdistill/stage.hpp>
#include <flowdistill/version.hpp>

namespace flowdistill {

enum class PluginKind { Source, Transform, Teacher, Validator, Exporter, Launcher };

inline const char* plugin_kind_name(PluginKind kind) {
    switch (kind) {
        case PluginKind::Source: return "source";
        case PluginKind::Transform: return "transform";
        case PluginKind::Teacher: return "teacher";
        case PluginKind::Validator: return "validator";
        case PluginKind::Exporter: return "exporter";
        case PluginKind::Launcher: return "launcher";
    }
    return "?";
}

using StageFactory = std::unique_ptr<Stage> (*)(const ParsedConfig& config, PluginContext& context);
using SpecFunction = ConfigSpec (*)();

// The first three fields never move: the loader reads them before trusting anything else.
struct PluginDescriptor {
    std::uint32_t abi_major = kSdkAbiMajor;
    std::uint32_t abi_minor = kSdkAbiMinor;
    std::uint32_t struct_size = sizeof(PluginDescriptor);
    const char* name = nullptr;      // snake_case, unique among loaded plugins
    PluginKind kind = PluginKind::Transform;
    const char* version = "0.0.0";
    SpecFunction spec = nullptr;
    StageFactory create = nullptr;
};

using DescribeFunction = const PluginDescriptor* ();

}  // namespace flowdistill

// Exports `fn` (a `const flowdistill::PluginDescriptor* fn()`) under the name the loader looks for.
#define FLOWDISTILL_PLUGIN(fn) BOOST_DLL_ALIAS(fn, flowdistill_plugin_descriptor)
