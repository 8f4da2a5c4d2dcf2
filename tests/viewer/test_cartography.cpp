/// @file
/// Cartography that reads at a glance (issue 15, point 2), headless:
/// - a cluster badge carries its composition by colour class (the counts sum to the cluster's
///   count), and its size follows the count's text, so the number fits at font size 48; clicks
///   and labels use the badge's drawn size;
/// - every county name is placed at the 1920x1080 home view of the demo, with the real font,
///   panels and clusters, inside its county and clear of the panels;
/// - hazard sources below the major-hazard threshold are drawn quiet (small, grey) from the
///   catalogue's "quiet" rule, but not once selected or when the layer is filtered to them;
/// - route colours by rank stay distinct (CIE76 ΔE), the planning isochrones have an opaque
///   outline and a visible fill.

#include "app/font_finder.hpp"
#include "app/overlay.hpp"
#include "app/point_clusters.hpp"
#include "panels/map_view.hpp"
#include "panels/panels.hpp"
#include "test_paths.hpp"
#include "viewer_fixtures.hpp"

#include <vigil/catalog/catalog.hpp>
#include <vigil/util/error.hpp>

#include <catch2/catch.hpp>
#include <imgui.h>
#include <imgui_internal.h> // the panel windows' rectangles

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <random>
#include <string>

using namespace vigil;
using namespace vigil::viewer;

namespace test_cartography_cases {

using test_fixtures::open_demo;

std::shared_ptr<const catalog::LayerKind> kind(const char* name) {
    static catalog::Catalog c = catalog::Catalog::load_directory(test::layers_dir());
    return c.get(name);
}

std::shared_ptr<const model::Layer> enterprises(std::size_t n, unsigned seed) {
    auto k = kind("enterprises");
    model::LayerBuilder b(k, n);
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> lon(113.0, 113.3), lat(35.0, 35.3);
    static const char* risk[] = {"blue", "yellow", "orange", "red", ""};
    for (std::size_t i = 0; i < n; ++i) {
        std::vector<model::Value> v(k->fields.size());
        v[*k->field_index("id")] = "E" + std::to_string(i);
        v[*k->field_index("name")] = "企业" + std::to_string(i);
        if (const char* r = risk[rng() % 5]; *r) v[*k->field_index("risk_level")] = std::string(r); // some without a class
        b.add(static_cast<std::int64_t>(i + 1), std::move(v), geo::Geometry::point({lon(rng), lat(rng)}));
    }
    return b.finish();
}

/// Text size at `px` as a CJK font sets digits: 0.55 em a digit or dot, 1 em for 万; lines 1.2 em.
geo::Coord measure_count(const std::string& text, double px) {
    double w = 0;
    for (unsigned char ch : text)
        if ((ch & 0xC0) != 0x80) w += ch < 0x80 ? 0.55 : 1.0;
    return {w * px, 1.2 * px};
}

/// CIE76 colour difference (sRGB, D65).
double delta_e(Rgba a, Rgba b) {
    auto lab = [](Rgba c) {
        auto lin = [](double u) {
            u /= 255;
            return u > 0.04045 ? std::pow((u + 0.055) / 1.055, 2.4) : u / 12.92;
        };
        const double r = lin(c.r), g = lin(c.g), bl = lin(c.b);
        const double x = (0.4124 * r + 0.3576 * g + 0.1805 * bl) / 0.95047, y = 0.2126 * r + 0.7152 * g + 0.0722 * bl,
                     z = (0.0193 * r + 0.1192 * g + 0.9505 * bl) / 1.08883;
        auto f = [](double t) { return t > 0.008856 ? std::cbrt(t) : 7.787 * t + 16.0 / 116; };
        return std::array<double, 3>{116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))};
    };
    const auto p = lab(a), q = lab(b);
    return std::hypot(p[0] - q[0], p[1] - q[1], p[2] - q[2]);
}

