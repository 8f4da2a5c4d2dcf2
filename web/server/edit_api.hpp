/// @file
/// The edit API of `vigil serve` (docs/server.md, "Editing from a browser"): sign-in, the
/// session, and edit commands run as the signed-in user. Private to vigil_web_server.
///
///   GET  /api/session            who is signed in here: {"editing", "why", "user", "role", "csrf"}
///   POST /api/session            sign in: {"user", "password"} -> the session cookie
///   POST /api/session/end        sign out (CSRF)
///   POST /api/edits              one edit command (app/edit_command.hpp; CSRF) -> the edit's result
///   GET  /api/incidents/log?id=  an incident's log (signed in)
///   GET  /api/audit?after=TIME   the audit rows after a moment (signed in): the page's replay
///   GET  /api/brief?incident=ID  the incident's brief, a one-page PDF (signed in)
///
/// Every write needs: the request naming this site (Origin, when sent, and Sec-Fetch-Site),
/// Content-Type application/json, and — but for the sign-in itself — the session cookie
/// (HttpOnly, SameSite=Strict; else 401) and its CSRF token in X-Vigil-CSRF (else 403). The
/// edit names its user and the browser's seat in the audit table. Passwords and their hashes
/// are never logged, and no answer holds one.
#pragma once

#include "event_loop.hpp"
#include "sessions.hpp"

#include <vigil/app/edits.hpp>
#include <vigil/web/editors.hpp>

#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace vigil::web::detail {

struct EditApiOptions {
    std::filesystem::path editors; ///< the editors file; empty: nobody signs in, no edits
    std::function<std::unique_ptr<app::EditStore>()> open_store;
    std::function<std::string(const std::string& incident)> make_brief; ///< PDF bytes
    /// Why no one may sign in although there are editors (plain HTTP beyond loopback); "" = may.
    std::string refused;
    bool secure_cookie = false; ///< TLS: the cookie gets Secure
    std::function<void(const std::string&)> note, problem;
};

class EditApi {
public:
    /// @throws what EditorsFile::load throws.
    explicit EditApi(EditApiOptions options);

    static bool is_api_path(std::string_view path) { return path == "/api" || path.starts_with("/api/"); }
    /// /api/session, /api/session/end, /api/edits.
    static bool is_write_path(std::string_view path);
    /// The requests that carry a body: POSTs to the three write addresses.
    static bool takes_body(const ParsedHead& head);
    /// GET/HEAD of an /api/ path.
    Response get(const ParsedHead& head, const std::string& path, const std::string& query, const std::string& ip);
    /// POST of an /api/ path (the host was checked).
    Response post(const ParsedHead& head, const std::string& path, const std::string& body, const std::string& ip);
    /// Reads the editors file again when it changed (the server's watcher); a file that no
    /// longer reads keeps the previous accounts, and says why once.
    void reload_if_changed();

private:
    struct Signed {
        std::string token;
        Session session;
        EditorAccount account; ///< as the editors file says now (role changes count at once)
    };
    /// The request's session; none when it has no (live) cookie or its user is gone.
    std::optional<Signed> signed_in(const ParsedHead& head);
    std::optional<EditorAccount> account(const std::string& user) const;
    Response sign_in(const std::string& body, const std::string& ip);
    Response run_edit(const Signed& who, const std::string& body);
    Response incident_log(const std::string& query);
    Response audit_after(const std::string& query);
    Response brief(const std::string& query);
    std::string cookie(const std::string& token, bool clear) const;

    EditApiOptions m_options;
    mutable std::mutex m_accounts_mutex;
    EditorsFile m_accounts;
    std::filesystem::file_time_type m_accounts_time{};
    std::uintmax_t m_accounts_size = 0;
    std::string m_reload_error;
    SessionTable m_sessions;
    SignInLimiter m_limiter;
    std::mutex m_store_mutex; ///< one edit at a time on the store (the service's transactions are the real guard)
    std::unique_ptr<app::EditStore> m_store;
};

} // namespace vigil::web::detail
