// Emits `count` small records (0 = until stopped), as fast as it is asked.
#include <flowdistill/flowdistill.hpp>

namespace {
using namespace flowdistill;

class CounterSource final : public Source {
public:
    explicit CounterSource(long long count) : count_(count) {}
    std::optional<Record> next() override {
        if (count_ > 0 && n_ >= count_) return std::nullopt;
        Record r;
        r.id = "r" + std::to_string(n_);
        r.data["n"] = n_++;
        return r;
    }

private:
    long long count_;
    long long n_ = 0;
};

ConfigSpec spec() {
    ConfigSpec s;
    s.summary = "test: counts";
    s.field(integer_field("count").defaults_to(10).range(0, std::nullopt).describe("records to emit; 0 = endless"));
    return s;
}
std::unique_ptr<Stage> create(const ParsedConfig& c, PluginContext&) { return std::make_unique<CounterSource>(c.get_int("count")); }
}  // namespace

FLOWDISTILL_REGISTER_PLUGIN("test_counter_source", flowdistill::PluginKind::Source, "0.0.1", spec, create)
