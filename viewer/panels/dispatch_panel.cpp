/// @file
/// Dispatch: "which capable teams reach this incident first by road, and which warehouses
/// supply what it needs?" The incident is a click on the map (click mode 调度), typed
/// coordinates (WGS84 or GCJ-02) or an enterprise found by name; the capabilities and statuses
/// come from the team layer's catalogue values. The answer (app/dispatch: the same ranking as
/// `vigil nearest --by road`) is listed with ETA, travel time and road distance, unreachable
/// teams after the others; the overlay draws the routes (top N in colours by rank), the
/// isochrones and the warehouses. The sheet is exported as CSV and GeoJSON, and the map as PNG:
/// written next to the database natively, offered as downloads in the browser.

#include "panels.hpp"
#include "widgets.hpp"

#include "../render/gl.hpp"

#include <vigil/catalog/normalize.hpp>
#include <vigil/geo/chinese_datums.hpp>
#include <vigil/util/i18n.hpp>
#include <vigil/util/text.hpp>

#include <vigil/hazard/footprint.hpp>

#include <imgui.h>
#include <misc/cpp/imgui_stdlib.h>

#include <stb/stb_image_write.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <fstream>

namespace vigil::viewer {

namespace {


/// <database dir>/<stem>-dispatch-<time>.<ext>: beside the data it came from.
std::filesystem::path export_path(const AppState& state, const char* ext) {
    const std::time_t now = std::time(nullptr);
    char stamp[32];
    std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", std::localtime(&now));
    const auto& db = state.project_path();
    return db.parent_path() / (db.stem().string() + "-dispatch-" + stamp + "." + ext);
}

void write_bytes(const std::filesystem::path& path, const std::string& bytes) {
    std::ofstream out(path, std::ios::binary);
    out << bytes;
    if (!out) throw IoError(trf("cannot write '{}'", path.string()));
}

/// One exported file: written to `path` natively, offered as a download under its file name in
/// the browser (PanelState::offer_download). The result goes to the panel's message line.
void deliver(PanelState& panels, const std::filesystem::path& path, const char* mime_type, const std::string& bytes) {
    try {
        if (panels.offer_download) {
            panels.offer_download(path.filename().string(), mime_type, bytes);
            panels.dispatch_message = trf("downloaded {}", path.filename().string());
            panels.dispatch_message_error = false;
        } else {
            write_bytes(path, bytes);
            panels.dispatch_message = trf("saved {}", path.string());
            panels.dispatch_message_error = false;
        }
    } catch (const Error& e) {
        panels.dispatch_message = e.what();
        panels.dispatch_message_error = true;
    }
}

/// ImGui draw callback at the end of the background list: the map, its overlay, labels and
/// furniture are in the framebuffer, the panels not yet. Reads it back and exports the PNG.
void capture_map(const ImDrawList*, const ImDrawCmd* cmd) {
    auto* panels = static_cast<PanelState*>(cmd->UserCallbackData);
    const ImGuiIO& io = ImGui::GetIO();
    const int w = static_cast<int>(io.DisplaySize.x * io.DisplayFramebufferScale.x);
    const int h = static_cast<int>(io.DisplaySize.y * io.DisplayFramebufferScale.y);
    std::vector<unsigned char> pixels(static_cast<std::size_t>(w) * static_cast<std::size_t>(h) * 4);
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    glReadPixels(0, 0, w, h, GL_RGBA, GL_UNSIGNED_BYTE, pixels.data());
    const std::size_t row = static_cast<std::size_t>(w) * 4;
    for (int y = 0; y < h / 2; ++y) // GL's rows start at the bottom
        std::swap_ranges(pixels.begin() + static_cast<std::ptrdiff_t>(static_cast<std::size_t>(y) * row),
                         pixels.begin() + static_cast<std::ptrdiff_t>(static_cast<std::size_t>(y + 1) * row),
                         pixels.begin() + static_cast<std::ptrdiff_t>(static_cast<std::size_t>(h - 1 - y) * row));
    for (std::size_t i = 3; i < pixels.size(); i += 4) pixels[i] = 255;
    std::string png;
    const bool ok = w > 0 && h > 0 &&
                    stbi_write_png_to_func(
                        [](void* out, void* data, int size) {
                            static_cast<std::string*>(out)->append(static_cast<const char*>(data), static_cast<std::size_t>(size));
                        },
                        &png, w, h, 4, pixels.data(), static_cast<int>(row));
    if (ok) deliver(*panels, panels->png_path, "image/png", png);
    else {
        panels->dispatch_message = trf("cannot encode {}", panels->png_path);
        panels->dispatch_message_error = true;
    }
    panels->png_path.clear();
}

/// Fills lon/lat rings (even-odd) on the draw list.
void fill_rings(ImDrawList* dl, const Camera& cam, const std::vector<std::vector<geo::Coord>>& lonlat, Rgba colour) {
    if (lonlat.empty()) return;
    const double ratio = cam.pixel_ratio();
    std::vector<std::vector<geo::Coord>> rings;
    for (const auto& ring : lonlat) {
        auto& out = rings.emplace_back();
        for (auto c : ring) {
            const geo::Coord s = cam.lonlat_to_screen(c);
            out.push_back({s.x / ratio, s.y / ratio});
        }
    }
    const ImU32 col = to_imgui(colour);
    const double h = cam.height() / ratio;
    for (const auto& s : fill_spans(rings, 0, h, 2))
        if (s.x1 > s.x0) dl->AddRectFilled(ImVec2(s.x0, s.y), ImVec2(s.x1, s.y + 2), col);
}

void fill_geometry(ImDrawList* dl, const Camera& cam, const geo::Geometry& g, Rgba colour) {
    if (g.is_empty()) return;
    std::vector<std::vector<geo::Coord>> rings;
    for (std::size_t r = 0; r < g.ring_count(); ++r) {
        auto ring = g.ring(r);
        rings.emplace_back(ring.begin(), ring.end());
    }
    fill_rings(dl, cam, rings, colour);
}

/// "12:05" to go, or "due" once the ETA has passed.
std::string countdown_text(double seconds_left) {
    if (seconds_left <= 0) return tr("due");
    const auto s = static_cast<long>(seconds_left);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%ld:%02ld", s / 60, s % 60);
    return buf;
}

/// Acting on the answer (a dispatcher's viewer with editing on): open an incident at its point,
/// assign the first N available teams, and count their ETAs down. Every step is one edit through
/// core's edit service; the map shows the teams 出动 when the commit comes back.
void draw_operations(AppState& state, PanelState& panels, const DispatchSheet& d) {
    EditDesk& edits = state.edits();
    if (!edits.enabled()) return;
    const bool busy = edits.busy();
    // A committed edit of this seat, seen once: the incident it opened, or the teams it assigned
    // (their countdowns start from the assignment's ETAs). A refused one assigns nobody.
    if (const auto& last = edits.last(); last && last->change_id != panels.dispatch_seen_change) {
        panels.dispatch_seen_change = last->change_id;
        if (last->operation == "incident_open" && !last->incident.empty()) {
            panels.dispatch_incident = last->incident;
            panels.dispatch_assigned.clear();
        } else if (last->operation == "dispatch_assign") {
            for (auto& a : panels.dispatch_assigning) panels.dispatch_assigned.push_back(std::move(a));
        }
        panels.dispatch_assigning.clear();
    }
    if (!busy && edits.refused()) panels.dispatch_assigning.clear();
    ImGui::Separator();
    ImGui::BeginDisabled(busy || !d.error.empty());
    if (panels.dispatch_incident.empty()) {
        // The types the project's catalogue offers (its incidents kind), by their Chinese labels.
        const auto& types = state.incident_types();
        if (types.empty()) {
            ImGui::TextDisabled("%s", tr("the project's catalogue has no incidents kind"));
        } else {
            panels.dispatch_incident_type = std::clamp(panels.dispatch_incident_type, 0, static_cast<int>(types.size()) - 1);
            const auto& chosen = types[static_cast<std::size_t>(panels.dispatch_incident_type)];
            ImGui::SetNextItemWidth(ImGui::GetFontSize() * 7);
            if (ImGui::BeginCombo("##incident_type", chosen.label.text().c_str())) {
                for (std::size_t i = 0; i < types.size(); ++i)
                    if (ImGui::Selectable(types[i].label.text().c_str(), static_cast<int>(i) == panels.dispatch_incident_type))
                        panels.dispatch_incident_type = static_cast<int>(i);
                ImGui::EndCombo();
            }
            ImGui::SameLine();
            if (ImGui::Button(tr("Open incident here"))) state.open_incident_at(d.query.at, chosen.value, "");
        }
    } else {
        ImGui::Text(tr("incident %s"), panels.dispatch_incident.c_str());
        std::vector<std::string> first;
        std::vector<double> etas;
        for (const auto& t : d.teams) {
            if (!t.reachable || first.size() >= static_cast<std::size_t>(panels.dispatch_assign_n)) continue;
            first.push_back(t.id);
            etas.push_back(t.eta_s);
        }
        ImGui::SetNextItemWidth(ImGui::GetFontSize() * 6);
        ImGui::SliderInt("##assign_n", &panels.dispatch_assign_n, 1, 10);
        ImGui::SameLine();
        if (ImGui::Button(tr("Assign the first N")) && !first.empty() && state.assign_teams(panels.dispatch_incident, first)) {
            const auto now = std::chrono::steady_clock::now();
            for (std::size_t i = 0; i < first.size(); ++i)
                panels.dispatch_assigning.push_back({first[i], now + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                                                         std::chrono::duration<double>(etas[i]))});
        }
        ImGui::SameLine();
        if (ImGui::SmallButton(tr("New incident"))) {
            panels.dispatch_incident.clear();
            panels.dispatch_assigned.clear();
        }
    }
    ImGui::EndDisabled();
    if (!edits.message().empty()) {
        ImGui::PushTextWrapPos(0);
        if (edits.refused()) ImGui::TextColored(k_error_colour, "%s", edits.message().c_str());
        else ImGui::TextDisabled("%s", edits.message().c_str());
        ImGui::PopTextWrapPos();
    }
    // The ETA countdown of the teams this seat assigned (from their ETAs at assignment).
    const auto now = std::chrono::steady_clock::now();
    for (const auto& a : panels.dispatch_assigned)
        ImGui::BulletText(tr("%s ETA in %s"), a.team.c_str(), countdown_text(std::chrono::duration<double>(a.due - now).count()).c_str());
}

} // namespace

