// Counts and drops records.
#include <flowdistill/flowdistill.hpp>

namespace {
using namespace flowdistill;

class BenchSink final : public Sink {
public:
    explicit BenchSink(PluginContext& context) : context_(context) {}
    void consume(Record r) override { checksum_ += r.id.size(); }
    void close() override { context_.metrics().add("checksum", static_cast<double>(checksum_)); }

private:
    PluginContext& context_;
    std::size_t checksum_ = 0;
};

ConfigSpec spec() {
    ConfigSpec s;
    s.summary = "bench: drops records";
    return s;
}
std::unique_ptr<Stage> create(const ParsedConfig&, PluginContext& context) { return std::make_unique<BenchSink>(context); }
}  // namespace

FLOWDISTILL_REGISTER_PLUGIN("bench_sink", flowdistill::PluginKind::Exporter, "0.0.1", spec, create)
