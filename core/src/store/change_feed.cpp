// Following a project database's change sequence (see change_feed.hpp).

#include <vigil/store/change_feed.hpp>

#include "layer_rows.hpp"

#include <vigil/util/error.hpp>
#include <vigil/util/i18n.hpp>

#include <algorithm>
#include <unordered_map>

namespace vigil::store {

ChangeSet fold_changes(std::span<const ChangeRow> rows) {
    ChangeSet out;
    if (rows.empty()) return out;
    out.first_seq = rows.front().seq;
    out.last_seq = rows.back().seq;
    out.rows = rows.size();
    out.last_at = rows.back().at;
    // Per layer, per id: the last action (true = removed), in order of first change.
    struct Fold {
        bool reload = false;
        std::vector<std::string> order;
        std::unordered_map<std::string, bool> removed;
    };
    std::vector<std::string> layer_order;
    std::unordered_map<std::string, Fold> folds;
    for (const auto& r : rows) {
        auto [it, fresh] = folds.try_emplace(r.layer);
        if (fresh) layer_order.push_back(r.layer);
        Fold& f = it->second;
        if (r.action == "bulk" || !r.record_id) { // a row without a record is a bulk change whatever its action says
            f.reload = true;
            continue;
        }
        if (f.removed.insert_or_assign(*r.record_id, r.action == "delete").second) f.order.push_back(*r.record_id);
    }
    for (const auto& name : layer_order) {
        Fold& f = folds[name];
        LayerChanges c;
        c.layer = name;
        c.reload = f.reload;
        if (!f.reload)
            for (auto& id : f.order) (f.removed[id] ? c.removed : c.changed).push_back(id);
        out.layers.push_back(std::move(c));
    }
    return out;
}

ChangeFeed::ChangeFeed(const std::filesystem::path& path) : m_path(path) {
    m_project.emplace(Project::open(path));
    m_data_version = m_project->database().query_int("PRAGMA data_version");
    check_followed();
    if (m_followed) m_cursor = m_project->database().query_int("SELECT max(seq) FROM vigil_changes", 0);
}

void ChangeFeed::check_followed() {
    const bool had = m_followed;
    m_followed = m_project->database().table_exists("vigil_changes");
    if (m_followed) {
        m_note.clear();
        // A table that appeared since the layers were loaded holds only changes made after them.
        if (!had) m_cursor = 0;
    } else if (m_note.empty()) {
        m_note = tr("the project has no change sequence (vigil_changes): the view is not updated live; reopen it to see others' edits");
    }
}

bool ChangeFeed::poll() {
    const std::int64_t v = m_project->database().query_int("PRAGMA data_version");
    if (v == m_data_version) return false;
    m_data_version = v;
    return true;
}

ChangeSet ChangeFeed::read() {
    if (!m_followed) {
        check_followed();
        if (!m_followed) return {};
    }
    std::vector<ChangeRow> rows;
    auto st = m_project->database().prepare("SELECT seq, at, layer, record_id, action FROM vigil_changes WHERE seq > ? ORDER BY seq");
    st.bind(1, m_cursor);
    while (st.step()) {
        ChangeRow r;
        r.seq = st.column_int64(0);
        r.at = st.column_text(1);
        r.layer = st.column_text(2);
        if (!st.column_is_null(3)) r.record_id = std::string(st.column_text(3));
        r.action = st.column_text(4);
        rows.push_back(std::move(r));
    }
    ChangeSet set = fold_changes(rows);
    if (set.empty()) return set;
    m_cursor = set.last_seq;
    // An import may have brought a kind or redefined one: read the catalogue again before the
    // layer is.
    const bool new_kind = std::any_of(set.layers.begin(), set.layers.end(),
                                      [&](const LayerChanges& c) { return c.reload || !m_project->catalog().find(c.layer); });
    if (new_kind) {
        m_project.emplace(Project::open(m_path));
        // A fresh connection has its own data_version: the next poll() looks again rather than
        // miss a commit made while the catalogue was re-read.
        m_data_version = -1;
    }
    return set;
}

std::vector<model::Record> ChangeFeed::read_records(std::string_view kind_name, std::span<const std::string> ids) {
    std::vector<model::Record> out;
    if (ids.empty()) return out;
    const auto kind = m_project->layer_kind(kind_name);
    const Database& db = m_project->database();
    detail::LayerRowReader reader(db, *kind);
    auto st = db.prepare("SELECT " + reader.select_list() + " FROM " + quote_identifier(kind->kind) + " AS t WHERE t." +
                         quote_identifier(kind->fields[kind->id_index()].name) + " = ? ORDER BY t.fid");
    detail::LayerRow row;
    for (const auto& id : ids) {
        st.reset();
        st.bind(1, id);
        while (st.step()) {
            reader.read(st, row);
            out.push_back({row.fid, std::move(row.values), std::move(row.geometry), std::move(row.extra), std::move(row.updated_at)});
        }
    }
    // In fid order, as a load reads them: new records are appended in the order a fresh load
    // would give them.
    std::sort(out.begin(), out.end(), [](const model::Record& a, const model::Record& b) { return a.fid < b.fid; });
    return out;
}

} // namespace vigil::store
