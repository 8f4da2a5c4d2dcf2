// The incident brief drawn with cairo (render.hpp). Everything is laid out in points on an A4
// page; the PNG surface is scaled by dpi/72 so that one drawing serves both. Top to bottom:
//
//   title · facts (two columns)
//   map (county boundaries, roads, routes, warehouses, teams by number, the incident; scale bar,
//        north arrow, legend)
//   ranked teams · assigned teams · warehouses · log · notes
//   footer: data date, generated at, made by Vigil
//
// A list that would run off the page is cut and says how many lines were left out.

#include <vigil/brief/render.hpp>

#include <vigil/util/error.hpp>
#include <vigil/util/i18n.hpp>

#include <cairo-pdf.h>
#include <cairo.h>
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <memory>
#include <string>
#include <vector>

namespace vigil::brief {

namespace {

constexpr const char* k_font = "Noto Sans CJK SC"; // i18n: not shown: a fontconfig family name
constexpr double k_margin = 36;
constexpr double k_footer_h = 22;

struct Rgb {
    double r, g, b;
};
constexpr Rgb k_black{0.1, 0.1, 0.1}, k_grey{0.45, 0.45, 0.45}, k_light{0.8, 0.8, 0.8}, k_red{0.85, 0.1, 0.1}, k_blue{0.12, 0.35, 0.75},
    k_green{0.1, 0.55, 0.25}, k_brown{0.55, 0.35, 0.1};

void colour(cairo_t* cr, Rgb c) { cairo_set_source_rgb(cr, c.r, c.g, c.b); }

void font(cairo_t* cr, double size, bool bold = false) {
    cairo_select_font_face(cr, k_font, CAIRO_FONT_SLANT_NORMAL, bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, size);
}

double text_width(cairo_t* cr, const std::string& s) {
    cairo_text_extents_t e;
    cairo_text_extents(cr, s.c_str(), &e);
    return e.x_advance;
}

void text_at(cairo_t* cr, double x, double y, const std::string& s) {
    cairo_move_to(cr, x, y);
    cairo_show_text(cr, s.c_str());
}

// The UTF-8 code points of s, each as its bytes.
std::vector<std::string> code_points(const std::string& s) {
    std::vector<std::string> out;
    for (std::size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        std::size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : 4;
        n = std::min(n, s.size() - i);
        out.push_back(s.substr(i, n));
        i += n;
    }
    return out;
}

// s cut to fit `width` with an ellipsis.
std::string fit(cairo_t* cr, const std::string& s, double width) {
    if (text_width(cr, s) <= width) return s;
    std::string out;
    for (const auto& cp : code_points(s)) {
        if (text_width(cr, out + cp + "…") > width) break;
        out += cp;
    }
    return out + "…";
}

// s broken into lines of at most `width` (at a space when one is near, else between characters).
std::vector<std::string> wrap(cairo_t* cr, const std::string& s, double width) {
    std::vector<std::string> lines;
    std::string line;
    for (const auto& cp : code_points(s)) {
        if (!line.empty() && text_width(cr, line + cp) > width) {
            const auto space = line.rfind(' ');
            if (space != std::string::npos && space > line.size() / 2) {
                lines.push_back(line.substr(0, space));
                line = line.substr(space + 1);
            } else {
                lines.push_back(line);
                line.clear();
            }
            if (cp == " ") continue;
        }
        line += cp;
    }
    if (!line.empty()) lines.push_back(line);
    return lines;
}

std::string or_dash(const std::string& s) { return s.empty() ? "—" : s; }

// "12-08 01:55" for "2026-12-08 01:55" (the year is in the facts), "—" for none.
std::string short_time(const std::string& t) { return t.size() == 16 && t[4] == '-' ? t.substr(5) : or_dash(t); }

std::string minutes(const std::optional<double>& m) { return m ? trf("{:.0f} min", *m) : "—"; }

// [the page] -----------------------------------------------------------------------------------

class Page {
public:
    explicit Page(cairo_t* cr) : m_cr(cr) {}

