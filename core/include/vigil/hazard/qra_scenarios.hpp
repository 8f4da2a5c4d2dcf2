/// @file
/// Loss-of-containment scenarios for a regional QRA, from a hazard source's inventory: generic
/// TNO Purple Book (CPR 18E) vessel failures with their frequencies, and for each substance the
/// effects Vigil models (dispersion.hpp, fire.hpp, explosion.hpp, probit.hpp), turned into
/// lethality tables for the risk grid (risk_grid.hpp). Choices and sources: docs/hazard.md,
/// section "Regional individual risk".
///
///   vessel (one per inventory line)      pressurised    atmospheric
///   instantaneous release (rupture)      5e-7 /yr       5e-6 /yr
///   10-min release of the inventory      5e-7 /yr       5e-6 /yr
///   10 mm leak (≤ 30 min)                1e-5 /yr       1e-4 /yr
///
///   toxic (a probit exists)    puff (rupture) / plume (10 min, leak) → toxic probit, per wind
///   liquefied flammable gas    rupture: BLEVE fireball (p_ign 0.7) + delayed ignition (0.3);
///                              10 min and leak: delayed ignition (0.3)
///   flammable gas              delayed ignition (0.3) for all three
///   flammable liquid           pool fire in the bund (ignition 0.065), 20 s exposure
///
///   delayed ignition = flash fire (P = 1 inside the puff's or plume's cloud to the lower
///   flammable limit, per wind) and VCE (overpressure probit) at once: P = max of the two.
///   Every wind outcome stands for its rose sector (WindOutcome::half_sector_rad = 11.25°).
#pragma once

#include <vigil/hazard/gb18218.hpp>
#include <vigil/hazard/risk_grid.hpp>

#include <array>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::hazard {

/// One weather class of the wind rose.
struct WeatherClass {
    char stability = 'D'; ///< Pasquill–Gifford A..F
    double wind_m_s = 3;
    double fraction = 1; ///< share of the time, all directions together
};

/// 16 directions (the wind blows FROM N, NNE, ..., clockwise) × weather classes, independent.
struct WindRose {
    std::array<double, 16> frequency{}; ///< sums to 1
    std::vector<WeatherClass> classes;  ///< fractions sum to 1
    std::string source;

    /// Parses the JSON of layers/hazard/wind_rose_*.json. Throws FormatError naming `name` and
    /// the member (16 frequencies, fractions summing to 1 within 1e-6, a known stability letter,
    /// a positive wind speed).
    static WindRose from_json(std::string_view json_text, std::string_view name);
    /// Every direction 1/16, one class D at 3.5 m/s.
    static WindRose uniform();
    /// The layer catalogue's rose, layers/hazard/wind_rose_jiaozuo_demo.json (what `vigil risk`
    /// reads by default), compiled in: the viewer and the browser have no catalogue folder.
    static const WindRose& builtin();
};

/// What a substance does when released (built-in property table, docs/hazard.md).
enum class SubstanceKind { Toxic, LiquefiedFlammableGas, FlammableGas, FlammableLiquid, None };

/// The QRA scenarios of one hazard source.
struct SourceScenarios {
    std::vector<Scenario> scenarios; ///< positions at `at` (local metres)
    std::vector<std::string> notes;  ///< substances without a model, skipped effects
};

/// Builds the scenarios of one hazard source at local position `at` from its inventory.
/// Lethality tables are cached by (substance, quantity, scenario, weather) inside `cache`, so
/// sources with the same inventory share them. Throws UsageError for a bad rose.
class ScenarioBuilder {
public:
    explicit ScenarioBuilder(WindRose rose);
    SourceScenarios build(const std::vector<InventoryItem>& inventory, geo::Coord at, std::string_view label);
    /// The kind of a substance by Chinese name, alias or CAS (None when Vigil has no model).
    static SubstanceKind kind_of(const InventoryItem& item);

private:
    WindRose m_rose;
    std::vector<std::pair<std::string, std::shared_ptr<const RadialTable>>> m_radial;
    std::vector<std::pair<std::string, std::shared_ptr<const DirectionalTable>>> m_directional;
    std::shared_ptr<const RadialTable> radial(const std::string& key, const std::function<double(double)>& p);
    std::shared_ptr<const DirectionalTable> directional(const std::string& key, const std::function<double(double, double)>& p);
};

} // namespace vigil::hazard
