/// @file
/// Replay (回放): the map as it stood at a moment the duty officer types (the bureau's clock), from
/// the audit table — where the teams were at 03:00, which incidents were open — and what differs
/// from now. The layers swap back with "Back to live"; live updates wait meanwhile.

#include "panels.hpp"
#include "widgets.hpp"

#include <vigil/util/i18n.hpp>

#include <imgui.h>

#include <string>

namespace vigil::viewer {

void draw_replay_panel(AppState& state, PanelState& panels) {
    ImGui::SetNextWindowSize(ImVec2(ImGui::GetFontSize() * 26, ImGui::GetFontSize() * 20), ImGuiCond_FirstUseEver);
    if (!ImGui::Begin(label_id(tr("Replay"), "replay").c_str(), &panels.show_replay)) {
        ImGui::End();
        return;
    }
    ImGui::TextWrapped("%s", tr("the map as it stood at a moment (audited edits since undone)"));
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 12);
    const bool entered = ImGui::InputTextWithHint("##replay_at", "2026-12-07 03:00", panels.replay_time, sizeof panels.replay_time,
                                                  ImGuiInputTextFlags_EnterReturnsTrue);
    ImGui::SameLine();
    ImGui::BeginDisabled(state.replay_pending());
    if (ImGui::Button(tr("Show")) || entered) state.request_replay(panels.replay_time);
    ImGui::EndDisabled();
    ImGui::SameLine();
    ImGui::BeginDisabled(!state.replay().has_value());
    if (ImGui::Button(tr("Back to live"))) state.back_to_live();
    ImGui::EndDisabled();
    ImGui::TextDisabled("%s", tr("bureau clock (UTC+8); end with Z for UTC"));

    if (state.replay_pending()) ImGui::TextDisabled("%s", tr("reading the audit…"));
    if (!state.replay_error().empty()) {
        ImGui::PushTextWrapPos(0);
        ImGui::TextColored(ImVec4(0.85f, 0.2f, 0.15f, 1), "%s", state.replay_error().c_str());
        ImGui::PopTextWrapPos();
    }
    const auto& r = state.replay();
    if (!r) {
        ImGui::End();
        return;
    }
    ImGui::Separator();
    ImGui::TextUnformatted(trf("replaying {} · edits undone: {}", r->typed, r->undone).c_str());
    for (const auto& note : r->notes) {
        ImGui::PushTextWrapPos(0);
        ImGui::TextDisabled("%s", note.c_str());
        ImGui::PopTextWrapPos();
    }
    if (ImGui::BeginTable("replay_diff", 4,
                          ImGuiTableFlags_RowBg | ImGuiTableFlags_Borders | ImGuiTableFlags_ScrollY | ImGuiTableFlags_Resizable)) {
        ImGui::TableSetupScrollFreeze(0, 1);
        ImGui::TableSetupColumn(tr("Record"));
        ImGui::TableSetupColumn(tr("Field"));
        ImGui::TableSetupColumn(tr("Then"));
        ImGui::TableSetupColumn(tr("Now"));
        ImGui::TableHeadersRow();
        for (const auto& rec : r->differences) {
            const std::string record = rec.absent_then ? trf("{} {} (not yet)", rec.layer, rec.id) : rec.layer + " " + rec.id;
            if (rec.fields.empty()) {
                ImGui::TableNextRow();
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(record.c_str());
                continue;
            }
            for (const auto& f : rec.fields) {
                ImGui::TableNextRow();
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(record.c_str());
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(f.field.c_str());
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(f.then_text.empty() ? "—" : f.then_text.c_str());
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(f.now_text.empty() ? "—" : f.now_text.c_str());
            }
        }
        ImGui::EndTable();
    }
    ImGui::End();
}

} // namespace vigil::viewer
