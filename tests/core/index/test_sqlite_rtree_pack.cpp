/// @file
/// Tests of the SQLite R*Tree bulk load: the packed shadow rows are written into a real R*Tree
/// (in-memory database), then SQLite's own rtreecheck() and window queries through the virtual
/// table are compared with brute force; ordinary INSERT/DELETE must keep working afterwards,
/// also when the table was used on the same connection before the rewrite.

#include "test_support.hpp"

#include <catch2/catch.hpp>

#include <vigil/index/sqlite_rtree_pack.hpp>
#include <vigil/util/error.hpp>

#include <sqlite3.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <map>
#include <random>
#include <string>
#include <vector>

using vigil::geo::BBox;
using vigil::index::pack_sqlite_rtree;
using vigil::index::PackedSqliteRTree;
using vigil::index::rtree_round_down;
using vigil::index::rtree_round_up;
using vigil::index::RTreeItem;

namespace test_sqlite_rtree_pack_cases {

using vigil::test::uniform;

/// Fisher-Yates with our own index mapping: std::shuffle's result differs across standard
/// libraries, and these tests also run under Emscripten/node.
template <class T> void shuffle(std::vector<T>& v, std::mt19937_64& rng) {
    for (std::size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[rng() % i]);
}

/// A box as the R*Tree stores it (float32, widened to double for comparisons, as rtree.c does).
struct StoredBox {
    double min_x, max_x, min_y, max_y;
};

class Statement {
public:
    Statement(sqlite3* db, const std::string& sql) {
        const int rc = sqlite3_prepare_v2(db, sql.c_str(), -1, &m_stmt, nullptr);
        INFO(sql << ": " << sqlite3_errmsg(db));
        REQUIRE(rc == SQLITE_OK);
    }
    ~Statement() { sqlite3_finalize(m_stmt); }
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;
    sqlite3_stmt* get() const { return m_stmt; }
    /// Steps once; true on a row, false when done; a failure fails the test.
    bool step() {
        const int rc = sqlite3_step(m_stmt);
        INFO(sqlite3_errmsg(sqlite3_db_handle(m_stmt)));
        REQUIRE((rc == SQLITE_ROW || rc == SQLITE_DONE));
        return rc == SQLITE_ROW;
    }
    void reset() {
        sqlite3_reset(m_stmt);
        sqlite3_clear_bindings(m_stmt);
    }

private:
    sqlite3_stmt* m_stmt = nullptr;
};

class Db {
public:
    explicit Db(int page_size = 0) {
        REQUIRE(sqlite3_open(":memory:", &m_db) == SQLITE_OK);
        if (page_size) exec("PRAGMA page_size=" + std::to_string(page_size));
    }
    ~Db() { sqlite3_close_v2(m_db); }
    Db(const Db&) = delete;
    Db& operator=(const Db&) = delete;
    sqlite3* get() const { return m_db; }

