#pragma once
// The one thing a plugin library exports: its descriptor. A plugin's plugin.cpp holds the spec
// and the factory, and ends with FLOWDISTILL_REGISTER_PLUGIN(...).
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

// A descriptor for the SDK this plugin is compiled against.
inline PluginDescriptor make_descriptor(const char* name, PluginKind kind, const char* version, SpecFunction spec,
                                        StageFactory create) {
    PluginDescriptor descriptor;
    descriptor.name = name;
    descriptor.kind = kind;
    descriptor.version = version;
    descriptor.spec = spec;
    descriptor.create = create;
    return descriptor;
}

}  // namespace flowdistill

// Exports `fn` (a `const flowdistill::PluginDescriptor* fn()`) under the name the loader looks for.
#define FLOWDISTILL_PLUGIN(fn) BOOST_DLL_ALIAS(fn, flowdistill_plugin_descriptor)

// The one registration point of a plugin, at the end of its plugin.cpp:
//   FLOWDISTILL_REGISTER_PLUGIN("word_counter", flowdistill::PluginKind::Transform, "1.0.0", spec, create)
#define FLOWDISTILL_REGISTER_PLUGIN(name, kind, version, spec, create)                                      \
    namespace {                                                                                             \
    const ::flowdistill::PluginDescriptor* flowdistill_describe_this_plugin() {                             \
        static const ::flowdistill::PluginDescriptor descriptor =                                           \
            ::flowdistill::make_descriptor(name, kind, version, spec, create);                              \
        return &descriptor;                                                                                 \
    }                                                                                                       \
    }                                                                                                       \
    FLOWDISTILL_PLUGIN(flowdistill_describe_this_plugin)
