// vigil::web::Server over real sockets: the URL contract for static files, tiles and the
// manifest, the headers, the refusals, and concurrency (docs/server.md).

#include "web_test_support.hpp"

#include "test_paths.hpp"

#include <http_rules.hpp>
#include <vigil/store/sqlite.hpp>
#include <vigil/util/error.hpp>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <atomic>
#include <latch>
#include <thread>

namespace fs = std::filesystem;
using namespace vigil::test::web;

namespace test_server_cases {

const char* const k_csp = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data: blob:; "
                          "font-src 'self'; connect-src 'self'; worker-src 'self' blob:; object-src 'none'; base-uri 'none'; "
                          "form-action 'none'; frame-ancestors 'none'";

void check_security_headers(const HttpResponse& r) {
    INFO(r.status_line);
    CHECK(r.header("content-security-policy") == k_csp);
    CHECK(r.header("x-content-type-options") == "nosniff");
    CHECK(r.header("referrer-policy") == "no-referrer");
    CHECK(r.header("cross-origin-opener-policy") == "same-origin");
    CHECK(r.header("cross-origin-embedder-policy") == "require-corp"); // cross-origin isolation: wasm threads
    CHECK(r.header("cross-origin-resource-policy") == "same-origin");
    CHECK(r.header("vary") == "Accept-Encoding");
    CHECK(r.headers.count("content-security-policy") == 1);
}


TEST_CASE("static files: bytes and MIME types; / is index.html", "[web][server]") {
    Site site("mime");
    const std::map<std::string, std::string> types{
        {"index.html", "text/html; charset=utf-8"},
        {"vigil.js", "text/javascript; charset=utf-8"},
        {"vigil.css", "text/css"},
        {"vigil.wasm", "application/wasm"},
        {"config.json", "application/json"},
        {"logo.svg", "image/svg+xml"},
        {"favicon.ico", "image/vnd.microsoft.icon"},
        {"fonts/vigil-cjk.otf", "font/otf"},
        {"fonts/vigil.ttf", "font/ttf"},
        {"fonts/vigil.woff2", "font/woff2"},
        {"images/icon.png", "image/png"},
        {"notes.xyz", "application/octet-stream"},
        {"empty.txt", "text/plain; charset=utf-8"},
    };
    for (const auto& [rel, bytes] : site.files) {
        INFO(rel);
        auto r = get(site.port(), "/" + rel);
        REQUIRE(r.status == 200);
        CHECK(r.body == bytes);
        CHECK(r.header("content-length") == std::to_string(bytes.size()));
        REQUIRE(types.count(rel) == 1);
        CHECK(r.header("content-type") == types.at(rel));
        CHECK(r.header("cache-control") == "no-cache");
        CHECK_FALSE(r.header("etag").empty());
        check_security_headers(r);
    }
    auto root = get(site.port(), "/");
    CHECK(root.status == 200);
    CHECK(root.body == site.files.at("index.html"));
    CHECK(root.header("content-type") == "text/html; charset=utf-8");
    CHECK(get(site.port(), "/index.html?v=3").body == site.files.at("index.html"));
    CHECK(get(site.port(), "/missing.js").status == 404);
    CHECK(get(site.port(), "/INDEX.HTML").status == 404); // names are exact
}

TEST_CASE("gzip when accepted, the same bytes after gunzip, never for images", "[web][server]") {
    Site site("gzip");
    for (const char* rel : {"index.html", "vigil.js", "vigil.wasm", "vigil.css", "config.json", "logo.svg", "fonts/vigil-cjk.otf"}) {
        INFO(rel);
        auto plain = get(site.port(), std::string("/") + rel);
        auto gz = get(site.port(), std::string("/") + rel, {{"Accept-Encoding", "gzip, deflate, br"}});
        REQUIRE(gz.status == 200);
        CHECK_FALSE(plain.has("content-encoding"));
        CHECK(gz.header("content-encoding") == "gzip");
        CHECK(gz.body.size() < plain.body.size());
        CHECK(gz.header("content-length") == std::to_string(gz.body.size()));
        CHECK(vigil::web::detail::gzip_decompress(gz.body) == site.files.at(rel));
        CHECK(gz.header("etag") != plain.header("etag")); // a strong tag differs per coding
        CHECK(gz.header("vary") == "Accept-Encoding");
        CHECK(gz.header("content-type") == plain.header("content-type"));
    }
    for (const char* rel : {"images/icon.png", "fonts/vigil.woff2"}) {
        INFO(rel);
        auto r = get(site.port(), std::string("/") + rel, {{"Accept-Encoding", "gzip"}});
        CHECK_FALSE(r.has("content-encoding"));
        CHECK(r.body == site.files.at(rel));
    }
    auto refused = get(site.port(), "/vigil.wasm", {{"Accept-Encoding", "gzip;q=0, br"}});
    CHECK_FALSE(refused.has("content-encoding"));
    CHECK(refused.body == site.files.at("vigil.wasm"));
}

TEST_CASE("ETag and If-None-Match give 304, for either coding; HEAD has headers only", "[web][server]") {
    Site site("etag");
    auto first = get(site.port(), "/vigil.wasm");
    auto tag = first.header("etag");
    REQUIRE(tag.size() > 2);
    CHECK(tag.front() == '"');
    auto again = get(site.port(), "/vigil.wasm");
    CHECK(again.header("etag") == tag); // stable

    auto not_modified = get(site.port(), "/vigil.wasm", {{"If-None-Match", tag}});
    CHECK(not_modified.status == 304);
    CHECK(not_modified.body.empty());
    CHECK(not_modified.header("etag") == tag);
    CHECK_FALSE(not_modified.has("content-length"));
    check_security_headers(not_modified);

    auto gz = get(site.port(), "/vigil.wasm", {{"Accept-Encoding", "gzip"}});
    auto gz_tag = gz.header("etag");
    CHECK(get(site.port(), "/vigil.wasm", {{"Accept-Encoding", "gzip"}, {"If-None-Match", gz_tag}}).status == 304);
    CHECK(get(site.port(), "/vigil.wasm", {{"Accept-Encoding", "gzip"}, {"If-None-Match", tag}}).status == 304);
    CHECK(get(site.port(), "/vigil.wasm", {{"If-None-Match", "W/" + tag}}).status == 304);
    CHECK(get(site.port(), "/vigil.wasm", {{"If-None-Match", "\"other\", " + tag}}).status == 304);
    CHECK(get(site.port(), "/vigil.wasm", {{"If-None-Match", "*"}}).status == 304);
    CHECK(get(site.port(), "/vigil.wasm", {{"If-None-Match", "\"other\""}}).status == 200);
    CHECK(get(site.port(), "/vigil.js", {{"If-None-Match", tag}}).status == 200); // another file's tag

    auto head = fetch(site.port(), "HEAD", "/vigil.wasm");
    CHECK(head.status == 200);
    CHECK(head.body.empty());
    CHECK(head.header("content-length") == std::to_string(site.files.at("vigil.wasm").size()));
    CHECK(head.header("etag") == tag);
    CHECK(head.header("content-type") == "application/wasm");

    // Ranges are not offered: the whole file, always.
    auto ranged = get(site.port(), "/vigil.wasm", {{"Range", "bytes=0-9"}});
    CHECK(ranged.status == 200);
    CHECK(ranged.body == site.files.at("vigil.wasm"));
    CHECK(ranged.header("accept-ranges") == "none");
    CHECK(get(site.port(), "/vigil.wasm", {{"Range", "bytes=999999999-"}}).status == 200);
    CHECK(get(site.port(), "/vigil.wasm", {{"Range", "nonsense"}}).status == 200);
}

TEST_CASE("no folder listings", "[web][server][security]") {
    Site site("listing");
    for (const char* target : {"/fonts/", "/fonts", "/images/", "/data/", "/data", "/linked/", "/fonts/?C=M;O=D"}) {
        INFO(target);
        auto r = get(site.port(), target);
        CHECK(r.status == 404);
        CHECK(r.body.find("vigil-cjk.otf") == std::string::npos);
        CHECK(r.body.find("icon.png") == std::string::npos);
        check_security_headers(r);
    }
    // The folder itself lists nothing either: / is index.html.
    CHECK(get(site.port(), "/").body == site.files.at("index.html"));
}

TEST_CASE("traversal attempts never return a file outside the web folder", "[web][server][security]") {
    Site site("traversal");
    REQUIRE(read_file(site.dir / "outside" / "secret.txt").find(k_secret) == 0);
    const std::vector<std::string> targets{
        "/../outside/secret.txt",
        "/../../../../../../etc/passwd",
        "/fonts/../../outside/secret.txt",
        "/%2e%2e/outside/secret.txt",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/%2E%2E/%2E%2E/etc/passwd",
        "/..%2foutside%2fsecret.txt",
        "/..%2f..%2fetc%2fpasswd",
        "/%252e%252e/outside/secret.txt",
        "/%252e%252e%252f%252e%252e%252fetc%252fpasswd",
        "/.%2e/outside/secret.txt",
        "/%2e./outside/secret.txt",
        "/..\\outside\\secret.txt",
        "/\\..\\..\\etc\\passwd",
        "/..%5coutside%5csecret.txt",
        "//etc/passwd",
        "//outside/secret.txt",
        "/./outside/secret.txt",
        "/%00/../outside/secret.txt",
        "/index.html%00/../../outside/secret.txt",
        "/%c0%ae%c0%ae/outside/secret.txt",
        "/..;/outside/secret.txt",
        "/data/../outside/secret.txt",
        "/link.txt",
        "/linked/secret.txt",
        "/fonts/up.otf",
        "/.hidden.txt",
        "/bad%20name.txt",
        "/data/shadowed.txt",
        "http://x/etc/passwd",
        "http://127.0.0.1/../outside/secret.txt",
        "*",
    };
    for (const auto& target : targets) {
        INFO("target " << target);
        // Raw bytes on the wire: no client library normalises these.
        auto r = parse_response(raw_exchange(site.port(), "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"));
        CHECK((r.status == 400 || r.status == 404));
        CHECK(r.raw.find(k_secret) == std::string::npos);
        CHECK(r.raw.find("root:x:0:0") == std::string::npos);
        check_security_headers(r);
    }
    // What the scan refused is reported once, at the start.
    CHECK(site.errors.count_containing("link.txt") == 1);
    CHECK(site.errors.count_containing("symbolic link") >= 3);
    CHECK(site.errors.count_containing(".hidden.txt") == 1);
}

TEST_CASE("only GET and HEAD: everything else is 405 with Allow", "[web][server][security]") {
    Site site("methods");
    for (const char* method : {"POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT", "PROPFIND", "FOO"}) {
        INFO(method);
        auto r = fetch(site.port(), method, "/index.html");
        CHECK(r.status == 405);
        CHECK(r.header("allow") == "GET, HEAD");
        check_security_headers(r);
    }
    // With a body (which is never read), the answer still arrives and the file is unchanged.
    auto post =
        parse_response(raw_exchange(site.port(), "POST /index.html HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 11\r\n\r\nhello=world"));
    CHECK(post.status == 405);
    auto put = parse_response(raw_exchange(site.port(), "PUT /index.html HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100000\r\n\r\n" +
                                                            std::string(100000, 'x')));
    CHECK(put.status == 405);
    auto chunked = parse_response(raw_exchange(site.port(), "POST /data/project.sqlite HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                                            "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"));
    CHECK(chunked.status == 405);
    CHECK(read_file(site.web / "index.html") == site.files.at("index.html"));
    CHECK(get(site.port(), "/index.html").body == site.files.at("index.html"));
}

TEST_CASE("bounded requests: long lines, big heads, bodies and garbage are refused, the server carries on", "[web][server][security]") {
    Site site("limits");
    const int port = site.port();
    SECTION("request line") {
        auto r = parse_response(raw_exchange(port, "GET /" + std::string(100000, 'a') + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
        CHECK(r.status == 414);
        check_security_headers(r);
        // No line end at all: refused once the limit is passed, not when memory runs out.
        auto endless = parse_response(raw_exchange(port, "GET /" + std::string(1 << 20, 'a')));
        CHECK(endless.status == 414);
    }
    SECTION("one huge header") {
        auto r = parse_response(raw_exchange(port, "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + std::string(200000, 'b') + "\r\n\r\n"));
        CHECK(r.status == 431);
        check_security_headers(r);
    }
    SECTION("many small headers") {
        std::string req = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n";
        for (int i = 0; i < 5000; ++i) req += "X-" + std::to_string(i) + ": 1\r\n";
        auto r = parse_response(raw_exchange(port, req + "\r\n"));
        CHECK(r.status == 431);
    }
    SECTION("a GET with a body") {
        auto r = parse_response(raw_exchange(port, "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5\r\n\r\nhello"));
        CHECK(r.status == 413);
        check_security_headers(r);
    }
    SECTION("malformed heads") {
        for (const std::string& req : std::vector<std::string>{
                 "GARBAGE\r\n\r\n", "GET /\r\n\r\n", "GET / HTTP/2.0\r\n\r\n", "GET  / HTTP/1.1\r\nHost: x\r\n\r\n",
                 "GET / HTTP/1.1\nHost: 127.0.0.1\n\n", "GET / HTTP/1.1\r\nHost : 127.0.0.1\r\n\r\n",
                 "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n folded\r\n\r\n", "GET / HTTP/1.1\r\nNoColon\r\n\r\n",
                 "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\n",
                 "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: -1\r\n\r\n", std::string("GET /\0 HTTP/1.1\r\n\r\n", 19)}) {
            INFO(req);
            auto r = parse_response(raw_exchange(port, req));
            CHECK(r.status == 400);
            check_security_headers(r);
        }
    }
    SECTION("a missing or foreign Host") {
        CHECK(parse_response(raw_exchange(port, "GET / HTTP/1.1\r\nConnection: close\r\n\r\n")).status == 400);
        CHECK(parse_response(raw_exchange(port, "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\nConnection: close\r\n\r\n")).status == 400);
        // DNS rebinding: a page on evil.example resolved to 127.0.0.1 sends its own name.
        auto rebound = get(port, "/", {{"Host", "evil.example"}});
        CHECK(rebound.status != 200);
        for (const char* host : {"localhost:8080", "127.0.0.1", "127.1.2.3:80", "[::1]:8080", "LOCALHOST"}) {
            INFO(host);
            CHECK(parse_response(raw_exchange(port, std::string("GET / HTTP/1.1\r\nHost: ") + host + "\r\nConnection: close\r\n\r\n"))
                      .status == 200);
        }
        CHECK(parse_response(raw_exchange(port, "GET / HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n")).status == 403);
        CHECK(parse_response(raw_exchange(port, "GET / HTTP/1.0\r\n\r\n")).status == 200);
    }
    SECTION("a head that never ends is cut off") {
        // (Shortened for the test: the server waits 10 s; the client here gives it 15.)
        auto r = parse_response(raw_exchange(port, "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n"));
        CHECK(r.status == 408);
    }
    // Whatever came before, the server still answers.
    CHECK(get(port, "/").status == 200);
}

TEST_CASE("keep-alive and pipelining on one connection", "[web][server]") {
    Site site("keepalive");
    const int port = site.port();
    std::string two = "GET /vigil.js HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                      "GET /vigil.css HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    auto raw = raw_exchange(port, two);
    auto first = parse_response(raw);
    REQUIRE(first.status == 200);
    CHECK(first.header("keep-alive").find("timeout=") != std::string::npos);
    auto len = std::stoul(first.header("content-length"));
    auto second_at = raw.find("\r\n\r\n") + 4 + len;
    auto first_body = raw.substr(raw.find("\r\n\r\n") + 4, len);
    CHECK(first_body == site.files.at("vigil.js"));
    auto second = parse_response(raw.substr(second_at));
    CHECK(second.status == 200);
    CHECK(second.body == site.files.at("vigil.css"));
    CHECK(second.header("connection") == "close");
}

TEST_CASE("200 concurrent clients are all served, with the right bytes", "[web][server][load]") {
    Site site("concurrent");
    const int port = site.port();
    constexpr int k_clients = 200;
    std::latch start(k_clients);
    std::atomic<int> ok{0}, wrong{0};
    std::vector<std::string> failures(k_clients);
    std::vector<std::thread> threads;
    for (int i = 0; i < k_clients; ++i) {
        threads.emplace_back([&, i] {
            const std::string rel = i % 3 == 0 ? "vigil.wasm" : i % 3 == 1 ? "index.html" : "fonts/vigil-cjk.otf";
            const bool gzip = i % 2 == 0;
            start.arrive_and_wait();
            try {
                auto r = get(port, "/" + rel, gzip ? HeaderList{{"Accept-Encoding", "gzip"}} : HeaderList{});
                if (r.status == 200 && r.decoded_body() == site.files.at(rel)) ++ok;
                else {
                    ++wrong;
                    failures[static_cast<std::size_t>(i)] = r.status_line;
                }
            } catch (const std::exception& e) {
                ++wrong;
                failures[static_cast<std::size_t>(i)] = e.what();
            }
        });
    }
    for (auto& t : threads) t.join();
    for (const auto& f : failures)
        if (!f.empty()) UNSCOPED_INFO(f);
    CHECK(ok == k_clients);
    CHECK(wrong == 0);
    CHECK(site.access.count_containing("\" 200 ") >= static_cast<std::size_t>(k_clients));
}

TEST_CASE("one access-log line per request", "[web][server]") {
    Site site("log");
    get(site.port(), "/vigil.js");
    get(site.port(), "/nope");
    fetch(site.port(), "POST", "/");
    get(site.port(), "/a\x7f");
    auto lines = site.access.lines();
    REQUIRE(lines.size() == 4);
    CHECK(lines[0].find("127.0.0.1 \"GET /vigil.js HTTP/1.1\" 200 " + std::to_string(site.files.at("vigil.js").size())) !=
          std::string::npos);
    CHECK(lines[1].find("\"GET /nope HTTP/1.1\" 404") != std::string::npos);
    CHECK(lines[2].find("\"POST / HTTP/1.1\" 405") != std::string::npos);
    CHECK(lines[3].find("\\x7f") != std::string::npos); // log lines carry no raw control bytes
    for (const auto& l : lines) CHECK(l.find('\n') == std::string::npos);
}

TEST_CASE("the manifest describes the snapshot and the tiles", "[web][server][data]") {
    SECTION("without tiles") {
        Site site("manifest");
        auto r = get(site.port(), "/data/manifest.json");
        REQUIRE(r.status == 200);
        CHECK(r.header("content-type") == "application/json");
        CHECK(r.header("cache-control") == "no-cache");
        check_security_headers(r);
        auto j = nlohmann::json::parse(r.body);
        CHECK(j["name"] == "project.sqlite");
        CHECK(j["read_only"] == true);
        CHECK(j["tiles"].is_null());
        auto db = get(site.port(), "/data/project.sqlite");
        CHECK(j["size"].get<std::size_t>() == db.body.size());
        CHECK(j["etag"].get<std::string>() == db.header("etag"));
        auto time = j["snapshot_time"].get<std::string>();
        CHECK(time.size() == 24);
        CHECK(time[10] == 'T');
        CHECK(time.back() == 'Z');
        CHECK(get(site.port(), "/data/manifest.json", {{"If-None-Match", r.header("etag")}}).status == 304);
        CHECK(get(site.port(), "/data/tiles/8/208/101").status == 404);
    }
    SECTION("with tiles") {
        Site site("manifest-tiles", true);
        auto j = nlohmann::json::parse(get(site.port(), "/data/manifest.json").body);
        REQUIRE(j["tiles"].is_object());
        CHECK(j["tiles"]["format"] == "png");
        CHECK(j["tiles"]["minzoom"] == 8);
        CHECK(j["tiles"]["maxzoom"] == 11);
        CHECK(j["tiles"]["url"] == "/data/tiles/{z}/{x}/{y}");
        auto b = j["tiles"]["bounds"];
        REQUIRE(b.size() == 4);
        CHECK(b[0].get<double>() == Approx(112.51373291015625));
        CHECK(b[1].get<double>() == Approx(34.7720757029735381));
        CHECK(b[2].get<double>() == Approx(113.682403564453125));
        CHECK(b[3].get<double>() == Approx(35.5294322570367527));
    }
}

TEST_CASE("tiles: XYZ rows flipped to MBTiles' TMS rows, 204 when absent, 400 when malformed", "[web][server][tiles]") {
    Site site("tiles", true);
    const int port = site.port();
    auto mbtiles = vigil::store::Database::open(vigil::test::data_dir() / "tiles" / "jiaozuo_counties.mbtiles",
                                                vigil::store::Database::Mode::ReadOnly);
    auto st = mbtiles.prepare("SELECT zoom_level, tile_column, tile_row, tile_data FROM tiles ORDER BY 1, 2, 3");
    int checked = 0;
    while (st.step()) {
        auto z = st.column_int64(0), x = st.column_int64(1), tms = st.column_int64(2);
        auto blob = st.column_blob(3);
        std::string bytes(reinterpret_cast<const char*>(blob.data()), blob.size());
        auto y = (std::int64_t{1} << z) - 1 - tms;
        auto target = "/data/tiles/" + std::to_string(z) + "/" + std::to_string(x) + "/" + std::to_string(y);
        INFO(target);
        auto r = get(port, target, {{"Accept-Encoding", "gzip"}});
        REQUIRE(r.status == 200);
        CHECK(r.body == bytes);
        CHECK(r.header("content-type") == "image/png");
        CHECK_FALSE(r.has("content-encoding"));
        CHECK(r.header("cache-control").find("max-age=") != std::string::npos);
        CHECK(get(port, target, {{"If-None-Match", r.header("etag")}}).status == 304);
        ++checked;
    }
    CHECK(checked == mbtiles.query_int("SELECT count(*) FROM tiles"));
    CHECK(checked > 40);

    // The same column at the unflipped row is not a tile of this file.
    auto unflipped = get(port, "/data/tiles/8/208/154");
    CHECK(unflipped.status == 204);
    CHECK(unflipped.body.empty());
    CHECK_FALSE(unflipped.has("content-length"));
    CHECK(unflipped.header("cache-control").find("max-age=") != std::string::npos);
    check_security_headers(unflipped);
    CHECK(get(port, "/data/tiles/0/0/0").status == 204);
    CHECK(get(port, "/data/tiles/12/3328/1617").status == 204); // deeper than the file
    CHECK(get(port, "/data/tiles/30/0/0").status == 204);

    for (const char* bad :
         {"/data/tiles/8/256/0", "/data/tiles/8/0/256", "/data/tiles/31/0/0", "/data/tiles/-1/0/0", "/data/tiles/8/-1/0",
          "/data/tiles/8/1.5/0", "/data/tiles/8/208", "/data/tiles/8/208/101/1", "/data/tiles/8/208/101.png", "/data/tiles/a/b/c",
          "/data/tiles/8/+208/101", "/data/tiles/8/208/", "/data/tiles/", "/data/tiles/99999999999999999999/0/0"}) {
        INFO(bad);
        auto r = get(port, bad);
        CHECK(r.status == 400);
        check_security_headers(r);
    }
}

TEST_CASE("a changed web folder is served after the next check; a half-built one is not", "[web][server]") {
    Site site("rescan", false, std::chrono::hours(1)); // checks only when asked
    const int port = site.port();
    auto old_tag = get(port, "/vigil.js").header("etag");
    write_file(site.web / "vigil.js", "console.log('rebuilt');\n");
    write_file(site.web / "new.js", "console.log('new');\n");
    CHECK(get(port, "/vigil.js").body == site.files.at("vigil.js")); // not yet checked
    site.server->refresh();
    auto r = get(port, "/vigil.js");
    CHECK(r.body == "console.log('rebuilt');\n");
    CHECK(r.header("etag") != old_tag);
    CHECK(get(port, "/new.js").status == 200);
    // A build that removed index.html (half-way): the previous complete folder stays in service.
    fs::remove(site.web / "index.html");
    site.server->refresh();
    CHECK(get(port, "/").body == site.files.at("index.html"));
    CHECK(site.errors.count_containing("still serving the previous files") == 1);
    site.server->refresh(); // the same state: not reported twice
    CHECK(site.errors.count_containing("still serving the previous files") == 1);
}

TEST_CASE("bad inputs fail before anything listens, with clear errors", "[web][server]") {
    auto dir = vigil::test::scratch_dir("web-inputs");
    write_file(dir / "web" / "index.html", "<!doctype html>");
    fs::copy_file(vigil::test::data_dir() / "project_small.sqlite", dir / "p.sqlite");
    vigil::web::ServerOptions o;
    o.port = 0;
    o.error_log = nullptr;
    o.database = dir / "p.sqlite";
    SECTION("web folder without index.html") {
        write_file(dir / "empty" / "x.js", "x");
        o.web_dir = dir / "empty";
        CHECK_THROWS_WITH(vigil::web::Server(o), Catch::Contains("no web build in " + (dir / "empty").string()) &&
                                                     Catch::Contains("tools/build-web.sh or pass --web DIR"));
        o.web_dir = dir / "nowhere";
        CHECK_THROWS_AS(vigil::web::Server(o), vigil::IoError);
    }
    SECTION("database") {
        o.web_dir = dir / "web";
        o.database = dir / "missing.sqlite";
        CHECK_THROWS_WITH(vigil::web::Server(o), Catch::Contains("does not exist"));
        write_file(dir / "junk.sqlite", std::string(5000, 'j'));
        o.database = dir / "junk.sqlite";
        CHECK_THROWS_AS(vigil::web::Server(o), vigil::FormatError);
    }
    SECTION("tiles") {
        o.web_dir = dir / "web";
        o.tiles = dir / "p.sqlite"; // SQLite, but no tiles table
        CHECK_THROWS_WITH(vigil::web::Server(o), Catch::Contains("not an MBTiles file"));
    }
    SECTION("a port in use") {
        o.web_dir = dir / "web";
        vigil::web::Server first(o);
        first.start();
        auto o2 = o;
        o2.port = first.port();
        vigil::web::Server second(o2);
        CHECK_THROWS_WITH(second.start(), Catch::Contains("cannot listen on 127.0.0.1:" + std::to_string(first.port())));
    }
}

} // namespace test_server_cases
