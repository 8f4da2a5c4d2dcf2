// vigil risk: regional individual risk (QRA) over a county or a polygon: the hazard sources'
// loss-of-containment scenarios (qra_scenarios.hpp) on a grid (risk_grid.hpp), iso-risk
// contours at the GB 36894-2018 limits, the enterprises inside each, and the F–N curve.

#include "cli_common.hpp"

#include <vigil/geo/wkt.hpp>
#include <vigil/hazard/qra_scenarios.hpp>
#include <vigil/hazard/risk_grid.hpp>
#include <vigil/store/project_reader.hpp>
#include <vigil/util/error.hpp>
#include <vigil/util/text.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <iostream>
#include <thread>

namespace vigil::cli {
namespace {

bool has_layer(const store::Project& p, std::string_view kind) {
    for (const auto& l : p.layers())
        if (l.kind == kind) return true;
    return false;
}

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
            for (int i = i0; i <= i1; ++i) mask[static_cast<std::size_t>(j) * static_cast<std::size_t>(g.nx) + static_cast<std::size_t>(i)] = 1;
        }
    }
    return mask;
}

bool ring_contains(const std::vector<geo::Coord>& r, geo::Coord p) { return hazard::inside_rings({r}, p); }

double signed_area(const std::vector<geo::Coord>& r) {
    double a = 0;
    for (std::size_t k = 0; k + 1 < r.size(); ++k) a += r[k].x * r[k + 1].y - r[k + 1].x * r[k].y;
    return a / 2;
}

// Contour rings (local metres, counter-clockwise around high values) → GeoJSON MultiPolygon
// coordinates in lon/lat: each clockwise ring becomes a hole of the smallest outer ring around it.
nlohmann::json multipolygon(const std::vector<std::vector<geo::Coord>>& rings, const hazard::LocalFrame& frame) {
    std::vector<std::size_t> outers, holes;
    for (std::size_t k = 0; k < rings.size(); ++k) (signed_area(rings[k]) > 0 ? outers : holes).push_back(k);
    std::vector<std::vector<std::size_t>> holes_of(outers.size());
    for (std::size_t h : holes) {
        std::size_t best = outers.size();
        double best_area = 1e300;
        for (std::size_t o = 0; o < outers.size(); ++o) {
            const double a = signed_area(rings[outers[o]]);
            if (a < best_area && ring_contains(rings[outers[o]], rings[h][0])) best = o, best_area = a;
        }
        if (best < outers.size()) holes_of[best].push_back(h);
    }
    auto ring_json = [&](const std::vector<geo::Coord>& r) {
        nlohmann::json a = nlohmann::json::array();
        for (const auto& p : r) {
            const geo::Coord ll = frame.to_lonlat(p);
            a.push_back({std::round(ll.x * 1e7) / 1e7, std::round(ll.y * 1e7) / 1e7});
        }
        return a;
    };
    nlohmann::json polys = nlohmann::json::array();
    for (std::size_t o = 0; o < outers.size(); ++o) {
        nlohmann::json poly = nlohmann::json::array({ring_json(rings[outers[o]])});
        for (std::size_t h : holes_of[o]) poly.push_back(ring_json(rings[h]));
        polys.push_back(std::move(poly));
    }
    return polys;
}

} // namespace

void add_risk_command(CLI::App& app, Runner& run);

