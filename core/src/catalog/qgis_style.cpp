#include <vigil/catalog/qgis_style.hpp>

#include <vigil/util/i18n.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <utility>
#include <vector>

namespace vigil::catalog {

namespace {

// [SECTION] the plan both documents are written from

struct Rgba {
    int r = 0, g = 0, b = 0, a = 255;
};

int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return 0;
}

// The catalogue has checked the form (#RRGGBB or #RRGGBBAA) when it read the file.
Rgba parse_colour(const std::string& t) {
    Rgba c;
    int* parts[] = {&c.r, &c.g, &c.b, &c.a};
    for (std::size_t i = 0; i < 4 && 2 * i + 2 < t.size(); ++i) *parts[i] = hex_digit(t[2 * i + 1]) * 16 + hex_digit(t[2 * i + 2]);
    return c;
}

std::string qgis_colour(Rgba c) { return fmt::format("{},{},{},{}", c.r, c.g, c.b, c.a); }
std::string sld_colour(Rgba c) { return fmt::format("#{:02x}{:02x}{:02x}", c.r, c.g, c.b); }
// Three decimals: 0-255 alpha steps are 0.0039 apart.
std::string sld_opacity(Rgba c) { return fmt::format("{}", std::round(c.a / 255.0 * 1000.0) / 1000.0); }
std::string number(double v) { return fmt::format("{}", v); }

std::string xml(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (char c : s) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&apos;"; break;
        case '\n': out += "&#10;"; break;
        default: out += c;
        }
    }
    return out;
}

struct Look {
    Rgba fill, stroke;
    double width = 1;
    double size = 7; ///< points' marker size in pixels
};

struct Class {
    std::string value; ///< canonical value; "" for the class of every other value and of none
    std::string label; ///< the catalogue's Chinese label
    Look look;
};

// A field's values in the catalogue's order with their Chinese labels; a field without a value
// list (a text field coloured by value) has the symbology's keys, labelled by themselves.
template <typename Map>
std::vector<std::pair<std::string, std::string>> values_of(const LayerKind& kind, const std::string& field, const Map& keyed) {
    std::vector<std::pair<std::string, std::string>> out;
    const Field* f = kind.field(field);
    if (f && !f->values.empty()) {
        for (const auto& v : f->values) out.emplace_back(v.value, v.label.text().empty() ? v.value : v.label.text());
    } else {
        for (const auto& [value, ignored] : keyed) out.emplace_back(value, value);
    }
    return out;
}

// The legend's class for every other value and none (shown through tr()).
constexpr const char* k_other_label = N_("Other or not filled in");

/// A look's width or size set by another field than the categorised one (stroke_by or size_by
/// naming another field than color_by): data-defined in QML, a rule per pair of values in SLD.
struct ByOtherField {
    enum class What { Width, Size } what = What::Width;
    std::string field;
    std::vector<std::pair<std::string, double>> values; ///< in the field's value order
    double otherwise = 0;                               ///< for any other value, or none
};

void set(Look& look, ByOtherField::What what, double v) { (what == ByOtherField::What::Width ? look.width : look.size) = v; }

struct Plan {
    GeometryKind geometry = GeometryKind::Point;
    const Symbology* s = nullptr;
    Look base;
    std::string field;                  ///< the categorised field; "" = one symbol for every feature
    std::vector<Class> classes;         ///< the field's values, then the class of everything else
    std::vector<ByOtherField> by_other; ///< at most one of each What
};