    void draw(const app::IncidentBrief& b) {
        // White paper (the PNG surface starts transparent).
        cairo_set_source_rgb(m_cr, 1, 1, 1);
        cairo_paint(m_cr);
        title(b);
        facts(b);
        map(b);
        zones(b);
        teams(b);
        assigned(b);
        warehouses(b);
        log(b);
        notes(b);
        footer(b);
    }

private:
    cairo_t* m_cr;
    double m_y = k_margin;
    const double m_left = k_margin, m_width = k_page_width_pt - 2 * k_margin;
    const double m_bottom = k_page_height_pt - k_margin - k_footer_h;

    void title(const app::IncidentBrief& b) {
        colour(m_cr, k_red);
        cairo_rectangle(m_cr, m_left, m_y, 4, 30);
        cairo_fill(m_cr);
        colour(m_cr, k_black);
        font(m_cr, 17, true);
        text_at(m_cr, m_left + 10, m_y + 16, tr("Incident brief"));
        font(m_cr, 11, true);
        const std::string id = trf("Incident no. {}", b.incident_id);
        text_at(m_cr, m_left + m_width - text_width(m_cr, id), m_y + 16, id);
        font(m_cr, 11);
        text_at(m_cr, m_left + 10, m_y + 30, fit(m_cr, b.incident_title.empty() ? b.type : b.incident_title, m_width - 10));
        m_y += 38;
        rule();
    }

    void rule() {
        colour(m_cr, k_light);
        cairo_set_line_width(m_cr, 0.6);
        cairo_move_to(m_cr, m_left, m_y);
        cairo_line_to(m_cr, m_left + m_width, m_y);
        cairo_stroke(m_cr);
        m_y += 4;
    }

    void heading(const std::string& s) {
        m_y += 6;
        font(m_cr, 10, true);
        colour(m_cr, k_black);
        text_at(m_cr, m_left, m_y + 9, s);
        m_y += 13;
    }

    void facts(const app::IncidentBrief& b) {
        std::string material = b.material;
        if (!b.un_number.empty()) material += (material.empty() ? "" : trc("list separator", ", ")) + std::string("UN ") + b.un_number;
        if (!b.cas.empty()) material += (material.empty() ? "" : trc("list separator", ", ")) + std::string("CAS ") + b.cas;
        const std::string place =
            b.county.empty() ? fmt::format("{:.5f}, {:.5f}", b.at.x, b.at.y) : trf("{:.5f}, {:.5f} ({})", b.at.x, b.at.y, b.county);
        const std::pair<std::string, std::string> left[] = {{trc("incident brief", "Type"), or_dash(b.type)},
                                                            {trc("incident brief", "Status"), or_dash(b.status)},
                                                            {trc("incident brief", "Severity"), or_dash(b.severity)},
                                                            {trc("incident brief", "Material"), or_dash(material)}};
        const std::pair<std::string, std::string> right[] = {
            {trc("incident brief", "Place"), place},
            {trc("incident brief", "Reported"), or_dash(b.reported_at) + " (UTC+8)"},
            {trc("incident brief", "Opened"), or_dash(b.opened_at)},
            {b.closed_at.empty() ? trc("incident brief", "Reporter") : trc("incident brief", "Closed"),
             b.closed_at.empty() ? or_dash(b.reporter) : b.closed_at}};
        const double col = m_width / 2, label_w = 74;
        font(m_cr, 8.5);
        for (std::size_t i = 0; i < 4; ++i) {
            const double y = m_y + 10 + 12.5 * static_cast<double>(i);
            for (const auto& [x, kv] : {std::pair{m_left, left[i]}, std::pair{m_left + col, right[i]}}) {
                colour(m_cr, k_grey);
                text_at(m_cr, x, y, kv.first);
                colour(m_cr, k_black);
                text_at(m_cr, x + label_w, y, fit(m_cr, kv.second, col - label_w - 8));
            }
        }
        m_y += 4 * 12.5 + 4;
        if (!b.description.empty()) {
            colour(m_cr, k_grey);
            text_at(m_cr, m_left, m_y + 8, trc("incident brief", "Description"));
            colour(m_cr, k_black);
            const auto lines = wrap(m_cr, b.description, m_width - label_w);
            for (std::size_t i = 0; i < lines.size() && i < 2; ++i)
                text_at(m_cr, m_left + label_w, m_y + 8 + 11 * static_cast<double>(i), lines[i]);
            m_y += 11 * static_cast<double>(std::min<std::size_t>(lines.size(), 2)) + 2;
        }
        m_y += 2;
    }

