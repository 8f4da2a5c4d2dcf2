// The dispatch commands as a dispatcher and a planner run them, on the river-with-one-bridge map:
// the road graph stored at import, road closures, `vigil supply` (with a shortfall),
// `vigil isochrone` (the far bank stays outside), `vigil coverage` (the gap map), and roads
// from OpenStreetMap.

#include "cli_runner.hpp"
#include "river_fixture.hpp"
#include "test_paths.hpp"

#include <vigil/store/sqlite.hpp>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <fstream>
#include <map>

namespace fs = std::filesystem;
using vigil::test::k_river_roads;
using vigil::test::k_river_teams;
using vigil::test::q;
using vigil::test::run_vigil;
using vigil::test::scratch_dir;
using vigil::test::write;

namespace test_cli_dispatch_cases {

// Warehouses: W_S beside the incident (south bank), W_N on the north bank, W_I on the island.
const char* k_warehouses = "仓库编号,仓库名称,级别,库存物资,经度,纬度\n"
                           "W_S,南岸物资库,县级,中和剂 2t; 沙袋 1000个,113.02,34.991\n"
                           "W_N,北岸物资库,市级,中和剂（碳酸钠） 4000kg; 吸附棉 500kg,113.02,35.021\n"
                           "W_I,岛上物资库,企业储备,中和剂 50t,113.206,35.001\n";

// A polygon over the bridge (x = 113.05, y 34.99..35.02), nothing else.
const char* k_bridge_closed = R"({"type": "FeatureCollection", "features": [
 {"type": "Feature", "properties": {"level": "red", "tier": 3},
  "geometry": {"type": "Polygon", "coordinates": [[[113.045, 35.0], [113.055, 35.0], [113.055, 35.01], [113.045, 35.01], [113.045, 35.0]]]}},
 {"type": "Feature", "properties": {"level": "yellow", "tier": 1},
  "geometry": {"type": "Polygon", "coordinates": [[[112.98, 34.94], [112.995, 34.94], [112.995, 34.96], [112.98, 34.96], [112.98, 34.94]]]}}
]})";

struct RiverDb {
    fs::path dir, db;
};

RiverDb river_db(const std::string& name) {
    RiverDb r{scratch_dir(name), {}};
    r.db = r.dir / "r.sqlite";
    write(r.dir / "roads.geojson", k_river_roads);
    write(r.dir / "teams.csv", k_river_teams);
    write(r.dir / "warehouses.csv", k_warehouses);
    write(r.dir / "bridge.geojson", k_bridge_closed);
    REQUIRE(run_vigil("init " + q(r.db)).code == 0);
    for (const char* layer : {"roads", "teams", "warehouses"}) {
        const std::string file = std::string(layer) + (std::string(layer) == "roads" ? ".geojson" : ".csv");
        const std::string kind = std::string(layer) == "teams" ? "rescue_teams" : layer;
        auto run = run_vigil("import " + q(r.db) + " " + q(r.dir / file) + " --layer " + kind);
        INFO(run.out);
        REQUIRE(run.code == 0);
    }
    return r;
}

