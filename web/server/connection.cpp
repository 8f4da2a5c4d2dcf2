#include "connection.hpp"

#include "http_rules.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace vigil::web::detail {

namespace {

using Clock = std::chrono::steady_clock;
constexpr auto k_poll_slice = std::chrono::milliseconds(50);
constexpr auto k_idle_grace = std::chrono::milliseconds(1000);

void address_of(const sockaddr_storage& addr, std::string& ip, int& port) {
    std::array<char, INET6_ADDRSTRLEN> buf{};
    if (addr.ss_family == AF_INET) {
        const auto& a = reinterpret_cast<const sockaddr_in&>(addr);
        ::inet_ntop(AF_INET, &a.sin_addr, buf.data(), buf.size());
        port = ntohs(a.sin_port);
    } else if (addr.ss_family == AF_INET6) {
        const auto& a = reinterpret_cast<const sockaddr_in6&>(addr);
        ::inet_ntop(AF_INET6, &a.sin6_addr, buf.data(), buf.size());
        port = ntohs(a.sin6_port);
    }
    ip = buf.data();
}

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return lower(x) == lower(y); });
}

bool is_token_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || std::strchr("!#$%&'*+-.^_`|~", c);
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

// Checks a complete head (up to and including the blank line) and fills `head`; false (with
// head.problem) when it is malformed. Only framing matters here: what the request asks for is
// the router's business.
bool parse_head(std::string_view text, RequestHead& head) {
    auto line_end = text.find("\r\n");
    auto request_line = text.substr(0, line_end);
    // method SP target SP version, single spaces, as httplib expects.
    auto sp1 = request_line.find(' ');
    auto sp2 = sp1 == std::string_view::npos ? sp1 : request_line.find(' ', sp1 + 1);
    if (sp2 == std::string_view::npos || request_line.find(' ', sp2 + 1) != std::string_view::npos) {
        head.problem = "request line is not 'METHOD TARGET HTTP/1.1'";
        return false;
    }
    head.method = std::string(request_line.substr(0, sp1));
    head.target = std::string(request_line.substr(sp1 + 1, sp2 - sp1 - 1));
    head.version = std::string(request_line.substr(sp2 + 1));
    if (head.method.empty() || !std::all_of(head.method.begin(), head.method.end(), is_token_char)) {
        head.problem = "bad method";
        return false;
    }
    if (head.version != "HTTP/1.1" && head.version != "HTTP/1.0") {
        head.problem = "unsupported HTTP version";
        return false;
    }
    if (head.target.empty()) {
        head.problem = "empty request target";
        return false;
    }
    if (std::any_of(request_line.begin(), request_line.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; })) {
        head.problem = "control byte in the request line";
        return false;
    }

    std::string out(request_line);
    out += "\r\n";
    int content_lengths = 0;
    auto rest = text.substr(line_end + 2);
    while (!rest.empty()) {
        auto end = rest.find("\r\n");
        auto line = rest.substr(0, end);
        rest.remove_prefix(end + 2);
        if (line.empty()) break; // the blank line
        auto colon = line.find(':');
        // RFC 9112: no whitespace before the colon, no obsolete line folding; both are old
        // request-smuggling tricks, refused with 400.
        if (colon == 0 || colon == std::string_view::npos || line.front() == ' ' || line.front() == '\t' ||
            !std::all_of(line.begin(), line.begin() + static_cast<std::ptrdiff_t>(colon), is_token_char)) {
            head.problem = "malformed header line";
            return false;
        }
        auto name = line.substr(0, colon);
        auto value = trim(line.substr(colon + 1));
        if (std::any_of(value.begin(), value.end(), [](char c) { return c == '\0' || c == '\r' || c == '\n'; })) {
            head.problem = "control byte in a header value";
            return false;
        }
        if (iequals(name, "Content-Length")) {
            if (++content_lengths > 1 || !parse_decimal(value, ~std::uint64_t{0} >> 1)) {
                head.problem = "bad or repeated Content-Length";
                return false;
            }
            if (value != "0" && value.find_first_not_of('0') != std::string_view::npos) head.has_body = true;
        } else if (iequals(name, "Transfer-Encoding")) {
            head.has_body = true;
        }
        // Ranges are not offered (Accept-Ranges: none): every answer is the whole
        // representation, which RFC 9110 allows. Dropping the fields here keeps httplib from
        // applying them.
        if (iequals(name, "Range") || iequals(name, "If-Range")) continue;
        out += line;
        out += "\r\n";
    }
    out += "\r\n";
    head.bytes = std::move(out);
    return true;
}

} // namespace