void ask_dispatch(AppState& state, PanelState& panels, geo::Coord at, std::string place) {
    panels.flow.place.reset(); // asked without the flow: the operations below the answer act on it
    DispatchQuery q = panels.dispatch_form;
    q.at = at;
    q.place = std::move(place);
    state.run_dispatch(std::move(q));
}

bool export_dispatch(const AppState& state, PanelState& panels, std::string_view format) {
    const auto& d = state.dispatch();
    if (!d || !d->error.empty()) return false;
    if (format == "csv") deliver(panels, export_path(state, "csv"), "text/csv", dispatch_csv(*d));
    else if (format == "geojson") deliver(panels, export_path(state, "geojson"), "application/geo+json", dispatch_geojson(*d));
    else if (format == "png") panels.png_path = export_path(state, "png").string(); // at the end of this frame's map
    else return false;
    return true;
}

void draw_map_fills(AppState& state, PanelState& panels) {
    ImDrawList* dl = ImGui::GetBackgroundDrawList();
    const Camera& cam = state.camera();
    if (const auto& d = state.dispatch()) // the widest band first: the inner ones show darker
        for (auto it = d->isochrones.rbegin(); it != d->isochrones.rend(); ++it) fill_geometry(dl, cam, it->area, Rgba{33, 150, 243, 34});
    // The planning layers under the incident's: risk contours (the widest, lowest limit, first)
    // and isochrone bands (the widest first: the inner ones show darker).
    const Planner& plan = state.planner();
    if (const PlanAnswer* a = plan.answer(PlanKind::risk); a && a->risk && plan.shown(PlanKind::risk))
        for (const auto& level : a->risk->levels) fill_rings(dl, cam, contour_rings(level.contour), risk_fill(level.limit_per_year));
    if (const PlanAnswer* a = plan.answer(PlanKind::isochrones); a && a->isochrones && plan.shown(PlanKind::isochrones))
        for (auto it = a->isochrones->bands.rbegin(); it != a->isochrones->bands.rend(); ++it)
            fill_geometry(dl, cam, it->area, isochrone_fill(it->minutes));
    if (const auto& h = state.hazard())
        for (const auto& z : h->zones)
            fill_geometry(dl, cam, z.polygon, zone_fill(z.tier).with_alpha(z.kind == "uncertainty" ? 25 : zone_fill(z.tier).a));
    if (!panels.png_path.empty()) dl->AddCallback(capture_map, &panels);
}

