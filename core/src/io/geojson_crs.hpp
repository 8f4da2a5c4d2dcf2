/// @file
/// The spellings of a CRS in GeoJSON's old "crs" member (internal to core/src/io): named
/// ("urn:ogc:def:crs:EPSG::4547", "EPSG:4490", OGC CRS84, opengis.net URLs) and the 2008
/// draft's {"type": "EPSG"}, turned into "EPSG:n". Used by geojson_reader.cpp, once per file.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace vigil::io::detail {

/// "EPSG:4326" from the spellings found in old-style "crs" members; anything else trimmed as is.
/// The result says nothing about axis order: urn:ogc:def:crs:EPSG::4326 formally means latitude
/// first, yet nearly every writer (GDAL included) puts longitude first anyway, so any axis
/// decision is left to the caller.
std::string normalise_crs_name(std::string_view name);

/// The CRS of a "crs" member's value; nullopt for "link" and anything unusable.
std::optional<std::string> crs_from_json(const nlohmann::json& j);

/// A "crs" member after a huge "features" array, found in the last `tail_bytes` of the file at
/// `path` (`total` bytes long) without reading the features again: a candidate `"crs"` is a
/// member of the top-level object exactly when "{" + the text from it to the end of the file is
/// one complete JSON object (a "crs" inside a feature would leave unbalanced closing brackets).
std::optional<std::string> crs_in_file_tail(const std::string& path, std::uint64_t total, std::size_t tail_bytes);

} // namespace vigil::io::detail
