// The edit API of `vigil serve --editors` over real sockets: sign-in, the session cookie, CSRF,
// roles, the brake on guessing, edits run by the edit service as the signed-in user and audited,
// plain HTTP on a network address, request bodies in the connection loop; and that no answer,
// log line or snapshot ever holds a password or its hash.

#include "web_test_support.hpp"

#include "test_paths.hpp"
#include "test_support.hpp"

#include <vigil/native/edit_store.hpp>
#include <vigil/store/sqlite.hpp>
#include <vigil/util/error.hpp>
#include <vigil/web/editors.hpp>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>

#include <sys/socket.h>
#include <unistd.h>

using namespace vigil::test::web;
namespace fs = std::filesystem;

namespace test_edit_api_cases {

constexpr const char* k_dispatcher = "王调度";
constexpr const char* k_dispatcher_password = "night-watch-2026";
constexpr const char* k_viewer = "look-only";
constexpr const char* k_viewer_password = "just-looking-1";

fs::path make_editors(const std::string& name) {
    auto dir = vigil::test::scratch_dir("editors-" + name);
    vigil::web::EditorsFile file;
    file.set({k_dispatcher, vigil::app::Role::Dispatcher, vigil::web::hash_password(k_dispatcher_password)});
    file.set({k_viewer, vigil::app::Role::Viewer, vigil::web::hash_password(k_viewer_password)});
    file.save(dir / "editors.tsv");
    return dir / "editors.tsv";
}

/// A server over the small project with editors; `adjust` as Site's.
struct EditSite {
    fs::path editors;
    Site site;
    EditSite(const std::string& name, const std::function<void(vigil::web::ServerOptions&)>& adjust = {})
        : editors(make_editors(name)), site("edit-api-" + name, false, std::chrono::milliseconds(200), [&](vigil::web::ServerOptions& o) {
              o.editors = editors;
              const auto db = o.database;
              // The full catalogue, as `vigil serve` opens it: incidents and dispatches are added to the project.
              o.open_edit_store = [db] { return vigil::native::SpatialiteEditStore::open(db, vigil::test::real_catalog()); };
              // `vigil serve` gives tools/cli's maker (tested with `vigil brief` and in Chromium);
              // here one that names its incident and refuses unknown ones as the real one does.
              o.make_brief = [](const std::string& incident) -> std::string {
                  if (incident.rfind("INC-", 0) != 0) throw vigil::UsageError("没有事件 no incident " + incident);
                  return "%PDF-1.5 brief of " + incident;
              };
              if (adjust) adjust(o);
          }) {}
    int port() const { return site.port(); }
};

std::string post_request(int port, const std::string& target, const std::string& body, const HeaderList& headers,
                         const std::string& content_type = "application/json") {
    std::string r = "POST " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) + "\r\n";
    if (!content_type.empty()) r += "Content-Type: " + content_type + "\r\n";
    for (const auto& [k, v] : headers) r += k + ": " + v + "\r\n";
    r += "Content-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
    return r;
}

HttpResponse post(int port, const std::string& target, const nlohmann::json& body, const HeaderList& headers = {},
                  const std::string& content_type = "application/json") {
    return parse_response(raw_exchange(port, post_request(port, target, body.dump(), headers, content_type)));
}

nlohmann::json json_of(const HttpResponse& r) { return nlohmann::json::parse(r.body, nullptr, false); }

/// A signed-in browser: its cookie and CSRF token.
struct Browser {
    std::string cookie, csrf;
    HeaderList headers() const { return {{"Cookie", cookie}, {"X-Vigil-CSRF", csrf}}; }
};

Browser sign_in(int port, const std::string& user, const std::string& password) {
    auto r = post(port, "/api/session", {{"user", user}, {"password", password}});
    REQUIRE(r.status == 200);
    const auto set_cookie = r.header("set-cookie");
    REQUIRE(set_cookie.starts_with("vigil_session="));
    Browser b;
    b.cookie = set_cookie.substr(0, set_cookie.find(';'));
    b.csrf = json_of(r)["csrf"].get<std::string>();
    return b;
}