Plan plan_of(const LayerKind& kind) {
    const Symbology& s = kind.symbology;
    Plan p;
    p.geometry = kind.geometry;
    p.s = &s;
    p.base.fill = parse_colour(s.fill);
    p.base.stroke = parse_colour(s.stroke);
    p.base.width = s.stroke_width;
    p.base.size = s.size;
    // Sizes apply to point markers only (as in the viewer).
    const std::string size_field = kind.geometry == GeometryKind::Point ? s.size_field : std::string();
    p.field = !s.color_field.empty() ? s.color_field : !s.width_field.empty() ? s.width_field : size_field;
    if (p.field.empty()) return p;
    const bool by_colour = p.field == s.color_field;
    const bool by_width = p.field == s.width_field;
    const bool by_size = p.field == size_field;
    const auto values = by_colour  ? values_of(kind, p.field, s.colors)
                        : by_width ? values_of(kind, p.field, s.widths)
                                   : values_of(kind, p.field, s.sizes);
    for (const auto& [value, label] : values) {
        Class c{value, label, p.base};
        if (auto it = s.colors.find(value); by_colour && it != s.colors.end()) {
            // As in the viewer: the class colour fills a marker, strokes a line or an outline.
            if (kind.geometry == GeometryKind::Point) c.look.fill = parse_colour(it->second);
            else c.look.stroke = parse_colour(it->second);
        }
        if (auto it = s.widths.find(value); by_width && it != s.widths.end()) c.look.width = it->second;
        if (auto it = s.sizes.find(value); by_size && it != s.sizes.end()) c.look.size = it->second;
        // The quiet rule on the categorised field: QGIS has no selection, so the quiet look is the
        // class's look (small, grey), as the viewer draws it unfiltered.
        if (kind.geometry == GeometryKind::Point && p.field == s.quiet_field &&
            std::find(s.quiet_values.begin(), s.quiet_values.end(), value) != s.quiet_values.end()) {
            c.look.fill = parse_colour(s.quiet_fill);
            c.look.size = s.quiet_size;
        }
        p.classes.push_back(std::move(c));
    }
    p.classes.push_back(Class{"", tr(k_other_label), p.base});
    auto other_field = [&](ByOtherField::What what, const std::string& field, const std::map<std::string, double>& keyed, double base) {
        ByOtherField b{what, field, {}, base};
        for (const auto& [value, label] : values_of(kind, field, keyed))
            if (auto it = keyed.find(value); it != keyed.end()) b.values.emplace_back(value, it->second);
        p.by_other.push_back(std::move(b));
    };
    if (!s.width_field.empty() && !by_width) other_field(ByOtherField::What::Width, s.width_field, s.widths, s.stroke_width);
    if (!size_field.empty() && !by_size) other_field(ByOtherField::What::Size, size_field, s.sizes, s.size);
    return p;
}

std::string sql_string(std::string_view v) {
    std::string out = "'";
    for (char c : v) out += c == '\'' ? std::string("''") : std::string(1, c);
    return out + "'";
}

