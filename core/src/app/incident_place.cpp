/// @file
/// The dispatcher's one text box: coordinates in any datum, a road in a county, or a name.
// i18n: input vocabulary — the place words dispatchers type (高德, 百度, 县, 段, 路口) are matched, not
// shown; the messages below go through the catalogue.

#include <vigil/app/incident_place.hpp>

#include "county_boundaries.hpp"

#include <vigil/catalog/normalize.hpp>
#include <vigil/geo/china_bounds.hpp>
#include <vigil/geo/chinese_datums.hpp>
#include <vigil/geo/geodesic.hpp>
#include <vigil/util/error.hpp>
#include <vigil/util/i18n.hpp>
#include <vigil/util/text.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <set>
#include <tuple>

namespace vigil::app {

namespace {

// [text] ------------------------------------------------------------------------------------

struct DatumWord {
    std::string_view word; ///< lower-case ASCII or Chinese
    PlaceDatum datum;
};
constexpr DatumWord k_datum_words[] = {
    {"wgs-84", PlaceDatum::Wgs84}, {"wgs84", PlaceDatum::Wgs84},  {"wgs 84", PlaceDatum::Wgs84}, {"cgcs2000", PlaceDatum::Wgs84},
    {"gps", PlaceDatum::Wgs84},    {"gcj-02", PlaceDatum::Gcj02}, {"gcj02", PlaceDatum::Gcj02},  {"gcj", PlaceDatum::Gcj02},
    {"amap", PlaceDatum::Gcj02},   {"高德", PlaceDatum::Gcj02},   {"腾讯", PlaceDatum::Gcj02},   {"火星", PlaceDatum::Gcj02},
    {"bd-09", PlaceDatum::Bd09},   {"bd09", PlaceDatum::Bd09},    {"baidu", PlaceDatum::Bd09},   {"百度", PlaceDatum::Bd09},
};

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

/// Strips a leading datum word ("GCJ-02:", "高德坐标 ") off `t`; the datum, if there was one.
std::optional<PlaceDatum> strip_datum_prefix(std::string& t) {
    const std::string lower = text::to_lower_ascii(t);
    for (const auto& w : k_datum_words) {
        if (!starts_with(lower, w.word)) continue;
        std::string rest = t.substr(w.word.size());
        if (starts_with(rest, "坐标")) rest = rest.substr(std::string_view("坐标").size());
        std::size_t i = 0;
        while (i < rest.size() && (rest[i] == ' ' || rest[i] == ':' || rest[i] == '=')) ++i;
        t = rest.substr(i);
        return w.datum;
    }
    return std::nullopt;
}

/// Two numbers (decimal degrees or DMS), separated by ',' ';' or spaces.
std::optional<geo::Coord> two_numbers(std::string t) {
    std::replace(t.begin(), t.end(), ';', ',');
    std::vector<std::string> parts;
    if (t.find(',') != std::string::npos) {
        for (auto p : text::split(t, ',')) parts.emplace_back(text::trim(p));
    } else {
        for (auto p : text::split(t, ' '))
            if (!text::trim(p).empty()) parts.emplace_back(text::trim(p));
    }
    if (parts.size() != 2) return std::nullopt;
    const auto a = catalog::parse_coordinate(parts[0]), b = catalog::parse_coordinate(parts[1]);
    if (!a || !b || !std::isfinite(*a) || !std::isfinite(*b)) return std::nullopt;
    return geo::Coord{*a, *b};
}

bool is_ascii_alnum(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

/// A route number (G207, s104, X012) at a word boundary: [start, end) in `t`, or nullopt.
std::optional<std::pair<std::size_t, std::size_t>> find_route_number(const std::string& t) {
    for (std::size_t i = 0; i + 1 < t.size(); ++i) {
        const char c = static_cast<char>(std::toupper(static_cast<unsigned char>(t[i])));
        if (std::string_view("GSXYZ").find(c) == std::string_view::npos) continue;
        if (i > 0 && is_ascii_alnum(t[i - 1])) continue;
        std::size_t j = i + 1;
        while (j < t.size() && is_digit(t[j])) ++j;
        if (j == i + 1 || j - i - 1 > 4 || (j < t.size() && is_ascii_alnum(t[j]) && t[j] != 'K' && t[j] != 'k')) continue;
        return std::pair{i, j};
    }
    return std::nullopt;
}

/// A kilometre post K12+300 (or K12): [start, end) and the kilometres.
std::optional<std::pair<std::pair<std::size_t, std::size_t>, double>> find_km_post(const std::string& t) {
    for (std::size_t i = 0; i + 1 < t.size(); ++i) {
        if ((t[i] != 'K' && t[i] != 'k') || (i > 0 && std::isalpha(static_cast<unsigned char>(t[i - 1])))) continue;
        std::size_t j = i + 1;
        while (j < t.size() && is_digit(t[j])) ++j;
        if (j == i + 1) continue;
        double km = std::stod(t.substr(i + 1, j - i - 1));
        if (j + 1 < t.size() && t[j] == '+' && is_digit(t[j + 1])) {
            std::size_t k = j + 1;
            while (k < t.size() && is_digit(t[k])) ++k;
            km += std::stod(t.substr(j + 1, k - j - 1)) / 1000.0;
            j = k;
        }
        return std::pair{std::pair{i, j}, km};
    }
    return std::nullopt;
}

/// "温县段", " 温县境内 " -> "温县".
std::string county_words(std::string rest) {
    rest = std::string(text::trim(rest));
    for (std::string_view suffix : {"路段", "境内", "附近", "方向", "段", "内"})
        if (rest.size() >= suffix.size() && rest.compare(rest.size() - suffix.size(), suffix.size(), suffix) == 0) {
            rest.resize(rest.size() - suffix.size());
            break;
        }
    return std::string(text::trim(rest));
}

std::string fixed6(geo::Coord c) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.6f,%.6f", c.x, c.y);
    return buf;
}

std::string km_text(double m) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f km", m / 1000.0);
    return buf;
}

std::string joined(const std::vector<std::string>& names, std::size_t max = 12) {
    std::string out;
    for (std::size_t i = 0; i < names.size() && i < max; ++i) out += (i ? trc("list separator", ", ") : "") + names[i];
    if (names.size() > max) out += "…";
    return out;
}

// [layers] ----------------------------------------------------------------------------------

std::string name_of(const model::Layer& l, std::size_t row) {
    const auto f = l.kind().index_of_role(catalog::FieldRole::Name);
    return f ? model::to_text(l.value(row, *f)) : std::string();
}

/// The county containing `p` ("" when none or no admin layer).
std::string county_at(county_boundaries::Boundaries& counties, geo::Coord p) {
    const std::size_t n = counties.names().size();
    for (std::size_t k = 0; k < n; ++k)
        if (counties.contains(k, p)) return counties.area(k).name;
    return {};
}

/// The county the words name: its exact name or id, a full name ending with it, or a short name
/// without 县/市/区 ("温" is too short to be a word of its own; "武陟" names 武陟县).
std::optional<std::size_t> match_county(county_boundaries::Boundaries& counties, const std::string& words) {
    if (words.empty()) return std::nullopt;
    if (auto k = counties.match(words)) return k;
    const auto names = counties.names();
    std::optional<std::size_t> found;
    for (std::size_t k = 0; k < names.size(); ++k) {
        const std::string& n = names[k];
        if (words.find(n) != std::string::npos) return k; // "焦作市温县" contains 温县
        for (std::string_view suffix : {"县", "市", "区"}) {
            if (n.size() <= suffix.size() + 3 || n.compare(n.size() - suffix.size(), suffix.size(), suffix) != 0) continue;
            if (n.substr(0, n.size() - suffix.size()) == words) found = k;
        }
    }
    return found;
}

/// Points along the line parts of `g`, at most `step_m` apart (the vertices included).
std::vector<geo::Coord> densified(const geo::Geometry& g, double step_m) {
    std::vector<geo::Coord> out;
    auto walk = [&](std::span<const geo::Coord> line) {
        for (std::size_t i = 0; i < line.size(); ++i) {
            if (i > 0) {
                const double d = geo::haversine_m(line[i - 1], line[i]);
                const int n = static_cast<int>(std::ceil(d / step_m));
                for (int s = 1; s < n; ++s) {
                    const double f = static_cast<double>(s) / n;
                    out.push_back({line[i - 1].x + (line[i].x - line[i - 1].x) * f, line[i - 1].y + (line[i].y - line[i - 1].y) * f});
                }
            }
            out.push_back(line[i]);
        }
    };
    if (g.type == geo::GeometryType::LineString) walk(g.coords);
    else if (g.type == geo::GeometryType::MultiLineString)
        for (std::size_t r = 0; r < g.ring_count(); ++r) walk(g.ring(r));
    return out;
}

/// The roads layer's records of a route number or a road name.
std::vector<std::size_t> road_rows(const model::Layer& roads, const std::string& road) {
    const std::string key = text::match_key(road);
    const auto f_ref = roads.kind().field_index("ref");
    std::vector<std::size_t> rows;
    for (std::size_t r = 0; r < roads.size(); ++r) {
        const std::string ref = f_ref ? text::match_key(model::to_text(roads.value(r, *f_ref))) : std::string();
        const std::string name = text::match_key(name_of(roads, r));
        const bool by_ref = !ref.empty() && ref == key;
        // "G207（模拟）" is G207; "G2071" is not.
        const bool by_name = !name.empty() && starts_with(name, key) && (name.size() == key.size() || !is_digit(name[key.size()]));
        if (by_ref || by_name) rows.push_back(r);
    }
    return rows;
}

std::vector<std::string> known_routes(const model::Layer& roads) {
    const auto f_ref = roads.kind().field_index("ref");
    std::set<std::string> refs;
    for (std::size_t r = 0; r < roads.size(); ++r) {
        std::string ref = f_ref ? model::to_text(roads.value(r, *f_ref)) : std::string();
        if (!ref.empty()) refs.insert(ref);
    }
    return {refs.begin(), refs.end()};
}

IncidentPlace failed(std::string why) {
    IncidentPlace p;
    p.error = std::move(why);
    return p;
}

IncidentPlace locate_road(const LayerSet& layers, const PlaceText& t, county_boundaries::Boundaries& counties) {
    const model::Layer* roads = layers.find("roads");
    if (!roads || roads->empty()) return failed(tr("the project has no roads layer: place the incident by coordinates or a name"));
    const auto rows = road_rows(*roads, t.road);
    if (rows.empty()) return failed(trf("no road '{}' in the roads layer (there are: {})", t.road, joined(known_routes(*roads))));
    // Every point of the road, and the counties they lie in.
    struct Sample {
        geo::Coord at;
        std::size_t row;
    };
    std::vector<Sample> samples;
    for (std::size_t r : rows)
        for (geo::Coord c : densified(roads->geometry(r), 100)) samples.push_back({c, r});
    std::vector<std::string> passes;
    const std::size_t county_count = counties.empty() ? 0 : counties.names().size();
    for (std::size_t k = 0; k < county_count; ++k)
        if (std::any_of(samples.begin(), samples.end(), [&](const Sample& s) { return counties.contains(k, s.at); }))
            passes.push_back(counties.area(k).name);
    if (counties.empty()) return failed(tr("the project has no admin_areas layer: give coordinates instead"));
    std::optional<std::size_t> county = match_county(counties, t.county);
    if (t.county.empty()) {
        if (passes.size() != 1)
            return failed(trf("say which county, e.g. \"{} {}\": {} passes through {}", t.road,
                              (passes.empty() ? std::string("温县") : passes[0]) + "段", t.road, joined(passes)));
        county = match_county(counties, passes[0]);
    }
    if (!county) return failed(trf("no county '{}' in the admin_areas layer (there are: {})", t.county, joined(counties.names())));
    const auto& area = counties.area(*county);
    const geo::Coord centre = geo::representative_point(layers.find("admin_areas")->geometry(area.row));
    const Sample* best = nullptr;
    double best_m = std::numeric_limits<double>::infinity();
    for (const Sample& s : samples) {
        if (!counties.contains(*county, s.at)) continue;
        const double d = geo::haversine_m(s.at, centre);
        if (d < best_m) {
            best_m = d;
            best = &s;
        }
    }
    if (!best)
        return failed(
            trf("{} does not pass through {} (passes through: {})", t.road, area.name, passes.empty() ? std::string("—") : joined(passes)));
    IncidentPlace p;
    p.at = best->at;
    p.label = t.road + " " + area.name + "段";
    p.how = trc("place found by", "road");
    p.kind = "roads";
    p.id = roads->id(best->row);
    p.county = area.name;
    if (t.km) {
        char post[48];
        std::snprintf(post, sizeof post, "K%d+%03d", static_cast<int>(*t.km),
                      static_cast<int>(std::lround((*t.km - std::floor(*t.km)) * 1000)));
        p.label += std::string(" ") + post;
        p.assumptions.push_back(trf("the roads layer has no kilometre posts: {} was not used", post));
    }
    p.assumptions.push_back(
        trf("the point of {} in {} nearest the county's centre ({} from it): confirm with the caller", t.road, area.name, km_text(best_m)));
    return p;
}

std::optional<IncidentPlace> locate_name(const LayerSet& layers, const PlaceText& t) {
    const std::string key = text::match_key(t.name);
    struct Hit {
        int quality; ///< 0 id, 1 the whole name, 2 part of the name
        std::size_t length;
        const model::Layer* layer;
        std::size_t row;
    };
    std::vector<Hit> hits;
    for (std::string_view kind : {"enterprises", "hazard_sources", "incidents"}) {
        const model::Layer* l = layers.find(kind);
        if (!l) continue;
        for (std::size_t r = 0; r < l->size(); ++r) {
            if (l->geometry(r).is_empty()) continue;
            const std::string name = text::match_key(name_of(*l, r));
            if (text::match_key(l->id(r)) == key) hits.push_back({0, name.size(), l, r});
            else if (name == key) hits.push_back({1, name.size(), l, r});
            else if (!name.empty() && name.find(key) != std::string::npos) hits.push_back({2, name.size(), l, r});
        }
    }
    if (hits.empty()) return std::nullopt;
    std::stable_sort(hits.begin(), hits.end(),
                     [](const Hit& a, const Hit& b) { return std::tie(a.quality, a.length) < std::tie(b.quality, b.length); });
    const Hit& h = hits.front();
    const geo::Geometry& g = h.layer->geometry(h.row);
    IncidentPlace p;
    p.at = g.type == geo::GeometryType::Point ? g.coords[0] : geo::representative_point(g);
    p.label = name_of(*h.layer, h.row);
    if (p.label.empty()) p.label = h.layer->id(h.row);
    p.how = h.layer->kind().title.text();
    p.kind = h.layer->kind().kind;
    p.id = h.layer->id(h.row);
    if (hits.size() > 1 && h.quality == 2) {
        std::vector<std::string> others;
        for (std::size_t i = 1; i < hits.size() && others.size() < 5; ++i) others.push_back(name_of(*hits[i].layer, hits[i].row));
        p.assumptions.push_back(trf("{} more match, the shortest name taken: {}", hits.size() - 1, joined(others, 5)));
    }
    return p;
}

} // namespace

