// vigil init / vigil import

#include "cli_common.hpp"

#include "road_graph_refresh.hpp"

#include <vigil/gdal/importer.hpp>
#include <vigil/native/project_writer.hpp>
#include <vigil/util/error.hpp>
#include <vigil/util/i18n.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <iostream>
#include <memory>

namespace vigil::cli {

void add_init_command(CLI::App& app, Runner& run) {
    auto path = std::make_shared<std::string>(); // owned by the callbacks, not a function-local static
    auto* cmd = app.add_subcommand("init", tr("Create an empty project database (SpatiaLite) with a table for every layer kind"));
    cmd->add_option("DB", *path, tr("Project database file to create"))->required();
    cmd->callback([&run, path] {
        run = [path] {
            const std::string& db = *path;
            auto catalog = load_catalog();
            bool existed = std::filesystem::exists(db);
            auto writer = native::ProjectWriter::open(db, /*create=*/true);
            writer.ensure_layers(catalog);
            if (!globals().quiet)
                std::cout << (existed ? trf("updated {} with {} layer kinds", db, catalog.kinds().size())
                                      : trf("created {} with {} layer kinds", db, catalog.kinds().size()))
                          << "\n";
            return int{k_exit_ok};
        };
    });
}

namespace {

constexpr const char* k_import_column_example = "单位名称"; // i18n: not shown: an input example, typed as it is
constexpr const char* k_import_layer_example = "企业";      // i18n: not shown: an input example, typed as it is

struct ImportArgs {
    std::string db, file, layer, crs, encoding, source_layer;
    std::vector<std::string> maps;
    std::string speeds; ///< roads: the speed profile the stored road graph is built with
    bool skip_invalid = false;
    std::uint64_t header_row = 0; ///< --header-row; 0 = found by the field names
    bool strict = false;          ///< --strict: what the catalogue declares warnings refuses too
    bool update = false;          ///< --update: records of the file may change stored ones
    bool replace_layer = false;   ///< --replace-layer: the layer becomes the file
    bool overwrite_edits = false; ///< --overwrite-edits: records people edited may be overwritten too
    bool json = false;
};

std::vector<std::pair<std::string, std::string>> parse_maps(const std::vector<std::string>& maps) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& m : maps) {
        auto eq = m.find('=');
        if (eq == std::string::npos || eq == 0 || eq + 1 == m.size())
            throw UsageError(trf("--map {}: expected FIELD=COLUMN, e.g. --map name={}", m, k_import_column_example));
        out.emplace_back(m.substr(0, eq), m.substr(eq + 1));
    }
    return out;
}

