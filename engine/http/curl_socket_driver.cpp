#include "http/curl_socket_driver.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>

#include <sys/eventfd.h>
#include <unistd.h>

namespace flowdistill::engine {
namespace {

constexpr int max_events_per_wait = 1024;

std::uint32_t epoll_mask(int what) {
    std::uint32_t mask = 0;
    if (what & CURL_POLL_IN) mask |= EPOLLIN;
    if (what & CURL_POLL_OUT) mask |= EPOLLOUT;
    return mask;
}

int curl_mask(std::uint32_t events) {
    // A hang-up or an error is reported as readable too, so curl reads it and names the cause.
    int mask = 0;
    if (events & (EPOLLIN | EPOLLHUP | EPOLLERR)) mask |= CURL_CSELECT_IN;
    if (events & EPOLLOUT) mask |= CURL_CSELECT_OUT;
    if (events & EPOLLERR) mask |= CURL_CSELECT_ERR;
    return mask;
}

[[noreturn]] void fail(const char* what) {
    throw std::runtime_error(std::string("HTTP engine: ") + what + ": " + std::strerror(errno));
}

}  // namespace

CurlSocketDriver::CurlSocketDriver(CURLM* multi) : multi_(multi), ready_(max_events_per_wait) {
    epoll_fd_ = ::epoll_create1(EPOLL_CLOEXEC);
    if (epoll_fd_ < 0) fail("epoll_create1");
    wake_fd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (wake_fd_ < 0) {
        ::close(epoll_fd_);
        fail("eventfd");
    }
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.fd = wake_fd_;
    ::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, wake_fd_, &event);
    curl_multi_setopt(multi_, CURLMOPT_SOCKETFUNCTION, &CurlSocketDriver::on_socket);
    curl_multi_setopt(multi_, CURLMOPT_SOCKETDATA, this);
    curl_multi_setopt(multi_, CURLMOPT_TIMERFUNCTION, &CurlSocketDriver::on_timer);
    curl_multi_setopt(multi_, CURLMOPT_TIMERDATA, this);
}

CurlSocketDriver::~CurlSocketDriver() {
    ::close(wake_fd_);
    ::close(epoll_fd_);
}

int CurlSocketDriver::on_socket(CURL*, curl_socket_t socket, int what, void* self, void* socket_data) {
    static_cast<CurlSocketDriver*>(self)->watch(socket, what, socket_data != nullptr);
    return 0;
}

int CurlSocketDriver::on_timer(CURLM*, long timeout_ms, void* self) {
    auto& driver = *static_cast<CurlSocketDriver*>(self);
    if (timeout_ms < 0)
        driver.curl_deadline_.reset();
    else
        driver.curl_deadline_ = Clock::now() + std::chrono::milliseconds(timeout_ms);
    return 0;
}

void CurlSocketDriver::watch(curl_socket_t socket, int what, bool known) {
    if (what == CURL_POLL_REMOVE) {
        // curl may have closed the socket already, which took it out of the set; nothing to undo.
        ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, socket, nullptr);
        return;
    }
    epoll_event event{};
    event.events = epoll_mask(what);
    event.data.fd = socket;
    // `known` is only a hint: a descriptor closed without a REMOVE leaves the set by itself, and
    // its number may come back for a new socket.
    if (::epoll_ctl(epoll_fd_, known ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, socket, &event) != 0) {
        if (errno == ENOENT) ::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, socket, &event);
        else if (errno == EEXIST) ::epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, socket, &event);
    }
    if (!known) curl_multi_assign(multi_, socket, this);
}

int CurlSocketDriver::curl_timeout_ms(Clock::time_point now) const {
    if (!curl_deadline_) return -1;
    if (*curl_deadline_ <= now) return 0;
    // Round up: waking a little early would only spin until the deadline.
    return static_cast<int>(std::chrono::ceil<std::chrono::milliseconds>(*curl_deadline_ - now).count());
}

void CurlSocketDriver::wait(int timeout_ms) {
    const int curl_ms = curl_timeout_ms(Clock::now());
    const int limit = timeout_ms < 0 ? curl_ms : curl_ms < 0 ? timeout_ms : std::min(timeout_ms, curl_ms);
    const int count = ::epoll_wait(epoll_fd_, ready_.data(), static_cast<int>(ready_.size()), limit);
    ready_count_ = std::max(count, 0);  // EINTR: nothing ready, the caller's loop comes back
    // Consume the wake-up here, before the caller looks for what it was woken for: a wake() from
    // then on stays pending for the next wait(). Consumed later, in act(), it could swallow a
    // wake() that came after the caller had taken its queue, and strand what that one announced.
    for (int i = 0; i < ready_count_; ++i) {
        if (ready_[static_cast<std::size_t>(i)].data.fd != wake_fd_) continue;
        drain_wake();
        ready_[static_cast<std::size_t>(i)] = ready_[static_cast<std::size_t>(--ready_count_)];
        break;
    }
}

void CurlSocketDriver::act() {
    int running = 0;
    for (int i = 0; i < ready_count_; ++i) {
        const epoll_event& event = ready_[static_cast<std::size_t>(i)];
        curl_multi_socket_action(multi_, event.data.fd, curl_mask(event.events), &running);
    }
    ready_count_ = 0;
    if (curl_deadline_ && *curl_deadline_ <= Clock::now()) {
        curl_deadline_.reset();  // before the call: curl sets the next deadline from inside it
        curl_multi_socket_action(multi_, CURL_SOCKET_TIMEOUT, 0, &running);
    }
}

void CurlSocketDriver::wake() {
    const std::uint64_t one = 1;
    // A full counter (EAGAIN) still leaves the descriptor readable, which is all a wake-up needs.
    [[maybe_unused]] const auto written = ::write(wake_fd_, &one, sizeof one);
}

void CurlSocketDriver::drain_wake() {
    std::uint64_t count = 0;
    [[maybe_unused]] const auto got = ::read(wake_fd_, &count, sizeof count);
}

}  // namespace flowdistill::engine
