#pragma once
// One line per test plugin's descriptor.
#include <flowdistill/flowdistill.hpp>

#define FD_TEST_DESCRIPTOR(function, plugin_name, plugin_kind, spec_function, create_function) \
    const flowdistill::PluginDescriptor* function() {                                          \
        static flowdistill::PluginDescriptor d = [] {                                         \
            flowdistill::PluginDescriptor x;                                                  \
            x.name = plugin_name;                                                             \
            x.kind = plugin_kind;                                                             \
            x.version = "0.0.1";                                                              \
            x.spec = spec_function;                                                           \
            x.create = create_function;                                                       \
            return x;                                                                         \
        }();                                                                                  \
        return &d;                                                                            \
    }