std::optional<PlaceDatum> parse_place_datum(std::string_view typed) {
    std::string t = text::to_lower_ascii(text::trim(typed));
    if (t == "auto" || t == "自动") return PlaceDatum::Auto;
    for (const auto& w : k_datum_words)
        if (t == w.word) return w.datum;
    return std::nullopt;
}

std::string place_datum_label(PlaceDatum d) {
    switch (d) {
    case PlaceDatum::Wgs84: return "WGS84";
    case PlaceDatum::Gcj02: return tr("GCJ-02 (AMap)");
    case PlaceDatum::Bd09: return tr("BD-09 (Baidu)");
    case PlaceDatum::Auto: break;
    }
    return trc("datum", "auto");
}

PlaceText parse_place_text(std::string_view typed, PlaceDatum datum) {
    std::string t(text::trim(text::fold_number_text(typed)));
    if (t.empty()) throw UsageError(tr("type where the incident is: coordinates, an enterprise, or a road and county (G207 Wen County)"));
    PlaceText out;
    out.name = t;
    // Coordinates, with a datum word in front or not.
    std::string rest = t;
    const auto prefixed = strip_datum_prefix(rest);
    if (auto c = two_numbers(rest)) {
        out.form = PlaceText::Form::Coordinates;
        out.datum = prefixed ? *prefixed : datum; // the text says it: that wins
        // "纬度,经度": a first number that cannot be a longitude in China, a second that can.
        if ((std::fabs(c->y) > 90 && std::fabs(c->x) <= 90) || (c->x < 60 && c->y > 70 && c->y < 140)) {
            std::swap(c->x, c->y);
            out.swapped = true;
        }
        out.typed = *c;
        return out;
    }
    // A road: a route number, a kilometre post, and a county in the words left.
    if (auto route = find_route_number(t)) {
        out.form = PlaceText::Form::Road;
        out.road = t.substr(route->first, route->second - route->first);
        std::transform(out.road.begin(), out.road.end(), out.road.begin(),
                       [](char c) { return static_cast<char>(std::toupper(static_cast<unsigned char>(c))); });
        std::string words = t.substr(0, route->first) + " " + t.substr(route->second);
        if (auto km = find_km_post(words)) {
            out.km = km->second;
            words = words.substr(0, km->first.first) + " " + words.substr(km->first.second);
        }
        out.county = county_words(words);
        return out;
    }
    return out;
}

