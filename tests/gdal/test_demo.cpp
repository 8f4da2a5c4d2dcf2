// `vigil demo`: the Jiaozuo demo database, built through the ordinary import path.

#include <vigil/app/grids.hpp>
#include <vigil/app/hazard_ledger.hpp>
#include <vigil/geo/geodesic.hpp>
#include <vigil/geo/geometry.hpp>
#include <vigil/store/project_reader.hpp>

#include "db_fingerprint.hpp"
#include "test_paths.hpp"

#include <catch2/catch.hpp>

#include <array>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <fstream>
#include <map>
#include <random>
#include <regex>
#include <set>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace vigil;

namespace test_demo_cases {

std::pair<int, std::string> shell(const std::string& cmd) {
    std::string out;
    FILE* p = popen((cmd + " 2>&1").c_str(), "r");
    REQUIRE(p);
    std::array<char, 4096> buf{};
    std::size_t n;
    while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) out.append(buf.data(), n);
    int status = pclose(p);
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

std::string vigil_cmd() { return std::string("VIGIL_LAYERS='") + test::layers_dir().string() + "' '" + VIGIL_EXECUTABLE + "'"; }

struct Demo {
    fs::path dir, db;
};

const Demo& demo() {
    static Demo d = [] {
        Demo x;
        x.dir = test::scratch_dir("demo");
        x.db = x.dir / "jiaozuo.sqlite";
        auto [code, out] = shell(vigil_cmd() + " demo '" + x.db.string() + "' --sources '" + (x.dir / "src1").string() + "'");
        INFO(out);
        REQUIRE(code == 0);
        return x;
    }();
    return d;
}

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}


TEST_CASE("the demo holds every layer in the sizes the issue asks for", "[gdal][demo]") {
    auto project = store::Project::open(demo().db);
    std::map<std::string, store::LayerInfo> layers;
    for (auto& l : project.layers()) layers[l.kind] = l;
    CHECK(layers["enterprises"].feature_count >= 500);
    CHECK(layers["hazard_sources"].feature_count >= 150);
    CHECK(layers["rescue_teams"].feature_count >= 40);
    CHECK(layers["warehouses"].feature_count >= 20);
    CHECK(layers["admin_areas"].feature_count == 10);
    CHECK(layers["rivers"].feature_count >= 1);
    CHECK(layers["roads"].feature_count >= 5);
    // The emergency-resource census (demo_census.cpp).
    CHECK(layers["medical_facilities"].feature_count >= 20);
    CHECK(layers["shelters"].feature_count >= 30);
    CHECK(layers["experts"].feature_count >= 30);
    CHECK(layers["plans"].feature_count >= 60);
    CHECK(layers["equipment"].feature_count >= 80);
    CHECK(layers["hidden_hazards"].feature_count >= 1000);
    CHECK(layers["grids"].feature_count >= 140);
    // The boundaries went through the GCJ-02 path; teams came as AMap, warehouses as Baidu coordinates.
    CHECK(layers["admin_areas"].source_crs == "GCJ-02");
    CHECK(layers["rescue_teams"].source_crs == "GCJ-02");
    CHECK(layers["warehouses"].source_crs == "BD-09");
    // Everything lies in the Jiaozuo area.
    for (const auto& [kind, l] : layers) {
        INFO(kind);
        if (l.feature_count == 0) continue;
        CHECK(l.extent.min_x > 112.3);
        CHECK(l.extent.max_x < 114.0);
        CHECK(l.extent.min_y > 34.6);
        CHECK(l.extent.max_y < 35.8);
    }
}

