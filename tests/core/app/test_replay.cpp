// The register at a chosen moment (app/replay.hpp): audited edits after it undone on copies of
// the layers, what differs listed, and the moment a user types read on the bureau's clock.

#include <vigil/app/replay.hpp>
#include <vigil/store/project_reader.hpp>
#include <vigil/util/error.hpp>

#include "test_paths.hpp"

#include <catch2/catch.hpp>

using namespace vigil;

namespace test_replay_cases {

app::AuditEntry audit_row(std::int64_t seq, std::string at, std::string id, std::string action, std::optional<std::string> field,
                          std::optional<std::string> before, std::optional<std::string> after) {
    app::AuditEntry e;
    e.seq = seq;
    e.at = std::move(at);
    e.user = "王五";
    e.seat = "席位1";
    e.layer = "rescue_teams";
    e.record_id = std::move(id);
    e.field = std::move(field);
    e.before = std::move(before);
    e.after = std::move(after);
    e.action = std::move(action);
    e.change_id = "c" + std::to_string(seq);
    return e;
}

TEST_CASE("replay: edits after the moment undone newest first, records created since taken out, the layers held untouched",
          "[app][replay]") {
    const auto now = app::LayerSet::load(store::Project::open(test::data_dir() / "project_small.sqlite"), {"rescue_teams"});
    const auto teams = now.share("rescue_teams");
    REQUIRE(teams->text(*teams->find("T01"), "status") == "available");
    // The audit after the moment: T01 resting -> deployed at 03:10, deployed -> available at
    // 03:20; T99 created at 03:15 (not in this layer: its insert only says "absent then"). The
    // row of 02:00 is before the moment and stays.
    std::vector<app::AuditEntry> entries = {
        audit_row(1, "2026-12-07T02:00:00.000Z", "T02", "edit", "status", "resting", "available"),
        audit_row(2, "2026-12-07T03:10:00.000Z", "T01", "edit", "status", "resting", "deployed"),
        audit_row(3, "2026-12-07T03:15:00.000Z", "T99", "insert", "status", std::nullopt, "available"),
        audit_row(4, "2026-12-07T03:20:00.000Z", "T01", "edit", "status", "deployed", "available"),
    };
    const auto r = app::replay_at(now, entries, "2026-12-07T03:00:00.999Z");
    CHECK(r.undone == 3);
    REQUIRE(r.layers.size() == 1);
    const auto& then = *r.layers[0];
    CHECK(then.text(*then.find("T01"), "status") == "resting");                                  // both later edits undone, newest first
    CHECK(then.text(*then.find("T02"), "status") == teams->text(*teams->find("T02"), "status")); // 02:00 is before the moment
    CHECK(then.size() == teams->size());
    CHECK(teams->text(*teams->find("T01"), "status") == "available"); // the layer held never changes
    REQUIRE(r.records.size() == 2);
    const auto t01 = std::find_if(r.records.begin(), r.records.end(), [](const auto& x) { return x.id == "T01"; });
    REQUIRE(t01 != r.records.end());
    REQUIRE(t01->fields.size() == 1);
    CHECK(t01->fields[0].then == std::optional<std::string>("resting"));
    CHECK(t01->fields[0].now == std::optional<std::string>("available"));
    CHECK(t01->fields[0].then_text == "Resting");
    const auto t99 = std::find_if(r.records.begin(), r.records.end(), [](const auto& x) { return x.id == "T99"; });
    REQUIRE(t99 != r.records.end());
    CHECK(t99->absent_then);
    const auto j = app::to_json(r);
    CHECK(j["undone"] == 3);
    CHECK(j["records"].size() == 2);

    // Changed and changed back since: nothing differs, though two rows were undone.
    const auto back = app::replay_at(now,
                                     {audit_row(6, "2026-12-07T03:20:00.000Z", "T01", "edit", "status", "available", "deployed"),
                                      audit_row(7, "2026-12-07T03:30:00.000Z", "T01", "edit", "status", "deployed", "available")},
                                     "2026-12-07T03:00:00.999Z");
    CHECK(back.undone == 2);
    CHECK(back.records.empty());
    // Rows of a layer not held are skipped, and said.
    auto other = entries[1];
    other.layer = "warehouses";
    const auto skipped = app::replay_at(now, {other}, "2026-12-07T03:00:00.999Z");
    CHECK(skipped.undone == 0);
    CHECK(skipped.notes.front().find("warehouses") != std::string::npos);
}

TEST_CASE("replay: the moment a user types, on the bureau's clock or in UTC", "[app][replay]") {
    CHECK(app::utc_of_typed_time("2026-12-07 03:00") == "2026-12-06T19:00:00.999Z"); // Beijing time, across midnight
    CHECK(app::utc_of_typed_time("2026-12-07T11:20:05") == "2026-12-07T03:20:05.999Z");
    CHECK(app::utc_of_typed_time("2026-12-07T03:20:05Z") == "2026-12-07T03:20:05.999Z");
    // The audit's own form passes through (what a viewer sends the server for a replay).
    CHECK(app::utc_of_typed_time("2026-12-07T03:20:05.250Z") == "2026-12-07T03:20:05.250Z");
    CHECK(app::utc_of_typed_time(app::utc_of_typed_time("2026-12-07 03:00")) == "2026-12-06T19:00:00.999Z");
    CHECK_THROWS(app::utc_of_typed_time("2026-12-07T03:20:05.25Z"));
    CHECK(app::utc_of_typed_time("2026-01-01 07:59:59") == "2025-12-31T23:59:59.999Z");
    for (const char* bad : {"yesterday", "2026-12-07", "2026-13-01 00:00", "2026-12-07 24:00", "2026-12-07 03:00 ", "2026/12/07 03:00"})
        CHECK_THROWS_WITH(app::utc_of_typed_time(bad), Catch::Contains("YYYY-MM-DD HH:MM"));
}

} // namespace test_replay_cases