/// An ImGui context with the viewer's Chinese font at 16 px (the default atlas when none is
/// installed), for measuring and placing labels as the viewer does.
struct ImGuiWithFont {
    ImGuiWithFont(float w, float h, const std::vector<std::string>& texts) {
        ImGui::CreateContext();
        ImGuiIO& io = ImGui::GetIO();
        io.IniFilename = nullptr;
        io.DisplaySize = ImVec2(w, h);
        io.DeltaTime = 1.0f / 60;
        ImFontGlyphRangesBuilder b;
        b.AddRanges(io.Fonts->GetGlyphRangesDefault());
        for (const auto& t : texts) b.AddText(t.c_str());
        b.BuildRanges(&ranges);
        if (auto face = find_cjk_font()) {
            ImFontConfig cfg;
            cfg.FontNo = face->index;
            font_found = io.Fonts->AddFontFromFileTTF(face->file.c_str(), 16, &cfg, ranges.Data) != nullptr;
        }
        if (!font_found) io.Fonts->AddFontDefault();
        unsigned char* pixels = nullptr;
        int pw = 0, ph = 0;
        io.Fonts->GetTexDataAsRGBA32(&pixels, &pw, &ph);
    }
    ~ImGuiWithFont() { ImGui::DestroyContext(); }
    ImGuiWithFont(const ImGuiWithFont&) = delete;
    ImGuiWithFont& operator=(const ImGuiWithFont&) = delete;
    ImVector<ImWchar> ranges;
    bool font_found = false;
};

TEST_CASE("cartography: a cluster's composition counts its members by colour class", "[viewer][clusters][cartography]") {
    auto layer = enterprises(3000, 7);
    const FeatureRanks ranks(*layer);
    REQUIRE(ranks.classes() == 5); // red, orange, yellow, blue, then no class
    for (int z : {7, 10}) {
        const Clustering c = cluster_points(*layer, {}, ranks, z);
        REQUIRE_FALSE(c.clusters.empty());
        // Brute force: the members of each cluster by rank.
        std::vector<std::map<int, std::uint32_t>> expected(c.clusters.size());
        for (std::size_t row = 0; row < layer->size(); ++row)
            if (c.clustered(row)) ++expected[c.cluster_of[row]][ranks.rank(row)];
        for (std::size_t i = 0; i < c.clusters.size(); ++i) {
            const PointCluster& k = c.clusters[i];
            INFO("zoom " << z << ", cluster " << i << " of " << k.count);
            std::uint32_t sum = 0;
            std::map<int, std::uint32_t> got;
            for (std::size_t s = 0; s < k.composition.size(); ++s) {
                const auto& share = k.composition[s];
                if (s > 0) CHECK(share.rank > k.composition[s - 1].rank); // catalogue order, red first
                CHECK(share.count > 0);
                CHECK(ranks.rank(share.row) == share.rank);
                CHECK(c.cluster_of[share.row] == i);
                got[share.rank] = share.count;
                sum += share.count;
            }
            CHECK(sum == k.count);
            CHECK(got == expected[i]);
            CHECK(k.composition.front().rank == k.top_rank);
        }
    }
}

