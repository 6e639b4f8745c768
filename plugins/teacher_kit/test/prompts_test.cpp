#include <catch2/catch.hpp>

#include <teacher_kit/prompts.hpp>

using namespace flowdistill::teacher_kit;

TEST_CASE("every shipped domain has a template with the chunk last") {
    for (const auto& domain : known_domains()) {
        const auto tmpl = domain_template(domain);
        INFO(domain);
        CHECK_FALSE(tmpl.system.empty());
        CHECK(tmpl.system.find("\"difficulty\"") != std::string::npos);
        CHECK(tmpl.user.find("{n}") != std::string::npos);
        // Stable text first: the chunk is the very last thing the model reads, so a provider's
        // prompt cache can reuse everything before it.
        const auto chunk_at = tmpl.user.rfind("{chunk}");
        REQUIRE(chunk_at != std::string::npos);
        CHECK(chunk_at + std::string("{chunk}").size() == tmpl.user.size());
        CHECK(tmpl.system.find("{chunk}") == std::string::npos);
    }
}

TEST_CASE("domain templates differ from one another") {
    CHECK(domain_template("medical").system != domain_template("legal").system);
    CHECK(domain_template("technical").system != domain_template("financial").system);
}

TEST_CASE("an unknown domain names the known ones") {
    try {
        domain_template("astrology");
        FAIL("no exception");
    } catch (const std::invalid_argument& e) {
        const std::string message = e.what();
        CHECK(message.find("astrology") != std::string::npos);
        CHECK(message.find("medical, legal, technical, financial, general") != std::string::npos);
    }
}

TEST_CASE("render_prompt fills every placeholder") {
    PromptValues values{"Give 5 mg.", {"Dosing", "Children"}, 3, "medical"};
    CHECK(render_prompt("{n} pairs on {domain} under {heading_path}: {chunk}", values) ==
          "3 pairs on medical under Dosing > Children: Give 5 mg.");
}

TEST_CASE("render_prompt leaves JSON braces and unknown names alone") {
    PromptValues values{"x", {}, 2, "general"};
    CHECK(render_prompt(R"({"pairs": [{"question": "..."}]} {unknown} {n})", values) ==
          R"({"pairs": [{"question": "..."}]} {unknown} 2)");
    CHECK(render_prompt("{heading_path}", values) == "(no heading)");
    CHECK(render_prompt("unclosed {chunk", values) == "unclosed {chunk");
}

TEST_CASE("text substituted in is never expanded again") {
    PromptValues values{"a chunk that mentions {n} and {domain}", {}, 7, "legal"};
    CHECK(render_prompt("{chunk}", values) == "a chunk that mentions {n} and {domain}");
}

TEST_CASE("the repair prompt asks for the number of pairs as JSON") {
    const auto text = repair_prompt(4);
    CHECK(text.find("Write 4 question-and-answer pairs") != std::string::npos);
    CHECK(text.find("\"pairs\"") != std::string::npos);
}
