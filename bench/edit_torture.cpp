/// @file
/// edit_torture: the edit service (app/edits.hpp over native::SpatialiteEditStore) under the
/// conditions of issue 14's acceptance, driven by bench/edit_crash.py (kill -9 of the editor at
/// random moments) and bench/edit_concurrency.py (one editor, eight viewers, one database):
///
///     edit_torture editor DB --edits N [--seconds T] [--seed S] [--conflicts] [--rate R]
///         N team status edits through app::set_team_status, each naming the version it saw; after
///         each commit returns it prints `ACK TEAM STATUS VERSION` and flushes (the harness counts
///         only printed lines as acknowledged). --conflicts: one edit in 8 names a stale version
///         and must be refused (`REFUSED ...`, and the record must be unchanged), else it is a
///         silent overwrite (`OVERWRITE ...`). At the end: latency percentiles (`LATENCY ...`).
///     edit_torture reader DB --seconds S [--poll-ms P] [--reload-ms R]
///         what a viewer does: ChangeFeed::poll + app::follow_changes over the layers it holds,
///         and every R ms a fresh store::Project::open + load_layer("rescue_teams").
///     edit_torture verify DB [--acks FILE]
///         integrity_check, every ACK present, audit and records agreeing (see verify()).
///
/// Exit codes: 0 ok, 1 a check failed (the message says which), 2 a usage or I/O error.

#include <vigil/app/edits.hpp>
#include <vigil/app/layer_set.hpp>
#include <vigil/app/live.hpp>
#include <vigil/catalog/catalog.hpp>
#include <vigil/native/edit_store.hpp>
#include <vigil/store/change_feed.hpp>
#include <vigil/store/project_reader.hpp>
#include <vigil/store/sqlite.hpp>
#include <vigil/util/error.hpp>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace edit_torture {

using namespace vigil;
using Clock = std::chrono::steady_clock;

constexpr std::string_view k_statuses[] = {"available", "deployed", "resting", "maintenance"};

double ms_since(Clock::time_point t0) { return std::chrono::duration<double, std::milli>(Clock::now() - t0).count(); }

double percentile(std::vector<double> v, double p) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    const auto i = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
    return v[std::min(i, v.size() - 1)];
}

std::string latency_text(const char* what, const std::vector<double>& v) {
    return fmt::format("{}_n={} {}_p50_ms={:.2f} {}_p99_ms={:.2f} {}_max_ms={:.2f}", what, v.size(), what, percentile(v, 0.5), what,
                       percentile(v, 0.99), what, v.empty() ? 0.0 : *std::max_element(v.begin(), v.end()));
}

// Forwards to the SpatiaLite store and times the two calls that wait on something outside Vigil:
// begin() (BEGIN IMMEDIATE: the write lock) and commit() (the WAL append and its fsync).
class TimedStore final : public app::EditStore {
public:
    explicit TimedStore(app::EditStore& inner) : m_inner(inner) {}
    std::shared_ptr<const catalog::LayerKind> kind(std::string_view layer) const override { return m_inner.kind(layer); }
    void begin() override {
        const auto t0 = Clock::now();
        m_inner.begin();
        begin_ms.push_back(ms_since(t0));
    }
    void commit() override {
        if (before_commit) before_commit();
        const auto t0 = Clock::now();
        m_inner.commit();
        commit_ms.push_back(ms_since(t0));
    }
    void rollback() override { m_inner.rollback(); }
    std::string now() const override { return m_inner.now(); }
    std::optional<app::StoredRecord> find(const catalog::LayerKind& k, std::string_view id) const override { return m_inner.find(k, id); }
    std::vector<app::StoredRecord> find_where(const catalog::LayerKind& k, std::string_view field, std::string_view value) const override {
        return m_inner.find_where(k, field, value);
    }
    std::vector<std::string> ids_with_prefix(const catalog::LayerKind& k, std::string_view prefix) const override {
        return m_inner.ids_with_prefix(k, prefix);
    }
    void update(const catalog::LayerKind& k, std::int64_t fid, const std::vector<std::pair<std::size_t, model::Value>>& values,
                std::int64_t version, const std::string& at) override {
        m_inner.update(k, fid, values, version, at);
    }
    void insert(const catalog::LayerKind& k, const std::vector<model::Value>& values, geo::Coord point, const std::string& at) override {
        m_inner.insert(k, values, point, at);
    }
    std::int64_t append_audit(const app::AuditEntry& e) override { return m_inner.append_audit(e); }
    void append_change(const std::string& layer, const std::string& id, const std::string& action, const std::string& at) override {
        m_inner.append_change(layer, id, action, at);
    }
    std::vector<app::AuditEntry> audit(const app::AuditQuery& q) const override { return m_inner.audit(q); }

