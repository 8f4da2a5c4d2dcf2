// vigil risk: regional individual risk (QRA) over a county or a polygon (app::regional_risk):
// GB 36894-2018 contours, the enterprises inside each, and the F–N curve. This file reads
// options and the wind rose, loads the layers and prints.

#include "cli_common.hpp"

#include <vigil/app/regional_risk.hpp>
#include <vigil/store/project_reader.hpp>
#include <vigil/util/error.hpp>
#include <vigil/util/i18n.hpp>
#include <vigil/util/text.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <iostream>
#include <memory>
#include <thread>

namespace vigil::cli {
namespace {

struct RiskOptions {
    std::string db, geojson, wind_rose;
    bool json = false;
    app::RiskRequest q;
};

int run_risk(const RiskOptions& o) {
    app::RiskRequest q = o.q;
    const auto rose_file =
        read_catalogue_file(o.wind_rose, std::filesystem::path("hazard") / "wind_rose_jiaozuo_demo.json", tr("wind rose"));
    if (!rose_file) throw IoError(tr("no wind rose: the layer catalogue has no hazard/wind_rose_jiaozuo_demo.json; give --wind-rose FILE"));
    q.wind_rose = hazard::WindRose::from_json(rose_file->text, rose_file->path);

    app::RiskResult r;
    {
        const auto project = store::Project::open(o.db);
        const auto layers = app::LayerSet::load(project, {"hazard_sources", "enterprises", "admin_areas"});
        if (!layers.find("hazard_sources")) throw UsageError(trf("database '{}' has no hazard_sources layer", o.db));
        r = app::regional_risk(q, layers);
    }
    if (!o.geojson.empty()) write_text_file(o.geojson, app::to_geojson(r).dump() + "\n");
    if (o.json) {
        nlohmann::json out = {{"database", o.db}};
        out.update(app::to_json(r));
        if (!o.geojson.empty()) out["geojson"] = o.geojson;
        std::cout << out.dump(2) << "\n";
        return k_exit_ok;
    }
    std::cout << trf("{}: {} x {} cells of {} m, {} scenarios from {} hazard sources; wind rose: {}", r.area_name, r.nx, r.ny,
                     text::format_double(q.cell_m), r.scenarios, r.hazard_sources, q.wind_rose.source)
              << "\n";
    std::cout << trf("maximum individual risk in the area: {:.3g} per year", r.max_ir_per_year) << "\n";
    for (const auto& l : r.levels) {
        std::cout << trf("IR ≥ {:g} /a: {:.3f} km², {} enterprises inside", l.limit_per_year, l.area_km2, l.targets_inside.size());
        std::size_t shown = 0;
        for (const auto& t : l.targets_inside) {
            if (shown++ == 5) {
                std::cout << " …";
                break;
            }
            std::cout << (shown == 1 ? ": " : trc("list separator", ", ")) << t.name;
        }
        std::cout << "\n";
    }
    // The curve at the decade points a reader compares with the ALARP lines (all points in --json).
    std::cout << tr("F-N, frequency per year of N or more deaths (population = enterprise employees):");
    for (double n : {1.0, 3.0, 10.0, 30.0, 100.0, 300.0, 1000.0}) {
        double f = 0;
        for (const auto& p : r.fn_curve)
            if (p.n >= n) {
                f = p.f;
                break;
            }
        std::cout << fmt::format(" N≥{:g}: {:.2g}", n, f);
    }
    std::cout << "\n";
    std::cout << trf("time: scenarios {:.0f} ms, grid {:.0f} ms (threads: {})", r.scenarios_ms, r.grid_ms,
                     q.threads ? q.threads : std::thread::hardware_concurrency())
              << "\n";
    if (!o.geojson.empty()) std::cout << trf("contours written to {}", o.geojson) << "\n";
    if (!globals().quiet)
        for (const auto& n : r.notes) std::cerr << trf("note: {}", n) << "\n";
    return k_exit_ok;
}

} // namespace

void add_risk_command(CLI::App& app, Runner& run) {
    auto o = std::make_shared<RiskOptions>();
    auto& q = o->q;
    auto* cmd = app.add_subcommand(
        "risk", tr("Regional individual risk (QRA) over a county or polygon: GB 36894 contours, targets inside, F-N curve"));
    cmd->add_option("DB", o->db, tr("Project database"))->required();
    cmd->add_option("--area", q.area, tr("County name or id from admin_areas, or a POLYGON/MULTIPOLYGON in WKT (lon lat)"))->required();
    cmd->add_option("--cell", q.cell_m, tr("Grid cell size in metres"))->check(CLI::Range(1.0, 1000.0));
    cmd->add_option("--threads", q.threads, tr("Worker threads (0 = all cores)"));
    cmd->add_option("--margin-km", q.margin_km, tr("Hazard sources this far outside the area still count (their effects reach in)"))
        ->check(CLI::Range(0.0, 50.0));
    cmd->add_option("--wind-rose", o->wind_rose, tr("Wind rose JSON (default: layers/hazard/wind_rose_jiaozuo_demo.json)"));
    cmd->add_option("--geojson", o->geojson, tr("Write the iso-risk contours as GeoJSON (one MultiPolygon per limit)"));
    cmd->add_flag("--json", o->json, tr("JSON output"));
    cmd->callback([&run, o] { run = [o] { return run_risk(*o); }; });
}

} // namespace vigil::cli