TEST_CASE("the demo names the entities of the bureau's reports", "[gdal][demo]") {
    auto project = store::Project::open(demo().db);
    auto ent = project.load_layer("enterprises");
    auto find_name = [](const model::Layer& l, const std::string& name) -> std::optional<std::size_t> {
        for (std::size_t i = 0; i < l.size(); ++i)
            if (l.text(i, "name") == name) return i;
        return std::nullopt;
    };
    auto siwei = find_name(*ent, "焦作四维液压机械有限公司");
    REQUIRE(siwei);
    CHECK(ent->text(*siwei, "industry") == "machinery");
    CHECK(ent->text(*siwei, "inspection_findings") == "8");
    CHECK(find_name(*ent, "河南卓立膜材料股份有限公司"));
    auto mengniu = find_name(*ent, "蒙牛乳业（焦作）有限公司");
    REQUIRE(mengniu);
    CHECK(ent->text(*mengniu, "dual_prevention") == "completed");
    CHECK(ent->text(*mengniu, "industry") == "food");

    auto teams = project.load_layer("rescue_teams");
    CHECK(find_name(*teams, "温县应急救援队"));
    auto lantian = find_name(*teams, "温县蓝天应急救援队");
    REQUIRE(lantian);
    CHECK(teams->text(*lantian, "team_type") == "social");
    // Wenxian's two hazardous-chemical teams based at chemical enterprises.
    int wenxian_enterprise_hazmat = 0;
    for (std::size_t i = 0; i < teams->size(); ++i)
        if (teams->text(i, "county") == "温县" && teams->text(i, "team_type") == "enterprise_based" &&
            teams->text(i, "capabilities").find("hazmat") != std::string::npos && !teams->text(i, "base_enterprise_id").empty())
            ++wenxian_enterprise_hazmat;
    CHECK(wenxian_enterprise_hazmat == 2);
}

TEST_CASE("every generated record is marked synthetic and lies inside its county", "[gdal][demo]") {
    auto project = store::Project::open(demo().db);
    auto areas = project.load_layer("admin_areas");
    std::map<std::string, std::size_t> county;
    for (std::size_t i = 0; i < areas->size(); ++i) county[areas->text(i, "name")] = i;
    for (const char* kind : {"enterprises", "hazard_sources", "rescue_teams", "warehouses", "medical_facilities", "shelters", "experts",
                             "plans", "equipment"}) {
        INFO(kind);
        auto layer = project.load_layer(kind);
        std::size_t outside = 0, unmarked = 0, unknown_county = 0;
        for (std::size_t i = 0; i < layer->size(); ++i) {
            if (layer->text(i, "synthetic") != "1") ++unmarked;
            auto c = county.find(layer->text(i, "county"));
            if (c == county.end()) {
                ++unknown_county;
                continue;
            }
            if (!geo::contains(areas->geometry(c->second), layer->geometry(i).coords[0])) ++outside;
        }
        CHECK(unmarked == 0);
        CHECK(unknown_county == 0);
        CHECK(outside == 0);
    }
}

TEST_CASE("the demo's census: equipment stands at its team or warehouse, enterprises' plans at the enterprise", "[gdal][demo][census]") {
    auto project = store::Project::open(demo().db);
    auto equipment = project.load_layer("equipment");
    auto teams = project.load_layer("rescue_teams");
    auto depots = project.load_layer("warehouses");
    std::size_t at_team = 0, at_depot = 0, own = 0;
    std::set<std::string> types;
    for (std::size_t i = 0; i < equipment->size(); ++i) {
        INFO(equipment->id(i));
        const std::string holder = equipment->text(i, "held_by");
        types.insert(equipment->text(i, "equipment_type"));
        CHECK_FALSE(equipment->text(i, "status").empty()); // the demo's check comes out clean
        if (auto t = teams->find(holder)) {
            // The teams' register gives no coordinates: each line stands at its team, and says so.
            CHECK(equipment->text(i, "location_from_holder") == "1");
            CHECK(equipment->geometry(i).coords.at(0) == teams->geometry(*t).coords.at(0));
            CHECK(equipment->text(i, "county") == teams->text(*t, "county"));
            ++at_team;
        } else {
            auto d = depots->find(holder);
            REQUIRE(d);
            CHECK(equipment->text(i, "location_from_holder") == "0");
            CHECK(geo::geodesic_distance_m(equipment->geometry(i).coords.at(0), depots->geometry(*d).coords.at(0)) < 1);
            ++at_depot;
            ++own;
        }
    }
    CHECK(at_team > 50);
    CHECK(at_depot > 10);
    CHECK(own == at_depot);
    for (const char* t :
         {"chemical_suit", "leak_sealing", "decontamination", "scba", "gas_detector", "pump", "lighting", "cutting_tools", "boat"})
        CHECK(types.count(t));

    auto plans = project.load_layer("plans");
    auto enterprises = project.load_layer("enterprises");
    std::size_t enterprise_plans = 0;
    std::set<std::string> levels;
    for (std::size_t i = 0; i < plans->size(); ++i) {
        levels.insert(plans->text(i, "plan_level"));
        const std::string owner = plans->text(i, "owner_id");
        if (owner.empty()) continue;
        auto e = enterprises->find(owner);
        REQUIRE(e);
        CHECK(plans->text(i, "location_from_owner") == "1");
        CHECK(plans->geometry(i).coords.at(0) == enterprises->geometry(*e).coords.at(0));
        ++enterprise_plans;
    }
    CHECK(enterprise_plans > 20);
    CHECK(levels == std::set<std::string>{"municipal", "county", "township", "enterprise"});

    // Hospitals able to take the casualties of a chemical accident.
    auto hospitals = project.load_layer("medical_facilities");
    std::size_t burns = 0, poisoning = 0;
    for (std::size_t i = 0; i < hospitals->size(); ++i) {
        burns += hospitals->text(i, "capabilities").find("burns") != std::string::npos;
        poisoning += hospitals->text(i, "capabilities").find("poisoning") != std::string::npos;
    }
    CHECK(burns >= 3);
    CHECK(poisoning >= 3);
}

