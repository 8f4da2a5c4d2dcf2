#include <vigil/app/edit_command.hpp>

#include "request_json.hpp"

#include <vigil/util/error.hpp>
#include <vigil/util/i18n.hpp>

#include <nlohmann/json.hpp>

#include <cmath>
#include <set>
#include <type_traits>

namespace vigil::app {

std::string_view role_code(Role role) {
    switch (role) {
    case Role::Viewer: return "viewer";
    case Role::Dispatcher: return "dispatcher";
    case Role::DutyOfficer: return "duty_officer";
    }
    return "viewer";
}

namespace {

// A role's name in `lang` (the msgids are role_label's).
std::string_view role_label_in(Role role, i18n::Language lang) {
    switch (role) {
    case Role::Viewer: return i18n::translate("role", "viewer", lang);
    case Role::Dispatcher: return i18n::translate("role", "dispatcher", lang);
    case Role::DutyOfficer: return i18n::translate("role", "duty officer", lang); // i18n: not shown: role_label's msgid, looked up
    }
    return i18n::translate("role", "viewer", lang);
}

} // namespace

std::string role_label(Role role) {
    switch (role) {
    case Role::Viewer: return trc("role", "viewer");
    case Role::Dispatcher: return trc("role", "dispatcher");
    case Role::DutyOfficer: return trc("role", "duty officer");
    }
    return trc("role", "viewer");
}

std::optional<Role> parse_role(std::string_view text) {
    // The code, or the role's name in either language (调度员, dispatcher).
    for (Role r : {Role::Viewer, Role::Dispatcher, Role::DutyOfficer})
        if (text == role_code(r) || text == role_label_in(r, i18n::Language::zh_CN) || text == role_label_in(r, i18n::Language::en))
            return r;
    if (text == "duty-officer") return Role::DutyOfficer;
    return std::nullopt;
}

namespace {

using detail::RequestReader;
using Json = nlohmann::json;

// One command's fields, each read once: a key that is never read is refused at the end (a
// misspelt "expect_versoin" would otherwise be ignored and the edit made without the check).
class Fields {
public:
    Fields(const Json& j, std::string op) : m_j(j), m_reader{trf("edit command \"{}\"", op)} {}

