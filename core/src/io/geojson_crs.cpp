/// @file
/// The "crs" member's spellings (see geojson_crs.hpp).

#include "geojson_crs.hpp"

#include <vigil/util/text.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <fstream>

namespace vigil::io::detail {

std::string normalise_crs_name(std::string_view name) {
    std::string_view trimmed = text::trim(name);
    std::string lower = text::to_lower_ascii(trimmed);
    // OGC CRS84 is WGS 84 with longitude first: exactly what Vigil calls EPSG:4326.
    if (lower.ends_with("crs84")) return "EPSG:4326";
    auto digits_after = [&](std::size_t pos) -> std::optional<std::string> {
        std::string_view rest = std::string_view(lower).substr(pos);
        if (rest.empty() || rest.size() > 10) return std::nullopt;
        for (char c : rest)
            if (c < '0' || c > '9') return std::nullopt;
        return "EPSG:" + std::string(rest);
    };
    if (lower.starts_with("epsg:")) {
        if (auto r = digits_after(5)) return *r;
    }
    if (lower.starts_with("urn:ogc:def:crs:epsg:")) {
        // urn:ogc:def:crs:EPSG::3857 or urn:ogc:def:crs:EPSG:6.6:3857 (with a version)
        auto colon = lower.rfind(':');
        if (auto r = digits_after(colon + 1)) return *r;
    }
    for (std::string_view prefix : {"http://www.opengis.net/def/crs/epsg/", "https://www.opengis.net/def/crs/epsg/"}) {
        if (lower.starts_with(prefix)) {
            auto slash = lower.rfind('/');
            if (auto r = digits_after(slash + 1)) return *r;
        }
    }
    return std::string(trimmed);
}

std::optional<std::string> crs_from_json(const nlohmann::json& j) {
    if (!j.is_object()) return std::nullopt;
    auto type = j.find("type");
    auto props = j.find("properties");
    if (type == j.end() || !type->is_string() || props == j.end() || !props->is_object()) return std::nullopt;
    const auto& t = type->get_ref<const std::string&>();
    if (t == "name") {
        auto name = props->find("name");
        if (name != props->end() && name->is_string()) return normalise_crs_name(name->get_ref<const std::string&>());
    } else if (t == "EPSG") { // the 2008 GeoJSON draft: {"type":"EPSG","properties":{"code":4326}}
        auto code = props->find("code");
        if (code != props->end() && code->is_number_integer()) return fmt::format("EPSG:{}", code->get<long long>());
        if (code != props->end() && code->is_string()) return normalise_crs_name("EPSG:" + code->get<std::string>());
    }
    return std::nullopt; // "link" and anything else: nothing we could use
}

std::optional<std::string> crs_in_file_tail(const std::string& path, std::uint64_t total, std::size_t tail_bytes) {
    if (total == 0) return std::nullopt;
    std::ifstream in(path, std::ios::binary);
    std::uint64_t from = total > tail_bytes ? total - tail_bytes : 0;
    // std::streamoff is 64 bits everywhere; fseek's long is only 32 bits under wasm32.
    if (!in.seekg(static_cast<std::streamoff>(from))) return std::nullopt;
    std::string tail(static_cast<std::size_t>(total - from), '\0');
    in.read(tail.data(), static_cast<std::streamsize>(tail.size()));
    tail.resize(static_cast<std::size_t>(in.gcount()));
    auto trailing = [](char c) { return c == '\x1E' || c == ' ' || c == '\t' || c == '\r' || c == '\n'; }; // RS: GeoJSON text sequences
    int tries = 0;
    for (std::size_t at = tail.rfind("\"crs\""); at != std::string::npos && tries < 16;
         at = at == 0 ? std::string::npos : tail.rfind("\"crs\"", at - 1), ++tries) {
        std::string candidate = "{" + tail.substr(at);
        while (!candidate.empty() && trailing(candidate.back())) candidate.pop_back();
        auto j = nlohmann::json::parse(candidate, nullptr, false);
        if (j.is_discarded() || !j.is_object()) continue;
        auto it = j.find("crs");
        if (it != j.end()) return crs_from_json(*it);
    }
    return std::nullopt;
}

} // namespace vigil::io::detail
