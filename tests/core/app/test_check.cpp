// The data-quality report (app::run_checks) on a small in-memory project: a clean set gives no
// finding, and each planted defect is found once, on the right record and field; what cannot be
// checked is listed as skipped with its reason; the request and the catalogue's expectations
// refuse bad input by name.

#include <vigil/app/check.hpp>
#include <vigil/catalog/catalog.hpp>
#include <vigil/geo/geodesic.hpp>
#include <vigil/util/error.hpp>

#include "app_layers.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>

using namespace vigil;
using Catch::Matchers::Contains;
using test::point;

namespace test_check_cases {

using Fields = std::map<std::string, model::Value>;

using test::square;

/// Two square counties side by side, 0.1° wide: 甲县 (410001) west of 113.1°E, 乙县 (410002) east.
std::shared_ptr<const model::Layer> counties() {
    return test::make_layer("admin_areas",
                            {{"410001", square(113.0, 35.0, 0.1), {{"name", std::string("甲县")}, {"level", std::string("county")}}},
                             {"410002", square(113.1, 35.0, 0.1), {{"name", std::string("乙县")}, {"level", std::string("county")}}},
                             // The city: its own parent is not in the project, and that is no defect.
                             {"410000", square(113.0, 35.0, 0.2), {{"name", std::string("某市")}, {"level", std::string("city")}}}});
}

/// `east_m` metres east and `north_m` north of `p` (near 35°N).
geo::Coord moved(geo::Coord p, double east_m, double north_m) { return geo::destination(geo::destination(p, 90, east_m), 0, north_m); }

const geo::Coord k_e1{113.05, 35.05}; // 甲县
const geo::Coord k_e2{113.15, 35.05}; // 乙县
const std::string k_recent = "2026-06-01T08:00:00.000Z";
const std::string k_as_of = "2026-12-07";

Fields enterprise(std::string name, std::string uscc, std::string county) {
    return {{"name", std::move(name)},
            {"uscc", std::move(uscc)},
            {"county", std::move(county)},
            {"phone", std::string("0391-3511234")},
            {"updated_at", k_recent}};
}

/// The plans kind another helper may add: here only to show that a date field with
/// renew_years is checked (应急预案每三年至少修订一次).
std::shared_ptr<const catalog::LayerKind> plans_kind() {
    static const auto k = std::make_shared<const catalog::LayerKind>(catalog::parse_layer_kind(R"({
      "format": "vigil-layer/1", "kind": "plans", "title": {"zh": "应急预案", "en": "Emergency plans"}, "geometry": "point",
      "fields": [
        {"name": "id", "role": "id", "type": "text", "required": true, "label": "id"},
        {"name": "name", "role": "name", "type": "text", "label": {"zh": "预案名称", "en": "Plan"}},
        {"name": "revised", "type": "date", "renew_years": 3, "label": {"zh": "修订日期", "en": "Revised"}}
      ]})",
                                                                                               "plans.json"));
    return k;
}

/// The clean project: every check that can run finds nothing.
struct Project {
    std::vector<test::Record> enterprises = {
        point("E1", k_e1, enterprise("甲化工有限公司", "91410800MA44000001", "甲县")),
        point("E2", k_e2, enterprise("乙机械有限公司", "91410800MA44000002", "乙县")),
    };
    std::vector<test::Record> hazards = {
        point("H1", moved(k_e1, 200, 0),
              {{"name", std::string("甲化工罐区")},
               {"enterprise_id", std::string("E1")},
               {"county", std::string("甲县")},
               {"updated_at", k_recent}}),
    };
    std::vector<test::Record> teams = {
        point("T1", moved(k_e1, 0, 500),
              {{"name", std::string("甲县消防救援大队")},
               {"capabilities", std::string(R"(["hazmat","fire"])")},
               {"duty_phone", std::string("0391-119")},
               {"county", std::string("甲县")},
               {"base_enterprise_id", std::string("E1")},
               {"updated_at", k_recent}}),
    };
    std::vector<test::Record> warehouses = {
        point("W1", k_e2,
              {{"name", std::string("乙县物资库")},
               {"phone", std::string("0391-7654321")},
               {"county", std::string("乙县")},
               {"stock", std::string(R"([{"item":"中和剂","quantity":5,"unit":"t","min_quantity":2}])")},
               {"updated_at", k_recent}}),
    };
    std::vector<test::RecordValues> plans = {
        {geo::Geometry::point(k_e1),
         {{"id", std::string("P1")}, {"name", std::string("甲县危化品事故预案")}, {"revised", std::string("2025-01-10")}}},
    };
    // E1's one hidden hazard, open and in time (E1 types no counts: nothing to compare).
    std::vector<test::RecordValues> hidden = {
        {geo::Geometry::point(moved(k_e1, 50, 50)),
         {{"id", std::string("YH1")},
          {"description", std::string("配电箱未可靠接地")},
          {"level", std::string("general")},
          {"enterprise_id", std::string("E1")},
          {"deadline", std::string("2027-01-31")}}},
    };