// Ray casting over every ring of a GeoJSON Polygon/MultiPolygon (holes flip the parity).
bool inside(const nlohmann::json& geometry, double x, double y) {
    if (geometry.is_null()) return false;
    std::vector<nlohmann::json> polygons;
    if (geometry["type"] == "Polygon") polygons.push_back(geometry["coordinates"]);
    else
        for (const auto& p : geometry["coordinates"]) polygons.push_back(p);
    bool in = false;
    for (const auto& rings : polygons)
        for (const auto& ring : rings)
            for (std::size_t i = 0, j = ring.size() - 1; i < ring.size(); j = i++) {
                double xi = ring[i][0], yi = ring[i][1], xj = ring[j][0], yj = ring[j][1];
                if ((yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi) in = !in;
            }
    return in;
}


TEST_CASE("a roads import stores the road graph; a stale one is not used", "[gdal][cli][routing][dispatch]") {
    auto r = river_db("cli-dispatch-store");
    {
        auto db = vigil::store::Database::open(r.db, vigil::store::Database::Mode::ReadOnly);
        REQUIRE(db.table_exists("vigil_road_graph"));
        CHECK(db.query_int("SELECT segment_count FROM vigil_road_graph") == 6); // 1 + 1 + 3 + 1 segments
        CHECK(db.query_text("SELECT stamp FROM vigil_road_graph").find("roads=4@") == 0);
    }
    const std::string at = " --at 113.0,34.992 --layer rescue_teams --need hazmat --by road -k 4 --json";
    auto stored = run_vigil("nearest " + q(r.db) + at);
    INFO(stored.out);
    REQUIRE(stored.code == 0);
    CHECK(stored.out.find("note:") == std::string::npos); // the stored graph was used
    auto j = nlohmann::json::parse(stored.out);
    CHECK(j["results"][0]["id"] == "S1");

    // A graph stored by a Vigil before speed rule 2 (posted limits raised class speeds: its
    // times may be optimistic) has a stamp without ";rule=2": it is not used, and the note says so.
    {
        auto db = vigil::store::Database::open(r.db, vigil::store::Database::Mode::ReadWrite);
        REQUIRE(db.query_text("SELECT stamp FROM vigil_road_graph").find(";rule=2") != std::string::npos);
        db.exec("UPDATE vigil_road_graph SET stamp = replace(stamp, ';rule=2', '')");
    }
    auto old_rule = run_vigil("nearest " + q(r.db) + at);
    REQUIRE(old_rule.code == 0);
    CHECK(old_rule.out.find("the road graph stored in") != std::string::npos);
    CHECK(old_rule.out.find("older speed rule") != std::string::npos);
    REQUIRE(run_vigil("import " + q(r.db) + " " + q(r.dir / "roads.geojson") + " --layer roads").code == 0);
    CHECK(run_vigil("nearest " + q(r.db) + at).out.find("note:") == std::string::npos); // stored again, current

    // Other speeds than the stored graph's: built in memory (with a note), same ranking here.
    write(r.dir / "slow.json",
          R"({"format": "vigil-road-speeds/1", "default_kmh": 20, "access_kmh": 10, "classes": {"county": {"kmh": 25}}})");
    auto other = run_vigil("nearest " + q(r.db) + at + " --speeds " + q(r.dir / "slow.json"));
    CHECK(other.code == 0);
    CHECK(other.out.find("the road graph stored in") != std::string::npos);
    CHECK(other.out.find("built from other speeds") != std::string::npos);
    auto quiet = run_vigil("-q nearest " + q(r.db) + at + " --speeds " + q(r.dir / "slow.json"));
    REQUIRE(quiet.code == 0);
    auto slow = nlohmann::json::parse(quiet.out);
    CHECK(slow["results"][0]["travel_s"].get<double>() > j["results"][0]["travel_s"].get<double>());

    // Importing the roads with those speeds stores a graph for them: no note any more.
    auto reimport = run_vigil("import " + q(r.db) + " " + q(r.dir / "roads.geojson") + " --layer roads --speeds " + q(r.dir / "slow.json"));
    INFO(reimport.out);
    REQUIRE(reimport.code == 0);
    CHECK(reimport.out.find("road graph stored") != std::string::npos);
    auto after = run_vigil("nearest " + q(r.db) + at + " --speeds " + q(r.dir / "slow.json"));
    CHECK(after.out.find("note:") == std::string::npos);
    CHECK(nlohmann::json::parse(after.out)["results"][0]["travel_s"] == slow["results"][0]["travel_s"]);
}

TEST_CASE("closing the bridge cuts the north bank off; a bad closure file is an error", "[gdal][cli][routing][dispatch]") {
    auto r = river_db("cli-dispatch-closure");
    const std::string at = " --at 113.0,34.992 --layer rescue_teams --need hazmat --by road -k 4 --json";
    auto open_run = run_vigil("nearest " + q(r.db) + at);
    REQUIRE(open_run.code == 0);
    auto closed_run = run_vigil("nearest " + q(r.db) + at + " --avoid " + q(r.dir / "bridge.geojson") + " --avoid-where tier=3");
    INFO(closed_run.out);
    REQUIRE(closed_run.code == 0);
    auto open_j = nlohmann::json::parse(open_run.out), closed_j = nlohmann::json::parse(closed_run.out);
    CHECK(closed_j["query"]["closed_segments"] == 1);
    auto find = [](const nlohmann::json& j, const std::string& id) {
        for (const auto& x : j["results"])
            if (x["id"] == id) return x;
        return nlohmann::json();
    };
    CHECK(find(open_j, "N1")["reachable"] == true);
    CHECK(find(closed_j, "N1")["reachable"] == false);
    CHECK(find(closed_j, "S1")["eta_s"] == find(open_j, "S1")["eta_s"]); // the south bank does not use the bridge

    // Without --avoid-where the yellow polygon closes the south loop's corner too: S1 is cut off.
    auto both = nlohmann::json::parse(run_vigil("nearest " + q(r.db) + at + " --avoid " + q(r.dir / "bridge.geojson")).out);
    CHECK(both["query"]["closed_segments"] == 3); // the bridge and two segments of the loop
    CHECK(find(both, "S1")["reachable"] == false);
    CHECK(run_vigil("nearest " + q(r.db) + at + " --avoid " + q(r.dir / "bridge.geojson") + " --avoid-where tier=7").code == 2);

    // The incident inside a closure: the CLI sends the teams to the staging point (app::rank_teams,
    // tests/core/app/test_dispatch.cpp) and says so.
    write(r.dir / "yard.geojson", R"({"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {},
      "geometry": {"type": "Polygon", "coordinates": [[[112.995, 34.985], [113.005, 34.985], [113.005, 34.998], [112.995, 34.998], [112.995, 34.985]]]}}]})");
    auto staged = run_vigil("nearest " + q(r.db) + " --at 113.0,34.992 --layer rescue_teams --need hazmat --by road --avoid " +
                            q(r.dir / "yard.geojson"));
    INFO(staged.out);
    REQUIRE(staged.code == 0);
    CHECK(staged.out.find("note: staging:") != std::string::npos);
    auto staged_j = nlohmann::json::parse(run_vigil("-q nearest " + q(r.db) + at + " --avoid " + q(r.dir / "yard.geojson")).out);
    REQUIRE(staged_j["staging"].is_object());
    CHECK(staged_j["staging"]["lon"].get<double>() == Approx(112.99)); // the south road's corner, outside the yard
    CHECK(closed_j["staging"].is_null());                              // the bridge's closure leaves the incident reachable

    write(
        r.dir / "points.geojson",
        R"({"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": [113, 35]}}]})");
    auto no_polygon = run_vigil("nearest " + q(r.db) + at + " --avoid " + q(r.dir / "points.geojson"));
    CHECK(no_polygon.code == 2);
    CHECK(no_polygon.out.find("no Polygon") != std::string::npos);
    CHECK(run_vigil("nearest " + q(r.db) + at + " --avoid " + q(r.dir / "missing.geojson")).code == 1);
}