    void exec(const std::string& sql) {
        char* err = nullptr;
        const int rc = sqlite3_exec(m_db, sql.c_str(), nullptr, nullptr, &err);
        const std::string msg = err ? err : "";
        sqlite3_free(err);
        INFO(sql << ": " << msg);
        REQUIRE(rc == SQLITE_OK);
    }
    std::string text(const std::string& sql) {
        Statement st(m_db, sql);
        REQUIRE(st.step());
        const auto* t = sqlite3_column_text(st.get(), 0);
        return t ? reinterpret_cast<const char*>(t) : "";
    }
    std::int64_t integer(const std::string& sql) {
        Statement st(m_db, sql);
        REQUIRE(st.step());
        return sqlite3_column_int64(st.get(), 0);
    }

private:
    sqlite3* m_db = nullptr;
};

/// Writes the packed rows into the shadow tables of `table`, replacing what was there, in one
/// transaction (the procedure the header documents).
void write_packed(Db& db, const std::string& table, const PackedSqliteRTree& packed, bool own_transaction = true) {
    if (own_transaction) db.exec("BEGIN");
    db.exec("DELETE FROM \"" + table + "_node\"; DELETE FROM \"" + table + "_rowid\"; DELETE FROM \"" + table + "_parent\"");
    {
        Statement st(db.get(), "INSERT INTO \"" + table + "_node\"(nodeno, data) VALUES(?, ?)");
        for (const auto& node : packed.nodes) {
            sqlite3_bind_int64(st.get(), 1, node.nodeno);
            sqlite3_bind_blob(st.get(), 2, node.data.data(), static_cast<int>(node.data.size()), SQLITE_STATIC);
            REQUIRE_FALSE(st.step());
            st.reset();
        }
    }
    {
        Statement st(db.get(), "INSERT INTO \"" + table + "_rowid\"(rowid, nodeno) VALUES(?, ?)");
        for (const auto& [rowid, nodeno] : packed.rowids) {
            sqlite3_bind_int64(st.get(), 1, rowid);
            sqlite3_bind_int64(st.get(), 2, nodeno);
            REQUIRE_FALSE(st.step());
            st.reset();
        }
    }
    {
        Statement st(db.get(), "INSERT INTO \"" + table + "_parent\"(nodeno, parentnode) VALUES(?, ?)");
        for (const auto& [nodeno, parent] : packed.parents) {
            sqlite3_bind_int64(st.get(), 1, nodeno);
            sqlite3_bind_int64(st.get(), 2, parent);
            REQUIRE_FALSE(st.step());
            st.reset();
        }
    }
    if (own_transaction) db.exec("COMMIT");
}

int node_size_of(Db& db, const std::string& table) {
    return static_cast<int>(db.integer("SELECT length(data) FROM \"" + table + "_node\" WHERE nodeno = 1"));
}

/// Random items (points and small boxes around Beijing, coordinates not representable in float32)
/// with rowids that are neither dense nor in order.
std::vector<RTreeItem> random_items(std::mt19937_64& rng, std::size_t n, std::int64_t first_rowid = 1) {
    std::vector<RTreeItem> items;
    items.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        const double x = uniform(rng, 115.4, 117.6), y = uniform(rng, 39.4, 41.1);
        const bool point = rng() % 3 != 0;
        const double w = point ? 0 : uniform(rng, 0, 0.02), h = point ? 0 : uniform(rng, 0, 0.02);
        items.push_back({first_rowid + static_cast<std::int64_t>(i) * 3, BBox{x, y, x + w, y + h}});
    }
    shuffle(items, rng);
    return items;
}

using Model = std::map<std::int64_t, StoredBox>;

void add_to_model(Model& model, const std::vector<RTreeItem>& items) {
    for (const auto& it : items)
        model[it.rowid] = {rtree_round_down(it.box.min_x), rtree_round_up(it.box.max_x), rtree_round_down(it.box.min_y),
                           rtree_round_up(it.box.max_y)};
}

std::vector<std::int64_t> window(Db& db, const std::string& table, const BBox& q) {
    Statement st(db.get(), "SELECT id FROM \"" + table + "\" WHERE maxx >= ? AND minx <= ? AND maxy >= ? AND miny <= ?");
    sqlite3_bind_double(st.get(), 1, q.min_x);
    sqlite3_bind_double(st.get(), 2, q.max_x);
    sqlite3_bind_double(st.get(), 3, q.min_y);
    sqlite3_bind_double(st.get(), 4, q.max_y);
    std::vector<std::int64_t> ids;
    while (st.step()) ids.push_back(sqlite3_column_int64(st.get(), 0));
    std::sort(ids.begin(), ids.end());
    return ids;
}

std::vector<std::int64_t> brute_window(const Model& model, const BBox& q) {
    std::vector<std::int64_t> ids;
    for (const auto& [id, b] : model)
        if (b.max_x >= q.min_x && b.min_x <= q.max_x && b.max_y >= q.min_y && b.min_y <= q.max_y) ids.push_back(id);
    return ids;
}

