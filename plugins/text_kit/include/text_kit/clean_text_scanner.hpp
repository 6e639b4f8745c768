#pragma once
// Finding clean text fast. Clean text is what normalisation passes through unchanged but for its
// line ends: well-formed UTF-8 with no NUL. Almost all of a real file is clean, so the normaliser
// only needs to know where the clean text stops, how many code points it holds and whether it
// holds a CR to turn into LF.
//
// The scanner makes two passes over a window of the buffer (64 KiB, a file reader's block). The
// first looks at 64 bytes per step with SSE2 and, without a branch, notes where runs of steps
// with a non-ASCII byte begin and end (in English text one step in five has one) and whether
// there is a CR or a NUL anywhere; only when there is a NUL does it list the steps that hold one.
// The second visits only the runs, up to the first NUL. ASCII is valid by definition and ends any
// sequence, so only the non-ASCII stretches need checking, each on its own: a long run (a
// paragraph of Japanese) is checked where it lies, with simdjson where the build has it; a short
// one (a curly quote in English text) is copied into a batch, a space between stretches, so that
// one call checks a few KiB of them instead of one call per quote. Code points are the bytes
// less the continuation bytes, which only occur in the stretches.
#include <array>
#include <cstddef>
#include <cstdint>

namespace text_kit {

class CleanTextScanner {
public:
    // Bytes the first pass looks at in one go: a 64 KiB block and the bytes carried before it.
    static constexpr std::size_t kWindowBytes = 1026 * 64;

    // Scans s[0, end); reads no byte at or past `end`.
    CleanTextScanner(const unsigned char* s, std::size_t end) : s_(s), end_(end) {}

    // Where the clean text that starts at s[from] ends: the first NUL or byte that starts an
    // ill-formed sequence (judged as if the buffer ended at `end`), or `end`. Adds the code points
    // before it to `code_points`, a CR counting as one, and sets `may_hold_cr` unless there is
    // surely no CR before it. Each call must start at or after where the previous one stopped,
    // on a sequence boundary (after a NUL or an ill-formed subpart).
    std::size_t clean_end(std::size_t from, std::uint64_t& code_points, bool& may_hold_cr);

private:
    static constexpr std::size_t kWindowSteps = kWindowBytes / 64;
    static constexpr std::size_t kLongRunBytes = 512;   // runs this long are checked where they lie
    static constexpr std::size_t kBatchBytes = 4096;
    static constexpr std::size_t kNoPosition = static_cast<std::size_t>(-1);

    std::size_t vector_clean_end(std::size_t from, std::uint64_t& code_points);
    void list_window(std::size_t begin);
    void list_nul_steps();
    std::size_t first_nul(std::size_t from);
    std::size_t check_runs(std::size_t from, std::size_t stop);
    std::size_t check_run(std::size_t begin, std::size_t end);
    std::size_t add_to_batch(std::size_t begin, std::size_t end);
    bool check_bytes(const unsigned char* bytes, std::size_t n);
    std::size_t report_ill_formed(std::size_t checked_until, std::uint64_t& code_points);

    const unsigned char* s_;
    std::size_t end_;
    // Bytes before this are checked one at a time: a stretch found invalid is walked once, however
    // many invalid bytes it holds, instead of being checked again after each.
    std::size_t bytewise_until_ = 0;

    // First pass, over [window_begin_, window_end_): offsets from window_begin_ where runs of
    // steps with non-ASCII bytes begin and end (in pairs), and of the steps that hold a NUL.
    // Written before they are read: no zeroing per call (together some 13 KiB of stack).
    std::size_t window_begin_ = 0, window_end_ = 0;
    bool window_has_cr_ = false;
    std::array<std::uint32_t, kWindowSteps + 1> run_bounds_;
    std::array<std::uint32_t, kWindowSteps> nul_steps_;
    std::size_t run_bound_count_ = 0, next_run_ = 0, nul_step_count_ = 0, next_nul_step_ = 0;

    // Second pass, for one clean_end() call.
    std::size_t call_begin_ = 0;
    bool call_saw_cr_ = false;  // a window this call looked at holds a CR
    std::uint64_t continuation_bytes_ = 0;  // in the stretches checked during this call
    std::array<unsigned char, kBatchBytes + kLongRunBytes + 1> batch_;  // a stretch and its space always fit
    std::size_t batch_size_ = 0;
};

}  // namespace text_kit