int report(const ImportArgs& a, const gdal::ImportResult& r, const catalog::LayerKind& kind, const std::string& road_graph) {
    const auto& s = r.summary;
    if (a.json) {
        nlohmann::json j;
        j["layer"] = r.layer;
        j["file"] = a.file;
        j["status"] = s.refused ? "refused" : "committed";
        j["import_id"] = r.import_id;
        j["format"] = r.format;
        j["source_crs"] = r.source_crs;
        j["sha256"] = r.sha256;
        j["rows_read"] = s.rows_read;
        j["inserted"] = r.inserted;
        j["updated"] = r.updated;
        j["unchanged"] = r.unchanged;
        j["removed"] = r.removed;
        if (r.would_update.count > 0) {
            nlohmann::json w;
            w["count"] = r.would_update.count;
            w["ids_look_like_row_numbers"] = r.would_update.ids_look_like_row_numbers;
            nlohmann::json first = nlohmann::json::array();
            for (const auto& x : r.would_update.first)
                first.push_back({{"id", x.id},
                                 {"row", x.row},
                                 {"stored_name", x.stored_name},
                                 {"new_name", x.new_name},
                                 {"stored_county", x.stored_county},
                                 {"new_county", x.new_county},
                                 {"stored_file", x.stored_file}});
            w["first"] = first;
            w["message"] = r.refusal_message;
            j["would_update"] = w;
        }
        if (!r.edits_refusal.empty()) j["edits_refusal"] = r.edits_refusal;
        j["rejected"] = s.rows_rejected;
        j["problem_count"] = s.problem_count;
        j["notes"] = s.notes;
        if (!road_graph.empty()) j["road_graph"] = road_graph;
        if (!r.rejected_csv.empty()) j["rejected_csv"] = r.rejected_csv.string();
        if (!r.problems_csv.empty()) j["problems_csv"] = r.problems_csv.string();
        nlohmann::json problems = nlohmann::json::array();
        for (const auto& p : s.problems)
            problems.push_back(
                {{"file", a.file}, {"row", p.row}, {"id", p.record_id}, {"field", p.field}, {"value", p.value}, {"reason", p.reason}});
        j["problems"] = problems;
        j["warning_count"] = s.warning_count;
        nlohmann::json warnings = nlohmann::json::array();
        for (const auto& p : s.warnings)
            warnings.push_back(
                {{"file", a.file}, {"row", p.row}, {"id", p.record_id}, {"field", p.field}, {"value", p.value}, {"reason", p.reason}});
        j["warnings"] = warnings;
        std::cout << j.dump(2) << "\n";
        return s.refused ? k_exit_refused : k_exit_ok;
    }
    if (s.refused && !r.edits_refusal.empty()) {
        std::cerr << "vigil: " << r.edits_refusal << "\n";
        return k_exit_refused;
    }
    if (s.refused && r.would_update.count > 0) {
        std::cerr << "vigil: " << r.refusal_message;
        return k_exit_refused;
    }
    if (s.refused) {
        std::cerr << "vigil: "
                  << (s.problem_count == 1
                          ? trf("import refused: {} problem in {} of {} rows of {}; nothing was imported, the database is unchanged",
                                s.problem_count, s.rows_rejected, s.rows_read, a.file)
                          : trf("import refused: {} problems in {} of {} rows of {}; nothing was imported, the database is unchanged",
                                s.problem_count, s.rows_rejected, s.rows_read, a.file))
                  << "\n";
        std::size_t shown = std::min(s.problems.size(), gdal::k_problems_on_screen);
        for (std::size_t i = 0; i < shown; ++i) std::cerr << "  " << importing::format_problem(a.file, kind, s.problems[i]) << "\n";
        if (s.problem_count > shown) {
            std::cerr << "  "
                      << (r.problems_csv.empty()
                              ? trf("... and {} more", s.problem_count - shown)
                              : trf("... and {} more (all listed in {})", s.problem_count - shown, r.problems_csv.string()))
                      << "\n";
        }
        std::cerr << "  " << tr("Fix the file, or import the valid rows only with --skip-invalid.") << "\n";
        return k_exit_refused;
    }
    if (!globals().quiet) {
        std::string counts = trf("{} rows read, {} inserted, {} updated", s.rows_read, r.inserted, r.updated);
        if (r.unchanged) counts += trf(", {} unchanged", r.unchanged);
        if (r.removed) counts += trf(", {} removed", r.removed);
        if (s.rows_rejected) counts += trf(", {} rejected", s.rows_rejected);
        std::cout << trf("imported {} into {}: {} (format {}, source CRS {}, import #{})", a.file, r.layer, counts, r.format, r.source_crs,
                         r.import_id)
                  << "\n";
        if (r.updated || r.removed)
            std::cout << "  " << tr("the previous versions of the changed or removed records are kept in record_history") << "\n";
        for (const auto& n : s.notes) std::cout << "  " << n << "\n";
        if (s.warning_count > 0) {
            std::cout << "  "
                      << (s.warning_count == 1 ? trf("{} warning, the records are imported (--strict refuses them):", s.warning_count)
                                               : trf("{} warnings, the records are imported (--strict refuses them):", s.warning_count))
                      << "\n";
            std::size_t shown = std::min<std::size_t>(s.warnings.size(), 10);
            for (std::size_t i = 0; i < shown; ++i) std::cout << "    " << importing::format_problem(a.file, kind, s.warnings[i]) << "\n";
            if (!r.problems_csv.empty()) std::cout << "  " << trf("all listed in {}", r.problems_csv.string()) << "\n";
        }
        if (!r.rejected_csv.empty()) {
            std::cout << "  " << trf("rejected rows and their reasons: {}", r.rejected_csv.string()) << "\n";
            std::size_t shown = std::min<std::size_t>(s.problems.size(), 10);
            for (std::size_t i = 0; i < shown; ++i) std::cout << "    " << importing::format_problem(a.file, kind, s.problems[i]) << "\n";
        }
    }
    return k_exit_ok;
}

} // namespace

