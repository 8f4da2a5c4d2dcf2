/// @file
/// The data-quality report (`vigil check`, the viewer's Data check panel, the browser's
/// `window.vigil.check`): what in the bureau's registers a county clerk should correct — two
/// enterprises with one credit code, the same name twice within 50 m, an enterprise outside the
/// county it claims, a hazard source far from its enterprise, a team dispatch cannot call, a
/// warehouse below its minimum reserve, a plan past its revision, a record nobody has touched
/// for a year, an enterprise whose typed-in hidden-hazard counts the hidden-hazard records do not
/// bear out. Each finding names the record (layer, id, name), the field and the offending
/// value, in words Chinese first.
///
/// What is expected of which field is the catalogue's (layers/*.json, docs/catalogue.md
/// "Expectations"): `expected` (a team's duty phone), `within_m` on a reference (a hazard
/// source's enterprise), `minimum_of` (a stock line's minimum), `renew_years` (a plan's revision
/// date) and the kind's `refresh_days`. The code knows only the credit code's check ("uscc"),
/// the roles name and county, and the county boundaries (admin_areas at level county), as the
/// statistics do. A check that finds nothing to look at — no such field in any layer, no
/// boundaries, no date to reckon from — is listed in the result's `skipped` with the reason,
/// never left out silently.
///
/// Cost: the same-name and county checks go through spatial indexes (the layer's own R-tree,
/// and one over each county boundary's edges), so a 100,000-record project is checked in well
/// under a second once loaded (bench figures in docs/benchmarks.md, "vigil check").
#pragma once

#include <vigil/app/layer_set.hpp>
#include <vigil/catalog/catalog.hpp>

#include <nlohmann/json_fwd.hpp>

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::app {

/// The checks, in the order the report lists them. Codes (check_code) are stable ASCII.
enum class Check {
    DuplicateUscc,    ///< duplicate_uscc: two records with one unified social credit code
    SameNameNearby,   ///< same_name_nearby: the same name again within CheckRequest::same_name_m (point layers)
    NoLocation,       ///< no_location: a record without geometry (not on the map, never found nearby)
    OutsideCounty,    ///< outside_county: the point lies outside the county its county field names
    UnknownCounty,    ///< unknown_county: the county field names no county-level admin area
    BrokenReference,  ///< broken_reference: a field naming a record of another layer that does not exist
    FarFromReference, ///< far_from_reference: farther than the field's within_m from the record it references
    MissingValue,     ///< missing_value: a field the catalogue marks `expected` is empty
    BelowMinimum,     ///< below_minimum: a quantity below the minimum beside it (a warehouse's stock line)
    PastRevision,     ///< past_revision: a date field's renew_years elapsed (an emergency plan's revision)
    StaleRecord,      ///< stale_record: not updated by any import for longer than the kind's refresh_days
    HazardCounts,     ///< hazard_counts: an enterprise's typed-in open/overdue hidden hazards differ from its hidden-hazard records
};
inline constexpr std::array<Check, 12> k_checks = {
    Check::DuplicateUscc,    Check::SameNameNearby, Check::NoLocation,   Check::OutsideCounty, Check::UnknownCounty, Check::BrokenReference,
    Check::FarFromReference, Check::MissingValue,   Check::BelowMinimum, Check::PastRevision,  Check::StaleRecord,   Check::HazardCounts};

enum class CheckSeverity {
    Error,   ///< the record is wrong as it stands (a duplicate code, a point in the wrong county)
    Warning, ///< worth a look (a likely duplicate, an old record, a missing phone the catalogue does not call essential)
};

/// "duplicate_uscc", ...
std::string_view check_code(Check c);
/// The check of a code; nullopt for an unknown one.
std::optional<Check> parse_check(std::string_view code);
/// "统一社会信用代码重复 duplicate credit codes", ...
std::string_view check_title(Check c);
/// "error", "warning".
std::string_view severity_name(CheckSeverity s);

/// The question. Every threshold has its unit and default here; the result echoes them.
struct CheckRequest {
    std::vector<Check> only; ///< the checks to run; empty = all
    /// The day staleness, revision and hidden hazards are reckoned at, YYYY-MM-DD. The service has
    /// no clock (its answers are reproducible): shells pass today (today_utc()). Empty:
    /// stale_record, past_revision and hazard_counts are skipped, and the result says so.
    std::string as_of;
    double same_name_m = 50; ///< same_name_nearby: metres (geodesic) between two records of one name
    /// outside_county: a point outside its county by no more than this is not reported (metres).
    /// County boundaries from web maps (DataV, the demo's) are simplified, and a plant on the line
    /// is in both counties' error band: a clerk should not chase those.
    double county_tolerance_m = 100;
    /// far_from_reference: overrides the catalogue's within_m of every field that has one (metres).
    std::optional<double> within_m;
    /// stale_record: overrides the refresh_days of every kind that has them (days).
    std::optional<double> stale_days;
};

/// One thing to correct.
struct CheckFinding {
    Check check = Check::DuplicateUscc;
    CheckSeverity severity = CheckSeverity::Error;
    std::string kind;                 ///< the layer ("enterprises")
    std::string id;                   ///< the record's id
    std::string name;                 ///< the record's name ("" when the kind has none)
    std::string field;                ///< the field at fault ("uscc"; "geom" for the location, "updated_at" for staleness)
    std::string value;                ///< the offending value as stored ("" when missing)
    std::string message;              ///< what is wrong, "中文 English", naming the other record(s) where two are involved
    std::vector<std::string> related; ///< ids of the other records involved (same layer, or the referenced one)
    std::size_t row = 0;              ///< the record's row in its layer (for a shell that holds the layer: the viewer)
};

/// A check that did not run (for one layer, or at all), and why.
struct CheckSkip {
    Check check = Check::DuplicateUscc;
    std::string kind;   ///< "" when the check did not run for any layer
    std::string reason; ///< "中文 English"
};

struct CheckResult {
    CheckRequest request;
    std::vector<CheckFinding> findings; ///< by check (k_checks order), then layer, then row
    std::vector<CheckSkip> skipped;     ///< by check
    std::vector<Check> ran;             ///< checks that ran on at least one layer
    std::size_t records = 0;            ///< records in the layers looked at

    std::size_t errors() const;
    std::size_t warnings() const;
    std::size_t count(Check c) const;
    bool asked(Check c) const; ///< in request.only (or all asked)
};

/// Runs the checks over `layers` (any kinds; admin_areas at level county give the boundaries).
/// @throws vigil::UsageError for a bad request (a threshold not positive, as_of not a date),
///   naming the input.
CheckResult run_checks(const CheckRequest& request, const LayerSet& layers);

/// What run_checks refuses before it looks at a record, for shells that run the checks later
/// (off the frame) and want a bad request refused at once.
/// @throws vigil::UsageError naming the input.
void validate_check_request(const CheckRequest& request);

/// The kinds of `catalogue` that run_checks looks at (those with something to check, and
/// admin_areas for the boundaries): what a shell loads.
std::vector<std::string> kinds_to_check(const catalog::Catalog& catalogue);

/// The request from JSON (docs/json.md "Check"): keys `only` (codes), `as_of`, `same_name_m`,
/// `county_tolerance_m`, `within_m`, `stale_days`. An unknown key or check code is refused.
/// @throws vigil::UsageError naming the key.
CheckRequest check_request_from_json(const nlohmann::json& j);

/// The JSON form (docs/json.md, "Check").
nlohmann::json to_json(const CheckResult& r);

/// Today's date in UTC, YYYY-MM-DD, for the shells' as_of (the service itself reads no clock).
std::string today_utc();

} // namespace vigil::app
