#include "event_loop.hpp"

#include "http_rules.hpp"
#include "loop_state.hpp"

#include <vigil/util/error.hpp>
#include <vigil/util/i18n.hpp>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <mutex>
#include <thread>
#include <unordered_map>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

namespace vigil::web::detail {

namespace {

// Deadlines are checked this often: a timeout fires up to this much late.
constexpr auto k_sweep_interval = std::chrono::milliseconds(100);
constexpr std::size_t k_read_chunk = 16 * 1024;
// A stream says something this often (an SSE comment line when it has nothing to send), so that
// proxies and the browser keep the connection.
constexpr auto k_stream_heartbeat = std::chrono::seconds(15);
// A stream's client that has this much unsent is not reading: it is closed (an EventSource
// reconnects and asks for what it missed).
constexpr std::size_t k_stream_backlog = 8u << 20;

} // namespace

class HttpEngine::Impl::Loop {
public:
    explicit Loop(Impl& engine)
        : m_engine(engine), m_limits(engine.limits), m_busy(refusal_response(503, "GET", tr("too many connections; try again"),
                                                                             engine.handlers.standard_headers, "Retry-After: 1\r\n")) {
        m_epoll = ::epoll_create1(EPOLL_CLOEXEC);
        m_wake = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
        if (m_epoll < 0 || m_wake < 0) throw IoError(trf("serve: cannot create the connection loop: {}", std::strerror(errno)));
        epoll_event ev{};
        ev.events = EPOLLIN;
        ev.data.fd = m_wake;
        ::epoll_ctl(m_epoll, EPOLL_CTL_ADD, m_wake, &ev);
        arm_listener(true);
    }
    ~Loop() {
        if (m_thread.joinable()) m_thread.join();
        for (auto& [fd, c] : m_connections) {
            ::close(fd);
            m_engine.release(c->ip);
        }
        ::close(m_wake);
        ::close(m_epoll);
    }
    Loop(const Loop&) = delete;
    Loop& operator=(const Loop&) = delete;

    void start() {
        m_thread = std::thread([this] { run(); });
    }
    void wake() const {
        std::uint64_t one = 1;
        (void)!::write(m_wake, &one, sizeof(one));
    }
    // Any thread: every stream of this loop pulls what it has.
    void pump() {
        m_pump_due.store(true);
        wake();
    }
    void join() {
        wake();
        if (m_thread.joinable()) m_thread.join();
    }
    // From a worker: the answer to connection `id` (if it is still open).
    void complete(int fd, std::uint64_t id, Response response) {
        {
            std::lock_guard lock(m_done_mutex);
            m_done.push_back({fd, id, std::move(response)});
        }
        wake();
    }

private:
    struct Done {
        int fd;
        std::uint64_t id;
        Response response;
    };

    void arm_listener(bool on) {
        if (m_listening == on) return;
        epoll_event ev{};
        // EPOLLEXCLUSIVE: a new connection wakes one loop, not all of them.
        ev.events = EPOLLIN | EPOLLEXCLUSIVE;
        ev.data.fd = m_engine.listen_fd;
        if (on) ::epoll_ctl(m_epoll, EPOLL_CTL_ADD, m_engine.listen_fd, &ev);
        else ::epoll_ctl(m_epoll, EPOLL_CTL_DEL, m_engine.listen_fd, nullptr);
        m_listening = on;
    }