IncidentPlace locate_incident(const LayerSet& layers, std::string_view typed, PlaceDatum datum) {
    const PlaceText t = parse_place_text(typed, datum);
    county_boundaries::Boundaries counties(layers.find("admin_areas"));
    IncidentPlace p;
    switch (t.form) {
    case PlaceText::Form::Coordinates: {
        const PlaceDatum d = t.datum == PlaceDatum::Auto ? PlaceDatum::Wgs84 : t.datum;
        p.at = d == PlaceDatum::Gcj02 ? geo::gcj02_to_wgs84(t.typed) : d == PlaceDatum::Bd09 ? geo::bd09_to_wgs84(t.typed) : t.typed;
        if (geo::check_china_plausibility(p.at) != geo::Plausibility::Ok)
            return failed(trf("the coordinates {} are not in China: type LON,LAT in degrees", fixed6(t.typed)));
        p.label = (d == PlaceDatum::Wgs84 ? "WGS84 " : d == PlaceDatum::Gcj02 ? "GCJ-02 " : "BD-09 ") + fixed6(t.typed);
        p.how = trc("place found by", "coordinates");
        if (t.datum == PlaceDatum::Auto)
            p.assumptions.push_back(tr("no datum given: taken as WGS84 (prefix AMap/GCJ02 or Baidu/BD09 otherwise)"));
        if (t.swapped) p.assumptions.push_back(tr("read as latitude, longitude"));
        break;
    }
    case PlaceText::Form::Road: p = locate_road(layers, t, counties); break;
    case PlaceText::Form::Name:
        if (auto found = locate_name(layers, t)) p = std::move(*found);
        else
            p = failed(
                trf("cannot place '{}': not coordinates, a road and county (G207 Wen County) or the name of an enterprise or hazard source",
                    t.name));
        break;
    }
    if (p.ok() && p.county.empty() && !counties.empty()) p.county = county_at(counties, p.at);
    return p;
}

std::string supplies_for_guide(std::string_view erg_guide, std::string* note) {
    int guide = 0;
    for (char c : erg_guide) {
        if (!is_digit(c)) break;
        guide = guide * 10 + (c - '0');
    }
    std::string needs;
    if (guide == 137 || (guide >= 153 && guide <= 157)) needs = "中和剂:5t,吸附棉:2000kg"; // acids, corrosives
    else if (guide >= 127 && guide <= 132) needs = "吸附棉:2000kg,黄沙:10t";               // flammable liquids
    else if (guide >= 115 && guide <= 126) needs = "洗消剂:1t";                            // gases
    else if (guide > 0) needs = "吸附棉:1000kg";
    if (note && !needs.empty()) *note = trf("supplies suggested by ERG guide {}: {}", erg_guide, needs);
    return needs;
}

} // namespace vigil::app
