#include <catch2/catch.hpp>

#include "store/sqlite_response_store.hpp"

using flowdistill::Json;
using flowdistill::engine::SqliteResponseStore;

TEST_CASE("the request key depends on provider, base URL, model and body, not on key order or slashes") {
    const Json body{{"messages", Json::array({{{"role", "user"}, {"content", "hello"}}})}, {"max_tokens", 512}};
    const auto key = SqliteResponseStore::request_key("deepseek", "https://api.deepseek.com", "deepseek-chat", body);
    CHECK(key.size() == 32);
    CHECK(key.find_first_not_of("0123456789abcdef") == std::string::npos);

    CHECK(key == SqliteResponseStore::request_key("deepseek", "https://api.deepseek.com//", "deepseek-chat", body));
    const Json reordered = Json::parse(R"({"max_tokens":512,"messages":[{"content":"hello","role":"user"}]})");
    CHECK(key == SqliteResponseStore::request_key("deepseek", "https://api.deepseek.com", "deepseek-chat", reordered));

    CHECK(key != SqliteResponseStore::request_key("together", "https://api.deepseek.com", "deepseek-chat", body));
    CHECK(key != SqliteResponseStore::request_key("deepseek", "http://127.0.0.1:8080", "deepseek-chat", body));
    CHECK(key != SqliteResponseStore::request_key("deepseek", "https://api.deepseek.com", "deepseek-reasoner", body));
    Json longer = body;
    longer["max_tokens"] = 1024;
    CHECK(key != SqliteResponseStore::request_key("deepseek", "https://api.deepseek.com", "deepseek-chat", longer));
}

TEST_CASE("fields cannot bleed into each other in the request key") {
    const Json body = Json::object();
    CHECK(SqliteResponseStore::request_key("ab", "c", "m", body) != SqliteResponseStore::request_key("a", "bc", "m", body));
}
