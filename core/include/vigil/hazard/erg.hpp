/// @file
/// ERG 2024 (Emergency Response Guidebook) initial isolation and protective-action distances:
/// table 1 for TIH materials, table 3 for the six gases whose large spills it covers (by
/// container and wind), and the orange guides' evacuation distances for everything else (UN
/// number → guide through the index). Tables embedded at build time from layers/reference/.
/// Designed for the first 30 minutes of a transport incident (see docs/hazard.md).
#pragma once

#include <vigil/util/error.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::hazard {

/// A UN number the ERG index does not list (a value the user gave).
class UnknownUnNumber : public UsageError {
public:
    using UsageError::UsageError;
};

enum class Spill { Small, Large };
enum class DayNight { Day, Night };
/// ERG table 3 wind bands: low < 10 km/h, moderate 10–20 km/h, high > 20 km/h.
enum class WindBand { Low, Moderate, High };

/// The band of a wind speed in m/s. Throws UsageError for a negative or non-finite speed.
WindBand wind_band(double speed_m_s);

/// What ERG says for one material, spill size and time of day.
struct ErgZone {
    int un_number = 0;
    std::string guide;      ///< e.g. "124", "117P"
    std::string material;   ///< first name in the table or index
    bool tih = false;       ///< toxic-by-inhalation (table 1 material)
    std::string source;     ///< "ERG 2024 table 1", "ERG 2024 table 3, Rail tank car, low wind", "ERG 2024 guide 137"
    double isolation_m = 0; ///< initial isolation radius, all directions
    /// Downwind protective-action distance (a square downwind of the spill, as wide as long);
    /// empty when ERG gives none (small spills of non-TIH materials).
    std::optional<double> protective_m;
    bool protective_more_than = false; ///< "11.0+ km": more than the value
    /// True when the guide's large-spill evacuation is in all directions (a circle), not downwind.
    bool evacuation_all_directions = false;
    std::optional<double> fire_isolation_m; ///< the guide's fire isolation radius
    /// TIH materials: the orange guide's "immediate precautionary measure" isolation (e.g. 100 m
    /// for guide 124), which ERG asks for before the table is read; it can exceed table 1's
    /// small-spill isolation (chlorine: 60 m). Nothing for other materials, whose isolation_m
    /// is the guide's already.
    std::optional<double> precautionary_isolation_m;
    std::vector<std::string> notes; ///< choices made (container, wind, several rows)

    /// The radius of the isolation circle drawn: the larger of isolation_m and the guide's
    /// precautionary isolation (a safety tool may be imprecise, never optimistic).
    double isolation_circle_m() const;
};

class Erg2024 {
public:
    /// The tables embedded at build time (layers/reference/erg2024_*.csv). Parsed once.
    static const Erg2024& builtin();
    /// Tables from their CSV text (columns as in layers/reference/).
    static Erg2024 from_csv(std::string_view table1, std::string_view table3, std::string_view guides, std::string_view index);

    /// The distances for `un_number`. For table 3 materials' large spills, `container` picks the
    /// row: ERG's container name itself (case-insensitive), or words each of which begins a word
    /// of the name ("rail" is the rail tank car, not the highway "trailer"; "ton cylinder" fits
    /// both ton-cylinder rows); of several rows that fit, the one with the largest distance is
    /// used and a note names it and the others; empty = every row, the same way. `wind` picks
    /// the column (empty = low wind, the largest).
    /// Throws UnknownUnNumber if the index does not list the number, UsageError for a
    /// container that matches no row.
    ErgZone lookup(int un_number, Spill spill, DayNight time, std::optional<WindBand> wind = std::nullopt,
                   std::string_view container = {}) const;

    /// Table 3's containers for a material (empty if it is not in table 3).
    std::vector<std::string> containers(int un_number) const;

    struct Table1Row {
        int un = 0;
        std::string guide, names;
        double small_isolate_m = 0, small_day_km = 0, small_night_km = 0;
        std::optional<double> large_isolate_m, large_day_km, large_night_km;
        bool large_day_plus = false, large_night_plus = false, small_day_plus = false, small_night_plus = false;
    };
    struct Table3Row {
        int un = 0;
        std::string material, container;
        double isolate_m = 0;
        double day_km[3] = {0, 0, 0}, night_km[3] = {0, 0, 0};
        bool day_plus[3] = {false, false, false}, night_plus[3] = {false, false, false};
    };
    struct Guide {
        std::string guide;
        std::optional<double> isolation_m, isolation_solids_m, large_evacuation_m, fire_isolation_m;
        bool large_downwind = false;
    };
    struct IndexRow {
        int un = 0;
        std::string name, guide;
        bool tih = false;
    };

private:
    std::vector<Table1Row> m_table1;
    std::vector<Table3Row> m_table3;
    std::vector<Guide> m_guides;
    std::vector<IndexRow> m_index;
};

namespace embedded {
std::string_view erg2024_table1();
std::string_view erg2024_table3();
std::string_view erg2024_guides();
std::string_view erg2024_index();
} // namespace embedded

} // namespace vigil::hazard
