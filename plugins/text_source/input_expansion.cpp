#include "input_expansion.hpp"

#include <glob.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <set>
#include <system_error>

namespace text_source {
namespace fs = std::filesystem;
namespace {

std::string lower(std::string text) {
    for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return text;
}

bool is_glob(const std::string& input) { return input.find_first_of("*?[") != std::string::npos; }

std::vector<std::string> files_in_folder(const std::string& folder, const std::vector<std::string>& extensions) {
    std::vector<std::string> found;
    std::error_code ec;
    // Symlinked folders are not followed, so a link cycle cannot make the walk endless.
    for (fs::recursive_directory_iterator it(folder, fs::directory_options::skip_permission_denied, ec), end;
         !ec && it != end; it.increment(ec)) {
        std::error_code type_ec;
        if (it->is_regular_file(type_ec) && has_listed_extension(it->path().string(), extensions))
            found.push_back(it->path().string());
    }
    std::sort(found.begin(), found.end());  // byte order: stable across machines and locales
    return found;
}

std::vector<std::string> glob_matches(const std::string& pattern) {
    std::vector<std::string> matches;
    glob_t result{};
    if (glob(pattern.c_str(), 0, nullptr, &result) == 0)  // glob(3) sorts its matches
        for (std::size_t i = 0; i < result.gl_pathc; ++i) matches.emplace_back(result.gl_pathv[i]);
    globfree(&result);
    return matches;
}

}  // namespace

bool has_listed_extension(const std::string& path, const std::vector<std::string>& extensions) {
    const std::string name = lower(fs::path(path).filename().string());
    for (const auto& extension : extensions) {
        const std::string wanted = lower(extension);
        if (name.size() > wanted.size() && name.compare(name.size() - wanted.size(), wanted.size(), wanted) == 0)
            return true;
    }
    return false;
}

ExpandedInputs expand_inputs(const std::vector<std::string>& inputs, const std::vector<std::string>& extensions) {
    ExpandedInputs expanded;
    std::set<std::string> seen;
    auto take = [&](const std::string& file) {
        if (seen.insert(fs::path(file).lexically_normal().string()).second) expanded.files.push_back(file);
    };
    for (const auto& input : inputs) {
        std::vector<std::string> candidates = is_glob(input) ? glob_matches(input) : std::vector<std::string>{input};
        bool matched = false;
        for (const auto& candidate : candidates) {
            std::error_code ec;
            const auto status = fs::status(candidate, ec);
            if (ec) continue;
            if (fs::is_directory(status)) {
                for (const auto& file : files_in_folder(candidate, extensions)) take(file);
                matched = true;
            } else if (fs::is_regular_file(status)) {
                take(candidate);
                matched = true;
            }
        }
        if (!matched)
            expanded.problems.push_back(
                is_glob(input) ? "input pattern '" + input + "' matched no file: check the pattern and the working folder"
                               : "input '" + input + "' does not exist: check the path (relative paths start at the "
                                 "working folder)");
    }
    return expanded;
}

}  // namespace text_source
