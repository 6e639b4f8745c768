#pragma once
// The offline_teacher stage: chunk records in, template Q&A pair records out, no model and no
// network. Stateless after construction, so process() may run on many threads at once.
#include <cstddef>

#include <flowdistill/flowdistill.hpp>

namespace flowdistill::offline_teacher {

struct OfflineTeacherSettings {
    std::size_t questions_per_chunk = 5;
};

class OfflineTeacher final : public Transform {
public:
    OfflineTeacher(OfflineTeacherSettings settings, PluginContext& context);

    void process(Record chunk, Emitter& out) override;

private:
    OfflineTeacherSettings settings_;
    PluginContext& context_;
};

}  // namespace flowdistill::offline_teacher
