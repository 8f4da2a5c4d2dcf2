#include <vigil/web/server.hpp>

#include "change_log.hpp"
#include "edit_api.hpp"
#include "event_loop.hpp"
#include "http_rules.hpp"
#include "snapshot.hpp"
#include "static_files.hpp"
#include "tiles.hpp"
#include "tls.hpp"

#include <vigil/app/live.hpp>
#include <vigil/store/change_feed.hpp>
#include <vigil/util/error.hpp>
#include <vigil/util/i18n.hpp>
#include <vigil/util/text.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <unistd.h>

namespace vigil::web {

// The server's Chinese texts (web/po/zh_CN.po, embedded by CMake).
std::span<const unsigned char> messages_zh_CN();

LogSink stderr_log() {
    return [](std::string_view line) {
        std::string out(line);
        out += '\n';
        std::fwrite(out.data(), 1, out.size(), stderr);
    };
}

std::filesystem::path default_web_dir() {
    if (const char* env = std::getenv("VIGIL_WEB"); env && *env) return env;
    return VIGIL_DEFAULT_WEB_DIR;
}

namespace detail {

namespace {

using Clock = std::chrono::steady_clock;

constexpr std::string_view k_csp = // i18n: not shown: a header the browser reads
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data: blob:; "
    "font-src 'self'; connect-src 'self'; worker-src 'self' blob:; object-src 'none'; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'";
constexpr std::string_view k_allow = "GET, HEAD"; // i18n: not shown: a header
constexpr std::string_view k_tiles_prefix = "/data/tiles/";
constexpr std::string_view k_changes_path = "/data/changes";
constexpr std::string_view k_tile_cache = "public, max-age=3600"; // i18n: not shown: a header

bool is_loopback_address(std::string_view addr) { return addr == "localhost" || addr == "::1" || addr.starts_with("127."); }

bool is_wildcard_address(std::string_view addr) { return addr.empty() || addr == "0.0.0.0" || addr == "::" || addr == "0:0:0:0:0:0:0:0"; }

// The names a client on the network may use for this machine in Host: every address of its
// interfaces (bound to all of them) or the bound address, and the host name (plain and mDNS
// ".local"). Nothing is looked up in DNS: a name the resolver maps here is exactly what a
// rebinding attacker controls.
std::vector<std::string> own_host_names(const std::string& bind) {
    std::vector<std::string> names;
    if (is_wildcard_address(bind)) {
        ifaddrs* list = nullptr;
        if (::getifaddrs(&list) == 0) {
            for (auto* a = list; a; a = a->ifa_next) {
                if (!a->ifa_addr) continue;
                std::array<char, INET6_ADDRSTRLEN> buf{};
                if (a->ifa_addr->sa_family == AF_INET)
                    ::inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(a->ifa_addr)->sin_addr, buf.data(), buf.size());
                else if (a->ifa_addr->sa_family == AF_INET6)
                    ::inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(a->ifa_addr)->sin6_addr, buf.data(), buf.size());
                if (buf[0]) names.emplace_back(buf.data());
            }
            ::freeifaddrs(list);
        }
    } else {
        names.push_back(bind);
    }
    std::array<char, 256> host{};
    if (::gethostname(host.data(), host.size() - 1) == 0 && host[0]) {
        names.emplace_back(host.data());
        names.emplace_back(std::string(host.data()) + ".local");
    }
    return names;
}

std::string url_host(const std::string& addr) { return addr.find(':') != std::string::npos ? "[" + addr + "]" : addr; }

// A body that lives as long as `owner`: the answer is written straight from it.
void set_body(Response& res, std::string_view bytes, std::string_view mime, std::shared_ptr<const void> owner) {
    res.set_header("Content-Type", std::string(mime));
    res.body = bytes;
    res.owner = std::move(owner);
}

void set_text(Response& res, int status, std::string_view message) {
    res.status = status;
    res.set_header("Cache-Control", "no-store");
    res.set_header("Content-Type", "text/plain; charset=utf-8");
    res.set_body(std::to_string(status) + " " + std::string(reason_phrase(status)) + ": " + std::string(message) + "\n");
}

// The change sequence number a page asks to follow from: `after=N` in the query or the
// Last-Event-ID an EventSource sends when it reconnects (the larger). 0 when neither says.
std::int64_t changes_after(const ParsedHead& req) {
    std::int64_t after = 0;
    const std::string_view target = req.target;
    if (auto q = target.find('?'); q != std::string_view::npos) {
        std::string_view query = target.substr(q + 1);
        while (!query.empty()) {
            const auto amp = query.find('&');
            const auto pair = query.substr(0, amp);
            if (pair.starts_with("after="))
                if (auto n = parse_decimal(pair.substr(6), std::uint64_t{1} << 62)) after = std::max(after, static_cast<std::int64_t>(*n));
            query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
        }
    }
    if (const auto* id = req.field("Last-Event-ID"))
        if (auto n = parse_decimal(*id, std::uint64_t{1} << 62)) after = std::max(after, static_cast<std::int64_t>(*n));
    return after;
}

// One page's stream: the log's events after its cursor.
class PageStream final : public Stream {
public:
    PageStream(std::shared_ptr<const ChangeLog> log, std::int64_t cursor) : m_log(std::move(log)), m_cursor(cursor) {}
    std::string pull() override { return m_log->since(m_cursor); }

private:
    std::shared_ptr<const ChangeLog> m_log;
    std::int64_t m_cursor;
};

// The feed of the project, or none for a database that is not a Vigil project (any SQLite file
// can be served; it is then simply not followed). One without a change sequence yet is followed
// from the commit that brings it (the feed looks again after each commit).
std::unique_ptr<store::ChangeFeed> open_feed(const std::filesystem::path& database, std::string* why_not = nullptr) {
    try {
        return std::make_unique<store::ChangeFeed>(database);
    } catch (const std::exception& e) {
        if (why_not) *why_not = e.what();
        return nullptr;
    }
}

} // namespace