std::string sql_identifier(std::string_view v) {
    std::string out = "\"";
    for (char c : v) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

// [SECTION] QML

std::string prop(std::string_view k, const std::string& v) { return fmt::format("<prop k=\"{}\" v=\"{}\"/>", k, xml(v)); }

std::string qgis_marker(const std::string& m) {
    // QGIS's "cross" is two strokes with no fill; the viewer's cross is a filled shape.
    if (m == "cross") return "cross_fill";
    return m; // circle, square, triangle, diamond, star: the same names
}

// The QGIS expression of a width or size by another field: CASE WHEN "f" = 'v' THEN w ... ELSE base END.
std::string by_field_expression(const ByOtherField& b) {
    std::string e = "CASE";
    for (const auto& [value, v] : b.values) e += " WHEN " + sql_identifier(b.field) + " = " + sql_string(value) + " THEN " + number(v);
    return e + " ELSE " + number(b.otherwise) + " END";
}

// QgsSymbolLayer's data-defined properties: "outlineWidth" (a line's or an outline's width) and
// "size" (a marker's size).
std::string qml_data_defined_properties(const Plan& p) {
    if (p.by_other.empty()) return "";
    // i18n: not shown: QGIS's XML
    std::string out = "<data_defined_properties><Option type=\"Map\"><Option type=\"QString\" name=\"name\" value=\"\"/>"
                      // i18n: not shown: QGIS's XML
                      "<Option name=\"properties\" type=\"Map\">";
    for (const auto& b : p.by_other)
        // i18n: not shown: QGIS's XML
        out += std::string("<Option name=\"") + (b.what == ByOtherField::What::Width ? "outlineWidth" : "size") +
               // i18n: not shown: QGIS's XML
               "\" type=\"Map\"><Option type=\"bool\" name=\"active\" value=\"true\"/>"
               // i18n: not shown: QGIS's XML
               "<Option type=\"QString\" name=\"expression\" value=\"" +
               xml(by_field_expression(b)) +
               // i18n: not shown: QGIS's XML
               "\"/><Option type=\"int\" name=\"type\" value=\"3\"/></Option>";
    return out + "</Option><Option type=\"QString\" name=\"type\" value=\"collection\"/></Option></data_defined_properties>";
}

std::string qml_symbol(const Plan& p, const Look& look, std::size_t name) {
    // Symbol layer properties as <prop k v>: what QGIS 3.22 (Debian 12) reads, and later versions still do.
    std::string type, layer;
    switch (p.geometry) {
    case GeometryKind::Point:
        type = "marker";
        layer = "<layer class=\"SimpleMarker\" enabled=\"1\" locked=\"0\" pass=\"0\">" + prop("angle", "0") +
                prop("color", qgis_colour(look.fill)) + prop("joinstyle", "bevel") + prop("name", qgis_marker(p.s->marker)) +
                prop("outline_color", qgis_colour(look.stroke)) + prop("outline_style", "solid") +
                prop("outline_width", number(look.width)) + prop("outline_width_unit", "Pixel") + prop("scale_method", "diameter") +
                prop("size", number(look.size)) + prop("size_unit", "Pixel");
        break;
    case GeometryKind::Line:
        type = "line";
        layer = "<layer class=\"SimpleLine\" enabled=\"1\" locked=\"0\" pass=\"0\">" + prop("capstyle", "round") +
                prop("joinstyle", "round") + prop("line_color", qgis_colour(look.stroke)) + prop("line_style", "solid") +
                prop("line_width", number(look.width)) + prop("line_width_unit", "Pixel");
        break;
    case GeometryKind::Polygon:
        type = "fill";
        layer = "<layer class=\"SimpleFill\" enabled=\"1\" locked=\"0\" pass=\"0\">" + prop("color", qgis_colour(look.fill)) +
                prop("joinstyle", "round") + prop("outline_color", qgis_colour(look.stroke)) + prop("outline_style", "solid") +
                prop("outline_width", number(look.width)) + prop("outline_width_unit", "Pixel") + prop("style", "solid");
        break;
    }
    return fmt::format("<symbol type=\"{}\" name=\"{}\" alpha=\"1\" clip_to_extent=\"1\" force_rhr=\"0\">", type, name) + layer +
           qml_data_defined_properties(p) + "</layer></symbol>";
}

int label_placement(GeometryKind g) {
    // Qgis::LabelPlacement: 6 = cartographic positions around a point, 2 = parallel to the line,
    // 1 = over the polygon's centroid.
    switch (g) {
    case GeometryKind::Point: return 6;
    case GeometryKind::Line: return 2;
    case GeometryKind::Polygon: return 1;
    }
    return 0;
}

// The catalogue's priorities run 0-100 (teams 90, enterprises 30); QGIS's 0-10.
int label_priority(int catalogue_priority) { return std::clamp((catalogue_priority + 5) / 10, 0, 10); }

// i18n: not shown: a font's name
constexpr const char* k_label_font = "Noto Sans CJK SC";

std::string qml_labeling(const Plan& p) {
    const Symbology& s = *p.s;
    if (s.label_field.empty()) return "";
    const bool by_scale = s.label_min_zoom > 0;
    return fmt::format("<labeling type=\"simple\"><settings calloutType=\"simple\">"
                       "<text-style fontFamily=\"{}\" namedStyle=\"Regular\" fontSize=\"9\" fontSizeUnit=\"Point\" fontWeight=\"50\" "
                       "fontItalic=\"0\" textColor=\"33,33,33,255\" textOpacity=\"1\" fieldName=\"{}\" isExpression=\"0\" "
                       "multilineHeight=\"1\" allowHtml=\"0\">"
                       "<text-buffer bufferDraw=\"1\" bufferSize=\"1\" bufferSizeUnits=\"MM\" bufferColor=\"255,255,255,255\" "
                       "bufferOpacity=\"1\" bufferJoinStyle=\"128\" bufferNoFill=\"1\"/>"
                       "</text-style>"
                       "<placement placement=\"{}\" priority=\"{}\" dist=\"1\" distUnits=\"MM\"/>"
                       "<rendering scaleVisibility=\"{}\" scaleMin=\"0\" scaleMax=\"{}\" drawLabels=\"1\" obstacle=\"1\" "
                       "upsidedownLabels=\"0\"/>"
                       "</settings></labeling>",
                       k_label_font, xml(s.label_field), label_placement(p.geometry), label_priority(s.label_priority), by_scale ? 1 : 0,
                       by_scale ? number(std::round(scale_at_zoom(s.label_min_zoom))) : "0");
}

std::string qml_of(const Plan& p) {
    // i18n: not shown: QGIS's XML
    std::string out = "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n";
    out += fmt::format("<qgis version=\"3.22.0\" styleCategories=\"Symbology|Labeling\" labelsEnabled=\"{}\">\n",
                       p.s->label_field.empty() ? 0 : 1);
    if (p.field.empty()) {
        out += "<renderer-v2 type=\"singleSymbol\" forceraster=\"0\" symbollevels=\"0\" enableorderby=\"0\"><symbols>" +
               qml_symbol(p, p.base, 0) + "</symbols></renderer-v2>\n";
    } else {
        out += "<renderer-v2 type=\"categorizedSymbol\" attr=\"" + xml(p.field) +
               "\" forceraster=\"0\" symbollevels=\"0\" enableorderby=\"0\">\n<categories>\n";
        for (std::size_t i = 0; i < p.classes.size(); ++i)
            out += fmt::format("<category render=\"true\" symbol=\"{}\" value=\"{}\" label=\"{}\"/>\n", i, xml(p.classes[i].value),
                               xml(p.classes[i].label));
        out += "</categories>\n<symbols>\n";
        for (std::size_t i = 0; i < p.classes.size(); ++i) out += qml_symbol(p, p.classes[i].look, i) + "\n";
        out += "</symbols>\n<source-symbol>" + qml_symbol(p, p.base, 0) + "</source-symbol>\n</renderer-v2>\n";
    }
    out += qml_labeling(p);
    out += "\n</qgis>\n";
    return out;
}

// [SECTION] SLD

std::string svg(std::string_view name, const std::string& value) {
    return fmt::format("<se:SvgParameter name=\"{}\">{}</se:SvgParameter>", name, xml(value));
}

std::string sld_symbolizer(const Plan& p, const Look& look) {
    const std::string stroke = "<se:Stroke>" + svg("stroke", sld_colour(look.stroke)) + svg("stroke-opacity", sld_opacity(look.stroke)) +
                               svg("stroke-width", number(look.width));
    switch (p.geometry) {
    case GeometryKind::Point: {
        // SLD's marks: circle, square, triangle, star, cross; diamond is QGIS's own name.
        return "<se:PointSymbolizer><se:Graphic><se:Mark><se:WellKnownName>" + xml(p.s->marker) + "</se:WellKnownName><se:Fill>" +
               svg("fill", sld_colour(look.fill)) + svg("fill-opacity", sld_opacity(look.fill)) + "</se:Fill>" + stroke +
               "</se:Stroke></se:Mark><se:Size>" + number(look.size) + "</se:Size></se:Graphic></se:PointSymbolizer>";
    }
    case GeometryKind::Line:
        return "<se:LineSymbolizer>" + stroke + svg("stroke-linejoin", "round") + svg("stroke-linecap", "round") +
               "</se:Stroke></se:LineSymbolizer>";
    case GeometryKind::Polygon:
        return "<se:PolygonSymbolizer><se:Fill>" + svg("fill", sld_colour(look.fill)) + svg("fill-opacity", sld_opacity(look.fill)) +
               "</se:Fill>" + stroke + svg("stroke-linejoin", "round") + "</se:Stroke></se:PolygonSymbolizer>";
    }
    return "";
}

std::string equal_to(const std::string& field, const std::string& value) {
    return "<ogc:PropertyIsEqualTo><ogc:PropertyName>" + xml(field) + "</ogc:PropertyName><ogc:Literal>" + xml(value) +
           "</ogc:Literal></ogc:PropertyIsEqualTo>";
}

// Neither of `values`, or empty: the filter of the "other" class. Not an ElseFilter: the labels'
// rule, which matches every feature, shares the FeatureTypeStyle (QGIS reads labels from there)
// and would leave an ElseFilter nothing.
std::string none_of(const std::string& field, const std::vector<std::string>& values) {
    std::string any;
    for (const auto& v : values) any += equal_to(field, v);
    if (values.size() > 1) any = "<ogc:Or>" + any + "</ogc:Or>";
    std::string out = "<ogc:Or><ogc:PropertyIsNull><ogc:PropertyName>" + xml(field) + "</ogc:PropertyName></ogc:PropertyIsNull>";
    if (!values.empty()) out += "<ogc:Not>" + any + "</ogc:Not>";
    return out + "</ogc:Or>";
}

std::string sld_rule(const std::string& name, const std::string& title, const std::string& filter, const std::string& body) {
    return "<se:Rule><se:Name>" + xml(name) + "</se:Name><se:Description><se:Title>" + xml(title) + "</se:Title></se:Description>" +
           filter + body + "</se:Rule>\n";
}

std::string sld_rules(const LayerKind& kind, const Plan& p) {
    if (p.field.empty() && p.by_other.empty()) return sld_rule(kind.kind, kind.title.text(), "", sld_symbolizer(p, p.base));
    // One rule per class, times one per value of each other field (SLD has no data-defined width
    // or size that every reader understands): a filter that ANDs the class's and each value's.
    struct Variant {
        std::string name, title, filter;
        Look look;
    };
    std::vector<Variant> variants;
    if (p.field.empty()) {
        variants.push_back({kind.kind, kind.title.text(), "", p.base});
    } else {
        std::vector<std::string> class_values;
        for (const auto& c : p.classes)
            if (!c.value.empty()) class_values.push_back(c.value);
        for (const auto& c : p.classes)
            variants.push_back({c.value.empty() ? "other" : c.value, c.label,
                                c.value.empty() ? none_of(p.field, class_values) : equal_to(p.field, c.value), c.look});
    }
    for (const auto& b : p.by_other) {
        std::vector<std::string> values;
        for (const auto& [value, v] : b.values) values.push_back(value);
        std::vector<Variant> next;
        for (const auto& base : variants) {
            for (std::size_t i = 0; i <= b.values.size(); ++i) {
                const bool other = i == b.values.size();
                Variant v = base;
                set(v.look, b.what, other ? b.otherwise : b.values[i].second);
                v.name += " / " + (other ? std::string("other") : b.values[i].first);
                v.filter += other ? none_of(b.field, values) : equal_to(b.field, b.values[i].first);
                next.push_back(std::move(v));
            }
        }
        variants = std::move(next);
    }
    const bool several = !p.field.empty() + p.by_other.size() > 1;
    std::string out;
    for (const auto& v : variants) {
        const std::string filter = several ? "<ogc:And>" + v.filter + "</ogc:And>" : v.filter;
        out += sld_rule(v.name, v.title, "<ogc:Filter>" + filter + "</ogc:Filter>", sld_symbolizer(p, v.look));
    }
    return out;
}

std::string sld_label_rule(const Plan& p) {
    const Symbology& s = *p.s;
    if (s.label_field.empty()) return "";
    std::string out = "<se:Rule><se:Name>label</se:Name>";
    if (s.label_min_zoom > 0)
        out += "<se:MaxScaleDenominator>" + number(std::round(scale_at_zoom(s.label_min_zoom))) + "</se:MaxScaleDenominator>";
    out += "<se:TextSymbolizer><se:Label><ogc:PropertyName>" + xml(s.label_field) + "</ogc:PropertyName></se:Label><se:Font>" +
           svg("font-family", k_label_font) + svg("font-size", "12") + "</se:Font><se:LabelPlacement>";
    out += p.geometry == GeometryKind::Line ? "<se:LinePlacement><se:GeneralizeLine>true</se:GeneralizeLine></se:LinePlacement>"
                                            : "<se:PointPlacement><se:AnchorPoint><se:AnchorPointX>0</se:AnchorPointX><se:AnchorPointY>0.5"
                                              "</se:AnchorPointY></se:AnchorPoint></se:PointPlacement>";
    out += "</se:LabelPlacement><se:Halo><se:Radius>1</se:Radius><se:Fill>" + svg("fill", "#ffffff") + "</se:Fill></se:Halo><se:Fill>" +
           svg("fill", "#212121") + "</se:Fill></se:TextSymbolizer></se:Rule>\n";
    return out;
}

std::string sld_of(const LayerKind& kind, const Plan& p) {
    std::string out =
        // i18n: not shown: QGIS's XML
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        // i18n: not shown: QGIS's XML
        "<StyledLayerDescriptor xmlns=\"http://www.opengis.net/sld\" xmlns:ogc=\"http://www.opengis.net/ogc\" "
        "xmlns:se=\"http://www.opengis.net/se\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" "
        "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" version=\"1.1.0\" "
        // i18n: not shown: QGIS's XML
        "xsi:schemaLocation=\"http://www.opengis.net/sld http://schemas.opengis.net/sld/1.1.0/StyledLayerDescriptor.xsd\">\n" // i18n: not
                                                                                                                              // shown:
                                                                                                                              // QGIS's XML
        "<NamedLayer><se:Name>" +
        xml(kind.kind) + "</se:Name><UserStyle><se:Name>" + xml(k_qgis_style_name) + "</se:Name>\n<se:FeatureTypeStyle>\n";
    // The labels last, as QGIS writes them and reads them back.
    out += sld_rules(kind, p) + sld_label_rule(p);
    out += "</se:FeatureTypeStyle>\n</UserStyle></NamedLayer></StyledLayerDescriptor>\n";
    return out;
}

std::string description_of(const LayerKind& kind, const Plan& p) {
    if (const Field* f = kind.field(p.field))
        return trf("Vigil's catalogue symbology: {} by {}", kind.title.text(), f->label.text().empty() ? f->name : f->label.text());
    return trf("Vigil's catalogue symbology: {}", kind.title.text());
}

} // namespace

double scale_at_zoom(double zoom) { return 559082264.0287178 / std::pow(2.0, zoom); }

QgisStyle qgis_style(const LayerKind& kind) {
    const Plan p = plan_of(kind);
    return {description_of(kind, p), qml_of(p), sld_of(kind, p)};
}

} // namespace vigil::catalog
