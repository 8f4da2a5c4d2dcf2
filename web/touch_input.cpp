/// @file
/// Touch on the panels and the layout as drawn (touch_input.hpp), out of main_web.cpp so that
/// the page's glue and its pointer handling each stay one file of one purpose.
#include "touch_input.hpp"

#include "panels/compact_layout.hpp"
#include "platform/imgui_items.hpp"

#include <imgui.h>
#include <imgui_internal.h> // the window under a finger, its scrolling, the item a press made active
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <deque>

namespace vigil::web {

using namespace vigil::viewer;

namespace {

/// Touch on the panels. The page sends a finger that lands on an ImGui window (vigil_web_ui_at)
/// here instead of to the map; ImGui gets it as its mouse: pressed where it landed, released where
/// it left (a tap on a button presses the button). Events wait in a queue and each frame takes at
/// most one press or release, so that a tap quicker than a frame is still seen by the widgets. A
/// finger that moves further than k_drag_px scrolls the window it landed on (its list, its form),
/// unless it holds a slider, a text field, a scrollbar or a window's title bar (desktop layout),
/// which it drags as a mouse would. While the last input was a touch, ImGui's mouse is nowhere
/// between touches (no hover left behind); a real mouse moving takes over again.
struct TouchEvent {
    enum Kind { Down = 0, Move = 1, Up = 2, Cancel = 3, Mouse = 4 } kind;
    float x, y; ///< CSS pixels
};
struct TouchPointer {
    bool mode = false; ///< the last pointer input was a touch
    std::deque<TouchEvent> queue;
    bool down = false, scrolling = false;
    ImVec2 pos{}, start{};
    ImGuiID scroll_window = 0;
};
TouchPointer g_touch;
constexpr float k_drag_px = 8;

/// A finger pressing an item moved: does the drag scroll the window (true), or is it the item's?
bool drag_scrolls(ImVec2 start) {
    const ImGuiContext& g = *ImGui::GetCurrentContext();
    if (g.ActiveId == 0) return true;
    ImGuiWindow* w = g.ActiveIdWindow;
    if (w && g.ActiveId == w->MoveId) // the window's background, or its title bar
        return compact_info().compact || !w->RootWindow->TitleBarRect().Contains(start);
    if (w && (g.ActiveId == ImGui::GetWindowScrollbarID(w, ImGuiAxis_Y) || g.ActiveId == ImGui::GetWindowScrollbarID(w, ImGuiAxis_X)))
        return false;
    return g.ActiveIdUsingNavDirMask == 0; // sliders and text fields claim the arrow keys; buttons, checkboxes, rows do not
}

/// The touch's effect on ImGui's mouse for this frame: after the backend's NewFrame (which read
/// GLFW's idea of the mouse), before ImGui::NewFrame.
} // namespace

void touch_to_imgui(ImGuiIO& io, float wall_scale) {
    TouchPointer& t = g_touch;
    if (!t.mode) return;
    for (bool& b : io.MouseDown) b = false;
    bool transition = false, released = false;
    float scroll_dy = 0;
    while (!t.queue.empty()) {
        const TouchEvent e = t.queue.front();
        const ImVec2 at(e.x, e.y);
        if (e.kind == TouchEvent::Move) {
            if (t.down) {
                if (!t.scrolling && std::hypot(at.x - t.start.x, at.y - t.start.y) > k_drag_px && drag_scrolls(t.start)) {
                    // The press becomes a scroll: nothing it pressed fires when the finger leaves.
                    ImGuiContext& g = *ImGui::GetCurrentContext();
                    ImGuiWindow* w = g.HoveredWindow;
                    while (w && (w->Flags & ImGuiWindowFlags_ChildWindow) && w->ScrollMax.y <= 0) w = w->ParentWindow;
                    t.scroll_window = w ? w->ID : 0;
                    ImGui::ClearActiveID();
                    g.MovingWindow = nullptr;
                    t.scrolling = true;
                }
                if (t.scrolling) scroll_dy += at.y - t.pos.y;
                t.pos = at;
            }
            t.queue.pop_front();
            continue;
        }
        if (transition) break; // one press or release a frame
        transition = true;
        t.queue.pop_front();
        if (e.kind == TouchEvent::Down) {
            t.down = true;
            t.scrolling = false;
            t.pos = t.start = at;
            break; // the widgets see the press (and ImGui the window under it) before the finger moves
        } else {   // Up, Cancel
            if (e.kind == TouchEvent::Cancel && !t.scrolling) {
                ImGui::ClearActiveID();
                t.scrolling = true; // released where it started, without effect
            }
            t.down = false;
            released = true;
            if (!t.scrolling) t.pos = at;
        }
    }
    if (scroll_dy != 0 && t.scroll_window)
        if (ImGuiWindow* w = ImGui::FindWindowByID(t.scroll_window))
            ImGui::SetScrollY(w, std::clamp(w->Scroll.y - scroll_dy, 0.0f, w->ScrollMax.y));
    // A scrolling finger holds the mouse where it landed: the window under it keeps the mouse.
    const ImVec2 at = t.scrolling ? t.start : t.pos;
    io.MousePos = t.down || released ? ImVec2(at.x / wall_scale, at.y / wall_scale) : ImVec2(-FLT_MAX, -FLT_MAX);
    io.MouseDown[0] = t.down;
}

bool ui_at(float x, float y, float wall_scale) {
    if (!ImGui::GetCurrentContext()) return false;
    const ImGuiContext& g = *ImGui::GetCurrentContext();
    if (!g.OpenPopupStack.empty()) return true;
    const ImVec2 p(x / wall_scale, y / wall_scale);
    for (const ImGuiWindow* w : g.Windows) {
        if (!w->Active || w->Hidden || w->IsFallbackWindow) continue;
        if (w->Flags & (ImGuiWindowFlags_ChildWindow | ImGuiWindowFlags_Tooltip | ImGuiWindowFlags_NoMouseInputs)) continue;
        if (ImRect(w->Pos, ImVec2(w->Pos.x + w->Size.x, w->Pos.y + w->Size.y)).Contains(p)) return true;
    }
    return false;
}

void touch_event(int kind, float x, float y) {
    if (kind == TouchEvent::Mouse) {
        g_touch = TouchPointer{};
        return;
    }
    if (kind < TouchEvent::Down || kind > TouchEvent::Cancel) return;
    g_touch.mode = true;
    g_touch.queue.push_back({static_cast<TouchEvent::Kind>(kind), x, y});
}

std::string layout_json() {
    nlohmann::json j;
    if (ImGui::GetCurrentContext()) {
        const ImGuiContext& g = *ImGui::GetCurrentContext();
        const ImGuiIO& io = ImGui::GetIO();
        auto box = [](const LayoutBox& b) { return nlohmann::json{{"x", b.x}, {"y", b.y}, {"w", b.w}, {"h", b.h}}; };
        auto win_box = [&](const ImGuiWindow* w) { return box({w->Pos.x, w->Pos.y, w->Size.x, w->Size.y}); };
        const CompactInfo& c = compact_info();
        j["compact"] = c.compact;
        j["sheet"] = c.sheet.empty() ? nlohmann::json() : nlohmann::json(c.sheet);
        j["frame_height"] = c.frame_height;
        j["screen"] = {{"w", io.DisplaySize.x}, {"h", io.DisplaySize.y}};
        const ImGuiWindow* menu = ImGui::FindWindowByName("##MainMenuBar");
        const float top = menu && menu->Active ? menu->Size.y : 0;
        if (c.compact) {
            const float bottom = c.sheet_window.area() > 0 ? std::min(c.sheet_window.y, c.geometry.bar.y) : c.geometry.bar.y;
            j["map"] = box({0, top, io.DisplaySize.x, std::max(0.0f, bottom - top)});
            j["bar"] = box(c.geometry.bar);
            j["buttons"] = nlohmann::json::object();
            for (const auto& b : c.buttons) j["buttons"][b.panel] = box(b.box);
        } else {
            j["map"] = box({0, top, io.DisplaySize.x, io.DisplaySize.y - top});
        }
        j["sheet_window"] = c.sheet_window.area() > 0 ? box(c.sheet_window) : nlohmann::json();
        j["sheet_close"] = c.sheet_window.area() > 0 ? box(c.sheet_close) : nlohmann::json();
        j["sheet_scroll"] = {{"y", c.sheet_scroll}, {"max", c.sheet_scroll_max}};
        j["windows"] = nlohmann::json::array();
        for (const ImGuiWindow* w : g.Windows) {
            if (!w->Active || w->Hidden || w->IsFallbackWindow || (w->Flags & (ImGuiWindowFlags_ChildWindow | ImGuiWindowFlags_Tooltip)))
                continue;
            j["windows"].push_back({{"title", std::string(w->Name)}, {"id", w->ID}, {"box", win_box(w)}});
        }
        j["items"] = nlohmann::json::array();
        for (const DrawnItem& it : drawn_items()) {
            if (menu && it.root_window == menu->ID) continue;
            const auto hashes = it.label.find("##");
            j["items"].push_back({{"label", it.label},
                                  {"text", it.label.substr(0, hashes)},
                                  {"window", it.root_window},
                                  {"box", box({it.x0, it.y0, it.x1 - it.x0, it.y1 - it.y0})}});
        }
    }
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

} // namespace vigil::web
