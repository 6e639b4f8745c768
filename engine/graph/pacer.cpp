#include "pacer.hpp"

namespace flowdistill::engine {

Pacer::Pacer() : thread_([this] { loop(); }) {}

Pacer::~Pacer() { stop(); }

void Pacer::at(Clock::time_point when, std::function<void()> action) {
    {
        std::lock_guard lock(mutex_);
        entries_.push(Entry{when, next_order_++, std::move(action)});
    }
    wake_.notify_one();
}

void Pacer::stop() {
    {
        std::lock_guard lock(mutex_);
        if (stopping_) return;
        stopping_ = true;
    }
    wake_.notify_one();
    if (thread_.joinable()) thread_.join();
}

void Pacer::loop() {
    std::unique_lock lock(mutex_);
    while (true) {
        if (entries_.empty()) {
            if (stopping_) return;
            wake_.wait(lock);
            continue;
        }
        const auto when = entries_.top().when;
        if (!stopping_ && Clock::now() < when) {
            wake_.wait_until(lock, when);
            continue;
        }
        auto action = std::move(const_cast<Entry&>(entries_.top()).action);
        entries_.pop();
        lock.unlock();
        action();
        lock.lock();
    }
}

}  // namespace flowdistill::engine
