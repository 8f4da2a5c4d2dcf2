/// @file
/// The Hazard panel's logic: substance search, the panel's question to core's zone service.

#include "hazard_view.hpp"

#include "app_state.hpp"

#include <vigil/hazard/erg.hpp>
#include <vigil/hazard/gb18218.hpp>
#include <vigil/hazard/toxic_endpoints.hpp>
#include <vigil/util/error.hpp>
#include <vigil/util/i18n.hpp>
#include <vigil/util/text.hpp>

#include <algorithm>
#include <cmath>
#include <map>

namespace vigil::viewer {

namespace {

/// Splits one CSV line (RFC 4180 quotes; the ERG index has names with commas).
std::vector<std::string> csv_fields(std::string_view line) {
    std::vector<std::string> out(1);
    bool quoted = false;
    for (std::size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (quoted) {
            if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') out.back() += '"', ++i;
            else if (c == '"') quoted = false;
            else out.back() += c;
        } else if (c == '"') quoted = true;
        else if (c == ',') out.emplace_back();
        else if (c != '\r') out.back() += c;
    }
    return out;
}

/// The merged substance list, built once: toxic endpoints (Chinese and English names, CAS, UN),
/// GB 18218 table 1 (Chinese names, aliases, CAS), the ERG index (UN, English name, guide).
struct SubstanceIndex {
    std::vector<Substance> list;
    std::vector<std::string> keys; ///< match_key of everything searchable, per entry

