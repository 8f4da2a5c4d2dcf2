// vigil demo: build the Jiaozuo demo database through the ordinary import path.

#include "cli_common.hpp"

#include "database_file.hpp"
#include "road_graph_refresh.hpp"

#include <demo_generator.hpp>
#include <vigil/gdal/importer.hpp>
#include <vigil/native/project_writer.hpp>
#include <vigil/util/error.hpp>
#include <vigil/util/i18n.hpp>

#include <fmt/format.h>

#include <filesystem>
#include <iostream>
#include <memory>
#include <unistd.h>

namespace vigil::cli {

namespace {

struct DemoArgs {
    std::string db, sources_dir;
    bool force = false;
};

int build_demo(const DemoArgs& a) {
    namespace fs = std::filesystem;
    if (fs::exists(a.db) && !a.force) throw UsageError(trf("'{}' already exists (add --force to replace it)", a.db));
    auto catalog = load_catalog();
    // Built beside OUT_DB and renamed into place at the end: a kill, a full disk or a refused
    // source leaves OUT_DB as it was (or absent), never half-built under its name.
    DatabaseUnderConstruction building(a.db);
    const std::string db = building.path().string();
    fs::path dir =
        a.sources_dir.empty() ? fs::temp_directory_path() / ("vigil-demo-" + std::to_string(::getpid())) : fs::path(a.sources_dir);
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
            std::cerr << "vigil: " << trf("demo source {} was refused:", s.file.string()) << "\n";
            for (std::size_t i = 0; i < std::min<std::size_t>(r.summary.problems.size(), 20); ++i)
                std::cerr << "  " << importing::format_problem(s.file.string(), *kind, r.summary.problems[i]) << "\n";
            status = k_exit_error;
            continue;
        }
        if (!globals().quiet)
            std::cout << fmt::format("  {:<15} {}  {:<28} {} ({})\n", r.layer, trf("{:>5} records", r.inserted + r.updated),
                                     s.file.filename().string(), s.description, r.source_crs);
        refresh_road_graph(db, r.layer, {}, globals().quiet);
    }
    if (a.sources_dir.empty()) fs::remove_all(dir);
    if (status != k_exit_ok) {
        std::cerr << "vigil: " << trf("the demo database was not written; {} is unchanged", a.db) << "\n";
        return status;
    }
    building.install(a.force);
    if (!globals().quiet) std::cout << trf("demo database written to {}", a.db) << "\n";
    return status;
}

} // namespace

void add_demo_command(CLI::App& app, Runner& run) {
    auto a = std::make_shared<DemoArgs>();
    auto* cmd = app.add_subcommand("demo", tr("Build the Jiaozuo demo database: real boundaries and rivers, synthetic registers"));
    cmd->add_option("OUT_DB", a->db, tr("Database to create"))->required();
    cmd->add_option("--sources", a->sources_dir, tr("Keep the generated source files (CSV, GeoJSON) in this folder"));
    cmd->add_flag("--force", a->force, tr("Replace OUT_DB if it exists (the new database is built beside it and replaces it in one step)"));
    cmd->callback([&run, a] { run = [a] { return build_demo(*a); }; });
}

} // namespace vigil::cli