namespace {

/// The panel's capabilities and status (ticked or typed) as the question's filter.
DispatchQuery dispatch_base(AppState& state, PanelState& panels) {
    DispatchQuery q = panels.dispatch_form;
    const LayerView* teams = state.layer(q.kind);
    const bool caps = teams && teams->kind().field_with_role(catalog::FieldRole::Capabilities);
    const bool status = teams && teams->kind().field_with_role(catalog::FieldRole::Status);
    q.filter.need = caps ? vigil::text::split_list(panels.dispatch_need_text) : std::vector<std::string>{};
    q.filter.status = status ? vigil::text::split_list(panels.dispatch_status_text) : std::vector<std::string>{};
    return q;
}

/// The panel's other ways in (a click, typed WGS84/GCJ-02, an enterprise) and the question's
/// options; true when an option changed (the same incident is asked again).
bool draw_more_options(AppState& state, PanelState& panels) {
    auto& form = panels.dispatch_form;
    bool pick = panels.click_mode == ClickMode::Dispatch;
    if (ImGui::Checkbox(tr("click the map to place the incident"), &pick))
        panels.click_mode = pick ? ClickMode::Dispatch : ClickMode::Select;

    // Typed coordinates.
    const float label_w = ImGui::GetFontSize() * 12;
    ImGui::SetNextItemWidth(label_w);
    bool go = ImGui::InputTextWithHint(label_id(tr("lon,lat"), "coords_d").c_str(), "113.2418,35.2159", &panels.dispatch_coords,
                                       ImGuiInputTextFlags_EnterReturnsTrue);
    ImGui::Checkbox(label_id(tr("GCJ-02 (AMap)"), "gcj02_d").c_str(), &panels.dispatch_coords_gcj02);
    ImGui::SameLine();
    go |= ImGui::Button(tr("Go"));
    if (go) {
        if (auto c = parse_lonlat(panels.dispatch_coords)) {
            ask_dispatch(state, panels, panels.dispatch_coords_gcj02 ? geo::gcj02_to_wgs84(*c) : *c, tr("typed"));
            panels.dispatch_message.clear();
        } else {
            panels.dispatch_message = tr("type LON,LAT in degrees");
            panels.dispatch_message_error = true;
        }
    }
    // Enterprise search.
    ImGui::SetNextItemWidth(label_w);
    ImGui::InputTextWithHint(label_id(tr("enterprise"), "enterprise_d").c_str(), tr("name or id"), &panels.dispatch_search);
    if (!vigil::text::trim(panels.dispatch_search).empty()) {
        int shown = 0;
        for (const auto& hit : state.search(panels.dispatch_search, 40)) {
            if ((hit.kind != "enterprises" && hit.kind != "hazard_sources") || shown >= 6) continue;
            const LayerView* l = state.layer(hit.kind);
            const std::string title = record_title(*l->layer, hit.row);
            ImGui::PushID(shown++);
            if (ImGui::Selectable(title.c_str())) {
                const auto& g = l->layer->geometry(hit.row);
                if (!g.is_empty())
                    ask_dispatch(state, panels, g.type == geo::GeometryType::Point ? g.coords[0] : geo::representative_point(g), title);
                panels.dispatch_search.clear();
            }
            ImGui::PopID();
        }
    }

    // What teams must have, and the supplies.
    const LayerView* teams = state.layer(form.kind);
    const catalog::Field* caps = teams ? teams->kind().field_with_role(catalog::FieldRole::Capabilities) : nullptr;
    const catalog::Field* status = teams ? teams->kind().field_with_role(catalog::FieldRole::Status) : nullptr;
    bool changed = false;
    if (caps && ImGui::TreeNode(label_id(tr("capabilities"), "caps_d").c_str())) {
        const std::string before = panels.dispatch_need_text;
        value_ticks(*caps, panels.dispatch_need_text, false);
        changed |= before != panels.dispatch_need_text;
        ImGui::TreePop();
    }
    if (status && ImGui::TreeNode(label_id(tr("status"), "status_d").c_str())) {
        const std::string before = panels.dispatch_status_text;
        value_ticks(*status, panels.dispatch_status_text, false);
        changed |= before != panels.dispatch_status_text;
        ImGui::TreePop();
    }
    form.filter = dispatch_base(state, panels).filter;
    ImGui::SetNextItemWidth(label_w);
    changed |= ImGui::InputTextWithHint(tr("supplies"), tr("neutraliser:5t,absorbent pads:2000kg"), &form.needs,
                                        ImGuiInputTextFlags_EnterReturnsTrue);
    // Equipment each team must hold in service itself (the census's equipment layer).
    ImGui::SetNextItemWidth(label_w);
    changed |= ImGui::InputTextWithHint(tr("equipment"), tr("chemical suits:2,leak sealing kit"), &form.equipment,
                                        ImGuiInputTextFlags_EnterReturnsTrue);
    int top = static_cast<int>(form.top_n);
    ImGui::SetNextItemWidth(label_w);
    if (ImGui::SliderInt(tr("top N"), &top, 1, 20)) {
        form.top_n = static_cast<std::size_t>(top);
        changed = true;
    }
    bool iso = !form.isochrone_minutes.empty();
    if (ImGui::Checkbox(tr("isochrones 5/10/15/30 min"), &iso)) {
        form.isochrone_minutes = iso ? std::vector<double>{5, 10, 15, 30} : std::vector<double>{};
        changed = true;
    }
    return changed;
}

} // namespace