    const Json* find(const std::string& key) {
        m_read.insert(key);
        auto it = m_j.find(key);
        return it == m_j.end() || it->is_null() ? nullptr : &*it;
    }
    std::string text(const std::string& key, bool required = true) {
        const Json* v = find(key);
        if (!v) {
            if (required) throw UsageError(trf("{}: \"{}\" is missing", m_reader.what, key));
            return {};
        }
        return m_reader.string(*v, key);
    }
    std::optional<std::int64_t> integer(const std::string& key) {
        const Json* v = find(key);
        if (!v) return std::nullopt;
        if (!v->is_number_integer()) m_reader.refuse(key, tr("a whole number"), *v);
        return v->get<std::int64_t>();
    }
    std::optional<double> number(const std::string& key) {
        const Json* v = find(key);
        if (!v) return std::nullopt;
        return m_reader.number(*v, key);
    }
    double required_number(const std::string& key) {
        auto n = number(key);
        if (!n) throw UsageError(trf("{}: \"{}\" is missing", m_reader.what, key));
        return *n;
    }
    std::vector<std::string> words(const std::string& key) {
        const Json* v = find(key);
        if (!v) throw UsageError(trf("{}: \"{}\" is missing", m_reader.what, key));
        return m_reader.words(*v, key);
    }
    std::optional<geo::Coord> point(const std::string& key) {
        const Json* v = find(key);
        if (!v) return std::nullopt;
        return m_reader.point(*v, key);
    }
    /// {"field": "value" | number | null}: the generic edit's values as text.
    std::vector<std::pair<std::string, std::string>> values(const std::string& key) {
        const Json* v = find(key);
        if (!v || !v->is_object() || v->empty()) throw UsageError(trf("{}: \"{}\" must be an object of field: value", m_reader.what, key));
        std::vector<std::pair<std::string, std::string>> out;
        for (const auto& [field, value] : v->items()) {
            if (value.is_string()) out.emplace_back(field, value.get<std::string>());
            else if (value.is_null()) out.emplace_back(field, "");
            else if (value.is_number() || value.is_boolean()) out.emplace_back(field, value.dump());
            else m_reader.refuse(key + "." + field, tr("a string, a number or null"), value);
        }
        return out;
    }
    std::map<std::string, double> seconds_by_team(const std::string& key) {
        std::map<std::string, double> out;
        const Json* v = find(key);
        if (!v) return out;
        if (!v->is_object()) m_reader.refuse(key, tr("an object of team: seconds"), *v);
        for (const auto& [team, s] : v->items()) {
            double seconds = m_reader.number(s, key + "." + team);
            if (!std::isfinite(seconds) || seconds < 0) m_reader.refuse(key + "." + team, tr("seconds >= 0"), s);
            out[team] = seconds;
        }
        return out;
    }
    void done() const {
        std::string known;
        for (const auto& k : m_read) known += (known.empty() ? "" : ", ") + k;
        for (const auto& [key, value] : m_j.items())
            if (!m_read.count(key)) m_reader.unknown(key, trf("known: op, {}", known));
    }

private:
    const Json& m_j;
    RequestReader m_reader;
    std::set<std::string> m_read{"op", "reason"};
};

EditRequest edit_request(Fields& f, std::string layer) {
    EditRequest r;
    r.layer = std::move(layer);
    r.id = f.text("id");
    r.values = f.values("values");
    r.expect_version = f.integer("expect_version");
    r.incident = f.text("incident", false);
    return r;
}

template <class T> constexpr std::string_view op_name(const T& x) {
    if constexpr (std::is_same_v<T, TeamStatusCommand>) return "team_status";
    else if constexpr (std::is_same_v<T, IncidentOpenCommand>) return "incident_open";
    else if constexpr (std::is_same_v<T, IncidentUpdateCommand>) return "incident_update";
    else if constexpr (std::is_same_v<T, IncidentCloseCommand>) return "incident_close";
    else if constexpr (std::is_same_v<T, AssignCommand>) return "dispatch_assign";
    else if constexpr (std::is_same_v<T, DispatchStepCommand>)
        return x.step == DispatchStepCommand::Step::Depart   ? "dispatch_depart"
               : x.step == DispatchStepCommand::Step::Arrive ? "dispatch_arrive"
                                                             : "dispatch_release";
    else if constexpr (std::is_same_v<T, StockCommand>) return x.request.issue ? "stock_issue" : "stock_receive";
    else if constexpr (std::is_same_v<T, UndoCommand>) return "undo";
    else return "edit";
}

Json optional_json(const std::optional<std::int64_t>& v) { return v ? Json(*v) : Json(); }

} // namespace

EditCommand parse_edit_command(const nlohmann::json& json) {
    RequestReader top{tr("edit command")};
    top.object(json);
    auto op_it = json.find("op");
    if (op_it == json.end()) throw UsageError(tr("edit command: \"op\" is missing"));
    const std::string op = top.string(*op_it, "op");
    Fields f(json, op);
    EditCommand c;
    if (auto it = json.find("reason"); it != json.end() && !it->is_null()) c.reason = top.string(*it, "reason");
    if (op == "team_status") {
        TeamStatusCommand t;
        t.team = f.text("team");
        t.status = f.text("status");
        t.expect_version = f.integer("expect_version");
        if (const Json* shown = f.find("shown")) t.shown = shown->is_string() ? shown->get<std::string>() : shown->dump();
        c.op = std::move(t);
    } else if (op == "incident_open") {
        IncidentOpen r;
        auto at = f.point("at");
        if (!at) throw UsageError(tr("edit command \"incident_open\": \"at\" is missing ([lon, lat])"));
        r.at = *at;
        r.type = f.text("type");
        for (auto [key, field] : {std::pair{"title", &IncidentOpen::title}, std::pair{"material", &IncidentOpen::material},
                                  std::pair{"un_number", &IncidentOpen::un_number}, std::pair{"cas", &IncidentOpen::cas},
                                  std::pair{"severity", &IncidentOpen::severity}, std::pair{"reporter", &IncidentOpen::reporter},
                                  std::pair{"description", &IncidentOpen::description}, std::pair{"zone_model", &IncidentOpen::zone_model},
                                  std::pair{"zone_inputs", &IncidentOpen::zone_inputs}, std::pair{"id", &IncidentOpen::id}})
            r.*field = f.text(key, false);
        c.op = IncidentOpenCommand{std::move(r)};
    } else if (op == "incident_update") {
        c.op = IncidentUpdateCommand{edit_request(f, std::string(k_incidents_kind))};
    } else if (op == "incident_close") {
        c.op = IncidentCloseCommand{f.text("incident"), f.integer("expect_version")};
    } else if (op == "dispatch_assign") {
        AssignCommand a;
        a.incident = f.text("incident");
        a.teams = f.words("teams");
        if (a.teams.empty()) throw UsageError(tr("edit command \"dispatch_assign\": \"teams\" is empty"));
        a.etas_seen = f.seconds_by_team("etas_seen");
        a.etas_at = f.point("etas_at");
        c.op = std::move(a);
    } else if (op == "dispatch_depart" || op == "dispatch_arrive" || op == "dispatch_release") {
        DispatchStepCommand d;
        d.step = op == "dispatch_depart"   ? DispatchStepCommand::Step::Depart
                 : op == "dispatch_arrive" ? DispatchStepCommand::Step::Arrive
                                           : DispatchStepCommand::Step::Release;
        d.incident = f.text("incident");
        d.team = f.text("team");
        if (d.step == DispatchStepCommand::Step::Release)
            if (auto s = f.text("status", false); !s.empty()) d.status = s;
        c.op = std::move(d);
    } else if (op == "stock_issue" || op == "stock_receive") {
        StockMove m;
        m.issue = op == "stock_issue";
        m.warehouse = f.text("warehouse");
        m.item = f.text("item");
        m.quantity = f.required_number("quantity");
        m.unit = f.text("unit", false);
        m.incident = f.text("incident", false);
        m.expect_version = f.integer("expect_version");
        c.op = StockCommand{std::move(m)};
    } else if (op == "undo") {
        auto seq = f.integer("seq");
        if (!seq) throw UsageError(tr("edit command \"undo\": \"seq\" is missing"));
        c.op = UndoCommand{*seq};
    } else if (op == "edit") {
        c.op = RecordEditCommand{edit_request(f, f.text("layer"))};
    } else {
        // i18n: not shown: the operations' codes, as typed
        const char* ops = "team_status, incident_open, incident_update, incident_close, dispatch_assign, dispatch_depart, "
                          "dispatch_arrive, dispatch_release, stock_issue, stock_receive, undo, edit"; // i18n: not shown: codes
        throw UsageError(trf("edit command: unknown op \"{}\" ({})", op, ops));
    }
    f.done();
    return c;
}

nlohmann::ordered_json to_json(const EditCommand& command) {
    nlohmann::ordered_json j;
    j["op"] = operation_of(command);
    auto put_request = [&j](const EditRequest& r, bool with_layer) {
        if (with_layer) j["layer"] = r.layer;
        j["id"] = r.id;
        nlohmann::ordered_json values = nlohmann::ordered_json::object();
        for (const auto& [k, v] : r.values) values[k] = v;
        j["values"] = values;
        j["expect_version"] = optional_json(r.expect_version);
        if (!r.incident.empty()) j["incident"] = r.incident;
    };
    std::visit(
        [&](const auto& x) {
            using T = std::decay_t<decltype(x)>;
            if constexpr (std::is_same_v<T, TeamStatusCommand>) {
                j["team"] = x.team;
                j["status"] = x.status;
                j["expect_version"] = optional_json(x.expect_version);
                if (x.shown) j["shown"] = *x.shown;
            } else if constexpr (std::is_same_v<T, IncidentOpenCommand>) {
                const auto& r = x.request;
                j["at"] = {r.at.x, r.at.y};
                j["type"] = r.type;
                for (auto [key, value] :
                     {std::pair{"title", &r.title}, std::pair{"material", &r.material}, std::pair{"un_number", &r.un_number},
                      std::pair{"cas", &r.cas}, std::pair{"severity", &r.severity}, std::pair{"reporter", &r.reporter},
                      std::pair{"description", &r.description}, std::pair{"zone_model", &r.zone_model},
                      std::pair{"zone_inputs", &r.zone_inputs}, std::pair{"id", &r.id}})
                    if (!value->empty()) j[key] = *value;
            } else if constexpr (std::is_same_v<T, IncidentUpdateCommand>) {
                put_request(x.request, false);
            } else if constexpr (std::is_same_v<T, IncidentCloseCommand>) {
                j["incident"] = x.incident;
                j["expect_version"] = optional_json(x.expect_version);
            } else if constexpr (std::is_same_v<T, AssignCommand>) {
                j["incident"] = x.incident;
                j["teams"] = x.teams;
                nlohmann::ordered_json etas = nlohmann::ordered_json::object();
                for (const auto& [team, s] : x.etas_seen) etas[team] = s;
                j["etas_seen"] = etas;
                if (x.etas_at) j["etas_at"] = {x.etas_at->x, x.etas_at->y};
            } else if constexpr (std::is_same_v<T, DispatchStepCommand>) {
                j["incident"] = x.incident;
                j["team"] = x.team;
                if (x.step == DispatchStepCommand::Step::Release) j["status"] = x.status;
            } else if constexpr (std::is_same_v<T, StockCommand>) {
                const auto& m = x.request;
                j["warehouse"] = m.warehouse;
                j["item"] = m.item;
                j["quantity"] = m.quantity;
                if (!m.unit.empty()) j["unit"] = m.unit;
                if (!m.incident.empty()) j["incident"] = m.incident;
                j["expect_version"] = optional_json(m.expect_version);
            } else if constexpr (std::is_same_v<T, UndoCommand>) {
                j["seq"] = x.seq;
            } else {
                put_request(x.request, true);
            }
        },
        command.op);
    if (!command.reason.empty()) j["reason"] = command.reason;
    return j;
}

std::string_view operation_of(const EditCommand& command) {
    return std::visit([](const auto& x) { return op_name(x); }, command.op);
}

std::string command_label(const EditCommand& command) {
    return std::visit(
        [](const auto& x) -> std::string {
            using T = std::decay_t<decltype(x)>;
            if constexpr (std::is_same_v<T, TeamStatusCommand>) return trc("edit command", "team status");
            else if constexpr (std::is_same_v<T, IncidentOpenCommand>) return trc("edit command", "open incident");
            else if constexpr (std::is_same_v<T, IncidentUpdateCommand>) return trc("edit command", "update incident");
            else if constexpr (std::is_same_v<T, IncidentCloseCommand>) return trc("edit command", "close incident");
            else if constexpr (std::is_same_v<T, AssignCommand>) return trc("edit command", "assign teams");
            else if constexpr (std::is_same_v<T, DispatchStepCommand>)
                return x.step == DispatchStepCommand::Step::Depart   ? trc("edit command", "team departed")
                       : x.step == DispatchStepCommand::Step::Arrive ? trc("edit command", "team arrived")
                                                                     : trc("edit command", "team released");
            else if constexpr (std::is_same_v<T, StockCommand>)
                return x.request.issue ? trc("edit command", "stock issued") : trc("edit command", "stock received");
            else if constexpr (std::is_same_v<T, UndoCommand>) return trc("edit command", "undo");
            else return trc("edit command", "edit record");
        },
        command.op);
}

Role role_needed(const EditCommand& command) {
    // Undo and the generic edit reach any field of any record, the audit's own corrections
    // included: the duty officer's, not every dispatcher's.
    if (std::holds_alternative<UndoCommand>(command.op) || std::holds_alternative<RecordEditCommand>(command.op)) return Role::DutyOfficer;
    return Role::Dispatcher;
}

AssignmentEtas etas_seen_at(const AssignCommand& assign, geo::Coord incident_at) {
    const auto& seen_at = assign.etas_at;
    const bool same_place = seen_at && std::abs(seen_at->x - incident_at.x) < 1e-5 && std::abs(seen_at->y - incident_at.y) < 1e-5;
    AssignmentEtas out;
    if (same_place) {
        std::string missing;
        for (const auto& team : assign.teams) {
            if (auto it = assign.etas_seen.find(team); it != assign.etas_seen.end()) out.eta_s[team] = it->second;
            else missing += (missing.empty() ? "" : ", ") + team;
        }
        if (!missing.empty()) out.note = trf("no ETA on screen for teams unreachable or not listed: {}", missing);
        return out;
    }
    out.note =
        seen_at ? tr("the dispatch answer on screen was not asked at this incident: no ETA") : tr("no dispatch answer was given: no ETA");
    return out;
}

EditResult run_edit(EditStore& store, const EditCommand& command, const EditContext& context) {
    EditContext ctx = context;
    if (ctx.reason.empty()) ctx.reason = command.reason;
    return std::visit(
        [&](const auto& x) -> EditResult {
            using T = std::decay_t<decltype(x)>;
            if constexpr (std::is_same_v<T, TeamStatusCommand>) {
                auto expect = x.expect_version;
                // What the editor showed decides the version it saw: refused if the team moved on.
                if (!expect && x.shown) expect = version_seen(store, std::string(k_teams_kind), x.team, "status", *x.shown);
                return set_team_status(store, x.team, x.status, expect, ctx);
            } else if constexpr (std::is_same_v<T, IncidentOpenCommand>) {
                return open_incident(store, x.request, ctx);
            } else if constexpr (std::is_same_v<T, IncidentUpdateCommand>) {
                return update_incident(store, x.request, ctx);
            } else if constexpr (std::is_same_v<T, IncidentCloseCommand>) {
                return close_incident(store, x.incident, x.expect_version, ctx);
            } else if constexpr (std::is_same_v<T, AssignCommand>) {
                DispatchAssign request;
                request.incident = x.incident;
                request.teams = x.teams;
                request.etas = [x](geo::Coord at, const std::vector<std::string>&) { return etas_seen_at(x, at); };
                return assign_teams(store, request, ctx);
            } else if constexpr (std::is_same_v<T, DispatchStepCommand>) {
                switch (x.step) {
                case DispatchStepCommand::Step::Depart: return depart(store, x.incident, x.team, ctx);
                case DispatchStepCommand::Step::Arrive: return arrive(store, x.incident, x.team, ctx);
                case DispatchStepCommand::Step::Release: break;
                }
                return release(store, x.incident, x.team, x.status, ctx);
            } else if constexpr (std::is_same_v<T, StockCommand>) {
                return move_stock(store, x.request, ctx);
            } else if constexpr (std::is_same_v<T, UndoCommand>) {
                return undo(store, x.seq, ctx);
            } else {
                return edit_record(store, x.request, ctx);
            }
        },
        command.op);
}

namespace {

std::optional<std::string> optional_text(const Json& j, const char* key) {
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) return std::nullopt;
    return it->get<std::string>();
}

} // namespace

