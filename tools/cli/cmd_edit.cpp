// vigil incident / dispatch / team / stock / history / undo: the dispatchers' edits. Each parses
// its options, opens the project for edits (native::SpatialiteEditStore), asks the edit service
// (vigil::app, edits.hpp) and prints the answer: as text here, as JSON through the service's own
// to_json. A stale edit (--expect-version) is refused with exit code 3 and nothing written.

#include "cli_common.hpp"

#include "road_network.hpp"

#include <vigil/app/edits.hpp>
#include <vigil/app/layer_set.hpp>
#include <vigil/app/replay.hpp>
#include <vigil/catalog/normalize.hpp>
#include <vigil/native/edit_store.hpp>
#include <vigil/store/project_reader.hpp>
#include <vigil/util/error.hpp>
#include <vigil/util/i18n.hpp>
#include <vigil/util/text.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>
#include <tuple>
#include <unistd.h>

namespace vigil::cli {

namespace {

// The registers' words as dispatchers type them (the catalogue's synonyms), for the options' help.
constexpr const char* k_edit_place_example = "G207 温县段";                         // i18n: not shown: input words, typed as they are
constexpr const char* k_types = "危化品泄漏, 火灾, 爆炸, 交通事故, 自然灾害, 其他"; // i18n: not shown: input words, typed as they are
constexpr const char* k_severities = "特别重大/重大/较大/一般";                     // i18n: not shown: input words, typed as they are
constexpr const char* k_not_graded = "未定级";                                      // i18n: not shown: input words, typed as they are
constexpr const char* k_hazmat = "危化品";                                          // i18n: not shown: input words, typed as they are
constexpr const char* k_reported = "接报";                                          // i18n: not shown: input words, typed as they are
constexpr const char* k_active = "处置中";                                          // i18n: not shown: input words, typed as they are
constexpr const char* k_closed = "结束";                                            // i18n: not shown: input words, typed as they are
constexpr const char* k_team_statuses = "待命/出动/休整/维修";                      // i18n: not shown: input words, typed as they are
constexpr const char* k_team_statuses_list = "待命, 出动, 休整, 维修";              // i18n: not shown: input words, typed as they are
constexpr const char* k_available = "待命";                                         // i18n: not shown: input words, typed as they are
constexpr const char* k_deployed = "出动";                                          // i18n: not shown: input words, typed as they are
constexpr const char* k_resting = "休整";                                           // i18n: not shown: input words, typed as they are
constexpr const char* k_maintenance = "维修";                                       // i18n: not shown: input words, typed as they are
constexpr const char* k_edit_item_example = "中和剂";                               // i18n: not shown: input words, typed as they are
constexpr const char* k_edit_unit_example = "个";                                   // i18n: not shown: input words, typed as they are
constexpr const char* k_edit_layer_example = "救援队伍";                            // i18n: not shown: input words, typed as they are
constexpr const char* k_edit_severity_example = "较大";                             // i18n: not shown: input words, typed as they are

struct EditArgs {
    std::string db, by, seat, reason;
    bool json = false;
    std::int64_t expect_version = -1; ///< -1: none given
    // incident
    std::string id, at, crs, type, title, material, un, cas, severity, reporter, description, zone_model, zone_inputs, status;
    std::vector<std::string> sets; ///< --set FIELD=VALUE
    // dispatch
    std::string incident;
    std::vector<std::string> teams;
    bool no_eta = false;
    std::string back = "available";
    // team / stock / history / undo
    std::string team, warehouse, item, unit, layer;
    double quantity = 0;
    std::int64_t seq = 0;
};

void add_common(CLI::App* cmd, EditArgs& o, bool db = true) {
    if (db) cmd->add_option("DB", o.db, tr("Project database"))->required();
    cmd->add_option("--by", o.by, tr("Who edits, for the audit table (default: $USER)"));
    cmd->add_option("--seat", o.seat, tr("The workstation it is done from (default: this host's name)"));
    cmd->add_option("--reason", o.reason, tr("Why, kept with every audit row"));
    cmd->add_flag("--json", o.json, tr("Print the result as JSON (docs/json.md, \"Edits\")"));
}

void add_expect(CLI::App* cmd, EditArgs& o) {
    cmd->add_option("--expect-version", o.expect_version,
                    tr("The record's version you saw: refused (exit 3, nothing written) if someone changed it since"))
        ->check(CLI::NonNegativeNumber);
}

app::EditContext context(const EditArgs& a) {
    app::EditContext c;
    c.editor = editor_of(a.by, a.seat);
    c.reason = a.reason;
    return c;
}

std::optional<std::int64_t> expected(const EditArgs& a) {
    return a.expect_version >= 0 ? std::optional<std::int64_t>(a.expect_version) : std::nullopt;
}

std::unique_ptr<native::SpatialiteEditStore> open_store(const EditArgs& a) {
    return native::SpatialiteEditStore::open(a.db, load_catalog());
}

std::vector<std::pair<std::string, std::string>> parse_sets(const std::vector<std::string>& sets) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& s : sets) {
        auto eq = s.find('=');
        if (eq == std::string::npos || eq == 0)
            throw UsageError(trf("--set {}: expected FIELD=VALUE, e.g. --set severity={}", s, k_edit_severity_example));
        out.emplace_back(s.substr(0, eq), s.substr(eq + 1));
    }
    return out;
}

