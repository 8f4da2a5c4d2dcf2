// GET /data/changes: the committed changes of the project pushed to open pages as Server-Sent
// Events (deltas of records, a new snapshot after a bulk change), resumed after a reconnect;
// and the snapshot a page downloads leaves the audit on the server.

#include "web_test_support.hpp"

#include "change_writer.hpp"

#include <change_log.hpp>
#include <vigil/app/live.hpp>
#include <vigil/store/sqlite.hpp>

#include <catch2/catch.hpp>

#include <chrono>
#include <string>
#include <vector>

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace vigil::test::web;
using vigil::web::detail::ChangeLog;

namespace test_changes_cases {

/// One event of a stream.
struct Event {
    std::string id, name, data;
};

/// A page's EventSource, by hand: the request, the head, then events as they come.
class EventClient {
public:
    EventClient(int port, const std::string& target, const HeaderList& headers = {}) : m_fd(connect_loopback(port)) {
        std::string request =
            "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) + "\r\nAccept: text/event-stream\r\n";
        for (const auto& [name, value] : headers) request += name + ": " + value + "\r\n";
        request += "\r\n";
        REQUIRE(::send(m_fd, request.data(), request.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(request.size()));
        while (m_in.find("\r\n\r\n") == std::string::npos) REQUIRE(read_some(std::chrono::seconds(10)));
        const auto end = m_in.find("\r\n\r\n") + 4;
        head = parse_response(m_in.substr(0, end));
        m_in.erase(0, end);
    }
    ~EventClient() { ::close(m_fd); }
    EventClient(const EventClient&) = delete;
    EventClient& operator=(const EventClient&) = delete;

    /// The next event (comments and "retry" lines skipped), or none within `timeout`.
    std::optional<Event> next(std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        for (;;) {
            if (auto e = take()) return e;
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
            if (left.count() <= 0 || !read_some(left)) return std::nullopt;
        }
    }
    /// Whether the server closed the stream within `timeout`.
    bool closed_within(std::chrono::milliseconds timeout) {
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        while (std::chrono::steady_clock::now() < deadline)
            if (!read_some(std::chrono::milliseconds(100)) && m_eof) return true;
        return m_eof;
    }

    HttpResponse head;

private:
    bool read_some(std::chrono::milliseconds timeout) {
        pollfd p{m_fd, POLLIN, 0};
        if (::poll(&p, 1, static_cast<int>(timeout.count())) <= 0) return false;
        char buf[4096];
        const auto n = ::recv(m_fd, buf, sizeof buf, 0);
        if (n <= 0) {
            m_eof = true;
            return false;
        }
        m_in.append(buf, static_cast<std::size_t>(n));
        return true;
    }
    std::optional<Event> take() {
        for (;;) {
            const auto end = m_in.find("\n\n");
            if (end == std::string::npos) return std::nullopt;
            const std::string block = m_in.substr(0, end);
            m_in.erase(0, end + 2);
            Event e;
            std::size_t pos = 0;
            while (pos <= block.size()) {
                auto nl = block.find('\n', pos);
                if (nl == std::string::npos) nl = block.size();
                const std::string line = block.substr(pos, nl - pos);
                if (line.starts_with("id: ")) e.id = line.substr(4);
                else if (line.starts_with("event: ")) e.name = line.substr(7);
                else if (line.starts_with("data: ")) e.data = line.substr(6);
                pos = nl + 1;
            }
            if (!e.name.empty()) return e;
        }
    }
    int m_fd;
    std::string m_in;
    bool m_eof = false;
};

TEST_CASE("an edit committed by another connection reaches a following page as a delta of its records", "[web][changes]") {
    Site site("changes-delta");
    vigil::test::ChangeWriter editor(site.db); // brings the change sequence: followed from its first commit
    EventClient page(site.port(), "/data/changes?after=0");
    CHECK(page.head.status == 200);
    CHECK(page.head.header("content-type") == "text/event-stream; charset=utf-8");
    CHECK(page.head.header("cache-control") == "no-store");
    CHECK_FALSE(page.head.has("content-length")); // the body goes on until the connection closes
    CHECK(page.head.header("content-security-policy").find("default-src 'self'") == 0);

    editor.set("rescue_teams", "T01", "status", "deployed");
    auto e = page.next();
    REQUIRE(e);
    CHECK(e->name == "delta");
    CHECK(e->id == "1");
    const auto delta = vigil::app::parse_live_delta(e->data);
    CHECK(delta.last_seq == 1);
    REQUIRE(delta.layers.size() == 1);
    CHECK(delta.layers[0].kind == "rescue_teams");
    REQUIRE(delta.layers[0].records.size() == 1);
    bool deployed = false;
    for (const auto& v : delta.layers[0].records[0].values)
        if (const auto* s = std::get_if<std::string>(&v); s && *s == "deployed") deployed = true;
    CHECK(deployed);

    // Two more edits, then a page that reconnects with the id of the last event it got is sent
    // only what it missed; a page asking from its snapshot's number gets every later change.
    editor.remove("rescue_teams", "T02");
    editor.set("rescue_teams", "T03", "status", "resting");
    std::vector<std::string> ids; // one event per look: the two may come as one (id 3) or two (2, 3)
    while (ids.empty() || ids.back() != "3") {
        auto more = page.next();
        REQUIRE(more);
        ids.push_back(more->id);
    }
    EventClient resumed(site.port(), "/data/changes", {{"Last-Event-ID", "2"}});
    auto missed = resumed.next();
    REQUIRE(missed);
    CHECK(missed->id == "3");
    CHECK(vigil::app::parse_live_delta(missed->data).layers[0].records.size() == 1);
    CHECK_FALSE(resumed.next(std::chrono::milliseconds(400))); // nothing else

    // The server stopping closes the streams (the page's EventSource then reconnects).
    site.server->stop();
    CHECK(page.closed_within(std::chrono::seconds(5)));
}

TEST_CASE("a bulk change (an import) tells the pages to fetch a new snapshot, which already holds it", "[web][changes]") {
    Site site("changes-bulk");
    vigil::test::ChangeWriter editor(site.db);
    EventClient page(site.port(), "/data/changes?after=0");
    editor.bulk("rescue_teams", "UPDATE rescue_teams SET status = 'maintenance'");
    auto e = page.next();
    REQUIRE(e);
    CHECK(e->name == "snapshot");
    const auto r = get(site.port(), "/data/project.sqlite");
    REQUIRE(r.status == 200);
    const auto saved = site.dir / "after-bulk.sqlite";
    write_file(saved, r.decoded_body());
    CHECK(count_rows(saved, "SELECT count(*) FROM rescue_teams WHERE status <> 'maintenance'") == 0);
}

TEST_CASE("a database that is not a Vigil project is served without live changes, and the server says so once", "[web][changes]") {
    Site site("changes-plain", false, std::chrono::milliseconds(200), [](vigil::web::ServerOptions& o) {
        o.database = o.database.parent_path() / "plain.sqlite";
        write_file(o.database, ""); // an empty file is an empty SQLite database
        vigil::store::Database::open(o.database, vigil::store::Database::Mode::ReadWrite)
            .exec("CREATE TABLE t(x); INSERT INTO t VALUES (1)");
    });
    CHECK(site.errors.count_containing("without live changes") == 1);
    EventClient page(site.port(), "/data/changes?after=0");
    CHECK(page.head.status == 200);
    CHECK_FALSE(page.next(std::chrono::milliseconds(300))); // nothing to follow, and nothing fails
    CHECK(get(site.port(), "/data/project.sqlite").status == 200);
}

TEST_CASE("the change log: events after a cursor, a snapshot word for a cursor older than it keeps", "[web][changes]") {
    ChangeLog log(10, /*max_events=*/2);
    std::int64_t cursor = 10;
    CHECK(log.since(cursor).empty());
    log.publish_delta(12, "{\"a\":1}");
    log.publish_delta(12, "{\"again\":1}"); // said already: ignored
    log.publish_delta(15, "{\"b\":2}");
    CHECK(log.since(cursor) == "id: 12\nevent: delta\ndata: {\"a\":1}\n\nid: 15\nevent: delta\ndata: {\"b\":2}\n\n");
    CHECK(cursor == 15);
    CHECK(log.since(cursor).empty());
    std::int64_t mid = 12;
    CHECK(log.since(mid) == "id: 15\nevent: delta\ndata: {\"b\":2}\n\n");
    log.publish_snapshot(20); // the third event: the one for 12 is dropped
    std::int64_t old = 11;    // missed 12, which the log no longer has
    CHECK(log.since(old) == "id: 20\nevent: snapshot\ndata: {\"last_seq\":20}\n\n");
    CHECK(old == 20);
    std::int64_t recent = 12; // has 12: 15 and 20 are still here
    CHECK(log.since(recent).find("id: 15\n") == 0);
    CHECK(log.last_seq() == 20);
}

TEST_CASE("the snapshot a page downloads holds no audit: who edited, from which seat, stays on the server", "[web][changes][security]") {
    Site site("changes-audit");
    {
        vigil::test::ChangeWriter editor(site.db);
        editor.database().exec(
            "INSERT INTO vigil_audit (at, user, seat, layer, record_id, field, before, after, action, change_id, version) "
            "VALUES ('2026-12-07T11:20:00.000Z', 'dispatcher-zhang-6e1f', 'seat-secret-41', 'rescue_teams', 'T01', "
            "'status', 'available', 'deployed', 'update', 'c1', 2)");
        editor.set("rescue_teams", "T01", "status", "deployed");
    }
    site.server->refresh();
    const auto r = get(site.port(), "/data/project.sqlite");
    REQUIRE(r.status == 200);
    const auto bytes = r.decoded_body();
    CHECK(integrity_of(bytes, site.dir / "download.sqlite") == "ok");
    for (const char* secret : {"CREATE TABLE vigil_audit", "dispatcher-zhang-6e1f", "seat-secret-41"}) {
        INFO(secret);
        CHECK(bytes.find(secret) == std::string::npos);
    }
    CHECK(count_rows(site.dir / "download.sqlite", "SELECT count(*) FROM vigil_changes") == 1); // pages follow from it
    // The live database keeps its audit.
    CHECK(count_rows(site.db, "SELECT count(*) FROM vigil_audit") == 1);
}

} // namespace test_changes_cases
