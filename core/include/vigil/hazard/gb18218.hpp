/// @file
/// Major hazard sources per GB 18218-2018 《危险化学品重大危险源辨识》: identification
/// (S = Σ q/Q, major when S ≥ 1) and grading (R = α·Σ β·q/Q, 一级..四级) of one unit's
/// inventory. The standard's tables 1, 2, 3 and 5 (with table 4's β per category) are embedded
/// at build time from layers/reference/, so the same code runs natively and in the browser.
/// Platform-free: std and nlohmann-json only.
#pragma once

#include <vigil/util/error.hpp>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace vigil::hazard {

/// An inventory or a reference table is not acceptable (negative quantity, malformed inventory
/// JSON, unknown category symbol, damaged table). The message names the record and the substance.
class InventoryError : public Error {
public:
    using Error::Error;
};

/// One row of an inventory as the hazard_sources layer stores it (its `inventory` list field).
struct InventoryItem {
    std::string substance; ///< name as the record gives it (Chinese name or alias)
    std::string cas;       ///< CAS number, may be empty
    std::string un_number; ///< UN number, may be empty (not used by GB 18218 tables, kept for reports)
    std::string category;  ///< GB 18218 table 2 symbol(s), e.g. "W5.1" or "J3;W2"; may be empty
    double quantity_t = 0; ///< design maximum inventory in tonnes
};

/// GB 18218-2018 table 1: a named substance and its critical quantity, with what the standard's
/// table does not print but grading needs (layers/reference/gb18218_2018_named_substance_classes.csv):
/// the substance's table 2 categories, whose table 4 β counts for a substance outside table 3, and
/// the substances a row's name lists (煤气: CO and its mixtures with H2 and CH4).
struct NamedSubstance {
    int seq = 0;                      ///< row number in table 1
    std::string name_zh;              ///< as printed, e.g. "氯化氢(无水)"
    std::vector<std::string> aliases; ///< 别名
    std::vector<std::string> cas;     ///< CAS numbers (甲烷/天然气 has two)
    double critical_t = 0;            ///< Q
    /// One entry per hazard of the substance. An entry with several symbols lists the categories
    /// the hazard takes under the unit's conditions (a category 2 flammable liquid is W5.1 above
    /// its boiling point, W5.2 under special process conditions, W5.3 otherwise); the record's
    /// category chooses among them, else the one with the largest β is assumed. Empty: none of
    /// table 2's hazards (三氧化硫).
    std::vector<std::vector<std::string>> hazard_categories;
    std::vector<std::string> also_named; ///< substances the row's name or composition lists (一氧化碳, 焦炉煤气, 丙烷)
    std::vector<std::string> also_cas;   ///< their CAS numbers (630-08-0 for 煤气's CO)
    std::string classification_zh;       ///< the classification behind hazard_categories, in words
};

/// GB 18218-2018 table 2 (critical quantity by hazard category) with the table 4 β.
struct Category {
    std::string symbol;      ///< J1..J5, W1.1..W11
    std::string category_zh; ///< e.g. "易燃液体"
    std::string description_zh;
    double critical_t = 0; ///< Q
    double beta = 1;       ///< table 4 correction factor
};

/// Where a contribution's Q came from.
enum class Basis {
    Table1,  ///< named substance
    Table2,  ///< not in table 1, Q of the record's category
    Unknown, ///< neither: reported, not counted
};

/// How a substance was found in table 1.
enum class MatchedBy { None, Name, Alias, Cas };

/// One inventory row's share of S and R.
struct Contribution {
    InventoryItem item;
    Basis basis = Basis::Unknown;
    MatchedBy matched_by = MatchedBy::None;
    std::string reference;   ///< table 1 name or table 2 symbol used for Q ("" when unknown)
    int table1_seq = 0;      ///< table 1 row number when basis is Table1
    double critical_t = 0;   ///< Q (0 when unknown)
    double ratio = 0;        ///< q/Q (0 when unknown)
    double beta = 0;         ///< β used (0 when unknown)
    std::string beta_source; ///< "table 3" or "table 4 W5.1" (the category whose β was used), in the user's language
    double weighted = 0;     ///< β·q/Q
    std::string note;        ///< why the row is not counted, or the assumptions made, in the user's language (empty if none)
};

enum class Grade { Grade1 = 1, Grade2 = 2, Grade3 = 3, Grade4 = 4, NotMajor = 0 };

