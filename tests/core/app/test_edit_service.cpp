// The edit service (app/edits.hpp) on an EditStore kept in memory: the rules are the service's,
// not SQLite's — a refused operation leaves nothing behind, a stale version names the other
// editor and both values, versions count operations, audit rows group by change, assignment
// without a road graph says why there is no ETA, and the JSON forms. (The same service on the
// SpatiaLite store, with real transactions and processes: tests/gdal/test_edits.cpp.)

#include "test_support.hpp"

#include <vigil/app/edit_command.hpp>
#include <vigil/app/edits.hpp>
#include <vigil/util/error.hpp>

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <map>
#include <set>

using namespace vigil;

namespace test_edit_service_cases {

// Every operation's writes go to copies that commit() keeps and rollback() drops: what a
// transaction does, so a test sees exactly what a refused operation would have left.
class MemoryStore final : public app::EditStore {
public:
    MemoryStore() {
        for (const auto& k : test::real_catalog().kinds()) m_catalog.add(*k);
        put("rescue_teams", {{"id", "T1"}, {"name", "一队"}, {"status", "available"}}, {113.0, 35.0});
        put("rescue_teams", {{"id", "T2"}, {"name", "二队"}, {"status", "resting"}}, {113.1, 35.0});
        put("warehouses", {{"id", "W1"}, {"name", "一库"}, {"stock", R"([{"item":"中和剂","quantity":2.0,"unit":"t"}])"}}, {113.0, 35.1});
    }

    std::shared_ptr<const catalog::LayerKind> kind(std::string_view layer) const override { return m_catalog.get(layer); }
    void begin() override {
        REQUIRE_FALSE(m_open);
        m_open = true;
        m_saved = m_data;
        ++begun;
    }
    void commit() override {
        REQUIRE(m_open);
        m_open = false;
    }
    void rollback() override {
        REQUIRE(m_open);
        m_open = false;
        m_data = m_saved;
    }
    std::string now() const override { return fmt::format("2026-12-07T10:00:{:02d}.000Z", ++m_clock); }
    std::optional<app::StoredRecord> find(const catalog::LayerKind& k, std::string_view id) const override {
        for (const auto& r : table(k.kind))
            if (model::to_text(r.values[k.id_index()]) == id) return r;
        return std::nullopt;
    }
    std::vector<app::StoredRecord> find_where(const catalog::LayerKind& k, std::string_view field, std::string_view value) const override {
        std::vector<app::StoredRecord> out;
        for (const auto& r : table(k.kind))
            if (model::to_text(r.values[*k.field_index(field)]) == value) out.push_back(r);
        return out;
    }
    std::vector<std::string> ids_with_prefix(const catalog::LayerKind& k, std::string_view prefix) const override {
        std::vector<std::string> out;
        for (const auto& r : table(k.kind)) {
            auto id = model::to_text(r.values[k.id_index()]);
            if (id.rfind(prefix, 0) == 0) out.push_back(id);
        }
        return out;
    }
    void update(const catalog::LayerKind& k, std::int64_t fid, const std::vector<std::pair<std::size_t, model::Value>>& values,
                std::int64_t version, const std::string&) override {
        REQUIRE(m_open);
        for (auto& r : m_data.tables[k.kind])
            if (r.fid == fid) {
                for (const auto& [i, v] : values) r.values[i] = v;
                r.version = version;
                return;
            }
        FAIL("no fid " << fid);
    }
    void insert(const catalog::LayerKind& k, const std::vector<model::Value>& values, geo::Coord point, const std::string&) override {
        REQUIRE(m_open);
        auto& t = m_data.tables[k.kind];
        t.push_back({static_cast<std::int64_t>(t.size() + 1), 1, values, point});
    }
    std::int64_t append_audit(const app::AuditEntry& e) override {
        REQUIRE(m_open);
        m_data.audit.push_back(e);
        m_data.audit.back().seq = static_cast<std::int64_t>(m_data.audit.size());
        return m_data.audit.back().seq;
    }
    void append_change(const std::string& layer, const std::string& id, const std::string& action, const std::string&) override {
        REQUIRE(m_open);
        m_data.changes.push_back(layer + "/" + id + "/" + action);
    }
    std::vector<app::AuditEntry> audit(const app::AuditQuery& q) const override {
        std::vector<app::AuditEntry> out;
        for (const auto& e : m_data.audit)
            if (q.seq                 ? e.seq == *q.seq
                : !q.incident.empty() ? (e.incident == q.incident || (e.layer == "incidents" && e.record_id == q.incident))
                : !q.after_at.empty()
                    ? e.at > q.after_at
                    : (e.layer == q.layer && e.record_id == q.record_id && (!q.after_version || e.version > *q.after_version)))
                out.push_back(e);
        return out;
    }