// A long stored value (a warehouse's stock list) shortened for a terminal line; --json has it whole.
std::string brief(const std::string& s) {
    constexpr std::size_t k_max = 100;
    if (s.size() <= k_max) return s;
    std::size_t cut = k_max;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut; // not inside a UTF-8 character
    return s.substr(0, cut) + "…";
}

// An operation's answer: JSON, or one line per record and field.
int show(const EditArgs& a, const app::EditResult& r) {
    if (a.json) {
        std::cout << app::to_json(r).dump(2) << "\n";
        return k_exit_ok;
    }
    std::cout << trf("committed {} ({}, {})", r.operation, r.at, r.change_id) << "\n";
    for (const auto& rc : r.records) {
        std::cout << "  "
                  << (rc.inserted ? trf("{} {} → version {} (new)", rc.layer, rc.id, rc.version)
                                  : trf("{} {} → version {}", rc.layer, rc.id, rc.version))
                  << "\n";
        for (const auto& f : rc.fields)
            std::cout << fmt::format("    #{} {}: {} → {}\n", f.audit_seq, f.field, rc.inserted ? "" : brief(f.before_text),
                                     brief(f.after_text));
    }
    for (const auto& n : r.notes) std::cout << "  " << trf("note: {}", n) << "\n";
    return k_exit_ok;
}

// Runs an operation; a stale version is refused with exit 3 (JSON on stdout with --json).
int run_edit(const EditArgs& a, const std::function<app::EditResult()>& op) {
    try {
        return show(a, op());
    } catch (const app::EditConflict& e) {
        if (a.json) std::cout << app::to_json(e.conflict()).dump(2) << "\n";
        std::cerr << "vigil: " << e.what() << "\n";
        return k_exit_refused;
    }
}

// ETAs over the project's road graph (read-only, before the edit takes the write lock).
app::EtaSource road_etas(const std::string& db) {
    return [db](geo::Coord at, const std::vector<std::string>& teams) {
        app::AssignmentEtas none;
        auto project = store::Project::open(db);
        bool roads = false;
        for (const auto& l : project.layers()) roads = roads || (l.kind == "roads" && l.feature_count > 0);
        if (!roads) {
            none.note = tr("the project has no roads: no ETA recorded");
            return none;
        }
        app::LayerSet layers;
        layers.add(project.load_layer(app::k_teams_kind));
        const auto graph = load_road_graph(project, load_speeds(""));
        return app::assignment_etas(layers, *graph.graph, at, teams);
    };
}

