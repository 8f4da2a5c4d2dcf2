// The statistics service (see stats.hpp).

#include <vigil/app/stats.hpp>

#include "civil_dates.hpp"
#include "request_json.hpp"

#include <vigil/util/error.hpp>
#include <vigil/util/i18n.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <set>

namespace vigil::app {
namespace {

nlohmann::json figures_json(nlohmann::json head, const hazard::CountyStats& s) {
    using hazard::RiskColour;
    nlohmann::json colours, grades;
    for (auto c : {RiskColour::Red, RiskColour::Orange, RiskColour::Yellow, RiskColour::Blue})
        colours[std::string(hazard::colour_value(c))] = s.by_colour[static_cast<std::size_t>(c)];
    colours["none"] = s.uncoloured;
    const char* names[] = {"grade1", "grade2", "grade3", "grade4", "not_major"};
    for (std::size_t g = 0; g < 5; ++g) grades[names[g]] = s.by_grade[g];
    grades["ungraded"] = s.ungraded;
    head.update({{"enterprises", s.enterprises},
                 {"by_colour", colours},
                 {"colour_computed", {{"lec", s.by_lec}, {"matrix", s.by_matrix}}},
                 {"hazard_sources", s.hazard_sources},
                 {"by_grade", grades},
                 {"open_hazards", s.open_hazards},
                 {"overdue_hazards", s.overdue_hazards},
                 {"open_major_hazards", s.open_major_hazards},
                 {"enterprises_with_overdue", s.enterprises_with_overdue}});
    return head;
}

nlohmann::json group_json(const hazard::CountyStats& s) { return figures_json({{"county", s.county}, {"code", s.code}}, s); }

nlohmann::json grid_json(const hazard::CountyStats& s, const GridGroupInfo& g) {
    return figures_json({{"grid", s.county},
                         {"code", s.code},
                         {"level", g.level},
                         {"parent", g.parent},
                         {"member", g.member},
                         {"phone", g.phone},
                         {"path", g.path}},
                        s);
}

/// The ledger of the request's day, or the typed counts alone when the project has no records
/// and no day was given.
HazardLedger ledger_of(const StatsRequest& request, const LayerSet& layers) {
    if (request.as_of.empty()) {
        if (layers.find("hidden_hazards"))
            throw UsageError(
                tr("as_of: the project has hidden-hazard records, and open or overdue depends on the day (give as_of YYYY-MM-DD)"));
        return {};
    }
    return hazard_ledger(layers, request.as_of);
}

/// Adds the records of no known enterprise to the groups their points fall in: counted, not
/// lost, though no enterprise's.
void add_loose_records(hazard::Grouping& grouping, const HazardLedger& ledger, const LayerSet& layers) {
    const model::Layer* recs = layers.find("hidden_hazards");
    if (!recs) return;
    for (std::size_t row : ledger.without_enterprise) {
        const HazardRecordState& s = ledger.records[row];
        if (!s.open()) continue;
        hazard::CountyStats& g = grouping.groups[grouping.group_of(*recs, row)];
        ++g.open_hazards;
        g.overdue_hazards += s.state == HazardState::Overdue;
        g.open_major_hazards += s.major;
    }
}

hazard::CountyStats total_of(const std::vector<hazard::CountyStats>& groups) {
    hazard::CountyStats t;
    t.county = tr("Total");
    for (const auto& s : groups) {
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
        t.open_major_hazards += s.open_major_hazards;
        t.enterprises_with_overdue += s.enterprises_with_overdue;
    }
    return t;
}

/// The grids as groups: one per grid of the layer (index = cell), "(no grid)" added when a
/// record lies in none; the ids of such records kept by kind.
class GridGrouping : public hazard::Grouping {
public:
    explicit GridGrouping(const GridIndex& grids) : m_grids(grids) {
        for (const auto& c : grids.cells()) {
            hazard::CountyStats s;
            s.county = c.name.empty() ? c.id : c.name;
            s.code = c.id;
            groups.push_back(std::move(s));
        }
    }
    std::size_t group_of(const model::Layer& layer, std::size_t row) override {
        if (auto cell = m_grids.grid_of(layer, row)) {
            m_used.insert(*cell);
            return *cell;
        }
        outside[layer.kind().kind].push_back(layer.id(row));
        if (!m_none) {
            m_none = groups.size();
            hazard::CountyStats s;
            s.county = tr("(no grid)");
            groups.push_back(std::move(s));
        }
        return *m_none;
    }
    bool used(std::size_t cell) const { return m_used.count(cell) > 0; }

