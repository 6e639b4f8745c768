#include "store/sqlite_response_store.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <system_error>
#include <utility>
#include <vector>

#include <sqlite3.h>

#include <flowdistill/errors.hpp>

#include "store/request_key.hpp"
#include "store/sqlite_statement.hpp"
#include "store/store_failure.hpp"
#include "util/utc_time.hpp"

namespace flowdistill::engine {
namespace {

namespace fs = std::filesystem;
using sqlite::SqliteError;
using sqlite::Statement;

// Bumped when the tables change shape; a store from a newer flowdistill is refused, not altered.
constexpr std::int64_t schema_version = 1;

constexpr const char* schema_sql = R"sql(
CREATE TABLE IF NOT EXISTS responses (
    key         TEXT PRIMARY KEY,
    body        BLOB NOT NULL,
    usage       TEXT NOT NULL,
    cost_usd    REAL NOT NULL,
    provider    TEXT NOT NULL,
    model       TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS runs (
    id             INTEGER PRIMARY KEY,
    started_at     TEXT NOT NULL,
    finished_at    TEXT,
    pipeline_hash  TEXT NOT NULL,
    inputs_hash    TEXT NOT NULL,
    status         TEXT NOT NULL
);
)sql";

fs::path with_suffix(const fs::path& file, std::string_view suffix) {
    return fs::path(file.string() + std::string(suffix));
}

// SQLite keeps committed data in "<file>-wal" until a checkpoint, so the journal files move with
// the main file, and under matching names, or the backup would lose its newest responses (and a
// new store would replay an old journal). Nothing is ever deleted.
fs::path move_store_aside(const fs::path& file) {
    const std::string stamp = utc_now("%Y%m%dT%H%M%SZ");
    fs::path backup = with_suffix(file, "." + stamp + ".bak");
    for (int n = 2; fs::exists(backup) || fs::exists(with_suffix(backup, "-wal")); ++n)
        backup = with_suffix(file, "." + stamp + "-" + std::to_string(n) + ".bak");

    std::vector<std::pair<fs::path, fs::path>> moved;
    try {
        for (const char* journal : {"-wal", "-shm"}) {
            const fs::path from = with_suffix(file, journal);
            if (!fs::exists(from)) continue;
            fs::rename(from, with_suffix(backup, journal));
            moved.emplace_back(from, with_suffix(backup, journal));
        }
        if (fs::exists(file)) fs::rename(file, backup);
    } catch (const fs::filesystem_error& error) {
        std::error_code ignored;
        for (const auto& [from, to] : moved) fs::rename(to, from, ignored);
        throw FatalError("--fresh could not rename the response store " + file.string() + " to " + backup.string() +
                         " (" + error.code().message() + "). Make the output directory writable, or move the file "
                         "aside yourself and rerun.");
    }
    return backup;
}

std::string single_text(sqlite3* db, const char* sql) {
    Statement statement(db, sql);
    return statement.step() ? statement.text(0) : std::string();
}

std::int64_t single_integer(sqlite3* db, const char* sql) {
    Statement statement(db, sql);
    return statement.step() ? statement.integer(0) : 0;
}

void check_integrity(sqlite3* db) {
    // Touching the schema reads the header first: a foreign file fails here with SQLITE_NOTADB.
    single_integer(db, "PRAGMA schema_version");
    // quick_check reads every page (O(size), no index cross-checks): a damaged store is refused
    // when it is opened, not halfway through a paid run.
    const std::string verdict = single_text(db, "PRAGMA quick_check");
    if (verdict != "ok") throw SqliteError(SQLITE_CORRUPT, "integrity check: " + verdict);
    const std::int64_t version = single_integer(db, "PRAGMA user_version");
    if (version > schema_version)
        throw FatalError("the response store is format " + std::to_string(version) + ", newer than this flowdistill's " +
                         std::to_string(schema_version) + "; use a newer flowdistill or rerun with --fresh");
}

void configure(sqlite3* db, const StoreOptions& options) {
    if (single_text(db, "PRAGMA journal_mode=WAL") != "wal")
        throw SqliteError(SQLITE_CANTOPEN, "cannot switch to write-ahead logging");
    // In WAL mode a commit reaches the OS before step() returns, which kill -9 cannot undo; FULL
    // also syncs it to the disk, which a power cut cannot undo either.
    sqlite::exec(db, options.durability == StoreDurability::PowerLoss ? "PRAGMA synchronous=FULL"
                                                                      : "PRAGMA synchronous=NORMAL");
    if (options.max_size_bytes > 0) {
        const std::int64_t page_size = single_integer(db, "PRAGMA page_size");
        const std::int64_t pages = std::max<std::int64_t>(1, static_cast<std::int64_t>(options.max_size_bytes) / page_size);
        sqlite::exec(db, ("PRAGMA max_page_count=" + std::to_string(pages)).c_str());
    }
}

void create_schema(sqlite3* db) {
    // IMMEDIATE takes the write lock up front, so a read-only file or directory fails here, at
    // open, rather than at the first paid response.
    sqlite::exec(db, "BEGIN IMMEDIATE");
    try {
        sqlite::exec(db, schema_sql);
        if (single_integer(db, "PRAGMA user_version") < schema_version)
            sqlite::exec(db, ("PRAGMA user_version=" + std::to_string(schema_version)).c_str());
        sqlite::exec(db, "COMMIT");
    } catch (...) {
        sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
        throw;
    }
}

struct CloseOnError {
    sqlite3* db;
    ~CloseOnError() {
        if (db == nullptr) return;
        // Closing the last connection checkpoints the WAL into the main file; a store refused as
        // damaged must not be written to at all.
        sqlite3_db_config(db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);
        sqlite3_close_v2(db);
    }
};

std::string with_thousands(std::uint64_t n) {
    std::string digits = std::to_string(n);
    for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3) digits.insert(static_cast<std::size_t>(i), ",");
    return digits;
}

}  // namespace

