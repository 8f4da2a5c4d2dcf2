// vigil demo: build the Jiaozuo demo database through the ordinary import path.

#include "cli_common.hpp"
#include "road_network.hpp"

#include <demo_generator.hpp>
#include <vigil/gdal/importer.hpp>
#include <vigil/native/project_writer.hpp>
#include <vigil/util/error.hpp>

#include <fmt/format.h>

#include <iostream>
#include <unistd.h>

namespace vigil::cli {

void add_demo_command(CLI::App& app, Runner& run) {
    static std::string db, sources_dir;
    static bool force = false;
    auto* cmd = app.add_subcommand("demo", "Build the Jiaozuo (焦作) demo database: real boundaries and rivers, synthetic registers");
    cmd->add_option("OUT_DB", db, "Database to create")->required();
    cmd->add_option("--sources", sources_dir, "Keep the generated source files (CSV, GeoJSON) in this folder");
    cmd->add_flag("--force", force, "Replace OUT_DB if it exists");
    cmd->callback([&run] {
        run = [] {
            namespace fs = std::filesystem;
            if (fs::exists(db)) {
                if (!force) throw UsageError("'" + db + "' already exists (add --force to replace it)");
                for (const char* suffix : {"", "-wal", "-shm", "-journal"}) fs::remove(db + suffix);
            }
            auto catalog = load_catalog();
            fs::path dir = sources_dir.empty() ? fs::temp_directory_path() / ("vigil-demo-" + std::to_string(::getpid())) : fs::path(sources_dir);
            auto sources = demo::write_demo_sources(dir);
            {
                auto writer = native::ProjectWriter::open(db, /*create=*/true);
                writer.ensure_layers(catalog);
            }
            int status = k_exit_ok;
            for (const auto& s : sources) {
                gdal::ImportRequest req;
                req.database = db;
                req.file = s.file;
                req.layer = s.layer;
                req.crs = s.crs;
                req.encoding = s.encoding;
                auto r = gdal::import_file(req, catalog);
                if (r.summary.refused) {
                    auto kind = catalog.get(s.layer);
                    std::cerr << "vigil: demo source " << s.file << " was refused:\n";
                    for (std::size_t i = 0; i < std::min<std::size_t>(r.summary.problems.size(), 20); ++i)
                        std::cerr << "  " << importing::format_problem(s.file.string(), *kind, r.summary.problems[i]) << "\n";
                    status = k_exit_error;
                    continue;
                }
                if (!globals().quiet)
                    std::cout << fmt::format("  {:<15} {:>5} records  {:<28} {} ({})\n", r.layer, r.inserted + r.updated,
                                             s.file.filename().string(), s.description, r.source_crs);
                refresh_road_graph(db, r.layer, {}, globals().quiet);
            }
            if (sources_dir.empty()) fs::remove_all(dir);
            if (status == k_exit_ok && !globals().quiet) std::cout << "demo database written to " << db << "\n";
            return status;
        };
    });
}

} // namespace vigil::cli