/// Everything behind Server: the file table, the snapshots, the tiles, the connection loop, the watcher.
class ServerCore {
public:
    explicit ServerCore(ServerOptions options);
    ~ServerCore() { stop(); }

    void start();
    void stop();
    bool running() const { return m_engine && m_engine->running(); }
    int port() const { return m_port; }
    std::string url() const {
        return std::string(m_tls ? "https://" : "http://") + url_host(m_options.bind_address) + ":" + std::to_string(m_port) + "/";
    }
    const ServerOptions& options() const { return m_options; }
    bool refresh();

private:
    Response handle(const ParsedHead& req);
    /// The Host check of every request; a refusal, or none.
    std::optional<Response> refuse_host(const ParsedHead& req) const;
    Response answer_post(const ParsedHead& req, const std::string& body, const std::string& ip);
    void route(const ParsedHead& req, Response& res);
    Response answer(const ParsedHead& req, const std::string& ip);
    void serve_static(const ParsedHead& req, Response& res, const std::string& path);
    void serve_manifest(const ParsedHead& req, Response& res);
    void serve_snapshot(const ParsedHead& req, Response& res);
    void serve_changes(const ParsedHead& req, Response& res);
    void serve_tile(const ParsedHead& req, Response& res, std::string_view rest);
    // The representation: gzip when there is a copy and the client takes it; 304 when the
    // client has it (either coding: If-None-Match uses weak comparison).
    void send(const ParsedHead& req, Response& res, std::string_view mime, const std::string& hash, std::string_view identity,
              std::string_view gzip, std::string_view cache_control, std::shared_ptr<const void> owner);

    std::shared_ptr<const StaticFiles> files() const {
        std::lock_guard lock(m_files_mutex);
        return m_files;
    }
    void note(const std::string& line) const {
        if (m_options.access_log) m_options.access_log(line);
    }
    void problem(const std::string& line) const {
        if (m_options.error_log) m_options.error_log(line);
    }
    void log_request(const AccessEntry& entry) const;
    /// Runs `step` every `interval` on the calling thread until stop().
    void every(std::chrono::milliseconds interval, const std::function<void()>& step);
    void watch();
    void follow();
    void refresh_snapshot_now();
    /// The warning of a server bound beyond loopback: who can reach it, and what that allows.
    void warn_reachable(const std::string& bind) const;