EditResult edit_result_from_json(const nlohmann::json& j) {
    try {
        EditResult r;
        r.operation = j.at("operation").get<std::string>();
        r.change_id = j.at("change_id").get<std::string>();
        r.at = j.at("at").get<std::string>();
        r.incident = optional_text(j, "incident").value_or("");
        for (const auto& x : j.at("records")) {
            RecordChange rc;
            rc.layer = x.at("layer").get<std::string>();
            rc.id = x.at("id").get<std::string>();
            rc.version = x.at("version").get<std::int64_t>();
            rc.inserted = x.at("inserted").get<bool>();
            for (const auto& f : x.at("fields")) {
                FieldChange fc;
                fc.field = f.at("field").get<std::string>();
                fc.before = optional_text(f, "before");
                fc.after = optional_text(f, "after");
                fc.before_text = f.at("before_text").get<std::string>();
                fc.after_text = f.at("after_text").get<std::string>();
                fc.audit_seq = f.at("audit_seq").get<std::int64_t>();
                rc.fields.push_back(std::move(fc));
            }
            r.records.push_back(std::move(rc));
        }
        r.notes = j.at("notes").get<std::vector<std::string>>();
        return r;
    } catch (const nlohmann::json::exception& e) {
        throw FormatError(trf("an edit's answer is not an edit result: {}", e.what()));
    }
}

