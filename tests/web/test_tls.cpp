// `vigil serve --cert --key`: the same server over TLS (docs/server.md, "TLS"). An OpenSSL client
// on a blocking socket (TlsClient, web_test_support.hpp) talks to an in-process server whose
// self-signed certificate is made at test time with the openssl command.

#include "web_test_support.hpp"

#include "test_paths.hpp"

#include <vigil/store/sqlite.hpp>
#include <vigil/util/error.hpp>
#include <vigil/web/editors.hpp>

#include <catch2/catch.hpp>

#include <chrono>
#include <functional>
#include <string>
#include <thread>

namespace fs = std::filesystem;
using namespace vigil::test::web;

namespace test_tls_cases {

// The adjustment of a Site that makes it serve TLS.
std::function<void(vigil::web::ServerOptions&)> with_tls(std::function<void(vigil::web::ServerOptions&)> more = {}) {
    return [more](vigil::web::ServerOptions& o) {
        o.tls_cert = test_tls_files().cert;
        o.tls_key = test_tls_files().key;
        if (more) more(o);
    };
}

std::string request(int port, std::string_view method, std::string_view target, bool keep_alive, const HeaderList& headers = {},
                    std::string_view body = {}) {
    std::string r = std::string(method) + " " + std::string(target) + " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) + "\r\n";
    for (const auto& [name, value] : headers) r += name + ": " + value + "\r\n";
    if (!body.empty()) r += "Content-Length: " + std::to_string(body.size()) + "\r\n";
    r += keep_alive ? "\r\n" : "Connection: close\r\n\r\n";
    return r + std::string(body);
}

// A minimal folder for servers that are only constructed.
vigil::web::ServerOptions unstarted_options(const fs::path& dir) {
    write_file(dir / "web" / "index.html", "<!doctype html>");
    fs::copy_file(vigil::test::data_dir() / "project_small.sqlite", dir / "p.sqlite", fs::copy_options::overwrite_existing);
    vigil::web::ServerOptions o;
    o.database = dir / "p.sqlite";
    o.web_dir = dir / "web";
    o.port = 0;
    o.error_log = {};
    return o;
}

std::string construction_error(const vigil::web::ServerOptions& o) {
    try {
        vigil::web::Server server(o);
    } catch (const vigil::Error& e) {
        return e.what();
    }
    return "(no error)";
}

} // namespace test_tls_cases

using namespace test_tls_cases;

TEST_CASE("a GET over TLS returns the file with HSTS", "[web][tls]") {
    Site site("tls-get", false, std::chrono::milliseconds(200), with_tls());
    CHECK(site.server->url() == "https://127.0.0.1:" + std::to_string(site.port()) + "/");
    TlsClient client(site.port(), test_tls_files().cert);
    CHECK((client.protocol() == "TLSv1.3" || client.protocol() == "TLSv1.2"));
    client.send(request(site.port(), "GET", "/", false));
    auto r = client.response();
    CHECK(r.status == 200);
    CHECK(r.body == site.files.at("index.html"));
    CHECK(r.header("strict-transport-security") == "max-age=31536000");
    CHECK(r.header("content-security-policy").find("default-src 'self'") == 0);
}

TEST_CASE("plain HTTP has no HSTS header", "[web][tls]") {
    Site site("tls-plain-no-hsts");
    CHECK(site.server->url().starts_with("http://"));
    auto r = get(site.port(), "/");
    CHECK(r.status == 200);
    CHECK_FALSE(r.has("strict-transport-security"));
}

TEST_CASE("a TLS connection stays open for the next request", "[web][tls]") {
    Site site("tls-keepalive", false, std::chrono::milliseconds(200), with_tls());
    TlsClient client(site.port(), test_tls_files().cert);
    client.send(request(site.port(), "GET", "/vigil.js", true));
    auto first = client.response();
    CHECK(first.status == 200);
    CHECK(first.header("connection") == "keep-alive");
    CHECK(first.body == site.files.at("vigil.js"));
    // Two pipelined in one TLS record: the second is answered from the bytes already decrypted.
    client.send(request(site.port(), "GET", "/vigil.css", true) + request(site.port(), "GET", "/index.html", false));
    auto second = client.response();
    auto third = client.response();
    CHECK(second.status == 200);
    CHECK(second.body == site.files.at("vigil.css"));
    CHECK(third.status == 200);
    CHECK(third.body == site.files.at("index.html"));
    CHECK(third.header("connection") == "close");
}

TEST_CASE("a plain HTTP client on the TLS port gets no HTTP answer, and the server goes on", "[web][tls]") {
    Site site("tls-plain-client", false, std::chrono::milliseconds(200), with_tls());
    const auto raw = raw_exchange(site.port(), make_request(site.port(), "GET", "/"), std::chrono::seconds(5));
    CHECK(raw.find("HTTP/") == std::string::npos);
    CHECK(raw.find(site.files.at("index.html")) == std::string::npos);
    TlsClient client(site.port(), test_tls_files().cert);
    client.send(request(site.port(), "GET", "/", false));
    CHECK(client.response().status == 200);
}

