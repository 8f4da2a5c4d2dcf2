/// @file
/// The browser's main loop: the same ViewerApp as `vigil view`, on Emscripten's GLFW and WebGL 2.
///
/// The page (web/page/vigil-page.js) fetches the project database snapshot and the font from
/// `vigil serve`, writes them into the in-memory file system, then calls vigil_web_start(). From
/// then on the browser drives frames (emscripten_set_main_loop). The functions exported here are
/// the page's only way in: start, touch gestures, the URL fragment (permalink) and a read-only
/// view of the state for the end-to-end tests.
///
/// Pixels: the canvas's backing store is its CSS size times devicePixelRatio, re-checked every
/// frame (window resizes, browser zoom, moving to another screen). Emscripten's GLFW reports the
/// pointer in backing-store pixels; ImGui works in CSS pixels with a framebuffer scale, like a
/// HiDPI desktop, so the panels keep their size and the map stays sharp.

#include "app/permalink.hpp"
#include "panels/compact_layout.hpp"
#include "panels/panels.hpp"
#include "platform/imgui_items.hpp"
#include "platform/key_latch.hpp"
#include "render/gl.hpp"
#include "touch_input.hpp"
#include "viewer_app.hpp"

#include <vigil/app/check.hpp>
#include <vigil/app/coverage.hpp>
#include <vigil/app/dispatch.hpp>
#include <vigil/app/edit_command.hpp>
#include <vigil/app/hits_json.hpp>
#include <vigil/app/isochrones.hpp>
#include <vigil/app/live.hpp>
#include <vigil/app/regional_risk.hpp>
#include <vigil/app/replay.hpp>
#include <vigil/app/stats.hpp>
#include <vigil/app/stats_table.hpp>
#include <vigil/app/supply.hpp>
#include <vigil/app/wall_board.hpp>
#include <vigil/app/zones.hpp>
#include <vigil/util/error.hpp>
#include <vigil/util/text.hpp>

#include <GLFW/glfw3.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <vigil/util/i18n.hpp>

#include <emscripten/emscripten.h>
#include <emscripten/html5.h>
#include <imgui.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <memory>
#include <string>

namespace vigil::web {
// The page's and the server's Chinese texts (web/po/zh_CN.po, embedded by CMake).
std::span<const unsigned char> messages_zh_CN();
} // namespace vigil::web

using namespace vigil;
using namespace vigil::viewer;

// EM_ASM blocks name their arguments $0, $1...
#pragma clang diagnostic ignored "-Wdollar-in-identifier-extension"

