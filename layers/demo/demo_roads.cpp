/// @file
/// The demo's synthetic roads: corridors between the county seats and towns of
/// names::road_specs(), with junction nodes where two corridors cross, so that the routing graph
/// built from them is connected as a real network is.

#include "demo_names.hpp"
#include "demo_parts.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <string>
#include <vector>

namespace vigil::demo::parts {

namespace {

using geo::Coord;
using names::Rng;

/// Where two roads cross, both get the crossing point as a vertex, so that the network has
/// junctions there and routing can turn (the corridors are drawn between waypoints and would
/// otherwise only meet at shared waypoints). Every crossing becomes a junction, expressways
/// included: a simplification of interchanges, said so in SOURCES.md.
void add_junctions(std::vector<std::vector<Coord>>& lines) {
    struct Cut {
        std::size_t segment;
        double t;
        Coord at;
    };
    std::vector<std::vector<Cut>> cuts(lines.size());
    for (std::size_t a = 0; a < lines.size(); ++a)
        for (std::size_t b = a + 1; b < lines.size(); ++b)
            for (std::size_t i = 0; i + 1 < lines[a].size(); ++i)
                for (std::size_t j = 0; j + 1 < lines[b].size(); ++j) {
                    const Coord p = lines[a][i], r{lines[a][i + 1].x - p.x, lines[a][i + 1].y - p.y};
                    const Coord q = lines[b][j], sv{lines[b][j + 1].x - q.x, lines[b][j + 1].y - q.y};
                    const double den = r.x * sv.y - r.y * sv.x;
                    if (std::fabs(den) < 1e-18) continue; // parallel
                    const double t = ((q.x - p.x) * sv.y - (q.y - p.y) * sv.x) / den;
                    const double u = ((q.x - p.x) * r.y - (q.y - p.y) * r.x) / den;
                    // Strictly inside both segments: a shared endpoint is a junction already.
                    if (t <= 1e-9 || t >= 1 - 1e-9 || u <= 1e-9 || u >= 1 - 1e-9) continue;
                    const Coord at{round6(p.x + t * r.x), round6(p.y + t * r.y)};
                    cuts[a].push_back({i, t, at});
                    cuts[b].push_back({j, u, at});
                }
    for (std::size_t l = 0; l < lines.size(); ++l) {
        if (cuts[l].empty()) continue;
        std::sort(cuts[l].begin(), cuts[l].end(),
                  [](const Cut& x, const Cut& y) { return x.segment != y.segment ? x.segment < y.segment : x.t < y.t; });
        std::vector<Coord> out;
        std::size_t c = 0;
        for (std::size_t i = 0; i < lines[l].size(); ++i) {
            out.push_back(lines[l][i]);
            for (; c < cuts[l].size() && cuts[l][c].segment == i; ++c) out.push_back(cuts[l][c].at);
        }
        lines[l] = std::move(out);
    }
}

} // namespace

std::string write_roads() {
    Rng rng("vigil-demo/jiaozuo/roads/1");
    struct Road {
        const names::RoadSpec* spec;
        std::string name;
        std::vector<Coord> pts;
        bool bridge;
    };
    std::vector<Road> roads;
    auto emit = [&](const names::RoadSpec& spec, std::string name, const std::vector<Coord>& pts, bool bridge) {
        std::vector<Coord> rounded;
        for (Coord p : pts) rounded.push_back({round6(p.x), round6(p.y)});
        roads.push_back({&spec, std::move(name), std::move(rounded), bridge});
    };
    for (const auto& spec : names::road_specs()) {
        // Wiggle amplitude (m) by class: expressways are straight, county roads meander.
        const double amp = spec.road_class == "高速公路" ? 120 : spec.road_class == "国道" ? 220 : spec.road_class == "城市道路" ? 60 : 300;
        std::vector<Coord> run;
        for (std::size_t i = 0; i + 1 < spec.points.size(); ++i) {
            const auto& a = spec.points[i];
            const auto& b = spec.points[i + 1];
            Coord pa{a.lon, a.lat}, pb{b.lon, b.lat};
            if (!a.bridge.empty()) {
                if (run.size() >= 2) emit(spec, std::string(spec.name), run, false);
                emit(spec, std::string(a.bridge), {pa, {(pa.x + pb.x) / 2, (pa.y + pb.y) / 2}, pb}, true);
                run.clear();
                continue;
            }
            if (run.empty()) run.push_back(pa);
            const double dx = (pb.x - pa.x) * k_m_per_deg_lon, dy = (pb.y - pa.y) * k_m_per_deg_lat;
            const double len = std::sqrt(dx * dx + dy * dy);
            const int pieces = std::max(2, static_cast<int>(std::round(len / 1500)));
            double o = 0;
            for (int j = 1; j < pieces; ++j) {
                o = 0.5 * o + (rng.uniform() - 0.5) * 2 * amp;
                const double taper = std::min(1.0, std::min(j, pieces - j) / (pieces / 2.0));
                const double t = static_cast<double>(j) / pieces;
                run.push_back(offset_m({pa.x + t * (pb.x - pa.x), pa.y + t * (pb.y - pa.y)}, -dy / len * o * taper, dx / len * o * taper));
            }
            run.push_back(pb);
        }
        if (run.size() >= 2) emit(spec, std::string(spec.name), run, false);
    }
    std::vector<std::vector<Coord>> lines;
    for (const auto& r : roads) lines.push_back(r.pts);
    add_junctions(lines);
    std::vector<Json> features;
    for (std::size_t i = 0; i < roads.size(); ++i) {
        const Road& r = roads[i];
        const names::RoadSpec& spec = *r.spec;
        Json line = Json::array();
        for (Coord p : lines[i]) line.push_back({p.x, p.y});
        features.push_back(
            feature({{"id", fmt::format("DL-{:03}", features.size() + 1)},
                     {"name", r.name},
                     {"road_class", spec.road_class},
                     {"ref", spec.ref},
                     {"oneway", "否"},
                     {"speed_kmh", spec.speed_kmh},
                     {"lanes", spec.lanes},
                     {"bridge", r.bridge ? "是" : "否"},
                     {"remarks", r.bridge ? "模拟路网，非真实道路；桥位为示意" : "模拟路网，非真实道路；走向为县城之间的示意连线"},
                     {"synthetic", "是"}},
                    "LineString", std::move(line)));
    }
    return feature_collection("jiaozuo_roads_synthetic", features);
}

} // namespace vigil::demo::parts
