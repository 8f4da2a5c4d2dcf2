// vigil: the lean front of the command line. It answers the one-shot read-only questions
// (nearest, within, layers, imports, catalog, check) itself, linked with the core and SQLite alone, and
// hands every other command line to the full program, vigil-full, beside it, with execv: the same
// argv (argv[0] included, so usage lines read the same), the same environment, the same process.
//
// Why: a cold `vigil nearest` at 1M records cost 530 ms wall / 182 ms CPU when this program was
// the full one, of which ~160 ms CPU was the dynamic loader mapping and relocating the ~130 shared
// libraries GDAL, PROJ, SpatiaLite, GEOS and the viewer pull in, before main(); the question itself
// costs ~23 ms CPU (bench/cold_query_core). See docs/benchmarks.md "Cold one-shot questions".
//
// What stays the same: the front registers its commands from the same sources as the full
// program (cmd_query.cpp, cmd_info.cpp, cmd_check.cpp) under the same top (cli_main.hpp), so a command line it
// accepts runs exactly as vigil-full would run it. Anything its parser does not accept (another
// command, --help, --version, no command, a wrong option) goes to vigil-full untouched, which
// prints the full listing or the very error message it always printed.

#include "cli_main.hpp"
#include "installed_layout.hpp"

#include <vigil/util/i18n.hpp>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <string>
#include <system_error>
#include <unistd.h>

namespace {

// The full program: vigil-full in the folder of this program's real file (symlinks resolved), in
// the build tree and in an installation alike (cmake/VigilInstall.cmake puts both in bin/).
std::filesystem::path full_program() {
    std::error_code ec;
    const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (ec || self.empty()) return "vigil-full";
    return self.parent_path() / "vigil-full";
}

// Replaces this process with vigil-full and the same argv; returns only when that fails.
int hand_on(char** argv) {
    const auto full = full_program();
    ::execv(full.c_str(), argv);
    const int err = errno;
    std::cerr << "vigil: "
              << vigil::trf("cannot start the full program {} ({}); it is installed beside this one, as vigil-full", full.string(),
                            std::strerror(err))
              << "\n";
    return vigil::cli::k_exit_error;
}

} // namespace

int main(int argc, char** argv) {
    using namespace vigil::cli;
    return with_error_messages([&] {
        choose_language(argc, argv);
        CLI::App app;
        configure_app(app);
        Runner run;
        add_nearest_command(app, run);
        add_within_command(app, run);
        add_layers_command(app, run);
        add_imports_command(app, run);
        add_catalog_command(app, run);
        add_check_command(app, run);
        fold_number_options(app);
        try {
            app.parse(argc, argv);
        } catch (const CLI::ParseError&) {
            return hand_on(argv); // the full program prints help, version or the error itself
        }
        if (!run) return hand_on(argv);
        // Only now, when this process answers: set before the hand-off, the installed folders
        // would reach vigil-full as the user's own environment (`vigil paths` says which is which).
        use_installed_layout();
        return run();
    });
}
