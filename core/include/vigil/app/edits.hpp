/// @file
/// Live operations: the edits dispatchers make to the project — incidents opened, updated and
/// closed, teams assigned, arrived and released, a team's status, warehouse stock issued and
/// received, undo — written once for every shell (the CLI now; the viewers and the browser later).
///
/// Every operation is ONE transaction on an EditStore (the project database; core/native's
/// native::SpatialiteEditStore): it reads the records it changes, validates every new value by the
/// catalogue's field rules (enum values by code or Chinese label, dates, numbers, checks), and
/// writes, together,
///   - the records, each with its version bumped once,
///   - one vigil_audit row per changed field (who, from which seat, when, before, after, why;
///     the operation's change_id; the incident it served),
///   - one vigil_changes row per changed record (what viewers poll),
/// or nothing at all. Never last-writer-wins: a request that names the version its editor saw
/// (EditRequest::expect_version) is refused when the record has moved on since, naming the
/// field, the other editor, the time and both values (EditConflict); a request without one is
/// applied to the record as it is inside the transaction (so no update is lost either).
#pragma once

#include <vigil/catalog/catalog.hpp>
#include <vigil/geo/geometry.hpp>
#include <vigil/model/value.hpp>
#include <vigil/util/error.hpp>

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace vigil::routing {
class RoadGraph;
} // namespace vigil::routing