    ServerOptions m_options;
    std::shared_ptr<const TlsContext> m_tls; ///< --cert/--key; null: plain HTTP
    ConnectionLimits m_limits;
    HeaderList m_standard_headers;
    HostPolicy m_hosts;
    std::string m_database_name;

    mutable std::mutex m_files_mutex;
    std::shared_ptr<const StaticFiles> m_files;
    std::mutex m_web_refresh_mutex;        ///< one web folder check at a time (watcher, refresh())
    std::string m_refused_web_fingerprint; ///< a folder state already found unusable
    // The feed is opened before the first snapshot is made: the snapshot then holds every change
    // up to the feed's cursor (or more), so a page following from its snapshot misses nothing.
    std::string m_not_followed;                ///< why there is no feed (not a Vigil project), said once at start
    std::unique_ptr<store::ChangeFeed> m_feed; ///< read by the follower thread only
    std::shared_ptr<ChangeLog> m_changes;      ///< what the pages are pushed
    SnapshotMaker m_snapshots;
    std::unique_ptr<TileSource> m_tiles;
    std::unique_ptr<EditApi> m_edit_api; ///< with --editors only

    std::unique_ptr<HttpEngine> m_engine;
    std::size_t m_io_threads = 1;
    int m_port = 0;
    std::mutex m_stop_mutex;

    std::thread m_watcher;
    std::thread m_follower;
    std::mutex m_watch_mutex;
    std::condition_variable m_watch_cv;
    bool m_watch_stop = false;
};

namespace {

// Both files or neither, loaded before anything else is prepared: a bad one fails at once.
std::shared_ptr<const TlsContext> load_tls(const ServerOptions& o) {
    if (o.tls_cert.empty() && o.tls_key.empty()) return nullptr;
    if (o.tls_cert.empty() || o.tls_key.empty())
        throw UsageError(o.tls_cert.empty() ? tr("a TLS key was given without its certificate (--cert)")
                                            : tr("a TLS certificate was given without its key (--key)"));
    return std::make_shared<const TlsContext>(o.tls_cert, o.tls_key);
}

} // namespace

ServerCore::ServerCore(ServerOptions options)
    : m_options(std::move(options)), m_tls(load_tls(m_options)), m_database_name(m_options.database.filename().string()),
      m_files(StaticFiles::scan(m_options.web_dir, m_options.error_log)), m_feed(open_feed(m_options.database, &m_not_followed)),
      m_changes(std::make_shared<ChangeLog>(m_feed ? m_feed->cursor() : 0)), m_snapshots(m_options.database) {
    if (!m_options.tiles.empty()) m_tiles = std::make_unique<TileSource>(m_options.tiles);
    if (m_options.port < 0 || m_options.port > 65535) throw UsageError(trf("port {} is not 0..65535", m_options.port));

    const auto& bind = m_options.bind_address;
    if (!is_loopback_address(bind)) {
        // Bound beyond loopback, Host must still name this machine: without the check, any web
        // page whose name an attacker points at this machine's address could read the project
        // through a browser on the network (DNS rebinding).
        m_hosts = HostPolicy(own_host_names(bind));
        warn_reachable(bind);
    }
    if (!m_options.editors.empty()) {
        EditApiOptions api;
        api.editors = m_options.editors;
        api.open_store = m_options.open_edit_store;
        api.make_brief = m_options.make_brief;
        api.secure_cookie = m_tls != nullptr;
        if (!is_loopback_address(bind) && !m_tls && !m_options.insecure_http)
            api.refused = tr("sign-in and edits need TLS on a network address (--cert/--key, or --insecure-http)");
        api.note = [this](const std::string& line) { note(line); };
        api.problem = [this](const std::string& line) { problem(line); };
        m_edit_api = std::make_unique<EditApi>(std::move(api));
    }

    m_standard_headers = {
        {"Content-Security-Policy", std::string(k_csp)},
        {"X-Content-Type-Options", "nosniff"},
        {"Referrer-Policy", "no-referrer"},
        // Cross-origin isolation: the browser viewer runs WebAssembly threads (shared memory),
        // which browsers allow only to pages with both of these.
        {"Cross-Origin-Opener-Policy", "same-origin"},
        {"Cross-Origin-Embedder-Policy", "require-corp"},
        {"Cross-Origin-Resource-Policy", "same-origin"},
        {"Vary", "Accept-Encoding"},
        {"Accept-Ranges", "none"},
    };
    // Over TLS, a browser that was here once comes back only over TLS for a year, even when a
    // link or a typed address says http://.
    if (m_tls) m_standard_headers.emplace_back("Strict-Transport-Security", "max-age=31536000");
    if (m_options.max_connections) m_limits.max_connections = m_options.max_connections;
    // For measurements only (docs/server.md, Figures): more I/O threads, each with its own epoll
    // set; the connection limits are then enforced per thread for evictions.
    if (const char* io = std::getenv("VIGIL_SERVE_IO_THREADS"); io && *io)
        m_io_threads = std::clamp<std::size_t>(parse_decimal(io, 64).value_or(1), 1, 64);
    if (m_options.max_connections_per_client) m_limits.max_per_client = m_options.max_connections_per_client;
}