namespace {

struct WebViewer {
    std::unique_ptr<ViewerApp> app;
    GLFWwindow* window = nullptr;
    double css_w = 0, css_h = 0, dpr = 1;
    int fb_w = 0, fb_h = 0;
    std::string last_hash;      ///< the fragment last written to (or read from) the address bar
    double last_hash_check = 0; ///< emscripten_get_now() when the fragment was last built
    int frames = 0;
    bool text_input = false;     ///< ImGui wanted text input at the end of the last frame
    bool language_fixed = false; ///< the page's lang= gave the language (vigil_web_set_language)
    int page_language = -1;      ///< the language the page was last told (vigilPage.language)
};

WebViewer g_web;
std::string g_result; // the string a call below returns (valid until the next call)

void update_canvas_size() {
    double w = 0, h = 0;
    emscripten_get_element_css_size("#canvas", &w, &h);
    const double dpr = std::clamp(emscripten_get_device_pixel_ratio(), 0.5, 4.0);
    const int fb_w = std::max(1, static_cast<int>(std::lround(w * dpr))), fb_h = std::max(1, static_cast<int>(std::lround(h * dpr)));
    if (fb_w != g_web.fb_w || fb_h != g_web.fb_h) emscripten_set_canvas_element_size("#canvas", fb_w, fb_h);
    g_web.css_w = std::max(1.0, w);
    g_web.css_h = std::max(1.0, h);
    g_web.dpr = dpr;
    g_web.fb_w = fb_w;
    g_web.fb_h = fb_h;
}

/// The permalink into the address bar when the view changed, at most four times a second
/// (history.replaceState is throttled by browsers when called every frame).
void push_hash() {
    // The time first: the fragment is not even built on the frames in between.
    const double now = emscripten_get_now();
    if (now - g_web.last_hash_check < 250) return;
    g_web.last_hash_check = now;
    const std::string hash = make_permalink(g_web.app->state());
    if (hash == g_web.last_hash) return;
    g_web.last_hash = hash;
    EM_ASM(
        {
            if (window.vigilPage) window.vigilPage.setHash(UTF8ToString($0));
        },
        hash.c_str());
}

void frame() {
    const double t0 = emscripten_get_now();
    update_canvas_size();
    glfwPollEvents();
    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplGlfw_NewFrame();
    ImGuiIO& io = ImGui::GetIO();
    // GLFW's idea of the window size is the canvas's at creation: the page's is the truth.
    // The wall (#wall) grows everything by its scale on top of the device's ratio, as natively.
    const float wall = g_web.app->wall_scale();
    const float scale = static_cast<float>(g_web.dpr) * wall;
    io.DisplaySize = ImVec2(static_cast<float>(g_web.css_w) / wall, static_cast<float>(g_web.css_h) / wall);
    io.DisplayFramebufferScale = ImVec2(scale, scale);
    if (io.MousePos.x > -FLT_MAX / 2) io.MousePos = ImVec2(io.MousePos.x / scale, io.MousePos.y / scale);
    if (g_web.app) web::touch_to_imgui(io, g_web.app->wall_scale());
    clear_drawn_items(); // where this frame draws its items (the tests' taps)
    ImGui::NewFrame();
    key_latch_frame_begun();
    g_web.app->frame(g_web.fb_w, g_web.fb_h, scale);
    ImGui::Render();
    glViewport(0, 0, g_web.fb_w, g_web.fb_h);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
    // A text field has the focus: the page moves the keyboard focus to its hidden text area, so
    // that an IME can compose Chinese there (Emscripten's GLFW sees key presses only).
    if (io.WantTextInput != g_web.text_input) {
        g_web.text_input = io.WantTextInput;
        EM_ASM(
            {
                if (window.vigilPage) window.vigilPage.textInput($0);
            },
            g_web.text_input ? 1 : 0);
    }
    // The first frames lay the panels out; the map is on screen from the second.
    if (++g_web.frames <= 3)
        emscripten_log(EM_LOG_CONSOLE, "vigil: frame %d took %.0f ms", g_web.frames, // i18n: not shown: the console, for developers
                       emscripten_get_now() - t0);
    if (g_web.frames == 2)
        EM_ASM({
            if (window.vigilPage) window.vigilPage.firstFrame();
        });
    push_hash();
    // The page's own words (sign-in bar and form) follow the viewer's language: its saved
    // setting on the first frame, the Settings panel's choice later.
    if (const int lang = static_cast<int>(i18n::language()); lang != g_web.page_language) {
        g_web.page_language = lang;
        EM_ASM(
            {
                if (window.vigilPage && window.vigilPage.language) window.vigilPage.language(UTF8ToString($0));
            },
            i18n::language_tag(i18n::language()).data());
    }
}

geo::Coord to_fb(double css_x, double css_y) { return {css_x * g_web.dpr, css_y * g_web.dpr}; }

/// The page's #wall&distance=5m&width=2.2m&clock=…&view=LON,LAT,ZOOM&select=ID, as JSON: the
/// options `vigil view --wall` takes. @throws vigil::UsageError naming a bad one.
void wall_options_from_page(const char* json, ViewerOptions& o) {
    const auto j = nlohmann::json::parse(json, nullptr, false);
    if (!j.is_object()) return;
    auto field = [&](const char* key) { return j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : std::string(); };
    o.wall.enabled = true;
    o.wall.animate = true;
    if (const auto d = field("distance"); !d.empty()) o.wall.viewing_distance_m = parse_metres(d, "#wall distance=");
    if (const auto w = field("width"); !w.empty()) o.wall.screen_width_m = parse_metres(w, "#wall width=");
    if (const auto c = field("clock"); !c.empty()) {
        const auto s = app::utc_seconds(app::utc_of_typed_time(c));
        if (!s) throw UsageError(trf("{}: expected a time, e.g. {}", "#wall clock=" + c, "2026-12-07T12:00:00Z"));
        o.wall.clock_start_s = *s;
        o.wall.clock_rate = 0; // a given moment stays (a report's or a test's picture)
        o.wall.animate = false;
    }
    if (const auto v = field("view"); !v.empty()) {
        const auto parts = text::split(text::fold_number_text(v), ',');
        const auto lon = parts.size() == 3 ? text::parse_double(parts[0]) : std::nullopt;
        const auto lat = parts.size() == 3 ? text::parse_double(parts[1]) : std::nullopt;
        const auto zoom = parts.size() == 3 ? text::parse_double(parts[2]) : std::nullopt;
        if (!lon || !lat || !zoom) throw UsageError(trf("{}: expected {}", "#wall view=" + v, "LON,LAT,ZOOM"));
        o.view_center = geo::Coord{*lon, *lat};
        o.view_zoom = *zoom;
    }
    o.select_id = field("select");
}

nlohmann::json state_json() {
    const AppState& s = g_web.app->state();
    nlohmann::json j;
    const geo::Coord c = s.camera().center_lonlat();
    j["zoom"] = s.camera().zoom();
    j["center"] = {c.x, c.y};
    j["css_size"] = {g_web.css_w, g_web.css_h};
    j["device_pixel_ratio"] = g_web.dpr;
    j["frames"] = g_web.frames;
    j["language"] = std::string(i18n::language_tag(i18n::language())); // "zh-CN" or "en"
    if (const WallDirector* wall = g_web.app->wall()) {
        const WallSizing* sizing = g_web.app->wall_sizing();
        j["wall"] = {{"scale", g_web.app->wall_scale()},
                     {"px_per_arcmin", sizing ? sizing->px_per_arcmin : 1.0},
                     {"focus_incident", wall->focus_incident()},
                     {"board", app::to_json(wall->board())},
                     {"reloads", wall->reloads()}};
    }
    j["permalink"] = make_permalink(s);
    j["search_text"] = g_web.app->panels().search_text;
    j["search_hits"] = g_web.app->panels().search_hits.size();
    j["text_input"] = g_web.text_input;
    j["layout"] = {{"compact", compact_info().compact},
                   {"sheet", compact_info().sheet.empty() ? nlohmann::json() : nlohmann::json(compact_info().sheet)}};
    if (const auto& d = s.dispatch()) {
        // Core's JSON of the answer (docs/json.md, "Dispatch"), without the routes' and
        // isochrones' coordinates (the page polls this), plus what only the viewer has.
        auto dispatch = nlohmann::json::parse(vigil::app::to_json(*d, {.routes = false, .geometry = false}).dump());
        dispatch["pending"] = d->pending;
        dispatch["error"] = d->error;
        const RoadNetwork& net = g_web.app->state().road_network();
        dispatch["graph_from_store"] = net.from_store();
        dispatch["road_graph"] = nlohmann::json::parse(vigil::app::to_json(net.obtained()).dump());
        j["dispatch"] = std::move(dispatch);
    } else {
        j["dispatch"] = nullptr;
    }
    j["dispatch_message"] = g_web.app->panels().dispatch_message;
    j["live"] = {{"seq", s.live_seq()}, {"status", s.live_status()}};
    j["layers"] = nlohmann::json::array();
    for (const auto& l : s.layers())
        j["layers"].push_back({{"kind", l.kind().kind}, {"visible", l.visible}, {"shown", l.visible_count}, {"total", l.layer->size()}});
    if (const auto& sel = s.selection()) {
        const LayerView* l = s.layer(sel->kind);
        j["selection"] = {{"kind", sel->kind}, {"id", l ? l->layer->id(sel->row) : ""}};
    } else {
        j["selection"] = nullptr;
    }
    return j;
}

} // namespace