    app::LayerSet layers() const {
        app::LayerSet set;
        set.add(counties());
        set.add(test::make_layer("enterprises", enterprises));
        set.add(test::make_layer("hazard_sources", hazards));
        set.add(test::make_layer("rescue_teams", teams));
        set.add(test::make_layer("warehouses", warehouses));
        set.add(test::layer_of(plans_kind(), plans));
        set.add(test::layer_of("hidden_hazards", hidden));
        return set;
    }
};

app::CheckResult check(const app::LayerSet& set, app::CheckRequest q = {}) {
    if (q.as_of.empty()) q.as_of = k_as_of;
    return app::run_checks(q, set);
}

std::vector<const app::CheckFinding*> of(const app::CheckResult& r, app::Check c) {
    std::vector<const app::CheckFinding*> out;
    for (const auto& f : r.findings)
        if (f.check == c) out.push_back(&f);
    return out;
}

std::string describe(const app::CheckResult& r) {
    std::string out;
    for (const auto& f : r.findings)
        out += std::string(app::check_code(f.check)) + " " + f.kind + "/" + f.id + "." + f.field + ": " + f.message + "\n";
    return out;
}


TEST_CASE("check: a clean project gives no finding, and every check runs", "[app][check]") {
    const auto r = check(Project{}.layers());
    INFO(describe(r));
    CHECK(r.findings.empty());
    CHECK(r.errors() == 0);
    CHECK(r.skipped.empty());
    CHECK(r.ran.size() == app::k_checks.size());
    CHECK(r.records == 2 + 1 + 1 + 1 + 1 + 1); // the admin areas are the boundaries, not checked themselves
}