void ServerCore::warn_reachable(const std::string& bind) const {
    // Whole sentences: where it listens (every address, or one) and what crosses the network. One
    // line each: tests/i18n reads a message as one literal.
    // clang-format off
    const std::string scope = is_wildcard_address(bind) ? trf("{} (every address of this machine): every network it is on", url_host(bind))
                                                        : trf("{}: every network that reaches this address", url_host(bind));
    std::string warning;
    if (m_tls && m_options.editors.empty())
        warning = trf("serve: warning: listening on {} can reach the server, which is served over TLS ({}) and takes no edits; only requests naming this machine (Host: one of its addresses or its host name) are answered",
                      scope, m_options.tls_cert.string());
    else if (m_tls)
        warning = trf("serve: warning: listening on {} can reach the server, which is served over TLS ({}): sign-in and edits are allowed; only requests naming this machine (Host: one of its addresses or its host name) are answered",
                      scope, m_options.tls_cert.string());
    else if (m_options.editors.empty())
        warning = trf("serve: warning: listening on {} can reach the server, which has no TLS and takes no edits; only requests naming this machine (Host: one of its addresses or its host name) are answered",
                      scope);
    else if (m_options.insecure_http)
        warning = trf("serve: warning: listening on {} can reach the server, which has no TLS: passwords and session cookies cross it in clear (--insecure-http); only requests naming this machine (Host: one of its addresses or its host name) are answered",
                      scope);
    else
        warning = trf("serve: warning: listening on {} can reach the server, which has no TLS: sign-in and edits are refused (give --cert/--key, or --insecure-http to allow them); only requests naming this machine (Host: one of its addresses or its host name) are answered",
                      scope);
    // clang-format on
    problem(warning);
}

