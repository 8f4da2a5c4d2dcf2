/// @file
/// Greedy distance-grid point clustering; see point_clusters.hpp for the algorithm.

#include "point_clusters.hpp"

#include <vigil/geo/mercator.hpp>
#include <vigil/util/i18n.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <unordered_map>

namespace vigil::viewer {

FeatureRanks::FeatureRanks(const model::Layer& layer) : m_layer(&layer) {
    const auto& kind = layer.kind();
    const auto& sym = kind.symbology;
    const std::string& name = !sym.color_field.empty() ? sym.color_field : sym.width_field;
    if (name.empty()) return;
    m_field = kind.field_index(name);
    if (!m_field) return;
    for (const auto& v : kind.fields[*m_field].values) m_values.push_back(v.value);
    m_classes = static_cast<int>(m_values.size()) + 1;
}

int FeatureRanks::rank(std::size_t row) const {
    if (!m_field) return 0;
    if (const auto* v = std::get_if<std::string>(&m_layer->value(row, *m_field)))
        for (std::size_t i = 0; i < m_values.size(); ++i)
            if (m_values[i] == *v) return static_cast<int>(i);
    return static_cast<int>(m_values.size());
}

bool clusters_at(const catalog::LayerKind& kind, double zoom, const ClusterParams& params) {
    return kind.symbology.cluster && kind.geometry == catalog::GeometryKind::Point && static_cast<int>(std::floor(zoom)) <= params.max_zoom;
}

namespace {

/// World metres per logical pixel at an integer zoom level (tiles of 256 logical pixels).
double world_per_logical_pixel(int zoom_level) { return 2 * geo::k_web_mercator_half_world_m / (256.0 * std::exp2(zoom_level)); }

struct Seed {
    geo::Coord at;    ///< the first member's position: where others join (stays put)
    geo::Coord sum{}; ///< of members' positions, for the mean
    geo::BBox bounds; ///< lon/lat
    std::uint32_t count = 0;
    std::uint32_t first_row = 0, top_row = 0;
    int top_rank = 0;
};

} // namespace

Clustering cluster_points(const model::Layer& layer, const std::vector<std::uint8_t>& visible, const FeatureRanks& ranks, int zoom_level,
                          const ClusterParams& params) {
    Clustering out;
    out.zoom_level = zoom_level;
    out.cluster_of.assign(layer.size(), Clustering::k_single);
    const double r = std::max(1.0, params.radius_px) * world_per_logical_pixel(zoom_level);
    const double r2 = r * r;

    std::vector<Seed> seeds;
    // Per seed and colour class: members and the first member (flat, `classes` per seed).
    const std::size_t classes = static_cast<std::size_t>(std::max(1, ranks.classes()));
    std::vector<std::uint32_t> class_counts, class_rows;
    std::vector<std::uint32_t> seed_of(layer.size(), Clustering::k_single);
    // Cell -> seeds in it. Seeds are at least r apart, so a cell holds at most four: a short
    // vector per cell, found through one hash lookup per neighbouring cell.
    std::unordered_map<std::uint64_t, std::vector<std::uint32_t>> cells;
    cells.reserve(1024);
    auto cell_key = [](std::int64_t cx, std::int64_t cy) {
        return (static_cast<std::uint64_t>(static_cast<std::uint32_t>(cx)) << 32) | static_cast<std::uint32_t>(cy);
    };
    for (std::size_t row = 0; row < layer.size(); ++row) {
        if (!visible.empty() && !visible[row]) continue;
        const geo::Geometry& g = layer.geometry(row);
        if (g.is_empty() || geo::geometry_family(g.type) != geo::GeometryType::Point) continue;
        const geo::Coord ll = g.coords.front();
        const geo::Coord w = geo::lonlat_to_mercator(ll);
        const auto cx = static_cast<std::int64_t>(std::floor(w.x / r)), cy = static_cast<std::int64_t>(std::floor(w.y / r));
        std::uint32_t best = Clustering::k_single;
        double best_d2 = r2;
        for (std::int64_t dy = -1; dy <= 1; ++dy)
            for (std::int64_t dx = -1; dx <= 1; ++dx) {
                auto it = cells.find(cell_key(cx + dx, cy + dy));
                if (it == cells.end()) continue;
                for (std::uint32_t s : it->second) {
                    const double ex = seeds[s].at.x - w.x, ey = seeds[s].at.y - w.y, d2 = ex * ex + ey * ey;
                    if (d2 < best_d2 || (d2 == best_d2 && best != Clustering::k_single && s < best)) {
                        best_d2 = d2;
                        best = s;
                    }
                }
            }
        const int rank = ranks.rank(row);
        if (best == Clustering::k_single) {
            best = static_cast<std::uint32_t>(seeds.size());
            Seed s;
            s.at = w;
            s.first_row = s.top_row = static_cast<std::uint32_t>(row);
            s.top_rank = rank;
            seeds.push_back(s);
            cells[cell_key(cx, cy)].push_back(best);
            class_counts.resize(class_counts.size() + classes, 0);
            class_rows.resize(class_rows.size() + classes, 0);
        }
        Seed& s = seeds[best];
        const std::size_t slot = best * classes + static_cast<std::size_t>(std::clamp(rank, 0, static_cast<int>(classes) - 1));
        if (class_counts[slot]++ == 0) class_rows[slot] = static_cast<std::uint32_t>(row);
        s.sum.x += w.x;
        s.sum.y += w.y;
        s.bounds.add(ll);
        ++s.count;
        if (rank < s.top_rank) { // rows come in ascending order: ties keep the first
            s.top_rank = rank;
            s.top_row = static_cast<std::uint32_t>(row);
        }
        seed_of[row] = best;
    }

    // Seeds become clusters (in seed order, i.e. by their first row) or stay single markers.
    std::vector<std::uint32_t> cluster_of_seed(seeds.size(), Clustering::k_single);
    for (std::size_t i = 0; i < seeds.size(); ++i) {
        const Seed& s = seeds[i];
        if (s.count < std::max<std::uint32_t>(2, params.min_points)) continue;
        cluster_of_seed[i] = static_cast<std::uint32_t>(out.clusters.size());
        PointCluster c;
        c.lonlat = geo::mercator_to_lonlat({s.sum.x / s.count, s.sum.y / s.count});
        c.bounds = s.bounds;
        c.count = s.count;
        c.top_row = s.top_row;
        c.top_rank = s.top_rank;
        for (std::size_t k = 0; k < classes; ++k)
            if (const std::uint32_t n = class_counts[i * classes + k])
                c.composition.push_back({static_cast<int>(k), n, class_rows[i * classes + k]});
        out.clusters.push_back(std::move(c));
    }
    for (std::size_t row = 0; row < layer.size(); ++row) {
        if (seed_of[row] == Clustering::k_single) continue;
        const std::uint32_t c = cluster_of_seed[seed_of[row]];
        if (c == Clustering::k_single) out.singles.push_back(static_cast<std::uint32_t>(row));
        else out.cluster_of[row] = c;
    }
    return out;
}

float cluster_symbol_size(std::uint32_t count) {
    const double n = std::max<std::uint32_t>(count, 1);
    return static_cast<float>(std::clamp(16.0 + 8.0 * std::log10(n), 18.0, 52.0));
}

std::string cluster_count_text(std::uint32_t count) {
    if (count < 10000) return std::to_string(count);
    // Chinese counts in 万 (ten thousand), English in thousands ("{}k" reads "{}万" in Chinese).
    const double unit = i18n::language() == i18n::Language::zh_CN ? 10000.0 : 1000.0;
    if (count < 10 * unit) return trf("{:.1f}k", count / unit);
    return trf("{}k", static_cast<std::uint32_t>((count + unit / 2) / unit));
}

ClusterBadges::ClusterBadges(double ui_font_px, Measure measure) : m_font_px(ui_font_px), m_measure(std::move(measure)) {}

BadgeShape ClusterBadges::shape(std::uint32_t count) const {
    BadgeShape b;
    b.text = cluster_count_text(count);
    b.font_px = m_font_px * 0.9;
    if (m_measure) b.text_size = m_measure(b.text, b.font_px);
    else b.text_size = {0.6 * b.font_px * static_cast<double>(b.text.size()), b.font_px};
    // The ring scales with the text, so that it reads at the same weight at any font size; the
    // disc inside holds the text's box with a margin of a tenth of the font.
    b.ring = std::max(3.0, 0.2 * b.font_px);
    const double margin = std::max(1.0, 0.1 * b.font_px);
    const double fit = std::hypot(b.text_size.x, b.text_size.y) + 2 * margin + 2 * b.ring;
    b.diameter = std::max<double>(cluster_symbol_size(count), std::ceil(fit));
    b.inner = b.diameter - 2 * b.ring;
    return b;
}

std::optional<std::size_t> hit_cluster(const Clustering& clustering, const Camera& camera, geo::Coord screen, const ClusterBadges& badges) {
    std::optional<std::size_t> best;
    double best_r = 0;
    for (std::size_t i = 0; i < clustering.clusters.size(); ++i) {
        const PointCluster& c = clustering.clusters[i];
        const geo::Coord p = camera.lonlat_to_screen(c.lonlat);
        const double r = badges.diameter(c.count) / 2 * camera.pixel_ratio();
        if (std::hypot(p.x - screen.x, p.y - screen.y) > r) continue;
        if (!best || r < best_r) {
            best = i;
            best_r = r;
        }
    }
    return best;
}

void zoom_into(const PointCluster& cluster, Camera& camera, const ClusterParams& params) {
    const double z0 = camera.zoom();
    const double lowest = z0 + 1, highest = std::max(lowest, static_cast<double>(params.max_zoom + 1));
    Camera fitted = camera;
    fitted.fit(cluster.bounds, 60 * camera.pixel_ratio(), Camera::k_max_zoom);
    if (fitted.zoom() >= lowest) {
        // The members' box: as close as it fits, but no closer than where the layer unclusters
        // (coincident points would otherwise send the view to street level).
        camera.set_center_lonlat(fitted.center_lonlat());
        camera.set_zoom(std::min(fitted.zoom(), highest));
    } else {
        camera.set_center_lonlat(cluster.lonlat);
        camera.set_zoom(lowest);
    }
}

} // namespace vigil::viewer
