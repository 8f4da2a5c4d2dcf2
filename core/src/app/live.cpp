// Keeping loaded layers current from the change feed (see live.hpp).

#include <vigil/app/live.hpp>

#include <fmt/format.h>


namespace vigil::app {

std::optional<LiveUpdate> follow_changes(store::ChangeFeed& feed, const LayerSet& held) {
    const store::ChangeSet set = feed.read();
    if (set.empty()) return std::nullopt;
    LiveUpdate out;
    out.last_seq = set.last_seq;
    out.last_at = set.last_at;
    out.changes = set.rows;
    const store::Project& project = feed.project();
    for (const auto& c : set.layers) {
        if (!project.catalog().find(c.layer)) continue; // not a layer kind (or one since dropped): nothing to show
        LiveLayer l;
        l.kind = c.layer;
        const auto old = held.share(c.layer);
        // Loaded whole after an import, for a layer not held, or when the kind's fields changed
        // under the held snapshot (an import redefined it).
        if (c.reload || !old || project.layer_kind(c.layer)->fields.size() != old->kind().fields.size()) {
            l.layer = project.load_layer(c.layer);
            l.reloaded = true;
            out.records += l.layer->size();
            out.layers.push_back(std::move(l));
            continue;
        }
        // Every id a change names is read again: the table, not the change, says what it is now.
        std::vector<std::string> ids = c.changed;
        ids.insert(ids.end(), c.removed.begin(), c.removed.end());
        model::LayerPatch patch;
        patch.upserts = feed.read_records(c.layer, ids);
        std::vector<std::uint8_t> present(ids.size(), 0);
        const std::size_t id_field = old->kind().id_index();
        for (const auto& r : patch.upserts) {
            const auto* id = std::get_if<std::string>(&r.values[id_field]);
            if (!id) continue;
            for (std::size_t i = 0; i < ids.size(); ++i)
                if (ids[i] == *id) present[i] = 1;
        }
        for (std::size_t i = 0; i < ids.size(); ++i) {
            if (present[i]) l.changed.push_back(ids[i]);
            else if (old->find(ids[i])) l.removed.push_back(ids[i]);
        }
        if (l.changed.empty() && l.removed.empty()) continue; // e.g. inserted and deleted since the last look
        patch.removed = l.removed;
        l.layer = model::patch_layer(*old, std::move(patch));
        out.records += l.changed.size() + l.removed.size();
        out.layers.push_back(std::move(l));
    }
    return out;
}

std::string live_update_text(const LiveUpdate& u) {
    // "2026-12-07T11:20:00.123Z" -> 19:20:00 in UTC+8; the stored text as it is when it is not that form.
    std::string clock = u.last_at;
    const std::string& t = u.last_at;
    auto digit = [&](std::size_t i) { return i < t.size() && t[i] >= '0' && t[i] <= '9'; };
    if (t.size() >= 19 && t[10] == 'T' && t[13] == ':' && digit(11) && digit(12)) {
        const int hour = (t[11] - '0') * 10 + (t[12] - '0');
        clock = fmt::format("{:02}{}", (hour + 8) % 24, t.substr(13, 6));
    }
    return fmt::format("已更新 {} 条 ({}) updated {} record{}", u.records, clock, u.records, u.records == 1 ? "" : "s");
}

} // namespace vigil::app
