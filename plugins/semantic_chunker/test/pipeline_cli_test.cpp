#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <text_kit/utf8.hpp>
#include <text_kit/utf8_normalizer.hpp>

namespace fs = std::filesystem;

namespace {

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

// Runs the CLI with `args`, returns its exit status; output goes to `log`.
int run_cli(const std::vector<std::string>& args, const fs::path& log) {
    const pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        std::vector<char*> argv;
        const std::string binary = FLOWDISTILL_BINARY_DIR "/bin/flowdistill";
        argv.push_back(const_cast<char*>(binary.c_str()));
        for (const auto& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
        argv.push_back(nullptr);
        if (!std::freopen(log.c_str(), "w", stdout) || !std::freopen(log.c_str(), "a", stderr)) _exit(126);
        execv(binary.c_str(), argv.data());
        _exit(127);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace

TEST_CASE("flowdistill run: text_source -> semantic_chunker -> jsonl records, on corpus files and bad inputs") {
    const fs::path dir = fs::temp_directory_path() / ("fd_chunker_cli_" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir / "inputs");
    std::ofstream(dir / "inputs" / "empty.txt").close();
    std::ofstream(dir / "inputs" / "binary.txt", std::ios::binary) << std::string("\x7f" "ELF\0\0\1", 7);
    const std::string crlf_doc = FLOWDISTILL_SOURCE_DIR "/../shared/corpus/technical/gpo_ecfr_xml_user_guide.md";
    const std::string constitution = FLOWDISTILL_SOURCE_DIR "/../shared/corpus/legal/us_constitution.txt";
    std::ofstream(dir / "pipeline.yaml") << "name: chunk_only\n"
                                            "inputs: [nothing.txt]\n"
                                            "output_dir: ./unused\n"
                                            "stages:\n"
                                            "  - id: load\n"
                                            "    plugin: text_source\n"
                                            "  - id: chunk\n"
                                            "    plugin: semantic_chunker\n"
                                            "    config: {chunk_size: 500, overlap: 60}\n"
                                            "  - id: export\n"
                                            "    plugin: jsonl\n"
                                            "    config: {file: chunks.jsonl, format: records}\n";
    const fs::path out = dir / "out";
    const int status = run_cli({"run", (dir / "pipeline.yaml").string(), "--input", constitution, "--input",
                                (dir / "inputs").string(), "--input", crlf_doc, "--output-dir", out.string(), "--quiet"},
                               dir / "log.txt");
    INFO(read_file(dir / "log.txt"));
    REQUIRE(status == 0);

    std::istringstream lines(read_file(out / "chunks.jsonl"));
    std::string line;
    std::size_t count = 0;
    bool saw_crlf_file = false;
    std::map<std::string, std::string> originals;
    while (std::getline(lines, line)) {
        const auto record = nlohmann::json::parse(line);
        char id[32];
        std::snprintf(id, sizeof id, "chunk_%06zu", count);
        CHECK(record.at("id") == id);
        CHECK(record.at("index") == count);
        const std::string source = record.at("source");
        if (!originals.count(source)) originals[source] = read_file(source);
        const std::string& raw = originals[source];
        const std::size_t begin = record.at("byte_begin"), end = record.at("byte_end");
        REQUIRE(end <= raw.size());
        text_kit::Utf8Normalizer normalizer(text_kit::InvalidUtf8Policy::Error);
        text_kit::NormalizedPiece piece;
        normalizer.normalize(std::string_view(raw).substr(begin, end - begin), begin, true, piece);
        CHECK(piece.text == record.at("text").get<std::string>());
        CHECK(text_kit::count_code_points(piece.text) <= 500);
        saw_crlf_file = saw_crlf_file || source == crlf_doc;
        ++count;
    }
    CHECK(count > 100);
    CHECK(saw_crlf_file);
    // The empty and the binary file are counted as rejects, with their reasons.
    const std::string rejects = read_file(out / "rejects.jsonl");
    CHECK(rejects.find("empty_file") != std::string::npos);
    CHECK(rejects.find("binary_file") != std::string::npos);
    fs::remove_all(dir);
}
