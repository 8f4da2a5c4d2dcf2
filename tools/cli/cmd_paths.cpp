// vigil paths (the full program's: the demo data and the browser build are its business)

#include "cli_common.hpp"
#include "installed_layout.hpp"

#include <demo_generator.hpp>
#include <vigil/catalog/catalog.hpp>
#include <vigil/util/i18n.hpp>
#include <vigil/web/server.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <iostream>
#include <memory>
#include <system_error>
#include <vector>

namespace vigil::cli {

namespace {

struct DataFolder {
    std::string variable;       ///< the environment variable that names it
    std::filesystem::path path; ///< where it is now looked for
    std::string origin;         ///< "environment", "installed beside the program" or "built-in"
};

/// The data folders as the program will use them.
std::vector<DataFolder> data_folders() {
    return {{"VIGIL_LAYERS", catalog::Catalog::default_directory(), data_folder_origin("VIGIL_LAYERS")},
            {"VIGIL_DEMO_DATA", demo::default_data_dir(), data_folder_origin("VIGIL_DEMO_DATA")},
            {"VIGIL_WEB", web::default_web_dir(), data_folder_origin("VIGIL_WEB")}};
}

} // namespace

void add_paths_command(CLI::App& app, Runner& run) {
    auto json = std::make_shared<bool>(false); // owned by the callbacks, not a function-local static
    auto* cmd = app.add_subcommand("paths", tr("Where this program finds its layer catalogue, demo data and browser build"));
    cmd->add_flag("--json", *json, tr("Print them as JSON"));
    cmd->callback([&run, json] {
        run = [json] {
            const auto folders = data_folders();
            if (*json) {
                nlohmann::json j = nlohmann::json::object();
                for (const auto& f : folders) j[f.variable] = {{"path", f.path.string()}, {"origin", f.origin}};
                std::cout << j.dump(2) << "\n";
                return int{k_exit_ok};
            }
            for (const auto& f : folders) {
                std::error_code ec;
                const bool present = std::filesystem::exists(f.path, ec);
                const std::string origin = present ? std::string(tr(f.origin.c_str())) : trf("{}, missing", tr(f.origin.c_str()));
                std::cout << fmt::format("{:<16} {}  ({})\n", f.variable, f.path.string(), origin);
            }
            return int{k_exit_ok};
        };
    });
}

} // namespace vigil::cli
