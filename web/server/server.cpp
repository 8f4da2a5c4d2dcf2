#include <vigil/web/server.hpp>

#include "connection.hpp"
#include "http_rules.hpp"
#include "snapshot.hpp"
#include "static_files.hpp"
#include "tiles.hpp"

#include <vigil/util/error.hpp>
#include <vigil/util/text.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

#include <sys/socket.h>

namespace vigil::web {

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

constexpr std::string_view k_csp =
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data: blob:; "
    "font-src 'self'; connect-src 'self'; worker-src 'self' blob:; object-src 'none'; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'";
constexpr std::string_view k_allow = "GET, HEAD";
constexpr std::string_view k_tiles_prefix = "/data/tiles/";
constexpr std::string_view k_tile_cache = "public, max-age=3600";

// When the current request began on this worker thread (for the access log's duration).
thread_local Clock::time_point t_request_started;

/// httplib's TaskQueue with a count of the connections waiting for a worker: while any wait,
/// workers give up idle keep-alive connections instead of sitting on them (see read_head()).
class WorkerPool final : public httplib::TaskQueue {
public:
    WorkerPool(std::size_t threads, std::atomic<std::size_t>& queued) : m_queued(queued) {
        for (std::size_t i = 0; i < threads; ++i) m_threads.emplace_back([this] { run(); });
    }
    ~WorkerPool() override { shutdown(); }

    void enqueue(std::function<void()> fn) override {
        {
            std::lock_guard lock(m_mutex);
            m_jobs.push_back(std::move(fn));
            ++m_queued;
        }
        m_cv.notify_one();
    }

    // Runs what is queued (each job sees the server stopping and returns at once), then joins.
    void shutdown() override {
        {
            std::lock_guard lock(m_mutex);
            if (m_shut_down) return;
            m_shut_down = true;
        }
        m_cv.notify_all();
        for (auto& t : m_threads) t.join();
    }

private:
    void run() {
        for (;;) {
            std::function<void()> job;
            {
                std::unique_lock lock(m_mutex);
                m_cv.wait(lock, [this] { return m_shut_down || !m_jobs.empty(); });
                if (m_jobs.empty()) return;
                job = std::move(m_jobs.front());
                m_jobs.pop_front();
                --m_queued;
            }
            job();
        }
    }

    std::atomic<std::size_t>& m_queued;
    std::mutex m_mutex;
    std::condition_variable m_cv;
    std::deque<std::function<void()>> m_jobs;
    std::vector<std::thread> m_threads;
    bool m_shut_down = false;
};

bool is_loopback_address(std::string_view addr) {
    return addr == "localhost" || addr == "::1" || addr.starts_with("127.");
}

// DNS rebinding: a web page on evil.example can point its own name at 127.0.0.1 and read a
// loopback server through the user's browser. The browser then sends "Host: evil.example", so a
// server listening on loopback answers only requests addressed to a loopback name.
bool is_loopback_host(std::string_view host) {
    std::string_view name;
    if (host.starts_with('[')) {
        auto close = host.find(']');
        if (close == std::string_view::npos) return false;
        name = host.substr(1, close - 1);
    } else {
        name = host.substr(0, host.rfind(':'));
    }
    auto lower = text::to_lower_ascii(name);
    if (lower == "localhost" || lower == "localhost." || lower == "::1") return true;
    // 127.a.b.c, digits only
    auto parts = text::split(lower, '.');
    return parts.size() == 4 && parts[0] == "127" &&
           std::all_of(parts.begin(), parts.end(), [](std::string_view p) { return parse_decimal(p, 255).has_value(); });
}

std::string url_host(const std::string& addr) { return addr.find(':') != std::string::npos ? "[" + addr + "]" : addr; }

// A body that lives as long as `owner`: the response streams straight from it.
void set_body(httplib::Response& res, std::string_view bytes, std::string_view mime, std::shared_ptr<const void> owner) {
    if (bytes.empty()) {
        // httplib sends a provider's body only when it has a length; an empty body is a plain one.
        res.set_content(std::string(), std::string(mime));
        return;
    }
    // A provider with a length is also what keeps httplib from compressing on its own: the
    // coding is decided here, from the precompressed copies.
    res.set_content_provider(bytes.size(), std::string(mime),
                             [bytes, owner = std::move(owner)](size_t offset, size_t length, httplib::DataSink& sink) {
                                 if (offset > bytes.size() || length > bytes.size() - offset) return false;
                                 return sink.write(bytes.data() + offset, length);
                             });
}

void set_text(httplib::Response& res, int status, std::string_view message) {
    auto body = std::make_shared<const std::string>(std::to_string(status) + " " + std::string(reason_phrase(status)) + ": " +
                                                    std::string(message) + "\n");
    res.status = status;
    res.set_header("Cache-Control", "no-store");
    set_body(res, *body, "text/plain; charset=utf-8", body);
}

} // namespace

