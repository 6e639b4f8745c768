#pragma once
// Runs whole pipelines with a teacher stage through the built `flowdistill` executable, as a child
// process, in a temporary folder that is removed afterwards.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <sys/wait.h>
#include <vector>

#include <nlohmann/json.hpp>

namespace flowdistill::teacher_test {

inline std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

inline std::vector<nlohmann::json> read_jsonl(const std::filesystem::path& path) {
    std::vector<nlohmann::json> lines;
    std::istringstream in(read_file(path));
    for (std::string line; std::getline(in, line);)
        if (!line.empty()) lines.push_back(nlohmann::json::parse(line));
    return lines;
}

inline int count_of(const std::string& text, const std::string& needle) {
    int n = 0;
    for (auto pos = text.find(needle); pos != std::string::npos; pos = text.find(needle, pos + 1)) ++n;
    return n;
}

// What the generate stage of the test pipeline looks like.
struct TeacherStageYaml {
    std::string plugin;        // openai_chat or anthropic_messages
    std::string base_url;
    std::string model;
    std::string api_key_env;
    std::string stage_budget;  // empty: none
};

class PipelineDir {
public:
    PipelineDir() {
        char pattern[] = "/tmp/fd_teacher_pipeline_XXXXXX";
        if (::mkdtemp(pattern) == nullptr) throw std::runtime_error("mkdtemp failed");
        root = pattern;
    }
    ~PipelineDir() {
        std::error_code ignored;
        std::filesystem::remove_all(root, ignored);
    }
    PipelineDir(const PipelineDir&) = delete;
    PipelineDir& operator=(const PipelineDir&) = delete;

    // load -> chunk -> generate -> two jsonl exports (records and golden), on the sample protocol.
    std::filesystem::path write_pipeline(const TeacherStageYaml& teacher) const {
        std::ostringstream yaml;
        yaml << "name: teacher_e2e\n"
             << "description: A teacher stage against the fake provider.\n"
             << "inputs:\n  - " << FLOWDISTILL_SOURCE_DIR "/samples/clinical_protocol.md\n"
             << "stages:\n"
             << "  - id: load\n    plugin: text_source\n"
             << "  - id: chunk\n    plugin: semantic_chunker\n    config: {chunk_size: 800, overlap: 100}\n"
             << "  - id: generate\n    plugin: " << teacher.plugin << "\n"
             << (teacher.stage_budget.empty() ? "" : "    budget_usd: " + teacher.stage_budget + "\n")
             << "    config:\n"
             << "      base_url: " << teacher.base_url << "\n"
             << "      model: " << teacher.model << "\n"
             << "      api_key_env: " << teacher.api_key_env << "\n"
             << "      questions_per_chunk: 3\n"
             << "      max_tokens: 1024\n"
             << "  - id: export_raw\n    plugin: jsonl\n    from: [generate]\n"
             << "    config: {file: generated_qa_pairs.jsonl, format: records}\n"
             << "  - id: export\n    plugin: jsonl\n    from: [generate]\n"
             << "    config: {file: golden_dataset.jsonl, format: golden}\n";
        const auto file = root / "pipeline.yaml";
        std::ofstream(file) << yaml.str();
        return file;
    }

    // `flowdistill run`; returns the exit status, with stdout and stderr in `output`.
    int run(const std::filesystem::path& pipeline, const std::filesystem::path& out_dir, std::string& output) const {
        const auto log = root / "console.txt";
        const std::string command = binary().string() + " run " + pipeline.string() + " --output-dir " +
                                    out_dir.string() + " > " + log.string() + " 2>&1";
        const int status = std::system(command.c_str());
        output = read_file(log);
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }

    static std::filesystem::path binary() { return FLOWDISTILL_BINARY_DIR "/bin/flowdistill"; }

    // The plugins and executable a pipeline test needs; empty when all are built.
    static std::string missing_builds(const std::string& teacher_plugin) {
        std::string missing;
        const std::filesystem::path dir = FLOWDISTILL_BINARY_DIR "/lib/flowdistill/plugins";
        for (const auto& plugin : std::vector<std::string>{"text_source", "semantic_chunker", "jsonl", teacher_plugin})
            if (!std::filesystem::exists(dir / ("fd_" + plugin + ".so"))) missing += " fd_" + plugin;
        if (!std::filesystem::exists(binary())) missing += " flowdistill";
        return missing;
    }

    // True when no file under `dir` holds `secret`.
    static bool nothing_holds(const std::filesystem::path& dir, const std::string& secret, std::string& culprit) {
        for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
            if (entry.is_regular_file() && read_file(entry.path()).find(secret) != std::string::npos) {
                culprit = entry.path().string();
                return false;
            }
        }
        return true;
    }

    std::filesystem::path root;
};

}  // namespace flowdistill::teacher_test
