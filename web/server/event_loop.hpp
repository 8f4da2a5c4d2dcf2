/// @file
/// The connection loop of `vigil serve`: sockets, request heads, answers, keep-alive, limits.
///
/// Readiness-based (epoll): I/O threads (one in `vigil serve`) own every connection. They read request heads
/// (parse_head() on the bytes so far), answer what the head alone decides (400, 405, 408, 413,
/// 414, 431), ask the handler for everything else and write the answer without blocking. An
/// idle or slowly sending client costs a table entry and a buffer, never a thread, so no number
/// of them can hold up the others (docs/server.md, "Connections"). Handlers that may block on a
/// file (tiles: SQLite reads) run on a small worker pool, which a connection occupies only while
/// its complete request head is being answered. With TLS every connection reads and writes
/// through OpenSSL over the same non-blocking socket, in the same states (docs/server.md, "TLS").
#pragma once

#include "http_head.hpp"

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace vigil::web::detail {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

class TlsContext;

struct ConnectionLimits {
    HeadLimits head;
    std::chrono::milliseconds first_request_timeout{10000}; ///< connected, nothing sent: close
    std::chrono::milliseconds keep_alive_timeout{5000};     ///< idle between requests: close
    std::chrono::milliseconds head_timeout{10000};          ///< first byte to end of head, else 408
    std::chrono::milliseconds write_timeout{10000};         ///< no progress writing an answer: close
    std::chrono::milliseconds linger_timeout{2000};         ///< after a refusal: discard input this long
    std::size_t linger_bytes = 1u << 20;                    ///< ... or this much
    std::size_t max_requests = 100;                         ///< per connection, then Connection: close
    std::size_t max_connections = 4096;                     ///< open at once (also bounded by RLIMIT_NOFILE)
    std::size_t max_per_client = 512;                       ///< open at once from one address
};

/// The rest of an endless answer (Server-Sent Events): after the head and the body, the loop
/// keeps the connection and sends what pull() gives each time the engine is notified
/// (HttpEngine::notify_streams), until the client goes away or the engine stops.
class Stream {
public:
    virtual ~Stream() = default;
    /// The text to send now (may be empty). Called on the connection's I/O thread, one call at a
    /// time per stream.
    virtual std::string pull() = 0;
};

/// An answer: status, the headers particular to it, a body that `owner` keeps alive while it
/// is written. The loop adds the standard headers, Content-Length and the connection headers.
struct Response {
    int status = 200;
    HeaderList headers;
    std::string_view body;
    std::shared_ptr<const void> owner;
    /// Set: the answer goes on after the body (no Content-Length; ends when the connection
    /// closes). A stream's connection is never idle for the limits: it is not evicted to make
    /// room, and it gets a comment line every 15 s so that nothing on the way closes it.
    std::shared_ptr<Stream> stream;

    void set_header(std::string name, std::string value);
    std::string header(std::string_view name) const;
    /// A body owned by the response itself.
    void set_body(std::string bytes);
};

struct AccessEntry {
    std::string_view ip, method, target, version;
    int status = 0;
    std::string_view bytes; ///< Content-Length as sent, "-" for refusals written by the loop
    std::chrono::steady_clock::duration elapsed{};
};

struct HttpHandlers {
    /// Answers a complete GET or HEAD head without a body. Called on an I/O thread, or on a
    /// worker when `on_worker` says so; may run on several threads at once.
    std::function<Response(const ParsedHead& head, const std::string& remote_ip)> answer;
    /// Which requests other than GET and HEAD are taken (the edit API's POSTs); none: every
    /// other method is refused with 405. A taken request must say its body's length
    /// (Content-Length, else 411; at most `max_body`, else 413); the loop reads the whole body
    /// (within head_timeout, else 408) and hands it to `answer_body` on a worker: writes wait
    /// for the disk.
    std::function<bool(const ParsedHead& head)> takes_body;
    std::function<Response(const ParsedHead& head, std::string body, const std::string& remote_ip)> answer_body;
    std::size_t max_body = 64 * 1024;
    /// The Allow header of a 405.
    std::string allow = "GET, HEAD"; // i18n: not shown: a header
    /// True for requests whose answer may block (reads a file): those go to the worker pool.
    std::function<bool(const ParsedHead& head)> on_worker;
    /// One call per answered request, after its last byte was handed to the kernel.
    std::function<void(const AccessEntry& entry)> log;
    /// Problems that do not stop the server.
    std::function<void(const std::string& line)> problem;
    /// On every answer, refusals included.
    HeaderList standard_headers;
};

class HttpEngine {
public:
    /// With `tls`, every connection speaks TLS (its handshake inside the first reads, within
    /// first_request_timeout); without, plain HTTP.
    HttpEngine(ConnectionLimits limits, HttpHandlers handlers, std::size_t io_threads, std::size_t workers,
               std::shared_ptr<const TlsContext> tls = nullptr);
    ~HttpEngine(); ///< stop()s
    HttpEngine(const HttpEngine&) = delete;
    HttpEngine& operator=(const HttpEngine&) = delete;

    /// Binds and listens (backlog 1024, SO_REUSEADDR only); returns the port (the chosen one for
    /// port 0). Throws vigil::IoError naming the address and the system's reason.
    int listen(const std::string& address, int port);
    /// Starts the I/O threads and the workers; listen() first.
    void start();
    /// Has every open stream (Response::stream) pulled and sent what it has now. Any thread.
    void notify_streams();
    /// Streams open now.
    std::size_t open_streams() const;
    /// Stops accepting, closes every connection (a transfer in progress is cut), joins every
    /// thread. Idempotent; safe from any thread but the engine's own.
    void stop();
    bool running() const;

    struct Impl;

private:
    std::unique_ptr<Impl> m_impl;
};

/// A complete answer written by the loop itself: status line, `standard` headers, `extra`
/// (already "Name: value\r\n" lines), a one-line text body (omitted for HEAD), Connection: close.
std::string refusal_response(int status, std::string_view method, std::string_view message, const HeaderList& standard,
                             std::string_view extra = {});

/// The reason phrase of a status code (RFC 9110 wording).
std::string_view reason_phrase(int status);

} // namespace vigil::web::detail
