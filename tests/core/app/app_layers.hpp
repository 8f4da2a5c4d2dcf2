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

/// A layer of `kind` holding `records`.
inline std::shared_ptr<const model::Layer> make_layer(const std::string& kind, const std::vector<Record>& records) {
    const auto k = app_catalog().get(kind);
    model::LayerBuilder b(k);
    std::int64_t fid = 1;
    for (const auto& r : records) {
        std::vector<model::Value> v(k->fields.size());
        v[*k->field_index("id")] = r.id;
        v[*k->field_index("name")] = r.id;
        for (const auto& [name, value] : r.fields) v[*k->field_index(name)] = value;
        b.add(fid++, std::move(v), r.geometry);
    }
    return b.finish();
}

inline Record point(std::string id, geo::Coord at, std::map<std::string, model::Value> fields = {}) {
    return {std::move(id), geo::Geometry::point(at), std::move(fields)};
}

} // namespace vigil::test
