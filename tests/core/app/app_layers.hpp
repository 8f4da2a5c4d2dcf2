// Small in-memory layers for the application services' scenario tests: a few records of a
// catalogue kind at chosen points, with the fields a scenario needs.
#pragma once

#include <vigil/app/layer_set.hpp>
#include <vigil/catalog/catalog.hpp>
#include <vigil/model/layer.hpp>

#include "test_paths.hpp"

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace vigil::test {

inline const catalog::Catalog& app_catalog() {
    static const catalog::Catalog c = catalog::Catalog::load_directory(layers_dir());
    return c;
}

struct Record {
    std::string id;
    geo::Geometry geometry;
    std::map<std::string, model::Value> fields; ///< besides id; name defaults to the id
};

/// One record's geometry and its field values by name (fields not named stay empty).
using RecordValues = std::pair<geo::Geometry, std::map<std::string, model::Value>>;

/// An in-memory layer of kind `k`, fids from 1. The value named "updated_at" is the store's
/// update time of the record (not a catalogue field).
inline std::shared_ptr<const model::Layer> layer_of(std::shared_ptr<const catalog::LayerKind> k, const std::vector<RecordValues>& records) {
    model::LayerBuilder b(k, records.size());
    std::int64_t fid = 0;
    for (const auto& [geometry, values] : records) {
        std::vector<model::Value> v(k->fields.size());
        std::string updated_at;
        for (const auto& [name, value] : values) {
            if (name == "updated_at") updated_at = std::get<std::string>(value);
            else v.at(*k->field_index(name)) = value;
        }
        b.add(++fid, std::move(v), geometry, {}, std::move(updated_at));
    }
    return b.finish();
}

/// An in-memory layer of catalogue kind `kind`, fids from 1: what every scenario's make_layer builds.
inline std::shared_ptr<const model::Layer> layer_of(const std::string& kind, const std::vector<RecordValues>& records) {
    return layer_of(app_catalog().get(kind), records);
}

/// A layer of `kind` holding `records` (the name defaults to the id).
inline std::shared_ptr<const model::Layer> make_layer(const std::string& kind, const std::vector<Record>& records) {
    std::vector<RecordValues> rows;
    for (const auto& r : records) {
        std::map<std::string, model::Value> values{{"id", r.id}, {"name", r.id}};
        for (const auto& [name, value] : r.fields) values[name] = value;
        rows.emplace_back(r.geometry, std::move(values));
    }
    return layer_of(kind, rows);
}

inline Record point(std::string id, geo::Coord at, std::map<std::string, model::Value> fields = {}) {
    return {std::move(id), geo::Geometry::point(at), std::move(fields)};
}

/// A square polygon (a multipolygon of one ring) with its south-west corner at (x0, y0), side s degrees.
inline geo::Geometry square(double x0, double y0, double s) {
    return geo::Geometry::multi_polygon({{{{x0, y0}, {x0 + s, y0}, {x0 + s, y0 + s}, {x0, y0 + s}, {x0, y0}}}});
}

} // namespace vigil::test