TEST_CASE("the demo's hidden-hazard ledger agrees with the register; its grids hold every enterprise", "[gdal][demo][ledger][grids]") {
    auto project = store::Project::open(demo().db);
    const auto ents = project.load_layer("enterprises");
    const auto records = project.load_layer("hidden_hazards");
    const auto grids = project.load_layer("grids");
    CHECK(records->size() > ents->size()); // about two a plant, open and rectified
    app::LayerSet set;
    set.add(ents);
    set.add(records);
    // On the ledger's day every enterprise's typed-in counts are the records' (the demo's
    // `vigil check` stays clean); the mix has every state and both levels.
    const auto g = app::hazard_ledger(set, "2026-12-01");
    for (std::size_t e = 0; e < ents->size(); ++e) {
        INFO(ents->id(e));
        CHECK(std::to_string(g.counts.open[e]) == ents->text(e, "open_hazards"));
        CHECK(std::to_string(g.counts.overdue[e]) == ents->text(e, "overdue_hazards"));
    }
    CHECK(g.without_enterprise.empty());
    CHECK(g.no_deadline == 0);
    CHECK(g.unreadable_dates == 0);
    CHECK(g.overdue > 50);
    CHECK(g.open > g.overdue);
    CHECK(g.rectified > 100);
    CHECK(g.open_major > 0);
    // Records stand at their plant, in the demo area, marked synthetic.
    for (std::size_t r = 0; r < records->size(); ++r) CHECK(records->text(r, "synthetic") == "1");

    // Grids: the ten counties, their townships (AreaCity's 101), 温县's villages; every
    // enterprise in a township or village grid of its own county.
    std::map<std::string, std::size_t> levels;
    for (std::size_t r = 0; r < grids->size(); ++r) ++levels[grids->text(r, "level")];
    CHECK(levels["county"] == 10);
    CHECK(levels["township"] == 101);
    CHECK(levels["village"] >= 30);
    const app::GridIndex index(grids);
    std::size_t outside = 0, coarse = 0;
    for (std::size_t e = 0; e < ents->size(); ++e) {
        const auto cell = index.grid_of(*ents, e);
        if (!cell) {
            ++outside;
            continue;
        }
        coarse += index.cells()[*cell].level == app::GridLevel::County;
    }
    CHECK(outside == 0);
    CHECK(coarse == 0);
}

TEST_CASE("ogrinfo lists every layer of the demo with its feature count and EPSG:4326", "[gdal][demo]") {
    auto [code, out] = shell("ogrinfo -so -al '" + demo().db.string() + "'");
    INFO(out);
    REQUIRE(code == 0);
    auto project = store::Project::open(demo().db);
    for (const auto& l : project.layers()) {
        INFO(l.kind);
        std::regex block("Layer name: " + l.kind + "\\n[\\s\\S]*?Feature Count: (\\d+)[\\s\\S]*?ID\\[\"EPSG\",4326\\]");
        std::smatch m;
        REQUIRE(std::regex_search(out, m, block));
        CHECK(std::stoll(m[1]) == l.feature_count);
    }
}

