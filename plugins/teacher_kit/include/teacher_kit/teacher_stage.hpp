#pragma once
// The request flow both teachers share: store lookup, budget reservation, send, parse, store,
// settle, emit; one repair attempt when a reply holds no pair.
#include <atomic>
#include <deque>
#include <memory>
#include <mutex>
#include <string>

#include <flowdistill/context.hpp>
#include <flowdistill/stage.hpp>
#include <teacher_kit/generation_settings.hpp>
#include <teacher_kit/wire_format.hpp>

namespace flowdistill::teacher_kit {

class TeacherStage final : public AsyncTransform {
public:
    TeacherStage(std::string plugin_name, GenerationSettings settings, std::unique_ptr<WireFormat> wire,
                 PluginContext& context);

    // Reads the API key from the environment and registers the endpoint's limits.
    // Throws FatalError when the key's variable is unset.
    void start() override;
    void submit(Record input, std::shared_ptr<AsyncCompletion> completion) override;
    // The request a chunk would cost at worst (as the budget reserves it); sends nothing.
    std::optional<WorkEstimate> estimate(const Record& chunk) const override;

    const GenerationSettings& settings() const { return settings_; }
    std::string teacher_label() const { return settings_.provider + "/" + settings_.model; }

    // The conversation for a chunk's first request (exposed for tests and `plan`).
    Conversation first_conversation(const Record& chunk) const;

private:
    struct Job;
    void run_attempt(std::shared_ptr<Job> job);
    std::optional<BudgetReservation> reserve_or_wait(const std::shared_ptr<Job>& job, double worst_usd, bool& waiting);
    void settle_reservation(const BudgetReservation& reservation, double cost_usd);
    void release_reservation(const BudgetReservation& reservation);
    void retry_requests_waiting_for_budget();
    void refuse_for_budget(const std::shared_ptr<Job>& job, double worst_usd);
    void on_response(std::shared_ptr<Job> job, const std::string& key, double reserved_usd,
                     std::uint64_t reservation_id, HttpResponse response);
    void handle_reply(std::shared_ptr<Job> job, const ProviderReply& reply);
    void fail_http(const std::shared_ptr<Job>& job, const HttpResponse& response);
    std::string auth_failure_message(int status) const;

    std::string plugin_name_;
    GenerationSettings settings_;
    std::unique_ptr<WireFormat> wire_;
    PluginContext& context_;
    std::string api_key_;
    std::atomic<bool> budget_logged_{false};
    std::atomic<int> auth_failure_status_{0};
    std::atomic<bool> store_failed_{false};  // nothing more is sent once a paid response could not be kept

    // A request whose worst case does not fit beside those in flight waits for one of them to
    // settle (real costs are usually far below the worst case) rather than being refused at once;
    // a refusal is final only when none of this stage's requests is in flight.
    std::mutex budget_mutex_;
    std::size_t reservations_in_flight_ = 0;
    std::deque<std::shared_ptr<Job>> waiting_for_budget_;
};

}  // namespace flowdistill::teacher_kit