extern "C" {

/// Opens the project and starts the frame loop. Returns "" or the error message.
/// `tiles` is the manifest's "tiles" entry as JSON ("null" or "" for none).
EMSCRIPTEN_KEEPALIVE const char* vigil_web_start(const char* database, const char* font, const char* label, const char* hash,
                                                 const char* tiles, const char* wall) {
    try {
        update_canvas_size();
        ViewerOptions o;
        o.database = database;
        o.font_file = font ? font : "";
        o.project_label = label ? label : "";
        o.read_only = true;
        o.language_fixed = g_web.language_fixed;
        // The panel layout and settings: ImGui keeps them in this in-memory file; the page saves it
        // to localStorage and puts it back on the next visit.
        o.settings = "/settings/imgui.ini";
        if (tiles && *tiles) {
            const auto t = nlohmann::json::parse(tiles);
            if (t.is_object()) {
                HttpTiles web;
                web.url = t.value("url", std::string("data/tiles/{z}/{x}/{y}"));
                if (!web.url.empty() && web.url.front() == '/') web.url.erase(0, 1); // relative to the page
                web.min_zoom = t.value("minzoom", 0);
                web.max_zoom = t.value("maxzoom", 18);
                web.jpeg = t.value("format", std::string("png")) == "jpg" || t.value("format", std::string()) == "jpeg";
                if (t.contains("bounds") && t["bounds"].is_array() && t["bounds"].size() == 4)
                    web.bounds = {t["bounds"][0].get<double>(), t["bounds"][1].get<double>(), t["bounds"][2].get<double>(),
                                  t["bounds"][3].get<double>()};
                o.http_tiles = web;
            }
        }
        o.width = g_web.fb_w;
        o.height = g_web.fb_h;
        if (wall && *wall) wall_options_from_page(wall, o);
        const double t0 = emscripten_get_now();
        g_web.app = std::make_unique<ViewerApp>(o);
        // Exports (the dispatch sheet, the map PNG) become downloads: the page wraps the bytes
        // in a Blob (copied out of the heap at once, before anything can grow it).
        g_web.app->panels().offer_download = [](const std::string& name, const std::string& mime, const std::string& bytes) {
            EM_ASM(
                {
                    if (window.vigilPage) window.vigilPage.download(UTF8ToString($0), UTF8ToString($1), HEAPU8.slice($2, $2 + $3));
                },
                name.c_str(), mime.c_str(), bytes.data(), bytes.size());
        };
        g_web.app->load();
        const double t_loaded = emscripten_get_now();
        if (hash && *hash) {
            for (const auto& problem : apply_permalink(g_web.app->state(), hash))
                emscripten_log(EM_LOG_WARN, "permalink: %s", problem.c_str());
            g_web.last_hash = make_permalink(g_web.app->state());
        }

        if (!glfwInit()) throw Error(trf("cannot initialise {}", "GLFW"));
        glfwWindowHint(GLFW_CLIENT_API, GLFW_OPENGL_ES_API);
        glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
        glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 0);
        g_web.window = glfwCreateWindow(g_web.fb_w, g_web.fb_h, "Vigil", nullptr, nullptr);
        if (!g_web.window) throw Error(trf("cannot create a {} context", "WebGL 2")); // the page looks for "WebGL"
        glfwMakeContextCurrent(g_web.window);
        IMGUI_CHECKVERSION();
        ImGui::CreateContext();
        ImGui_ImplGlfw_InitForOpenGL(g_web.window, true);
        record_drawn_items(true);
        install_key_latch(g_web.window); // quick key taps between two frames are not lost
        ImGui_ImplOpenGL3_Init("#version 300 es");
        // The map's panels scale with the screen like the page's text does.
        g_web.app->set_content_scale(1.0f);
        const double t_gl = emscripten_get_now();
        g_web.app->configure_wall(g_web.fb_w, 0.0); // the page's width= says the picture's size; a browser cannot
        g_web.app->init_graphics(g_web.dpr * g_web.app->wall_scale());
        const double t_ready = emscripten_get_now();
        emscripten_log(EM_LOG_CONSOLE, // i18n: not shown: the console, for developers
                       "vigil: project loaded in %.0f ms, WebGL set up in %.0f ms, fonts and shaders in %.0f ms", t_loaded - t0,
                       t_gl - t_loaded, t_ready - t_gl);
        emscripten_set_main_loop(frame, 0, false);
        g_result.clear();
    } catch (const std::exception& e) {
        g_result = e.what();
        if (g_result.empty()) g_result = tr("unknown error");
    }
    return g_result.c_str();
}

/// The page's language, before vigil_web_start: the page's lang= (fixed: it wins over the one
/// chosen in Settings) or the browser's (navigator.language; a saved choice wins over it). A tag
/// Vigil does not speak gives Chinese. Returns the language taken ("zh-CN" or "en").
EMSCRIPTEN_KEEPALIVE const char* vigil_web_set_language(const char* tag, int fixed) {
    i18n::add_catalogue(i18n::Language::zh_CN, vigil::web::messages_zh_CN()); // added once, however often called
    const auto lang = i18n::parse_language(tag ? tag : "");
    i18n::set_language(lang.value_or(i18n::Language::zh_CN));
    g_web.language_fixed = fixed != 0 && lang.has_value();
    return i18n::language_tag(i18n::language()).data();
}

