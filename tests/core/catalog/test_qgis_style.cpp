// The catalogue's symbology as QGIS layer styles (QML and SLD): categories, colours, widths,
// labels, for every kind of the real catalogue and for shapes of symbology no kind has yet.

#include <vigil/catalog/catalog.hpp>
#include <vigil/catalog/qgis_style.hpp>
#include <vigil/util/i18n.hpp>

#include "test_paths.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <regex>
#include <string>
#include <vector>

using namespace vigil;
using catalog::qgis_style;

namespace test_qgis_style_cases {

// The style's labels follow the user's language; these tests read the Chinese ones.
struct InChinese {
    InChinese() { vigil::i18n::set_language(vigil::i18n::Language::zh_CN); }
    ~InChinese() { vigil::i18n::set_language(vigil::i18n::Language::en); }
    InChinese(const InChinese&) = delete;
    InChinese& operator=(const InChinese&) = delete;
};

struct Category {
    std::string value, label, symbol;
};

// The categories of a QML document, in order.
std::vector<Category> categories(const std::string& qml) {
    static const std::regex re(R"re(<category render="true" symbol="(\d+)" value="([^"]*)" label="([^"]*)"/>)re");
    std::vector<Category> out;
    for (auto it = std::sregex_iterator(qml.begin(), qml.end(), re); it != std::sregex_iterator(); ++it)
        out.push_back({(*it)[2], (*it)[3], (*it)[1]});
    return out;
}

// The <prop k="key"> of the symbol named `name` inside <symbols>.
std::string symbol_prop(const std::string& qml, const std::string& name, const std::string& key) {
    auto symbols = qml.find("<symbols>");
    REQUIRE(symbols != std::string::npos);
    // The first symbol of that name after <symbols>: the classes' (the source symbol comes after).
    auto at = qml.find("\" name=\"" + name + "\" alpha=", symbols);
    REQUIRE(at != std::string::npos);
    auto end = qml.find("</symbol>", at);
    std::smatch m;
    const std::string body = qml.substr(at, end - at);
    REQUIRE(std::regex_search(body, m, std::regex("<prop k=\"" + key + "\" v=\"([^\"]*)\"/>")));
    return m[1];
}

// Every element opened is closed, in order (a small well-formedness check: no XML parser in the core).
bool balanced(const std::string& doc) {
    std::vector<std::string> open;
    static const std::regex tag(R"re(<(/?)([A-Za-z_][\w:.-]*)[^>]*?(/?)>)re");
    for (auto it = std::sregex_iterator(doc.begin(), doc.end(), tag); it != std::sregex_iterator(); ++it) {
        const auto& m = *it;
        if (m[3] == "/") continue; // <x/>
        if (m[1] == "/") {
            if (open.empty() || open.back() != m[2]) return false;
            open.pop_back();
        } else {
            open.push_back(m[2]);
        }
    }
    return open.empty();
}

std::size_t count(const std::string& s, const std::string& what) {
    std::size_t n = 0;
    for (auto at = s.find(what); at != std::string::npos; at = s.find(what, at + 1)) ++n;
    return n;
}

catalog::LayerKind kind_of(const std::string& geometry, const std::string& fields, const std::string& symbology) {
    return catalog::parse_layer_kind(R"({"format": "vigil-layer/1", "kind": "things", "title": {"zh": "东西", "en": "Things"},
        "geometry": ")" + geometry + R"(", "fields": [{"name": "id", "role": "id", "type": "text", "required": true, "label": "ID"}, )" +
                                         fields + R"(], "symbology": )" + symbology + "}",
                                     "things.json");
}


TEST_CASE("enterprises: categorised by risk level in the four colours, the rest grey", "[catalog][qgis]") {
    InChinese zh;
    auto c = catalog::Catalog::load_directory(test::layers_dir());
    const auto style = qgis_style(*c.get("enterprises"));
    const auto& qml = style.qml;
    CHECK(qml.find("<renderer-v2 type=\"categorizedSymbol\" attr=\"risk_level\"") != std::string::npos);
    const auto cats = categories(qml);
    REQUIRE(cats.size() == 5);
    const char* values[] = {"red", "orange", "yellow", "blue", ""};
    const char* labels[] = {"重大风险（红）", "较大风险（橙）", "一般风险（黄）", "低风险（蓝）", "其他或未填"};
    const char* colours[] = {"211,47,47,255", "245,124,0,255", "251,192,45,255", "25,118,210,255", "158,158,158,255"};
    for (std::size_t i = 0; i < cats.size(); ++i) {
        INFO(i);
        CHECK(cats[i].value == values[i]);
        CHECK(cats[i].label == labels[i]);
        CHECK(symbol_prop(qml, cats[i].symbol, "color") == colours[i]);
        CHECK(symbol_prop(qml, cats[i].symbol, "name") == "circle");
        CHECK(symbol_prop(qml, cats[i].symbol, "size") == "7");
        CHECK(symbol_prop(qml, cats[i].symbol, "size_unit") == "Pixel");
        CHECK(symbol_prop(qml, cats[i].symbol, "outline_color") == "255,255,255,255");
    }
    // Names labelled from zoom 13 (1:68,247), QGIS priority 3 of 10 (the catalogue's 30 of 100).
    CHECK(qml.find("labelsEnabled=\"1\"") != std::string::npos);
    CHECK(qml.find("fieldName=\"name\"") != std::string::npos);
    CHECK(qml.find("scaleVisibility=\"1\" scaleMin=\"0\" scaleMax=\"68247\"") != std::string::npos);
    CHECK(qml.find("priority=\"3\"") != std::string::npos);
    CHECK(style.description == "Vigil 图层目录的符号：企业，按风险等级分类");
    {
        vigil::i18n::set_language(vigil::i18n::Language::en);
        CHECK(qgis_style(*c.get("enterprises")).description == "Vigil's catalogue symbology: Enterprises by Risk level");
        vigil::i18n::set_language(vigil::i18n::Language::zh_CN);
    }

    // The SLD: one rule per value with its filter and colour, then one for empty or none of them.
    const auto& sld = style.sld;
    CHECK(count(sld, "<se:Rule>") == 6); // 5 classes + the labels
    CHECK(sld.find("<ogc:PropertyIsEqualTo><ogc:PropertyName>risk_level</ogc:PropertyName><ogc:Literal>red</ogc:Literal>") !=
          std::string::npos);
    CHECK(sld.find("<se:Title>重大风险（红）</se:Title>") != std::string::npos);
    CHECK(sld.find("<se:SvgParameter name=\"fill\">#d32f2f</se:SvgParameter>") != std::string::npos);
    CHECK(sld.find("<se:Name>other</se:Name><se:Description><se:Title>其他或未填</se:Title></se:Description><ogc:Filter><ogc:Or>"
                   "<ogc:PropertyIsNull><ogc:PropertyName>risk_level</ogc:PropertyName></ogc:PropertyIsNull><ogc:Not><ogc:Or>") !=
          std::string::npos);
    CHECK(sld.find("<se:SvgParameter name=\"fill\">#9e9e9e</se:SvgParameter>") != std::string::npos);
    CHECK(sld.rfind("<se:Rule>") == sld.find("<se:Rule><se:Name>label</se:Name>")); // the labels last
    CHECK(count(sld, "<se:FeatureTypeStyle>") == 1);
    CHECK(sld.find("<se:MaxScaleDenominator>68247</se:MaxScaleDenominator>") != std::string::npos);
}

TEST_CASE("every kind of the catalogue: its colour field's values, then everything else", "[catalog][qgis]") {
    auto c = catalog::Catalog::load_directory(test::layers_dir());
    for (const auto& k : c.kinds()) {
        INFO(k->kind);
        const auto style = qgis_style(*k);
        CHECK(balanced(style.qml));
        CHECK(balanced(style.sld));
        const auto& s = k->symbology;
        const std::string size_field = k->geometry == catalog::GeometryKind::Point ? s.size_field : std::string();
        const std::string field = !s.color_field.empty() ? s.color_field : !s.width_field.empty() ? s.width_field : size_field;
        const auto cats = categories(style.qml);
        if (field.empty()) {
            CHECK(style.qml.find("<renderer-v2 type=\"singleSymbol\"") != std::string::npos);
            CHECK(cats.empty());
            CHECK(count(style.sld, "<ogc:Filter>") == 0);
            continue;
        }
        CHECK(style.qml.find("attr=\"" + field + "\"") != std::string::npos);
        const catalog::Field* f = k->field(field);
        REQUIRE(f);
        REQUIRE(cats.size() == f->values.size() + 1);
        for (std::size_t i = 0; i < f->values.size(); ++i) {
            CHECK(cats[i].value == f->values[i].value);
            CHECK(cats[i].label == f->values[i].label.text());
        }
        CHECK(cats.back().value.empty());
        // SLD: a rule per class, times each size of another field and its rest (size_by).
        const std::size_t per_class = size_field.empty() || size_field == field ? 1 : s.sizes.size() + 1;
        CHECK(count(style.sld, "<ogc:Filter>") == cats.size() * per_class);
        // The null test of the class field's rest, and (size_by) of the size field's in every class.
        CHECK(count(style.sld, "<ogc:PropertyIsNull>") == (per_class == 1 ? 1 : per_class + cats.size()));
    }
}

TEST_CASE("lines and polygons: class colours stroke, widths by class, transparent fills stay transparent", "[catalog][qgis]") {
    InChinese zh;
    auto c = catalog::Catalog::load_directory(test::layers_dir());
    SECTION("roads: colour and width by road class") {
        const auto qml = qgis_style(*c.get("roads")).qml;
        const auto cats = categories(qml);
        REQUIRE(cats.size() == 8);
        CHECK(cats[0].value == "expressway");
        CHECK(cats[0].label == "高速公路");
        CHECK(symbol_prop(qml, cats[0].symbol, "line_color") == "232,163,61,255");
        CHECK(symbol_prop(qml, cats[0].symbol, "line_width") == "3");
        CHECK(symbol_prop(qml, cats[0].symbol, "line_width_unit") == "Pixel");
        CHECK(symbol_prop(qml, cats.back().symbol, "line_color") == "158,158,158,255"); // the catalogue's stroke
        CHECK(symbol_prop(qml, cats.back().symbol, "line_width") == "1");
        CHECK(qml.find("<data_defined_properties>") == std::string::npos);
    }
    SECTION("admin areas: outline width by level over a transparent fill") {
        const auto style = qgis_style(*c.get("admin_areas"));
        const auto cats = categories(style.qml);
        REQUIRE(cats.size() >= 3);
        CHECK(style.qml.find("attr=\"level\"") != std::string::npos);
        for (const auto& cat : cats) {
            INFO(cat.value);
            CHECK(symbol_prop(style.qml, cat.symbol, "color") == "245,241,232,0");
            CHECK(symbol_prop(style.qml, cat.symbol, "outline_color") == "123,111,99,255");
        }
        REQUIRE(cats[1].value == "city");
        CHECK(symbol_prop(style.qml, cats[0].symbol, "outline_width") == "1.2"); // province: no width of its own
        CHECK(symbol_prop(style.qml, cats[1].symbol, "outline_width") == "2.5");
        CHECK(symbol_prop(style.qml, cats.back().symbol, "outline_width") == "1.2");
        CHECK(style.sld.find("<se:SvgParameter name=\"fill-opacity\">0</se:SvgParameter>") != std::string::npos);
        CHECK(style.sld.find("<se:PolygonSymbolizer>") != std::string::npos);
    }
    SECTION("warehouses: one symbol, a diamond") {
        const auto style = qgis_style(*c.get("warehouses"));
        CHECK(style.qml.find("<renderer-v2 type=\"singleSymbol\"") != std::string::npos);
        CHECK(symbol_prop(style.qml, "0", "name") == "diamond");
        CHECK(symbol_prop(style.qml, "0", "color") == "106,27,154,255");
        CHECK(count(style.sld, "<se:Rule>") == 2);
    }
}

TEST_CASE("colour by one field, width by another: categories by colour, a data-defined width", "[catalog][qgis]") {
    const auto k = kind_of("line",
                           R"({"name": "kind", "type": "enum", "label": {"zh": "类别", "en": "Kind"}, "values": [
                                 {"value": "a", "label": {"zh": "甲", "en": "A"}}, {"value": "b", "label": {"zh": "乙", "en": "B"}}]},
                              {"name": "size", "type": "enum", "label": {"zh": "规模", "en": "Size"}, "values": [
                                 {"value": "big", "label": {"zh": "大", "en": "Big"}}, {"value": "small", "label": {"zh": "小", "en": "Small"}}]})",
                           R"({"stroke": "#000000", "stroke_width": 1.5, "color_by": {"field": "kind", "colors": {"a": "#FF0000"}},
                               "stroke_by": {"field": "size", "widths": {"big": 4, "small": 0.5}}})");
    const auto style = qgis_style(k);
    CHECK(balanced(style.qml));
    CHECK(balanced(style.sld));
    const auto cats = categories(style.qml);
    REQUIRE(cats.size() == 3);
    CHECK(symbol_prop(style.qml, cats[0].symbol, "line_color") == "255,0,0,255");
    CHECK(symbol_prop(style.qml, cats[1].symbol, "line_color") == "0,0,0,255"); // b has no colour: the default
    CHECK(
        style.qml.find(
            R"(value="CASE WHEN &quot;size&quot; = &apos;big&apos; THEN 4 WHEN &quot;size&quot; = &apos;small&apos; THEN 0.5 ELSE 1.5 END")") !=
        std::string::npos);
    // 3 colour classes x (2 widths + the rest), each an explicit filter.
    CHECK(count(style.sld, "<se:Rule>") == 9);
    CHECK(style.sld.find("<ogc:Or><ogc:PropertyIsNull><ogc:PropertyName>kind</ogc:PropertyName></ogc:PropertyIsNull><ogc:Not><ogc:Or>") !=
          std::string::npos);
}

