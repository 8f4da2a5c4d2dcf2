/// @file
/// Legend: for each visible layer, top of the map first, its symbology classes as the map draws
/// them (four risk colours, team status, hazard-source grade, road classes, hidden hazards by
/// their status on the viewer's day and their level ...), from the catalogue through
/// StyleResolver::legend. With the admin areas' choropleth on, its classes
/// (range → colour) under the admin areas, a combo to change it, and a tooltip with the
/// statistics of the county under the pointer.

#include "panels.hpp"
#include "widgets.hpp"

#include <vigil/util/error.hpp>
#include <vigil/util/i18n.hpp>

#include <imgui.h>

namespace vigil::viewer {

void choose_choropleth(AppState& state, PanelState& panels, ChoroplethMeasure measure) {
    try {
        state.set_choropleth(measure);
        panels.choropleth_error.clear();
    } catch (const Error& e) {
        panels.choropleth_error = e.what();
    }
}

void draw_choropleth_menu(AppState& state, PanelState& panels) {
    if (!ImGui::BeginMenu(tr("Choropleth"))) return;
    const ChoroplethMeasure now = state.choropleth() ? state.choropleth()->measure : ChoroplethMeasure::None;
    for (ChoroplethMeasure m : k_choropleth_measures)
        if (ImGui::MenuItem(measure_label(m), nullptr, m == now) && m != now) {
            choose_choropleth(state, panels, m);
            if (m != ChoroplethMeasure::None) panels.show_legend = true; // where its classes are
        }
    if (!panels.choropleth_error.empty()) ImGui::TextColored(ImVec4(0.8f, 0.1f, 0.1f, 1), "%s", panels.choropleth_error.c_str());
    ImGui::EndMenu();
}

void draw_choropleth_combo(AppState& state, PanelState& panels) {
    const ChoroplethMeasure now = state.choropleth() ? state.choropleth()->measure : ChoroplethMeasure::None;
    ImGui::SetNextItemWidth(-1);
    if (ImGui::BeginCombo("##choropleth", measure_label(now))) {
        for (ChoroplethMeasure m : k_choropleth_measures)
            if (ImGui::Selectable(measure_label(m), m == now) && m != now) choose_choropleth(state, panels, m);
        ImGui::EndCombo();
    }
    if (!panels.choropleth_error.empty()) ImGui::TextColored(ImVec4(0.8f, 0.1f, 0.1f, 1), "%s", panels.choropleth_error.c_str());
}

void draw_choropleth_tooltip(const AppState& state, const PanelState& panels) {
    const auto& c = state.choropleth();
    if (!c || !panels.pointer_on_map) return;
    const LayerView* admin = state.layer("admin_areas");
    if (!admin || !admin->visible) return;
    if (auto county = c->county_at(*admin->layer, panels.pointer_lonlat)) ImGui::SetTooltip("%s", c->tooltip(*county).c_str());
}

void draw_legend_panel(AppState& state, PanelState& panels) {
    place_next_window(panels, ImVec2(8, 338), ImVec2(310, 440)); // under the layers, clear of the scale bar
    if (!ImGui::Begin(label_id(tr("Legend"), "legend").c_str(), &panels.show_legend)) {
        ImGui::End();
        return;
    }
    bool any = false;
    const auto& layers = state.layers();
    for (auto it = layers.rbegin(); it != layers.rend(); ++it) {
        const LayerView& l = *it;
        if (!l.visible) continue;
        any = true;
        const auto entries = l.styles.legend(i18n::language_tag(i18n::language()));
        const catalog::Field* by = l.kind().field(l.kind().symbology.color_field);
        // A single-class layer is one line: its symbol and title.
        if (entries.size() == 1) {
            draw_swatch(entries.front().style, l.styles.geometry());
            ImGui::SameLine();
        }
        ImGui::TextUnformatted(l.kind().title.text().c_str());
        if (by && entries.size() > 1) {
            ImGui::SameLine();
            ImGui::TextDisabled("· %s", by->label.text().c_str());
        }
        if (filter_active(l.filter_spec)) {
            ImGui::SameLine();
            ImGui::TextDisabled("%s", tr("(filtered)"));
        }
        // The hidden hazards' colours are their state on a day (overdue once past the deadline).
        if (l.kind().kind == "hidden_hazards") ImGui::TextDisabled(tr("as of %s"), state.as_of().c_str());
        if (entries.size() > 1) {
            ImGui::Indent(ImGui::GetFontSize() * 0.6f);
            for (const auto& e : entries) {
                draw_swatch(e.style, l.styles.geometry());
                ImGui::SameLine();
                ImGui::TextUnformatted(e.label.c_str());
            }
            ImGui::Unindent(ImGui::GetFontSize() * 0.6f);
        }
        // The choropleth replaces the admin areas' (unfilled) look: its measure, a combo to
        // change it, and its classes. Off (the default), nothing is added: the layout stays.
        if (state.choropleth() && l.kind().kind == "admin_areas") {
            ImGui::Indent(ImGui::GetFontSize() * 0.6f);
            ImGui::TextDisabled("%s", tr("choropleth"));
            draw_choropleth_combo(state, panels); // may replace or end the choropleth: read it after
            FeatureStyle swatch = entries.empty() ? FeatureStyle{} : entries.front().style;
            const auto classes = state.choropleth() ? state.choropleth()->classes : std::vector<ChoroplethClass>{};
            for (const auto& cls : classes) {
                swatch.fill = cls.colour.with_alpha(k_choropleth_alpha);
                draw_swatch(swatch, l.styles.geometry());
                ImGui::SameLine();
                ImGui::TextUnformatted(cls.label.c_str());
            }
            if (ImGui::SmallButton(tr("Statistics table"))) panels.show_stats = true; // the figures beside the map's colours
            ImGui::Unindent(ImGui::GetFontSize() * 0.6f);
        }
        ImGui::Spacing();
    }
    if (!any) ImGui::TextDisabled("%s", tr("no layer shown"));
    ImGui::End();
}

} // namespace vigil::viewer