    void run() {
        if (m_engine.tls) {
            // OpenSSL writes records with write(), which has no MSG_NOSIGNAL: a client that
            // reset its connection would raise SIGPIPE and end the process. Blocked on this
            // thread (the only one writing these sockets), the write fails with EPIPE instead.
            sigset_t sigpipe;
            sigemptyset(&sigpipe);
            sigaddset(&sigpipe, SIGPIPE);
            pthread_sigmask(SIG_BLOCK, &sigpipe, nullptr);
        }
        std::array<epoll_event, 256> events{};
        auto next_sweep = Clock::now() + k_sweep_interval;
        while (!m_engine.stopping.load()) {
            // Input already inside TLS is served without waiting for the socket.
            auto wait_ms =
                m_buffered.empty()
                    ? std::chrono::ceil<std::chrono::milliseconds>(std::max(next_sweep - Clock::now(), Clock::duration::zero())).count()
                    : 0;
            int n = ::epoll_wait(m_epoll, events.data(), static_cast<int>(events.size()), static_cast<int>(wait_ms));
            if (n < 0 && errno != EINTR) {
                m_engine.problem(trf("serve: the connection loop failed: {}: {}", "epoll_wait", std::strerror(errno)));
                return;
            }
            m_now = Clock::now();
            for (int i = 0; i < n; ++i) {
                int fd = events[static_cast<std::size_t>(i)].data.fd;
                auto what = events[static_cast<std::size_t>(i)].events;
                if (fd == m_wake) {
                    std::uint64_t count = 0;
                    (void)!::read(m_wake, &count, sizeof(count));
                    finish_handled();
                    if (m_pump_due.exchange(false)) pump_streams();
                } else if (fd == m_engine.listen_fd) {
                    accept_new();
                } else if (auto it = m_connections.find(fd); it != m_connections.end()) {
                    const auto id = it->second->id;
                    on_event(*it->second, what);
                    note_buffered(fd, id);
                }
            }
            serve_buffered();
            if (m_now >= next_sweep) {
                sweep();
                next_sweep = m_now + k_sweep_interval;
            }
        }
    }

    // --- connections -------------------------------------------------------------------

    // The epoll interest of a connection's state. A TLS read may wait for the socket to be
    // writable and a write for it to be readable: then only that (level-triggered, the other
    // direction would wake the loop for nothing until it changes).
    static std::uint32_t interest_of(const Connection& c) {
        switch (c.state) {
        case Connection::State::Reading:
        case Connection::State::Body:
        case Connection::State::Lingering: return c.read_wants_write ? EPOLLOUT : EPOLLIN | EPOLLRDHUP;
        case Connection::State::Writing: return c.write_wants_read ? EPOLLIN : EPOLLOUT;
        case Connection::State::Streaming: {
            if (c.read_wants_write) return EPOLLOUT;
            const bool unsent = c.stream_done < c.stream_out.size();
            return EPOLLIN | EPOLLRDHUP | (unsent && !c.write_wants_read ? EPOLLOUT : 0u);
        }
        case Connection::State::Handling: return 0;
        }
        return 0;
    }

    void update_interest(Connection& c) { set_interest(c, interest_of(c)); }

    IoResult read(Connection& c, char* buf, std::size_t len) {
        auto r = c.io.read_some(buf, len);
        c.read_wants_write = r.status == Io::WouldBlockWrite;
        return r;
    }

    IoResult write(Connection& c, const iovec* parts, std::size_t count) {
        auto r = c.io.write_some(parts, count);
        c.write_wants_read = r.status == Io::WouldBlockRead;
        return r;
    }

    static bool would_block(const IoResult& r) { return r.status == Io::WouldBlockRead || r.status == Io::WouldBlockWrite; }

    // TLS decrypts a whole record at a time: a read that took less (a body's last bytes) leaves
    // the rest inside the SSL object, where epoll cannot see it. Such a connection, when it
    // waits for input, is served again at once.
    void note_buffered(int fd, std::uint64_t id) {
        auto it = m_connections.find(fd);
        if (it == m_connections.end() || it->second->id != id) return;
        auto& c = *it->second;
        if (c.queued || !c.io.buffered() || !waits_for_input(c)) return;
        c.queued = true;
        m_buffered.emplace_back(fd, id);
    }

    static bool waits_for_input(const Connection& c) {
        const bool reads = c.state == Connection::State::Reading || c.state == Connection::State::Body ||
                           c.state == Connection::State::Lingering || c.state == Connection::State::Streaming;
        return reads && !c.peer_closed && !c.read_wants_write;
    }

    void serve_buffered() {
        std::vector<std::pair<int, std::uint64_t>> due;
        due.swap(m_buffered);
        for (auto [fd, id] : due) {
            auto it = m_connections.find(fd);
            if (it == m_connections.end() || it->second->id != id) continue;
            auto& c = *it->second;
            c.queued = false;
            if (!c.io.buffered() || !waits_for_input(c)) continue;
            on_event(c, EPOLLIN);
            note_buffered(fd, id);
        }
    }

    void set_interest(Connection& c, std::uint32_t events) {
        if (c.events == events) return;
        epoll_event ev{};
        ev.events = events;
        ev.data.fd = c.fd;
        int op = events == 0 ? EPOLL_CTL_DEL : c.events == 0 ? EPOLL_CTL_ADD : EPOLL_CTL_MOD;
        if (::epoll_ctl(m_epoll, op, c.fd, events == 0 ? nullptr : &ev) != 0)
            m_engine.problem(trf("serve: {} on a connection: {}", "epoll_ctl", std::strerror(errno)));
        c.events = events;
    }

