#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include <csignal>

#include <sys/wait.h>
#include <unistd.h>

#include <stage_harness.hpp>

#include "jsonl_sink.hpp"
#include "scratch_dir.hpp"

using namespace flowdistill;
using namespace flowdistill::jsonl;
using flowdistill::jsonl::test::ScratchDir;
using flowdistill::jsonl::test::slurp;

namespace {

Record make_pair(const std::string& chunk, int n, const std::string& question = "What is asked?") {
    char id[64];
    std::snprintf(id, sizeof id, "%s_q%02d", chunk.c_str(), n);
    Record pair;
    pair.id = id;
    pair.provenance.parent = chunk;
    pair.data = Json{{"question", question},
                     {"answer", "answer " + std::string(id)},
                     {"reasoning", "because"},
                     {"difficulty", "easy"},
                     {"source_chunk", chunk},
                     {"teacher", "offline_teacher"},
                     {"cost_usd", 0.0}};
    return pair;
}

std::vector<Record> some_pairs() {
    std::vector<Record> pairs;
    for (int c = 0; c < 12; ++c) {
        char chunk[32];
        std::snprintf(chunk, sizeof chunk, "chunk_%06d", c);
        for (int q = 1; q <= 3; ++q) pairs.push_back(make_pair(chunk, q));
    }
    return pairs;
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::size_t begin = 0;
    while (begin < text.size()) {
        const auto end = text.find('\n', begin);
        REQUIRE(end != std::string::npos);  // every line, the last one included, ends with '\n'
        lines.push_back(text.substr(begin, end - begin));
        begin = end + 1;
    }
    return lines;
}

std::string write_golden(const std::filesystem::path& dir, std::vector<Record> pairs) {
    testing::TestContext context(dir);
    JsonlSink sink(JsonlSettings{}, context);
    sink.start();
    for (auto& pair : pairs) sink.consume(std::move(pair));
    sink.close();
    return slurp(dir / "golden_dataset.jsonl");
}

// Runs `body` in a forked child that then dies from SIGKILL, as a crashed run would: no destructor,
// no close(), no flush of anything still in user space.
template <typename Body>
void run_then_crash(Body body) {
    const pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        try {
            body();
        } catch (...) {
            ::_exit(3);  // never back into the test framework from the child
        }
        ::kill(::getpid(), SIGKILL);
    }
    int status = 0;
    REQUIRE(::waitpid(child, &status, 0) == child);
    REQUIRE(WIFSIGNALED(status));
    REQUIRE(WTERMSIG(status) == SIGKILL);
}

}  // namespace

TEST_CASE("records: a crashed run keeps every record it consumed") {
    ScratchDir dir;
    run_then_crash([&] {
        testing::TestContext context(dir.path());
        JsonlSink sink(JsonlSettings{"generated_qa_pairs.jsonl", Format::Records}, context);
        sink.start();
        for (int q = 1; q <= 25; ++q) sink.consume(make_pair("chunk_000000", q));
    });
    const auto lines = lines_of(slurp(dir.path() / "generated_qa_pairs.jsonl"));
    REQUIRE(lines.size() == 25);
    CHECK(Json::parse(lines.back()).at("id") == "chunk_000000_q25");
}

TEST_CASE("golden: a crashed run leaves the previous dataset whole") {
    ScratchDir dir;
    const auto path = dir.path() / "golden_dataset.jsonl";
    { std::ofstream(path) << "{\"previous\":\"run\"}\n"; }
    run_then_crash([&] {
        testing::TestContext context(dir.path());
        JsonlSink sink(JsonlSettings{}, context);
        sink.start();
        for (auto& pair : some_pairs()) sink.consume(std::move(pair));
    });
    CHECK(slurp(path) == "{\"previous\":\"run\"}\n");

    // The next run replaces the temporary file the crash left behind.
    write_golden(dir.path(), some_pairs());
    CHECK(lines_of(slurp(path)).size() == 36);
    CHECK(std::distance(std::filesystem::directory_iterator(dir.path()), std::filesystem::directory_iterator{}) == 1);
}

