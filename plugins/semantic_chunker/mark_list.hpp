#pragma once
// The line starts of the current chunk's body where it may be cut, in order.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace semantic_chunker {

enum class MarkStrength : unsigned char { Line = 1, Item = 2, Paragraph = 3 };

struct Mark {
    std::uint64_t pos;
    MarkStrength strength;
};

// A line's mark: a paragraph after a blank line, else what the line is within running text (a
// line, or a list item or table row).
inline MarkStrength line_mark(bool after_blank, MarkStrength within) { return after_blank ? MarkStrength::Paragraph : within; }

class MarkList {
public:
    void push(Mark mark) {
        if (count_ == slots_.size()) slots_.resize(2 * slots_.size() + 64);
        slots_[count_++] = mark;
    }
    void clear() { count_ = 0; }
    // Forgets the marks at or before `pos`, which is near the end: the search starts there.
    void drop_through(std::uint64_t pos) {
        std::size_t first = count_;
        while (first > 0 && slots_[first - 1].pos > pos) --first;
        for (std::size_t k = first; k < count_; ++k) slots_[k - first] = slots_[k];
        count_ -= first;
    }
    const Mark* begin() const { return slots_.data(); }
    const Mark* end() const { return slots_.data() + count_; }

private:
    std::vector<Mark> slots_;
    std::size_t count_ = 0;
};

}  // namespace semantic_chunker
