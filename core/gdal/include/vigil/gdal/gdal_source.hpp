/// @file
/// A RecordSource over any vector format GDAL reads (Shapefile, GeoPackage, XLSX, KML,
/// SpatiaLite, FlatGeobuf, OSM ...). @attention links GDAL (vigil_gdal_import).
///
/// GDAL's own warnings are not trusted for problem reports (they are rate-limited and some bad
/// input passes silently, see docs/reliability.md): every value is checked here, per record.
#pragma once

#include <vigil/importing/record_source.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace vigil::gdal {

struct GdalSourceOptions {
    std::string encoding;     ///< declared text encoding (GBK ...) for sources without a .cpg
    std::string source_layer; ///< which layer/sheet of a multi-layer source; "" = the only/first non-empty
    /// OpenStreetMap (.osm / .pbf) read as roads: GDAL's OSM driver with `osm_config_file` (which
    /// tags become columns), its "lines" layer restricted to drivable highway types, and the OSM
    /// conventions turned into the catalogue's: oneway=-1 reverses the line, a roundabout is
    /// one-way, maxspeed "60 mph" becomes km/h, bridge=viaduct is a bridge. No effect on other
    /// formats.
    bool osm_roads = false;
    std::string osm_config_file;
    /// Spreadsheets (XLSX, ODS, XLS): the row (1-based, as Excel numbers it) that holds the
    /// column names, when title rows stand above it; rows above it are skipped and rows keep
    /// the sheet's numbers. 0 = the first row (GDAL's own reading, cells typed).
    std::uint64_t header_row = 0;
};

/// The first `max_rows` rows of a spreadsheet's sheet as text cells, row i being the sheet's
/// row i + 1 (nothing is taken for a header); empty when `path` is no spreadsheet GDAL reads.
/// For finding the header row below title rows (importing::find_header_row).
std::vector<std::vector<std::string>> peek_sheet_rows(const std::string& path, const GdalSourceOptions& options, std::size_t max_rows);

class GdalSource final : public importing::RecordSource {
public:
    /// Opens `path` read-only with GDAL's vector drivers (network and raster drivers excluded).
    /// Throws vigil::IoError if GDAL cannot open it (with GDAL's reason), vigil::UsageError if
    /// the named layer does not exist (listing the layers).
    GdalSource(std::string path, GdalSourceOptions options = {});
    ~GdalSource() override;

    const std::string& path() const override;
    const std::vector<std::string>& columns() const override;
    bool next(importing::RawRecord& out) override;
    std::optional<std::string> declared_crs() const override;
    bool has_geometry() const override;
    std::uint64_t progress_done() const override;
    std::uint64_t progress_total() const override;

    /// GDAL's driver name ("ESRI Shapefile", "XLSX" ...), for provenance.
    std::string driver_name() const;
    /// The layer actually read.
    std::string layer_name() const;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

/// Registers GDAL's drivers once and routes GDAL's error messages away from stderr (they are
/// reported through exceptions with context instead).
void initialise_gdal();

} // namespace vigil::gdal
