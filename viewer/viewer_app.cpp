/// @file
/// The frame function: input, the GL map (layers, clusters, overlay), labels and panels.

#include "viewer_app.hpp"

#include <vigil/util/i18n.hpp>

#include "app/font_finder.hpp"
#include "app/point_clusters.hpp"
#include "panels/map_view.hpp"
#include "panels/panels.hpp"
#include "panels/wall_view.hpp"
#include "render/map_renderer.hpp"
#include "tiles/tile_basemap.hpp"
#include "tiles/tile_source.hpp"

#include <vigil/catalog/normalize.hpp>
#include <vigil/util/error.hpp>

#include <imgui.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <set>

namespace vigil::viewer {

namespace {

/// Clusters of a clustered layer at one zoom level, and its single markers: recomputed only when
/// the layer (its revision: filter, visibility) or the integer zoom level changes.
struct CachedClusters {
    std::shared_ptr<const model::Layer> layer;
    std::uint64_t revision = 0;
    int zoom_level = -1;
    double radius_px = 0;
    Clustering clustering;
    std::shared_ptr<LayerMesh> mesh;
};

const CachedClusters& clusters_of(std::map<std::string, CachedClusters>& cache, const MapRenderer& renderer, const ClusterParams& params,
                                  const LayerView& l, double zoom) {
    auto& cc = cache[l.kind().kind];
    const int level = static_cast<int>(std::floor(zoom));
    if (cc.mesh && cc.layer == l.layer && cc.revision == l.revision && cc.zoom_level == level && cc.radius_px == params.radius_px)
        return cc;
    cc.layer = l.layer;
    cc.revision = l.revision;
    cc.zoom_level = level;
    cc.radius_px = params.radius_px;
    cc.clustering = cluster_points(*l.layer, l.row_visible, FeatureRanks(*l.layer), level, params);
    // Single points as the layer draws them; the clusters are badges drawn over the map by
    // draw_cluster_badges (their size follows the font, which the GL mesh does not know).
    std::vector<MarkerInstance> markers;
    markers.reserve(cc.clustering.singles.size());
    for (std::uint32_t row : cc.clustering.singles)
        markers.push_back({l.layer->geometry(row).coords.front(), l.styles.style(*l.layer, row)});
    cc.mesh = renderer.build_markers(markers);
    return cc;
}

} // namespace

struct ViewerApp::Impl {
    MapRenderer renderer;
    struct CachedMesh {
        std::uint64_t revision = 0;
        std::shared_ptr<LayerMesh> mesh;
    };
    std::map<std::string, CachedMesh> meshes;
    std::uint64_t overlay_revision = 0;
    std::shared_ptr<LayerMesh> overlay;
    std::map<std::string, CachedClusters> clusters;
    ClusterParams cluster_params;
    MapCanvas canvas;
    bool font_sources_freed = false;
    PanelState panels;
    std::unique_ptr<TileBasemap> tiles;
    bool dragging = false;
    ImVec2 press_pos{};
    // The wall (--wall).
    std::optional<WallDirector> wall;
    std::optional<WallSizing> wall_sizing;
    ImFont* kpi_font = nullptr;
    std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
    double system_start_s = 0; ///< the system clock when the viewer started (a running --clock-rate without --clock)
};

// The viewer's Chinese texts (viewer/po/zh_CN.po, embedded by CMake).
std::span<const unsigned char> messages_zh_CN();

ViewerApp::ViewerApp(ViewerOptions options) : m_options(std::move(options)), m_impl(std::make_unique<Impl>()) {
    i18n::add_catalogue(i18n::Language::zh_CN, messages_zh_CN());
}

ViewerApp::~ViewerApp() = default;

void ViewerApp::load() {
    m_state.camera().set_viewport(m_options.width, m_options.height);
    m_state.open_project(m_options.database);
    if (!m_options.as_of.empty()) m_state.set_as_of(m_options.as_of);
    if (m_options.view_center) m_state.camera().set_center_lonlat(*m_options.view_center);
    if (m_options.view_zoom) m_state.camera().set_zoom(*m_options.view_zoom);
    if (!m_options.select_id.empty() && !m_state.select_id(m_options.select_id))
        throw UsageError(trf("--select {}: no record with that id in {}", m_options.select_id, m_options.database.string()));
    for (const auto& kind : m_options.hidden_layers) {
        if (!m_state.layer(kind)) throw UsageError(trf("--hide {}: no layer of that kind in {}", kind, m_options.database.string()));
        m_state.set_visible(kind, false);
    }
    m_impl->panels.show_labels = m_options.labels;
    m_impl->panels.language_fixed = m_options.language_fixed;
    m_impl->panels.project_label = m_options.project_label;
    m_impl->panels.read_only = m_options.read_only;
    if (!m_options.read_only && m_options.open_edits) m_state.edits().configure(m_options.open_edits, m_options.editor);
    if (m_options.make_brief) m_state.edits().set_brief_maker(m_options.make_brief);
    if (m_options.wall.enabled) {
        std::vector<TourStop> tour;
        if (!m_options.wall.tour.empty()) tour = read_tour(m_options.wall.tour);
        WallOptions wall = m_options.wall;
        if (m_options.view_center && m_options.view_zoom) wall.home_view = TourStop{"", *m_options.view_center, *m_options.view_zoom, 30};
        m_impl->wall.emplace(std::move(wall), std::move(tour));
        if (!m_options.select_id.empty()) m_impl->wall->request_focus(m_options.select_id);
        m_impl->panels.show_layers = m_impl->panels.show_inspector = m_impl->panels.show_legend = false;
        m_impl->system_start_s = std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
    }
    for (const auto& name : m_options.open_panels)
        if (!open_panel(m_impl->panels, name)) throw UsageError(trf("--open {}: no such panel ({})", name, panel_names()));
    if (!m_options.incident.empty() && !open_incident_in_dispatch(m_state, m_impl->panels, m_options.incident))
        throw UsageError("--incident " + m_options.incident + ": " + m_impl->panels.flow.message);
}

void ViewerApp::configure_wall(int screen_px, double reported_width_m) {
    if (!m_options.wall.enabled) return;
    const double width = m_options.wall.screen_width_m.value_or(reported_width_m);
    m_impl->wall_sizing = viewer::wall_sizing(screen_px, width, m_options.wall.viewing_distance_m);
}

float ViewerApp::wall_scale() const { return m_impl->wall_sizing ? m_impl->wall_sizing->ui_scale : 1.0f; }
const WallSizing* ViewerApp::wall_sizing() const { return m_impl->wall_sizing ? &*m_impl->wall_sizing : nullptr; }

const WallSizing& ViewerApp::wall_sizes() const {
    static const WallSizing k_desk; // configure_wall not called (a platform without a screen size): the desk's sizes
    return m_impl->wall_sizing ? *m_impl->wall_sizing : k_desk;
}
const WallDirector* ViewerApp::wall() const { return m_impl->wall ? &*m_impl->wall : nullptr; }

double ViewerApp::wall_clock_s() const {
    const double real = std::chrono::duration<double>(std::chrono::steady_clock::now() - m_impl->started).count();
    const WallOptions& w = m_options.wall;
    if (w.clock_start_s) return static_cast<double>(*w.clock_start_s) + real * w.clock_rate;
    if (w.clock_rate != 1) return m_impl->system_start_s + real * w.clock_rate;
    return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

namespace {

// Every character the panels and labels may show: loading only these (instead of the 20,000+
// glyphs of the CJK font) keeps the atlas small and the start fast.
std::vector<ImWchar> glyph_ranges(const AppState& state) {
    ImFontGlyphRangesBuilder b;
    // The ~2,500 most common characters cover the UI and typed searches; the data's own
    // characters are added below, so rare ones in names are never missing.
    b.AddRanges(ImGui::GetIO().Fonts->GetGlyphRangesChineseSimplifiedCommon());
    b.AddText(ui_glyph_text().c_str());
    for (const auto& l : state.layers()) {
        const auto& k = l.kind();
        b.AddText(k.title.zh.c_str());
        b.AddText(k.description.zh.c_str());
        for (const auto& f : k.fields) {
            b.AddText(f.label.zh.c_str());
            if (f.expected) b.AddText(f.expected->why.zh.c_str()); // in the Data check panel's messages
            for (const auto& v : f.values) b.AddText(v.label.zh.c_str());
            for (const auto& item : f.item_fields) b.AddText(item.label.zh.c_str());
            if (f.type == catalog::FieldType::Text || f.type == catalog::FieldType::List)
                for (const auto& v : l.layer->column(*k.field_index(f.name)))
                    if (auto s = std::get_if<std::string>(&v)) b.AddText(s->c_str());
        }
        for (std::size_t r = 0; r < l.layer->size(); ++r) b.AddText(l.layer->extra(r).c_str());
    }
    ImVector<ImWchar> ranges;
    b.BuildRanges(&ranges);
    return {ranges.begin(), ranges.end()};
}

} // namespace

const PanelState& ViewerApp::panels() const { return m_impl->panels; }
PanelState& ViewerApp::panels() { return m_impl->panels; }

void ViewerApp::set_content_scale(float scale) { m_impl->panels.content_scale = scale > 0 ? scale : 1.0f; }

bool ViewerApp::settled() const {
    // The basemap's tiles, and an incident's answer with the map fitted to it (--incident, the
    // wall's incident: its teams' routes come once the road graph is in).
    const auto& d = m_state.dispatch();
    return (!m_impl->tiles || m_impl->tiles->idle()) && (!d || !d->pending) && !m_impl->panels.flow.fit_pending;
}

void ViewerApp::init_graphics(double pixel_ratio) {
    m_impl->renderer.init();
    if (!m_options.tiles.empty()) m_impl->tiles = TileBasemap::open(m_options.tiles);
    if (const auto& web = m_options.http_tiles) {
        TileSourceInfo info;
        info.path = web->url;
        info.name = web->url;
        info.format = web->jpeg ? TileFormat::Jpeg : TileFormat::Png;
        info.min_zoom = web->min_zoom;
        info.max_zoom = web->max_zoom;
        info.bounds = web->bounds.empty() ? geo::BBox{-180, -85.0511, 180, 85.0511} : web->bounds;
        m_impl->tiles = TileBasemap::open(open_http_tile_source(web->url, info));
    }
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;
    static std::string ini;
    if (!m_options.settings.empty()) {
        ini = m_options.settings.string();
        io.IniFilename = ini.c_str();
    }
    // Fonts are rasterised at the framebuffer's (or the monitor's) scale, then shown at logical
    // size: crisp on HiDPI. The size is the command line's, else the one saved from the Settings
    // panel, so that the atlas is sharp at the size the user chose (the panel scales it live).
    const float scale = std::max({1.0f, static_cast<float>(pixel_ratio), m_impl->panels.content_scale});
    float font_size = 16;
    if (m_options.font_size) font_size = *m_options.font_size;
    else if (wall_sizing()) font_size = wall_sizing()->font_px; // the wall's sizes come from the rule, not a desk's setting
    else if (!m_options.settings.empty())
        if (auto saved = read_saved_font_size(m_options.settings)) font_size = std::clamp(*saved, 8.0f, 48.0f);
    static std::vector<ImWchar> ranges; // must outlive the atlas build
    ranges = glyph_ranges(m_state);
    std::optional<FontFace> chosen;
    if (!m_options.font_file.empty())
        chosen = FontFace{m_options.font_file, 0, "Noto Sans CJK SC (subset)"}; // i18n: not shown: a font's name
    else chosen = find_cjk_font();
    if (auto face = chosen) {
        ImFontConfig cfg;
        cfg.FontNo = face->index;
        cfg.OversampleH = 1;
        cfg.OversampleV = 1;
        cfg.PixelSnapH = true;
        if (!io.Fonts->AddFontFromFileTTF(face->file.c_str(), font_size * scale, &cfg, ranges.data())) io.Fonts->AddFontDefault();
        if (const WallSizing* wall = wall_sizing()) {
            // The key figures' digits, rasterised at their own (large) size: sharp, and only
            // a dozen glyphs in the atlas.
            static const ImWchar k_digits[] = {0x20, 0x20, 0x2B, 0x3A, 0};
            m_impl->kpi_font = io.Fonts->AddFontFromFileTTF(face->file.c_str(), wall->kpi_font_px * scale, &cfg, k_digits);
        }
        m_impl->panels.font_note = face->family.empty() ? face->file.string() : face->family;
    } else {
        io.Fonts->AddFontDefault();
        m_impl->panels.font_note = tr("no Chinese font found (install fonts-noto-cjk or set VIGIL_FONT)");
    }
    io.FontGlobalScale = 1.0f / scale;
    ImGui::StyleColorsLight();
    ImGui::GetStyle().WindowRounding = 4;
}

void ViewerApp::frame(int fb_width, int fb_height, double pixel_ratio) {
    Impl& d = *m_impl;
    Camera& cam = m_state.camera();
    cam.set_viewport(fb_width, fb_height);
    cam.set_pixel_ratio(pixel_ratio);
    ImGuiIO& io = ImGui::GetIO();
    const double to_fb = pixel_ratio;
    if (!d.font_sources_freed && io.Fonts->TexID) {
        // The atlas is on the GPU (the backend uploads it in its first NewFrame): the font file
        // (~20 MB for Noto Sans CJK) and the CPU copies of the atlas are no longer needed. The
        // UI's font size setting scales the atlas (FontGlobalScale) and never rebuilds it.
        io.Fonts->ClearInputData();
        io.Fonts->ClearTexData();
        d.font_sources_freed = true;
    }

    // The wall moves its own camera (new incidents, the tour) and takes no input.
    if (d.wall) {
        const double real = std::chrono::duration<double>(std::chrono::steady_clock::now() - d.started).count();
        d.wall->prepare(m_state, real);
        const WallInsets insets = wall_insets(d.wall->board(), wall_sizes(), d.kpi_font, io.DisplaySize.x);
        d.panels.map_top_inset = insets.top;
        d.panels.map_bottom_inset = insets.bottom;
        d.panels.map_right_inset = insets.right;
        d.panels.show_pointer_readout = false;
        d.wall->set_covered(insets.top, insets.bottom);
        d.wall->update(m_state, real);
    }
    // Map interaction (when ImGui does not want the mouse/keyboard).
    if (d.wall) {
        d.panels.pointer_on_map = false;
    } else if (!io.WantCaptureMouse && ImGui::IsMousePosValid()) { // no pointer between two touches
        ImVec2 m = io.MousePos;
        geo::Coord fb{m.x * to_fb, m.y * to_fb};
        if (ImGui::IsMouseClicked(ImGuiMouseButton_Left)) {
            d.press_pos = m;
            d.dragging = false;
        }
        if (ImGui::IsMouseDown(ImGuiMouseButton_Left) && (io.MouseDelta.x != 0 || io.MouseDelta.y != 0)) {
            if (std::hypot(m.x - d.press_pos.x, m.y - d.press_pos.y) > 3) d.dragging = true;
            if (d.dragging) cam.pan_pixels(io.MouseDelta.x * to_fb, io.MouseDelta.y * to_fb);
        }
        if (ImGui::IsMouseReleased(ImGuiMouseButton_Left) && !d.dragging) click_map(fb);
        if (io.MouseWheel != 0) cam.zoom_about(fb, io.MouseWheel * 0.5);
        d.panels.pointer_lonlat = cam.screen_to_lonlat(fb);
        d.panels.pointer_on_map = true;
    } else {
        d.panels.pointer_on_map = false;
    }
    if (!io.WantCaptureKeyboard && !d.wall) {
        // ImGui 1.86 maps named keys to the backend's codes through GetKeyIndex; '+'/'-' come as
        // typed characters, whatever the keyboard layout.
        auto pressed = [](ImGuiKey key) { return ImGui::IsKeyPressed(ImGui::GetKeyIndex(key)); };
        const double step = 120 * to_fb;
        if (pressed(ImGuiKey_LeftArrow)) cam.pan_pixels(step, 0);
        if (pressed(ImGuiKey_RightArrow)) cam.pan_pixels(-step, 0);
        if (pressed(ImGuiKey_UpArrow)) cam.pan_pixels(0, step);
        if (pressed(ImGuiKey_DownArrow)) cam.pan_pixels(0, -step);
        geo::Coord centre{cam.width() / 2, cam.height() / 2};
        for (ImWchar c : io.InputQueueCharacters) {
            if (c == '+' || c == '=') cam.zoom_about(centre, 1);
            if (c == '-') cam.zoom_about(centre, -1);
        }
        if (pressed(ImGuiKey_Home)) m_state.zoom_home();
    }

    // The map, with GL, under the panels.
    d.renderer.set_min_marker_size(d.wall_sizing ? d.wall_sizing->min_marker_px : 0.0f);
    d.renderer.begin_frame(cam, {236, 233, 226, 255});
    if (d.tiles) {
        d.tiles->pump();
        d.tiles->draw(cam);
    }
    std::set<std::string> present;
    d.canvas.clustered.clear();
    // Points join a cluster within about a badge's width, so that badges sized for a large
    // font (a wall at --font-size 48) do not pile up on each other.
    d.cluster_params.radius_px = std::max(ClusterParams{}.radius_px, std::round(d.canvas.badges.diameter(99) * 1.2));
    for (const auto& l : m_state.layers()) {
        present.insert(l.kind().kind);
        if (!l.visible) continue;
        if (clusters_at(l.kind(), cam.zoom(), d.cluster_params)) {
            const auto& cc = clusters_of(d.clusters, d.renderer, d.cluster_params, l, cam.zoom());
            d.renderer.draw(*cc.mesh, cam, l.opacity);
            d.canvas.clustered.push_back({&l, &cc.clustering});
            continue;
        }
        auto& cached = d.meshes[l.kind().kind];
        if (cached.revision != l.revision || !cached.mesh) {
            cached.mesh = d.renderer.build(*l.layer, l.row_visible, l.styles);
            cached.revision = l.revision;
        }
        d.renderer.draw(*cached.mesh, cam, l.opacity);
    }
    for (auto it = d.meshes.begin(); it != d.meshes.end();) it = present.count(it->first) ? std::next(it) : d.meshes.erase(it);
    for (auto it = d.clusters.begin(); it != d.clusters.end();) it = present.count(it->first) ? std::next(it) : d.clusters.erase(it);
    if (d.overlay_revision != m_state.overlay_revision() || !d.overlay) {
        d.overlay = d.renderer.build(build_overlay(m_state));
        d.overlay_revision = m_state.overlay_revision();
    }
    d.renderer.draw(*d.overlay, cam, 1.0f);
    d.renderer.end_frame();

    // Labels and map furniture on ImGui's background list; panels on top (the wall: its band,
    // ticker and countdowns instead of panels).
    if (d.wall) draw_map_fills(m_state, d.panels); // the incident's zones
    draw_cluster_badges(m_state, d.canvas);
    draw_map_labels(m_state, d.panels, d.canvas);
    draw_map_furniture(m_state, d.panels);
    if (d.wall) {
        d.panels.map_covered = draw_wall(m_state, *d.wall, wall_sizes(), wall_clock_s(), d.kpi_font);
    } else {
        draw_panels(m_state, d.panels);
    }
}

const Clustering* ViewerApp::clustering(std::string_view kind) const {
    const LayerView* l = m_state.layer(kind);
    if (!l || !l->visible || !clusters_at(l->kind(), m_state.camera().zoom(), m_impl->cluster_params)) return nullptr;
    auto it = m_impl->clusters.find(l->kind().kind);
    if (it == m_impl->clusters.end()) return nullptr;
    const CachedClusters& cc = it->second;
    const bool current = cc.layer == l->layer && cc.revision == l->revision && cc.radius_px == m_impl->cluster_params.radius_px &&
                         cc.zoom_level == static_cast<int>(std::floor(m_state.camera().zoom()));
    return current ? &cc.clustering : nullptr;
}

bool ViewerApp::click_map(geo::Coord fb) {
    Impl& d = *m_impl;
    if (d.panels.click_mode == ClickMode::Select) {
        // A cluster (topmost layer first) zooms in; a click on no cluster selects as usual,
        // except a point hidden inside a cluster, which is not on the map to be clicked.
        const auto& layers = m_state.layers();
        for (auto it = layers.rbegin(); it != layers.rend(); ++it)
            if (const Clustering* c = clustering(it->kind().kind))
                if (auto hit = hit_cluster(*c, m_state.camera(), fb, d.canvas.badges)) {
                    zoom_into(c->clusters[*hit], m_state.camera(), d.cluster_params);
                    return true;
                }
        auto picked = m_state.pick(fb, 8 * m_state.camera().pixel_ratio());
        if (picked) {
            const Clustering* c = clustering(picked->kind);
            if (c && c->clustered(picked->row)) picked.reset();
        }
        if (picked) m_state.select(*picked);
        else m_state.clear_selection();
        return picked.has_value();
    }
    handle_map_click(m_state, d.panels, fb);
    return false;
}

} // namespace vigil::viewer
