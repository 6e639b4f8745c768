// Nothing paid for is lost and nothing is paid twice: pipelines/medical.yaml runs against the fake
// provider, is killed with SIGKILL after a seeded number of stored responses, and is rerun.
#include <catch2/catch.hpp>

#include <csignal>
#include <map>

#include <nlohmann/json.hpp>

#include "child_process.hpp"
#include "fake_provider_process.hpp"

using namespace flowdistill::testing;
using Json = nlohmann::json;

namespace {

const std::string kKey = "sk-crash-test-0123456789abcdefghij";
const std::string kInput = FLOWDISTILL_SOURCE_DIR "/../shared/corpus/medical/nci_pdq_osteosarcoma_treatment_patient.md";

std::vector<std::string> medical_argv(const std::filesystem::path& out, std::vector<std::string> extra = {}) {
    std::vector<std::string> argv{flowdistill_binary(), "run", "pipelines/medical.yaml", "--input", kInput,
                                  "--output-dir", out.string()};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return argv;
}

ChildOptions against(const FakeProviderProcess& fake, bool stderr_to_pipe = false) {
    ChildOptions options;
    options.cwd = FLOWDISTILL_SOURCE_DIR;
    options.env = {{"DEEPSEEK_BASE_URL", fake.base_url() + "/v1"}, {"DEEPSEEK_API_KEY", kKey}};
    options.stderr_to_pipe = stderr_to_pipe;
    return options;
}

FakeProviderOptions keyed() {
    FakeProviderOptions options;
    options.api_key = kKey;
    return options;
}

std::map<std::string, int> successes_by_body(const FakeProviderProcess& fake) {
    std::map<std::string, int> out;
    for (const auto& entry : fake.log_entries())
        if (entry.value("status", 0) == 200) ++out[entry["body_sha256"].get<std::string>()];
    return out;
}

}  // namespace

TEST_CASE("kill -9 mid-run: the rerun resumes, pays for nothing twice and ends with the uninterrupted dataset") {
    REQUIRE(std::filesystem::exists(kInput));
    TempDir reference_dir;
    std::string reference;
    std::size_t requests = 0;
    {
        FakeProviderProcess fake(keyed());
        const auto result = run_child(medical_argv(reference_dir.path()), against(fake));
        INFO(result.out << result.err);
        REQUIRE(result.exit_code == 0);
        reference = read_file(reference_dir.path() / "golden_dataset.jsonl");
        requests = successes_by_body(fake).size();
        REQUIRE(requests >= 20);
    }
    for (const unsigned seed : {1u, 2u, 3u}) {
        const std::size_t stored_before_kill = 2 + (seed * 7919u) % (requests - 4);
        DYNAMIC_SECTION("seed " << seed << ": killed after " << stored_before_kill << " stored responses") {
            TempDir dir;
            FakeProviderProcess fake(keyed());
            // Only the first answers come back; every later request hangs, so when the run has
            // stored that many, no answer is on its way that a kill could lose.
            Json script = Json::array();
            for (std::size_t i = 0; i < stored_before_kill; ++i) script.push_back(Json::object());
            for (std::size_t i = 0; i < 300; ++i) script.push_back({{"hang", true}});
            fake.script(script);
            {
                Child child(medical_argv(dir.path(), {"--json-log", "--verbose"}), against(fake, true));
                REQUIRE(child.read_stderr_until("stored the response for", stored_before_kill));
                child.signal(SIGKILL);
                CHECK(child.wait().exit_code == 128 + SIGKILL);
            }
            fake.script(Json::array());

            const auto rerun = run_child(medical_argv(dir.path()), against(fake));
            INFO(rerun.out << rerun.err);
            REQUIRE(rerun.exit_code == 0);
            CHECK(read_file(dir.path() / "golden_dataset.jsonl") == reference);
            const Json report = Json::parse(read_file(dir.path() / "run_report.json"));
            CHECK(report["results"]["requests_cached"] == stored_before_kill);
            CHECK(report["results"]["requests_paid"] == requests - stored_before_kill);
            for (const auto& [body, answered] : successes_by_body(fake)) {
                INFO("request body " << body);
                CHECK(answered == 1);
            }
            CHECK(successes_by_body(fake).size() == requests);
            for (const auto& file : std::filesystem::recursive_directory_iterator(dir.path()))
                if (file.is_regular_file()) CHECK(read_file(file.path()).find(kKey) == std::string::npos);
        }
    }
}