void print_entries(const std::vector<app::AuditEntry>& entries) {
    for (const auto& e : entries)
        std::cout << fmt::format("  #{} {} {} {} v{} {}: {} → {}{}\n", e.seq, e.at, trcf("user at seat", "{} ({})", e.user, e.seat),
                                 e.action, e.version, e.field.value_or(""), e.before.value_or(tr("(empty)")),
                                 e.after.value_or(tr("(empty)")), e.reason.empty() ? "" : "  — " + e.reason);
}

} // namespace

void add_incident_command(CLI::App& app, Runner& run) {
    auto* cmd = app.add_subcommand("incident", tr("Incidents: open, update, close, and their log"));
    cmd->require_subcommand(1);
    auto args = std::make_shared<EditArgs>();
    EditArgs& o = *args;

    auto* open = cmd->add_subcommand("open", trf("Open an incident (status {} reported) at a point", k_reported));
    add_common(open, o);
    open->add_option("--at", o.at,
                     trf("Where: LON,LAT (WGS84 unless --crs), or a place: a name, a road in a county (\"{}\")", k_edit_place_example))
        ->required();
    open->add_option("--crs", o.crs, tr("CRS of --at: wgs84 (default), cgcs2000, gcj02 (AMap), bd09 (Baidu)"));
    open->add_option("--type", o.type, trf("{} (or hazmat_leak, fire, …)", k_types))->required();
    open->add_option("--id", o.id, tr("The incident's id (default: INC-YYYYMMDD-NNN)"));
    open->add_option("--title", o.title, tr("A short name (default: the type)"));
    open->add_option("--material", o.material, trf("Material name ({})", k_hazmat));
    open->add_option("--un", o.un, tr("UN number"));
    open->add_option("--cas", o.cas, tr("CAS number"));
    open->add_option("--severity", o.severity, trf("{} (I–IV), {}", k_severities, k_not_graded));
    open->add_option("--reporter", o.reporter, tr("Who reported it (default: --by)"));
    open->add_option("--description", o.description, tr("What was reported"));
    open->add_option("--zone-model", o.zone_model, tr("The zone model used (e.g. gaussian_puff)"));
    open->add_option("--zone-inputs", o.zone_inputs, tr("The zone model's inputs, as JSON text"));
    open->callback([&run, args] {
        run = [args] {
            const EditArgs& a = *args;
            app::IncidentOpen r;
            r.at = query_point(a.db, a.at, a.crs); // coordinates, or a place: "G207 温县段"
            r.type = a.type;
            r.id = a.id;
            r.title = a.title;
            r.material = a.material;
            r.un_number = a.un;
            r.cas = a.cas;
            r.severity = a.severity;
            r.reporter = a.reporter;
            r.description = a.description;
            r.zone_model = a.zone_model;
            r.zone_inputs = a.zone_inputs;
            auto store = open_store(a);
            return run_edit(a, [&] { return app::open_incident(*store, r, context(a)); });
        };
    });

    auto* update = cmd->add_subcommand("update", trf("Change an incident's fields (--status {} sets opened_at)", k_active));
    add_common(update, o);
    add_expect(update, o);
    update->add_option("ID", o.id, tr("Incident id"))->required();
    update->add_option("--status", o.status, trf("{} / {} (reported / active)", k_reported, k_active));
    update->add_option("--severity", o.severity, trf("{} (I–IV), {}", k_severities, k_not_graded));
    update->add_option("--material", o.material, tr("Material name"));
    update->add_option("--un", o.un, tr("UN number"));
    update->add_option("--cas", o.cas, tr("CAS number"));
    update->add_option("--description", o.description, tr("What is known now"));
    update->add_option("--set", o.sets, tr("Any field: FIELD=VALUE (repeatable)"));
    update->callback([&run, args] {
        run = [args] {
            const EditArgs& a = *args;
            app::EditRequest r;
            r.layer = std::string(app::k_incidents_kind);
            r.id = a.id;
            r.expect_version = expected(a);
            const std::pair<const char*, const std::string*> named[] = {{"status", &a.status},     {"severity", &a.severity},
                                                                        {"material", &a.material}, {"un_number", &a.un},
                                                                        {"cas", &a.cas},           {"description", &a.description}};
            for (const auto& [field, value] : named)
                if (!value->empty()) r.values.emplace_back(field, *value);
            for (auto& kv : parse_sets(a.sets)) r.values.push_back(kv);
            auto store = open_store(a);
            return run_edit(a, [&] { return app::update_incident(*store, r, context(a)); });
        };
    });

    auto* close = cmd->add_subcommand("close", trf("Close an incident (status {}; every team must be released first)", k_closed));
    add_common(close, o);
    add_expect(close, o);
    close->add_option("ID", o.id, tr("Incident id"))->required();
    close->callback([&run, args] {
        run = [args] {
            const EditArgs& a = *args;
            auto store = open_store(a);
            return run_edit(a, [&] { return app::close_incident(*store, a.id, expected(a), context(a)); });
        };
    });

    auto* log = cmd->add_subcommand("log", tr("An incident's timeline from the audit table"));
    log->add_option("DB", o.db, tr("Project database"))->required();
    log->add_option("ID", o.id, tr("Incident id"))->required();
    log->add_flag("--json", o.json, tr("Print the log as JSON"));
    log->callback([&run, args] {
        run = [args] {
            const EditArgs& a = *args;
            auto store = open_store(a);
            const auto l = app::incident_log(*store, a.id);
            if (a.json) {
                std::cout << app::to_json(l).dump(2) << "\n";
                return int{k_exit_ok};
            }
            std::cout << trf("incident {}", l.incident) << "\n";
            for (const auto& e : l.events)
                std::cout << fmt::format("  {} {:<15} {} {}\n", e.at, e.what, trcf("user at seat", "{} ({})", e.user, e.seat), e.text);
            return int{k_exit_ok};
        };
    });
}