/// Text composed by an IME (or typed directly) in the page's hidden text area: into ImGui.
EMSCRIPTEN_KEEPALIVE void vigil_web_text(const char* utf8) {
    if (g_web.app && utf8) ImGui::GetIO().AddInputCharactersUTF8(utf8);
}

/// Writes ImGui's settings file now (the page then keeps it): ImGui itself waits 5 s after a change.
EMSCRIPTEN_KEEPALIVE void vigil_web_save_settings() {
    if (g_web.app && ImGui::GetCurrentContext() && ImGui::GetIO().IniFilename) ImGui::SaveIniSettingsToDisk(ImGui::GetIO().IniFilename);
}

/// Touch: pan by a CSS-pixel delta.
EMSCRIPTEN_KEEPALIVE void vigil_web_pan(double dx, double dy) {
    if (g_web.app) g_web.app->state().camera().pan_pixels(dx * g_web.dpr, dy * g_web.dpr);
}

/// Touch: zoom by `levels` (log2 of the pinch's scale) about a CSS-pixel position.
EMSCRIPTEN_KEEPALIVE void vigil_web_zoom(double x, double y, double levels) {
    if (g_web.app) g_web.app->state().camera().zoom_about(to_fb(x, y), levels);
}

/// Touch: a tap on the map at a CSS-pixel position (as a mouse click would be).
EMSCRIPTEN_KEEPALIVE int vigil_web_tap(double x, double y) { return g_web.app && g_web.app->click_map(to_fb(x, y)) ? 1 : 0; }

/// Touch: is there a panel (any ImGui window: a panel, the menu bar, the compact layout's bar, a
/// search drop-down) at this CSS-pixel position in the last frame, or a menu open (a tap anywhere
/// closes it)? 1: a finger landing there is the panels' (vigil_web_touch), 0: the map's.
EMSCRIPTEN_KEEPALIVE int vigil_web_ui_at(double x, double y) {
    return g_web.app && web::ui_at(static_cast<float>(x), static_cast<float>(y), g_web.app->wall_scale()) ? 1 : 0;
}

/// Touch on the panels (see TouchPointer): `kind` 0 = the finger landed, 1 = moved, 2 = left,
/// 3 = cancelled (the browser took it back: nothing fires); 4 = a real mouse moved (ImGui's
/// mouse follows it again). CSS pixels.
EMSCRIPTEN_KEEPALIVE void vigil_web_touch(int kind, double x, double y) {
    if (g_web.app) web::touch_event(kind, static_cast<float>(x), static_cast<float>(y));
}

/// The layout as the last frame drew it, CSS pixels ({x, y, w, h} boxes), for the tests and the
/// console: "compact" (the phone's layout, app/compact_rule.hpp), "sheet" (the panel shown as the
/// bottom sheet, or null), "frame_height" (a button's height), "screen", "map" (the map left in
/// view: below the menu bar, above the sheet or the bar), "bar", "buttons" ({panel: box}),
/// "sheet_window", "sheet_close" (its close button), "sheet_scroll" ({y, max}: its content's), "windows" (every panel window drawn:
/// {title, box}) and "items" (every labelled item drawn in a window other than the menu bar:
/// {label, text (before "##"), box, window}).
EMSCRIPTEN_KEEPALIVE const char* vigil_web_layout() {
    g_result = g_web.app ? web::layout_json() : std::string("{}");
    return g_result.c_str();
}

/// The address bar's fragment changed (a pasted link, back/forward): apply it. Returns the
/// problems found, one per line ("" when none).
EMSCRIPTEN_KEEPALIVE const char* vigil_web_apply_hash(const char* hash) {
    g_result.clear();
    if (!g_web.app || !hash) return g_result.c_str();
    for (const auto& problem : apply_permalink(g_web.app->state(), hash)) g_result += problem + "\n";
    g_web.last_hash = make_permalink(g_web.app->state());
    return g_result.c_str();
}

/// The state as JSON, for the page and the end-to-end tests (read-only).
EMSCRIPTEN_KEEPALIVE const char* vigil_web_state() {
    g_result = g_web.app ? state_json().dump() : "null";
    return g_result.c_str();
}

/// Where a record is on the screen, in CSS pixels: {"x":..,"y":..} or null.
/// The change sequence number the page's records are current to (its snapshot's, then the last
/// change applied); -1 when the project has no change sequence (nothing to follow).
EMSCRIPTEN_KEEPALIVE double vigil_web_live_seq() { return g_web.app ? static_cast<double>(g_web.app->state().live_seq()) : -1.0; }

/// Applies one change event `vigil serve` pushed (app::live_delta_json) by core's app::apply_delta,
/// as the native viewer applies what it reads: the camera, the selection and the panels stay, the
/// dispatch and nearest answers are asked again. Returns {"records": N, "last_seq": S} or
/// {"reload": [kinds]} when the page must fetch a new snapshot, or {"error": "..."}.
EMSCRIPTEN_KEEPALIVE const char* vigil_web_apply_changes(const char* json) {
    nlohmann::json out;
    try {
        if (!g_web.app) throw Error(tr("the viewer has not started"));
        const auto delta = app::parse_live_delta(json ? json : "");
        const auto update = g_web.app->state().apply_pushed(delta);
        out = {{"records", update.records}, {"last_seq", delta.last_seq}, {"last_at", delta.last_at}};
        if (!update.need_reload.empty()) out["reload"] = update.need_reload;
    } catch (const std::exception& e) {
        out = {{"error", e.what()}};
    }
    g_result = out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return g_result.c_str();
}