    void close_connection(Connection& c) {
        int fd = c.fd;
        if (c.stream) --m_engine.streams;
        if (c.events) ::epoll_ctl(m_epoll, EPOLL_CTL_DEL, fd, nullptr);
        c.io.close_notify();
        ::close(fd);
        m_engine.release(c.ip);
        m_connections.erase(fd); // destroys c
    }

    // At a limit, the connection idle the longest (no request begun) makes room; nullptr `ip`:
    // any client. False when every connection of this loop is busy.
    bool evict_idle(const std::string* ip) {
        Connection* oldest = nullptr;
        for (auto& [fd, c] : m_connections)
            if (c->state == Connection::State::Reading && !c->head_started && c->in.empty() && (!ip || c->ip == *ip) &&
                (!oldest || c->last_active < oldest->last_active))
                oldest = c.get();
        if (!oldest) return false;
        close_connection(*oldest);
        return true;
    }

    void accept_new() {
        // A bounded batch: one burst of connections must not keep this loop from its others.
        for (int batch = 0; batch < 64; ++batch) {
            sockaddr_storage addr{};
            socklen_t len = sizeof(addr);
            int fd = ::accept4(m_engine.listen_fd, reinterpret_cast<sockaddr*>(&addr), &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
            if (fd < 0) {
                if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
                    // Out of descriptors: the pending connection would wake us in a busy loop.
                    // Make room if any connection is idle, else pause accepting until the sweep.
                    if (!evict_idle(nullptr)) arm_listener(false);
                    if (!m_fd_warned) m_engine.problem(trf("serve: cannot accept connections: {}", std::strerror(errno)));
                    m_fd_warned = true;
                }
                return; // EAGAIN (another loop took it), ECONNABORTED, ...
            }
            auto ip = address_of(addr);
            bool room = m_engine.open.load() < m_engine.limits.max_connections || evict_idle(nullptr);
            if (room && !m_engine.admit(ip)) room = evict_idle(&ip) && m_engine.admit(ip);
            if (!room) {
                // A TLS client cannot be told without a handshake, which the busy slots have
                // no room for: it is simply closed.
                if (m_engine.tls) {
                    ::close(fd);
                    continue;
                }
                // Every slot is busy with a request in progress: say so rather than hang up.
                Transport plain(fd, nullptr);
                iovec busy{const_cast<char*>(m_busy.data()), m_busy.size()};
                (void)plain.write_some(&busy, 1);
                // Closing with the request unread would reset the connection, and the client
                // could lose the answer: read what has arrived, then close after our FIN.
                ::shutdown(fd, SHUT_WR);
                std::array<char, 4096> sink{};
                for (int i = 0; i < 16 && ::recv(fd, sink.data(), sink.size(), MSG_DONTWAIT) > 0; ++i) {}
                ::close(fd);
                continue;
            }
            int one = 1;
            // Answers go out as one sendmsg of head and body; NODELAY keeps a partial last
            // segment from waiting for the client's delayed ACK.
            ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
            SslPtr ssl;
            if (m_engine.tls) {
                std::string why;
                ssl = m_engine.tls->accept(fd, why);
                if (!ssl) {
                    m_engine.problem(trf("serve: cannot start TLS on a connection: {}", why));
                    ::close(fd);
                    m_engine.release(ip);
                    continue;
                }
            }
            auto c = std::make_unique<Connection>();
            c->fd = fd;
            c->io = Transport(fd, std::move(ssl));
            c->id = m_engine.next_id++;
            c->ip = std::move(ip);
            c->last_active = m_now;
            c->deadline = m_now + m_limits.first_request_timeout;
            auto& ref = *c;
            m_connections[fd] = std::move(c);
            update_interest(ref);
        }
    }

