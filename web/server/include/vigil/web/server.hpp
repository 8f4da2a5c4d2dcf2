/// @file
/// `vigil serve`: a small read-only HTTP server for the browser build of the viewer.
///
/// It serves four things and nothing else (docs/server.md has the full URL contract):
///  - the files of a web folder (the Emscripten build: index.html, vigil.js, vigil.wasm, fonts),
///    scanned into memory with a precompressed gzip copy, rescanned when the folder changes;
///  - a project database as a consistent snapshot (`VACUUM INTO` a private temporary file, never
///    the live file), refreshed when the database changes, with a manifest describing it;
///  - the project's committed changes, pushed to open pages as Server-Sent Events
///    (GET /data/changes?after=SEQ): the changed records as deltas, a new snapshot after an import;
///  - optionally the raster tiles of an MBTiles file.
///
/// Nothing a client sends can change a file: requests are bounded, and files are looked up in an
/// in-memory table, so no request path ever reaches the file system. Only GET and HEAD exist,
/// unless the server is given editors (`--editors FILE`): then users of that file sign in and
/// post edit commands (POST /api/…, docs/server.md "Editing from a browser"), each one run by
/// the edit service as that user, audited; everyone else still only reads.
///
/// @attention Native only: links zlib, OpenSSL (libssl, libcrypto) and SQLite (target
/// vigil_web_server). Never include this from vigil_core.
#pragma once

#include <vigil/app/edits.hpp>

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace vigil::web {

/// Receives one log line at a time (no trailing newline). Called from the server's threads, one call
/// at a time per line; the sink must be thread-safe if it keeps state.
using LogSink = std::function<void(std::string_view line)>;

/// A LogSink writing to stderr, one fwrite per line (lines from threads never interleave).
LogSink stderr_log();

/// The web folder used when none is given: $VIGIL_WEB if set, else the build's default
/// (CMake cache variable VIGIL_DEFAULT_WEB_DIR, normally build-wasm/web in the source tree).
std::filesystem::path default_web_dir();

struct ServerOptions {
    std::filesystem::path database; ///< the project database (any SQLite file); required
    std::filesystem::path web_dir;  ///< must hold index.html
    std::filesystem::path tiles;    ///< an MBTiles file; empty = no /data/tiles/
    std::string bind_address = "127.0.0.1";
    int port = 8080; ///< 0 = any free port (see Server::port())
    /// Worker threads for answers that read a file while answering (tiles); 0 = sized to the
    /// machine (2 per core, at least 4, at most 32). Connections never hold a worker while they
    /// wait: an I/O thread (epoll) owns every connection.
    std::size_t threads = 0;
    /// Connections open at once; 0 = 4096 (less when RLIMIT_NOFILE is lower). At the limit a new
    /// connection closes the one idle the longest, or gets 503 when none is idle.
    std::size_t max_connections = 0;
    /// Connections open at once from one client address; 0 = 512. At the limit a new one closes
    /// that client's connection idle the longest, or gets 503.
    std::size_t max_connections_per_client = 0;
    /// How often the database and the web folder are checked for changes.
    std::chrono::milliseconds watch_interval{1000};
    /// How often the project's change sequence is looked at (PRAGMA data_version: microseconds)
    /// for changes to push to the open pages (GET /data/changes, Server-Sent Events).
    std::chrono::milliseconds live_interval{100};
    /// Who may sign in and edit (web/editors.hpp); empty: nobody, the server only reads.
    std::filesystem::path editors;
    /// Opens the project for edits (`vigil serve`: native::SpatialiteEditStore); none: sign-in
    /// works, edits are refused (503).
    std::function<std::unique_ptr<app::EditStore>()> open_edit_store;
    /// Makes an incident's brief as PDF bytes (`vigil serve`: the project and tools/brief), for
    /// signed-in pages (GET /api/brief?incident=ID); none: that address answers 503.
    std::function<std::string(const std::string& incident)> make_brief;
    /// Bound beyond loopback without TLS, sign-in and edits are refused (a password and a session
    /// cookie would cross the network in clear) unless this is set (`--insecure-http`).
    bool insecure_http = false;
    /// TLS (`--cert`/`--key`, docs/server.md "TLS"): the certificate (PEM, then any
    /// intermediates) and its private key (PEM, unencrypted). Both or neither; with them every
    /// connection is HTTPS, the session cookie is Secure and answers carry HSTS.
    std::filesystem::path tls_cert, tls_key;
    /// One line per request; empty = no access log (`vigil -q serve`).
    LogSink access_log;
    /// Problems that do not stop the server (a failed snapshot refresh, a skipped web file).
    LogSink error_log = stderr_log();
};

/// The server. Construction checks the inputs and prepares the first snapshot (so a bad database
/// or web folder fails before anything listens); start() binds and serves on background threads.
class Server {
public:
    /// Throws vigil::UsageError (a TLS certificate without its key or the reverse),
    /// vigil::IoError (missing database, web folder without index.html, unreadable files, a TLS
    /// certificate or key OpenSSL cannot use: naming the file and OpenSSL's reason),
    /// vigil::FormatError (a database or MBTiles file that is not SQLite) or
    /// vigil::DatabaseError (the first snapshot failed).
    explicit Server(ServerOptions options);
    ~Server(); ///< stop()s and deletes the temporary folder of the snapshots
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    /// Binds to options.bind_address:options.port and starts serving. Throws vigil::IoError
    /// when the address cannot be bound (port in use, no such address).
    void start();
    /// Stops accepting, closes every connection (an answer being written is cut, one being
    /// prepared on a worker is finished and dropped), joins every thread. Idempotent; safe to call from any thread.
    void stop();
    bool running() const;

    /// The bound port (the chosen one when options.port was 0); 0 before start().
    int port() const;
    /// "http://ADDR:PORT/", "https://…" with TLS (IPv6 addresses in brackets).
    std::string url() const;
    const ServerOptions& options() const;

    /// Checks the database and the web folder for changes now and refreshes what changed, as
    /// the watcher thread does every watch_interval. Returns true when a new database snapshot
    /// was made. Throws what a failed refresh throws (the previous snapshot stays in service).
    bool refresh();

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace vigil::web
