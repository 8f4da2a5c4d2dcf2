// Signed-in browsers and the brake on guessing (sessions.hpp).

#include "sessions.hpp"

#include "http_rules.hpp"

#include <vigil/util/error.hpp>
#include <vigil/util/i18n.hpp>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <algorithm>
#include <vector>

namespace vigil::web::detail {

std::string random_hex(std::size_t bytes) {
    std::vector<unsigned char> raw(bytes);
    if (RAND_bytes(raw.data(), static_cast<int>(raw.size())) != 1)
        throw Error(trf("no random bytes for a session ({})", "OpenSSL RAND_bytes"));
    static constexpr char k_hex[] = "0123456789abcdef";
    std::string out;
    out.reserve(2 * bytes);
    for (unsigned char b : raw) {
        out += k_hex[b >> 4];
        out += k_hex[b & 15];
    }
    return out;
}

bool same_secret(std::string_view a, std::string_view b) {
    return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::optional<std::string> cookie_value(std::string_view header, std::string_view name) {
    while (!header.empty()) {
        auto semi = header.find(';');
        auto pair = header.substr(0, semi);
        header = semi == std::string_view::npos ? std::string_view{} : header.substr(semi + 1);
        while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
        while (!pair.empty() && pair.back() == ' ') pair.remove_suffix(1);
        auto eq = pair.find('=');
        if (eq != std::string_view::npos && pair.substr(0, eq) == name) return std::string(pair.substr(eq + 1));
    }
    return std::nullopt;
}

SessionTable::SessionTable(std::chrono::seconds idle, std::chrono::seconds lifetime, std::size_t max_sessions)
    : m_idle(idle), m_lifetime(lifetime), m_max(std::max<std::size_t>(1, max_sessions)) {}

SessionTable::Opened SessionTable::open(const std::string& user, const std::string& ip, SessionClock::time_point now) {
    Opened o;
    o.token = random_hex(32);
    o.session.user = user;
    o.session.csrf = random_hex(32);
    const auto key = content_hash(o.token);
    // The seat the audit names (in the server's language: the bureau's record of who edited where).
    o.session.seat = trf("browser {} #{}", ip, key.substr(0, 8));
    o.session.created = o.session.last_used = now;
    std::lock_guard lock(m_mutex);
    if (m_sessions.size() >= m_max) {
        // Full: the session used the longest ago makes room.
        auto oldest = std::min_element(m_sessions.begin(), m_sessions.end(),
                                       [](const auto& a, const auto& b) { return a.second.last_used < b.second.last_used; });
        m_sessions.erase(oldest);
    }
    m_sessions[key] = o.session;
    return o;
}

std::optional<Session> SessionTable::find(std::string_view token, SessionClock::time_point now) {
    // Looked up by the token's hash: the time a lookup takes tells nothing about a valid token.
    const auto key = content_hash(token);
    std::lock_guard lock(m_mutex);
    auto it = m_sessions.find(key);
    if (it == m_sessions.end()) return std::nullopt;
    auto& s = it->second;
    if (now - s.last_used > m_idle || now - s.created > m_lifetime) {
        m_sessions.erase(it);
        return std::nullopt;
    }
    s.last_used = now;
    return s;
}

void SessionTable::close(std::string_view token) {
    std::lock_guard lock(m_mutex);
    m_sessions.erase(content_hash(token));
}

std::size_t SessionTable::size() const {
    std::lock_guard lock(m_mutex);
    return m_sessions.size();
}

SignInLimiter::SignInLimiter(std::size_t max_failures, std::chrono::seconds window)
    : m_max(std::max<std::size_t>(1, max_failures)), m_window(window) {}

std::optional<std::chrono::seconds> SignInLimiter::wait_for(std::map<std::string, Count>& table, const std::string& key,
                                                            SessionClock::time_point now) {
    auto it = table.find(key);
    if (it == table.end()) return std::nullopt;
    if (now - it->second.first >= m_window) {
        table.erase(it);
        return std::nullopt;
    }
    if (it->second.failures < m_max) return std::nullopt;
    return std::chrono::ceil<std::chrono::seconds>(it->second.first + m_window - now);
}

std::optional<std::chrono::seconds> SignInLimiter::blocked(const std::string& ip, const std::string& user, SessionClock::time_point now) {
    std::lock_guard lock(m_mutex);
    auto a = wait_for(m_by_ip, ip, now);
    auto b = wait_for(m_by_user, user, now);
    if (a && b) return std::max(*a, *b);
    return a ? a : b;
}

void SignInLimiter::count(std::map<std::string, Count>& table, const std::string& key, SessionClock::time_point now) {
    // Bounded: a flood of names from many addresses must not grow the table without end.
    if (table.size() > 100000) table.clear();
    auto& c = table[key];
    if (c.failures == 0 || now - c.first >= m_window) c = {0, now};
    ++c.failures;
}

void SignInLimiter::failed(const std::string& ip, const std::string& user, SessionClock::time_point now) {
    std::lock_guard lock(m_mutex);
    count(m_by_ip, ip, now);
    count(m_by_user, user, now);
}

void SignInLimiter::succeeded(const std::string& user) {
    std::lock_guard lock(m_mutex);
    m_by_user.erase(user);
}

} // namespace vigil::web::detail