TEST_CASE("the demo sources are the same bytes on every run", "[gdal][demo]") {
    auto dir2 = test::scratch_dir("demo-again");
    auto [code, out] =
        shell(vigil_cmd() + " -q demo '" + (dir2 / "again.sqlite").string() + "' --sources '" + (dir2 / "src2").string() + "'");
    INFO(out);
    REQUIRE(code == 0);
    std::size_t files = 0;
    for (const auto& e : fs::directory_iterator(demo().dir / "src1")) {
        ++files;
        INFO(e.path());
        CHECK(slurp(e.path()) == slurp(dir2 / "src2" / e.path().filename()));
    }
    CHECK(files >= 7);
    // Refuses to overwrite without --force.
    auto [code2, out2] = shell(vigil_cmd() + " demo '" + (dir2 / "again.sqlite").string() + "'");
    CHECK(code2 == 2);
    CHECK(out2.find("--force") != std::string::npos);
}

// `vigil demo OUT --force` builds beside OUT and renames into place: killed at any moment it
// leaves OUT holding the previous database or the complete new one, never a half-built file
// under the name, never no file. Without --force a killed build leaves no OUT or a complete one.
TEST_CASE("demo killed at random moments never leaves a half-built database", "[gdal][demo][crash]") {
    const auto dir = test::scratch_dir("demo-kill");
    const fs::path reference = demo().db;
    const auto project_counts = [](const fs::path& db) {
        std::map<std::string, std::int64_t> counts;
        const auto p = store::Project::open(db);
        for (const auto& l : p.layers()) counts[l.kind] = l.feature_count;
        return counts;
    };
    const auto complete = project_counts(reference);
    REQUIRE(complete.size() >= 7);
    const fs::path previous = test::data_dir() / "project_small.sqlite";
    const std::string previous_print = test::db_fingerprint(previous);

    // Spread the kills over the whole run: measure one run first.
    const fs::path timed = dir / "timed.sqlite";
    const auto t0 = std::chrono::steady_clock::now();
    REQUIRE(shell(vigil_cmd() + " -q demo '" + timed.string() + "'").first == 0);
    const double run_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();

    std::mt19937 rng(20261206);
    int old_kept = 0, new_complete = 0, absent = 0;
    const int trials = 16;
    for (int t = 0; t < trials; ++t) {
        const bool force = t % 4 != 3; // every fourth trial builds a new OUT without --force
        const fs::path out = dir / ("out" + std::to_string(t) + ".sqlite");
        if (force) fs::copy_file(previous, out, fs::copy_options::overwrite_existing);
        const auto delay_us = static_cast<useconds_t>(std::uniform_real_distribution<double>(0.02, 1.0)(rng) * run_ms * 1000);
        const std::string layers = "VIGIL_LAYERS=" + test::layers_dir().string();
        const pid_t pid = ::fork();
        REQUIRE(pid >= 0);
        if (pid == 0) {
            ::putenv(const_cast<char*>(layers.c_str()));
            const int devnull = ::open("/dev/null", O_WRONLY);
            ::dup2(devnull, 1);
            ::dup2(devnull, 2);
            if (force) ::execl(VIGIL_EXECUTABLE, "vigil", "-q", "demo", out.c_str(), "--force", static_cast<char*>(nullptr));
            else ::execl(VIGIL_EXECUTABLE, "vigil", "-q", "demo", out.c_str(), static_cast<char*>(nullptr));
            ::_exit(127);
        }
        ::usleep(delay_us);
        ::kill(pid, SIGKILL);
        int status = 0;
        ::waitpid(pid, &status, 0);
        INFO("trial " << t << (force ? " --force" : "") << ", killed after " << delay_us / 1000 << " ms of a " << run_ms << " ms run");
        CHECK_FALSE(fs::exists(out.string() + "-wal"));
        if (!fs::exists(out)) {
            CHECK_FALSE(force); // --force never leaves no file
            ++absent;
            continue;
        }
        if (force && test::db_fingerprint(out) == previous_print) {
            ++old_kept;
            continue;
        }
        // Otherwise it must be the whole new demo.
        const auto p = store::Project::open(out);
        CHECK(p.database().query_text("PRAGMA integrity_check") == "ok");
        CHECK(project_counts(out) == complete);
        ++new_complete;
    }
    // The temporary files of killed builds carry their name, never OUT's.
    for (const auto& e : fs::directory_iterator(dir)) {
        const auto name = e.path().filename().string();
        if (name.starts_with(".")) CHECK(name.find(".building-") != std::string::npos);
    }
    INFO("old kept " << old_kept << ", new complete " << new_complete << ", absent " << absent);
    CHECK(old_kept + new_complete + absent == trials);
}

} // namespace test_demo_cases
