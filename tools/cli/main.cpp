// vigil: the command-line program. Each subcommand lives in its own cmd_*.cpp; this file parses
// the command line, runs the chosen subcommand and turns exceptions into messages and exit codes.

#include "cli_common.hpp"
#include "installed_layout.hpp"

#include <vigil/util/error.hpp>

#include <cstdio>
#include <iostream>


int main(int argc, char** argv) try {
    using namespace vigil::cli;
    use_installed_layout(); // first: before any thread, and before anything reads the folders
    CLI::App app{"Vigil (守夜): enterprises, hazard sources and rescue resources on one map.\n"
                 "Run 'vigil COMMAND --help' for the options of a command."};
    app.set_version_flag("--version", std::string("vigil ") + VIGIL_VERSION);
    app.require_subcommand(1);
    app.option_defaults()->always_capture_default();
    app.add_option("--layers", globals().layers_dir, "Layer catalogue folder (default: $VIGIL_LAYERS or the built-in layers/)");
    app.add_flag("-q,--quiet", globals().quiet, "No progress bar or notes, only results and errors");

    Runner run;
    add_init_command(app, run);
    add_import_command(app, run);
    add_nearest_command(app, run);
    add_within_command(app, run);
    add_layers_command(app, run);
    add_imports_command(app, run);
    add_catalog_command(app, run);
    add_paths_command(app, run);
    add_export_command(app, run);
    add_demo_command(app, run);
    add_serve_command(app, run);
    add_grade_command(app, run);
    add_zone_command(app, run);
    add_stats_command(app, run);
    add_risk_command(app, run);
    add_supply_command(app, run);
    add_isochrone_command(app, run);
    add_coverage_command(app, run);
#ifdef VIGIL_HAS_VIEWER
    add_view_command(app, run);
#endif

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        int code = app.exit(e);
        return code == 0 ? 0 : k_exit_usage;
    }
    return run ? run() : k_exit_usage;
} catch (const vigil::UsageError& e) {
    std::cerr << "vigil: " << e.what() << "\n";
    return vigil::cli::k_exit_usage;
} catch (const vigil::Error& e) {
    std::cerr << "vigil: " << e.what() << "\n";
    return vigil::cli::k_exit_error;
} catch (const std::exception& e) {
    std::cerr << "vigil: internal error: " << e.what() << "\n";
    return vigil::cli::k_exit_error;
}