    void on_event(Connection& c, std::uint32_t what) {
        switch (c.state) {
        case Connection::State::Reading:
            if ((what & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) || (c.read_wants_write && (what & EPOLLOUT))) read_head(c);
            break;
        case Connection::State::Body:
            if ((what & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) || (c.read_wants_write && (what & EPOLLOUT))) read_body(c);
            break;
        case Connection::State::Writing:
            if (what & (EPOLLERR | EPOLLHUP)) return close_connection(c);
            if (((what & EPOLLOUT) || (c.write_wants_read && (what & EPOLLIN))) && write_some(c)) carry_on(c);
            break;
        case Connection::State::Lingering: discard(c); break;
        case Connection::State::Streaming:
            if (what & (EPOLLERR | EPOLLHUP)) return close_connection(c);
            if (((what & (EPOLLIN | EPOLLRDHUP)) || (c.read_wants_write && (what & EPOLLOUT))) && !drain_input(c)) return;
            if ((what & EPOLLOUT) || (c.write_wants_read && (what & EPOLLIN))) write_stream(c);
            break;
        case Connection::State::Handling: break;
        }
    }

    // Reads what is there, then parses when a head may be complete or over a limit.
    void read_head(Connection& c) {
        std::array<char, k_read_chunk> buf{};
        // Never hold more than a head can be: beyond it, parse_head() refuses.
        const std::size_t cap = m_limits.head.max_head + 2 * m_limits.head.max_leading_blank + 2;
        while (!c.peer_closed && c.in.size() <= cap) {
            auto r = read(c, buf.data(), buf.size());
            if (would_block(r)) break;
            if (r.status == Io::Closed) {
                c.peer_closed = true;
                break;
            }
            auto got = r.bytes;
            if (c.in.empty() && !c.head_started) {
                c.head_started = true;
                c.deadline = m_now + m_limits.head_timeout;
            }
            c.in.append(buf.data(), got);
            c.last_active = m_now;
            // Parse only when a line ended or a limit may be passed: parsing from the start
            // after every byte of a slowly dripped head would cost quadratic time.
            if (auto lf = std::string_view(buf.data(), got).rfind('\n'); lf != std::string_view::npos) {
                c.partial_line = got - lf - 1;
                c.parse_due = true;
            } else {
                c.partial_line += got;
            }
            if (c.partial_line > std::min(m_limits.head.max_request_line, m_limits.head.max_header_line) ||
                c.in.size() > m_limits.head.max_head)
                c.parse_due = true;
        }
        update_interest(c);
        carry_on(c);
    }

    // After progress: answers the complete heads already received; a peer that closed its side
    // with nothing (or half a head) left to answer is done.
    void carry_on(Connection& c) {
        if (c.state != Connection::State::Reading || !process(c)) return;
        if (c.state == Connection::State::Reading && c.peer_closed) close_connection(c);
    }

    // Handles the complete heads in c.in, one at a time (pipelining), until one is incomplete
    // or an answer cannot be written at once. False when the connection was closed (and `c`
    // destroyed); this holds for every function below that returns a bool.
    bool process(Connection& c) {
        while (c.state == Connection::State::Reading && c.parse_due) {
            c.parse_due = false;
            if (c.in.empty()) return true;
            auto head = parse_head(c.in, m_limits.head);
            if (head.state == ParsedHead::State::NeedMore) return true;
            c.request_started = m_now;
            if (head.state == ParsedHead::State::Refused) return refuse(c, head, head.status, head.problem);
            c.in.erase(0, head.consumed);
            auto lf = c.in.rfind('\n');
            c.partial_line = lf == std::string::npos ? c.in.size() : c.in.size() - lf - 1;
            c.parse_due = !c.in.empty();
            ++c.served;
            // What reaches `answer` is only ever a bounded GET or HEAD head without a body;
            // what reaches `answer_body` a taken request with its whole, bounded body.
            const bool read_only = head.method == "GET" || head.method == "HEAD";
            const auto& handlers = m_engine.handlers;
            if (!read_only && !(handlers.takes_body && handlers.answer_body && handlers.takes_body(head)))
                return refuse(c, head, 405,
                              handlers.takes_body ? trf("this address takes only {}", handlers.allow)
                                                  : trf("this server is read-only: only {} and {}", "GET", "HEAD"),
                              "Allow: " + handlers.allow + "\r\n");
            if (read_only && head.has_body) return refuse(c, head, 413, tr("requests with a body are not accepted"));
            c.close_after = !head.keep_alive || c.served >= m_limits.max_requests;
            c.log_method = head.method;
            c.log_target = head.target;
            c.log_version = head.version;
            if (!read_only) return begin_body(c, std::move(head));
            if (m_engine.handlers.on_worker && m_engine.handlers.on_worker(head)) {
                c.state = Connection::State::Handling;
                update_interest(c);
                auto shared = std::make_shared<ParsedHead>(std::move(head));
                m_engine.workers->post([this, fd = c.fd, id = c.id, ip = c.ip, shared] { complete(fd, id, answer(*shared, ip)); });
                return true;
            }
            if (!begin_answer(c, answer(head, c.ip), head.method == "HEAD")) return false;
        }
        return true;
    }