TEST_CASE("supply picks the soonest complete set, converts units and reports the shortfall", "[gdal][cli][dispatch]") {
    auto r = river_db("cli-dispatch-supply");
    const std::string at = " --at 113.0,34.992";
    auto run = run_vigil("supply " + q(r.db) + at + " --need \"中和剂:5t,沙袋:800\" --json");
    INFO(run.out);
    REQUIRE(run.code == 0);
    auto j = nlohmann::json::parse(run.out);
    CHECK(j["complete"] == true);
    REQUIRE(j["warehouses"].size() == 2);
    CHECK(j["warehouses"][0]["id"] == "W_S"); // 2 t + all the sandbags, next door
    CHECK(j["warehouses"][1]["id"] == "W_N"); // the other 3 t of its 4000 kg, over the bridge
    CHECK(j["needs"][0]["from"][1]["quantity"].get<double>() == Approx(3));
    CHECK(j["arrival_s"].get<double>() == Approx(j["warehouses"][1]["eta_s"].get<double>()));

    // The island's 50 t cannot come: 8 t missing of 14 t (2 + 4 reachable).
    run = run_vigil("supply " + q(r.db) + at + " --need 中和剂:14t,吸附棉:500kg --json");
    INFO(run.out);
    REQUIRE(run.code == 0);
    j = nlohmann::json::parse(run.out);
    CHECK(j["complete"] == false);
    CHECK(j["needs"][0]["shortfall"].get<double>() == Approx(8));
    CHECK(j["needs"][0]["available"].get<double>() == Approx(6));
    CHECK(j["needs"][1]["shortfall"].get<double>() == 0);

    // Everyday names find the stock through layers/supplies/stock_items.json, and say so.
    run = run_vigil("supply " + q(r.db) + at + " --need 纯碱:5t,沙子:1t");
    INFO(run.out);
    REQUIRE(run.code == 0);
    CHECK(run.out.find("纯碱 5 t: 2 t at") != std::string::npos);
    CHECK(run.out.find("note: counted stock '中和剂' as 纯碱") != std::string::npos);
    CHECK(run.out.find("shortfall: 沙子 1 t") != std::string::npos); // no warehouse here holds sand
    // A synonym is data: a file given with --items adds one.
    write(r.dir / "items.json", R"({"format": "vigil-stock-items/1", "items": [{"item": "吸附棉", "synonyms": ["吸油毡"]}]})");
    run = run_vigil("supply " + q(r.db) + at + " --need 吸油毡:100kg --items " + q(r.dir / "items.json") + " --json");
    INFO(run.out);
    REQUIRE(run.code == 0);
    CHECK(nlohmann::json::parse(run.out)["complete"] == true);
    CHECK(run_vigil("supply " + q(r.db) + at + " --need 吸油毡:100kg --json").out.find("\"complete\": false") != std::string::npos);
    CHECK(run_vigil("supply " + q(r.db) + at + " --need 吸油毡:100kg --items " + q(r.dir / "nope.json")).code != 0);

    // Text output and the bridge closed: only the south bank can supply.
    run = run_vigil("supply " + q(r.db) + at + " --need 中和剂:5t --avoid " + q(r.dir / "bridge.geojson") + " --avoid-where level=red");
    INFO(run.out);
    REQUIRE(run.code == 0);
    CHECK(run.out.find("shortfall: 中和剂 3 t") != std::string::npos);

    auto bad = run_vigil("supply " + q(r.db) + at + " --need 中和剂:-5t");
    CHECK(bad.code == 2);
    CHECK(bad.out.find("中和剂:-5t") != std::string::npos);
    CHECK(run_vigil("supply " + q(r.db) + at + " --need 中和剂:5t --layer rescue_teams").code == 2);
}

