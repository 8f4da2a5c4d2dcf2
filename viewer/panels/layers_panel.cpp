/// @file
/// Layers: visibility, opacity, "shown/total" counts, zoom to layer, and filters by field value
/// (risk level, industry, supervision tier, county, team type, capabilities, status ...) as
/// checkboxes with Chinese labels and counts. The tick logic is app/layer_filter; this file only
/// draws it and calls AppState::set_filter.

#include "panels.hpp"
#include "widgets.hpp"

#include <vigil/util/error.hpp>
#include <vigil/util/i18n.hpp>

#include <imgui.h>

#include <cstdio>

namespace vigil::viewer {

namespace {

void apply(AppState& state, PanelState& panels, const std::string& kind, const query::FilterSpec& spec) {
    try {
        state.set_filter(kind, spec);
        panels.filter_error.clear();
    } catch (const Error& e) {
        panels.filter_error = e.what();
    }
}

void draw_field_filter(AppState& state, PanelState& panels, LayerView& l, const FilterableField& ff) {
    const catalog::LayerKind& kind = l.kind();
    const catalog::Field& field = kind.fields[ff.field];
    auto cond = filter_condition(l.filter_spec, kind, ff);
    // A field whose condition is set shows it in its header, so a collapsed filter is not forgotten.
    char header[256];
    std::snprintf(header, sizeof header, "%s%s###%s", field.label.text().c_str(), cond ? "  ●" : "", field.name.c_str());
    if (!ImGui::TreeNodeEx(header, ImGuiTreeNodeFlags_SpanAvailWidth)) return;
    if (ff.mode == FilterMode::AllOf) ImGui::TextDisabled("%s", tr("must have all ticked"));
    if (ImGui::SmallButton(ff.mode == FilterMode::AnyOf ? tr("all") : tr("any"))) {
        query::FilterSpec spec = l.filter_spec;
        set_filter_condition(spec, kind, ff, std::nullopt);
        apply(state, panels, kind.kind, spec);
    }
    if (ff.mode == FilterMode::AnyOf) {
        ImGui::SameLine();
        if (ImGui::SmallButton(trc("select", "none"))) {
            query::FilterSpec spec = l.filter_spec;
            set_filter_condition(spec, kind, ff, std::vector<std::string>{});
            apply(state, panels, kind.kind, spec);
        }
    }
    for (const auto& choice : ff.choices) {
        ImGui::PushID(choice.value.c_str());
        bool ticked = filter_ticked(l.filter_spec, kind, ff, choice.value);
        if (ImGui::Checkbox("##tick", &ticked))
            apply(state, panels, kind.kind, with_filter_ticked(l.filter_spec, kind, ff, choice.value, ticked));
        ImGui::SameLine();
        // The class colour beside the values the map colours by (risk level, status, grade).
        if (auto colour = class_colour(kind, field.name, choice.value)) {
            FeatureStyle st = l.styles.legend().front().style;
            if (l.styles.geometry() == catalog::GeometryKind::Point) st.fill = *colour;
            else st.stroke = *colour;
            draw_swatch(st, l.styles.geometry());
            ImGui::SameLine();
        }
        if (choice.count == 0) ImGui::TextDisabled("%s", choice.label.c_str());
        else ImGui::TextUnformatted(choice.label.c_str());
        ImGui::SameLine();
        ImGui::TextDisabled("%zu", choice.count);
        ImGui::PopID();
    }
    ImGui::TreePop();
}

} // namespace

void draw_layers_panel(AppState& state, PanelState& panels) {
    place_next_window(panels, ImVec2(8, 30), ImVec2(310, 300)); // the legend below it
    if (!ImGui::Begin(label_id(tr("Layers"), "layers").c_str(), &panels.show_layers)) {
        ImGui::End();
        return;
    }
    if (!panels.filter_error.empty()) {
        ImGui::PushTextWrapPos(0);
        ImGui::TextColored(ImVec4(0.75f, 0.1f, 0.1f, 1), "%s", panels.filter_error.c_str());
        ImGui::PopTextWrapPos();
    }
    // Top of the drawing order first, as in every GIS.
    auto& layers = state.layers();
    for (auto it = layers.rbegin(); it != layers.rend(); ++it) {
        LayerView& l = *it;
        const std::string& kind = l.kind().kind;
        ImGui::PushID(kind.c_str());
        bool visible = l.visible;
        if (ImGui::Checkbox("##visible", &visible)) state.set_visible(kind, visible);
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr("show/hide"));
        ImGui::SameLine();
        draw_swatch(l.styles.legend().front().style, l.styles.geometry());
        ImGui::SameLine();
        const bool filtered = filter_active(l.filter_spec);
        char title[256];
        // "shown/total" only when a filter hides some: an unfiltered layer reads as its count.
        if (filtered)
            std::snprintf(title, sizeof title, "%s  %zu/%zu###layer", l.kind().title.text().c_str(), l.visible_count, l.layer->size());
        else std::snprintf(title, sizeof title, "%s  %zu###layer", l.kind().title.text().c_str(), l.layer->size());
        if (!l.visible) ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
        bool open = ImGui::TreeNodeEx(title, ImGuiTreeNodeFlags_SpanAvailWidth);
        if (!l.visible) ImGui::PopStyleColor();
        if (ImGui::IsItemHovered() && !l.kind().description.text().empty()) {
            ImGui::BeginTooltip();
            ImGui::PushTextWrapPos(ImGui::GetFontSize() * 26);
            ImGui::TextUnformatted(l.kind().description.text().c_str());
            ImGui::PopTextWrapPos();
            ImGui::EndTooltip();
        }
        if (ImGui::BeginPopupContextItem()) {
            if (ImGui::MenuItem(tr("Zoom to layer"))) state.zoom_to_layer(kind);
            if (ImGui::MenuItem(tr("Attribute table"))) {
                panels.table_kind = kind;
                panels.show_table = true;
            }
            if (ImGui::MenuItem(tr("Clear filter"), nullptr, false, filtered)) apply(state, panels, kind, {});
            ImGui::EndPopup();
        }
        if (open) {
            ImGui::SetNextItemWidth(ImGui::GetFontSize() * 8);
            ImGui::SliderFloat(tr("opacity"), &l.opacity, 0.0f, 1.0f, "%.2f");
            if (ImGui::SmallButton(tr("Zoom"))) state.zoom_to_layer(kind);
            ImGui::SameLine();
            if (ImGui::SmallButton(tr("Table"))) {
                panels.table_kind = kind;
                panels.show_table = true;
            }
            if (filtered) {
                ImGui::SameLine();
                if (ImGui::SmallButton(trc("filter", "Clear"))) apply(state, panels, kind, {});
            }
            if (!l.filter_fields.empty()) {
                ImGui::TextDisabled("%s", tr("Filter"));
                for (const auto& ff : l.filter_fields) {
                    ImGui::PushID(static_cast<int>(ff.field));
                    draw_field_filter(state, panels, l, ff);
                    ImGui::PopID();
                }
            }
            ImGui::TreePop();
        }
        ImGui::PopID();
    }
    ImGui::End();
}

} // namespace vigil::viewer