/// rtreecheck() passes, the table holds exactly the model, and random windows match brute force.
void check_table(Db& db, const std::string& table, const Model& model, std::mt19937_64& rng, int windows = 60) {
    REQUIRE(db.text("SELECT rtreecheck('" + table + "')") == "ok");
    REQUIRE(db.integer("SELECT count(*) FROM \"" + table + "\"") == static_cast<std::int64_t>(model.size()));
    REQUIRE(db.integer("SELECT count(*) FROM \"" + table + "_rowid\"") == static_cast<std::int64_t>(model.size()));
    for (int i = 0; i < windows; ++i) {
        const double x = uniform(rng, 115.3, 117.7), y = uniform(rng, 39.3, 41.2);
        const double w = i % 6 == 0 ? uniform(rng, 0, 2.5) : uniform(rng, 0, 0.15);
        const BBox q{x, y, x + w, y + uniform(rng, 0, 0.15)};
        INFO("window " << i);
        REQUIRE(window(db, table, q) == brute_window(model, q));
    }
    // Windows whose edges sit exactly on stored (float) coordinates: borders are inclusive.
    int edges = 0;
    for (const auto& [id, b] : model) {
        if (edges++ == 20) break;
        const BBox q{b.max_x, b.max_y, b.max_x + 0.001, b.max_y + 0.001};
        const auto got = window(db, table, q);
        REQUIRE(std::binary_search(got.begin(), got.end(), id));
        REQUIRE(got == brute_window(model, q));
    }
}

/// Reads the packed nodes back and checks the fill rule: every node full except the last two
/// of a level, which hold at least a third of the maximum.
void check_fill(const PackedSqliteRTree& packed, int node_size) {
    const int max_cells = (node_size - 4) / 24;
    std::map<int, std::vector<int>> counts_by_depth; // node counts per level, in node order
    std::map<std::int64_t, int> depth_of{{1, packed.depth}};
    for (const auto& node : packed.nodes) {
        REQUIRE(static_cast<int>(node.data.size()) == node_size);
        const int depth = depth_of.at(node.nodeno);
        const int count = (node.data[2] << 8) | node.data[3];
        REQUIRE(count <= max_cells);
        counts_by_depth[depth].push_back(count);
        const int stored_depth = (node.data[0] << 8) | node.data[1];
        REQUIRE(stored_depth == (node.nodeno == 1 ? packed.depth : 0));
        for (int c = 0; c < count && depth > 0; ++c) {
            std::int64_t child = 0;
            for (int i = 0; i < 8; ++i) child = (child << 8) | node.data[4 + 24 * c + i];
            depth_of[child] = depth - 1;
        }
    }
    for (const auto& [depth, counts] : counts_by_depth) {
        if (depth == packed.depth) continue; // the root
        for (std::size_t i = 0; i + 2 < counts.size(); ++i) REQUIRE(counts[i] == max_cells);
        for (std::size_t i = counts.size() >= 2 ? counts.size() - 2 : 0; i < counts.size(); ++i) REQUIRE(counts[i] >= max_cells / 3);
    }
}

