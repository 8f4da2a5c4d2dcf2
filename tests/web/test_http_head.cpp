// The request head parser (web/server/http_head.hpp) as the pure function it is: complete,
// incomplete, malformed and oversized heads, decided at the earliest byte, and every prefix of a
// valid head is "need more" (the connection loop calls it after arbitrary reads).

#include <http_head.hpp>

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace vigil::web::detail;
using State = ParsedHead::State;

namespace test_http_head_cases {

ParsedHead parse(std::string_view bytes, const HeadLimits& limits = {}) { return parse_head(bytes, limits); }


TEST_CASE("head parser: a complete GET, its fields and where it ends", "[web][head]") {
    const std::string head = "GET /vigil.js?v=3 HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nAccept-Encoding:  gzip, br \r\nX-Empty:\r\n\r\n";
    auto h = parse(head + "GET /next HTTP/1.1\r\n");
    REQUIRE(h.state == State::Complete);
    CHECK(h.consumed == head.size()); // the pipelined request is left alone
    CHECK(h.method == "GET");
    CHECK(h.target == "/vigil.js?v=3");
    CHECK(h.version == "HTTP/1.1");
    REQUIRE(h.headers.size() == 3);
    CHECK(*h.field("host") == "127.0.0.1:8080");
    CHECK(*h.field("ACCEPT-ENCODING") == "gzip, br"); // blanks around the value removed
    CHECK(h.field("x-empty")->empty());
    CHECK(h.field("Range") == nullptr);
    CHECK(h.count("Host") == 1);
    CHECK(h.keep_alive);
    CHECK_FALSE(h.has_body);
}

TEST_CASE("head parser: every prefix of a valid head needs more bytes", "[web][head]") {
    const std::string head = "\r\nHEAD /a%20b HTTP/1.0\r\nHost: x\r\nConnection: keep-alive\r\n\r\n";
    for (std::size_t n = 0; n < head.size(); ++n) {
        INFO("prefix of " << n << " bytes");
        CHECK(parse(head.substr(0, n)).state == State::NeedMore);
    }
    auto h = parse(head);
    REQUIRE(h.state == State::Complete);
    CHECK(h.consumed == head.size()); // the leading empty line belongs to it (RFC 9112 2.2)
    CHECK(h.method == "HEAD");
    CHECK(h.keep_alive);
}

TEST_CASE("head parser: keep-alive by version and Connection", "[web][head]") {
    CHECK(parse("GET / HTTP/1.1\r\nHost: x\r\n\r\n").keep_alive);
    CHECK_FALSE(parse("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").keep_alive);
    CHECK_FALSE(parse("GET / HTTP/1.1\r\nConnection: TE, Close\r\n\r\n").keep_alive);
    CHECK_FALSE(parse("GET / HTTP/1.0\r\n\r\n").keep_alive);
    CHECK(parse("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n").keep_alive);
    CHECK_FALSE(parse("GET / HTTP/1.0\r\nConnection: keep-alive, close\r\n\r\n").keep_alive);
}

TEST_CASE("head parser: bodies are recognised by Content-Length and Transfer-Encoding", "[web][head]") {
    CHECK_FALSE(parse("GET / HTTP/1.1\r\nContent-Length: 0\r\n\r\n").has_body);
    CHECK_FALSE(parse("GET / HTTP/1.1\r\nContent-Length: 000\r\n\r\n").has_body);
    CHECK(parse("GET / HTTP/1.1\r\nContent-Length: 5\r\n\r\n").has_body);
    CHECK(parse("GET / HTTP/1.1\r\ncontent-length: 9223372036854775807\r\n\r\n").has_body);
    CHECK(parse("GET / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n").has_body);
    CHECK(parse("GET / HTTP/1.1\r\nTransfer-Encoding: identity\r\n\r\n").has_body);
}

TEST_CASE("head parser: malformed heads are refused with 400 and a reason", "[web][head][security]") {
    const std::vector<std::string> bad{
        "GARBAGE\r\n\r\n",
        "GET /\r\n\r\n",
        "GET / HTTP/2.0\r\n\r\n",
        "GET / HTTP/1.1 \r\n\r\n",
        "GET / http/1.1\r\n\r\n",
        "GET  / HTTP/1.1\r\nHost: x\r\n\r\n",
        " GET / HTTP/1.1\r\n\r\n",
        "GET / HTTP/1.1\nHost: x\n\n",     // bare LF
        "GET / HTTP/1.1\r\nHost: x\n\r\n", // bare LF in a header line
        "\n",                              // an empty line of a bare LF
        "G(T / HTTP/1.1\r\n\r\n",          // not a token
        "GET /a\tb HTTP/1.1\r\n\r\n",      // control byte in the target
        std::string("GET /\0 HTTP/1.1\r\n\r\n", 19),
        "GET /\r HTTP/1.1\r\n\r\n", // CR inside the request line
        "GET \x7f HTTP/1.1\r\n\r\n",
        "GET / HTTP/1.1\r\nHost : x\r\n\r\n", // whitespace before the colon
        "GET / HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n",
        "GET / HTTP/1.1\r\n\tfolded: x\r\n\r\n",
        "GET / HTTP/1.1\r\nNoColon\r\n\r\n",
        "GET / HTTP/1.1\r\n: no name\r\n\r\n",
        "GET / HTTP/1.1\r\nX(y): 1\r\n\r\n",
        std::string("GET / HTTP/1.1\r\nX: a\0b\r\n\r\n", 28),
        "GET / HTTP/1.1\r\nX: a\rb\r\n\r\n",
        "GET / HTTP/1.1\r\nX: a\x01\r\n\r\n",
        "GET / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\n",
        "GET / HTTP/1.1\r\nContent-Length: -1\r\n\r\n",
        "GET / HTTP/1.1\r\nContent-Length: +1\r\n\r\n",
        "GET / HTTP/1.1\r\nContent-Length: 1 1\r\n\r\n",
        "GET / HTTP/1.1\r\nContent-Length: 0x10\r\n\r\n",
        "GET / HTTP/1.1\r\nContent-Length: \r\n\r\n",
        "GET / HTTP/1.1\r\nContent-Length: 99999999999999999999\r\n\r\n",
        "GET / HTTP/1.1\r\nContent-Length: 9223372036854775808\r\n\r\n",
    };
    for (const auto& req : bad) {
        INFO(req);
        auto h = parse(req);
        CHECK(h.state == State::Refused);
        CHECK(h.status == 400);
        CHECK_FALSE(h.problem.empty());
    }
    // Tabs are allowed inside a value, obs-text bytes too (the router decides about them).
    CHECK(parse("GET / HTTP/1.1\r\nX: a\tb\xe4\r\n\r\n").state == State::Complete);
}

TEST_CASE("head parser: limits give 414 and 431 as soon as they are passed", "[web][head][security]") {
    HeadLimits limits;
    SECTION("a request line without an end") {
        auto h = parse("GET /" + std::string(limits.max_request_line, 'a'), limits);
        CHECK(h.state == State::Refused);
        CHECK(h.status == 414);
        CHECK(h.method == "GET");
        CHECK(parse("GET /" + std::string(limits.max_request_line - 5, 'a'), limits).state == State::NeedMore);
    }
    SECTION("a complete request line over the limit") {
        auto h = parse("GET /" + std::string(limits.max_request_line, 'a') + " HTTP/1.1\r\n", limits);
        CHECK(h.status == 414);
    }
    SECTION("one header line of 8-32 KiB, complete or not") {
        for (std::size_t size : {limits.max_header_line + 1, std::size_t{16 * 1024}, std::size_t{30 * 1024}}) {
            INFO(size);
            auto complete = parse("GET / HTTP/1.1\r\nX-Big: " + std::string(size, 'b') + "\r\n\r\n", limits);
            CHECK(complete.status == 431);
            CHECK(complete.method == "GET"); // for the access log
            CHECK(complete.target == "/");
            auto unfinished = parse("GET / HTTP/1.1\r\nX-Big: " + std::string(size, 'b'), limits);
            CHECK(unfinished.status == 431);
        }
        // Just under the line limit: fine.
        auto ok = parse("GET / HTTP/1.1\r\nX: " + std::string(limits.max_header_line - 3, 'b') + "\r\n\r\n", limits);
        CHECK(ok.state == State::Complete);
    }
    SECTION("a head over 32 KiB of small lines") {
        std::string req = "GET / HTTP/1.1\r\n";
        for (int i = 0; i < 90; ++i) req += "X-" + std::to_string(i) + ": " + std::string(400, 'v') + "\r\n";
        CHECK(parse(req, limits).status == 431);          // not finished yet: refused already
        CHECK(parse(req + "\r\n", limits).status == 431); // finished
    }
    SECTION("more than 100 header lines") {
        std::string req = "GET / HTTP/1.1\r\n";
        for (int i = 0; i < 100; ++i) req += "X: 1\r\n";
        CHECK(parse(req + "\r\n", limits).state == State::Complete);
        CHECK(parse(req + "X: 1\r\n", limits).status == 431);
    }
    SECTION("endless empty lines before a request") {
        std::string blanks;
        for (std::size_t i = 0; i <= limits.max_leading_blank; ++i) blanks += "\r\n";
        CHECK(parse(blanks, limits).status == 400);
        CHECK(parse(blanks.substr(2), limits).state == State::NeedMore);
    }
    SECTION("smaller limits are honoured") {
        HeadLimits tiny{.max_request_line = 16, .max_header_line = 16, .max_head = 64, .max_headers = 2, .max_leading_blank = 1};
        CHECK(parse("GET /0123456789abcdef HTTP/1.1\r\n", tiny).status == 414);
        CHECK(parse("GET / HTTP/1.1\r\nX: 0123456789abcdef\r\n", tiny).status == 431);
        CHECK(parse("GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\nC: 3\r\n", tiny).status == 431);
        CHECK(parse("\r\n\r\nGET / HTTP/1.1\r\n", tiny).status == 400);
        CHECK(parse("GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\n\r\n", tiny).state == State::Complete);
    }
}

TEST_CASE("head parser: any bytes give an answer, never a crash or a wrong length", "[web][head][security]") {
    // A poor man's fuzzer for builds without libFuzzer: random and mutated heads.
    const std::string seed = "GET /a?b HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
    std::uint64_t x = 0x9E3779B97F4A7C15ull;
    auto next = [&] {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        return x;
    };
    const char alphabet[] = "\r\n :\t/GETHP1.0a\x7f\x80";
    for (int round = 0; round < 20000; ++round) {
        std::string bytes = seed;
        auto edits = 1 + next() % 4;
        for (std::uint64_t e = 0; e < edits; ++e) {
            auto at = next() % (bytes.size() + 1);
            auto c = alphabet[next() % (sizeof(alphabet) - 1)];
            switch (next() % 3) {
            case 0: bytes.insert(bytes.begin() + static_cast<std::ptrdiff_t>(at), c); break;
            case 1:
                if (at < bytes.size()) bytes.erase(at, 1);
                break;
            default:
                if (at < bytes.size()) bytes[at] = c;
            }
        }
        auto h = parse(bytes);
        if (h.state == State::Complete) {
            REQUIRE(h.consumed <= bytes.size());
            REQUIRE(bytes.substr(h.consumed - 4, 4) == "\r\n\r\n");
            REQUIRE((h.version == "HTTP/1.1" || h.version == "HTTP/1.0"));
        } else if (h.state == State::Refused) {
            REQUIRE((h.status == 400 || h.status == 414 || h.status == 431));
        }
    }
}

} // namespace test_http_head_cases
