#include "interrupt.hpp"

#include <csignal>
#include <unistd.h>

namespace flowdistill::engine {
namespace {

std::atomic<int> g_signal{0};
std::atomic<int> g_count{0};

extern "C" void on_signal(int number) {
    if (g_count.fetch_add(1) >= 1) {
        static const char message[] = "\nflowdistill: interrupted again, exiting now\n";
        [[maybe_unused]] auto written = ::write(STDERR_FILENO, message, sizeof message - 1);
        ::_exit(130);
    }
    g_signal.store(number);
    static const char message[] =
        "\nflowdistill: stopping: finishing in-flight items and flushing outputs (Ctrl-C again to exit at once)\n";
    [[maybe_unused]] auto written = ::write(STDERR_FILENO, message, sizeof message - 1);
}

}  // namespace

void InterruptFlag::install() {
    struct sigaction action{};
    action.sa_handler = on_signal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);
}

bool InterruptFlag::requested() { return g_signal.load() != 0; }
int InterruptFlag::signal_number() { return g_signal.load(); }
void InterruptFlag::reset_for_tests() { g_signal.store(0); g_count.store(0); }

}  // namespace flowdistill::engine
