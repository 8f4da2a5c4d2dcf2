/// @file
/// Label placement: LabelPlacer (no overlaps, priority, centred labels, a name once per
/// distance) and MapLabeler over real layer kinds (catalogue priorities, one river name per
/// stretch, area labels inside, no labels for clustered points, the same labels every frame,
/// the per-frame budget). Headless: text is measured by a stand-in.

#include <app/map_labels.hpp>

#include "test_paths.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <random>

using namespace vigil;
using namespace vigil::viewer;

namespace test_label_placer_cases {

bool overlap(const geo::BBox& a, const geo::BBox& b) {
    return a.min_x < b.max_x && b.min_x < a.max_x && a.min_y < b.max_y && b.min_y < a.max_y;
}

LabelCandidate point_label(std::string text, geo::Coord at, int priority, std::size_t order) {
    LabelCandidate c;
    c.text = std::move(text);
    c.anchor = at;
    c.width = 60;
    c.height = 16;
    c.priority = priority;
    c.order = order;
    return c;
}

std::shared_ptr<const catalog::LayerKind> kind(const char* name) {
    static catalog::Catalog c = catalog::Catalog::load_directory(test::layers_dir());
    return c.get(name);
}

/// Records of a kind with the given names and geometries (other fields empty, `risk` for the
/// colour field when given).
std::shared_ptr<const model::Layer> layer_of(const char* kind_name, const std::vector<std::string>& names,
                                             const std::vector<geo::Geometry>& geometries, const std::string& class_field = {},
                                             const std::vector<std::string>& classes = {}) {
    auto k = kind(kind_name);
    model::LayerBuilder b(k, names.size());
    for (std::size_t i = 0; i < names.size(); ++i) {
        std::vector<model::Value> v(k->fields.size());
        v[k->id_index()] = std::string(kind_name) + std::to_string(i);
        v[*k->field_index(k->symbology.label_field)] = names[i];
        if (!class_field.empty()) v[*k->field_index(class_field)] = classes[i];
        b.add(static_cast<std::int64_t>(i + 1), std::move(v), geometries[i]);
    }
    return b.finish();
}

LayerView view_of(std::shared_ptr<const model::Layer> layer) {
    LayerView v{layer, StyleResolver(layer->kind())};
    v.visible_count = layer->size();
    return v;
}

Camera camera_at(geo::Coord centre, double zoom, double w = 1200, double h = 800) {
    Camera cam;
    cam.set_viewport(w, h);
    cam.set_center_lonlat(centre);
    cam.set_zoom(zoom);
    return cam;
}

/// 8 pixels a character (CJK counted once per UTF-8 lead byte), 16 high.
geo::Coord measure(const std::string& text) {
    std::size_t chars = 0;
    for (unsigned char ch : text)
        if ((ch & 0xC0) != 0x80) ++chars;
    return {8.0 * static_cast<double>(chars), 16};
}


TEST_CASE("placed labels never overlap and stay on screen", "[viewer][labels]") {
    std::mt19937 rng(5);
    std::uniform_real_distribution<double> x(0, 800), y(0, 600);
    std::vector<LabelCandidate> cands;
    for (std::size_t i = 0; i < 500; ++i)
        cands.push_back(point_label("L" + std::to_string(i), {x(rng), y(rng)}, static_cast<int>(i % 3), i));
    LabelPlacer placer(800, 600);
    placer.block({0, 0, 800, 30});
    auto placed = placer.place(cands);
    REQUIRE(placed.size() > 20);
    REQUIRE(placed.size() < cands.size());
    for (std::size_t i = 0; i < placed.size(); ++i) {
        const auto& b = placed[i].box;
        REQUIRE(b.min_x >= 0);
        REQUIRE(b.min_y >= 30);
        REQUIRE(b.max_x <= 800);
        REQUIRE(b.max_y <= 600);
        for (std::size_t j = i + 1; j < placed.size(); ++j) REQUIRE_FALSE(overlap(b, placed[j].box));
    }
}

TEST_CASE("higher priority wins a contested place, ties by the stable order", "[viewer][labels]") {
    // Five candidates at one spot: right and left of it fit together (above and below would
    // touch them), so two are placed: the highest priority to the right, then the lowest order.
    std::vector<LabelCandidate> c;
    for (std::size_t i = 0; i < 5; ++i) c.push_back(point_label("x" + std::to_string(i), {400, 300}, i == 3 ? 9 : 1, 10 - i));
    auto placed = LabelPlacer(800, 600).place(c);
    REQUIRE(placed.size() == 2);
    REQUIRE(placed[0].candidate == 3);
    REQUIRE(placed[0].box.min_x > 400);
    REQUIRE(placed[1].candidate == 4);
    REQUIRE(placed[1].box.max_x < 400);
    // Placing again gives the same answer (nothing depends on the previous call).
    auto again = LabelPlacer(800, 600).place(c);
    REQUIRE(again.size() == 2);
    REQUIRE(again[1].candidate == 4);
}

TEST_CASE("centred labels and a name once per distance", "[viewer][labels]") {
    std::vector<LabelCandidate> c;
    for (int i = 0; i < 6; ++i) {
        LabelCandidate l = point_label("黄河", {100.0 + 120 * i, 300}, 1, static_cast<std::size_t>(i));
        l.centred = true;
        l.group = "黄河";
        l.repeat_px = 300;
        c.push_back(l);
    }
    auto placed = LabelPlacer(800, 600).place(c);
    // At 100, 220, ... 700: the ones at 100 and 460, at least 300 pixels apart.
    REQUIRE(placed.size() == 2);
    REQUIRE(placed[0].box.min_x == Approx(100 - 30 - 1));
    REQUIRE(placed[1].candidate == 3);
}

TEST_CASE("the longest visible run of a line, and its middle", "[viewer][labels]") {
    // In, out, in again for longer.
    std::vector<geo::Coord> line{{-50, 100}, {50, 100}, {50, -100}, {60, 50}, {60, 350}};
    auto run = longest_visible_run(line, 200, 200);
    REQUIRE(run);
    // The last piece: from y = 0 (where it enters at the top edge) via (60, 50) to (60, 200).
    REQUIRE(run->length > 200);
    REQUIRE(run->middle.x == Approx(60).margin(1));
    REQUIRE_FALSE(longest_visible_run({{-10, -10}, {-5, 300}}, 200, 200));
    auto straight = longest_visible_run({{0, 50}, {100, 50}}, 200, 200);
    REQUIRE(straight->middle.x == Approx(50));
    REQUIRE(straight->length == Approx(100));
}

TEST_CASE("labels follow catalogue priority: teams before hazard sources before enterprises", "[viewer][labels]") {
    // The three at one place: only one label fits beside each marker side, the team's first.
    const geo::Coord at{113.2, 35.2};
    auto teams = view_of(layer_of("rescue_teams", {"消防特勤一站"}, {geo::Geometry::point(at)}));
    auto hazards = view_of(layer_of("hazard_sources", {"液氯储罐区"}, {geo::Geometry::point(at)}));
    auto firms = view_of(layer_of("enterprises", {"焦作某化工有限公司"}, {geo::Geometry::point(at)}));
    Camera cam = camera_at(at, 14);
    MapLabeler labeler;
    // Enterprises listed first: order in the list must not matter.
    auto labels = labeler.update(cam, {{&firms, nullptr}, {&hazards, nullptr}, {&teams, nullptr}}, {}, 16, measure);
    REQUIRE(labels.size() >= 2);
    REQUIRE(labels[0].text == "消防特勤一站");
    REQUIRE(labels[1].text == "液氯储罐区");
    for (std::size_t i = 0; i < labels.size(); ++i)
        for (std::size_t j = i + 1; j < labels.size(); ++j) REQUIRE_FALSE(overlap(labels[i].box, labels[j].box));
}

TEST_CASE("within a layer, the more severe class is labelled first", "[viewer][labels]") {
    const geo::Coord at{113.2, 35.2};
    std::vector<geo::Geometry> g(5, geo::Geometry::point(at));
    auto firms =
        view_of(layer_of("enterprises", {"蓝", "黄", "红", "橙", "蓝二"}, g, "risk_level", {"blue", "yellow", "red", "orange", "blue"}));
    MapLabeler labeler;
    auto labels = labeler.update(camera_at(at, 14), {{&firms, nullptr}}, {}, 16, measure);
    REQUIRE(labels.size() == 4); // four sides of one marker
    REQUIRE(labels[0].text == "红");
    REQUIRE(labels[1].text == "橙");
    REQUIRE(labels[2].text == "黄");
    REQUIRE(labels[3].text == "蓝");
}

TEST_CASE("a river in many pieces is named once per stretch", "[viewer][labels]") {
    // 28 pieces of 黄河 along 112.6 .. 113.6 E, end to end.
    std::vector<std::string> names;
    std::vector<geo::Geometry> pieces;
    for (int i = 0; i < 28; ++i) {
        const double x0 = 112.6 + i / 28.0, x1 = 112.6 + (i + 1) / 28.0;
        names.push_back("黄河");
        pieces.push_back(geo::Geometry::line_string({{x0, 34.95}, {(x0 + x1) / 2, 34.96}, {x1, 34.95}}));
    }
    names.push_back("沁河");
    pieces.push_back(geo::Geometry::line_string({{113.0, 35.1}, {113.1, 35.05}}));
    auto rivers = view_of(layer_of("rivers", names, pieces));
    Camera cam = camera_at({113.1, 35.0}, 10, 1400, 700);
    MapLabeler labeler({.max_candidates = 3000, .repeat_px = 400, .point_gap = 3});
    auto labels = labeler.update(cam, {{&rivers, nullptr}}, {}, 16, measure);
    const auto yellow = std::count_if(labels.begin(), labels.end(), [](const MapLabel& l) { return l.text == "黄河"; });
    // The river crosses ~730 pixels of the screen at zoom 10: once or twice, never 28 times.
    REQUIRE(yellow >= 1);
    REQUIRE(yellow <= 2);
    REQUIRE(std::count_if(labels.begin(), labels.end(), [](const MapLabel& l) { return l.text == "沁河"; }) == 1);
    for (const auto& l : labels) REQUIRE(l.family == geo::GeometryType::LineString);
}

TEST_CASE("an area is labelled inside it, once", "[viewer][labels]") {
    // An L-shaped district whose box centre lies outside it.
    auto l_shape =
        geo::Geometry::polygon({{{113.0, 35.0}, {113.4, 35.0}, {113.4, 35.1}, {113.1, 35.1}, {113.1, 35.4}, {113.0, 35.4}, {113.0, 35.0}}});
    auto areas = view_of(layer_of("admin_areas", {"示范区"}, {l_shape}));
    Camera cam = camera_at({113.2, 35.2}, 10);
    MapLabeler labeler;
    auto labels = labeler.update(cam, {{&areas, nullptr}}, {}, 16, measure);
    REQUIRE(labels.size() == 1);
    const geo::BBox& b = labels[0].box;
    const geo::Coord centre = cam.screen_to_lonlat({(b.min_x + b.max_x) / 2, (b.min_y + b.max_y) / 2});
    REQUIRE(geo::contains(l_shape, centre));
}

TEST_CASE("points inside a cluster get no label; clusters block labels", "[viewer][labels]") {
    const geo::Coord a{113.2, 35.2}, b{113.20001, 35.2}, lone{113.25, 35.2};
    auto firms = view_of(
        layer_of("enterprises", {"甲", "乙", "丙"}, {geo::Geometry::point(a), geo::Geometry::point(b), geo::Geometry::point(lone)}));
    Clustering c = cluster_points(*firms.layer, {}, FeatureRanks(*firms.layer), 13);
    REQUIRE(c.clusters.size() == 1);
    Camera cam = camera_at(a, 13.5);
    MapLabeler labeler;
    auto labels = labeler.update(cam, {{&firms, &c}}, {}, 16, measure);
    REQUIRE(labels.size() == 1);
    REQUIRE(labels[0].text == "丙");
    // Now block everything around the lone point: no label.
    const geo::Coord s = cam.lonlat_to_screen(lone);
    labels = labeler.update(cam, {{&firms, &c}}, {{s.x - 100, s.y - 100, s.x + 100, s.y + 100}}, 16, measure);
    REQUIRE(labels.empty());
}

TEST_CASE("labels are the same every frame and are not recomputed while nothing moves", "[viewer][labels]") {
    std::mt19937_64 rng(11);
    std::uniform_real_distribution<double> lon(113.15, 113.25), lat(35.17, 35.23);
    std::vector<std::string> names;
    std::vector<geo::Geometry> g;
    for (int i = 0; i < 400; ++i) {
        names.push_back("企业" + std::to_string(i));
        g.push_back(geo::Geometry::point({lon(rng), lat(rng)}));
    }
    auto firms = view_of(layer_of("enterprises", names, g));
    Camera cam = camera_at({113.2, 35.2}, 14);
    MapLabeler labeler;
    auto first = labeler.update(cam, {{&firms, nullptr}}, {}, 16, measure);
    REQUIRE(labeler.stats().recomputations == 1);
    auto again = labeler.update(cam, {{&firms, nullptr}}, {}, 16, measure);
    REQUIRE(labeler.stats().recomputations == 1); // cached
    REQUIRE(again.size() == first.size());

    // Pan by a few pixels and back: the same labels, at the same places.
    cam.pan_pixels(7, -3);
    auto moved = labeler.update(cam, {{&firms, nullptr}}, {}, 16, measure);
    REQUIRE(labeler.stats().recomputations == 2);
    cam.pan_pixels(-7, 3);
    auto back = labeler.update(cam, {{&firms, nullptr}}, {}, 16, measure);
    REQUIRE(back.size() == first.size());
    for (std::size_t i = 0; i < back.size(); ++i) {
        REQUIRE(back[i].text == first[i].text);
        REQUIRE(back[i].box.min_x == Approx(first[i].box.min_x));
    }
    // Labels away from the screen edges keep their places when the map pans: they move with it.
    std::map<std::string, geo::BBox> before;
    for (const auto& l : first) before[l.text] = l.box;
    std::size_t kept = 0, inner = 0;
    for (const auto& l : moved) {
        if (l.box.min_x < 150 || l.box.max_x > 1050 || l.box.min_y < 150 || l.box.max_y > 650) continue;
        ++inner;
        auto it = before.find(l.text);
        if (it != before.end() && it->second.min_x + 7 == Approx(l.box.min_x) && it->second.min_y - 3 == Approx(l.box.min_y)) ++kept;
    }
    REQUIRE(inner > 10);
    REQUIRE(kept >= inner * 9 / 10);
}

TEST_CASE("a layer too dense for the label budget is left unlabelled", "[viewer][labels]") {
    std::vector<std::string> names;
    std::vector<geo::Geometry> g;
    for (int i = 0; i < 200; ++i) {
        names.push_back("企业" + std::to_string(i));
        g.push_back(geo::Geometry::point({113.2 + i * 1e-4, 35.2}));
    }
    auto firms = view_of(layer_of("enterprises", names, g));
    auto teams = view_of(layer_of("rescue_teams", {"一队"}, {geo::Geometry::point({113.21, 35.21})}));
    MapLabeler labeler({.max_candidates = 100, .repeat_px = 400, .point_gap = 3});
    auto labels = labeler.update(camera_at({113.2, 35.2}, 14), {{&firms, nullptr}, {&teams, nullptr}}, {}, 16, measure);
    REQUIRE(labeler.stats().layers_skipped == 1);
    REQUIRE(labels.size() == 1);
    REQUIRE(labels[0].text == "一队");
}

TEST_CASE("labels respect the catalogue's minimum zoom and hidden layers", "[viewer][labels]") {
    auto firms = view_of(layer_of("enterprises", {"企业"}, {geo::Geometry::point({113.2, 35.2})}));
    MapLabeler labeler;
    REQUIRE(labeler.update(camera_at({113.2, 35.2}, firms.kind().symbology.label_min_zoom - 0.5), {{&firms, nullptr}}, {}, 16, measure)
                .empty());
    REQUIRE(labeler.update(camera_at({113.2, 35.2}, firms.kind().symbology.label_min_zoom + 0.5), {{&firms, nullptr}}, {}, 16, measure)
                .size() == 1);
    firms.visible = false;
    REQUIRE(labeler.update(camera_at({113.2, 35.2}, 15), {{&firms, nullptr}}, {}, 16, measure).empty());
}

} // namespace test_label_placer_cases