TEST_CASE("isochrones hug the reachable roads: the far bank stays outside", "[gdal][cli][routing][dispatch]") {
    auto r = river_db("cli-dispatch-isochrone");
    auto geo_path = r.dir / "iso.geojson";
    auto run = run_vigil("isochrone " + q(r.db) + " --at 113.0,34.992 --minutes 5,10 --json --geojson " + q(geo_path));
    INFO(run.out);
    REQUIRE(run.code == 0);
    auto j = nlohmann::json::parse(run.out);
    REQUIRE(j["bands"].size() == 2);
    const auto& five = j["bands"][0]["geometry"];
    CHECK(inside(five, 113.0, 34.99));       // on the road beside the incident
    CHECK_FALSE(inside(five, 113.0, 35.02)); // 3 km north, across the river: 12+ km by road
    CHECK(j["bands"][1]["area_km2"].get<double>() > j["bands"][0]["area_km2"].get<double>());
    auto fc = nlohmann::json::parse(std::ifstream(geo_path));
    CHECK(fc["features"].size() == 2);
    CHECK(fc["features"][0]["properties"]["minutes"] == 5);

    // From every hazmat team: the island's own road is covered too.
    run = run_vigil("isochrone " + q(r.db) + " --from-layer rescue_teams --need hazmat --minutes 5 --json");
    INFO(run.out);
    REQUIRE(run.code == 0);
    j = nlohmann::json::parse(run.out);
    CHECK(inside(j["bands"][0]["geometry"], 113.205, 35.0));
    CHECK(run_vigil("isochrone " + q(r.db) + " --at 113.0,34.992 --minutes 0").code == 2);
    CHECK(run_vigil("isochrone " + q(r.db)).code == 2);
}