void add_risk_command(CLI::App& app, Runner& run) {
    static std::string db, area, geojson, wind_rose;
    static double cell = 10, margin_km = 10;
    static unsigned threads = 0;
    static bool json = false;
    auto* cmd = app.add_subcommand("risk", "Regional individual risk (QRA) over a county or polygon: GB 36894 contours, targets inside, F-N curve");
    cmd->add_option("DB", db, "Project database")->required();
    cmd->add_option("--area", area, "County name or id from admin_areas, or a POLYGON/MULTIPOLYGON in WKT (lon lat)")->required();
    cmd->add_option("--cell", cell, "Grid cell size in metres")->check(CLI::Range(1.0, 1000.0));
    cmd->add_option("--threads", threads, "Worker threads (0 = all cores)");
    cmd->add_option("--margin-km", margin_km, "Hazard sources this far outside the area still count (their effects reach in)")
        ->check(CLI::Range(0.0, 50.0));
    cmd->add_option("--wind-rose", wind_rose, "Wind rose JSON (default: layers/hazard/wind_rose_jiaozuo_demo.json)");
    cmd->add_option("--geojson", geojson, "Write the iso-risk contours as GeoJSON (one MultiPolygon per limit)");
    cmd->add_flag("--json", json, "JSON output");
    cmd->callback([&run] {
        run = [] {
            const auto t0 = std::chrono::steady_clock::now();
            std::shared_ptr<const model::Layer> sources, ents, admin;
            {
                auto project = store::Project::open(db);
                if (!has_layer(project, "hazard_sources")) throw UsageError("database '" + db + "' has no hazard_sources layer");
                sources = project.load_layer("hazard_sources");
                if (has_layer(project, "enterprises")) ents = project.load_layer("enterprises");
                if (has_layer(project, "admin_areas")) admin = project.load_layer("admin_areas");
            }
            // The area: an admin area by name or id, else WKT.
            geo::Geometry shape;
            std::string area_name = area;
            if (admin) {
                for (std::size_t r = 0; r < admin->size(); ++r)
                    if (admin->id(r) == area || admin->text(r, "name") == area) {
                        shape = admin->geometry(r);
                        area_name = admin->text(r, "name");
                    }
            }
            if (shape.is_empty()) {
                const auto trimmed = text::trim(area);
                if (!(trimmed.starts_with("POLYGON") || trimmed.starts_with("MULTIPOLYGON") || trimmed.starts_with("polygon") ||
                      trimmed.starts_with("multipolygon")))
                    throw UsageError("--area '" + area + "' is neither an admin area of " + db + " (name or id) nor a WKT POLYGON");
                try {
                    shape = geo::parse_wkt(area);
                } catch (const Error& e) {
                    throw UsageError(std::string("--area: ") + e.what());
                }
                area_name = "polygon";
            }
            const geo::BBox box = shape.bbox();
            if (box.empty() || !(box.min_x >= -180 && box.max_x <= 180 && box.min_y > -85 && box.max_y < 85))
                throw UsageError("--area: the polygon is empty or not in lon/lat degrees");
            const hazard::LocalFrame frame({(box.min_x + box.max_x) / 2, (box.min_y + box.max_y) / 2});
            const geo::Coord lo = frame.to_local({box.min_x, box.min_y}), hi = frame.to_local({box.max_x, box.max_y});
            hazard::GridSpec spec{lo.x, lo.y, cell, cell, static_cast<int>(std::ceil((hi.x - lo.x) / cell)),
                                  static_cast<int>(std::ceil((hi.y - lo.y) / cell))};
            spec.validate();

            const auto rose_file = read_catalogue_file(wind_rose, std::filesystem::path("hazard") / "wind_rose_jiaozuo_demo.json", "wind rose");
            if (!rose_file) throw IoError("no wind rose: the layer catalogue has no hazard/wind_rose_jiaozuo_demo.json; give --wind-rose FILE");
            const auto rose = hazard::WindRose::from_json(rose_file->text, rose_file->path);

            // Scenarios of the sources in the area and its margin.
            hazard::ScenarioBuilder builder(rose);
            std::vector<hazard::Scenario> scenarios;
            std::vector<std::string> notes;
            std::size_t used_sources = 0;
            const double margin = margin_km * 1000;
            const auto f_inv = sources->kind().field_index("inventory");
            if (!f_inv) throw SchemaError("database '" + db + "': the hazard_sources layer has no inventory field");
            for (std::size_t r = 0; r < sources->size(); ++r) {
                if (sources->geometry(r).is_empty()) continue;
                const geo::Coord p = frame.to_local(geo::representative_point(sources->geometry(r)));
                if (p.x < lo.x - margin || p.x > hi.x + margin || p.y < lo.y - margin || p.y > hi.y + margin) continue;
                const auto inv = hazard::parse_inventory(model::to_text(sources->value(r, *f_inv)), sources->id(r));
                auto built = builder.build(inv, p, sources->id(r));
                if (!built.scenarios.empty()) ++used_sources;
                for (auto& s : built.scenarios) scenarios.push_back(std::move(s));
                for (auto& n : built.notes) notes.push_back(std::move(n));
            }
            const auto t1 = std::chrono::steady_clock::now();
            hazard::RiskGrid grid(spec, std::move(scenarios), threads);
            grid.compute(threads);
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
            double max_ir = 0;
            std::vector<double> masked(grid.values().size(), 0.0);
            for (std::size_t k = 0; k < masked.size(); ++k)
                if (mask[k]) max_ir = std::max(max_ir, masked[k] = grid.values()[k]);

            // Protection targets: the enterprises in the area, by the IR at their location.
            struct Target {
                std::string id, name;
                geo::Coord at; ///< local metres
                double ir;
                double people;
            };
            std::vector<Target> targets;
            std::vector<hazard::PopulationPoint> population;
            if (ents) {
                for (std::size_t r = 0; r < ents->size(); ++r) {
                    if (ents->geometry(r).is_empty()) continue;
                    const geo::Coord ll = geo::representative_point(ents->geometry(r));
                    if (!geo::contains(shape, ll)) continue;
                    const geo::Coord p = frame.to_local(ll);
                    double people = 0;
                    if (auto v = text::parse_double(ents->text(r, "employees"))) people = *v;
                    targets.push_back({ents->id(r), ents->text(r, "name"), p, grid.evaluate(p), people});
                    if (people > 0) population.push_back({p, people});
                }
            }
            const auto fn = hazard::fn_curve(grid.scenarios(), population);
            const auto t3 = std::chrono::steady_clock::now();

            nlohmann::json levels = nlohmann::json::array(), features = nlohmann::json::array();
            for (double limit : hazard::k_gb36894_limits) {
                // A target is inside a level when it lies inside the polygon drawn for it (the
                // contour traced from the cells), so the list and the map agree, and also when
                // the IR at its own point reaches the limit although the contour (interpolated
                // between cell centres) passes just beside it: the safe side wins, the entry says
                // `inside_polygon: false` and a note says how to resolve it.
                const auto rings = hazard::contour_rings(spec, grid.values(), limit);
                nlohmann::json inside = nlohmann::json::array();
                for (const auto& t : targets) {
                    const bool in_polygon = hazard::inside_rings(rings, t.at);
                    if (in_polygon || t.ir >= limit) {
                        const geo::Coord ll = frame.to_lonlat(t.at);
                        inside.push_back({{"id", t.id}, {"name", t.name}, {"ir", t.ir}, {"lon", ll.x}, {"lat", ll.y}, {"inside_polygon", in_polygon}});
                    }
                    if (in_polygon != (t.ir >= limit))
                        notes.push_back(fmt::format("{} {}: IR {:.3g} /a at its point, but it lies {} the {:g} /a contour traced from {} m "
                                                    "cells (listed as inside); a smaller --cell resolves it",
                                                    t.id, t.name, t.ir, in_polygon ? "inside" : "outside", limit, text::format_double(cell)));
                }
                const double area_km2 = hazard::area_at_or_above(spec, masked, limit) / 1e6;
                levels.push_back({{"limit_per_year", limit}, {"area_km2", area_km2}, {"targets_inside", inside}});
                if (!geojson.empty()) {
                    features.push_back({{"type", "Feature"},
                                        {"properties", {{"ir_limit_per_year", limit}, {"label", fmt::format("IR ≥ {:g} /a", limit)}}},
                                        {"geometry", {{"type", "MultiPolygon"}, {"coordinates", multipolygon(rings, frame)}}}});
                }
            }
            if (!geojson.empty()) {
                write_text_file(geojson, nlohmann::json({{"type", "FeatureCollection"}, {"name", "vigil_risk_contours"}, {"features", features}}).dump() + "\n");
            }
            nlohmann::json fn_json = nlohmann::json::array();
            for (const auto& p : fn) fn_json.push_back({p.n, p.f});
            auto ms = [](auto a, auto b) { return std::chrono::duration<double, std::milli>(b - a).count(); };
            if (json) {
                nlohmann::json out = {{"database", db}, {"area", area_name}, {"cell_m", cell},
                                      {"grid", {{"nx", spec.nx}, {"ny", spec.ny}}}, {"wind_rose", rose.source},
                                      {"hazard_sources", used_sources}, {"scenarios", grid.scenarios().size()},
                                      {"max_ir_per_year", max_ir}, {"levels", levels},
                                      {"fn_curve", fn_json}, {"fn_population", "enterprise employees at their sites"},
                                      {"timing_ms", {{"scenarios", ms(t0, t1)}, {"grid", ms(t1, t2)}, {"targets_fn", ms(t2, t3)}}},
                                      {"notes", notes}};
                if (!geojson.empty()) out["geojson"] = geojson;
                std::cout << out.dump(2) << "\n";
                return int{k_exit_ok};
            }
            std::cout << fmt::format("{}: {} x {} cells of {} m, {} scenarios from {} hazard sources; wind rose: {}\n", area_name, spec.nx,
                                     spec.ny, text::format_double(cell), grid.scenarios().size(), used_sources, rose.source);
            std::cout << fmt::format("maximum individual risk in the area: {:.3g} per year\n", max_ir);
            for (const auto& l : levels) {
                std::cout << fmt::format("IR ≥ {:g} /a: {:.3f} km², {} enterprises inside", l["limit_per_year"].get<double>(),
                                         l["area_km2"].get<double>(), l["targets_inside"].size());
                std::size_t shown = 0;
                for (const auto& t : l["targets_inside"]) {
                    if (shown++ == 5) {
                        std::cout << " …";
                        break;
                    }
                    std::cout << (shown == 1 ? ": " : ", ") << t["name"].get<std::string>();
                }
                std::cout << "\n";
            }
            // The curve at the decade points a reader compares with the ALARP lines (all points in --json).
            std::cout << "F-N, frequency per year of N or more deaths (population = enterprise employees):";
            for (double n : {1.0, 3.0, 10.0, 30.0, 100.0, 300.0, 1000.0}) {
                double f = 0;
                for (const auto& p : fn)
                    if (p.n >= n) {
                        f = p.f;
                        break;
                    }
                std::cout << fmt::format(" N≥{:g}: {:.2g}", n, f);
            }
            std::cout << "\n";
            std::cout << fmt::format("time: scenarios {:.0f} ms, grid {:.0f} ms ({} threads)\n", ms(t0, t1), ms(t1, t2),
                                     threads ? threads : std::thread::hardware_concurrency());
            if (!geojson.empty()) std::cout << "contours written to " << geojson << "\n";
            if (!globals().quiet)
                for (const auto& n : notes) std::cerr << "note: " << n << "\n";
            return int{k_exit_ok};
        };
    });
}

} // namespace vigil::cli
