#pragma once
// Model prices (USD per million tokens) and the cost of one response.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <flowdistill/record.hpp>

namespace flowdistill::teacher_kit {

struct Price {
    double input_per_mtok = 0;
    double output_per_mtok = 0;
    double cached_input_per_mtok = 0;  // prompt tokens served from the provider's cache
    double cache_write_per_mtok = 0;   // prompt tokens written to the cache (Anthropic)
};

// Tokens of one response, normalised across wire formats. The four counts are disjoint.
struct TokenUsage {
    std::int64_t input_tokens = 0;         // prompt tokens billed at the input price
    std::int64_t cached_input_tokens = 0;  // prompt tokens read from the cache
    std::int64_t cache_write_tokens = 0;   // prompt tokens written to the cache
    std::int64_t output_tokens = 0;        // completion tokens, reasoning included
};

// The date of the shipped price table (prices.json "as_of").
std::string prices_as_of();

// The shipped price of `model`, if the table has one.
std::optional<Price> shipped_price(std::string_view model);

// `override_json` ({input_per_mtok, output_per_mtok, cached_input_per_mtok, cache_write_per_mtok},
// any subset) on top of `base`. A missing cached price falls back to the input price, a missing
// cache-write price to the input price.
Price price_with_override(const std::optional<Price>& base, const Json& override_json);

double cost_usd(const Price& price, const TokenUsage& usage);

// The most a request can cost: every prompt token at the dearer of the input and cache-write
// prices, and every allowed output token.
double worst_case_cost_usd(const Price& price, std::int64_t prompt_tokens, std::int64_t max_output_tokens);

}  // namespace flowdistill::teacher_kit
