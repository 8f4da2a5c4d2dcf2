// The edit commands as a dispatcher types them (`vigil incident|dispatch|team|stock|history|undo`,
// text and --json, full-width numbers), a stale edit refused with exit 3, `vigil import` refusing
// to overwrite edits without --overwrite-edits, and kill -9 of editing processes at random moments.

#include "cli_runner.hpp"
#include "test_paths.hpp"

#include <vigil/store/sqlite.hpp>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <csignal>
#include <ctime>
#include <fcntl.h>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <spawn.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

extern char** environ;

namespace fs = std::filesystem;
using vigil::test::q;
using vigil::test::run_vigil;
using vigil::test::scratch_dir;

namespace test_cli_edits_cases {

bool has(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

fs::path cli_db(const std::string& name) {
    auto dir = scratch_dir(name);
    auto db = dir / "c.sqlite";
    auto src = vigil::test::data_dir() / "project_small";
    REQUIRE(run_vigil("init " + q(db)).code == 0);
    vigil::test::write(dir / "w.csv", "仓库编号,仓库名称,级别,库存物资,经度,纬度\nW1,温县物资库,县级,中和剂 2t,113.07,34.94\n");
    for (auto [file, layer] : {std::pair<fs::path, const char*>{src / "teams.csv", "rescue_teams"},
                               {src / "roads.geojson", "roads"},
                               {dir / "w.csv", "warehouses"}}) {
        auto r = run_vigil("import " + q(db) + " " + q(file) + " --layer " + layer);
        INFO(r.out);
        REQUIRE(r.code == 0);
    }
    return db;
}

std::int64_t query_int(const fs::path& db, const std::string& sql) {
    return vigil::store::Database::open(db, vigil::store::Database::Mode::ReadOnly).query_int(sql);
}

TEST_CASE("vigil incident, dispatch, stock, team, history, undo: text and --json", "[gdal][cli][edits]") {
    const auto db = cli_db("cli-edits");
    auto r = run_vigil("incident open " + q(db) +
                       " --at １１３．０７８，３４．９４１ --type 危化品泄漏 --material 液氯 --un 1017 --by 王五 --seat 席位1 --json");
    INFO(r.out);
    REQUIRE(r.code == 0);
    auto j = nlohmann::json::parse(r.out);
    CHECK(j["status"] == "committed");
    CHECK(j["operation"] == "incident_open");
    const std::string inc = j["incident"];
    CHECK(j["records"][0]["layer"] == "incidents");
    CHECK(j["records"][0]["inserted"] == true);
    CHECK(j["audit_seqs"].size() == j["records"][0]["fields"].size());

    r = run_vigil("dispatch assign " + q(db) + " " + inc + " T01 T03 --by 王五");
    INFO(r.out);
    REQUIRE(r.code == 0);
    CHECK(has(r.out, "committed dispatch_assign"));
    CHECK(has(r.out, "status: Available → Deployed"));
    CHECK(has(r.out, "eta_s"));

    r = run_vigil("dispatch depart " + q(db) + " " + inc + " T01 --json");
    REQUIRE(r.code == 0);
    CHECK(nlohmann::json::parse(r.out)["operation"] == "dispatch_depart");
    CHECK(nlohmann::json::parse(r.out)["records"][0]["fields"][0]["field"] == "departed_at");
    r = run_vigil("dispatch depart " + q(db) + " " + inc + " T01");
    CHECK(r.code == 2);
    CHECK(has(r.out, "departed already"));
    r = run_vigil("dispatch arrive " + q(db) + " " + inc + " T01 --json");
    REQUIRE(r.code == 0);
    CHECK(nlohmann::json::parse(r.out)["records"][0]["fields"][0]["field"] == "arrived_at");
    r = run_vigil("dispatch depart " + q(db) + " " + inc + " T03 --json");
    REQUIRE(r.code == 0);

    r = run_vigil("stock issue " + q(db) + " W1 中和剂 ５ --incident " + inc);
    CHECK(r.code == 2);
    CHECK(has(r.out, "below 0"));
    r = run_vigil("stock issue " + q(db) + " W1 中和剂 0.5 --incident " + inc + " --json");
    REQUIRE(r.code == 0);

    // A stale version: exit 3, both values and the other editor, JSON on stdout with --json.
    r = run_vigil("team status " + q(db) + " T04 维修 --expect-version 1 --by 张三 --seat 席位3");
    REQUIRE(r.code == 0);
    r = run_vigil("team status " + q(db) + " T04 休整 --expect-version 1 --by 李四 --json");
    CHECK(r.code == 3);
    auto stale = nlohmann::json::parse(r.out.substr(0, r.out.find("\nvigil:") + 1));
    CHECK(stale["status"] == "refused");
    CHECK(stale["other_user"] == "张三");
    CHECK(stale["other_seat"] == "席位3");
    CHECK(stale["theirs"] == "Maintenance");
    CHECK(stale["yours"] == "Resting");
    CHECK(query_int(db, "SELECT count(*) FROM vigil_audit WHERE user = '李四'") == 0);

    r = run_vigil("history " + q(db) + " 救援队伍 T04 --json");
    REQUIRE(r.code == 0);
    j = nlohmann::json::parse(r.out);
    REQUIRE(j["entries"].size() == 1);
    const auto seq = j["entries"][0]["seq"].get<std::int64_t>();
    CHECK(j["entries"][0]["after"] == "maintenance");
    r = run_vigil("undo " + q(db) + " " + std::to_string(seq) + " --by 张三");
    INFO(r.out);
    CHECK(r.code == 0);
    CHECK(has(r.out, "#" + std::to_string(seq + 1) + " status: Maintenance → "));
    CHECK(query_int(db, "SELECT count(*) FROM rescue_teams WHERE id = 'T04' AND status = 'maintenance'") == 0);
    r = run_vigil("history " + q(db) + " rescue_teams T04");
    CHECK(has(r.out, "2 edits"));
    CHECK(has(r.out, "undo"));

    r = run_vigil("incident close " + q(db) + " " + inc);
    CHECK(r.code == 2);
    CHECK(has(r.out, "T03"));
    REQUIRE(run_vigil("dispatch release " + q(db) + " " + inc + " T01").code == 0);
    REQUIRE(run_vigil("dispatch release " + q(db) + " " + inc + " T03 --status 休整").code == 0);
    r = run_vigil("incident update " + q(db) + " " + inc + " --severity 重大 --description 已控制");
    REQUIRE(r.code == 0);
    REQUIRE(run_vigil("incident close " + q(db) + " " + inc).code == 0);

    r = run_vigil("incident log " + q(db) + " " + inc + " --json");
    REQUIRE(r.code == 0);
    j = nlohmann::json::parse(r.out);
    std::vector<std::string> events;
    for (const auto& e : j["events"])
        if (e["event"] != "team_status") events.push_back(e["event"]);
    CHECK(events == std::vector<std::string>{"opened", "active", "assigned", "assigned", "departed", "arrived", "departed", "stock_issued",
                                             "released", "released", "updated", "closed"});
    r = run_vigil("incident log " + q(db) + " " + inc);
    CHECK(has(r.out, "issue 中和剂 0.5t"));

    // Imports respect the edits: T01's status was edited since its import.
    auto dir = db.parent_path();
    vigil::test::write(dir / "t1.csv",
                       "队伍编号,队伍名称,队伍类型,救援能力,状态,经度,纬度\nT01,温县应急救援大队,专业,危化品,待命,113.0800,34.9400\n");
    r = run_vigil("import " + q(db) + " " + q(dir / "t1.csv") + " --layer rescue_teams --update");
    CHECK(r.code == 3);
    CHECK(has(r.out, "T01: status"));
    CHECK(has(r.out, "--overwrite-edits"));
    r = run_vigil("import " + q(db) + " " + q(dir / "t1.csv") + " --layer rescue_teams --update --overwrite-edits");
    INFO(r.out);
    CHECK(r.code == 0);
    CHECK(query_int(db, "SELECT count(*) FROM vigil_changes WHERE layer = 'rescue_teams' AND record_id IS NULL") == 2);
}

// Runs `vigil ARGS...` with stdout to `out`; returns its pid.
pid_t spawn_vigil(const std::vector<std::string>& args, const fs::path& out) {
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    std::vector<std::string> all{VIGIL_EXECUTABLE};
    all.insert(all.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : all) argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_t pid = 0;
    int rc = posix_spawn(&pid, VIGIL_EXECUTABLE, &fa, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&fa);
    REQUIRE(rc == 0);
    return pid;
}

TEST_CASE("vigil replay: the register as it stood at a moment, from the audit table", "[gdal][cli][edits]") {
    const auto db = cli_db("cli-replay");
    // A moment in UTC, one second before the edits.
    const auto t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm tm{};
    gmtime_r(&t, &tm);
    char moment[32];
    std::strftime(moment, sizeof moment, "%Y-%m-%dT%H:%M:%SZ", &tm);
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));
    REQUIRE(run_vigil("team status " + q(db) + " T01 出动 --by 王五").code == 0);
    REQUIRE(run_vigil("incident open " + q(db) + " --at 113.07,34.94 --type 火灾 --by 王五").code == 0);
    auto r = run_vigil("replay " + q(db) + " --at " + moment + " --json");
    INFO(r.out);
    REQUIRE(r.code == 0);
    const auto j = nlohmann::json::parse(r.out);
    bool team_then_available = false, incident_absent = false;
    for (const auto& rec : j["records"]) {
        if (rec["id"] == "T01" && rec["fields"][0]["then"] == "available" && rec["fields"][0]["now"] == "deployed")
            team_then_available = true;
        if (rec["layer"] == "incidents" && rec["absent_then"] == true) incident_absent = true;
    }
    CHECK(team_then_available);
    CHECK(incident_absent);
    r = run_vigil("replay " + q(db) + " --at " + moment + " --layer 救援队伍");
    CHECK(r.code == 0);
    CHECK((has(r.out, "T01 status: Available") && has(r.out, "Deployed"))); // then → now
    CHECK_FALSE(has(r.out, "incidents"));
    r = run_vigil("replay " + q(db) + " --at 昨天");
    CHECK(r.code == 2);
    CHECK(has(r.out, "YYYY-MM-DD HH:MM"));
}

