#include <teacher_kit/prices.hpp>

#include <algorithm>

#include <teacher_kit/embedded_data.hpp>

namespace flowdistill::teacher_kit {
namespace {

const Json& price_table() {
    static const Json table = Json::parse(embedded::prices_json);
    return table;
}

Price read_price(const Json& entry, Price price) {
    price.input_per_mtok = entry.value("input_per_mtok", price.input_per_mtok);
    price.output_per_mtok = entry.value("output_per_mtok", price.output_per_mtok);
    price.cached_input_per_mtok = entry.value("cached_input_per_mtok", price.cached_input_per_mtok);
    price.cache_write_per_mtok = entry.value("cache_write_per_mtok", price.cache_write_per_mtok);
    return price;
}

}  // namespace

std::string prices_as_of() { return price_table().value("as_of", std::string{}); }

std::optional<Price> shipped_price(std::string_view model) {
    const auto& models = price_table().at("models");
    const auto it = models.find(std::string(model));
    if (it == models.end()) return std::nullopt;
    return price_with_override(std::nullopt, *it);
}

Price price_with_override(const std::optional<Price>& base, const Json& override_json) {
    if (!override_json.is_object()) return base.value_or(Price{});
    Price price = read_price(override_json, base.value_or(Price{}));
    // A provider without prompt caching or a separate write price bills those tokens as input.
    if (!override_json.contains("cached_input_per_mtok") && !base) price.cached_input_per_mtok = price.input_per_mtok;
    if (!override_json.contains("cache_write_per_mtok") && !base) price.cache_write_per_mtok = price.input_per_mtok;
    return price;
}

double cost_usd(const Price& price, const TokenUsage& usage) {
    const double micro = static_cast<double>(usage.input_tokens) * price.input_per_mtok +
                         static_cast<double>(usage.cached_input_tokens) * price.cached_input_per_mtok +
                         static_cast<double>(usage.cache_write_tokens) * price.cache_write_per_mtok +
                         static_cast<double>(usage.output_tokens) * price.output_per_mtok;
    return micro / 1e6;
}

double worst_case_cost_usd(const Price& price, std::int64_t prompt_tokens, std::int64_t max_output_tokens) {
    const double input_rate = std::max({price.input_per_mtok, price.cache_write_per_mtok, price.cached_input_per_mtok});
    return (static_cast<double>(prompt_tokens) * input_rate +
            static_cast<double>(max_output_tokens) * price.output_per_mtok) / 1e6;
}

}  // namespace flowdistill::teacher_kit
