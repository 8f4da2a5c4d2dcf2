// The regional-risk service (see regional_risk.hpp).

#include <vigil/app/regional_risk.hpp>

#include "geojson_out.hpp"
#include "request_json.hpp"

#include <vigil/geo/wkt.hpp>
#include <vigil/util/error.hpp>
#include <vigil/util/i18n.hpp>
#include <vigil/util/text.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>

namespace vigil::app {
namespace {

// Which cells have their centre inside the area (scanline: crossings of each row's centre line
// with the polygon's edges, even-odd), so areas count only the area itself.
std::vector<std::uint8_t> area_mask(const hazard::GridSpec& g, const std::vector<std::vector<geo::Coord>>& rings) {
    std::vector<std::uint8_t> mask(g.cells(), 0);
    std::vector<double> xs;
    for (int j = 0; j < g.ny; ++j) {
        const double y = g.cy(j);
        xs.clear();
        for (const auto& r : rings)
            for (std::size_t k = 0; k + 1 < r.size(); ++k) {
                const geo::Coord a = r[k], b = r[k + 1];
                if ((a.y > y) != (b.y > y)) xs.push_back(a.x + (y - a.y) / (b.y - a.y) * (b.x - a.x));
            }
        std::sort(xs.begin(), xs.end());
        for (std::size_t k = 0; k + 1 < xs.size(); k += 2) {
            const int i0 = std::max(0, static_cast<int>(std::ceil((xs[k] - g.x0) / g.dx - 0.5)));
            const int i1 = std::min(g.nx - 1, static_cast<int>(std::floor((xs[k + 1] - g.x0) / g.dx - 0.5)));
            for (int i = i0; i <= i1; ++i)
                mask[static_cast<std::size_t>(j) * static_cast<std::size_t>(g.nx) + static_cast<std::size_t>(i)] = 1;
        }
    }
    return mask;
}

double signed_area(const std::vector<geo::Coord>& r) {
    double a = 0;
    for (std::size_t k = 0; k + 1 < r.size(); ++k) a += r[k].x * r[k + 1].y - r[k + 1].x * r[k].y;
    return a / 2;
}

// Contour rings (local metres, counter-clockwise around high values) → polygons in lon/lat: each
// clockwise ring becomes a hole of the smallest outer ring around it.
MultiPolygonRings multipolygon(const std::vector<std::vector<geo::Coord>>& rings, const hazard::LocalFrame& frame) {
    std::vector<std::size_t> outers, holes;
    for (std::size_t k = 0; k < rings.size(); ++k) (signed_area(rings[k]) > 0 ? outers : holes).push_back(k);
    std::vector<std::vector<std::size_t>> holes_of(outers.size());
    for (std::size_t h : holes) {
        std::size_t best = outers.size();
        double best_area = 1e300;
        for (std::size_t o = 0; o < outers.size(); ++o) {
            const double a = signed_area(rings[outers[o]]);
            if (a < best_area && hazard::inside_rings({rings[outers[o]]}, rings[h][0])) best = o, best_area = a;
        }
        if (best < outers.size()) holes_of[best].push_back(h);
    }
    auto lonlat = [&](const std::vector<geo::Coord>& r) {
        std::vector<geo::Coord> out;
        out.reserve(r.size());
        for (const auto& p : r) out.push_back(frame.to_lonlat(p));
        return out;
    };
    MultiPolygonRings polys;
    for (std::size_t o = 0; o < outers.size(); ++o) {
        auto& poly = polys.emplace_back();
        poly.push_back(lonlat(rings[outers[o]]));
        for (std::size_t h : holes_of[o]) poly.push_back(lonlat(rings[h]));
    }
    return polys;
}

bool looks_like_wkt_polygon(std::string_view text) {
    const auto t = text::trim(text);
    return t.starts_with("POLYGON") || t.starts_with("MULTIPOLYGON") || t.starts_with("polygon") || t.starts_with("multipolygon");
}

} // namespace

RiskResult regional_risk(const RiskRequest& request, const LayerSet& layers) {
    if (!(request.cell_m >= 1 && request.cell_m <= 1000))
        throw UsageError(trf("cell {} m: give 1 to 1000 m", text::format_double(request.cell_m)));
    if (!(request.margin_km >= 0 && request.margin_km <= 50))
        throw UsageError(trf("margin {} km: give 0 to 50 km", text::format_double(request.margin_km)));
    const auto t0 = std::chrono::steady_clock::now();
    const model::Layer& sources = layers.require("hazard_sources");
    const model::Layer* ents = layers.find("enterprises");
    const model::Layer* admin = layers.find("admin_areas");
    RiskResult out;
    out.request = request;

    // The area: an admin area by name or id, else WKT.
    geo::Geometry shape;
    out.area_name = request.area;
    if (admin)
        for (std::size_t r = 0; r < admin->size(); ++r)
            if (admin->id(r) == request.area || admin->text(r, "name") == request.area) {
                shape = admin->geometry(r);
                out.area_name = admin->text(r, "name");
            }
    if (shape.is_empty()) {
        if (!looks_like_wkt_polygon(request.area))
            throw UsageError(trf("area '{}' is neither an admin area of the project (name or id) nor a WKT POLYGON", request.area));
        try {
            shape = geo::parse_wkt(request.area);
        } catch (const Error& e) {
            throw UsageError(trf("area: {}", e.what()));
        }
        out.area_name = tr("polygon");
    }
    const geo::BBox box = shape.bbox();
    if (box.empty() || !(box.min_x >= -180 && box.max_x <= 180 && box.min_y > -85 && box.max_y < 85))
        throw UsageError(tr("area: the polygon is empty or not in lon/lat degrees"));
    const hazard::LocalFrame frame({(box.min_x + box.max_x) / 2, (box.min_y + box.max_y) / 2});
    const geo::Coord lo = frame.to_local({box.min_x, box.min_y}), hi = frame.to_local({box.max_x, box.max_y});
    const double cell = request.cell_m;
    hazard::GridSpec spec{
        lo.x, lo.y, cell, cell, static_cast<int>(std::ceil((hi.x - lo.x) / cell)), static_cast<int>(std::ceil((hi.y - lo.y) / cell))};
    spec.validate();
    out.nx = spec.nx;
    out.ny = spec.ny;

    // Scenarios of the sources in the area and its margin: their effects reach in.
    hazard::ScenarioBuilder builder(request.wind_rose);
    std::vector<hazard::Scenario> scenarios;
    const double margin = request.margin_km * 1000;
    const auto f_inv = sources.kind().field_index("inventory");
    if (!f_inv) throw SchemaError(tr("the hazard_sources layer has no inventory field"));
    for (std::size_t r = 0; r < sources.size(); ++r) {
        if (sources.geometry(r).is_empty()) continue;
        const geo::Coord p = frame.to_local(geo::representative_point(sources.geometry(r)));
        if (p.x < lo.x - margin || p.x > hi.x + margin || p.y < lo.y - margin || p.y > hi.y + margin) continue;
        const auto inv = hazard::parse_inventory(model::to_text(sources.value(r, *f_inv)), sources.id(r));
        auto built = builder.build(inv, p, sources.id(r));
        if (!built.scenarios.empty()) ++out.hazard_sources;
        for (auto& s : built.scenarios) scenarios.push_back(std::move(s));
        for (auto& n : built.notes) out.notes.push_back(std::move(n));
    }
    const auto t1 = std::chrono::steady_clock::now();
    hazard::RiskGrid grid(spec, std::move(scenarios), request.threads);
    grid.compute(request.threads);
    out.scenarios = grid.scenarios().size();
    const auto t2 = std::chrono::steady_clock::now();

    const auto mask = area_mask(spec, [&] {
        std::vector<std::vector<geo::Coord>> rings;
        for (std::size_t k = 0; k < shape.ring_count(); ++k) {
            std::vector<geo::Coord> r;
            for (const auto& c : shape.ring(k)) r.push_back(frame.to_local(c));
            rings.push_back(std::move(r));
        }
        return rings;
    }());
    std::vector<double> masked(grid.values().size(), 0.0);
    for (std::size_t k = 0; k < masked.size(); ++k)
        if (mask[k]) out.max_ir_per_year = std::max(out.max_ir_per_year, masked[k] = grid.values()[k]);

    // Protection targets: the enterprises in the area, by the IR at their location.
    struct Target {
        std::string id, name;
        geo::Coord at; ///< local metres
        double ir;
    };
    std::vector<Target> targets;
    std::vector<hazard::PopulationPoint> population;
    if (ents)
        for (std::size_t r = 0; r < ents->size(); ++r) {
            if (ents->geometry(r).is_empty()) continue;
            const geo::Coord ll = geo::representative_point(ents->geometry(r));
            if (!geo::contains(shape, ll)) continue;
            const geo::Coord p = frame.to_local(ll);
            double people = 0;
            if (auto v = text::parse_double(ents->text(r, "employees"))) people = *v;
            targets.push_back({ents->id(r), ents->text(r, "name"), p, grid.evaluate(p)});
            if (people > 0) population.push_back({p, people});
        }
    out.fn_curve = hazard::fn_curve(grid.scenarios(), population);
    const auto t3 = std::chrono::steady_clock::now();

    for (double limit : hazard::k_gb36894_limits) {
        // Inside a level: inside the polygon drawn for it (the list and the map agree), or the
        // IR at its own point reaches the limit (the safe side; see the file comment).
        const auto rings = hazard::contour_rings(spec, grid.values(), limit);
        RiskLevel level;
        level.limit_per_year = limit;
        for (const auto& t : targets) {
            const bool in_polygon = hazard::inside_rings(rings, t.at);
            if (in_polygon || t.ir >= limit) level.targets_inside.push_back({t.id, t.name, frame.to_lonlat(t.at), t.ir, in_polygon});
            if (in_polygon != (t.ir >= limit)) {
                // clang-format off
                const char* msg = in_polygon
                    ? N_("{} {}: IR {:.3g} /a at its point, but it lies inside the {:g} /a contour traced from {} m cells (listed as inside); a smaller cell resolves it")
                    : N_("{} {}: IR {:.3g} /a at its point, but it lies outside the {:g} /a contour traced from {} m cells (listed as inside); a smaller cell resolves it");
                // clang-format on
                out.notes.push_back(trf(msg, t.id, t.name, t.ir, limit, text::format_double(cell)));
            }
        }
        level.area_km2 = hazard::area_at_or_above(spec, masked, limit) / 1e6;
        level.contour = multipolygon(rings, frame);
        out.levels.push_back(std::move(level));
    }
    auto ms = [](auto a, auto b) { return std::chrono::duration<double, std::milli>(b - a).count(); };
    out.scenarios_ms = ms(t0, t1);
    out.grid_ms = ms(t1, t2);
    out.targets_fn_ms = ms(t2, t3);
    return out;
}

RiskRequest risk_request_from_json(const nlohmann::json& j) {
    const detail::RequestReader read{tr("risk request")};
    read.object(j);
    RiskRequest q;
    q.wind_rose = hazard::WindRose::builtin();
    for (const auto& [key, v] : j.items()) {
        if (key == "area") q.area = read.string(v, key);
        else if (key == "cell") q.cell_m = read.number(v, key);
        else if (key == "margin_km") q.margin_km = read.number(v, key);
        else if (key == "threads") {
            const double n = read.number(v, key);
            if (!(n >= 0 && n <= 256 && n == std::floor(n))) read.refuse(key, tr("a whole number 0..256"), v);
            q.threads = static_cast<unsigned>(n);
        } else read.unknown(key, "area, cell, margin_km, threads"); // i18n: not shown: keys
    }
    // The CLI's option checks (--cell 1..1000, --margin-km 0..50), with the key named.
    if (text::trim(q.area).empty()) throw UsageError(tr("risk request: \"area\" is needed: a county's name or id, or a WKT polygon"));
    if (!(q.cell_m >= 1 && q.cell_m <= 1000)) read.refuse("cell", tr("metres in 1..1000"), j.at("cell"));
    if (!(q.margin_km >= 0 && q.margin_km <= 50)) read.refuse("margin_km", tr("kilometres in 0..50"), j.at("margin_km"));
    return q;
}

nlohmann::json to_json(const RiskResult& r) {
    nlohmann::json levels = nlohmann::json::array();
    for (const auto& l : r.levels) {
        nlohmann::json inside = nlohmann::json::array();
        for (const auto& t : l.targets_inside)
            inside.push_back(
                {{"id", t.id}, {"name", t.name}, {"ir", t.ir}, {"lon", t.at.x}, {"lat", t.at.y}, {"inside_polygon", t.inside_polygon}});
        levels.push_back({{"limit_per_year", l.limit_per_year}, {"area_km2", l.area_km2}, {"targets_inside", std::move(inside)}});
    }
    nlohmann::json fn = nlohmann::json::array();
    for (const auto& p : r.fn_curve) fn.push_back({p.n, p.f});
    return {{"area", r.area_name},
            {"cell_m", r.request.cell_m},
            {"margin_km", r.request.margin_km},
            {"grid", {{"nx", r.nx}, {"ny", r.ny}}},
            {"wind_rose", r.request.wind_rose.source},
            {"hazard_sources", r.hazard_sources},
            {"scenarios", r.scenarios},
            {"max_ir_per_year", r.max_ir_per_year},
            {"levels", std::move(levels)},
            {"fn_curve", std::move(fn)},
            {"fn_population", tr("enterprise employees at their sites")},
            {"timing_ms", {{"scenarios", r.scenarios_ms}, {"grid", r.grid_ms}, {"targets_fn", r.targets_fn_ms}}},
            {"notes", r.notes}};
}

nlohmann::json to_geojson(const RiskResult& r) {
    nlohmann::json features = nlohmann::json::array();
    for (const auto& l : r.levels) {
        nlohmann::json polys = nlohmann::json::array();
        for (const auto& poly : l.contour) {
            nlohmann::json rings = nlohmann::json::array();
            for (const auto& ring : poly) rings.push_back(detail::coords_json<nlohmann::json>(ring));
            polys.push_back(std::move(rings));
        }
        features.push_back(detail::feature<nlohmann::json>(
            {{"ir_limit_per_year", l.limit_per_year}, {"label", fmt::format("IR ≥ {:g} /a", l.limit_per_year)}},
            {{"type", "MultiPolygon"}, {"coordinates", std::move(polys)}}));
    }
    return {{"type", "FeatureCollection"}, {"name", "vigil_risk_contours"}, {"features", std::move(features)}};
}

} // namespace vigil::app