TEST_CASE("a snapshot of several MiB arrives whole over TLS, through a small receive buffer", "[web][tls]") {
    Site site("tls-large", false, std::chrono::hours(1), with_tls());
    {
        auto writer = vigil::store::Database::open(site.db, vigil::store::Database::Mode::ReadWrite);
        writer.exec("CREATE TABLE bulk(payload BLOB);"
                    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3) "
                    "INSERT INTO bulk SELECT randomblob(1048576) FROM n");
    }
    REQUIRE(site.server->refresh());
    TlsClient client(site.port(), test_tls_files().cert, 8192);
    client.send(request(site.port(), "GET", "/data/project.sqlite", false));
    auto r = client.response();
    REQUIRE(r.status == 200);
    CHECK(r.body.size() > (3u << 20));
    CHECK(r.body.size() == std::stoull(r.header("content-length")));
    CHECK(integrity_of(r.body, site.dir / "downloaded.sqlite") == "ok");
    CHECK(count_rows(site.dir / "downloaded.sqlite", "SELECT count(*) FROM bulk") == 3);
}

TEST_CASE("Server-Sent Events flow over TLS", "[web][tls]") {
    Site site("tls-events", false, std::chrono::milliseconds(200), with_tls());
    TlsClient client(site.port(), test_tls_files().cert);
    client.send(request(site.port(), "GET", "/data/changes", true, {{"Accept", "text/event-stream"}}));
    REQUIRE(client.wait_for("retry: 1000\n\n"));
    auto head = parse_response(client.received());
    CHECK(head.status == 200);
    CHECK(head.header("content-type") == "text/event-stream; charset=utf-8");
    CHECK(head.header("strict-transport-security") == "max-age=31536000");
}

TEST_CASE("unusable TLS files fail at construction, naming the file", "[web][tls]") {
    const auto dir = vigil::test::scratch_dir("web-tls-bad");
    auto o = unstarted_options(dir);
    const auto& good = test_tls_files();

    o.tls_cert = good.cert;
    o.tls_key.clear();
    CHECK_THROWS_AS(vigil::web::Server(o), vigil::UsageError);
    o.tls_cert.clear();
    o.tls_key = good.key;
    CHECK_THROWS_AS(vigil::web::Server(o), vigil::UsageError);

    o.tls_cert = dir / "missing.pem";
    o.tls_key = good.key;
    CHECK_THROWS_AS(vigil::web::Server(o), vigil::IoError);
    CHECK(construction_error(o).find("missing.pem") != std::string::npos);

    write_file(dir / "garbage.pem", "-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n");
    o.tls_cert = dir / "garbage.pem";
    auto why = construction_error(o);
    CHECK(why.find("garbage.pem") != std::string::npos);
    CHECK(why.find("error:") != std::string::npos); // OpenSSL's reason follows

    o.tls_cert = good.cert;
    o.tls_key = dir / "garbage.pem";
    why = construction_error(o);
    CHECK(why.find("key") != std::string::npos);
    CHECK(why.find("garbage.pem") != std::string::npos);

    // A key of another certificate.
    const auto other = make_tls_files(dir / "other");
    o.tls_key = other.key;
    why = construction_error(o);
    INFO(why);
    CHECK(why.find("key values mismatch") != std::string::npos); // OpenSSL's reason
    CHECK(why.find(other.key.string()) != std::string::npos);
}

TEST_CASE("over TLS, sign-in on a network address is allowed and its cookie is Secure", "[web][tls][security]") {
    const auto dir = vigil::test::scratch_dir("web-tls-editors");
    vigil::web::EditorsFile editors;
    editors.set({"tester", vigil::app::Role::Dispatcher, vigil::web::hash_password("correct horse battery")});
    editors.save(dir / "editors.tsv");
    // Bound to every address for the length of this test: the point is the network case.
    Site site("tls-signin", false, std::chrono::milliseconds(200), with_tls([&](vigil::web::ServerOptions& o) {
                  o.bind_address = "0.0.0.0";
                  o.editors = dir / "editors.tsv";
              }));
    CHECK(site.errors.count_containing("over TLS") == 1);
    CHECK(site.errors.count_containing("refused") == 0);

    TlsClient client(site.port(), test_tls_files().cert);
    // The head first, then the body with the next request in one TLS record: the body's read
    // stops at Content-Length and leaves the next request decrypted inside the SSL object.
    const std::string body = R"({"user": "tester", "password": "correct horse battery"})";
    auto post = request(site.port(), "POST", "/api/session", true, {{"Content-Type", "application/json"}}, body);
    const auto head_end = post.find("\r\n\r\n") + 4;
    client.send(post.substr(0, head_end));
    std::this_thread::sleep_for(std::chrono::milliseconds(200)); // the server reads the head alone
    client.send(post.substr(head_end) + request(site.port(), "GET", "/api/session", false));

    auto signed_in = client.response();
    INFO(signed_in.raw);
    CHECK(signed_in.status == 200);
    const auto cookie = signed_in.header("set-cookie");
    CHECK(cookie.find("HttpOnly") != std::string::npos);
    CHECK(cookie.find("; Secure") != std::string::npos);

    auto session = client.response();
    INFO(session.raw);
    CHECK(session.status == 200);
    CHECK(session.body.find("\"editing\": true") != std::string::npos);
}
