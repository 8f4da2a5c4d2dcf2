/// @file
/// Nearest: "which hazmat teams are nearest to here?" The point is a click on the map (click mode
/// 最近) or typed coordinates "LON,LAT" (WGS84, or GCJ-02 as AMap shows them); the layer,
/// k, the capabilities needed and the accepted statuses take Chinese or English words (危化品,
/// hazmat; 待命, available). Results come from query::nearest through AppState::run_nearest,
/// listed with geodesic distances; the overlay draws the lines. Changing the form re-asks the
/// question at the same point.

#include "panels.hpp"
#include "widgets.hpp"

#include <vigil/catalog/normalize.hpp>
#include <vigil/geo/chinese_datums.hpp>
#include <vigil/util/i18n.hpp>
#include <vigil/util/text.hpp>

#include <imgui.h>
#include <misc/cpp/imgui_stdlib.h>

#include <algorithm>
#include <cstdio>

namespace vigil::viewer {

namespace {

/// A "Choose…" button whose popup ticks the field's values into `text` (as Chinese labels).
void value_picker(const char* id, const catalog::Field& f, std::string& text) {
    ImGui::PushID(id);
    // i18n: not shown: the popup's ID
    if (ImGui::SmallButton(tr("Choose…"))) ImGui::OpenPopup("pick");
    if (ImGui::BeginPopup("pick")) { // i18n: not shown: the popup's ID
        value_ticks(f, text, true);
        ImGui::EndPopup();
    }
    ImGui::PopID();
}

bool same_question(const NearestQuery& a, const NearestQuery& b) {
    return a.kind == b.kind && a.k == b.k && a.filter.need == b.filter.need && a.filter.status == b.filter.status &&
           a.filter.where == b.filter.where;
}

} // namespace

void draw_nearest_panel(AppState& state, PanelState& panels) {
    // Beside the inspector column, over the map's right half, which it leaves when closed.
    place_next_window(panels, ImVec2(-396, 30), ImVec2(350, 400));
    if (!ImGui::Begin(label_id(tr("Nearest"), "nearest").c_str(), &panels.show_nearest)) {
        ImGui::End();
        return;
    }
    const float label_w = ImGui::GetFontSize() * 11;
    bool pick = panels.click_mode == ClickMode::Nearest;
    if (ImGui::Checkbox(tr("click the map to ask"), &pick)) panels.click_mode = pick ? ClickMode::Nearest : ClickMode::Select;

    auto& form = panels.nearest_form;
    const LayerView* target = state.layer(form.kind);
    ImGui::SetNextItemWidth(label_w);
    if (ImGui::BeginCombo(tr("layer"), target ? target->kind().title.text().c_str() : form.kind.c_str())) {
        for (const auto& l : state.layers())
            if (l.kind().geometry == catalog::GeometryKind::Point &&
                ImGui::Selectable(l.kind().title.text().c_str(), l.kind().kind == form.kind))
                form.kind = l.kind().kind;
        ImGui::EndCombo();
    }
    target = state.layer(form.kind);
    int k = static_cast<int>(form.k);
    ImGui::SetNextItemWidth(label_w);
    if (ImGui::InputInt(tr("k"), &k)) form.k = static_cast<std::size_t>(std::clamp(k, 1, 100));

    // Capabilities and status only where the layer has them (teams); other layers: plain nearest.
    const catalog::Field* caps = target ? target->kind().field_with_role(catalog::FieldRole::Capabilities) : nullptr;
    const catalog::Field* status = target ? target->kind().field_with_role(catalog::FieldRole::Status) : nullptr;
    if (caps) {
        ImGui::SetNextItemWidth(label_w);
        ImGui::InputTextWithHint(tr("need"), tr("hazmat,water"), &panels.need_text);
        ImGui::SameLine();
        value_picker("need", *caps, panels.need_text);
    }
    if (status) {
        ImGui::SetNextItemWidth(label_w);
        ImGui::InputTextWithHint(tr("status"), tr("available"), &panels.status_text);
        ImGui::SameLine();
        value_picker("status", *status, panels.status_text);
    }
    form.filter.need = caps ? vigil::text::split_list(panels.need_text) : std::vector<std::string>{};
    form.filter.status = status ? vigil::text::split_list(panels.status_text) : std::vector<std::string>{};

    // Typed coordinates.
    ImGui::SetNextItemWidth(label_w);
    bool go = ImGui::InputTextWithHint(tr("lon,lat"), "113.2418,35.2159", &panels.nearest_coords, ImGuiInputTextFlags_EnterReturnsTrue);
    ImGui::Checkbox(tr("GCJ-02 (AMap)"), &panels.nearest_coords_gcj02);
    ImGui::SameLine();
    go |= ImGui::Button(tr("Ask"));
    if (go) {
        if (auto c = parse_lonlat(panels.nearest_coords)) {
            NearestQuery q = form;
            q.at = panels.nearest_coords_gcj02 ? geo::gcj02_to_wgs84(*c) : *c;
            state.run_nearest(q);
            panels.nearest_coords_error.clear();
        } else {
            panels.nearest_coords_error = tr("type LON,LAT in degrees");
        }
    }
    if (!panels.nearest_coords_error.empty()) ImGui::TextColored(ImVec4(0.75f, 0.1f, 0.1f, 1), "%s", panels.nearest_coords_error.c_str());

    // A changed form asks again at the same point.
    if (const auto& q = state.nearest(); q && !same_question(*q, form)) {
        NearestQuery again = form;
        again.at = q->at;
        state.run_nearest(again);
    }

    const auto& q = state.nearest();
    if (!q) {
        ImGui::Separator();
        ImGui::TextDisabled("%s", tr("tick 'click the map', then click; or type a point"));
        ImGui::End();
        return;
    }
    ImGui::Separator();
    const geo::Coord gcj = geo::wgs84_to_gcj02(q->at);
    ImGui::Text("WGS84 %.6f, %.6f", q->at.x, q->at.y);      // i18n: not shown: a datum and numbers
    ImGui::TextDisabled("GCJ-02 %.6f, %.6f", gcj.x, gcj.y); // i18n: not shown: a datum and numbers
    if (!q->error.empty()) {
        ImGui::PushTextWrapPos(0);
        ImGui::TextColored(ImVec4(0.75f, 0.1f, 0.1f, 1), "%s", q->error.c_str());
        ImGui::PopTextWrapPos();
    }
    if (const LayerView* l = state.layer(q->kind)) {
        const auto status_field = l->kind().index_of_role(catalog::FieldRole::Status);
        const auto turnout_field = l->kind().index_of_role(catalog::FieldRole::Turnout);
        const int cols = 3 + (status_field ? 1 : 0) + (turnout_field ? 1 : 0);
        if (!q->results.empty() &&
            ImGui::BeginTable("results", cols, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_SizingStretchProp)) {
            ImGui::TableSetupColumn("#", ImGuiTableColumnFlags_WidthFixed);
            ImGui::TableSetupColumn(tr("name"), ImGuiTableColumnFlags_WidthStretch);
            ImGui::TableSetupColumn(tr("distance"), ImGuiTableColumnFlags_WidthFixed);
            if (status_field) ImGui::TableSetupColumn(tr("status"), ImGuiTableColumnFlags_WidthFixed);
            if (turnout_field) ImGui::TableSetupColumn(tr("turnout"), ImGuiTableColumnFlags_WidthFixed);
            ImGui::TableHeadersRow();
            const auto& sel = state.selection();
            for (std::size_t i = 0; i < q->results.size(); ++i) {
                const query::Hit& h = q->results[i];
                ImGui::TableNextRow();
                ImGui::TableNextColumn();
                char num[32];
                std::snprintf(num, sizeof num, "%zu", i + 1);
                const bool selected = sel && sel->kind == q->kind && sel->row == h.row;
                if (ImGui::Selectable(num, selected, ImGuiSelectableFlags_SpanAllColumns)) state.select_and_zoom({q->kind, h.row});
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(record_title(*l->layer, h.row).c_str());
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(format_distance(h.distance_m).c_str());
                if (status_field) {
                    ImGui::TableNextColumn();
                    ImGui::TextUnformatted(
                        catalog::display_value(l->kind().fields[*status_field], l->layer->value(h.row, *status_field)).c_str());
                }
                if (turnout_field) {
                    ImGui::TableNextColumn();
                    std::string t = catalog::display_value(l->kind().fields[*turnout_field], l->layer->value(h.row, *turnout_field));
                    ImGui::TextUnformatted(t.empty() ? "—" : trf("{} min", t).c_str());
                }
            }
            ImGui::EndTable();
        }
        if (q->results.empty() && q->error.empty()) ImGui::TextDisabled("%s", trc("results", "none"));
    }
    if (ImGui::Button(tr("Clear"))) state.clear_nearest();
    ImGui::End();
}

} // namespace vigil::viewer
