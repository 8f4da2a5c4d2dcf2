/// @file
/// The figures of one group (a county or a grid) of `vigil stats --json` in the statistics
/// table's column order (app::stats_table): what the table tests compare the CLI, the native
/// viewer and core against.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <vector>

namespace vigil::test {

inline std::vector<std::int64_t> stats_json_figures(const nlohmann::json& g) {
    std::vector<std::int64_t> out{g["enterprises"].get<std::int64_t>()};
    for (const char* c : {"red", "orange", "yellow", "blue", "none"}) out.push_back(g["by_colour"][c].get<std::int64_t>());
    out.push_back(g["hazard_sources"].get<std::int64_t>());
    for (const char* c : {"grade1", "grade2", "grade3", "grade4"}) out.push_back(g["by_grade"][c].get<std::int64_t>());
    for (const char* c : {"open_hazards", "overdue_hazards", "open_major_hazards", "enterprises_with_overdue"})
        out.push_back(g[c].get<std::int64_t>());
    return out;
}

} // namespace vigil::test
