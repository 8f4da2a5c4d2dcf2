/// @file
/// Where is the incident? The dispatcher's one text box (接警 New incident): coordinates in any
/// of the three datums people read off their screens (WGS84 from a GPS, GCJ-02 from AMap or
/// Tencent, BD-09 from Baidu; full-width digits and punctuation as a Chinese keyboard gives
/// them), the name or id of an enterprise or hazard source, or a road in a county as callers
/// say it ("G207 温县段", "G207温县段K12+300", "S104 武陟县"). The answer is a WGS84 point with
/// what it is and, said plainly, what was assumed to get it.
///
/// A road in a county: the roads layer's records whose route number (ref) or name matches,
/// cut by the county's polygon in the admin_areas layer. The roads layer's catalogue has no
/// kilometre posts (nor have the demo's roads or the usual GIS and OSM extracts), so a post
/// typed (K12+300) is read, kept in the label and said to be unused: the answer is the point of
/// the road inside the county nearest the county's centre, and it says so, for the dispatcher
/// to confirm with the caller.
///
/// The CLI (`vigil nearest --place`), the viewer's Dispatch panel and the browser ask this one
/// function, so "G207 温县段" is the same point everywhere.
#pragma once

#include <vigil/app/layer_set.hpp>
#include <vigil/geo/geometry.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::app {

/// The datum typed coordinates are in. Auto: a prefix in the text says it ("GCJ02 113.08,34.94",
/// "高德：…", "百度 …", "WGS84 …"), else WGS84 (and the answer says it assumed so).
enum class PlaceDatum { Auto, Wgs84, Gcj02, Bd09 };

/// "wgs84", "gcj02", "bd09" (and Chinese names: 高德, 百度, GPS) -> the datum; nullopt otherwise.
std::optional<PlaceDatum> parse_place_datum(std::string_view text);
/// "WGS84", "GCJ-02 (高德)", "BD-09 (百度)", "自动 auto".
std::string place_datum_label(PlaceDatum d);

/// What the text is, before any layer is read.
struct PlaceText {
    enum class Form { Coordinates, Road, Name };
    Form form = Form::Name;
    // Coordinates.
    geo::Coord typed{};                  ///< as typed, in `datum`
    PlaceDatum datum = PlaceDatum::Auto; ///< the prefix's datum, or the one asked for (Auto: none given)
    bool swapped = false;                ///< typed as "纬度,经度" and turned round
    // Road.
    std::string road;         ///< the route number as typed, upper case ("G207"), or a road name
    std::string county;       ///< "温县" (the text before 段/境内), "" when none given
    std::optional<double> km; ///< K12+300 -> 12.3
    // Name.
    std::string name; ///< the text, trimmed
};

/// Reads the text: two numbers (with an optional datum prefix) are coordinates; a route number
/// (G/S/X/Y/Z and digits) or a "…路/…道/…线/…公路" word, optionally with a county and a
/// kilometre post, is a road; anything else a name. `datum` is the caller's choice (a combo
/// box); a datum prefix in the text wins over it.
/// @throws vigil::UsageError for empty text.
PlaceText parse_place_text(std::string_view text, PlaceDatum datum = PlaceDatum::Auto);

/// The located incident.
struct IncidentPlace {
    geo::Coord at{};    ///< WGS84
    std::string label;  ///< what the dispatch sheet calls it: "G207 温县段", "焦作某化工有限公司", "GCJ-02 113.08,34.94"
    std::string how;    ///< "坐标 coordinates" / "道路 road" / "企业 enterprise" …
    std::string kind;   ///< the layer of a record found ("enterprises", "roads"), "" for coordinates
    std::string id;     ///< the record found (an enterprise's id, the road segment's id)
    std::string county; ///< the county the point lies in, when the layers say
    std::vector<std::string> assumptions; ///< said with the answer, never hidden
    std::string error;                    ///< why it could not be placed ("" when placed); the rest is then empty
    bool ok() const { return error.empty(); }
};

/// Places the text over `layers` (roads and admin_areas for a road; enterprises, hazard_sources
/// and incidents for a name). A road or name not found, a road that does not pass through the
/// county, or a road given without a county come back in IncidentPlace::error, in words that
/// name what was looked for and what there is ("G207 经过 passes through: 温县、武陟县…").
/// @throws vigil::UsageError for empty text only.
IncidentPlace locate_incident(const LayerSet& layers, std::string_view text, PlaceDatum datum = PlaceDatum::Auto);

/// Supplies a material calls for, as the dispatch sheet's needs text ("中和剂:5t,吸附棉:2000kg"),
/// chosen by its ERG guide: acids and corrosives a neutraliser, flammable liquids absorbent and
/// sand, toxic gases decontaminant; "" when the guide says nothing we stock for. `note` gets
/// what was assumed ("按 ERG 指南 137 建议 suggested by ERG guide 137").
std::string supplies_for_guide(std::string_view erg_guide, std::string* note = nullptr);

} // namespace vigil::app
