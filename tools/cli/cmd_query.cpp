// vigil nearest / vigil within

#include "cli_common.hpp"

#include <vigil/catalog/normalize.hpp>
#include <vigil/importing/coordinate_transform.hpp>
#include <vigil/query/nearest.hpp>
#include <vigil/store/project_reader.hpp>
#include <vigil/util/error.hpp>
#include <vigil/util/text.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <iostream>

namespace vigil::cli {

namespace {

struct QueryArgs {
    std::string db, at, layer, crs, need, status;
    std::vector<std::string> where;
    std::size_t k = 5;
    double radius = 0;
    double max_distance = 0;
    bool json = false;
};

query::FilterSpec filter_spec(const QueryArgs& a) {
    query::FilterSpec spec;
    spec.need = parse_words(a.need);
    spec.status = parse_words(a.status);
    for (const auto& w : a.where) {
        auto eq = w.find('=');
        if (eq == std::string::npos || eq == 0) throw UsageError("--where " + w + ": expected FIELD=VALUE[,VALUE...]");
        spec.where.emplace_back(w.substr(0, eq), parse_words(w.substr(eq + 1)));
    }
    return spec;
}

// The query point in WGS84, converting from AMap/Baidu coordinates when asked.
geo::Coord query_point(const QueryArgs& a) {
    geo::Coord p = parse_lon_lat(a.at);
    if (a.crs.empty()) return p;
    auto t = importing::make_core_transform(a.crs);
    if (!t) throw UsageError("--crs " + a.crs + ": for a query point use wgs84, cgcs2000, gcj02 or bd09");
    t->to_wgs84(std::span<geo::Coord>(&p, 1));
    return p;
}

int print(const QueryArgs& a, const model::Layer& layer, geo::Coord at, const std::vector<query::Hit>& hits, const char* what) {
    const auto& kind = layer.kind();
    if (a.json) {
        nlohmann::ordered_json results = nlohmann::ordered_json::array();
        for (const auto& h : hits) {
            nlohmann::ordered_json r = nlohmann::ordered_json::object();
            const auto& g = layer.geometry(h.row);
            geo::Coord c = g.type == geo::GeometryType::Point ? g.coords[0] : geo::representative_point(g);
            r["id"] = layer.id(h.row);
            if (auto n = kind.index_of_role(catalog::FieldRole::Name)) r["name"] = catalog::value_json(kind.fields[*n], layer.value(h.row, *n));
            r["lon"] = c.x;
            r["lat"] = c.y;
            r["distance_m"] = std::round(h.distance_m * 100) / 100;
            for (std::size_t f = 0; f < kind.fields.size(); ++f) {
                const auto& field = kind.fields[f];
                if (field.role == catalog::FieldRole::Id || field.role == catalog::FieldRole::Name) continue;
                r[field.name] = catalog::value_json(field, layer.value(h.row, f));
            }
            results.push_back(std::move(r));
        }
        nlohmann::ordered_json out;
        out["query"] = {{"layer", kind.kind}, {"lon", at.x}, {"lat", at.y}};
        out["results"] = std::move(results);
        std::cout << out.dump(2) << "\n";
        return k_exit_ok;
    }
    if (hits.empty()) {
        std::cout << fmt::format("no {} {} ({:.6f}, {:.6f}) matches\n", kind.title.zh, what, at.x, at.y);
        return k_exit_ok;
    }
    const catalog::Field* caps = kind.field_with_role(catalog::FieldRole::Capabilities);
    const catalog::Field* status = kind.field_with_role(catalog::FieldRole::Status);
    std::cout << fmt::format("{} {} ({:.6f}, {:.6f}):\n", kind.title.zh, what, at.x, at.y);
    int rank = 0;
    for (const auto& h : hits) {
        std::string line = fmt::format("{:>3}. {:>9}  {:<10} {}", ++rank,
                                       h.distance_m < 1000 ? fmt::format("{:.0f} m", h.distance_m) : fmt::format("{:.2f} km", h.distance_m / 1000),
                                       layer.id(h.row), layer.text(h.row, kind.field_with_role(catalog::FieldRole::Name) ? kind.field_with_role(catalog::FieldRole::Name)->name : "id"));
        if (status) line += "  [" + catalog::display_value(*status, layer.value(h.row, *kind.field_index(status->name))) + "]";
        if (caps) line += "  " + catalog::display_value(*caps, layer.value(h.row, *kind.field_index(caps->name)));
        std::cout << line << "\n";
    }
    return k_exit_ok;
}

void add_common(CLI::App* cmd, QueryArgs& a) {
    cmd->add_option("DB", a.db, "Project database")->required();
    cmd->add_option("--at", a.at, "Query point LON,LAT in decimal degrees (WGS84 unless --crs)")->required();
    cmd->add_option("--layer,-l", a.layer, "Layer kind (rescue_teams, warehouses, enterprises, ... or 救援队伍)")->required();
    cmd->add_option("--crs", a.crs, "CRS of --at: wgs84 (default), cgcs2000, gcj02 (AMap), bd09 (Baidu)");
    cmd->add_option("--need", a.need, "Required capabilities, comma-separated (hazmat,water or 危化品,水域)");
    cmd->add_option("--status", a.status, "Accepted status(es), comma-separated (available, 待命 ...)");
    cmd->add_option("--where", a.where, "FIELD=VALUE[,VALUE...]: only records whose field has one of the values (repeatable)");
    cmd->add_flag("--json", a.json, "JSON output: {\"results\":[{id,name,lon,lat,distance_m,...}]}, nearest first");
}

} // namespace

void add_nearest_command(CLI::App& app, Runner& run) {
    static QueryArgs a;
    auto* cmd = app.add_subcommand("nearest", "The k records nearest to a point (geodesic distance), with filters");
    add_common(cmd, a);
    cmd->add_option("-k", a.k, "How many")->check(CLI::Range(1, 100000));
    cmd->add_option("--max-distance", a.max_distance, "Only within this many metres")->check(CLI::NonNegativeNumber);
    cmd->callback([&run] {
        run = [] {
            auto project = store::Project::open(a.db);
            auto layer = project.load_layer(a.layer);
            auto filter = query::Filter::compile(layer->kind(), filter_spec(a));
            geo::Coord at = query_point(a);
            double max_d = a.max_distance > 0 ? a.max_distance : std::numeric_limits<double>::infinity();
            auto hits = query::nearest(*layer, at, a.k, filter, max_d);
            return print(a, *layer, at, hits, "nearest to");
        };
    });
}

void add_within_command(CLI::App& app, Runner& run) {
    static QueryArgs a;
    auto* cmd = app.add_subcommand("within", "Every record within a radius of a point, nearest first");
    add_common(cmd, a);
    cmd->add_option("--radius,-r", a.radius, "Radius in metres")->required()->check(CLI::PositiveNumber);
    cmd->callback([&run] {
        run = [] {
            auto project = store::Project::open(a.db);
            auto layer = project.load_layer(a.layer);
            auto filter = query::Filter::compile(layer->kind(), filter_spec(a));
            geo::Coord at = query_point(a);
            auto hits = query::within(*layer, at, a.radius, filter);
            return print(a, *layer, at, hits, fmt::format("within {} m of", a.radius).c_str());
        };
    });
}

} // namespace vigil::cli
