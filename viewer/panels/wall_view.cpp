/// @file
/// The wall's furniture (see wall_view.hpp). Layout: one band across the top — groups of key
/// figures flowing left to right (a second row when the screen is too narrow for one), the clock
/// at the right; the incident ticker across the bottom; the incident in focus and the arrival
/// countdowns in boxes under the band. Dark plates with white ink: readable over any map colour.

#include "wall_view.hpp"

#include <vigil/util/i18n.hpp>

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace vigil::viewer {

namespace {

constexpr ImU32 k_plate = IM_COL32(16, 28, 48, 232);
constexpr ImU32 k_ink = IM_COL32(255, 255, 255, 255);
constexpr ImU32 k_quiet_ink = IM_COL32(190, 204, 222, 255);
constexpr ImU32 k_alarm = IM_COL32(229, 57, 53, 255);
constexpr ImU32 k_good = IM_COL32(102, 187, 106, 255);
constexpr ImU32 k_amber = IM_COL32(255, 193, 7, 255);
constexpr std::int64_t k_bureau_offset_s = 8 * 3600; // UTC+8

/// One figure: a chip of its class colour (none: no chip), the number, and its class under it.
struct Figure {
    ImU32 chip = 0;
    std::string number, label;
    ImU32 ink = k_ink;
};

/// A group of figures under a title ("企业风险", "重大危险源" ...).
struct Group {
    std::string title;
    std::vector<Figure> figures;
};

ImU32 colour_of(const std::string& hex) { return parse_colour(hex, {158, 158, 158, 255}).packed(); }

std::vector<Group> groups_of(const app::WallBoard& b) {
    std::vector<Group> out;
    // A class's label without its parenthesis ("重大风险（红）" -> "重大风险": the chip shows the colour).
    auto short_label = [](const std::string& label) {
        for (const char* open : {"（", "("}) // i18n: not shown: brackets looked for
            if (const auto at = label.find(open); at != std::string::npos && at > 0) return label.substr(0, at);
        return label;
    };
    auto counts = [&](const std::string& title, const std::vector<app::WallCount>& v, bool chips) {
        Group g{title, {}};
        for (const auto& c : v)
            g.figures.push_back({chips ? (c.colour.empty() ? IM_COL32(158, 158, 158, 255) : colour_of(c.colour)) : 0u,
                                 std::to_string(c.count), short_label(c.label), k_ink});
        return g;
    };
    if (!b.enterprises_by_risk.empty()) out.push_back(counts(tr("Enterprise\nrisk"), b.enterprises_by_risk, true));
    if (!b.hazard_sources_by_grade.empty()) out.push_back(counts(tr("Major\nhazards"), b.hazard_sources_by_grade, true));
    if (!b.teams_by_status.empty()) {
        Group g = counts(tr("Rescue\nteams"), b.teams_by_status, false);
        // Status colours: available green, deployed amber, the rest quiet.
        for (std::size_t i = 0; i < g.figures.size() && i < b.teams_by_status.size(); ++i) {
            const std::string& v = b.teams_by_status[i].value;
            g.figures[i].chip = v == "available" ? k_good : v == "deployed" ? k_amber : IM_COL32(144, 164, 174, 255);
        }
        out.push_back(std::move(g));
    }
    Group now{trc("wall", "Now"), {}};
    now.figures.push_back({0u, std::to_string(b.open_incidents()), tr("open incidents"), b.open_incidents() ? k_alarm : k_ink});
    now.figures.push_back(
        {0u, std::to_string(b.overdue_hidden_hazards), tr("overdue hidden hazards"), b.overdue_hidden_hazards ? k_amber : k_ink});
    out.push_back(std::move(now));
    return out;
}

void plate(ImDrawList* dl, ImVec2 a, ImVec2 b, ImU32 colour = k_plate, float rounding = 4) { dl->AddRectFilled(a, b, colour, rounding); }

/// Sizes shared by both layouts: every word at the body size (the rule's 20′), the digits at
/// the key figures' size.
struct Metrics {
    float pad = 8, gap = 16, chip = 12, text_h = 16, digit_h = 32;
};

Metrics metrics_of(float kpi_px) {
    Metrics m;
    m.text_h = ImGui::GetFontSize();
    m.digit_h = kpi_px;
    m.chip = std::round(m.text_h * 0.75f);
    return m;
}

float figure_width(const Figure& f, ImFont* kpi, const Metrics& m) {
    const float digits = kpi->CalcTextSizeA(m.digit_h, 1e9f, 0, f.number.c_str()).x;
    const float label = ImGui::GetFont()->CalcTextSizeA(m.text_h, 1e9f, 0, f.label.c_str()).x;
    return std::max(digits + (f.chip ? m.chip + 4 : 0), label);
}

/// A figure: the chip and the number, its class under it.
void draw_figure(ImDrawList* dl, ImFont* kpi, const Metrics& m, const Figure& f, ImVec2 at) {
    float dx = at.x;
    if (f.chip) {
        const float cy = at.y + m.digit_h * 0.55f;
        dl->AddRectFilled(ImVec2(dx, cy - m.chip / 2), ImVec2(dx + m.chip, cy + m.chip / 2), f.chip, 2);
        dx += m.chip + 4;
    }
    dl->AddText(kpi, m.digit_h, ImVec2(dx, at.y), f.ink, f.number.c_str());
    dl->AddText(ImGui::GetFont(), m.text_h, ImVec2(at.x, at.y + m.digit_h), k_quiet_ink, f.label.c_str());
}

/// A group: its title stacked at the left (two short lines), then its figures.
float title_width(const Group& g, const Metrics& m) {
    return ImGui::GetFont()->CalcTextSizeA(m.text_h, 1e9f, 0, g.title.c_str()).x + m.pad;
}

float group_width(const Group& g, ImFont* kpi, const Metrics& m) {
    float w = title_width(g, m);
    for (const auto& f : g.figures) w += figure_width(f, kpi, m) + m.gap;
    return w + m.gap;
}

float clock_width(ImFont* kpi, const Metrics& m) {
    const float time = kpi->CalcTextSizeA(m.digit_h, 1e9f, 0, "00:00:00").x;
    float date = 0; // the widest weekday's
    for (int d = 0; d < 7; ++d) date = std::max(date, ImGui::GetFont()->CalcTextSizeA(m.text_h, 1e9f, 0, bureau_date(d * 86400).c_str()).x);
    return std::max(time, date) + 2 * m.pad;
}

/// The key figures in a band across the top: groups flow left to right, onto a second row (and
/// more) when the picture is too narrow for one; the clock ends the last row at the right.
struct Layout {
    std::vector<std::vector<const Group*>> rows;
    float row_h = 0, top = 0, bottom = 0;
};

Layout layout_of(const std::vector<Group>& groups, ImFont* kpi, const Metrics& m, ImVec2 screen) {
    Layout l;
    l.row_h = m.pad + m.digit_h + m.text_h + m.pad;
    l.bottom = m.text_h + 12;
    l.rows.emplace_back();
    float x = m.pad;
    for (const auto& g : groups) {
        const float w = group_width(g, kpi, m);
        if (x + w > screen.x && !l.rows.back().empty()) {
            l.rows.emplace_back();
            x = m.pad;
        }
        l.rows.back().push_back(&g);
        x += w;
    }
    if (x + clock_width(kpi, m) > screen.x) l.rows.emplace_back(); // the clock on a row of its own
    l.top = l.row_h * static_cast<float>(l.rows.size());
    return l;
}

void draw_figures(ImDrawList* dl, ImFont* kpi, const Metrics& m, const Layout& l, ImVec2 screen, std::int64_t now_s, bool live) {
    ImFont* body = ImGui::GetFont();
    plate(dl, ImVec2(0, 0), ImVec2(screen.x, l.top), k_plate, 0);
    for (std::size_t r = 0; r < l.rows.size(); ++r) {
        const float y = l.row_h * static_cast<float>(r) + m.pad;
        float x = m.pad;
        for (const Group* g : l.rows[r]) {
            dl->AddText(body, m.text_h, ImVec2(x, y + (m.digit_h + m.text_h - 2 * m.text_h) / 2), k_quiet_ink, g->title.c_str());
            float fx = x + title_width(*g, m);
            for (const auto& f : g->figures) {
                draw_figure(dl, kpi, m, f, ImVec2(fx, y));
                fx += figure_width(f, kpi, m) + m.gap;
            }
            x += group_width(*g, kpi, m);
            if (g != l.rows[r].back() || r + 1 < l.rows.size())
                dl->AddLine(ImVec2(x - m.gap, y), ImVec2(x - m.gap, y + m.digit_h + m.text_h), IM_COL32(255, 255, 255, 60), 1);
        }
    }
    // The clock, the date over it and whether the data are live, at the right of the last row.
    const float cw = clock_width(kpi, m), y = l.row_h * static_cast<float>(l.rows.size() - 1) + m.pad;
    const std::string clock = bureau_clock(now_s), date = bureau_date(now_s);
    const float x = screen.x - cw + m.pad;
    dl->AddText(kpi, m.digit_h, ImVec2(x, y), k_ink, clock.c_str());
    dl->AddText(body, m.text_h, ImVec2(x, y + m.digit_h), k_quiet_ink, date.substr(5).c_str()); // "12-07 星期一"
    // Whether the data are live: at the right of the first row (or left of the clock on a single row).
    const std::string live_text = live ? tr("live") : tr("data not updated");
    const float lw = body->CalcTextSizeA(m.text_h, 1e9f, 0, live_text.c_str()).x + m.text_h;
    const ImVec2 at = l.rows.size() > 1 ? ImVec2(screen.x - m.pad - lw, m.pad) : ImVec2(x - lw - m.gap, y + m.digit_h);
    dl->AddCircleFilled(ImVec2(at.x + m.text_h * 0.35f, at.y + m.text_h * 0.55f), m.text_h * 0.3f, live ? k_good : k_alarm);
    dl->AddText(body, m.text_h, ImVec2(at.x + m.text_h * 0.8f, at.y), live ? k_quiet_ink : k_alarm, live_text.c_str());
}

ImFont* kpi_or_body(ImFont* kpi) { return kpi ? kpi : ImGui::GetFont(); }

std::string ticker_text(const app::WallBoard& b) {
    if (b.incidents.empty()) return tr("No open incidents");
    std::string t;
    for (const auto& i : b.incidents) {
        if (!t.empty()) t += "　　　"; // i18n: not shown: a gap of ideographic spaces
        t += trf("● [{}] {}", i.type.empty() ? std::string(trc("wall", "Incident")) : i.type, i.title.empty() ? i.id : i.title);
        if (!i.material.empty()) t += " · " + i.material;
        if (i.since_s) t += " · " + bureau_clock(i.since_s).substr(0, 5);
        t += i.teams_out ? trf(" · teams sent: {}", i.teams_out) : std::string(tr(" · no team sent"));
    }
    return t;
}


} // namespace

std::string bureau_clock(std::int64_t utc_s) {
    const std::int64_t t = ((utc_s + k_bureau_offset_s) % 86400 + 86400) % 86400;
    char text[16];
    std::snprintf(text, sizeof text, "%02d:%02d:%02d", static_cast<int>(t / 3600), static_cast<int>(t / 60 % 60), static_cast<int>(t % 60));
    return text;
}

std::string bureau_date(std::int64_t utc_s) {
    const std::string iso = app::utc_iso(utc_s + k_bureau_offset_s);
    const std::int64_t days =
        (utc_s + k_bureau_offset_s) >= 0 ? (utc_s + k_bureau_offset_s) / 86400 : (utc_s + k_bureau_offset_s - 86399) / 86400;
    static const char* const k_week[] = {N_("Thursday"), N_("Friday"),  N_("Saturday"), N_("Sunday"),
                                         N_("Monday"),   N_("Tuesday"), N_("Wednesday")}; // 1970-01-01 was a Thursday
    return iso.substr(0, 10) + " " + tr(k_week[((days % 7) + 7) % 7]);
}

std::string countdown_text(std::int64_t seconds) {
    const bool late = seconds < 0;
    const std::int64_t s = late ? -seconds : seconds;
    char text[32];
    if (s >= 3600)
        std::snprintf(text, sizeof text, "%lld:%02d:%02d", static_cast<long long>(s / 3600), static_cast<int>(s / 60 % 60),
                      static_cast<int>(s % 60));
    else std::snprintf(text, sizeof text, "%02d:%02d", static_cast<int>(s / 60), static_cast<int>(s % 60));
    const std::string t = text;
    return late ? "+" + t : t;
}

WallInsets wall_insets(const app::WallBoard& board, const WallSizing& sizing, ImFont* kpi_font, float width) {
    ImFont* kpi = kpi_or_body(kpi_font);
    const Metrics m = metrics_of(sizing.kpi_font_px);
    const Layout l = layout_of(groups_of(board), kpi, m, ImVec2(width, ImGui::GetIO().DisplaySize.y));
    return {l.top, 0, l.bottom};
}

std::vector<geo::BBox> draw_wall(const AppState& state, const WallDirector& director, const WallSizing& sizing, double clock_s,
                                 ImFont* kpi_font) {
    std::vector<geo::BBox> boxes;
    auto covered = [&](ImVec2 a, ImVec2 b) { boxes.push_back({a.x, a.y, b.x, b.y}); };
    ImDrawList* dl = ImGui::GetForegroundDrawList();
    ImFont* body = ImGui::GetFont();
    ImFont* kpi = kpi_or_body(kpi_font);
    const float body_px = ImGui::GetFontSize();
    const ImVec2 screen = ImGui::GetIO().DisplaySize;
    const app::WallBoard& board = director.board();
    const Metrics m = metrics_of(sizing.kpi_font_px);
    const auto groups = groups_of(board);
    const Layout layout = layout_of(groups, kpi, m, screen);
    const auto now_s = static_cast<std::int64_t>(std::floor(clock_s));
    const std::string& warning = director.data_warning();
    const bool live = state.live() && warning.empty();
    draw_figures(dl, kpi, m, layout, screen, now_s, live);
    const float map_right = screen.x;

    float y = layout.top + 8;
    // Why the data may be old.
    if (!live) {
        const std::string why =
            !warning.empty() ? warning : (state.live_note().empty() ? std::string(tr("not followed live")) : state.live_note());
        const ImVec2 ts = body->CalcTextSizeA(body_px, map_right - 40, map_right - 40, why.c_str());
        plate(dl, ImVec2(8, y), ImVec2(16 + ts.x + 8, y + ts.y + 8), IM_COL32(183, 28, 28, 235));
        covered(ImVec2(8, y), ImVec2(16 + ts.x + 8, y + ts.y + 8));
        dl->AddText(body, body_px, ImVec2(16, y + 4), k_ink, why.c_str(), nullptr, map_right - 40);
        y += ts.y + 16;
    }

    // The incident in focus.
    const auto focus = std::find_if(board.incidents.begin(), board.incidents.end(),
                                    [&](const app::WallIncident& i) { return i.id == director.focus_incident(); });
    if (focus != board.incidents.end()) {
        const std::string head = trf("New incident · {}", focus->type.empty() ? std::string(trc("wall", "Incident")) : focus->type);
        std::string line = focus->title.empty() ? focus->id : focus->title;
        if (!focus->material.empty()) line += " · " + focus->material;
        if (focus->since_s) line += " · " + bureau_clock(focus->since_s).substr(0, 5);
        const float w =
            std::max(body->CalcTextSizeA(body_px, 1e9f, 0, line.c_str()).x, body->CalcTextSizeA(body_px, 1e9f, 0, head.c_str()).x) + 24;
        const bool pulse = std::fmod(clock_s, 2.0) < 1.0;
        plate(dl, ImVec2(8, y), ImVec2(8 + w, y + 2 * body_px + 16));
        covered(ImVec2(8, y), ImVec2(8 + w, y + 2 * body_px + 16));
        dl->AddRect(ImVec2(8, y), ImVec2(8 + w, y + 2 * body_px + 16), pulse ? k_alarm : IM_COL32(229, 57, 53, 140), 4, 0, 3);
        dl->AddText(body, body_px, ImVec2(20, y + 6), k_alarm, head.c_str());
        dl->AddText(body, body_px, ImVec2(20, y + 8 + body_px), k_ink, line.c_str());
        y += 2 * body_px + 24;
        if (const std::string& why = director.focus_zone_note(); !why.empty()) {
            const float ww = body->CalcTextSizeA(body_px, 1e9f, 0, why.c_str()).x + 24;
            plate(dl, ImVec2(8, y - 8), ImVec2(8 + ww, y + body_px + 2), IM_COL32(230, 81, 0, 235));
            covered(ImVec2(8, y - 8), ImVec2(8 + ww, y + body_px + 2));
            dl->AddText(body, body_px, ImVec2(20, y - 4), k_ink, why.c_str());
            y += body_px + 12;
        }
    } else if (const TourStop* stop = director.tour_stop()) {
        const float w = body->CalcTextSizeA(body_px, 1e9f, 0, stop->name.c_str()).x + 24;
        plate(dl, ImVec2(8, y), ImVec2(8 + w, y + body_px + 10));
        covered(ImVec2(8, y), ImVec2(8 + w, y + body_px + 10));
        dl->AddText(body, body_px, ImVec2(20, y + 5), k_ink, stop->name.c_str());
    }

    // Arrival countdowns: of the incident in focus, else of every open incident (at most 8).
    std::vector<const app::WallCountdown*> shown;
    for (const auto& c : board.countdowns)
        if ((director.focus_incident().empty() || c.incident_id == director.focus_incident()) && shown.size() < 8) shown.push_back(&c);
    if (!shown.empty()) {
        const float line_h = body_px + 6;
        float w = body->CalcTextSizeA(body_px, 1e9f, 0, tr("Arrival countdown")).x;
        std::vector<std::pair<std::string, std::string>> lines;
        std::vector<ImU32> inks;
        for (const auto* c : shown) {
            std::string left = c->team_name + (c->duty_phone.empty() ? "" : "  " + c->duty_phone);
            std::string right;
            ImU32 ink = k_ink;
            if (c->arrived) right = tr("arrived"), ink = k_good;
            else if (!c->due_s) right = tr("no ETA"), ink = k_quiet_ink;
            else if (*c->due_s >= now_s) right = countdown_text(*c->due_s - now_s);
            else right = trf("late {}", countdown_text(*c->due_s - now_s)), ink = k_alarm;
            w = std::max(w, body->CalcTextSizeA(body_px, 1e9f, 0, left.c_str()).x + body->CalcTextSizeA(body_px, 1e9f, 0, right.c_str()).x +
                                24);
            lines.emplace_back(std::move(left), std::move(right));
            inks.push_back(ink);
        }
        const float x0 = map_right - w - 24, y0 = layout.top + 8;
        plate(dl, ImVec2(x0, y0), ImVec2(map_right - 8, y0 + line_h * static_cast<float>(lines.size() + 1) + 10));
        covered(ImVec2(x0, y0), ImVec2(map_right - 8, y0 + line_h * static_cast<float>(lines.size() + 1) + 10));
        dl->AddText(body, body_px, ImVec2(x0 + 8, y0 + 4), k_quiet_ink, tr("Arrival countdown"));
        for (std::size_t i = 0; i < lines.size(); ++i) {
            const float ly = y0 + 4 + line_h * static_cast<float>(i + 1);
            dl->AddText(body, body_px, ImVec2(x0 + 8, ly), k_ink, lines[i].first.c_str());
            const float rw = body->CalcTextSizeA(body_px, 1e9f, 0, lines[i].second.c_str()).x;
            dl->AddText(body, body_px, ImVec2(map_right - 16 - rw, ly), inks[i], lines[i].second.c_str());
        }
        // And at each team's base on the map.
        const Camera& cam = state.camera();
        const double ratio = cam.pixel_ratio();
        for (std::size_t i = 0; i < shown.size(); ++i) {
            if (!shown[i]->team_at || shown[i]->arrived) continue;
            const geo::Coord s = cam.lonlat_to_screen(*shown[i]->team_at);
            // Above the base's marker (its name label sits beside it).
            const std::string& t = lines[i].second;
            const float tw = body->CalcTextSizeA(body_px, 1e9f, 0, t.c_str()).x;
            const ImVec2 at(static_cast<float>(s.x / ratio) - tw / 2, static_cast<float>(s.y / ratio) - body_px - 14);
            plate(ImGui::GetBackgroundDrawList(), ImVec2(at.x - 4, at.y - 2), ImVec2(at.x + tw + 4, at.y + body_px + 2));
            ImGui::GetBackgroundDrawList()->AddText(body, body_px, at, inks[i], t.c_str());
        }
    }

    // The ticker: still when it fits, else scrolling by the wall's clock (60 logical px a second).
    const float tick_h = body_px + 12;
    plate(dl, ImVec2(0, screen.y - tick_h), ImVec2(screen.x, screen.y), k_plate, 0);
    const std::string ticker = ticker_text(board);
    const float tw = body->CalcTextSizeA(body_px, 1e9f, 0, ticker.c_str()).x;
    float tx = 12;
    if (tw > screen.x - 24) {
        const double period = tw + screen.x;
        tx = screen.x - static_cast<float>(std::fmod(clock_s * 60.0, period));
    }
    dl->PushClipRect(ImVec2(0, screen.y - tick_h), ImVec2(screen.x, screen.y));
    dl->AddText(body, body_px, ImVec2(tx, screen.y - tick_h + 6), board.incidents.empty() ? k_quiet_ink : k_ink, ticker.c_str());
    dl->PopClipRect();
    return boxes;
}

} // namespace vigil::viewer
