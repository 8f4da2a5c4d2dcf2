/// @file
/// Record search across layers and typed coordinates (see search.hpp).

#include "search.hpp"

#include "app_state.hpp"

#include <vigil/catalog/normalize.hpp>
#include <vigil/util/text.hpp>

#include <algorithm>
#include <cmath>

namespace vigil::viewer {

std::vector<SearchHit> search_records(const std::vector<LayerView>& layers, std::string_view query, std::size_t limit) {
    const std::string q = vigil::text::match_key(query);
    if (q.empty() || limit == 0) return {};
    struct Ranked {
        SearchHit hit;
        int z = 0;
        std::size_t name_len = 0;
    };
    std::vector<Ranked> found;
    for (const auto& l : layers) {
        const catalog::LayerKind& kind = l.kind();
        const auto name_field = kind.index_of_role(catalog::FieldRole::Name);
        for (std::size_t r = 0; r < l.layer->size(); ++r) {
            if (!l.row_shown(r)) continue;
            std::optional<SearchMatch> m;
            auto consider = [&](SearchMatch c) {
                if (!m || c < *m) m = c;
            };
            const std::string id = vigil::text::match_key(l.layer->id(r));
            if (id == q) consider(SearchMatch::IdExact);
            else if (id.starts_with(q)) consider(SearchMatch::IdPrefix);
            std::size_t name_len = 0;
            if (name_field)
                if (const auto* name = std::get_if<std::string>(&l.layer->value(r, *name_field))) {
                    const std::string key = vigil::text::match_key(*name);
                    name_len = key.size();
                    if (key == q) consider(SearchMatch::NameExact);
                    else if (key.starts_with(q)) consider(SearchMatch::NamePrefix);
                    else if (key.find(q) != std::string::npos) consider(SearchMatch::NameContains);
                }
            if (m) found.push_back({{kind.kind, r, *m}, kind.symbology.z_order, name_len});
        }
    }
    std::stable_sort(found.begin(), found.end(), [](const Ranked& a, const Ranked& b) {
        if (a.hit.match != b.hit.match) return a.hit.match < b.hit.match;
        if (a.z != b.z) return a.z > b.z;
        if (a.name_len != b.name_len) return a.name_len < b.name_len;
        return a.hit.row < b.hit.row;
    });
    std::vector<SearchHit> out;
    for (std::size_t i = 0; i < found.size() && i < limit; ++i) out.push_back(std::move(found[i].hit));
    return out;
}

std::optional<geo::Coord> parse_lonlat(std::string_view text) {
    // Full-width comma and semicolons count as the separator too.
    const std::string_view in = vigil::text::trim(text);
    std::string t;
    for (std::size_t pos = 0; pos < in.size();) {
        const std::size_t start = pos;
        const char32_t cp = vigil::text::decode_utf8(in, pos);
        if (cp == U'，' || cp == U'；' || cp == U';') t += ',';
        else t.append(in.substr(start, pos - start));
    }
    std::vector<std::string> parts;
    if (t.find(',') != std::string::npos) {
        for (auto piece : vigil::text::split(t, ',')) parts.emplace_back(vigil::text::trim(piece));
    } else {
        for (auto piece : vigil::text::split(t, ' '))
            if (!vigil::text::trim(piece).empty()) parts.emplace_back(vigil::text::trim(piece));
    }
    if (parts.size() != 2) return std::nullopt;
    auto a = catalog::parse_coordinate(parts[0]), b = catalog::parse_coordinate(parts[1]);
    if (!a || !b || !std::isfinite(*a) || !std::isfinite(*b)) return std::nullopt;
    geo::Coord c{*a, *b};
    if (std::fabs(c.y) > 90 && std::fabs(c.x) <= 90) std::swap(c.x, c.y); // "纬度,经度"
    if (std::fabs(c.x) > 180 || std::fabs(c.y) > 90) return std::nullopt;
    return c;
}

} // namespace vigil::viewer
