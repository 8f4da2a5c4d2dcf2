/// @file
/// What the connection loop (event_loop.cpp) keeps: one connection's state, and what the
/// engine's threads share — the limits, the handlers, TLS, the admission counts, the loops and
/// the worker pool. Plain data and bookkeeping; the behaviour is the loop's. Private to
/// vigil_web_server, included by event_loop.cpp only.
#pragma once

#include "event_loop.hpp"
#include "sockets.hpp"
#include "tls.hpp"
#include "worker_pool.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <sys/resource.h>

namespace vigil::web::detail {

using Clock = std::chrono::steady_clock;

struct Connection {
    enum class State {
        Reading,   ///< waiting for (the rest of) a request head
        Body,      ///< a taken request's head is here; waiting for the rest of its body
        Handling,  ///< a worker is answering; the socket is out of the epoll set meanwhile
        Writing,   ///< an answer is being sent
        Lingering, ///< after a refusal: our side shut, discarding input until the peer closes
        Streaming, ///< an endless answer (Response::stream): sending what it pulls, discarding input
    };
    int fd = -1;
    std::uint64_t id = 0;
    std::string ip;
    Transport io;
    State state = State::Reading;
    std::uint32_t events = 0;      ///< the epoll interest now (0: not in the set)
    bool read_wants_write = false; ///< TLS: the last read waits for the socket to be writable
    bool write_wants_read = false; ///< TLS: the last write waits for the socket to be readable
    bool queued = false;           ///< in the loop's list of connections with input buffered in TLS
    Clock::time_point deadline;
    Clock::time_point last_active;
    bool head_started = false; ///< part of a head arrived: the deadline is the head timeout
    bool peer_closed = false;
    std::size_t served = 0;

    std::string in;               ///< received, not yet consumed
    std::size_t partial_line = 0; ///< bytes at the end of `in` after its last LF
    bool parse_due = false;

    std::string out_head;
    std::string_view out_body;
    std::shared_ptr<const void> owner;
    std::size_t out_done = 0;
    bool close_after = false;

    std::shared_ptr<Stream> stream;
    std::string stream_out;         ///< pulled, not yet sent
    std::size_t stream_done = 0;    ///< bytes of stream_out sent
    Clock::time_point stream_wrote; ///< the last time anything was pulled and queued

    std::shared_ptr<ParsedHead> body_head; ///< State::Body: the head whose body is being read
    std::size_t body_length = 0;           ///< ... and its Content-Length

    std::string log_method, log_target, log_version, log_bytes;
    int log_status = 0;
    Clock::time_point request_started;
    std::size_t discarded = 0;
};

struct HttpEngine::Impl {
    class Loop;

    ConnectionLimits limits;
    HttpHandlers handlers;
    std::shared_ptr<const TlsContext> tls; ///< null: plain HTTP
    std::size_t io_threads;
    std::size_t workers_wanted;
    int listen_fd = -1;
    std::atomic<bool> stopping{false};
    std::atomic<bool> started{false};
    std::atomic<std::size_t> open{0};
    std::atomic<std::uint64_t> next_id{1};
    std::atomic<std::size_t> streams{0};
    std::mutex clients_mutex;
    std::unordered_map<std::string, std::size_t> per_client;
    std::unique_ptr<WorkerPool> workers;
    std::vector<std::unique_ptr<Loop>> loops;
    std::mutex stop_mutex;

    Impl(ConnectionLimits l, HttpHandlers h, std::size_t io, std::size_t w, std::shared_ptr<const TlsContext> t)
        : limits(std::move(l)), handlers(std::move(h)), tls(std::move(t)), io_threads(std::max<std::size_t>(1, io)),
          workers_wanted(std::max<std::size_t>(1, w)) {
        // Every connection is a descriptor: stay below the process's limit, with room for the
        // snapshots, the tiles and the web folder scans.
        rlimit rl{};
        if (::getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur > 128)
            limits.max_connections = std::min<std::size_t>(limits.max_connections, rl.rlim_cur - 64);
    }

    void problem(const std::string& line) const {
        if (handlers.problem) handlers.problem(line);
    }
    // Counts a new connection from `ip`; false when `ip` already has max_per_client open.
    bool admit(const std::string& ip) {
        std::lock_guard lock(clients_mutex);
        auto& n = per_client[ip];
        if (n >= limits.max_per_client) return false;
        ++n;
        ++open;
        return true;
    }
    void release(const std::string& ip) {
        std::lock_guard lock(clients_mutex);
        auto it = per_client.find(ip);
        if (it != per_client.end() && --it->second == 0) per_client.erase(it);
        --open;
    }
};

} // namespace vigil::web::detail