    // A taken request: its body is read whole before anyone answers it. False when closed.
    bool begin_body(Connection& c, ParsedHead head) {
        if (head.field("Transfer-Encoding"))
            return refuse(c, head, 411, trf("a request body needs {} (no chunked bodies)", "Content-Length"));
        std::uint64_t length = 0;
        if (const auto* cl = head.field("Content-Length")) {
            auto n = parse_decimal(*cl, std::uint64_t{1} << 40);
            if (!n) return refuse(c, head, 400, trf("{} is not a number", "Content-Length"));
            length = *n;
        }
        if (length > m_engine.handlers.max_body)
            return refuse(c, head, 413, trf("the body is larger than {} bytes", m_engine.handlers.max_body));
        c.body_head = std::make_shared<ParsedHead>(std::move(head));
        c.body_length = static_cast<std::size_t>(length);
        c.state = Connection::State::Body;
        c.deadline = m_now + m_limits.head_timeout;
        if (c.in.size() < c.body_length) {
            const auto* expect = c.body_head->field("Expect");
            if (expect && iequals_ascii(*expect, "100-continue") && !c.io.tls()) {
                // curl waits a second for this before it sends a body; a short best-effort
                // write (the socket is new and empty, so it fits). Not over TLS: a write there
                // may have to be repeated, which a best-effort one cannot be; the client just
                // waits its second.
                constexpr std::string_view k_continue = "HTTP/1.1 100 Continue\r\n\r\n";
                iovec part{const_cast<char*>(k_continue.data()), k_continue.size()};
                (void)c.io.write_some(&part, 1);
            }
            update_interest(c);
            if (c.peer_closed) {
                close_connection(c);
                return false;
            }
            return true;
        }
        dispatch_body(c);
        return true;
    }

    void read_body(Connection& c) {
        std::array<char, k_read_chunk> buf{};
        while (!c.peer_closed && c.in.size() < c.body_length) {
            auto want = std::min(buf.size(), c.body_length - c.in.size());
            auto r = read(c, buf.data(), want);
            if (would_block(r)) break;
            if (r.status == Io::Closed) {
                c.peer_closed = true;
                break;
            }
            c.in.append(buf.data(), r.bytes);
            c.last_active = m_now;
        }
        update_interest(c);
        if (c.in.size() >= c.body_length) return dispatch_body(c);
        if (c.peer_closed) close_connection(c); // gone before its body arrived: nobody to answer
    }

    // The whole body is in c.in: it goes to a worker with its head.
    void dispatch_body(Connection& c) {
        std::string body = c.in.substr(0, c.body_length);
        c.in.erase(0, c.body_length);
        auto lf = c.in.rfind('\n');
        c.partial_line = lf == std::string::npos ? c.in.size() : c.in.size() - lf - 1;
        c.parse_due = !c.in.empty();
        c.state = Connection::State::Handling;
        update_interest(c);
        auto head = std::move(c.body_head);
        m_engine.workers->post([this, fd = c.fd, id = c.id, ip = c.ip, head, body = std::move(body)]() mutable {
            complete(fd, id, answer_with_body(*head, std::move(body), ip));
        });
    }

    Response answer_with_body(const ParsedHead& head, std::string body, const std::string& ip) const {
        try {
            return m_engine.handlers.answer_body(head, std::move(body), ip);
        } catch (const std::exception& e) {
            m_engine.problem(trf("serve: internal error on a request: {}", e.what()));
        } catch (...) {
            m_engine.problem(tr("serve: internal error on a request (unknown exception)"));
        }
        return internal_error();
    }

    static Response internal_error() {
        Response r;
        r.status = 500;
        r.set_header("Content-Type", "text/plain; charset=utf-8");
        r.set_header("Cache-Control", "no-store");
        // i18n: not shown: the status line's reason phrase is HTTP's; the message after it is translated
        r.set_body(std::string("500 Internal Server Error: ") + tr("internal error (logged by the server)") + "\n");
        return r;
    }