void ServerCore::start() {
    if (m_engine) return;
    HttpHandlers handlers;
    handlers.answer = [this](const ParsedHead& head, const std::string& ip) { return answer(head, ip); };
    // Only tiles and an incident's log read a file (SQLite) while answering; everything else is in memory.
    handlers.on_worker = [this](const ParsedHead& head) {
        return (m_tiles && head.target.starts_with(k_tiles_prefix)) ||
               (m_edit_api && (head.target.starts_with("/api/incidents/") || head.target.starts_with("/api/audit") ||
                               head.target.starts_with("/api/brief")));
    };
    if (m_edit_api) {
        handlers.takes_body = [](const ParsedHead& head) { return EditApi::takes_body(head); };
        handlers.answer_body = [this](const ParsedHead& head, std::string body, const std::string& ip) {
            return answer_post(head, body, ip);
        };
        handlers.allow = "GET, HEAD, POST"; // i18n: not shown: a header
    }
    handlers.log = [this](const AccessEntry& e) { log_request(e); };
    handlers.problem = [this](const std::string& line) { problem(line); };
    handlers.standard_headers = m_standard_headers;
    const std::size_t cores = std::max<std::size_t>(1, std::thread::hardware_concurrency());
    std::size_t workers = m_options.threads;
    if (workers == 0) workers = std::clamp<std::size_t>(2 * cores, 4, 32);
    // One I/O thread: answers from memory take microseconds, and one loop sees every connection,
    // so the limits are exact (the idle connection evicted at a limit may be any of them).
    // Measured against one loop per core: docs/server.md, Figures.
    auto engine = std::make_unique<HttpEngine>(m_limits, std::move(handlers), m_io_threads, workers, m_tls);
    m_port = engine->listen(m_options.bind_address, m_options.port);
    engine->start();
    m_engine = std::move(engine);
    m_watcher = std::thread([this] { watch(); });
    if (m_feed) m_follower = std::thread([this] { follow(); });
    else problem(trf("changes: {} is served without live changes (open pages keep their snapshot): {}", m_database_name, m_not_followed));
}

void ServerCore::stop() {
    std::lock_guard lock(m_stop_mutex);
    if (m_engine) m_engine->stop();
    {
        std::lock_guard watch_lock(m_watch_mutex);
        m_watch_stop = true;
    }
    m_watch_cv.notify_all();
    if (m_watcher.joinable()) m_watcher.join();
    if (m_follower.joinable()) m_follower.join();
}

bool ServerCore::refresh() {
    std::unique_lock web_lock(m_web_refresh_mutex);
    auto fingerprint = StaticFiles::fingerprint_of(m_options.web_dir);
    if (fingerprint != files()->fingerprint() && fingerprint != m_refused_web_fingerprint) {
        try {
            auto table = StaticFiles::scan(m_options.web_dir, m_options.error_log);
            note(trf("web: {} changed: {} files, {} bytes", m_options.web_dir.string(), table->size(), table->total_bytes()));
            std::lock_guard lock(m_files_mutex);
            m_files = std::move(table);
            m_refused_web_fingerprint.clear();
        } catch (const Error& e) {
            // Typically a build replacing the folder: keep serving the last complete one.
            m_refused_web_fingerprint = fingerprint;
            problem(trf("web: still serving the previous files: {}", e.what()));
        }
    }
    web_lock.unlock();
    if (m_edit_api) m_edit_api->reload_if_changed();
    bool made = m_snapshots.refresh();
    if (made) {
        auto s = m_snapshots.current();
        note(trf("snapshot: {} changed: new snapshot of {} bytes, etag {}", m_database_name, s->bytes().size(), make_etag(s->hash, false)));
    }
    return made;
}

void ServerCore::every(std::chrono::milliseconds interval, const std::function<void()>& step) {
    std::unique_lock lock(m_watch_mutex);
    while (!m_watch_stop) {
        m_watch_cv.wait_for(lock, interval, [this] { return m_watch_stop; });
        if (m_watch_stop) break;
        lock.unlock();
        step();
        lock.lock();
    }
}

void ServerCore::watch() {
    std::string last_error;
    auto last_logged = Clock::now();
    every(m_options.watch_interval, [&] {
        try {
            refresh();
            last_error.clear();
        } catch (const std::exception& e) {
            // Retried at every check; said again only when the reason changes, or each minute.
            std::string why = e.what();
            if (why != last_error || Clock::now() - last_logged > std::chrono::minutes(1)) {
                problem(trf("snapshot: refresh failed, still serving the snapshot of {}: {}", m_snapshots.current()->time, why));
                last_error = why;
                last_logged = Clock::now();
            }
        }
    });
}