std::string team_status(const fs::path& db, const std::string& team) {
    auto d = vigil::store::Database::open(db, vigil::store::Database::Mode::ReadOnly);
    auto s = d.prepare("SELECT status FROM rescue_teams WHERE id = ?");
    s.bind(1, team);
    REQUIRE(s.step());
    return std::string(s.column_text(0));
}

long long audit_rows(const fs::path& db) {
    auto d = vigil::store::Database::open(db, vigil::store::Database::Mode::ReadOnly);
    auto s = d.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'vigil_audit'");
    REQUIRE(s.step());
    if (s.column_int64(0) == 0) return 0;
    return count_rows(db, "SELECT count(*) FROM vigil_audit");
}

nlohmann::json status_edit(const std::string& team, const std::string& status) {
    return {{"op", "team_status"}, {"team", team}, {"status", status}};
}

} // namespace test_edit_api_cases

using namespace test_edit_api_cases;

TEST_CASE("edit API: a signed-in dispatcher's edit is committed as that user; without a session, CSRF token or same site, nothing changes",
          "[web][edit-api]") {
    EditSite s("dispatcher");
    const int port = s.port();
    const auto db = s.site.db;

    auto session = json_of(get(port, "/api/session"));
    CHECK(session["editing"] == true);
    CHECK(session["signed_in"] == false);

    // Unauthenticated: 401, nothing written.
    auto r = post(port, "/api/edits", status_edit("T01", "deployed"));
    CHECK(r.status == 401);
    CHECK(json_of(r)["reason"] == "not_signed_in");
    CHECK(team_status(db, "T01") == "available");

    CHECK(post(port, "/api/session", {{"user", k_dispatcher}, {"password", "wrong-password"}}).status == 401);
    CHECK(post(port, "/api/session", {{"user", "nobody"}, {"password", k_dispatcher_password}}).status == 401);

    auto signed_in = post(port, "/api/session", {{"user", k_dispatcher}, {"password", k_dispatcher_password}});
    REQUIRE(signed_in.status == 200);
    const auto set_cookie = signed_in.header("set-cookie");
    CHECK(set_cookie.find("HttpOnly") != std::string::npos);
    CHECK(set_cookie.find("SameSite=Strict") != std::string::npos);
    CHECK(set_cookie.find("Path=/") != std::string::npos);
    CHECK(signed_in.header("cache-control") == "no-store");
    Browser b;
    b.cookie = set_cookie.substr(0, set_cookie.find(';'));
    b.csrf = json_of(signed_in)["csrf"].get<std::string>();
    CHECK(json_of(signed_in)["role"] == "dispatcher");
    CHECK(b.csrf.size() == 64);

    auto who = json_of(get(port, "/api/session", {{"Cookie", b.cookie}}));
    CHECK(who["signed_in"] == true);
    CHECK(who["user"] == k_dispatcher);
    CHECK(who["csrf"] == b.csrf);

    // The cookie alone is not enough: the CSRF token, the same site and JSON are needed too.
    r = post(port, "/api/edits", status_edit("T01", "deployed"), {{"Cookie", b.cookie}});
    CHECK(r.status == 403);
    CHECK(json_of(r)["reason"] == "csrf");
    r = post(port, "/api/edits", status_edit("T01", "deployed"), {{"Cookie", b.cookie}, {"X-Vigil-CSRF", std::string(64, '0')}});
    CHECK(r.status == 403);
    r = post(port, "/api/edits", status_edit("T01", "deployed"),
             {{"Cookie", b.cookie}, {"X-Vigil-CSRF", b.csrf}, {"Origin", "http://evil.example"}});
    CHECK(r.status == 403);
    CHECK(json_of(r)["reason"] == "cross_site");
    r = post(port, "/api/edits", status_edit("T01", "deployed"),
             {{"Cookie", b.cookie}, {"X-Vigil-CSRF", b.csrf}, {"Sec-Fetch-Site", "cross-site"}});
    CHECK(r.status == 403);
    r = post(port, "/api/edits", status_edit("T01", "deployed"), b.headers(), "text/plain");
    CHECK(r.status == 415);
    CHECK(team_status(db, "T01") == "available");
    CHECK(audit_rows(db) == 0);

    // Signed in, same site, token: committed, and the audit names the user and the browser.
    r = post(port, "/api/edits", status_edit("T01", "出动"),
             {{"Cookie", b.cookie}, {"X-Vigil-CSRF", b.csrf}, {"Origin", "http://127.0.0.1:" + std::to_string(port)}});
    REQUIRE(r.status == 200);
    auto result = json_of(r);
    CHECK(result["status"] == "committed");
    CHECK(result["operation"] == "team_status");
    CHECK(team_status(db, "T01") == "deployed");
    CHECK(count_rows(db, "SELECT count(*) FROM vigil_audit WHERE user = '王调度' AND seat LIKE 'browser 127.0.0.1 #%' AND "
                         "record_id = 'T01' AND after = 'deployed'") == 1);

    // A stale edit is refused with both values and the other editor (409), not applied.
    r = post(port, "/api/edits", {{"op", "team_status"}, {"team", "T01"}, {"status", "resting"}, {"expect_version", 1}}, b.headers());
    CHECK(r.status == 409);
    CHECK(json_of(r)["reason"] == "stale_version");
    CHECK(json_of(r)["other_user"] == k_dispatcher);
    CHECK(team_status(db, "T01") == "deployed");

    // A bad command names what is wrong.
    r = post(port, "/api/edits", {{"op", "team_status"}, {"team", "T01"}}, b.headers());
    CHECK(r.status == 422);
    CHECK(json_of(r)["message"].get<std::string>().find("\"status\" is missing") != std::string::npos);
    r = post(port, "/api/edits", {{"op", "team_status"}, {"team", "T01"}, {"status", "x"}, {"expect_versoin", 2}}, b.headers());
    CHECK(r.status == 422);
    CHECK(json_of(r)["message"].get<std::string>().find("expect_versoin") != std::string::npos);

    // An incident opened from the browser, and its log.
    r = post(port, "/api/edits", {{"op", "incident_open"}, {"at", {113.24, 35.2}}, {"type", "fire"}, {"title", "仓库起火"}}, b.headers());
    INFO(r.body);
    REQUIRE(r.status == 200);
    const auto incident = json_of(r)["incident"].get<std::string>();
    CHECK(get(port, "/api/incidents/log?id=" + incident).status == 401);
    auto log = get(port, "/api/incidents/log?id=" + incident, {{"Cookie", b.cookie}});
    REQUIRE(log.status == 200);
    CHECK(json_of(log)["events"][0]["event"] == "opened");
    CHECK(json_of(log)["events"][0]["user"] == k_dispatcher);

    // Signed out: the same cookie and token no longer write.
    CHECK(post(port, "/api/session/end", nlohmann::json::object(), b.headers()).status == 200);
    r = post(port, "/api/edits", status_edit("T01", "available"), b.headers());
    CHECK(r.status == 401);
    CHECK(team_status(db, "T01") == "deployed");
}