struct SqliteResponseStore::Statements {
    explicit Statements(sqlite3* db)
        : find(db, "SELECT body, usage, cost_usd, provider, model FROM responses WHERE key = ?1"),
          put(db, "INSERT OR REPLACE INTO responses (key, body, usage, cost_usd, provider, model, created_at) "
                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"),
          count(db, "SELECT count(*) FROM responses"),
          begin_run(db, "INSERT INTO runs (started_at, pipeline_hash, inputs_hash, status) VALUES (?1, ?2, ?3, 'running')"),
          finish_run(db, "UPDATE runs SET finished_at = ?1, status = ?2 WHERE id = ?3"),
          last_run(db, "SELECT id, started_at, finished_at, pipeline_hash, inputs_hash, status FROM runs "
                       "ORDER BY id DESC LIMIT 1") {}
    Statement find, put, count, begin_run, finish_run, last_run;
};

std::unique_ptr<SqliteResponseStore> SqliteResponseStore::open(const fs::path& file, StoreOpenMode mode,
                                                               StoreOptions options) {
    if (file.has_parent_path()) {
        std::error_code error;
        fs::create_directories(file.parent_path(), error);
        if (error)
            throw FatalError("cannot create the output directory " + file.parent_path().string() + " (" +
                             error.message() + "). Create it yourself, or choose another with --output-dir.");
    }
    std::optional<fs::path> backup;
    // A journal left without its main file is moved too: a new store must never replay it.
    if (mode == StoreOpenMode::Fresh && (fs::exists(file) || fs::exists(with_suffix(file, "-wal"))))
        backup = move_store_aside(file);

    CloseOnError guard{nullptr};
    try {
        const int code = sqlite3_open_v2(file.c_str(), &guard.db,
                                         SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, nullptr);
        sqlite::check(guard.db, code, "opening");
        sqlite3_extended_result_codes(guard.db, 1);
        sqlite3_busy_timeout(guard.db, options.busy_timeout_ms);
        // SQLite quietly opens a file it may not write read-only; a store must be writable.
        if (sqlite3_db_readonly(guard.db, "main") == 1) throw SqliteError(SQLITE_READONLY, "the file is read-only");
        check_integrity(guard.db);
        configure(guard.db, options);
        create_schema(guard.db);
        std::unique_ptr<SqliteResponseStore> store(new SqliteResponseStore(file, guard.db, backup));
        guard.db = nullptr;
        return store;
    } catch (const SqliteError& error) {
        throw store_failure(file, error.code(), error.what());
    } catch (const FatalError& error) {
        throw FatalError(file.string() + ": " + error.what());
    }
}

SqliteResponseStore::SqliteResponseStore(fs::path path, sqlite3* db, std::optional<fs::path> backup)
    : path_(std::move(path)), backup_path_(std::move(backup)), db_(db), statements_(std::make_unique<Statements>(db)) {}

SqliteResponseStore::~SqliteResponseStore() {
    statements_.reset();
    sqlite3_close_v2(db_);
}

std::string SqliteResponseStore::request_key(std::string_view provider, std::string_view base_url,
                                             std::string_view model, const Json& body_without_secrets) {
    return engine::request_key(provider, base_url, model, body_without_secrets);
}

void SqliteResponseStore::fail(const std::exception& error, std::string_view doing) const {
    if (const auto* sqlite_error = dynamic_cast<const SqliteError*>(&error))
        throw store_failure(path_, sqlite_error->code(), std::string(doing) + ": " + sqlite_error->what());
    throw FatalError("the response store " + path_.string() + " failed while " + std::string(doing) + ": " + error.what());
}

std::optional<StoredResponse> SqliteResponseStore::find(const std::string& key) {
    std::lock_guard lock(mutex_);
    Statement& find = statements_->find;
    sqlite::ResetOnExit reset(find);
    try {
        find.bind(1, key);
        if (!find.step()) return std::nullopt;
        StoredResponse response;
        response.body = find.blob(0);
        response.usage = Json::parse(find.text(1), nullptr, false);
        if (response.usage.is_discarded()) response.usage = Json();
        response.cost_usd = find.real(2);
        response.provider = find.text(3);
        response.model = find.text(4);
        return response;
    } catch (const SqliteError& error) {
        fail(error, "looking up a stored response");
    }
}

void SqliteResponseStore::put(const std::string& key, const StoredResponse& response) {
    if (key.empty()) throw std::invalid_argument("response store: a response needs a non-empty key");
    if (!std::isfinite(response.cost_usd) || response.cost_usd < 0)
        throw std::invalid_argument("response store: the cost of response " + key + " must be a finite amount >= 0");
    const std::string usage = response.usage.dump(-1, ' ', false, Json::error_handler_t::replace);
    std::lock_guard lock(mutex_);
    Statement& put = statements_->put;
    sqlite::ResetOnExit reset(put);
    try {
        put.bind(1, key).bind_blob(2, response.body).bind(3, usage).bind(4, response.cost_usd);
        put.bind(5, response.provider).bind(6, response.model).bind(7, utc_now());
        // One autocommit statement: it is committed, and the WAL synced, when step() returns.
        put.step();
    } catch (const SqliteError& error) {
        fail(error, "storing a response");
    }
}

std::uint64_t SqliteResponseStore::response_count() {
    std::lock_guard lock(mutex_);
    Statement& count = statements_->count;
    sqlite::ResetOnExit reset(count);
    try {
        return count.step() ? static_cast<std::uint64_t>(count.integer(0)) : 0;
    } catch (const SqliteError& error) {
        fail(error, "counting stored responses");
    }
}

std::int64_t SqliteResponseStore::begin_run(std::string_view pipeline_hash, std::string_view inputs_hash) {
    std::lock_guard lock(mutex_);
    Statement& begin = statements_->begin_run;
    sqlite::ResetOnExit reset(begin);
    try {
        begin.bind(1, utc_now()).bind(2, pipeline_hash).bind(3, inputs_hash);
        begin.step();
        return sqlite3_last_insert_rowid(db_);
    } catch (const SqliteError& error) {
        fail(error, "recording the start of the run");
    }
}

void SqliteResponseStore::finish_run(std::int64_t run_id, std::string_view status) {
    std::lock_guard lock(mutex_);
    Statement& finish = statements_->finish_run;
    sqlite::ResetOnExit reset(finish);
    try {
        finish.bind(1, utc_now()).bind(2, status).bind(3, run_id);
        finish.step();
    } catch (const SqliteError& error) {
        fail(error, "recording the end of the run");
    }
}

std::optional<StoredRun> SqliteResponseStore::last_run() {
    std::lock_guard lock(mutex_);
    return last_run_locked();
}

std::optional<StoredRun> SqliteResponseStore::last_run_locked() {
    Statement& last = statements_->last_run;
    sqlite::ResetOnExit reset(last);
    try {
        if (!last.step()) return std::nullopt;
        StoredRun run;
        run.id = last.integer(0);
        run.started_at = last.text(1);
        if (!last.is_null(2)) run.finished_at = last.text(2);
        run.pipeline_hash = last.text(3);
        run.inputs_hash = last.text(4);
        run.status = last.text(5);
        return run;
    } catch (const SqliteError& error) {
        fail(error, "reading the previous run");
    }
}

ResumeSummary SqliteResponseStore::resume_summary(std::string_view pipeline_hash, std::string_view inputs_hash) {
    ResumeSummary summary;
    summary.stored_responses = response_count();
    summary.previous_run = last_run();
    if (summary.previous_run) {
        summary.pipeline_changed = summary.previous_run->pipeline_hash != pipeline_hash;
        summary.inputs_changed = summary.previous_run->inputs_hash != inputs_hash;
    }
    return summary;
}

std::string ResumeSummary::message() const {
    if (stored_responses == 0 && !previous_run) return "starting a new response store";
    std::string text = "resuming: " + with_thousands(stored_responses) + " stored response" +
                       (stored_responses == 1 ? "" : "s");
    if (previous_run && !previous_run->finished_at)
        text += "; the last run (started " + previous_run->started_at + ") was interrupted";
    if (pipeline_changed && inputs_changed)
        text += "; the pipeline and the inputs changed since the last run, so the requests they change will be paid for again";
    else if (pipeline_changed)
        text += "; the pipeline changed since the last run, so the requests it changes will be paid for again";
    else if (inputs_changed)
        text += "; the inputs changed since the last run, so the requests they change will be paid for again";
    return text;
}

}  // namespace flowdistill::engine
