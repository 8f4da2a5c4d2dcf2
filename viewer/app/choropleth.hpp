/// @file
/// The admin areas as a choropleth of grid-management statistics: per county
/// the enterprises by four-colour risk, the overdue hidden hazards and the major hazard sources,
/// as app::stats_by_county computes them (the figures `vigil stats --by county` prints), one
/// measure of them classed into quantile breaks with a sequential palette. Free of GL and ImGui:
/// the renderer only sees a fill colour per admin row, the legend the classes.
#pragma once

#include "style.hpp"

#include <vigil/app/stats.hpp>
#include <vigil/hazard/four_colour.hpp>
#include <vigil/model/layer.hpp>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::viewer {

/// What the county polygons are coloured by; None = the ordinary (unfilled) admin areas.
enum class ChoroplethMeasure { None = 0, RedOrange = 1, Red = 2, Overdue = 3, MajorSources = 4 };
inline constexpr std::array<ChoroplethMeasure, 5> k_choropleth_measures{ChoroplethMeasure::None, ChoroplethMeasure::RedOrange,
                                                                        ChoroplethMeasure::Red, ChoroplethMeasure::Overdue,
                                                                        ChoroplethMeasure::MajorSources};
/// "none", "red+orange enterprises", ... in the user's language (the combo's items).
const char* measure_label(ChoroplethMeasure m);

/// The measure's value for one county: red+orange enterprises, red enterprises, overdue hidden
/// hazards, or hazard sources of GB 18218 grade 1–2.
std::int64_t measure_value(const hazard::CountyStats& s, ChoroplethMeasure m);

/// One class of the legend: counties whose value lies in [lo, hi].
struct ChoroplethClass {
    std::int64_t lo = 0, hi = 0;
    Rgba colour;
    std::string label; ///< "3–7", or "3" when lo == hi
};

/// Up to `max_classes` classes over `values` by quantiles (each class ends at a value some
/// county has; equal breaks merge, so fewer classes when the values are few), contiguous from
/// the smallest to the largest value: every value falls in exactly one. Colours run from light
/// yellow to dark red (ColorBrewer YlOrRd), spread over the palette when there are fewer classes.
/// Throws UsageError for max_classes outside 1..5; empty values give no class.
std::vector<ChoroplethClass> quantile_classes(std::vector<std::int64_t> values, std::size_t max_classes = 5);

/// Alpha of the county fills: the points, roads and labels above stay readable.
inline constexpr std::uint8_t k_choropleth_alpha = 170;

struct Choropleth {
    ChoroplethMeasure measure = ChoroplethMeasure::None;
    std::vector<hazard::CountyStats> stats;               ///< the groups of app::stats_by_county
    std::vector<std::optional<std::size_t>> stats_of_row; ///< per admin row: its index in stats (county rows)
    std::vector<ChoroplethClass> classes;
    std::vector<Rgba> row_fill; ///< per admin row; transparent for non-county rows

    /// The class a value falls in (classes cover every county's value).
    std::size_t class_of(std::int64_t value) const;
    /// "温县: red 2 orange 11 yellow 30 blue 20, overdue hidden hazards 14, major hazard sources 3" (in the user's language).
    std::string tooltip(std::size_t stats_index) const;
    /// The county (index in stats) of an admin row, if that row is one.
    std::optional<std::size_t> county_of_row(std::size_t row) const { return row < stats_of_row.size() ? stats_of_row[row] : std::nullopt; }
    /// The county (index in stats) whose polygon in `admin_areas` contains `lonlat` (WGS84), if
    /// any: what hovering the map shows.
    std::optional<std::size_t> county_at(const model::Layer& admin_areas, geo::Coord lonlat) const;
};

/// The fills for `measure` (not None) from the statistics app::stats_by_county gave (the
/// counties are matched to the admin rows by id). Throws UsageError for measure None.
Choropleth build_choropleth(const app::StatsResult& statistics, const model::Layer& admin_areas, ChoroplethMeasure measure);

} // namespace vigil::viewer