/// Who is signed in to the server this page came from (the page asks GET api/session and signs
/// in and out itself; the session cookie is HttpOnly, so only the CSRF token passes through
/// here). An empty `user` is signed out: editing off, with `why` shown where the edit controls
/// were. A viewer-role user stays read-only (the server would refuse the writes anyway).
EMSCRIPTEN_KEEPALIVE void vigil_web_session(const char* user, const char* role, const char* csrf, const char* why) {
    if (!g_web.app) return;
    auto& desk = g_web.app->state().edits();
    const std::string name = user ? user : "";
    if (name.empty()) return desk.disable(why ? why : "");
    viewer::EditServer server;
    server.csrf = csrf ? csrf : "";
    server.role = app::parse_role(role ? role : "").value_or(app::Role::Viewer);
    desk.configure_server(std::move(server), app::Editor{name, ""});
}

/// Starts one edit command (docs/json.md, "Edit commands") through the viewer's edit desk, the
/// path the Inspector and the Dispatch panel take. Returns "" when it started, else why not.
EMSCRIPTEN_KEEPALIVE const char* vigil_web_edit(const char* command_json) {
    g_result.clear();
    try {
        if (!g_web.app) throw Error(tr("the viewer has not started"));
        auto& desk = g_web.app->state().edits();
        if (!desk.enabled()) throw Error(desk.why_not().empty() ? std::string(tr("not signed in: no edits")) : desk.why_not());
        if (desk.busy()) throw Error(tr("the last edit is still being committed"));
        if (!desk.start(app::parse_edit_command(nlohmann::json::parse(command_json ? command_json : ""))))
            throw Error(desk.message().empty() ? std::string(tr("not started")) : desk.message());
    } catch (const std::exception& e) {
        g_result = e.what();
        if (g_result.empty()) g_result = tr("unknown error");
    }
    return g_result.c_str();
}

/// The edit desk now: {"busy", "enabled", "why_not", "message", "refused", "result" (the last
/// committed edit, as `vigil ... --json` prints it) , "conflict" (the last stale refusal)}.
EMSCRIPTEN_KEEPALIVE const char* vigil_web_edit_state() {
    nlohmann::ordered_json j;
    if (g_web.app) {
        auto& desk = g_web.app->state().edits();
        j["busy"] = desk.busy();
        j["enabled"] = desk.enabled();
        j["why_not"] = desk.why_not();
        j["message"] = desk.message();
        j["refused"] = desk.refused();
        j["result"] = desk.last() ? app::to_json(*desk.last()) : nlohmann::ordered_json();
        j["conflict"] = desk.conflict() ? app::to_json(*desk.conflict()) : nlohmann::ordered_json();
    }
    g_result = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return g_result.c_str();
}

/// Replay (the Replay panel's question): the map as it stood at `typed` (the bureau's clock, or
/// UTC with a trailing Z), from the audit the server gives a signed-in page. Returns "" when the
/// read started, else why not; vigil_web_replay_state() says when it is shown.
EMSCRIPTEN_KEEPALIVE const char* vigil_web_replay(const char* typed) {
    g_result.clear();
    if (!g_web.app) g_result = tr("the viewer has not started");
    else if (!g_web.app->state().request_replay(typed ? typed : "")) g_result = g_web.app->state().replay_error();
    return g_result.c_str();
}

/// {"pending", "error", "replay": null | {"at", "typed", "undone", "differences": [{layer, id, absent_then, fields}]}}.
EMSCRIPTEN_KEEPALIVE const char* vigil_web_replay_state() {
    nlohmann::ordered_json j;
    if (g_web.app) {
        const auto& st = g_web.app->state();
        j["pending"] = st.replay_pending();
        j["error"] = st.replay_error();
        j["replay"] = nullptr;
        if (const auto& r = st.replay()) {
            auto diffs = nlohmann::ordered_json::array();
            for (const auto& rec : r->differences) {
                auto fields = nlohmann::ordered_json::array();
                for (const auto& f : rec.fields)
                    fields.push_back({{"field", f.field}, {"then_text", f.then_text}, {"now_text", f.now_text}});
                diffs.push_back({{"layer", rec.layer}, {"id", rec.id}, {"absent_then", rec.absent_then}, {"fields", fields}});
            }
            j["replay"] = {{"at", r->at}, {"typed", r->typed}, {"undone", r->undone}, {"differences", diffs}};
        }
    }
    g_result = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return g_result.c_str();
}

/// The incident brief (the Inspector's "Save brief"): made by the server for a signed-in page and
/// offered as a download when it arrives. Returns "" when it was asked for, else why not.
EMSCRIPTEN_KEEPALIVE const char* vigil_web_brief(const char* incident) {
    g_result.clear();
    if (!g_web.app) g_result = tr("the viewer has not started");
    else if (!g_web.app->state().edits().can_brief()) g_result = tr("not signed in: no brief");
    else if (!g_web.app->state().edits().request_brief(incident ? incident : "")) g_result = tr("a brief is being made");
    return g_result.c_str();
}

EMSCRIPTEN_KEEPALIVE void vigil_web_back_to_live() {
    if (g_web.app) g_web.app->state().back_to_live();
}

EMSCRIPTEN_KEEPALIVE const char* vigil_web_screen_position(const char* kind, const char* id) {
    g_result = "null";
    if (!g_web.app) return g_result.c_str();
    const LayerView* l = g_web.app->state().layer(kind ? kind : "");
    const auto row = l ? l->layer->find(id ? id : "") : std::nullopt;
    if (row && !l->layer->geometry(*row).coords.empty()) {
        const geo::Coord s = g_web.app->state().camera().lonlat_to_screen(l->layer->geometry(*row).coords.front());
        g_result = nlohmann::json{{"x", s.x / g_web.dpr}, {"y", s.y / g_web.dpr}}.dump();
    }
    return g_result.c_str();
}

