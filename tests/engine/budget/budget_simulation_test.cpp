// Many simulated runs with random budgets, costs and completion orders: the spend stays within
// every budget, and a request is refused only when it really could have passed one.
#include <catch2/catch.hpp>

#include <algorithm>
#include <memory>
#include <optional>
#include <random>
#include <vector>

#include "budget/usd_budget_ledger.hpp"

using flowdistill::BudgetReservation;
using flowdistill::engine::UsdBudgetLedger;

namespace {

struct InFlight {
    UsdBudgetLedger* stage;
    BudgetReservation reservation;
    double worst_case;
};

struct SimulatedRun {
    double run_budget;
    std::vector<double> stage_budgets;
    int refused_needlessly = 0;
    int requests_refused = 0;
    int requests_paid = 0;
};

// A request may be refused only if, at that moment, some ledger in its chain had less room than
// its worst case. The room is read from the ledgers' own figures just before reserving.
bool could_pass_a_limit(const UsdBudgetLedger& stage, const UsdBudgetLedger& run, double worst_case) {
    for (const UsdBudgetLedger* ledger : {&stage, &run}) {
        const auto f = ledger->figures();
        if (f.spent_usd + f.reserved_usd + worst_case > f.limit_usd - 1e-9) return true;
    }
    return false;
}

void simulate(std::mt19937& rng, SimulatedRun& sim) {
    UsdBudgetLedger run(sim.run_budget);
    std::vector<std::unique_ptr<UsdBudgetLedger>> stages;
    for (double budget : sim.stage_budgets) stages.push_back(std::make_unique<UsdBudgetLedger>(budget, &run));

    std::uniform_real_distribution<double> unit(0.0, 1.0);
    std::uniform_int_distribution<int> max_in_flight_dist(1, 64);
    const int max_in_flight = max_in_flight_dist(rng);
    const double typical_worst = sim.run_budget / std::uniform_int_distribution<int>(5, 400)(rng);
    std::vector<InFlight> in_flight;

    auto complete_one = [&] {
        // Replies arrive in any order.
        std::uniform_int_distribution<std::size_t> pick(0, in_flight.size() - 1);
        const std::size_t i = pick(rng);
        const InFlight done = in_flight[i];
        in_flight.erase(in_flight.begin() + static_cast<std::ptrdiff_t>(i));
        const double roll = unit(rng);
        if (roll < 0.1) {
            done.stage->release(done.reservation);  // failed before anything was billed
        } else {
            done.stage->settle(done.reservation, done.worst_case * (roll < 0.5 ? 1.0 : unit(rng)));
            ++sim.requests_paid;
        }
    };

    const int requests = std::uniform_int_distribution<int>(50, 800)(rng);
    for (int i = 0; i < requests; ++i) {
        if (static_cast<int>(in_flight.size()) >= max_in_flight) complete_one();
        UsdBudgetLedger& stage = *stages[std::uniform_int_distribution<std::size_t>(0, stages.size() - 1)(rng)];
        const double worst_case = typical_worst * (0.2 + 1.6 * unit(rng));
        const bool could_pass = could_pass_a_limit(stage, run, worst_case);
        if (auto r = stage.reserve(worst_case)) {
            in_flight.push_back({&stage, *r, worst_case});
        } else {
            ++sim.requests_refused;
            if (!could_pass) ++sim.refused_needlessly;
        }
        if (unit(rng) < 0.5 && !in_flight.empty()) complete_one();
    }
    while (!in_flight.empty()) complete_one();

    REQUIRE(run.spent_usd() <= sim.run_budget);
    REQUIRE(run.reserved_usd() == 0);
    for (std::size_t s = 0; s < stages.size(); ++s) {
        REQUIRE(stages[s]->spent_usd() <= sim.stage_budgets[s]);
        REQUIRE(stages[s]->reserved_usd() == 0);
    }
}

}  // namespace

TEST_CASE("over many randomised runs the spend never passes the run or stage budget") {
    std::mt19937 rng(20261125);
    std::uniform_real_distribution<double> budget(0.01, 50.0);
    int runs_that_hit_a_budget = 0;
    for (int trial = 0; trial < 500; ++trial) {
        SimulatedRun sim;
        sim.run_budget = budget(rng);
        const int stage_count = std::uniform_int_distribution<int>(1, 3)(rng);
        for (int s = 0; s < stage_count; ++s) {
            // A third of the stages have no budget of their own and rely on the run's.
            const bool own_budget = std::uniform_int_distribution<int>(0, 2)(rng) != 0;
            sim.stage_budgets.push_back(own_budget ? sim.run_budget * std::uniform_real_distribution<double>(0.2, 1.2)(rng)
                                                   : UsdBudgetLedger::no_limit);
        }
        simulate(rng, sim);
        INFO("trial " << trial);
        REQUIRE(sim.refused_needlessly == 0);
        if (sim.requests_refused > 0) ++runs_that_hit_a_budget;
    }
    // The randomised budgets must actually bind, or the test proves nothing.
    CHECK(runs_that_hit_a_budget > 100);
}