TEST_CASE("check: each planted defect is found on its record and field", "[app][check]") {
    Project p;
    using S = std::string;
    // duplicate_uscc: E3 repeats E1's credit code.
    p.enterprises.push_back(point("E3", moved(k_e1, 0, -2000), enterprise("丙化工有限公司", "91410800MA44000001", "甲县")));
    // duplicate_uscc again: E8's code is E1's as another tool wrote it (lower case, a space).
    p.enterprises.push_back(point("E8", moved(k_e1, 0, -3000), enterprise("辛化工有限公司", " 91410800ma44000001", "甲县")));
    // same_name_nearby: E4 has E1's name (up to width and spaces), 30 m away.
    p.enterprises.push_back(point("E4", moved(k_e1, 30, 0), enterprise(" 甲化工有限公司", "91410800MA44000004", "甲县")));
    // no_location: E5 has no point.
    p.enterprises.push_back({"E5", geo::Geometry{}, enterprise("戊商贸有限公司", "91410800MA44000005", "甲县")});
    // outside_county: E6 claims 乙县 but lies in 甲县, 2 km west of the border.
    p.enterprises.push_back(point("E6", {113.078, 35.02}, enterprise("己建材有限公司", "91410800MA44000006", "乙县")));
    // unknown_county: E7 names a county the admin areas do not have.
    p.enterprises.push_back(point("E7", {113.06, 35.08}, enterprise("庚纺织有限公司", "91410800MA44000007", "丙县")));
    // broken_reference: H2's enterprise does not exist.
    p.hazards.push_back(point("H2", moved(k_e2, 100, 0), {{"name", S("储罐区")}, {"enterprise_id", S("E404")}, {"updated_at", k_recent}}));
    // far_from_reference: H3 lies 3 km from its enterprise E2 (the catalogue's within_m: 1000).
    p.hazards.push_back(
        point("H3", moved(k_e2, 0, 3000), {{"name", S("乙机械库房")}, {"enterprise_id", S("E2")}, {"updated_at", k_recent}}));
    // missing_value: T2 has no duty phone, T3 no capabilities (both errors: dispatch needs them).
    p.teams.push_back(
        point("T2", moved(k_e2, 0, -500), {{"name", S("乙县救援队")}, {"capabilities", S(R"(["flood"])")}, {"updated_at", k_recent}}));
    p.teams.push_back(
        point("T3", moved(k_e2, 0, -900),
              {{"name", S("乙县志愿队")}, {"capabilities", S("[]")}, {"duty_phone", S("13800000000")}, {"updated_at", k_recent}}));
    // below_minimum: W2 holds 1.5 t of 中和剂 against a minimum of 2 t.
    p.warehouses.push_back(point(
        "W2", moved(k_e1, 0, 1500),
        {{"name", S("甲县物资库")},
         {"phone", S("0391-1111111")},
         {"stock", S(R"([{"item":"沙袋","quantity":3000,"unit":"个"},{"item":"中和剂","quantity":1.5,"unit":"t","min_quantity":2}])")},
         {"updated_at", k_recent}}));
    // stale_record: W3 was last written by an import on 2025-10-01, 432 days before as_of.
    p.warehouses.push_back(point("W3", moved(k_e1, 0, 2500),
                                 {{"name", S("甲县二号库")}, {"phone", S("0391-2222222")}, {"updated_at", S("2025-10-01T09:00:00.000Z")}}));
    // past_revision: P2 was revised more than three years before as_of.
    p.plans.push_back({geo::Geometry::point(k_e2), {{"id", S("P2")}, {"name", S("乙县防汛预案")}, {"revised", S("2023-12-01")}}});

    const auto r = check(p.layers());
    INFO(describe(r));
    auto one = [&](app::Check c) -> const app::CheckFinding& {
        const auto list = of(r, c);
        INFO(app::check_code(c));
        REQUIRE(list.size() == 1);
        return *list.front();
    };

    const auto dups = of(r, app::Check::DuplicateUscc);
    REQUIRE(dups.size() == 2);
    const auto& dup = *dups[0];
    CHECK((dup.kind == "enterprises" && dup.id == "E3" && dup.field == "uscc" && dup.value == "91410800MA44000001"));
    CHECK(dup.related == std::vector<std::string>{"E1"});
    CHECK(dup.severity == app::CheckSeverity::Error);
    CHECK_THAT(dup.message, Contains("E1 (甲化工有限公司)"));
    CHECK(dups[1]->id == "E8");
    CHECK(dups[1]->related == std::vector<std::string>{"E1", "E3"});

    const auto& same = one(app::Check::SameNameNearby);
    CHECK((same.id == "E4" && same.field == "name"));
    CHECK(same.related == std::vector<std::string>{"E1"});
    CHECK_THAT(same.message, Contains("30 m away"));
    CHECK(same.severity == app::CheckSeverity::Warning);

    const auto& nowhere = one(app::Check::NoLocation);
    CHECK((nowhere.id == "E5" && nowhere.field == "geom"));

    const auto& outside = one(app::Check::OutsideCounty);
    CHECK((outside.id == "E6" && outside.field == "county" && outside.value == "乙县"));
    CHECK(outside.related == std::vector<std::string>{"410001"});
    CHECK_THAT(outside.message, Contains("outside 乙县") && Contains("in 甲县"));

    const auto& unknown = one(app::Check::UnknownCounty);
    CHECK((unknown.id == "E7" && unknown.field == "county" && unknown.value == "丙县"));
    CHECK_THAT(unknown.message, Contains("甲县, 乙县")); // the counties it could have been

    const auto& broken = one(app::Check::BrokenReference);
    CHECK((broken.kind == "hazard_sources" && broken.id == "H2" && broken.field == "enterprise_id" && broken.value == "E404"));

    const auto& far = one(app::Check::FarFromReference);
    CHECK((far.id == "H3" && far.field == "enterprise_id" && far.value == "E2"));
    CHECK(far.related == std::vector<std::string>{"E2"});
    CHECK_THAT(far.message, Contains("3000 m from") && Contains("1000"));

    const auto missing = of(r, app::Check::MissingValue);
    REQUIRE(missing.size() == 2);
    CHECK((missing[0]->id == "T2" && missing[0]->field == "duty_phone"));
    CHECK((missing[1]->id == "T3" && missing[1]->field == "capabilities"));
    CHECK(missing[0]->severity == app::CheckSeverity::Error); // the catalogue says so
    CHECK_THAT(missing[0]->message, Contains("no duty phone"));

    const auto& low = one(app::Check::BelowMinimum);
    CHECK((low.kind == "warehouses" && low.id == "W2" && low.field == "stock" && low.value == "中和剂 1.5t"));
    CHECK_THAT(low.message, Contains("below its minimum reserve 2t"));

    const auto& revision = one(app::Check::PastRevision);
    CHECK((revision.kind == "plans" && revision.id == "P2" && revision.field == "revised" && revision.value == "2023-12-01"));
    CHECK_THAT(revision.message, Contains("2026-12-01"));

    const auto& stale = one(app::Check::StaleRecord);
    CHECK((stale.id == "W3" && stale.field == "updated_at" && stale.value == "2025-10-01"));
    CHECK_THAT(stale.message, Contains("432 days"));

    CHECK(r.findings.size() == 13);
    CHECK(r.errors() == 2 + 1 + 1 + 1 + 2); // the two codes, location, county, reference, the two teams
    CHECK(r.warnings() == 6);
    // The report's order: by check, then layer, then row.
    for (std::size_t i = 1; i < r.findings.size(); ++i)
        CHECK(static_cast<int>(r.findings[i - 1].check) <= static_cast<int>(r.findings[i].check));
    CHECK(r.skipped.empty());
}