void add_dispatch_command(CLI::App& app, Runner& run) {
    auto* cmd = app.add_subcommand("dispatch", tr("Dispatch records: assign teams to an incident, their arrival and release"));
    cmd->require_subcommand(1);
    auto args = std::make_shared<EditArgs>();
    EditArgs& o = *args;

    auto* assign = cmd->add_subcommand(
        "assign", trf("Assign teams: a dispatch record each (with the ETA by road), the teams {} deployed", k_deployed));
    add_common(assign, o);
    assign->add_option("INCIDENT", o.incident, tr("Incident id"))->required();
    assign->add_option("TEAM", o.teams, tr("Team ids"))->required();
    assign->add_flag("--no-eta", o.no_eta, tr("Do not compute the ETA by road"));
    assign->callback([&run, args] {
        run = [args] {
            const EditArgs& a = *args;
            app::DispatchAssign r;
            r.incident = a.incident;
            r.teams = a.teams;
            if (!a.no_eta) r.etas = road_etas(a.db);
            auto store = open_store(a);
            return run_edit(a, [&] { return app::assign_teams(*store, r, context(a)); });
        };
    });

    // A team's dispatch stamped as it goes: set out (出发), arrived (到达).
    using Stamp = app::EditResult (*)(app::EditStore&, const std::string&, const std::string&, const app::EditContext&);
    const std::tuple<const char*, const char*, Stamp> stamps[] = {
        {"depart", N_("A team assigned to the incident set out"), &app::depart},
        {"arrive", N_("A team arrived at the incident"), &app::arrive},
    };
    for (const auto& [name, help, stamp] : stamps) {
        auto* sub = cmd->add_subcommand(name, tr(help));
        add_common(sub, o);
        sub->add_option("INCIDENT", o.incident, tr("Incident id"))->required();
        sub->add_option("TEAM", o.team, tr("Team id"))->required();
        sub->callback([&run, args, stamp = stamp] {
            run = [args, stamp] {
                const EditArgs& a = *args;
                auto store = open_store(a);
                return run_edit(a, [&] { return stamp(*store, a.incident, a.team, context(a)); });
            };
        });
    }

    auto* release = cmd->add_subcommand(
        "release", trf("Release a team from the incident (back to {} available, or --status {})", k_available, k_resting));
    add_common(release, o);
    release->add_option("INCIDENT", o.incident, tr("Incident id"))->required();
    release->add_option("TEAM", o.team, tr("Team id"))->required();
    release->add_option(
        "--status", o.back,
        trf("The team's status afterwards: {} available (default), {} resting, {} maintenance", k_available, k_resting, k_maintenance));
    release->callback([&run, args] {
        run = [args] {
            const EditArgs& a = *args;
            auto store = open_store(a);
            return run_edit(a, [&] { return app::release(*store, a.incident, a.team, a.back, context(a)); });
        };
    });
}

