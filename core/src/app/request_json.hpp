/// @file
/// Reading the road services' requests from JSON (the browser's page API, written once here so
/// the page asks with the CLI's option names): each key is the command's option with `_` for
/// `-`, a wrong type is refused naming the key, and an unknown key is refused (a misspelt input
/// would otherwise take its default silently). Private to core/src/app.
#pragma once

#include <vigil/app/road_graph.hpp>
#include <vigil/util/error.hpp>
#include <vigil/util/i18n.hpp>
#include <vigil/util/text.hpp>

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace vigil::app::detail {

/// The reader of one request: `what` names it in every message ("supply request").
struct RequestReader {
    std::string what;

    [[noreturn]] void refuse(const std::string& key, const std::string& expected, const nlohmann::json& v) const {
        throw UsageError(trf("{}: \"{}\" must be {}, not {}", what, key, expected, v.dump()));
    }
    void object(const nlohmann::json& j) const {
        if (!j.is_object()) throw UsageError(trf("{}: give a JSON object, not {}", what, j.dump()));
    }
    [[noreturn]] void unknown(const std::string& key, const std::string& known) const {
        throw UsageError(trf("{}: unknown key \"{}\" ({})", what, key, known));
    }
    double number(const nlohmann::json& v, const std::string& key) const {
        if (!v.is_number()) refuse(key, tr("a number"), v);
        return v.get<double>();
    }
    std::string string(const nlohmann::json& v, const std::string& key) const {
        if (!v.is_string()) refuse(key, tr("a string"), v);
        return v.get<std::string>();
    }
    geo::Coord point(const nlohmann::json& v, const std::string& key) const {
        if (!v.is_array() || v.size() != 2 || !v[0].is_number() || !v[1].is_number()) refuse(key, tr("[lon, lat]"), v);
        return {v[0].get<double>(), v[1].get<double>()};
    }
    /// "hazmat,water" or ["hazmat", "water"] (the CLI's comma-separated words).
    std::vector<std::string> words(const nlohmann::json& v, const std::string& key) const {
        if (v.is_string()) return text::split_list(v.get<std::string>());
        if (!v.is_array()) refuse(key, tr("a comma-separated string or an array of strings"), v);
        std::vector<std::string> out;
        for (const auto& w : v) out.push_back(string(w, key));
        return out;
    }
    /// [number] or a number.
    std::vector<double> numbers(const nlohmann::json& v, const std::string& key) const {
        if (v.is_number()) return {v.get<double>()};
        if (!v.is_array() || v.empty()) refuse(key, tr("a number or an array of numbers"), v);
        std::vector<double> out;
        for (const auto& n : v) out.push_back(number(n, key));
        return out;
    }
    /// Polygons whose roads are closed: [[[lon, lat], ...], ...] per polygon (GeoJSON Polygon
    /// coordinates), as the page's dispatch question takes them.
    std::vector<Rings> closures(const nlohmann::json& v, const std::string& key) const {
        if (!v.is_array()) refuse(key, tr("an array of polygons [[[lon, lat], ...]]"), v);
        std::vector<Rings> out;
        for (const auto& polygon : v) {
            if (!polygon.is_array() || polygon.empty()) refuse(key, tr("an array of polygons [[[lon, lat], ...]]"), polygon);
            Rings rings;
            for (const auto& ring : polygon) {
                if (!ring.is_array()) refuse(key, tr("rings of [lon, lat]"), ring);
                rings.emplace_back();
                for (const auto& c : ring) rings.back().push_back(point(c, key));
            }
            out.push_back(std::move(rings));
        }
        return out;
    }
};

} // namespace vigil::app::detail
