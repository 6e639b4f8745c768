#include <catch2/catch.hpp>

#include <memory>
#include <random>
#include <string>
#include <vector>

#include "heading_stack.hpp"

using semantic_chunker::HeadingMatch;
using semantic_chunker::HeadingStack;
using semantic_chunker::HeadingStyle;

namespace {

HeadingMatch markdown(int level, std::string title) {
    HeadingMatch heading;
    heading.style = {HeadingStyle::Markup::Markdown};
    heading.markdown_level = level;
    heading.title = std::move(title);
    return heading;
}

}  // namespace

TEST_CASE("heading paths follow the stack, and a path kept by a chunk never changes after (seeded)") {
    // Markdown levels are absolute: the path is the last heading of each level above the new one.
    std::mt19937 random(5);
    HeadingStack stack;
    std::vector<std::pair<int, std::string>> expected;  // (level, title) outermost first
    struct Kept {
        std::shared_ptr<const std::vector<std::string>> path;
        std::vector<std::string> titles;  // what it held when it was kept
    };
    std::vector<Kept> kept;
    for (int step = 0; step < 20000; ++step) {
        if (random() % 50 == 0) {  // a new file
            stack.reset();
            expected.clear();
        } else {
            const int level = 1 + static_cast<int>(random() % 4);
            // Titles long enough to live on the heap, and short ones.
            std::string title = "Heading " + std::to_string(step) + std::string(random() % 40, 'x');
            while (!expected.empty() && expected.back().first >= level) expected.pop_back();
            expected.emplace_back(level, title);
            stack.push(markdown(level, title));
        }
        std::vector<std::string> titles;
        for (const auto& [level, title] : expected) titles.push_back(title);
        if (random() % 3 == 0) {  // not every heading is followed by a chunk
            REQUIRE(*stack.path() == titles);
            // Chunks keep their path for a while (the chunk held back), a few for longer.
            kept.push_back({stack.path(), titles});
            if (kept.size() > 3) kept.erase(kept.begin() + static_cast<std::ptrdiff_t>(random() % kept.size()));
        }
        for (const Kept& chunk : kept) REQUIRE(*chunk.path == chunk.titles);
    }
}

TEST_CASE("a new file starts with an empty heading path, and an unchanged stack gives the same path") {
    HeadingStack stack;
    CHECK(stack.path()->empty());
    stack.push(markdown(1, "Guide to the installation of everything"));
    const auto first = stack.path();
    CHECK(stack.path() == first);  // no copy while nothing changed
    stack.push(markdown(2, "Setup"));
    CHECK(*stack.path() == std::vector<std::string>{"Guide to the installation of everything", "Setup"});
    CHECK(*first == std::vector<std::string>{"Guide to the installation of everything"});
    stack.reset();
    CHECK(stack.path()->empty());
}