    const app::StoredRecord& record(const std::string& kind, const std::string& id) const {
        auto r = find(*m_catalog.get(kind), id);
        REQUIRE(r);
        for (const auto& x : table(kind))
            if (x.fid == r->fid) return x;
        FAIL("unreachable");
        return table(kind).front();
    }
    std::string value(const std::string& kind, const std::string& id, const std::string& field) const {
        return model::to_text(record(kind, id).values[*m_catalog.get(kind)->field_index(field)]);
    }
    std::size_t audit_rows() const { return m_data.audit.size(); }
    const std::vector<std::string>& changes() const { return m_data.changes; }
    int begun = 0;

private:
    struct Data {
        std::map<std::string, std::vector<app::StoredRecord>> tables;
        std::vector<app::AuditEntry> audit;
        std::vector<std::string> changes;
    };
    const std::vector<app::StoredRecord>& table(const std::string& kind) const {
        static const std::vector<app::StoredRecord> none;
        auto it = m_data.tables.find(kind);
        return it == m_data.tables.end() ? none : it->second;
    }
    void put(const std::string& kind, const std::map<std::string, std::string>& values, geo::Coord at) {
        const auto& k = *m_catalog.get(kind);
        app::StoredRecord r;
        r.fid = static_cast<std::int64_t>(m_data.tables[kind].size() + 1);
        r.values.resize(k.fields.size());
        for (const auto& [f, v] : values) r.values[*k.field_index(f)] = v;
        r.point = at;
        m_data.tables[kind].push_back(std::move(r));
    }
    catalog::Catalog m_catalog;
    Data m_data, m_saved;
    bool m_open = false;
    mutable int m_clock = 0;
};

app::EditContext who(const std::string& user) { return {{user, "seat-" + user}, ""}; }

TEST_CASE("edit service: a stale version is refused naming the field, the other editor, the time and both values", "[app][edits]") {
    MemoryStore s;
    auto first = app::set_team_status(s, "T1", "维修", 1, who("王五"));
    CHECK(first.records.at(0).version == 2);
    CHECK(s.value("rescue_teams", "T1", "status") == "maintenance");
    const auto rows = s.audit_rows();
    try {
        app::set_team_status(s, "T1", "deployed", 1, who("李四"));
        FAIL("stale edit written");
    } catch (const app::EditConflict& e) {
        CHECK(e.conflict().other_user == "王五");
        CHECK(e.conflict().other_seat == "seat-王五");
        CHECK(e.conflict().other_at == first.at);
        CHECK(e.conflict().theirs == "Maintenance");
        CHECK(e.conflict().yours == "Deployed");
        const auto j = app::to_json(e.conflict());
        CHECK(j["status"] == "refused");
        CHECK(j["current_version"] == 2);
    }
    CHECK(s.audit_rows() == rows);
    CHECK(s.value("rescue_teams", "T1", "status") == "maintenance");
    // The same value again changes nothing: no version, no audit row, no change row.
    auto same = app::set_team_status(s, "T1", "检修", std::nullopt, who("李四"));
    CHECK(same.records.empty());
    CHECK(s.record("rescue_teams", "T1").version == 2);
    CHECK(s.changes().size() == 1);
}

TEST_CASE("edit service: the version a viewer saw, from the value it shows", "[app][edits]") {
    // A viewer holds records without versions: what it shows names the version it saw.
    MemoryStore s;
    CHECK(app::version_seen(s, "rescue_teams", "T1", "status", "available") == 1); // unchanged: its own
    app::set_team_status(s, "T1", "维修", std::nullopt, who("王五"));              // version 2
    app::set_team_status(s, "T1", "出动", std::nullopt, who("李四"));              // version 3
    CHECK(app::version_seen(s, "rescue_teams", "T1", "status", "deployed") == 3);
    CHECK(app::version_seen(s, "rescue_teams", "T1", "status", "maintenance") == 2); // behind: refused below
    CHECK(app::version_seen(s, "rescue_teams", "T1", "status", "available") == 0);   // never audited as shown
    try {
        app::set_team_status(s, "T1", "resting", app::version_seen(s, "rescue_teams", "T1", "status", "maintenance"), who("赵六"));
        FAIL("an edit on a view that had not seen 李四's change was written");
    } catch (const app::EditConflict& e) {
        CHECK(e.conflict().other_user == "李四");
        CHECK(e.conflict().theirs == "Deployed");
        CHECK(e.conflict().yours == "Resting");
    }
    CHECK(s.value("rescue_teams", "T1", "status") == "deployed");
    CHECK_THROWS_WITH(app::version_seen(s, "rescue_teams", "T404", "status", "x"), Catch::Contains("T404"));
    CHECK_THROWS_WITH(app::version_seen(s, "rescue_teams", "T1", "no_field", "x"), Catch::Contains("no_field"));
}

TEST_CASE("edit service: a refused operation leaves nothing behind", "[app][edits]") {
    MemoryStore s;
    app::IncidentOpen o;
    o.at = {113.0, 35.0};
    o.type = "爆炸";
    const auto inc = app::open_incident(s, o, who("王五")).incident;
    const auto rows = s.audit_rows();
    const auto changes = s.changes().size();
    // T1 goes first in the request and passes; T2 is resting: the whole assignment is refused,
    // T1 stays available and no dispatch record remains.
    CHECK_THROWS_WITH(app::assign_teams(s, {inc, {"T1", "T2"}, {}}, who("王五")), Catch::Contains("T2") && Catch::Contains("Resting"));
    CHECK(s.value("rescue_teams", "T1", "status") == "available");
    CHECK(s.audit_rows() == rows);
    CHECK(s.changes().size() == changes);
    CHECK(s.value("incidents", inc, "status") == "reported");
    CHECK_THROWS_WITH(app::open_incident(s, {{113, 35}, "地陷", {}, {}, {}, {}, {}, {}, {}, {}, {}, {}}, who("王五")),
                      Catch::Contains("incident_type") && Catch::Contains("Hazardous material leak"));
    CHECK_THROWS_WITH(app::set_team_status(s, "T1", "待命", std::nullopt, {{"", ""}, ""}), Catch::Contains("editor"));
}

TEST_CASE("edit service: assignment without a road graph records no ETA and says why; versions count operations", "[app][edits]") {
    MemoryStore s;
    app::IncidentOpen o;
    o.at = {113.0, 35.0};
    o.type = "hazmat_leak";
    o.id = "E1";
    app::open_incident(s, o, who("王五"));
    auto a = app::assign_teams(s, {"E1", {"T1"}, {}}, who("王五"));
    REQUIRE(a.notes.size() == 1);
    CHECK(a.notes[0].find("no ETA") != std::string::npos);
    CHECK(s.value("dispatches", "D-E1-001", "eta_s").empty());
    CHECK(s.value("dispatches", "D-E1-001", "team_id") == "T1");
    // The assignment's rows share one change id; the incident's status moved with it.
    std::set<std::string> ids;
    for (auto seq : a.audit_seqs()) ids.insert(s.audit({seq, {}, {}, {}}).at(0).change_id);
    CHECK(ids.size() == 1);
    CHECK(ids.begin()->rfind("dispatch_assign:", 0) == 0);
    CHECK(s.value("incidents", "E1", "status") == "active");
    // An ETA source is asked outside the transaction, with the incident's point.
    app::release(s, "E1", "T1", "", who("王五"));
    const int begun = s.begun;
    app::DispatchAssign again{"E1", {"T1"}, [&](geo::Coord at, const std::vector<std::string>& teams) {
                                  CHECK(s.begun == begun); // not inside the operation's transaction yet
                                  CHECK(at.x == 113.0);
                                  app::AssignmentEtas e;
                                  e.eta_s[teams.at(0)] = 421.4;
                                  return e;
                              }};
    auto b = app::assign_teams(s, again, who("王五"));
    CHECK(b.notes.empty());
    CHECK(s.value("dispatches", "D-E1-002", "eta_s") == "421");
    CHECK(s.record("rescue_teams", "T1").version == 4); // deployed, available, deployed
    CHECK(s.record("incidents", "E1").version == 2);    // opened, active
    const auto j = app::to_json(b);
    CHECK(j["operation"] == "dispatch_assign");
    CHECK(j["incident"] == "E1");
    CHECK(j["records"][0]["inserted"] == true);
}

TEST_CASE("edit service: stock never below zero; undo restores exactly what was stored", "[app][edits]") {
    MemoryStore s;
    CHECK_THROWS_WITH(app::move_stock(s, {"W1", "中和剂", 3, true, "", "", std::nullopt}, who("王五")),
                      Catch::Contains("中和剂") && Catch::Contains("W1") && Catch::Contains("below 0"));
    auto r = app::move_stock(s, {"W1", "中和剂", 0.5, true, "", "", std::nullopt}, who("王五"));
    CHECK(nlohmann::json::parse(s.value("warehouses", "W1", "stock"))[0]["quantity"] == 1.5);
    const auto before = r.records.at(0).fields.at(0).before;
    app::undo(s, r.audit_seqs().at(0), who("李四"));
    CHECK(s.value("warehouses", "W1", "stock") == *before);
    CHECK(s.record("warehouses", "W1").version == 3);
    const auto h = app::record_history(s, "warehouses", "W1");
    REQUIRE(h.size() == 2);
    CHECK(h[0].reason.find("issue") != std::string::npos);
    CHECK(h[1].action == "undo");
}

} // namespace test_edit_service_cases

