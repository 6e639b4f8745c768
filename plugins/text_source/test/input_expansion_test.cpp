#include <catch2/catch.hpp>

#include "input_expansion.hpp"
#include "temp_folder.hpp"

using text_source::expand_inputs;
using text_source::testing::TempFolder;

TEST_CASE("folders are walked recursively, sorted, filtered by extension") {
    TempFolder dir;
    dir.write("b.md", "b");
    dir.write("a.txt", "a");
    dir.write("sub/c.TXT", "c");
    dir.write("sub/skip.json", "{}");
    dir.write("sub/deeper/d.md", "d");
    const auto expanded = expand_inputs({dir.path()}, {".txt", ".md"});
    CHECK(expanded.problems.empty());
    REQUIRE(expanded.files.size() == 4);
    CHECK(expanded.files[0] == dir.path("a.txt"));
    CHECK(expanded.files[1] == dir.path("b.md"));
    CHECK(expanded.files[2] == dir.path("sub/c.TXT"));
    CHECK(expanded.files[3] == dir.path("sub/deeper/d.md"));
}

TEST_CASE("inputs keep their order, a file named twice is read once, named files ignore the extension list") {
    TempFolder dir;
    const auto notes = dir.write("notes.rst", "n");
    const auto a = dir.write("x/a.txt", "a");
    const auto expanded = expand_inputs({notes, dir.path("x"), a}, {".txt"});
    REQUIRE(expanded.files.size() == 2);
    CHECK(expanded.files[0] == notes);
    CHECK(expanded.files[1] == a);
}

TEST_CASE("globs expand sorted, inputs that match nothing are reported") {
    TempFolder dir;
    dir.write("g/2.txt", "2");
    dir.write("g/1.txt", "1");
    dir.write("g/1.md", "m");
    const auto expanded = expand_inputs({dir.path("g/*.txt"), dir.path("missing.txt"), dir.path("none/*.md")}, {".txt"});
    REQUIRE(expanded.files.size() == 2);
    CHECK(expanded.files[0] == dir.path("g/1.txt"));
    CHECK(expanded.files[1] == dir.path("g/2.txt"));
    REQUIRE(expanded.problems.size() == 2);
    CHECK(expanded.problems[0].find("does not exist") != std::string::npos);
    CHECK(expanded.problems[1].find("matched no file") != std::string::npos);
}