TEST_CASE("cartography: the count fits inside its badge at any font size; clicks and labels use the badge's size",
          "[viewer][clusters][cartography]") {
    for (double font : {12.0, 16.0, 32.0, 48.0})
        for (std::uint32_t n : {2u, 51u, 999u, 9999u, 12345u, 1234567u}) {
            const ClusterBadges badges(font, measure_count);
            const BadgeShape b = badges.shape(n);
            INFO("font " << font << ", count " << n << " (" << b.text << "): badge " << b.diameter << ", text " << b.text_size.x << "x"
                         << b.text_size.y);
            CHECK(b.font_px == Approx(0.9 * font));
            CHECK(b.text_size.x == Approx(measure_count(b.text, b.font_px).x));
            // The text's box, corners included, lies inside the disc within the ring.
            CHECK(std::hypot(b.text_size.x, b.text_size.y) < b.inner);
            CHECK(b.inner == Approx(b.diameter - 2 * b.ring));
            CHECK(b.ring >= 3);
            CHECK(b.diameter >= cluster_symbol_size(n));
        }
    // At font size 48 "51" is ~50 px wide: the old circles (at most 52 px) could not hold it.
    const ClusterBadges big(48, measure_count);
    CHECK(big.diameter(51) > 52);
    CHECK(big.diameter(51) > ClusterBadges(16, measure_count).diameter(51));

    // A click just inside the drawn badge hits it, just outside misses; at 48 px that is far
    // beyond the size the count alone would give.
    auto layer = enterprises(2, 1);
    const Clustering c = cluster_points(*layer, {}, FeatureRanks(*layer), 0);
    REQUIRE(c.clusters.size() == 1);
    Camera cam;
    cam.set_viewport(800, 600);
    cam.set_center_lonlat(c.clusters[0].lonlat);
    cam.set_zoom(0.5);
    const geo::Coord at = cam.lonlat_to_screen(c.clusters[0].lonlat);
    const double r = big.diameter(c.clusters[0].count) / 2;
    CHECK(hit_cluster(c, cam, {at.x + r - 1, at.y}, big) == std::optional<std::size_t>(0));
    CHECK_FALSE(hit_cluster(c, cam, {at.x + r + 1, at.y}, big));
    CHECK_FALSE(hit_cluster(c, cam, {at.x + r - 1, at.y})); // the default (16 px) badge is smaller

    // Labels: a point label beside the badge's edge is refused at 48 px and placed at 16 px,
    // the blocking boxes being the ones draw_map_labels makes from the badges.
    auto label_beside = [&](const ClusterBadges& badges) {
        const double br = badges.diameter(2) / 2 + 4;
        const std::vector<geo::BBox> symbols{{at.x - br, at.y - br, at.x + br, at.y + br}};
        LabelPlacer placer(800, 600);
        for (const auto& s : symbols) placer.block(s);
        LabelCandidate lc;
        lc.text = "甲";
        lc.anchor = {at.x + 30, at.y};
        lc.width = 16;
        lc.height = 16;
        lc.centred = true;
        return placer.place({lc}).size();
    };
    CHECK(label_beside(ClusterBadges(16, measure_count)) == 1);
    CHECK(label_beside(big) == 0);
}

TEST_CASE("cartography: every county is named at the 1920x1080 home view, inside it, before points and clusters",
          "[viewer][labels][cartography]") {
    AppState s = open_demo();
    s.camera().set_viewport(1920, 1080);
    s.zoom_home();
    const LayerView& admin = *s.layer("admin_areas");
    REQUIRE(admin.kind().symbology.label_keep);
    const auto name = *admin.kind().field_index("name");
    std::vector<std::string> counties;
    for (std::size_t r = 0; r < admin.layer->size(); ++r) counties.push_back(std::get<std::string>(admin.layer->value(r, name)));
    REQUIRE(counties.size() == 10);

    // The viewer's frame: the real font, its default panels, the cluster badges, then labels.
    std::vector<std::string> texts = counties;
    for (const auto& l : s.layers())
        if (const auto f = l.kind().field_index(l.kind().symbology.label_field))
            for (std::size_t r = 0; r < l.layer->size(); ++r)
                if (const auto* t = std::get_if<std::string>(&l.layer->value(r, *f))) texts.push_back(*t);
    const ImGuiWithFont imgui(1920, 1080, texts);
    PanelState panels;
    MapCanvas canvas;
    std::vector<Clustering> clusterings;
    clusterings.reserve(s.layers().size());
    for (const auto& l : s.layers())
        if (l.visible && clusters_at(l.kind(), s.camera().zoom())) {
            clusterings.push_back(
                cluster_points(*l.layer, l.row_visible, FeatureRanks(*l.layer), static_cast<int>(std::floor(s.camera().zoom()))));
            canvas.clustered.push_back({&l, &clusterings.back()});
        }
    REQUIRE_FALSE(canvas.clustered.empty());  // the enterprises are clustered at this scale
    for (int frame = 0; frame < 3; ++frame) { // the panels' windows exist from the second frame
        ImGui::NewFrame();
        draw_cluster_badges(s, canvas);
        draw_map_labels(s, panels, canvas);
        draw_panels(s, panels);
        ImGui::Render();
    }
    INFO("font " << (imgui.font_found ? "Noto Sans CJK" : "ImGui's default"));
    CHECK(canvas.labeler.stats().kept == 10);
    CHECK(canvas.labeler.stats().kept_placed == 10);

    // The placement, read back: each name once, its centre inside its county, none under a
    // panel window.
    std::vector<geo::BBox> panes;
    for (const ImGuiWindow* win : ImGui::GetCurrentContext()->Windows)
        if (win->WasActive && !win->Hidden && !(win->Flags & ImGuiWindowFlags_ChildWindow) && win->Size.x > 0)
            panes.push_back({win->Pos.x, win->Pos.y, win->Pos.x + win->Size.x, win->Pos.y + win->Size.y});
    REQUIRE(panes.size() >= 2); // Layers, Legend, Inspector, the menu bar
    const auto& labels = canvas.labeler.labels();
    std::map<std::string, int> named;
    for (const auto& l : labels) {
        if (l.family != geo::GeometryType::Polygon) continue;
        ++named[l.text];
        const geo::Coord centre = s.camera().screen_to_lonlat({(l.box.min_x + l.box.max_x) / 2, (l.box.min_y + l.box.max_y) / 2});
        const auto row = std::find(counties.begin(), counties.end(), l.text) - counties.begin();
        CHECK(geo::contains(admin.layer->geometry(static_cast<std::size_t>(row)), centre));
        for (const auto& p : panes) CHECK_FALSE(p.intersects(l.box));
    }
    for (const auto& c : counties) CHECK(named[c] == 1);
}