namespace test_edit_service_cases {

app::EditCommand command(const std::string& json) { return app::parse_edit_command(nlohmann::json::parse(json)); }

} // namespace test_edit_service_cases

using namespace test_edit_service_cases;

TEST_CASE("edit commands: what a page posts reads back as it was written, and runs the service's operation", "[app][edits][commands]") {
    // Every op survives to_json -> parse_edit_command unchanged (the browser's desk sends what it built).
    for (const auto* text : {
             R"({"op":"team_status","team":"T1","status":"出动","expect_version":null,"shown":"available"})",
             R"({"op":"incident_open","at":[113.0,35.0],"type":"fire","title":"仓库起火","reporter":"王五"})",
             R"({"op":"incident_update","id":"E1","values":{"severity":"high"},"expect_version":3})",
             R"({"op":"incident_close","incident":"E1","expect_version":null})",
             R"({"op":"dispatch_assign","incident":"E1","teams":["T1","T2"],"etas_seen":{"T1":300.0},"etas_at":[113.0,35.0]})",
             R"({"op":"dispatch_arrive","incident":"E1","team":"T1"})",
             R"({"op":"dispatch_release","incident":"E1","team":"T1","status":"resting"})",
             R"({"op":"stock_issue","warehouse":"W1","item":"中和剂","quantity":0.5,"incident":"E1","expect_version":null})",
             R"({"op":"undo","seq":4})",
             R"({"op":"edit","layer":"rescue_teams","id":"T1","values":{"phone":"110"},"expect_version":null,"reason":"电话有误"})",
         }) {
        INFO(text);
        const auto c = command(text);
        CHECK(nlohmann::json(app::to_json(c)) == nlohmann::json::parse(text));
        CHECK(app::parse_edit_command(nlohmann::json(app::to_json(c))).reason == c.reason);
    }

    // What the command runs is the service's own operation, audited as the editor given.
    MemoryStore s;
    auto status = app::run_edit(s, command(R"({"op":"team_status","team":"T1","status":"维修","shown":"available"})"), who("王五"));
    CHECK(status.operation == "team_status");
    CHECK(s.value("rescue_teams", "T1", "status") == "maintenance");
    // Shown a value that has moved on: refused as stale, as the Inspector's edit is.
    CHECK_THROWS_AS(app::run_edit(s, command(R"({"op":"team_status","team":"T1","status":"出动","shown":"available"})"), who("李四")),
                    app::EditConflict);
    auto opened = app::run_edit(s, command(R"({"op":"incident_open","at":[113.0,35.0],"type":"hazmat_leak","id":"E9"})"), who("王五"));
    CHECK(opened.incident == "E9");
    app::run_edit(s, command(R"({"op":"team_status","team":"T2","status":"待命"})"), who("王五"));
    auto assigned = app::run_edit(
        s, command(R"({"op":"dispatch_assign","incident":"E9","teams":["T2"],"etas_seen":{"T2":321.4},"etas_at":[113.0,35.0]})"),
        who("王五"));
    CHECK(assigned.operation == "dispatch_assign");
    CHECK(s.value("dispatches", "D-E9-001", "eta_s") == "321");
    // The command's reason is stored with its audit rows.
    auto reasoned = app::run_edit(s, command(R"({"op":"team_status","team":"T1","status":"休整","reason":"换班"})"), who("王五"));
    CHECK(s.audit({reasoned.audit_seqs().at(0), {}, {}, {}}).at(0).reason == "换班");
    // The answer's JSON reads back for a shell that sent the command elsewhere.
    const auto back = app::edit_result_from_json(nlohmann::json(app::to_json(assigned)));
    CHECK(back.change_id == assigned.change_id);
    CHECK(back.records.size() == assigned.records.size());
    CHECK(back.records.at(0).fields.at(0).audit_seq == assigned.records.at(0).fields.at(0).audit_seq);
}

