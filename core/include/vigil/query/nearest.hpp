/// @file
/// "Which teams are nearest?" and "what lies within 2 km?" over an in-memory layer, with
/// filters on capabilities, status and any enum/text field. Distances are geodesic on WGS84,
/// in metres: to the point itself for point layers, to the nearest point of a line, and 0 inside
/// a polygon (else to its boundary).
///
/// A query that finds nothing returns an empty vector: that is an answer, not an error.
#pragma once

#include <vigil/geo/geometry.hpp>
#include <vigil/model/layer.hpp>

#include <limits>
#include <span>
#include <string>
#include <vector>

namespace vigil::query {

/// What the caller asks for, in the words of the command line or the viewer.
struct FilterSpec {
    std::vector<std::string> need;   ///< capabilities every result must have (role capabilities)
    std::vector<std::string> status; ///< accepted statuses (role status)
    /// Other conditions "field=value[,value...]": the record's value must be one of the values
    /// (for set fields: must contain all of them).
    std::vector<std::pair<std::string, std::vector<std::string>>> where;
};

/// A FilterSpec checked against a kind: names resolved to fields, words to canonical values.
class Filter {
public:
    Filter() = default;
    /// Throws vigil::UsageError naming an unknown field or value (with the allowed ones), or a
    /// kind without a capabilities/status field when `need`/`status` are used.
    static Filter compile(const catalog::LayerKind& kind, const FilterSpec& spec);

    bool empty() const { return m_conditions.empty(); }
    bool accept(const model::Layer& layer, std::size_t row) const;
    /// The same test on one record's values (one per field of the kind, in order), for records
    /// read from the database before any Layer holds them (store::nearest_on_disk).
    bool accept(std::span<const model::Value> values) const;

private:
    struct Condition {
        std::size_t field = 0;
        bool is_set = false;
        std::vector<std::string> values; ///< canonical values (enum/set) or exact text
        bool matches(const model::Value& v) const;
    };
    std::vector<Condition> m_conditions;
};

struct Hit {
    std::size_t row = 0;
    double distance_m = 0;
};

/// The `k` records nearest to `at` (lon/lat degrees) that pass `filter`, nearest first, ties
/// broken by row; at most `max_distance_m` away.
std::vector<Hit> nearest(const model::Layer& layer, geo::Coord at, std::size_t k, const Filter& filter = {},
                         double max_distance_m = std::numeric_limits<double>::infinity());

/// Every record within `radius_m` of `at` that passes `filter`, nearest first.
std::vector<Hit> within(const model::Layer& layer, geo::Coord at, double radius_m, const Filter& filter = {});

/// Geodesic distance in metres from `at` to a geometry (see the file comment).
double distance_to_geometry_m(geo::Coord at, const geo::Geometry& g);

} // namespace vigil::query
