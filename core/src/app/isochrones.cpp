// The isochrones (see isochrones.hpp).

#include <vigil/app/isochrones.hpp>

#include "request_json.hpp"
#include "road_question.hpp"

#include <vigil/util/error.hpp>
#include <vigil/util/i18n.hpp>
#include <vigil/util/text.hpp>

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>

namespace vigil::app {

namespace {

const char* direction_name(routing::TravelDirection d) { return d == routing::TravelDirection::to_points ? "to" : "from"; }

} // namespace

double area_km2(const geo::Geometry& g) {
    if (g.is_empty()) return 0;
    const auto box = g.bbox();
    const double lat0 = (box.min_y + box.max_y) / 2 * M_PI / 180;
    const double kx = 111.320 * std::cos(lat0), ky = 110.574;
    double sum = 0;
    for (std::size_t r = 0; r < g.ring_count(); ++r) {
        auto ring = g.ring(r);
        double a = 0;
        for (std::size_t i = 0; i + 1 < ring.size(); ++i) a += ring[i].x * kx * ring[i + 1].y * ky - ring[i + 1].x * kx * ring[i].y * ky;
        sum += a / 2; // outer rings counter-clockwise (+), holes clockwise (-)
    }
    return std::fabs(sum);
}

IsochroneResult isochrones(const LayerSet& layers, const routing::RoadGraph& graph, const IsochroneQuery& query) {
    std::vector<double> limits;
    for (double m : query.minutes) {
        if (!(m > 0 && m <= 24 * 60))
            throw UsageError(trf("isochrone limit {} min: give minutes in 0..1440, e.g. 5,10,15,30", text::format_double(m)));
        limits.push_back(m * 60);
    }
    if (limits.empty()) throw UsageError(tr("isochrone limits: give at least one, e.g. 5,10,15,30 min"));
    std::sort(limits.begin(), limits.end());
    limits.erase(std::unique(limits.begin(), limits.end()), limits.end());

    IsochroneResult out;
    out.direction = query.direction;
    std::vector<geo::Coord> points;
    if (!query.from_layer.empty()) {
        if (query.at) throw UsageError(tr("give either a start point or a layer to start from, not both"));
        const model::Layer& layer = layers.require(query.from_layer);
        const auto filter = query::Filter::compile(layer.kind(), query.filter);
        for (std::size_t row = 0; row < layer.size(); ++row)
            if (!layer.geometry(row).is_empty() && filter.accept(layer, row)) points.push_back(detail::record_point(layer, row));
        if (points.empty()) throw UsageError(trf("no record of {} matches the capabilities and statuses asked", layer.kind().kind));
        out.start = fmt::format("{} {}", points.size(), layer.kind().title.text());
    } else {
        if (!query.at) throw UsageError(tr("give the start: a point, or a layer (with capabilities) to start from"));
        points.push_back(*query.at);
        out.start = fmt::format("({:.6f}, {:.6f})", query.at->x, query.at->y);
    }
    out.points = points.size();
    // No staging: an isochrone describes a place, not an incident responders must stop short of.
    const detail::RoadQuestion road(graph, points.front(), query.closures, query.max_snap_m, /*stage=*/false);
    out.closed_segments = road.closed.size();
    routing::Router router(graph);
    out.bands = detail::isochrone_bands(router, graph, points, limits, query.direction, road.options, out.search_ms, out.polygon_ms);
    return out;
}

nlohmann::ordered_json to_json(const IsochroneResult& r) {
    using ojson = nlohmann::ordered_json;
    using detail::round_to;
    ojson out;
    out["query"] = {{"start", r.start},
                    {"points", r.points},
                    {"direction", direction_name(r.direction)},
                    {"closed_segments", r.closed_segments},
                    {"search_ms", round_to(r.search_ms, 100)},
                    {"polygon_ms", round_to(r.polygon_ms, 100)}};
    ojson bands = ojson::array();
    for (const auto& b : r.bands)
        bands.push_back({{"minutes", b.minutes},
                         {"nodes", b.nodes},
                         {"area_km2", round_to(b.area_km2, 1000)},
                         {"geometry", detail::polygon_json(b.area)}});
    out["bands"] = std::move(bands);
    return out;
}

nlohmann::ordered_json to_geojson(const IsochroneResult& r) {
    using ojson = nlohmann::ordered_json;
    ojson features = ojson::array();
    for (const auto& b : r.bands)
        features.push_back(detail::feature<ojson>({{"minutes", b.minutes},
                                                   {"direction", direction_name(r.direction)},
                                                   {"area_km2", detail::round_to(b.area_km2, 1000)},
                                                   {"nodes", b.nodes}},
                                                  detail::polygon_json(b.area)));
    return {{"type", "FeatureCollection"}, {"features", std::move(features)}};
}

IsochroneQuery isochrone_query_from_json(const nlohmann::json& j) {
    const detail::RequestReader read{tr("isochrone request")};
    read.object(j);
    IsochroneQuery q;
    for (const auto& [key, v] : j.items()) {
        if (key == "at") q.at = read.point(v, key);
        else if (key == "from_layer") q.from_layer = read.string(v, key);
        else if (key == "need") q.filter.need = read.words(v, key);
        else if (key == "status") q.filter.status = read.words(v, key);
        else if (key == "minutes") q.minutes = read.numbers(v, key);
        else if (key == "direction") {
            const auto d = read.string(v, key);
            if (d != "from" && d != "to") read.refuse(key, tr("\"from\" or \"to\""), v);
            q.direction = d == "to" ? routing::TravelDirection::to_points : routing::TravelDirection::from_points;
        } else if (key == "max_snap") q.max_snap_m = read.number(v, key);
        else if (key == "closures") q.closures = read.closures(v, key);
        else read.unknown(key, "at, from_layer, need, status, minutes, direction, max_snap, closures"); // i18n: not shown: keys
    }
    // As `vigil isochrone` refuses them: the service would start from the point and drop the filter.
    if (q.from_layer.empty() && (!q.filter.need.empty() || !q.filter.status.empty()))
        throw UsageError(tr("isochrone request: \"need\" and \"status\" go with \"from_layer\""));
    if (!(q.max_snap_m > 0)) throw UsageError(tr("isochrone request: \"max_snap\" must be a positive number of metres"));
    return q;
}

} // namespace vigil::app
