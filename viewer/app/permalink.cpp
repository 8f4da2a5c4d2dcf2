/// @file
/// The view as a URL fragment (see permalink.hpp).

#include "permalink.hpp"

#include <vigil/util/error.hpp>
#include <vigil/util/i18n.hpp>
#include <vigil/util/text.hpp>

#include <cmath>
#include <cstdio>
#include <optional>

namespace vigil::viewer {

namespace {

constexpr std::string_view k_reserved = "%&=;:|/#+,";

std::vector<std::string_view> split_on(std::string_view text, char sep) {
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    while (start <= text.size()) {
        const std::size_t end = text.find(sep, start);
        const std::size_t stop = end == std::string_view::npos ? text.size() : end;
        if (stop > start) parts.push_back(text.substr(start, stop - start));
        if (end == std::string_view::npos) break;
        start = end + 1;
    }
    return parts;
}

std::string join_encoded(const std::vector<std::string>& values, char sep) {
    std::string out;
    for (const auto& v : values) {
        if (!out.empty()) out += sep;
        out += percent_encode(v);
    }
    return out;
}

std::optional<double> parse_number(std::string_view text) {
    const std::string s(text);
    char* end = nullptr;
    const double v = std::strtod(s.c_str(), &end);
    if (s.empty() || end != s.c_str() + s.size() || !std::isfinite(v)) return std::nullopt;
    return v;
}

/// "FIELD:V1|V2;@need:hazmat" → a FilterSpec (names and values decoded, not yet checked).
query::FilterSpec parse_filter(std::string_view text, std::vector<std::string>& problems, std::string_view kind) {
    query::FilterSpec spec;
    for (auto cond : split_on(text, ';')) {
        const std::size_t colon = cond.find(':');
        if (colon == std::string_view::npos || colon == 0) {
            problems.push_back(trf("filter of {}: '{}' is not FIELD:VALUE|VALUE", kind, percent_decode(cond)));
            continue;
        }
        const std::string field = percent_decode(cond.substr(0, colon));
        std::vector<std::string> values;
        for (auto v : split_on(cond.substr(colon + 1), '|')) values.push_back(percent_decode(v));
        if (field == "@need") spec.need.insert(spec.need.end(), values.begin(), values.end());
        else if (field == "@status") spec.status.insert(spec.status.end(), values.begin(), values.end());
        else spec.where.emplace_back(field, std::move(values)); // no values: "nothing ticked"
    }
    return spec;
}

std::string format_filter(const query::FilterSpec& spec) {
    std::string out;
    auto add = [&out](const std::string& name, const std::vector<std::string>& values) {
        if (!out.empty()) out += ';';
        out += percent_encode(name) + ':' + join_encoded(values, '|');
    };
    if (!spec.need.empty()) add("@need", spec.need);
    if (!spec.status.empty()) add("@status", spec.status);
    for (const auto& [field, values] : spec.where) add(field, values);
    return out;
}

} // namespace

std::string percent_decode(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '%' && i + 2 < text.size()) {
            const int hi = text::hex_digit_value(text[i + 1]), lo = text::hex_digit_value(text[i + 2]);
            if (hi >= 0 && lo >= 0) {
                out += static_cast<char>(hi * 16 + lo);
                i += 2;
                continue;
            }
        }
        out += text[i];
    }
    return out;
}

std::string percent_encode(std::string_view text) {
    static constexpr char k_hex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        const auto u = static_cast<unsigned char>(c);
        if (u <= 0x20 || u == 0x7F || k_reserved.find(c) != std::string_view::npos) {
            out += '%';
            out += k_hex[u >> 4];
            out += k_hex[u & 15];
        } else {
            out += c;
        }
    }
    return out;
}

std::string make_permalink(const AppState& state) {
    const Camera& cam = state.camera();
    const geo::Coord c = cam.center_lonlat();
    char view[96];
    std::snprintf(view, sizeof view, "v=%.2f/%.5f/%.5f", cam.zoom(), c.y, c.x);
    std::string out = view;
    std::vector<std::string> hidden;
    for (const auto& l : state.layers())
        if (!l.visible) hidden.push_back(l.kind().kind);
    if (!hidden.empty()) out += "&hide=" + join_encoded(hidden, ',');
    for (const auto& l : state.layers()) {
        const std::string f = format_filter(l.filter_spec);
        if (!f.empty()) out += "&f." + percent_encode(l.kind().kind) + '=' + f;
    }
    if (const auto& sel = state.selection()) {
        if (const LayerView* l = state.layer(sel->kind))
            out += "&sel=" + percent_encode(sel->kind) + '/' + percent_encode(l->layer->id(sel->row));
    }
    // The day the hidden hazards are shown at, when it is not today's (a link stays the view
    // it was: the same records red tomorrow).
    if (state.as_of_set()) out += "&asof=" + state.as_of();
    return out;
}