    // [map] ---------------------------------------------------------------------------------------

    struct View {
        double x0, y0, w, h;      // the box on the page
        double lon0, lat0, s, kx; // the box's centre, points per degree of latitude, cos(lat)
        double px(geo::Coord c) const { return x0 + w / 2 + (c.x - lon0) * kx * s; }
        double py(geo::Coord c) const { return y0 + h / 2 - (c.y - lat0) * s; }
    };

    void path(const View& v, const std::vector<geo::Coord>& line, bool closed = false) {
        for (std::size_t i = 0; i < line.size(); ++i) {
            if (i == 0) cairo_move_to(m_cr, v.px(line[i]), v.py(line[i]));
            else cairo_line_to(m_cr, v.px(line[i]), v.py(line[i]));
        }
        if (closed && !line.empty()) cairo_close_path(m_cr);
    }

    /// The staging point: a white diamond outlined in blue.
    void staging_marker(double x, double y) {
        cairo_move_to(m_cr, x, y - 5);
        cairo_line_to(m_cr, x + 5, y);
        cairo_line_to(m_cr, x, y + 5);
        cairo_line_to(m_cr, x - 5, y);
        cairo_close_path(m_cr);
        cairo_set_source_rgb(m_cr, 1, 1, 1);
        cairo_fill_preserve(m_cr);
        colour(m_cr, k_blue);
        cairo_set_line_width(m_cr, 1.2);
        cairo_stroke(m_cr);
    }

    void marker_number(double x, double y, Rgb fill, const std::string& n) {
        cairo_arc(m_cr, x, y, 6, 0, 2 * M_PI);
        colour(m_cr, fill);
        cairo_fill_preserve(m_cr);
        cairo_set_source_rgb(m_cr, 1, 1, 1);
        cairo_set_line_width(m_cr, 1);
        cairo_stroke(m_cr);
        font(m_cr, 7, true);
        text_at(m_cr, x - text_width(m_cr, n) / 2, y + 2.5, n);
    }

    void incident_marker(double x, double y) {
        cairo_move_to(m_cr, x, y - 9);
        cairo_line_to(m_cr, x + 8, y + 5);
        cairo_line_to(m_cr, x - 8, y + 5);
        cairo_close_path(m_cr);
        colour(m_cr, k_red);
        cairo_fill_preserve(m_cr);
        cairo_set_source_rgb(m_cr, 1, 1, 1);
        cairo_set_line_width(m_cr, 1.2);
        cairo_stroke(m_cr);
        font(m_cr, 8, true);
        text_at(m_cr, x - 1.5, y + 3, "!");
    }

