// vigil::web::Server's connection handling over real loopback sockets: idle and slow clients
// never hold up real requests, oversized header lines are answered at once, and the details of
// docs/server.md that the connection loop decides (fragments, database files in the web folder,
// a server bound beyond loopback).

#include "web_test_support.hpp"

#include "test_paths.hpp"

#include <catch2/catch.hpp>

#include <array>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <thread>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace vigil::test::web;
using Clock = std::chrono::steady_clock;

namespace test_connections_cases {

// A loopback connection that only exists to occupy the server: closed on destruction.
class OpenSocket {
public:
    explicit OpenSocket(int port) : m_fd(connect_loopback(port)) {}
    ~OpenSocket() { ::close(m_fd); }
    OpenSocket(const OpenSocket&) = delete;
    OpenSocket& operator=(const OpenSocket&) = delete;
    void send_byte(char c) const { (void)::send(m_fd, &c, 1, MSG_NOSIGNAL | MSG_DONTWAIT); }

private:
    int m_fd;
};

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }


TEST_CASE("idle and slow-drip connections never delay real requests", "[web][server][connections]") {
    Site site("loiterers");
    const int port = site.port();
    // More loiterers than the server has workers (16 on this machine before the event loop):
    // each used to hold a worker for up to 10 s.
    std::vector<std::unique_ptr<OpenSocket>> idle, slow;
    for (int i = 0; i < 64; ++i) idle.push_back(std::make_unique<OpenSocket>(port));
    for (int i = 0; i < 32; ++i) slow.push_back(std::make_unique<OpenSocket>(port));
    std::atomic<bool> stop{false};
    std::thread dripper([&] {
        const std::string head = "GET /index.html HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + std::string(100, 'z');
        for (std::size_t i = 0; !stop && i < head.size(); ++i) {
            for (auto& s : slow) s->send_byte(head[i]);
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(300)); // every loiterer is accepted and dripping

    double worst = 0;
    int ok = 0;
    for (int i = 0; i < 12; ++i) {
        auto t0 = Clock::now();
        auto r = parse_response(
            raw_exchange(port, make_request(port, "GET", i % 2 ? "/vigil.js" : "/data/manifest.json"), std::chrono::seconds(3)));
        worst = std::max(worst, seconds_since(t0));
        if (r.status == 200) ++ok;
    }
    stop = true;
    dripper.join();
    INFO("slowest of 12 requests: " << worst << " s");
    CHECK(ok == 12);
    CHECK(worst < 1.0);
}

TEST_CASE("a header line of 8-32 KiB is refused at once with 431 and a body", "[web][server][security]") {
    Site site("header-line");
    for (std::size_t size : {9 * 1024, 16 * 1024, 30 * 1024}) {
        INFO("header line of " << size << " bytes");
        auto t0 = Clock::now();
        auto r = parse_response(raw_exchange(
            site.port(), "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + std::string(size, 'b') + "\r\n\r\n", std::chrono::seconds(8)));
        CHECK(seconds_since(t0) < 1.0);
        CHECK(r.status == 431);
        CHECK(r.body.find("431") == 0);
        CHECK(r.header("content-type") == "text/plain; charset=utf-8");
    }
    CHECK(get(site.port(), "/").status == 200);
}

TEST_CASE("a fragment in the request target is a 400", "[web][server][security]") {
    Site site("fragment");
    for (const char* target : {"/index.html#top", "/#", "/vigil.js?v=1#x", "/data/manifest.json#a"}) {
        INFO(target);
        auto r = get(site.port(), target);
        CHECK(r.status == 400);
        CHECK(r.body.find("fragment") != std::string::npos);
    }
    CHECK(get(site.port(), "/index.html").status == 200);
}

TEST_CASE("database files inside the web folder are never served, and the scan says so", "[web][server][security]") {
    const std::vector<std::string> names{"copy.sqlite",         "copy.sqlite-wal",  "copy.sqlite-shm",
                                         "copy.sqlite-journal", "fonts/old.SQLITE", "notes.db-journal"};
    // Written before the server starts: the startup scan reports them.
    Site site("dbfiles", false, std::chrono::hours(1), [&](vigil::web::ServerOptions& o) {
        for (const auto& name : names) write_file(o.web_dir / name, "SQLite format 3" + std::string(100, '\0'));
    });
    for (const auto& name : names) {
        INFO(name);
        CHECK(get(site.port(), "/" + name).status == 404);
        CHECK(site.errors.count_containing("skipped '" + name + "': a database file") == 1);
    }
    // One arriving later is refused by the rescan too.
    write_file(site.web / "late.sqlite", "SQLite format 3");
    site.server->refresh();
    CHECK(get(site.port(), "/late.sqlite").status == 404);
    CHECK(get(site.port(), "/index.html").status == 200);
}

TEST_CASE("a server bound beyond loopback warns that every network can reach it", "[web][server][security]") {
    // Not started: binding 0.0.0.0 in a test would expose a port to the network; the warning
    // comes when the options are checked.
    auto dir = vigil::test::scratch_dir("web-bind-any");
    write_file(dir / "web" / "index.html", "<!doctype html>");
    fs::copy_file(vigil::test::data_dir() / "project_small.sqlite", dir / "p.sqlite");
    LogCapture errors;
    vigil::web::ServerOptions o;
    o.database = dir / "p.sqlite";
    o.web_dir = dir / "web";
    o.port = 0;
    o.error_log = errors.sink();
    {
        o.bind_address = "127.0.0.1";
        vigil::web::Server loopback(o);
        CHECK(errors.count_containing("warning") == 0);
    }
    for (const char* any : {"0.0.0.0", "::"}) {
        INFO(any);
        o.bind_address = any;
        vigil::web::Server server(o);
        CHECK(errors.count_containing(std::string("warning: listening on ") + (any == std::string("::") ? "[::]" : any)) == 1);
        CHECK(errors.count_containing("every network") >= 1);
    }
}

TEST_CASE("at the connection limits, the connection idle the longest makes room", "[web][server][connections]") {
    SECTION("all clients") {
        Site site("limit-all", false, std::chrono::milliseconds(200), [](vigil::web::ServerOptions& o) { o.max_connections = 8; });
        std::vector<std::unique_ptr<OpenSocket>> idle;
        for (int i = 0; i < 8; ++i) idle.push_back(std::make_unique<OpenSocket>(site.port()));
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        for (int i = 0; i < 4; ++i) {
            auto t0 = Clock::now();
            CHECK(parse_response(raw_exchange(site.port(), make_request(site.port(), "GET", "/"), std::chrono::seconds(3))).status == 200);
            CHECK(seconds_since(t0) < 1.0);
        }
    }
    SECTION("one client, while requests are in progress: 503 rather than a hang") {
        Site site("limit-client", false, std::chrono::milliseconds(200),
                  [](vigil::web::ServerOptions& o) { o.max_connections_per_client = 4; });
        // Four connections each half-way through a head: none is idle, none may be evicted.
        std::vector<std::unique_ptr<OpenSocket>> busy;
        for (int i = 0; i < 4; ++i) {
            busy.push_back(std::make_unique<OpenSocket>(site.port()));
            for (char c : std::string("GET / HTTP/1.1\r\n")) busy.back()->send_byte(c);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        auto t0 = Clock::now();
        auto r = parse_response(raw_exchange(site.port(), make_request(site.port(), "GET", "/"), std::chrono::seconds(3)));
        CHECK(seconds_since(t0) < 1.0);
        CHECK(r.status == 503);
        CHECK(r.header("retry-after") == "1");
        busy.pop_back(); // a slot frees: served again
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        CHECK(get(site.port(), "/").status == 200);
    }
}

} // namespace test_connections_cases
