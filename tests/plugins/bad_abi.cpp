// A plugin that claims to be built for SDK ABI 99: the loader must refuse it.
#include <flowdistill/flowdistill.hpp>

namespace {
using namespace flowdistill;
ConfigSpec spec() { return {}; }
std::unique_ptr<Stage> create(const ParsedConfig&, PluginContext&) { return nullptr; }
const PluginDescriptor* describe() {
    static PluginDescriptor d = [] {
        PluginDescriptor x;
        x.abi_major = 99;
        x.abi_minor = 0;
        x.name = "test_bad_abi";
        x.kind = PluginKind::Transform;
        x.spec = spec;
        x.create = create;
        return x;
    }();
    return &d;
}
}  // namespace

FLOWDISTILL_PLUGIN(describe)