/// The nearest-team query the Nearest panel runs, from a point: the JSON of `vigil nearest --json`
/// (docs/json.md "Nearest and within": {query, results}).
EMSCRIPTEN_KEEPALIVE const char* vigil_web_nearest(double lon, double lat, const char* kind, int k, const char* need, const char* status) {
    g_result = "[]";
    if (!g_web.app) return g_result.c_str();
    try {
        NearestQuery q;
        q.at = {lon, lat};
        q.kind = kind ? kind : "rescue_teams";
        q.k = static_cast<std::size_t>(std::max(1, k));
        auto split = [](const char* text) {
            std::vector<std::string> out;
            std::string cur;
            for (const char* p = text ? text : ""; *p; ++p) {
                if (*p == ',') {
                    if (!cur.empty()) out.push_back(cur);
                    cur.clear();
                } else {
                    cur += *p;
                }
            }
            if (!cur.empty()) out.push_back(cur);
            return out;
        };
        q.filter.need = split(need);
        q.filter.status = split(status);
        const NearestQuery& r = g_web.app->state().run_nearest(q);
        if (!r.error.empty()) throw Error(r.error);
        const LayerView* l = g_web.app->state().layer(q.kind);
        g_result = app::hits_json(*l->layer, q.at, r.results, false); // `vigil nearest --json`'s form
    } catch (const std::exception& e) {
        g_result = nlohmann::json{{"error", e.what()}}.dump();
    }
    return g_result.c_str();
}

/// A dispatch question at (lon, lat) as the Dispatch panel asks it (capabilities and statuses
/// comma-separated, "" = any), for the console and the end-to-end tests; opens the panel. The
/// answer appears in vigil_web_state()'s "dispatch" (pending until the road graph is built).
/// `closures`: "" or a JSON array of polygons, each an array of rings of [lon, lat] (GeoJSON
/// Polygon coordinates), whose roads are closed, as "send to dispatch" closes a red zone's.
/// Returns "" or the error.
EMSCRIPTEN_KEEPALIVE const char* vigil_web_dispatch(double lon, double lat, const char* need, const char* status, const char* closures) {
    g_result.clear();
    if (!g_web.app) return g_result.c_str();
    PanelState& panels = g_web.app->panels();
    DispatchQuery q = panels.dispatch_form;
    q.at = {lon, lat};
    q.place = "console";
    q.filter.need = text::split_list(need ? need : "");
    q.filter.status = text::split_list(status ? status : "");
    try {
        const std::string text = closures ? closures : "";
        if (!text.empty())
            for (const auto& polygon : nlohmann::json::parse(text)) {
                vigil::app::Rings rings;
                for (const auto& ring : polygon) {
                    rings.emplace_back();
                    for (const auto& c : ring) rings.back().push_back({c.at(0).get<double>(), c.at(1).get<double>()});
                }
                q.closures.push_back(std::move(rings));
            }
    } catch (const std::exception& e) {
        g_result = trf("closures: expected {}: {}", "[[[lon, lat], ...]], ...]", e.what());
        return g_result.c_str();
    }
    panels.dispatch_need_text = need ? need : "";
    panels.dispatch_status_text = status ? status : "";
    panels.show_dispatch = true;
    g_result = g_web.app->state().run_dispatch(std::move(q)).error;
    return g_result.c_str();
}

/// The dispatch question as a request (docs/json.md, "Dispatch request": {at: [lon, lat], need,
/// status, equipment: "防化服:2,堵漏器材", supplies, closures, ...}), read by core over the
/// panel's form (keys not given keep the panel's values); the panel opens and shows the question.
/// The answer appears in vigil_web_state()'s "dispatch". Returns "" or the error.
EMSCRIPTEN_KEEPALIVE const char* vigil_web_dispatch_request(const char* request_json) {
    g_result.clear();
    if (!g_web.app) return g_result.c_str();
    PanelState& panels = g_web.app->panels();
    DispatchQuery q;
    try {
        q = app::dispatch_query_from_json(nlohmann::json::parse(request_json ? request_json : ""), panels.dispatch_form);
    } catch (const std::exception& e) {
        g_result = e.what();
        return g_result.c_str();
    }
    q.place = "console";
    // The panel shows what was asked: its ticks, supplies and equipment fields.
    auto joined = [](const std::vector<std::string>& words) {
        std::string out;
        for (const auto& w : words) out += (out.empty() ? "" : ",") + w;
        return out;
    };
    panels.dispatch_need_text = joined(q.filter.need);
    panels.dispatch_status_text = joined(q.filter.status);
    panels.dispatch_form.needs = q.needs;
    panels.dispatch_form.equipment = q.equipment;
    panels.show_dispatch = true;
    g_result = g_web.app->state().run_dispatch(std::move(q)).error;
    return g_result.c_str();
}

/// Exports the dispatch answer as the panel's buttons do ("csv", "geojson", "png"): the page
/// offers it as a download (the PNG after the next frame's map). 1 if something was exported.
EMSCRIPTEN_KEEPALIVE int vigil_web_export_dispatch(const char* format) {
    return g_web.app && export_dispatch(g_web.app->state(), g_web.app->panels(), format ? format : "") ? 1 : 0;
}