    SubstanceIndex() {
        std::map<std::string, std::size_t> by_cas, by_un;
        auto add = [&](Substance s, const std::string& extra) {
            std::optional<std::size_t> at;
            if (!s.cas.empty())
                if (auto it = by_cas.find(s.cas); it != by_cas.end()) at = it->second;
            if (!at && s.un)
                if (auto it = by_un.find(std::to_string(s.un)); it != by_un.end()) at = it->second;
            if (!at) {
                at = list.size();
                list.push_back({});
                keys.emplace_back();
            }
            Substance& d = list[*at];
            if (d.name_zh.empty()) d.name_zh = s.name_zh;
            if (d.name_en.empty()) d.name_en = s.name_en;
            if (d.cas.empty()) d.cas = s.cas;
            if (!d.un) d.un = s.un;
            if (d.guide.empty()) d.guide = s.guide;
            d.toxic_levels |= s.toxic_levels;
            if (!d.gb18218_q_t) d.gb18218_q_t = s.gb18218_q_t;
            keys[*at] += "|" + text::match_key(s.name_zh) + "|" + text::match_key(s.name_en) + "|" + text::match_key(s.cas) + "|" + extra;
            if (!d.cas.empty()) by_cas.emplace(d.cas, *at);
            if (d.un) by_un.emplace(std::to_string(d.un), *at);
        };
        for (const auto& t : hazard::ToxicEndpoints::builtin().substances()) {
            Substance s{t.name_zh, t.name_en, t.cas, t.un_numbers.empty() ? 0 : t.un_numbers.front(), "", true, 0};
            add(s, "");
        }
        for (const auto& n : hazard::Gb18218::builtin().named()) {
            std::string aliases;
            for (const auto& a : n.aliases) aliases += "|" + text::match_key(a);
            add({n.name_zh, "", n.cas.empty() ? "" : n.cas.front(), 0, "", false, n.critical_t}, aliases);
        }
        const std::string_view index = hazard::embedded::erg2024_index();
        std::size_t pos = index.find('\n'); // header: un_number,material_name,guide,tih,...
        while (pos != std::string_view::npos && pos + 1 < index.size()) {
            const std::size_t end = index.find('\n', pos + 1);
            const auto f = csv_fields(index.substr(pos + 1, end == std::string_view::npos ? std::string_view::npos : end - pos - 1));
            pos = end;
            if (f.size() < 3) continue;
            const auto un = text::parse_int64(f[0]);
            if (!un) continue;
            add({"", f[1], "", static_cast<int>(*un), f[2], false, 0}, "un" + f[0]);
        }
        for (std::size_t i = 0; i < list.size(); ++i)
            if (list[i].un) keys[i] += "|un" + std::to_string(list[i].un);
    }
};

const SubstanceIndex& substance_index() {
    static const SubstanceIndex index;
    return index;
}

} // namespace

std::string Substance::label() const {
    std::string s = name_zh;
    if (!name_en.empty()) s += (s.empty() ? "" : " ") + name_en;
    if (un) s += " · UN" + std::to_string(un);
    if (!cas.empty()) s += " · CAS " + cas;
    return s;
}

std::vector<Substance> search_substances(std::string_view query, std::size_t limit) {
    const auto& idx = substance_index();
    const std::string key = text::match_key(query);
    if (key.empty()) return {};
    // Exact UN ("1017", "un1017") or CAS first, then whole names, then names containing the text,
    // each in list order.
    const std::string un_key = key.rfind("un", 0) == 0 ? key : "un" + key;
    std::vector<std::pair<int, std::size_t>> hits;
    for (std::size_t i = 0; i < idx.list.size(); ++i) {
        const auto& s = idx.list[i];
        const bool exact = (s.un && "un" + std::to_string(s.un) == un_key) || (!s.cas.empty() && text::match_key(s.cas) == key);
        // A whole name or alias ("硫酸") before names containing it ("硫酸二甲酯").
        const bool whole = ("|" + idx.keys[i] + "|").find("|" + key + "|") != std::string::npos;
        if (exact) hits.push_back({0, i});
        else if (whole) hits.push_back({1, i});
        else if (idx.keys[i].find(key) != std::string::npos) hits.push_back({s.name_zh.empty() ? 3 : 2, i});
    }
    std::stable_sort(hits.begin(), hits.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<Substance> out;
    for (const auto& h : hits) {
        if (out.size() >= limit) break;
        out.push_back(idx.list[h.second]);
    }
    return out;
}

std::string_view model_name(HazardModel m) {
    switch (m) {
    case HazardModel::Erg: return "erg";
    case HazardModel::Plume: return "plume";
    case HazardModel::Puff: return "puff";
    case HazardModel::PoolFire: return "poolfire";
    case HazardModel::Bleve: return "bleve";
    case HazardModel::Vce: return "vce";
    }
    return "erg";
}

std::string_view model_label(HazardModel m) {
    switch (m) {
    case HazardModel::Erg: return tr("ERG guide zones");
    case HazardModel::Plume: return tr("plume (continuous)");
    case HazardModel::Puff: return tr("puff (instantaneous)");
    case HazardModel::PoolFire: return tr("pool fire");
    case HazardModel::Bleve: return tr("BLEVE fireball");
    case HazardModel::Vce: return tr("VCE");
    }
    return "";
}

app::ZoneRequest zone_request(const HazardInputs& in) {
    app::ZoneRequest q;
    q.at = in.at;
    switch (in.model) {
    case HazardModel::Erg: q.model = app::ZoneModel::Erg; break;
    case HazardModel::Plume: q.model = app::ZoneModel::Plume; break;
    case HazardModel::Puff: q.model = app::ZoneModel::Puff; break;
    case HazardModel::PoolFire: q.model = app::ZoneModel::PoolFire; break;
    case HazardModel::Bleve: q.model = app::ZoneModel::Bleve; break;
    case HazardModel::Vce: q.model = app::ZoneModel::Vce; break;
    }
    const Substance& s = in.substance;
    q.un = s.un;
    // The toxic table finds a substance by CAS, UN or name: the most exact key the picker has.
    q.substance = !s.cas.empty() ? s.cas : s.un ? "UN" + std::to_string(s.un) : !s.name_zh.empty() ? s.name_zh : s.name_en;
    q.wind_from_deg = in.wind_from_deg;
    q.wind_speed_m_s = in.wind_m_s;
    q.night = in.night;
    q.cloud_cover = in.cloud_cover;
    if (!in.stability.empty()) q.stability = in.stability[0];
    q.urban = in.urban;
    q.large_spill = in.large_spill;
    q.rate_kg_s = in.rate_kg_s;
    q.mass_kg = in.mass_kg;
    q.release_height_m = in.height_m;
    q.pool_area_m2 = in.pool_area_m2;
    q.heat_of_combustion_mj_kg = in.heat_of_combustion_mj_kg;
    q.burning_rate_kg_m2_s = in.burning_rate_kg_m2_s;
    q.yield = in.vce_yield;
    q.max_range_m = in.max_range_m;
    return q;
}

HazardResult run_hazard(const std::vector<LayerView>& layers, const HazardInputs& in) {
    HazardResult r;
    r.inputs = in;
    try {
        if (!std::isfinite(in.at.x) || !std::isfinite(in.at.y))
            throw UsageError(tr("no release point: pick a hazard source or click the map"));
        r.answer = app::compute_zones(zone_request(in), layer_set_of(layers));
    } catch (const Error& e) {
        HazardResult failed;
        failed.inputs = in;
        failed.error = e.what();
        return failed;
    }
    const app::ZoneResult& a = r.answer;
    r.zones = a.zones;
    // Widest first, so that the red lies on top when drawn in order.
    std::stable_sort(r.zones.begin(), r.zones.end(), [](const hazard::Zone& x, const hazard::Zone& y) { return x.tier < y.tier; });
    for (const auto& f : a.affected)
        r.affected.push_back({f.layer, f.layer_title, f.id, f.name, f.row, f.tier, f.distance_m, f.unable_to_respond});
    r.facts = a.summary;
    r.assumptions = a.assumptions;
    r.notes = a.notes;
    return r;
}

Rgba zone_fill(int tier) {
    if (tier >= 3) return {229, 57, 53, 70};
    if (tier == 2) return {251, 140, 0, 55};
    return {253, 216, 53, 50};
}

Rgba zone_outline(int tier) {
    if (tier >= 3) return {198, 40, 40, 255};
    if (tier == 2) return {239, 108, 0, 255};
    return {249, 168, 37, 255};
}

std::vector<std::vector<geo::Coord>> geometry_rings(const geo::Geometry& g) {
    std::vector<std::vector<geo::Coord>> out;
    for (std::size_t i = 0; i < g.ring_count(); ++i) {
        auto r = g.ring(i);
        out.emplace_back(r.begin(), r.end());
    }
    return out;
}

DispatchQuery dispatch_query_for(const HazardResult& r, DispatchQuery base) {
    base.at = r.inputs.at;
    base.place = r.inputs.place.empty() ? std::string(tr("hazard")) : r.inputs.place;
    base.closures.clear();
    for (const auto& z : r.zones) {
        if (z.tier < 3 || z.polygon.is_empty()) continue;
        // Each polygon of the zone on its own (a Polygon's rings are outer + holes).
        if (z.polygon.type == geo::GeometryType::Polygon) base.closures.push_back(geometry_rings(z.polygon));
        else
            for (std::size_t p = 0; p + 1 < z.polygon.polygon_starts.size(); ++p) {
                Rings rings;
                for (std::size_t i = z.polygon.polygon_starts[p]; i < z.polygon.polygon_starts[p + 1]; ++i) {
                    auto ring = z.polygon.ring(i);
                    rings.emplace_back(ring.begin(), ring.end());
                }
                base.closures.push_back(std::move(rings));
            }
    }
    return base;
}

} // namespace vigil::viewer
