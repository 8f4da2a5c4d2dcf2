/// @file
/// Signed-in browsers of `vigil serve`: session tokens, their CSRF tokens, and the brake on
/// guessing passwords. Private to vigil_web_server; pure bookkeeping (no sockets, no HTTP), so
/// tests state the rules directly.
#pragma once

#include <chrono>
#include <cstddef>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace vigil::web::detail {

using SessionClock = std::chrono::steady_clock;

struct Session {
    std::string user;
    std::string csrf; ///< sent back in X-Vigil-CSRF on every write
    std::string seat; ///< for the audit: "浏览器 browser <ip> #<short id>"
    SessionClock::time_point created, last_used;
};

/// Open sessions, by a hash of their token (the token itself is kept only by the browser, in an
/// HttpOnly cookie). A session ends when signed out, idle for `idle`, older than `lifetime`, or
/// when `max_sessions` newer ones push it out.
class SessionTable {
public:
    SessionTable(std::chrono::seconds idle = std::chrono::hours(12), std::chrono::seconds lifetime = std::chrono::hours(24),
                 std::size_t max_sessions = 4096);

    struct Opened {
        std::string token; ///< 256 random bits, hex: the cookie's value
        Session session;
    };
    /// A new session of `user` signed in from `ip`.
    Opened open(const std::string& user, const std::string& ip, SessionClock::time_point now = SessionClock::now());
    /// The session of `token`, marked used now; none when unknown or expired (then forgotten).
    std::optional<Session> find(std::string_view token, SessionClock::time_point now = SessionClock::now());
    /// Ends the session of `token` (if any).
    void close(std::string_view token);
    std::size_t size() const;

private:
    std::chrono::seconds m_idle, m_lifetime;
    std::size_t m_max;
    mutable std::mutex m_mutex;
    std::map<std::string, Session> m_sessions; ///< by hash of the token
};

/// The brake on password guessing: after `max_failures` failed sign-ins within `window` from
/// one address, or for one user name from anywhere, that address or name is refused until the
/// window has passed (429, Retry-After). Successes clear the name's count, not the address's.
class SignInLimiter {
public:
    SignInLimiter(std::size_t max_failures = 5, std::chrono::seconds window = std::chrono::seconds(60));
    /// Seconds to wait before `ip` may try `user` again; none when it may now.
    std::optional<std::chrono::seconds> blocked(const std::string& ip, const std::string& user,
                                                SessionClock::time_point now = SessionClock::now());
    void failed(const std::string& ip, const std::string& user, SessionClock::time_point now = SessionClock::now());
    void succeeded(const std::string& user);

private:
    struct Count {
        std::size_t failures = 0;
        SessionClock::time_point first;
    };
    std::optional<std::chrono::seconds> wait_for(std::map<std::string, Count>& table, const std::string& key, SessionClock::time_point now);
    void count(std::map<std::string, Count>& table, const std::string& key, SessionClock::time_point now);

    std::size_t m_max;
    std::chrono::seconds m_window;
    std::mutex m_mutex;
    std::map<std::string, Count> m_by_ip, m_by_user;
};

/// The value of cookie `name` in a Cookie header ("a=1; vigil_session=…"), or none.
std::optional<std::string> cookie_value(std::string_view header, std::string_view name);

/// Equal strings, compared in time that depends only on their lengths.
bool same_secret(std::string_view a, std::string_view b);

/// `bytes` random bytes as lower-case hex (OpenSSL's RAND_bytes).
std::string random_hex(std::size_t bytes);

} // namespace vigil::web::detail
