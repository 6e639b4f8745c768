#include <text_kit/clean_text_scanner.hpp>

#include <algorithm>
#include <cstring>

#include <text_kit/code_points.hpp>
#include <text_kit/utf8.hpp>

#ifdef TEXT_KIT_HAVE_SIMDJSON
#include <simdjson.h>
#endif

#ifdef __SSE2__
#include "step_masks.hpp"
#endif

namespace text_kit {
namespace {

// Byte by byte: where the clean text from `pos` ends, at most at `limit`; adds its code points.
std::size_t bytewise_clean_end(const unsigned char* s, std::size_t pos, std::size_t limit, std::uint64_t& code_points) {
    while (pos < limit && s[pos] != 0) {
        std::size_t length = 1;
        if (s[pos] >= 0x80 && (length = valid_sequence_length(s + pos, limit - pos)) == 0) break;
        pos += length;
        ++code_points;
    }
    return pos;
}

#ifdef __SSE2__
// Where [s+from, s+to) stops being well-formed UTF-8; `to` when it does not.
std::size_t first_ill_formed(const unsigned char* s, std::size_t from, std::size_t to) {
    return from + first_invalid_byte(std::string_view(reinterpret_cast<const char*>(s + from), to - from));
}

// Up to this many bytes are checked byte by byte: a simdjson call costs about 30 ns.
constexpr std::size_t kFewBytes = 16;

bool well_formed(const unsigned char* s, std::size_t n) {
#ifdef TEXT_KIT_HAVE_SIMDJSON
    if (n > kFewBytes) return simdjson::validate_utf8(reinterpret_cast<const char*>(s), n);
#endif
    return first_ill_formed(s, 0, n) == n;
}

// The smallest byte of a window, and of the window with every byte XORed with CR: zero when it
// holds a NUL, or a CR. The window's steps share them, so one test at the end tells, and text
// without either does not pay for a mask per step.
struct Lowest {
    __m128i byte = _mm_set1_epi8(-1);
    __m128i cr_xor = _mm_set1_epi8(-1);
    static bool zero(__m128i lowest) { return _mm_movemask_epi8(_mm_cmpeq_epi8(lowest, _mm_setzero_si128())) != 0; }
};

// The first pass's look at one step: whether it holds a non-ASCII byte; its lowest bytes go to `lowest`.
unsigned has_non_ascii(const unsigned char* p, Lowest& lowest) {
    using steps::load, steps::zero_at_cr;
    const __m128i v0 = load(p), v1 = load(p + 16), v2 = load(p + 32), v3 = load(p + 48);
    lowest.byte = _mm_min_epu8(lowest.byte, _mm_min_epu8(_mm_min_epu8(v0, v1), _mm_min_epu8(v2, v3)));
    lowest.cr_xor = _mm_min_epu8(lowest.cr_xor, _mm_min_epu8(_mm_min_epu8(zero_at_cr(v0), zero_at_cr(v1)),
                                                             _mm_min_epu8(zero_at_cr(v2), zero_at_cr(v3))));
    return _mm_movemask_epi8(_mm_or_si128(_mm_or_si128(v0, v1), _mm_or_si128(v2, v3))) != 0;
}
#endif

}  // namespace

std::size_t CleanTextScanner::clean_end(std::size_t from, std::uint64_t& code_points, bool& may_hold_cr) {
    may_hold_cr = true;  // unless the first pass looked at all of it and saw none
    const std::size_t begin = from;
    if (from < bytewise_until_) {
        const std::size_t limit = std::min(end_, bytewise_until_);
        from = bytewise_clean_end(s_, from, limit, code_points);
        if (from < limit) return from;
    }
#ifdef __SSE2__
    const std::size_t stop = vector_clean_end(from, code_points);
    may_hold_cr = call_saw_cr_ || from > begin;
    return stop;
#else
    return bytewise_clean_end(s_, from, end_, code_points);
#endif
}

#ifdef __SSE2__
std::size_t CleanTextScanner::vector_clean_end(std::size_t from, std::uint64_t& code_points) {
    call_begin_ = from;
    continuation_bytes_ = 0;
    batch_size_ = 0;
    call_saw_cr_ = from < window_end_ && window_has_cr_;
    if (from >= window_end_) list_window(from);
    while (true) {
        const std::size_t stop = first_nul(from);  // or the window's end
        if (const std::size_t failed = check_runs(from, stop); failed != kNoPosition)
            return report_ill_formed(failed, code_points);
        if (stop < window_end_ || window_end_ == end_) {
            if (batch_size_ != 0 && !check_bytes(batch_.data(), batch_size_)) return report_ill_formed(stop, code_points);
            code_points += (stop - call_begin_) - continuation_bytes_;
            return stop;
        }
        list_window(window_end_);
    }
}

// First pass over the window from `begin`: at most kWindowSteps steps, ending where a sequence
// starts unless the text ends first.
void CleanTextScanner::list_window(std::size_t begin) {
    std::size_t end = begin + std::min(end_ - begin, kWindowSteps * steps::kStepBytes);
    // Cut before the lead byte of a sequence the end would split. A sequence has at most three
    // continuation bytes: when the three bytes before a continuation byte are continuation bytes
    // too, it is a stray one, ill-formed wherever the text is cut, and the window ends before it.
    // (Stepping back three bytes regardless would split a valid sequence followed by stray bytes.)
    if (end < end_ && is_continuation_byte(s_[end])) {
        std::size_t lead = end - 1;
        for (int back = 1; back < 3 && is_continuation_byte(s_[lead]); ++back) --lead;
        if (!is_continuation_byte(s_[lead])) end = lead;
    }
    const std::size_t size = end - begin;
    std::uint32_t* bounds = run_bounds_.data();
    std::size_t count = 0;  // locals: the loop keeps them in registers
    unsigned in_run = 0;
    Lowest lowest;
    const auto note = [&](std::size_t offset, unsigned non_ascii) {
        bounds[count] = static_cast<std::uint32_t>(offset);  // written always, kept where a run begins or ends
        count += non_ascii ^ in_run;
        in_run = non_ascii;
    };
    std::size_t offset = 0;
    // Two steps per iteration: the loop is bound by instructions (SSE2's two-operand forms need
    // register copies), and this saves the loop's own share.
#pragma GCC unroll 2
    for (; size - offset >= steps::kStepBytes; offset += steps::kStepBytes) note(offset, has_non_ascii(s_ + begin + offset, lowest));
    if (offset < size) note(offset, has_non_ascii(steps::PaddedStep(s_ + begin + offset, size - offset).bytes, lowest));
    if (in_run != 0) bounds[count++] = static_cast<std::uint32_t>(size);
    window_begin_ = begin;
    window_end_ = end;
    run_bound_count_ = count;
    next_run_ = 0;
    window_has_cr_ = Lowest::zero(lowest.cr_xor);
    call_saw_cr_ = call_saw_cr_ || window_has_cr_;
    nul_step_count_ = next_nul_step_ = 0;
    if (Lowest::zero(lowest.byte)) list_nul_steps();
}

// Lists the window's steps that hold a NUL (a binary file).
void CleanTextScanner::list_nul_steps() {
    std::uint32_t* listed = nul_steps_.data();
    std::size_t count = 0;
    for (std::size_t step = window_begin_; step < window_end_; step += steps::kStepBytes) {
        listed[count] = static_cast<std::uint32_t>(step - window_begin_);
        count += steps::of_step_at(s_, step, window_end_, steps::nul) != 0;
    }
    nul_step_count_ = count;
}

// The first NUL at or after `from` in the window, or the window's end.
std::size_t CleanTextScanner::first_nul(std::size_t from) {
    for (; next_nul_step_ < nul_step_count_; ++next_nul_step_) {
        const std::size_t step = window_begin_ + nul_steps_[next_nul_step_];
        const std::uint64_t found = steps::of_step_at(s_, step, window_end_, steps::nul) & steps::from_position(step, from);
        if (found != 0) return step + static_cast<std::size_t>(__builtin_ctzll(found));  // the step stays next
    }
    return window_end_;
}

// Whether `n` bytes are well-formed; counts the continuation bytes of those that are.
bool CleanTextScanner::check_bytes(const unsigned char* bytes, std::size_t n) {
    if (!well_formed(bytes, n)) return false;
    continuation_bytes_ += n - count_code_points(reinterpret_cast<const char*>(bytes), n);
    return true;
}

// Copies a stretch into the batch, checking the batch first when it is full. Returns
// kNoPosition, or where the checked text ends when the batch is ill-formed.
inline std::size_t CleanTextScanner::add_to_batch(std::size_t begin, std::size_t end) {
    const std::size_t length = end - begin;
    if (batch_size_ + std::max(length, steps::kStepBytes) + 1 > batch_.size()) {
        if (!check_bytes(batch_.data(), batch_size_)) return begin;
        batch_size_ = 0;
    }
    unsigned char* out = batch_.data() + batch_size_;
    if (length <= steps::kStepBytes && end_ - begin >= steps::kStepBytes)
        std::memcpy(out, s_ + begin, steps::kStepBytes);  // a fixed size: four vector moves, no call
    else
        std::memcpy(out, s_ + begin, length);
    batch_size_ += length;
    batch_[batch_size_++] = ' ';
    return kNoPosition;
}

// Checks the non-ASCII text in [begin, end), a run or the part of one before a NUL.
// Returns kNoPosition, or where the checked text ends when it is ill-formed.
inline std::size_t CleanTextScanner::check_run(std::size_t begin, std::size_t end) {
    if (begin == end) return kNoPosition;  // the NUL comes first
    if (end - begin >= kLongRunBytes) return check_bytes(s_ + begin, end - begin) ? kNoPosition : end;
    // A short run: only from its first non-ASCII byte to its last. Where an end step has none,
    // its ASCII bytes next to the step boundary end any sequence there.
    constexpr std::size_t kStepStart = ~(steps::kStepBytes - 1);
    const std::size_t first_step = window_begin_ + ((begin - window_begin_) & kStepStart);
    const std::size_t last_step = window_begin_ + ((end - 1 - window_begin_) & kStepStart);
    const std::uint64_t first = steps::of_step_at(s_, first_step, window_end_, steps::non_ascii) &
                                steps::from_position(first_step, begin) & steps::before_position(first_step, end);
    const std::uint64_t last = first_step == last_step ? first
                                                       : steps::of_step_at(s_, last_step, window_end_, steps::non_ascii) &
                                                             steps::before_position(last_step, end);
    const std::size_t stretch_begin =
        first != 0 ? first_step + static_cast<std::size_t>(__builtin_ctzll(first)) : first_step + steps::kStepBytes;
    const std::size_t stretch_end =
        last != 0 ? last_step + steps::kStepBytes - static_cast<std::size_t>(__builtin_clzll(last)) : last_step;
    return stretch_begin < stretch_end ? add_to_batch(stretch_begin, stretch_end) : kNoPosition;
}

// Checks the runs of the window in [from, stop). Returns kNoPosition, or where the checked text
// ends when it is ill-formed.
std::size_t CleanTextScanner::check_runs(std::size_t from, std::size_t stop) {
    for (; next_run_ < run_bound_count_; next_run_ += 2) {
        const std::size_t run_begin = window_begin_ + run_bounds_[next_run_];
        const std::size_t run_end = window_begin_ + run_bounds_[next_run_ + 1];
        if (run_begin >= stop) break;
        if (run_end > from)
            if (const std::size_t failed = check_run(std::max(run_begin, from), std::min(run_end, stop)); failed != kNoPosition)
                return failed;
        if (run_end > stop) break;  // the run goes on after the NUL: the next call takes the rest
    }
    return kNoPosition;
}

// The text holds an ill-formed sequence somewhere in [call_begin_, checked_until): find it one
// sequence at a time, and have the calls that resume after it go on byte by byte to there.
std::size_t CleanTextScanner::report_ill_formed(std::size_t checked_until, std::uint64_t& code_points) {
    const std::size_t bad = first_ill_formed(s_, call_begin_, checked_until);
    bytewise_until_ = checked_until;
    window_end_ = 0;  // the window may be further on than checked_until: list afresh from there
    run_bound_count_ = next_run_ = nul_step_count_ = next_nul_step_ = 0;
    code_points += count_code_points(reinterpret_cast<const char*>(s_ + call_begin_), bad - call_begin_);
    return bad;
}
#endif

}  // namespace text_kit
