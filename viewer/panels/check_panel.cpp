/// @file
/// Data check: the data-quality report of `vigil check` (core's app::run_checks over the layers
/// the viewer holds), listed by check; a click on a finding selects its record and centres the
/// map on it, so a clerk walks the list and sees each record where it lies. The checks that
/// could not run are listed with their reasons.

#include "panels.hpp"
#include "widgets.hpp"

#include <vigil/util/error.hpp>
#include <vigil/util/i18n.hpp>

#include <imgui.h>

#include <algorithm>
#include <string>
#include <vector>

namespace vigil::viewer {

void ask_check(AppState& state, PanelState& panels, app::CheckRequest q) {
    // The viewer's day (today unless `--as-of` or a permalink set another): the map's hidden
    // hazards and the check reckon with the same day.
    if (q.as_of.empty()) q.as_of = state.as_of();
    panels.check_selected.reset();
    try {
        state.start_check(q); // off the frame: draw_panels picks the report up (state.update_check)
        panels.check_message.clear();
    } catch (const UsageError& e) {
        panels.check_message = e.what();
    }
}

void choose_finding(AppState& state, PanelState& panels, std::size_t index) {
    const auto& r = state.check();
    if (!r || index >= r->findings.size()) return;
    panels.check_selected = index;
    state.select_finding(r->findings[index]);
}

void draw_check_panel(AppState& state, PanelState& panels) {
    place_next_window(panels, ImVec2(-396, 30), ImVec2(380, 560));
    if (!ImGui::Begin(label_id(tr("Data check"), "data_check").c_str(), &panels.show_check)) {
        ImGui::End();
        return;
    }
    ImGui::BeginDisabled(state.check_running());
    if (ImGui::Button(tr("Run the checks"))) ask_check(state, panels);
    ImGui::EndDisabled();
    if (state.check_running()) {
        ImGui::SameLine();
        ImGui::TextDisabled("%s", tr("checking…"));
    }
    ImGui::SameLine();
    // clang-format off
    help_marker(tr("The checks of `vigil check`: duplicate credit codes, the same name nearby, a wrong county, a hazard source far from its enterprise, missing information, below the minimum stock, past the revision deadline, not updated for long. Click a finding to select the record and centre the map on it."));
    // clang-format on
    if (!panels.check_message.empty()) ImGui::TextColored(ImVec4(0.8f, 0.1f, 0.1f, 1), "%s", panels.check_message.c_str());
    const auto& r = state.check();
    if (!r) {
        ImGui::TextDisabled("%s", tr("not checked yet"));
        ImGui::End();
        return;
    }
    ImGui::TextUnformatted(trf("as of {} · records: {}", r->request.as_of, r->records).c_str());
    // Red and orange only for what is there: a clean report reads plain (nothing red when
    // nothing is wrong).
    const ImVec4 plain = ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled);
    ImGui::TextColored(r->errors() ? ImVec4(0.8f, 0.1f, 0.1f, 1) : plain, "%s", trf("errors {}", r->errors()).c_str());
    ImGui::SameLine();
    ImGui::TextColored(r->warnings() ? ImVec4(0.85f, 0.45f, 0.0f, 1) : plain, "%s", trf("warnings {}", r->warnings()).c_str());

    std::string clean;
    const float line = ImGui::GetTextLineHeightWithSpacing();
    for (app::Check c : app::k_checks) {
        if (!r->asked(c)) continue;
        std::vector<std::size_t> rows;
        for (std::size_t i = 0; i < r->findings.size(); ++i)
            if (r->findings[i].check == c) rows.push_back(i);
        if (rows.empty()) {
            if (std::find(r->ran.begin(), r->ran.end(), c) != r->ran.end())
                clean += (clean.empty() ? "" : ", ") + std::string(app::check_code(c));
            continue;
        }
        const std::string header =
            std::string(app::check_title(c)) + " (" + std::to_string(rows.size()) + ")##" + std::string(app::check_code(c));
        if (!ImGui::CollapsingHeader(header.c_str())) continue;
        // Thousands of findings in a large register: only the visible rows are laid out.
        ImGui::BeginChild(header.c_str(), ImVec2(0, line * static_cast<float>(std::min<std::size_t>(rows.size(), 10)) + line * 0.5f), true);
        ImGuiListClipper clipper;
        clipper.Begin(static_cast<int>(rows.size()));
        while (clipper.Step())
            for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
                const std::size_t index = rows[static_cast<std::size_t>(i)];
                const auto& f = r->findings[index];
                const bool error = f.severity == app::CheckSeverity::Error;
                const std::string text = std::string(error ? "● " : "▲ ") + f.id + " " + f.name + " · " + f.field + " = " +
                                         (f.value.empty() ? std::string(tr("(empty)")) : f.value) + "##" + std::to_string(index);
                ImGui::PushStyleColor(ImGuiCol_Text, error ? ImVec4(0.75f, 0.1f, 0.1f, 1) : ImVec4(0.6f, 0.35f, 0.0f, 1));
                if (ImGui::Selectable(text.c_str(), panels.check_selected == index)) choose_finding(state, panels, index);
                ImGui::PopStyleColor();
                if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s/%s: %s", f.kind.c_str(), f.id.c_str(), f.message.c_str());
            }
        ImGui::EndChild();
    }
    if (!clean.empty()) ImGui::TextDisabled(tr("nothing found: %s"), clean.c_str());
    if (panels.check_selected && *panels.check_selected < r->findings.size()) {
        const auto& f = r->findings[*panels.check_selected];
        ImGui::Separator();
        ImGui::Text("%s/%s %s", f.kind.c_str(), f.id.c_str(), f.name.c_str());
        ImGui::TextWrapped("%s", f.message.c_str());
        for (const auto& id : f.related) {
            ImGui::SameLine();
            if (ImGui::SmallButton(id.c_str()) && state.select_id(id)) state.zoom_to_selection();
        }
    }
    if (!r->skipped.empty()) {
        const std::string header = label_id(trf("not run ({})", r->skipped.size()).c_str(), "skipped");
        if (ImGui::CollapsingHeader(header.c_str()))
            for (const auto& s : r->skipped) {
                const std::string what = std::string(app::check_code(s.check)) + (s.kind.empty() ? "" : " (" + s.kind + ")");
                ImGui::TextWrapped("%s: %s", what.c_str(), s.reason.c_str());
            }
    }
    ImGui::End();
}

} // namespace vigil::viewer
