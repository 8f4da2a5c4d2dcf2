/// @file
/// Levels of concern for a toxic release: AEGL-3/2/1 (60 min), falling back tier by tier to
/// ERPG-3/2/1, then (tier 3 only) to the NIOSH IDLH; or the HJ 169-2018 附录H 大气毒性终点浓度
/// -1/-2, which equal PAC-3/PAC-2. Table layers/reference/toxic_endpoints.csv (26 substances,
/// embedded at build time), values in ppm unless a cell says "mg/m3", converted at 25 °C:
/// mg/m³ = ppm × MW / 24.45. Sources and confidence per row: layers/reference/SOURCES.md.
#pragma once

#include <vigil/util/error.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::hazard {

/// A substance the endpoint table does not list (a value the user gave).
class UnknownSubstance : public UsageError {
public:
    using UsageError::UsageError;
};

/// Which family of levels to use.
enum class LevelSet {
    Aegl,  ///< AEGL (60 min) -> ERPG -> IDLH, as ALOHA's default; three tiers
    Hj169, ///< HJ 169-2018 endpoint-1 (tier 3) and endpoint-2 (tier 2)
};

/// Parses "aegl" or "hj169". Throws UsageError otherwise.
LevelSet parse_level_set(std::string_view text);

/// One level of concern. Tier 3 is the most severe (life-threatening: the red zone), 1 the mildest.
struct LevelOfConcern {
    int tier = 3;
    std::string name; ///< "AEGL-3", "ERPG-2", "IDLH", "HJ169 endpoint-1"
    double mg_m3 = 0;
    std::optional<double> ppm; ///< the table's value when it is in ppm
    std::string source;        ///< e.g. "AEGL-3 (60 min), US EPA/NRC; layers/reference/toxic_endpoints.csv"
};

struct ToxicSubstance {
    std::string name_en, name_zh, cas;
    std::vector<int> un_numbers;
    double mol_weight = 0; ///< g/mol
    /// Per tier, the table's value or nothing (blank, "NR", "NA", "Ca (no value)").
    std::optional<double> aegl_mg_m3[3], erpg_mg_m3[3]; ///< index 0 = tier 1
    std::optional<double> idlh_mg_m3;
    std::optional<double> hj169_1_mg_m3, hj169_2_mg_m3;
    std::optional<double> lel_vol_pct, uel_vol_pct;
    bool mg_units = false; ///< the row gives mg/m³ (sulfuric acid aerosol), not ppm
    std::string confidence, notes;

    /// The levels of concern, most severe first, one per tier that has a value. Empty when the
    /// substance has none (flammables such as methane: their hazard is fire, not toxicity).
    std::vector<LevelOfConcern> levels(LevelSet set = LevelSet::Aegl) const;
};

class ToxicEndpoints {
public:
    /// The table embedded at build time. Parsed once.
    static const ToxicEndpoints& builtin();
    /// A table from its CSV text (columns as in layers/reference/toxic_endpoints.csv). Throws
    /// FormatError naming the row and column of a value that is not a number.
    static ToxicEndpoints from_csv(std::string_view text);

    /// The substance by English or Chinese name (case-insensitive; "Sulfuric acid" matches the
    /// row "Sulfuric acid (mg/m3)", "Propane" matches "Propane (LPG)"), CAS number or UN number
    /// ("1017" or "UN1017"). Throws UnknownSubstance naming the value.
    const ToxicSubstance& find(std::string_view name_cas_or_un) const;
    const std::vector<ToxicSubstance>& substances() const { return m_rows; }

private:
    std::vector<ToxicSubstance> m_rows;
};

/// ppm to mg/m³ at 25 °C and 1 atm (molar volume 24.45 L).
double ppm_to_mg_m3(double ppm, double mol_weight);
/// mg/m³ to ppm at 25 °C and 1 atm.
double mg_m3_to_ppm(double mg_m3, double mol_weight);

namespace embedded {
std::string_view toxic_endpoints();
std::string_view probit_constants();
} // namespace embedded

} // namespace vigil::hazard
