#include <catch2/catch.hpp>

#include <string>

#include <boost/dll/import.hpp>
#include <boost/dll/shared_library.hpp>

#include <stage_harness.hpp>

using namespace flowdistill;

TEST_CASE("the offline_teacher module exports a teacher descriptor that makes working stages") {
    boost::dll::shared_library library(OFFLINE_TEACHER_MODULE, boost::dll::load_mode::rtld_now);
    REQUIRE(library.has("flowdistill_plugin_descriptor"));
    auto describe = boost::dll::import_alias<DescribeFunction>(library, "flowdistill_plugin_descriptor");
    const PluginDescriptor* descriptor = describe();
    REQUIRE(descriptor != nullptr);
    CHECK(descriptor->abi_major == kSdkAbiMajor);
    CHECK(descriptor->struct_size == sizeof(PluginDescriptor));
    CHECK(std::string(descriptor->name) == "offline_teacher");
    CHECK(descriptor->kind == PluginKind::Teacher);

    const ConfigSpec spec = descriptor->spec();
    CHECK(spec.summary.find("without a model") != std::string::npos);
    const FieldSpec* cap = spec.find("questions_per_chunk");
    REQUIRE(cap != nullptr);
    CHECK(cap->type == FieldType::Integer);
    CHECK(cap->default_value == 5);

    testing::TestContext context;
    auto stage = descriptor->create(ParsedConfig(Json{{"questions_per_chunk", 2}}), context);
    REQUIRE(stage->as_transform() != nullptr);
    CHECK_FALSE(stage->serial());

    Record chunk;
    chunk.id = "chunk_000007";
    chunk.data = Json{{"text", "If the pulse is absent, start compressions. Obtain EKG within 10 minutes. "
                               "Sepsis is a dysregulated response to infection."},
                      {"heading_path", Json::array({"Section 4.1: Cardiovascular Management"})}};
    testing::VectorEmitter out;
    stage->as_transform()->process(chunk, out);
    REQUIRE(out.records.size() == 2);
    CHECK(out.records[0].id == "chunk_000007_q01");
    CHECK(out.records[1].id == "chunk_000007_q02");
}
