#pragma once
// Turns the run's inputs (files, folders, globs) into the ordered list of files to read.
#include <string>
#include <vector>

namespace text_source {

struct ExpandedInputs {
    std::vector<std::string> files;     // in input order; each folder's files sorted by path
    std::vector<std::string> problems;  // one message per input that matched nothing
};

// Files named explicitly (or matched by a glob) are always taken; files found inside a folder
// only when their extension is in `extensions` (compared without case, e.g. ".md").
// A file reached twice (a file and its folder) is read once, at its first position.
ExpandedInputs expand_inputs(const std::vector<std::string>& inputs, const std::vector<std::string>& extensions);

bool has_listed_extension(const std::string& path, const std::vector<std::string>& extensions);

}  // namespace text_source
