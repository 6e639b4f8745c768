#pragma once
// Prompt templates (one per domain, shipped inside the library) and placeholder rendering.
#include <string>
#include <string_view>
#include <vector>

namespace flowdistill::teacher_kit {

// A template's stable part (system) comes first and the chunk last, so providers' prompt caches
// can reuse the common prefix across every chunk of a run.
struct PromptTemplate {
    std::string system;
    std::string user;
};

// The placeholders a template or a custom prompt may use.
struct PromptValues {
    std::string chunk;
    std::vector<std::string> heading_path;
    int n = 5;
    std::string domain = "general";
};

const std::vector<std::string>& known_domains();

// The shipped template for `domain`; throws std::invalid_argument naming the known domains.
PromptTemplate domain_template(const std::string& domain);

// Replaces {chunk}, {heading_path}, {n} and {domain} in one pass: text substituted in is never
// scanned again, and any other braces (a JSON example in the prompt) are left alone.
std::string render_prompt(std::string_view text, const PromptValues& values);

// "Dosing > Children" or "(no heading)".
std::string format_heading_path(const std::vector<std::string>& heading_path);

// A short follow-up asking for the JSON again when a reply held no usable pair.
std::string repair_prompt(int n);

}  // namespace flowdistill::teacher_kit