/// Everything behind Server: the file table, the snapshots, the tiles, httplib and the threads.
class ServerCore {
public:
    explicit ServerCore(ServerOptions options);
    ~ServerCore() { stop(); }

    void start();
    void stop();
    bool running() const { return m_http.is_running(); }
    int port() const { return m_port; }
    std::string url() const { return "http://" + url_host(m_options.bind_address) + ":" + std::to_string(m_port) + "/"; }
    const ServerOptions& options() const { return m_options; }
    bool refresh();

private:
    // httplib::Server with our connection loop in place of its own (see connection.hpp).
    class Http final : public httplib::Server {
    public:
        explicit Http(ServerCore& core) : m_core(core) {}
        socket_t listening_socket() const { return svr_sock_; }

    private:
        bool process_and_close_socket(socket_t sock) override;
        void refuse(Connection& connection, const RequestHead& head, int status, std::string_view message, std::string_view extra = {});
        ServerCore& m_core;
    };

    void handle(const httplib::Request& req, httplib::Response& res);
    void serve_static(const httplib::Request& req, httplib::Response& res, const std::string& path);
    void serve_manifest(const httplib::Request& req, httplib::Response& res);
    void serve_snapshot(const httplib::Request& req, httplib::Response& res);
    void serve_tile(const httplib::Request& req, httplib::Response& res, std::string_view rest);
    // The representation: gzip when there is a copy and the client takes it; 304 when the
    // client has it (either coding: If-None-Match uses weak comparison).
    void send(const httplib::Request& req, httplib::Response& res, std::string_view mime, const std::string& hash, std::string_view identity,
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
    void log_request(const std::string& ip, std::string_view method, std::string_view target, std::string_view version, int status,
                     std::string_view bytes) const;
    void watch();

    ServerOptions m_options;
    ConnectionLimits m_limits;
    httplib::Headers m_standard_headers;
    bool m_loopback_only;
    std::string m_database_name;

    mutable std::mutex m_files_mutex;
    std::shared_ptr<const StaticFiles> m_files;
    std::mutex m_web_refresh_mutex;        ///< one web folder check at a time (watcher, refresh())
    std::string m_refused_web_fingerprint; ///< a folder state already found unusable
    SnapshotMaker m_snapshots;
    std::unique_ptr<TileSource> m_tiles;

    Http m_http;
    std::atomic<std::size_t> m_queued{0};
    int m_port = 0;
    std::thread m_listener;
    std::mutex m_stop_mutex;

    std::thread m_watcher;
    std::mutex m_watch_mutex;
    std::condition_variable m_watch_cv;
    bool m_watch_stop = false;
};

ServerCore::ServerCore(ServerOptions options)
    : m_options(std::move(options)),
      m_loopback_only(is_loopback_address(m_options.bind_address)),
      m_database_name(m_options.database.filename().string()),
      m_files(StaticFiles::scan(m_options.web_dir, m_options.error_log)),
      m_snapshots(m_options.database),
      m_http(*this) {
    if (!m_options.tiles.empty()) m_tiles = std::make_unique<TileSource>(m_options.tiles);
    if (m_options.port < 0 || m_options.port > 65535) throw UsageError("port " + std::to_string(m_options.port) + " is not 0..65535");

    m_standard_headers = {
        {"Content-Security-Policy", std::string(k_csp)},
        {"X-Content-Type-Options", "nosniff"},
        {"Referrer-Policy", "no-referrer"},
        {"Cross-Origin-Opener-Policy", "same-origin"},
        {"Cross-Origin-Resource-Policy", "same-origin"},
        {"Vary", "Accept-Encoding"},
        {"Accept-Ranges", "none"},
    };
    m_http.set_default_headers(m_standard_headers);
    m_http.set_keep_alive_max_count(m_limits.max_requests);
    m_http.set_keep_alive_timeout(std::chrono::duration_cast<std::chrono::seconds>(m_limits.keep_alive_timeout).count());
    m_http.set_read_timeout(std::chrono::duration_cast<std::chrono::seconds>(m_limits.head_timeout).count());
    m_http.set_write_timeout(std::chrono::duration_cast<std::chrono::seconds>(m_limits.write_timeout).count());
    // httplib's default also sets SO_REUSEPORT, which would let a second server bind the same
    // port and silently share its connections; SO_REUSEADDR alone allows a quick restart.
    m_http.set_socket_options([](socket_t sock) {
        int yes = 1;
        ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
    });
    std::size_t threads = m_options.threads;
    if (threads == 0) threads = std::clamp<std::size_t>(8 * std::max(1u, std::thread::hardware_concurrency()), 16, 128);
    m_http.new_task_queue = [this, threads] { return new WorkerPool(threads, m_queued); };

    // Every answer goes through handle(): httplib's own routing (and with it its file handler
    // and body reading) is never reached.
    m_http.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
        try {
            handle(req, res);
        } catch (const std::exception& e) {
            problem("serve: internal error on " + log_safe(req.target) + ": " + e.what());
            res = httplib::Response();
            res.headers.insert(m_standard_headers.begin(), m_standard_headers.end());
            set_text(res, 500, "internal error (logged by the server)");
        }
        return httplib::Server::HandlerResponse::Handled;
    });
    m_http.set_post_routing_handler([](const httplib::Request&, httplib::Response& res) {
        // httplib adds "Content-Length: 0" to every answer without a body; RFC 9110 forbids it
        // on 204 and makes it wrong on 304 (it would describe the body not sent).
        if (res.status == 204 || res.status == 304) res.headers.erase("Content-Length");
    });
    m_http.set_logger([this](const httplib::Request& req, const httplib::Response& res) {
        log_request(req.remote_addr, req.method, req.target, req.version, res.status, res.get_header_value("Content-Length"));
    });
}

