// An out-of-tree source plugin: emits `count` greetings.
#include <flowdistill/flowdistill.hpp>

namespace {
using namespace flowdistill;

class GreetingSource final : public Source {
public:
    GreetingSource(std::string who, long long count) : who_(std::move(who)), count_(count) {}
    std::optional<Record> next() override {
        if (n_ >= count_) return std::nullopt;
        Record r;
        r.id = "greeting_" + std::to_string(n_++);
        r.data["text"] = "hello, " + who_;
        return r;
    }

private:
    std::string who_;
    long long count_, n_ = 0;
};

ConfigSpec spec() {
    ConfigSpec s;
    s.summary = "Greets someone, a few times.";
    s.field(string_field("who").is_required().describe("Whom to greet."))
     .field(integer_field("count").defaults_to(3).range(0, 1000).describe("How many greetings."));
    return s;
}

std::unique_ptr<Stage> create(const ParsedConfig& config, PluginContext&) {
    return std::make_unique<GreetingSource>(config.get_string("who"), config.get_int("count"));
}

}  // namespace

FLOWDISTILL_REGISTER_PLUGIN("greeting_source", flowdistill::PluginKind::Source, "1.2.3", spec, create)
