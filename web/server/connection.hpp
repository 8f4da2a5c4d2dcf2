/// @file
/// One client connection, read our way and written through cpp-httplib.
///
/// Debian's cpp-httplib 0.11.4 reads a request line and each header line into a buffer that
/// grows without limit, accepts any number of headers and reads request bodies into memory.
/// So the server reads each request head itself, with hard limits (request line, head size,
/// header count, time), answers what it refuses (400, 405, 408, 413, 414, 431) itself, and
/// hands httplib only complete, bounded GET/HEAD heads without bodies, through RequestStream.
#pragma once

#include <httplib.h>

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace vigil::web::detail {

struct ConnectionLimits {
    std::size_t max_request_line = 8 * 1024;            ///< longer: 414
    std::size_t max_head = 32 * 1024;                   ///< request line + headers; larger: 431
    std::size_t max_headers = 100;                      ///< more header lines: 431
    std::chrono::milliseconds first_request_timeout{10000}; ///< connected, nothing sent: close
    std::chrono::milliseconds keep_alive_timeout{5000};     ///< idle between requests: close
    std::chrono::milliseconds head_timeout{10000};      ///< first byte to end of head, else 408
    std::chrono::milliseconds write_timeout{10000};     ///< a write making no progress: abort
    std::size_t max_requests = 100;                     ///< per connection, then Connection: close
};

/// What Connection::read_head() found.
struct RequestHead {
    enum class Outcome {
        Complete,     ///< a request head is in `bytes`
        Closed,       ///< the peer closed (or reset) the connection, or the server is stopping
        Idle,         ///< nothing arrived in time, or the worker was wanted elsewhere: close quietly
        TimedOut,     ///< part of a head arrived, the rest not in time: 408
        LineTooLong,  ///< 414
        HeadTooLarge, ///< 431
        Malformed,    ///< 400 (the reason is in `problem`)
    };
    Outcome outcome = Outcome::Closed;
    std::string bytes;   ///< Complete: the head as httplib will parse it (Range/If-Range removed)
    std::string method;  ///< from the request line, when it could be split (for answers and the log)
    std::string target;
    std::string version;
    bool has_body = false; ///< Content-Length other than 0, or Transfer-Encoding
    std::string problem;   ///< why Malformed
};

/// Owns an accepted socket; closes it on destruction.
class Connection {
public:
    using Predicate = std::function<bool()>;

    /// `stopping` is polled (every 50 ms) during every wait: when it turns true, waits end.
    Connection(int fd, const ConnectionLimits& limits, Predicate stopping);
    ~Connection();
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    /// Reads the next request head. Bytes that follow it (a pipelined request) are kept for
    /// the next call. Once a follow-up request has kept the connection idle for 1 s, `yield`
    /// is polled too: true gives the connection up as Idle, so that an idle keep-alive
    /// connection frees its worker for clients waiting in the queue.
    RequestHead read_head(bool first_request, const Predicate& yield);

    /// Sends what the socket takes now, after waiting up to write_timeout for room; -1 on
    /// error, timeout or stop. Never raises SIGPIPE.
    long write(const char* data, std::size_t size);
    bool write_all(std::string_view data);
    bool writable() const;

    /// Closes after letting the peer read our answer: when a request was refused, unread input
    /// (a body, the rest of a huge header) would make the kernel send a reset on close, and the
    /// client could lose the answer. Sends FIN, discards input for a short while, then closes.
    void close_lingering();

    int fd() const { return m_fd; }
    const std::string& remote_ip() const { return m_remote_ip; }
    int remote_port() const { return m_remote_port; }
    const std::string& local_ip() const { return m_local_ip; }
    int local_port() const { return m_local_port; }

private:
    enum class Wait { Ready, Timeout, GaveUp, Error };
    Wait wait_for(short events, std::chrono::steady_clock::time_point deadline, const Predicate* give_up) const;

    int m_fd;
    const ConnectionLimits& m_limits;
    Predicate m_stopping;
    std::string m_pending; ///< read but not yet consumed
    std::string m_remote_ip, m_local_ip;
    int m_remote_port = 0, m_local_port = 0;
};

/// httplib's view of one request: reads return the head and then end (bodies are never read),
/// writes go to the connection.
class RequestStream final : public httplib::Stream {
public:
    RequestStream(Connection& connection, std::string head) : m_connection(connection), m_head(std::move(head)) {}

    bool is_readable() const override { return m_read < m_head.size(); }
    bool is_writable() const override { return m_connection.writable(); }
    ssize_t read(char* ptr, size_t size) override;
    ssize_t write(const char* ptr, size_t size) override { return m_connection.write(ptr, size); }
    void get_remote_ip_and_port(std::string& ip, int& port) const override;
    void get_local_ip_and_port(std::string& ip, int& port) const override;
    socket_t socket() const override { return m_connection.fd(); }

private:
    Connection& m_connection;
    std::string m_head;
    std::size_t m_read = 0;
};

/// A complete response for a refused request, written without httplib: status line, the
/// server's standard headers, `extra` (already "Name: value\r\n" lines), a text body (omitted
/// for HEAD) and Connection: close.
std::string refusal_response(int status, std::string_view method, std::string_view message, const httplib::Headers& standard,
                             std::string_view extra = {});

/// The reason phrase of a status code (RFC 9110 wording).
std::string_view reason_phrase(int status);

} // namespace vigil::web::detail
