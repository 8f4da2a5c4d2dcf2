// What the road services share (see road_question.hpp).

#include "road_question.hpp"

#include <vigil/catalog/normalize.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>

namespace vigil::app::detail {

RoadQuestion::RoadQuestion(const routing::RoadGraph& graph, geo::Coord at, const std::vector<Rings>& closures, double max_snap_m,
                           bool stage)
    : closed(closed_segments(graph, closures)), target(at) {
    options.max_snap_m = max_snap_m;
    options.closed_segments = closed;
    if (stage) {
        staging = staging_point(graph, at, closures, closed, max_snap_m);
        if (staging.point) target = *staging.point;
    }
}

geo::Coord record_point(const model::Layer& layer, std::size_t row) {
    const auto& g = layer.geometry(row);
    return g.type == geo::GeometryType::Point ? g.coords[0] : geo::representative_point(g);
}

double record_turnout_s(const model::Layer& layer, std::size_t row) {
    const auto field = layer.kind().index_of_role(catalog::FieldRole::Turnout);
    if (!field) return 0;
    const auto& v = layer.value(row, *field);
    if (const auto* d = std::get_if<double>(&v)) return *d * 60;
    if (const auto* i = std::get_if<std::int64_t>(&v)) return static_cast<double>(*i) * 60;
    return 0; // a team without turnout time: 0 min, as rank_by_eta documents
}

std::string record_title(const model::Layer& layer, std::size_t row) {
    if (auto f = layer.kind().index_of_role(catalog::FieldRole::Name))
        if (const auto* s = std::get_if<std::string>(&layer.value(row, *f)); s && !s->empty()) return *s;
    return layer.id(row);
}

std::string field_text(const model::Layer& layer, std::size_t row, catalog::FieldRole role) {
    const auto& kind = layer.kind();
    const auto i = kind.index_of_role(role);
    return i ? catalog::display_value(kind.fields[*i], layer.value(row, *i)) : std::string();
}

std::vector<IsochroneArea> isochrone_bands(routing::Router& router, const routing::RoadGraph& graph, std::span<const geo::Coord> points,
                                           std::span<const double> limits_s, routing::TravelDirection direction,
                                           const routing::SearchOptions& options, double& search_ms, double& polygon_ms) {
    std::vector<IsochroneArea> out;
    if (limits_s.empty()) return out;
    const auto t0 = Clock::now();
    const auto times = router.node_times(points, limits_s.back(), direction, options);
    search_ms = ms_since(t0);
    const auto t1 = Clock::now();
    auto bands = routing::isochrone_polygons(graph, times, limits_s);
    polygon_ms = ms_since(t1);
    for (auto& b : bands) {
        IsochroneArea a;
        a.minutes = b.limit_s / 60;
        a.nodes =
            static_cast<std::size_t>(std::count_if(times.time_s.begin(), times.time_s.end(), [&](double t) { return t <= b.limit_s; }));
        a.area_km2 = area_km2(b.area);
        a.area = std::move(b.area);
        out.push_back(std::move(a));
    }
    return out;
}

nlohmann::ordered_json line_json(std::span<const geo::Coord> pts) { return {{"type", "LineString"}, {"coordinates", coords_json(pts)}}; }

nlohmann::ordered_json polygon_json(const geo::Geometry& g) {
    using ojson = nlohmann::ordered_json;
    if (g.is_empty()) return nullptr;
    if (g.type == geo::GeometryType::Polygon) {
        ojson rings = ojson::array();
        for (std::size_t r = 0; r < g.ring_count(); ++r) rings.push_back(coords_json(g.ring(r)));
        return {{"type", "Polygon"}, {"coordinates", std::move(rings)}};
    }
    ojson polys = ojson::array();
    const std::size_t n_poly = g.polygon_starts.empty() ? 1 : g.polygon_starts.size() - 1;
    for (std::size_t p = 0; p < n_poly; ++p) {
        const std::size_t r0 = g.polygon_starts.empty() ? 0 : g.polygon_starts[p];
        const std::size_t r1 = g.polygon_starts.empty() ? g.ring_count() : g.polygon_starts[p + 1];
        ojson rings = ojson::array();
        for (std::size_t r = r0; r < r1; ++r) rings.push_back(coords_json(g.ring(r)));
        polys.push_back(std::move(rings));
    }
    return {{"type", "MultiPolygon"}, {"coordinates", std::move(polys)}};
}

nlohmann::ordered_json staging_json(const Staging& s) {
    if (!s.incident_closed) return nullptr;
    nlohmann::ordered_json j;
    j["lon"] = s.point ? nlohmann::ordered_json(round_to(s.point->x, 1e7)) : nlohmann::ordered_json(nullptr);
    j["lat"] = s.point ? nlohmann::ordered_json(round_to(s.point->y, 1e7)) : nlohmann::ordered_json(nullptr);
    j["distance_m"] = s.point ? nlohmann::ordered_json(round_to(s.distance_m, 10)) : nlohmann::ordered_json(nullptr);
    j["note"] = s.note;
    return j;
}

} // namespace vigil::app::detail
