// An asynchronous stage without a network: one worker thread completes items after a delay, in
// submission order, and records the most items it ever held at once (set as a metric).
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

#include <flowdistill/flowdistill.hpp>

namespace {
using namespace flowdistill;

class AsyncEcho final : public AsyncTransform {
public:
    AsyncEcho(const ParsedConfig& c, PluginContext& context)
        : delay_(std::chrono::microseconds(c.get_int("delay_us"))), context_(context), worker_([this] { run(); }) {}
    ~AsyncEcho() override {
        {
            std::lock_guard lock(mutex_);
            stopping_ = true;
        }
        wake_.notify_one();
        worker_.join();
    }
    void submit(Record in, std::shared_ptr<AsyncCompletion> done) override {
        std::lock_guard lock(mutex_);
        pending_.push_back({std::chrono::steady_clock::now() + delay_, std::move(in), std::move(done)});
        if (pending_.size() > peak_) {
            context_.metrics().add("peak_pending", static_cast<double>(pending_.size() - peak_));
            peak_ = pending_.size();
        }
        wake_.notify_one();
    }

private:
    struct Item {
        std::chrono::steady_clock::time_point due;
        Record record;
        std::shared_ptr<AsyncCompletion> done;
    };
    void run() {
        std::unique_lock lock(mutex_);
        while (true) {
            if (pending_.empty()) {
                if (stopping_) return;
                wake_.wait(lock);
                continue;
            }
            if (std::chrono::steady_clock::now() < pending_.front().due) {
                wake_.wait_until(lock, pending_.front().due);
                continue;
            }
            Item item = std::move(pending_.front());
            pending_.pop_front();
            lock.unlock();
            item.record.data["echoed"] = true;
            item.done->emit(std::move(item.record));
            item.done->done();
            lock.lock();
        }
    }

    std::chrono::microseconds delay_;
    PluginContext& context_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<Item> pending_;
    std::size_t peak_ = 0;
    bool stopping_ = false;
    std::thread worker_;
};

ConfigSpec spec() {
    ConfigSpec s;
    s.summary = "test: completes items later on another thread";
    s.field(integer_field("delay_us").defaults_to(1000).describe("time until an item completes"));
    return s;
}
std::unique_ptr<Stage> create(const ParsedConfig& c, PluginContext& ctx) { return std::make_unique<AsyncEcho>(c, ctx); }
}  // namespace

FLOWDISTILL_REGISTER_PLUGIN("test_async_echo", flowdistill::PluginKind::Teacher, "0.0.1", spec, create)