    Response answer(const ParsedHead& head, const std::string& ip) const {
        try {
            return m_engine.handlers.answer(head, ip);
        } catch (const std::exception& e) {
            m_engine.problem(trf("serve: internal error on a request: {}", e.what()));
        } catch (...) {
            m_engine.problem(tr("serve: internal error on a request (unknown exception)"));
        }
        return internal_error();
    }

    void finish_handled() {
        std::vector<Done> done;
        {
            std::lock_guard lock(m_done_mutex);
            done.swap(m_done);
        }
        for (auto& d : done) {
            auto it = m_connections.find(d.fd);
            if (it == m_connections.end() || it->second->id != d.id) continue; // closed meanwhile
            auto& c = *it->second;
            c.state = Connection::State::Reading;
            if (begin_answer(c, std::move(d.response), c.log_method == "HEAD")) carry_on(c);
            note_buffered(d.fd, d.id);
        }
    }

    bool begin_answer(Connection& c, Response r, bool head_only) {
        const bool bodiless = r.status == 204 || r.status == 304;
        std::string& out = c.out_head;
        out.clear();
        out += "HTTP/1.1 ";
        out += std::to_string(r.status);
        out += ' ';
        out += reason_phrase(r.status);
        out += "\r\n";
        for (const auto& [name, value] : m_engine.handlers.standard_headers) out += name + ": " + value + "\r\n";
        for (const auto& [name, value] : r.headers) out += name + ": " + value + "\r\n";
        // RFC 9110: no Content-Length on 204, none describing an unsent body on 304; HEAD gets
        // the length the GET would have.
        const bool streaming = r.stream && !head_only && !bodiless;
        c.log_bytes = bodiless ? "0" : streaming ? "stream" : std::to_string(r.body.size());
        if (!bodiless && !streaming) out += "Content-Length: " + c.log_bytes + "\r\n";
        if (streaming) {
            // The body ends when the connection does.
            c.stream = std::move(r.stream);
            ++m_engine.streams;
            c.close_after = true;
            out += "Connection: close\r\n"; // i18n: not shown: a header
        } else if (c.close_after || m_engine.stopping.load()) {
            c.close_after = true;
            out += "Connection: close\r\n"; // i18n: not shown: a header
        } else {
            // i18n: not shown: headers
            out += "Connection: keep-alive\r\nKeep-Alive: timeout=" +
                   std::to_string(std::chrono::duration_cast<std::chrono::seconds>(m_limits.keep_alive_timeout).count()) +
                   ", max=" + std::to_string(m_limits.max_requests - c.served) + "\r\n";
        }
        out += "\r\n";
        c.out_body = head_only || bodiless ? std::string_view{} : r.body;
        c.owner = std::move(r.owner);
        c.log_status = r.status;
        return start_writing(c);
    }

    // Answers from the loop itself (the head alone decides): Connection: close, then lingering.
    bool refuse(Connection& c, const ParsedHead& head, int status, const std::string& message, std::string_view extra = {}) {
        c.out_head = refusal_response(status, head.method, message, m_engine.handlers.standard_headers, extra);
        c.out_body = {};
        c.owner.reset();
        c.close_after = true;
        c.log_method = head.method.empty() ? "-" : head.method;
        c.log_target = head.target.empty() ? "-" : head.target;
        c.log_version = head.version.empty() ? "-" : head.version;
        c.log_status = status;
        c.log_bytes = "-";
        c.in.clear();
        c.parse_due = false;
        return start_writing(c);
    }

    bool start_writing(Connection& c) {
        c.state = Connection::State::Writing;
        c.out_done = 0;
        c.deadline = m_now + m_limits.write_timeout;
        return write_some(c);
    }

    bool write_some(Connection& c) {
        const std::size_t total = c.out_head.size() + c.out_body.size();
        while (c.out_done < total) {
            std::array<iovec, 2> iov{};
            int count = 0;
            if (c.out_done < c.out_head.size())
                iov[static_cast<std::size_t>(count++)] = {c.out_head.data() + c.out_done, c.out_head.size() - c.out_done};
            auto body_done = c.out_done > c.out_head.size() ? c.out_done - c.out_head.size() : 0;
            if (body_done < c.out_body.size())
                iov[static_cast<std::size_t>(count++)] = {const_cast<char*>(c.out_body.data()) + body_done, c.out_body.size() - body_done};
            auto r = write(c, iov.data(), static_cast<std::size_t>(count));
            if (r.status == Io::Done) {
                c.out_done += r.bytes;
                c.deadline = m_now + m_limits.write_timeout; // the timeout is for no progress
                continue;
            }
            if (would_block(r)) {
                update_interest(c);
                return true;
            }
            close_connection(c); // the client went away
            return false;
        }
        return answered(c);
    }

