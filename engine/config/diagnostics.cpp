#include "diagnostics.hpp"

#include <algorithm>
#include <tuple>

namespace flowdistill::engine {

std::string format_position(const SourcePosition& where) {
    if (where.line <= 0) return where.file;
    return where.file + ":" + std::to_string(where.line) + ":" + std::to_string(where.column);
}

void Diagnostics::error(SourcePosition where, std::string message, std::string hint) {
    items_.push_back({std::move(where), Severity::Error, std::move(message), std::move(hint)});
}

void Diagnostics::warning(SourcePosition where, std::string message, std::string hint) {
    items_.push_back({std::move(where), Severity::Warning, std::move(message), std::move(hint)});
}

bool Diagnostics::has_errors() const { return error_count() > 0; }

std::size_t Diagnostics::error_count() const {
    return static_cast<std::size_t>(std::count_if(items_.begin(), items_.end(),
        [](const Diagnostic& d) { return d.severity == Severity::Error; }));
}

std::string Diagnostics::format() const {
    std::vector<const Diagnostic*> sorted;
    for (const auto& d : items_) sorted.push_back(&d);
    std::stable_sort(sorted.begin(), sorted.end(), [](const Diagnostic* a, const Diagnostic* b) {
        return std::tie(a->where.file, a->where.line, a->where.column) <
               std::tie(b->where.file, b->where.line, b->where.column);
    });
    std::string out;
    for (const Diagnostic* d : sorted) {
        out += format_position(d->where);
        out += d->severity == Severity::Error ? ": error: " : ": warning: ";
        out += d->message;
        out += '\n';
        if (!d->hint.empty()) out += "  hint: " + d->hint + "\n";
    }
    return out;
}

}  // namespace flowdistill::engine
