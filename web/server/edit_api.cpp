// The edit API of `vigil serve` (edit_api.hpp).

#include "edit_api.hpp"

#include "http_rules.hpp"

#include <vigil/app/brief.hpp>
#include <vigil/app/edit_command.hpp>
#include <vigil/app/replay.hpp>
#include <vigil/util/error.hpp>
#include <vigil/util/i18n.hpp>
#include <vigil/util/text.hpp>

#include <nlohmann/json.hpp>

#include <semaphore>

namespace vigil::web::detail {

namespace {

constexpr std::string_view k_cookie = "vigil_session";

Response json_answer(int status, const nlohmann::ordered_json& j) {
    Response r;
    r.status = status;
    r.set_header("Content-Type", "application/json; charset=utf-8");
    r.set_header("Cache-Control", "no-store");
    r.set_body(j.dump(2) + "\n");
    return r;
}

Response refusal(int status, const std::string& message, std::string_view reason = "refused") {
    return json_answer(status, {{"status", "refused"}, {"reason", reason}, {"message", message}});
}

int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// The value of `key` in a query string ("id=INC-1&x=2"), percent-decoded ('+' is a space).
std::optional<std::string> query_value(std::string_view query, std::string_view key) {
    for (auto pair : text::split(query, '&')) {
        auto eq = pair.find('=');
        if (pair.substr(0, eq) != key || eq == std::string_view::npos) continue;
        std::string out;
        auto v = pair.substr(eq + 1);
        for (std::size_t i = 0; i < v.size(); ++i) {
            if (v[i] == '+') out += ' ';
            else if (v[i] == '%' && i + 2 < v.size() && hex_digit(v[i + 1]) >= 0 && hex_digit(v[i + 2]) >= 0) {
                out += static_cast<char>(hex_digit(v[i + 1]) * 16 + hex_digit(v[i + 2]));
                i += 2;
            } else out += v[i];
        }
        return out;
    }
    return std::nullopt;
}

// A user name for the log: as written when it is a plausible name (valid UTF-8, no control
// bytes: Chinese names stay readable), else escaped like any untrusted text.
std::string log_name(std::string_view name) {
    try {
        check_user_name(name);
        return std::string(name);
    } catch (const UsageError&) {
        return log_safe(name, 64);
    }
}

// scrypt takes 32 MiB a try: at most this many at once, however many sign-ins arrive.
std::counting_semaphore<2> g_hashing{2};

bool verify_bounded(std::string_view password, std::string_view hash) {
    g_hashing.acquire();
    bool ok = false;
    try {
        ok = verify_password(password, hash);
    } catch (...) {
        g_hashing.release();
        throw;
    }
    g_hashing.release();
    return ok;
}

} // namespace

EditApi::EditApi(EditApiOptions options) : m_options(std::move(options)) {
    if (!m_options.editors.empty()) {
        m_accounts = EditorsFile::load(m_options.editors);
        std::error_code ec;
        m_accounts_time = std::filesystem::last_write_time(m_options.editors, ec);
        m_accounts_size = std::filesystem::file_size(m_options.editors, ec);
    }
}

bool EditApi::is_write_path(std::string_view path) { return path == "/api/session" || path == "/api/session/end" || path == "/api/edits"; }

bool EditApi::takes_body(const ParsedHead& head) {
    return head.method == "POST" && is_write_path(std::string_view(head.target).substr(0, head.target.find('?')));
}

void EditApi::reload_if_changed() {
    if (m_options.editors.empty()) return;
    std::error_code ec;
    auto time = std::filesystem::last_write_time(m_options.editors, ec);
    auto size = std::filesystem::file_size(m_options.editors, ec);
    {
        std::lock_guard lock(m_accounts_mutex);
        if (time == m_accounts_time && size == m_accounts_size) return;
    }
    try {
        auto file = EditorsFile::load(m_options.editors);
        std::lock_guard lock(m_accounts_mutex);
        m_accounts = std::move(file);
        m_accounts_time = time;
        m_accounts_size = size;
        m_reload_error.clear();
        if (m_options.note) m_options.note(trf("auth: {} changed: {} accounts", m_options.editors.string(), m_accounts.accounts().size()));
    } catch (const std::exception& e) {
        std::lock_guard lock(m_accounts_mutex);
        if (m_reload_error != e.what() && m_options.problem)
            m_options.problem(trf("auth: still using the previous accounts: {}", e.what()));
        m_reload_error = e.what();
    }
}

std::optional<EditorAccount> EditApi::account(const std::string& user) const {
    std::lock_guard lock(m_accounts_mutex);
    const auto* a = m_accounts.find(user);
    if (!a) return std::nullopt;
    return *a;
}

std::optional<EditApi::Signed> EditApi::signed_in(const ParsedHead& head) {
    auto token = cookie_value(head.value("Cookie"), k_cookie);
    if (!token || token->empty()) return std::nullopt;
    auto session = m_sessions.find(*token);
    if (!session) return std::nullopt;
    auto acc = account(session->user);
    if (!acc) {
        // Removed from the editors file: the session ends with the account.
        m_sessions.close(*token);
        return std::nullopt;
    }
    return Signed{*token, std::move(*session), std::move(*acc)};
}

std::string EditApi::cookie(const std::string& token, bool clear) const {
    // i18n: not shown: a header
    std::string c = std::string(k_cookie) + "=" + (clear ? std::string() : token) + "; Path=/; HttpOnly; SameSite=Strict";
    if (clear) c += "; Max-Age=0";
    if (m_options.secure_cookie) c += "; Secure";
    return c;
}

Response EditApi::get(const ParsedHead& head, const std::string& path, const std::string& query, const std::string&) {
    if (path == "/api/session") {
        nlohmann::ordered_json j;
        if (m_options.editors.empty()) {
            j["editing"] = false;
            j["why"] = tr("this server takes no edits (started without --editors)");
        } else if (!m_options.refused.empty()) {
            j["editing"] = false;
            j["why"] = m_options.refused;
        } else {
            j["editing"] = true;
        }
        auto who = signed_in(head);
        j["signed_in"] = who.has_value();
        if (who) {
            j["user"] = who->account.user;
            j["role"] = app::role_code(who->account.role);
            j["role_label"] = app::role_label(who->account.role);
            j["csrf"] = who->session.csrf;
            j["seat"] = who->session.seat;
        }
        return json_answer(200, j);
    }
    if (path == "/api/incidents/log") {
        if (!signed_in(head)) return refusal(401, tr("sign in first"), "not_signed_in");
        return incident_log(query);
    }
    if (path == "/api/audit") {
        if (!signed_in(head)) return refusal(401, tr("sign in first"), "not_signed_in");
        return audit_after(query);
    }
    if (path == "/api/brief") {
        // The brief holds the incident's log (who did what): signed-in users only, as the audit.
        if (!signed_in(head)) return refusal(401, tr("sign in first"), "not_signed_in");
        return brief(query);
    }
    if (is_write_path(path)) {
        Response r = refusal(405, trf("this address takes only {}", "POST"));
        r.set_header("Allow", "POST");
        return r;
    }
    return refusal(404, tr("no such address in the edit API"), "not_found");
}

Response EditApi::post(const ParsedHead& head, const std::string& path, const std::string& body, const std::string& ip) {
    // Same site only: a page elsewhere that makes this browser post here is refused before
    // anything is read (the SameSite cookie is the first line, this the second, the CSRF token
    // the third).
    const std::string host(head.value("Host"));
    if (const auto* origin = head.field("Origin"); origin && *origin != "http://" + host && *origin != "https://" + host)
        return refusal(403, trf("a request from another site ({} {}) is refused", "Origin", log_safe(*origin, 100)), "cross_site");
    if (const auto* site = head.field("Sec-Fetch-Site"); site && *site != "same-origin" && *site != "none")
        return refusal(403, trf("a request from another site ({} {}) is refused", "Sec-Fetch-Site", log_safe(*site, 40)), "cross_site");
    if (!head.value("Content-Type").starts_with("application/json"))
        return refusal(415, trf("the body must be JSON ({})", "Content-Type: application/json"), "not_json");
    if (m_options.editors.empty()) return refusal(403, tr("this server takes no edits (started without --editors)"), "no_editing");
    if (!m_options.refused.empty()) return refusal(403, m_options.refused, "no_tls");
    if (path == "/api/session") return sign_in(body, ip);

    auto who = signed_in(head);
    if (!who) return refusal(401, tr("sign in first (no session, or it ended)"), "not_signed_in");
    if (!same_secret(head.value("X-Vigil-CSRF"), who->session.csrf))
        return refusal(403, trf("the {} token is missing or wrong", "X-Vigil-CSRF"), "csrf");
    if (path == "/api/session/end") {
        m_sessions.close(who->token);
        if (m_options.note) m_options.note(trf("auth: {} signed out from {}", log_name(who->account.user), ip));
        Response r = json_answer(200, {{"signed_in", false}});
        r.set_header("Set-Cookie", cookie({}, true));
        return r;
    }
    return run_edit(*who, body);
}

Response EditApi::sign_in(const std::string& body, const std::string& ip) {
    auto j = nlohmann::json::parse(body, nullptr, false);
    if (!j.is_object() || !j.contains("user") || !j.contains("password") || !j["user"].is_string() || !j["password"].is_string())
        return refusal(400, trf("sign in with {}", R"({"user": "…", "password": "…"})"), "bad_request");
    const auto user = j["user"].get<std::string>();
    const auto password = j["password"].get<std::string>();
    if (auto wait = m_limiter.blocked(ip, user)) {
        Response r = refusal(429, trf("too many failed sign-ins: try again in {} s", wait->count()), "rate_limited");
        r.set_header("Retry-After", std::to_string(wait->count()));
        return r;
    }
    auto acc = account(user);
    // An unknown user costs the same scrypt as a known one: the answer's time does not say
    // which names exist.
    static const std::string k_dummy = hash_password("vigil-no-such-user");
    const bool ok = verify_bounded(password, acc ? acc->password_hash : k_dummy) && acc;
    if (!ok) {
        m_limiter.failed(ip, user);
        if (m_options.note) m_options.note(trf("auth: sign-in refused for {} from {}", log_name(user), ip));
        return refusal(401, tr("wrong user name or password"), "wrong_password");
    }
    m_limiter.succeeded(user);
    auto opened = m_sessions.open(acc->user, ip);
    if (m_options.note) m_options.note(trf("auth: {} signed in from {} as {}", log_name(acc->user), ip, app::role_code(acc->role)));
    Response r = json_answer(200, {{"signed_in", true},
                                   {"user", acc->user},
                                   {"role", app::role_code(acc->role)},
                                   {"role_label", app::role_label(acc->role)},
                                   {"csrf", opened.session.csrf},
                                   {"seat", opened.session.seat}});
    r.set_header("Set-Cookie", cookie(opened.token, false));
    return r;
}

Response EditApi::run_edit(const Signed& who, const std::string& body) {
    auto j = nlohmann::json::parse(body, nullptr, false);
    if (j.is_discarded()) return refusal(400, tr("the body is not JSON"), "bad_request");
    app::EditCommand command;
    try {
        command = app::parse_edit_command(j);
    } catch (const UsageError& e) {
        return refusal(422, e.what(), "bad_command");
    }
    if (!app::may_run(who.account.role, command))
        return refusal(403,
                       trf("{0} may not do this ({1}): role {2}, needs {3}", who.account.user, app::command_label(command),
                           app::role_label(who.account.role), app::role_label(app::role_needed(command))),
                       "role");
    if (!m_options.open_store) return refusal(503, tr("this server cannot open the project for edits"), "no_store");
    const app::EditContext ctx{{who.account.user, who.session.seat}, ""};
    std::lock_guard lock(m_store_mutex);
    try {
        if (!m_store) m_store = m_options.open_store();
        auto result = app::run_edit(*m_store, command, ctx);
        if (m_options.note) m_options.note(trf("edit: {} {} {}", log_name(who.account.user), app::operation_of(command), result.change_id));
        return json_answer(200, app::to_json(result));
    } catch (const app::EditConflict& e) {
        return json_answer(409, app::to_json(e.conflict()));
    } catch (const UsageError& e) {
        return refusal(422, e.what(), "refused");
    } catch (const std::exception& e) {
        // The store may be broken (the disk, a lock held too long): opened again next time.
        m_store.reset();
        if (m_options.problem) m_options.problem(trf("edit: not committed: {}", e.what()));
        return refusal(503, trf("not committed: {}", e.what()), "store");
    }
}

Response EditApi::audit_after(const std::string& query) {
    auto after = query_value(query, "after");
    if (!after || after->empty())
        return refusal(400, trf("name the moment: {}", "/api/audit?after=2026-12-07T03:00:00.000Z"), "bad_request");
    std::string at;
    try {
        at = app::utc_of_typed_time(*after);
    } catch (const UsageError& e) {
        return refusal(400, e.what(), "bad_request");
    }
    if (!m_options.open_store) return refusal(503, tr("this server cannot open the project's audit"), "no_store");
    std::lock_guard lock(m_store_mutex);
    try {
        if (!m_store) m_store = m_options.open_store();
        app::AuditQuery q;
        q.after_at = at;
        auto rows = nlohmann::ordered_json::array();
        for (const auto& e : m_store->audit(q)) rows.push_back(app::to_json(e));
        return json_answer(200, rows);
    } catch (const std::exception& e) {
        m_store.reset();
        return refusal(503, e.what(), "store");
    }
}

Response EditApi::brief(const std::string& query) {
    auto id = query_value(query, "incident");
    if (!id || id->empty()) return refusal(400, trf("name the incident: {}", "/api/brief?incident=INC-…"), "bad_request");
    if (!m_options.make_brief) return refusal(503, tr("this server cannot make briefs"), "no_brief");
    try {
        Response r;
        r.status = 200;
        r.set_header("Content-Type", "application/pdf");
        r.set_header("Cache-Control", "no-store");
        r.set_header("Content-Disposition", "attachment; filename=\"" + app::brief_file_name("", *id) + "\""); // i18n: not shown: a header
        r.set_body(m_options.make_brief(*id));
        return r;
    } catch (const UsageError& e) {
        return refusal(404, e.what(), "not_found");
    } catch (const std::exception& e) {
        if (m_options.problem) m_options.problem(trf("brief: {}", e.what()));
        return refusal(503, trf("no brief: {}", e.what()), "brief");
    }
}

Response EditApi::incident_log(const std::string& query) {
    auto id = query_value(query, "id");
    if (!id || id->empty()) return refusal(400, trf("name the incident: {}", "/api/incidents/log?id=INC-…"), "bad_request");
    if (!m_options.open_store) return refusal(503, tr("this server cannot open the project's audit"), "no_store");
    std::lock_guard lock(m_store_mutex);
    try {
        if (!m_store) m_store = m_options.open_store();
        return json_answer(200, app::to_json(app::incident_log(*m_store, *id)));
    } catch (const UsageError& e) {
        return refusal(404, e.what(), "not_found");
    } catch (const std::exception& e) {
        m_store.reset();
        return refusal(503, e.what(), "store");
    }
}

} // namespace vigil::web::detail