TEST_CASE("edit API: a viewer-role user is refused every write; a dispatcher may not undo", "[web][edit-api]") {
    EditSite s("roles");
    const int port = s.port();
    auto viewer = sign_in(port, k_viewer, k_viewer_password);
    auto r = post(port, "/api/edits", status_edit("T01", "deployed"), viewer.headers());
    CHECK(r.status == 403);
    CHECK(json_of(r)["reason"] == "role");
    CHECK(team_status(s.site.db, "T01") == "available");

    auto dispatcher = sign_in(port, k_dispatcher, k_dispatcher_password);
    REQUIRE(post(port, "/api/edits", status_edit("T01", "deployed"), dispatcher.headers()).status == 200);
    r = post(port, "/api/edits", {{"op", "undo"}, {"seq", 1}}, dispatcher.headers());
    CHECK(r.status == 403);
    CHECK(json_of(r)["message"].get<std::string>().find("duty_officer") != std::string::npos);
    CHECK(team_status(s.site.db, "T01") == "deployed");
}

TEST_CASE("edit API: guessing is braked per address and per name", "[web][edit-api]") {
    EditSite s("limits");
    const int port = s.port();
    for (int i = 0; i < 5; ++i)
        CHECK(post(port, "/api/session", {{"user", k_dispatcher}, {"password", "guess-" + std::to_string(i)}}).status == 401);
    // The sixth try is refused before the password is looked at, even the right one.
    auto r = post(port, "/api/session", {{"user", k_dispatcher}, {"password", k_dispatcher_password}});
    CHECK(r.status == 429);
    CHECK(!r.header("retry-after").empty());
    // ... and so is any other name from that address, for the rest of the minute.
    CHECK(post(port, "/api/session", {{"user", k_viewer}, {"password", k_viewer_password}}).status == 429);
}