    void map(const app::IncidentBrief& b) {
        heading(trc("incident brief", "Map"));
        View v{};
        v.x0 = m_left;
        v.y0 = m_y;
        v.w = m_width;
        v.h = 250;
        const auto& e = b.map.extent;
        v.lon0 = (e.min_x + e.max_x) / 2;
        v.lat0 = (e.min_y + e.max_y) / 2;
        v.kx = std::cos(v.lat0 * M_PI / 180);
        const double dx = std::max(e.max_x - e.min_x, 1e-6) * v.kx, dy = std::max(e.max_y - e.min_y, 1e-6);
        v.s = std::min(v.w / dx, v.h / dy); // the whole extent in the box; the box's other side shows more

        cairo_save(m_cr);
        cairo_rectangle(m_cr, v.x0, v.y0, v.w, v.h);
        cairo_set_source_rgb(m_cr, 0.975, 0.975, 0.965);
        cairo_fill_preserve(m_cr);
        cairo_clip(m_cr);
        // Roads, lightly.
        cairo_set_line_width(m_cr, 0.6);
        cairo_set_source_rgb(m_cr, 0.7, 0.7, 0.7);
        for (const auto& l : b.map.roads) path(v, l);
        cairo_stroke(m_cr);
        // County boundaries, dashed, with their names.
        const double dash[] = {4, 2};
        cairo_set_dash(m_cr, dash, 2, 0);
        cairo_set_line_width(m_cr, 1);
        cairo_set_source_rgb(m_cr, 0.5, 0.4, 0.6);
        for (const auto& a : b.map.areas)
            for (const auto& r : a.rings) path(v, r);
        cairo_stroke(m_cr);
        cairo_set_dash(m_cr, nullptr, 0, 0);
        // County names at the middle of the part of their box in view (none when too little shows).
        font(m_cr, 8);
        colour(m_cr, k_grey);
        for (const auto& a : b.map.areas) {
            geo::BBox box;
            for (const auto& r : a.rings)
                for (const auto& c : r) box.add(c);
            const double x0 = std::max(v.px({box.min_x, 0}), v.x0), x1 = std::min(v.px({box.max_x, 0}), v.x0 + v.w);
            const double y0 = std::max(v.py({0, box.max_y}), v.y0), y1 = std::min(v.py({0, box.min_y}), v.y0 + v.h);
            if (x1 - x0 < 40 || y1 - y0 < 20) continue;
            text_at(m_cr, (x0 + x1) / 2 - text_width(m_cr, a.name) / 2, (y0 + y1) / 2, a.name);
        }
        // The hazard zones, widest first (the red on top): translucent fill, solid outline.
        for (const auto& z : b.map.zones) {
            const double r = z.tier >= 3   ? 0.83
                             : z.tier == 2 ? 0.96
                                           : 0.99,
                         g = z.tier >= 3   ? 0.18
                             : z.tier == 2 ? 0.55
                                           : 0.85,
                         bl = z.tier >= 3   ? 0.18
                              : z.tier == 2 ? 0.1
                                            : 0.2;
            for (const auto& ring : z.rings) path(v, ring, true);
            cairo_set_fill_rule(m_cr, CAIRO_FILL_RULE_EVEN_ODD);
            cairo_set_source_rgba(m_cr, r, g, bl, 0.28);
            cairo_fill_preserve(m_cr);
            cairo_set_source_rgb(m_cr, r, g, bl);
            cairo_set_line_width(m_cr, 1);
            cairo_stroke(m_cr);
        }
        // The staging point: where teams go when the red zone closes the roads to the incident.
        if (b.map.staging) staging_marker(v.px(*b.map.staging), v.py(*b.map.staging));
        // The ranked teams' routes.
        cairo_set_line_width(m_cr, 1.2);
        cairo_set_source_rgba(m_cr, k_blue.r, k_blue.g, k_blue.b, 0.55);
        for (const auto& t : b.teams) {
            path(v, t.route);
            cairo_stroke(m_cr);
        }
        // Warehouses: small brown squares.
        for (const auto& w : b.warehouses) {
            colour(m_cr, k_brown);
            cairo_rectangle(m_cr, v.px(w.at) - 3.5, v.py(w.at) - 3.5, 7, 7);
            cairo_fill(m_cr);
        }
        // Teams by rank (assigned ones in green), then the incident on top.
        for (auto it = b.teams.rbegin(); it != b.teams.rend(); ++it)
            marker_number(v.px(it->at), v.py(it->at), it->assigned ? k_green : k_blue, std::to_string(it->rank));
        incident_marker(v.px(b.at), v.py(b.at));
        scale_bar(v);
        north_arrow(v);
        legend(v, !b.map.zones.empty() || b.map.staging.has_value());
        cairo_restore(m_cr);
        cairo_set_line_width(m_cr, 0.8);
        colour(m_cr, k_grey);
        cairo_rectangle(m_cr, v.x0, v.y0, v.w, v.h);
        cairo_stroke(m_cr);
        m_y += v.h + 2;
    }

