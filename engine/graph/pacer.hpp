#pragma once
// One thread that runs callbacks at given times: rate-limited edges hand it items instead of
// sleeping on a TBB worker.
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <queue>
#include <thread>
#include <vector>

namespace flowdistill::engine {

class Pacer {
public:
    using Clock = std::chrono::steady_clock;

    Pacer();
    ~Pacer();
    Pacer(const Pacer&) = delete;
    Pacer& operator=(const Pacer&) = delete;

    void at(Clock::time_point when, std::function<void()> action);
    // Runs everything still waiting now, then stops the thread.
    void stop();

private:
    struct Entry {
        Clock::time_point when;
        std::uint64_t order;
        std::function<void()> action;
        bool operator>(const Entry& other) const {
            return when != other.when ? when > other.when : order > other.order;
        }
    };
    void loop();

    std::mutex mutex_;
    std::condition_variable wake_;
    std::priority_queue<Entry, std::vector<Entry>, std::greater<>> entries_;
    std::uint64_t next_order_ = 0;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace flowdistill::engine