TEST_CASE("golden: one line per pair, field by field, in the output directory") {
    ScratchDir dir;
    testing::TestContext context(dir.path() / "run");
    JsonlSink sink(JsonlSettings{}, context);
    sink.start();
    sink.consume(make_pair("chunk_000001", 1, "Quelle est la dose ?"));
    sink.consume(make_pair("chunk_000000", 2));
    sink.close();

    const auto path = dir.path() / "run" / "golden_dataset.jsonl";
    CHECK(context.stage_metrics.notes.at("path") == path.string());
    CHECK(context.stage_metrics.get("written") == 2);
    const auto lines = lines_of(slurp(path));
    REQUIRE(lines.size() == 2);
    CHECK(lines[0] ==
          R"({"instruction":"What is asked?","input":"","output":"answer chunk_000000_q02","reasoning":"because",)"
          R"("difficulty":"easy","source":"chunk_000000"})");
    const auto second = nlohmann::ordered_json::parse(lines[1]);
    std::vector<std::string> keys;
    for (const auto& [key, value] : second.items()) keys.push_back(key);
    CHECK(keys == std::vector<std::string>{"instruction", "input", "output", "reasoning", "difficulty", "source"});
    CHECK(second.at("instruction") == "Quelle est la dose ?");
    CHECK(second.at("input") == "");
    CHECK(second.at("output") == "answer chunk_000001_q01");
    CHECK(second.at("reasoning") == "because");
    CHECK(second.at("difficulty") == "easy");
    CHECK(second.at("source") == "chunk_000001");
}

TEST_CASE("golden: the same pairs in any arrival order give the same bytes, sorted by id") {
    auto pairs = some_pairs();
    ScratchDir first, second;
    const auto in_order = write_golden(first.path(), pairs);
    std::mt19937 shuffle_seed(42);
    std::shuffle(pairs.begin(), pairs.end(), shuffle_seed);
    const auto shuffled = write_golden(second.path(), pairs);
    CHECK(in_order == shuffled);
    const auto lines = lines_of(in_order);
    REQUIRE(lines.size() == 36);
    CHECK(Json::parse(lines.front()).at("output") == "answer chunk_000000_q01");
    CHECK(Json::parse(lines.back()).at("output") == "answer chunk_000011_q03");
}

TEST_CASE("golden: nothing appears under the final name before close, and an older file stays whole") {
    ScratchDir dir;
    const auto path = dir.path() / "golden_dataset.jsonl";
    {
        std::ofstream previous(path);
        previous << "{\"previous\":\"run\"}\n";
    }
    testing::TestContext context(dir.path());
    JsonlSink sink(JsonlSettings{}, context);
    sink.start();
    for (auto& pair : some_pairs()) {
        sink.consume(std::move(pair));
        CHECK(slurp(path) == "{\"previous\":\"run\"}\n");
    }
    sink.close();
    CHECK(lines_of(slurp(path)).size() == 36);
    // Only the dataset is left behind: the temporary file was renamed, not copied.
    const auto entries = std::distance(std::filesystem::directory_iterator(dir.path()), std::filesystem::directory_iterator{});
    CHECK(entries == 1);
}

TEST_CASE("golden: a run torn down without close() leaves the previous file and no temporary file") {
    ScratchDir dir;
    const auto path = dir.path() / "golden_dataset.jsonl";
    { std::ofstream(path) << "old\n"; }
    {
        testing::TestContext context(dir.path());
        JsonlSink sink(JsonlSettings{}, context);
        sink.start();
        sink.consume(make_pair("chunk_000000", 1));
    }
    CHECK(slurp(path) == "old\n");
    CHECK(std::distance(std::filesystem::directory_iterator(dir.path()), std::filesystem::directory_iterator{}) == 1);
}