TEST_CASE("edit commands: a wrong command is refused naming its field; roles; ETAs only where they were seen", "[app][edits][commands]") {
    CHECK_THROWS_WITH(command(R"({"team":"T1"})"), Catch::Contains("\"op\" is missing"));
    CHECK_THROWS_WITH(command(R"({"op":"fly"})"), Catch::Contains("unknown op \"fly\""));
    CHECK_THROWS_WITH(command(R"({"op":"team_status","team":"T1"})"), Catch::Contains("\"status\" is missing"));
    CHECK_THROWS_WITH(command(R"({"op":"team_status","team":"T1","status":"x","expect_versoin":2})"), Catch::Contains("expect_versoin"));
    CHECK_THROWS_WITH(command(R"({"op":"team_status","team":"T1","status":"x","expect_version":"2"})"),
                      Catch::Contains("expect_version") && Catch::Contains("whole number"));
    CHECK_THROWS_WITH(command(R"({"op":"incident_open","type":"fire"})"), Catch::Contains("\"at\" is missing"));
    CHECK_THROWS_WITH(command(R"({"op":"dispatch_assign","incident":"E1","teams":[]})"), Catch::Contains("\"teams\" is empty"));
    CHECK_THROWS_WITH(command(R"({"op":"dispatch_assign","incident":"E1","teams":["T1"],"etas_seen":{"T1":-5}})"),
                      Catch::Contains("etas_seen.T1"));
    CHECK_THROWS_WITH(command("[1]"), Catch::Contains("JSON object"));

    CHECK(app::role_needed(command(R"({"op":"team_status","team":"T1","status":"x"})")) == app::Role::Dispatcher);
    CHECK(app::role_needed(command(R"({"op":"undo","seq":1})")) == app::Role::DutyOfficer);
    CHECK(app::role_needed(command(R"({"op":"edit","layer":"rescue_teams","id":"T1","values":{"phone":"1"}})")) == app::Role::DutyOfficer);
    CHECK_FALSE(app::may_run(app::Role::Viewer, command(R"({"op":"team_status","team":"T1","status":"x"})")));
    CHECK(app::may_run(app::Role::DutyOfficer, command(R"({"op":"undo","seq":1})")));
    CHECK(app::parse_role("调度员") == app::Role::Dispatcher);
    CHECK(app::parse_role("duty_officer") == app::Role::DutyOfficer);
    CHECK_FALSE(app::parse_role("admin"));

    // The ETAs a dispatcher saw are kept only for an incident at that answer's point, and teams
    // without one are named.
    app::AssignCommand a;
    a.teams = {"T1", "T2"};
    a.etas_seen = {{"T1", 300.0}};
    a.etas_at = geo::Coord{113.0, 35.0};
    auto here = app::etas_seen_at(a, {113.0, 35.0});
    CHECK(here.eta_s.at("T1") == 300.0);
    CHECK(here.eta_s.count("T2") == 0);
    CHECK(here.note.find("T2") != std::string::npos);
    auto elsewhere = app::etas_seen_at(a, {113.5, 35.0});
    CHECK(elsewhere.eta_s.empty());
    CHECK(elsewhere.note.find("not asked at this incident") != std::string::npos);
}