    std::map<std::string, std::vector<std::string>> outside; ///< kind → ids of records in no grid

private:
    const GridIndex& m_grids;
    std::set<std::size_t> m_used;
    std::optional<std::size_t> m_none;
};

StatsResult begin_stats(const StatsRequest& request, const LayerSet& layers) {
    hazard::validate(request.rules.lec);
    hazard::validate(request.rules.matrix);
    StatsResult r;
    r.request = request;
    layers.require("enterprises");
    r.ledger = ledger_of(request, layers);
    return r;
}

void end_stats(StatsResult& r) {
    r.total = total_of(r.groups);
    r.notes = r.ledger.notes();
}

} // namespace

std::string_view stats_grouping_name(StatsGrouping g) {
    switch (g) {
    case StatsGrouping::County: return "county";
    case StatsGrouping::Grid: return "grid";
    }
    return "county";
}

StatsResult stats_by_county(const StatsRequest& request, const LayerSet& layers) {
    StatsResult r = begin_stats(request, layers);
    hazard::CountyGrouping grouping(layers.find("admin_areas"));
    hazard::tally(grouping, layers.require("enterprises"), layers.find("hazard_sources"), request.rules,
                  r.ledger.from_records ? &r.ledger.counts : nullptr);
    add_loose_records(grouping, r.ledger, layers);
    r.groups = grouping.finish();
    end_stats(r);
    return r;
}

StatsResult stats_by_grid(const StatsRequest& request, const LayerSet& layers) {
    StatsResult r = begin_stats(request, layers);
    const auto grid_layer = layers.share("grids");
    if (!grid_layer) layers.require("grids"); // throws, naming the layers there are
    const GridIndex grids(grid_layer);
    GridGrouping grouping(grids);
    hazard::tally(grouping, layers.require("enterprises"), layers.find("hazard_sources"), request.rules,
                  r.ledger.from_records ? &r.ledger.counts : nullptr);
    add_loose_records(grouping, r.ledger, layers);
    // The grids in the layer's order: those with no grid below them (the finest of their
    // branch, listed even when empty, as every county is) and any other that holds a record of
    // its own (a place its children do not cover); then "(no grid)".
    for (std::size_t i = 0; i < grouping.groups.size(); ++i) {
        if (i < grids.cells().size()) {
            const GridCell& c = grids.cells()[i];
            if (!c.leaf && !grouping.used(i)) continue;
            r.grids.push_back({c.level ? std::string(grid_level_value(*c.level)) : grids.layer().text(c.row, "level"), c.parent_id,
                               c.member, c.phone, grids.path_text(i)});
        } else {
            r.grids.push_back({});
        }
        r.groups.push_back(grouping.groups[i]);
    }
    r.outside_enterprises = grouping.outside["enterprises"];
    r.outside_hazard_sources = grouping.outside["hazard_sources"];
    r.outside_hidden_hazards = grouping.outside["hidden_hazards"];
    end_stats(r);
    if (!r.outside_enterprises.empty()) r.notes.push_back(trf("{} enterprise(s) lie in no grid", r.outside_enterprises.size()));
    return r;
}

StatsResult statistics(const StatsRequest& request, const LayerSet& layers) {
    return request.by == StatsGrouping::Grid ? stats_by_grid(request, layers) : stats_by_county(request, layers);
}

StatsRequest stats_request_from_json(const nlohmann::json& j) {
    const detail::RequestReader read{tr("stats request")};
    read.object(j);
    StatsRequest q;
    // Three thresholds, as --lec and --matrix take them ("320,160,70" or [320, 160, 70]),
    // checked here so that a refusal names the key.
    auto thresholds = [&read](const nlohmann::json& v, const std::string& key, auto& out) {
        std::vector<double> n;
        if (v.is_string()) {
            for (const auto& word : text::split_list(v.get<std::string>())) {
                const auto x = text::parse_double(word);
                if (!x) read.refuse(key, tr("three numbers RED,ORANGE,YELLOW"), v);
                n.push_back(*x);
            }
        } else {
            n = read.numbers(v, key);
        }
        if (n.size() != 3) read.refuse(key, tr("three numbers [red, orange, yellow]"), v);
        out = {n[0], n[1], n[2]};
        try {
            hazard::validate(out);
        } catch (const UsageError& e) {
            throw UsageError(trf("stats request: \"{}\": {}", key, e.what()));
        }
    };
    for (const auto& [key, v] : j.items()) {
        if (key == "by") {
            const std::string by = read.string(v, key);
            if (by == "county") q.by = StatsGrouping::County;
            else if (by == "grid") q.by = StatsGrouping::Grid;
            else read.refuse(key, tr("\"county\" or \"grid\""), v);
        } else if (key == "lec") {
            thresholds(v, key, q.rules.lec);
        } else if (key == "matrix") {
            thresholds(v, key, q.rules.matrix);
        } else if (key == "as_of") {
            q.as_of = read.string(v, key);
            if (q.as_of.size() != 10 || !civil_dates::parse_days(q.as_of)) read.refuse(key, tr("a date \"YYYY-MM-DD\""), v);
        } else {
            read.unknown(key, "by, lec, matrix, as_of"); // i18n: not shown: the request's keys, as typed
        }
    }
    return q;
}

nlohmann::json to_json(const StatsResult& r) {
    using nlohmann::json;
    const auto& rules = r.request.rules;
    const HazardLedger& g = r.ledger;
    json hidden = {{"source", g.from_records ? "records" : "enterprises"}};
    if (g.from_records) {
        hidden.update({{"records", g.records.size()},
                       {"counted", g.counted},
                       {"open", g.open},
                       {"overdue", g.overdue},
                       {"open_major", g.open_major},
                       {"rectified", g.rectified},
                       {"no_deadline", g.no_deadline},
                       {"unreadable_dates", g.unreadable_dates},
                       {"level_assumed", g.level_assumed},
                       {"enterprises_typed", g.enterprises_typed},
                       {"without_enterprise", g.without_enterprise_ids}});
    }
    json out = {{"by", stats_grouping_name(r.request.by)},
                {"as_of", r.request.as_of.empty() ? json(nullptr) : json(r.request.as_of)},
                {"lec_thresholds", {rules.lec.red, rules.lec.orange, rules.lec.yellow}},
                {"matrix_thresholds", {rules.matrix.red, rules.matrix.orange, rules.matrix.yellow}}};
    json groups = json::array();
    if (r.request.by == StatsGrouping::Grid) {
        for (std::size_t i = 0; i < r.groups.size(); ++i) groups.push_back(grid_json(r.groups[i], r.grids.at(i)));
        out["grids"] = std::move(groups);
        out["outside_grids"] = {{"enterprises", r.outside_enterprises},
                                {"hazard_sources", r.outside_hazard_sources},
                                {"hidden_hazards", r.outside_hidden_hazards}};
    } else {
        for (const auto& s : r.groups) groups.push_back(group_json(s));
        out["counties"] = std::move(groups);
    }
    out["total"] = group_json(r.total);
    out["hidden_hazards"] = std::move(hidden);
    out["notes"] = r.notes;
    return out;
}

} // namespace vigil::app
