#pragma once
// Thin RAII over the SQLite C API for the response store: prepared statements and errors that keep
// SQLite's result code, so the store can turn each kind of failure into advice.
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace flowdistill::engine::sqlite {

class SqliteError : public std::runtime_error {
public:
    SqliteError(int code, const std::string& message) : std::runtime_error(message), code_(code) {}
    int code() const noexcept { return code_; }          // extended result code
    int primary_code() const noexcept { return code_ & 0xff; }

private:
    int code_;
};

// Throws SqliteError with the connection's message when `code` is not SQLITE_OK.
void check(sqlite3* db, int code, std::string_view doing);
// Runs statements that return no rows.
void exec(sqlite3* db, const char* sql);

class Statement {
public:
    Statement(sqlite3* db, std::string_view sql);
    ~Statement();
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    Statement& bind(int index, std::string_view text);
    Statement& bind_blob(int index, std::string_view bytes);
    Statement& bind(int index, double value);
    Statement& bind(int index, std::int64_t value);
    Statement& bind_null(int index);

    bool step();   // true while a row is ready; false when done
    void reset();  // ready to run again, bindings cleared

    std::string text(int column) const;
    std::string blob(int column) const;
    double real(int column) const;
    std::int64_t integer(int column) const;
    bool is_null(int column) const;

private:
    sqlite3* db_;
    sqlite3_stmt* statement_ = nullptr;
};

// Resets a statement when a scope ends, so an exception never leaves it mid-step (which would
// hold a read transaction open and stop WAL checkpoints).
class ResetOnExit {
public:
    explicit ResetOnExit(Statement& statement) : statement_(statement) {}
    ~ResetOnExit() { statement_.reset(); }
    ResetOnExit(const ResetOnExit&) = delete;
    ResetOnExit& operator=(const ResetOnExit&) = delete;

private:
    Statement& statement_;
};

}  // namespace flowdistill::engine::sqlite
