// vigil-full: the whole command-line program. Each subcommand lives in its own cmd_*.cpp; this file
// registers them all, parses the command line and runs the chosen one. Users type `vigil`, the
// lean front (front_main.cpp), which answers the one-shot read-only questions itself and hands
// every other command line to this program unchanged (see CMakeLists.txt here for why).

#include "cli_main.hpp"
#include "installed_layout.hpp"

int main(int argc, char** argv) {
    using namespace vigil::cli;
    return with_error_messages([&] {
        use_installed_layout(); // first: before any thread, and before anything reads the folders
        choose_language(argc, argv);
        CLI::App app;
        configure_app(app);

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
        add_user_command(app, run);
        add_grade_command(app, run);
        add_zone_command(app, run);
        add_stats_command(app, run);
        add_risk_command(app, run);
        add_supply_command(app, run);
        add_isochrone_command(app, run);
        add_coverage_command(app, run);
        add_check_command(app, run);
        add_incident_command(app, run);
        add_dispatch_command(app, run);
        add_team_command(app, run);
        add_stock_command(app, run);
        add_history_command(app, run);
        add_undo_command(app, run);
        add_replay_command(app, run);
        add_brief_command(app, run);
#ifdef VIGIL_HAS_VIEWER
        add_view_command(app, run);
#endif

        fold_number_options(app);
        try {
            app.parse(argc, argv);
        } catch (const CLI::ParseError& e) {
            int code = app.exit(e);
            return code == 0 ? 0 : int{k_exit_usage};
        }
        return run ? run() : int{k_exit_usage};
    });
}
