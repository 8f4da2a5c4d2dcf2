/// @file
/// Hazard: "how far does the danger reach, and who is inside?" The release point is the
/// selected enterprise or hazard source, a click on the map (click mode 危险区) or typed
/// coordinates; the chemical is searched in the GB 18218, toxic endpoint and ERG lists; the
/// model is ERG's zones, a Gaussian plume or puff, a pool fire, a BLEVE fireball or a
/// vapour-cloud explosion (core's builders, through app/hazard_view). The zones are drawn red,
/// orange, yellow by severity; the affected list flags rescue teams inside the red zone; "send
/// to dispatch" asks the Dispatch panel for teams with the roads inside the red zone closed.

#include "panels.hpp"
#include "widgets.hpp"

#include <vigil/geo/chinese_datums.hpp>
#include <vigil/util/i18n.hpp>
#include <vigil/util/text.hpp>

#include <vigil/hazard/footprint.hpp>

#include <imgui.h>
#include <misc/cpp/imgui_stdlib.h>

#include <cstdio>
#include <optional>

namespace vigil::viewer {

void ask_hazard(AppState& state, PanelState& panels, geo::Coord at, std::string place) {
    panels.hazard_form.at = at;
    panels.hazard_form.place = std::move(place);
    panels.hazard_placed = true;
    state.run_hazard(panels.hazard_form);
}

void draw_hazard_panel(AppState& state, PanelState& panels) {
    place_next_window(panels, ImVec2(-396, 30), ImVec2(380, 600));
    if (!ImGui::Begin(label_id(tr("Hazard"), "hazard").c_str(), &panels.show_hazard)) {
        ImGui::End();
        return;
    }
    auto& in = panels.hazard_form;
    bool changed = false;
    const float label_w = ImGui::GetFontSize() * 12;

    // Where.
    bool pick = panels.click_mode == ClickMode::Hazard;
    if (ImGui::Checkbox(tr("click the map to place the release"), &pick)) panels.click_mode = pick ? ClickMode::Hazard : ClickMode::Select;
    const auto& sel = state.selection();
    ImGui::BeginDisabled(!sel);
    if (ImGui::Button(tr("use the selection")) && sel) {
        const LayerView* l = state.layer(sel->kind);
        const auto& g = l->layer->geometry(sel->row);
        if (!g.is_empty())
            ask_hazard(state, panels, g.type == geo::GeometryType::Point ? g.coords[0] : geo::representative_point(g),
                       record_title(*l->layer, sel->row));
    }
    ImGui::EndDisabled();
    ImGui::SetNextItemWidth(label_w);
    if (ImGui::InputTextWithHint(label_id(tr("lon,lat"), "coords_h").c_str(), "113.2418,35.2159", &panels.hazard_coords,
                                 ImGuiInputTextFlags_EnterReturnsTrue)) {
        if (auto c = parse_lonlat(panels.hazard_coords)) {
            ask_hazard(state, panels, *c, tr("typed"));
            panels.hazard_message.clear();
        } else {
            panels.hazard_message = tr("type LON,LAT in degrees");
        }
    }

    // What.
    ImGui::SetNextItemWidth(label_w);
    ImGui::InputTextWithHint(tr("chemical"), tr("chlorine, ammonia, 1017, 7782-50-5"), &panels.hazard_search);
    if (!vigil::text::trim(panels.hazard_search).empty()) {
        int n = 0;
        for (const auto& s : search_substances(panels.hazard_search, 8)) {
            ImGui::PushID(n++);
            if (ImGui::Selectable(s.label().c_str())) {
                in.substance = s;
                panels.hazard_search.clear();
                changed = true;
            }
            ImGui::PopID();
        }
    }
    ImGui::Text("%s", in.substance.label().empty() ? tr("(no chemical)") : in.substance.label().c_str());

    // Model and inputs.
    ImGui::SetNextItemWidth(label_w);
    if (ImGui::BeginCombo(tr("model"), std::string(model_label(in.model)).c_str())) {
        for (auto m :
             {HazardModel::Erg, HazardModel::Plume, HazardModel::Puff, HazardModel::PoolFire, HazardModel::Bleve, HazardModel::Vce})
            if (ImGui::Selectable(std::string(model_label(m)).c_str(), m == in.model)) {
                in.model = m;
                changed = true;
            }
        ImGui::EndCombo();
    }
    auto number = [&](const char* label, double& v, const char* fmt) {
        ImGui::SetNextItemWidth(label_w);
        changed |= ImGui::InputDouble(label, &v, 0, 0, fmt, ImGuiInputTextFlags_EnterReturnsTrue);
    };
    number(tr("wind from (°)"), in.wind_from_deg, "%.0f");
    number(tr("wind (m/s)"), in.wind_m_s, "%.1f");
    changed |= ImGui::Checkbox(tr("night"), &in.night);
    switch (in.model) {
    case HazardModel::Erg: changed |= ImGui::Checkbox(tr("large spill"), &in.large_spill); break;
    case HazardModel::Plume:
    case HazardModel::Puff: {
        const char* k_classes[] = {tr("auto"), "A", "B", "C", "D", "E", "F"}; // each frame: the language may change
        int cls = in.stability.empty() ? 0 : in.stability[0] - 'A' + 1;
        ImGui::SetNextItemWidth(label_w);
        if (ImGui::Combo(tr("stability"), &cls, k_classes, 7)) {
            in.stability = cls == 0 ? "" : std::string(1, static_cast<char>('A' + cls - 1));
            changed = true;
        }
        if (in.stability.empty()) {
            // Unknown sky: core takes the class that reaches farthest and says so.
            bool known = in.cloud_cover.has_value();
            if (ImGui::Checkbox(tr("cloud cover known"), &known)) {
                in.cloud_cover = known ? std::optional<double>(0.5) : std::nullopt;
                changed = true;
            }
            if (in.cloud_cover) {
                float cover = static_cast<float>(*in.cloud_cover);
                ImGui::SetNextItemWidth(label_w);
                if (ImGui::SliderFloat(tr("cloud (0-1)"), &cover, 0.0f, 1.0f, "%.2f")) {
                    in.cloud_cover = cover;
                    changed = true;
                }
            }
        }
        changed |= ImGui::Checkbox(tr("urban"), &in.urban);
        if (in.model == HazardModel::Plume) number(tr("rate (kg/s)"), in.rate_kg_s, "%.2f");
        else number(tr("mass (kg)"), in.mass_kg, "%.0f");
        number(tr("height (m)"), in.height_m, "%.1f");
        break;
    }
    case HazardModel::PoolFire:
        number(tr("pool area (m²)"), in.pool_area_m2, "%.0f");
        number(tr("heat of combustion ΔHc (MJ/kg)"), in.heat_of_combustion_mj_kg, "%.1f");
        number(tr("m″ (kg/m²s)"), in.burning_rate_kg_m2_s, "%.3f");
        break;
    case HazardModel::Bleve:
    case HazardModel::Vce:
        number(trc("explosion", "mass (kg)"), in.mass_kg, "%.0f");
        number(tr("heat of combustion ΔHc (MJ/kg)"), in.heat_of_combustion_mj_kg, "%.1f");
        if (in.model == HazardModel::Vce) number(tr("TNT yield factor"), in.vce_yield, "%.3f");
        break;
    }
    if (changed && panels.hazard_placed) state.run_hazard(in);
    if (!panels.hazard_message.empty()) ImGui::TextColored(ImVec4(0.75f, 0.1f, 0.1f, 1), "%s", panels.hazard_message.c_str());

    const auto& h = state.hazard();
    ImGui::Separator();
    if (!h) {
        ImGui::TextDisabled("%s", tr("choose a chemical, then click the map or use the selection"));
        ImGui::End();
        return;
    }
    ImGui::Text("%s  %.6f, %.6f", h->inputs.place.c_str(), h->inputs.at.x, h->inputs.at.y);
    if (!h->error.empty()) {
        ImGui::PushTextWrapPos(0);
        ImGui::TextColored(ImVec4(0.75f, 0.1f, 0.1f, 1), "%s", h->error.c_str());
        ImGui::PopTextWrapPos();
    }
    ImGui::PushTextWrapPos(0);
    for (const auto& f : h->facts) ImGui::TextUnformatted(f.c_str());
    // What was assumed stays in sight: a safety tool says what it did not know.
    for (const auto& a : h->assumptions) ImGui::TextColored(ImVec4(0.8f, 0.45f, 0.0f, 1), tr("assumed: %s"), a.c_str());
    ImGui::PopTextWrapPos();
    for (auto it = h->zones.rbegin(); it != h->zones.rend(); ++it) {
        const auto& z = *it;
        ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(to_imgui(zone_outline(z.tier))), "■");
        ImGui::SameLine();
        // The zone's whole name from core (never level and kind glued: "isolation isolation").
        if (z.cut) ImGui::TextUnformatted(trf("{}  > {} (cut)", hazard::zone_title(z), format_distance(z.distance_m)).c_str());
        else ImGui::Text("%s  %s", hazard::zone_title(z).c_str(), format_distance(z.distance_m).c_str());
    }
    if (ImGui::TreeNode(label_id(tr("notes"), "notes").c_str())) {
        ImGui::PushTextWrapPos(0);
        for (const auto& n : h->notes) ImGui::TextDisabled("%s", n.c_str());
        ImGui::PopTextWrapPos();
        ImGui::TreePop();
    }
    ImGui::TextUnformatted(trf("inside: {}", h->affected.size()).c_str());
    if (!h->affected.empty() &&
        ImGui::BeginTable("inside", 3, ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchProp | ImGuiTableFlags_ScrollY,
                          ImVec2(0, ImGui::GetTextLineHeightWithSpacing() * 8))) {
        for (std::size_t i = 0; i < h->affected.size(); ++i) {
            const auto& a = h->affected[i];
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(to_imgui(zone_outline(a.tier))), "■");
            ImGui::TableNextColumn();
            const std::string label = fmt::format("{} {}##{}", a.kind_title, a.name, i);
            if (ImGui::Selectable(a.unable_to_respond ? (trf("[cannot respond] {}", label)).c_str() : label.c_str()))
                state.select_and_zoom({a.kind, a.row});
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(format_distance(a.distance_m).c_str());
        }
        ImGui::EndTable();
    }
    ImGui::BeginDisabled(!h->error.empty());
    if (ImGui::Button(tr("send to dispatch"))) {
        DispatchQuery q = dispatch_query_for(*h, panels.dispatch_form);
        q.filter.need = vigil::text::split_list(panels.dispatch_need_text);
        q.filter.status = vigil::text::split_list(panels.dispatch_status_text);
        panels.show_dispatch = true;
        state.run_dispatch(std::move(q));
    }
    ImGui::EndDisabled();
    ImGui::SameLine();
    help_marker(tr("The release point becomes the incident; roads inside the red zone are closed."));
    ImGui::SameLine();
    if (ImGui::Button(label_id(tr("Clear"), "clear_h").c_str())) state.clear_hazard();
    ImGui::End();
}

} // namespace vigil::viewer
