// A put() that returned survives kill -9: a real child process stores responses and acknowledges
// each one through a pipe; the parent kills it with SIGKILL at a seeded random point and then
// checks every acknowledged response in the reopened store.
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <random>
#include <string>

#include <sqlite3.h>

#include "store/sqlite_response_store.hpp"
#include "temp_dir.hpp"

using flowdistill::Json;
using flowdistill::StoredResponse;
using flowdistill::engine::SqliteResponseStore;
using flowdistill::engine::StoreDurability;
using flowdistill::engine::StoreOpenMode;
using flowdistill::engine::StoreOptions;
using flowdistill::testing::TempDir;

namespace {

std::filesystem::path with_wal(const std::filesystem::path& file) { return file.string() + "-wal"; }

std::string key_of(std::int32_t n) { return "request-" + std::to_string(n); }

StoredResponse response_of(std::int32_t n) {
    StoredResponse r;
    // Bodies of varied size, some spanning several pages, so a kill can land mid-page-write.
    r.body = "{\"content\":\"" + std::string(static_cast<std::size_t>(100 + (n * 977) % 9000), 'a' + n % 26) + "\"}";
    r.usage = Json{{"prompt_tokens", n}, {"completion_tokens", 2 * n}};
    r.cost_usd = 0.00001 * n;
    r.provider = "openai_chat";
    r.model = "test-model";
    return r;
}

[[noreturn]] void store_until_killed(const std::filesystem::path& file, StoreDurability durability, int ack_fd) {
    try {
        StoreOptions options;
        options.durability = durability;
        auto store = SqliteResponseStore::open(file, StoreOpenMode::Resume, options);
        for (std::int32_t n = 0;; ++n) {
            store->put(key_of(n), response_of(n));
            if (write(ack_fd, &n, sizeof n) != sizeof n) _exit(3);
        }
    } catch (...) {
        _exit(2);
    }
}

std::string integrity_check(const std::filesystem::path& file) {
    sqlite3* db = nullptr;
    std::string verdict = "could not open";
    if (sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
        sqlite3_stmt* statement = nullptr;
        if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &statement, nullptr) == SQLITE_OK &&
            sqlite3_step(statement) == SQLITE_ROW)
            verdict = reinterpret_cast<const char*>(sqlite3_column_text(statement, 0));
        sqlite3_finalize(statement);
    }
    sqlite3_close(db);
    return verdict;
}

}  // namespace

TEST_CASE("every put acknowledged before kill -9 is in the store, and the store opens cleanly") {
    // Both modes promise to survive kill -9; they differ only on power loss, which a test cannot cut.
    const auto durability = GENERATE(StoreDurability::PowerLoss, StoreDurability::ProcessCrash);
    const std::uint32_t seed = GENERATE(11u, 23u, 37u, 101u, 2026u);
    std::mt19937 rng(seed);
    const int kill_after_acks = std::uniform_int_distribution<int>(1, 120)(rng);
    INFO("seed " << seed << ", SIGKILL after " << kill_after_acks << " acknowledged puts, durability "
                 << (durability == StoreDurability::PowerLoss ? "power loss" : "process crash"));

    TempDir dir;
    const auto file = dir / "run_store.sqlite";
    int ack[2];
    REQUIRE(pipe(ack) == 0);
    const pid_t child = fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        close(ack[0]);
        store_until_killed(file, durability, ack[1]);
    }
    close(ack[1]);

    std::int32_t last_acked = -1;
    int acks = 0;
    bool killed = false;
    // Acks keep arriving until the pipe closes: those written between the kill decision and the
    // child's death count too, since their puts had returned.
    for (std::int32_t n; read(ack[0], &n, sizeof n) == sizeof n;) {
        REQUIRE(n == last_acked + 1);
        last_acked = n;
        if (++acks == kill_after_acks && !killed) {
            REQUIRE(kill(child, SIGKILL) == 0);
            killed = true;
        }
    }
    close(ack[0]);
    int status = 0;
    REQUIRE(waitpid(child, &status, 0) == child);
    REQUIRE(killed);
    REQUIRE(WIFSIGNALED(status));
    CHECK(WTERMSIG(status) == SIGKILL);

    auto store = SqliteResponseStore::open(file, StoreOpenMode::Resume);
    CHECK(store->response_count() >= static_cast<std::uint64_t>(last_acked + 1));
    for (std::int32_t n = 0; n <= last_acked; ++n) {
        auto found = store->find(key_of(n));
        REQUIRE(found);
        const auto expected = response_of(n);
        REQUIRE(found->body == expected.body);
        REQUIRE(found->usage == expected.usage);
    }
    store.reset();
    CHECK(integrity_check(file) == "ok");
}

TEST_CASE("a fresh start after a crash keeps the crashed run's newest responses in the backup") {
    // A killed run leaves its newest responses in run_store.sqlite-wal, not yet in the main file.
    TempDir dir;
    const auto file = dir / "run_store.sqlite";
    int ack[2], hold[2];
    REQUIRE(pipe(ack) == 0);
    REQUIRE(pipe(hold) == 0);
    const pid_t child = fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        close(ack[0]);
        close(hold[1]);
        try {
            auto store = SqliteResponseStore::open(file, StoreOpenMode::Resume);
            for (std::int32_t n = 0; n < 5; ++n) store->put(key_of(n), response_of(n));
            const char done = 'd';
            if (write(ack[1], &done, 1) != 1) _exit(3);
            char never;
            [[maybe_unused]] const auto ignored = read(hold[0], &never, 1);  // wait here until killed
        } catch (...) {
            _exit(2);
        }
        _exit(0);
    }
    close(ack[1]);
    close(hold[0]);
    char done = 0;
    REQUIRE(read(ack[0], &done, 1) == 1);
    REQUIRE(kill(child, SIGKILL) == 0);
    int status = 0;
    REQUIRE(waitpid(child, &status, 0) == child);
    close(ack[0]);
    close(hold[1]);
    REQUIRE(std::filesystem::exists(with_wal(file)));

    auto fresh = SqliteResponseStore::open(file, StoreOpenMode::Fresh);
    CHECK(fresh->response_count() == 0);
    REQUIRE(fresh->backup_path());
    const auto backup = *fresh->backup_path();
    CHECK(std::filesystem::exists(with_wal(backup)));
    auto old = SqliteResponseStore::open(backup, StoreOpenMode::Resume);
    CHECK(old->response_count() == 5);
    for (std::int32_t n = 0; n < 5; ++n) CHECK(old->find(key_of(n)));
}