bool ask_incident(AppState& state, PanelState& panels) { return answer_incident(state, panels.flow, dispatch_base(state, panels)); }

bool ask_incident_at(AppState& state, PanelState& panels, geo::Coord at) {
    return answer_incident_at(state, panels.flow, at, dispatch_base(state, panels));
}

bool open_incident_in_dispatch(AppState& state, PanelState& panels, const std::string& id) {
    panels.show_dispatch = true;
    return load_incident(state, panels.flow, id, dispatch_base(state, panels));
}

namespace {

/// 接警 New incident: where, what, answer; assign and save the brief — the buttons at the top so
/// that they stay in view on a 1366x768 screen whatever the answer's length.
void draw_new_incident(AppState& state, PanelState& panels) {
    IncidentFlow& flow = panels.flow;
    ImGui::TextUnformatted(trc("call intake", "New incident"));
    ImGui::Separator();
    const ImGuiStyle& style = ImGui::GetStyle();
    auto datum_label = [](app::PlaceDatum d) -> const char* {
        switch (d) {
        case app::PlaceDatum::Wgs84: return "WGS84";
        case app::PlaceDatum::Gcj02: return tr("GCJ-02 AMap");
        case app::PlaceDatum::Bd09: return tr("BD-09 Baidu");
        case app::PlaceDatum::Auto: break;
        }
        return tr("auto");
    };
    const float combo_w = ImGui::CalcTextSize(tr("GCJ-02 AMap")).x + ImGui::GetFrameHeight() + style.FramePadding.x * 2;
    const float label_w = ImGui::CalcTextSize(tr("material")).x + style.ItemInnerSpacing.x;
    const float box_w = std::max(ImGui::GetFontSize() * 8, ImGui::GetContentRegionAvail().x - label_w - combo_w - style.ItemSpacing.x);
    ImGui::SetNextItemWidth(box_w);
    bool go = ImGui::InputTextWithHint(label_id(tr("place"), "place_flow").c_str(), tr("G207 Wen County / 113.08,34.94 / enterprise name"),
                                       &flow.place_text, ImGuiInputTextFlags_EnterReturnsTrue);
    if (ImGui::IsItemHovered())
        // clang-format off
        ImGui::SetTooltip("%s", tr("coordinates (prefix AMap/GCJ02, Baidu/BD09, WGS84), an enterprise or hazard source, or a road in a county: G207 Wen County K12+300"));
    // clang-format on
    ImGui::SameLine();
    ImGui::SetNextItemWidth(combo_w);
    if (ImGui::BeginCombo("##datum", datum_label(flow.datum))) {
        for (auto d : {app::PlaceDatum::Auto, app::PlaceDatum::Wgs84, app::PlaceDatum::Gcj02, app::PlaceDatum::Bd09})
            if (ImGui::Selectable(datum_label(d), flow.datum == d)) flow.datum = d;
        ImGui::EndCombo();
    }
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr("datum of typed coordinates (auto: a prefix, else WGS84)"));
    ImGui::SetNextItemWidth(box_w);
    go |= ImGui::InputTextWithHint(label_id(tr("material"), "material_flow").c_str(), tr("sulphuric acid / 1830 / 7664-93-9"),
                                   &flow.material_text, ImGuiInputTextFlags_EnterReturnsTrue);
    if (ImGui::Button(tr("Answer")) || go) ask_incident(state, panels);
    ImGui::SameLine();
    ImGui::BeginDisabled(!can_assign(state, flow));
    const std::string assign_label = label_id(trf("Assign top {}", flow.assign_n).c_str(), "assign");
    if (ImGui::Button(assign_label.c_str())) assign_top_teams(state, flow);
    ImGui::EndDisabled();
    ImGui::SameLine();
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 2.2f);
    ImGui::DragInt("##assign_n", &flow.assign_n, 0.1f, 1, 10);
    ImGui::SameLine();
    ImGui::BeginDisabled(!can_save_brief(state, flow));
    if (ImGui::Button(tr("Save brief"))) save_incident_brief(state, flow);
    ImGui::EndDisabled();
    if (!state.edits().enabled() && flow.place)
        ImGui::TextDisabled("%s", state.edits().why_not().empty() ? tr("read-only: no assignments") : state.edits().why_not().c_str());

    ImGui::PushTextWrapPos(0);
    if (!flow.message.empty()) ImGui::TextColored(flow.message_is_error ? k_error_colour : k_ok_colour, "%s", flow.message.c_str());
    if (!panels.brief_message.empty() && !flow.incident.empty()) ImGui::TextDisabled("%s", panels.brief_message.c_str());
    if (flow.place) {
        const app::IncidentPlace& p = *flow.place;
        ImGui::Text("%s%s%s", p.label.c_str(), p.county.empty() ? "" : " · ", p.county.c_str());
        if (flow.incident.empty()) ImGui::TextDisabled("WGS84 %.6f, %.6f", p.at.x, p.at.y); // i18n: not shown: a datum and numbers
        else ImGui::TextDisabled("%s", trf("WGS84 {:.6f}, {:.6f} · incident {}", p.at.x, p.at.y, flow.incident).c_str());
        if (flow.material)
            ImGui::Text(tr("%s · UN%d · CAS %s · guide %s"),
                        (i18n::language() == i18n::Language::en && !flow.material->name_en.empty() ? flow.material->name_en
                                                                                                   : flow.material->name_zh)
                            .c_str(),
                        flow.material->un, flow.material->cas.empty() ? "—" : flow.material->cas.c_str(),
                        flow.material->guide.empty() ? "—" : flow.material->guide.c_str());
        if (const auto& h = state.hazard(); h && h->error.empty()) {
            for (const auto& z : h->zones)
                if (z.tier >= 1 && z.kind != "uncertainty")
                    ImGui::BulletText("%s %s %.0f m",
                                      z.tier >= 3   ? tr("red")
                                      : z.tier == 2 ? tr("orange")
                                                    : tr("yellow"),
                                      hazard::zone_title(z).c_str(), z.distance_m);
        }
        for (const auto& a : flow.assumptions) ImGui::TextColored(k_warning_colour, tr("assumed: %s"), a.c_str());
        if (!flow.assigned.empty()) {
            std::string teams;
            for (const auto& t : flow.assigned) teams += (teams.empty() ? "" : tr(", ")) + t;
            ImGui::TextColored(k_ok_colour, tr("assigned: %s"), teams.c_str());
        }
    }
    ImGui::PopTextWrapPos();
}

} // namespace