/// The hazard-zone question (app::ZoneRequest as JSON, docs/json.md "zones") answered by core's
/// zone service over the layers the viewer holds: the same answer as `vigil zone --json` and the
/// native Hazard panel. Returns the result's JSON, or {"error": "..."}.
EMSCRIPTEN_KEEPALIVE const char* vigil_web_zone(const char* request_json) {
    g_result = "null";
    if (!g_web.app) return g_result.c_str();
    try {
        const auto request = app::zone_request_from_json(nlohmann::json::parse(request_json ? request_json : ""));
        g_result = app::to_json(app::compute_zones(request, g_web.app->state().layer_set())).dump();
    } catch (const std::exception& e) {
        g_result = nlohmann::json{{"error", e.what()}}.dump();
    }
    return g_result.c_str();
}

/// The grid-management statistics (app::StatsRequest as JSON: by ("county" or "grid"), lec,
/// matrix, as_of (default: the viewer's day, today); docs/json.md "Stats") over the layers the
/// viewer holds: the table `vigil stats --json` prints for the same database (the choropleth's
/// figures). Milliseconds even at 100,000 enterprises, so answered at once; {"error": "..."}
/// when refused.
EMSCRIPTEN_KEEPALIVE const char* vigil_web_stats(const char* request_json) {
    g_result = "null";
    if (!g_web.app) return g_result.c_str();
    try {
        const auto request = app::stats_request_from_json(nlohmann::json::parse(request_json && *request_json ? request_json : "{}"));
        g_result = app::to_json(g_web.app->state().statistics(request)).dump();
    } catch (const std::exception& e) {
        g_result = nlohmann::json{{"error", e.what()}}.dump();
    }
    return g_result.c_str();
}

/// The Statistics panel's table (request: {"by": "county"|"grid"}, default county): opens the
/// panel with that grouping and returns its table as core's JSON (app::to_json(StatsTable):
/// columns with their headers in the page's language, one object per row in the panel's order,
/// the total) — the figures `vigil stats --json` prints. {"error": "..."} when refused.
EMSCRIPTEN_KEEPALIVE const char* vigil_web_stats_table(const char* request_json) {
    g_result = "null";
    if (!g_web.app) return g_result.c_str();
    try {
        const auto request = app::stats_request_from_json(nlohmann::json::parse(request_json && *request_json ? request_json : "{}"));
        PanelState& panels = g_web.app->panels();
        panels.show_stats = true;
        if (panels.stats.by != request.by) {
            panels.stats.by = request.by;
            sort_stats_view(panels.stats, std::nullopt, false);
        }
        refresh_stats_view(panels.stats, g_web.app->state());
        if (!panels.stats.shown) throw UsageError(panels.stats.error);
        g_result = app::to_json(*panels.stats.shown).dump();
    } catch (const std::exception& e) {
        g_result = nlohmann::json{{"error", e.what()}}.dump();
    }
    return g_result.c_str();
}

/// Exports the Statistics panel's table as its buttons do ("csv" or "xlsx"): offered as a
/// download. 1 if something was exported.
EMSCRIPTEN_KEEPALIVE int vigil_web_export_stats(const char* format) {
    return g_web.app && export_stats(g_web.app->state(), g_web.app->panels(), format ? format : "") ? 1 : 0;
}

/// The data-quality report (app::CheckRequest as JSON, docs/json.md "Check"; `as_of` defaults to
/// today, as in `vigil check`) over the layers the viewer holds, run off the frame: returns
/// {"pending": true} and the Data check panel opens; vigil_web_check_result() gives the report —
/// the findings `vigil check --json` lists from the same database. Returns {"error": "..."} at
/// once for a refused request.
EMSCRIPTEN_KEEPALIVE const char* vigil_web_check(const char* request_json) {
    g_result = "null";
    if (!g_web.app) return g_result.c_str();
    try {
        const std::string text = request_json && *request_json ? request_json : "{}";
        auto q = app::check_request_from_json(nlohmann::json::parse(text));
        if (q.as_of.empty()) q.as_of = app::today_utc();
        PanelState& panels = g_web.app->panels();
        panels.check_selected.reset();
        panels.check_message.clear();
        panels.show_check = true;
        g_web.app->state().start_check(q);
        g_result = R"({"pending":true})";
    } catch (const std::exception& e) {
        g_result = nlohmann::json{{"error", e.what()}}.dump();
    }
    return g_result.c_str();
}

/// The report vigil_web_check() started: {"pending": true} while it runs (the frames pick it up),
/// then its JSON, or {"error": "..."} when the checks failed; null before any check.
EMSCRIPTEN_KEEPALIVE const char* vigil_web_check_result() {
    g_result = "null";
    if (!g_web.app) return g_result.c_str();
    AppState& state = g_web.app->state();
    state.update_check();
    if (state.check_running()) g_result = R"({"pending":true})";
    else if (!state.check_error().empty()) g_result = nlohmann::json{{"error", state.check_error()}}.dump();
    else if (state.check()) g_result = app::to_json(*state.check()).dump();
    return g_result.c_str();
}

/// A planning question (`kind`: "supply", "isochrones", "coverage" or "risk"; `request_json`:
/// the request of docs/json.md, its keys the CLI's options) asked of core's service on a
/// background job over the layers and the road graph the viewer holds: the answer of `vigil
/// supply|isochrone|coverage|risk --json` on the same database. Isochrones, coverage and risk
/// open the Planning panel, which draws them. Returns "" or why the request was refused; the
/// answer comes from vigil_web_plan_answer (the page polls it: a frame never computes it).
EMSCRIPTEN_KEEPALIVE const char* vigil_web_plan(const char* kind, const char* request_json) {
    g_result.clear();
    if (!g_web.app) return g_result.c_str();
    try {
        const auto k = parse_plan_kind(kind ? kind : "");
        if (!k)
            throw UsageError(trf("unknown question '{}' ({})", kind ? kind : "",
                                 "supply, isochrones, coverage, risk")); // i18n: not shown: the questions' names, typed as they are
        const auto j = nlohmann::json::parse(request_json && *request_json ? request_json : "{}");
        PlanQuestion q;
        switch (*k) {
        case PlanKind::supply: q = app::supply_query_from_json(j); break;
        case PlanKind::isochrones: q = app::isochrone_query_from_json(j); break;
        case PlanKind::coverage: q = app::coverage_query_from_json(j); break;
        case PlanKind::risk: q = app::risk_request_from_json(j); break;
        }
        if (*k != PlanKind::supply) g_web.app->panels().show_planning = true;
        g_web.app->state().ask_plan(std::move(q));
    } catch (const std::exception& e) {
        g_result = e.what();
        if (g_result.empty()) g_result = tr("unknown error");
    }
    return g_result.c_str();
}