/// Sum of the leaf node areas over the area of the root's box: about 1 for a good packing
/// (leaves tile the extent), about the number of leaves when the items are in random order.
double leaf_overlap_ratio(const PackedSqliteRTree& packed) {
    auto read_f32 = [](const std::uint8_t* p) {
        const std::uint32_t u = (std::uint32_t(p[0]) << 24) | (std::uint32_t(p[1]) << 16) | (std::uint32_t(p[2]) << 8) | p[3];
        float f;
        std::memcpy(&f, &u, 4);
        return static_cast<double>(f);
    };
    double leaves = 0;
    BBox all;
    for (const auto& node : packed.nodes) {
        const int count = (node.data[2] << 8) | node.data[3];
        BBox b;
        for (int c = 0; c < count; ++c) {
            const std::uint8_t* cell = node.data.data() + 4 + 24 * c + 8;
            b.add(vigil::geo::Coord{read_f32(cell), read_f32(cell + 8)});
            b.add(vigil::geo::Coord{read_f32(cell + 4), read_f32(cell + 12)});
        }
        all.add(b);
        const bool is_leaf =
            std::any_of(packed.rowids.begin(), packed.rowids.end(), [&](const auto& r) { return r.second == node.nodeno; });
        if (is_leaf) leaves += (b.max_x - b.min_x) * (b.max_y - b.min_y);
    }
    return leaves / ((all.max_x - all.min_x) * (all.max_y - all.min_y));
}

void create_rtree(Db& db, const std::string& table) {
    db.exec("CREATE VIRTUAL TABLE \"" + table + "\" USING rtree(id, minx, maxx, miny, maxy)");
}

/// Float-exact coordinates (multiples of 2^-10 near Beijing), so that rows inserted through
/// the virtual table are stored exactly whatever rounding rtree.c applies.
RTreeItem exact_item(std::mt19937_64& rng, std::int64_t rowid) {
    const double x = 115.5 + static_cast<double>(rng() % 2048) / 1024, y = 39.5 + static_cast<double>(rng() % 1536) / 1024;
    return {rowid, BBox{x, y, x + static_cast<double>(rng() % 8) / 1024, y + static_cast<double>(rng() % 8) / 1024}};
}

void insert_through_vtab(Db& db, const std::string& table, const std::vector<RTreeItem>& items) {
    Statement st(db.get(), "INSERT INTO \"" + table + "\"(id, minx, maxx, miny, maxy) VALUES(?, ?, ?, ?, ?)");
    for (const auto& it : items) {
        sqlite3_bind_int64(st.get(), 1, it.rowid);
        sqlite3_bind_double(st.get(), 2, it.box.min_x);
        sqlite3_bind_double(st.get(), 3, it.box.max_x);
        sqlite3_bind_double(st.get(), 4, it.box.min_y);
        sqlite3_bind_double(st.get(), 5, it.box.max_y);
        REQUIRE_FALSE(st.step());
        st.reset();
    }
}


TEST_CASE("rtree_round_down/up give the nearest float32 on the safe side", "[index][sqlite-rtree]") {
    std::mt19937_64 rng(11);
    constexpr float inf = std::numeric_limits<float>::infinity();
    for (int i = 0; i < 20000; ++i) {
        const double v = (rng() % 2 ? -1 : 1) * uniform(rng, 0, 1) * std::pow(10.0, static_cast<int>(rng() % 60) - 30);
        const float lo = rtree_round_down(v), hi = rtree_round_up(v);
        REQUIRE(static_cast<double>(lo) <= v);
        REQUIRE(static_cast<double>(hi) >= v);
        REQUIRE(static_cast<double>(std::nextafter(lo, inf)) > v);  // largest float <= v
        REQUIRE(static_cast<double>(std::nextafter(hi, -inf)) < v); // smallest float >= v
        // Never looser than rtree.c's rtreeValueDown / rtreeValueUp.
        float sqlite_lo = static_cast<float>(v), sqlite_hi = static_cast<float>(v);
        if (sqlite_lo > v) sqlite_lo = static_cast<float>(v * (v < 0 ? 1.0 + 1.0 / 8388608.0 : 1.0 - 1.0 / 8388608.0));
        if (sqlite_hi < v) sqlite_hi = static_cast<float>(v * (v < 0 ? 1.0 - 1.0 / 8388608.0 : 1.0 + 1.0 / 8388608.0));
        REQUIRE(lo >= sqlite_lo);
        REQUIRE(hi <= sqlite_hi);
    }
    // Float-exact values stay as they are.
    for (double v : {0.0, -0.0, 1.0, -2.5, 116.375, 0x1p-149, 3.4028234663852886e38}) {
        REQUIRE(static_cast<double>(rtree_round_down(v)) == v);
        REQUIRE(static_cast<double>(rtree_round_up(v)) == v);
    }
    // Beyond the float range.
    REQUIRE(rtree_round_down(1e39) == std::numeric_limits<float>::max());
    REQUIRE(rtree_round_up(1e39) == inf);
    REQUIRE(rtree_round_down(-1e39) == -inf);
    REQUIRE(rtree_round_up(-1e39) == -std::numeric_limits<float>::max());
    REQUIRE(rtree_round_down(std::numeric_limits<double>::infinity()) == inf);
    REQUIRE(rtree_round_up(-std::numeric_limits<double>::infinity()) == -inf);
    REQUIRE(rtree_round_down(1e-50) == 0.0f);
    REQUIRE(rtree_round_up(1e-50) == std::numeric_limits<float>::denorm_min());
    REQUIRE(std::isnan(rtree_round_down(std::nan(""))));
}

