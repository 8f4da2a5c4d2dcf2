// `vigil stats` and `vigil risk` on the Jiaozuo demo, as the bureau runs them: the per-county
// figures add up to the layers' own counts, and the risk contours, areas and targets hang
// together; bad areas are refused with a usage error.

#include "cli_runner.hpp"
#include "test_paths.hpp"

#include <vigil/store/project_reader.hpp>
#include <vigil/util/text.hpp>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>
#include <optional>

namespace fs = std::filesystem;
using vigil::test::q;
using vigil::test::run_vigil;
using vigil::test::scratch_dir;

namespace test_cli_stats_risk_cases {

const fs::path& demo_db() {
    static fs::path db = [] {
        auto path = scratch_dir("cli-stats-risk") / "demo.sqlite";
        auto r = run_vigil("demo " + q(path));
        INFO(r.out);
        REQUIRE(r.code == 0);
        return path;
    }();
    return db;
}


TEST_CASE("vigil stats --by county adds up to the layers", "[gdal][cli][stats]") {
    auto r = run_vigil("stats " + q(demo_db()) + " --by county --json");
    INFO(r.out);
    REQUIRE(r.code == 0);
    auto j = nlohmann::json::parse(r.out);
    auto project = vigil::store::Project::open(demo_db());
    auto ents = project.load_layer("enterprises");
    auto hazards = project.load_layer("hazard_sources");
    // Expected totals counted straight from the layers.
    std::int64_t overdue = 0;
    std::size_t red = 0;
    for (std::size_t k = 0; k < ents->size(); ++k) {
        if (auto v = vigil::text::parse_double(ents->text(k, "overdue_hazards"))) overdue += static_cast<std::int64_t>(*v);
        red += ents->text(k, "risk_level") == "red";
    }
    REQUIRE(j["counties"].size() == 10); // Jiaozuo's 10 county-level units, every record placed
    std::size_t n_ent = 0, n_haz = 0, n_red = 0;
    std::int64_t n_overdue = 0;
    for (const auto& c : j["counties"]) {
        CHECK(c["code"].get<std::string>().starts_with("4108"));
        std::size_t colours = 0;
        for (const auto& [k, v] : c["by_colour"].items()) colours += v.get<std::size_t>();
        CHECK(colours == c["enterprises"].get<std::size_t>());
        CHECK(c["by_colour"]["none"] == 0); // the demo records all carry a risk level
        n_ent += c["enterprises"].get<std::size_t>();
        n_haz += c["hazard_sources"].get<std::size_t>();
        n_red += c["by_colour"]["red"].get<std::size_t>();
        n_overdue += c["overdue_hazards"].get<std::int64_t>();
    }
    CHECK(n_ent == ents->size());
    CHECK(n_haz == hazards->size());
    CHECK(n_red == red);
    CHECK(n_overdue == overdue);

    auto t = run_vigil("stats " + q(demo_db()));
    REQUIRE(t.code == 0);
    CHECK_THAT(t.out, Catch::Contains("孟州市") && Catch::Contains("合计"));
    auto bad = run_vigil("stats " + q(demo_db()) + " --lec 10,160,70");
    CHECK(bad.code == 2);
    CHECK_THAT(bad.out, Catch::Contains("red > orange > yellow"));
}

TEST_CASE("vigil risk over a polygon: contours, areas and targets hang together", "[gdal][cli][risk]") {
    // A 6 x 6 km box around the demo's first hazard source holding chlorine or ammonia.
    auto project = vigil::store::Project::open(demo_db());
    auto hazards = project.load_layer("hazard_sources");
    std::optional<vigil::geo::Coord> at;
    for (std::size_t k = 0; k < hazards->size() && !at; ++k) {
        const auto inv = hazards->text(k, "inventory");
        if (inv.find("\"氯\"") != std::string::npos || inv.find("\"氨\"") != std::string::npos)
            at = vigil::geo::representative_point(hazards->geometry(k));
    }
    REQUIRE(at);
    const double d = 0.03;
    const std::string wkt = "POLYGON((" + std::to_string(at->x - d) + " " + std::to_string(at->y - d) + "," + std::to_string(at->x + d) +
                            " " + std::to_string(at->y - d) + "," + std::to_string(at->x + d) + " " + std::to_string(at->y + d) + "," +
                            std::to_string(at->x - d) + " " + std::to_string(at->y + d) + "," + std::to_string(at->x - d) + " " +
                            std::to_string(at->y - d) + "))";
    auto out = scratch_dir("cli-risk") / "contours.geojson";
    auto r = run_vigil("risk " + q(demo_db()) + " --area '" + wkt + "' --cell 25 --margin-km 0 --threads 2 --json --geojson " + q(out));
    INFO(r.out);
    REQUIRE(r.code == 0);
    auto j = nlohmann::json::parse(r.out);
    CHECK(j["scenarios"].get<int>() > 0);
    const double max_ir = j["max_ir_per_year"].get<double>();
    CHECK(max_ir > 3e-7); // a chlorine/ammonia store: Purple Book frequencies put IR ≥ 3e-7 near it
    CHECK(max_ir < 1e-3);
    REQUIRE(j["levels"].size() == 4);
    std::ifstream in(out);
    auto g = nlohmann::json::parse(in);
    REQUIRE(g["features"].size() == 4);
    // Even-odd over every ring of the level's MultiPolygon (outer rings and holes), in lon/lat.
    auto inside = [](const nlohmann::json& multipolygon, double lon, double lat) {
        bool odd = false;
        for (const auto& poly : multipolygon)
            for (const auto& ring : poly)
                for (std::size_t k = 0, l = ring.size() - 1; k < ring.size(); l = k++) {
                    const double xk = ring[k][0], yk = ring[k][1], xl = ring[l][0], yl = ring[l][1];
                    if ((yk > lat) != (yl > lat) && lon < (xl - xk) * (lat - yk) / (yl - yk) + xk) odd = !odd;
                }
        return odd;
    };
    double prev_area = 1e300;
    std::size_t prev_targets = 1u << 30;
    for (std::size_t k = 0; k < 4; ++k) {
        const auto& l = j["levels"][k];
        const double a = l["area_km2"].get<double>();
        CHECK(a <= prev_area); // higher limits enclose less
        CHECK(l["targets_inside"].size() <= prev_targets);
        // A target listed inside a level lies inside the polygon drawn for it (before, the list
        // went by the IR at the point, and a 3.14e-7 target was listed inside 3e-7 while lying
        // outside its polygon).
        // One that lies outside it is listed only on the safe side: its own IR reaches the limit,
        // and it says it is outside the polygon.
        for (const auto& t : l["targets_inside"]) {
            INFO(t.dump());
            const bool in_polygon = inside(g["features"][k]["geometry"]["coordinates"], t["lon"].get<double>(), t["lat"].get<double>());
            CHECK(t["inside_polygon"].get<bool>() == in_polygon);
            CHECK((in_polygon || t["ir"].get<double>() >= l["limit_per_year"].get<double>()));
        }
        prev_area = a;
        prev_targets = l["targets_inside"].size();
    }
    CHECK(j["levels"][0]["area_km2"].get<double>() > 0);
    CHECK(g["features"][0]["geometry"]["type"] == "MultiPolygon");
    CHECK(g["features"][0]["geometry"]["coordinates"].size() > 0);
    const auto first = g["features"][0]["geometry"]["coordinates"][0][0][0];
    CHECK(std::fabs(first[0].get<double>() - at->x) < 0.05); // lon/lat near the source, not metres
    CHECK(std::fabs(first[1].get<double>() - at->y) < 0.05);
}

TEST_CASE("vigil risk refuses an unknown area and a bad wind rose", "[gdal][cli][risk]") {
    auto r = run_vigil("risk " + q(demo_db()) + " --area 不存在县");
    CHECK(r.code == 2);
    CHECK_THAT(r.out, Catch::Contains("neither an admin area"));
    auto rose = scratch_dir("cli-risk-rose") / "rose.json";
    vigil::test::write(rose, R"({"frequency":[0.5,0.5],"classes":[]})");
    r = run_vigil("risk " + q(demo_db()) + " --area 温县 --wind-rose " + q(rose));
    CHECK(r.code == 1);
    CHECK_THAT(r.out, Catch::Contains("16 numbers"));
}

} // namespace test_cli_stats_risk_cases
