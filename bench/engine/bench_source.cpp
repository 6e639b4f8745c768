// Emits `count` small records.
#include <flowdistill/flowdistill.hpp>

#include "bench_record.hpp"

namespace {
using namespace flowdistill;

class BenchSource final : public Source {
public:
    explicit BenchSource(long long count) : count_(count) {}
    std::optional<Record> next() override {
        if (n_ >= count_) return std::nullopt;
        return make_bench_record(n_++);
    }

private:
    long long count_, n_ = 0;
};

ConfigSpec spec() {
    ConfigSpec s;
    s.summary = "bench: emits small records";
    s.field(integer_field("count").defaults_to(1000000).describe("records to emit"));
    return s;
}
std::unique_ptr<Stage> create(const ParsedConfig& c, PluginContext&) { return std::make_unique<BenchSource>(c.get_int("count")); }
}  // namespace

FLOWDISTILL_REGISTER_PLUGIN("bench_source", flowdistill::PluginKind::Source, "0.0.1", spec, create)
