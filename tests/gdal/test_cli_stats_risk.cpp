// `vigil stats` and `vigil risk` on the Jiaozuo demo, as the bureau runs them: the per-county
// and per-grid figures add up to the layers' own counts, and the risk contours, areas and
// targets hang together; bad areas are refused with a usage error. A clerk's hidden-hazard
// ledger imported beside a register: a bad date refused by file, row and field, then the
// counts taken from the records and the register's typed counts checked against them.

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
    // As of the demo ledger's day, when its records agree with the register's typed-in counts.
    auto r = run_vigil("stats " + q(demo_db()) + " --by county --as-of 2026-12-01 --json");
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
    CHECK(j["as_of"] == "2026-12-01");
    CHECK(j["hidden_hazards"]["source"] == "records");
    CHECK(j["hidden_hazards"]["overdue"].get<std::int64_t>() == overdue);
    CHECK(j["hidden_hazards"]["without_enterprise"].empty());
    CHECK(j["total"]["open_major_hazards"].get<std::int64_t>() > 0);

    auto t = run_vigil("stats " + q(demo_db()));
    REQUIRE(t.code == 0);
    CHECK_THAT(t.out, Catch::Contains("孟州市") && Catch::Contains("Total"));
    auto bad = run_vigil("stats " + q(demo_db()) + " --lec 10,160,70");
    CHECK(bad.code == 2);
    CHECK_THAT(bad.out, Catch::Contains("red > orange > yellow"));
}

TEST_CASE("vigil stats --by grid: every enterprise in its finest grid, with its grid member", "[gdal][cli][stats][grids]") {
    auto r = run_vigil("stats " + q(demo_db()) + " --by grid --as-of 2026-12-01 --json");
    INFO(r.out.substr(0, 2000));
    REQUIRE(r.code == 0);
    const auto j = nlohmann::json::parse(r.out);
    CHECK(j["by"] == "grid");
    auto project = vigil::store::Project::open(demo_db());
    const auto ents = project.load_layer("enterprises");
    const auto hazards = project.load_layer("hazard_sources");
    // The demo's grids tile its counties, so nothing lies outside them.
    CHECK(j["outside_grids"]["enterprises"].empty());
    CHECK(j["outside_grids"]["hazard_sources"].empty());
    std::size_t n_ent = 0, n_haz = 0, villages = 0, townships = 0;
    std::int64_t open = 0;
    for (const auto& g : j["grids"]) {
        INFO(g.dump());
        CHECK(g["code"].get<std::string>().starts_with("WG4108"));
        CHECK(g["level"] != "county"); // every county has townships below it
        CHECK_FALSE(g["member"].get<std::string>().empty());
        CHECK_FALSE(g["phone"].get<std::string>().empty());
        CHECK(g["path"].get<std::string>().find(" / ") != std::string::npos);
        villages += g["level"] == "village";
        townships += g["level"] == "township";
        n_ent += g["enterprises"].get<std::size_t>();
        n_haz += g["hazard_sources"].get<std::size_t>();
        open += g["open_hazards"].get<std::int64_t>();
    }
    CHECK(villages >= 30);  // 温县's townships cut into villages
    CHECK(townships >= 80); // the other nine counties' townships
    CHECK(n_ent == ents->size());
    CHECK(n_haz == hazards->size());
    CHECK(open == j["total"]["open_hazards"].get<std::int64_t>());
    // The same totals as by county.
    auto county = nlohmann::json::parse(run_vigil("stats " + q(demo_db()) + " --as-of 2026-12-01 --json").out);
    CHECK(county["total"] == j["total"]);

    auto t = run_vigil("stats " + q(demo_db()) + " --by grid");
    REQUIRE(t.code == 0);
    CHECK_THAT(t.out, Catch::Contains("网格") && Catch::Contains("Total") && Catch::Contains("member"));
    auto bad = run_vigil("stats " + q(demo_db()) + " --by town");
    CHECK(bad.code == 2);
    auto date = run_vigil("stats " + q(demo_db()) + " --as-of 2026-13-01");
    CHECK(date.code == 2);
    CHECK_THAT(date.out, Catch::Contains("as_of"));
}

