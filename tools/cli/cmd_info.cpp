// vigil layers / vigil imports / vigil catalog (read-only: the lean front answers them too)

#include "cli_common.hpp"

#include <vigil/store/project_reader.hpp>
#include <vigil/util/i18n.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <iostream>
#include <memory>

namespace vigil::cli {

namespace {

/// A command's options, owned by its callbacks (not function-local statics).
struct InfoArgs {
    std::string db;
    bool json = false;
    std::size_t limit = 20;
    std::string kind_name;
};

/// JSON for a terminal: text that is not UTF-8 (a file name in GBK in the provenance log) is
/// shown with U+FFFD instead of making the whole listing fail.
std::string dump_json(const nlohmann::json& j) { return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace); }

} // namespace

void add_layers_command(CLI::App& app, Runner& run) {
    auto a = std::make_shared<InfoArgs>();
    auto* cmd = app.add_subcommand("layers", tr("The layers of a project database: kind, count, source datum, extent"));
    cmd->add_option("DB", a->db, tr("Project database"))->required();
    cmd->add_flag("--json", a->json, tr("JSON output"));
    cmd->callback([&run, a] {
        run = [a] {
            const auto& [db, json, limit, kind_name] = *a;
            auto project = store::Project::open(db);
            auto layers = project.layers();
            if (json) {
                nlohmann::json arr = nlohmann::json::array();
                for (const auto& l : layers) {
                    nlohmann::json j = {{"kind", l.kind},
                                        {"title", {{"zh", l.title_zh}, {"en", l.title_en}}},
                                        {"geometry_type", l.geometry_type},
                                        {"feature_count", l.feature_count},
                                        {"source_crs", l.source_crs},
                                        {"updated_at", l.updated_at}};
                    j["extent"] = l.extent.empty()
                                      ? nlohmann::json(nullptr)
                                      : nlohmann::json::array({l.extent.min_x, l.extent.min_y, l.extent.max_x, l.extent.max_y});
                    arr.push_back(std::move(j));
                }
                std::cout << dump_json(nlohmann::json{{"database", db}, {"schema_version", project.schema_version()}, {"layers", arr}})
                          << "\n";
                return int{k_exit_ok};
            }
            std::cout << pad_columns(tr("kind"), 16) << pad_columns(tr("title"), 14) << pad_columns(tr("features"), 11)
                      << pad_columns(tr("geometry"), 16) << pad_columns(tr("source datum"), 22) << tr("extent (WGS84)") << "\n";
            for (const auto& l : layers) {
                std::string extent = l.extent.empty() ? "-"
                                                      : fmt::format("{:.4f},{:.4f} .. {:.4f},{:.4f}", l.extent.min_x, l.extent.min_y,
                                                                    l.extent.max_x, l.extent.max_y);
                // The title in the user's language, padded by display width (CJK characters take two columns).
                const std::string title =
                    pad_columns(i18n::language() == i18n::Language::zh_CN || l.title_en.empty() ? l.title_zh : l.title_en, 14);
                std::cout << fmt::format("{:<16} {}{:>9}  {:<16} {:<22} {}\n", l.kind, title, l.feature_count, l.geometry_type,
                                         l.source_crs.empty() ? "-" : l.source_crs, extent);
            }
            return int{k_exit_ok};
        };
    });
}