TEST_CASE("packed R*Tree passes rtreecheck and answers window queries", "[index][sqlite-rtree]") {
    for (std::size_t n : {0, 1, 50, 51, 52, 2600, 20000}) {
        INFO("n = " << n);
        std::mt19937_64 rng(1000 + n);
        Db db;
        create_rtree(db, "t");
        const int node_size = node_size_of(db, "t");
        REQUIRE(node_size == 4 + 24 * 51); // 4 KiB pages: RTREE_MAXCELLS
        const auto items = random_items(rng, n);
        const auto packed = pack_sqlite_rtree(items, node_size);

        const int expected_depth = n <= 51 ? 0 : n <= 51 * 51 ? 1 : 2;
        REQUIRE(packed.depth == expected_depth);
        REQUIRE(packed.rowids.size() == n);
        REQUIRE(packed.nodes.front().nodeno == 1);
        REQUIRE(packed.parents.size() == packed.nodes.size() - 1);
        REQUIRE(std::is_sorted(packed.rowids.begin(), packed.rowids.end()));
        check_fill(packed, node_size);
        if (n == 0) REQUIRE(packed.nodes.front().data == std::vector<std::uint8_t>(node_size, 0));
        if (n == 2600) {
            // Hilbert packing: leaves nearly tile the extent (random order would give ~50).
            const double ratio = leaf_overlap_ratio(packed);
            INFO("leaf area / extent " << ratio);
            REQUIRE(ratio < 2.0);
        }

        write_packed(db, "t", packed);
        Model model;
        add_to_model(model, items);
        check_table(db, "t", model, rng);
        // The virtual table reads back the rounded coordinates.
        if (n > 0) {
            const auto& it = items.front();
            Statement st(db.get(), "SELECT minx, maxx, miny, maxy FROM t WHERE id = " + std::to_string(it.rowid));
            REQUIRE(st.step());
            REQUIRE(sqlite3_column_double(st.get(), 0) == static_cast<double>(rtree_round_down(it.box.min_x)));
            REQUIRE(sqlite3_column_double(st.get(), 1) == static_cast<double>(rtree_round_up(it.box.max_x)));
            REQUIRE(sqlite3_column_double(st.get(), 2) == static_cast<double>(rtree_round_down(it.box.min_y)));
            REQUIRE(sqlite3_column_double(st.get(), 3) == static_cast<double>(rtree_round_up(it.box.max_y)));
        }
    }
}