TEST_CASE("check: thresholds move what is found; only the checks asked run", "[app][check]") {
    Project p;
    // 80 m apart: a duplicate at 100 m, not at the default 50 m.
    p.enterprises.push_back(point("E4", moved(k_e1, 80, 0), enterprise("甲化工有限公司", "91410800MA44000004", "甲县")));
    // 40 m across the border into 乙县: within the 100 m the boundaries' error allows, not at 10 m.
    p.enterprises.push_back(point("E5", {113.1 + 40 / 91300.0, 35.05}, enterprise("甲建材有限公司", "91410800MA44000005", "甲县")));
    const auto set = p.layers();
    CHECK(check(set).findings.empty());

    app::CheckRequest q;
    q.same_name_m = 100;
    q.county_tolerance_m = 10;
    q.within_m = 150;   // H1 lies 200 m from E1
    q.stale_days = 100; // the records were written on 2026-06-01, 189 days before
    const auto r = check(set, q);
    INFO(describe(r));
    CHECK(of(r, app::Check::SameNameNearby).size() == 1);
    REQUIRE(of(r, app::Check::OutsideCounty).size() == 1);
    CHECK(of(r, app::Check::OutsideCounty)[0]->id == "E5");
    CHECK_THAT(of(r, app::Check::OutsideCounty)[0]->message, Contains("in 乙县"));
    CHECK(of(r, app::Check::FarFromReference).size() == 1);
    CHECK(of(r, app::Check::StaleRecord).size() == 4 + 1 + 1 + 1); // all but the plan (its kind gives no refresh period)

    app::CheckRequest only;
    only.only = {app::Check::SameNameNearby};
    only.same_name_m = 100;
    const auto o = check(set, only);
    CHECK(o.findings.size() == 1);
    CHECK(o.ran == std::vector<app::Check>{app::Check::SameNameNearby});
    CHECK(o.skipped.empty());
    const auto j = app::to_json(o);
    CHECK(j["checks"].size() == 1);
    CHECK(j["only"] == nlohmann::json::array({"same_name_nearby"}));
}

