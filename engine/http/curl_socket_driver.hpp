#pragma once
// Drives a libcurl multi handle through its socket API over epoll. Each turn acts only on the
// sockets that became ready and on the transfers whose timers expired, so a turn costs what the
// active transfers cost. curl_multi_perform + curl_multi_poll instead visit every transfer and
// hand every socket to poll() on each wake-up: with 512 transfers in flight that was half the
// client's CPU time (perf: do_sys_poll, sock_poll, tcp_poll and curl's per-handle walk).
#include <chrono>
#include <optional>
#include <vector>

#include <curl/curl.h>
#include <sys/epoll.h>

namespace flowdistill::engine {

class CurlSocketDriver {
public:
    using Clock = std::chrono::steady_clock;

    // Installs the multi's socket and timer callbacks; curl_multi_cleanup still calls them, so
    // the multi must be cleaned up before the driver goes.
    explicit CurlSocketDriver(CURLM* multi);
    ~CurlSocketDriver();
    CurlSocketDriver(const CurlSocketDriver&) = delete;
    CurlSocketDriver& operator=(const CurlSocketDriver&) = delete;

    // Blocks until a socket is ready, curl's own timer is due, wake() is called, or timeout_ms
    // (-1: no limit of the caller's) has passed. A wake() made after it returns ends the next one.
    void wait(int timeout_ms);
    // Lets curl act on what the last wait() found ready and on its expired timers; transfers that
    // finish show up in curl_multi_info_read.
    void act();
    // Thread-safe: ends the current or the next wait() at once.
    void wake();

private:
    static int on_socket(CURL* easy, curl_socket_t socket, int what, void* self, void* socket_data);
    static int on_timer(CURLM* multi, long timeout_ms, void* self);
    void watch(curl_socket_t socket, int what, bool known);
    int curl_timeout_ms(Clock::time_point now) const;
    void drain_wake();

    CURLM* multi_;
    int epoll_fd_ = -1;
    int wake_fd_ = -1;  // an eventfd in the epoll set
    std::optional<Clock::time_point> curl_deadline_;  // when curl asked to be called back
    std::vector<epoll_event> ready_;
    int ready_count_ = 0;
};

}  // namespace flowdistill::engine