TEST_CASE("cartography: hazard sources below the threshold are quiet, unless selected or filtered to", "[viewer][style][cartography]") {
    AppState s = open_demo();
    const LayerView& l = *s.layer("hazard_sources");
    const auto grade = *l.kind().field_index("grade");
    std::optional<std::size_t> minor, major;
    for (std::size_t r = 0; r < l.layer->size(); ++r) {
        const auto* g = std::get_if<std::string>(&l.layer->value(r, grade));
        if (g && *g == "not_major" && !minor) minor = r;
        if (g && *g == "grade1" && !major) major = r;
    }
    REQUIRE(minor);
    REQUIRE(major);
    const FeatureStyle quiet = l.styles.style(*l.layer, *minor), loud = l.styles.style(*l.layer, *major);
    CHECK(quiet.size < 7);
    CHECK(quiet.fill.r == quiet.fill.g); // grey
    CHECK(quiet.fill.g == quiet.fill.b);
    CHECK(loud.size >= 9);
    CHECK(loud.fill == parse_colour("#B71C1C"));
    CHECK(l.styles.loud_style(*l.layer, *minor).fill == parse_colour("#8D6E63")); // its class colour, while it is wanted
    CHECK_FALSE(l.styles.quiet_value(*l.layer, *major));

    // Selected: the overlay draws it in its own look under the highlight ring.
    s.select({"hazard_sources", *minor});
    const geo::Coord at = l.layer->geometry(*minor).coords.front();
    bool loud_in_overlay = false;
    for (const auto& p : build_overlay(s).points)
        if (p.lonlat.x == at.x && p.lonlat.y == at.y && p.style.fill == parse_colour("#8D6E63") && p.style.size >= 9)
            loud_in_overlay = true;
    CHECK(loud_in_overlay);
    s.clear_selection();

    // Not named while quiet (alone on the map, where nothing else takes the place).
    s.camera().set_center_lonlat(at);
    s.camera().set_zoom(15);
    const auto name_field = *l.kind().field_index("name");
    const std::string minor_name = std::get<std::string>(l.layer->value(*minor, name_field));
    auto named = [&] {
        MapLabeler labeler;
        const auto& labels = labeler.update(s.camera(), {{&l, nullptr}}, {}, 16, [](const std::string& t) {
            return geo::Coord{8.0 * static_cast<double>(t.size()) / 3, 16};
        });
        return std::any_of(labels.begin(), labels.end(), [&](const MapLabel& m) { return m.text == minor_name; });
    };
    CHECK_FALSE(named());

    // Filtered to them (by the Chinese label, as the Layers panel may): drawn as loud as the rest.
    s.set_filter("hazard_sources", query::FilterSpec{{}, {}, {{"grade", {"未构成重大危险源"}}}});
    CHECK(l.styles.style(*l.layer, *minor).fill == parse_colour("#8D6E63"));
    CHECK(l.styles.style(*l.layer, *minor).size >= 9);
    CHECK(named());
    s.set_filter("hazard_sources", query::FilterSpec{{}, {}, {{"grade", {"grade1", "grade2"}}}}); // filtered to others: still quiet
    CHECK(l.styles.style(*l.layer, *minor).size < 7);
    s.set_filter("hazard_sources", {});
    CHECK(l.styles.style(*l.layer, *minor).size < 7);

    // The rule is read from the catalogue, and checked there.
    const std::string head = R"({"format": "vigil-layer/1", "kind": "sites", "title": "S", "geometry": "point",
        "fields": [{"name": "id", "type": "text", "role": "id", "required": true, "label": "id"},
                   {"name": "grade", "type": "enum", "label": "g", "values": [{"value": "a", "label": "A"}, {"value": "b", "label": "B"}]}],
        "symbology": {"quiet": )";
    const auto ok = catalog::parse_layer_kind(head + R"({"field": "grade", "values": ["b"], "size": 4}}})", "sites.json");
    CHECK(ok.symbology.quiet_field == "grade");
    CHECK(ok.symbology.quiet_values == std::vector<std::string>{"b"});
    CHECK(ok.symbology.quiet_size == 4);
    CHECK_THROWS_AS(catalog::parse_layer_kind(head + R"({"field": "grade", "values": ["c"]}}})", "sites.json"), Error);
    CHECK_THROWS_AS(catalog::parse_layer_kind(head + R"({"field": "grade", "values": []}}})", "sites.json"), Error);
}