namespace vigil::app {

class LayerSet;

/// Who edits, and from where (stored in every audit row).
struct Editor {
    std::string user; ///< the dispatcher ($USER in the CLI, the signed-in user in the browser)
    std::string seat; ///< the workstation (the host name) or browser session
};

/// One stored record as the edit service reads it.
struct StoredRecord {
    std::int64_t fid = 0;
    std::int64_t version = 1;
    std::vector<model::Value> values; ///< in the kind's field order
    std::optional<geo::Coord> point;  ///< a point record's position
};

/// One vigil_audit row.
struct AuditEntry {
    std::int64_t seq = 0; ///< 0 until appended
    std::string at, user, seat, layer, record_id;
    std::optional<std::string> field, before, after; ///< stored values as text; none = NULL
    std::string action;                              ///< insert, edit, undo
    std::string reason, change_id;
    std::int64_t version = 0; ///< the record's version after the edit
    std::string incident;     ///< the incident the operation served ("" = none)
};

/// Which audit rows to read (the first criterion given).
struct AuditQuery {
    std::optional<std::int64_t> seq; ///< one entry
    std::string layer, record_id;    ///< one record's entries
    std::string incident;            ///< everything done for an incident (its own entries too)
    std::string after_at;            ///< every entry later than this time (UTC ISO 8601, as stored): replay
    /// With layer and record_id: only the entries after the record's version N (version > N). A
    /// stale edit's check reads just what changed since its editor looked, not the record's whole
    /// history (which grows with every edit: ~2,700 rows per team made a refusal take 15 ms, p99
    /// 114 ms, in bench/edit_concurrency.py). A record's versions grow with seq, so a store may
    /// read newest first and stop at the first entry at or below N.
    std::optional<std::int64_t> after_version;
};

/// The store operations the edit service needs; the native adapter implements them over the
/// SpatiaLite project (a point insert needs SpatiaLite's geometry blob and R*Tree triggers),
/// a test may implement them in memory. Every call between begin() and commit() is one
/// transaction; begin() takes the write lock at once (BEGIN IMMEDIATE).
class EditStore {
public:
    virtual ~EditStore() = default;
    /// The catalogue definition of `layer` (kind or alias).
    /// @throws vigil::UsageError naming the layers there are.
    virtual std::shared_ptr<const catalog::LayerKind> kind(std::string_view layer) const = 0;
    virtual void begin() = 0;
    virtual void commit() = 0;
    virtual void rollback() = 0;
    /// The current time, UTC ISO 8601 with milliseconds.
    virtual std::string now() const = 0;
    virtual std::optional<StoredRecord> find(const catalog::LayerKind& kind, std::string_view id) const = 0;
    /// The records whose `field` holds `value` exactly, in fid order.
    virtual std::vector<StoredRecord> find_where(const catalog::LayerKind& kind, std::string_view field, std::string_view value) const = 0;
    /// The ids of `kind` that start with `prefix`.
    virtual std::vector<std::string> ids_with_prefix(const catalog::LayerKind& kind, std::string_view prefix) const = 0;
    /// Sets the fields (by index) of the record at `fid`, its version and updated_at.
    virtual void update(const catalog::LayerKind& kind, std::int64_t fid, const std::vector<std::pair<std::size_t, model::Value>>& values,
                        std::int64_t version, const std::string& at) = 0;
    /// Inserts a point record (version 1).
    virtual void insert(const catalog::LayerKind& kind, const std::vector<model::Value>& values, geo::Coord point,
                        const std::string& at) = 0;
    /// Appends to vigil_audit; returns the entry's seq.
    virtual std::int64_t append_audit(const AuditEntry& entry) = 0;
    /// Appends to vigil_changes.
    virtual void append_change(const std::string& layer, const std::string& record_id, const std::string& action,
                               const std::string& at) = 0;
    /// Audit rows by `query`, in seq order.
    virtual std::vector<AuditEntry> audit(const AuditQuery& query) const = 0;
};

/// A stale edit refused: the record moved on since its editor read it.
struct Conflict {
    std::string layer, record_id, field;
    std::int64_t seen_version = 0, current_version = 0;
    std::string other_user, other_seat, other_at; ///< who changed it since, and when (the latest such change)
    std::string theirs, yours;                    ///< the stored value now, and the one refused (display text)
};

/// Thrown by the service for a stale version; what() is the message, Chinese then English.
class EditConflict : public Error {
public:
    explicit EditConflict(Conflict c);
    const Conflict& conflict() const { return m_conflict; }

private:
    Conflict m_conflict;
};

/// What every operation takes besides its own arguments.
struct EditContext {
    Editor editor;
    std::string reason; ///< why (free text, stored with every audit row; "" = none given)
};

/// One field an operation changed.
struct FieldChange {
    std::string field;
    std::optional<std::string> before, after; ///< stored values as text
    std::string before_text, after_text;      ///< as people read them (enum labels)
    std::int64_t audit_seq = 0;
};

/// One record an operation changed (or inserted).
struct RecordChange {
    std::string layer, id;
    std::int64_t version = 0; ///< after the operation
    bool inserted = false;
    std::vector<FieldChange> fields;
};

/// What an operation did: every record, field and audit seq, in order.
struct EditResult {
    std::string operation; ///< "edit", "incident_open", "dispatch_assign", … (the JSON's "operation")
    std::string change_id; ///< shared by its audit rows
    std::string at;
    std::string incident; ///< the incident it served ("" = none)
    std::vector<RecordChange> records;
    std::vector<std::string> notes; ///< what was assumed (no road graph: no ETA, and why)
    /// The audit seqs of the operation, ascending.
    std::vector<std::int64_t> audit_seqs() const;
    /// The record change of `layer`/`id`, or null.
    const RecordChange* record(std::string_view layer, std::string_view id) const;
};

// [generic edit] -------------------------------------------------------------------------------

struct EditRequest {
    std::string layer, id;
    std::vector<std::pair<std::string, std::string>> values; ///< field -> new value as text ("" = empty)
    std::optional<std::int64_t> expect_version;              ///< the version the editor saw
    std::string incident;                                    ///< the incident it serves, if any
};

/// Sets fields of one record.
/// @throws vigil::UsageError naming layer, record and field for an unknown record or field, the
///         id field, or a value the field's rules refuse; EditConflict for a stale version.
EditResult edit_record(EditStore& store, const EditRequest& request, const EditContext& ctx);

// [incidents] ----------------------------------------------------------------------------------

constexpr std::string_view k_incidents_kind = "incidents";
constexpr std::string_view k_dispatches_kind = "dispatches";
constexpr std::string_view k_teams_kind = "rescue_teams";
constexpr std::string_view k_warehouses_kind = "warehouses";

struct IncidentOpen {
    geo::Coord at{};  ///< WGS84
    std::string type; ///< code or label: hazmat_leak / 危化品泄漏 …
    std::string title, material, un_number, cas, severity, reporter, description, zone_model, zone_inputs;
    std::string id; ///< "" = INC-YYYYMMDD-NNN
};

/// Opens an incident (status 接报 reported, reported_at now).
EditResult open_incident(EditStore& store, const IncidentOpen& request, const EditContext& ctx);

/// Updates an incident's fields (as edit_record); status 处置中 sets opened_at, 结束 closed_at.
EditResult update_incident(EditStore& store, EditRequest request, const EditContext& ctx);

/// Closes an incident (status 结束, closed_at now).
/// @throws vigil::UsageError when it is closed already, or teams assigned to it have not been
///         released (naming them): a closed incident with a team still out would hide the team.
EditResult close_incident(EditStore& store, const std::string& incident_id, std::optional<std::int64_t> expect_version,
                          const EditContext& ctx);

// [dispatch] -----------------------------------------------------------------------------------

/// ETAs at assignment, computed by the caller from the road graph (assignment_etas()).
struct AssignmentEtas {
    std::map<std::string, double> eta_s; ///< team id -> seconds (absent: none)
    std::string note;                    ///< why there are none ("" when computed)
};

/// Computes the ETAs of `teams` to the incident at `at` (the CLI: assignment_etas() over the
/// project's road graph). Called before the transaction starts, so that routing never holds the
/// write lock.
using EtaSource = std::function<AssignmentEtas(geo::Coord at, const std::vector<std::string>& teams)>;

struct DispatchAssign {
    std::string incident;
    std::vector<std::string> teams;
    EtaSource etas; ///< none: no ETA, and the result says why
};

/// Assigns teams to an incident: a dispatch record each (at the incident's point, ETA when
/// known), each team's status 出动 deployed, and a reported incident becomes 处置中 active.
/// @throws vigil::UsageError for a closed incident, an unknown team, or a team that is not
///         待命 available (naming its status and, when deployed, the incident it serves).
EditResult assign_teams(EditStore& store, const DispatchAssign& request, const EditContext& ctx);

/// A stored value as the audit keeps it: its text, none for NULL.
std::optional<std::string> audit_text(const model::Value& v);
/// A stored value as people read it in edits' answers (enum labels in Chinese; "(空 empty)").
std::string display_text(const catalog::Field& f, const model::Value& v);

/// A stored value back from its audit text (`before`/`after`: the column's value as text, none for
/// NULL), typed by the field: what undo and replay put back.
model::Value value_of_audit_text(const catalog::Field& f, const std::optional<std::string>& t);

/// The version of a record that an editor showing `field` as `shown` (a stored value, as text) saw,
/// for editors that hold records without their versions (the viewers' layers): the record's own
/// version while the stored value is still `shown`; else the version of the last audited change
/// that set it to `shown`, or 0 when none did. An edit made with it as expect_version is then
/// refused as stale whenever the record moved on under the editor (EditConflict: both values and
/// the other editor), never applied over a value the editor did not see.
/// @throws vigil::UsageError for an unknown layer, field or record.
std::int64_t version_seen(const EditStore& store, const std::string& layer, const std::string& id, const std::string& field,
                          const std::string& shown);

/// The team assigned to the incident set out (departed_at now). Refused when it departed or
/// arrived already (an arrival without a departure keeps departed_at empty: unknown, not guessed).
EditResult depart(EditStore& store, const std::string& incident, const std::string& team, const EditContext& ctx);
/// The team's dispatch to the incident arrived (arrived_at now).
EditResult arrive(EditStore& store, const std::string& incident, const std::string& team, const EditContext& ctx);

/// The team is released from the incident (returned_at now; its status back to `status`:
/// available or resting).
EditResult release(EditStore& store, const std::string& incident, const std::string& team, const std::string& status,
                   const EditContext& ctx);

/// Sets a team's status (待命/出动/休整/维修 or their codes).
EditResult set_team_status(EditStore& store, const std::string& team, const std::string& status, std::optional<std::int64_t> expect_version,
                           const EditContext& ctx);

// [stock] --------------------------------------------------------------------------------------

struct StockMove {
    std::string warehouse, item;
    double quantity = 0; ///< > 0
    bool issue = true;   ///< 出库 issue (subtracts), else 入库 receive (adds)
    std::string unit;    ///< receive of a new item: its unit
    std::string incident;
    std::optional<std::int64_t> expect_version;
};

/// Issues or receives stock at a warehouse (its stock list field).
/// @throws vigil::UsageError when an issue would take a line below zero (naming the stock), for
///         an unknown item on issue (listing the warehouse's items) or a quantity that is not > 0.
EditResult move_stock(EditStore& store, const StockMove& request, const EditContext& ctx);

// [history and undo] ---------------------------------------------------------------------------

/// A record's audit entries, oldest first (empty when it was never edited).
std::vector<AuditEntry> record_history(const EditStore& store, const std::string& layer, const std::string& id);

/// Undoes one audited field change (itself an audited edit, action 'undo').
/// @throws vigil::UsageError for an unknown seq or an insert; EditConflict when the field
///         changed since the entry (naming who changed it).
EditResult undo(EditStore& store, std::int64_t seq, const EditContext& ctx);

// [incident log] -------------------------------------------------------------------------------

/// One line of an incident's log.
struct LogEvent {
    std::string at,
        what; ///< what: opened, updated, assigned, departed, arrived, released, stock_issued, stock_received, closed, undo, edit
    std::string user, seat, layer, record_id, text; ///< text: a sentence, Chinese then English
    std::int64_t seq = 0;
};

struct IncidentLog {
    std::string incident;
    std::vector<LogEvent> events; ///< by audit seq
};

/// The incident's timeline from the audit table.
/// @throws vigil::UsageError for an unknown incident.
IncidentLog incident_log(const EditStore& store, const std::string& incident);

// [ETA] ----------------------------------------------------------------------------------------

/// The teams' ETAs (turnout + travel, as the dispatch ranking computes them: rank_teams over the
/// rescue_teams layer of `layers`) to `at`; an unreachable or unknown team gets none, and the note
/// says so.
AssignmentEtas assignment_etas(const LayerSet& layers, const routing::RoadGraph& graph, geo::Coord at,
                               const std::vector<std::string>& teams);

// JSON (docs/json.md, "Edits") ----------------------------------------------------------------

nlohmann::ordered_json to_json(const EditResult& r);
nlohmann::ordered_json to_json(const Conflict& c);
nlohmann::ordered_json to_json(const AuditEntry& e);
nlohmann::ordered_json to_json(const IncidentLog& log);
/// {"layer", "id", "entries": [...]}.
nlohmann::ordered_json history_json(const std::string& layer, const std::string& id, const std::vector<AuditEntry>& entries);

} // namespace vigil::app
