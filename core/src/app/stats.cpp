// The statistics service (see stats.hpp).

#include <vigil/app/stats.hpp>

#include "request_json.hpp"

#include <vigil/util/error.hpp>

#include <nlohmann/json.hpp>

namespace vigil::app {
namespace {

nlohmann::json group_json(const hazard::CountyStats& s) {
    using hazard::RiskColour;
    nlohmann::json colours, grades;
    for (auto c : {RiskColour::Red, RiskColour::Orange, RiskColour::Yellow, RiskColour::Blue})
        colours[std::string(hazard::colour_value(c))] = s.by_colour[static_cast<std::size_t>(c)];
    colours["none"] = s.uncoloured;
    const char* names[] = {"grade1", "grade2", "grade3", "grade4", "not_major"};
    for (std::size_t g = 0; g < 5; ++g) grades[names[g]] = s.by_grade[g];
    grades["ungraded"] = s.ungraded;
    return {{"county", s.county},
            {"code", s.code},
            {"enterprises", s.enterprises},
            {"by_colour", colours},
            {"colour_computed", {{"lec", s.by_lec}, {"matrix", s.by_matrix}}},
            {"hazard_sources", s.hazard_sources},
            {"by_grade", grades},
            {"open_hazards", s.open_hazards},
            {"overdue_hazards", s.overdue_hazards},
            {"enterprises_with_overdue", s.enterprises_with_overdue}};
}

} // namespace

std::string_view stats_grouping_name(StatsGrouping g) {
    switch (g) {
    case StatsGrouping::County: return "county";
    }
    return "county";
}

StatsResult stats_by_county(const StatsRequest& request, const LayerSet& layers) {
    hazard::validate(request.rules.lec);
    hazard::validate(request.rules.matrix);
    StatsResult r;
    r.request = request;
    r.groups =
        hazard::county_statistics(layers.require("enterprises"), layers.find("hazard_sources"), layers.find("admin_areas"), request.rules);
    hazard::CountyStats& t = r.total;
    t.county = "合计";
    for (const auto& s : r.groups) {
        t.enterprises += s.enterprises;
        for (std::size_t k = 0; k < t.by_colour.size(); ++k) t.by_colour[k] += s.by_colour[k];
        t.uncoloured += s.uncoloured;
        t.by_lec += s.by_lec;
        t.by_matrix += s.by_matrix;
        t.hazard_sources += s.hazard_sources;
        for (std::size_t k = 0; k < t.by_grade.size(); ++k) t.by_grade[k] += s.by_grade[k];
        t.ungraded += s.ungraded;
        t.open_hazards += s.open_hazards;
        t.overdue_hazards += s.overdue_hazards;
        t.enterprises_with_overdue += s.enterprises_with_overdue;
    }
    return r;
}

StatsRequest stats_request_from_json(const nlohmann::json& j) {
    const detail::RequestReader read{"stats request"};
    read.object(j);
    StatsRequest q;
    // Three thresholds, as --lec and --matrix take them ("320,160,70" or [320, 160, 70]),
    // checked here so that a refusal names the key.
    auto thresholds = [&read](const nlohmann::json& v, const std::string& key, auto& out) {
        std::vector<double> n;
        if (v.is_string()) {
            for (const auto& word : text::split_list(v.get<std::string>())) {
                const auto x = text::parse_double(word);
                if (!x) read.refuse(key, "three numbers RED,ORANGE,YELLOW", v);
                n.push_back(*x);
            }
        } else {
            n = read.numbers(v, key);
        }
        if (n.size() != 3) read.refuse(key, "three numbers [red, orange, yellow]", v);
        out = {n[0], n[1], n[2]};
        try {
            hazard::validate(out);
        } catch (const UsageError& e) {
            throw UsageError("stats request: \"" + key + "\": " + e.what());
        }
    };
    for (const auto& [key, v] : j.items()) {
        if (key == "by") {
            if (read.string(v, key) != "county") read.refuse(key, "\"county\"", v);
            q.by = StatsGrouping::County;
        } else if (key == "lec") {
            thresholds(v, key, q.rules.lec);
        } else if (key == "matrix") {
            thresholds(v, key, q.rules.matrix);
        } else {
            read.unknown(key, "by, lec, matrix");
        }
    }
    return q;
}

nlohmann::json to_json(const StatsResult& r) {
    const auto& rules = r.request.rules;
    nlohmann::json groups = nlohmann::json::array();
    for (const auto& s : r.groups) groups.push_back(group_json(s));
    return {{"by", stats_grouping_name(r.request.by)},
            {"lec_thresholds", {rules.lec.red, rules.lec.orange, rules.lec.yellow}},
            {"matrix_thresholds", {rules.matrix.red, rules.matrix.orange, rules.matrix.yellow}},
            {"counties", std::move(groups)},
            {"total", group_json(r.total)}};
}

} // namespace vigil::app