void ServerCore::follow() {
    // PRAGMA data_version costs microseconds: the database is looked at every live_interval, so a
    // committed edit reaches the pages well within a second.
    std::string last_error;
    every(m_options.live_interval, [&] {
        try {
            if (!m_feed->poll()) return;
            auto delta = app::read_delta(*m_feed);
            if (!delta) return;
            const bool bulk = std::any_of(delta->layers.begin(), delta->layers.end(), [](const auto& l) { return l.reload; });
            if (bulk) {
                // An import: the pages fetch a new snapshot, which must hold it first.
                refresh_snapshot_now();
                m_changes->publish_snapshot(delta->last_seq);
            } else {
                m_changes->publish_delta(delta->last_seq, app::live_delta_json(*delta));
            }
            const auto following = m_engine ? m_engine->open_streams() : 0;
            note(bulk ? trf("changes: {} up to #{} (bulk: new snapshot), {} pages following", delta->changes, delta->last_seq, following)
                      : trf("changes: {} up to #{}, {} pages following", delta->changes, delta->last_seq, following));
            if (m_engine) m_engine->notify_streams();
            last_error.clear();
        } catch (const std::exception& e) {
            // The feed's cursor may have moved past what was not sent: the pages fetch a new
            // snapshot rather than miss a change, and the feed starts again.
            std::string why = e.what();
            if (why != last_error) problem(trf("changes: reading the change sequence failed, pages will fetch a new snapshot: {}", why));
            last_error = why;
            try {
                auto feed = open_feed(m_options.database);
                if (feed && feed->followed()) {
                    refresh_snapshot_now();
                    m_changes->publish_snapshot(std::max(feed->cursor(), m_changes->last_seq() + 1));
                    m_feed = std::move(feed);
                    if (m_engine) m_engine->notify_streams();
                }
            } catch (const std::exception&) {
                // Said above; tried again at the next look.
            }
        }
    });
}

void ServerCore::refresh_snapshot_now() {
    if (m_snapshots.refresh(true)) {
        auto s = m_snapshots.current();
        note(trf("snapshot: {} changed in bulk: new snapshot of {} bytes", m_database_name, s->bytes().size()));
    }
}

void ServerCore::log_request(const AccessEntry& e) const {
    if (!m_options.access_log) return;
    auto ms = std::chrono::duration<double, std::milli>(e.elapsed).count();
    std::array<char, 32> elapsed{};
    std::snprintf(elapsed.data(), elapsed.size(), "%.1fms", ms);
    m_options.access_log(iso8601_utc(std::chrono::system_clock::now()) + " " + std::string(e.ip) + " \"" + log_safe(e.method, 16) + " " +
                         log_safe(e.target) + " " + log_safe(e.version, 16) + "\" " + std::to_string(e.status) + " " +
                         (e.bytes.empty() ? std::string("0") : std::string(e.bytes)) + " " + elapsed.data());
}

Response ServerCore::answer(const ParsedHead& req, const std::string& ip) {
    try {
        if (m_edit_api) {
            // The edit API's GETs (who is signed in, an incident's log) after the same checks.
            auto checked = check_target(req.target);
            if (!checked.refusal && EditApi::is_api_path(checked.path) && (req.method == "GET" || req.method == "HEAD")) {
                if (auto refused = refuse_host(req)) return *refused;
                auto q = req.target.find('?');
                return m_edit_api->get(req, checked.path, q == std::string::npos ? std::string() : req.target.substr(q + 1), ip);
            }
        }
        return handle(req);
    } catch (const std::exception& e) {
        problem(trf("serve: internal error on {}: {}", log_safe(req.target), e.what()));
        Response res;
        set_text(res, 500, tr("internal error (logged by the server)"));
        return res;
    }
}

Response ServerCore::handle(const ParsedHead& req) {
    Response res;
    // The connection loop only passes GET and HEAD; this is the second line.
    if (req.method != "GET" && req.method != "HEAD") {
        res.set_header("Allow", std::string(k_allow));
        set_text(res, 405, trf("this server is read-only: only {} and {}", "GET", "HEAD"));
        return res;
    }
    if (auto refused = refuse_host(req)) return *refused;
    route(req, res);
    return res;
}

