#pragma once
#include <filesystem>
#include <string>
#include <vector>

#include <flowdistill/config_spec.hpp>
#include <flowdistill/services.hpp>

namespace flowdistill {

// Everything a stage may use. Owned by the engine; outlives the stage.
class PluginContext {
public:
    virtual ~PluginContext() = default;
    virtual const std::string& stage_id() const = 0;
    virtual const std::filesystem::path& output_dir() const = 0;
    virtual const std::vector<std::string>& inputs() const = 0;  // the run's inputs, as given
    virtual Logger& logger() = 0;
    virtual HttpClient& http() = 0;
    virtual BudgetLedger& budget() = 0;       // this stage's budget, chained to the run's
    virtual ResponseStore& store() = 0;
    virtual const Cancellation& cancellation() const = 0;
    virtual StageMetrics& metrics() = 0;
};

}  // namespace flowdistill
