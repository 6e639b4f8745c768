// The SDK headers are the plugin ABI. Their hash is recorded with the ABI version they belong to,
// so a header change without a version bump fails here instead of crashing someone's plugin.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include <flowdistill/version.hpp>

#include "child_process.hpp"
#include "store/request_key.hpp"

TEST_CASE("the SDK headers match the hash recorded for this ABI version") {
    const std::filesystem::path include = FLOWDISTILL_SOURCE_DIR "/sdk/include/flowdistill";
    std::vector<std::filesystem::path> headers;
    for (const auto& entry : std::filesystem::directory_iterator(include)) headers.push_back(entry.path());
    std::sort(headers.begin(), headers.end());
    flowdistill::Json contents = flowdistill::Json::object();
    for (const auto& header : headers) contents[header.filename().string()] = flowdistill::testing::read_file(header);
    const std::string hash = flowdistill::engine::request_key("sdk-abi", "", "", contents);
    const std::string version = std::to_string(flowdistill::kSdkAbiMajor) + "." + std::to_string(flowdistill::kSdkAbiMinor);

    std::ifstream recorded_file(FLOWDISTILL_SOURCE_DIR "/tests/sdk/abi_hash.txt");
    std::string recorded_version, recorded_hash;
    recorded_file >> recorded_version >> recorded_hash;
    INFO("The SDK headers changed. If plugins built before still work, bump kSdkAbiMinor in version.hpp; "
         "otherwise bump kSdkAbiMajor. Then write this line to tests/sdk/abi_hash.txt:\n"
         << version << " " << hash);
    CHECK(recorded_version == version);
    CHECK(recorded_hash == hash);
}