    // The last byte went to the kernel: log, then wait for the next request or close.
    bool answered(Connection& c) {
        if (m_engine.handlers.log)
            m_engine.handlers.log(
                AccessEntry{c.ip, c.log_method, c.log_target, c.log_version, c.log_status, c.log_bytes, m_now - c.request_started});
        c.owner.reset();
        c.out_body = {};
        if (c.stream) {
            if (c.peer_closed) {
                close_connection(c);
                return false;
            }
            c.state = Connection::State::Streaming;
            c.in.clear();
            c.stream_wrote = m_now;
            update_interest(c);
            return pull_stream(c);
        }
        if ((c.peer_closed && c.in.empty()) || (c.close_after && c.peer_closed)) {
            close_connection(c);
            return false;
        }
        if (c.close_after) {
            linger(c);
            return true;
        }
        c.state = Connection::State::Reading;
        c.last_active = m_now;
        c.head_started = !c.in.empty(); // a pipelined request is already here: carry_on() answers it
        c.deadline = m_now + (c.head_started ? m_limits.head_timeout : m_limits.keep_alive_timeout);
        update_interest(c);
        return true;
    }

    // After an answer with Connection: close, unread input (a body, the rest of a huge header)
    // would make the kernel reset the connection on close, and the client could lose the
    // answer: send FIN, discard input for a while, then close.
    void linger(Connection& c) {
        c.io.shutdown_write();
        c.state = Connection::State::Lingering;
        c.deadline = m_now + m_limits.linger_timeout;
        c.discarded = 0;
        c.in.clear();
        update_interest(c);
    }

    void discard(Connection& c) {
        std::array<char, k_read_chunk> buf{};
        for (;;) {
            auto r = read(c, buf.data(), buf.size());
            if (would_block(r)) return update_interest(c);
            if (r.status == Io::Closed) return close_connection(c);
            c.discarded += r.bytes;
            if (c.discarded > m_limits.linger_bytes) return close_connection(c);
        }
    }

    // --- streams -----------------------------------------------------------------------

    // A stream's client sends nothing more; what it sends is dropped. False when it closed.
    bool drain_input(Connection& c) {
        std::array<char, k_read_chunk> buf{};
        auto r = read(c, buf.data(), buf.size());
        if (would_block(r)) {
            update_interest(c);
            return true;
        }
        close_connection(c); // closed, failed, or sent something
        return false;
    }

    void pump_streams() {
        std::vector<int> streaming;
        for (auto& [fd, c] : m_connections)
            if (c->state == Connection::State::Streaming) streaming.push_back(fd);
        for (int fd : streaming)
            if (auto it = m_connections.find(fd); it != m_connections.end()) pull_stream(*it->second);
    }

    // Queues what the stream has and sends what the socket takes. False when it was closed.
    bool pull_stream(Connection& c) {
        std::string more;
        try {
            more = c.stream->pull();
        } catch (const std::exception& e) {
            m_engine.problem(trf("serve: a stream failed: {}", e.what()));
            close_connection(c);
            return false;
        }
        if (!more.empty()) {
            if (c.stream_done == c.stream_out.size()) {
                c.stream_out.clear();
                c.stream_done = 0;
                c.deadline = m_now + m_limits.write_timeout;
            }
            c.stream_out += more;
            c.stream_wrote = m_now;
        }
        if (c.stream_out.size() - c.stream_done > k_stream_backlog) {
            close_connection(c);
            return false;
        }
        return write_stream(c);
    }

    bool write_stream(Connection& c) {
        while (c.stream_done < c.stream_out.size()) {
            iovec part{c.stream_out.data() + c.stream_done, c.stream_out.size() - c.stream_done};
            auto r = write(c, &part, 1);
            if (r.status == Io::Done) {
                c.stream_done += r.bytes;
                c.deadline = m_now + m_limits.write_timeout;
                continue;
            }
            if (would_block(r)) {
                update_interest(c);
                return true;
            }
            close_connection(c);
            return false;
        }
        c.stream_out.clear();
        c.stream_done = 0;
        update_interest(c);
        return true;
    }

