// An InPlaceTransform: tags every record it keeps, drops every `drop_every`-th and rejects every
// `reject_every`-th (by the record's n; 0 = never).
#include <flowdistill/flowdistill.hpp>

namespace {
using namespace flowdistill;

class InPlaceTagger final : public InPlaceTransform {
public:
    explicit InPlaceTagger(const ParsedConfig& c)
        : tag_(c.get_string("tag")), drop_every_(c.get_int("drop_every")), reject_every_(c.get_int("reject_every")) {}

    bool update(Record& record) override {
        const long long n = record.data.value("n", 0LL);
        if (reject_every_ > 0 && n % reject_every_ == 0) throw ItemError("test reject of " + record.id, "test_reason");
        if (drop_every_ > 0 && n % drop_every_ == 0) return false;
        record.data["tag"] = tag_;
        return true;
    }

private:
    std::string tag_;
    long long drop_every_, reject_every_;
};

ConfigSpec spec() {
    ConfigSpec s;
    s.summary = "test: tags, drops and rejects records in place";
    s.field(string_field("tag").defaults_to("tagged").describe("value written to data.tag"))
     .field(integer_field("drop_every").defaults_to(0).describe("drop records whose n is a multiple"))
     .field(integer_field("reject_every").defaults_to(0).describe("reject records whose n is a multiple"));
    return s;
}
std::unique_ptr<Stage> create(const ParsedConfig& c, PluginContext&) { return std::make_unique<InPlaceTagger>(c); }
}  // namespace

FLOWDISTILL_REGISTER_PLUGIN("test_in_place_tagger", flowdistill::PluginKind::Transform, "0.0.1", spec, create)
