#include <catch2/catch.hpp>

#include <string>

#include <boost/dll/import.hpp>
#include <boost/dll/shared_library.hpp>

#include <stage_harness.hpp>

#include "scratch_dir.hpp"

using namespace flowdistill;

TEST_CASE("the jsonl module exports an exporter descriptor that makes working sinks") {
    boost::dll::shared_library library(JSONL_MODULE, boost::dll::load_mode::rtld_now);
    REQUIRE(library.has("flowdistill_plugin_descriptor"));
    auto describe = boost::dll::import_alias<DescribeFunction>(library, "flowdistill_plugin_descriptor");
    const PluginDescriptor* descriptor = describe();
    REQUIRE(descriptor != nullptr);
    CHECK(descriptor->abi_major == kSdkAbiMajor);
    CHECK(std::string(descriptor->name) == "jsonl");
    CHECK(descriptor->kind == PluginKind::Exporter);

    const ConfigSpec spec = descriptor->spec();
    REQUIRE(spec.find("file") != nullptr);
    CHECK(spec.find("file")->default_value == "golden_dataset.jsonl");
    REQUIRE(spec.find("format") != nullptr);
    CHECK(spec.find("format")->one_of == std::vector<std::string>{"golden", "records"});

    jsonl::test::ScratchDir dir;
    testing::TestContext context(dir.path());
    {
        auto stage = descriptor->create(ParsedConfig(Json{{"file", "pairs.jsonl"}, {"format", "records"}}), context);
        Sink* sink = stage->as_sink();
        REQUIRE(sink != nullptr);
        CHECK(sink->serial());
        sink->start();
        Record record;
        record.id = "chunk_000000_q01";
        record.data = Json{{"question", "Why?"}, {"answer", "Because."}};
        sink->consume(record);
        sink->close();
    }
    CHECK(jsonl::test::slurp(dir.path() / "pairs.jsonl") ==
          "{\"id\":\"chunk_000000_q01\",\"answer\":\"Because.\",\"question\":\"Why?\"}\n");
}