/// The grade in the user's language: "grade I" … "grade IV", "not a major hazard source" (一级 …
/// 四级, 未构成重大危险源 in Chinese).
std::string_view grade_text(Grade g);
/// The same always in Chinese (一级 / 二级 / 三级 / 四级 / 未构成重大危险源): the grade_zh value of
/// machine-readable output.
std::string_view grade_label_zh(Grade g);
/// The catalogue's enum value of hazard_sources.grade: grade1..grade4, not_major.
std::string_view grade_value(Grade g);

/// A unit's identification and grading.
struct Assessment {
    std::vector<Contribution> contributions; ///< one per inventory row, in inventory order
    double s = 0;                            ///< Σ q/Q over the rows found in table 1 or 2
    double alpha = 0;                        ///< table 5
    double r = 0;                            ///< α·Σ β·q/Q
    bool major = false;                      ///< S ≥ 1
    Grade grade = Grade::NotMajor;           ///< from R when major
    std::optional<std::int64_t> population;  ///< residents within 500 m, as given
    std::vector<std::string> warnings;       ///< unknown substances and assumptions, in words
};

class Gb18218 {
public:
    /// The tables embedded at build time (layers/reference/gb18218_2018_*.csv). Parsed once.
    static const Gb18218& builtin();
    /// Tables from their CSV text (same columns as layers/reference/; `classes` is
    /// gb18218_2018_named_substance_classes.csv, one row per table 1 row). Throws InventoryError
    /// naming the table and row if one is damaged, names another table 1 substance than its row,
    /// lists an unknown category, or a table 1 row has no classes row.
    static Gb18218 from_csv(std::string_view table1, std::string_view table2, std::string_view table3, std::string_view table5,
                            std::string_view classes);

    const std::vector<NamedSubstance>& named() const { return m_named; }
    const std::vector<Category>& categories() const { return m_categories; }

    /// The table 1 row for an inventory row: by exact name, then name without its bracketed
    /// qualifier, then a substance the row's name lists (also_named, MatchedBy::Name), then alias,
    /// then CAS (the row's or also_cas). Where a name or CAS number fits several rows (硝化纤维素,
    /// 硝酸铵) and does not choose one, the row with the smallest Q is taken (on a tie the larger
    /// β), the conservative reading, and `ambiguous` is set.
    const NamedSubstance* find(const InventoryItem& item, MatchedBy* how = nullptr, bool* ambiguous = nullptr) const;
    const Category* category(std::string_view symbol) const;
    /// Table 3 β for a named toxic gas, by CAS or name.
    std::optional<double> toxic_gas_beta(std::string_view cas, std::string_view name) const;
    /// Table 5 α for the residents within 500 m of the plant boundary.
    double alpha(std::int64_t population) const;
    /// Grade from R (only meaningful for a major hazard source).
    Grade grade_for(double r) const;

    /// The table 4 β of a table 1 substance outside table 3 when the record gives no category:
    /// the largest over its hazards and their alternatives (1 when it has none of table 2's).
    double worst_category_beta(const NamedSubstance& s) const;

    /// Identification and grading of one unit. Q: table 1, else the lowest Q of the record's
    /// table 2 categories. β: table 3, else the largest table 4 β of the substance's categories
    /// (for a table 1 substance its classification, the record choosing among condition-dependent
    /// alternatives; see docs/hazard.md). A missing population takes the largest α (2.0),
    /// so that a grade is never understated, with a warning. Throws InventoryError naming
    /// `record_id` and the substance for a negative or non-finite quantity, a negative
    /// population or an unknown category symbol.
    Assessment assess(std::span<const InventoryItem> inventory, std::optional<std::int64_t> population,
                      std::string_view record_id = {}) const;

private:
    struct Band {
        double min = 0;
        std::optional<double> max_exclusive;
        double value = 0;
    };
    std::vector<NamedSubstance> m_named;
    std::vector<Category> m_categories;
    std::vector<std::pair<std::string, double>> m_toxic_by_cas;
    std::vector<std::pair<std::string, double>> m_toxic_by_name;
    std::vector<Band> m_alpha;
    std::vector<Band> m_grades; ///< value = grade number 1..4
};

/// Parses the JSON text of a hazard_sources `inventory` field: an array of objects with
/// substance, cas, un_number, quantity_t (number or numeric text) and category. Throws
/// InventoryError naming `record_id` (and the substance where there is one) if it is malformed.
std::vector<InventoryItem> parse_inventory(std::string_view json_text, std::string_view record_id);

/// Reference CSV texts embedded at build time (generated source).
namespace embedded {
std::string_view gb18218_table1();
std::string_view gb18218_table2();
std::string_view gb18218_table3();
std::string_view gb18218_table5();
std::string_view gb18218_named_classes();
} // namespace embedded

} // namespace vigil::hazard
