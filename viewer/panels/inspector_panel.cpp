/// @file
/// Inspector: the selected record as people read it — its key facts as coloured chips (risk
/// level, status, type, capabilities in Chinese), every catalogue field with its display value,
/// list fields as small tables (a hazard source's inventory: substance, CAS, UN, tonnes,
/// category; a warehouse's stock: item, quantity, unit), the records related to it through the
/// catalogue's references (an enterprise's hazard sources with their inventories, a hazard
/// source's enterprise, a team's host enterprise) as links, and the source columns the catalogue
/// does not know. The work is app/record_details; this file draws it.

#include "panels.hpp"
#include "widgets.hpp"

#include <vigil/app/live.hpp>
#include <vigil/catalog/normalize.hpp>
#include <vigil/util/i18n.hpp>

#include <imgui.h>

#include <algorithm>
#include <cstdio>

namespace vigil::viewer {

namespace {

/// A rounded label; wraps to the next line when the current one is full.
void chip(const std::string& text, ImU32 bg, ImU32 fg, bool& first) {
    const ImVec2 pad(6, 2);
    const ImVec2 ts = ImGui::CalcTextSize(text.c_str());
    const ImVec2 size(ts.x + 2 * pad.x, ts.y + 2 * pad.y);
    if (!first) {
        ImGui::SameLine(0, 4);
        if (ImGui::GetCursorPosX() + size.x > ImGui::GetWindowContentRegionMax().x) ImGui::NewLine();
    }
    first = false;
    const ImVec2 p = ImGui::GetCursorScreenPos();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(p, ImVec2(p.x + size.x, p.y + size.y), bg, size.y / 2);
    dl->AddText(ImVec2(p.x + pad.x, p.y + pad.y), fg, text.c_str());
    ImGui::Dummy(size);
}

// Dark text on light colours, white on dark ones (perceived luminance).
ImU32 text_on(Rgba c) { return (0.299 * c.r + 0.587 * c.g + 0.114 * c.b) > 150 ? IM_COL32(33, 33, 33, 255) : IM_COL32(255, 255, 255, 255); }

/// Key facts: the fields with a role that matters at a glance, coloured by the symbology.
void draw_key_facts(const LayerView& l, std::size_t row) {
    const catalog::LayerKind& kind = l.kind();
    bool first = true;
    const ImU32 neutral_bg = IM_COL32(224, 228, 234, 255), neutral_fg = IM_COL32(40, 44, 52, 255);
    for (catalog::FieldRole role :
         {catalog::FieldRole::Risk, catalog::FieldRole::Status, catalog::FieldRole::Category, catalog::FieldRole::County}) {
        auto fi = kind.index_of_role(role);
        if (!fi) continue;
        const catalog::Field& f = kind.fields[*fi];
        const model::Value& v = l.layer->value(row, *fi);
        std::string text = catalog::display_value(f, v);
        if (text.empty()) continue;
        if (auto colour = class_colour(kind, f.name, model::to_text(v))) chip(text, to_imgui(*colour), text_on(*colour), first);
        else chip(text, neutral_bg, neutral_fg, first);
    }
    // Enum grades coloured by the symbology though they have no role (hazard source 一级..四级).
    if (const catalog::Field* f = kind.field(kind.symbology.color_field); f && f->role == catalog::FieldRole::None) {
        const model::Value& v = l.layer->value(row, *kind.field_index(f->name));
        if (auto colour = class_colour(kind, f->name, model::to_text(v)))
            chip(f->label.text() + " " + catalog::display_value(*f, v), to_imgui(*colour), text_on(*colour), first);
    }
    if (auto fi = kind.index_of_role(catalog::FieldRole::Capabilities)) {
        const catalog::Field& f = kind.fields[*fi];
        const std::string stored = model::to_text(l.layer->value(row, *fi));
        for (const auto& v : f.values)
            if (stored.find("\"" + v.value + "\"") != std::string::npos)
                chip(v.label.text().empty() ? v.value : v.label.text(), IM_COL32(232, 245, 233, 255), IM_COL32(27, 94, 32, 255), first);
    }
}

void draw_detail_table(const char* id, const DetailTable& t) {
    const int n = static_cast<int>(t.headers.size());
    if (n == 0 || n > 64) return;
    if (ImGui::BeginTable(id, n,
                          ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInner | ImGuiTableFlags_BordersOuterH |
                              ImGuiTableFlags_SizingStretchProp)) {
        for (const auto& h : t.headers) ImGui::TableSetupColumn(h.c_str());
        ImGui::TableHeadersRow();
        for (const auto& row : t.rows) {
            ImGui::TableNextRow();
            for (const auto& cell : row) {
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(cell.c_str());
            }
        }
        ImGui::EndTable();
    }
}

/// The list fields of a record as tables under their labels.
void draw_lists(const LayerView& l, std::size_t row, bool with_headers) {
    const catalog::LayerKind& kind = l.kind();
    for (std::size_t fi = 0; fi < kind.fields.size(); ++fi) {
        const catalog::Field& f = kind.fields[fi];
        if (f.type != catalog::FieldType::List) continue;
        DetailTable t = list_table(f, l.layer->value(row, fi));
        if (with_headers) {
            char header[200];
            std::snprintf(header, sizeof header, "%s (%zu)###list_%s", f.label.text().c_str(), t.rows.size(), f.name.c_str());
            if (!ImGui::CollapsingHeader(header, ImGuiTreeNodeFlags_DefaultOpen)) continue;
        }
        if (t.empty()) ImGui::TextDisabled("%s", tr("none"));
        else draw_detail_table(f.name.c_str(), t);
    }
}

void draw_related(AppState& state, PanelState& panels) {
    if (panels.related.empty()) return;
    const std::string header = label_id(trf("Related ({})", panels.related.size()).c_str(), "related");
    if (!ImGui::CollapsingHeader(header.c_str(), ImGuiTreeNodeFlags_DefaultOpen)) return;
    std::string last_group;
    std::optional<Selection> clicked;
    for (std::size_t i = 0; i < panels.related.size(); ++i) {
        const RelatedRecord& rel = panels.related[i];
        const LayerView* target = state.layer(rel.kind);
        if (!target) continue;
        // Grouped under "危险源 · 所属企业编号" (incoming) or the linking field (outgoing).
        std::string group = rel.outgoing ? rel.via : target->kind().title.text() + " · " + rel.via;
        if (group != last_group) {
            ImGui::TextDisabled("%s", group.c_str());
            last_group = group;
        }
        ImGui::PushID(static_cast<int>(i));
        const std::string title = record_title(*target->layer, rel.row);
        bool has_lists = false;
        for (const auto& f : target->kind().fields) has_lists |= f.type == catalog::FieldType::List;
        if (has_lists) {
            // A hazard source opens to its inventory; its name is the link.
            bool open = ImGui::TreeNodeEx("node", // i18n: not shown: an ImGui ID
                                          ImGuiTreeNodeFlags_DefaultOpen | ImGuiTreeNodeFlags_AllowItemOverlap, "%s", "");
            ImGui::SameLine();
            if (ImGui::SmallButton(title.c_str())) clicked = Selection{rel.kind, rel.row};
            if (open) {
                draw_lists(*target, rel.row, false);
                ImGui::TreePop();
            }
        } else {
            ImGui::Bullet();
            if (ImGui::SmallButton(title.c_str())) clicked = Selection{rel.kind, rel.row};
        }
        if (ImGui::IsItemHovered())
            ImGui::SetTooltip(tr("%s  %s — click to select"), target->kind().title.text().c_str(), target->layer->id(rel.row).c_str());
        ImGui::PopID();
    }
    if (clicked) state.select_and_zoom(*clicked);
}

/// A hidden hazard's state on the viewer's day (core's ledger: overdue when open past its
/// deadline, whatever was typed), and the grid a record lies in with its grid member.
void draw_ledger_and_grid(const AppState& state, const LayerView& l, std::size_t row) {
    const catalog::LayerKind& kind = l.kind();
    if (const app::HazardLedger* g = state.hazard_ledger(); g && kind.kind == "hidden_hazards" && row < g->records.size()) {
        const app::HazardRecordState& r = g->records[row];
        const std::string value(app::hazard_state_value(r.state));
        const catalog::Field* status = kind.field("status");
        const catalog::EnumValue* v = status ? status->value_named(value) : nullptr;
        const std::string label = v ? v->label.text() : r.state == app::HazardState::NotYetFound ? std::string(tr("not yet found")) : value;
        const char* assumed = r.deadline_assumed && r.state == app::HazardState::Overdue ? tr(" (no deadline: counted as overdue)") : "";
        ImGui::TextDisabled(tr("as of %s: %s%s"), g->as_of.c_str(), label.c_str(), assumed);
    }
    if (kind.geometry != catalog::GeometryKind::Point) return;
    const std::string grid = state.grid_text(kind.kind, row);
    if (grid.empty()) return;
    ImGui::PushTextWrapPos(0);
    ImGui::TextDisabled(tr("grid %s"), grid.c_str());
    ImGui::PopTextWrapPos();
}

/// A team's duty status, set by the dispatcher (待命/出动/休整/维修): one edit through core's
/// edit service; the map changes when the commit comes back through the change feed.
void draw_status_editor(AppState& state, const LayerView& l, std::size_t row) {
    if (l.kind().kind != "rescue_teams") return;
    if (!state.edits().enabled()) {
        // Signed in as a viewer, or signed out: say so where the control would be.
        if (!state.edits().why_not().empty()) ImGui::TextDisabled("%s", state.edits().why_not().c_str());
        return;
    }
    const auto f = l.kind().field_index("status");
    if (!f) return;
    const catalog::Field& field = l.kind().fields[*f];
    const std::string current = model::to_text(l.layer->value(row, *f));
    const bool busy = state.edits().busy();
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 8);
    ImGui::BeginDisabled(busy);
    const std::string shown = cell_text(field, l.layer->value(row, *f));
    if (ImGui::BeginCombo(tr("Set status"), shown.empty() ? "—" : shown.c_str())) {
        for (const auto& v : field.values) {
            const bool selected = v.value == current;
            const std::string& label = v.label.text();
            if (ImGui::Selectable(label.c_str(), selected) && !selected) state.edit_team_status(l.layer->id(row), v.value);
        }
        ImGui::EndCombo();
    }
    ImGui::EndDisabled();
    if (!state.edits().message().empty()) {
        ImGui::PushTextWrapPos(0);
        if (state.edits().refused()) ImGui::TextColored(ImVec4(0.85f, 0.2f, 0.15f, 1), "%s", state.edits().message().c_str());
        else ImGui::TextDisabled("%s", state.edits().message().c_str());
        ImGui::PopTextWrapPos();
    }
}

/// An incident's timeline from the audit table (app::incident_log, as `vigil incident log`
/// prints it): read off the frame when the header opens, and again after each live update.
void draw_incident_log(AppState& state, PanelState& panels, const LayerView& l, std::size_t row) {
    EditDesk& desk = state.edits();
    if (!desk.enabled() || l.kind().kind != "incidents") return;
    if (!ImGui::CollapsingHeader(label_id(tr("Incident log"), "incident_log").c_str())) return;
    const std::string id = l.layer->id(row);
    const bool current = desk.log() && desk.log()->incident == id && panels.incident_log_revision == state.data_revision();
    if (!current && !desk.busy() && desk.read_log(id)) panels.incident_log_revision = state.data_revision();
    if (!desk.log_error().empty()) {
        ImGui::PushTextWrapPos(0);
        ImGui::TextColored(ImVec4(0.85f, 0.2f, 0.15f, 1), "%s", desk.log_error().c_str());
        ImGui::PopTextWrapPos();
        return;
    }
    if (!desk.log() || desk.log()->incident != id) {
        ImGui::TextDisabled("%s", tr("reading…"));
        return;
    }
    ImGui::PushTextWrapPos(0);
    for (const auto& e : desk.log()->events) {
        ImGui::TextDisabled("%s", app::bureau_clock(e.at).c_str());
        ImGui::SameLine();
        ImGui::TextUnformatted(e.text.c_str());
        if (ImGui::IsItemHovered())
            ImGui::SetTooltip("%s @ %s · #%lld", // i18n: not shown: user, seat and sequence number
                              e.user.c_str(), e.seat.c_str(), static_cast<long long>(e.seq));
    }
    ImGui::PopTextWrapPos();
}

/// The incident brief (事件简报): one A4 PDF page for the commander, made off the frame (natively
/// from the project, in the browser by the server) and saved beside the project or downloaded.
void draw_brief_button(AppState& state, PanelState& panels, const LayerView& l, std::size_t row) {
    EditDesk& desk = state.edits();
    if (l.kind().kind != "incidents" || !desk.can_brief()) return;
    ImGui::BeginDisabled(desk.brief_pending());
    if (ImGui::Button(tr("Save brief (PDF)")) && desk.request_brief(l.layer->id(row))) panels.brief_message = tr("making…");
    ImGui::EndDisabled();
    if (!panels.brief_message.empty()) {
        ImGui::PushTextWrapPos(0);
        ImGui::TextDisabled("%s", panels.brief_message.c_str());
        ImGui::PopTextWrapPos();
    }
}

} // namespace

