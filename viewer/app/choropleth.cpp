/// @file
/// County choropleth of grid-management statistics (see choropleth.hpp).

#include "choropleth.hpp"

#include <vigil/geo/geometry.hpp>
#include <vigil/util/error.hpp>
#include <vigil/util/i18n.hpp>

#include <algorithm>

namespace vigil::viewer {

namespace {

// ColorBrewer YlOrRd, 5 classes: light (few) to dark (many), readable under the red and orange
// enterprise markers because the fills are half transparent.
constexpr std::array<Rgba, 5> k_palette{
    {{255, 255, 178, 255}, {254, 204, 92, 255}, {253, 141, 60, 255}, {240, 59, 32, 255}, {189, 0, 38, 255}}};

} // namespace

const char* measure_label(ChoroplethMeasure m) {
    switch (m) {
    case ChoroplethMeasure::None: return tr("none");
    case ChoroplethMeasure::RedOrange: return tr("red+orange enterprises");
    case ChoroplethMeasure::Red: return tr("red enterprises");
    case ChoroplethMeasure::Overdue: return trc("measure", "overdue hidden hazards");
    case ChoroplethMeasure::MajorSources: return tr("major hazard sources (grade 1-2)");
    }
    throw Error("measure_label: unknown choropleth measure " + std::to_string(static_cast<int>(m))); // i18n: not shown: a bug
}

std::int64_t measure_value(const hazard::CountyStats& s, ChoroplethMeasure m) {
    using hazard::RiskColour;
    const auto colour = [&](RiskColour c) { return static_cast<std::int64_t>(s.by_colour[static_cast<std::size_t>(c)]); };
    switch (m) {
    case ChoroplethMeasure::RedOrange: return colour(RiskColour::Red) + colour(RiskColour::Orange);
    case ChoroplethMeasure::Red: return colour(RiskColour::Red);
    case ChoroplethMeasure::Overdue: return s.overdue_hazards;
    case ChoroplethMeasure::MajorSources: return static_cast<std::int64_t>(s.by_grade[0] + s.by_grade[1]);
    case ChoroplethMeasure::None: break;
    }
    throw UsageError(tr("choropleth: no measure chosen"));
}

std::vector<ChoroplethClass> quantile_classes(std::vector<std::int64_t> values, std::size_t max_classes) {
    if (max_classes < 1 || max_classes > k_palette.size())
        throw UsageError(trf("choropleth: {} classes asked, 1 to {} possible", max_classes, k_palette.size()));
    std::vector<ChoroplethClass> out;
    if (values.empty()) return out;
    std::sort(values.begin(), values.end());
    const std::size_t n = values.size();
    // Upper bounds at the k/max quantiles; the last is the maximum, so every value is covered.
    std::vector<std::int64_t> upper;
    for (std::size_t k = 1; k <= max_classes; ++k) {
        const std::size_t at = (k * n + max_classes - 1) / max_classes; // ceil(k·n / classes) ≥ 1
        const std::int64_t v = values[std::min(at, n) - 1];
        if (upper.empty() || v > upper.back()) upper.push_back(v);
    }
    std::int64_t lo = values.front();
    for (std::size_t i = 0; i < upper.size(); ++i) {
        ChoroplethClass c;
        c.lo = lo;
        c.hi = upper[i];
        // Spread fewer classes over the whole palette: two classes are light and dark, not two lights.
        const std::size_t p = upper.size() == 1 ? k_palette.size() - 1 : i * (k_palette.size() - 1) / (upper.size() - 1);
        c.colour = k_palette[p];
        c.label = c.lo == c.hi ? std::to_string(c.lo) : std::to_string(c.lo) + "–" + std::to_string(c.hi);
        out.push_back(std::move(c));
        lo = upper[i] + 1;
    }
    return out;
}

std::size_t Choropleth::class_of(std::int64_t value) const {
    for (std::size_t i = 0; i < classes.size(); ++i)
        if (value >= classes[i].lo && value <= classes[i].hi) return i;
    throw Error("choropleth: value " + std::to_string(value) + " is in no class"); // i18n: not shown: a bug
}

std::string Choropleth::tooltip(std::size_t stats_index) const {
    const hazard::CountyStats& s = stats.at(stats_index);
    return trf("{}: red {} orange {} yellow {} blue {}, overdue hidden hazards {}, major hazard sources {}", s.county, s.by_colour[0],
               s.by_colour[1], s.by_colour[2], s.by_colour[3], s.overdue_hazards, s.by_grade[0] + s.by_grade[1]);
}

std::optional<std::size_t> Choropleth::county_at(const model::Layer& admin_areas, geo::Coord lonlat) const {
    for (std::size_t r = 0; r < admin_areas.size() && r < stats_of_row.size(); ++r)
        if (stats_of_row[r] && admin_areas.geometry(r).bbox().contains(lonlat) && geo::contains(admin_areas.geometry(r), lonlat))
            return stats_of_row[r];
    return std::nullopt;
}

Choropleth build_choropleth(const app::StatsResult& statistics, const model::Layer& admin_areas, ChoroplethMeasure measure) {
    if (measure == ChoroplethMeasure::None) throw UsageError(tr("choropleth: no measure chosen"));
    Choropleth c;
    c.measure = measure;
    c.stats = statistics.groups;
    c.stats_of_row.assign(admin_areas.size(), std::nullopt);
    // The statistics key the admin counties by their id (CountyStats::code); the other
    // entries ("(no county)", names no polygon has) have no polygon to fill.
    std::vector<std::int64_t> values;
    for (std::size_t r = 0; r < admin_areas.size(); ++r) {
        const std::string& id = admin_areas.id(r);
        for (std::size_t i = 0; i < c.stats.size(); ++i)
            if (!c.stats[i].code.empty() && c.stats[i].code == id) {
                c.stats_of_row[r] = i;
                values.push_back(measure_value(c.stats[i], measure));
                break;
            }
    }
    c.classes = quantile_classes(values);
    c.row_fill.assign(admin_areas.size(), Rgba{0, 0, 0, 0});
    for (std::size_t r = 0; r < admin_areas.size(); ++r)
        if (auto i = c.stats_of_row[r])
            c.row_fill[r] = c.classes[c.class_of(measure_value(c.stats[*i], measure))].colour.with_alpha(k_choropleth_alpha);
    return c;
}

} // namespace vigil::viewer