/// The answer to the last planning question of `kind`: core's JSON (app::to_json), {"pending":
/// true} while it is computed, {"error": "…"} when refused, null when none was asked.
EMSCRIPTEN_KEEPALIVE const char* vigil_web_plan_answer(const char* kind) {
    g_result = "null";
    if (!g_web.app) return g_result.c_str();
    const auto k = parse_plan_kind(kind ? kind : "");
    if (!k) return g_result.c_str();
    g_web.app->state().update_planning(); // between frames too: the page may poll faster than it draws
    if (const PlanAnswer* a = g_web.app->state().planner().answer(*k)) g_result = a->json_text();
    return g_result.c_str();
}

/// The dispatcher's flow (接警 New incident, the Dispatch panel; app/incident_flow.hpp), as the
/// page's console asks it: {"place": "G207 温县段", "material": "硫酸", "datum": "auto"|"wgs84"|
/// "gcj02"|"bd09", "assign_n": 3} answers (step 3 after the two typed ones), {"incident": ID}
/// loads an incident of the project; {"step": "assign"} and {"step": "brief"} are steps 4 and 5.
/// Returns "" when it started, else why not; vigil_web_incident_state() says how it stands.
EMSCRIPTEN_KEEPALIVE const char* vigil_web_incident(const char* request) {
    g_result.clear();
    if (!g_web.app) {
        g_result = tr("the viewer has not started");
        return g_result.c_str();
    }
    try {
        const auto r = nlohmann::json::parse(request ? request : "{}");
        AppState& state = g_web.app->state();
        PanelState& panels = g_web.app->panels();
        IncidentFlow& flow = panels.flow;
        panels.show_dispatch = true;
        if (r.contains("assign_n")) flow.assign_n = std::clamp(r["assign_n"].get<int>(), 1, 10);
        const std::string step = r.value("step", "");
        bool started = false;
        if (step == "assign") started = assign_top_teams(state, flow);
        else if (step == "brief") started = save_incident_brief(state, flow);
        else if (r.contains("incident")) started = open_incident_in_dispatch(state, panels, r["incident"].get<std::string>());
        else {
            flow.place_text = r.value("place", "");
            flow.material_text = r.value("material", "");
            const auto datum = app::parse_place_datum(r.value("datum", "auto"));
            if (!datum) throw UsageError(trf("datum: {}, {}, {} or {}", "auto", "wgs84", "gcj02", "bd09"));
            flow.datum = *datum;
            started = ask_incident(state, panels);
        }
        if (!started) g_result = flow.message.empty() ? trf("not started: {}", step) : flow.message;
    } catch (const std::exception& e) {
        g_result = e.what();
    }
    return g_result.c_str();
}

/// How the flow stands: {"pending", "message", "error", "place": {label, lon, lat, county} | null,
/// "assumptions", "material": {name_zh, un, guide} | null, "zones", "closures", "needs",
/// "teams": [{id, name, phone, eta_s}] (reachable, ranked), "incident", "assigned", "brief":
/// the brief's outcome (where it went, or why not)}.
EMSCRIPTEN_KEEPALIVE const char* vigil_web_incident_state() {
    nlohmann::ordered_json j;
    if (g_web.app) {
        AppState& state = g_web.app->state();
        const PanelState& panels = g_web.app->panels();
        const IncidentFlow& flow = panels.flow;
        const auto& d = state.dispatch();
        j["pending"] =
            (d && d->pending) || flow.fit_pending || !flow.to_assign.empty() || !flow.assigning.empty() || state.edits().brief_pending();
        j["message"] = flow.message;
        j["error"] = flow.message_is_error;
        j["place"] = flow.place ? nlohmann::ordered_json{{"label", flow.place->label},
                                                         {"lon", flow.place->at.x},
                                                         {"lat", flow.place->at.y},
                                                         {"county", flow.place->county}}
                                : nlohmann::ordered_json();
        j["assumptions"] = flow.assumptions;
        j["material"] =
            flow.material
                ? nlohmann::ordered_json{{"name_zh", flow.material->name_zh}, {"un", flow.material->un}, {"guide", flow.material->guide}}
                : nlohmann::ordered_json();
        j["zones"] = state.hazard() ? state.hazard()->zones.size() : 0;
        j["closures"] = d ? d->query.closures.size() : 0;
        j["needs"] = d ? d->query.needs : std::string();
        auto teams = nlohmann::ordered_json::array();
        if (d && !d->pending)
            for (const auto& t : d->teams)
                if (t.reachable) teams.push_back({{"id", t.id}, {"name", t.name}, {"phone", t.phone}, {"eta_s", t.eta_s}});
        j["teams"] = teams;
        j["incident"] = flow.incident;
        j["assigned"] = flow.assigned;
        j["brief"] = panels.brief_message;
    }
    g_result = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return g_result.c_str();
}

} // extern "C"

int main() { return 0; } // the page calls vigil_web_start() once its data is in
