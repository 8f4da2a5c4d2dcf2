// The sockets under the connection loop (sockets.hpp).

#include "sockets.hpp"

#include <vigil/util/error.hpp>
#include <vigil/util/i18n.hpp>

#include <openssl/err.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <climits>
#include <cstring>

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <unistd.h>

namespace vigil::web::detail {

namespace {

std::string host_for_message(const std::string& address) { return address.find(':') != std::string::npos ? "[" + address + "]" : address; }

} // namespace

std::string address_of(const sockaddr_storage& addr) {
    std::array<char, INET6_ADDRSTRLEN> buf{};
    if (addr.ss_family == AF_INET) ::inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in&>(addr).sin_addr, buf.data(), buf.size());
    else if (addr.ss_family == AF_INET6)
        ::inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6&>(addr).sin6_addr, buf.data(), buf.size());
    return buf.data();
}

int listen_socket(const std::string& address, int port) {
    int listen_fd = -1;
    const std::string where = host_for_message(address) + ":" + std::to_string(port);
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    addrinfo* found = nullptr;
    const auto port_text = std::to_string(port);
    if (int rc = ::getaddrinfo(address.c_str(), port_text.c_str(), &hints, &found); rc != 0)
        throw IoError(trf("cannot listen on {}: the address is not one of this machine's ({})", where, ::gai_strerror(rc)));
    std::string why = tr("no address");
    for (auto* a = found; a; a = a->ai_next) {
        int fd = ::socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
        if (fd < 0) {
            why = std::strerror(errno);
            continue;
        }
        // SO_REUSEADDR allows a quick restart; SO_REUSEPORT (httplib's default) is not set: it
        // would let a second server bind the same port and silently share its connections.
        int yes = 1;
        ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
        if (::bind(fd, a->ai_addr, a->ai_addrlen) == 0 && ::listen(fd, 1024) == 0) {
            listen_fd = fd;
            break;
        }
        why = std::strerror(errno);
        ::close(fd);
    }
    ::freeaddrinfo(found);
    if (listen_fd < 0)
        throw IoError(trf("cannot listen on {}: the port is in use or the address is not one of this machine's ({})", where, why));
    return listen_fd;
}

int bound_port(int fd) {
    sockaddr_storage bound{};
    socklen_t len = sizeof(bound);
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&bound), &len);
    return ntohs(bound.ss_family == AF_INET6 ? reinterpret_cast<const sockaddr_in6&>(bound).sin6_port
                                             : reinterpret_cast<const sockaddr_in&>(bound).sin_port);
}

IoResult Transport::read_some(char* buf, std::size_t len) {
    if (!m_ssl) return plain_read(buf, len);
    ERR_clear_error();
    int n = SSL_read(m_ssl.get(), buf, static_cast<int>(std::min<std::size_t>(len, INT_MAX)));
    if (n > 0) return {Io::Done, static_cast<std::size_t>(n)};
    return tls_outcome(n);
}

IoResult Transport::write_some(const iovec* parts, std::size_t count) {
    if (!m_ssl) return plain_write(parts, count);
    // One record for the head and the start of the body, as sendmsg would put them in one
    // segment. Rebuilt the same from the same position on a retry, as SSL_write requires
    // (the buffer may move: SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER).
    if (count == 1 || parts[0].iov_len >= k_tls_record) return tls_write(parts[0].iov_base, parts[0].iov_len);
    std::array<char, k_tls_record> joined{};
    std::size_t len = 0;
    for (std::size_t i = 0; i < count && len < joined.size(); ++i) {
        auto take = std::min(parts[i].iov_len, joined.size() - len);
        std::memcpy(joined.data() + len, parts[i].iov_base, take);
        len += take;
    }
    return tls_write(joined.data(), len);
}

void Transport::shutdown_write() {
    close_notify();
    ::shutdown(m_fd, SHUT_WR);
}

void Transport::close_notify() {
    if (!m_ssl || m_failed || m_notified || !SSL_is_init_finished(m_ssl.get())) return;
    m_notified = true;
    ERR_clear_error();
    (void)SSL_shutdown(m_ssl.get());
    ERR_clear_error();
}

IoResult Transport::plain_read(char* buf, std::size_t len) const {
    for (;;) {
        auto n = ::recv(m_fd, buf, len, 0);
        if (n > 0) return {Io::Done, static_cast<std::size_t>(n)};
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return {Io::WouldBlockRead};
        return {Io::Closed}; // 0: the peer closed; else failed
    }
}

IoResult Transport::plain_write(const iovec* parts, std::size_t count) const {
    for (;;) {
        msghdr msg{};
        msg.msg_iov = const_cast<iovec*>(parts);
        msg.msg_iovlen = count;
        auto n = ::sendmsg(m_fd, &msg, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n > 0) return {Io::Done, static_cast<std::size_t>(n)};
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return {Io::WouldBlockWrite};
        return {Io::Closed}; // the client went away
    }
}

IoResult Transport::tls_write(const void* data, std::size_t len) {
    ERR_clear_error();
    int n = SSL_write(m_ssl.get(), data, static_cast<int>(std::min<std::size_t>(len, INT_MAX)));
    if (n > 0) return {Io::Done, static_cast<std::size_t>(n)};
    return tls_outcome(n);
}

IoResult Transport::tls_outcome(int rc) {
    switch (SSL_get_error(m_ssl.get(), rc)) {
    case SSL_ERROR_WANT_READ: return {Io::WouldBlockRead};
    case SSL_ERROR_WANT_WRITE: return {Io::WouldBlockWrite};
    case SSL_ERROR_ZERO_RETURN: return {Io::Closed}; // the peer's close_notify
    default:
        // A reset, an EOF without close_notify, or a peer not speaking TLS (plain HTTP to
        // this port): the connection is over and its error queue of no further use.
        m_failed = true;
        ERR_clear_error();
        return {Io::Closed};
    }
}

} // namespace vigil::web::detail
