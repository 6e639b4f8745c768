#pragma once
// Credit-based backpressure. Each edge counts the records its producer emitted and its consumer
// has not finished. A stage admits its next input (the limiter's decrement) only when every one
// of its output edges has room for another batch; otherwise the credit is parked until a consumer
// finishes something. A fast producer therefore stops instead of filling a queue.
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <vector>

namespace flowdistill::engine {

struct EdgeState {
    std::size_t producer = 0;
    std::size_t consumer = 0;
    std::int64_t capacity = 0;
    std::atomic<std::int64_t> in_flight{0};
    std::atomic<std::int64_t> peak_in_flight{0};

    void add(std::int64_t records);
    void remove(std::int64_t records) { in_flight.fetch_sub(records, std::memory_order_acq_rel); }
    bool has_room_for(std::int64_t records) const {
        return in_flight.load(std::memory_order_acquire) + records <= capacity;
    }
};

class StageGate {
public:
    // `admit_next` lets one more input message into the stage (the limiter's decrement port).
    void connect(std::function<void()> admit_next, std::vector<EdgeState*> outputs, std::int64_t batch_records);

    // The stage finished one input message.
    void release();
    // A consumer finished records from one of our output edges.
    void on_room_made();

private:
    bool outputs_have_room() const;

    std::function<void()> admit_next_;
    std::vector<EdgeState*> outputs_;
    std::int64_t batch_records_ = 1;
    std::mutex mutex_;
    std::size_t parked_ = 0;
};

}  // namespace flowdistill::engine
