// vigil serve: the browser build of the viewer and a read-only snapshot of a project database
// over HTTP (web/server, docs/server.md); with --editors, signed-in users also edit; with
// --cert/--key, over HTTPS. Prints one line, "Serving http://ADDR:PORT/ (...)" (https:// with
// TLS), that tools/run.sh and the tests read, then serves until SIGINT or SIGTERM.

#include "cli_common.hpp"

#include <vigil/native/edit_store.hpp>
#include <vigil/util/error.hpp>
#include <vigil/util/i18n.hpp>
#include <vigil/web/server.hpp>

#include <csignal>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <memory>

#include <pthread.h>

namespace vigil::cli {

void add_serve_command(CLI::App& app, Runner& run) {
    struct ServeArgs {
        std::string db, bind = "127.0.0.1", tiles, web_dir, editors, cert, key;
        int port = 8080;
        bool insecure_http = false;
    };
    auto a = std::make_shared<ServeArgs>(); // owned by the callbacks, not a function-local static
    auto* cmd = app.add_subcommand("serve", tr("Serve the browser viewer and a read-only snapshot of a project database over HTTP, pushing "
                                               "its committed changes to open pages"));
    cmd->add_option("DB", a->db, tr("Project database"))->required();
    cmd->add_option("--port", a->port, tr("TCP port; 0 picks a free one"))->check(CLI::Range(0, 65535));
    cmd->add_option("--bind", a->bind, tr("Address to listen on: 127.0.0.1 is this machine only, 0.0.0.0 every network it is on"));
    cmd->add_option("--tiles", a->tiles, tr("Raster basemap to serve: an MBTiles file"));
    cmd->add_option("--web", a->web_dir, tr("The browser build (default: $VIGIL_WEB, else the build's build-wasm/web)"));
    cmd->add_option(
           "--editors", a->editors,
           tr("Who may sign in and edit from a browser: an editors file made by `vigil user add` (without it the server only reads)"))
        ->check(CLI::ExistingFile);
    auto* cert_option =
        cmd->add_option("--cert", a->cert, tr("TLS: serve HTTPS with this certificate (PEM, then any intermediates); needs --key"))
            ->check(CLI::ExistingFile);
    auto* key_option = cmd->add_option("--key", a->key, tr("TLS: the certificate's private key (PEM, unencrypted); needs --cert"))
                           ->check(CLI::ExistingFile);
    cert_option->needs(key_option);
    key_option->needs(cert_option);
    cmd->add_flag("--insecure-http", a->insecure_http,
                  tr("Allow sign-in and edits over plain HTTP on a network address (passwords and cookies then cross it in clear)"));
    cmd->callback([&run, a] {
        run = [a] {
            const auto& [db, bind, tiles, web_dir, editors, cert, key, port, insecure_http] = *a;
            if (!std::filesystem::exists(db)) throw IoError(trf("database '{}' does not exist", db));
            web::ServerOptions o;
            o.database = db;
            o.web_dir = web_dir.empty() ? web::default_web_dir() : std::filesystem::path(web_dir);
            o.tiles = tiles;
            o.bind_address = bind;
            o.port = port;
            o.editors = editors;
            o.insecure_http = insecure_http;
            o.tls_cert = cert;
            o.tls_key = key;
            if (!editors.empty()) {
                o.open_edit_store = [db] { return native::SpatialiteEditStore::open(db, load_catalog()); };
                o.make_brief = [db](const std::string& incident) { return incident_brief_pdf(db, incident); };
            }
            if (!globals().quiet) o.access_log = web::stderr_log();

            // Ctrl-C and SIGTERM are blocked here, before the server starts its threads (they
            // inherit the mask), and taken below with sigtimedwait: the shutdown then runs on
            // this thread as ordinary code, not in a signal handler.
            sigset_t signals;
            sigemptyset(&signals);
            sigaddset(&signals, SIGINT);
            sigaddset(&signals, SIGTERM);
            pthread_sigmask(SIG_BLOCK, &signals, nullptr);

            web::Server server(std::move(o));
            server.start();
            // Scripts find the address as the first http(s)://…/ of this line, in either language.
            const std::string serving = editors.empty()
                                            ? trf("Serving {} (read-only snapshot of {})", server.url(), db)
                                            : trf("Serving {} (snapshot, edits by the users of --editors of {})", server.url(), db);
            std::printf("%s\n", serving.c_str());
            std::fflush(stdout);

            const timespec tick{0, 500 * 1000 * 1000};
            for (;;) {
                int sig = sigtimedwait(&signals, nullptr, &tick);
                if (sig == SIGINT || sig == SIGTERM) {
                    if (!globals().quiet)
                        std::fprintf(
                            stderr, "vigil serve: %s\n", // i18n: not shown: the command's name before its message
                            (sig == SIGINT ? std::string(tr("interrupted, stopping")) : std::string(tr("terminated, stopping"))).c_str());
                    break;
                }
                if (!server.running()) throw IoError(tr("the server stopped accepting connections"));
            }
            server.stop();
            return static_cast<int>(k_exit_ok);
        };
    });
}

} // namespace vigil::cli