Conflict conflict_from_json(const nlohmann::json& j) {
    try {
        Conflict c;
        c.layer = j.at("layer").get<std::string>();
        c.record_id = j.at("id").get<std::string>();
        c.field = j.at("field").get<std::string>();
        c.seen_version = j.at("seen_version").get<std::int64_t>();
        c.current_version = j.at("current_version").get<std::int64_t>();
        c.other_user = j.at("other_user").get<std::string>();
        c.other_seat = j.at("other_seat").get<std::string>();
        c.other_at = j.at("other_at").get<std::string>();
        c.theirs = j.at("theirs").get<std::string>();
        c.yours = j.at("yours").get<std::string>();
        return c;
    } catch (const nlohmann::json::exception& e) {
        throw FormatError(trf("a refusal is not a stale-version conflict: {}", e.what()));
    }
}

IncidentLog incident_log_from_json(const nlohmann::json& j) {
    try {
        IncidentLog log;
        log.incident = j.at("incident").get<std::string>();
        for (const auto& e : j.at("events")) {
            LogEvent ev;
            ev.seq = e.at("seq").get<std::int64_t>();
            ev.at = e.at("at").get<std::string>();
            ev.what = e.at("event").get<std::string>();
            ev.user = e.at("user").get<std::string>();
            ev.seat = e.at("seat").get<std::string>();
            ev.layer = e.at("layer").get<std::string>();
            ev.record_id = e.at("id").get<std::string>();
            ev.text = e.at("text").get<std::string>();
            log.events.push_back(std::move(ev));
        }
        return log;
    } catch (const nlohmann::json::exception& e) {
        throw FormatError(trf("an incident log's answer is not a log: {}", e.what()));
    }
}

std::vector<AuditEntry> audit_entries_from_json(const nlohmann::json& j) {
    try {
        std::vector<AuditEntry> out;
        for (const auto& x : j) {
            AuditEntry e;
            e.seq = x.at("seq").get<std::int64_t>();
            e.at = x.at("at").get<std::string>();
            e.user = x.at("user").get<std::string>();
            e.seat = x.at("seat").get<std::string>();
            e.layer = x.at("layer").get<std::string>();
            e.record_id = x.at("id").get<std::string>();
            e.field = optional_text(x, "field");
            e.before = optional_text(x, "before");
            e.after = optional_text(x, "after");
            e.action = x.at("action").get<std::string>();
            e.reason = x.at("reason").get<std::string>();
            e.change_id = x.at("change_id").get<std::string>();
            e.version = x.at("version").get<std::int64_t>();
            e.incident = optional_text(x, "incident").value_or("");
            out.push_back(std::move(e));
        }
        return out;
    } catch (const nlohmann::json::exception& e) {
        throw FormatError(trf("the audit's answer is not a list of audit rows: {}", e.what()));
    }
}

} // namespace vigil::app
