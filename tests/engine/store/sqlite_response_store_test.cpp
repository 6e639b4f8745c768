#include <catch2/catch.hpp>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include <flowdistill/errors.hpp>

#include "store/sqlite_response_store.hpp"
#include "temp_dir.hpp"

using flowdistill::Json;
using flowdistill::StoredResponse;
using flowdistill::engine::SqliteResponseStore;
using flowdistill::engine::StoreOpenMode;
using flowdistill::testing::TempDir;

namespace {

StoredResponse sample_response(int n) {
    StoredResponse r;
    r.body = R"({"choices":[{"message":{"content":"answer )" + std::to_string(n) + R"("}}]})";
    r.usage = Json{{"prompt_tokens", 100 + n}, {"completion_tokens", 20 + n}};
    r.cost_usd = 0.0001 * n;
    r.provider = "deepseek";
    r.model = "deepseek-chat";
    return r;
}

void check_same(const StoredResponse& got, const StoredResponse& expected) {
    CHECK(got.body == expected.body);
    CHECK(got.usage == expected.usage);
    CHECK(got.cost_usd == expected.cost_usd);
    CHECK(got.provider == expected.provider);
    CHECK(got.model == expected.model);
}

}  // namespace

TEST_CASE("a stored response is found by its key, exactly as it was put") {
    TempDir dir;
    auto store = SqliteResponseStore::open(SqliteResponseStore::path_in(dir.path()), StoreOpenMode::Resume);
    CHECK(store->path() == dir / "run_store.sqlite");
    CHECK_FALSE(store->find("k1"));

    StoredResponse binary = sample_response(1);
    using namespace std::string_literals;
    binary.body = "not utf-8: \xff\xfe and a NUL \0 inside"s;
    REQUIRE(binary.body.size() == 32);
    store->put("k1", binary);
    store->put("k2", sample_response(2));

    auto found = store->find("k1");
    REQUIRE(found);
    check_same(*found, binary);
    CHECK(store->find("k2")->cost_usd == Approx(0.0002));
    CHECK_FALSE(store->find("k3"));
    CHECK(store->response_count() == 2);
}

TEST_CASE("a second put with the same key replaces the first") {
    TempDir dir;
    auto store = SqliteResponseStore::open(dir / "run_store.sqlite", StoreOpenMode::Resume);
    store->put("k", sample_response(1));
    store->put("k", sample_response(2));
    check_same(*store->find("k"), sample_response(2));
    CHECK(store->response_count() == 1);
}

TEST_CASE("stored responses survive closing and reopening the store") {
    TempDir dir;
    const auto file = dir / "out" / "run_store.sqlite";  // the output directory is created if missing
    {
        auto store = SqliteResponseStore::open(file, StoreOpenMode::Resume);
        for (int i = 0; i < 50; ++i) store->put("key" + std::to_string(i), sample_response(i));
    }
    auto store = SqliteResponseStore::open(file, StoreOpenMode::Resume);
    CHECK(store->response_count() == 50);
    CHECK_FALSE(store->backup_path());
    for (int i = 0; i < 50; ++i) {
        auto found = store->find("key" + std::to_string(i));
        REQUIRE(found);
        check_same(*found, sample_response(i));
    }
}

TEST_CASE("a fresh start (--fresh) moves the old store aside under a timestamped name and starts empty") {
    TempDir dir;
    const auto file = dir / "run_store.sqlite";
    {
        auto store = SqliteResponseStore::open(file, StoreOpenMode::Resume);
        store->put("old", sample_response(7));
    }
    auto fresh = SqliteResponseStore::open(file, StoreOpenMode::Fresh);
    CHECK(fresh->response_count() == 0);
    CHECK_FALSE(fresh->find("old"));
    REQUIRE(fresh->backup_path());
    const auto backup = *fresh->backup_path();
    CHECK(backup.parent_path() == dir.path());
    CHECK(backup.filename().string().rfind("run_store.sqlite.", 0) == 0);
    CHECK(backup.extension() == ".bak");

    // The backup is itself a complete store.
    auto old = SqliteResponseStore::open(backup, StoreOpenMode::Resume);
    auto found = old->find("old");
    REQUIRE(found);
    check_same(*found, sample_response(7));

    SECTION("a second fresh start in the same second gets its own backup name") {
        fresh.reset();
        auto again = SqliteResponseStore::open(file, StoreOpenMode::Fresh);
        REQUIRE(again->backup_path());
        CHECK(*again->backup_path() != backup);
        CHECK(std::filesystem::exists(backup));
    }
}

