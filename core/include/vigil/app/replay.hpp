/// @file
/// The register as it stood at a chosen moment, from the audit table: every audited edit made
/// after it undone on copies of the layers (the layers held are never changed), so a duty officer
/// can see where the teams were at 03:00, and the difference from now. Only audited edits are
/// undone: an import after the moment is not (the answer says so).
#pragma once

#include <vigil/app/edits.hpp>
#include <vigil/app/layer_set.hpp>

#include <nlohmann/json.hpp>

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::app {

/// One field of a record then and now.
struct ReplayField {
    std::string field;
    std::optional<std::string> then, now; ///< stored values as text (none: empty)
    std::string then_text, now_text;      ///< as people read them
};

/// A record that differs between the moment and now.
struct ReplayRecord {
    std::string layer, id;
    bool absent_then = false; ///< created after the moment (an incident, a dispatch record)
    std::vector<ReplayField> fields;
};

struct Replay {
    std::string at;                                          ///< the moment, UTC ISO 8601
    std::vector<std::shared_ptr<const model::Layer>> layers; ///< the touched layers as they stood then
    std::vector<ReplayRecord> records;                       ///< what differs, by layer, then id
    std::size_t undone = 0;                                  ///< audit rows undone
    std::vector<std::string> notes;                          ///< what was assumed or could not be undone
};

/// The layers of `now` as they stood at `at` (UTC ISO 8601, as the audit stores times), undoing
/// `entries` — the audit rows later than `at` (from EditStore::audit with after_at) — newest
/// first: each field back to its `before`, a record inserted after `at` taken out. Entries of
/// layers `now` does not hold are skipped (said in notes).
Replay replay_at(const LayerSet& now, std::vector<AuditEntry> entries, const std::string& at);

/// The moment a user typed, as the audit's UTC ISO text: "2026-12-07 03:00[:SS]" or
/// "2026-12-07T03:00[:SS]" on the bureau's clock (UTC+8), or with a trailing Z already in UTC; the
/// audit's own form "2026-12-07T03:00:00.250Z" is taken as it is. A time to the second counts the
/// whole second (".999").
/// @throws vigil::UsageError naming the accepted forms.
std::string utc_of_typed_time(std::string_view typed);

/// {"at", "undone", "records": [{layer, id, absent_then, fields: [{field, then, now, then_text, now_text}]}], "notes"}.
nlohmann::ordered_json to_json(const Replay& r);

} // namespace vigil::app
