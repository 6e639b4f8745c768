// Consumes records slowly (a busy stage, not a test's synchronisation), writes their ids to a
// file, and can signal a pipe once it has taken `signal_after` records.
#include <chrono>
#include <cstdio>
#include <thread>
#include <unistd.h>

#include <flowdistill/flowdistill.hpp>

namespace {
using namespace flowdistill;

class SlowSink final : public Sink {
public:
    SlowSink(const ParsedConfig& c, PluginContext& context)
        : delay_(c.get_int("delay_us")), signal_after_(c.get_int("signal_after")), signal_fd_(c.get_int("signal_fd")),
          path_(context.output_dir() / c.get_string("file")) {
        out_ = std::fopen(path_.c_str(), "w");
        if (!out_) throw FatalError("cannot open " + path_.string());
        context.metrics().set_note("path", path_.string());
    }
    ~SlowSink() override { if (out_) std::fclose(out_); }
    void consume(Record r) override {
        if (delay_ > 0) std::this_thread::sleep_for(std::chrono::microseconds(delay_));
        std::fprintf(out_, "%s\n", r.id.c_str());
        if (++taken_ == signal_after_ && signal_fd_ >= 0) {
            std::fflush(out_);
            [[maybe_unused]] auto n = ::write(static_cast<int>(signal_fd_), "x", 1);
        }
    }
    void close() override { std::fflush(out_); }

private:
    long long delay_, signal_after_, signal_fd_;
    std::filesystem::path path_;
    std::FILE* out_ = nullptr;
    long long taken_ = 0;
};

ConfigSpec spec() {
    ConfigSpec s;
    s.summary = "test: a slow sink";
    s.field(integer_field("delay_us").defaults_to(0).describe("busy time per record"))
     .field(string_field("file").defaults_to("sink.txt").describe("output file in the output dir"))
     .field(integer_field("signal_after").defaults_to(0).describe("write a byte to signal_fd after this many records"))
     .field(integer_field("signal_fd").defaults_to(-1).describe("an inherited pipe's write end"));
    return s;
}
std::unique_ptr<Stage> create(const ParsedConfig& c, PluginContext& ctx) { return std::make_unique<SlowSink>(c, ctx); }
}  // namespace

FLOWDISTILL_REGISTER_PLUGIN("test_slow_sink", flowdistill::PluginKind::Exporter, "0.0.1", spec, create)
