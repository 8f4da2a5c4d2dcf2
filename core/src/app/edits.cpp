#include <vigil/app/edits.hpp>

#include <vigil/app/dispatch.hpp>
#include <vigil/app/layer_set.hpp>
#include <vigil/catalog/normalize.hpp>
#include <vigil/util/i18n.hpp>
#include <vigil/util/text.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <initializer_list>
#include <random>
#include <set>

namespace vigil::app {

model::Value value_of_audit_text(const catalog::Field& f, const std::optional<std::string>& t) {
    if (!t) return {};
    if (f.type == catalog::FieldType::Integer || f.type == catalog::FieldType::Bool) {
        std::int64_t i = 0;
        auto [p, ec] = std::from_chars(t->data(), t->data() + t->size(), i);
        if (ec == std::errc() && p == t->data() + t->size()) return i;
    }
    if (f.type == catalog::FieldType::Real) {
        if (auto d = text::parse_double(*t)) return *d;
    }
    return *t;
}

// Stored value <-> audit text: the audit keeps what the column held, as text (NULL for none),
// so that undo can put it back exactly.
std::optional<std::string> audit_text(const model::Value& v) {
    if (model::is_null(v)) return std::nullopt;
    return model::to_text(v);
}

std::string display_text(const catalog::Field& f, const model::Value& v) {
    if (model::is_null(v)) return tr("(empty)");
    return catalog::display_value(f, v, i18n::language() == i18n::Language::en ? "en" : "zh");
}

namespace {

std::string record_name(const catalog::LayerKind& kind, std::string_view id) {
    return fmt::format("{} {} {}", kind.title.text(), kind.kind, id);
}

const catalog::Field& field_of(const catalog::LayerKind& kind, std::string_view name, std::string_view id) {
    if (const auto* f = kind.field(name)) return *f;
    std::string known;
    for (const auto& f : kind.fields) known += (known.empty() ? "" : ", ") + trf("{} ({})", f.name, f.label.text());
    throw UsageError(trf("{} has no field '{}' (fields: {})", record_name(kind, id), name, known));
}

// The text a person typed, as the field's rules store it; refusals name layer, record and field.
model::Value parse_field_value(const catalog::LayerKind& kind, std::string_view id, const catalog::Field& f, const std::string& text) {
    const std::string t(text::trim(text));
    if (t.empty()) {
        if (f.required || f.role == catalog::FieldRole::Id)
            throw UsageError(trf("field {} ({}) of {} is required", f.name, f.label.text(), record_name(kind, id)));
        return {};
    }
    importing::RawValue raw = f.type == catalog::FieldType::List ? importing::RawValue::from_json(t) : importing::RawValue::from_text(t);
    auto n = catalog::normalize_value(f, raw);
    if (!n.ok()) throw UsageError(trf("field {} ({}) of {} refuses '{}': {}", f.name, f.label.text(), record_name(kind, id), t, n.problem));
    return n.value;
}

std::string compact_time(const std::string& at) {
    std::string out;
    for (char c : at)
        if (std::isdigit(static_cast<unsigned char>(c))) out += c;
    return out;
}

// One operation: one transaction, one change id, its result. Rolls back unless done().
class Operation {
public:
    Operation(EditStore& store, const EditContext& ctx, std::string operation, std::string incident = {}) : m_store(store), m_ctx(ctx) {
        if (text::trim(ctx.editor.user).empty()) throw UsageError(tr("an edit must name its editor (user)"));
        m_store.begin();
        m_active = true;
        m_result.operation = std::move(operation);
        m_result.at = m_store.now();
        m_result.incident = std::move(incident);
        static thread_local std::mt19937_64 rng{std::random_device{}()};
        m_result.change_id = fmt::format("{}:{}-{:08x}", m_result.operation, compact_time(m_result.at), rng() & 0xffffffffu);
    }
    Operation(const Operation&) = delete;
    Operation& operator=(const Operation&) = delete;
    ~Operation() {
        if (m_active) {
            try {
                m_store.rollback();
            } catch (...) { // a failed rollback leaves the transaction to SQLite's own
            }
        }
    }

    EditStore& store() { return m_store; }
    EditResult& result() { return m_result; }
    const std::string& at() const { return m_result.at; }

    StoredRecord require(const catalog::LayerKind& kind, std::string_view id) {
        auto r = m_store.find(kind, id);
        if (!r) throw UsageError(trf("{} has no record '{}'", kind.kind, id));
        return *r;
    }

