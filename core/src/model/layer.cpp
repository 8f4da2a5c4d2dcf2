#include <vigil/model/layer.hpp>
#include <vigil/model/layer_patch.hpp>

#include <vigil/util/assert.hpp>
#include <vigil/util/bit_copy.hpp>
#include <vigil/util/text.hpp>

#include <bit>
#include <functional>
#include <unordered_set>

namespace vigil::model {

namespace {

constexpr std::uint32_t k_no_row = 0xFFFFFFFFu;
/// A dictionary column holds at most this many distinct values (16-bit codes).
constexpr std::size_t k_max_distinct = 0xFFFF;
/// After this many rows a column whose distinct values exceed half its rows (ids, names,
/// coordinates, measurements) stops coding: a code would only add to the Value it points at.
constexpr std::size_t k_trial_rows = 4096;

std::size_t mix(std::uint64_t x) {
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdull;
    x ^= x >> 33;
    return static_cast<std::size_t>(x);
}

std::size_t id_hash(std::string_view id) { return std::hash<std::string_view>{}(id); }

} // namespace

std::string to_text(const Value& v) {
    if (auto i = std::get_if<std::int64_t>(&v)) return std::to_string(*i);
    if (auto d = std::get_if<double>(&v)) return vigil::text::format_double(*d);
    if (auto s = std::get_if<std::string>(&v)) return *s;
    return {};
}

// --- ColumnBuilder ------------------------------------------------------------------------------

std::size_t ColumnBuilder::Hash::operator()(const Value& v) const {
    switch (v.index()) {
    case 1: return mix(static_cast<std::uint64_t>(std::get<std::int64_t>(v)));
    case 2: return mix(vigil::bit_copy<std::uint64_t>(std::get<double>(v)) ^ 0x9E3779B97F4A7C15ull);
    case 3: return std::hash<std::string>{}(std::get<std::string>(v));
    default: return 0;
    }
}

bool ColumnBuilder::Same::operator()(const Value& a, const Value& b) const {
    if (a.index() != b.index()) return false;
    if (auto x = std::get_if<double>(&a)) return vigil::bit_copy<std::uint64_t>(*x) == vigil::bit_copy<std::uint64_t>(std::get<double>(b));
    return a == b;
}

// A column known to hold at most k_trial_rows rows is never coded: coding would save a few
// kilobytes and cost a hash map of copies of its values (measured: 13 % of the instructions of a
// one-shot `vigil within` at 1M records, whose ~2,900 candidate records are built into a layer).
ColumnBuilder::ColumnBuilder(std::size_t expected_rows) : m_expected(expected_rows) {
    m_column.m_coded = expected_rows == 0 || expected_rows > k_trial_rows;
    if (m_column.m_coded) m_column.m_codes.reserve(expected_rows);
    else m_column.m_values.reserve(expected_rows);
}

void ColumnBuilder::add(Value v) {
    Column& c = m_column;
    if (!c.m_coded) {
        c.m_values.push_back(std::move(v));
        return;
    }
    if (auto it = m_codes.find(v); it != m_codes.end()) {
        c.m_codes.push_back(it->second);
        return;
    }
    const std::size_t rows = c.m_codes.size();
    if (c.m_values.size() >= k_max_distinct || (rows >= k_trial_rows && 2 * c.m_values.size() > rows)) {
        to_plain();
        c.m_values.push_back(std::move(v));
        return;
    }
    const auto code = static_cast<std::uint16_t>(c.m_values.size());
    m_codes.emplace(v, code);
    c.m_values.push_back(std::move(v));
    c.m_codes.push_back(code);
}

void ColumnBuilder::to_plain() {
    Column& c = m_column;
    std::vector<Value> plain;
    plain.reserve(std::max(m_expected, c.m_codes.size() + 1));
    for (auto code : c.m_codes) plain.push_back(c.m_values[code]);
    c.m_values = std::move(plain);
    c.m_codes = {};
    c.m_coded = false;
    m_codes = {};
}

Column ColumnBuilder::finish() {
    m_codes = {};
    Column out = std::move(m_column);
    if (out.m_coded) {
        out.m_codes.shrink_to_fit();
        out.m_values.shrink_to_fit();
    }
    m_column = Column{};
    m_column.m_coded = m_expected == 0 || m_expected > k_trial_rows;
    return out;
}

// --- Layer ----------------------------------------------------------------------------------------

const std::string& Layer::id(std::size_t row) const {
    static const std::string empty;
    const auto& v = m_columns[m_kind->id_index()][row];
    if (auto s = std::get_if<std::string>(&v)) return *s;
    return empty;
}

std::string Layer::text(std::size_t row, std::string_view field) const {
    auto i = m_kind->field_index(field);
    if (!i) return {};
    return to_text(m_columns[*i][row]);
}

std::optional<std::size_t> Layer::find(std::string_view id) const {
    if (m_id_slots.empty()) return std::nullopt;
    const std::size_t mask = m_id_slots.size() - 1;
    const auto& ids = m_columns[m_kind->id_index()];
    for (std::size_t slot = id_hash(id) & mask;; slot = (slot + 1) & mask) {
        const std::uint32_t row = m_id_slots[slot];
        if (row == k_no_row) return std::nullopt;
        if (auto s = std::get_if<std::string>(&ids[row]); s && *s == id) return row;
    }
}

// --- LayerBuilder ---------------------------------------------------------------------------------

LayerBuilder::LayerBuilder(std::shared_ptr<const catalog::LayerKind> kind, std::size_t expected)
    : m_layer(std::make_shared<Layer>()), m_extra(expected), m_updated(expected) {
    VIGIL_ASSERT(kind != nullptr);
    m_layer->m_kind = std::move(kind);
    m_columns.reserve(m_layer->m_kind->fields.size());
    for (std::size_t f = 0; f < m_layer->m_kind->fields.size(); ++f) m_columns.emplace_back(expected);
    m_layer->m_geometries.reserve(expected);
    m_layer->m_fids.reserve(expected);
}

void LayerBuilder::add(std::int64_t fid, std::vector<Value> values, geo::Geometry geometry, std::string extra, std::string updated_at) {
    VIGIL_ASSERT(values.size() == m_columns.size());
    for (std::size_t i = 0; i < values.size(); ++i) m_columns[i].add(std::move(values[i]));
    m_layer->m_geometries.push_back(std::move(geometry));
    m_layer->m_fids.push_back(fid);
    m_extra.add(Value(std::move(extra)));
    m_updated.add(Value(std::move(updated_at)));
}

std::shared_ptr<const Layer> LayerBuilder::finish() {
    Layer& l = *m_layer;
    l.m_columns.clear();
    for (auto& c : m_columns) l.m_columns.push_back(c.finish());
    l.m_extra = m_extra.finish();
    l.m_updated = m_updated.finish();
    index::HilbertRTreeBuilder builder(l.m_geometries.size());
    for (const auto& g : l.m_geometries) builder.add(g.bbox());
    l.m_index = builder.finish();
    // The id lookup: row numbers in an open-addressing table over the ids' hashes.
    const auto& ids = l.m_columns[l.m_kind->id_index()];
    std::size_t slots = 16;
    while (2 * slots < 3 * ids.size()) slots *= 2;
    l.m_id_slots.assign(ids.size() == 0 ? 0 : slots, k_no_row);
    const std::size_t mask = slots - 1;
    for (std::size_t row = 0; row < ids.size(); ++row) {
        const auto* s = std::get_if<std::string>(&ids[row]);
        if (!s) continue;
        std::size_t slot = id_hash(*s) & mask;
        bool repeated = false;
        for (; l.m_id_slots[slot] != k_no_row; slot = (slot + 1) & mask)
            if (std::get<std::string>(ids[l.m_id_slots[slot]]) == *s) {
                repeated = true; // the first row keeps the id, as find() promises
                break;
            }
        if (!repeated) l.m_id_slots[slot] = static_cast<std::uint32_t>(row);
    }
    return std::move(m_layer);
}

// --- patch_layer ----------------------------------------------------------------------------------

std::shared_ptr<const Layer> patch_layer(const Layer& old, LayerPatch patch) {
    const std::size_t fields = old.kind().fields.size();
    // Which held row each upsert replaces; an id that appears twice keeps its last record.
    // The ids are copied first: the records' own strings are moved into the builder.
    const std::size_t id_field = old.kind().id_index();
    std::vector<std::string> upsert_ids(patch.upserts.size());
    std::unordered_map<std::string_view, std::size_t> upsert_of; // id -> index into patch.upserts
    for (std::size_t i = 0; i < patch.upserts.size(); ++i) {
        VIGIL_ASSERT(patch.upserts[i].values.size() == fields);
        if (const auto* id = std::get_if<std::string>(&patch.upserts[i].values[id_field])) upsert_ids[i] = *id;
    }
    for (std::size_t i = 0; i < patch.upserts.size(); ++i)
        if (std::holds_alternative<std::string>(patch.upserts[i].values[id_field])) upsert_of[upsert_ids[i]] = i;
    const std::unordered_set<std::string_view> removed(patch.removed.begin(), patch.removed.end());
    std::vector<std::uint8_t> used(patch.upserts.size(), 0);
    LayerBuilder builder(old.kind_ptr(), old.size() + patch.upserts.size());
    auto add_record = [&](Record& r) {
        builder.add(r.fid, std::move(r.values), std::move(r.geometry), std::move(r.extra), std::move(r.updated_at));
    };
    for (std::size_t row = 0; row < old.size(); ++row) {
        const std::string& id = old.id(row);
        if (auto it = upsert_of.find(id); it != upsert_of.end()) {
            if (!used[it->second]) { // a repeated id (never from the store: its id index is unique) keeps one row
                used[it->second] = 1;
                add_record(patch.upserts[it->second]);
            }
            continue;
        }
        if (removed.count(id)) continue;
        std::vector<Value> values;
        values.reserve(fields);
        for (std::size_t f = 0; f < fields; ++f) values.push_back(old.value(row, f));
        builder.add(old.fid(row), std::move(values), old.geometry(row), old.extra(row), old.updated_at(row));
    }
    for (std::size_t i = 0; i < patch.upserts.size(); ++i) {
        if (used[i]) continue;
        if (auto it = upsert_of.find(upsert_ids[i]); it != upsert_of.end() && it->second != i)
            continue; // an earlier record of an id given twice
        used[i] = 1;
        add_record(patch.upserts[i]);
    }
    return builder.finish();
}

} // namespace vigil::model