TEST_CASE("marker size by a field: the class's size on its own field, else a data-defined size", "[catalog][qgis]") {
    SECTION("hidden hazards: colour by status, 重大隐患 larger") {
        auto c = catalog::Catalog::load_directory(test::layers_dir());
        const auto style = qgis_style(*c.get("hidden_hazards"));
        CHECK(balanced(style.qml));
        CHECK(balanced(style.sld));
        CHECK(style.qml.find("attr=\"status\"") != std::string::npos);
        const auto& s = c.get("hidden_hazards")->symbology;
        REQUIRE(s.size_field == "level");
        const std::string expression = "CASE WHEN &quot;level&quot; = &apos;general&apos; THEN " +
                                       fmt::format("{}", s.sizes.at("general")) + " WHEN &quot;level&quot; = &apos;major&apos; THEN " +
                                       fmt::format("{}", s.sizes.at("major")) + " ELSE " + fmt::format("{}", s.size) + " END";
        CHECK(style.qml.find("<Option name=\"size\" type=\"Map\">") != std::string::npos);
        CHECK(style.qml.find(expression) != std::string::npos);
        // Every class x (general, major, the rest).
        CHECK(count(style.sld, "<se:Rule>") == 3 * categories(style.qml).size() + 1); // + the labels' rule
        CHECK(style.sld.find("<se:Size>" + fmt::format("{}", s.sizes.at("major")) + "</se:Size>") != std::string::npos);
    }
    SECTION("size by the categorised field: each class its size") {
        const auto k = kind_of("point",
                               R"({"name": "level", "type": "enum", "label": {"zh": "级别", "en": "Level"}, "values": [
                                     {"value": "low", "label": {"zh": "低", "en": "Low"}}, {"value": "high", "label": {"zh": "高", "en": "High"}}]})",
                               R"({"size": 6, "size_by": {"field": "level", "sizes": {"high": 14}}})");
        const auto style = qgis_style(k);
        const auto cats = categories(style.qml);
        REQUIRE(cats.size() == 3);
        CHECK(symbol_prop(style.qml, cats[0].symbol, "size") == "6");
        CHECK(symbol_prop(style.qml, cats[1].symbol, "size") == "14");
        CHECK(symbol_prop(style.qml, cats[2].symbol, "size") == "6");
        CHECK(style.qml.find("<data_defined_properties>") == std::string::npos);
        CHECK(count(style.sld, "<se:Rule>") == 3);
        CHECK(style.sld.find("<se:Size>14</se:Size>") != std::string::npos);
    }
}