    /// The zones and what lies inside each, one line a zone.
    void zones(const app::IncidentBrief& b) {
        if (b.map.zones.empty()) return;
        heading(tr("Zones (what lies inside)"));
        font(m_cr, 8);
        for (auto it = b.map.zones.rbegin(); it != b.map.zones.rend(); ++it) { // the red (innermost) first
            std::string inside;
            for (std::size_t i = 0; i < it->inside.size(); ++i) inside += (i ? trc("list separator", "; ") : "") + it->inside[i];
            if (it->inside.empty()) inside = tr("nothing on the registers inside");
            const std::string line = it->tier >= 3   ? trf("red zone {}: {}", it->label, inside)
                                     : it->tier == 2 ? trf("orange zone {}: {}", it->label, inside)
                                                     : trf("yellow zone {}: {}", it->label, inside);
            colour(m_cr, k_black);
            text_at(m_cr, m_left, m_y + 9, fit(m_cr, line, m_width));
            m_y += 11.5;
        }
        if (b.map.staging) {
            colour(m_cr, k_grey);
            text_at(m_cr, m_left, m_y + 9,
                    trf("Staging point: {:.5f}, {:.5f} (roads in the red zone closed)", b.map.staging->x, b.map.staging->y));
            m_y += 11.5;
        }
    }

    void scale_bar(const View& v) {
        // The longest 1/2/5 × 10^n km that fits a quarter of the box.
        const double pt_per_km = v.s / 111.195;
        const double max_km = v.w / 4 / pt_per_km;
        double km = std::pow(10, std::floor(std::log10(max_km)));
        for (const double f : {5.0, 2.0, 1.0})
            if (km * f <= max_km) {
                km *= f;
                break;
            }
        const double len = km * pt_per_km, x = v.x0 + 10, y = v.y0 + v.h - 12;
        cairo_set_source_rgb(m_cr, 1, 1, 1);
        cairo_rectangle(m_cr, x - 4, y - 14, len + 8, 20);
        cairo_fill(m_cr);
        colour(m_cr, k_black);
        cairo_set_line_width(m_cr, 1.2);
        cairo_move_to(m_cr, x, y - 3);
        cairo_line_to(m_cr, x, y);
        cairo_line_to(m_cr, x + len, y);
        cairo_line_to(m_cr, x + len, y - 3);
        cairo_stroke(m_cr);
        font(m_cr, 7.5);
        const std::string label = km >= 1 ? trf("{:g} km", km) : trf("{:g} m", km * 1000);
        text_at(m_cr, x + len / 2 - text_width(m_cr, label) / 2, y - 5, label);
    }

    void north_arrow(const View& v) {
        const double x = v.x0 + v.w - 18, y = v.y0 + 12;
        colour(m_cr, k_black);
        cairo_move_to(m_cr, x, y);
        cairo_line_to(m_cr, x + 6, y + 18);
        cairo_line_to(m_cr, x, y + 14);
        cairo_close_path(m_cr);
        cairo_fill(m_cr);
        cairo_move_to(m_cr, x, y);
        cairo_line_to(m_cr, x - 6, y + 18);
        cairo_line_to(m_cr, x, y + 14);
        cairo_close_path(m_cr);
        cairo_set_line_width(m_cr, 0.8);
        cairo_stroke(m_cr);
        font(m_cr, 8, true);
        const std::string north = trc("compass", "N");
        text_at(m_cr, x - text_width(m_cr, north) / 2, y + 28, north);
    }

