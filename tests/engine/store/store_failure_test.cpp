// A read-only directory, a damaged file, a full disk: each is a clear FatalError naming the file,
// and nothing already stored is lost or altered.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>

#include <sqlite3.h>

#include <flowdistill/errors.hpp>

#include "child_process.hpp"
#include "store/sqlite_response_store.hpp"
#include "temp_dir.hpp"

namespace fs = std::filesystem;
using flowdistill::FatalError;
using flowdistill::Json;
using flowdistill::StoredResponse;
using flowdistill::engine::SqliteResponseStore;
using flowdistill::engine::StoreOpenMode;
using flowdistill::engine::StoreOptions;
using flowdistill::testing::run_in_child_without_privileges;
using flowdistill::testing::TempDir;

namespace {

StoredResponse response_with_body(std::string body) {
    StoredResponse r;
    r.body = std::move(body);
    r.usage = Json{{"input_tokens", 10}, {"output_tokens", 5}};
    r.cost_usd = 0.001;
    r.provider = "anthropic";
    r.model = "claude-test";
    return r;
}

std::string read_bytes(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_bytes(const fs::path& file, const std::string& bytes) {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

std::string random_bytes(std::size_t size, std::uint32_t seed) {
    std::mt19937 rng(seed);
    std::uniform_int_distribution<int> byte(0, 255);
    std::string bytes(size, '\0');
    for (auto& c : bytes) c = static_cast<char>(byte(rng));
    return bytes;
}

std::string open_error(const fs::path& file, StoreOpenMode mode = StoreOpenMode::Resume) {
    try {
        SqliteResponseStore::open(file, mode);
    } catch (const FatalError& error) {
        return error.what();
    }
    return "opened";
}

void make_read_only(const fs::path& dir) {
    fs::permissions(dir, fs::perms::owner_read | fs::perms::owner_exec | fs::perms::group_read |
                             fs::perms::group_exec | fs::perms::others_read | fs::perms::others_exec);
}

}  // namespace

TEST_CASE("a read-only output directory is a clear error that names the file") {
    TempDir dir;
    const auto file = dir / "run_store.sqlite";

    SECTION("with no store yet") {
        make_read_only(dir.path());
        const std::string message = run_in_child_without_privileges([&] { return open_error(file); });
        CHECK_THAT(message, Catch::Contains(file.string()));
        CHECK_THAT(message, Catch::Contains("not writable"));
        CHECK_THAT(message, Catch::Contains("--output-dir"));
        CHECK_FALSE(fs::exists(file));
    }
    SECTION("with a store from an earlier run, which stays intact") {
        {
            auto store = SqliteResponseStore::open(file, StoreOpenMode::Resume);
            store->put("kept", response_with_body("paid for"));
        }
        fs::permissions(file, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read |
                                  fs::perms::others_read);
        make_read_only(dir.path());
        const std::string before = read_bytes(file);
        const std::string message = run_in_child_without_privileges([&] { return open_error(file); });
        CHECK_THAT(message, Catch::Contains(file.string()));
        CHECK_THAT(message, Catch::Contains("not writable"));
        CHECK(read_bytes(file) == before);

        fs::permissions(dir.path(), fs::perms::owner_all, fs::perm_options::add);
        auto store = SqliteResponseStore::open(file, StoreOpenMode::Resume);
        REQUIRE(store->find("kept"));
        CHECK(store->find("kept")->body == "paid for");
    }
}

TEST_CASE("a file that is not a store is refused and left byte for byte as it was") {
    TempDir dir;
    const auto file = dir / "run_store.sqlite";
    const std::string garbage = random_bytes(3 * 4096 + 17, 7);
    write_bytes(file, garbage);

    const std::string message = open_error(file);
    CHECK_THAT(message, Catch::Contains(file.string()));
    CHECK_THAT(message, Catch::Contains("damaged"));
    CHECK_THAT(message, Catch::Contains("left untouched"));
    CHECK_THAT(message, Catch::Contains("--fresh"));
    CHECK(read_bytes(file) == garbage);
    CHECK_FALSE(fs::exists(dir / "run_store.sqlite-wal"));
}

TEST_CASE("a store with a damaged page is refused at open, untouched, and --fresh keeps it as the backup") {
    TempDir dir;
    const auto file = dir / "run_store.sqlite";
    {
        auto store = SqliteResponseStore::open(file, StoreOpenMode::Resume);
        for (int i = 0; i < 200; ++i) store->put("k" + std::to_string(i), response_with_body(std::string(600, 'x')));
    }
    // Page 1 holds the header and the schema; page 2 is the first table's root. Overwrite page 2.
    std::string bytes = read_bytes(file);
    REQUIRE(bytes.size() > 3 * 4096);
    bytes.replace(4096, 4096, random_bytes(4096, 99));
    write_bytes(file, bytes);

    const std::string message = open_error(file);
    CHECK_THAT(message, Catch::Contains(file.string()));
    CHECK_THAT(message, Catch::Contains("damaged"));
    CHECK(read_bytes(file) == bytes);

    auto fresh = SqliteResponseStore::open(file, StoreOpenMode::Fresh);
    REQUIRE(fresh->backup_path());
    CHECK(read_bytes(*fresh->backup_path()) == bytes);
    CHECK(fresh->response_count() == 0);
}

TEST_CASE("a full disk is a clear error and every response stored before it is kept") {
    TempDir dir;
    const auto file = dir / "run_store.sqlite";
    StoreOptions capped;
    capped.max_size_bytes = 96 * 1024;  // SQLite reports a store at its page cap exactly like a full disk

    int stored = 0;
    std::string message;
    {
        auto store = SqliteResponseStore::open(file, StoreOpenMode::Resume, capped);
        try {
            for (; stored < 1000; ++stored)
                store->put("k" + std::to_string(stored), response_with_body(std::string(3000, 'a' + stored % 26)));
        } catch (const FatalError& error) {
            message = error.what();
        }
    }
    REQUIRE_FALSE(message.empty());
    CHECK(stored > 5);
    CHECK_THAT(message, Catch::Contains(file.string()));
    CHECK_THAT(message, Catch::Contains("disk is full"));
    CHECK_THAT(message, Catch::Contains("rerun the same command"));

    auto store = SqliteResponseStore::open(file, StoreOpenMode::Resume);
    CHECK(store->response_count() == static_cast<std::uint64_t>(stored));
    for (int i = 0; i < stored; ++i) {
        auto found = store->find("k" + std::to_string(i));
        REQUIRE(found);
        CHECK(found->body == std::string(3000, 'a' + i % 26));
    }
    store->put("after", response_with_body("room again"));
    CHECK(store->find("after"));
}

TEST_CASE("a store written by a newer flowdistill is refused, not altered") {
    TempDir dir;
    const auto file = dir / "run_store.sqlite";
    {
        auto store = SqliteResponseStore::open(file, StoreOpenMode::Resume);
        store->put("kept", response_with_body("paid for"));
    }
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(file.c_str(), &db) == SQLITE_OK);
    REQUIRE(sqlite3_exec(db, "PRAGMA user_version=99", nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(db);
    const std::string before = read_bytes(file);

    const std::string message = open_error(file);
    CHECK_THAT(message, Catch::Contains(file.string()));
    CHECK_THAT(message, Catch::Contains("newer"));
    CHECK_THAT(message, Catch::Contains("--fresh"));
    CHECK(read_bytes(file) == before);
}
