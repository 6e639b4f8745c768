#pragma once
// Problems found in a pipeline file, each with a 1-based position, collected so lint can report
// every one of them in file order.
#include <string>
#include <vector>

namespace flowdistill::engine {

struct SourcePosition {
    std::string file;   // "pipelines/x.yaml", or "--set" for command-line overrides
    int line = 0;       // 1-based; 0 = no position
    int column = 0;
};

enum class Severity { Error, Warning };

struct Diagnostic {
    SourcePosition where;
    Severity severity = Severity::Error;
    std::string message;
    std::string hint;   // optional second line: what to do
};

class Diagnostics {
public:
    void error(SourcePosition where, std::string message, std::string hint = {});
    void warning(SourcePosition where, std::string message, std::string hint = {});

    bool has_errors() const;
    std::size_t error_count() const;
    const std::vector<Diagnostic>& all() const { return items_; }
    // Sorted by file, line and column; each as "file:line:col: error: message\n  hint: ...".
    std::string format() const;

private:
    std::vector<Diagnostic> items_;
};

std::string format_position(const SourcePosition& where);

}  // namespace flowdistill::engine