void draw_inspector_panel(AppState& state, PanelState& panels) {
    const auto sel = state.selection();
    if (!sel) return;
    const LayerView* l = state.layer(sel->kind);
    if (!l || sel->row >= l->layer->size()) return;
    // The right column, under the north arrow.
    place_next_window(panels, ImVec2(-8, 104), ImVec2(380, std::min(640.0f, ImGui::GetIO().DisplaySize.y - 170)));
    if (!ImGui::Begin(label_id(tr("Inspector"), "inspector").c_str(), &panels.show_inspector)) {
        ImGui::End();
        return;
    }
    if (!panels.related_for || !(*panels.related_for == *sel) || panels.related_revision != state.overlay_revision()) {
        panels.related = related_records(state, *sel);
        panels.related_for = sel;
        panels.related_revision = state.overlay_revision();
    }
    const catalog::LayerKind& kind = l->kind();
    const model::Layer& layer = *l->layer;
    ImGui::TextDisabled("%s  ·  %s", kind.title.text().c_str(), layer.id(sel->row).c_str());
    ImGui::PushTextWrapPos(0);
    ImGui::TextUnformatted(record_title(layer, sel->row).c_str());
    ImGui::PopTextWrapPos();
    draw_key_facts(*l, sel->row);
    draw_status_editor(state, *l, sel->row);
    draw_ledger_and_grid(state, *l, sel->row);
    if (ImGui::SmallButton(tr("Zoom"))) state.zoom_to_selection();
    ImGui::SameLine();
    if (ImGui::SmallButton(tr("Copy id"))) ImGui::SetClipboardText(layer.id(sel->row).c_str());
    ImGui::SameLine();
    if (ImGui::SmallButton(tr("Table"))) {
        panels.table_kind = kind.kind;
        panels.show_table = true;
    }
    ImGui::SameLine();
    if (ImGui::SmallButton(trc("selection", "Clear"))) {
        state.clear_selection();
        ImGui::End();
        return;
    }

    // What a dispatcher needs first: a warehouse's stock, a hazard source's inventory, an
    // enterprise's hazard sources; then every field.
    draw_lists(*l, sel->row, true);
    draw_brief_button(state, panels, *l, sel->row);
    draw_incident_log(state, panels, *l, sel->row);
    draw_related(state, panels);
    if (ImGui::CollapsingHeader(label_id(tr("Fields"), "fields").c_str(), ImGuiTreeNodeFlags_DefaultOpen) &&
        ImGui::BeginTable("fields", 2, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_Resizable)) {
        ImGui::TableSetupColumn(tr("field"), ImGuiTableColumnFlags_WidthFixed, ImGui::GetFontSize() * 8);
        ImGui::TableSetupColumn(tr("value"), ImGuiTableColumnFlags_WidthStretch);
        for (std::size_t f = 0; f < kind.fields.size(); ++f) {
            const catalog::Field& field = kind.fields[f];
            if (field.type == catalog::FieldType::List) continue; // as tables below
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(field.label.text().c_str());
            if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", field.name.c_str());
            ImGui::TableNextColumn();
            std::string value = cell_text(field, layer.value(sel->row, f));
            if (value.empty()) {
                ImGui::TextDisabled("—");
                continue;
            }
            if (!field.unit.empty() && field.unit != "person" && field.label.text().find('(') == std::string::npos &&
                field.label.text().find("（") == std::string::npos) // i18n: not shown: a bracket looked for
                value += " " + field.unit;
            ImGui::PushTextWrapPos(0);
            ImGui::TextUnformatted(value.c_str());
            ImGui::PopTextWrapPos();
        }
        ImGui::EndTable();
    }

    const auto extra = extra_fields(layer.extra(sel->row));
    if (!extra.empty() &&
        ImGui::CollapsingHeader(label_id(tr("Other source columns"), "other_columns").c_str(), ImGuiTreeNodeFlags_DefaultOpen) &&
        ImGui::BeginTable("extra", 2, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_Resizable)) {
        ImGui::TableSetupColumn(tr("column"), ImGuiTableColumnFlags_WidthFixed, ImGui::GetFontSize() * 8);
        ImGui::TableSetupColumn(tr("value"), ImGuiTableColumnFlags_WidthStretch);
        for (const auto& [key, value] : extra) {
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(key.c_str());
            ImGui::TableNextColumn();
            ImGui::PushTextWrapPos(0);
            ImGui::TextUnformatted(value.c_str());
            ImGui::PopTextWrapPos();
        }
        ImGui::EndTable();
    }
    ImGui::End();
}

} // namespace vigil::viewer
