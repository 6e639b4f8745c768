// Passes each record on through the generic Transform interface (process + emit), to measure the
// engine's per-record cost for stages that cannot use the in-place fast path.
#include <flowdistill/flowdistill.hpp>

namespace {
using namespace flowdistill;

class BenchPass final : public Transform {
public:
    void process(Record input, Emitter& out) override { out.emit(std::move(input)); }
};

ConfigSpec spec() {
    ConfigSpec s;
    s.summary = "bench: passes records on with process() and emit()";
    return s;
}
std::unique_ptr<Stage> create(const ParsedConfig&, PluginContext&) { return std::make_unique<BenchPass>(); }
}  // namespace

FLOWDISTILL_REGISTER_PLUGIN("bench_pass", flowdistill::PluginKind::Transform, "0.0.1", spec, create)
