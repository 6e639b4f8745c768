#include <catch2/catch.hpp>

#include <text_kit/offset_map.hpp>

TEST_CASE("offset map follows the last anchor at or below an offset") {
    text_kit::OffsetMap map;
    map.add({0, 3});      // a BOM before the text
    map.add({10, 14});    // a CRLF became LF before offset 10
    map.add({20, 25});
    CHECK(map.to_original(0) == 3);
    CHECK(map.to_original(9) == 12);
    CHECK(map.to_original(10) == 14);
    CHECK(map.to_original(30) == 35);
    map.drop_before(15);
    CHECK(map.to_original(15) == 19);  // still mapped by the anchor at 10
    CHECK(map.to_original(21) == 26);
}

TEST_CASE("an anchor at the same offset replaces the previous one") {
    text_kit::OffsetMap map;
    map.add({0, 0});
    map.add({0, 7});
    CHECK(map.size() == 1);
    CHECK(map.to_original(1) == 8);
}
