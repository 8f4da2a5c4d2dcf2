/// @file
/// One edit as data: what a page posts to `vigil serve` (POST /api/edits) and what the viewers'
/// edit desk runs. Parsing, the role an edit needs and the call of the edit service live here
/// once, so an edit means the same whether it comes from the native viewer, a browser or a
/// script (docs/json.md, "Edit commands"; docs/editing.md, "Roles").
#pragma once

#include <vigil/app/edits.hpp>

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace vigil::app {

/// Who may edit what. Each role may do what the ones before it may.
enum class Role {
    Viewer,      ///< 查看员: reads, never writes
    Dispatcher,  ///< 调度员: incidents, dispatches, team status, stock
    DutyOfficer, ///< 值班员 (duty officer): also undo and any field of any record
};
/// "viewer", "dispatcher", "duty_officer".
std::string_view role_code(Role role);
/// "调度员 dispatcher".
std::string role_label(Role role);
/// By code or Chinese name (查看员 / 调度员 / 值班员); none for anything else.
std::optional<Role> parse_role(std::string_view text);

/// A team's status (Inspector). The editor names what it saw: the record's version, or the
/// status value it showed (`shown`, a stored value as text: version_seen() finds its version).
struct TeamStatusCommand {
    std::string team, status;
    std::optional<std::int64_t> expect_version;
    std::optional<std::string> shown;
};
struct IncidentOpenCommand {
    IncidentOpen request;
};
struct IncidentUpdateCommand {
    EditRequest request; ///< layer is incidents
};
struct IncidentCloseCommand {
    std::string incident;
    std::optional<std::int64_t> expect_version;
};
/// Teams assigned to an incident, with the ETAs its editor saw on screen at `etas_at` (the
/// dispatch answer's point): recorded only when that is the incident's point, else none, and
/// the result says why. The server never routes for an edit: what is stored is what the
/// dispatcher decided on.
struct AssignCommand {
    std::string incident;
    std::vector<std::string> teams;
    std::map<std::string, double> etas_seen; ///< team -> seconds
    std::optional<geo::Coord> etas_at;
};
struct DispatchStepCommand {
    enum class Step { Depart, Arrive, Release };
    Step step = Step::Arrive;
    std::string incident, team;
    std::string status = "available"; ///< Release: the team's status afterwards
};
struct StockCommand {
    StockMove request;
};
struct UndoCommand {
    std::int64_t seq = 0;
};
struct RecordEditCommand {
    EditRequest request;
};

struct EditCommand {
    std::variant<TeamStatusCommand, IncidentOpenCommand, IncidentUpdateCommand, IncidentCloseCommand, AssignCommand, DispatchStepCommand,
                 StockCommand, UndoCommand, RecordEditCommand>
        op;
    std::string reason; ///< why (stored with every audit row; "" = none given)
};

/// Reads a command: {"op": "team_status" | "incident_open" | "incident_update" | "incident_close" |
/// "dispatch_assign" | "dispatch_depart" | "dispatch_arrive" | "dispatch_release" | "stock_issue" |
/// "stock_receive" | "undo" | "edit", ...its fields, "reason"?}.
/// @throws vigil::UsageError naming the op and the field that is missing or of the wrong type.
EditCommand parse_edit_command(const nlohmann::json& json);
/// The command as parse_edit_command() reads it.
nlohmann::ordered_json to_json(const EditCommand& command);

/// The op's name in the JSON ("team_status", …).
std::string_view operation_of(const EditCommand& command);
/// What a status line calls it: "队伍状态 team status".
std::string command_label(const EditCommand& command);
/// The least role that may run it.
Role role_needed(const EditCommand& command);
inline bool may_run(Role role, const EditCommand& command) { return role >= role_needed(command); }

/// Runs the command on `store` as one transaction of the edit service (edits.hpp); the command's
/// reason is used where `ctx` has none. Throws what the service throws.
EditResult run_edit(EditStore& store, const EditCommand& command, const EditContext& ctx);

/// The ETAs of `assign` as the service takes them: those seen at the incident's own point.
AssignmentEtas etas_seen_at(const AssignCommand& assign, geo::Coord incident_at);

/// An edit's answer back from its JSON (to_json(EditResult)), for shells that sent the command
/// elsewhere (the browser's desk). @throws vigil::FormatError for JSON of another shape.
EditResult edit_result_from_json(const nlohmann::json& json);
/// A refusal for a stale version back from its JSON (to_json(Conflict)).
Conflict conflict_from_json(const nlohmann::json& json);
/// An incident's log back from its JSON (to_json(IncidentLog)).
IncidentLog incident_log_from_json(const nlohmann::json& json);
/// Audit rows back from their JSON (an array of to_json(AuditEntry)): what the browser replays.
std::vector<AuditEntry> audit_entries_from_json(const nlohmann::json& json);

} // namespace vigil::app
