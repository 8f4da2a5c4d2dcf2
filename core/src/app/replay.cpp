// The register at a chosen moment, from the audit table (see replay.hpp).

#include <vigil/app/replay.hpp>

#include "civil_dates.hpp"

#include <vigil/model/layer_patch.hpp>
#include <vigil/util/error.hpp>
#include <vigil/util/i18n.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

namespace vigil::app {

namespace {

/// A record of a layer as a patch needs it.
model::Record record_of(const model::Layer& l, std::size_t row) {
    model::Record r{l.fid(row), {}, l.geometry(row), std::string(l.extra(row)), std::string(l.updated_at(row))};
    for (std::size_t f = 0; f < l.kind().fields.size(); ++f) r.values.push_back(l.value(row, f));
    return r;
}

} // namespace

Replay replay_at(const LayerSet& now, std::vector<AuditEntry> entries, const std::string& at) {
    Replay out;
    out.at = at;
    std::sort(entries.begin(), entries.end(), [](const AuditEntry& a, const AuditEntry& b) { return a.seq > b.seq; });
    // Per layer: the touched records as they were (by id), and those that did not exist yet.
    struct Work {
        std::shared_ptr<const model::Layer> layer;
        std::map<std::string, model::Record> then;
        std::set<std::string> absent;
        std::set<std::string> touched;
    };
    std::map<std::string, Work> work;
    std::set<std::string> skipped;
    for (const auto& e : entries) {
        if (e.at <= at) continue;
        auto layer = now.share(e.layer);
        if (!layer) {
            skipped.insert(e.layer);
            continue;
        }
        Work& w = work[e.layer];
        w.layer = layer;
        w.touched.insert(e.record_id);
        ++out.undone;
        if (e.action == "insert") {
            // Created after the moment: not there then (its field rows are all part of the insert).
            w.absent.insert(e.record_id);
            w.then.erase(e.record_id);
            continue;
        }
        if (!e.field) continue;
        const auto f = layer->kind().field_index(*e.field);
        if (!f) continue;
        auto it = w.then.find(e.record_id);
        if (it == w.then.end()) {
            const auto row = layer->find(e.record_id);
            if (!row) continue; // gone from the layer since (no edit deletes; an import may have)
            it = w.then.emplace(e.record_id, record_of(*layer, *row)).first;
        }
        it->second.values[*f] = value_of_audit_text(layer->kind().fields[*f], e.before);
    }
    for (auto& [kind, w] : work) {
        model::LayerPatch patch;
        for (const auto& [id, rec] : w.then)
            if (!w.absent.count(id)) patch.upserts.push_back(rec);
        patch.removed.assign(w.absent.begin(), w.absent.end());
        const model::Layer& cur = *w.layer;
        for (const auto& id : w.touched) {
            const auto row = cur.find(id);
            ReplayRecord rr{kind, id, w.absent.count(id) > 0, {}};
            if (!rr.absent_then) {
                const auto then = w.then.find(id);
                if (then == w.then.end() || !row) continue;
                for (std::size_t f = 0; f < cur.kind().fields.size(); ++f) {
                    const model::Value& v_now = cur.value(*row, f);
                    const model::Value& v_then = then->second.values[f];
                    if (v_now == v_then) continue;
                    const auto& field = cur.kind().fields[f];
                    rr.fields.push_back(
                        {field.name, audit_text(v_then), audit_text(v_now), display_text(field, v_then), display_text(field, v_now)});
                }
                if (rr.fields.empty()) continue; // changed and changed back
            }
            out.records.push_back(std::move(rr));
        }
        out.layers.push_back(model::patch_layer(cur, std::move(patch)));
    }
    for (const auto& kind : skipped) out.notes.push_back(trf("layer {} not loaded: its edits are not undone", kind));
    out.notes.push_back(tr("only audited edits are undone; imports after that moment are not"));
    return out;
}

std::string utc_of_typed_time(std::string_view typed) {
    const std::string t(typed);
    auto bad = [&] {
        return UsageError(
            trf("cannot read the time '{}': give YYYY-MM-DD HH:MM[:SS] (Beijing time, UTC+8) or YYYY-MM-DDTHH:MM[:SS]Z (UTC)", t));
    };
    auto num = [&](std::size_t pos, std::size_t len) {
        if (pos + len > t.size()) throw bad();
        int v = 0;
        for (std::size_t i = pos; i < pos + len; ++i) {
            if (t[i] < '0' || t[i] > '9') throw bad();
            v = v * 10 + (t[i] - '0');
        }
        return v;
    };
    if (t.size() < 16 || t[4] != '-' || t[7] != '-' || (t[10] != ' ' && t[10] != 'T') || t[13] != ':') throw bad();
    const int y = num(0, 4), mo = num(5, 2), d = num(8, 2), h = num(11, 2), mi = num(14, 2);
    std::size_t end = 16;
    int s = 0;
    if (t.size() > end && t[end] == ':') {
        s = num(end + 1, 2);
        end += 3;
    }
    // Milliseconds, as the audit stores times ("…:SS.fffZ": what the viewers send the server).
    int ms = 999;
    if (t.size() > end && t[end] == '.' && end == 19) {
        ms = num(end + 1, 3);
        end += 4;
    }
    bool utc = false;
    if (t.size() > end && t[end] == 'Z') {
        utc = true;
        ++end;
    }
    if (end != t.size() || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) throw bad();
    std::int64_t seconds =
        civil_dates::days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * 86400 + h * 3600 + mi * 60 + s;
    if (!utc) seconds -= 8 * 3600; // the bureau's clock
    const std::int64_t days = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400;
    const std::int64_t rest = seconds - days * 86400;
    const auto c = civil_dates::civil_from_days(days);
    // As the audit writes its times (milliseconds, Z): ".999" so that the whole stated second
    // counts as "at or before" the moment.
    return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", c.y, c.m, c.d, rest / 3600, rest / 60 % 60, rest % 60, ms);
}

nlohmann::ordered_json to_json(const Replay& r) {
    nlohmann::ordered_json j;
    j["at"] = r.at;
    j["undone"] = r.undone;
    j["records"] = nlohmann::ordered_json::array();
    for (const auto& rec : r.records) {
        nlohmann::ordered_json fields = nlohmann::ordered_json::array();
        for (const auto& f : rec.fields)
            fields.push_back({{"field", f.field},
                              {"then", f.then ? nlohmann::ordered_json(*f.then) : nlohmann::ordered_json()},
                              {"now", f.now ? nlohmann::ordered_json(*f.now) : nlohmann::ordered_json()},
                              {"then_text", f.then_text},
                              {"now_text", f.now_text}});
        j["records"].push_back({{"layer", rec.layer}, {"id", rec.id}, {"absent_then", rec.absent_then}, {"fields", std::move(fields)}});
    }
    j["notes"] = r.notes;
    return j;
}

} // namespace vigil::app
