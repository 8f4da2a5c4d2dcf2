/// @file
/// Planning (规划分析): the planners' map layers. The isochrones of every team with the chosen
/// capabilities (or of a point clicked on the map) as bands, the coverage gap map (enterprises
/// and hazard sources no capable team reaches within the limit) as markers, and the regional
/// individual risk of a county as GB 36894 contours — core's app::isochrones, app::coverage and
/// app::regional_risk, the answers of `vigil isochrone`, `vigil coverage` and `vigil risk`, each
/// computed on a background job (AppState::ask_plan): the panel only asks, lists and switches
/// the layers on and off.

#include "panels.hpp"
#include "widgets.hpp"

#include <vigil/hazard/qra_scenarios.hpp>
#include <vigil/util/i18n.hpp>
#include <vigil/util/text.hpp>

#include <imgui.h>
#include <misc/cpp/imgui_stdlib.h>

#include <cstdio>
#include <string>
#include <vector>

namespace vigil::viewer {

namespace {

constexpr const char* k_teams = "rescue_teams";

/// "5,10,15,30" as minutes; nothing when a piece is not a number.
std::optional<std::vector<double>> parse_minutes(const std::string& text) {
    std::vector<double> out;
    for (const auto& w : text::split_list(text)) {
        const auto v = text::parse_double(w);
        if (!v) return std::nullopt;
        out.push_back(*v);
    }
    if (out.empty()) return std::nullopt;
    return out;
}

query::FilterSpec team_filter(const PanelState& panels) {
    query::FilterSpec f;
    f.need = text::split_list(panels.plan_need_text);
    f.status = text::split_list(panels.plan_status_text);
    return f;
}

/// The area the risk is asked for: the typed one, else the first county of the admin areas.
std::string risk_area(const AppState& state, const std::string& typed) {
    if (!text::trim(typed).empty()) return std::string(text::trim(typed));
    if (const LayerView* admin = state.layer("admin_areas"); admin && admin->layer->size() > 0) return record_title(*admin->layer, 0);
    return {};
}

/// "computing…" or the error for a pending or refused answer; true when there is a result to show.
bool status_line(const PlanAnswer* a) {
    if (!a) return false;
    if (a->pending) {
        ImGui::TextDisabled("%s", tr("computing…"));
        return false;
    }
    if (!a->error.empty()) {
        ImGui::PushTextWrapPos(0);
        ImGui::TextColored(k_error_colour, "%s", a->error.c_str());
        ImGui::PopTextWrapPos();
        return false;
    }
    return true;
}

/// The layer switch and the clear button of an answer.
void layer_switch(AppState& state, PlanKind k, const char* id) {
    bool on = state.planner().shown(k);
    if (ImGui::Checkbox(label_id(tr("show on the map"), fmt::format("show_{}", id)).c_str(), &on)) state.show_plan(k, on);
    ImGui::SameLine();
    if (ImGui::SmallButton(label_id(tr("Clear"), fmt::format("clear_{}", id)).c_str())) state.clear_plan(k);
}

void section(const char* title) {
    ImGui::Separator();
    ImGui::TextUnformatted(title);
}

void colour_box(Rgba c) {
    const ImVec2 p = ImGui::GetCursorScreenPos();
    const float h = ImGui::GetTextLineHeight();
    ImGui::GetWindowDrawList()->AddRectFilled(p, ImVec2(p.x + h, p.y + h), to_imgui(c.with_alpha(255)));
    ImGui::Dummy(ImVec2(h, h));
    ImGui::SameLine();
}

} // namespace

void ask_isochrones(AppState& state, PanelState& panels, std::optional<geo::Coord> at) {
    const auto minutes = parse_minutes(panels.plan_minutes_text);
    if (!minutes) {
        panels.plan_message = tr("type minutes, e.g. 5,10,15,30");
        return;
    }
    panels.plan_message.clear();
    app::IsochroneQuery q;
    q.minutes = *minutes;
    if (at) {
        q.at = at;
    } else {
        q.from_layer = k_teams;
        q.filter = team_filter(panels);
    }
    state.ask_plan(std::move(q));
}

void ask_coverage(AppState& state, PanelState& panels) {
    panels.plan_message.clear();
    app::CoverageQuery q;
    q.teams = k_teams;
    q.filter = team_filter(panels);
    q.minutes = panels.plan_coverage_minutes;
    state.ask_plan(std::move(q));
}

void ask_risk(AppState& state, PanelState& panels) {
    app::RiskRequest q;
    q.area = risk_area(state, panels.plan_risk_area);
    if (q.area.empty()) {
        panels.plan_message = tr("type a county's name or a WKT polygon");
        return;
    }
    panels.plan_message.clear();
    q.cell_m = panels.plan_risk_cell;
    q.wind_rose = hazard::WindRose::builtin(); // `vigil risk`'s default rose
    state.ask_plan(std::move(q));
}

void draw_planning_panel(AppState& state, PanelState& panels) {
    place_next_window(panels, ImVec2(-396, 30), ImVec2(380, 620));
    if (!ImGui::Begin(label_id(tr("Planning"), "planning").c_str(), &panels.show_planning)) {
        ImGui::End();
        return;
    }
    const float label_w = ImGui::GetFontSize() * 12;
    const Planner& plan = state.planner();

    // The teams the isochrones and the coverage count.
    const LayerView* teams = state.layer(k_teams);
    const catalog::Field* caps = teams ? teams->kind().field_with_role(catalog::FieldRole::Capabilities) : nullptr;
    const catalog::Field* status = teams ? teams->kind().field_with_role(catalog::FieldRole::Status) : nullptr;
    if (caps && ImGui::TreeNode(label_id(tr("capabilities"), "caps_p").c_str())) {
        value_ticks(*caps, panels.plan_need_text, false);
        ImGui::TreePop();
    }
    if (status && ImGui::TreeNode(label_id(tr("status"), "status_p").c_str())) {
        value_ticks(*status, panels.plan_status_text, false);
        ImGui::TreePop();
    }
    ImGui::TextDisabled(tr("teams: %s · %s"), panels.plan_need_text.empty() ? tr("any capability") : panels.plan_need_text.c_str(),
                        panels.plan_status_text.empty() ? tr("any status") : panels.plan_status_text.c_str());
    if (!panels.plan_message.empty()) ImGui::TextColored(k_error_colour, "%s", panels.plan_message.c_str());

    // Isochrones.
    section(tr("Isochrones"));
    ImGui::SetNextItemWidth(label_w);
    ImGui::InputTextWithHint(label_id(tr("minutes"), "minutes_iso").c_str(), "5,10,15,30", &panels.plan_minutes_text);
    if (ImGui::Button(tr("from every team"))) ask_isochrones(state, panels);
    ImGui::SameLine();
    bool pick = panels.click_mode == ClickMode::Planning;
    if (ImGui::Checkbox(tr("click a start"), &pick)) panels.click_mode = pick ? ClickMode::Planning : ClickMode::Select;
    const PlanAnswer* iso = plan.answer(PlanKind::isochrones);
    if (status_line(iso) && iso->isochrones) {
        const auto& r = *iso->isochrones;
        ImGui::TextDisabled(tr("start: %s · %.0f ms"), r.start.c_str(), iso->ms);
        for (const auto& b : r.bands) {
            colour_box(isochrone_outline(b.minutes));
            ImGui::TextUnformatted(trf("{} min  {:.2f} km²  nodes: {}", text::format_double(b.minutes), b.area_km2, b.nodes).c_str());
        }
    }
    if (iso) layer_switch(state, PlanKind::isochrones, "iso");

    // Coverage gaps.
    section(tr("Coverage gaps"));
    ImGui::SetNextItemWidth(label_w);
    ImGui::SliderFloat(label_id(tr("minutes"), "minutes_cov").c_str(), &panels.plan_coverage_minutes, 5, 60, "%.0f");
    if (ImGui::Button(tr("find the gaps"))) ask_coverage(state, panels);
    ImGui::SameLine();
    help_marker(
        tr("ETA = turnout + travel: the enterprises and hazard sources no matching team reaches within the limit (vigil coverage)."));
    const PlanAnswer* cov = plan.answer(PlanKind::coverage);
    if (status_line(cov) && cov->coverage) {
        const auto& r = *cov->coverage;
        ImGui::TextWrapped("%s", trf("{} / {} not reached within {} min by any of {} teams", r.gaps.size(), r.targets,
                                     text::format_double(r.minutes), r.teams)
                                     .c_str());
        if (!r.gaps.empty() && ImGui::BeginChild("gaps", ImVec2(0, ImGui::GetTextLineHeightWithSpacing() * 8), true)) {
            for (std::size_t i = 0; i < r.gaps.size(); ++i) {
                const auto& g = r.gaps[i];
                const std::string when = g.reachable ? format_minutes(g.eta_s) : std::string(tr("unreachable"));
                const std::string line = when + "  " + g.name + "##gap" + std::to_string(i);
                ImGui::PushStyleColor(ImGuiCol_Text, to_imgui(gap_colour(g.reachable)));
                const bool clicked = ImGui::Selectable(line.c_str());
                ImGui::PopStyleColor();
                if (ImGui::IsItemHovered())
                    ImGui::SetTooltip("%s %s%s", g.layer.c_str(), g.id.c_str(),
                                      g.reachable ? ("\n" + trf("soonest: {}", g.best_team)).c_str() : "");
                if (clicked)
                    if (const LayerView* l = state.layer(g.layer))
                        if (auto row = l->layer->find(g.id)) state.select_and_zoom({g.layer, *row});
            }
        }
        if (!r.gaps.empty()) ImGui::EndChild();
    }
    if (cov) layer_switch(state, PlanKind::coverage, "cov");

    // Regional risk.
    section(tr("Regional risk"));
    ImGui::SetNextItemWidth(label_w);
    ImGui::InputTextWithHint(label_id(trc("region", "area"), "area_risk").c_str(), risk_area(state, "").c_str(), &panels.plan_risk_area);
    ImGui::SetNextItemWidth(label_w);
    ImGui::SliderFloat(label_id(tr("cell, m"), "cell_risk").c_str(), &panels.plan_risk_cell, 10, 200, "%.0f");
    if (ImGui::Button(tr("compute the individual risk"))) ask_risk(state, panels);
    const PlanAnswer* risk = plan.answer(PlanKind::risk);
    if (status_line(risk) && risk->risk) {
        const auto& r = *risk->risk;
        ImGui::TextDisabled("%s", trf("{} · {} × {} · scenarios: {} · {:.0f} ms", r.area_name, r.nx, r.ny, r.scenarios, risk->ms).c_str());
        ImGui::Text(tr("maximum IR %.3g /a"), r.max_ir_per_year);
        for (const auto& l : r.levels) {
            colour_box(risk_outline(l.limit_per_year));
            ImGui::TextUnformatted(
                trf("IR ≥ {:g} /a  {:.3f} km²  enterprises: {}", l.limit_per_year, l.area_km2, l.targets_inside.size()).c_str());
        }
        for (const auto& n : r.notes) ImGui::TextWrapped("%s", n.c_str());
    }
    if (risk) layer_switch(state, PlanKind::risk, "risk");
    ImGui::End();
}

} // namespace vigil::viewer
