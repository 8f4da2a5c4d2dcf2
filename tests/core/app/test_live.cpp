// Following the database live: the change feed (store/change_feed.hpp) and the layers it keeps
// current (app/live.hpp), on a real SQLite file edited by a second connection.

#include <vigil/app/live.hpp>
#include <vigil/model/layer_patch.hpp>
#include <vigil/store/change_feed.hpp>
#include <vigil/store/project_reader.hpp>

#include "change_writer.hpp"
#include "test_paths.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>

using namespace vigil;

namespace test_live_cases {

std::filesystem::path fresh_project(const std::string& name) {
    return test::scratch_copy(test::data_dir() / "project_small.sqlite", test::scratch_dir("live-" + name), "project.sqlite");
}

/// A patched snapshot must be exactly what a fresh load of the database gives: same rows in the
/// same order, same values, geometries, fids, extra and update times, and an id lookup that works.
void check_same_as_fresh_load(const model::Layer& patched, const std::filesystem::path& db) {
    const auto fresh = store::Project::open(db).load_layer(patched.kind().kind);
    REQUIRE(patched.size() == fresh->size());
    for (std::size_t r = 0; r < fresh->size(); ++r) {
        INFO("row " << r << " id " << fresh->id(r));
        CHECK(patched.fid(r) == fresh->fid(r));
        CHECK(patched.id(r) == fresh->id(r));
        for (std::size_t f = 0; f < fresh->kind().fields.size(); ++f) CHECK(patched.value(r, f) == fresh->value(r, f));
        CHECK(patched.geometry(r) == fresh->geometry(r));
        CHECK(patched.extra(r) == fresh->extra(r));
        CHECK(patched.updated_at(r) == fresh->updated_at(r));
        CHECK(patched.find(fresh->id(r)) == std::optional<std::size_t>(r));
    }
    CHECK(patched.bounds() == fresh->bounds());
}

TEST_CASE("change rows fold into one delta per layer: last action wins, a bulk row reloads", "[live]") {
    std::vector<store::ChangeRow> rows = {
        {1, "2026-12-07T11:20:00.001Z", "rescue_teams", "T01", "update"},
        {2, "2026-12-07T11:20:00.002Z", "rescue_teams", "T09", "insert"},
        {3, "2026-12-07T11:20:00.003Z", "rescue_teams", "T09", "delete"},
        {4, "2026-12-07T11:20:00.004Z", "warehouses", "W1", "delete"},
        {5, "2026-12-07T11:20:00.005Z", "warehouses", "W1", "insert"},
        {6, "2026-12-07T11:20:00.006Z", "rescue_teams", "T01", "update"},
        {7, "2026-12-07T11:20:00.007Z", "enterprises", "E1", "update"},
        {8, "2026-12-07T11:20:00.008Z", "enterprises", std::nullopt, "import"}, // no record: bulk, whatever the word
    };
    const auto set = store::fold_changes(rows);
    CHECK(set.first_seq == 1);
    CHECK(set.last_seq == 8);
    CHECK(set.rows == 8);
    CHECK(set.last_at == "2026-12-07T11:20:00.008Z");
    REQUIRE(set.layers.size() == 3);
    CHECK(set.layers[0].layer == "rescue_teams");
    CHECK(set.layers[0].changed == std::vector<std::string>{"T01"});
    CHECK(set.layers[0].removed == std::vector<std::string>{"T09"});
    CHECK_FALSE(set.layers[0].reload);
    CHECK(set.layers[1].changed == std::vector<std::string>{"W1"});
    CHECK(set.layers[1].removed.empty());
    CHECK(set.layers[2].reload);
    CHECK(set.layers[2].changed.empty());
    CHECK(store::fold_changes({}).empty());
}

TEST_CASE("a team set to deployed by another connection: only that record is re-read, the rest is shared", "[live]") {
    const auto db = fresh_project("deployed");
    test::ChangeWriter editor(db);
    store::ChangeFeed feed(db); // before the layers are loaded, as the viewer does
    REQUIRE(feed.followed());
    CHECK(feed.note().empty());
    const auto held = app::LayerSet::load_all(store::Project::open(db));
    const auto old_teams = held.share("rescue_teams");
    REQUIRE(old_teams->text(*old_teams->find("T01"), "status") == "available");

    CHECK_FALSE(feed.poll()); // nothing committed yet
    CHECK_FALSE(app::follow_changes(feed, held));
    editor.set("rescue_teams", "T01", "status", "deployed");
    CHECK(feed.poll());
    CHECK_FALSE(feed.poll()); // seen once
    const auto update = app::follow_changes(feed, held);
    REQUIRE(update);
    CHECK(update->changes == 1);
    CHECK(update->records == 1);
    CHECK(update->last_seq == feed.cursor());
    REQUIRE(update->layers.size() == 1);
    const auto& l = update->layers[0];
    CHECK(l.kind == "rescue_teams");
    CHECK_FALSE(l.reloaded);
    CHECK(l.changed == std::vector<std::string>{"T01"});
    CHECK(l.layer != old_teams);
    CHECK(l.layer->text(*l.layer->find("T01"), "status") == "deployed");
    CHECK(old_teams->text(*old_teams->find("T01"), "status") == "available"); // the old snapshot never changes
    check_same_as_fresh_load(*l.layer, db);
    CHECK(app::live_update_text(*update).find("updated records: 1 (") == 0);
    // Read once: the next look finds nothing new.
    CHECK_FALSE(app::follow_changes(feed, held));
}

TEST_CASE("deleted, inserted and vanished records, and a bulk change, as a fresh load would give them", "[live]") {
    const auto db = fresh_project("mixed");
    test::ChangeWriter editor(db);
    store::ChangeFeed feed(db);
    auto held = app::LayerSet::load_all(store::Project::open(db));
    const auto roads = held.share("roads");

    editor.remove("rescue_teams", "T02");
    editor.insert_point("rescue_teams", "T99", "新队伍", "available", {113.1, 35.0});
    editor.set("rescue_teams", "T03", "status", "resting");
    editor.remove("rescue_teams", "T03"); // updated, then deleted: removed
    // An update whose record has since been deleted without a change row (another tool): the
    // table is the truth, the record goes.
    editor.change("rescue_teams", "T04", "update");
    editor.database().exec("DELETE FROM rescue_teams WHERE id = 'T04'");
    REQUIRE(feed.poll());
    auto update = app::follow_changes(feed, held);
    REQUIRE(update);
    REQUIRE(update->layers.size() == 1);
    auto& teams = update->layers[0];
    CHECK(teams.changed == std::vector<std::string>{"T99"});
    auto removed = teams.removed;
    std::sort(removed.begin(), removed.end());
    CHECK(removed == std::vector<std::string>{"T02", "T03", "T04"});
    CHECK(teams.layer->size() == 3);
    CHECK_FALSE(teams.layer->find("T02"));
    REQUIRE(teams.layer->find("T99"));
    CHECK(*teams.layer->find("T99") == 2); // appended, as its fid orders it
    check_same_as_fresh_load(*teams.layer, db);
    held.add(teams.layer);

    // A bulk change (an import): the layer is loaded whole; the others stay the same snapshots.
    editor.bulk("rescue_teams", "UPDATE rescue_teams SET status = 'deployed'");
    REQUIRE(feed.poll());
    update = app::follow_changes(feed, held);
    REQUIRE(update);
    REQUIRE(update->layers.size() == 1);
    CHECK(update->layers[0].reloaded);
    CHECK(update->records == 3);
    const auto& reloaded = *update->layers[0].layer;
    for (std::size_t r = 0; r < reloaded.size(); ++r) CHECK(reloaded.text(r, "status") == "deployed");
    check_same_as_fresh_load(reloaded, db);
    CHECK(held.share("roads") == roads);

    // Changes naming a kind the project does not have are skipped, not an error.
    {
        store::Transaction tx(editor.database());
        editor.change("no_such_kind", "X", "update");
        tx.commit();
    }
    REQUIRE(feed.poll());
    update = app::follow_changes(feed, held);
    REQUIRE(update);
    CHECK(update->layers.empty());
}

TEST_CASE("the page's path: a delta sent as JSON and applied without a database gives what the viewer reads", "[live]") {
    // What `vigil serve` sends (read_delta -> live_delta_json) and the page applies
    // (parse_live_delta -> apply_delta without a loader) must be what follow_changes gives.
    const auto db = fresh_project("pushed");
    test::ChangeWriter editor(db);
    store::ChangeFeed server_feed(db);
    store::ChangeFeed viewer_feed(db);
    const auto held = app::LayerSet::load_all(store::Project::open(db));

    editor.set("rescue_teams", "T01", "status", "deployed");
    editor.remove("rescue_teams", "T02");
    editor.insert_point("rescue_teams", "T99", "新队伍 \"引号\"", "available", {113.123456789, 35.000000001});
    REQUIRE(server_feed.poll());
    const auto delta = app::read_delta(server_feed);
    REQUIRE(delta);
    CHECK(delta->changes == 3);
    REQUIRE(delta->layers.size() == 1);
    CHECK(delta->layers[0].gone == std::vector<std::string>{"T02"});
    CHECK(delta->layers[0].records.size() == 2);

    const std::string json = app::live_delta_json(*delta);
    CHECK(json.find('\n') == std::string::npos); // one SSE data line
    const auto pushed = app::apply_delta(app::parse_live_delta(json), held, nullptr);
    REQUIRE(viewer_feed.poll());
    const auto read = app::follow_changes(viewer_feed, held);
    REQUIRE(read);
    CHECK(pushed.need_reload.empty());
    CHECK(pushed.last_seq == read->last_seq);
    CHECK(pushed.last_at == read->last_at);
    CHECK(pushed.records == read->records);
    REQUIRE(pushed.layers.size() == 1);
    REQUIRE(read->layers.size() == 1);
    CHECK(pushed.layers[0].changed == read->layers[0].changed);
    CHECK(pushed.layers[0].removed == read->layers[0].removed);
    check_same_as_fresh_load(*pushed.layers[0].layer, db); // values, geometries to the last bit, fids, times

    // A bulk change cannot be applied from a delta: the page is told to fetch a new snapshot,
    // and keeps what it holds meanwhile.
    editor.bulk("rescue_teams", "UPDATE rescue_teams SET status = 'resting'");
    REQUIRE(server_feed.poll());
    const auto bulk = app::read_delta(server_feed);
    REQUIRE(bulk);
    REQUIRE(bulk->layers.size() == 1);
    CHECK(bulk->layers[0].reload);
    const auto refused = app::apply_delta(app::parse_live_delta(app::live_delta_json(*bulk)), held, nullptr);
    CHECK(refused.need_reload == std::vector<std::string>{"rescue_teams"});
    CHECK(refused.layers.empty());

    // Damaged input names what is wrong.
    CHECK_THROWS_WITH(app::parse_live_delta("{}"), Catch::Contains("live update"));
    auto broken = nlohmann::json::parse(json);
    broken["layers"][0]["records"][0]["values"].erase(0);
    CHECK_THROWS_WITH(app::parse_live_delta(broken.dump()), Catch::Contains("values for"));
    broken = nlohmann::json::parse(json);
    broken["layers"][0]["records"][0]["geometry"] = "zz";
    CHECK_THROWS_WITH(app::parse_live_delta(broken.dump()), Catch::Contains("hex WKB"));
}

TEST_CASE("a project without a change sequence is not followed, said once, and nothing fails", "[live]") {
    const auto db = fresh_project("no-sequence");
    test::ChangeWriter editor(db, false);
    REQUIRE_FALSE(editor.database().table_exists("vigil_changes"));
    store::ChangeFeed feed(db);
    CHECK_FALSE(feed.followed());
    CHECK(feed.note().find("vigil_changes") != std::string::npos);
    const auto held = app::LayerSet::load_all(store::Project::open(db));
    editor.set("rescue_teams", "T01", "status", "deployed", false);
    CHECK(feed.poll());                           // the commit is seen ...
    CHECK_FALSE(app::follow_changes(feed, held)); // ... but there is nothing to follow
    CHECK_FALSE(feed.followed());

    // The project gains the sequence (a newer Vigil wrote to it): followed from its first change.
    test::ChangeWriter newer(db);
    newer.set("rescue_teams", "T05", "status", "deployed");
    CHECK(feed.poll());
    const auto update = app::follow_changes(feed, held);
    REQUIRE(feed.followed());
    CHECK(feed.note().empty());
    REQUIRE(update);
    REQUIRE(update->layers.size() == 1);
    CHECK(update->layers[0].changed == std::vector<std::string>{"T05"});
    const auto& teams = *update->layers[0].layer;
    CHECK(teams.text(*teams.find("T05"), "status") == "deployed");
    // Only what the sequence names is re-read: the edit made without a change row is not seen
    // until the layer is loaded again (what every editor of Vigil's writes, it names).
    CHECK(teams.text(*teams.find("T01"), "status") == "available");
}

TEST_CASE("patch_layer keeps rows in place, appends new ones and leaves the old snapshot alone", "[live][model]") {
    const auto layer = store::Project::open(test::data_dir() / "project_small.sqlite").load_layer("rescue_teams");
    const auto id_field = layer->kind().id_index();
    model::LayerPatch patch;
    model::Record changed{layer->fid(1), {}, layer->geometry(1), "", ""};
    for (std::size_t f = 0; f < layer->kind().fields.size(); ++f) changed.values.push_back(layer->value(1, f));
    changed.values[*layer->kind().field_index("status")] = std::string("deployed");
    changed.geometry.coords[0] = {113.5, 35.5}; // moved: the index follows
    model::Record added = changed;
    added.fid = 100;
    added.values[id_field] = std::string("NEW");
    patch.upserts = {added, changed};
    patch.removed = {layer->id(0), "not-there"};
    const auto p = model::patch_layer(*layer, patch);
    REQUIRE(p->size() == layer->size());
    CHECK(p->id(0) == layer->id(1));
    CHECK(p->text(0, "status") == "deployed");
    CHECK(p->id(p->size() - 1) == "NEW");
    CHECK_FALSE(p->find(layer->id(0)));
    CHECK(p->index().search(geo::BBox{113.49, 35.49, 113.51, 35.51}).size() == 2);
    CHECK(layer->text(1, "status") != "deployed");
    CHECK(layer->size() == 5);
}

} // namespace test_live_cases
