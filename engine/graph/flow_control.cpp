#include "flow_control.hpp"

#include <utility>

namespace flowdistill::engine {

void EdgeState::add(std::int64_t records) {
    const std::int64_t now = in_flight.fetch_add(records, std::memory_order_acq_rel) + records;
    std::int64_t peak = peak_in_flight.load(std::memory_order_relaxed);
    while (now > peak && !peak_in_flight.compare_exchange_weak(peak, now, std::memory_order_relaxed)) {
    }
}

void StageGate::connect(std::function<void()> admit_next, std::vector<EdgeState*> outputs, std::int64_t batch_records) {
    admit_next_ = std::move(admit_next);
    outputs_ = std::move(outputs);
    batch_records_ = batch_records;
}

bool StageGate::outputs_have_room() const {
    for (const EdgeState* edge : outputs_)
        if (!edge->has_room_for(batch_records_)) return false;
    return true;
}

void StageGate::release() {
    {
        std::lock_guard lock(mutex_);
        if (!outputs_have_room()) {
            ++parked_;
            return;
        }
    }
    admit_next_();
}

void StageGate::on_room_made() {
    std::size_t admit = 0;
    {
        std::lock_guard lock(mutex_);
        // Every parked credit goes at once when there is room: an admitted input may make no output
        // at all, and then no consumer would ever call back for the credits left parked. The
        // stage's limiter still bounds how many inputs are in the stage.
        if (outputs_have_room()) std::swap(admit, parked_);
    }
    for (std::size_t i = 0; i < admit; ++i) admit_next_();
}

}  // namespace flowdistill::engine
