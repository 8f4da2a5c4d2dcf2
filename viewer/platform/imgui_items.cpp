/// @file
/// Dear ImGui's test-engine hooks, recording where labelled items were drawn (imgui_items.hpp).
/// Compiled into vigil_imgui with IMGUI_ENABLE_TEST_ENGINE, so that the hooks link wherever
/// ImGui does; recording costs nothing while ImGuiContext::TestEngineHookItems is off.

#include "imgui_items.hpp"

#include <imgui.h>
#include <imgui_internal.h>

#include <cstdarg>

namespace vigil::viewer {
namespace {
std::vector<DrawnItem> g_items;
constexpr std::size_t k_max_items = 4000; // a long list scrolled far: enough for what is on screen
} // namespace

void record_drawn_items(bool on) {
    if (ImGuiContext* g = ImGui::GetCurrentContext()) g->TestEngineHookItems = on;
}
void clear_drawn_items() { g_items.clear(); }
const std::vector<DrawnItem>& drawn_items() { return g_items; }

} // namespace vigil::viewer

void ImGuiTestEngineHook_ItemAdd(ImGuiContext*, const ImRect&, ImGuiID) {}

void ImGuiTestEngineHook_ItemInfo(ImGuiContext* ctx, ImGuiID id, const char* label, ImGuiItemStatusFlags) {
    using vigil::viewer::g_items;
    if (!ctx || !label || g_items.size() >= vigil::viewer::k_max_items) return;
    const ImGuiLastItemData& last = ctx->LastItemData;
    if (last.ID != id) return; // only items whose rectangle is the last one added
    const ImGuiWindow* w = ctx->CurrentWindow;
    g_items.push_back(
        {id, label, last.Rect.Min.x, last.Rect.Min.y, last.Rect.Max.x, last.Rect.Max.y, w && w->RootWindow ? w->RootWindow->ID : 0u});
}

void ImGuiTestEngineHook_Log(ImGuiContext*, const char*, ...) {}

const char* ImGuiTestEngine_FindItemDebugLabel(ImGuiContext*, ImGuiID) { return nullptr; }