    // Sets the fields of `rec` that change; one version bump, an audit row per field, one change row.
    const RecordChange* set(const catalog::LayerKind& kind, const StoredRecord& rec,
                            const std::vector<std::pair<std::size_t, model::Value>>& values, const std::string& action = "edit",
                            const std::string& reason = {}) {
        std::vector<std::pair<std::size_t, model::Value>> changed;
        for (const auto& [i, v] : values)
            if (!(rec.values[i] == v)) changed.emplace_back(i, v);
        if (changed.empty()) return nullptr;
        const std::string id = model::to_text(rec.values[kind.id_index()]);
        const std::int64_t version = rec.version + 1;
        m_store.update(kind, rec.fid, changed, version, at());
        RecordChange rc{kind.kind, id, version, false, {}};
        for (const auto& [i, v] : changed) {
            const auto& f = kind.fields[i];
            AuditEntry e = entry(kind.kind, id, action, version, reason);
            e.field = f.name;
            e.before = audit_text(rec.values[i]);
            e.after = audit_text(v);
            FieldChange fc{f.name, e.before, e.after, display_text(f, rec.values[i]), display_text(f, v), m_store.append_audit(e)};
            rc.fields.push_back(std::move(fc));
        }
        // The change sequence says only what happened to the record (the audit says why).
        m_store.append_change(kind.kind, id, "update", at());
        m_result.records.push_back(std::move(rc));
        return &m_result.records.back();
    }

    void insert(const catalog::LayerKind& kind, const std::vector<model::Value>& values, geo::Coord point, const std::string& reason = {}) {
        const std::string id = model::to_text(values[kind.id_index()]);
        if (m_store.find(kind, id)) throw UsageError(trf("{} already has a record '{}'", kind.kind, id));
        for (std::size_t i = 0; i < kind.fields.size(); ++i)
            if (kind.fields[i].required && model::is_null(values[i]))
                throw UsageError(
                    trf("field {} ({}) of {} is required", kind.fields[i].name, kind.fields[i].label.text(), record_name(kind, id)));
        m_store.insert(kind, values, point, at());
        RecordChange rc{kind.kind, id, 1, true, {}};
        for (std::size_t i = 0; i < kind.fields.size(); ++i) {
            if (model::is_null(values[i])) continue;
            AuditEntry e = entry(kind.kind, id, "insert", 1, reason);
            e.field = kind.fields[i].name;
            e.after = audit_text(values[i]);
            rc.fields.push_back(
                {kind.fields[i].name, std::nullopt, e.after, "", display_text(kind.fields[i], values[i]), m_store.append_audit(e)});
        }
        m_store.append_change(kind.kind, id, "insert", at());
        m_result.records.push_back(std::move(rc));
    }

    EditResult done() {
        m_store.commit();
        m_active = false;
        return std::move(m_result);
    }

private:
    AuditEntry entry(const std::string& layer, const std::string& id, const std::string& action, std::int64_t version,
                     const std::string& reason) const {
        AuditEntry e;
        e.at = m_result.at;
        e.user = m_ctx.editor.user;
        e.seat = m_ctx.editor.seat;
        e.layer = layer;
        e.record_id = id;
        e.action = action;
        e.reason = reason.empty() ? m_ctx.reason : (m_ctx.reason.empty() ? reason : reason + "; " + m_ctx.reason);
        e.change_id = m_result.change_id;
        e.version = version;
        e.incident = m_result.incident;
        return e;
    }

