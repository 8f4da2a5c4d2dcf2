/// @file
/// 四色 (four-colour) enterprise risk for 双重预防 (安委办〔2016〕11号): 重大 red, 较大 orange, 一般
/// yellow, 低 blue. An enterprise's colour is its record's risk_level when it has one (the
/// bureau's official grading), otherwise computed from scores the record carries: LEC
/// (Graham–Kinney, D = L·E·C) or the L×S risk matrix, with configurable thresholds because there
/// is no single national set (see docs/hazard.md). Then grid-management statistics per county:
/// enterprises by colour, hazard sources by GB 18218 grade, open and overdue hidden hazards.
#pragma once

#include <vigil/model/layer.hpp>

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::hazard {

enum class RiskColour { Red = 0, Orange = 1, Yellow = 2, Blue = 3 };

/// "red", "orange", "yellow", "blue" (the catalogue's canonical risk_level values).
std::string_view colour_value(RiskColour c);
/// The colour's label in the user's language: "major risk (red)" … "low risk (blue)" (重大风险（红）
/// … 低风险（蓝） in Chinese).
std::string_view colour_text(RiskColour c);
/// The same always in Chinese ("重大风险（红）", ...: the catalogue's labels).
std::string_view colour_label_zh(RiskColour c);
/// The colour of a canonical value or a common synonym (红, 橙色, 较大风险, major, ...); nullopt
/// for anything else.
std::optional<RiskColour> parse_colour(std::string_view text);

/// LEC thresholds on D (domain.md §5, aqrzj.com): D > red → red, D ≥ orange → orange, D ≥ yellow
/// → yellow, else blue. Defaults 320 / 160 / 70.
struct LecThresholds {
    double red = 320, orange = 160, yellow = 70;
};
/// Risk-matrix thresholds on R = L·S (each 1–5): R ≥ red → red, ≥ orange → orange, ≥ yellow →
/// yellow, else blue. Defaults 20 / 15 / 9 (the first common variant; the second is 20 / 10 / 4).
struct MatrixThresholds {
    double red = 20, orange = 15, yellow = 9;
};

/// Throws UsageError unless thresholds are finite and red > orange > yellow > 0.
void validate(const LecThresholds& t);
void validate(const MatrixThresholds& t);

/// D = L·E·C and its colour. Throws UsageError for a non-positive or non-finite score.
RiskColour lec_colour(double l, double e, double c, const LecThresholds& t = {});
/// R = L·S and its colour. Throws UsageError unless L and S are in [1, 5].
RiskColour matrix_colour(double l, double s, const MatrixThresholds& t = {});

/// Where a colour came from.
enum class ColourBasis { Record, Lec, Matrix, None };
std::string_view basis_value(ColourBasis b);

struct ColourRules {
    LecThresholds lec;
    MatrixThresholds matrix;
};

struct EnterpriseColour {
    std::optional<RiskColour> colour; ///< nullopt when the record has neither a level nor scores
    ColourBasis basis = ColourBasis::None;
};

/// The colour of enterprise `row`: its risk_level field; else LEC from the numbers L, E, C (or
/// lec_l, lec_e, lec_c) in its fields or its extra (unmapped source) columns; else the matrix
/// from L and S. Throws FormatError naming the record and the field for a score that is not a
/// number or out of range (a bad score is not silently ignored).
EnterpriseColour enterprise_colour(const model::Layer& enterprises, std::size_t row, const ColourRules& rules = {});

/// One group's grid-management figures: a county's, or a grid's (app::stats_by_grid).
struct CountyStats {
    std::string county; ///< name ("(no county)", in the user's language, for records that could not be placed)
    std::string code;   ///< the admin area id (adcode) where known
    std::size_t enterprises = 0;
    std::array<std::size_t, 4> by_colour{}; ///< indexed by RiskColour
    std::size_t uncoloured = 0;
    std::size_t by_lec = 0, by_matrix = 0; ///< how many colours were computed rather than recorded
    std::size_t hazard_sources = 0;
    std::array<std::size_t, 5> by_grade{}; ///< grade1..grade4, not_major
    std::size_t ungraded = 0;
    std::int64_t open_hazards = 0;    ///< Σ open hidden hazards (隐患) of its enterprises
    std::int64_t overdue_hazards = 0; ///< Σ overdue (超期未整改) hidden hazards
    std::size_t enterprises_with_overdue = 0;
    /// Σ open major hidden hazards (重大事故隐患): known only from hidden-hazard records (the
    /// enterprises' register types no such count), so 0 where the figures are the typed ones.
    std::int64_t open_major_hazards = 0;
};

/// The open, overdue and open major hidden hazards of each enterprise row, when they come
/// from the hidden-hazard records (app::hazard_ledger) rather than the register's typed-in
/// open_hazards and overdue_hazards.
struct HazardCounts {
    std::vector<std::int64_t> open, overdue, open_major; ///< per enterprise row
};

/// How records are put into groups: group_of gives the index in `groups` of a record,
/// adding a group when the record names one not there yet.
class Grouping {
public:
    virtual ~Grouping() = default;
    virtual std::size_t group_of(const model::Layer& layer, std::size_t row) = 0;
    std::vector<CountyStats> groups;
};

/// The counties of county_statistics: a record belongs to the county its `county` field names
/// (matched to an admin area's name or id when `admin_areas` is given); records without one
/// are placed by point-in-polygon against the county-level admin areas; the rest go to "(no
/// county)". Every county of the admin layer is a group, in the layer's order, even with
/// nothing in it; finish() puts the others after them by name.
class CountyGrouping : public Grouping {
public:
    explicit CountyGrouping(const model::Layer* admin_areas);
    std::size_t group_of(const model::Layer& layer, std::size_t row) override;
    /// Sorts the groups beyond the admin layer's counties by name and hands them out.
    std::vector<CountyStats> finish();

private:
    const model::Layer* m_admin;
    std::map<std::string, std::size_t, std::less<>> m_by_key; // name and code → index in groups
    std::vector<std::size_t> m_county_rows;                   // admin rows that are counties
    std::size_t m_known = 0;
};

/// Counts the enterprises (by colour, hidden hazards) and hazard sources (by grade) into the
/// groups `grouping` puts them in. `counts`: the enterprises' hidden hazards from the records;
/// null = their typed-in open_hazards and overdue_hazards.
/// @throws what enterprise_colour throws, and UsageError for thresholds out of order.
void tally(Grouping& grouping, const model::Layer& enterprises, const model::Layer* hazard_sources, const ColourRules& rules = {},
           const HazardCounts* counts = nullptr);

/// Statistics per county (CountyGrouping, tally).
std::vector<CountyStats> county_statistics(const model::Layer& enterprises, const model::Layer* hazard_sources,
                                           const model::Layer* admin_areas, const ColourRules& rules = {},
                                           const HazardCounts* counts = nullptr);

} // namespace vigil::hazard
