// `map`: passes records on, optionally setting fields. The smallest useful transform, and the
// one the engine's throughput bench chains together.
#include <flowdistill/flowdistill.hpp>

namespace {

using namespace flowdistill;

constexpr const char* kSet = "set";

class MapStage final : public InPlaceTransform {
public:
    explicit MapStage(Json fields) : fields_(std::move(fields)) {}

    bool update(Record& record) override {
        if (fields_.empty()) return true;
        for (const auto& [key, value] : fields_.items()) record.data[key] = value;
        return true;
    }

private:
    Json fields_;
};

ConfigSpec map_spec() {
    ConfigSpec spec;
    spec.summary = "Passes each record on unchanged, or with some fields set.";
    spec.stability = Stability::Stable;
    spec.field(object_field(kSet).defaults_to(Json::object()).describe("Fields to set on every record's data."));
    spec.example = "set: {domain: medical}";
    return spec;
}

std::unique_ptr<Stage> create_map(const ParsedConfig& config, PluginContext&) {
    return std::make_unique<MapStage>(config.get_json(kSet));
}

}  // namespace

FLOWDISTILL_REGISTER_PLUGIN("map", flowdistill::PluginKind::Transform, "1.0.0", map_spec, create_map)