    std::vector<double> begin_ms, commit_ms;
    std::function<void()> before_commit; ///< --ack-before-commit: the broken editor

private:
    app::EditStore& m_inner;
};

void say(const std::string& line) {
    std::fwrite(line.data(), 1, line.size(), stdout);
    std::fputc('\n', stdout);
    std::fflush(stdout);
}

// [editor] -------------------------------------------------------------------------------------

struct EditorArgs {
    std::string db;
    long edits = 1000;
    double seconds = 0; ///< > 0: stop after this long (whichever of edits and seconds comes first)
    std::uint64_t seed = 0;
    bool conflicts = false;
    double rate = 0; ///< edits a second; 0 = as fast as it goes
    /// A broken editor, for checking the harness: it acknowledges each edit before its commit,
    /// so a kill in between loses an acknowledged edit and verify must say so.
    bool ack_before_commit = false;
    int autocheckpoint = -1; ///< >= 0: PRAGMA wal_autocheckpoint on the editing connection (0: none; for measuring its cost)
};

struct Team {
    std::string id, status;
    std::int64_t version = 1;
};

std::string status_text(const catalog::LayerKind& kind, const app::StoredRecord& r) {
    const auto& v = r.values[*kind.field_index("status")];
    return model::is_null(v) ? std::string() : model::to_text(v);
}

int run_editor(const EditorArgs& a) {
    auto inner = native::SpatialiteEditStore::open(a.db, catalog::Catalog::load_directory(catalog::Catalog::default_directory()));
    if (a.autocheckpoint >= 0) inner->database().exec(fmt::format("PRAGMA wal_autocheckpoint = {}", a.autocheckpoint));
    TimedStore store(*inner);
    auto kind = store.kind(app::k_teams_kind);
    std::vector<Team> teams;
    for (const auto& id : store.ids_with_prefix(*kind, "")) {
        auto r = store.find(*kind, id);
        if (r) teams.push_back({id, status_text(*kind, *r), r->version});
    }
    if (teams.empty()) throw UsageError(a.db + ": no rescue teams to edit");
    std::sort(teams.begin(), teams.end(), [](const Team& x, const Team& y) { return x.id < y.id; });
    std::mt19937_64 rng(a.seed);
    app::EditContext ctx{{"torture", fmt::format("seat-{}", a.seed)}, "edit_torture"};
    say(fmt::format("START teams={} edits={} seed={}", teams.size(), a.edits, a.seed));

    std::vector<double> call_ms, acked_ms, refused_ms;
    long acked = 0, refused = 0, overwrites = 0, errors = 0;
    const auto start = Clock::now();
    for (long i = 0; i < a.edits; ++i) {
        if (a.seconds > 0 && ms_since(start) >= a.seconds * 1000) break;
        if (a.rate > 0) std::this_thread::sleep_until(start + std::chrono::microseconds(static_cast<long>(1e6 * i / a.rate)));
        Team& t = teams[rng() % teams.size()];
        std::string status;
        do status = std::string(k_statuses[rng() % std::size(k_statuses)]);
        while (status == t.status);
        const bool stale = a.conflicts && rng() % 8 == 0;
        const std::int64_t expect = stale ? t.version - 1 : t.version;
        if (a.ack_before_commit)
            store.before_commit = [&t, &status] { say(fmt::format("ACK {} {} {} early", t.id, status, t.version + 1)); };
        const auto t0 = Clock::now();
        try {
            auto r = app::set_team_status(store, t.id, status, expect, ctx);
            const double took = ms_since(t0);
            call_ms.push_back(took);
            acked_ms.push_back(took);
            const app::RecordChange* rc = r.record(app::k_teams_kind, t.id);
            if (!rc || rc->fields.empty() || !rc->fields.front().after) {
                say(fmt::format("ERROR {} {}: the edit changed nothing", t.id, status));
                ++errors;
                continue;
            }
            if (stale) {
                say(fmt::format("OVERWRITE {} {} seen={} now={}", t.id, status, expect, rc->version));
                ++overwrites;
            }
            t.status = *rc->fields.front().after;
            t.version = rc->version;
            if (!a.ack_before_commit) say(fmt::format("ACK {} {} {} {:.2f}", t.id, t.status, t.version, took));
            ++acked;
        } catch (const app::EditConflict& e) {
            const double took = ms_since(t0);
            call_ms.push_back(took);
            refused_ms.push_back(took);
            // Refused: the record must be as it was.
            auto now = store.find(*kind, t.id);
            const bool unchanged = now && now->version == t.version && status_text(*kind, *now) == t.status;
            if (!stale || !unchanged) {
                say(fmt::format("ERROR {}: {} refusal (seen {}, record now version {}, status {})", t.id, stale ? "changing" : "unexpected",
                                expect, now ? now->version : -1, now ? status_text(*kind, *now) : "?"));
                ++errors;
                if (now) t = {t.id, status_text(*kind, *now), now->version};
                continue;
            }
            say(fmt::format("REFUSED {} {} seen={} now={} {:.2f}", t.id, status, expect, e.conflict().current_version, took));
            ++refused;
        }
    }
    say(fmt::format("LATENCY {} {} {} {} {}", latency_text("call", call_ms), latency_text("acked", acked_ms),
                    latency_text("refused", refused_ms), latency_text("commit", store.commit_ms), latency_text("begin", store.begin_ms)));
    say(fmt::format("SUMMARY acked={} refused={} overwrites={} errors={} seconds={:.1f}", acked, refused, overwrites, errors,
                    ms_since(start) / 1000));
    return overwrites == 0 && errors == 0 ? 0 : 1;
}