TEST_CASE("kill -9 of editing processes at random moments: every acknowledged edit present, the file intact, audit and records agree",
          "[gdal][cli][edits][crash]") {
    const auto db = cli_db("cli-edits-crash");
    ::setenv("VIGIL_LAYERS", vigil::test::layers_dir().c_str(), 1);
    std::mt19937 rng(20261207);
    const char* statuses[] = {"待命", "出动", "休整", "维修"};
    struct Ack {
        std::int64_t seq;
        std::string after;
    };
    std::vector<Ack> acked;
    std::set<std::string> incidents;
    int killed = 0, finished = 0;
    const auto out = db.parent_path() / "out.json";
    // How long one edit takes here, start to exit: the kills fall within 1.5 times that, so that
    // some land before the commit, some during it and some after, on a fast machine or a busy one.
    const auto t0 = std::chrono::steady_clock::now();
    {
        const pid_t pid = spawn_vigil({"team", "status", db.string(), "T05", "维修", "--by", "crash"}, out);
        int status = 0;
        ::waitpid(pid, &status, 0);
        REQUIRE((WIFEXITED(status) && WEXITSTATUS(status) == 0));
    }
    const auto run_ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
    for (int trial = 0; trial < 50; ++trial) {
        std::vector<std::string> args;
        if (trial % 3 == 2) args = {"incident", "open", db.string(), "--at", "113.07,34.94", "--type", "火灾", "--json", "--by", "crash"};
        else args = {"team", "status", db.string(), "T0" + std::to_string(1 + rng() % 5), statuses[rng() % 4], "--json", "--by", "crash"};
        const pid_t pid = spawn_vigil(args, out);
        // One trial in ten runs to the end whatever the machine's pace (a loaded machine can make
        // every edit slower than the one measured above, and then every kill lands).
        const auto delay = std::chrono::milliseconds(rng() % (run_ms * 3 / 2 + 1));
        if (trial % 10 != 9) {
            std::this_thread::sleep_for(delay);
            ::kill(pid, SIGKILL);
        }
        int status = 0;
        ::waitpid(pid, &status, 0);
        if (!(WIFEXITED(status) && WEXITSTATUS(status) == 0)) {
            ++killed;
            continue;
        }
        ++finished;
        std::ifstream in(out);
        auto j = nlohmann::json::parse(in);
        if (j["operation"] == "incident_open") incidents.insert(j["incident"].get<std::string>());
        for (const auto& rec : j["records"])
            for (const auto& f : rec["fields"])
                acked.push_back({f["audit_seq"].get<std::int64_t>(), f["after"].is_null() ? "" : f["after"].get<std::string>()});
    }
    INFO(killed << " killed, " << finished << " finished; one edit takes " << run_ms << " ms");
    CHECK(killed >= 5);
    CHECK(finished >= 5);
    auto d = vigil::store::Database::open(db, vigil::store::Database::Mode::ReadOnly);
    CHECK(d.query_text("PRAGMA integrity_check") == "ok");
    // Every acknowledged edit is there, as acknowledged.
    for (const auto& a : acked) {
        auto st = d.prepare("SELECT ifnull(after, '') FROM vigil_audit WHERE seq = ?");
        st.bind(1, a.seq);
        REQUIRE(st.step());
        CHECK(st.column_text(0) == a.after);
    }
    for (const auto& i : incidents) {
        auto st = d.prepare("SELECT count(*) FROM incidents WHERE id = ?");
        st.bind(1, i);
        REQUIRE(st.step());
        CHECK(st.column_int64(0) == 1);
    }
    // Audit and records agree: a team's version is 1 + its audited operations, its status the last
    // one audited; every incident has its opening rows and every opening its incident; one change
    // row per audited record change.
    CHECK(d.query_int("SELECT count(*) FROM rescue_teams t WHERE t.version <> 1 + (SELECT count(DISTINCT change_id) FROM vigil_audit a "
                      "WHERE a.layer = 'rescue_teams' AND a.record_id = t.id)") == 0);
    CHECK(d.query_int("SELECT count(*) FROM rescue_teams t WHERE t.status IS NOT (SELECT ifnull((SELECT after FROM vigil_audit a WHERE "
                      "a.layer = 'rescue_teams' AND a.record_id = t.id AND a.field = 'status' ORDER BY seq DESC LIMIT 1), t.status))") ==
          0);
    CHECK(d.query_int("SELECT count(*) FROM incidents") ==
          d.query_int("SELECT count(DISTINCT record_id) FROM vigil_audit WHERE layer = 'incidents' AND action = 'insert'"));
    CHECK(d.query_int("SELECT count(*) FROM vigil_changes WHERE record_id IS NOT NULL") ==
          d.query_int("SELECT count(*) FROM (SELECT DISTINCT change_id, layer, record_id FROM vigil_audit)"));
}

} // namespace test_cli_edits_cases