TEST_CASE("packing respects the node size of the existing table", "[index][sqlite-rtree]") {
    for (int page_size : {512, 1024, 65536}) {
        INFO("page size " << page_size);
        std::mt19937_64 rng(static_cast<std::uint64_t>(page_size));
        Db db(page_size);
        create_rtree(db, "t");
        const int node_size = node_size_of(db, "t");
        REQUIRE(node_size == std::min(page_size - 64, 4 + 24 * 51));
        const auto items = random_items(rng, 3000);
        const auto packed = pack_sqlite_rtree(items, node_size);
        check_fill(packed, node_size);
        write_packed(db, "t", packed);
        Model model;
        add_to_model(model, items);
        check_table(db, "t", model, rng, 30);
    }
}

TEST_CASE("a bulk-loaded R*Tree keeps working with ordinary INSERT and DELETE", "[index][sqlite-rtree]") {
    for (std::size_t n : {52, 2600, 20000}) {
        INFO("n = " << n);
        std::mt19937_64 rng(77 + n);
        Db db;
        create_rtree(db, "t");
        const auto items = random_items(rng, n);
        write_packed(db, "t", pack_sqlite_rtree(items, node_size_of(db, "t")));
        Model model;
        add_to_model(model, items);

        // Inserts: into full nodes, so they split.
        std::vector<RTreeItem> extra;
        for (int i = 0; i < 700; ++i) extra.push_back(exact_item(rng, 10'000'000 + i));
        insert_through_vtab(db, "t", extra);
        add_to_model(model, extra);
        check_table(db, "t", model, rng, 30);

        // Deletes of bulk-loaded rows: underfull nodes get dissolved and reinserted.
        std::vector<std::int64_t> ids;
        for (const auto& [id, b] : model) ids.push_back(id);
        shuffle(ids, rng);
        db.exec("BEGIN");
        for (std::size_t i = 0; i < ids.size() * 2 / 3; ++i) {
            db.exec("DELETE FROM t WHERE id = " + std::to_string(ids[i]));
            model.erase(ids[i]);
        }
        db.exec("COMMIT");
        check_table(db, "t", model, rng, 30);

        // An update moves a box.
        const auto moved = exact_item(rng, model.begin()->first);
        {
            Statement st(db.get(), "UPDATE t SET minx = ?, maxx = ?, miny = ?, maxy = ? WHERE id = ?");
            sqlite3_bind_double(st.get(), 1, moved.box.min_x);
            sqlite3_bind_double(st.get(), 2, moved.box.max_x);
            sqlite3_bind_double(st.get(), 3, moved.box.min_y);
            sqlite3_bind_double(st.get(), 4, moved.box.max_y);
            sqlite3_bind_int64(st.get(), 5, moved.rowid);
            REQUIRE_FALSE(st.step());
        }
        add_to_model(model, {moved});
        check_table(db, "t", model, rng, 10);
    }
}

