/// @file
/// The hidden-hazard ledger (隐患台账) of dual prevention (双重预防) as of a day: each record's
/// state (open, in progress, overdue, rectified) and, per enterprise, its open, overdue and
/// open major hidden hazards. The statistics (`vigil stats`, the choropleth, the browser's
/// `vigil.stats`), the data check (typed-in counts against the records) and the viewers' map
/// symbols all take them from here, so they cannot disagree.
///
/// The rules, on the safe side (unknown input counts as the worse case, and is counted so that
/// the answer can say what it assumed):
///
///     found_date after as_of ........................ not yet found: not counted
///     rectified_date on or before as_of ............. rectified
///     no rectified_date, status 已整改 ............... rectified (the clerk says so)
///     otherwise ..................................... open; overdue when
///         deadline before as_of (the deadline day itself is still in time),
///         or no deadline (一般隐患 are to be put right at once: 立即整改), or one that is no date,
///         or status 逾期未整改 as typed
///     level not general (none, or no value of the catalogue) ... major
///
/// A date that is no date (written by another tool: the import refuses those) counts as missing:
/// a found date as "already found", a rectified date as "not rectified", a deadline as "passed".
///
/// Enterprises: a record belongs to the enterprise its enterprise_id names, else (no id) to the
/// one enterprise of its enterprise_name. An enterprise the ledger holds no record of keeps its
/// typed-in counts (open_hazards, overdue_hazards): a ledger covering some enterprises (one
/// county's) must not zero the figures of the others. A record of no known enterprise is kept
/// (the statistics place it by its own location) and listed.
#pragma once

#include <vigil/app/layer_set.hpp>
#include <vigil/hazard/four_colour.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::app {

/// A record's state on the ledger's day; the values are the catalogue's status values (and
/// "not_yet_found").
enum class HazardState { NotYetFound, Open, InProgress, Overdue, Rectified };

/// "not_yet_found", "open", "in_progress", "overdue", "rectified".
std::string_view hazard_state_value(HazardState s);

struct HazardRecordState {
    HazardState state = HazardState::Open;
    bool major = false;
    bool level_assumed = false;            ///< major because the level is missing or no value of the catalogue
    bool deadline_assumed = false;         ///< overdue because the deadline is missing or no date
    std::optional<std::size_t> enterprise; ///< its row in the enterprises layer

    bool open() const { return state == HazardState::Open || state == HazardState::InProgress || state == HazardState::Overdue; }
};

struct HazardLedger {
    std::string as_of;         ///< YYYY-MM-DD
    bool from_records = false; ///< a hidden_hazards layer was there; else every count is the typed one
    /// Per enterprise row: the counts the statistics use (the records', or the typed ones of an
    /// enterprise the ledger holds nothing of). Empty when there is no enterprises layer.
    hazard::HazardCounts counts;
    std::vector<std::uint8_t> in_ledger;    ///< per enterprise row: the ledger holds a record of it
    std::vector<HazardRecordState> records; ///< per hidden_hazards row

    std::size_t counted = 0; ///< records found by as_of
    std::size_t open = 0, overdue = 0, open_major = 0, rectified = 0;
    std::size_t no_deadline = 0;                     ///< open records with no deadline (or one that is no date): counted overdue
    std::size_t unreadable_dates = 0;                ///< records with a date field holding no date
    std::size_t level_assumed = 0;                   ///< counted records without a known level: counted major
    std::size_t enterprises_typed = 0;               ///< enterprises the ledger holds nothing of whose typed counts (kept) are not 0
    std::vector<std::size_t> without_enterprise;     ///< rows of counted records of no enterprise of the layer
    std::vector<std::string> without_enterprise_ids; ///< their ids

    /// What was assumed, one sentence each ("中文 English"); empty when nothing was.
    std::vector<std::string> notes() const;
};

/// The ledger of `layers`' hidden_hazards and enterprises (either may be missing: without
/// records the counts are the typed ones, without enterprises every record is of none).
/// @param as_of YYYY-MM-DD (the service reads no clock: shells pass today, today_utc()).
/// @throws vigil::UsageError when as_of is not a date.
HazardLedger hazard_ledger(const LayerSet& layers, std::string_view as_of);

/// The typed-in count of an enterprise row's field ("open_hazards", "overdue_hazards"); nullopt
/// when the register gives none.
std::optional<std::int64_t> typed_hazard_count(const model::Layer& enterprises, std::size_t row, std::string_view field);

} // namespace vigil::app
