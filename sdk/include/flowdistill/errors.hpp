#pragma once
// What a stage throws. The engine catches these at the stage boundary.
#include <stdexcept>
#include <string>

namespace flowdistill {

// The item could not be processed: it is written to rejects.jsonl (stage, item id, reason, cause)
// and the run goes on. `reason` is a short machine-friendly tag used for the summary's counts.
class ItemError : public std::runtime_error {
public:
    explicit ItemError(const std::string& cause, std::string reason = "stage_error")
        : std::runtime_error(cause), reason_(std::move(reason)) {}
    const std::string& reason() const noexcept { return reason_; }

private:
    std::string reason_;
};

// Nothing more can be done (bad credentials, an unwritable output): the run stops cleanly, the
// sinks are flushed, and flowdistill exits with status 3.
class FatalError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

}  // namespace flowdistill