TEST_CASE("rewriting the shadow tables of an R*Tree already used on the connection", "[index][sqlite-rtree]") {
    std::mt19937_64 rng(4242);
    Db db;
    create_rtree(db, "t");
    const int node_size = node_size_of(db, "t");

    // First life: rows inserted one by one, queried, so the connection has the virtual table
    // connected, its statements prepared and its node blob handle used.
    std::vector<RTreeItem> first;
    for (int i = 0; i < 400; ++i) first.push_back(exact_item(rng, 5'000'000 + i));
    insert_through_vtab(db, "t", first);
    Model model;
    add_to_model(model, first);
    check_table(db, "t", model, rng, 10);

    SECTION("after the earlier statements have finished") {
        const auto items = random_items(rng, 5000);
        write_packed(db, "t", pack_sqlite_rtree(items, node_size));
        model.clear();
        add_to_model(model, items);
        check_table(db, "t", model, rng);
    }
    SECTION("a prepared query that was stepped and reset is reused afterwards") {
        Statement query(db.get(), "SELECT id FROM t WHERE maxx >= ?1 AND minx <= ?2 AND maxy >= ?3 AND miny <= ?4");
        auto run = [&](const BBox& q) {
            query.reset();
            sqlite3_bind_double(query.get(), 1, q.min_x);
            sqlite3_bind_double(query.get(), 2, q.max_x);
            sqlite3_bind_double(query.get(), 3, q.min_y);
            sqlite3_bind_double(query.get(), 4, q.max_y);
            std::vector<std::int64_t> ids;
            while (query.step()) ids.push_back(sqlite3_column_int64(query.get(), 0));
            query.reset(); // the rule: no statement over the R*Tree may be left mid-way
            std::sort(ids.begin(), ids.end());
            return ids;
        };
        const BBox q{116.0, 40.0, 116.6, 40.4};
        REQUIRE(run(q) == brute_window(model, q));
        const auto items = random_items(rng, 3000);
        write_packed(db, "t", pack_sqlite_rtree(items, node_size));
        model.clear();
        add_to_model(model, items);
        REQUIRE(run(q) == brute_window(model, q));
        check_table(db, "t", model, rng, 20);
    }
    SECTION("inside a transaction that already wrote through the virtual table") {
        // rtree.c keeps its node blob handle open for the whole write transaction; the
        // rewrite invalidates it and rtree.c reopens it on the next read.
        db.exec("BEGIN");
        const auto written = exact_item(rng, 6'000'000);
        insert_through_vtab(db, "t", {written});
        add_to_model(model, {written});
        // A read in the same transaction, so that rtree.c's blob handle is open; and it reads right.
        const BBox strip{116.0, 39.0, 116.5, 42.0};
        REQUIRE(window(db, "t", strip) == brute_window(model, strip));
        const auto items = random_items(rng, 4000);
        write_packed(db, "t", pack_sqlite_rtree(items, node_size), false);
        model.clear();
        add_to_model(model, items);
        const BBox q{115.9, 39.9, 116.5, 40.6};
        REQUIRE(window(db, "t", q) == brute_window(model, q));
        // And writes through the virtual table in the same transaction see the new tree.
        const auto extra = exact_item(rng, 6'000'001);
        insert_through_vtab(db, "t", {extra});
        add_to_model(model, {extra});
        db.exec("COMMIT");
        check_table(db, "t", model, rng);
    }
    SECTION("rolled back") {
        db.exec("BEGIN");
        write_packed(db, "t", pack_sqlite_rtree(random_items(rng, 3000), node_size), false);
        db.exec("ROLLBACK");
        check_table(db, "t", model, rng, 20); // the first life is back
    }
}

TEST_CASE("pack_sqlite_rtree rejects bad input", "[index][sqlite-rtree]") {
    REQUIRE_THROWS_AS(pack_sqlite_rtree({}, 51), vigil::UsageError);
    REQUIRE_THROWS_AS(pack_sqlite_rtree({}, 70000), vigil::UsageError);
    // The smallest node size is accepted: an empty tree is one empty root of 52 bytes.
    const auto empty = pack_sqlite_rtree({}, 52);
    REQUIRE(empty.nodes.size() == 1);
    CHECK(empty.nodes[0].data.size() == 52);
    CHECK(empty.rowids.empty());
    REQUIRE_THROWS_AS(pack_sqlite_rtree({RTreeItem{1, BBox{}}}), vigil::UsageError);
    REQUIRE_THROWS_AS(pack_sqlite_rtree({RTreeItem{1, BBox{0, std::nan(""), 1, 1}}}), vigil::UsageError);
    REQUIRE_THROWS_AS(pack_sqlite_rtree({RTreeItem{1, BBox{0, 2, 1, 1}}}), vigil::UsageError);
    // The smallest node size: two cells per node, deep trees.
    std::mt19937_64 rng(3);
    const auto items = random_items(rng, 100);
    const auto packed = pack_sqlite_rtree(items, 52);
    REQUIRE(packed.depth == 6); // ceil(log2(100)) - 1
    check_fill(packed, 52);
}

} // namespace test_sqlite_rtree_pack_cases