TEST_CASE("cartography: route colours by rank stay distinct; isochrones have an outline and a fill", "[viewer][dispatch][cartography]") {
    std::vector<Rgba> colours;
    for (std::size_t rank = 1; rank <= std::size(k_route_palette); ++rank) {
        const RouteStyle st = route_style(rank, 20);
        CHECK(st.highlighted);
        CHECK(st.colour.a == 255);
        colours.push_back(st.colour);
    }
    colours.push_back(route_style(std::size(k_route_palette) + 1, 20).colour); // past the palette: the others' grey
    CHECK_FALSE(route_style(std::size(k_route_palette) + 1, 20).highlighted);
    for (std::size_t i = 0; i < colours.size(); ++i)
        for (std::size_t j = i + 1; j < colours.size(); ++j) {
            INFO("ranks " << i + 1 << " and " << j + 1);
            CHECK(delta_e(colours[i], colours[j]) > (i < 5 && j < 5 ? 40 : 20));
        }
    CHECK(route_style(1, 5).width > route_style(2, 5).width); // rank 1 the strongest

    // The Planning panel's isochrones at city scale: outlines in the overlay, fills on the map.
    AppState s = open_demo();
    PanelState panels;
    panels.plan_need_text = "hazmat";
    panels.plan_minutes_text = "5,10,15";
    ask_isochrones(s, panels);
    s.wait_planning();
    const PlanAnswer* a = s.planner().answer(PlanKind::isochrones);
    REQUIRE(a);
    REQUIRE(a->isochrones);
    const auto& bands = a->isochrones->bands;
    REQUIRE(bands.size() == 3);
    const Overlay o = build_overlay(s);
    for (const auto& band : bands) {
        INFO(band.minutes << " min");
        const Rgba outline = isochrone_outline(band.minutes), fill = isochrone_fill(band.minutes);
        std::size_t edges = 0;
        for (const auto& seg : o.segments) edges += seg.colour == outline && seg.width >= 2;
        CHECK(edges > 0);
        CHECK(outline.a == 255);
        CHECK(fill.a >= 48);
        CHECK(fill.a <= 96);                                    // translucent: the map shows through
        CHECK(delta_e(outline, Rgba{236, 233, 226, 255}) > 30); // the outline stands out from the map's ground
    }
    // The fills: drawn on the map's background list, each band in its colour, at zoom 10 over
    // the 15-minute band.
    const test_fixtures::HeadlessImGui imgui(1600, 900);
    geo::BBox box = bands.back().area.bbox();
    s.camera().set_center_lonlat({(box.min_x + box.max_x) / 2, (box.min_y + box.max_y) / 2});
    s.camera().set_zoom(10);
    ImGui::NewFrame();
    draw_map_fills(s, panels);
    const ImDrawList* dl = ImGui::GetBackgroundDrawList();
    for (const auto& band : bands) {
        const Rgba f = isochrone_fill(band.minutes);
        const ImU32 col = IM_COL32(f.r, f.g, f.b, f.a);
        std::size_t vertices = 0;
        for (const auto& v : dl->VtxBuffer) vertices += v.col == col;
        INFO(band.minutes << " min");
        CHECK(vertices > 100);
    }
    ImGui::Render();
}

} // namespace test_cartography_cases