TEST_CASE("coverage lists what no capable team reaches in time", "[gdal][cli][dispatch]") {
    auto r = river_db("cli-dispatch-coverage");
    write(r.dir / "enterprises.csv", "企业编号,企业名称,经度,纬度\n"
                                     "E1,桥南化工,113.02,34.99\n"
                                     "E2,岛东化工,113.21,35.0\n");
    auto imp = run_vigil("import " + q(r.db) + " " + q(r.dir / "enterprises.csv") + " --layer enterprises");
    INFO(imp.out);
    REQUIRE(imp.code == 0);
    // Hazmat teams are N1, S1, S2 and I1: the island team reaches 岛东化工 on its own road.
    // 桥南化工: S1 in 13.2 min (2 min turnout + the loop road).
    auto run = run_vigil("coverage " + q(r.db) + " --need hazmat --minutes 15 --targets enterprises --json");
    INFO(run.out);
    REQUIRE(run.code == 0);
    auto j = nlohmann::json::parse(run.out);
    CHECK(j["query"]["targets"] == 2);
    CHECK(j["gaps"].empty());
    // Fire teams are N1 and S1 only: nothing reaches the island.
    run = run_vigil("coverage " + q(r.db) + " --need fire --minutes 15 --targets enterprises --json");
    INFO(run.out);
    REQUIRE(run.code == 0);
    j = nlohmann::json::parse(run.out);
    REQUIRE(j["gaps"].size() == 1);
    CHECK(j["gaps"][0]["name"] == "岛东化工");
    CHECK(j["gaps"][0]["reachable"] == false);
    // 10 minutes: 桥南化工 becomes a gap, reachable but late, listed after the unreachable one.
    run = run_vigil("coverage " + q(r.db) + " --need fire --minutes 10 --targets enterprises --json");
    REQUIRE(run.code == 0);
    j = nlohmann::json::parse(run.out);
    REQUIRE(j["gaps"].size() == 2);
    CHECK(j["gaps"][1]["name"] == "桥南化工");
    CHECK(j["gaps"][1]["best_team"] == "S1");
    CHECK(j["gaps"][1]["eta_s"].get<double>() > 600);
}

