#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <random>
#include <stdexcept>
#include <thread>
#include <vector>

#include <stage_harness.hpp>

#include "budget/usd_budget_ledger.hpp"

using flowdistill::BudgetReservation;
using flowdistill::engine::UsdBudgetLedger;
using flowdistill::testing::RecordingLogger;

TEST_CASE("a ledger without a limit grants everything and sums what was settled") {
    UsdBudgetLedger ledger;
    CHECK(std::isinf(ledger.limit_usd()));
    auto a = ledger.reserve(1000);
    auto b = ledger.reserve(0.25);
    REQUIRE(a);
    REQUIRE(b);
    CHECK(a->id != b->id);
    ledger.settle(*a, 12.5);
    ledger.settle(*b, 0.125);
    CHECK(ledger.spent_usd() == Approx(12.625));
    CHECK(ledger.reserved_usd() == 0);
    CHECK_FALSE(ledger.exhausted());
}

TEST_CASE("a reservation that could pass the limit is refused, one that exactly fills it is granted") {
    UsdBudgetLedger ledger(1.0);
    auto first = ledger.reserve(0.4);
    auto second = ledger.reserve(0.6);
    REQUIRE(first);
    REQUIRE(second);
    CHECK(ledger.reserved_usd() == Approx(1.0));
    CHECK_FALSE(ledger.exhausted());

    CHECK_FALSE(ledger.reserve(0.000001));
    CHECK(ledger.exhausted());
    CHECK(ledger.refused_count() == 1);
    CHECK(ledger.figures().granted == 2);
}

TEST_CASE("release gives an unused reservation back") {
    UsdBudgetLedger ledger(1.0);
    auto whole = ledger.reserve(1.0);
    REQUIRE(whole);
    CHECK_FALSE(ledger.reserve(0.5));
    ledger.release(*whole);
    CHECK(ledger.reserved_usd() == 0);
    CHECK(ledger.spent_usd() == 0);
    CHECK(ledger.reserve(0.5));
}

TEST_CASE("settling below the reservation frees the difference") {
    UsdBudgetLedger ledger(1.0);
    auto r = ledger.reserve(0.5);
    REQUIRE(r);
    ledger.settle(*r, 0.2);
    CHECK(ledger.spent_usd() == Approx(0.2));
    CHECK(ledger.reserved_usd() == 0);
    CHECK(ledger.reserve(0.8));
    CHECK_FALSE(ledger.reserve(0.01));
}

TEST_CASE("settling above the reservation records the real cost, warns, and blocks what no longer fits") {
    RecordingLogger logger;
    UsdBudgetLedger ledger(0.6, nullptr, &logger, "stage 'generate'");
    auto r = ledger.reserve(0.5);
    REQUIRE(r);
    ledger.settle(*r, 0.7);
    CHECK(ledger.spent_usd() == Approx(0.7));
    const auto figures = ledger.figures();
    CHECK(figures.overruns == 1);
    CHECK(figures.overrun_usd == Approx(0.2));
    CHECK(logger.contains("stage 'generate'"));
    CHECK(logger.contains("above the"));
    CHECK_FALSE(ledger.reserve(0));
    CHECK(ledger.exhausted());
}

TEST_CASE("settling or releasing a reservation twice counts it once and logs the mistake") {
    RecordingLogger logger;
    UsdBudgetLedger ledger(10.0, nullptr, &logger);
    auto r = ledger.reserve(1.0);
    REQUIRE(r);
    ledger.settle(*r, 0.5);
    ledger.settle(*r, 0.5);
    ledger.release(*r);
    CHECK(ledger.spent_usd() == Approx(0.5));
    CHECK(ledger.reserved_usd() == 0);
    CHECK(logger.contains("settled twice"));
    CHECK(logger.contains("released twice"));
}

TEST_CASE("amounts that are negative, NaN or absurd are rejected with a message") {
    UsdBudgetLedger ledger(1.0);
    CHECK_THROWS_AS(ledger.reserve(-0.1), std::invalid_argument);
    CHECK_THROWS_AS(ledger.reserve(std::nan("")), std::invalid_argument);
    CHECK_THROWS_AS(ledger.reserve(1e12), std::invalid_argument);
    CHECK_THROWS_WITH(UsdBudgetLedger(-1.0), Catch::Contains("must be between 0"));
    CHECK_FALSE(ledger.exhausted());
}

TEST_CASE("a stage ledger reserves in the run ledger too, and the tighter limit decides") {
    UsdBudgetLedger run(1.0);
    UsdBudgetLedger generate(0.8, &run, nullptr, "stage 'generate'");
    UsdBudgetLedger validate(0.8, &run, nullptr, "stage 'validate'");

    auto g = generate.reserve(0.6);
    REQUIRE(g);
    CHECK(run.reserved_usd() == Approx(0.6));

    SECTION("the run's limit refuses: both the stage and the run have run out") {
        CHECK_FALSE(validate.reserve(0.6));
        CHECK(validate.exhausted());
        CHECK(run.exhausted());
        CHECK_FALSE(generate.exhausted());
        CHECK(validate.reserve(0.4));
    }
    SECTION("the stage's own limit refuses: the run still has money for other stages") {
        CHECK_FALSE(generate.reserve(0.3));
        CHECK(generate.exhausted());
        CHECK_FALSE(run.exhausted());
        CHECK(validate.reserve(0.3));
    }
    SECTION("settling and releasing in the stage reach the run") {
        auto v = validate.reserve(0.3);
        REQUIRE(v);
        generate.settle(*g, 0.5);
        validate.release(*v);
        CHECK(generate.spent_usd() == Approx(0.5));
        CHECK(validate.spent_usd() == 0);
        CHECK(run.spent_usd() == Approx(0.5));
        CHECK(run.reserved_usd() == 0);
    }
}

