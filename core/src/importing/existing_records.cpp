#include <vigil/importing/existing_records.hpp>

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

// "「温县化工厂」（温县，来自 温县.csv）": what is known of one side of a would-be replacement.
std::string side(const std::string& name, const std::string& county, const std::string& file) {
    std::string out = name.empty() ? std::string() : "「" + name + "」";
    std::string more;
    if (!county.empty()) more = county;
    if (!file.empty()) more += (more.empty() ? "" : "，") + std::string("来自 ") + file;
    if (!more.empty()) out += "（" + more + "）";
    return out;
}

std::string join(const std::set<std::string>& items, const char* sep) {
    std::string out;
    for (const auto& i : items) out += (out.empty() ? "" : sep) + i;
    return out;
}

} // namespace

std::string format_update_refusal(const std::string& file, const std::string& layer_kind, const std::string& layer_title_zh,
                                  const UpdateRefusal& r) {
    const std::string n = std::to_string(r.count);
    std::string out = "导入被拒绝：" + file + " 有 " + n + " 条记录的编号已在图层「" + layer_title_zh + "」（" + layer_kind +
                      "）中，导入会改写这些已存记录；数据库未改动。\n";
    out += "import refused: " + n + (r.count == 1 ? " record" : " records") + " of " + file + (r.count == 1 ? " has an id" : " have ids") +
           " that layer " + layer_kind + " already holds, and importing would overwrite the stored " +
           (r.count == 1 ? "record" : "records") + "; the database is unchanged.\n";
    for (const auto& w : r.first) {
        out += "  编号 " + w.id + "（第 " + std::to_string(w.row) + " 行 row " + std::to_string(w.row) + "）：已存 stored " +
               side(w.stored_name, w.stored_county, w.stored_file) + " → 新 new " + side(w.new_name, w.new_county, {}) + "\n";
    }
    if (r.count > r.first.size())
        out += "  ……另有 " + std::to_string(r.count - r.first.size()) + " 条 and " + std::to_string(r.count - r.first.size()) + " more\n";

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
        std::string zh = "  ", en = "  ";
        if (r.ids_look_like_row_numbers) {
            const std::string top = std::to_string(r.largest_row_number);
            zh += "这些编号看起来是行号（都是不大于 " + top + " 的整数）";
            en += "the ids look like row numbers (whole numbers up to " + top + ")";
        } else {
            zh += "编号相同";
            en += "the ids are the same";
        }
        if (!other_files.empty() || !stored_counties.empty()) {
            zh += "，而已存的记录";
            en += ", but the stored records";
            if (!other_files.empty()) {
                zh += "来自另一个文件（" + join(other_files, "、") + "）";
                en += " come from another file (" + join(other_files, ", ") + ")";
            }
            if (!stored_counties.empty()) {
                zh += std::string(other_files.empty() ? "" : "、") + "属于另一个县区（" + join(stored_counties, "、") + "；文件中是 " +
                      join(new_counties, "、") + "）";
                en += std::string(other_files.empty() ? "" : " and") + " belong to another county (" + join(stored_counties, ", ") +
                      "; the file says " + join(new_counties, ", ") + ")";
            }
        }
        zh += r.ids_look_like_row_numbers ? "：多半是每个文件各自从 1 编号，并非同一批记录。" : "：多半并非同一批记录。";
        en += r.ids_look_like_row_numbers ? ": each file was probably numbered on its own, and these are not the same records. "
                                          : ": these are probably not the same records. ";
        zh += "请用真正能区分记录的编号列：--map id=列名";
        en += "Use a column that really identifies the records: --map id=COLUMN";
        if (!r.fallback_field.empty()) {
            zh += "；不给编号列时按「" + r.fallback_label_zh + "」作编号";
            en += "; without an id column the records are keyed by field " + r.fallback_field + " (" + r.fallback_label_en + ")";
        }
        out += zh + "。\n" + en + ".\n";
    }
    out += "  确要改写这些记录：加 --update；要用此文件替换整个图层：加 --replace-layer。被改写或删除的记录，旧版本都保存在 record_history "
           "表中。\n";
    out += "  to overwrite these records add --update; to replace the whole layer with this file, --replace-layer; "
           "the previous version of every changed or removed record is kept in the record_history table.\n";
    return out;
}

} // namespace vigil::importing
