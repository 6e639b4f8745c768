#pragma once
// SIGINT/SIGTERM: the first asks the run to stop (sources stop, in-flight items finish, sinks
// flush); the second exits at once with status 130.
#include <atomic>

namespace flowdistill::engine {

class InterruptFlag {
public:
    static void install();
    static bool requested();
    static int signal_number();
    static void reset_for_tests();
};

}  // namespace flowdistill::engine