    void legend(const View& v, bool zones) {
        const double w = 118, h = zones ? 86 : 62, x = v.x0 + v.w - w - 6, y = v.y0 + v.h - h - 6;
        cairo_set_source_rgba(m_cr, 1, 1, 1, 0.9);
        cairo_rectangle(m_cr, x, y, w, h);
        cairo_fill_preserve(m_cr);
        colour(m_cr, k_light);
        cairo_set_line_width(m_cr, 0.5);
        cairo_stroke(m_cr);
        const double lx = x + 12;
        double ly = y + 9;
        incident_marker(lx, ly + 1);
        auto label = [&](const std::string& s) {
            font(m_cr, 7);
            colour(m_cr, k_black);
            text_at(m_cr, lx + 12, ly + 3, s);
            ly += 12;
        };
        label(trc("incident brief", "Incident"));
        marker_number(lx, ly, k_blue, "1");
        label(tr("Ranked team"));
        marker_number(lx, ly, k_green, "2");
        label(tr("Assigned team"));
        colour(m_cr, k_brown);
        cairo_rectangle(m_cr, lx - 3.5, ly - 3.5, 7, 7);
        cairo_fill(m_cr);
        label(trc("incident brief", "Warehouse"));
        cairo_set_line_width(m_cr, 1);
        const double dash[] = {4, 2};
        cairo_set_dash(m_cr, dash, 2, 0);
        cairo_set_source_rgb(m_cr, 0.5, 0.4, 0.6);
        cairo_move_to(m_cr, lx - 7, ly);
        cairo_line_to(m_cr, lx + 7, ly);
        cairo_stroke(m_cr);
        cairo_set_dash(m_cr, nullptr, 0, 0);
        label(tr("County boundary · grey lines: roads"));
        if (!zones) return;
        cairo_rectangle(m_cr, lx - 6, ly - 4, 12, 8);
        cairo_set_source_rgba(m_cr, 0.83, 0.18, 0.18, 0.28);
        cairo_fill_preserve(m_cr);
        cairo_set_source_rgb(m_cr, 0.83, 0.18, 0.18);
        cairo_set_line_width(m_cr, 1);
        cairo_stroke(m_cr);
        label(tr("Zone (red/orange/yellow)"));
        staging_marker(lx, ly);
        label(tr("Staging point"));
    }

    // [tables] ------------------------------------------------------------------------------------

    // Columns by share of the width; rows until the page's `reserve` points above the footer.
    void table(const std::vector<std::string>& head, const std::vector<double>& share, const std::vector<std::vector<std::string>>& rows,
               double reserve, const std::vector<Rgb>& row_colour = {}) {
        const double row_h = 11.5;
        std::vector<double> xs{m_left};
        for (const double s : share) xs.push_back(xs.back() + s * m_width);
        font(m_cr, 7.5, true);
        colour(m_cr, k_grey);
        for (std::size_t c = 0; c < head.size(); ++c) text_at(m_cr, xs[c], m_y + 8, fit(m_cr, head[c], xs[c + 1] - xs[c] - 4));
        m_y += row_h;
        font(m_cr, 8);
        for (std::size_t r = 0; r < rows.size(); ++r) {
            if (m_y + row_h > m_bottom - reserve && r + 1 < rows.size()) {
                colour(m_cr, k_grey);
                text_at(m_cr, m_left, m_y + 8, trf("… {} more not shown", rows.size() - r));
                m_y += row_h;
                return;
            }
            if (r % 2 == 1) {
                cairo_set_source_rgb(m_cr, 0.96, 0.96, 0.96);
                cairo_rectangle(m_cr, m_left, m_y, m_width, row_h);
                cairo_fill(m_cr);
            }
            colour(m_cr, r < row_colour.size() ? row_colour[r] : k_black);
            for (std::size_t c = 0; c < rows[r].size() && c < head.size(); ++c)
                text_at(m_cr, xs[c], m_y + 8.5, fit(m_cr, rows[r][c], xs[c + 1] - xs[c] - 4));
            m_y += row_h;
        }
        if (rows.empty()) {
            colour(m_cr, k_grey);
            text_at(m_cr, m_left, m_y + 8, tr("(none)"));
            m_y += row_h;
        }
    }