TEST_CASE("a clerk's hidden-hazard ledger: a bad date refused by row and field, then the counts come from it",
          "[gdal][cli][stats][ledger]") {
    const auto dir = scratch_dir("cli-ledger");
    const auto db = dir / "p.sqlite";
    vigil::test::write(dir / "企业.csv", "企业编号,企业名称,所属县区,风险等级,未整改隐患数,逾期未整改隐患,经度,纬度\r\n"
                                         "E1,甲化工有限公司,温县,红,3,0,113.0813,34.9402\r\n"
                                         "E2,乙纺织厂,温县,蓝,0,0,113.0925,34.9521\r\n");
    auto e = run_vigil("import " + q(db) + " " + q(dir / "企业.csv") + " --layer 企业");
    INFO(e.out);
    REQUIRE(e.code == 0);
    const std::string header = "隐患编号,企业编号,隐患描述,隐患级别,排查日期,整改期限,整改完成日期,整改状态,经度,纬度\r\n";
    const std::string yh1 = "YH-1,E1,配电箱未可靠接地,一般隐患,2026/10/8,2026/11/8,,整改中,113.0815,34.9403\r\n";
    const std::string yh3 = "YH-3,E1,储罐区可燃气体报警器未投用,重大隐患,2026/11/20,2027/3/31,,未整改,113.0811,34.9401\r\n";
    vigil::test::write(dir / "隐患台账.csv",
                       header + yh1 + "YH-2,E1,灭火器压力不足,一般,2026/9/1,2026/13/45,,未整改,113.0816,34.9404\r\n" + yh3);
    auto bad = run_vigil("import " + q(db) + " " + q(dir / "隐患台账.csv") + " --layer 隐患台账");
    INFO(bad.out);
    CHECK(bad.code == 3);
    CHECK_THAT(bad.out,
               Catch::Contains("隐患台账.csv:3 [id=YH-2] deadline (Deadline) = \"2026/13/45\"") && Catch::Contains("is not a date"));
    CHECK_THAT(bad.out, Catch::Contains("nothing was imported"));

    vigil::test::write(dir / "隐患台账.csv",
                       header + yh1 + "YH-2,E1,灭火器压力不足,一般,2026/9/1,2026/10/15,2026/10/10,已整改,113.0816,34.9404\r\n" + yh3);
    auto good = run_vigil("import " + q(db) + " " + q(dir / "隐患台账.csv") + " --layer 隐患台账");
    INFO(good.out);
    REQUIRE(good.code == 0);
    // E1 typed 3 open, 0 overdue; the records: YH-1 overdue since 2026-11-08, YH-3 open (major).
    auto s = run_vigil("stats " + q(db) + " --as-of 2026-12-01 --json");
    INFO(s.out);
    REQUIRE(s.code == 0);
    const auto j = nlohmann::json::parse(s.out);
    CHECK(j["hidden_hazards"]["source"] == "records");
    CHECK(j["total"]["open_hazards"] == 2);
    CHECK(j["total"]["overdue_hazards"] == 1);
    CHECK(j["total"]["open_major_hazards"] == 1);
    CHECK(j["hidden_hazards"]["rectified"] == 1);
    auto c = run_vigil("-q check " + q(db) + " --as-of 2026-12-01 --only hazard_counts --json");
    INFO(c.out);
    CHECK(c.code == 0); // warnings only
    const auto f = nlohmann::json::parse(c.out)["findings"];
    REQUIRE(f.size() == 1);
    CHECK(f[0]["id"] == "E1");
    CHECK(f[0]["field"] == "open_hazards");
    CHECK(f[0]["value"] == "3");
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
