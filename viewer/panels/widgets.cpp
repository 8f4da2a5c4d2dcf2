/// @file
/// Shared panel pieces: swatches, window placement, help markers (see widgets.hpp).

#include "widgets.hpp"

#include <vigil/util/i18n.hpp>
#include <vigil/util/text.hpp>

#include <algorithm>
#include <cmath>
#include <numbers>

namespace vigil::viewer {

namespace {

void marker(ImDrawList* dl, ImVec2 c, float r, Marker m, ImU32 fill, ImU32 stroke, float stroke_w) {
    switch (m) {
    case Marker::Square:
        dl->AddRectFilled(ImVec2(c.x - r, c.y - r), ImVec2(c.x + r, c.y + r), fill);
        dl->AddRect(ImVec2(c.x - r, c.y - r), ImVec2(c.x + r, c.y + r), stroke, 0, 0, stroke_w);
        break;
    case Marker::Triangle: {
        ImVec2 a(c.x, c.y - r * 1.1f), b(c.x - r, c.y + r * 0.8f), d(c.x + r, c.y + r * 0.8f);
        dl->AddTriangleFilled(a, b, d, fill);
        dl->AddTriangle(a, b, d, stroke, stroke_w);
        break;
    }
    case Marker::Diamond: {
        ImVec2 a(c.x, c.y - r * 1.15f), b(c.x + r * 1.15f, c.y), d(c.x, c.y + r * 1.15f), e(c.x - r * 1.15f, c.y);
        dl->AddQuadFilled(a, b, d, e, fill);
        dl->AddQuad(a, b, d, e, stroke, stroke_w);
        break;
    }
    case Marker::Star: {
        ImVec2 pts[10];
        for (int i = 0; i < 10; ++i) {
            float ang = static_cast<float>(-std::numbers::pi / 2 + i * std::numbers::pi / 5);
            float rr = i % 2 ? r * 0.45f : r * 1.1f;
            pts[i] = ImVec2(c.x + rr * std::cos(ang), c.y + rr * std::sin(ang));
        }
        for (int i = 0; i < 10; i += 2) { // each point of the star as two triangles from the centre
            dl->AddTriangleFilled(c, pts[i], pts[(i + 1) % 10], fill);
            dl->AddTriangleFilled(c, pts[(i + 9) % 10], pts[i], fill);
        }
        dl->AddPolyline(pts, 10, stroke, ImDrawFlags_Closed, stroke_w);
        break;
    }
    case Marker::Cross: // upright, as the map's shader draws it (arms 0.6 r wide): a hospital's cross
        dl->AddRectFilled(ImVec2(c.x - r, c.y - r * 0.3f), ImVec2(c.x + r, c.y + r * 0.3f), fill);
        dl->AddRectFilled(ImVec2(c.x - r * 0.3f, c.y - r), ImVec2(c.x + r * 0.3f, c.y + r), fill);
        break;
    case Marker::Circle:
    default:
        dl->AddCircleFilled(c, r, fill, 16);
        dl->AddCircle(c, r, stroke, 16, stroke_w);
        break;
    }
}

} // namespace

void draw_swatch(const FeatureStyle& st, catalog::GeometryKind g) {
    ImVec2 p = ImGui::GetCursorScreenPos();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float s = ImGui::GetTextLineHeight();
    const ImVec2 c(p.x + s / 2, p.y + s / 2);
    if (g == catalog::GeometryKind::Point) {
        // The marker at its map size, but never larger than the line.
        float r = std::clamp(st.size / 2, 3.0f, s * 0.42f);
        // A white stroke vanishes on the light panel: outline it in grey instead.
        Rgba stroke = st.stroke.r > 230 && st.stroke.g > 230 && st.stroke.b > 230 ? Rgba{90, 90, 90, 255} : st.stroke;
        marker(dl, c, r, st.marker, to_imgui(st.fill), to_imgui(stroke), 1.0f);
    } else if (g == catalog::GeometryKind::Line) {
        dl->AddLine(ImVec2(p.x + 1, c.y), ImVec2(p.x + s - 1, c.y), to_imgui(st.stroke), std::clamp(st.stroke_width, 1.0f, 4.0f));
    } else {
        dl->AddRectFilled(ImVec2(p.x + 1, p.y + 3), ImVec2(p.x + s - 1, p.y + s - 3), to_imgui(st.fill));
        dl->AddRect(ImVec2(p.x + 1, p.y + 3), ImVec2(p.x + s - 1, p.y + s - 3), to_imgui(st.stroke), 0, 0,
                    std::clamp(st.stroke_width, 1.0f, 3.0f));
    }
    ImGui::Dummy(ImVec2(s, s));
}

void place_next_window(const PanelState& panels, ImVec2 pos, ImVec2 size) {
    const ImVec2 display = ImGui::GetIO().DisplaySize;
    if (pos.x < 0) pos.x = display.x + pos.x - size.x;
    if (pos.y < 0) pos.y = display.y + pos.y - size.y;
    // A small window (or a big font) must not push panels off screen.
    pos.x = std::max(0.0f, std::min(pos.x, display.x - 60));
    pos.y = std::max(0.0f, std::min(pos.y, display.y - 60));
    const ImGuiCond cond = panels.reset_layout ? ImGuiCond_Always : ImGuiCond_FirstUseEver;
    ImGui::SetNextWindowPos(pos, cond);
    ImGui::SetNextWindowSize(size, cond);
}

void help_marker(const char* text) {
    ImGui::TextDisabled("(?)");
    if (ImGui::IsItemHovered()) {
        ImGui::BeginTooltip();
        ImGui::PushTextWrapPos(ImGui::GetFontSize() * 28);
        ImGui::TextUnformatted(text);
        ImGui::PopTextWrapPos();
        ImGui::EndTooltip();
    }
}

std::optional<Rgba> class_colour(const catalog::LayerKind& kind, std::string_view field, std::string_view value) {
    const auto& sym = kind.symbology;
    if (sym.color_field != field) return std::nullopt;
    auto it = sym.colors.find(std::string(value));
    if (it == sym.colors.end()) return std::nullopt;
    return parse_colour(it->second);
}

void value_ticks(const catalog::Field& f, std::string& text, bool english_beside) {
    auto words = vigil::text::split_list(text);
    for (const auto& v : f.values) {
        auto it = std::find_if(words.begin(), words.end(), [&](const std::string& w) {
            const catalog::EnumValue* e = f.find_value(w);
            return e && e->value == v.value;
        });
        bool on = it != words.end();
        ImGui::PushID(v.value.c_str());
        const std::string& label = v.label.text();
        if (ImGui::Checkbox(label.c_str(), &on)) {
            if (on) words.push_back(v.label.text());
            else words.erase(it);
            text.clear();
            for (const auto& w : words) text += (text.empty() ? "" : tr(", ")) + w;
        }
        ImGui::PopID();
        if (!english_beside && ImGui::IsItemHovered()) ImGui::SetTooltip("%s", v.value.c_str()); // i18n: not shown: the code, as typed
    }
}

} // namespace vigil::viewer