    EditStore& m_store;
    const EditContext& m_ctx;
    EditResult m_result;
    bool m_active = false;
};

// Refuses an edit of `rec` made on `seen`, when the record has moved on: names the latest change
// since (of one of `fields` when there is one) — who, from where, when — and both values.
void check_version(const EditStore& store, const catalog::LayerKind& kind, const StoredRecord& rec, std::optional<std::int64_t> seen,
                   const std::vector<std::pair<std::size_t, model::Value>>& wanted) {
    if (!seen || *seen == rec.version) return;
    Conflict c;
    c.layer = kind.kind;
    c.record_id = model::to_text(rec.values[kind.id_index()]);
    c.seen_version = *seen;
    c.current_version = rec.version;
    AuditQuery q;
    q.layer = kind.kind;
    q.record_id = c.record_id;
    q.after_version = *seen;
    const auto entries = store.audit(q);
    const AuditEntry* latest = nullptr;
    const AuditEntry* latest_of_field = nullptr;
    for (const auto& e : entries) {
        if (e.version <= *seen) continue;
        latest = &e;
        for (const auto& [i, v] : wanted)
            if (e.field && *e.field == kind.fields[i].name) latest_of_field = &e;
    }
    const AuditEntry* by = latest_of_field ? latest_of_field : latest;
    std::size_t fi = wanted.empty() ? 0 : wanted.front().first;
    if (by && by->field)
        if (auto i = kind.field_index(*by->field)) {
            for (const auto& [w, v] : wanted)
                if (w == *i) fi = *i;
        }
    const auto& f = kind.fields[fi];
    c.field = f.name;
    c.theirs = display_text(f, rec.values[fi]);
    for (const auto& [w, v] : wanted)
        if (w == fi) c.yours = display_text(f, v);
    if (by) {
        c.other_user = by->user;
        c.other_seat = by->seat;
        c.other_at = by->at;
    } else {
        c.other_user = tr("an import");
    }
    throw EditConflict(std::move(c));
}

std::vector<std::pair<std::size_t, model::Value>> parse_values(const catalog::LayerKind& kind, std::string_view id,
                                                               const std::vector<std::pair<std::string, std::string>>& values) {
    std::vector<std::pair<std::size_t, model::Value>> out;
    for (const auto& [name, text] : values) {
        const auto& f = field_of(kind, name, id);
        if (f.role == catalog::FieldRole::Id)
            throw UsageError(trf("{}: the id of a record cannot be edited (field {})", record_name(kind, id), f.name));
        out.emplace_back(*kind.field_index(f.name), parse_field_value(kind, id, f, text));
    }
    if (out.empty()) throw UsageError(trf("{}: nothing to change: name at least one field", record_name(kind, id)));
    return out;
}

std::size_t index_of(const catalog::LayerKind& kind, std::string_view name) {
    auto i = kind.field_index(name);
    if (!i) throw SchemaError(trf("the layer kind {} lacks the field '{}' that edits need ({})", kind.kind, name, kind.source_path));
    return *i;
}

std::string text_at(const StoredRecord& r, std::size_t i) {
    const auto* t = std::get_if<std::string>(&r.values[i]);
    return t ? *t : model::to_text(r.values[i]);
}

std::string canonical(const catalog::LayerKind& kind, std::string_view field, const std::string& id, const std::string& text) {
    const auto& f = kind.fields[index_of(kind, field)];
    auto v = parse_field_value(kind, id, f, text);
    return model::to_text(v);
}

// The dispatches of a team at an incident not yet released.
std::optional<StoredRecord> open_dispatch(const EditStore& store, const catalog::LayerKind& dk, const std::string& incident,
                                          const std::string& team) {
    const std::size_t inc = index_of(dk, "incident_id"), returned = index_of(dk, "returned_at");
    for (auto& d : store.find_where(dk, "team_id", team))
        if (text_at(d, inc) == incident && model::is_null(d.values[returned])) return d;
    return std::nullopt;
}

std::string next_id(const EditStore& store, const catalog::LayerKind& kind, const std::string& prefix) {
    int largest = 0;
    for (const auto& id : store.ids_with_prefix(kind, prefix)) {
        int n = 0;
        auto tail = std::string_view(id).substr(prefix.size());
        auto [p, ec] = std::from_chars(tail.data(), tail.data() + tail.size(), n);
        if (ec == std::errc() && p == tail.data() + tail.size()) largest = std::max(largest, n);
    }
    return fmt::format("{}{:03d}", prefix, largest + 1);
}

} // namespace

EditConflict::EditConflict(Conflict c)
    // clang-format off
    : Error(trf("{} {}: field {} was changed by {}{} at {} to '{}' (you saw version {}, it is now {}); your value '{}' was not written — read the record again and decide",
                c.layer, c.record_id, c.field, c.other_user, c.other_seat.empty() ? std::string() : trf(" ({})", c.other_seat),
                c.other_at.empty() ? std::string(tr("some time")) : c.other_at, c.theirs, c.seen_version, c.current_version, c.yours)),
      m_conflict(std::move(c)) {}

std::vector<std::int64_t> EditResult::audit_seqs() const {
    // clang-format on
    std::vector<std::int64_t> out;
    for (const auto& r : records)
        for (const auto& f : r.fields) out.push_back(f.audit_seq);
    std::sort(out.begin(), out.end());
    return out;
}

const RecordChange* EditResult::record(std::string_view layer, std::string_view id) const {
    for (const auto& r : records)
        if (r.layer == layer && r.id == id) return &r;
    return nullptr;
}

EditResult edit_record(EditStore& store, const EditRequest& request, const EditContext& ctx) {
    auto kind = store.kind(request.layer);
    auto values = parse_values(*kind, request.id, request.values);
    Operation op(store, ctx, "edit", request.incident);
    auto rec = op.require(*kind, request.id);
    check_version(store, *kind, rec, request.expect_version, values);
    op.set(*kind, rec, values);
    return op.done();
}

// [incidents] ----------------------------------------------------------------------------------

EditResult open_incident(EditStore& store, const IncidentOpen& r, const EditContext& ctx) {
    auto kind = store.kind(k_incidents_kind);
    if (!std::isfinite(r.at.x) || !std::isfinite(r.at.y) || std::abs(r.at.x) > 180 || std::abs(r.at.y) > 90)
        throw UsageError(tr("the incident's position is not a longitude/latitude"));
    if (text::trim(r.type).empty())
        throw UsageError(
            trf("an incident needs its type: {}", catalog::allowed_values_text(kind->fields[index_of(*kind, "incident_type")])));
    std::vector<model::Value> values(kind->fields.size());
    // Validation before the write lock: a typo costs nobody else a wait.
    const std::string provisional = r.id.empty() ? std::string(trc("record id", "(new)")) : r.id;
    auto put = [&](std::string_view field, const std::string& text) {
        const std::size_t i = index_of(*kind, field);
        values[i] = parse_field_value(*kind, provisional, kind->fields[i], text);
    };
    put("incident_type", r.type);
    put("title", r.title);
    put("material", r.material);
    put("un_number", r.un_number);
    put("cas", r.cas);
    put("severity", r.severity);
    put("reporter", r.reporter.empty() ? ctx.editor.user : r.reporter);
    put("description", r.description);
    put("zone_model", r.zone_model);
    put("zone_inputs", r.zone_inputs);
    put("status", "reported");
    Operation op(store, ctx, "incident_open");
    const std::string id = r.id.empty() ? next_id(store, *kind, "INC-" + compact_time(op.at()).substr(0, 8) + "-") : r.id;
    op.result().incident = id;
    values[kind->id_index()] = id;
    values[index_of(*kind, "reported_at")] = op.at();
    if (model::is_null(values[index_of(*kind, "title")]))
        values[index_of(*kind, "title")] =
            // stored data: the register's language, whatever the clerk's screen speaks
            catalog::display_value(kind->fields[index_of(*kind, "incident_type")], values[index_of(*kind, "incident_type")], "zh");
    // The audit rows of an opening carry the incident too (the log starts there).
    op.insert(*kind, values, r.at);
    return op.done();
}

namespace {

// Status 处置中/结束 stamp opened_at/closed_at when they are still empty.
void stamp_status_times(const catalog::LayerKind& kind, const StoredRecord& rec, std::vector<std::pair<std::size_t, model::Value>>& values,
                        const std::string& at) {
    const std::size_t status = index_of(kind, "status");
    for (const auto& [i, v] : std::vector(values)) {
        if (i != status) continue;
        const auto* s = std::get_if<std::string>(&v);
        if (!s) continue;
        const char* stamp = *s == "active" ? "opened_at" : *s == "closed" ? "closed_at" : nullptr;
        if (!stamp) continue;
        const std::size_t t = index_of(kind, stamp);
        bool given = false;
        for (const auto& [j, w] : values) given = given || j == t;
        if (!given && model::is_null(rec.values[t])) values.emplace_back(t, at);
    }
}

} // namespace

EditResult update_incident(EditStore& store, EditRequest request, const EditContext& ctx) {
    auto kind = store.kind(k_incidents_kind);
    auto values = parse_values(*kind, request.id, request.values);
    const std::size_t status = index_of(*kind, "status");
    for (const auto& [i, v] : values)
        if (i == status && v == model::Value(std::string("closed")))
            throw UsageError(tr("close an incident with 'vigil incident close' (it checks the teams are back)"));
    Operation op(store, ctx, "incident_update", request.id);
    auto rec = op.require(*kind, request.id);
    check_version(store, *kind, rec, request.expect_version, values);
    stamp_status_times(*kind, rec, values, op.at());
    op.set(*kind, rec, values);
    return op.done();
}

EditResult close_incident(EditStore& store, const std::string& id, std::optional<std::int64_t> expect_version, const EditContext& ctx) {
    auto kind = store.kind(k_incidents_kind);
    auto dk = store.kind(k_dispatches_kind);
    Operation op(store, ctx, "incident_close", id);
    auto rec = op.require(*kind, id);
    const std::size_t status = index_of(*kind, "status");
    std::vector<std::pair<std::size_t, model::Value>> values{{status, std::string("closed")}};
    check_version(store, *kind, rec, expect_version, values);
    if (text_at(rec, status) == "closed") throw UsageError(trf("incident {} is closed already", id));
    std::string out;
    const std::size_t returned = index_of(*dk, "returned_at"), team = index_of(*dk, "team_id");
    for (const auto& d : store.find_where(*dk, "incident_id", id))
        if (model::is_null(d.values[returned])) out += (out.empty() ? "" : ", ") + text_at(d, team);
    if (!out.empty()) throw UsageError(trf("incident {} still has teams out ({}): release them first (vigil dispatch release)", id, out));
    stamp_status_times(*kind, rec, values, op.at());
    op.set(*kind, rec, values);
    return op.done();
}

// [dispatch] -----------------------------------------------------------------------------------

EditResult assign_teams(EditStore& store, const DispatchAssign& r, const EditContext& ctx) {
    auto ik = store.kind(k_incidents_kind);
    auto dk = store.kind(k_dispatches_kind);
    auto tk = store.kind(k_teams_kind);
    if (r.teams.empty()) throw UsageError(tr("name at least one team to assign"));
    std::set<std::string> seen;
    for (const auto& t : r.teams)
        if (!seen.insert(t).second) throw UsageError(trf("team {} is named twice", t));
    // The ETAs first, outside the transaction: routing must not hold the write lock.
    auto incident_before = store.find(*ik, r.incident);
    if (!incident_before) throw UsageError(trf("{} has no record '{}'", ik->kind, r.incident));
    AssignmentEtas etas;
    if (r.etas && incident_before->point) etas = r.etas(*incident_before->point, r.teams);
    else etas.note = tr("no road graph was given: no ETA recorded");

    Operation op(store, ctx, "dispatch_assign", r.incident);
    auto incident = op.require(*ik, r.incident);
    const std::size_t istatus = index_of(*ik, "status");
    if (text_at(incident, istatus) == "closed") throw UsageError(trf("incident {} is closed: no team can be assigned to it", r.incident));
    const std::size_t tstatus = index_of(*tk, "status");
    const auto& status_field = tk->fields[tstatus];
    std::vector<StoredRecord> teams;
    for (const auto& t : r.teams) {
        auto team = op.require(*tk, t);
        const std::string st = text_at(team, tstatus);
        if (!st.empty() && st != "available") {
            std::string at_incident;
            if (st == "deployed")
                for (const auto& d : store.find_where(*dk, "team_id", t))
                    if (model::is_null(d.values[index_of(*dk, "returned_at")])) at_incident = text_at(d, index_of(*dk, "incident_id"));
            const std::string shown = display_text(status_field, team.values[tstatus]);
            if (at_incident.empty()) throw UsageError(trf("team {} is {}, not available: it cannot be assigned", t, shown));
            throw UsageError(trf("team {} is {} (at incident {}), not available: it cannot be assigned", t, shown, at_incident));
        }
        teams.push_back(std::move(team));
    }
    // A reported incident is being handled once a team goes.
    if (text_at(incident, istatus) == "reported") {
        std::vector<std::pair<std::size_t, model::Value>> values{{istatus, std::string("active")}};
        stamp_status_times(*ik, incident, values, op.at());
        op.set(*ik, incident, values);
    }
    const std::string prefix = "D-" + r.incident + "-";
    std::string next = next_id(store, *dk, prefix);
    int n = std::stoi(next.substr(prefix.size()));
    for (const auto& team : teams) {
        const std::string t = text_at(team, tk->id_index());
        std::vector<model::Value> values(dk->fields.size());
        values[dk->id_index()] = fmt::format("{}{:03d}", prefix, n++);
        values[index_of(*dk, "incident_id")] = r.incident;
        values[index_of(*dk, "team_id")] = t;
        values[index_of(*dk, "assigned_at")] = op.at();
        values[index_of(*dk, "assigned_by")] = ctx.editor.user;
        if (auto e = etas.eta_s.find(t); e != etas.eta_s.end()) values[index_of(*dk, "eta_s")] = std::round(e->second);
        op.insert(*dk, values, incident.point.value_or(geo::Coord{}));
        op.set(*tk, team, {{tstatus, std::string("deployed")}});
    }
    if (!etas.note.empty()) op.result().notes.push_back(etas.note);
    return op.done();
}

namespace {

/// A time a dispatch record is stamped with as the team goes: the field and how it reads.
struct DispatchStamp {
    const char* field;
    const char* refused; ///< the refusal when it is there already (team, time)
};
constexpr DispatchStamp k_departed{"departed_at", N_("team {} departed already at {}")};
constexpr DispatchStamp k_arrived{"arrived_at", N_("team {} arrived already at {}")};

/// Stamps `stamp` (now) on the team's open dispatch to the incident; refused when any of
/// `refuse_if_set` (the stamp itself and the later ones) is there already.
EditResult stamp_dispatch(EditStore& store, const std::string& incident, const std::string& team, const EditContext& ctx,
                          const char* operation, const DispatchStamp& stamp, std::initializer_list<DispatchStamp> refuse_if_set) {
    auto dk = store.kind(k_dispatches_kind);
    Operation op(store, ctx, operation, incident);
    auto d = open_dispatch(store, *dk, incident, team);
    if (!d) throw UsageError(trf("team {} has no open dispatch to incident {}", team, incident));
    for (const DispatchStamp& s : refuse_if_set) {
        const std::size_t i = index_of(*dk, s.field);
        if (!model::is_null(d->values[i])) throw UsageError(trf(s.refused, team, text_at(*d, i)));
    }
    op.set(*dk, *d, {{index_of(*dk, stamp.field), op.at()}});
    return op.done();
}

} // namespace

EditResult depart(EditStore& store, const std::string& incident, const std::string& team, const EditContext& ctx) {
    return stamp_dispatch(store, incident, team, ctx, "dispatch_depart", k_departed, {k_departed, k_arrived});
}

EditResult arrive(EditStore& store, const std::string& incident, const std::string& team, const EditContext& ctx) {
    return stamp_dispatch(store, incident, team, ctx, "dispatch_arrive", k_arrived, {k_arrived});
}

EditResult release(EditStore& store, const std::string& incident, const std::string& team, const std::string& status,
                   const EditContext& ctx) {
    auto dk = store.kind(k_dispatches_kind);
    auto tk = store.kind(k_teams_kind);
    const std::size_t tstatus = index_of(*tk, "status");
    const std::string back = canonical(*tk, "status", team, status.empty() ? "available" : status);
    if (back == "deployed") throw UsageError(tr("a released team cannot stay deployed: give available or resting"));
    Operation op(store, ctx, "dispatch_release", incident);
    auto d = open_dispatch(store, *dk, incident, team);
    if (!d) throw UsageError(trf("team {} has no open dispatch to incident {}", team, incident));
    op.set(*dk, *d, {{index_of(*dk, "returned_at"), op.at()}});
    auto t = op.require(*tk, team);
    op.set(*tk, t, {{tstatus, back}});
    return op.done();
}

EditResult set_team_status(EditStore& store, const std::string& team, const std::string& status, std::optional<std::int64_t> expect_version,
                           const EditContext& ctx) {
    auto tk = store.kind(k_teams_kind);
    auto values = parse_values(*tk, team, {{"status", status}});
    Operation op(store, ctx, "team_status");
    auto t = op.require(*tk, team);
    check_version(store, *tk, t, expect_version, values);
    op.set(*tk, t, values);
    return op.done();
}

// [stock] --------------------------------------------------------------------------------------

EditResult move_stock(EditStore& store, const StockMove& r, const EditContext& ctx) {
    auto wk = store.kind(k_warehouses_kind);
    if (!(r.quantity > 0) || !std::isfinite(r.quantity))
        throw UsageError(trf("the quantity must be more than 0 (got {})", text::format_double(r.quantity)));
    const std::string item(text::trim(r.item));
    if (item.empty()) throw UsageError(tr("name the stock item"));
    if (!r.incident.empty()) {
        auto ik = store.kind(k_incidents_kind);
        if (!store.find(*ik, r.incident)) throw UsageError(trf("{} has no record '{}'", ik->kind, r.incident));
    }
    const std::size_t stock = index_of(*wk, "stock");
    const auto& field = wk->fields[stock];
    Operation op(store, ctx, r.issue ? "stock_issue" : "stock_receive", r.incident);
    auto w = op.require(*wk, r.warehouse);
    nlohmann::ordered_json lines = nlohmann::ordered_json::array();
    if (const auto* t = std::get_if<std::string>(&w.values[stock]); t && !t->empty()) {
        lines = nlohmann::ordered_json::parse(*t, nullptr, false);
        if (!lines.is_array())
            throw FormatError(trf("the stored stock list of warehouse {} is not a JSON array; nothing changed", r.warehouse));
    }
    const std::string key = text::match_key(item);
    nlohmann::ordered_json* line = nullptr;
    for (auto& l : lines)
        if (l.contains("item") && l["item"].is_string() && text::match_key(l["item"].get<std::string>()) == key) {
            line = &l;
            break;
        }
    const std::string wname = record_name(*wk, r.warehouse);
    std::string unit;
    if (r.issue) {
        if (!line) {
            std::string items;
            for (const auto& l : lines)
                if (l.contains("item") && l["item"].is_string())
                    items += (items.empty() ? "" : trc("list separator", ", ")) + l["item"].get<std::string>();
            throw UsageError(
                trf("{} holds no stock of '{}' (it holds: {})", wname, item, items.empty() ? std::string(tr("nothing")) : items));
        }
        const double have = (*line)["quantity"].is_number() ? (*line)["quantity"].get<double>() : 0;
        unit = line->contains("unit") && (*line)["unit"].is_string() ? (*line)["unit"].get<std::string>() : "";
        if (r.quantity > have + 1e-9)
            throw UsageError(trf("{}: stock '{}' holds {} {}, cannot issue {} {} (it would go below 0)", wname, item,
                                 text::format_double(have), unit, text::format_double(r.quantity), unit));
        (*line)["quantity"] = have - r.quantity;
    } else if (line) {
        const double have = (*line)["quantity"].is_number() ? (*line)["quantity"].get<double>() : 0;
        unit = line->contains("unit") && (*line)["unit"].is_string() ? (*line)["unit"].get<std::string>() : "";
        if (!r.unit.empty() && !unit.empty() && text::match_key(r.unit) != text::match_key(unit))
            throw UsageError(trf("{}: stock '{}' is counted in {}, not {}", wname, item, unit, r.unit));
        (*line)["quantity"] = have + r.quantity;
    } else {
        unit = r.unit;
        nlohmann::ordered_json l = {{"item", item}, {"quantity", r.quantity}};
        if (!unit.empty()) l["unit"] = unit;
        lines.push_back(l);
    }
    auto value = parse_field_value(*wk, r.warehouse, field, lines.dump());
    std::vector<std::pair<std::size_t, model::Value>> values{{stock, value}};
    check_version(store, *wk, w, r.expect_version, values);
    const std::string what = r.issue ? trf("issue {} {}{}", item, text::format_double(r.quantity), unit)
                                     : trf("receive {} {}{}", item, text::format_double(r.quantity), unit);
    op.set(*wk, w, values, "edit", what);
    return op.done();
}

// [history and undo] ---------------------------------------------------------------------------

std::int64_t version_seen(const EditStore& store, const std::string& layer, const std::string& id, const std::string& field,
                          const std::string& shown) {
    auto kind = store.kind(layer);
    const auto f = kind->field_index(field);
    if (!f) throw UsageError(trf("{} has no field '{}'", kind->kind, field));
    const auto rec = store.find(*kind, id);
    if (!rec) throw UsageError(trf("{} has no record '{}'", kind->kind, id));
    if (model::to_text(rec->values[*f]) == shown) return rec->version;
    AuditQuery q;
    q.layer = kind->kind;
    q.record_id = id;
    std::int64_t seen = 0;
    for (const auto& e : store.audit(q))
        if (e.field && *e.field == field && e.after && *e.after == shown) seen = std::max(seen, e.version);
    return seen;
}

std::vector<AuditEntry> record_history(const EditStore& store, const std::string& layer, const std::string& id) {
    auto kind = store.kind(layer);
    AuditQuery q;
    q.layer = kind->kind;
    q.record_id = id;
    auto entries = store.audit(q);
    if (entries.empty() && !store.find(*kind, id)) throw UsageError(trf("{} has no record '{}'", kind->kind, id));
    return entries;
}

EditResult undo(EditStore& store, std::int64_t seq, const EditContext& ctx) {
    AuditQuery q;
    q.seq = seq;
    auto found = store.audit(q);
    if (found.empty()) throw UsageError(trf("vigil_audit has no entry {}", seq));
    const AuditEntry e = found.front();
    if (e.action == "insert" || !e.field)
        throw UsageError(trf("entry {} created the record {}: it cannot be undone (edit or close the record instead)", seq, e.record_id));
    auto kind = store.kind(e.layer);
    const auto& f = field_of(*kind, *e.field, e.record_id);
    const std::size_t fi = *kind->field_index(f.name);
    Operation op(store, ctx, "undo", e.incident);
    auto rec = op.require(*kind, e.record_id);
    const model::Value after = value_of_audit_text(f, e.after);
    const model::Value before = value_of_audit_text(f, e.before);
    if (!(rec.values[fi] == after)) {
        // The field moved on since: whoever changed it last is named, as for a stale edit.
        Conflict c;
        c.layer = kind->kind;
        c.record_id = e.record_id;
        c.field = f.name;
        c.seen_version = e.version;
        c.current_version = rec.version;
        c.theirs = display_text(f, rec.values[fi]);
        c.yours = display_text(f, before);
        AuditQuery rq;
        rq.layer = kind->kind;
        rq.record_id = e.record_id;
        rq.after_version = e.version;
        for (const auto& x : store.audit(rq))
            if (x.seq > e.seq && x.field == e.field) {
                c.other_user = x.user;
                c.other_seat = x.seat;
                c.other_at = x.at;
            }
        if (c.other_user.empty()) c.other_user = tr("an import");
        throw EditConflict(std::move(c));
    }
    op.set(*kind, rec, {{fi, before}}, "undo", trf("undo of {}", seq));
    return op.done();
}

// [incident log] -------------------------------------------------------------------------------

IncidentLog incident_log(const EditStore& store, const std::string& incident) {
    auto ik = store.kind(k_incidents_kind);
    if (!store.find(*ik, incident)) throw UsageError(trf("{} has no record '{}'", ik->kind, incident));
    AuditQuery q;
    q.incident = incident;
    const auto entries = store.audit(q);
    IncidentLog log;
    log.incident = incident;
    // One event per (change, record): the field rows of one operation on one record read as one line.
    std::size_t i = 0;
    while (i < entries.size()) {
        std::size_t j = i;
        while (j < entries.size() && entries[j].change_id == entries[i].change_id && entries[j].layer == entries[i].layer &&
               entries[j].record_id == entries[i].record_id)
            ++j;
        const AuditEntry& e = entries[i];
        const std::string op = e.change_id.substr(0, e.change_id.find(':'));
        auto field_after = [&](std::string_view name) {
            for (std::size_t k = i; k < j; ++k)
                if (entries[k].field == name && entries[k].after) return *entries[k].after;
            return std::string();
        };
        LogEvent ev{e.at, "", e.user, e.seat, e.layer, e.record_id, "", e.seq};
        if (e.action == "undo") {
            ev.what = "undo";
            ev.text =
                trf("undo: {} {} {} → {}", e.layer, e.record_id, e.field.value_or(""), e.after ? *e.after : std::string(tr("(empty)")));
        } else if (e.layer == k_incidents_kind && e.action == "insert") {
            ev.what = "opened";
            ev.text = trf("opened: {} ({})", field_after("title"), field_after("incident_type"));
        } else if (e.layer == k_incidents_kind) {
            const std::string status = field_after("status");
            ev.what = op == "incident_close" ? "closed" : status == "active" ? "active" : "updated";
            std::string fields;
            for (std::size_t k = i; k < j; ++k)
                fields += (fields.empty() ? "" : ", ") + entries[k].field.value_or("") + "=" + entries[k].after.value_or("");
            ev.text = ev.what == "closed"   ? trf("closed: {}", fields)
                      : ev.what == "active" ? trf("active: {}", fields)
                                            : trf("updated: {}", fields);
        } else if (e.layer == k_dispatches_kind && e.action == "insert") {
            ev.what = "assigned";
            const std::string eta = field_after("eta_s");
            ev.text = eta.empty() ? trf("assigned: {}", field_after("team_id"))
                                  : trf("assigned: {} ETA {:.1f} min", field_after("team_id"), text::parse_double(eta).value_or(0) / 60);
        } else if (e.layer == k_dispatches_kind) {
            const bool arrived = !field_after("arrived_at").empty(), returned = !field_after("returned_at").empty();
            ev.what = returned ? "released" : arrived ? "arrived" : !field_after("departed_at").empty() ? "departed" : "edit";
            ev.text = returned  ? trf("released: {}", e.record_id)
                      : arrived ? trf("arrived: {}", e.record_id)
                                : trf("updated: {}", e.record_id);
        } else if (e.layer == k_warehouses_kind && (op == "stock_issue" || op == "stock_receive")) {
            ev.what = op == "stock_issue" ? "stock_issued" : "stock_received";
            ev.text = e.record_id + ": " + e.reason;
        } else if (e.layer == k_teams_kind) {
            ev.what = "team_status";
            ev.text = trf("team {} status → {}", e.record_id, field_after("status"));
        } else {
            ev.what = "edit";
            ev.text =
                fmt::format("{} {} {} → {}", e.layer, e.record_id, e.field.value_or(""), e.after ? *e.after : std::string(tr("(empty)")));
        }
        log.events.push_back(std::move(ev));
        i = j;
    }
    return log;
}

// [ETA] ----------------------------------------------------------------------------------------

AssignmentEtas assignment_etas(const LayerSet& layers, const routing::RoadGraph& graph, geo::Coord at,
                               const std::vector<std::string>& teams) {
    AssignmentEtas out;
    DispatchQuery q;
    q.at = at;
    q.kind = std::string(k_teams_kind);
    q.routes = false;
    q.isochrone_minutes.clear();
    const auto sheet = rank_teams(layers, graph, q);
    std::string missing;
    for (const auto& t : teams) {
        bool got = false;
        for (const auto& s : sheet.teams)
            if (s.id == t && s.reachable && std::isfinite(s.eta_s)) {
                out.eta_s[t] = s.eta_s;
                got = true;
            }
        if (!got) missing += (missing.empty() ? "" : ", ") + t;
    }
    if (!missing.empty()) out.note = trf("no ETA for teams the roads do not reach: {}", missing);
    for (const auto& n : sheet.notes) out.note += (out.note.empty() ? "" : "; ") + n;
    return out;
}

// [JSON] ---------------------------------------------------------------------------------------

namespace {
nlohmann::ordered_json json_or_null(const std::optional<std::string>& s) {
    return s ? nlohmann::ordered_json(*s) : nlohmann::ordered_json();
}
} // namespace

nlohmann::ordered_json to_json(const EditResult& r) {
    nlohmann::ordered_json j;
    j["status"] = "committed";
    j["operation"] = r.operation;
    j["change_id"] = r.change_id;
    j["at"] = r.at;
    j["incident"] = r.incident.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(r.incident);
    auto records = nlohmann::ordered_json::array();
    for (const auto& rc : r.records) {
        nlohmann::ordered_json x;
        x["layer"] = rc.layer;
        x["id"] = rc.id;
        x["version"] = rc.version;
        x["inserted"] = rc.inserted;
        auto fields = nlohmann::ordered_json::array();
        for (const auto& f : rc.fields)
            fields.push_back({{"field", f.field},
                              {"before", json_or_null(f.before)},
                              {"after", json_or_null(f.after)},
                              {"before_text", f.before_text},
                              {"after_text", f.after_text},
                              {"audit_seq", f.audit_seq}});
        x["fields"] = fields;
        records.push_back(x);
    }
    j["records"] = records;
    j["audit_seqs"] = r.audit_seqs();
    j["notes"] = r.notes;
    return j;
}

nlohmann::ordered_json to_json(const Conflict& c) {
    nlohmann::ordered_json j;
    j["status"] = "refused";
    j["reason"] = "stale_version";
    j["layer"] = c.layer;
    j["id"] = c.record_id;
    j["field"] = c.field;
    j["seen_version"] = c.seen_version;
    j["current_version"] = c.current_version;
    j["other_user"] = c.other_user;
    j["other_seat"] = c.other_seat;
    j["other_at"] = c.other_at;
    j["theirs"] = c.theirs;
    j["yours"] = c.yours;
    j["message"] = EditConflict(c).what();
    return j;
}

nlohmann::ordered_json to_json(const AuditEntry& e) {
    nlohmann::ordered_json j;
    j["seq"] = e.seq;
    j["at"] = e.at;
    j["user"] = e.user;
    j["seat"] = e.seat;
    j["layer"] = e.layer;
    j["id"] = e.record_id;
    j["field"] = json_or_null(e.field);
    j["before"] = json_or_null(e.before);
    j["after"] = json_or_null(e.after);
    j["action"] = e.action;
    j["reason"] = e.reason;
    j["change_id"] = e.change_id;
    j["version"] = e.version;
    j["incident"] = e.incident.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(e.incident);
    return j;
}

nlohmann::ordered_json to_json(const IncidentLog& log) {
    nlohmann::ordered_json j;
    j["incident"] = log.incident;
    auto events = nlohmann::ordered_json::array();
    for (const auto& e : log.events)
        events.push_back({{"seq", e.seq},
                          {"at", e.at},
                          {"event", e.what},
                          {"user", e.user},
                          {"seat", e.seat},
                          {"layer", e.layer},
                          {"id", e.record_id},
                          {"text", e.text}});
    j["events"] = events;
    return j;
}

nlohmann::ordered_json history_json(const std::string& layer, const std::string& id, const std::vector<AuditEntry>& entries) {
    nlohmann::ordered_json j;
    j["layer"] = layer;
    j["id"] = id;
    auto a = nlohmann::ordered_json::array();
    for (const auto& e : entries) a.push_back(to_json(e));
    j["entries"] = a;
    return j;
}

} // namespace vigil::app
