#include <catch2/catch.hpp>

#include "config/yaml_document.hpp"

using namespace flowdistill;
using namespace flowdistill::engine;

namespace {
EnvLookup fake_env(std::map<std::string, std::string> values) {
    return [values](const std::string& name) -> std::optional<std::string> {
        auto it = values.find(name);
        if (it == values.end()) return std::nullopt;
        return it->second;
    };
}
}  // namespace

TEST_CASE("${VAR} and ${VAR:-default} expand, then plain scalars are typed") {
    Diagnostics diagnostics;
    auto doc = parse_yaml_document("url: ${BASE:-https://api.example}/v1\nn: ${N}\nquoted: \"${N}\"\nflag: true\nx: 1.5\n",
                                   "t.yaml", diagnostics, fake_env({{"N", "7"}}));
    REQUIRE(doc);
    CHECK_FALSE(diagnostics.has_errors());
    CHECK(doc->root["url"] == "https://api.example/v1");
    CHECK(doc->root["n"] == 7);
    CHECK(doc->root["quoted"] == "7");
    CHECK(doc->root["flag"] == true);
    CHECK(doc->root["x"] == 1.5);
}

TEST_CASE("an empty variable takes the default, an unset one without default is an error at the value") {
    Diagnostics diagnostics;
    auto doc = parse_yaml_document("a: ${EMPTY:-fallback}\nb:\n  c: ${MISSING}\n", "t.yaml", diagnostics,
                                   fake_env({{"EMPTY", ""}}));
    REQUIRE(doc);
    CHECK(doc->root["a"] == "fallback");
    REQUIRE(diagnostics.error_count() == 1);
    CHECK(diagnostics.all()[0].where.line == 3);
    CHECK(diagnostics.all()[0].where.column == 6);
}

TEST_CASE("positions are kept for keys and values, 1-based") {
    Diagnostics diagnostics;
    auto doc = parse_yaml_document("top:\n  - id: x\n    deep: {k: v}\n", "t.yaml", diagnostics);
    REQUIRE(doc);
    CHECK(doc->key_at("/top/0/deep/k").line == 3);
    CHECK(doc->key_at("/top/0/deep/k").column == 12);
    CHECK(doc->value_at("/top/0/id").column == 9);
    CHECK(doc->key_at("/top/0/missing").line == 2);  // falls back to the enclosing node
}

TEST_CASE("a duplicate key is an error naming the first one's line") {
    Diagnostics diagnostics;
    parse_yaml_document("a: 1\nb: 2\na: 3\n", "t.yaml", diagnostics);
    REQUIRE(diagnostics.error_count() == 1);
    CHECK(diagnostics.all()[0].message == "duplicate key 'a' (first given at line 1)");
}
