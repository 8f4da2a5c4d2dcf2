// i18n: input vocabulary — the units as clerks write them in registers (吨, 立方米, 斤): parsed, never shown;
// the dimensions' names (N_) are shown through tr().
#include <vigil/catalog/units.hpp>

#include <vigil/util/i18n.hpp>
#include <vigil/util/text.hpp>

#include <array>

namespace vigil::units {

namespace {

struct Spelling {
    std::string_view text;
    Unit unit;
};

// Base units: kg, m, s, m3, m2, m/s, 1 (counts), person.
constexpr Unit k_t{"t", Dimension::Mass, 1000};
constexpr Unit k_kg{"kg", Dimension::Mass, 1};
constexpr Unit k_g{"g", Dimension::Mass, 0.001};
constexpr Unit k_jin{"jin", Dimension::Mass, 0.5}; // 斤, the market catty
constexpr Unit k_m{"m", Dimension::Length, 1};
constexpr Unit k_km{"km", Dimension::Length, 1000};
constexpr Unit k_s{"s", Dimension::Time, 1};
constexpr Unit k_min{"min", Dimension::Time, 60};
constexpr Unit k_h{"h", Dimension::Time, 3600};
constexpr Unit k_day{"d", Dimension::Time, 86400};
constexpr Unit k_m3{"m3", Dimension::Volume, 1};
constexpr Unit k_l{"L", Dimension::Volume, 0.001};
constexpr Unit k_ml{"mL", Dimension::Volume, 0.000001};
constexpr Unit k_m2{"m2", Dimension::Area, 1};
constexpr Unit k_km2{"km2", Dimension::Area, 1e6};
constexpr Unit k_ha{"ha", Dimension::Area, 1e4};
constexpr Unit k_mu{"mu", Dimension::Area, 10000.0 / 15.0}; // 亩
constexpr Unit k_kmh{"km/h", Dimension::Speed, 1000.0 / 3600.0};
constexpr Unit k_ms{"m/s", Dimension::Speed, 1};
constexpr Unit k_item{"item", Dimension::Count, 1};
constexpr Unit k_person{"person", Dimension::Person, 1};

// Every spelling is compared through text::match_key (case, width and spaces folded).
const std::array k_spellings = {
    Spelling{"t", k_t},
    Spelling{"吨", k_t},
    Spelling{"tonne", k_t},
    Spelling{"tonnes", k_t},
    Spelling{"ton", k_t},
    Spelling{"kg", k_kg},
    Spelling{"千克", k_kg},
    Spelling{"公斤", k_kg},
    Spelling{"g", k_g},
    Spelling{"克", k_g},
    Spelling{"jin", k_jin},
    Spelling{"斤", k_jin},
    Spelling{"m", k_m},
    Spelling{"米", k_m},
    Spelling{"公尺", k_m},
    Spelling{"km", k_km},
    Spelling{"公里", k_km},
    Spelling{"千米", k_km},
    Spelling{"s", k_s},
    Spelling{"sec", k_s},
    Spelling{"秒", k_s},
    Spelling{"秒钟", k_s},
    Spelling{"min", k_min},
    Spelling{"分", k_min},
    Spelling{"分钟", k_min},
    Spelling{"mins", k_min},
    Spelling{"h", k_h},
    Spelling{"hr", k_h},
    Spelling{"小时", k_h},
    Spelling{"时", k_h},
    Spelling{"d", k_day},
    Spelling{"天", k_day},
    Spelling{"日", k_day},
    Spelling{"m3", k_m3},
    Spelling{"m³", k_m3},
    Spelling{"立方米", k_m3},
    Spelling{"方", k_m3},
    Spelling{"l", k_l},
    Spelling{"升", k_l},
    Spelling{"公升", k_l},
    Spelling{"ml", k_ml},
    Spelling{"毫升", k_ml},
    Spelling{"m2", k_m2},
    Spelling{"m²", k_m2},
    Spelling{"平方米", k_m2},
    Spelling{"平米", k_m2},
    Spelling{"㎡", k_m2},
    Spelling{"km2", k_km2},
    Spelling{"km²", k_km2},
    Spelling{"平方公里", k_km2},
    Spelling{"平方千米", k_km2},
    Spelling{"ha", k_ha},
    Spelling{"公顷", k_ha},
    Spelling{"mu", k_mu},
    Spelling{"亩", k_mu},
    Spelling{"km/h", k_kmh},
    Spelling{"kmh", k_kmh},
    Spelling{"公里/小时", k_kmh},
    Spelling{"千米/小时", k_kmh},
    Spelling{"m/s", k_ms},
    Spelling{"米/秒", k_ms},
    Spelling{"person", k_person},
    Spelling{"persons", k_person},
    Spelling{"people", k_person},
    Spelling{"人", k_person},
    Spelling{"名", k_person},
    Spelling{"人次", k_person},
    // Counted items. Their words differ (个 for most things, 袋 for sandbags, 套 for sets) but
    // a warehouse's "3000 个" sandbags and a request for "3000 袋" are the same 3000 things.
    Spelling{"item", k_item},
    Spelling{"items", k_item},
    Spelling{"pcs", k_item},
    Spelling{"pc", k_item},
    Spelling{"piece", k_item},
    Spelling{"pieces", k_item},
    Spelling{"个", k_item},
    Spelling{"件", k_item},
    Spelling{"只", k_item},
    Spelling{"套", k_item},
    Spelling{"台", k_item},
    Spelling{"辆", k_item},
    Spelling{"支", k_item},
    Spelling{"把", k_item},
    Spelling{"双", k_item},
    Spelling{"顶", k_item},
    Spelling{"袋", k_item},
    Spelling{"桶", k_item},
    Spelling{"箱", k_item},
    Spelling{"卷", k_item},
    Spelling{"块", k_item},
    Spelling{"张", k_item},
    Spelling{"条", k_item},
    Spelling{"副", k_item},
    Spelling{"部", k_item},
    Spelling{"艘", k_item},
    Spelling{"具", k_item},
    Spelling{"瓶", k_item},
    Spelling{"盒", k_item},
    Spelling{"包", k_item},
    Spelling{"根", k_item},
    Spelling{"组", k_item},
    Spelling{"床", k_item},
    Spelling{"盏", k_item},
};

} // namespace

const Unit* find_unit(std::string_view text) {
    const std::string key = vigil::text::match_key(text);
    if (key.empty()) return nullptr;
    for (const auto& s : k_spellings)
        if (vigil::text::match_key(s.text) == key) return &s.unit;
    return nullptr;
}

std::optional<Quantity> parse_quantity(std::string_view text) {
    text = vigil::text::trim(text);
    // The number is the longest prefix made of digits, sign, point, exponent and grouping commas
    // (ASCII or full-width); the rest is the unit.
    std::size_t pos = 0, number_end = 0;
    while (pos < text.size()) {
        std::size_t start = pos;
        char32_t cp = vigil::text::decode_utf8(text, pos);
        if (cp >= 0xFF01 && cp <= 0xFF5E) cp = cp - 0xFF01 + 0x21;
        bool numeric = (cp >= U'0' && cp <= U'9') || cp == U'.' || cp == U',' || (cp == U'-' && start == 0) || (cp == U'+' && start == 0);
        // An exponent only directly after a digit and before a digit or sign ("1e3", not "1 each").
        if ((cp == U'e' || cp == U'E') && start > 0 && pos < text.size()) {
            char next = text[pos];
            numeric = (next >= '0' && next <= '9') || next == '-' || next == '+';
        }
        if (!numeric) {
            pos = start;
            break;
        }
        number_end = pos;
    }
    if (number_end == 0) return std::nullopt;
    auto value = vigil::text::parse_double(text.substr(0, number_end), /*allow_grouping=*/true);
    if (!value) return std::nullopt;
    Quantity q;
    q.value = *value;
    q.unit_text = std::string(vigil::text::trim(text.substr(number_end)));
    if (!q.unit_text.empty()) {
        q.unit = find_unit(q.unit_text);
        if (!q.unit) return std::nullopt;
    }
    return q;
}

std::optional<double> convert(double value, const Unit& from, const Unit& to) {
    if (from.dimension != to.dimension) return std::nullopt;
    return value * from.to_base / to.to_base;
}

std::string_view dimension_name(Dimension d) {
    switch (d) {
    case Dimension::Mass: return N_("mass");
    case Dimension::Length: return N_("length");
    case Dimension::Time: return N_("time");
    case Dimension::Volume: return N_("volume");
    case Dimension::Area: return N_("area");
    case Dimension::Speed: return N_("speed");
    case Dimension::Count: return N_("count");
    case Dimension::Person: return N_("persons");
    }
    return "?";
}

} // namespace vigil::units