TEST_CASE("roads from OpenStreetMap: drivable ways only, oneway=-1 reversed, maxspeed in mph converted", "[gdal][cli][routing][osm]") {
    auto dir = scratch_dir("cli-dispatch-osm");
    auto db = dir / "osm.sqlite";
    //   1 ---- 2 ---- 3      way 10 primary 1-2-3; way 11 residential 2-4 with oneway=-1
    //          |    /        (traffic 4 -> 2); way 12 footway 1-4 (not for fire engines);
    //          4 --'         way 13 tertiary 3-4, maxspeed 30 mph; way 14 a river (not a road)
    write(dir / "town.osm", R"(<?xml version="1.0" encoding="UTF-8"?>
<osm version="0.6" generator="vigil-test">
 <node id="1" lat="35.0" lon="113.0" version="1"/>
 <node id="2" lat="35.0" lon="113.01" version="1"/>
 <node id="3" lat="35.0" lon="113.02" version="1"/>
 <node id="4" lat="35.01" lon="113.01" version="1"/>
 <way id="10" version="1"><nd ref="1"/><nd ref="2"/><nd ref="3"/><tag k="highway" v="primary"/><tag k="name" v="人民路"/><tag k="ref" v="S309"/></way>
 <way id="11" version="1"><nd ref="2"/><nd ref="4"/><tag k="highway" v="residential"/><tag k="oneway" v="-1"/></way>
 <way id="12" version="1"><nd ref="1"/><nd ref="4"/><tag k="highway" v="footway"/></way>
 <way id="13" version="1"><nd ref="3"/><nd ref="4"/><tag k="highway" v="tertiary"/><tag k="maxspeed" v="30 mph"/><tag k="bridge" v="viaduct"/></way>
 <way id="14" version="1"><nd ref="1"/><nd ref="3"/><tag k="waterway" v="river"/></way>
</osm>
)");
    auto run = run_vigil("import " + q(db) + " " + q(dir / "town.osm") + " --layer roads");
    INFO(run.out);
    REQUIRE(run.code == 0);
    CHECK(run.out.find("3 inserted") != std::string::npos);
    CHECK(run.out.find("road graph stored: 4 nodes") != std::string::npos);
    run = run_vigil("export " + q(db) + " " + q(dir / "roads.geojson") + " --layer roads");
    INFO(run.out);
    REQUIRE(run.code == 0);
    auto fc = nlohmann::json::parse(std::ifstream(dir / "roads.geojson"));
    std::map<std::string, nlohmann::json> by_id;
    for (const auto& f : fc["features"]) by_id[f["properties"]["id"].get<std::string>()] = f;
    REQUIRE(by_id.size() == 3);
    CHECK(by_id["10"]["properties"]["road_class"] == "provincial");
    CHECK(by_id["10"]["properties"]["ref"] == "S309");
    const auto& w11 = by_id["11"];
    auto truthy = [](const nlohmann::json& v) { return v.is_boolean() ? v.get<bool>() : v.get<int>() != 0; }; // GDAL writes 0/1
    CHECK(truthy(w11["properties"]["oneway"]));
    CHECK(w11["geometry"]["coordinates"][0][1].get<double>() == Approx(35.01)); // starts at node 4 now
    CHECK(by_id["13"]["properties"]["speed_kmh"].get<double>() == Approx(48.28).margin(0.01));
    CHECK(truthy(by_id["13"]["properties"]["bridge"]));

    // Routing honours the reversed one-way. Times (road_speeds.json): 2-3 and 2-1 provincial
    // 0.911 km at 55 km/h = 60 s; 4 -> 2 urban 1.109 km at 30 km/h = 133 s; 3-4 1.435 km at
    // 35 km/h = 148 s (township: its 48.28 km/h limit does not raise the class speed; it used
    // to give 107 s). Within 150 s: *from* node 2 reaches 1 and 3 (4 only via 3, 208 s);
    // *to* node 2 come 1, 3 and 4 (directly, 133 s).
    run = run_vigil("-q isochrone " + q(db) + " --at 113.01,35.0 --minutes 2.5 --direction from --json");
    INFO(run.out);
    REQUIRE(run.code == 0);
    CHECK(nlohmann::json::parse(run.out)["bands"][0]["nodes"] == 3);
    run = run_vigil("-q isochrone " + q(db) + " --at 113.01,35.0 --minutes 2.5 --direction to --json");
    INFO(run.out);
    REQUIRE(run.code == 0);
    CHECK(nlohmann::json::parse(run.out)["bands"][0]["nodes"] == 4);
}