// [reader] -------------------------------------------------------------------------------------

struct ReaderArgs {
    std::string db;
    double seconds = 10;
    int poll_ms = 10;    ///< a viewer looks at the feed about once a frame
    int reload_ms = 250; ///< and a one-shot `vigil nearest` opens the project afresh
    /// > 0: the fresh load holds its read transaction this long (a slow reader: a big layer, a
    /// server's snapshot), which keeps the editor's checkpoint from rewinding the WAL meanwhile.
    int hold_ms = 0;
};

int run_reader(const ReaderArgs& a) {
    const std::vector<std::string> kinds = {"rescue_teams", "incidents", "dispatches", "warehouses"};
    store::ChangeFeed feed(a.db); // before the load: a change in between is read twice, not missed
    auto held = app::LayerSet::load(store::Project::open(a.db), kinds);
    const std::size_t team_count = held.require("rescue_teams").size();
    long polls = 0, updates = 0, records = 0, opens = 0, errors = 0;
    const auto start = Clock::now();
    auto next_reload = start;
    while (ms_since(start) < a.seconds * 1000) {
        ++polls;
        if (feed.poll()) {
            if (auto u = app::follow_changes(feed, held)) {
                ++updates;
                records += static_cast<long>(u->records);
                for (const auto& l : u->layers)
                    if (l.layer) held.add(l.layer);
            }
        }
        if (Clock::now() >= next_reload) {
            next_reload += std::chrono::milliseconds(a.reload_ms);
            auto project = store::Project::open(a.db);
            std::optional<store::Database> snapshot;
            if (a.hold_ms > 0) {
                snapshot = store::Database::open(a.db, store::Database::Mode::ReadOnly);
                snapshot->exec("BEGIN");
                snapshot->query_int("SELECT count(*) FROM vigil_changes"); // the read transaction starts here
            }
            auto fresh = project.load_layer("rescue_teams");
            if (snapshot) {
                std::this_thread::sleep_for(std::chrono::milliseconds(a.hold_ms));
                snapshot->exec("COMMIT");
            }
            ++opens;
            if (fresh->size() != team_count) {
                say(fmt::format("ERROR a fresh load has {} teams, the first had {}", fresh->size(), team_count));
                ++errors;
            }
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(a.poll_ms));
    }
    if (held.require("rescue_teams").size() != team_count) ++errors;
    say(fmt::format("READER polls={} updates={} records={} opens={} errors={} cursor={}", polls, updates, records, opens, errors,
                    feed.cursor()));
    return errors == 0 ? 0 : 1;
}

