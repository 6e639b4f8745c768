#pragma once
// The current UTC time as text, for reports, the run store and backup names.
#include <ctime>
#include <string>

namespace flowdistill::engine {

inline constexpr const char* kIso8601 = "%Y-%m-%dT%H:%M:%SZ";

inline std::string utc_now(const char* strftime_format = kIso8601) {
    const std::time_t now = std::time(nullptr);
    std::tm parts{};
    gmtime_r(&now, &parts);
    char text[64];
    std::strftime(text, sizeof text, strftime_format, &parts);
    return text;
}

}  // namespace flowdistill::engine