void add_team_command(CLI::App& app, Runner& run) {
    auto* cmd = app.add_subcommand("team", tr("Rescue teams' live state"));
    cmd->require_subcommand(1);
    auto args = std::make_shared<EditArgs>();
    EditArgs& o = *args;
    auto* status = cmd->add_subcommand("status", trf("Set a team's status: {} (available/deployed/resting/maintenance)", k_team_statuses));
    add_common(status, o);
    add_expect(status, o);
    status->add_option("TEAM", o.team, tr("Team id"))->required();
    status->add_option("STATUS", o.status, trf("{} (or available, deployed, resting, maintenance)", k_team_statuses_list))->required();
    status->callback([&run, args] {
        run = [args] {
            const EditArgs& a = *args;
            auto store = open_store(a);
            return run_edit(a, [&] { return app::set_team_status(*store, a.team, a.status, expected(a), context(a)); });
        };
    });
}

void add_stock_command(CLI::App& app, Runner& run) {
    auto* cmd = app.add_subcommand("stock", tr("Warehouse stock: issue and receive"));
    cmd->require_subcommand(1);
    auto args = std::make_shared<EditArgs>();
    EditArgs& o = *args;
    for (const bool issue : {true, false}) {
        auto* sub = cmd->add_subcommand(issue ? "issue" : "receive",
                                        issue ? tr("Issue stock: never below 0") : tr("Receive stock: a new item needs --unit"));
        add_common(sub, o);
        add_expect(sub, o);
        sub->add_option("WAREHOUSE", o.warehouse, tr("Warehouse id"))->required();
        sub->add_option("ITEM", o.item, trf("Stock item as the warehouse lists it ({})", k_edit_item_example))->required();
        sub->add_option("QTY", o.quantity, tr("Quantity, in the line's unit"))->required()->check(CLI::PositiveNumber);
        sub->add_option("--incident", o.incident, tr("The incident it serves (its log lists the move)"));
        if (!issue) sub->add_option("--unit", o.unit, trf("Unit of a new item (t, kg, {} …)", k_edit_unit_example));
        sub->callback([&run, args, issue] {
            run = [args, issue] {
                const EditArgs& a = *args;
                app::StockMove m;
                m.warehouse = a.warehouse;
                m.item = a.item;
                m.quantity = a.quantity;
                m.issue = issue;
                m.unit = a.unit;
                m.incident = a.incident;
                m.expect_version = expected(a);
                auto store = open_store(a);
                return run_edit(a, [&] { return app::move_stock(*store, m, context(a)); });
            };
        });
    }
}

