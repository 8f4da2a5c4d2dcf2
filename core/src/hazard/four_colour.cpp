/// @file
/// Four-colour enterprise risk and per-county grid-management statistics (see four_colour.hpp).
// i18n: input vocabulary — the colour words of parse_colour (红色, 较大风险 …) as registers write
// them: matched, never shown. What is shown goes through tr() (colour_text).

#include <vigil/hazard/four_colour.hpp>

#include <vigil/util/error.hpp>
#include <vigil/util/i18n.hpp>
#include <vigil/util/text.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <map>

namespace vigil::hazard {

namespace {


/// `message`: an N_ msgid with the three thresholds as {}.
template <class T> void check_order(const T& t, const char* message) {
    if (!(std::isfinite(t.red) && std::isfinite(t.orange) && std::isfinite(t.yellow) && t.red > t.orange && t.orange > t.yellow &&
          t.yellow > 0))
        throw UsageError(trf(message, text::format_double(t.red), text::format_double(t.orange), text::format_double(t.yellow)));
}

// A score of the record: its catalogue field when it has one, else its extra (unmapped)
// source columns, which the importer keeps as a JSON object.
std::optional<double> score(const model::Layer& layer, std::size_t row, const nlohmann::json& extra,
                            std::initializer_list<const char*> names) {
    for (const char* name : names) {
        const std::string where = trf("record {}, field {}", layer.id(row), name);
        if (auto f = layer.kind().field_index(name)) {
            const auto& v = layer.value(row, *f);
            if (auto* d = std::get_if<double>(&v)) return *d;
            if (auto* i = std::get_if<std::int64_t>(&v)) return static_cast<double>(*i);
            if (auto* s = std::get_if<std::string>(&v)) {
                if (auto d = text::parse_double(*s)) return *d;
                throw FormatError(trf("{}: '{}' is not a number", where, *s));
            }
        }
        if (extra.is_object() && extra.contains(name)) {
            const auto& j = extra[name];
            if (j.is_number()) return j.get<double>();
            if (j.is_null()) continue;
            if (j.is_string()) {
                const auto s = j.get<std::string>();
                if (s.empty()) continue;
                if (auto d = text::parse_double(s)) return *d;
                throw FormatError(trf("{}: '{}' is not a number", where, s));
            }
            throw FormatError(trf("{}: {} is not a number", where, j.dump()));
        }
    }
    return std::nullopt;
}

RiskColour by_threshold(double v, double red, double orange, double yellow, bool red_strict) {
    if (red_strict ? v > red : v >= red) return RiskColour::Red;
    if (v >= orange) return RiskColour::Orange;
    if (v >= yellow) return RiskColour::Yellow;
    return RiskColour::Blue;
}

} // namespace

std::string_view colour_value(RiskColour c) {
    switch (c) {
    case RiskColour::Red: return "red";
    case RiskColour::Orange: return "orange";
    case RiskColour::Yellow: return "yellow";
    case RiskColour::Blue: return "blue";
    }
    return "blue";
}

namespace {
const char* colour_msgid(RiskColour c) {
    switch (c) {
    case RiskColour::Red: return N_("major risk (red)");
    case RiskColour::Orange: return N_("significant risk (orange)");
    case RiskColour::Yellow: return N_("general risk (yellow)");
    case RiskColour::Blue: break;
    }
    return N_("low risk (blue)");
}
} // namespace

std::string_view colour_text(RiskColour c) { return tr(colour_msgid(c)); }

std::string_view colour_label_zh(RiskColour c) { return i18n::translate(colour_msgid(c), i18n::Language::zh_CN); }

std::optional<RiskColour> parse_colour(std::string_view t) {
    static const std::map<std::string, RiskColour, std::less<>> words = {
        {"red", RiskColour::Red},       {"红", RiskColour::Red},          {"红色", RiskColour::Red},
        {"重大", RiskColour::Red},      {"重大风险", RiskColour::Red},    {"major", RiskColour::Red},
        {"orange", RiskColour::Orange}, {"橙", RiskColour::Orange},       {"橙色", RiskColour::Orange},
        {"较大", RiskColour::Orange},   {"较大风险", RiskColour::Orange}, {"significant", RiskColour::Orange},
        {"yellow", RiskColour::Yellow}, {"黄", RiskColour::Yellow},       {"黄色", RiskColour::Yellow},
        {"一般", RiskColour::Yellow},   {"一般风险", RiskColour::Yellow}, {"general", RiskColour::Yellow},
        {"blue", RiskColour::Blue},     {"蓝", RiskColour::Blue},         {"蓝色", RiskColour::Blue},
        {"低", RiskColour::Blue},       {"低风险", RiskColour::Blue},     {"较低风险", RiskColour::Blue},
        {"low", RiskColour::Blue}};
    std::string key(text::trim(t));
    std::transform(key.begin(), key.end(), key.begin(),
                   [](unsigned char c) { return c < 0x80 ? static_cast<char>(std::tolower(c)) : static_cast<char>(c); });
    auto it = words.find(key);
    if (it == words.end()) return std::nullopt;
    return it->second;
}

void validate(const LecThresholds& t) { check_order(t, N_("LEC thresholds {} / {} / {}: need red > orange > yellow > 0")); }
void validate(const MatrixThresholds& t) { check_order(t, N_("risk-matrix thresholds {} / {} / {}: need red > orange > yellow > 0")); }

RiskColour lec_colour(double l, double e, double c, const LecThresholds& t) {
    for (double v : {l, e, c})
        if (!(v > 0 && std::isfinite(v))) throw UsageError(trf("LEC score {} must be a positive number", text::format_double(v)));
    // domain.md §5: D > 320 red, 160–320 orange, 70–160 yellow, below 70 blue (> on the red edge).
    return by_threshold(l * e * c, t.red, t.orange, t.yellow, true);
}

RiskColour matrix_colour(double l, double s, const MatrixThresholds& t) {
    for (double v : {l, s})
        if (!(v >= 1 && v <= 5)) throw UsageError(trf("risk-matrix score {} must be from 1 to 5", text::format_double(v)));
    return by_threshold(l * s, t.red, t.orange, t.yellow, false);
}

std::string_view basis_value(ColourBasis b) {
    switch (b) {
    case ColourBasis::Record: return "record";
    case ColourBasis::Lec: return "lec";
    case ColourBasis::Matrix: return "matrix";
    case ColourBasis::None: break;
    }
    return "none";
}

EnterpriseColour enterprise_colour(const model::Layer& layer, std::size_t row, const ColourRules& rules) {
    if (auto f = layer.kind().field_index("risk_level")) {
        const std::string level = model::to_text(layer.value(row, *f));
        if (!level.empty()) {
            auto c = parse_colour(level);
            if (!c) throw FormatError(trf("record {}, field risk_level: '{}' is not a risk colour", layer.id(row), level));
            return {c, ColourBasis::Record};
        }
    }
    nlohmann::json extra;
    if (!layer.extra(row).empty()) {
        extra = nlohmann::json::parse(layer.extra(row), nullptr, false);
        if (extra.is_discarded()) throw FormatError(trf("record {}: its extra columns are not JSON", layer.id(row)));
    }
    auto l = score(layer, row, extra, {"lec_l", "L"});
    auto e = score(layer, row, extra, {"lec_e", "E"});
    auto c = score(layer, row, extra, {"lec_c", "C"});
    try {
        if (l && e && c) return {lec_colour(*l, *e, *c, rules.lec), ColourBasis::Lec};
        auto ml = score(layer, row, extra, {"matrix_l", "L"});
        auto ms = score(layer, row, extra, {"matrix_s", "S"});
        if (ml && ms) return {matrix_colour(*ml, *ms, rules.matrix), ColourBasis::Matrix};
    } catch (const UsageError& err) {
        throw FormatError(trf("record {}: {}", layer.id(row), err.what()));
    }
    return {};
}

CountyGrouping::CountyGrouping(const model::Layer* admin_areas) : m_admin(admin_areas) {
    if (!admin_areas) return;
    auto f_level = admin_areas->kind().field_index("level");
    auto f_name = admin_areas->kind().field_index("name");
    for (std::size_t r = 0; r < admin_areas->size(); ++r) {
        if (f_level && model::to_text(admin_areas->value(r, *f_level)) != "county") continue;
        CountyStats s;
        s.county = f_name ? model::to_text(admin_areas->value(r, *f_name)) : admin_areas->id(r);
        s.code = admin_areas->id(r);
        m_by_key.emplace(s.county, groups.size());
        m_by_key.emplace(s.code, groups.size());
        m_county_rows.push_back(r);
        groups.push_back(std::move(s));
    }
    m_known = groups.size();
}

std::size_t CountyGrouping::group_of(const model::Layer& layer, std::size_t row) {
    std::string name = layer.text(row, "county");
    if (!name.empty()) {
        if (auto it = m_by_key.find(name); it != m_by_key.end()) return it->second;
    } else {
        // No county field: the county polygon that contains the record's point.
        const geo::Geometry& g = layer.geometry(row);
        if (!g.is_empty()) {
            const geo::Coord p = geo::representative_point(g);
            for (std::size_t k = 0; k < m_county_rows.size(); ++k)
                if (geo::contains(m_admin->geometry(m_county_rows[k]), p)) return k;
        }
        name = tr("(no county)");
    }
    auto [it, added] = m_by_key.emplace(name, groups.size());
    if (added) {
        CountyStats s;
        s.county = name;
        groups.push_back(std::move(s));
    }
    return it->second;
}

std::vector<CountyStats> CountyGrouping::finish() {
    std::sort(groups.begin() + static_cast<std::ptrdiff_t>(m_known), groups.end(),
              [](const CountyStats& a, const CountyStats& b) { return a.county < b.county; });
    m_by_key.clear(); // the indices moved
    return std::move(groups);
}

void tally(Grouping& grouping, const model::Layer& enterprises, const model::Layer* hazard_sources, const ColourRules& rules,
           const HazardCounts* counts) {
    validate(rules.lec);
    validate(rules.matrix);
    auto f_open = enterprises.kind().field_index("open_hazards");
    auto f_overdue = enterprises.kind().field_index("overdue_hazards");
    auto integer = [](const model::Value& v) -> std::int64_t {
        if (auto* i = std::get_if<std::int64_t>(&v)) return *i;
        if (auto* d = std::get_if<double>(&v)) return static_cast<std::int64_t>(*d);
        return 0;
    };
    for (std::size_t r = 0; r < enterprises.size(); ++r) {
        CountyStats& s = grouping.groups[grouping.group_of(enterprises, r)];
        ++s.enterprises;
        auto c = enterprise_colour(enterprises, r, rules);
        if (c.colour) ++s.by_colour[static_cast<std::size_t>(*c.colour)];
        else ++s.uncoloured;
        s.by_lec += c.basis == ColourBasis::Lec;
        s.by_matrix += c.basis == ColourBasis::Matrix;
        std::int64_t overdue = 0;
        if (counts) {
            s.open_hazards += counts->open.at(r);
            s.open_major_hazards += counts->open_major.at(r);
            overdue = counts->overdue.at(r);
        } else {
            if (f_open) s.open_hazards += integer(enterprises.value(r, *f_open));
            if (f_overdue) overdue = integer(enterprises.value(r, *f_overdue));
        }
        s.overdue_hazards += overdue;
        s.enterprises_with_overdue += overdue > 0;
    }
    if (hazard_sources) {
        auto f_grade = hazard_sources->kind().field_index("grade");
        static const char* grades[] = {"grade1", "grade2", "grade3", "grade4", "not_major"};
        for (std::size_t r = 0; r < hazard_sources->size(); ++r) {
            CountyStats& s = grouping.groups[grouping.group_of(*hazard_sources, r)];
            ++s.hazard_sources;
            const std::string g = f_grade ? model::to_text(hazard_sources->value(r, *f_grade)) : std::string();
            auto it = std::find(std::begin(grades), std::end(grades), g);
            if (it == std::end(grades)) ++s.ungraded;
            else ++s.by_grade[static_cast<std::size_t>(it - std::begin(grades))];
        }
    }
}

std::vector<CountyStats> county_statistics(const model::Layer& enterprises, const model::Layer* hazard_sources,
                                           const model::Layer* admin_areas, const ColourRules& rules, const HazardCounts* counts) {
    validate(rules.lec);
    validate(rules.matrix);
    CountyGrouping grouping(admin_areas);
    tally(grouping, enterprises, hazard_sources, rules, counts);
    return grouping.finish();
}

} // namespace vigil::hazard