std::optional<Response> ServerCore::refuse_host(const ParsedHead& req) const {
    Response res;
    auto hosts = req.count("Host");
    if (hosts > 1 || (hosts == 0 && req.version == "HTTP/1.1")) {
        set_text(res, 400, trf("exactly one {} header is required", "Host"));
        return res;
    }
    if (hosts == 1 && !m_hosts.allows(*req.field("Host"))) {
        set_text(res, 403,
                 m_hosts.names().empty()
                     ? trf("this server answers only to {} (protection against DNS rebinding)", "localhost / 127.0.0.1 / [::1]")
                     : tr("this server answers only to this machine's addresses and host name (protection against DNS rebinding)"));
        return res;
    }
    return std::nullopt;
}

Response ServerCore::answer_post(const ParsedHead& req, const std::string& body, const std::string& ip) {
    try {
        if (auto refused = refuse_host(req)) return *refused;
        auto checked = check_target(req.target);
        Response res;
        if (checked.refusal) {
            set_text(res, checked.refusal->status, checked.refusal->reason);
            return res;
        }
        return m_edit_api->post(req, checked.path, body, ip);
    } catch (const std::exception& e) {
        problem(trf("serve: internal error on {}: {}", log_safe(req.target), e.what()));
        Response res;
        set_text(res, 500, tr("internal error (logged by the server)"));
        return res;
    }
}

void ServerCore::route(const ParsedHead& req, Response& res) {
    auto checked = check_target(req.target);
    if (checked.refusal) return set_text(res, checked.refusal->status, checked.refusal->reason);
    const auto& path = checked.path;
    if (path == "/data/manifest.json") return serve_manifest(req, res);
    if (path == "/data/project.sqlite") return serve_snapshot(req, res);
    if (path == k_changes_path) return serve_changes(req, res);
    if (path.starts_with(k_tiles_prefix)) return serve_tile(req, res, std::string_view(path).substr(k_tiles_prefix.size()));
    if (path == "/data" || path.starts_with("/data/")) return set_text(res, 404, tr("no such data"));
    if (EditApi::is_api_path(path)) return set_text(res, 404, tr("no edit API: the server was started without --editors"));
    serve_static(req, res, path);
}

void ServerCore::serve_changes(const ParsedHead& req, Response& res) {
    res.status = 200;
    res.set_header("Content-Type", "text/event-stream; charset=utf-8");
    res.set_header("Cache-Control", "no-store");
    // "retry": an EventSource that lost the connection tries again after a second, sending the
    // id of the last event it got (Last-Event-ID), and is sent what it missed.
    res.set_body("retry: 1000\n\n");
    res.stream = std::make_shared<PageStream>(m_changes, changes_after(req));
}

void ServerCore::serve_static(const ParsedHead& req, Response& res, const std::string& path) {
    auto table = files();
    // "/" is index.html; any other path ending in '/' names a folder, and folders are never listed.
    const StaticFile* file = path == "/" ? table->find("index.html") : path.ends_with('/') ? nullptr : table->find(path.substr(1));
    if (!file) return set_text(res, 404, tr("no such file"));
    send(req, res, file->mime_type, file->hash, file->content, file->gzip, "no-cache", std::shared_ptr<const void>(table, file));
}

void ServerCore::serve_manifest(const ParsedHead& req, Response& res) {
    auto snapshot = m_snapshots.current();
    nlohmann::ordered_json j;
    j["name"] = m_database_name;
    j["size"] = snapshot->bytes().size();
    j["etag"] = make_etag(snapshot->hash, false);
    j["snapshot_time"] = snapshot->time;
    j["read_only"] = !m_edit_api;
    if (m_tiles) {
        const auto& info = m_tiles->info();
        j["tiles"] = {{"format", info.format},
                      {"minzoom", info.minzoom},
                      {"maxzoom", info.maxzoom},
                      {"bounds", info.bounds},
                      {"url", std::string(k_tiles_prefix) + "{z}/{x}/{y}"}};
    } else {
        j["tiles"] = nullptr;
    }
    auto body = std::make_shared<const std::string>(j.dump(2) + "\n");
    send(req, res, "application/json", content_hash(*body), *body, {}, "no-cache", body);
}