    void teams(const app::IncidentBrief& b) {
        std::string need;
        for (const auto& n : b.need) need += (need.empty() ? "" : ",") + n;
        heading((b.by_road ? std::string(tr("Teams ranked at the incident (by road ETA)"))
                           : std::string(tr("Teams ranked at the incident (by straight line)"))) +
                (need.empty() ? "" : " · " + need));
        std::vector<std::vector<std::string>> rows;
        std::vector<Rgb> colours;
        for (const auto& t : b.teams) {
            rows.push_back({std::to_string(t.rank), t.name + (t.assigned ? " ✓" : ""), or_dash(t.type), or_dash(t.status),
                            b.by_road ? (t.reachable ? minutes(t.eta_min) : std::string(tr("unreachable"))) : "—",
                            t.road_km ? trf("{:.1f} km", *t.road_km) : trf("{:.1f} km straight", t.air_km), or_dash(t.duty_phone)});
            colours.push_back(t.assigned ? k_green : k_black);
        }
        table({"#", trc("incident brief", "Team"), trc("incident brief", "Type"), trc("incident brief", "Status"),
               trc("incident brief", "ETA"), trc("incident brief", "Distance"), trc("incident brief", "Duty phone")},
              {0.04, 0.27, 0.17, 0.11, 0.14, 0.12, 0.15}, rows, 180, colours);
    }

    void assigned(const app::IncidentBrief& b) {
        heading(tr("Teams assigned (UTC+8)"));
        std::vector<std::vector<std::string>> rows;
        for (const auto& a : b.assigned)
            rows.push_back({a.team_name, short_time(a.assigned_at), short_time(a.departed_at), short_time(a.arrived_at),
                            short_time(a.returned_at), minutes(a.eta_min), or_dash(a.duty_phone)});
        table({trc("incident brief", "Team"), trc("incident brief", "Assigned"), trc("incident brief", "Departed"),
               trc("incident brief", "Arrived"), trc("incident brief", "Released"), trc("incident brief", "ETA"),
               trc("incident brief", "Duty phone")},
              {0.3, 0.11, 0.11, 0.11, 0.11, 0.11, 0.15}, rows, 130);
    }

    void warehouses(const app::IncidentBrief& b) {
        heading(tr("Nearest warehouses"));
        std::vector<std::vector<std::string>> rows;
        for (const auto& w : b.warehouses) {
            std::string stock;
            for (const auto& s : w.stock)
                stock += (stock.empty() ? "" : trc("list separator", ", ")) + s.item + " " + fmt::format("{:g}", s.quantity) + s.unit;
            rows.push_back({w.name, trf("{:.1f} km", w.air_km), or_dash(w.phone), or_dash(stock)});
        }
        table({trc("incident brief", "Warehouse"), tr("km straight"), trc("incident brief", "Phone"), trc("incident brief", "Stock")},
              {0.26, 0.08, 0.14, 0.52}, rows, 80);
    }

    void log(const app::IncidentBrief& b) {
        heading(tr("Incident log (UTC+8)"));
        std::vector<std::vector<std::string>> rows;
        for (const auto& e : b.log.events) rows.push_back({app::bureau_time(e.at), e.user, e.text});
        table({trc("incident brief", "Time"), trc("incident brief", "By"), trc("incident brief", "What")}, {0.16, 0.1, 0.74}, rows, 40);
    }

    void notes(const app::IncidentBrief& b) {
        if (b.notes.empty() || m_y + 20 > m_bottom) return;
        heading(trc("incident brief", "Notes"));
        font(m_cr, 7.5);
        colour(m_cr, k_grey);
        for (const auto& n : b.notes)
            for (const auto& line : wrap(m_cr, "· " + n, m_width)) {
                if (m_y + 10 > m_bottom) return;
                text_at(m_cr, m_left, m_y + 8, line);
                m_y += 10;
            }
    }

