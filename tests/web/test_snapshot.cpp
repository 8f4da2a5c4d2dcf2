// /data/project.sqlite: a consistent snapshot of a live database, never the live file; the old
// one until a refresh, the new rows after it; writers in other connections, open transactions,
// failed refreshes and downloads in progress.

#include "web_test_support.hpp"

#include "test_paths.hpp"

#include <http_rules.hpp>
#include <vigil/store/sqlite.hpp>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <thread>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace vigil::test::web;
using vigil::store::Database;

namespace test_snapshot_cases {

std::string unquote(std::string tag) { return tag.size() >= 2 ? tag.substr(1, tag.size() - 2) : tag; }

// Downloads the snapshot and checks it is a sound SQLite database; returns the response.
HttpResponse download(const Site& site, const std::string& save_as, const HeaderList& headers = {}) {
    auto r = get(site.port(), "/data/project.sqlite", headers);
    REQUIRE(r.status == 200);
    CHECK(r.header("content-type") == "application/vnd.sqlite3");
    CHECK(r.header("cache-control") == "no-cache");
    auto bytes = r.decoded_body();
    CHECK(vigil::web::detail::content_hash(bytes) == unquote(r.header("etag")).substr(0, 32));
    CHECK(integrity_of(bytes, site.dir / save_as) == "ok");
    return r;
}

long long rows_in(const Site& site, const std::string& file, const std::string& table) {
    auto db = Database::open(site.dir / file, Database::Mode::ReadOnly);
    if (!db.table_exists(table)) return -1;
    return db.query_int("SELECT count(*) FROM " + vigil::store::quote_identifier(table));
}

std::string manifest_etag(const Site& site) { return nlohmann::json::parse(get(site.port(), "/data/manifest.json").body)["etag"]; }


TEST_CASE("the database is served as a sound snapshot, gzip-coded when accepted", "[web][snapshot]") {
    Site site("snapshot");
    auto plain = download(site, "plain.sqlite");
    auto bytes = plain.body;
    REQUIRE(bytes.size() > 100);
    CHECK(bytes.substr(0, 16) == std::string("SQLite format 3\0", 16));
    // Rollback-journal mode in the header: opens from memory (sqlite3_deserialize) in a browser.
    CHECK(bytes[18] == 1);
    CHECK(bytes[19] == 1);
    CHECK(rows_in(site, "plain.sqlite", "rescue_teams") == count_rows(site.db, "SELECT count(*) FROM rescue_teams"));
    CHECK(rows_in(site, "plain.sqlite", "rescue_teams") > 0);
    CHECK(Database::open_bytes(std::vector<std::uint8_t>(bytes.begin(), bytes.end()), "download").query_text("PRAGMA integrity_check") ==
          "ok");

    auto gz = download(site, "gz.sqlite", {{"Accept-Encoding", "gzip"}});
    CHECK(gz.header("content-encoding") == "gzip");
    CHECK(gz.body.size() * 3 < bytes.size()); // SQLite files compress well
    CHECK(gz.decoded_body() == bytes);
    CHECK(gz.header("etag") == "\"" + unquote(plain.header("etag")) + "-gz\"");

    CHECK(get(site.port(), "/data/project.sqlite", {{"If-None-Match", plain.header("etag")}}).status == 304);
    CHECK(get(site.port(), "/data/project.sqlite", {{"If-None-Match", gz.header("etag")}, {"Accept-Encoding", "gzip"}}).status == 304);
    auto head = fetch(site.port(), "HEAD", "/data/project.sqlite");
    CHECK(head.status == 200);
    CHECK(head.body.empty());
    CHECK(head.header("content-length") == std::to_string(bytes.size()));
}

TEST_CASE("new rows: the old snapshot until the refresh, then the new one with a new ETag", "[web][snapshot]") {
    Site site("refresh", false, std::chrono::hours(1)); // refreshes only when the test asks
    auto before = download(site, "before.sqlite");
    {
        auto writer = Database::open(site.db, Database::Mode::ReadWrite);
        writer.exec("CREATE TABLE serve_test(id INTEGER PRIMARY KEY, note TEXT);"
                    "INSERT INTO serve_test(note) VALUES ('a'), ('b'), ('c');");
    }
    CHECK(count_rows(site.db, "SELECT count(*) FROM serve_test") == 3);
    auto stale = download(site, "stale.sqlite");
    CHECK(stale.header("etag") == before.header("etag"));
    CHECK(rows_in(site, "stale.sqlite", "serve_test") == -1);

    CHECK(site.server->refresh());
    auto after = download(site, "after.sqlite");
    CHECK(after.header("etag") != before.header("etag"));
    CHECK(rows_in(site, "after.sqlite", "serve_test") == 3);
    CHECK(manifest_etag(site) == after.header("etag"));
    CHECK_FALSE(site.server->refresh()); // nothing changed since
    // A client holding the old tag now gets the new bytes.
    CHECK(get(site.port(), "/data/project.sqlite", {{"If-None-Match", before.header("etag")}}).status == 200);
}

TEST_CASE("the watcher finds changes by itself", "[web][snapshot]") {
    Site site("watcher", false, std::chrono::milliseconds(200));
    auto old_tag = manifest_etag(site);
    {
        auto writer = Database::open(site.db, Database::Mode::ReadWrite);
        // One transaction: the watcher must not catch the table without its row.
        writer.exec("BEGIN; CREATE TABLE serve_test(id INTEGER PRIMARY KEY); INSERT INTO serve_test DEFAULT VALUES; COMMIT;");
    }
    std::string tag = old_tag;
    for (int i = 0; i < 100 && tag == old_tag; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        tag = manifest_etag(site);
    }
    REQUIRE(tag != old_tag);
    auto r = download(site, "watched.sqlite");
    CHECK(r.header("etag") == tag);
    CHECK(rows_in(site, "watched.sqlite", "serve_test") == 1);
    CHECK(site.access.count_containing("snapshot: project.sqlite changed") == 1);
}

TEST_CASE("an open write transaction never shows, and never breaks the snapshot", "[web][snapshot]") {
    Site site("transaction", false, std::chrono::hours(1));
    auto writer = Database::open(site.db, Database::Mode::ReadWrite);
    writer.exec("CREATE TABLE serve_test(id INTEGER PRIMARY KEY, payload BLOB)");
    CHECK(site.server->refresh());
    const std::string committed = download(site, "committed.sqlite").header("etag");

    writer.exec("BEGIN IMMEDIATE");
    // Several MB in one transaction: more than SQLite's page cache, so uncommitted pages spill
    // into the -wal file while the transaction is open and the file state changes.
    for (int round = 0; round < 8; ++round) {
        writer.exec("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000) "
                    "INSERT INTO serve_test(payload) SELECT randomblob(1000) FROM n");
        site.server->refresh();
        auto name = "open-" + std::to_string(round) + ".sqlite";
        auto r = download(site, name);
        CHECK(rows_in(site, name, "serve_test") == 0);
        CHECK(r.header("etag") == committed);
    }
    writer.exec("COMMIT");
    CHECK(site.server->refresh());
    auto r = download(site, "after-commit.sqlite");
    CHECK(rows_in(site, "after-commit.sqlite", "serve_test") == 8000);
    CHECK(r.header("etag") != committed);
}

TEST_CASE("rollback-journal databases: a writer's lock delays or fails a refresh, never the service", "[web][snapshot]") {
    // Back to a rollback journal before the server opens the file: leaving WAL needs the only
    // connection, and the server keeps one (it follows the change sequence).
    Site site("journal", false, std::chrono::hours(1), [](vigil::web::ServerOptions& o) {
        REQUIRE(Database::open(o.database, Database::Mode::ReadWrite).query_text("PRAGMA journal_mode = DELETE") == "delete");
    });
    auto writer = Database::open(site.db, Database::Mode::ReadWrite);
    writer.exec("CREATE TABLE serve_test(id INTEGER PRIMARY KEY)");
    CHECK(site.server->refresh());
    auto first = download(site, "first.sqlite").header("etag");

    // A writer with a reserved lock (an open, small transaction): readers go on; uncommitted
    // rows stay out. (The file is touched so that the refresh copies it now.)
    writer.exec("BEGIN IMMEDIATE; INSERT INTO serve_test DEFAULT VALUES;");
    fs::last_write_time(site.db, fs::last_write_time(site.db) + std::chrono::seconds(1));
    CHECK_FALSE(site.server->refresh()); // copied, same content: the snapshot in service stays
    auto open = download(site, "open.sqlite");
    CHECK(open.header("etag") == first);
    CHECK(rows_in(site, "open.sqlite", "serve_test") == 0);
    writer.exec("COMMIT");
    CHECK(site.server->refresh());
    auto second = download(site, "second.sqlite");
    CHECK(rows_in(site, "second.sqlite", "serve_test") == 1);

    // A writer holding the exclusive lock: the refresh waits its busy timeout, then fails; the
    // previous snapshot stays in service throughout.
    writer.exec("INSERT INTO serve_test DEFAULT VALUES");
    writer.exec("BEGIN EXCLUSIVE");
    CHECK_THROWS_WITH(site.server->refresh(), Catch::Contains("locked"));
    auto during = download(site, "during.sqlite");
    CHECK(during.header("etag") == second.header("etag"));
    writer.exec("COMMIT");
    CHECK(site.server->refresh());
    download(site, "third.sqlite");
    CHECK(rows_in(site, "third.sqlite", "serve_test") == 2);
}

TEST_CASE("a failed refresh keeps serving the previous snapshot and says why", "[web][snapshot]") {
    Site site("broken", false, std::chrono::milliseconds(200));
    auto good = download(site, "good.sqlite");
    // Someone replaces the project with something that is not SQLite. (By rename, at once: the
    // watcher must not catch a half-written file; an empty one would even be a valid database.)
    auto remove_side_files = [&] {
        fs::remove(fs::path(site.db.string() + "-wal"));
        fs::remove(fs::path(site.db.string() + "-shm"));
    };
    remove_side_files();
    write_file(site.dir / "garbage.bin", std::string(8192, 'x'));
    fs::rename(site.dir / "garbage.bin", site.db);
    for (int i = 0; i < 100 && site.errors.count_containing("refresh failed") == 0; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    REQUIRE(site.errors.count_containing("refresh failed") >= 1);
    CHECK(site.errors.count_containing("not an SQLite database") >= 1);
    auto still = download(site, "still.sqlite");
    CHECK(still.header("etag") == good.header("etag"));
    std::this_thread::sleep_for(std::chrono::milliseconds(600));
    CHECK(site.errors.count_containing("refresh failed") == 1); // retried, not repeated

    // Repaired (again by rename): served again after the next check.
    fs::copy_file(vigil::test::data_dir() / "project_small.sqlite", site.dir / "repaired.sqlite");
    {
        auto writer = Database::open(site.dir / "repaired.sqlite", Database::Mode::ReadWrite);
        writer.exec("CREATE TABLE repaired(id INTEGER)");
    }
    remove_side_files();
    fs::rename(site.dir / "repaired.sqlite", site.db);
    std::string tag = good.header("etag");
    for (int i = 0; i < 100 && tag == good.header("etag"); ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        tag = manifest_etag(site);
    }
    CHECK(tag != good.header("etag"));
    download(site, "repaired.sqlite");
    CHECK(rows_in(site, "repaired.sqlite", "repaired") == 0);
}

TEST_CASE("a download in progress keeps the snapshot it started with", "[web][snapshot]") {
    Site site("inflight", false, std::chrono::hours(1));
    {
        // 16 MB that does not compress: far more than the socket buffers hold, so the server is
        // still sending when the new snapshot takes over.
        auto writer = Database::open(site.db, Database::Mode::ReadWrite);
        writer.exec("CREATE TABLE bulk(payload BLOB);"
                    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 16) "
                    "INSERT INTO bulk SELECT randomblob(1048576) FROM n");
    }
    REQUIRE(site.server->refresh());
    const auto old_tag = manifest_etag(site);

    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    REQUIRE(fd >= 0);
    int small = 4096;
    ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof(small));
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(site.port()));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0);
    auto request = make_request(site.port(), "GET", "/data/project.sqlite");
    REQUIRE(::send(fd, request.data(), request.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(request.size()));
    std::string raw;
    std::array<char, 4096> buf{};
    auto read_some = [&](std::size_t until) {
        while (raw.size() < until) {
            pollfd p{fd, POLLIN, 0};
            if (::poll(&p, 1, 15000) <= 0) break;
            auto n = ::recv(fd, buf.data(), buf.size(), 0);
            if (n <= 0) break;
            raw.append(buf.data(), static_cast<std::size_t>(n));
        }
    };
    read_some(64 * 1024); // the headers and the first bytes, then stall

    {
        auto writer = Database::open(site.db, Database::Mode::ReadWrite);
        writer.exec("DELETE FROM bulk; CREATE TABLE serve_test(id INTEGER)");
    }
    REQUIRE(site.server->refresh());
    const auto new_tag = manifest_etag(site);
    CHECK(new_tag != old_tag);

    read_some(std::size_t{1} << 30); // the rest, until the server closes
    ::close(fd);
    auto r = parse_response(raw);
    REQUIRE(r.status == 200);
    CHECK(r.header("etag") == old_tag);
    REQUIRE(r.body.size() == std::stoul(r.header("content-length")));
    CHECK(vigil::web::detail::content_hash(r.body) == unquote(old_tag));
    CHECK(integrity_of(r.body, site.dir / "old.sqlite") == "ok");
    CHECK(rows_in(site, "old.sqlite", "bulk") == 16);
    // A new request gets the new snapshot.
    CHECK(download(site, "new.sqlite").header("etag") == new_tag);
    CHECK(rows_in(site, "new.sqlite", "bulk") == 0);
}

TEST_CASE("the snapshots' temporary folder is private and removed when the server goes", "[web][snapshot]") {
    auto tmp = vigil::test::scratch_dir("web-tmpdir");
    const char* old = std::getenv("TMPDIR");
    std::string saved = old ? old : "";
    ::setenv("TMPDIR", tmp.c_str(), 1);
    auto count_ours = [&] {
        int n = 0;
        for (const auto& e : fs::directory_iterator(tmp)) {
            if (e.path().filename().string().starts_with("vigil-serve-")) {
                ++n;
                CHECK((fs::status(e.path()).permissions() & (fs::perms::group_all | fs::perms::others_all)) == fs::perms::none);
            }
        }
        return n;
    };
    {
        Site site("tmpdir");
        CHECK(count_ours() == 1);
        download(site, "d.sqlite");
    }
    CHECK(count_ours() == 0);
    if (old) ::setenv("TMPDIR", saved.c_str(), 1);
    else ::unsetenv("TMPDIR");
}

} // namespace test_snapshot_cases
