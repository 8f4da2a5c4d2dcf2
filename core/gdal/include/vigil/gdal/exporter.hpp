/// @file
/// `vigil export`: one layer of a project database to GeoJSON, GeoPackage, CSV, Shapefile,
/// KML or FlatGeobuf (chosen by the output's extension), through GDAL. A GeoPackage also carries
/// the layer's catalogue symbology as its default QGIS style (a layer_styles table, as QGIS
/// writes it; catalog/qgis_style.hpp). @attention links GDAL.
#pragma once

#include <filesystem>
#include <string>

namespace vigil::gdal {

struct ExportRequest {
    std::filesystem::path database;
    std::string layer; ///< kind name or alias
    std::filesystem::path output;
    bool overwrite = false;
};

struct ExportResult {
    std::string layer;
    std::string driver;
    std::int64_t features = 0;
};

/// Throws vigil::UsageError for an unknown layer or extension, or an existing output without
/// `overwrite`; vigil::IoError when GDAL cannot write (with GDAL's reason).
ExportResult export_layer(const ExportRequest& request);

} // namespace vigil::gdal