    void footer(const app::IncidentBrief& b) {
        const double y = k_page_height_pt - k_margin;
        colour(m_cr, k_light);
        cairo_set_line_width(m_cr, 0.6);
        cairo_move_to(m_cr, m_left, y - 12);
        cairo_line_to(m_cr, m_left + m_width, y - 12);
        cairo_stroke(m_cr);
        font(m_cr, 7.5);
        colour(m_cr, k_grey);
        text_at(m_cr, m_left, y, trf("Data date: {}   Generated: {} (UTC+8)", or_dash(b.data_date), or_dash(b.generated_at)));
        const std::string made = tr("made by Vigil");
        text_at(m_cr, m_left + m_width - text_width(m_cr, made), y, made);
    }
};

struct SurfaceDeleter {
    void operator()(cairo_surface_t* s) const { cairo_surface_destroy(s); }
};
struct ContextDeleter {
    void operator()(cairo_t* c) const { cairo_destroy(c); }
};
using Surface = std::unique_ptr<cairo_surface_t, SurfaceDeleter>;
using Context = std::unique_ptr<cairo_t, ContextDeleter>;

void check(cairo_status_t st, const std::filesystem::path& path) {
    if (st != CAIRO_STATUS_SUCCESS) throw IoError(trf("cannot write the brief {}: {}", path.string(), cairo_status_to_string(st)));
}

// The PDF page on `surface` (a file or a stream), finished.
void draw_pdf(cairo_surface_t* raw, const app::IncidentBrief& brief, const std::filesystem::path& path) {
    Surface surface(raw);
    check(cairo_surface_status(surface.get()), path);
    cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_TITLE, brief.title.c_str());
    cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATOR, "Vigil");
    {
        Context cr(cairo_create(surface.get()));
        Page(cr.get()).draw(brief);
        cairo_show_page(cr.get());
        check(cairo_status(cr.get()), path);
    }
    cairo_surface_finish(surface.get());
    check(cairo_surface_status(surface.get()), path);
}

} // namespace

std::string pdf_bytes(const app::IncidentBrief& brief) {
    std::string out;
    auto append = [](void* closure, const unsigned char* data, unsigned int length) {
        static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
        return CAIRO_STATUS_SUCCESS;
    };
    draw_pdf(cairo_pdf_surface_create_for_stream(append, &out, k_page_width_pt, k_page_height_pt), brief, "(memory)");
    return out;
}

void write_pdf(const app::IncidentBrief& brief, const std::filesystem::path& path) {
    draw_pdf(cairo_pdf_surface_create(path.c_str(), k_page_width_pt, k_page_height_pt), brief, path);
}

void write_png(const app::IncidentBrief& brief, const std::filesystem::path& path, double dpi) {
    const double scale = dpi / 72.0;
    // A4 at 300 dpi: 2480 × 3508 pixels (210 mm and 297 mm in inches, rounded).
    const int w = static_cast<int>(std::lround(210.0 / 25.4 * dpi)), h = static_cast<int>(std::lround(297.0 / 25.4 * dpi));
    Surface surface(cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h));
    check(cairo_surface_status(surface.get()), path);
    {
        Context cr(cairo_create(surface.get()));
        cairo_scale(cr.get(), scale, scale);
        Page(cr.get()).draw(brief);
        check(cairo_status(cr.get()), path);
    }
    cairo_surface_flush(surface.get());
    check(cairo_surface_write_to_png(surface.get(), path.c_str()), path);
}

void write_page(const app::IncidentBrief& brief, const std::filesystem::path& path) {
    std::string ext = path.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (ext == ".pdf") write_pdf(brief, path);
    else if (ext == ".png") write_png(brief, path);
    else throw UsageError(trf("--out {}: the brief is written as .pdf or .png (by the file's extension)", path.string()));
}

} // namespace vigil::brief
