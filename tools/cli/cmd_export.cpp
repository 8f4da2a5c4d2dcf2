// vigil export

#include "cli_common.hpp"

#include <vigil/gdal/exporter.hpp>

#include <fmt/format.h>

#include <iostream>

namespace vigil::cli {

void add_export_command(CLI::App& app, Runner& run) {
    static gdal::ExportRequest req;
    static std::string db, out;
    auto* cmd = app.add_subcommand("export", "Write one layer to GeoJSON, GeoPackage, CSV, Shapefile, KML or FlatGeobuf (by OUT's extension)");
    cmd->add_option("DB", db, "Project database")->required();
    cmd->add_option("OUT", out, "Output file: .geojson .gpkg .csv .shp .kml .fgb")->required();
    cmd->add_option("--layer,-l", req.layer, "Layer kind")->required();
    cmd->add_flag("--overwrite", req.overwrite, "Replace OUT if it exists");
    cmd->callback([&run] {
        run = [] {
            req.database = db;
            req.output = out;
            auto r = gdal::export_layer(req);
            if (!globals().quiet) std::cout << fmt::format("wrote {} features of {} to {} ({})\n", r.features, r.layer, out, r.driver);
            return int{k_exit_ok};
        };
    });
}

} // namespace vigil::cli