std::vector<std::string> apply_permalink(AppState& state, std::string_view fragment) {
    std::vector<std::string> problems;
    if (!fragment.empty() && fragment.front() == '#') fragment.remove_prefix(1);
    if (fragment.empty()) return problems;

    std::optional<std::vector<std::string>> hide;
    std::vector<std::pair<std::string, query::FilterSpec>> filters;
    std::optional<std::string> selection, as_of;
    for (auto part : split_on(fragment, '&')) {
        const std::size_t eq = part.find('=');
        const std::string key = percent_decode(part.substr(0, eq));
        const std::string_view value = eq == std::string_view::npos ? std::string_view{} : part.substr(eq + 1);
        if (key == "v") {
            const auto nums = split_on(value, '/');
            std::optional<double> zoom, lat, lon;
            if (nums.size() == 3) {
                zoom = parse_number(nums[0]);
                lat = parse_number(nums[1]);
                lon = parse_number(nums[2]);
            }
            if (!zoom || !lat || !lon || std::fabs(*lat) > 85.06 || std::fabs(*lon) > 180) {
                problems.push_back(trf("view '{}' is not ZOOM/LAT/LON", percent_decode(value)));
                continue;
            }
            state.camera().set_center_lonlat({*lon, *lat});
            state.camera().set_zoom(*zoom);
        } else if (key == "hide") {
            hide.emplace();
            for (auto k : split_on(value, ',')) hide->push_back(percent_decode(k));
        } else if (key.rfind("f.", 0) == 0) {
            const std::string kind = key.substr(2);
            filters.emplace_back(kind, parse_filter(value, problems, kind));
        } else if (key == "sel") {
            selection = std::string(value);
        } else if (key == "asof") {
            as_of = percent_decode(value);
        } else {
            problems.push_back(trf("unknown part '{}'", key));
        }
    }

    // Layers: visibility, then filters (a layer without an entry loses its filter).
    for (auto& l : state.layers()) {
        const std::string& kind = l.kind().kind;
        bool hidden = false;
        if (hide)
            for (const auto& h : *hide) hidden = hidden || h == kind;
        state.set_visible(kind, !hidden);
    }
    if (hide)
        for (const auto& h : *hide)
            if (!state.layer(h)) problems.push_back(trf("no layer '{}' to hide", h));
    for (auto& l : state.layers()) {
        const std::string kind = l.kind().kind;
        query::FilterSpec spec;
        for (const auto& [k, s] : filters)
            if (k == kind) spec = s;
        try {
            state.set_filter(kind, spec);
        } catch (const Error& e) {
            problems.push_back(trf("filter of {}: {}", kind, e.what()));
            state.clear_filter(kind);
        }
    }
    for (const auto& [k, s] : filters)
        if (!state.layer(k)) problems.push_back(trf("no layer '{}' to filter", k));

    // The day of the hidden hazards: the link's, else today.
    if (as_of) {
        try {
            state.set_as_of(*as_of);
        } catch (const Error& e) {
            problems.push_back(std::string("day: ") + e.what());
        }
    } else if (state.as_of_set()) {
        state.reset_as_of();
    }

    if (selection) {
        const std::size_t slash = selection->find('/');
        const std::string kind = percent_decode(std::string_view(*selection).substr(0, slash));
        const std::string id = slash == std::string::npos ? std::string() : percent_decode(std::string_view(*selection).substr(slash + 1));
        const LayerView* l = state.layer(kind);
        const auto row = l ? l->layer->find(id) : std::nullopt;
        if (!row) {
            problems.push_back(trf("no record '{}' in layer '{}' to select", id, kind));
            state.clear_selection();
        } else if (!l->row_shown(*row)) {
            problems.push_back(trf("record '{}' is hidden by the filter of '{}'", id, kind));
            state.clear_selection();
        } else {
            state.select({kind, *row});
        }
    } else {
        state.clear_selection();
    }
    return problems;
}

} // namespace vigil::viewer