TEST_CASE("a stage ledger destroyed with reservations outstanding hands them back to the run") {
    RecordingLogger logger;
    UsdBudgetLedger run(1.0);
    {
        UsdBudgetLedger stage(1.0, &run, &logger, "stage 'generate'");
        REQUIRE(stage.reserve(0.9));
    }
    CHECK(run.reserved_usd() == 0);
    CHECK(logger.contains("never settled"));
}

namespace {

// Reservations travel from the workers (TBB threads in the engine) to one settling thread (the
// network thread), as they do in a run.
struct SettleQueue {
    struct Job {
        UsdBudgetLedger* ledger;
        BudgetReservation reservation;
        std::optional<double> actual;  // nullopt: release
    };
    std::mutex mutex;
    std::condition_variable ready;
    std::deque<Job> jobs;
    int producers_left = 0;

    void push(Job job) {
        { std::lock_guard lock(mutex); jobs.push_back(job); }
        ready.notify_one();
    }
    void producer_done() {
        { std::lock_guard lock(mutex); --producers_left; }
        ready.notify_one();
    }
    std::optional<Job> pop() {
        std::unique_lock lock(mutex);
        ready.wait(lock, [&] { return !jobs.empty() || producers_left == 0; });
        if (jobs.empty()) return std::nullopt;
        Job job = jobs.front();
        jobs.pop_front();
        return job;
    }
};

}  // namespace

TEST_CASE("many threads reserving against chained ledgers never spend past any limit") {
    const std::uint32_t seed = GENERATE(1u, 2u, 3u, 42u);
    constexpr int worker_count = 6;
    constexpr int requests_per_worker = 3000;
    const double run_limit = 5.0;

    UsdBudgetLedger run(run_limit);
    std::vector<std::unique_ptr<UsdBudgetLedger>> stages;
    for (double limit : {2.0, 2.5, 3.0, UsdBudgetLedger::no_limit})
        stages.push_back(std::make_unique<UsdBudgetLedger>(limit, &run));

    SettleQueue queue;
    queue.producers_left = worker_count;
    std::atomic<bool> limit_broken{false};
    std::mutex peak_mutex;
    double run_peak = 0;  // the highest spent + reserved seen in the run ledger
    auto check_limits = [&] {
        const auto r = run.figures();
        if (r.spent_usd + r.reserved_usd > run_limit + 1e-12) limit_broken = true;
        {
            std::lock_guard lock(peak_mutex);
            run_peak = std::max(run_peak, r.spent_usd + r.reserved_usd);
        }
        for (const auto& stage : stages) {
            const auto s = stage->figures();
            if (s.spent_usd + s.reserved_usd > s.limit_usd + 1e-12) limit_broken = true;
        }
    };

    std::thread settler([&] {
        while (auto job = queue.pop()) {
            if (job->actual) job->ledger->settle(job->reservation, *job->actual);
            else job->ledger->release(job->reservation);
            check_limits();
        }
    });
    std::vector<std::thread> workers;
    for (int w = 0; w < worker_count; ++w) {
        workers.emplace_back([&, w] {
            std::mt19937 rng(seed * 1000 + static_cast<std::uint32_t>(w));
            std::uniform_int_distribution<std::size_t> pick_stage(0, stages.size() - 1);
            std::uniform_real_distribution<double> worst(0.0, 0.02);
            std::uniform_real_distribution<double> fraction(0.0, 1.0);
            for (int i = 0; i < requests_per_worker; ++i) {
                UsdBudgetLedger& stage = *stages[pick_stage(rng)];
                const double worst_case = worst(rng);
                if (auto r = stage.reserve(worst_case)) {
                    const double roll = fraction(rng);
                    // Mostly the full worst case, so the spend presses against the limits.
                    std::optional<double> actual;
                    if (roll < 0.6) actual = worst_case;
                    else if (roll < 0.9) actual = worst_case * fraction(rng);
                    queue.push({&stage, *r, actual});
                }
                check_limits();
            }
            queue.producer_done();
        });
    }
    for (auto& worker : workers) worker.join();
    settler.join();

    CHECK_FALSE(limit_broken);
    CHECK(run.spent_usd() <= run_limit);
    CHECK(run.reserved_usd() == 0);
    CHECK(run.exhausted());  // 18,000 requests of up to 2 cents each must hit a 5 USD run budget
    double stage_total = 0;
    for (const auto& stage : stages) {
        CHECK(stage->spent_usd() <= stage->limit_usd());
        CHECK(stage->reserved_usd() == 0);
        stage_total += stage->spent_usd();
    }
    CHECK(run.spent_usd() == Approx(stage_total).epsilon(1e-9));
    // The ledger filled up to within a request or two of its limit before refusing: the refusals
    // were real, not a ledger that refuses everything. (The final spend can sit lower: the last
    // reservations may be released or settled below their worst case.)
    CHECK(run_peak > run_limit - 0.05);
}
