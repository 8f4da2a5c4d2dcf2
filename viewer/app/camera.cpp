#include "camera.hpp"

#include <vigil/geo/mercator.hpp>

#include <algorithm>
#include <cmath>
#include <numbers>

namespace vigil::viewer {

void Camera::set_viewport(double width_px, double height_px) {
    m_width = std::max(1.0, width_px);
    m_height = std::max(1.0, height_px);
}

void Camera::set_pixel_ratio(double ratio) { m_ratio = std::clamp(ratio, 0.25, 8.0); }

void Camera::set_center_lonlat(geo::Coord lonlat) { m_center = geo::lonlat_to_mercator(lonlat); }

geo::Coord Camera::center_lonlat() const { return geo::mercator_to_lonlat(m_center); }

void Camera::set_zoom(double zoom) { m_zoom = std::clamp(zoom, k_min_zoom, k_max_zoom); }

double Camera::world_per_pixel() const { return 2 * geo::k_web_mercator_half_world_m / (256.0 * std::exp2(m_zoom) * m_ratio); }

double Camera::ground_metres_per_pixel() const { return world_per_pixel() * std::cos(center_lonlat().y * std::numbers::pi / 180.0); }

geo::Coord Camera::world_to_screen(geo::Coord w) const {
    double s = 1.0 / world_per_pixel();
    return {m_width / 2 + (w.x - m_center.x) * s, m_height / 2 - (w.y - m_center.y) * s};
}

geo::Coord Camera::screen_to_world(geo::Coord p) const {
    double s = world_per_pixel();
    return {m_center.x + (p.x - m_width / 2) * s, m_center.y - (p.y - m_height / 2) * s};
}

geo::Coord Camera::lonlat_to_screen(geo::Coord lonlat) const { return world_to_screen(geo::lonlat_to_mercator(lonlat)); }

geo::Coord Camera::screen_to_lonlat(geo::Coord screen) const { return geo::mercator_to_lonlat(screen_to_world(screen)); }

geo::BBox Camera::visible_world() const {
    geo::Coord a = screen_to_world({0, m_height}), b = screen_to_world({m_width, 0});
    const double h = geo::k_web_mercator_half_world_m;
    return {std::max(a.x, -h), std::max(a.y, -h), std::min(b.x, h), std::min(b.y, h)};
}

geo::BBox Camera::visible_lonlat() const {
    geo::BBox w = visible_world();
    geo::Coord a = geo::mercator_to_lonlat({w.min_x, w.min_y}), b = geo::mercator_to_lonlat({w.max_x, w.max_y});
    return {a.x, a.y, b.x, b.y};
}

void Camera::pan_pixels(double dx, double dy) {
    double s = world_per_pixel();
    const double h = geo::k_web_mercator_half_world_m;
    m_center.x = std::clamp(m_center.x - dx * s, -h, h);
    m_center.y = std::clamp(m_center.y + dy * s, -h, h);
}

void Camera::zoom_about(geo::Coord screen, double delta) {
    geo::Coord before = screen_to_world(screen);
    set_zoom(m_zoom + delta);
    geo::Coord after = screen_to_world(screen);
    m_center.x += before.x - after.x;
    m_center.y += before.y - after.y;
}

void Camera::fit(const geo::BBox& lonlat, double margin_px, double max_zoom) {
    if (lonlat.empty()) return;
    geo::Coord a = geo::lonlat_to_mercator({lonlat.min_x, lonlat.min_y});
    geo::Coord b = geo::lonlat_to_mercator({lonlat.max_x, lonlat.max_y});
    m_center = {(a.x + b.x) / 2, (a.y + b.y) / 2};
    double w = std::max(b.x - a.x, 1.0), h = std::max(b.y - a.y, 1.0);
    double avail_w = std::max(m_width - 2 * margin_px, 16.0), avail_h = std::max(m_height - 2 * margin_px, 16.0);
    double per_px = std::max(w / avail_w, h / avail_h); // world metres per framebuffer pixel needed
    double zoom = std::log2(2 * geo::k_web_mercator_half_world_m / (256.0 * m_ratio * per_px));
    set_zoom(std::min(zoom, max_zoom));
}

} // namespace vigil::viewer