TEST_CASE("golden: close() twice writes once") {
    ScratchDir dir;
    testing::TestContext context(dir.path());
    JsonlSink sink(JsonlSettings{}, context);
    sink.start();
    sink.consume(make_pair("chunk_000000", 1));
    sink.close();
    sink.close();
    CHECK(context.stage_metrics.get("written") == 1);
    CHECK(lines_of(slurp(dir.path() / "golden_dataset.jsonl")).size() == 1);
}

TEST_CASE("golden: an empty run still writes an empty dataset") {
    ScratchDir dir;
    CHECK(write_golden(dir.path(), {}).empty());
    CHECK(std::filesystem::exists(dir.path() / "golden_dataset.jsonl"));
}

TEST_CASE("records: each record is in the file as soon as it is consumed") {
    ScratchDir dir;
    testing::TestContext context(dir.path());
    JsonlSink sink(JsonlSettings{"raw/generated_qa_pairs.jsonl", Format::Records}, context);
    sink.start();
    const auto path = dir.path() / "raw" / "generated_qa_pairs.jsonl";
    CHECK(context.stage_metrics.notes.at("path") == path.string());

    Record chunk;
    chunk.id = "chunk_000009";
    chunk.data = Json{{"text", "Obtain EKG within 10 minutes — 日本語."}, {"index", 9}};
    sink.consume(chunk);
    auto lines = lines_of(slurp(path));
    REQUIRE(lines.size() == 1);
    CHECK(lines[0] == R"({"id":"chunk_000009","index":9,"text":"Obtain EKG within 10 minutes — 日本語."})");

    sink.consume(make_pair("chunk_000009", 1));
    lines = lines_of(slurp(path));
    REQUIRE(lines.size() == 2);
    CHECK(Json::parse(lines[1]).at("id") == "chunk_000009_q01");
    CHECK(context.stage_metrics.get("written") == 2);
    sink.close();
    CHECK(lines_of(slurp(path)).size() == 2);
}

TEST_CASE("an output path that cannot be created stops the run with an error naming the file") {
    ScratchDir dir;
    { std::ofstream(dir.path() / "not_a_directory") << "x"; }
    for (Format format : {Format::Golden, Format::Records}) {
        testing::TestContext context(dir.path() / "not_a_directory");
        JsonlSink sink(JsonlSettings{"golden_dataset.jsonl", format}, context);
        try {
            sink.start();
            FAIL("expected a FatalError");
        } catch (const FatalError& e) {
            const std::string message = e.what();
            CHECK(message.find((dir.path() / "not_a_directory").string()) != std::string::npos);
            CHECK(message.find("writable") != std::string::npos);
        }
    }
}

TEST_CASE("a full disk while writing records stops the run with an error naming the file") {
    REQUIRE(std::filesystem::exists("/dev/full"));
    ScratchDir dir;
    testing::TestContext context(dir.path());
    JsonlSink sink(JsonlSettings{"/dev/full", Format::Records}, context);
    sink.start();
    try {
        sink.consume(make_pair("chunk_000000", 1));
        FAIL("expected a FatalError");
    } catch (const FatalError& e) {
        const std::string message = e.what();
        CHECK(message.find("/dev/full") != std::string::npos);
        CHECK(message.find("No space left on device") != std::string::npos);
    }
}

TEST_CASE("golden: a record that is not a pair is rejected and the others are written") {
    ScratchDir dir;
    testing::TestContext context(dir.path());
    JsonlSink sink(JsonlSettings{}, context);
    sink.start();
    Record chunk;
    chunk.id = "chunk_000000";
    chunk.data = Json{{"text", "not a pair"}};
    CHECK_THROWS_AS(sink.consume(chunk), ItemError);
    sink.consume(make_pair("chunk_000000", 1));
    sink.close();
    CHECK(lines_of(slurp(dir.path() / "golden_dataset.jsonl")).size() == 1);
}
