#include "style.hpp"

#include <vigil/catalog/normalize.hpp>

#include <algorithm>

namespace vigil::viewer {

namespace {

int hex(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

} // namespace

Rgba parse_colour(std::string_view t, Rgba fallback) {
    if ((t.size() != 7 && t.size() != 9) || t[0] != '#') return fallback;
    std::uint8_t v[4] = {0, 0, 0, 255};
    for (std::size_t i = 0; i + 1 < t.size(); i += 2) {
        int hi = hex(t[i + 1]), lo = i + 2 < t.size() ? hex(t[i + 2]) : -1;
        if (hi < 0 || lo < 0) return fallback;
        v[i / 2] = static_cast<std::uint8_t>(hi * 16 + lo);
    }
    return {v[0], v[1], v[2], v[3]};
}

Marker parse_marker(std::string_view n) {
    if (n == "square") return Marker::Square;
    if (n == "triangle") return Marker::Triangle;
    if (n == "diamond") return Marker::Diamond;
    if (n == "star") return Marker::Star;
    if (n == "cross") return Marker::Cross;
    return Marker::Circle;
}

StyleResolver::StyleResolver(const catalog::LayerKind& kind) : m_geometry(kind.geometry), m_kind(&kind) {
    const auto& s = kind.symbology;
    m_base.fill = parse_colour(s.fill);
    m_base.stroke = parse_colour(s.stroke, {255, 255, 255, 255});
    m_base.size = static_cast<float>(s.size);
    m_base.stroke_width = static_cast<float>(s.stroke_width);
    m_base.marker = parse_marker(s.marker);
    if (!s.color_field.empty()) {
        m_colour_field = kind.field_index(s.color_field);
        for (const auto& [value, colour] : s.colors) m_colours.emplace_back(value, parse_colour(colour, m_base.fill));
    }
    if (!s.width_field.empty()) {
        m_width_field = kind.field_index(s.width_field);
        for (const auto& [value, width] : s.widths) m_widths.emplace_back(value, static_cast<float>(width));
    }
    if (!s.size_field.empty()) {
        m_size_field = kind.field_index(s.size_field);
        for (const auto& [value, size] : s.sizes) m_sizes.emplace_back(value, static_cast<float>(size));
    }
    if (!s.quiet_field.empty()) {
        m_quiet_field = kind.field_index(s.quiet_field);
        m_quiet.fill = parse_colour(s.quiet_fill, {158, 158, 158, 179});
        m_quiet.size = static_cast<float>(s.quiet_size);
    }
}

bool StyleResolver::quiet_value(const model::Layer& layer, std::size_t row) const {
    if (!m_quiet_field) return false;
    const auto* v = std::get_if<std::string>(&layer.value(row, *m_quiet_field));
    if (!v) return false;
    const auto& values = m_kind->symbology.quiet_values;
    return std::find(values.begin(), values.end(), *v) != values.end();
}

void StyleResolver::follow_filter(const query::FilterSpec& spec) {
    m_quiet_on = true;
    if (!m_quiet_field) return;
    const catalog::Field& f = m_kind->fields[*m_quiet_field];
    const auto& quiet = m_kind->symbology.quiet_values;
    for (const auto& [name, values] : spec.where) {
        if (name != f.name && std::find(f.aliases.begin(), f.aliases.end(), name) == f.aliases.end()) continue;
        for (const auto& text : values) {
            const catalog::EnumValue* v = f.find_value(text);
            const std::string canonical = v ? v->value : text;
            if (std::find(quiet.begin(), quiet.end(), canonical) != quiet.end()) m_quiet_on = false;
        }
    }
}

std::optional<Rgba> StyleResolver::colour_of_value(std::string_view value) const {
    for (const auto& [v, colour] : m_colours)
        if (v == value) return colour;
    return std::nullopt;
}

FeatureStyle StyleResolver::style(const model::Layer& layer, std::size_t row) const {
    FeatureStyle st = loud_style(layer, row);
    if (m_quiet_on && quiet_value(layer, row)) {
        // Small and grey, without a halo-like white stroke: present, but not competing.
        st.fill = m_quiet.fill;
        st.size = m_quiet.size;
        st.stroke = Rgba{255, 255, 255, 140};
        st.stroke_width = std::min(st.stroke_width, 0.75f);
    }
    return st;
}

FeatureStyle StyleResolver::loud_style(const model::Layer& layer, std::size_t row) const {
    FeatureStyle st = m_base;
    if (m_colour_field) {
        const auto* v = std::get_if<std::string>(&layer.value(row, *m_colour_field));
        if (v)
            for (const auto& [value, colour] : m_colours)
                if (value == *v) {
                    // Lines and polygon outlines take the class colour as their stroke.
                    if (m_geometry == catalog::GeometryKind::Point) st.fill = colour;
                    else st.stroke = colour;
                    break;
                }
    }
    if (m_width_field) {
        const auto* v = std::get_if<std::string>(&layer.value(row, *m_width_field));
        if (v)
            for (const auto& [value, width] : m_widths)
                if (value == *v) {
                    st.stroke_width = width;
                    break;
                }
    }
    if (m_size_field) {
        const auto* v = std::get_if<std::string>(&layer.value(row, *m_size_field));
        if (v)
            for (const auto& [value, size] : m_sizes)
                if (value == *v) {
                    st.size = size;
                    break;
                }
    }
    if (m_fill_override && row < m_fill_override->size()) st.fill = (*m_fill_override)[row];
    return st;
}

std::vector<StyleResolver::LegendEntry> StyleResolver::legend(std::string_view lang) const {
    std::vector<LegendEntry> out;
    if (m_colour_field) {
        const catalog::Field& f = m_kind->fields[*m_colour_field];
        for (const auto& v : f.values) {
            auto it = std::find_if(m_colours.begin(), m_colours.end(), [&](const auto& c) { return c.first == v.value; });
            if (it == m_colours.end()) continue;
            FeatureStyle st = m_base;
            if (m_geometry == catalog::GeometryKind::Point) st.fill = it->second;
            else st.stroke = it->second;
            const auto& quiet = m_kind->symbology.quiet_values;
            if (quiet_on() && m_kind->symbology.quiet_field == f.name && std::find(quiet.begin(), quiet.end(), v.value) != quiet.end()) {
                st.fill = m_quiet.fill;
                st.size = m_quiet.size;
            }
            out.push_back({lang == "en" ? v.label.en : v.label.zh, st});
        }
    }
    if (m_size_field) {
        const catalog::Field& f = m_kind->fields[*m_size_field];
        for (const auto& v : f.values) {
            auto it = std::find_if(m_sizes.begin(), m_sizes.end(), [&](const auto& z) { return z.first == v.value; });
            if (it == m_sizes.end()) continue;
            FeatureStyle st = m_base;
            st.size = it->second;
            out.push_back({lang == "en" ? v.label.en : v.label.zh, st});
        }
    }
    if (out.empty()) out.push_back({lang == "en" ? m_kind->title.en : m_kind->title.zh, m_base});
    return out;
}

} // namespace vigil::viewer
