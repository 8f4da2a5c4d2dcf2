// Keeping loaded layers current from the change feed (see live.hpp).

#include <vigil/app/live.hpp>

#include <vigil/geo/wkb.hpp>
#include <vigil/util/error.hpp>
#include <vigil/util/i18n.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>


namespace vigil::app {

std::optional<LiveDelta> read_delta(store::ChangeFeed& feed) {
    const store::ChangeSet set = feed.read();
    if (set.empty()) return std::nullopt;
    LiveDelta out;
    out.first_seq = set.first_seq;
    out.last_seq = set.last_seq;
    out.last_at = set.last_at;
    out.changes = set.rows;
    const store::Project& project = feed.project();
    for (const auto& c : set.layers) {
        const auto kind = project.catalog().find(c.layer);
        if (!kind) continue; // not a layer kind (or one since dropped): nothing to show
        LiveDeltaLayer l;
        l.kind = c.layer;
        l.reload = c.reload;
        l.field_count = kind->fields.size();
        if (!c.reload) {
            // Every id a change names is read again: the table, not the change, says what it is now.
            std::vector<std::string> ids = c.changed;
            ids.insert(ids.end(), c.removed.begin(), c.removed.end());
            l.records = feed.read_records(c.layer, ids);
            const std::size_t id_field = kind->id_index();
            for (const auto& id : ids) {
                const bool present = std::any_of(l.records.begin(), l.records.end(), [&](const model::Record& r) {
                    const auto* text = std::get_if<std::string>(&r.values[id_field]);
                    return text && *text == id;
                });
                if (!present) l.gone.push_back(id);
            }
        }
        out.layers.push_back(std::move(l));
    }
    return out;
}

LiveUpdate apply_delta(const LiveDelta& delta, const LayerSet& held, const LayerLoader& load_whole) {
    LiveUpdate out;
    out.last_seq = delta.last_seq;
    out.last_at = delta.last_at;
    out.changes = delta.changes;
    for (const auto& c : delta.layers) {
        LiveLayer l;
        l.kind = c.kind;
        const auto old = held.share(c.kind);
        // Loaded whole after an import, for a layer not held, or when the kind's fields changed
        // under the held snapshot (an import redefined it).
        if (c.reload || !old || c.field_count != old->kind().fields.size()) {
            if (!load_whole) {
                out.need_reload.push_back(c.kind);
                continue;
            }
            l.layer = load_whole(c.kind);
            if (!l.layer) continue;
            l.reloaded = true;
            out.records += l.layer->size();
            out.layers.push_back(std::move(l));
            continue;
        }
        const std::size_t id_field = old->kind().id_index();
        model::LayerPatch patch;
        patch.upserts = c.records;
        for (const auto& r : patch.upserts) {
            if (r.values.size() != old->kind().fields.size())
                throw FormatError(trf("live update of '{}': a record with {} values, the layer has {} fields", c.kind, r.values.size(),
                                      old->kind().fields.size()));
            if (const auto* id = std::get_if<std::string>(&r.values[id_field])) l.changed.push_back(*id);
        }
        for (const auto& id : c.gone)
            if (old->find(id)) l.removed.push_back(id);
        if (l.changed.empty() && l.removed.empty()) continue; // e.g. inserted and deleted since the last look
        patch.removed = l.removed;
        l.layer = model::patch_layer(*old, std::move(patch));
        out.records += l.changed.size() + l.removed.size();
        out.layers.push_back(std::move(l));
    }
    return out;
}

std::optional<LiveUpdate> follow_changes(store::ChangeFeed& feed, const LayerSet& held) {
    auto delta = read_delta(feed);
    if (!delta) return std::nullopt;
    return apply_delta(*delta, held, [&feed](const std::string& kind) { return feed.project().load_layer(kind); });
}

namespace {

constexpr char k_hex[] = "0123456789abcdef";

std::string hex_of(const std::vector<std::uint8_t>& bytes) {
    std::string out;
    out.reserve(bytes.size() * 2);
    for (auto b : bytes) {
        out += k_hex[b >> 4];
        out += k_hex[b & 15];
    }
    return out;
}

std::vector<std::uint8_t> bytes_of_hex(std::string_view hex, const std::string& where) {
    auto nibble = [&](char ch) -> std::uint8_t {
        if (ch >= '0' && ch <= '9') return static_cast<std::uint8_t>(ch - '0');
        if (ch >= 'a' && ch <= 'f') return static_cast<std::uint8_t>(ch - 'a' + 10);
        if (ch >= 'A' && ch <= 'F') return static_cast<std::uint8_t>(ch - 'A' + 10);
        throw FormatError(trf("{}: geometry is not hex WKB", where));
    };
    if (hex.size() % 2) throw FormatError(trf("{}: geometry is not hex WKB (odd length)", where));
    std::vector<std::uint8_t> out(hex.size() / 2);
    for (std::size_t i = 0; i < out.size(); ++i) out[i] = static_cast<std::uint8_t>(nibble(hex[2 * i]) << 4 | nibble(hex[2 * i + 1]));
    return out;
}

nlohmann::json value_json(const model::Value& v) {
    if (const auto* i = std::get_if<std::int64_t>(&v)) return *i;
    if (const auto* d = std::get_if<double>(&v)) return std::isfinite(*d) ? nlohmann::json(*d) : nlohmann::json();
    if (const auto* s = std::get_if<std::string>(&v)) return *s;
    return nullptr;
}

model::Value value_of(const nlohmann::json& j, const std::string& where) {
    if (j.is_null()) return std::monostate{};
    if (j.is_number_integer()) return j.get<std::int64_t>();
    if (j.is_number_float()) return j.get<double>();
    if (j.is_string()) return j.get<std::string>();
    throw FormatError(trf("{}: a value is neither null, a number nor text", where));
}

} // namespace

std::string live_delta_json(const LiveDelta& delta) {
    nlohmann::json layers = nlohmann::json::array();
    std::vector<std::uint8_t> wkb;
    for (const auto& l : delta.layers) {
        nlohmann::json records = nlohmann::json::array();
        for (const auto& r : l.records) {
            nlohmann::json values = nlohmann::json::array();
            for (const auto& v : r.values) values.push_back(value_json(v));
            wkb.clear();
            const bool has_geometry = geo::encode_wkb(r.geometry, wkb);
            records.push_back({{"fid", r.fid},
                               {"values", std::move(values)},
                               {"geometry", has_geometry ? nlohmann::json(hex_of(wkb)) : nlohmann::json()},
                               {"extra", r.extra},
                               {"updated_at", r.updated_at}});
        }
        layers.push_back(
            {{"kind", l.kind}, {"reload", l.reload}, {"fields", l.field_count}, {"records", std::move(records)}, {"gone", l.gone}});
    }
    const nlohmann::json j{{"first_seq", delta.first_seq},
                           {"last_seq", delta.last_seq},
                           {"last_at", delta.last_at},
                           {"changes", delta.changes},
                           {"layers", std::move(layers)}};
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

LiveDelta parse_live_delta(std::string_view text) {
    const std::string where = tr("live update");
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(text);
        LiveDelta d;
        d.first_seq = j.at("first_seq").get<std::int64_t>();
        d.last_seq = j.at("last_seq").get<std::int64_t>();
        d.last_at = j.at("last_at").get<std::string>();
        d.changes = j.at("changes").get<std::size_t>();
        for (const auto& lj : j.at("layers")) {
            LiveDeltaLayer l;
            l.kind = lj.at("kind").get<std::string>();
            l.reload = lj.at("reload").get<bool>();
            l.field_count = lj.at("fields").get<std::size_t>();
            l.gone = lj.at("gone").get<std::vector<std::string>>();
            const std::string at = trf("live update of '{}'", l.kind);
            for (const auto& rj : lj.at("records")) {
                model::Record r;
                r.fid = rj.at("fid").get<std::int64_t>();
                for (const auto& v : rj.at("values")) r.values.push_back(value_of(v, at));
                if (r.values.size() != l.field_count)
                    throw FormatError(trf("{}: a record with {} values for {} fields", at, r.values.size(), l.field_count));
                if (const auto& g = rj.at("geometry"); !g.is_null()) r.geometry = geo::decode_wkb(bytes_of_hex(g.get<std::string>(), at));
                r.extra = rj.at("extra").get<std::string>();
                r.updated_at = rj.at("updated_at").get<std::string>();
                l.records.push_back(std::move(r));
            }
            d.layers.push_back(std::move(l));
        }
        return d;
    } catch (const nlohmann::json::exception& e) {
        throw FormatError(trf("{}: not the JSON vigil serve sends: {}", where, e.what()));
    }
}

std::string bureau_clock(const std::string& t) {
    auto digit = [&](std::size_t i) { return i < t.size() && t[i] >= '0' && t[i] <= '9'; };
    if (t.size() >= 19 && t[10] == 'T' && t[13] == ':' && digit(11) && digit(12)) {
        const int hour = (t[11] - '0') * 10 + (t[12] - '0');
        return fmt::format("{:02}{}", (hour + 8) % 24, t.substr(13, 6));
    }
    return t;
}

std::string live_update_text(const LiveUpdate& u) { return trf("updated records: {} ({})", u.records, bureau_clock(u.last_at)); }

} // namespace vigil::app