void add_history_command(CLI::App& app, Runner& run) {
    auto* cmd = app.add_subcommand("history", tr("A record's edits from the audit table (who, when, from where, before, after)"));
    auto args = std::make_shared<EditArgs>();
    EditArgs& o = *args;
    cmd->add_option("DB", o.db, tr("Project database"))->required();
    cmd->add_option("LAYER", o.layer, trf("Layer (kind or name: rescue_teams, {} …)", k_edit_layer_example))->required();
    cmd->add_option("ID", o.id, tr("Record id"))->required();
    cmd->add_flag("--json", o.json, tr("Print the entries as JSON"));
    cmd->callback([&run, args] {
        run = [args] {
            const EditArgs& a = *args;
            auto store = open_store(a);
            const std::string kind = store->kind(a.layer)->kind;
            const auto entries = app::record_history(*store, kind, a.id);
            if (a.json) {
                std::cout << app::history_json(kind, a.id, entries).dump(2) << "\n";
                return int{k_exit_ok};
            }
            std::cout << trf("{} {}: {} edits", kind, a.id, entries.size()) << "\n";
            print_entries(entries);
            return int{k_exit_ok};
        };
    });
}

void add_replay_command(CLI::App& app, Runner& run) {
    auto* cmd = app.add_subcommand("replay",
                                   tr("The register as it stood at a moment: every audited edit since undone, and what differs from now"));
    auto args = std::make_shared<EditArgs>();
    EditArgs& o = *args;
    cmd->add_option("DB", o.db, tr("Project database"))->required();
    cmd->add_option("--at", o.at, tr("The moment: YYYY-MM-DD HH:MM[:SS] (Beijing time, UTC+8) or YYYY-MM-DDTHH:MM[:SS]Z (UTC)"))
        ->required();
    cmd->add_option("--layer", o.layer, trf("Only this layer (kind or name: rescue_teams, {} …)", k_edit_layer_example));
    cmd->add_flag("--json", o.json, tr("Print the answer as JSON (docs/json.md, \"Replay\")"));
    cmd->callback([&run, args] {
        run = [args] {
            const EditArgs& a = *args;
            const std::string at = app::utc_of_typed_time(a.at);
            auto store = open_store(a);
            app::AuditQuery q;
            q.after_at = at;
            auto entries = store->audit(q);
            if (!a.layer.empty()) {
                const std::string kind = store->kind(a.layer)->kind;
                std::erase_if(entries, [&](const app::AuditEntry& e) { return e.layer != kind; });
            }
            std::vector<std::string> kinds;
            for (const auto& e : entries)
                if (std::find(kinds.begin(), kinds.end(), e.layer) == kinds.end()) kinds.push_back(e.layer);
            const auto project = store::Project::open(a.db);
            const auto replay = app::replay_at(app::LayerSet::load(project, kinds), std::move(entries), at);
            if (a.json) {
                std::cout << app::to_json(replay).dump(2) << "\n";
                return int{k_exit_ok};
            }
            std::cout << trf("{} as it stood then ({} UTC): undone {} audit rows, {} records differ", a.at, at, replay.undone,
                             replay.records.size())
                      << "\n";
            for (const auto& r : replay.records) {
                if (r.absent_then) {
                    std::cout << "  " << trf("{} {}: did not exist yet", r.layer, r.id) << "\n";
                    continue;
                }
                for (const auto& f : r.fields)
                    std::cout << "  " << trf("{} {} {}: {} (then) → {} (now)", r.layer, r.id, f.field, f.then_text, f.now_text) << "\n";
            }
            for (const auto& n : replay.notes) std::cout << "  " << trf("note: {}", n) << "\n";
            return int{k_exit_ok};
        };
    });
}

void add_undo_command(CLI::App& app, Runner& run) {
    auto* cmd = app.add_subcommand("undo", tr("Undo one audited change (itself an audited edit; refused if the field changed since)"));
    auto args = std::make_shared<EditArgs>();
    EditArgs& o = *args;
    add_common(cmd, o);
    cmd->add_option("AUDIT_SEQ", o.seq, tr("The audit entry's seq (vigil history shows it as #N)"))->required()->check(CLI::PositiveNumber);
    cmd->callback([&run, args] {
        run = [args] {
            const EditArgs& a = *args;
            auto store = open_store(a);
            return run_edit(a, [&] { return app::undo(*store, a.seq, context(a)); });
        };
    });
}

} // namespace vigil::cli
