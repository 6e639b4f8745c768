#include <catch2/catch.hpp>

#include <teacher_kit/request_key.hpp>

using namespace flowdistill;
using namespace flowdistill::teacher_kit;

TEST_CASE("canonical JSON does not depend on insertion order") {
    Json a = Json::object();
    a["b"] = 1;
    a["a"] = Json{{"y", 2}, {"x", 3}};
    Json b = Json::object();
    b["a"] = Json{{"x", 3}, {"y", 2}};
    b["b"] = 1;
    CHECK(canonical_json(a) == canonical_json(b));
    CHECK(canonical_json(a) == R"({"a":{"x":3,"y":2},"b":1})");
}

TEST_CASE("the request key covers provider, base URL, model and body") {
    const Json body{{"messages", {{{"role", "user"}, {"content", "hi"}}}}};
    const auto key = request_key("deepseek", "https://api.deepseek.com", "deepseek-chat", body);
    CHECK(key.size() == 32);
    CHECK(key == request_key("deepseek", "https://api.deepseek.com/", "deepseek-chat", body));
    CHECK(key != request_key("together", "https://api.deepseek.com", "deepseek-chat", body));
    CHECK(key != request_key("deepseek", "https://other.example", "deepseek-chat", body));
    CHECK(key != request_key("deepseek", "https://api.deepseek.com", "deepseek-reasoner", body));
    Json other = body;
    other["temperature"] = 0.5;
    CHECK(key != request_key("deepseek", "https://api.deepseek.com", "deepseek-chat", other));
}

TEST_CASE("invalid UTF-8 in a body still gets a stable key") {
    const Json body{{"content", std::string("bad \xff byte")}};
    CHECK(request_key("p", "http://h", "m", body) == request_key("p", "http://h", "m", body));
}

TEST_CASE("a key from canonical text equals the key from the JSON") {
    const Json body{{"model", "m"}, {"messages", Json::array({{{"role", "user"}, {"content", "x"}}})}};
    CHECK(request_key_for_text("p", "http://h/", "m", canonical_json(body)) == request_key("p", "http://h", "m", body));
    // Field boundaries matter: moving a character from one field to the next changes the key.
    CHECK(request_key_for_text("ab", "c", "m", "{}") != request_key_for_text("a", "bc", "m", "{}"));
}