TEST_CASE("a fresh start (--fresh) without an old store moves nothing") {
    TempDir dir;
    auto store = SqliteResponseStore::open(dir / "run_store.sqlite", StoreOpenMode::Fresh);
    CHECK_FALSE(store->backup_path());
    CHECK(store->response_count() == 0);
}

TEST_CASE("the runs table tells a resumed run how many responses are stored and what changed") {
    TempDir dir;
    const auto file = dir / "run_store.sqlite";
    {
        auto store = SqliteResponseStore::open(file, StoreOpenMode::Resume);
        auto first = store->resume_summary("pipe-A", "inputs-A");
        CHECK(first.message() == "starting a new response store");
        CHECK_FALSE(first.previous_run);
        const auto run_id = store->begin_run("pipe-A", "inputs-A");
        for (int i = 0; i < 3; ++i) store->put("k" + std::to_string(i), sample_response(i));
        // No finish_run: the run was killed.
        CHECK(store->last_run()->id == run_id);
    }
    auto store = SqliteResponseStore::open(file, StoreOpenMode::Resume);

    SECTION("same pipeline and inputs after an interrupted run") {
        const auto summary = store->resume_summary("pipe-A", "inputs-A");
        CHECK(summary.stored_responses == 3);
        REQUIRE(summary.previous_run);
        CHECK(summary.previous_run->status == "running");
        CHECK_FALSE(summary.previous_run->finished_at);
        CHECK_FALSE(summary.pipeline_changed);
        CHECK_FALSE(summary.inputs_changed);
        CHECK_THAT(summary.message(), Catch::StartsWith("resuming: 3 stored responses"));
        CHECK_THAT(summary.message(), Catch::Contains("was interrupted"));
    }
    SECTION("a changed pipeline is reported") {
        const auto summary = store->resume_summary("pipe-B", "inputs-A");
        CHECK(summary.pipeline_changed);
        CHECK_FALSE(summary.inputs_changed);
        CHECK_THAT(summary.message(), Catch::Contains("the pipeline changed"));
    }
    SECTION("a finished run is recorded with its outcome") {
        const auto run_id = store->begin_run("pipe-A", "inputs-B");
        store->finish_run(run_id, "completed");
        const auto last = store->last_run();
        REQUIRE(last);
        CHECK(last->id == run_id);
        CHECK(last->status == "completed");
        CHECK(last->finished_at);
        CHECK(last->inputs_hash == "inputs-B");
        CHECK_THAT(store->resume_summary("pipe-A", "inputs-B").message(), !Catch::Contains("interrupted"));
    }
}

TEST_CASE("the resume message counts stored responses with thousands separators") {
    flowdistill::engine::ResumeSummary summary;
    summary.stored_responses = 1234567;
    CHECK(summary.message() == "resuming: 1,234,567 stored responses");
    summary.stored_responses = 1;
    CHECK(summary.message() == "resuming: 1 stored response");
    summary.stored_responses = 999;
    CHECK(summary.message() == "resuming: 999 stored responses");
}

TEST_CASE("threads putting and finding at once lose nothing") {
    TempDir dir;
    auto store = SqliteResponseStore::open(dir / "run_store.sqlite", StoreOpenMode::Resume);
    constexpr int per_thread = 150;
    std::atomic<int> misses{0};
    auto writer = [&](const std::string& prefix) {
        for (int i = 0; i < per_thread; ++i) {
            const std::string key = prefix + std::to_string(i);
            store->put(key, sample_response(i));
            if (!store->find(key)) ++misses;  // read-your-write from the same thread
        }
    };
    std::thread network_thread(writer, "a");
    std::thread second_writer(writer, "b");
    std::thread reader([&] {
        for (int i = 0; i < per_thread; ++i) store->find("a" + std::to_string(i));
    });
    network_thread.join();
    second_writer.join();
    reader.join();
    CHECK(misses == 0);
    CHECK(store->response_count() == 2 * per_thread);
    for (int i = 0; i < per_thread; ++i) {
        CHECK(store->find("a" + std::to_string(i)));
        CHECK(store->find("b" + std::to_string(i)));
    }
}

TEST_CASE("put refuses a response without a key or with a cost that is not a number") {
    TempDir dir;
    auto store = SqliteResponseStore::open(dir / "run_store.sqlite", StoreOpenMode::Resume);
    CHECK_THROWS_AS(store->put("", sample_response(1)), std::invalid_argument);
    auto bad = sample_response(1);
    bad.cost_usd = std::nan("");
    CHECK_THROWS_WITH(store->put("k", bad), Catch::Contains("cost"));
    CHECK(store->response_count() == 0);
}