Connection::Connection(int fd, const ConnectionLimits& limits, Predicate stopping)
    : m_fd(fd), m_limits(limits), m_stopping(std::move(stopping)) {
    // Answers go out as a header write and a body write: without NODELAY, Nagle's algorithm
    // holds the second until the client's delayed ACK, 40 ms per keep-alive request.
    int one = 1;
    ::setsockopt(m_fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    sockaddr_storage addr{};
    socklen_t len = sizeof(addr);
    if (::getpeername(m_fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) address_of(addr, m_remote_ip, m_remote_port);
    len = sizeof(addr);
    if (::getsockname(m_fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) address_of(addr, m_local_ip, m_local_port);
}

Connection::~Connection() {
    if (m_fd >= 0) {
        ::shutdown(m_fd, SHUT_RDWR);
        ::close(m_fd);
    }
}

Connection::Wait Connection::wait_for(short events, Clock::time_point deadline, const Predicate* give_up) const {
    for (;;) {
        if (m_stopping()) return Wait::GaveUp;
        if (give_up && *give_up && (*give_up)()) return Wait::GaveUp;
        auto now = Clock::now();
        if (now >= deadline) return Wait::Timeout;
        auto slice = std::min<Clock::duration>(deadline - now, k_poll_slice);
        pollfd p{m_fd, events, 0};
        int rc = ::poll(&p, 1, static_cast<int>(std::chrono::ceil<std::chrono::milliseconds>(slice).count()));
        if (rc < 0 && errno == EINTR) continue;
        if (rc < 0) return Wait::Error;
        if (rc > 0) return (p.revents & (events | POLLHUP | POLLERR)) ? Wait::Ready : Wait::Error;
    }
}

RequestHead Connection::read_head(bool first_request, const Predicate& yield) {
    RequestHead head;
    auto started = Clock::now();
    auto idle_deadline = started + (first_request ? m_limits.first_request_timeout : m_limits.keep_alive_timeout);
    Clock::time_point head_deadline{};
    auto begin_head = [&] { head_deadline = Clock::now() + m_limits.head_timeout; };
    std::array<char, 16 * 1024> buf{};
    for (;;) {
        // RFC 9112 2.2: ignore empty lines before a request line.
        while (m_pending.starts_with("\r\n")) m_pending.erase(0, 2);
        if (!m_pending.empty() && head_deadline == Clock::time_point{}) begin_head();

        // The request line: complete within max_request_line, CRLF-terminated.
        auto crlf = m_pending.find("\r\n");
        auto lf = m_pending.find('\n');
        if (lf != std::string::npos && (crlf == std::string::npos || lf < crlf)) {
            head.outcome = RequestHead::Outcome::Malformed;
            head.problem = "request line not terminated by CRLF";
            return head;
        }
        if ((crlf == std::string::npos && m_pending.size() > m_limits.max_request_line) ||
            (crlf != std::string::npos && crlf > m_limits.max_request_line)) {
            head.outcome = RequestHead::Outcome::LineTooLong;
            auto first_line = std::string_view(m_pending).substr(0, std::min<std::size_t>(m_pending.size(), 64));
            head.method = std::string(first_line.substr(0, first_line.find(' ')));
            return head;
        }
        auto end = m_pending.find("\r\n\r\n");
        if (end != std::string::npos || crlf != std::string::npos) {
            // Count header lines seen so far: many tiny headers are refused as early as one huge one.
            auto limit = end == std::string::npos ? m_pending.size() : end + 2;
            std::size_t lines = 0;
            for (auto p = m_pending.find("\r\n"); p != std::string::npos && p < limit; p = m_pending.find("\r\n", p + 2)) ++lines;
            auto head_size = end == std::string::npos ? m_pending.size() : end + 4;
            if (lines > m_limits.max_headers + 1 || head_size > m_limits.max_head) {
                head.outcome = RequestHead::Outcome::HeadTooLarge;
                (void)parse_head(m_pending.substr(0, crlf + 2), head); // method/target for the log, if any
                return head;
            }
        }
        if (end != std::string::npos) {
            std::string text = m_pending.substr(0, end + 4);
            m_pending.erase(0, end + 4);
            head.outcome = parse_head(text, head) ? RequestHead::Outcome::Complete : RequestHead::Outcome::Malformed;
            return head;
        }

        // Need more bytes.
        bool waiting_for_first_byte = m_pending.empty();
        // Only a connection idle for a while gives way: a busy keep-alive client sends its next
        // request at once, and closing just as it does loses that request (seen with 250 ms on
        // this 2-core machine under load). Busy connections are closed race-free instead, by
        // "Connection: close" on an answer.
        Predicate idle_yield = [&] { return !first_request && Clock::now() - started >= k_idle_grace && yield && yield(); };
        auto w = waiting_for_first_byte ? wait_for(POLLIN, idle_deadline, &idle_yield) : wait_for(POLLIN, head_deadline, nullptr);
        if (w == Wait::GaveUp) {
            head.outcome = m_stopping() ? RequestHead::Outcome::Closed : RequestHead::Outcome::Idle;
            return head;
        }
        if (w == Wait::Timeout) {
            head.outcome = waiting_for_first_byte ? RequestHead::Outcome::Idle : RequestHead::Outcome::TimedOut;
            return head;
        }
        if (w == Wait::Error) {
            head.outcome = RequestHead::Outcome::Closed;
            return head;
        }
        auto n = ::recv(m_fd, buf.data(), buf.size(), 0);
        if (n < 0 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)) continue;
        if (n <= 0) {
            head.outcome = RequestHead::Outcome::Closed;
            return head;
        }
        m_pending.append(buf.data(), static_cast<std::size_t>(n));
    }
}

long Connection::write(const char* data, std::size_t size) {
    if (size == 0) return 0;
    for (;;) {
        if (wait_for(POLLOUT, Clock::now() + m_limits.write_timeout, nullptr) != Wait::Ready) return -1;
        auto n = ::send(m_fd, data, size, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n < 0 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)) continue;
        return n < 0 ? -1 : static_cast<long>(n);
    }
}

bool Connection::write_all(std::string_view data) {
    while (!data.empty()) {
        auto n = write(data.data(), data.size());
        if (n <= 0) return false;
        data.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
}

bool Connection::writable() const {
    return !m_stopping() && wait_for(POLLOUT, Clock::now() + m_limits.write_timeout, nullptr) == Wait::Ready;
}

void Connection::close_lingering() {
    if (m_fd < 0) return;
    ::shutdown(m_fd, SHUT_WR);
    // Up to 2 s or 1 MiB: enough for a client to read a short answer and close its side.
    auto deadline = Clock::now() + std::chrono::seconds(2);
    std::array<char, 16 * 1024> buf{};
    std::size_t discarded = 0;
    while (discarded < (1u << 20) && wait_for(POLLIN, deadline, nullptr) == Wait::Ready) {
        auto n = ::recv(m_fd, buf.data(), buf.size(), MSG_DONTWAIT);
        if (n < 0 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)) continue;
        if (n <= 0) break;
        discarded += static_cast<std::size_t>(n);
    }
    ::close(m_fd);
    m_fd = -1;
}

ssize_t RequestStream::read(char* ptr, size_t size) {
    auto n = std::min(size, m_head.size() - m_read);
    std::memcpy(ptr, m_head.data() + m_read, n);
    m_read += n;
    return static_cast<ssize_t>(n);
}

void RequestStream::get_remote_ip_and_port(std::string& ip, int& port) const {
    ip = m_connection.remote_ip();
    port = m_connection.remote_port();
}

void RequestStream::get_local_ip_and_port(std::string& ip, int& port) const {
    ip = m_connection.local_ip();
    port = m_connection.local_port();
}

std::string_view reason_phrase(int status) {
    switch (status) {
    case 200: return "OK";
    case 204: return "No Content";
    case 304: return "Not Modified";
    case 400: return "Bad Request";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 413: return "Content Too Large";
    case 414: return "URI Too Long";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    default: return "Error";
    }
}

std::string refusal_response(int status, std::string_view method, std::string_view message, const httplib::Headers& standard,
                             std::string_view extra) {
    std::string body = std::to_string(status) + " " + std::string(reason_phrase(status)) + ": " + std::string(message) + "\n";
    std::string out = "HTTP/1.1 " + std::to_string(status) + " " + std::string(reason_phrase(status)) + "\r\n";
    for (const auto& [name, value] : standard) out += name + ": " + value + "\r\n";
    out += extra;
    out += "Content-Type: text/plain; charset=utf-8\r\n";
    out += "Cache-Control: no-store\r\n";
    out += "Content-Length: " + std::to_string(body.size()) + "\r\n";
    out += "Connection: close\r\n\r\n";
    if (method != "HEAD") out += body;
    return out;
}

} // namespace vigil::web::detail
