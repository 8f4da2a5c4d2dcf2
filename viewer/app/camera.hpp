/// @file
/// The map camera: a Web Mercator view with a centre, a fractional zoom level and a viewport in
/// framebuffer pixels. Zoom follows web map tiles: at zoom z the world is 256·2^z *logical*
/// pixels wide; the pixel ratio (HiDPI screens) multiplies that into framebuffer pixels, so the
/// same zoom shows the same area on every screen.
///
///   screen (px, origin top-left, y down)  <->  world (EPSG:3857 metres, y up)  <->  lon/lat
#pragma once

#include <vigil/geo/geometry.hpp>

namespace vigil::viewer {

class Camera {
public:
    static constexpr double k_min_zoom = 2.0;
    static constexpr double k_max_zoom = 20.0;

    void set_viewport(double width_px, double height_px);
    double width() const { return m_width; }
    double height() const { return m_height; }
    /// Framebuffer pixels per logical pixel (1 on ordinary screens, 2 on HiDPI).
    void set_pixel_ratio(double ratio);
    double pixel_ratio() const { return m_ratio; }

    void set_center_lonlat(geo::Coord lonlat);
    geo::Coord center_lonlat() const;
    geo::Coord center_world() const { return m_center; }
    void set_zoom(double zoom);
    double zoom() const { return m_zoom; }

    /// World (mercator) metres per framebuffer pixel at this zoom.
    double world_per_pixel() const;
    /// Ground metres per framebuffer pixel at the centre (mercator scale corrected by latitude).
    double ground_metres_per_pixel() const;

    geo::Coord world_to_screen(geo::Coord world) const;
    geo::Coord screen_to_world(geo::Coord screen) const;
    geo::Coord lonlat_to_screen(geo::Coord lonlat) const;
    geo::Coord screen_to_lonlat(geo::Coord screen) const;

    /// The lon/lat box the viewport shows (clamped to the mercator world).
    geo::BBox visible_lonlat() const;
    /// The world box the viewport shows, in mercator metres.
    geo::BBox visible_world() const;

    /// Moves the map with the pointer: (dx, dy) framebuffer pixels.
    void pan_pixels(double dx, double dy);
    /// Zooms by `delta` levels keeping the world point under `screen` where it is.
    void zoom_about(geo::Coord screen, double delta);
    /// Shows `lonlat` (non-empty) with `margin_px` around it, up to `max_zoom`.
    void fit(const geo::BBox& lonlat, double margin_px = 40, double max_zoom = 17);

private:
    double m_width = 800, m_height = 600, m_ratio = 1;
    geo::Coord m_center{};
    double m_zoom = 10;
};

} // namespace vigil::viewer