TEST_CASE("check: what cannot be checked is listed with its reason, never silently left out", "[app][check]") {
    app::LayerSet set;
    // Enterprises only, built without update times: no boundaries, no references to follow, no
    // expectation in a hand-made kind, no as-of date.
    set.add(test::make_layer("enterprises", {point("E1", k_e1, {{"county", std::string("甲县")}})}));
    const auto r = app::run_checks({}, set);
    auto reason = [&](app::Check c) {
        std::string out;
        for (const auto& s : r.skipped)
            if (s.check == c) out += s.reason + "\n";
        return out;
    };
    CHECK_THAT(reason(app::Check::OutsideCounty), Contains("admin_areas"));
    CHECK_THAT(reason(app::Check::UnknownCounty), Contains("admin_areas"));
    CHECK_THAT(reason(app::Check::PastRevision), Contains("renew_years") && Contains("emergency-plans"));
    CHECK_THAT(reason(app::Check::StaleRecord), Contains("as-of date"));
    CHECK_THAT(reason(app::Check::BelowMinimum), Contains("minimum_of"));
    CHECK_THAT(reason(app::Check::BrokenReference), Contains("no field references"));
    CHECK_THAT(reason(app::Check::HazardCounts), Contains("no hidden_hazards layer"));
    CHECK(reason(app::Check::DuplicateUscc).empty());
    CHECK(std::find(r.ran.begin(), r.ran.end(), app::Check::DuplicateUscc) != r.ran.end());

    // With a date but no update times kept (a layer built in memory): said per layer.
    app::CheckRequest q;
    q.as_of = k_as_of;
    const auto dated = app::run_checks(q, set);
    bool said = false;
    for (const auto& s : dated.skipped) said = said || (s.check == app::Check::StaleRecord && s.kind == "enterprises");
    CHECK(said);

    // Hazard sources without their enterprises layer: both reference checks say which layer is missing.
    app::LayerSet hazards;
    hazards.add(test::make_layer("hazard_sources", {point("H1", k_e1, {{"enterprise_id", std::string("E1")}})}));
    const auto h = app::run_checks({}, hazards);
    int missing_layer = 0;
    for (const auto& s : h.skipped)
        if ((s.check == app::Check::BrokenReference || s.check == app::Check::FarFromReference) && s.kind == "hazard_sources")
            missing_layer += s.reason.find("enterprises") != std::string::npos;
    CHECK(missing_layer == 2);
    // A warehouse layer whose stock lines give no minimum: nothing to compare, said so.
    app::LayerSet stores;
    stores.add(test::make_layer("warehouses", {point("W1", k_e1, {{"stock", std::string(R"([{"item":"沙袋","quantity":30}])")}})}));
    const auto w = app::run_checks({}, stores);
    CHECK(std::any_of(w.skipped.begin(), w.skipped.end(),
                      [](const app::CheckSkip& s) { return s.check == app::Check::BelowMinimum && s.kind == "warehouses"; }));
    // An area with a county field: it may rightly cross the border, so it is not checked, and said so.
    const auto parks = std::make_shared<const catalog::LayerKind>(catalog::parse_layer_kind(R"({
      "format": "vigil-layer/1", "kind": "parks", "title": "园区", "geometry": "polygon",
      "fields": [{"name": "id", "role": "id", "type": "text", "required": true, "label": "id"},
                 {"name": "county", "role": "county", "type": "text", "label": "county"}]})",
                                                                                            "parks.json"));
    app::LayerSet areas;
    areas.add(counties());
    areas.add(test::layer_of(parks, {{square(113.09, 35.0, 0.02), {{"id", std::string("Y1")}, {"county", std::string("甲县")}}}}));
    const auto a = app::run_checks({}, areas);
    CHECK(a.findings.empty());
    CHECK(std::count_if(a.skipped.begin(), a.skipped.end(), [](const app::CheckSkip& s) {
              return (s.check == app::Check::OutsideCounty || s.check == app::Check::UnknownCounty) && s.kind == "parks";
          }) == 2);
    // Updated times that cannot be read count as old (the safe side), said so in the message.
    app::LayerSet odd;
    odd.add(test::make_layer(
        "warehouses", {point("W1", k_e1, {{"updated_at", std::string("yesterday")}}), point("W2", k_e2, {{"updated_at", k_recent}})}));
    const auto u = app::run_checks(q, odd);
    REQUIRE(of(u, app::Check::StaleRecord).size() == 1);
    CHECK_THAT(of(u, app::Check::StaleRecord)[0]->message, Contains("update time unknown"));
}

