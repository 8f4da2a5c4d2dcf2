// The dispatchers' edits (app/edits.hpp) on a real SpatiaLite project: an incident from report to
// close, stale edits refused with both values and the other editor named (and nothing changed),
// audit rows matching the records, undo, stock that never goes below zero, history, the
// append-only audit table, the migration of a schema-2 file, imports that respect edits, and one
// editor with four readers at once.

#include <vigil/app/edits.hpp>
#include <vigil/app/layer_set.hpp>
#include <vigil/app/road_graph.hpp>
#include <vigil/gdal/importer.hpp>
#include <vigil/native/edit_store.hpp>
#include <vigil/native/project_writer.hpp>
#include <vigil/store/project_reader.hpp>
#include <vigil/store/project_schema.hpp>
#include <vigil/util/error.hpp>

#include "db_fingerprint.hpp"
#include "test_paths.hpp"
#include "test_support.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <fstream>
#include <thread>

using namespace vigil;
namespace fs = std::filesystem;

namespace test_edits_cases {

using vigil::test::real_catalog;

const char* k_warehouses = "仓库编号,仓库名称,级别,库存物资,经度,纬度\n"
                           "W1,温县物资库,县级,中和剂 2t; 沙袋 100个,113.07,34.94\n";

void import(const fs::path& db, const fs::path& file, const std::string& layer, importing::OnExisting on = importing::OnExisting::Refuse,
            bool overwrite_edits = false, gdal::ImportResult* out = nullptr) {
    gdal::ImportRequest r;
    r.database = db;
    r.file = file;
    r.layer = layer;
    r.on_existing = on;
    r.overwrite_edits = overwrite_edits;
    auto res = gdal::import_file(r, real_catalog());
    if (out) *out = res;
    else REQUIRE_FALSE(res.summary.refused);
}

// Teams T01..T05 (T02 resting), the roads around them and one warehouse.
fs::path edit_db(const std::string& name) {
    auto dir = test::scratch_dir(name);
    auto db = dir / "e.sqlite";
    auto src = test::data_dir() / "project_small";
    import(db, src / "teams.csv", "rescue_teams");
    import(db, src / "roads.geojson", "roads");
    std::ofstream(dir / "w.csv") << k_warehouses;
    import(db, dir / "w.csv", "warehouses");
    return db;
}

app::EditContext as(const std::string& user, const std::string& seat = "席位1") { return {{user, seat}, ""}; }

std::unique_ptr<native::SpatialiteEditStore> open(const fs::path& db) { return native::SpatialiteEditStore::open(db, real_catalog()); }

std::string field_text(const fs::path& db, const std::string& sql) {
    auto d = store::Database::open(db, store::Database::Mode::ReadOnly);
    return d.query_text(sql);
}

std::int64_t count(const fs::path& db, const std::string& sql) {
    auto d = store::Database::open(db, store::Database::Mode::ReadOnly);
    return d.query_int(sql);
}

app::EtaSource road_etas(const fs::path& db) {
    return [db](geo::Coord at, const std::vector<std::string>& teams) {
        auto project = store::Project::open(db);
        app::LayerSet layers;
        layers.add(project.load_layer("rescue_teams"));
        auto graph = app::project_road_graph(project);
        return app::assignment_etas(layers, *graph.graph, at, teams);
    };
}

TEST_CASE("an incident from report to close: open, assign, arrive, release, close — each one transaction, all audited", "[gdal][edits]") {
    const auto db = edit_db("edits-scenario");
    auto s = open(db);
    app::IncidentOpen o;
    o.at = {113.078, 34.941};
    o.type = "危化品泄漏";
    o.material = "液氯";
    o.un_number = "1017";
    o.severity = "较大";
    auto opened = app::open_incident(*s, o, as("王五"));
    const std::string inc = opened.incident;
    CHECK(inc.rfind("INC-", 0) == 0);
    REQUIRE(opened.records.size() == 1);
    CHECK(opened.records[0].inserted);
    CHECK(field_text(db, "SELECT status || '|' || incident_type || '|' || severity FROM incidents WHERE id = '" + inc + "'") ==
          "reported|hazmat_leak|level_3");
    // The point is a real SpatiaLite point, found by the spatial index.
    CHECK(count(db, "SELECT count(*) FROM idx_incidents_geom WHERE xmin <= 113.079 AND xmax >= 113.077") == 1);

    app::DispatchAssign a;
    a.incident = inc;
    a.teams = {"T01", "T03"};
    a.etas = road_etas(db);
    auto assigned = app::assign_teams(*s, a, as("王五"));
    CHECK(field_text(db, "SELECT status FROM incidents WHERE id = '" + inc + "'") == "active");
    CHECK(field_text(db, "SELECT opened_at IS NOT NULL FROM incidents WHERE id = '" + inc + "'") == "1");
    CHECK(count(db, "SELECT count(*) FROM rescue_teams WHERE status = 'deployed' AND id IN ('T01', 'T03')") == 2);
    CHECK(count(db, "SELECT count(*) FROM dispatches WHERE incident_id = '" + inc + "'") == 2);
    // T01 is beside the incident: its ETA by road is recorded (turnout 5 min + a short drive).
    const auto eta = count(db, "SELECT eta_s FROM dispatches WHERE team_id = 'T01'");
    CHECK(eta >= 300);
    CHECK(eta < 1800);

    // A team out already cannot be sent twice; nothing changes.
    const auto before = test::db_fingerprint(db);
    CHECK_THROWS_WITH(app::assign_teams(*s, {inc, {"T01"}, {}}, as("李四")), Catch::Contains("T01") && Catch::Contains(inc));
    CHECK_THROWS_WITH(app::assign_teams(*s, {inc, {"T02"}, {}}, as("李四")), Catch::Contains("Resting"));
    CHECK(test::db_fingerprint(db) == before);

    app::arrive(*s, inc, "T01", as("王五"));
    CHECK_THROWS_WITH(app::close_incident(*s, inc, std::nullopt, as("王五")), Catch::Contains("T01") && Catch::Contains("T03"));
    app::release(*s, inc, "T01", "", as("王五"));
    app::release(*s, inc, "T03", "休整", as("王五"));
    CHECK(
        field_text(db, "SELECT group_concat(status, ',') FROM (SELECT status FROM rescue_teams WHERE id IN ('T01', 'T03') ORDER BY id)") ==
        "available,resting");
    auto closed = app::close_incident(*s, inc, std::nullopt, as("张三"));
    CHECK(field_text(db, "SELECT status FROM incidents WHERE id = '" + inc + "'") == "closed");
    CHECK_THROWS_WITH(app::close_incident(*s, inc, std::nullopt, as("张三")), Catch::Contains("is closed already"));

    // The log, from the audit table.
    auto log = app::incident_log(*s, inc);
    std::vector<std::string> what;
    for (const auto& e : log.events)
        if (e.what != "team_status") what.push_back(e.what);
    CHECK(what == std::vector<std::string>{"opened", "active", "assigned", "assigned", "arrived", "released", "released", "closed"});

    // Audit and records agree: every change row has its audit rows; every record's version is
    // 1 + the operations that changed it.
    CHECK(count(db, "SELECT count(*) FROM vigil_audit") ==
          static_cast<std::int64_t>(opened.audit_seqs().size() + assigned.audit_seqs().size() + closed.audit_seqs().size() + 1 /*arrive*/ +
                                    4 /*releases*/));
    CHECK(count(db, "SELECT version FROM incidents WHERE id = '" + inc + "'") == 3);
    CHECK(count(db, "SELECT version FROM rescue_teams WHERE id = 'T01'") == 3);
    CHECK(count(db, "SELECT count(*) FROM vigil_changes WHERE layer = 'rescue_teams' AND record_id = 'T01'") == 2);
    CHECK(count(db, "SELECT count(*) FROM vigil_changes WHERE layer = 'incidents'") == 3);
    CHECK(field_text(db, "PRAGMA integrity_check") == "ok");
}

TEST_CASE("a stale edit is refused with the field, the other editor, the time and both values; nothing changes", "[gdal][edits]") {
    const auto db = edit_db("edits-stale");
    auto s = open(db);
    auto first = app::set_team_status(*s, "T01", "维修", 1, as("王五", "席位1"));
    REQUIRE(first.records.at(0).version == 2);
    const auto before = test::db_fingerprint(db);
    try {
        app::set_team_status(*s, "T01", "休整", 1, as("李四", "席位2"));
        FAIL("a stale edit was written");
    } catch (const app::EditConflict& e) {
        const auto& c = e.conflict();
        CHECK(c.field == "status");
        CHECK(c.other_user == "王五");
        CHECK(c.other_seat == "席位1");
        CHECK(c.other_at == first.at);
        CHECK(c.theirs == "Maintenance");
        CHECK(c.yours == "Resting");
        CHECK(c.seen_version == 1);
        CHECK(c.current_version == 2);
        const std::string m = e.what();
        CHECK(m.find("王五") < m.find("was changed by"));
        CHECK(m.find("Resting") != std::string::npos);
    }
    CHECK(test::db_fingerprint(db) == before);
    // With the version seen now, it goes through.
    CHECK(app::set_team_status(*s, "T01", "休整", 2, as("李四", "席位2")).records.at(0).version == 3);
    // An unknown value is refused naming layer, record and field.
    CHECK_THROWS_WITH(app::set_team_status(*s, "T01", "放假", std::nullopt, as("李四")),
                      Catch::Contains("rescue_teams") && Catch::Contains("T01") && Catch::Contains("status"));
    // A generic edit validates by the catalogue too.
    CHECK_THROWS_WITH(app::edit_record(*s, {"rescue_teams", "T01", {{"members", "很多"}}, std::nullopt, ""}, as("李四")),
                      Catch::Contains("members"));
    CHECK_THROWS_WITH(app::edit_record(*s, {"rescue_teams", "T01", {{"id", "T99"}}, std::nullopt, ""}, as("李四")), Catch::Contains("id"));
    auto e = app::edit_record(*s, {"救援队伍", "T01", {{"members", "３０"}}, std::nullopt, ""}, as("李四"));
    CHECK(count(db, "SELECT members FROM rescue_teams WHERE id = 'T01'") == 30);
}

TEST_CASE("a record's audit after a version: only the newer entries, in seq order; a stale edit reads no older history", "[gdal][edits]") {
    const auto db = edit_db("edits-after-version");
    auto s = open(db);
    const char* statuses[] = {"出动", "休整", "维修", "待命", "出动"};
    const char* users[] = {"甲", "乙", "丙", "丁", "戊"};
    for (int i = 0; i < 5; ++i) app::set_team_status(*s, "T01", statuses[i], std::nullopt, as(users[i])); // versions 2..6
    app::set_team_status(*s, "T03", "维修", std::nullopt, as("己"));
    app::AuditQuery q;
    q.layer = "rescue_teams";
    q.record_id = "T01";
    CHECK(s->audit(q).size() == 5);
    q.after_version = 4;
    const auto newer = s->audit(q);
    REQUIRE(newer.size() == 2);
    CHECK(newer[0].version == 5);
    CHECK(newer[0].user == "丁");
    CHECK(newer[1].version == 6);
    CHECK(newer[0].seq < newer[1].seq);
    q.after_version = 6;
    CHECK(s->audit(q).empty());
    // The refusal still names the last editor of the field and the version it is at.
    try {
        app::set_team_status(*s, "T01", "维修", 3, as("庚"));
        FAIL("a stale edit was written");
    } catch (const app::EditConflict& e) {
        CHECK(e.conflict().other_user == "戊");
        CHECK(e.conflict().current_version == 6);
        CHECK(e.conflict().theirs == "Deployed");
    }
}

TEST_CASE("a reader holding an old snapshot lets the WAL grow; once it lets go the checkpoint thread empties the log", "[gdal][edits]") {
    const auto db = edit_db("edits-wal-limit");
    const std::uintmax_t limit = 256 * 1024;
    auto s = native::SpatialiteEditStore::open(db, real_catalog(), limit);
    const fs::path wal = db.string() + "-wal";
    const char* statuses[] = {"出动", "待命"};
    int n = 0;
    auto edit = [&] { app::set_team_status(*s, "T01", statuses[n++ % 2], std::nullopt, as("王五")); };
    // A slow viewer: a read transaction kept open while the editor goes on.
    auto reader = store::Database::open(db, store::Database::Mode::ReadOnly);
    reader.exec("BEGIN");
    const auto teams = reader.query_int("SELECT count(*) FROM rescue_teams");
    edit(); // the reader's snapshot is now older than the log's end
    while (fs::file_size(wal) < 2 * limit) edit();
    CHECK(s->wal_truncations() == 0); // the checkpoint thread cannot empty it: the snapshot still needs it
    CHECK(reader.query_int("SELECT count(*) FROM rescue_teams") == teams); // and the reader reads on
    reader.exec("COMMIT");
    // Let go: within a few looks (200 ms each, 2 s apart after one that had to give up) the log
    // is emptied, edits going on meanwhile (they wait for it at most its 3 s busy wait).
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (s->wal_truncations() == 0 && std::chrono::steady_clock::now() < until) {
        edit();
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    CHECK(s->wal_truncations() > 0);
    edit();
    CHECK(fs::file_size(wal) < limit);
    CHECK(count(db, "SELECT version FROM rescue_teams WHERE id = 'T01'") == n + 1);
}

TEST_CASE("undo is itself an audited edit, refused once the field has moved on; history lists every change", "[gdal][edits]") {
    const auto db = edit_db("edits-undo");
    auto s = open(db);
    auto r = app::set_team_status(*s, "T01", "出动", std::nullopt, as("王五"));
    const auto seq = r.audit_seqs().at(0);
    auto u = app::undo(*s, seq, as("李四"));
    CHECK(field_text(db, "SELECT status FROM rescue_teams WHERE id = 'T01'") == "available");
    CHECK(field_text(db, "SELECT action || '|' || before || '|' || after FROM vigil_audit WHERE seq = " +
                             std::to_string(u.audit_seqs().at(0))) == "undo|deployed|available");
    // Undoing it again: the field no longer holds what the entry wrote.
    CHECK_THROWS_AS(app::undo(*s, seq, as("李四")), app::EditConflict);
    app::set_team_status(*s, "T01", "维修", std::nullopt, as("张三"));
    try {
        app::undo(*s, seq, as("李四"));
        FAIL("undo over a later change");
    } catch (const app::EditConflict& e) {
        CHECK(e.conflict().other_user == "张三");
    }
    CHECK_THROWS_WITH(app::undo(*s, 999, as("李四")), Catch::Contains("999"));
    auto h = app::record_history(*s, "rescue_teams", "T01");
    REQUIRE(h.size() == 3);
    CHECK(h[0].user == "王五");
    CHECK(h[1].action == "undo");
    CHECK(h[2].after == "maintenance");
    CHECK(app::record_history(*s, "rescue_teams", "T04").empty());
    CHECK_THROWS(app::record_history(*s, "rescue_teams", "T99"));
}

TEST_CASE("stock is issued and received, never below zero; a refusal names the stock and changes nothing", "[gdal][edits]") {
    const auto db = edit_db("edits-stock");
    auto s = open(db);
    app::IncidentOpen o;
    o.at = {113.07, 34.94};
    o.type = "fire";
    const auto inc = app::open_incident(*s, o, as("王五")).incident;
    app::StockMove m{"W1", "中和剂", 1.5, true, "", inc, std::nullopt};
    app::move_stock(*s, m, as("王五"));
    CHECK(field_text(db, "SELECT json_extract(stock, '$[0].quantity') FROM warehouses") == "0.5");
    const auto before = test::db_fingerprint(db);
    m.quantity = 1;
    CHECK_THROWS_WITH(app::move_stock(*s, m, as("王五")), Catch::Contains("中和剂") && Catch::Contains("W1") && Catch::Contains("below 0"));
    m.item = "灭火器";
    CHECK_THROWS_WITH(app::move_stock(*s, m, as("王五")), Catch::Contains("沙袋"));
    CHECK(test::db_fingerprint(db) == before);
    app::move_stock(*s, {"W1", "灭火器", 20, false, "具", inc, std::nullopt}, as("王五"));
    app::move_stock(*s, {"W1", "沙袋", 50, false, "", "", std::nullopt}, as("王五"));
    CHECK(field_text(db, "SELECT json_extract(stock, '$[1].quantity') || '|' || json_extract(stock, '$[2].item') FROM warehouses") ==
          "150.0|灭火器");
    auto log = app::incident_log(*s, inc);
    REQUIRE(log.events.size() == 3);
    CHECK(log.events[1].what == "stock_issued");
    CHECK(log.events[2].what == "stock_received");
}

TEST_CASE("the audit table is append-only", "[gdal][edits]") {
    const auto db = edit_db("edits-append-only");
    auto s = open(db);
    app::set_team_status(*s, "T01", "出动", std::nullopt, as("王五"));
    auto d = store::Database::open(db, store::Database::Mode::ReadWrite);
    CHECK_THROWS_WITH(d.exec("UPDATE vigil_audit SET user = 'x'"), Catch::Contains("append-only"));
    CHECK_THROWS_WITH(d.exec("DELETE FROM vigil_audit"), Catch::Contains("append-only"));
    CHECK(d.query_int("SELECT count(*) FROM vigil_audit WHERE user = '王五'") == 1);
}

TEST_CASE("a schema-2 project is migrated to 3: versions, audit and change tables, its data kept", "[gdal][edits][store]") {
    const auto db = edit_db("edits-migrate");
    {
        // What Vigil of schema 2 wrote: no version column, no audit or change tables.
        auto d = store::Database::open(db, store::Database::Mode::ReadWrite);
        for (const char* t : {"rescue_teams", "roads", "warehouses"}) d.exec(std::string("ALTER TABLE ") + t + " DROP COLUMN version");
        d.exec("DROP TABLE vigil_audit; DROP TABLE vigil_changes; PRAGMA user_version = 2; "
               "UPDATE vigil_meta SET value = '2' WHERE key = 'schema_version'");
    }
    CHECK(store::Project::open(db).schema_version() == 2);
    const auto teams = store::Project::open(db).load_layer("rescue_teams")->size();
    auto s = open(db);
    CHECK(count(db, "PRAGMA user_version") == 3);
    CHECK(field_text(db, "SELECT value FROM vigil_meta WHERE key = 'schema_version'") == "3");
    CHECK(count(db, "SELECT count(*) FROM rescue_teams WHERE version = 1") == static_cast<std::int64_t>(teams));
    CHECK(count(db, "SELECT count(*) FROM sqlite_schema WHERE name IN ('vigil_audit', 'vigil_changes', 'vigil_audit_no_update')") == 3);
    app::set_team_status(*s, "T01", "出动", 1, as("王五"));
    CHECK(count(db, "SELECT version FROM rescue_teams WHERE id = 'T01'") == 2);
    CHECK(field_text(db, "PRAGMA integrity_check") == "ok");
}

TEST_CASE("an import over records edited since their last import is refused unless --overwrite-edits", "[gdal][edits][import]") {
    const auto db = edit_db("edits-import");
    {
        auto s = open(db);
        app::set_team_status(*s, "T01", "维修", std::nullopt, as("王五"));
    }
    // The register again, with T01's and T03's names corrected.
    auto dir = db.parent_path();
    std::ifstream in(test::data_dir() / "project_small" / "teams.csv");
    std::string text((std::istreambuf_iterator<char>(in)), {});
    for (auto [from, to] :
         {std::pair<std::string, std::string>{"温县应急救援队,", "温县应急救援大队,"}, {"孟州危化品救援队", "孟州市危化品救援队"}})
        text.replace(text.find(from), from.size(), to);
    std::ofstream(dir / "teams2.csv") << text;
    const auto before = test::db_fingerprint(db);
    gdal::ImportResult r;
    import(db, dir / "teams2.csv", "rescue_teams", importing::OnExisting::Update, false, &r);
    CHECK(r.summary.refused);
    CHECK(r.edits_refusal.find("T01: status (王五") != std::string::npos);
    CHECK(r.edits_refusal.find("--overwrite-edits") != std::string::npos);
    CHECK(r.edits_refusal.find("T03") == std::string::npos);
    CHECK(count(db, "SELECT count(*) FROM vigil_imports WHERE status = 'refused'") == 1);
    CHECK(count(db, "SELECT count(*) FROM rescue_teams WHERE name = '孟州市危化品救援队'") == 0);
    (void)before;
    const auto changes = count(db, "SELECT count(*) FROM vigil_changes");
    import(db, dir / "teams2.csv", "rescue_teams", importing::OnExisting::Update, true);
    CHECK(count(db, "SELECT version FROM rescue_teams WHERE id = 'T01'") == 3); // edit, then import
    CHECK(count(db, "SELECT version FROM rescue_teams WHERE id = 'T03'") == 2);
    CHECK(count(db, "SELECT version FROM rescue_teams WHERE id = 'T04'") == 1); // unchanged
    CHECK(count(db, "SELECT count(*) FROM vigil_changes") == changes + 1);
    CHECK(
        field_text(db, "SELECT layer || '|' || ifnull(record_id, 'NULL') || '|' || action FROM vigil_changes ORDER BY seq DESC LIMIT 1") ==
        "rescue_teams|NULL|bulk");
    // Edits since that import are again protected; edits before it are not.
    import(db, dir / "teams2.csv", "rescue_teams", importing::OnExisting::Update, false);
}

TEST_CASE("one editor and four readers at once: no lost update, every acknowledged edit present, audit agrees",
          "[gdal][edits][concurrency]") {
    const auto db = edit_db("edits-concurrency");
    std::atomic<bool> stop{false};
    std::atomic<int> reads{0}, inconsistent{0}, errors{0};
    std::vector<std::thread> readers;
    for (int i = 0; i < 4; ++i)
        readers.emplace_back([&] {
            try {
                auto d = store::Database::open(db, store::Database::Mode::ReadOnly);
                while (!stop) {
                    // One snapshot: each team's version is 1 + its audited operations, always.
                    d.exec("BEGIN");
                    inconsistent += static_cast<int>(d.query_int(
                        "SELECT count(*) FROM rescue_teams t WHERE t.version <> 1 + (SELECT count(DISTINCT change_id) FROM vigil_audit a "
                        "WHERE a.layer = 'rescue_teams' AND a.record_id = t.id)"));
                    d.exec("COMMIT");
                    ++reads;
                }
            } catch (const std::exception&) {
                ++errors;
            }
        });
    std::map<std::string, std::int64_t> version;
    std::int64_t acknowledged = 0;
    std::vector<std::int64_t> seqs;
    const char* statuses[] = {"出动", "待命", "维修", "休整"};
    auto s = open(db);
    std::vector<double> ms; // each edit's commit, with the readers busy
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(3);
    for (int i = 0; std::chrono::steady_clock::now() < until; ++i) {
        const std::string team = "T0" + std::to_string(1 + i % 5);
        if (!version.count(team)) version[team] = 1;
        const auto t0 = std::chrono::steady_clock::now();
        auto r = app::set_team_status(*s, team, statuses[(i / 5 + 1) % 4], version[team], as("王五"));
        ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
        if (r.records.empty()) continue; // same status: nothing to write
        version[team] = r.records[0].version;
        for (auto q : r.audit_seqs()) seqs.push_back(q);
        ++acknowledged;
    }
    stop = true;
    for (auto& t : readers) t.join();
    std::sort(ms.begin(), ms.end());
    const double p50 = ms[ms.size() / 2], p99 = ms[ms.size() * 99 / 100];
    INFO(acknowledged << " edits, " << reads << " reads; edit ms p50 " << p50 << ", p99 " << p99);
    // The target is p99 < 50 ms; the bound here leaves room for a loaded CI machine.
    CHECK(p99 < 250);
    CHECK(errors == 0);
    CHECK(inconsistent == 0);
    CHECK(reads > 20);
    CHECK(acknowledged > 20);
    CHECK(count(db, "SELECT count(*) FROM vigil_audit") == static_cast<std::int64_t>(seqs.size()));
    for (const auto& [team, v] : version) CHECK(count(db, "SELECT version FROM rescue_teams WHERE id = '" + team + "'") == v);
}

} // namespace test_edits_cases