TEST_CASE("the quiet rule: hazard sources below the threshold small and grey in QGIS too", "[catalog][qgis]") {
    auto c = catalog::Catalog::load_directory(test::layers_dir());
    const auto& k = *c.get("hazard_sources");
    REQUIRE(k.symbology.quiet_field == "grade");
    const auto style = qgis_style(k);
    const auto cats = categories(style.qml);
    REQUIRE(cats.size() == 6); // grade1..grade4, not_major, the rest
    REQUIRE(cats[4].value == "not_major");
    CHECK(symbol_prop(style.qml, cats[4].symbol, "size") == fmt::format("{}", k.symbology.quiet_size));
    CHECK(symbol_prop(style.qml, cats[0].symbol, "size") == fmt::format("{}", k.symbology.size));
    CHECK(symbol_prop(style.qml, cats[4].symbol, "color") != symbol_prop(style.qml, cats[0].symbol, "color"));
    CHECK(symbol_prop(style.qml, cats[4].symbol, "color").rfind("158,158,158", 0) == 0); // #9E9E9E
}

TEST_CASE("a text field coloured by value, labels and names that need escaping", "[catalog][qgis]") {
    InChinese zh;
    const auto k = kind_of(
        "point", R"({"name": "owner", "type": "text", "label": {"zh": "归属 <A&B>", "en": "Owner"}})",
        R"({"marker": "cross", "fill": "#11223380", "color_by": {"field": "owner", "colors": {"x&y": "#FFFFFF", "a\"b": "#000000"}}})");
    const auto style = qgis_style(k);
    CHECK(balanced(style.qml));
    CHECK(balanced(style.sld));
    const auto cats = categories(style.qml);
    REQUIRE(cats.size() == 3);
    CHECK(cats[0].value == "a&quot;b"); // the colour map's keys, in order, labelled by themselves
    CHECK(cats[1].value == "x&amp;y");
    CHECK(symbol_prop(style.qml, cats[2].symbol, "color") == "17,34,51,128");
    CHECK(symbol_prop(style.qml, cats[2].symbol, "name") == "cross_fill");
    CHECK(style.qml.find("labelsEnabled=\"0\"") != std::string::npos);
    CHECK(style.description.find("按归属 <A&B>分类") != std::string::npos);
    CHECK(style.sld.find("<ogc:Literal>x&amp;y</ogc:Literal>") != std::string::npos);
    CHECK(style.sld.find("<se:SvgParameter name=\"fill-opacity\">0.502</se:SvgParameter>") != std::string::npos);
}

TEST_CASE("web mercator zoom levels as map scales", "[catalog][qgis]") {
    CHECK(catalog::scale_at_zoom(0) == Approx(559082264.03));
    CHECK(catalog::scale_at_zoom(13) == Approx(68247.34));
    CHECK(catalog::scale_at_zoom(11) == Approx(272989.39));
}

} // namespace test_qgis_style_cases
