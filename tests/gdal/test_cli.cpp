// The vigil program as a user runs it: exit codes, messages, JSON shapes.

#include "cli_runner.hpp"
#include "test_paths.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <array>
#include <cstdio>
#include <fstream>
#include <sys/wait.h>

namespace fs = std::filesystem;
using vigil::test::scratch_dir;

using vigil::test::q;
using vigil::test::Run;
using vigil::test::run_vigil;
using vigil::test::write;

TEST_CASE("init, import, layers, nearest, within, imports, export from the command line", "[gdal][cli]") {
    auto dir = scratch_dir("cli-flow");
    auto db = dir / "p.sqlite";
    auto r = run_vigil("init " + q(db));
    INFO(r.out);
    REQUIRE(r.code == 0);
    CHECK(r.out.find("created") != std::string::npos);

    auto src = vigil::test::data_dir() / "project_small";
    r = run_vigil("import " + q(db) + " " + q(src / "teams.csv") + " --layer 救援队伍");
    INFO(r.out);
    REQUIRE(r.code == 0);
    CHECK(r.out.find("5 inserted") != std::string::npos);

    r = run_vigil("layers " + q(db) + " --json");
    REQUIRE(r.code == 0);
    auto layers = nlohmann::json::parse(r.out);
    bool found = false;
    for (const auto& l : layers["layers"])
        if (l["kind"] == "rescue_teams") {
            found = true;
            CHECK(l["feature_count"] == 5);
            CHECK(l["source_crs"] == "EPSG:4326");
            CHECK(l["extent"].size() == 4);
        }
    CHECK(found);

    // Nearest hazmat-capable, available team to the Wenxian seat: T01 in Wenxian, then T03 in Mengzhou.
    r = run_vigil("nearest " + q(db) + " --at 113.0791,34.9412 --layer rescue_teams --need hazmat --status available -k 3 --json");
    INFO(r.out);
    REQUIRE(r.code == 0);
    auto j = nlohmann::json::parse(r.out);
    REQUIRE(j["results"].size() == 2); // T04 is deployed, T02 has no hazmat
    CHECK(j["results"][0]["id"] == "T01");
    CHECK(j["results"][1]["id"] == "T03");
    CHECK(j["results"][0]["distance_m"].get<double>() < 200);
    CHECK(j["results"][0]["distance_m"].get<double>() < j["results"][1]["distance_m"].get<double>());
    for (const char* key : {"id", "name", "lon", "lat", "distance_m", "capabilities", "status"}) CHECK(j["results"][0].contains(key));
    // The documented key order: id, name, lon, lat, distance_m, then the other fields.
    // nlohmann::json sorts keys when parsing, so the order is checked on the raw text.
    const std::string first = r.out.substr(r.out.find("\"results\""));
    CHECK(first.find("\"id\"") < first.find("\"name\""));
    CHECK(first.find("\"name\"") < first.find("\"lon\""));
    CHECK(first.find("\"lon\"") < first.find("\"lat\""));
    CHECK(first.find("\"lat\"") < first.find("\"distance_m\""));
    CHECK(first.find("\"distance_m\"") < first.find("\"capabilities\""));

    r = run_vigil("within " + q(db) + " --at 113.0791,34.9412 --radius 3000 --layer rescue_teams --json");
    REQUIRE(r.code == 0);
    j = nlohmann::json::parse(r.out);
    REQUIRE(j["results"].size() == 2);
    CHECK(j["results"][0]["id"] == "T01");
    CHECK(j["results"][1]["id"] == "T02");

    r = run_vigil("nearest " + q(db) + " --at 113.0791,34.9412 --layer rescue_teams -k 2");
    REQUIRE(r.code == 0);
    CHECK(r.out.find("温县应急救援队") != std::string::npos);

    r = run_vigil("imports " + q(db) + " --json");
    REQUIRE(r.code == 0);
    j = nlohmann::json::parse(r.out);
    CHECK(j["imports"][0]["file_name"] == "teams.csv");
    CHECK(j["imports"][0]["file_sha256"].get<std::string>().size() == 64);

    r = run_vigil("export " + q(db) + " " + q(dir / "teams.geojson") + " --layer rescue_teams");
    INFO(r.out);
    REQUIRE(r.code == 0);
    CHECK(fs::exists(dir / "teams.geojson"));
}