void ServerCore::serve_snapshot(const ParsedHead& req, Response& res) {
    // The download holds this snapshot (through the body's owner) until its last byte, however
    // many newer ones are made meanwhile.
    auto snapshot = m_snapshots.current();
    send(req, res, "application/vnd.sqlite3", snapshot->hash, snapshot->bytes(), snapshot->gzip, "no-cache", snapshot);
}

void ServerCore::serve_tile(const ParsedHead& req, Response& res, std::string_view rest) {
    if (!m_tiles) return set_text(res, 404, tr("no tiles: the server was started without --tiles"));
    auto parts = text::split(rest, '/');
    if (parts.size() != 3) return set_text(res, 400, trf("expected {}", "/data/tiles/{z}/{x}/{y}"));
    auto z = parse_decimal(parts[0], TileSource::k_max_zoom);
    if (!z) return set_text(res, 400, trf("zoom must be a whole number 0..{}", TileSource::k_max_zoom));
    const std::uint64_t last = (std::uint64_t{1} << *z) - 1;
    auto x = parse_decimal(parts[1], last);
    auto y = parse_decimal(parts[2], last);
    if (!x || !y) return set_text(res, 400, trf("x and y must be whole numbers 0..{} at zoom {}", last, *z));
    auto bytes = m_tiles->tile(static_cast<int>(*z), static_cast<std::uint32_t>(*x), static_cast<std::uint32_t>(*y));
    if (!bytes) {
        // Absent is normal at the edges of a basemap: 204 keeps the browser console quiet.
        res.status = 204;
        res.set_header("Cache-Control", std::string(k_tile_cache));
        return;
    }
    auto body = std::make_shared<const std::string>(std::move(*bytes));
    send(req, res, sniff_image_type(*body), content_hash(*body), *body, {}, k_tile_cache, body);
}

void ServerCore::send(const ParsedHead& req, Response& res, std::string_view mime, const std::string& hash, std::string_view identity,
                      std::string_view gzip, std::string_view cache_control, std::shared_ptr<const void> owner) {
    const bool use_gzip = !gzip.empty() && accepts_gzip(req.value("Accept-Encoding"));
    res.set_header("ETag", make_etag(hash, use_gzip));
    res.set_header("Cache-Control", std::string(cache_control));
    if (const auto* tags_field = req.field("If-None-Match")) {
        const auto& tags = *tags_field;
        if (if_none_match(tags, make_etag(hash, false)) || (!gzip.empty() && if_none_match(tags, make_etag(hash, true)))) {
            res.status = 304;
            return;
        }
    }
    res.status = 200;
    if (use_gzip) res.set_header("Content-Encoding", "gzip");
    set_body(res, use_gzip ? gzip : identity, mime, std::move(owner));
}

} // namespace detail

struct Server::Impl {
    explicit Impl(ServerOptions options) : core(std::move(options)) {}
    detail::ServerCore core;
};

namespace {
// The server's words (web/po) are added before anything it sets up can say something.
ServerOptions with_messages(ServerOptions options) {
    i18n::add_catalogue(i18n::Language::zh_CN, messages_zh_CN());
    return options;
}
} // namespace

Server::Server(ServerOptions options) : m_impl(std::make_unique<Impl>(with_messages(std::move(options)))) {}
Server::~Server() = default;
void Server::start() { m_impl->core.start(); }
void Server::stop() { m_impl->core.stop(); }
bool Server::running() const { return m_impl->core.running(); }
int Server::port() const { return m_impl->core.port(); }
std::string Server::url() const { return m_impl->core.url(); }
const ServerOptions& Server::options() const { return m_impl->core.options(); }
bool Server::refresh() { return m_impl->core.refresh(); }

} // namespace vigil::web
