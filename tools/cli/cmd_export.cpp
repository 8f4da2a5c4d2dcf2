// vigil export

#include "cli_common.hpp"

#include <vigil/gdal/exporter.hpp>
#include <vigil/util/i18n.hpp>

#include <fmt/format.h>

#include <iostream>
#include <memory>

namespace vigil::cli {

void add_export_command(CLI::App& app, Runner& run) {
    struct ExportArgs {
        gdal::ExportRequest req;
        std::string db, out;
    };
    auto a = std::make_shared<ExportArgs>(); // owned by the callbacks, not a function-local static
    auto& req = a->req;
    auto* cmd =
        app.add_subcommand("export", tr("Write one layer to GeoJSON, GeoPackage, CSV, Shapefile, KML or FlatGeobuf (by OUT's extension)"));
    cmd->add_option("DB", a->db, tr("Project database"))->required();
    cmd->add_option("OUT", a->out, tr("Output file: .geojson .gpkg .csv .shp .kml .fgb"))->required();
    cmd->add_option("--layer,-l", req.layer, tr("Layer kind"));
    cmd->add_flag("--overwrite", req.overwrite, tr("Replace OUT if it exists"));
    cmd->callback([&run, a] {
        run = [a] {
            require_layer(a->req.layer);
            a->req.database = a->db;
            a->req.output = a->out;
            auto r = gdal::export_layer(a->req);
            if (!globals().quiet) std::cout << trf("wrote {} features of {} to {} ({})", r.features, r.layer, a->out, r.driver) << "\n";
            return int{k_exit_ok};
        };
    });
}

} // namespace vigil::cli