TEST_CASE("check: county boundaries with holes and many parts agree with geo::contains", "[app][check]") {
    // A county with a hole (an enclave of the other county) and a second, detached part.
    const std::vector<geo::Coord> outer{{113.0, 35.0}, {113.1, 35.0}, {113.1, 35.1}, {113.0, 35.1}, {113.0, 35.0}};
    const std::vector<geo::Coord> hole{{113.04, 35.04}, {113.06, 35.04}, {113.06, 35.06}, {113.04, 35.06}, {113.04, 35.04}};
    const std::vector<geo::Coord> islet{{113.3, 35.0}, {113.32, 35.0}, {113.32, 35.02}, {113.3, 35.02}, {113.3, 35.0}};
    const auto a = geo::Geometry::multi_polygon({{outer, hole}, {islet}});
    const auto b = geo::Geometry::multi_polygon({{hole}});
    app::LayerSet set;
    set.add(test::make_layer("admin_areas", {{"A", a, {{"name", std::string("甲县")}, {"level", std::string("county")}}},
                                             {"B", b, {{"name", std::string("乙县")}, {"level", std::string("county")}}}}));
    // A grid of enterprises all claiming 甲县: the ones the service puts outside are exactly those
    // geo::contains puts outside (tolerance 0), and those outside in the enclave are said to be in 乙县.
    std::vector<test::Record> grid;
    std::size_t expected_outside = 0;
    for (int i = 0; i < 40; ++i)
        for (int k = 0; k < 14; ++k) {
            const geo::Coord p{112.99 + i * 0.0091, 34.995 + k * 0.0083};
            expected_outside += !geo::contains(a, p);
            grid.push_back(point("P" + std::to_string(i) + "-" + std::to_string(k), p, {{"county", std::string("甲县")}}));
        }
    set.add(test::make_layer("enterprises", grid));
    app::CheckRequest q;
    q.county_tolerance_m = 0;
    q.only = {app::Check::OutsideCounty};
    const auto r = app::run_checks(q, set);
    CHECK(r.findings.size() == expected_outside);
    std::size_t in_enclave = 0;
    for (const auto& f : r.findings) in_enclave += f.related == std::vector<std::string>{"B"};
    CHECK(in_enclave > 0);
    CHECK(expected_outside > 100);
}

