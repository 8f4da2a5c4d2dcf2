#include <vigil/importing/existing_records.hpp>

#include <vigil/catalog/catalog.hpp>
#include <vigil/util/i18n.hpp>

#include <algorithm>
#include <set>

namespace vigil::importing {

void RowNumberTally::add(const std::string& id) {
    ++m_count;
    if (!m_all_whole) return;
    // Up to 9 digits: a spreadsheet's 序号, not a 10+ digit code that happens to be numeric.
    if (id.empty() || id.size() > 9 || !std::all_of(id.begin(), id.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        m_all_whole = false;
        return;
    }
    std::uint64_t n = std::stoull(id);
    m_min = std::min(m_min, n);
    m_max = std::max(m_max, n);
}

bool RowNumberTally::looks_like_row_numbers(std::uint64_t rows_read) const {
    return m_all_whole && m_count > 0 && m_min <= 1 && m_max <= rows_read;
}

namespace {

// "'温县化工厂' (温县, from 温县.csv)": what is known of one side of a would-be replacement.
std::string side(const std::string& name, const std::string& county, const std::string& file) {
    std::string out = name.empty() ? std::string() : trf("'{}'", name);
    if (!county.empty() && !file.empty()) return trf("{} ({}, from {})", out, county, file);
    if (!county.empty()) return trf("{} ({})", out, county);
    if (!file.empty()) return trf("{} (from {})", out, file);
    return out;
}

std::string join(const std::set<std::string>& items) {
    std::string out;
    // TRANSLATORS: the separator of a list of files or counties ("温县.csv, 沁阳.csv").
    const char* sep = tr(", ");
    for (const auto& i : items) out += (out.empty() ? "" : sep) + i;
    return out;
}

} // namespace

std::string format_update_refusal(const std::string& file, const std::string& layer_kind, const std::string& layer_title_zh,
                                  const UpdateRefusal& r) {
    // TRANSLATORS: {1} is the layer's id (enterprises), {0} its Chinese title (企业); the English
    // text names the id only ({0:.0} prints nothing). Chinese: 「{0}」（{1}）.
    const std::string layer = trf("{1}{0:.0}", layer_title_zh, layer_kind);
    std::string out = r.count == 1 ? trf("import refused: {} record of {} has an id that layer {} already holds, and importing would "
                                         "overwrite the stored record; the database is unchanged.",
                                         r.count, file, layer)
                                   : trf("import refused: {} records of {} have ids that layer {} already holds, and importing "
                                         "would overwrite the stored records; the database is unchanged.",
                                         r.count, file, layer);
    out += "\n";
    for (const auto& w : r.first) {
        out += trf("  id {} (row {}): stored {} → new {}", w.id, w.row, side(w.stored_name, w.stored_county, w.stored_file),
                   side(w.new_name, w.new_county, {})) +
               "\n";
    }
    if (r.count > r.first.size()) out += trf("  … and {} more", r.count - r.first.size()) + "\n";

    // Why these ids probably do not name the same things: row numbers, another file, another county.
    std::set<std::string> other_files, stored_counties, new_counties;
    for (const auto& w : r.first) {
        if (!w.stored_file.empty() && w.stored_file != file) other_files.insert(w.stored_file);
        if (!w.stored_county.empty() && !w.new_county.empty() && w.stored_county != w.new_county) {
            stored_counties.insert(w.stored_county);
            new_counties.insert(w.new_county);
        }
    }
    const bool suspicious = r.ids_look_like_row_numbers || !stored_counties.empty();
    if (suspicious) {
        std::string why = r.ids_look_like_row_numbers ? trf("the ids look like row numbers (whole numbers up to {})", r.largest_row_number)
                                                      : std::string(tr("the ids are the same"));
        if (!other_files.empty() && !stored_counties.empty())
            why = trf("{}, but the stored records come from another file ({}) and belong to another county ({}; the file says {})", why,
                      join(other_files), join(stored_counties), join(new_counties));
        else if (!other_files.empty()) why = trf("{}, but the stored records come from another file ({})", why, join(other_files));
        else if (!stored_counties.empty())
            why = trf("{}, but the stored records belong to another county ({}; the file says {})", why, join(stored_counties),
                      join(new_counties));
        why = r.ids_look_like_row_numbers ? trf("{}: each file was probably numbered on its own, and these are not the same records.", why)
                                          : trf("{}: these are probably not the same records.", why);
        std::string use = r.fallback_field.empty()
                              ? std::string(tr("Use a column that really identifies the records: --map id=COLUMN."))
                              : trf("Use a column that really identifies the records: --map id=COLUMN; without an id column the "
                                    "records are keyed by field {} ({}).",
                                    r.fallback_field, catalog::Label{r.fallback_label_zh, r.fallback_label_en}.text());
        out += "  " + why + " " + use + "\n";
    }
    out += std::string(tr("  to overwrite these records add --update; to replace the whole layer with this file, --replace-layer; "
                          "the previous version of every changed or removed record is kept in the record_history table.")) +
           "\n";
    return out;
}

} // namespace vigil::importing
