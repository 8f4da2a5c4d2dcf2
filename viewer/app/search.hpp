/// @file
/// Finding records by what a person types: a name or part of one (Chinese or not), or an id or
/// its beginning, across every layer; and reading typed coordinates ("113.24,35.21"). Plain
/// C++, so the search box's behaviour is tested headless.
#pragma once

#include <vigil/geo/geometry.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::viewer {

struct LayerView;

/// How well a record matches; lower is better (the order results are listed in).
enum class SearchMatch : int { IdExact = 0, NameExact = 1, IdPrefix = 2, NamePrefix = 3, NameContains = 4 };

struct SearchHit {
    std::string kind;
    std::size_t row = 0;
    SearchMatch match = SearchMatch::NameContains;
};

/// Records whose id equals or starts with `query`, or whose name contains it, over `layers`
/// (every layer, shown or hidden, but only rows its filter shows). Comparison folds case and
/// full-width letters and ignores spaces, '-', '_' and '.' (text::match_key), so "jz410803 0001"
/// finds JZ410803-0001 and "ＷＸ" finds "wx". Ordered by match quality, then layers on top of the map first (teams before
/// enterprises), then shorter names, then row. At most `limit` hits; none for a blank query.
std::vector<SearchHit> search_records(const std::vector<LayerView>& layers, std::string_view query, std::size_t limit = 50);

/// Reads "LON,LAT" (also "LON LAT", "LON，LAT", degrees-minutes-seconds such as 113°14'24"E) into
/// a coordinate; nullopt when it is not two finite numbers within -180..180 and -90..90. When
/// the two look swapped (first within ±90 and the second beyond), they are taken the other way
/// round, as people in China often write "纬度,经度".
std::optional<geo::Coord> parse_lonlat(std::string_view text);

} // namespace vigil::viewer