TEST_CASE("user errors get clear messages and stable exit codes", "[gdal][cli]") {
    auto dir = scratch_dir("cli-errors");
    auto db = dir / "p.sqlite";
    REQUIRE(run_vigil("init " + q(db)).code == 0);

    auto r = run_vigil("nearest " + q(db) + " --at 113.0 --layer rescue_teams");
    CHECK(r.code == 2);
    CHECK(r.out.find("LON,LAT") != std::string::npos);
    r = run_vigil("nearest " + q(db) + " --at 35.0,113.0 --layer rescue_teams");
    CHECK(r.code == 2);
    r = run_vigil("nearest " + q(db) + " --at 113.0,35.0 --layer no_such_layer");
    CHECK(r.code == 2);
    CHECK(r.out.find("no layer 'no_such_layer'") != std::string::npos);
    r = run_vigil("nearest " + q(db) + " --at 113.0,35.0 --layer rescue_teams --need 飞行");
    CHECK(r.code == 2);
    CHECK(r.out.find("'飞行' is not a value") != std::string::npos);
    r = run_vigil("nearest " + q(dir / "missing.sqlite") + " --at 113.0,35.0 --layer rescue_teams");
    CHECK(r.code == 1);
    CHECK(r.out.find("does not exist") != std::string::npos);
    r = run_vigil("import " + q(db) + " " + q(dir / "none.csv") + " --layer rescue_teams");
    CHECK(r.code == 1);
    r = run_vigil("import " + q(db) + " x.csv --layer rescue_teams --map name");
    CHECK(r.code == 2);
    r = run_vigil("frobnicate");
    CHECK(r.code == 2);
    r = run_vigil("import " + q(db) + " x.csv --layer rescue_teams --crs EPSG:999999");
    CHECK(r.code != 0);

    // A refused import: exit code 3, every problem with file:row, the database unchanged.
    write(dir / "bad.csv", "队伍编号,队伍名称,状态,经度,纬度\nA,一队,忙碌,113.0,35.0\nB,,待命,113.0,35.0\n");
    r = run_vigil("import " + q(db) + " " + q(dir / "bad.csv") + " --layer rescue_teams");
    INFO(r.out);
    CHECK(r.code == 3);
    CHECK(r.out.find("import refused: 2 problems") != std::string::npos);
    CHECK(r.out.find("bad.csv:2 [id=A] status (Status) = \"忙碌\"") != std::string::npos);
    CHECK(r.out.find("bad.csv:3 [id=B] name (Name): required value is missing") != std::string::npos);
    r = run_vigil("import " + q(db) + " " + q(dir / "bad.csv") + " --layer rescue_teams --json");
    CHECK(r.code == 3);
    auto j = nlohmann::json::parse(r.out);
    CHECK(j["status"] == "refused");
    CHECK(j["problems"][0]["row"] == 2);
    CHECK(j["problems"][0]["field"] == "status");

    // --map rescues a column the aliases do not know.
    write(dir / "odd.csv", "编号,单位全称,经度,纬度\nM1,某救援队,113.0,35.0\n");
    r = run_vigil("import " + q(db) + " " + q(dir / "odd.csv") + " --layer rescue_teams");
    CHECK(r.code == 3);
    CHECK(r.out.find("--map name=COLUMN") != std::string::npos);
    r = run_vigil("import " + q(db) + " " + q(dir / "odd.csv") + " --layer rescue_teams --map name=单位全称");
    INFO(r.out);
    CHECK(r.code == 0);
}

TEST_CASE("catalog and help", "[gdal][cli]") {
    auto r = run_vigil("catalog");
    REQUIRE(r.code == 0);
    CHECK(r.out.find("rescue_teams") != std::string::npos);
    r = run_vigil("catalog rescue_teams");
    REQUIRE(r.code == 0);
    CHECK(r.out.find("队伍名称") != std::string::npos);
    r = run_vigil("--help");
    CHECK(r.code == 0);
    CHECK(r.out.find("import") != std::string::npos);
    r = run_vigil("--version");
    CHECK(r.code == 0);
}

TEST_CASE("a file name that is not UTF-8 (GBK) never breaks vigil imports --json", "[gdal][cli]") {
    auto dir = scratch_dir("cli-gbk-name");
    auto db = dir / "p.sqlite";
    REQUIRE(run_vigil("init " + q(db)).code == 0);
    // "企业队伍.csv" as a Windows archive stores it: GBK bytes, not UTF-8.
    const std::filesystem::path gbk_name = dir / std::string("\xC6\xF3\xD2\xB5\xB6\xD3\xCE\xE9.csv");
    std::filesystem::copy_file(vigil::test::data_dir() / "project_small" / "teams.csv", gbk_name);
    auto r = run_vigil("import " + q(db) + " " + q(gbk_name) + " --layer rescue_teams");
    INFO(r.out);
    REQUIRE(r.code == 0);
    r = run_vigil("imports " + q(db) + " --json");
    INFO(r.out);
    REQUIRE(r.code == 0);
    const auto j = nlohmann::json::parse(r.out); // valid UTF-8 JSON: the bad bytes shown as U+FFFD
    REQUIRE(j["imports"].size() == 1);
    CHECK(j["imports"][0]["file_name"].get<std::string>().find("\xEF\xBF\xBD") != std::string::npos);
    CHECK(j["imports"][0]["rows_inserted"] == 5);
}
