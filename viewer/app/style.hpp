/// @file
/// The look of each feature, resolved from its layer's catalogue symbology and its values:
/// fill/stroke colours (colour by field value), marker shape and size (size by field value), line
/// width (width by field value). Shared by the renderer and the legend, free of GL and ImGui.
#pragma once

#include <vigil/catalog/catalog.hpp>
#include <vigil/model/layer.hpp>
#include <vigil/query/nearest.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::viewer {

/// 8-bit RGBA colour; packs to 0xAABBGGRR (little-endian byte order r, g, b, a) for GL.
struct Rgba {
    std::uint8_t r = 0, g = 0, b = 0, a = 255;
    std::uint32_t packed() const { return r | (g << 8) | (b << 16) | (static_cast<std::uint32_t>(a) << 24); }
    Rgba with_alpha(std::uint8_t alpha) const { return {r, g, b, alpha}; }
    friend bool operator==(const Rgba&, const Rgba&) = default;
};

/// "#RRGGBB" or "#RRGGBBAA"; `fallback` for anything else.
Rgba parse_colour(std::string_view text, Rgba fallback = {158, 158, 158, 255});

enum class Marker : std::uint8_t { Circle = 0, Square = 1, Triangle = 2, Diamond = 3, Star = 4, Cross = 5 };
Marker parse_marker(std::string_view name);

struct FeatureStyle {
    Rgba fill;
    Rgba stroke;
    float size = 7;         ///< marker size, logical pixels
    float stroke_width = 1; ///< logical pixels (line width for lines)
    Marker marker = Marker::Circle;
};

/// Resolves styles for one layer kind; cheap to copy.
class StyleResolver {
public:
    explicit StyleResolver(const catalog::LayerKind& kind);
    /// The feature's look on the map: its classes' colour and size, or the catalogue's quiet
    /// look when it matches the "quiet" rule and the rule is on (see follow_filter).
    FeatureStyle style(const model::Layer& layer, std::size_t row) const;
    /// The look without the quiet rule: a selected feature is drawn so.
    FeatureStyle loud_style(const model::Layer& layer, std::size_t row) const;
    /// Whether the row matches the catalogue's "quiet" rule (whether or not the rule is on).
    bool quiet_value(const model::Layer& layer, std::size_t row) const;
    /// Whether the quiet rule is applied: on unless the layer's filter asks for the quiet
    /// values themselves (then they are what the user wants to see, drawn as loud as the rest).
    bool quiet_on() const { return m_quiet_field.has_value() && m_quiet_on; }
    /// Follows the Layers panel's filter: a condition on the quiet field that names one of the
    /// quiet values (by value, label or synonym) turns the rule off; any other filter leaves it on.
    void follow_filter(const query::FilterSpec& spec);
    /// The legend: one entry per colour class (value label and colour), then one per size class
    /// (value label, the base colour at that size), or a single entry.
    struct LegendEntry {
        std::string label;
        FeatureStyle style;
    };
    std::vector<LegendEntry> legend(std::string_view lang = "zh") const;
    catalog::GeometryKind geometry() const { return m_geometry; }
    /// A thematic fill per row (the admin areas' choropleth), taking the place of the
    /// catalogue's fill for polygons; null = none. Shared, so copies of the resolver stay cheap.
    void set_fill_override(std::shared_ptr<const std::vector<Rgba>> fills) { m_fill_override = std::move(fills); }
    bool has_fill_override() const { return m_fill_override != nullptr; }
    /// The colour the catalogue gives a value of the colour field (color_by), if any: what a
    /// fill override computed from a derived value (a hidden hazard's status as of a day) uses.
    std::optional<Rgba> colour_of_value(std::string_view value) const;

private:
    catalog::GeometryKind m_geometry;
    FeatureStyle m_base;
    std::optional<std::size_t> m_colour_field, m_width_field, m_size_field;
    std::vector<std::pair<std::string, Rgba>> m_colours;
    std::vector<std::pair<std::string, float>> m_widths;
    std::vector<std::pair<std::string, float>> m_sizes;
    std::optional<std::size_t> m_quiet_field;
    FeatureStyle m_quiet; ///< fill and size of the quiet look (shape and stroke follow the row's)
    bool m_quiet_on = true;
    const catalog::LayerKind* m_kind;
    std::shared_ptr<const std::vector<Rgba>> m_fill_override;
};

} // namespace vigil::viewer