TEST_CASE("check: the request from JSON and the JSON form", "[app][check][json]") {
    const auto q = app::check_request_from_json(nlohmann::json::parse(
        R"({"only": ["duplicate_uscc", "stale_record"], "as_of": "2026-12-07", "same_name_m": 80, "stale_days": 30})"));
    CHECK(q.only == std::vector<app::Check>{app::Check::DuplicateUscc, app::Check::StaleRecord});
    CHECK(q.as_of == "2026-12-07");
    CHECK(q.same_name_m == 80);
    CHECK(q.stale_days == 30);
    CHECK_THROWS_WITH(app::check_request_from_json(nlohmann::json::parse(R"({"same_name": 80})")), Contains("same_name"));
    CHECK_THROWS_WITH(app::check_request_from_json(nlohmann::json::parse(R"({"only": ["duplicates"]})")), Contains("duplicates"));
    CHECK_THROWS_WITH(app::check_request_from_json(nlohmann::json::parse(R"({"as_of": "2026-13-01"})")), Contains("as_of"));
    CHECK_THROWS_WITH(app::check_request_from_json(nlohmann::json::parse(R"({"same_name_m": -5})")), Contains("same_name_m"));
    app::CheckRequest bad;
    bad.county_tolerance_m = -1;
    CHECK_THROWS_AS(app::run_checks(bad, {}), UsageError);

    Project p;
    p.enterprises.push_back(point("E3", moved(k_e1, 0, -2000), enterprise("丙化工有限公司", "91410800MA44000001", "甲县")));
    const auto r = check(p.layers());
    const auto j = app::to_json(r);
    CHECK(j["as_of"] == k_as_of);
    CHECK(j["errors"] == 1);
    CHECK(j["warnings"] == 0);
    CHECK(j["records"] == r.records);
    CHECK(j["thresholds"]["same_name_m"] == 50);
    CHECK(j["thresholds"]["within_m"].is_null());
    REQUIRE(j["checks"].size() == app::k_checks.size());
    CHECK(j["checks"][0] ==
          nlohmann::json{{"check", "duplicate_uscc"}, {"title", "duplicate credit codes"}, {"run", true}, {"findings", 1}});
    REQUIRE(j["findings"].size() == 1);
    const auto& f = j["findings"][0];
    CHECK(f["check"] == "duplicate_uscc");
    CHECK(f["severity"] == "error");
    CHECK(f["layer"] == "enterprises");
    CHECK(f["id"] == "E3");
    CHECK(f["name"] == "丙化工有限公司");
    CHECK(f["field"] == "uscc");
    CHECK(f["value"] == "91410800MA44000001");
    CHECK(f["related"] == nlohmann::json::array({"E1"}));
    CHECK(j["skipped"].empty());
    for (app::Check c : app::k_checks) CHECK(app::parse_check(app::check_code(c)) == c);
    CHECK(app::today_utc().size() == 10);
}

TEST_CASE("check: the catalogue's expectations are read and refused by JSON path", "[app][check][catalog]") {
    const auto& teams = *test::app_catalog().get("rescue_teams");
    REQUIRE(teams.field("duty_phone")->expected);
    CHECK(teams.field("duty_phone")->expected->error);
    CHECK(teams.refresh_days == 365);
    CHECK(test::app_catalog().get("hazard_sources")->field("enterprise_id")->within_m == 1000);
    CHECK(test::app_catalog().get("warehouses")->field("stock")->item_field("min_quantity")->minimum_of == "quantity");

    auto kind = [](const std::string& fields, const std::string& extra = "") {
        return catalog::parse_layer_kind(
            R"({"format": "vigil-layer/1", "kind": "k", "title": "k", "geometry": "point", )" + extra +
                R"("fields": [{"name": "id", "role": "id", "type": "text", "required": true, "label": "id"}, )" + fields + "]}",
            "k.json");
    };
    CHECK_THROWS_WITH(kind(R"({"name": "n", "type": "text", "label": "n", "required": true, "expected": {"zh": "要"}})"),
                      Contains("fields[1].expected") && Contains("required"));
    CHECK_THROWS_WITH(kind(R"({"name": "n", "type": "text", "label": "n", "expected": {"zh": "要", "severity": "fatal"}})"),
                      Contains("fields[1].expected.severity"));
    CHECK_THROWS_WITH(kind(R"({"name": "n", "type": "text", "label": "n", "within_m": 100})"), Contains("references"));
    CHECK_THROWS_WITH(kind(R"({"name": "n", "type": "real", "label": "n", "minimum_of": "id"})"), Contains("fields[1].minimum_of"));
    CHECK_THROWS_WITH(kind(R"({"name": "n", "type": "text", "label": "n", "renew_years": 3})"), Contains("date"));
    CHECK_THROWS_WITH(kind(R"({"name": "n", "type": "date", "label": "n", "renew_years": 0})"), Contains("positive"));
    CHECK_THROWS_WITH(kind(R"({"name": "n", "type": "date", "label": "n", "renew_years": 2.5})"), Contains("whole"));
    CHECK_THROWS_WITH(kind(R"({"name": "n", "type": "text", "label": "n"})", R"("refresh_days": -1, )"), Contains("refresh_days"));
    CHECK_NOTHROW(kind(R"({"name": "q", "type": "real", "label": "q"}, {"name": "m", "type": "real", "label": "m", "minimum_of": "q"})"));
}

} // namespace test_check_cases
