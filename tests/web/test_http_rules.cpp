// The server's pure rules (web/server/http_rules.hpp): request targets, names, MIME types,
// content negotiation, entity tags, gzip.

#include <http_rules.hpp>
#include <vigil/util/error.hpp>

#include <catch2/catch.hpp>

using namespace vigil::web::detail;

namespace test_http_rules_cases {

int refusal_status(std::string_view target) {
    auto c = check_target(target);
    return c.refusal ? c.refusal->status : 0;
}


TEST_CASE("request targets: origin-form paths are decoded, the query is dropped", "[web][rules]") {
    CHECK(check_target("/").path == "/");
    CHECK(check_target("/index.html").path == "/index.html");
    CHECK(check_target("/fonts/a.otf?v=3").path == "/fonts/a.otf");
    CHECK(check_target("/fonts/").path == "/fonts/");
    CHECK(check_target("/%69ndex.html").path == "/index.html");
    CHECK(check_target("/a%20b").path == "/a b");
    CHECK_FALSE(check_target("/data/tiles/8/208/101").refusal);
}

TEST_CASE("request targets: traversal and smuggling forms are refused with 400", "[web][rules][security]") {
    for (std::string_view t : {"/../etc/passwd",
                               "/a/../../etc/passwd",
                               "/./index.html",
                               "/a/./b",
                               "/..",
                               "/.",
                               "/%2e%2e/%2e%2e/etc/passwd",
                               "/%2E%2E/etc/passwd",
                               "/.%2e/",
                               "/%2e./",
                               "/..%2f..%2fetc%2fpasswd",
                               "/..%2F..%2Fetc%2Fpasswd",
                               "/%252e%252e/",
                               "/%252e%252e%252fetc",
                               "/..%5c..%5cetc",
                               "/..\\..\\etc\\passwd",
                               "/a\\b",
                               "//etc/passwd",
                               "/a//b",
                               "/%00",
                               "/index.html%00.png",
                               "/%0d%0aSet-Cookie:x",
                               "/%",
                               "/%2",
                               "/%zz",
                               "http://x/etc/passwd",
                               "https://127.0.0.1/index.html",
                               "*",
                               "",
                               "index.html",
                               "/a#frag",
                               "/\x01",
                               "/caf\xc3\xa9"}) {
        INFO("target: " << t);
        CHECK(refusal_status(t) == 400);
        CHECK(check_target(t).path.empty());
    }
}

TEST_CASE("file names: a safe character set, no hidden files", "[web][rules]") {
    CHECK(is_safe_name("vigil.wasm"));
    CHECK(is_safe_name("vigil-cjk_2.otf"));
    CHECK_FALSE(is_safe_name(".htaccess"));
    CHECK_FALSE(is_safe_name(".."));
    CHECK_FALSE(is_safe_name("a b"));
    CHECK_FALSE(is_safe_name("a;b"));
    CHECK_FALSE(is_safe_name("字体.otf"));
    CHECK_FALSE(is_safe_name(""));
    CHECK_FALSE(is_safe_name(std::string(129, 'a')));
}

TEST_CASE("MIME types by extension", "[web][rules]") {
    CHECK(mime_type_for("index.html") == "text/html; charset=utf-8");
    CHECK(mime_type_for("vigil.js") == "text/javascript; charset=utf-8");
    CHECK(mime_type_for("vigil.wasm") == "application/wasm");
    CHECK(mime_type_for("vigil.css") == "text/css");
    CHECK(mime_type_for("a.json") == "application/json");
    CHECK(mime_type_for("a.otf") == "font/otf");
    CHECK(mime_type_for("a.ttf") == "font/ttf");
    CHECK(mime_type_for("a.woff2") == "font/woff2");
    CHECK(mime_type_for("a.png") == "image/png");
    CHECK(mime_type_for("a.svg") == "image/svg+xml");
    CHECK(mime_type_for("a.ico") == "image/vnd.microsoft.icon");
    CHECK(mime_type_for("a.sqlite") == "application/vnd.sqlite3");
    CHECK(mime_type_for("A.HTML") == "text/html; charset=utf-8");
    CHECK(mime_type_for("vigil.data") == "application/octet-stream");
    CHECK(mime_type_for("README") == "application/octet-stream");
    CHECK(is_compressible("application/wasm"));
    CHECK(is_compressible("text/html; charset=utf-8"));
    CHECK_FALSE(is_compressible("image/png"));
    CHECK_FALSE(is_compressible("font/woff2"));
}

TEST_CASE("Accept-Encoding: gzip with q-values", "[web][rules]") {
    CHECK(accepts_gzip("gzip"));
    CHECK(accepts_gzip("gzip, deflate, br"));
    CHECK(accepts_gzip("br;q=1.0, GZIP;q=0.5"));
    CHECK(accepts_gzip("x-gzip"));
    CHECK(accepts_gzip("*"));
    CHECK(accepts_gzip("deflate, *;q=0.1"));
    CHECK_FALSE(accepts_gzip(""));
    CHECK_FALSE(accepts_gzip("identity"));
    CHECK_FALSE(accepts_gzip("br, deflate"));
    CHECK_FALSE(accepts_gzip("gzip;q=0"));
    CHECK_FALSE(accepts_gzip("gzip;q=0.000, *"));
    CHECK_FALSE(accepts_gzip("*;q=0"));
    CHECK_FALSE(accepts_gzip("gzipped"));
}

TEST_CASE("If-None-Match: lists, weak tags, *", "[web][rules]") {
    const auto tag = make_etag("abc", false);
    CHECK(tag == "\"abc\"");
    CHECK(make_etag("abc", true) == "\"abc-gz\"");
    CHECK(if_none_match("\"abc\"", tag));
    CHECK(if_none_match("W/\"abc\"", tag));
    CHECK(if_none_match("\"x\", \"abc\"", tag));
    CHECK(if_none_match("*", tag));
    CHECK_FALSE(if_none_match("\"abd\"", tag));
    CHECK_FALSE(if_none_match("\"abc-gz\"", tag));
    CHECK_FALSE(if_none_match("abc", tag));
    CHECK_FALSE(if_none_match("", tag));
}

TEST_CASE("gzip round trip, hashes, image sniffing", "[web][rules]") {
    std::string data;
    for (int i = 0; i < 10000; ++i) data += "line " + std::to_string(i) + "\n";
    auto gz = gzip_compress(data);
    CHECK(gz.size() < data.size() / 3);
    CHECK(gz.substr(0, 2) == "\x1f\x8b");
    CHECK(gzip_decompress(gz) == data);
    CHECK(gzip_decompress(gzip_compress("")).empty());
    CHECK_THROWS_AS(gzip_decompress("not gzip"), vigil::FormatError);
    CHECK(content_hash("abc") == "ba7816bf8f01cfea414140de5dae2223"); // SHA-256("abc"), first 16 bytes
    CHECK(sniff_image_type(std::string("\x89PNG\r\n\x1a\nxxxx", 12)) == "image/png");
    CHECK(sniff_image_type("\xFF\xD8\xFF\xE0") == "image/jpeg");
    CHECK(sniff_image_type(std::string_view("RIFF\x10\0\0\0WEBPVP8 ", 16)) == "image/webp");
    CHECK(sniff_image_type("GIF89a") == "application/octet-stream");
    CHECK(parse_decimal("208", 255) == 208u);
    CHECK_FALSE(parse_decimal("256", 255));
    CHECK_FALSE(parse_decimal("-1", 255));
    CHECK_FALSE(parse_decimal("+1", 255));
    CHECK_FALSE(parse_decimal("1.5", 255));
    CHECK_FALSE(parse_decimal("", 255));
    CHECK(log_safe("a\"b\n") == "a\\x22b\\x0a");
}

TEST_CASE("database files are recognised by name, whatever the case", "[web][rules][security]") {
    for (const char* name : {"project.sqlite", "x.SQLITE", "a.sqlite3", "project.sqlite-wal", "project.sqlite-shm",
                             "project.sqlite-journal", "notes.db-journal", "x-wal", "X-SHM"})
        CHECK(is_database_name(name));
    for (const char* name : {"index.html", "vigil.wasm", "sqlite.js", "walrus.png", "x.sqlite.txt", "journal", "wal", "shm.css"})
        CHECK_FALSE(is_database_name(name));
}

TEST_CASE("Host policy: loopback names always, this machine's names when bound beyond loopback", "[web][rules][security]") {
    HostPolicy loopback;
    for (const char* host :
         {"localhost", "localhost:8080", "LOCALHOST", "localhost.", "127.0.0.1", "127.1.2.3:80", "[::1]", "[::1]:8080"}) {
        INFO(host);
        CHECK(loopback.allows(host));
    }
    for (const char* host : {"evil.example", "evil.example:8080", "127.0.0.1.evil.example", "127.0.0", "127.0.0.256", "127.0.0.1:http",
                             "[::1", "[::1]x", "", "192.168.1.5", "localhost:99999"}) {
        INFO(host);
        CHECK_FALSE(loopback.allows(host));
    }
    // What a server on 0.0.0.0 is given: its interfaces' addresses and its host name.
    HostPolicy any({"127.0.0.1", "192.168.1.5", "fe80::1", "::1", "Vigil-PC", "vigil-pc.local."});
    for (const char* host :
         {"192.168.1.5", "192.168.1.5:8080", "[fe80::1]:8080", "vigil-pc", "VIGIL-PC:8080", "vigil-pc.local", "localhost:8080"}) {
        INFO(host);
        CHECK(any.allows(host));
    }
    for (const char* host : {"evil.example", "192.168.1.6", "192.168.1.5.evil.example", "vigil-pc.evil.example", "[fe80::2]"}) {
        INFO(host);
        CHECK_FALSE(any.allows(host));
    }
}

} // namespace test_http_rules_cases