void add_import_command(CLI::App& app, Runner& run) {
    auto args = std::make_shared<ImportArgs>(); // owned by the callbacks, not a function-local static
    ImportArgs& o = *args;
    auto* cmd =
        app.add_subcommand("import", tr("Import a file (GeoJSON, CSV, XLSX, Shapefile, GeoPackage, KML, SpatiaLite ...) into a layer"));
    cmd->add_option("DB", o.db, tr("Project database (created if missing)"))->required();
    cmd->add_option("FILE", o.file, tr("File to import"))->required();
    cmd->add_option(
        "--layer,-l", o.layer,
        trf("Layer kind: enterprises, hazard_sources, rescue_teams, warehouses, admin_areas, roads, ... (or a Chinese name such as {})",
            k_import_layer_example));
    cmd->add_option("--crs", o.crs,
                    tr("Source CRS when the file does not say: EPSG:4326, EPSG:4490, EPSG:4547, gcj02, bd09, any PROJ definition"));
    cmd->add_option("--encoding", o.encoding, tr("Text encoding of the file when it is not UTF-8: GBK, GB18030, BIG5 ..."));
    cmd->add_option("--map", o.maps,
                    tr("FIELD=COLUMN: take a field from a column the aliases do not find (repeatable); FIELD may be lon, lat or wkt"));
    cmd->add_option("--source-layer,--sheet", o.source_layer, tr("Layer or sheet to read from a file that has several"));
    cmd->add_option("--header-row", o.header_row,
                    tr("Row (line of a CSV, row of a sheet) holding the column names, when title rows stand above it; by default found "
                       "among the first 10 rows by the layer's field names"))
        ->check(CLI::PositiveNumber);
    cmd->add_flag("--strict", o.strict,
                  tr("Refuse what the catalogue declares a warning too (a credit code with a wrong check character); without it such "
                     "records are imported and listed"));
    cmd->add_flag("--skip-invalid", o.skip_invalid,
                  tr("Import the valid rows and write the rejected ones, with reasons, to FILE.rejected.csv"));
    auto* update = cmd->add_flag("--update", o.update,
                                 tr("Let records of the file overwrite the stored records with the same ids (without it such an import is "
                                    "refused); previous versions are kept in record_history"));
    cmd->add_flag("--replace-layer", o.replace_layer,
                  tr("Replace the layer with the file in one transaction: records of the file overwrite those with their ids, the others "
                     "are removed; previous versions are kept in record_history"))
        ->excludes(update);
    cmd->add_flag("--overwrite-edits", o.overwrite_edits,
                  tr("With --update or --replace-layer: also overwrite records that dispatchers edited since their last import (otherwise "
                     "the import is refused and lists them; the edits stay in vigil_audit)"));
    cmd->add_flag("--json", o.json, tr("Print the result (and any problems) as JSON"));
    cmd->add_option(
        "--speeds", o.speeds,
        tr("With --layer roads: speed profile per road class for the stored road graph (default: layers/routing/road_speeds.json)"));
    cmd->callback([&run, args] {
        run = [args] {
            const ImportArgs& a = *args;
            require_layer(a.layer);
            auto catalog = load_catalog();
            gdal::ImportRequest req;
            req.database = a.db;
            req.file = a.file;
            req.layer = a.layer;
            req.crs = a.crs;
            req.encoding = a.encoding;
            req.source_layer = a.source_layer;
            req.column_map = parse_maps(a.maps);
            req.skip_invalid = a.skip_invalid;
            req.strict = a.strict;
            req.header_row = a.header_row;
            req.on_existing = a.replace_layer ? importing::OnExisting::ReplaceLayer
                              : a.update      ? importing::OnExisting::Update
                                              : importing::OnExisting::Refuse;
            req.overwrite_edits = a.overwrite_edits;
            if (!globals().layers_dir.empty())
                req.osm_config_file = std::filesystem::path(globals().layers_dir) / "routing" / "osmconf.ini";
            auto kind = catalog.get(a.layer);
            ProgressBar bar(trf("importing {}", std::filesystem::path(a.file).filename().string()));
            auto result = gdal::import_file(req, catalog, [&](std::uint64_t d, std::uint64_t t) { bar.update(d, t); });
            bar.finish();
            // A committed roads import stores the road graph (and its hierarchy) for dispatch.
            std::string road_graph;
            if (!result.summary.refused) road_graph = refresh_road_graph(a.db, result.layer, a.speeds, /*quiet=*/true);
            int code = report(a, result, *kind, road_graph);
            if (!road_graph.empty() && !a.json && !globals().quiet) std::cout << "  " << road_graph << "\n";
            return code;
        };
    });
}

} // namespace vigil::cli
