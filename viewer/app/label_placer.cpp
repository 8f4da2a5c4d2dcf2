/// @file
/// Greedy label placement over a uniform collision grid; see label_placer.hpp.

#include "label_placer.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace vigil::viewer {

LabelPlacer::LabelPlacer(double width, double height, double cell)
    : m_width(width), m_height(height), m_cell(cell), m_cols(std::max(1, static_cast<int>(std::ceil(width / cell)))),
      m_rows(std::max(1, static_cast<int>(std::ceil(height / cell)))), m_grid(static_cast<std::size_t>(m_cols * m_rows)) {}

bool LabelPlacer::free(const geo::BBox& b) const {
    int c0 = std::clamp(static_cast<int>(b.min_x / m_cell), 0, m_cols - 1),
        c1 = std::clamp(static_cast<int>(b.max_x / m_cell), 0, m_cols - 1);
    int r0 = std::clamp(static_cast<int>(b.min_y / m_cell), 0, m_rows - 1),
        r1 = std::clamp(static_cast<int>(b.max_y / m_cell), 0, m_rows - 1);
    for (int r = r0; r <= r1; ++r)
        for (int c = c0; c <= c1; ++c)
            for (const auto& o : m_grid[static_cast<std::size_t>(r * m_cols + c)])
                if (o.intersects(b)) return false;
    return true;
}

void LabelPlacer::occupy(const geo::BBox& b) {
    if (b.empty() || b.max_x < 0 || b.max_y < 0 || b.min_x > m_width || b.min_y > m_height) return;
    int c0 = std::clamp(static_cast<int>(b.min_x / m_cell), 0, m_cols - 1),
        c1 = std::clamp(static_cast<int>(b.max_x / m_cell), 0, m_cols - 1);
    int r0 = std::clamp(static_cast<int>(b.min_y / m_cell), 0, m_rows - 1),
        r1 = std::clamp(static_cast<int>(b.max_y / m_cell), 0, m_rows - 1);
    for (int r = r0; r <= r1; ++r)
        for (int c = c0; c <= c1; ++c) m_grid[static_cast<std::size_t>(r * m_cols + c)].push_back(b);
}

void LabelPlacer::block(const geo::BBox& box) { occupy(box); }

bool LabelPlacer::fits(const geo::BBox& b) const {
    return b.min_x >= 0 && b.min_y >= 0 && b.max_x <= m_width && b.max_y <= m_height && free(b);
}

bool LabelPlacer::repeats(const LabelCandidate& c) const {
    if (c.group.empty() || c.repeat_px <= 0) return false;
    auto it = m_group_anchors.find(c.group);
    if (it == m_group_anchors.end()) return false;
    const double r2 = c.repeat_px * c.repeat_px;
    return std::any_of(it->second.begin(), it->second.end(), [&](geo::Coord a) {
        const double dx = a.x - c.anchor.x, dy = a.y - c.anchor.y;
        return dx * dx + dy * dy < r2;
    });
}

std::vector<PlacedLabel> LabelPlacer::place(const std::vector<LabelCandidate>& candidates) {
    std::vector<std::size_t> order(candidates.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        if (candidates[a].priority != candidates[b].priority) return candidates[a].priority > candidates[b].priority;
        return candidates[a].order < candidates[b].order;
    });
    std::vector<PlacedLabel> out;
    for (std::size_t i : order) {
        const auto& c = candidates[i];
        if (repeats(c)) continue;
        const double w = c.width, h = c.height, o = c.offset;
        geo::Coord spots[4];
        std::size_t n = 0;
        if (c.centred) {
            spots[n++] = {c.anchor.x - w / 2, c.anchor.y - h / 2};
        } else {
            spots[n++] = {c.anchor.x + o, c.anchor.y - h / 2};
            spots[n++] = {c.anchor.x - o - w, c.anchor.y - h / 2};
            spots[n++] = {c.anchor.x - w / 2, c.anchor.y - o - h};
            spots[n++] = {c.anchor.x - w / 2, c.anchor.y + o};
        }
        for (std::size_t s = 0; s < n; ++s) {
            geo::BBox b{spots[s].x - 1, spots[s].y - 1, spots[s].x + w + 1, spots[s].y + h + 1};
            if (b.min_x < 0 || b.min_y < 0 || b.max_x > m_width || b.max_y > m_height) continue;
            if (!free(b)) continue;
            occupy(b);
            if (!c.group.empty() && c.repeat_px > 0) m_group_anchors[c.group].push_back(c.anchor);
            out.push_back({i, b});
            break;
        }
    }
    return out;
}

} // namespace vigil::viewer
