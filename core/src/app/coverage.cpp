// The planners' gap map (see coverage.hpp).

#include <vigil/app/coverage.hpp>

#include "request_json.hpp"
#include "road_question.hpp"

#include <vigil/util/error.hpp>
#include <vigil/util/i18n.hpp>
#include <vigil/util/text.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>

namespace vigil::app {

CoverageResult coverage(const LayerSet& layers, const routing::RoadGraph& graph, const CoverageQuery& query) {
    if (!(query.minutes > 0))
        throw UsageError(trf("coverage limit {} min: give a positive number of minutes", text::format_double(query.minutes)));
    const model::Layer& teams = layers.require(query.teams);
    const auto filter = query::Filter::compile(teams.kind(), query.filter);
    std::vector<const model::Layer*> targets;
    for (const auto& kind : query.targets) targets.push_back(&layers.require(kind));

    CoverageResult out;
    out.need = query.filter.need;
    out.minutes = query.minutes;
    std::vector<std::size_t> team_rows;
    std::vector<geo::Coord> team_points;
    std::vector<double> turnout;
    for (std::size_t row = 0; row < teams.size(); ++row) {
        if (teams.geometry(row).is_empty() || !filter.accept(teams, row)) continue;
        team_rows.push_back(row);
        team_points.push_back(detail::record_point(teams, row));
        turnout.push_back(detail::record_turnout_s(teams, row));
    }
    out.teams = team_points.size();
    // No staging: a target is a place to cover, not an incident inside a closure.
    const detail::RoadQuestion road(graph, {}, query.closures, query.max_snap_m, /*stage=*/false);
    out.closed_segments = road.closed.size();
    routing::Router router(graph);
    const double limit_s = query.minutes * 60;
    const auto t0 = detail::Clock::now();
    for (const model::Layer* layer : targets) {
        for (std::size_t row = 0; row < layer->size(); ++row) {
            if (layer->geometry(row).is_empty()) continue;
            ++out.targets;
            CoverageGap g{layer->kind().kind, layer->id(row), detail::record_title(*layer, row), detail::record_point(*layer, row)};
            if (!team_points.empty()) {
                const auto travel = router.to_incident(g.at, team_points, road.options);
                const auto ranked = routing::rank_by_eta(travel, turnout);
                if (!ranked.empty() && std::isfinite(ranked.front().eta_s)) {
                    g.reachable = true;
                    g.eta_s = ranked.front().eta_s;
                    g.best_team = teams.id(team_rows[ranked.front().index]);
                }
            }
            if (!g.reachable || g.eta_s > limit_s) out.gaps.push_back(std::move(g));
        }
    }
    out.total_ms = detail::ms_since(t0);
    // Worst first: unreachable, then by ETA.
    std::stable_sort(out.gaps.begin(), out.gaps.end(), [](const CoverageGap& x, const CoverageGap& y) {
        if (x.reachable != y.reachable) return !x.reachable;
        return x.eta_s > y.eta_s;
    });
    return out;
}

nlohmann::ordered_json to_json(const CoverageResult& r) {
    using ojson = nlohmann::ordered_json;
    ojson out;
    out["query"] = {{"teams", r.teams},
                    {"need", r.need},
                    {"minutes", r.minutes},
                    {"targets", r.targets},
                    {"closed_segments", r.closed_segments},
                    {"total_ms", detail::round_to(r.total_ms, 10)}};
    ojson gaps = ojson::array();
    for (const auto& g : r.gaps)
        gaps.push_back({{"layer", g.layer},
                        {"id", g.id},
                        {"name", g.name},
                        {"lon", g.at.x},
                        {"lat", g.at.y},
                        {"reachable", g.reachable},
                        {"eta_s", g.reachable ? detail::number_or_null(g.eta_s, 10) : ojson(nullptr)},
                        {"best_team", g.best_team}});
    out["gaps"] = std::move(gaps);
    return out;
}

nlohmann::ordered_json to_geojson(const CoverageResult& r) {
    using ojson = nlohmann::ordered_json;
    ojson features = ojson::array();
    for (const auto& g : r.gaps)
        features.push_back(detail::feature<ojson>({{"layer", g.layer},
                                                   {"id", g.id},
                                                   {"name", g.name},
                                                   {"reachable", g.reachable},
                                                   {"eta_s", g.reachable ? detail::number_or_null(g.eta_s, 10) : ojson(nullptr)},
                                                   {"best_team", g.best_team}},
                                                  detail::point_json(g.at)));
    return {{"type", "FeatureCollection"}, {"features", std::move(features)}};
}

CoverageQuery coverage_query_from_json(const nlohmann::json& j) {
    const detail::RequestReader read{tr("coverage request")};
    read.object(j);
    CoverageQuery q;
    for (const auto& [key, v] : j.items()) {
        if (key == "teams") q.teams = read.string(v, key);
        else if (key == "need") q.filter.need = read.words(v, key);
        else if (key == "status") q.filter.status = read.words(v, key);
        else if (key == "minutes") q.minutes = read.number(v, key);
        else if (key == "targets") q.targets = read.words(v, key);
        else if (key == "max_snap") q.max_snap_m = read.number(v, key);
        else if (key == "closures") q.closures = read.closures(v, key);
        else read.unknown(key, "teams, need, status, minutes, targets, max_snap, closures"); // i18n: not shown: keys
    }
    if (!(q.minutes > 0)) throw UsageError(tr("coverage request: \"minutes\" must be a positive number"));
    if (q.targets.empty()) throw UsageError(tr("coverage request: \"targets\" names no layer"));
    if (!(q.max_snap_m > 0)) throw UsageError(tr("coverage request: \"max_snap\" must be a positive number of metres"));
    return q;
}

} // namespace vigil::app
