#include <teacher_kit/teacher_stage.hpp>

#include <cmath>
#include <cstdlib>
#include <sstream>

#include <flowdistill/errors.hpp>
#include <teacher_kit/pair_records.hpp>
#include <teacher_kit/prompts.hpp>
#include <teacher_kit/reply_parser.hpp>
#include <teacher_kit/request_key.hpp>

namespace flowdistill::teacher_kit {
namespace {

// Keeps reject records and repair prompts bounded when a model rambles.
constexpr std::size_t kMaxRawTextInReject = 64 * 1024;
constexpr std::size_t kMaxEchoedReply = 4000;
constexpr std::size_t kMaxPairsPerReply = 99;

std::string truncated(const std::string& text, std::size_t limit) {
    if (text.size() <= limit) return text;
    std::size_t cut = limit;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;  // keep UTF-8 whole
    return text.substr(0, cut) + "\n[... " + std::to_string(text.size() - cut) + " more bytes]";
}

bool blank(const std::string& text) {
    return text.find_first_not_of(" \t\r\n") == std::string::npos;
}

// No tokenizer here, so the worst case counts one prompt token per byte of the whole request body
// (byte-level BPE never makes more, and the body holds every prompt byte plus JSON syntax), plus a
// margin for the chat template's own tokens.
std::int64_t worst_case_prompt_tokens(const std::string& request_body) {
    return static_cast<std::int64_t>(request_body.size()) + 64;
}

std::string error_message_in(const std::string& body) {
    const Json parsed = Json::parse(body, nullptr, false);
    if (parsed.is_object()) {
        const auto it = parsed.find("error");
        if (it != parsed.end()) {
            if (it->is_object() && it->contains("message") && (*it)["message"].is_string())
                return (*it)["message"].get<std::string>();
            if (it->is_string()) return it->get<std::string>();
        }
    }
    return truncated(body, 300);
}

std::string format_usd(double usd) {
    std::ostringstream out;
    out.precision(4);
    out << '$' << std::fixed << usd;
    return out.str();
}

}  // namespace

struct TeacherStage::Job {
    Record chunk;
    std::shared_ptr<AsyncCompletion> completion;
    Conversation conversation;
    int attempt = 1;        // 2 = the repair request
    double cost_usd = 0;    // paid for this chunk in this run
    std::string first_text; // the first reply, kept for the reject record
    std::string first_problem;
};

TeacherStage::TeacherStage(std::string plugin_name, GenerationSettings settings, std::unique_ptr<WireFormat> wire,
                           PluginContext& context)
    : plugin_name_(std::move(plugin_name)), settings_(std::move(settings)), wire_(std::move(wire)), context_(context) {}

// The engine prefixes what start() throws with the stage and plugin, so messages start with the problem.
void TeacherStage::start() {
    if (!settings_.api_key_env.empty()) {
        const char* key = std::getenv(settings_.api_key_env.c_str());
        if (key == nullptr || *key == '\0')
            throw FatalError("the environment variable " + settings_.api_key_env + " is not set: export " +
                             settings_.api_key_env + "=<your API key for " + settings_.base_url +
                             ">, or try pipelines/quickstart.yaml, which runs without any key");
        api_key_ = key;
    }
    if (!settings_.price_known) {
        if (std::isfinite(context_.budget().limit_usd()))
            throw FatalError("no price is known for model '" + settings_.model +
                             "', so the budget cannot be enforced: add `price: {input_per_mtok: ..., "
                             "output_per_mtok: ...}` to the stage's config (0 for a local model)");
        context_.logger().warn(plugin_name_ + " (stage '" + context_.stage_id() + "'): no price is known for model '" +
                               settings_.model + "'; its cost is counted as $0 (set `price:` in the stage's config)");
    }
    context_.http().set_limits(settings_.base_url, settings_.limits);
}

Conversation TeacherStage::first_conversation(const Record& chunk) const {
    PromptValues values;
    values.chunk = chunk.data.value("text", std::string{});
    if (const auto it = chunk.data.find("heading_path"); it != chunk.data.end() && it->is_array())
        for (const auto& heading : *it)
            if (heading.is_string()) values.heading_path.push_back(heading.get<std::string>());
    values.n = settings_.questions_per_chunk;
    values.domain = settings_.domain;
    return Conversation{render_prompt(settings_.prompt.system, values),
                        {ChatTurn{"user", render_prompt(settings_.prompt.user, values)}}};
}

void TeacherStage::submit(Record input, std::shared_ptr<AsyncCompletion> completion) {
    if (blank(input.data.value("text", std::string{}))) {
        context_.metrics().add("empty_inputs", 1);
        completion->done();
        return;
    }
    auto job = std::make_shared<Job>();
    job->conversation = first_conversation(input);
    job->chunk = std::move(input);
    job->completion = std::move(completion);
    run_attempt(std::move(job));
}

void TeacherStage::run_attempt(std::shared_ptr<Job> job) {
    if (const int status = auth_failure_status_.load(); status != 0) {
        job->completion->fatal(auth_failure_message(status));
        return;
    }
    if (store_failed_) {
        job->completion->reject("not sent: the response store could not save an earlier paid response; fix the "
                                "output directory and rerun to resume",
                                "store_failed", Json::object());
        return;
    }
    if (context_.cancellation().stop_requested()) {
        job->completion->reject("the run was interrupted before this request was sent; rerun to resume",
                                "cancelled", Json::object());
        return;
    }
    std::string body_text = canonical_json(wire_->request_body(job->conversation, settings_));
    const std::string key = request_key_for_text(settings_.provider, settings_.base_url, settings_.model, body_text);

    if (auto stored = context_.store().find(key)) {
        ProviderReply reply;
        bool readable = true;
        try {
            reply = wire_->parse_response(stored->body);
        } catch (const std::exception&) {
            readable = false;  // only valid responses are stored, but never trust a disk: ask again
        }
        if (readable) {
            context_.metrics().add("cached", 1);
            handle_reply(std::move(job), reply);
            return;
        }
    }

    const std::int64_t prompt_tokens = worst_case_prompt_tokens(body_text);
    const double worst_usd = worst_case_cost_usd(settings_.price, prompt_tokens, settings_.max_tokens);
    bool waiting = false;
    const auto reservation = reserve_or_wait(job, worst_usd, waiting);
    if (waiting) return;
    if (!reservation) return refuse_for_budget(job, worst_usd);

    HttpRequest request;
    request.url = wire_->endpoint_url(settings_.base_url);
    request.headers = wire_->headers(api_key_);
    request.secret_headers = wire_->secret_header_names();
    request.body = std::move(body_text);
    request.endpoint_key = settings_.base_url;
    request.estimated_tokens = static_cast<std::int64_t>(request.body.size() / 4) + settings_.max_tokens;
    request.total_timeout_s = settings_.timeout_s;
    request.max_attempts = settings_.max_attempts;
    request.description = context_.stage_id() + " " + job->chunk.id + (job->attempt > 1 ? " (repair)" : "");
    context_.logger().debug("sending " + request.description + " to " + request.url);
    try {
        context_.http().send(std::move(request), [this, job, key, held = *reservation](HttpResponse response) {
            on_response(job, key, held.amount_usd, held.id, std::move(response));
        });
    } catch (const std::exception& e) {
        release_reservation(*reservation);
        job->completion->reject(std::string("could not start the request: ") + e.what(), "stage_error", Json::object());
    }
}

std::optional<BudgetReservation> TeacherStage::reserve_or_wait(const std::shared_ptr<Job>& job, double worst_usd,
                                                              bool& waiting) {
    std::lock_guard lock(budget_mutex_);
    auto reservation = context_.budget().reserve(worst_usd);
    if (reservation) {
        ++reservations_in_flight_;
    } else if (reservations_in_flight_ > 0) {
        waiting_for_budget_.push_back(job);
        waiting = true;
    }
    return reservation;
}

void TeacherStage::settle_reservation(const BudgetReservation& reservation, double cost_usd) {
    context_.budget().settle(reservation, cost_usd);
    retry_requests_waiting_for_budget();
}

void TeacherStage::release_reservation(const BudgetReservation& reservation) {
    context_.budget().release(reservation);
    retry_requests_waiting_for_budget();
}

// A reservation just made room: the requests that waited for it try again.
void TeacherStage::retry_requests_waiting_for_budget() {
    std::deque<std::shared_ptr<Job>> retry;
    {
        std::lock_guard lock(budget_mutex_);
        --reservations_in_flight_;
        retry.swap(waiting_for_budget_);
    }
    for (auto& job : retry) run_attempt(std::move(job));
}

void TeacherStage::refuse_for_budget(const std::shared_ptr<Job>& job, double worst_usd) {
    auto& budget = context_.budget();
    const std::string spent = "the budget is spent (" + format_usd(budget.spent_usd()) + " of " +
                              format_usd(budget.limit_usd()) + ")";
    if (!budget_logged_.exchange(true))
        context_.logger().warn(plugin_name_ + " (stage '" + context_.stage_id() + "'): " + spent +
                               ": requests that could pass it are not sent; the run goes on with the pairs "
                               "it has (rejects.jsonl lists the chunks left out)");
    job->completion->reject(spent + ": the request for " + job->chunk.id + " (worst case " + format_usd(worst_usd) +
                                ") was not sent; raise budget_usd and rerun to resume",
                            "budget_exhausted",
                            Json{{"worst_case_usd", worst_usd},
                                 {"spent_usd", budget.spent_usd()},
                                 {"limit_usd", budget.limit_usd()}});
}

std::optional<WorkEstimate> TeacherStage::estimate(const Record& chunk) const {
    const std::string body = wire_->request_body(first_conversation(chunk), settings_).dump(-1, ' ', false, Json::error_handler_t::replace);
    WorkEstimate e;
    e.requests = 1;
    e.input_tokens = static_cast<double>(body.size()) / 4;  // a typical tokenizer's rate, for the table
    e.output_tokens = settings_.max_tokens;
    e.cost_usd = worst_case_cost_usd(settings_.price, worst_case_prompt_tokens(body), settings_.max_tokens);
    e.requests_per_minute = settings_.limits.requests_per_minute;
    e.tokens_per_minute = settings_.limits.tokens_per_minute;
    e.max_concurrency = settings_.limits.max_concurrency;
    e.typical_latency_s = 30;  // reasoning models answer a 5-pair prompt in tens of seconds
    return e;
}

// Every path settles or releases the reservation before it finishes the job: once the last job
// is finished the engine may destroy this stage.
void TeacherStage::on_response(std::shared_ptr<Job> job, const std::string& key, double reserved_usd,
                               std::uint64_t reservation_id, HttpResponse response) {
    const BudgetReservation reservation{reservation_id, reserved_usd};
    if (response.status == 401 || response.status == 403) {
        int expected = 0;
        auth_failure_status_.compare_exchange_strong(expected, response.status);  // before any waiting request retries
        release_reservation(reservation);
        job->completion->fatal(auth_failure_message(response.status));
        return;
    }
    if (!response.ok()) {
        release_reservation(reservation);  // providers do not bill failed requests
        fail_http(job, response);
        return;
    }

    ProviderReply reply;
    try {
        reply = wire_->parse_response(response.body);
    } catch (const std::exception& e) {
        // The provider may have billed it: count the worst case so the budget stays a hard limit.
        settle_reservation(reservation, reserved_usd);
        context_.metrics().add("cost_usd", reserved_usd);
        context_.metrics().add("paid", 1);
        job->completion->reject(wire_->display_name() + " answered HTTP " + std::to_string(response.status) +
                                    " with a body that is not a valid response (" + e.what() +
                                    "); its worst-case cost was counted",
                                "malformed_response",
                                Json{{"raw_text", truncated(response.body, kMaxRawTextInReject)},
                                     {"http_status", response.status}});
        return;
    }

    const double cost = cost_usd(settings_.price, reply.usage);
    try {
        // Durable before anything downstream sees it: a crash after this point replays it free.
        context_.store().put(key, StoredResponse{response.body, reply.raw_usage, cost, settings_.provider,
                                                 settings_.model});
    } catch (const std::exception& e) {
        store_failed_ = true;  // before any waiting request retries
        settle_reservation(reservation, cost);
        context_.metrics().add("cost_usd", cost);
        job->completion->fatal("could not save a paid response to the response store (" + std::string(e.what()) +
                               "): stopping before more money is spent; fix the output directory and rerun");
        return;
    }
    settle_reservation(reservation, cost);
    context_.metrics().add("cost_usd", cost);
    context_.metrics().add("paid", 1);
    context_.logger().debug("stored the response for " + job->chunk.id);
    job->cost_usd += cost;
    handle_reply(std::move(job), reply);
}

void TeacherStage::handle_reply(std::shared_ptr<Job> job, const ProviderReply& reply) {
    ParsedReply parsed = parse_reply_text(reply.text);
    if (parsed.pairs.size() > kMaxPairsPerReply) {  // ids _q01.._q99 must keep sorting in order
        parsed.dropped += static_cast<int>(parsed.pairs.size() - kMaxPairsPerReply);
        parsed.pairs.resize(kMaxPairsPerReply);
    }
    if (parsed.dropped > 0) context_.metrics().add("pairs_dropped", parsed.dropped);
    if (!parsed.pairs.empty()) {
        if (parsed.salvaged) context_.metrics().add("replies_salvaged", 1);
        const std::string& fallback = reply.reasoning.empty() ? parsed.thinking : reply.reasoning;
        for (auto& record : make_pair_records(job->chunk, parsed.pairs, teacher_label(), job->cost_usd, fallback))
            job->completion->emit(std::move(record));
        job->completion->done();
        return;
    }
    if (job->attempt == 1) {
        job->attempt = 2;
        job->first_text = reply.text;
        job->first_problem = parsed.problem;
        const std::string echoed = truncated(reply.text, kMaxEchoedReply);
        job->conversation.turns.push_back(ChatTurn{"assistant", blank(echoed) ? "(empty reply)" : echoed});
        job->conversation.turns.push_back(ChatTurn{"user", repair_prompt(settings_.questions_per_chunk)});
        context_.metrics().add("repairs", 1);
        run_attempt(std::move(job));
        return;
    }
    job->completion->reject("no valid question-answer pair in " + teacher_label() +
                                "'s reply, even after a repair prompt: " + parsed.problem,
                            "no_valid_pairs",
                            Json{{"raw_text", truncated(reply.text, kMaxRawTextInReject)},
                                 {"first_raw_text", truncated(job->first_text, kMaxRawTextInReject)},
                                 {"first_problem", job->first_problem},
                                 {"stop_reason", reply.stop_reason}});
}

void TeacherStage::fail_http(const std::shared_ptr<Job>& job, const HttpResponse& response) {
    const std::string attempts = std::to_string(response.attempts) + " attempt" + (response.attempts == 1 ? "" : "s");
    std::string reason, cause;
    if (response.status == 0) {
        reason = "transport_error";
        cause = "no answer from " + wire_->display_name() + " at " + settings_.base_url + " after " + attempts + ": " +
                response.transport_error;
    } else {
        reason = response.status == 429   ? "rate_limited"
                 : response.status == 529 ? "overloaded"
                 : response.status >= 500 ? "server_error"
                                          : "request_refused";
        cause = wire_->display_name() + " answered HTTP " + std::to_string(response.status) + " after " + attempts +
                ": " + error_message_in(response.body);
    }
    job->completion->reject(cause + "; the chunk is retried on the next run", reason,
                            Json{{"http_status", response.status},
                                 {"attempts", response.attempts},
                                 {"transport_error", response.transport_error},
                                 {"raw_text", truncated(response.body, kMaxRawTextInReject)}});
}

std::string TeacherStage::auth_failure_message(int status) const {
    const std::string code = "(HTTP " + std::to_string(status) + ")";
    if (settings_.api_key_env.empty())
        return wire_->display_name() + " at " + settings_.base_url + " requires an API key " + code +
               ": set api_key_env in stage '" + context_.stage_id() +
               "' to the name of the environment variable holding the key";
    return wire_->display_name() + " rejected the API key in $" + settings_.api_key_env + " " + code +
           ": check the key is valid and allowed to use model " + settings_.model + ", export it in " +
           settings_.api_key_env + " and rerun (responses already paid for are replayed free)";
}

}  // namespace flowdistill::teacher_kit