    void sweep() {
        std::vector<int> beats;
        for (auto& [fd, c] : m_connections) {
            if (c->state != Connection::State::Streaming || c->stream_done < c->stream_out.size()) continue;
            c->deadline = Clock::time_point::max(); // nothing to send: a stream is never idle
            if (m_now - c->stream_wrote >= k_stream_heartbeat) beats.push_back(fd);
        }
        for (int fd : beats) {
            auto it = m_connections.find(fd);
            if (it == m_connections.end()) continue;
            auto& c = *it->second;
            c.stream_out = ": \n\n"; // an SSE comment: ignored by the page
            c.stream_done = 0;
            c.stream_wrote = m_now;
            c.deadline = m_now + m_limits.write_timeout;
            write_stream(c);
        }
        if (!m_listening && m_engine.open.load() < m_engine.limits.max_connections) arm_listener(true);
        std::vector<int> expired;
        for (auto& [fd, c] : m_connections)
            if (c->state != Connection::State::Handling && m_now >= c->deadline) expired.push_back(fd);
        for (int fd : expired) {
            auto it = m_connections.find(fd);
            if (it == m_connections.end()) continue;
            auto& c = *it->second;
            if ((c.state == Connection::State::Reading && c.head_started) || c.state == Connection::State::Body) {
                c.request_started = m_now;
                if (c.state == Connection::State::Body) {
                    auto head = std::move(c.body_head);
                    refuse(c, *head, 408, tr("the request body did not arrive in time"));
                } else {
                    ParsedHead partial = parse_head(c.in, m_limits.head); // method and target for the log, if any
                    refuse(c, partial, 408, tr("the request head did not arrive in time"));
                }
            } else {
                close_connection(c); // idle, a write making no progress, or lingering done
            }
        }
    }

    Impl& m_engine;
    const ConnectionLimits& m_limits;
    const std::string m_busy; ///< the answer when every slot is busy
    int m_epoll = -1;
    int m_wake = -1;
    bool m_listening = false;
    bool m_fd_warned = false;
    Clock::time_point m_now = Clock::now();
    std::unordered_map<int, std::unique_ptr<Connection>> m_connections;
    std::vector<std::pair<int, std::uint64_t>> m_buffered; ///< (fd, id): input waiting inside TLS
    std::mutex m_done_mutex;
    std::vector<Done> m_done;
    std::atomic<bool> m_pump_due{false};
    std::thread m_thread;
};

HttpEngine::HttpEngine(ConnectionLimits limits, HttpHandlers handlers, std::size_t io_threads, std::size_t workers,
                       std::shared_ptr<const TlsContext> tls)
    : m_impl(std::make_unique<Impl>(std::move(limits), std::move(handlers), io_threads, workers, std::move(tls))) {}

HttpEngine::~HttpEngine() {
    stop();
    if (m_impl->listen_fd >= 0) ::close(m_impl->listen_fd);
}

int HttpEngine::listen(const std::string& address, int port) {
    m_impl->listen_fd = listen_socket(address, port);
    return bound_port(m_impl->listen_fd);
}

void HttpEngine::start() {
    auto& e = *m_impl;
    if (e.started.exchange(true)) return;
    e.workers = std::make_unique<WorkerPool>(e.workers_wanted);
    for (std::size_t i = 0; i < e.io_threads; ++i) e.loops.push_back(std::make_unique<Impl::Loop>(e));
    for (auto& loop : e.loops) loop->start();
}

void HttpEngine::stop() {
    auto& e = *m_impl;
    std::lock_guard lock(e.stop_mutex);
    if (!e.started.load() || e.stopping.exchange(true)) return;
    // Workers first: a running answer finishes and hands its result to a loop still alive.
    if (e.workers) e.workers->shutdown();
    for (auto& loop : e.loops) loop->join();
    e.loops.clear(); // closes every connection
    if (e.listen_fd >= 0) {
        ::close(e.listen_fd);
        e.listen_fd = -1;
    }
}

void HttpEngine::notify_streams() {
    auto& e = *m_impl;
    std::lock_guard lock(e.stop_mutex); // the loops are not being torn down meanwhile
    if (!e.started.load() || e.stopping.load()) return;
    for (auto& loop : e.loops) loop->pump();
}

std::size_t HttpEngine::open_streams() const { return m_impl->streams.load(); }

bool HttpEngine::running() const { return m_impl->started.load() && !m_impl->stopping.load(); }

} // namespace vigil::web::detail