void add_imports_command(CLI::App& app, Runner& run) {
    auto a = std::make_shared<InfoArgs>();
    auto* cmd = app.add_subcommand("imports", tr("Import history (provenance): files, SHA-256, row counts, refusals"));
    cmd->add_option("DB", a->db, tr("Project database"))->required();
    cmd->add_option("-n,--limit", a->limit, tr("How many, most recent first"));
    cmd->add_flag("--json", a->json, tr("JSON output"));
    cmd->callback([&run, a] {
        run = [a] {
            const auto& [db, json, limit, kind_name] = *a;
            auto project = store::Project::open(db);
            auto imports = project.imports(limit);
            if (json) {
                nlohmann::json arr = nlohmann::json::array();
                for (const auto& i : imports)
                    arr.push_back({{"import_id", i.import_id},
                                   {"started_at", i.started_at},
                                   {"finished_at", i.finished_at},
                                   {"layer", i.layer},
                                   {"status", i.status},
                                   {"file_path", i.file_path},
                                   {"file_name", i.file_name},
                                   {"file_size", i.file_size},
                                   {"file_sha256", i.file_sha256},
                                   {"format", i.format},
                                   {"source_crs", i.source_crs},
                                   {"encoding", i.encoding},
                                   {"options", nlohmann::json::parse(i.options.empty() ? "{}" : i.options, nullptr, false)},
                                   {"rows_read", i.rows_read},
                                   {"rows_inserted", i.rows_inserted},
                                   {"rows_updated", i.rows_updated},
                                   {"rows_rejected", i.rows_rejected},
                                   {"problem_count", i.problem_count},
                                   {"message", i.message},
                                   {"vigil_version", i.vigil_version}});
                std::cout << dump_json(nlohmann::json{{"imports", arr}}) << "\n";
                return int{k_exit_ok};
            }
            for (const auto& i : imports) {
                std::cout << fmt::format("#{:<4} {}  {:<9} {:<15} {}\n", i.import_id, i.started_at, i.status, i.layer, i.file_name);
                std::cout << "      "
                          << trf("{} rows read, {} inserted, {} updated, {} rejected; {} / {}; sha256 {}", i.rows_read, i.rows_inserted,
                                 i.rows_updated, i.rows_rejected, i.format, i.source_crs,
                                 i.file_sha256.empty() ? "-" : i.file_sha256.substr(0, 16) + "…")
                          << "\n";
                if (i.status != "committed") std::cout << "      " << i.message << "\n";
            }
            return int{k_exit_ok};
        };
    });
}

void add_catalog_command(CLI::App& app, Runner& run) {
    auto a = std::make_shared<InfoArgs>();
    auto* cmd =
        app.add_subcommand("catalog", tr("The layer catalogue: kinds, and one kind's fields with their aliases and allowed values"));
    cmd->add_option("KIND", a->kind_name, tr("Show this kind's fields"));
    cmd->add_flag("--json", a->json, tr("Print the kind's definition as JSON"));
    cmd->callback([&run, a] {
        run = [a] {
            const auto& [db, json, limit, kind_name] = *a;
            auto catalog = load_catalog();
            if (kind_name.empty()) {
                for (const auto& k : catalog.kinds())
                    std::cout << fmt::format("{:<16} {:<8} {}  ({})  {}\n", k->kind, catalog::geometry_kind_name(k->geometry),
                                             k->title.text(), trf("fields: {}", k->fields.size()), k->source_path);
                return int{k_exit_ok};
            }
            auto k = catalog.get(kind_name);
            if (json) {
                std::cout << nlohmann::json::parse(k->definition).dump(2) << "\n";
                return int{k_exit_ok};
            }
            std::cout << k->kind << ": " << k->title.text() << " (" << catalog::geometry_kind_name(k->geometry) << ")\n";
            for (const auto& f : k->fields) {
                std::string aliases;
                for (const auto& alias : f.aliases) aliases += (aliases.empty() ? "" : ", ") + alias;
                std::cout << fmt::format("  {:<22} {:<8}{} {}{}\n", f.name, catalog::field_type_name(f.type), f.required ? " *" : "  ",
                                         f.label.text(), f.unit.empty() ? "" : " [" + f.unit + "]");
                if (!aliases.empty()) std::cout << "      " << trf("aliases: {}", aliases) << "\n";
                if (!f.values.empty()) {
                    std::string vals;
                    for (const auto& v : f.values) vals += (vals.empty() ? "" : ", ") + v.value + "=" + v.label.text();
                    std::cout << "      " << trf("values: {}", vals) << "\n";
                }
            }
            return int{k_exit_ok};
        };
    });
}

} // namespace vigil::cli
