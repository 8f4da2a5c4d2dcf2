#include "viewer_app.hpp"

#include "app/font_finder.hpp"
#include "panels/panels.hpp"
#include "render/map_renderer.hpp"
#include "tiles/tile_basemap.hpp"

#include <vigil/catalog/normalize.hpp>
#include <vigil/util/error.hpp>

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

namespace vigil::viewer {

struct ViewerApp::Impl {
    MapRenderer renderer;
    struct CachedMesh {
        std::uint64_t revision = 0;
        std::shared_ptr<LayerMesh> mesh;
    };
    std::map<std::string, CachedMesh> meshes;
    std::uint64_t overlay_revision = 0;
    std::shared_ptr<LayerMesh> overlay;
    PanelState panels;
    std::unique_ptr<TileBasemap> tiles;
    bool dragging = false;
    ImVec2 press_pos{};
};

ViewerApp::ViewerApp(ViewerOptions options) : m_options(std::move(options)), m_impl(std::make_unique<Impl>()) {}

ViewerApp::~ViewerApp() = default;

void ViewerApp::load() {
    m_state.camera().set_viewport(m_options.width, m_options.height);
    m_state.open_project(m_options.database);
    if (m_options.view_center) m_state.camera().set_center_lonlat(*m_options.view_center);
    if (m_options.view_zoom) m_state.camera().set_zoom(*m_options.view_zoom);
    if (!m_options.select_id.empty() && !m_state.select_id(m_options.select_id))
        throw UsageError("--select " + m_options.select_id + ": no record with that id in " + m_options.database.string());
}

namespace {

// Every character the panels and labels may show: loading only these (instead of the 20,000+
// glyphs of the CJK font) keeps the atlas small and the start fast.
std::vector<ImWchar> glyph_ranges(const AppState& state) {
    ImFontGlyphRangesBuilder b;
    // The ~2,500 most common characters cover the UI and typed searches; the data's own
    // characters are added below, so rare ones in names are never missing.
    b.AddRanges(ImGui::GetIO().Fonts->GetGlyphRangesChineseSimplifiedCommon());
    b.AddText(panel_strings());
    b.AddText("，。、；：？！（）《》“”‘’【】…—·℃°±×÷０１２３４５６７８９");
    for (const auto& l : state.layers()) {
        const auto& k = l.kind();
        b.AddText(k.title.zh.c_str());
        b.AddText(k.description.zh.c_str());
        for (const auto& f : k.fields) {
            b.AddText(f.label.zh.c_str());
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

bool ViewerApp::settled() const { return !m_impl->tiles || m_impl->tiles->idle(); }

void ViewerApp::init_graphics(double pixel_ratio) {
    m_impl->renderer.init();
    if (!m_options.tiles.empty()) m_impl->tiles = TileBasemap::open(m_options.tiles);
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;
    static std::string ini;
    if (!m_options.settings.empty()) {
        ini = m_options.settings.string();
        io.IniFilename = ini.c_str();
    }
    // Fonts are rasterised at the framebuffer's scale, then shown at logical size: crisp on HiDPI.
    const float scale = static_cast<float>(std::max(1.0, pixel_ratio));
    static std::vector<ImWchar> ranges; // must outlive the atlas build
    ranges = glyph_ranges(m_state);
    if (auto face = find_cjk_font()) {
        ImFontConfig cfg;
        cfg.FontNo = face->index;
        cfg.OversampleH = 1;
        cfg.OversampleV = 1;
        cfg.PixelSnapH = true;
        if (!io.Fonts->AddFontFromFileTTF(face->file.c_str(), m_options.font_size * scale, &cfg, ranges.data()))
            io.Fonts->AddFontDefault();
        m_impl->panels.font_note = face->family.empty() ? face->file.string() : face->family;
    } else {
        io.Fonts->AddFontDefault();
        m_impl->panels.font_note = "no Chinese font found (install fonts-noto-cjk or set VIGIL_FONT)";
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
    const ImGuiIO& io = ImGui::GetIO();
    const double to_fb = pixel_ratio;

    // Map interaction (when ImGui does not want the mouse/keyboard).
    if (!io.WantCaptureMouse) {
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
        if (ImGui::IsMouseReleased(ImGuiMouseButton_Left) && !d.dragging) handle_map_click(m_state, d.panels, fb);
        if (io.MouseWheel != 0) cam.zoom_about(fb, io.MouseWheel * 0.5);
        d.panels.pointer_lonlat = cam.screen_to_lonlat(fb);
        d.panels.pointer_on_map = true;
    } else {
        d.panels.pointer_on_map = false;
    }
    if (!io.WantCaptureKeyboard) {
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
    d.renderer.begin_frame(cam, {236, 233, 226, 255});
    if (d.tiles) {
        d.tiles->pump();
        d.tiles->draw(cam);
    }
    std::set<std::string> present;
    for (const auto& l : m_state.layers()) {
        present.insert(l.kind().kind);
        if (!l.visible) continue;
        auto& cached = d.meshes[l.kind().kind];
        if (cached.revision != l.revision || !cached.mesh) {
            cached.mesh = d.renderer.build(*l.layer, l.row_visible, l.styles);
            cached.revision = l.revision;
        }
        d.renderer.draw(*cached.mesh, cam, l.opacity);
    }
    for (auto it = d.meshes.begin(); it != d.meshes.end();)
        it = present.count(it->first) ? std::next(it) : d.meshes.erase(it);
    if (d.overlay_revision != m_state.overlay_revision() || !d.overlay) {
        d.overlay = d.renderer.build(build_overlay(m_state));
        d.overlay_revision = m_state.overlay_revision();
    }
    d.renderer.draw(*d.overlay, cam, 1.0f);
    d.renderer.end_frame();

    // Labels and map furniture on ImGui's background list; panels on top.
    draw_labels(m_state, d.panels);
    draw_map_furniture(m_state, d.panels);
    draw_panels(m_state, d.panels);
}

} // namespace vigil::viewer
