/// @file
/// What an import may do to records a layer already holds. By default nothing: an import whose
/// ids would change stored records is refused, and the refusal names how many and which, so a
/// second county's register numbered 1, 2 … cannot silently replace the first county's.
/// Updating takes `--update` (records of the file replace those with their ids) or
/// `--replace-layer` (the layer becomes the file: other records are removed too); either way
/// the previous version of every changed or removed record is kept in `record_history`.
/// A record the file repeats unchanged is not an update: re-importing the same file is allowed.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace vigil::importing {

enum class OnExisting : std::uint8_t {
    Refuse,       ///< default: refuse the import if any stored record would change
    Update,       ///< --update: records of the file replace the stored ones with their ids
    ReplaceLayer, ///< --replace-layer: as Update, and stored records not in the file are removed
};

/// One stored record an import would change.
struct WouldReplace {
    std::string id;
    std::uint64_t row = 0;   ///< where the new version is in the file
    std::string stored_name; ///< the name-role field of the stored and the new record ("" if none)
    std::string new_name;
    std::string stored_county; ///< the county-role field of both ("" if none)
    std::string new_county;
    std::string stored_file; ///< the file the stored record was imported from ("" if unknown)
};

/// Why an import was refused for changing stored records.
struct UpdateRefusal {
    std::uint64_t count = 0;         ///< records of the file that would change a stored record
    std::vector<WouldReplace> first; ///< the first few of them, in file order
    /// Every id of the file is a whole number from 1 (or 0) up to at most the file's row count:
    /// what a spreadsheet's 序号 column holds, not an identifier of the thing.
    bool ids_look_like_row_numbers = false;
    std::uint64_t largest_row_number = 0; ///< the largest such id, when they look like row numbers
    /// The field that keys the records when a file has no id column (the id's fallback_field),
    /// named and labelled in both languages; empty when the kind has none.
    std::string fallback_field, fallback_label_zh, fallback_label_en;
};

/// How many would-be replacements a refusal lists.
constexpr std::size_t k_would_replace_listed = 10;

/// Tallies the ids of a file to tell whether they look like row numbers.
class RowNumberTally {
public:
    void add(const std::string& id);
    /// True when every id added is a whole number, the smallest is 0 or 1 and the largest at
    /// most `rows_read` (the file's record count).
    bool looks_like_row_numbers(std::uint64_t rows_read) const;
    std::uint64_t largest() const { return m_max; }

private:
    bool m_all_whole = true;
    std::uint64_t m_count = 0, m_min = UINT64_MAX, m_max = 0;
};

/// The refusal in words, Chinese then English, several lines: what would change (count, the
/// first few ids with the stored and the new name), why the ids look wrong when they do (row
/// numbers, another county, another file), and what to do (--update, --replace-layer, a real id
/// column). `file` is the file's name as shown; `layer` the layer's kind and title.
std::string format_update_refusal(const std::string& file, const std::string& layer_kind, const std::string& layer_title_zh,
                                  const UpdateRefusal& refusal);

} // namespace vigil::importing
