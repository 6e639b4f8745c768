// Rejects every `reject_every`-th record, fans out `copies` records per input, and raises a fatal
// error at record `fatal_at` (-1 = never).
#include <flowdistill/flowdistill.hpp>

namespace {
using namespace flowdistill;

class Faulty final : public Transform {
public:
    explicit Faulty(const ParsedConfig& c)
        : reject_every_(c.get_int("reject_every")), fatal_at_(c.get_int("fatal_at")), copies_(c.get_int("copies")) {}
    void process(Record in, Emitter& out) override {
        const long long n = in.data.value("n", 0LL);
        if (n == fatal_at_) throw FatalError("test fatal error at record " + std::to_string(n));
        if (reject_every_ > 0 && n % reject_every_ == 0) throw ItemError("test reject of " + in.id, "test_reason");
        for (long long k = 1; k < copies_; ++k) {
            Record copy = in;
            copy.id = in.id + "_" + std::to_string(k);
            out.emit(std::move(copy));
        }
        out.emit(std::move(in));
    }

private:
    long long reject_every_, fatal_at_, copies_;
};

ConfigSpec spec() {
    ConfigSpec s;
    s.summary = "test: rejects and fails on demand";
    s.field(integer_field("reject_every").defaults_to(0).describe("reject records whose n is a multiple"))
     .field(integer_field("fatal_at").defaults_to(-1).describe("raise a fatal error at this n"))
     .field(integer_field("copies").defaults_to(1).range(1, 1000).describe("records out per record in"));
    return s;
}
std::unique_ptr<Stage> create(const ParsedConfig& c, PluginContext&) { return std::make_unique<Faulty>(c); }
}  // namespace

FLOWDISTILL_REGISTER_PLUGIN("test_faulty", flowdistill::PluginKind::Transform, "0.0.1", spec, create)
