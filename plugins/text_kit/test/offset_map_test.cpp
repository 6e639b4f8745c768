#include <catch2/catch.hpp>

#include <text_kit/offset_map.hpp>

#include <algorithm>
#include <cstdint>
#include <random>
#include <vector>

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

TEST_CASE("offsets asked for in any order, with anchors added and dropped between, map as the last anchor says (seeded)") {
    // to_original() first tries the anchor it found last; this holds it to the plain rule when
    // the questions jump back and forth, and when anchors are added after it or dropped before it.
    std::mt19937 random(20261201);
    text_kit::OffsetMap map;
    std::vector<text_kit::OffsetAnchor> anchors;  // the rule's own copy
    std::uint64_t next_normalized = 0, next_original = 0, dropped_before = 0;
    map.add({0, 0});  // as the chunker does: one anchor where the text starts
    anchors.push_back({0, 0});
    const auto expected = [&](std::uint64_t normalized) {
        const text_kit::OffsetAnchor* last = nullptr;
        for (const auto& anchor : anchors)
            if (anchor.normalized <= normalized) last = &anchor;
        return last->original + (normalized - last->normalized);
    };
    for (int step = 0; step < 20000; ++step) {
        const unsigned action = random() % 10;
        if (action == 0) {
            next_normalized += random() % 50;
            next_original = std::max(next_original, next_normalized) + random() % 5;
            const text_kit::OffsetAnchor anchor{next_normalized, next_original};
            if (!anchors.empty() && anchors.back().normalized == anchor.normalized) anchors.back() = anchor;
            else anchors.push_back(anchor);
            map.add(anchor);
        } else if (action == 1 && next_normalized > dropped_before) {
            dropped_before += random() % (next_normalized - dropped_before + 1);
            map.drop_before(dropped_before);
        } else {
            const std::uint64_t normalized = dropped_before + random() % (next_normalized - dropped_before + 60);
            INFO("step " << step << ", offset " << normalized);
            REQUIRE(map.to_original(normalized) == expected(normalized));
        }
    }
}