TEST_CASE("edit API: accounts added or removed while serving count at once", "[web][edit-api]") {
    EditSite s("accounts");
    const int port = s.port();
    // A new account (vigil user add while the server runs) signs in after the next look.
    auto file = vigil::web::EditorsFile::load(s.editors);
    file.set({"值班长", vigil::app::Role::DutyOfficer, vigil::web::hash_password("duty-officer-pw")});
    file.save(s.editors);
    HttpResponse signed_in;
    for (int i = 0; i < 50; ++i) {
        signed_in = post(port, "/api/session", {{"user", "值班长"}, {"password", "duty-officer-pw"}});
        if (signed_in.status == 200) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    REQUIRE(signed_in.status == 200);
    CHECK(json_of(signed_in)["role"] == "duty_officer");
    Browser officer;
    officer.cookie = signed_in.header("set-cookie").substr(0, signed_in.header("set-cookie").find(';'));
    officer.csrf = json_of(signed_in)["csrf"].get<std::string>();

    // Removed: the session ends with the account.
    file.remove("值班长");
    file.save(s.editors);
    int status = 0;
    for (int i = 0; i < 50; ++i) {
        status = post(port, "/api/edits", status_edit("T01", "deployed"), officer.headers()).status;
        if (status == 401) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    CHECK(status == 401);
}

TEST_CASE("edit API: passwords and their hashes are never in answers, logs or the page's snapshot", "[web][edit-api]") {
    EditSite s("secrets");
    const int port = s.port();
    auto b = sign_in(port, k_dispatcher, k_dispatcher_password);
    CHECK(post(port, "/api/session", {{"user", k_viewer}, {"password", "not-the-password"}}).status == 401);
    REQUIRE(post(port, "/api/edits", status_edit("T02", "available"), b.headers()).status == 200);
    REQUIRE(s.site.server->refresh());
    auto snapshot = get(port, "/data/project.sqlite");
    REQUIRE(snapshot.status == 200);
    const auto bytes = snapshot.decoded_body();

    const auto hash_of_dispatcher = vigil::web::EditorsFile::load(s.editors).find(k_dispatcher)->password_hash;
    const std::string salt = hash_of_dispatcher.substr(std::string("$scrypt$ln=15,r=8,p=1$").size(), 24);
    for (const std::string& secret : {std::string(k_dispatcher_password), std::string("not-the-password"), std::string("$scrypt$"), salt}) {
        INFO(secret);
        CHECK(bytes.find(secret) == std::string::npos);
        CHECK(s.site.access.count_containing(secret) == 0);
        CHECK(s.site.errors.count_containing(secret) == 0);
        CHECK(json_of(get(port, "/api/session", {{"Cookie", b.cookie}})).dump().find(secret) == std::string::npos);
    }
    // The snapshot holds no account table, and not the audit (who edited stays on the server).
    REQUIRE(integrity_of(bytes, s.site.dir / "downloaded.sqlite") == "ok");
    CHECK(count_rows(s.site.dir / "downloaded.sqlite",
                     "SELECT count(*) FROM sqlite_master WHERE name LIKE '%user%' OR name LIKE '%editor%' "
                     "OR name = 'vigil_audit'") == 0);
    // The log says who signed in and who failed, by name, never with what they typed.
    CHECK(s.site.access.count_containing("auth: 王调度 signed in from 127.0.0.1") == 1);
    CHECK(s.site.access.count_containing("auth: sign-in refused for look-only") == 1);
}

TEST_CASE("edit API: on a network address without TLS, sign-in is refused unless --insecure-http", "[web][edit-api]") {
    {
        EditSite s("plain-network", [](vigil::web::ServerOptions& o) { o.bind_address = "0.0.0.0"; });
        auto session = json_of(get(s.port(), "/api/session"));
        CHECK(session["editing"] == false);
        CHECK(session["why"].get<std::string>().find("TLS") != std::string::npos);
        auto r = post(s.port(), "/api/session", {{"user", k_dispatcher}, {"password", k_dispatcher_password}});
        CHECK(r.status == 403);
        CHECK(json_of(r)["reason"] == "no_tls");
        CHECK(!r.has("set-cookie"));
    }
    {
        EditSite s("insecure-network", [](vigil::web::ServerOptions& o) {
            o.bind_address = "0.0.0.0";
            o.insecure_http = true;
        });
        auto b = sign_in(s.port(), k_dispatcher, k_dispatcher_password);
        CHECK(post(s.port(), "/api/edits", status_edit("T01", "deployed"), b.headers()).status == 200);
    }
}

TEST_CASE("edit API: without --editors the server stays read-only", "[web][edit-api]") {
    Site site("edit-api-none");
    auto r = post(site.port(), "/api/edits", status_edit("T01", "deployed"));
    CHECK(r.status == 405);
    CHECK(r.header("allow") == "GET, HEAD");
    CHECK(get(site.port(), "/api/session").status == 404);
    CHECK(json_of(get(site.port(), "/data/manifest.json"))["read_only"] == true);
}

TEST_CASE("edit API: the connection loop reads bodies whole, bounded, and keeps the connection", "[web][edit-api]") {
    EditSite s("bodies");
    const int port = s.port();
    // Larger than 64 KiB: refused before the body is read.
    auto big = parse_response(raw_exchange(port, post_request(port, "/api/edits", std::string(70000, ' '), {})));
    CHECK(big.status == 413);
    // Chunked: refused (a body must say its length).
    auto chunked =
        parse_response(raw_exchange(port, "POST /api/session HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) +
                                              "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"));
    CHECK(chunked.status == 411);
    // A POST to another path: 405, naming what is allowed.
    auto elsewhere = parse_response(raw_exchange(port, post_request(port, "/index.html", "{}", {})));
    CHECK(elsewhere.status == 405);
    CHECK(elsewhere.header("allow") == "GET, HEAD, POST");

    // A body in two pieces, then a pipelined GET on the same connection.
    const std::string body = nlohmann::json{{"user", k_dispatcher}, {"password", k_dispatcher_password}}.dump();
    std::string head = "POST /api/session HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) +
                       "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n";
    int fd = connect_loopback(port);
    std::string first = head + body.substr(0, 10);
    REQUIRE(::send(fd, first.data(), first.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(first.size()));
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    std::string rest =
        body.substr(10) + "GET /api/session HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) + "\r\nConnection: close\r\n\r\n";
    REQUIRE(::send(fd, rest.data(), rest.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(rest.size()));
    std::string all;
    char buf[4096];
    for (ssize_t n; (n = ::recv(fd, buf, sizeof buf, 0)) > 0;) all.append(buf, static_cast<std::size_t>(n));
    ::close(fd);
    CHECK(all.starts_with("HTTP/1.1 200"));
    const auto second = all.find("HTTP/1.1 200", 10);
    REQUIRE(second != std::string::npos);
    CHECK(all.find("\"signed_in\": false", second) != std::string::npos); // no cookie sent: a second, separate answer
}

TEST_CASE("edit API: the incident brief is made for signed-in users only, as a PDF download", "[web][edit-api]") {
    EditSite s("brief");
    const int port = s.port();
    CHECK(get(port, "/api/brief?incident=INC-1").status == 401);
    auto viewer = sign_in(port, k_viewer, k_viewer_password);
    auto r = get(port, "/api/brief?incident=INC-1", {{"Cookie", viewer.cookie}});
    REQUIRE(r.status == 200);
    CHECK(r.header("content-type") == "application/pdf");
    CHECK(r.header("content-disposition") == "attachment; filename=\"brief-INC-1.pdf\"");
    CHECK(r.header("cache-control") == "no-store");
    CHECK(r.body == "%PDF-1.5 brief of INC-1");
    CHECK(get(port, "/api/brief?incident=nope", {{"Cookie", viewer.cookie}}).status == 404);
    CHECK(get(port, "/api/brief", {{"Cookie", viewer.cookie}}).status == 400);
}