// [verify] -------------------------------------------------------------------------------------

struct Ack {
    std::string team, status;
    std::int64_t version = 0;
};

struct AuditRow {
    std::int64_t seq = 0, version = 0;
    std::string field, after, change_id;
};

// Every failure is collected and printed; the first few of a kind are enough to read.
class Failures {
public:
    void add(const std::string& what) {
        if (m_count++ < 20) std::cout << "FAIL " << what << "\n";
    }
    long count() const { return m_count; }

private:
    long m_count = 0;
};

int run_verify(const std::string& db_path, const std::string& acks_path) {
    Failures fail;
    // Opened read-write as the next editor would: a WAL left by a killed editor is recovered.
    auto db = store::Database::open(db_path, store::Database::Mode::ReadWrite);
    {
        auto st = db.prepare("PRAGMA integrity_check");
        std::string result;
        while (st.step()) result += std::string(st.column_text(0)) + ";";
        if (result != "ok;") fail.add("integrity_check: " + result);
    }
    const auto catalog = catalog::Catalog::load_directory(catalog::Catalog::default_directory());
    const auto kind = catalog.get(app::k_teams_kind);
    const std::string id_col = store::quote_identifier(kind->fields[kind->id_index()].name);

    struct Stored {
        std::string status;
        std::int64_t version = 1;
    };
    std::map<std::string, Stored> teams;
    {
        auto st = db.prepare("SELECT " + id_col + ", status, coalesce(version, 1) FROM rescue_teams");
        while (st.step())
            teams[std::string(st.column_text(0))] = {st.column_is_null(1) ? "" : std::string(st.column_text(1)), st.column_int64(2)};
    }
    std::map<std::string, std::vector<AuditRow>> audit;
    long audit_rows = 0;
    {
        auto st = db.prepare("SELECT record_id, seq, version, coalesce(field, ''), coalesce(after, ''), change_id FROM vigil_audit "
                             "WHERE layer = 'rescue_teams' ORDER BY seq");
        while (st.step()) {
            audit[std::string(st.column_text(0))].push_back({st.column_int64(1), st.column_int64(2), std::string(st.column_text(3)),
                                                             std::string(st.column_text(4)), std::string(st.column_text(5))});
            ++audit_rows;
        }
    }
    std::map<std::string, long> changes;
    {
        auto st = db.prepare("SELECT record_id, count(*) FROM vigil_changes WHERE layer = 'rescue_teams' AND record_id IS NOT NULL "
                             "GROUP BY record_id");
        while (st.step()) changes[std::string(st.column_text(0))] = st.column_int64(1);
    }

    // Audit and records agree: per record, the versions of its audit rows are consecutive with one
    // operation each, the newest is the record's version, and its newest status row says what the
    // record holds; one change row per operation.
    long edited = 0;
    for (const auto& [id, rows] : audit) {
        auto t = teams.find(id);
        if (t == teams.end()) {
            fail.add(fmt::format("audit rows for team {} that is not in rescue_teams", id));
            continue;
        }
        ++edited;
        std::map<std::int64_t, std::set<std::string>> ops; // version -> change ids
        const AuditRow* last_status = nullptr;
        for (const auto& r : rows) {
            ops[r.version].insert(r.change_id);
            if (r.field == "status") last_status = &r;
        }
        std::int64_t prev = 0;
        for (const auto& [v, ids] : ops) {
            if (ids.size() != 1) fail.add(fmt::format("team {}: version {} written by {} operations (duplicated)", id, v, ids.size()));
            if (prev != 0 && v != prev + 1) fail.add(fmt::format("team {}: audit versions jump from {} to {} (skipped)", id, prev, v));
            prev = v;
        }
        if (ops.begin()->first > 2) fail.add(fmt::format("team {}: the first audited version is {}", id, ops.begin()->first));
        if (prev != t->second.version)
            fail.add(fmt::format("team {}: record version {}, newest audit version {}", id, t->second.version, prev));
        if (last_status && last_status->after != t->second.status)
            fail.add(fmt::format("team {}: record status '{}', newest audit row says '{}' (version {})", id, t->second.status,
                                 last_status->after, last_status->version));
        std::set<std::string> distinct;
        for (const auto& [v, ids] : ops) distinct.insert(ids.begin(), ids.end());
        if (changes[id] != static_cast<long>(distinct.size()))
            fail.add(fmt::format("team {}: {} change rows for {} audited operations", id, changes[id], distinct.size()));
    }
    for (const auto& [id, t] : teams)
        if (!audit.count(id) && t.version != 1) fail.add(fmt::format("team {}: version {} with no audit rows", id, t.version));

    // Every acknowledged edit is there.
    long acks = 0, unacked = 0;
    if (!acks_path.empty()) {
        std::ifstream in(acks_path);
        if (!in) throw IoError("cannot read the ACK file '" + acks_path + "'");
        std::map<std::string, std::int64_t> last_ack;
        std::string line;
        while (std::getline(in, line)) {
            std::istringstream words(line);
            std::string tag;
            Ack a;
            if (!(words >> tag) || tag != "ACK") continue;
            if (!(words >> a.team >> a.status >> a.version)) continue; // a line cut by the kill: never acknowledged
            ++acks;
            last_ack[a.team] = std::max(last_ack[a.team], a.version);
            auto t = teams.find(a.team);
            if (t == teams.end()) {
                fail.add("acked team " + a.team + " is missing");
                continue;
            }
            if (t->second.version < a.version)
                fail.add(fmt::format("lost update: team {} acked at version {}, stored version {}", a.team, a.version, t->second.version));
            bool found = false;
            for (const auto& r : audit[a.team])
                if (r.version == a.version && r.field == "status" && r.after == a.status) found = true;
            if (!found) fail.add(fmt::format("lost update: no audit row for team {} version {} status {}", a.team, a.version, a.status));
        }
        // Committed but never acknowledged (the kill came between the commit and the line): at most
        // one edit, which is allowed.
        for (const auto& [id, v] : last_ack) unacked += teams[id].version - v;
    }
    std::cout << fmt::format("VERIFY {} teams={} edited={} audit_rows={} acks={} unacked_after_last_ack={} failures={}\n",
                             fail.count() ? "FAILED" : "ok", teams.size(), edited, audit_rows, acks, unacked, fail.count());
    return fail.count() ? 1 : 0;
}

} // namespace edit_torture

