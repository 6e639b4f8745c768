#include <catch2/catch.hpp>

#include <teacher_kit/prices.hpp>

using namespace flowdistill;
using namespace flowdistill::teacher_kit;

TEST_CASE("the shipped table is dated and prices the pipelines' models") {
    CHECK(prices_as_of().size() == 10);  // YYYY-MM-DD
    for (const char* model : {"deepseek-reasoner", "deepseek-chat", "claude-sonnet-4-5"}) {
        INFO(model);
        const auto price = shipped_price(model);
        REQUIRE(price);
        CHECK(price->input_per_mtok > 0);
        CHECK(price->output_per_mtok > 0);
        CHECK(price->cached_input_per_mtok > 0);
        CHECK(price->cached_input_per_mtok < price->input_per_mtok);
    }
    CHECK_FALSE(shipped_price("no-such-model"));
}

TEST_CASE("cost from usage") {
    const Price price{2.0, 10.0, 0.5, 2.5};
    TokenUsage usage;
    usage.input_tokens = 1'000'000;
    usage.cached_input_tokens = 2'000'000;
    usage.cache_write_tokens = 400'000;
    usage.output_tokens = 100'000;
    CHECK(cost_usd(price, usage) == Approx(2.0 + 1.0 + 1.0 + 1.0));
    CHECK(cost_usd(price, TokenUsage{}) == 0);
}

TEST_CASE("the worst case bounds any usage within the limits") {
    const Price price{3.0, 15.0, 0.3, 3.75};
    const double worst = worst_case_cost_usd(price, 1000, 500);
    CHECK(worst == Approx((1000 * 3.75 + 500 * 15.0) / 1e6));
    TokenUsage usage;
    usage.cache_write_tokens = 1000;
    usage.output_tokens = 500;
    CHECK(cost_usd(price, usage) <= worst);
}

TEST_CASE("a YAML override replaces only the prices it names") {
    const auto base = shipped_price("deepseek-chat");
    REQUIRE(base);
    const Price overridden = price_with_override(base, Json{{"output_per_mtok", 9.0}});
    CHECK(overridden.output_per_mtok == 9.0);
    CHECK(overridden.input_per_mtok == base->input_per_mtok);
    CHECK(overridden.cached_input_per_mtok == base->cached_input_per_mtok);

    // Without a shipped price, cache reads and writes cost what input does unless stated.
    const Price fresh = price_with_override(std::nullopt, Json{{"input_per_mtok", 1.0}, {"output_per_mtok", 2.0}});
    CHECK(fresh.cached_input_per_mtok == 1.0);
    CHECK(fresh.cache_write_per_mtok == 1.0);
}
