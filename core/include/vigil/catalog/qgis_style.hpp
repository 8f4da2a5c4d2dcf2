/// @file
/// A layer kind's catalogue symbology as a QGIS layer style: the QML QGIS loads as a layer's
/// default style from a `layer_styles` table (SpatiaLite, GeoPackage), and the same rules as
/// OGC SLD 1.1 (for QGIS's "load style from SLD", GeoServer and others). Text only, no I/O: the
/// native project writer and the GeoPackage exporter store it (see docs/qgis.md).
///
/// The mapping, the same for every kind (no kind is named here):
///
///     symbology                      QML (QGIS 3.22 and later)            SLD
///     ---------------------------    ---------------------------------    ------------------------
///     color_by / stroke_by field  -> categorizedSymbol on that field   -> one Rule per value
///       each value of the field      a category: value, Chinese label     PropertyIsEqualTo filter
///       (enum order)                 and the catalogue's colour/width
///       anything else, or empty      the "all other values" category      a Rule: empty or none of
///                                    (value ""), the default look         the values
///     neither                     -> singleSymbol                      -> one Rule
///     marker, size, fill, stroke  -> SimpleMarker (points), SimpleLine (lines), SimpleFill
///       stroke_width                 (polygons), sizes in pixels as the viewer draws them
///     stroke_by on another field  -> a data-defined stroke width       -> a Rule per pair of values
///       than color_by                (CASE WHEN ... END)
///     size_by (points)            -> the class's size on its own field,
///                                    else a data-defined marker size   -> a Rule per pair of values
///     quiet on the categorised    -> the quiet values' categories take the quiet fill and size
///       field (points)               (as the viewer draws them while nothing is selected or filtered)
///     label                       -> simple labeling of the field,     -> a last TextSymbolizer Rule,
///                                    priority, shown from min_zoom        MaxScaleDenominator
///
/// As in the viewer, the class colour fills a point marker and strokes a line or a polygon's
/// outline.
#pragma once

#include <vigil/catalog/catalog.hpp>

#include <string>
#include <string_view>

namespace vigil::catalog {

/// The name Vigil's own rows carry in a layer_styles table (styleName) ...
inline constexpr std::string_view k_qgis_style_name =
    "Vigil 目录符号"; // i18n: not shown: the style's name in the layer_styles table, matched to find Vigil's rows
/// ... and their owner column: together they tell Vigil's rows from the ones a user saved,
/// which Vigil never changes.
inline constexpr std::string_view k_qgis_style_owner = "vigil";

struct QgisStyle {
    std::string description; ///< for the description column: what the style shows, Chinese then English
    std::string qml;         ///< a complete QGIS style document (<qgis ...>)
    std::string sld;         ///< a complete SLD 1.1 document (<StyledLayerDescriptor ...>)
};

/// The style of `kind`'s layer from its catalogue symbology. Colours "#RRGGBB[AA]" become
/// QGIS's "r,g,b,a" and SLD's fill/stroke with their opacity. Never throws for a kind the
/// catalogue accepted.
QgisStyle qgis_style(const LayerKind& kind);

/// The map scale (1:N) at a Web Mercator zoom level, as the OGC well-known scale set for 256-pixel
/// tiles states it (0.28 mm pixels, at the equator): 559,082,264 / 2^zoom. Labels from `min_zoom`
/// show at this scale and larger.
double scale_at_zoom(double zoom);

} // namespace vigil::catalog