void ServerCore::start() {
    if (m_listener.joinable()) return;
    const auto& addr = m_options.bind_address;
    int port = m_options.port == 0 ? m_http.bind_to_any_port(addr) : (m_http.bind_to_port(addr, m_options.port) ? m_options.port : -1);
    if (port <= 0)
        throw IoError("cannot listen on " + url_host(addr) + ":" + std::to_string(m_options.port) +
                      ": the port is in use or the address is not one of this machine's");
    // httplib listens with a backlog of 5, which drops connection attempts when many clients
    // arrive at once; listen() again only changes the backlog of the bound socket.
    ::listen(m_http.listening_socket(), 1024);
    m_port = port;
    m_listener = std::thread([this] { m_http.listen_after_bind(); });
    // httplib's stop() does nothing until the accept loop runs: wait for it, so that a stop()
    // right after start() cannot be lost.
    for (int i = 0; i < 5000 && !m_http.is_running(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    m_watcher = std::thread([this] { watch(); });
}

void ServerCore::stop() {
    std::lock_guard lock(m_stop_mutex);
    if (m_listener.joinable()) {
        m_http.stop();
        m_listener.join();
    }
    {
        std::lock_guard watch_lock(m_watch_mutex);
        m_watch_stop = true;
    }
    m_watch_cv.notify_all();
    if (m_watcher.joinable()) m_watcher.join();
}

bool ServerCore::refresh() {
    std::unique_lock web_lock(m_web_refresh_mutex);
    auto fingerprint = StaticFiles::fingerprint_of(m_options.web_dir);
    if (fingerprint != files()->fingerprint() && fingerprint != m_refused_web_fingerprint) {
        try {
            auto table = StaticFiles::scan(m_options.web_dir, m_options.error_log);
            note("web: " + m_options.web_dir.string() + " changed: " + std::to_string(table->size()) + " files, " +
                 std::to_string(table->total_bytes()) + " bytes");
            std::lock_guard lock(m_files_mutex);
            m_files = std::move(table);
            m_refused_web_fingerprint.clear();
        } catch (const Error& e) {
            // Typically a build replacing the folder: keep serving the last complete one.
            m_refused_web_fingerprint = fingerprint;
            problem(std::string("web: still serving the previous files: ") + e.what());
        }
    }
    web_lock.unlock();
    bool made = m_snapshots.refresh();
    if (made) {
        auto s = m_snapshots.current();
        note("snapshot: " + m_database_name + " changed: new snapshot of " + std::to_string(s->bytes().size()) + " bytes, etag " +
             make_etag(s->hash, false));
    }
    return made;
}

void ServerCore::watch() {
    std::string last_error;
    auto last_logged = Clock::now();
    std::unique_lock lock(m_watch_mutex);
    while (!m_watch_stop) {
        m_watch_cv.wait_for(lock, m_options.watch_interval, [this] { return m_watch_stop; });
        if (m_watch_stop) break;
        lock.unlock();
        try {
            refresh();
            last_error.clear();
        } catch (const std::exception& e) {
            // Retried at every check; said again only when the reason changes, or each minute.
            std::string why = e.what();
            if (why != last_error || Clock::now() - last_logged > std::chrono::minutes(1)) {
                problem("snapshot: refresh failed, still serving the snapshot of " + m_snapshots.current()->time + ": " + why);
                last_error = why;
                last_logged = Clock::now();
            }
        }
        lock.lock();
    }
}

void ServerCore::log_request(const std::string& ip, std::string_view method, std::string_view target, std::string_view version, int status,
                             std::string_view bytes) const {
    if (!m_options.access_log) return;
    auto ms = std::chrono::duration<double, std::milli>(Clock::now() - t_request_started).count();
    std::array<char, 32> elapsed{};
    std::snprintf(elapsed.data(), elapsed.size(), "%.1fms", ms);
    m_options.access_log(iso8601_utc(std::chrono::system_clock::now()) + " " + ip + " \"" + log_safe(method, 16) + " " +
                         log_safe(target) + " " + log_safe(version, 16) + "\" " + std::to_string(status) + " " +
                         (bytes.empty() ? std::string("0") : std::string(bytes)) + " " + elapsed.data());
}

bool ServerCore::Http::process_and_close_socket(socket_t sock) {
    try {
        const auto& limits = m_core.m_limits;
        Connection connection(sock, limits, [this] { return svr_sock_ == INVALID_SOCKET; });
        auto backlog = [this] { return m_core.m_queued.load() > 0; };
        for (std::size_t served = 0; served < limits.max_requests; ++served) {
            auto head = connection.read_head(served == 0, backlog);
            t_request_started = Clock::now();
            using Outcome = RequestHead::Outcome;
            switch (head.outcome) {
            case Outcome::Complete: break;
            case Outcome::Closed:
            case Outcome::Idle: return true;
            case Outcome::TimedOut: refuse(connection, head, 408, "the request head did not arrive in time"); return true;
            case Outcome::LineTooLong:
                refuse(connection, head, 414, "request line longer than " + std::to_string(limits.max_request_line) + " bytes");
                return true;
            case Outcome::HeadTooLarge:
                refuse(connection, head, 431,
                       "request head larger than " + std::to_string(limits.max_head) + " bytes or more than " +
                           std::to_string(limits.max_headers) + " header lines");
                return true;
            case Outcome::Malformed: refuse(connection, head, 400, head.problem); return true;
            }
            // What httplib is given is only ever a bounded GET or HEAD head without a body.
            if (head.method != "GET" && head.method != "HEAD") {
                refuse(connection, head, 405, "this server is read-only: only GET and HEAD", "Allow: " + std::string(k_allow) + "\r\n");
                return true;
            }
            if (head.has_body) {
                refuse(connection, head, 413, "requests with a body are not accepted");
                return true;
            }
            // Close after this answer when the connection used up its requests, or when other
            // connections wait for a worker (keep-alive must not starve them).
            bool close = served + 1 >= limits.max_requests || backlog();
            RequestStream stream(connection, std::move(head.bytes));
            bool client_closes = false;
            if (!process_request(stream, close, client_closes, nullptr) || close || client_closes) return true;
        }
    } catch (const std::exception& e) {
        m_core.problem(std::string("serve: connection dropped after an internal error: ") + e.what());
    } catch (...) {
        m_core.problem("serve: connection dropped after an unknown internal error");
    }
    return true;
}

void ServerCore::Http::refuse(Connection& connection, const RequestHead& head, int status, std::string_view message, std::string_view extra) {
    auto response = refusal_response(status, head.method, message, m_core.m_standard_headers, extra);
    connection.write_all(response);
    m_core.log_request(connection.remote_ip(), head.method.empty() ? "-" : head.method, head.target.empty() ? "-" : head.target,
                       head.version.empty() ? "-" : head.version, status, "-");
    connection.close_lingering();
}

void ServerCore::handle(const httplib::Request& req, httplib::Response& res) {
    // The connection loop only passes GET and HEAD; this is the second line.
    if (req.method != "GET" && req.method != "HEAD") {
        res.set_header("Allow", std::string(k_allow));
        return set_text(res, 405, "this server is read-only: only GET and HEAD");
    }
    auto hosts = req.get_header_value_count("Host");
    if (hosts > 1 || (hosts == 0 && req.version == "HTTP/1.1")) return set_text(res, 400, "exactly one Host header is required");
    if (hosts == 1 && m_loopback_only && !is_loopback_host(req.get_header_value("Host")))
        return set_text(res, 403, "this server answers only to localhost / 127.0.0.1 / [::1] (protection against DNS rebinding)");

    auto checked = check_target(req.target);
    if (checked.refusal) return set_text(res, checked.refusal->status, checked.refusal->reason);
    const auto& path = checked.path;
    if (path == "/data/manifest.json") return serve_manifest(req, res);
    if (path == "/data/project.sqlite") return serve_snapshot(req, res);
    if (path.starts_with(k_tiles_prefix)) return serve_tile(req, res, std::string_view(path).substr(k_tiles_prefix.size()));
    if (path == "/data" || path.starts_with("/data/")) return set_text(res, 404, "no such data");
    serve_static(req, res, path);
}

void ServerCore::serve_static(const httplib::Request& req, httplib::Response& res, const std::string& path) {
    auto table = files();
    // "/" is index.html; any other path ending in '/' names a folder, and folders are never listed.
    const StaticFile* file = path == "/" ? table->find("index.html") : path.ends_with('/') ? nullptr : table->find(path.substr(1));
    if (!file) return set_text(res, 404, "no such file");
    send(req, res, file->mime_type, file->hash, file->content, file->gzip, "no-cache", std::shared_ptr<const void>(table, file));
}

void ServerCore::serve_manifest(const httplib::Request& req, httplib::Response& res) {
    auto snapshot = m_snapshots.current();
    nlohmann::ordered_json j;
    j["name"] = m_database_name;
    j["size"] = snapshot->bytes().size();
    j["etag"] = make_etag(snapshot->hash, false);
    j["snapshot_time"] = snapshot->time;
    j["read_only"] = true;
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

void ServerCore::serve_snapshot(const httplib::Request& req, httplib::Response& res) {
    // The download holds this snapshot (through the body's owner) until its last byte, however
    // many newer ones are made meanwhile.
    auto snapshot = m_snapshots.current();
    send(req, res, "application/vnd.sqlite3", snapshot->hash, snapshot->bytes(), snapshot->gzip, "no-cache", snapshot);
}

void ServerCore::serve_tile(const httplib::Request& req, httplib::Response& res, std::string_view rest) {
    if (!m_tiles) return set_text(res, 404, "no tiles: the server was started without --tiles");
    auto parts = text::split(rest, '/');
    if (parts.size() != 3) return set_text(res, 400, "expected /data/tiles/{z}/{x}/{y}");
    auto z = parse_decimal(parts[0], TileSource::k_max_zoom);
    if (!z) return set_text(res, 400, "zoom must be a whole number 0.." + std::to_string(TileSource::k_max_zoom));
    const std::uint64_t last = (std::uint64_t{1} << *z) - 1;
    auto x = parse_decimal(parts[1], last);
    auto y = parse_decimal(parts[2], last);
    if (!x || !y) return set_text(res, 400, "x and y must be whole numbers 0.." + std::to_string(last) + " at zoom " + std::to_string(*z));
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

void ServerCore::send(const httplib::Request& req, httplib::Response& res, std::string_view mime, const std::string& hash,
                      std::string_view identity, std::string_view gzip, std::string_view cache_control, std::shared_ptr<const void> owner) {
    const bool use_gzip = !gzip.empty() && accepts_gzip(req.get_header_value("Accept-Encoding"));
    res.set_header("ETag", make_etag(hash, use_gzip));
    res.set_header("Cache-Control", std::string(cache_control));
    if (req.has_header("If-None-Match")) {
        auto tags = req.get_header_value("If-None-Match");
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

Server::Server(ServerOptions options) : m_impl(std::make_unique<Impl>(std::move(options))) {}
Server::~Server() = default;
void Server::start() { m_impl->core.start(); }
void Server::stop() { m_impl->core.stop(); }
bool Server::running() const { return m_impl->core.running(); }
int Server::port() const { return m_impl->core.port(); }
std::string Server::url() const { return m_impl->core.url(); }
const ServerOptions& Server::options() const { return m_impl->core.options(); }
bool Server::refresh() { return m_impl->core.refresh(); }

} // namespace vigil::web
