#pragma once
// The request flow both teachers share: store lookup, budget reservation, send, parse, store,
// settle, emit; one repair attempt when a reply holds no pair.
#include <atomic>
#include <memory>
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
};

}  // namespace flowdistill::teacher_kit