int main(int argc, char** argv) try {
    using namespace edit_torture;
    CLI::App cli{"edit_torture: the edit service under crashes and concurrent readers (issue 14)"};
    cli.require_subcommand(1);
    EditorArgs e;
    auto* editor = cli.add_subcommand("editor", "Edit team statuses, printing ACK lines");
    editor->add_option("DB", e.db)->required();
    editor->add_option("--edits", e.edits, "How many edits");
    editor->add_option("--seconds", e.seconds, "Stop after this many seconds");
    editor->add_option("--seed", e.seed);
    editor->add_flag("--conflicts", e.conflicts, "One edit in 8 names a stale version and must be refused");
    editor->add_option("--rate", e.rate, "Edits a second (0: full speed)");
    editor->add_option("--autocheckpoint", e.autocheckpoint,
                       "PRAGMA wal_autocheckpoint on the editing connection (0: off; to measure its cost)");
    editor->add_flag("--ack-before-commit", e.ack_before_commit,
                     "Acknowledge before the commit (a broken editor: the harness must catch it)");
    ReaderArgs r;
    auto* reader = cli.add_subcommand("reader", "Follow the database as a viewer does");
    reader->add_option("DB", r.db)->required();
    reader->add_option("--seconds", r.seconds);
    reader->add_option("--poll-ms", r.poll_ms);
    reader->add_option("--reload-ms", r.reload_ms);
    reader->add_option("--hold-ms", r.hold_ms, "Hold a read transaction this long at each fresh load (a slow reader)");
    std::string vdb, acks;
    auto* verify = cli.add_subcommand("verify", "Check the database after a run");
    verify->add_option("DB", vdb)->required();
    verify->add_option("--acks", acks, "The editor's output (its ACK lines)");
    CLI11_PARSE(cli, argc, argv);
    if (*editor) return run_editor(e);
    if (*reader) return run_reader(r);
    return run_verify(vdb, acks);
} catch (const std::exception& ex) {
    std::cout.flush();
    std::fprintf(stderr, "edit_torture: %s\n", ex.what());
    return 2;
}
