// Dual prevention and grid management on small in-memory layers: the hidden-hazard ledger's
// state of each record on a day (and what it assumes, on the safe side), the per-enterprise
// counts the statistics take from it instead of the typed-in ones, the check that compares the
// two; the finest grid of a place, the statistics by grid and the records in no grid.

#include <vigil/app/check.hpp>
#include <vigil/app/grids.hpp>
#include <vigil/app/hazard_ledger.hpp>
#include <vigil/app/stats.hpp>
#include <vigil/util/error.hpp>

#include "app_layers.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>

using namespace vigil;
using Catch::Matchers::Contains;
using test::point;

namespace test_hazard_ledger_cases {

using Fields = std::map<std::string, model::Value>;

using test::square;

const std::string k_day = "2026-12-01";

/// Two counties side by side, 0.1° wide: 甲县 west of 113.1°E, 乙县 east.
std::shared_ptr<const model::Layer> counties() {
    return test::make_layer("admin_areas",
                            {{"410001", square(113.0, 35.0, 0.1), {{"name", std::string("甲县")}, {"level", std::string("county")}}},
                             {"410002", square(113.1, 35.0, 0.1), {{"name", std::string("乙县")}, {"level", std::string("county")}}}});
}

Fields typed(std::int64_t open, std::int64_t overdue, std::string name) {
    return {{"open_hazards", open}, {"overdue_hazards", overdue}, {"name", std::move(name)}};
}

/// E1 and E2 in 甲县, E3 in 乙县; the register's typed-in counts (E1 claims 4 open, 1 overdue).
std::shared_ptr<const model::Layer> enterprises() {
    return test::make_layer("enterprises", {point("E1", {113.02, 35.02}, typed(4, 1, "甲化工有限公司")),
                                            point("E2", {113.08, 35.08}, typed(1, 0, "乙机械有限公司")),
                                            point("E3", {113.15, 35.05}, typed(5, 2, "丙食品有限公司"))});
}

/// A hidden-hazard record at `at` with the given fields (level general unless said). The kind
/// names its records by their description, so test::make_layer (which sets "name") is not used.
test::RecordValues hazard(const std::string& id, geo::Coord at, Fields f) {
    if (!f.count("level")) f["level"] = std::string("general");
    f.emplace("description", id + " 隐患");
    f["id"] = id;
    return {geo::Geometry::point(at), std::move(f)};
}

/// The ledger of the scenario, one record per rule of hazard_ledger.hpp.
std::shared_ptr<const model::Layer> records() {
    const std::string e1 = "E1";
    return test::layer_of(
        "hidden_hazards",
        std::vector<test::RecordValues>{
            // E1: one of each state.
            hazard("R1", {113.021, 35.02},
                   {{"enterprise_id", e1},
                    {"found_date", std::string("2026-05-01")},
                    {"deadline", std::string("2026-06-01")},
                    {"rectified_date", std::string("2026-05-20")},
                    {"status", std::string("rectified")}}),
            hazard("R2", {113.021, 35.021},
                   {{"enterprise_id", e1}, {"deadline", std::string("2026-12-01")}, {"status", std::string("in_progress")}}),
            hazard("R3", {113.022, 35.021},
                   {{"enterprise_id", e1}, {"deadline", std::string("2026-11-30")}, {"status", std::string("open")}}),
            hazard("R4", {113.022, 35.022}, {{"enterprise_id", e1}, {"level", std::string("major")}}),      // no deadline: overdue, assumed
            hazard("R5", {113.023, 35.022}, {{"enterprise_id", e1}, {"status", std::string("rectified")}}), // the clerk says rectified
            hazard(
                "R6", {113.023, 35.023},
                {{"enterprise_id", e1}, {"deadline", std::string("2027-03-01")}, {"rectified_date", std::string("2026-12-20")}}), // not yet
            hazard("R7", {113.024, 35.023}, {{"enterprise_id", e1}, {"found_date", std::string("2026-12-05")}}), // found after the day
            hazard("R8", {113.024, 35.024}, {{"enterprise_id", e1}, {"deadline", std::string("next spring")}}),  // no date: overdue
            hazard("R9", {113.025, 35.024}, {{"enterprise_id", e1}, {"level", model::Value{}}, {"deadline", std::string("2027-01-10")}}),
            // E2 only by its name.
            hazard("R10", {113.081, 35.08}, {{"enterprise_name", std::string("乙机械有限公司")}, {"deadline", std::string("2027-01-10")}}),
            // No enterprise of the register: counted where it lies (乙县), and listed.
            hazard("R11", {113.16, 35.06}, {{"enterprise_id", std::string("E404")}, {"deadline", std::string("2026-10-01")}}),
        });
}

app::LayerSet project() {
    app::LayerSet set;
    set.add(counties());
    set.add(enterprises());
    set.add(records());
    return set;
}


TEST_CASE("hazard ledger: each record's state on the day, on the safe side, and what was assumed", "[app][ledger]") {
    const auto g = app::hazard_ledger(project(), k_day);
    REQUIRE(g.records.size() == 11);
    using S = app::HazardState;
    auto state = [&](std::size_t row) { return g.records[row].state; };
    CHECK(state(0) == S::Rectified);
    CHECK(state(1) == S::InProgress); // due on the day itself: still in time
    CHECK(state(2) == S::Overdue);    // due the day before
    CHECK(state(3) == S::Overdue);
    CHECK(g.records[3].deadline_assumed);
    CHECK(g.records[3].major);
    CHECK(state(4) == S::Rectified);
    CHECK(state(5) == S::Open); // rectified after the day: open on it
    CHECK(state(6) == S::NotYetFound);
    CHECK(state(7) == S::Overdue);
    CHECK(g.records[7].deadline_assumed);
    CHECK(g.records[8].major); // no level: counted major
    CHECK(g.records[8].level_assumed);
    CHECK(g.records[9].enterprise == std::optional<std::size_t>(1));
    CHECK_FALSE(g.records[10].enterprise);

    // E1: R2, R3, R4, R6, R8, R9 open; R3, R4, R8 overdue; R4 and R9 major.
    CHECK(g.counts.open == std::vector<std::int64_t>{6, 1, 5});
    CHECK(g.counts.overdue == std::vector<std::int64_t>{3, 0, 2}); // E3: no record, the typed counts kept
    CHECK(g.counts.open_major == std::vector<std::int64_t>{2, 0, 0});
    CHECK(g.counted == 10);
    CHECK(g.open == 8);
    CHECK(g.overdue == 4);
    CHECK(g.rectified == 2);
    CHECK(g.no_deadline == 2);
    CHECK(g.unreadable_dates == 1);
    CHECK(g.level_assumed == 1);
    CHECK(g.enterprises_typed == 1);
    CHECK(g.without_enterprise_ids == std::vector<std::string>{"R11"});
    const auto notes = g.notes();
    auto said = [&](const std::string& words) {
        return std::any_of(notes.begin(), notes.end(), [&](const std::string& n) { return n.find(words) != std::string::npos; });
    };
    CHECK(said("2 open record(s) without a readable deadline counted as overdue"));
    CHECK(said("1 record(s) without a level counted as major"));
    CHECK(said("1 enterprise(s) of which the ledger holds no record keep their typed-in counts"));
    CHECK(said("1 record(s) of no enterprise"));

    // A day later R2 is overdue too; the day is checked.
    CHECK(app::hazard_ledger(project(), "2026-12-02").counts.overdue[0] == 4);
    CHECK_THROWS_WITH(app::hazard_ledger(project(), "2026-12-1"), Contains("YYYY-MM-DD"));
    // No records: every count the typed one, said so.
    app::LayerSet typed_only;
    typed_only.add(enterprises());
    const auto t = app::hazard_ledger(typed_only, k_day);
    CHECK_FALSE(t.from_records);
    CHECK(t.counts.open == std::vector<std::int64_t>{4, 1, 5});
    CHECK_THAT(t.notes().front(), Contains("typed into the enterprises' register"));
}

TEST_CASE("stats: the hidden hazards come from the records; a record of no enterprise counted where it lies", "[app][stats][ledger]") {
    app::StatsRequest q;
    q.as_of = k_day;
    const auto r = app::stats_by_county(q, project());
    REQUIRE(r.groups.size() == 2);
    CHECK(r.groups[0].county == "甲县");
    CHECK(r.groups[0].open_hazards == 6 + 1);
    CHECK(r.groups[0].overdue_hazards == 3);
    CHECK(r.groups[0].open_major_hazards == 2);
    CHECK(r.groups[0].enterprises_with_overdue == 1);
    CHECK(r.groups[1].open_hazards == 5 + 1); // E3's typed 5, and R11
    CHECK(r.groups[1].overdue_hazards == 2 + 1);
    CHECK(r.total.open_hazards == 13);
    const auto j = app::to_json(r);
    CHECK(j["as_of"] == k_day);
    CHECK(j["hidden_hazards"]["source"] == "records");
    CHECK(j["hidden_hazards"]["without_enterprise"] == nlohmann::json::array({"R11"}));
    CHECK(j["hidden_hazards"]["no_deadline"] == 2);
    CHECK(j["counties"][0]["open_major_hazards"] == 2);
    CHECK(j["total"]["overdue_hazards"] == 6);
    CHECK_FALSE(j["notes"].empty());

    // Without a day the records cannot be reckoned: refused, not guessed.
    CHECK_THROWS_WITH(app::stats_by_county({}, project()), Contains("as_of"));
    const auto from_json = app::stats_request_from_json(nlohmann::json{{"by", "grid"}, {"as_of", "2026-12-01"}});
    CHECK(from_json.by == app::StatsGrouping::Grid);
    CHECK(from_json.as_of == "2026-12-01");
    CHECK_THROWS_WITH(app::stats_request_from_json(nlohmann::json{{"as_of", "1/12/2026"}}), Contains("\"as_of\""));
    CHECK_THROWS_WITH(app::stats_request_from_json(nlohmann::json{{"by", "town"}}), Contains("\"grid\""));
}

TEST_CASE("check: typed-in hidden-hazard counts the records do not bear out", "[app][check][ledger]") {
    app::CheckRequest q;
    q.as_of = k_day;
    q.only = {app::Check::HazardCounts};
    const auto r = app::run_checks(q, project());
    // E1 typed 4 open, the records 6: reported; typed 1 overdue, the records 3: fewer typed is
    // what passing deadlines do, not reported. E2 agrees. E3 typed 5 open, the ledger has none.
    REQUIRE(r.findings.size() == 2);
    CHECK(r.findings[0].id == "E1");
    CHECK(r.findings[0].field == "open_hazards");
    CHECK(r.findings[0].value == "4");
    CHECK(r.findings[0].severity == app::CheckSeverity::Warning);
    CHECK_THAT(r.findings[0].message, Contains("the records show 6 as of 2026-12-01"));
    CHECK(r.findings[1].id == "E3");
    CHECK_THAT(r.findings[1].message, Contains("hold none of this enterprise"));

    // More overdue typed than the records show is reported.
    app::LayerSet set = project();
    set.add(test::make_layer("enterprises", {point("E1", {113.02, 35.02}, typed(6, 5, "甲化工有限公司")),
                                             point("E2", {113.08, 35.08}, typed(1, 0, "乙机械有限公司"))}));
    const auto more = app::run_checks(q, set);
    REQUIRE(more.findings.size() == 1);
    CHECK(more.findings[0].field == "overdue_hazards");
    CHECK_THAT(more.findings[0].message, Contains("typed overdue hidden hazards 5, the records show 3 overdue"));

    // Without records, or without a day, the check says why it did not run.
    app::LayerSet typed_only;
    typed_only.add(enterprises());
    const auto none = app::run_checks(q, typed_only);
    REQUIRE(none.skipped.size() == 1);
    CHECK_THAT(none.skipped[0].reason, Contains("no hidden_hazards layer"));
    q.as_of.clear();
    const auto undated = app::run_checks(q, project());
    REQUIRE(undated.skipped.size() == 1);
    CHECK_THAT(undated.skipped[0].reason, Contains("as-of"));
}

/// 甲县's county grid, its two townships (west and east halves), and two villages covering the
/// west township's southern half only.
std::shared_ptr<const model::Layer> grids() {
    auto grid = [](std::string id, geo::Geometry g, std::string name, std::string level, std::string parent, std::string member) {
        return test::Record{std::move(id), std::move(g),
                            Fields{{"name", std::move(name)},
                                   {"level", std::move(level)},
                                   {"parent_id", std::move(parent)},
                                   {"member", std::move(member)},
                                   {"phone", std::string("13800000001")}}};
    };
    auto box = [](double x0, double y0, double w, double h) {
        return geo::Geometry::multi_polygon({{{{x0, y0}, {x0 + w, y0}, {x0 + w, y0 + h}, {x0, y0 + h}, {x0, y0}}}});
    };
    return test::make_layer("grids", {
                                         grid("G1", box(113.0, 35.0, 0.1, 0.1), "甲县网格", "county", "", "县网格员"),
                                         grid("G11", box(113.0, 35.0, 0.05, 0.1), "西镇网格", "township", "G1", "西镇网格员"),
                                         grid("G12", box(113.05, 35.0, 0.05, 0.1), "东镇网格", "township", "G1", "东镇网格员"),
                                         grid("G111", box(113.0, 35.0, 0.025, 0.05), "甲村网格", "village", "G11", "甲村网格员"),
                                         grid("G112", box(113.025, 35.0, 0.025, 0.05), "乙村网格", "village", "G11", "乙村网格员"),
                                     });
}


TEST_CASE("grids: the finest grid of a place, its lineage; a place in none", "[app][grids]") {
    const app::GridIndex index(grids());
    REQUIRE(index.cells().size() == 5);
    CHECK_FALSE(index.cells()[0].leaf);
    CHECK_FALSE(index.cells()[1].leaf);
    CHECK(index.cells()[2].leaf);
    CHECK(index.cells()[3].level == app::GridLevel::Village);
    auto id_at = [&](geo::Coord p) -> std::string {
        const auto c = index.finest_at(p);
        return c ? index.cells()[*c].id : "-";
    };
    CHECK(id_at({113.01, 35.01}) == "G111"); // the village, not its township or county
    CHECK(id_at({113.04, 35.02}) == "G112");
    CHECK(id_at({113.02, 35.08}) == "G11"); // the west township's north: no village there
    CHECK(id_at({113.08, 35.08}) == "G12");
    CHECK(id_at({113.15, 35.05}) == "-"); // 乙县 has no grids
    CHECK(index.path_text(*index.finest_at({113.01, 35.01})) == "甲县网格 / 西镇网格 / 甲村网格");
    CHECK(index.lineage(3) == std::vector<std::size_t>{3, 1, 0});
    CHECK(app::parse_grid_level("township") == app::GridLevel::Township);
    CHECK_FALSE(app::parse_grid_level("乡镇"));
}

TEST_CASE("stats by grid: each record in its finest grid, the empty leaves listed, the rest in (no grid)", "[app][stats][grids]") {
    app::LayerSet set = project();
    set.add(grids());
    app::StatsRequest q;
    q.by = app::StatsGrouping::Grid;
    q.as_of = k_day;
    const auto r = app::statistics(q, set);
    // G1 and G11 have grids below them and hold nothing of their own but E2... E2 lies at
    // (113.08, 35.08): in G12. E1 (113.02, 35.02) in G111.
    std::vector<std::string> codes;
    for (const auto& g : r.groups) codes.push_back(g.code);
    CHECK(codes == std::vector<std::string>{"G12", "G111", "G112", ""});
    REQUIRE(r.groups.size() == r.grids.size());
    CHECK(r.groups[1].county == "甲村网格");
    CHECK(r.groups[1].enterprises == 1);
    CHECK(r.groups[1].open_hazards == 6);
    CHECK(r.grids[1].level == "village");
    CHECK(r.grids[1].parent == "G11");
    CHECK(r.grids[1].member == "甲村网格员");
    CHECK(r.groups[2].enterprises == 0); // an empty village grid is still listed
    CHECK(r.groups[3].county == "(no grid)");
    CHECK(r.groups[3].enterprises == 1); // E3, in 乙县
    CHECK(r.groups[3].open_hazards == 5 + 1);
    CHECK(r.outside_enterprises == std::vector<std::string>{"E3"});
    CHECK(r.outside_hidden_hazards == std::vector<std::string>{"R11"});
    CHECK(r.total.enterprises == 3);
    CHECK(r.total.open_hazards == app::stats_by_county(q, set).total.open_hazards);
    const auto j = app::to_json(r);
    CHECK(j["by"] == "grid");
    CHECK_FALSE(j.contains("counties"));
    REQUIRE(j["grids"].size() == 4);
    CHECK(j["grids"][1]["grid"] == "甲村网格");
    CHECK(j["grids"][1]["path"] == "甲县网格 / 西镇网格 / 甲村网格");
    CHECK(j["grids"][1]["member"] == "甲村网格员");
    CHECK(j["outside_grids"]["enterprises"] == nlohmann::json::array({"E3"}));
    CHECK_THAT(j["notes"].back().get<std::string>(), Contains("1 enterprise(s) lie in no grid"));

    // An enterprise on its own in the west township's north lists that township too.
    set.add(test::make_layer("enterprises", {point("E9", {113.02, 35.08}, typed(0, 0, "丁公司"))}));
    const auto north = app::statistics(q, set);
    CHECK(north.groups.front().code == "G11");
    CHECK(north.groups.front().enterprises == 1);

    CHECK_THROWS_WITH(app::stats_by_grid(q, project()), Contains("'grids'"));
}

} // namespace test_hazard_ledger_cases