TEST_CASE("the demo's posted limits no longer make ETAs optimistic; its supplies arrive soonest first",
          "[gdal][cli][routing][dispatch][demo]") {
    auto dir = scratch_dir("cli-dispatch-demo");
    const auto db = dir / "demo.sqlite";
    auto made = run_vigil("demo " + q(db));
    INFO(made.out);
    REQUIRE(made.code == 0);
    // Wenxian, hazmat teams on standby (docs/routing.md's example).
    const std::string ask =
        "-q nearest " + q(db) + " --at 113.0791,34.9412 --layer rescue_teams --need hazmat --status available -k 46 --by road --json";
    // Under the old rule every demo road drove at its posted limit. Every demo road has one, and
    // all roads of a class share it (county roads 40 or 60), so this profile reproduces the old
    // rule exactly under the new one: min(class, limit) = limit.
    write(
        dir / "old_rule.json",
        R"({"format": "vigil-road-speeds/1", "classes": {"expressway": 120, "national": 80, "provincial": 70, "county": 60, "urban": 60}})");
    auto place = [](const nlohmann::json& j, const std::string& id) {
        for (std::size_t i = 0; i < j["results"].size(); ++i)
            if (j["results"][i]["id"] == id) return std::make_pair(i + 1, j["results"][i]["travel_s"].get<double>() / 60);
        return std::make_pair(std::size_t{0}, 0.0);
    };
    auto now = run_vigil(ask);
    auto old = run_vigil(ask + " --speeds " + q(dir / "old_rule.json"));
    REQUIRE(now.code == 0);
    REQUIRE(old.code == 0);
    CHECK(now.out.find("note:") == std::string::npos); // `vigil demo` stored a graph under the current rule
    // 中站区消防救援站 JZDW-004: 34.3 min and 7th with the limits as speeds; now 46.1 min and 9th.
    const auto [old_rank, old_min] = place(nlohmann::json::parse(old.out), "JZDW-004");
    const auto [new_rank, new_min] = place(nlohmann::json::parse(now.out), "JZDW-004");
    CHECK(old_rank == 7);
    CHECK(old_min == Approx(34.3).margin(0.05));
    CHECK(new_rank == 9);
    CHECK(new_min == Approx(46.1).margin(0.05));
    // Every team is as slow or slower than the old answer said: never optimistic.
    const auto jn = nlohmann::json::parse(now.out), jo = nlohmann::json::parse(old.out);
    for (const auto& r : jn["results"]) {
        const auto [rank, before] = place(jo, r["id"].get<std::string>());
        REQUIRE(rank > 0);
        CHECK(r["travel_s"].get<double>() / 60 >= before - 1e-9);
    }

    // 5 t of neutraliser: 1.7 t from JZCK-022 arrive in ~12 minutes; before, the plan sent all
    // 5 t (and the absorbent) from JZCK-003, the farthest store, and showed nothing earlier.
    auto supply = run_vigil("-q supply " + q(db) + " --at 113.0791,34.9412 --need 中和剂:5t,吸附棉:2000kg,沙袋:3000 --json");
    INFO(supply.out);
    REQUIRE(supply.code == 0);
    const auto js = nlohmann::json::parse(supply.out);
    CHECK(js["complete"] == true);
    const auto& neutraliser = js["needs"][0]["from"];
    REQUIRE(neutraliser.size() >= 2);
    CHECK(neutraliser[0]["id"] == "JZCK-022");
    CHECK(neutraliser[0]["quantity"].get<double>() == Approx(1.7));
    CHECK(neutraliser[0]["eta_s"].get<double>() / 60 == Approx(12.2).margin(0.05));
    CHECK(js["arrival_s"].get<double>() / 60 == Approx(48.3).margin(0.05));
}

} // namespace test_cli_dispatch_cases
