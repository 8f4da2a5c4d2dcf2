/// @file
/// The sockets under the connection loop (event_loop.cpp): the listening socket, a peer's
/// address, and a connection's byte stream — the non-blocking socket itself, or TLS over it.
/// Private to vigil_web_server.
#pragma once

#include "tls.hpp"

#include <cstddef>
#include <string>

#include <sys/socket.h>
#include <sys/uio.h>

namespace vigil::web::detail {

/// A socket bound to `address`:`port` and listening (backlog 1024, non-blocking, SO_REUSEADDR
/// only: SO_REUSEPORT would let a second server silently share the port).
/// @throws vigil::IoError naming the address and the system's reason.
int listen_socket(const std::string& address, int port);
/// The port a socket is bound to (the chosen one after port 0).
int bound_port(int fd);
/// A peer's numeric address ("127.0.0.1", "::1").
std::string address_of(const sockaddr_storage& addr);

/// What one read or write on a connection came to.
enum class Io {
    Done,            ///< bytes moved
    WouldBlockRead,  ///< try again when the socket is readable
    WouldBlockWrite, ///< try again when the socket is writable (TLS: also for a read)
    Closed,          ///< the peer closed, reset, or broke the TLS protocol
};

struct IoResult {
    Io status = Io::Closed;
    std::size_t bytes = 0; ///< Io::Done: how many (never 0)
};

/// A connection's byte stream: the non-blocking socket itself, or TLS over it. Both give the same
/// four outcomes, so plain and TLS connections go through every state of the loop alike; only
/// TLS may need the socket writable to read (its handshake) or readable to write.
class Transport {
public:
    Transport() = default;
    Transport(int fd, SslPtr ssl) : m_fd(fd), m_ssl(std::move(ssl)) {}

    bool tls() const { return m_ssl != nullptr; }
    IoResult read_some(char* buf, std::size_t len);
    /// Sends from `parts` in order, as one stream; returns how much went.
    IoResult write_some(const iovec* parts, std::size_t count);
    /// Bytes TLS already took off the socket and decrypted but has not handed out: no epoll
    /// event will announce them.
    bool buffered() const { return m_ssl && SSL_pending(m_ssl.get()) > 0; }
    /// Our side is done: TLS close_notify (best effort), then FIN.
    void shutdown_write();
    /// Best effort before close(): a TLS peer then sees a clean end, not a truncation. Not after
    /// a protocol failure (OpenSSL forbids it) or before the handshake finished (nothing to end).
    void close_notify();

private:
    static constexpr std::size_t k_tls_record = 16 * 1024; ///< the most plaintext one TLS record holds

    IoResult plain_read(char* buf, std::size_t len) const;
    IoResult plain_write(const iovec* parts, std::size_t count) const;
    IoResult tls_write(const void* data, std::size_t len);
    IoResult tls_outcome(int rc);

    int m_fd = -1;
    SslPtr m_ssl;
    bool m_failed = false;
    bool m_notified = false;
};

} // namespace vigil::web::detail