void draw_dispatch_panel(AppState& state, PanelState& panels) {
    // Where Nearest opens (one of them at a time), as tall as a 1366x768 screen allows.
    const float height = std::min(720.0f, ImGui::GetIO().DisplaySize.y - 60);
    // Left of the Inspector's column; on a screen under 1600 wide at the right edge, over it, so
    // that the map keeps room between the Layers panel and this one.
    const bool narrow = ImGui::GetIO().DisplaySize.x < 1600;
    place_next_window(panels, ImVec2(narrow ? -8.0f : -396.0f, 30), ImVec2(440, height));
    if (!ImGui::Begin(label_id(tr("Dispatch"), "dispatch").c_str(), &panels.show_dispatch)) {
        ImGui::End();
        return;
    }
    auto& form = panels.dispatch_form;
    form.filter = dispatch_base(state, panels).filter;
    draw_new_incident(state, panels);
    bool changed = false;
    if (ImGui::CollapsingHeader(label_id(tr("More options: click, typed point, capabilities, supplies"), "more_options").c_str())) {
        changed = draw_more_options(state, panels);
    }
    if (changed && state.dispatch()) { // the same incident, asked again
        DispatchQuery q = form;
        q.at = state.dispatch()->query.at;
        q.place = state.dispatch()->query.place;
        q.closures = state.dispatch()->query.closures;
        state.run_dispatch(std::move(q));
    }
    if (!panels.dispatch_message.empty())
        ImGui::TextColored(panels.dispatch_message_error ? k_error_colour : k_ok_colour, "%s", panels.dispatch_message.c_str());

    const auto& d = state.dispatch();
    ImGui::Separator();
    if (!d) {
        ImGui::TextDisabled("%s", tr("type the place and the material, then Answer"));
        ImGui::TextDisabled("%s", tr("(or click the map: More options)"));
        ImGui::End();
        return;
    }
    const geo::Coord gcj = geo::wgs84_to_gcj02(d->query.at);
    ImGui::Text("%s  WGS84 %.6f, %.6f", d->query.place.c_str(), d->query.at.x, d->query.at.y); // i18n: not shown: a datum and numbers
    ImGui::TextDisabled("GCJ-02 %.6f, %.6f", gcj.x, gcj.y);                                    // i18n: not shown: a datum and numbers
    if (d->pending) {
        ImGui::TextDisabled("%s", tr("building the road graph…"));
        ImGui::End();
        return;
    }
    if (!d->error.empty()) {
        ImGui::PushTextWrapPos(0);
        ImGui::TextColored(k_error_colour, "%s", d->error.c_str());
        ImGui::PopTextWrapPos();
    }
    {
        RoadNetwork& net = state.road_network();
        ImGui::TextDisabled(tr("road graph: %s · query %.1f ms"),
                            net.from_store() ? tr("stored, with hierarchy") : tr("built from the layer"), d->query_ms);
        if (!net.store_note().empty()) {
            ImGui::PushTextWrapPos(0);
            ImGui::TextColored(k_warning_colour, "%s", net.store_note().c_str());
            ImGui::PopTextWrapPos();
        }
    }
    if (!d->query.closures.empty())
        ImGui::TextColored(k_warning_colour, "%s",
                           trf("closed: {} segments in {} areas", d->closed_segments, d->query.closures.size()).c_str());
    if (!d->teams.empty() && ImGui::BeginTable("teams", 6,
                                               ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_SizingStretchProp |
                                                   ImGuiTableFlags_ScrollY,
                                               ImVec2(0, ImGui::GetTextLineHeightWithSpacing() * 9))) {
        ImGui::TableSetupScrollFreeze(0, 1);
        ImGui::TableSetupColumn("#", ImGuiTableColumnFlags_WidthFixed);
        ImGui::TableSetupColumn(tr("name"), ImGuiTableColumnFlags_WidthStretch);
        ImGui::TableSetupColumn(tr("phone"), ImGuiTableColumnFlags_WidthFixed);
        ImGui::TableSetupColumn(tr("ETA"), ImGuiTableColumnFlags_WidthFixed);
        ImGui::TableSetupColumn(tr("travel"), ImGuiTableColumnFlags_WidthFixed);
        ImGui::TableSetupColumn(tr("road"), ImGuiTableColumnFlags_WidthFixed);
        ImGui::TableHeadersRow();
        std::size_t rank = 0;
        const auto& sel = state.selection();
        for (const auto& t : d->teams) {
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            const std::size_t r = t.reachable ? ++rank : 0;
            const RouteStyle st = route_style(r, d->query.top_n);
            char num[32];
            std::snprintf(num, sizeof num, "%s##%zu", r ? std::to_string(r).c_str() : "—", t.row);
            if (st.highlighted) ImGui::PushStyleColor(ImGuiCol_Text, to_imgui(st.colour.with_alpha(255)));
            const bool selected = sel && sel->kind == d->query.kind && sel->row == t.row;
            if (ImGui::Selectable(num, selected, ImGuiSelectableFlags_SpanAllColumns)) state.select_and_zoom({d->query.kind, t.row});
            if (st.highlighted) ImGui::PopStyleColor();
            if (ImGui::IsItemHovered())
                ImGui::SetTooltip("%s  %s\n%s\n%s%s", t.id.c_str(), t.status.c_str(), t.capabilities.c_str(),
                                  trf("turnout {}", format_minutes(t.turnout_s)).c_str(),
                                  d->equipment_asked ? ("\n" + trf("equipment {}", app::equipment_text(*d, t))).c_str() : "");
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(t.name.c_str());
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(t.phone.empty() ? "—" : t.phone.c_str());
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(t.reachable ? format_minutes(t.eta_s).c_str() : tr("unreachable"));
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(format_minutes(t.travel_s).c_str());
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(t.reachable ? format_distance(t.road_m).c_str() : "—");
        }
        ImGui::EndTable();
    }
    if (d->teams.empty() && d->error.empty()) ImGui::TextDisabled("%s", tr("no team matches"));
    if (d->supplies_asked) {
        const app::SupplyResult& sup = d->supply;
        ImGui::Separator();
        // The headline comes from core: with a shortfall it leads with what is missing and never
        // says "all arrive".
        if (!sup.headline.empty()) {
            if (!sup.complete) ImGui::PushStyleColor(ImGuiCol_Text, k_error_colour);
            ImGui::TextWrapped("%s", sup.headline.c_str());
            if (!sup.complete) ImGui::PopStyleColor();
        }
        for (const auto& p : sup.problems) ImGui::TextColored(k_error_colour, tr("bad need: %s"), p.c_str());
        // Per need: what arrives first, then the split that covers the rest, with times.
        for (std::size_t i = 0; i < sup.needs.size(); ++i) {
            const auto& n = sup.needs[i];
            std::string split;
            for (const auto& part : n.parts)
                split += (split.empty() ? "" : tr(", ")) + app::amount_text(sup, i, part.quantity) + " @ " + format_minutes(part.eta_s) +
                         " (" + sup.depots[part.depot].name + ")";
            const std::string head = n.item + " " + app::amount_text(sup, i, n.needed);
            ImGui::BulletText("%s: %s", head.c_str(), split.empty() ? "—" : split.c_str());
        }
        ImGui::TextDisabled("%s", tr("warehouses:"));
        for (const auto& w : sup.depots) {
            std::string gives;
            for (const auto& g : w.gives) gives += (gives.empty() ? "" : tr(", ")) + app::give_text(sup, g);
            ImGui::BulletText("%s  %s  %s", w.name.c_str(), format_minutes(w.eta_s).c_str(), gives.c_str());
        }
        for (std::size_t i = 0; i < sup.needs.size(); ++i)
            if (sup.needs[i].shortfall > 0)
                ImGui::TextColored(k_error_colour, tr("shortfall: %s %s"), sup.needs[i].item.c_str(),
                                   app::amount_text(sup, i, sup.needs[i].shortfall).c_str());
    }
    for (const auto& n : d->notes) ImGui::TextDisabled("%s", n.c_str());
    if (!d->isochrones.empty()) ImGui::TextDisabled("%s", tr("isochrones: 5/10/15/30 min (blue)"));

    if (!panels.flow.place) draw_operations(state, panels, *d); // the flow has its own, at the top

    // The sheet.
    ImGui::Separator();
    ImGui::BeginDisabled(!d->error.empty());
    if (ImGui::Button(tr("Export CSV"))) export_dispatch(state, panels, "csv");
    ImGui::SameLine();
    if (ImGui::Button(tr("Export GeoJSON"))) export_dispatch(state, panels, "geojson");
    ImGui::SameLine();
    if (ImGui::Button(tr("Map PNG"))) export_dispatch(state, panels, "png");
    ImGui::EndDisabled();
    ImGui::SameLine();
    if (ImGui::Button(label_id(tr("Clear"), "clear_d").c_str())) state.clear_dispatch();
    ImGui::End();
}

} // namespace vigil::viewer
