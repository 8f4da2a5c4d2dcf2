/// @file
/// The layer catalogue: what each kind of layer (enterprises, hazard sources, rescue teams, ...)
/// holds, read from one JSON file per kind in layers/ (see docs/catalogue.md for the format).
///
/// A new kind of layer is a new file, not new code: everything the importer, the validator,
/// the store, the queries and the viewer need to know about a kind is in its file — fields,
/// types, units, allowed values and their synonyms, import aliases in Chinese and English,
/// validation rules and symbology. Code only knows field *roles* (id, name, capabilities,
/// status, ...), which a kind may or may not give to one of its fields.
#pragma once

#include <vigil/util/i18n.hpp>

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace vigil::catalog {

/// A text in the two languages the bureau works in.
struct Label {
    std::string zh;
    std::string en;
    /// "中文 (English)" style display, or whichever exists (a deliberately bilingual place only:
    /// `vigil catalog` lists both for the people who write the catalogue).
    std::string both() const;
    /// The text in `lang`, else the other one (a catalogue file with one language only).
    const std::string& in(i18n::Language lang) const;
    /// The text in the user's language (i18n::language()): what every label shows.
    const std::string& text() const { return in(i18n::language()); }
};

enum class FieldType : std::uint8_t {
    Text,    ///< UTF-8 text (max_length, pattern, check)
    Integer, ///< 64-bit integer, optional unit
    Real,    ///< double, optional unit
    Bool,    ///< 是/否, yes/no, true/false, 1/0, Y/N, 有/无 ...
    Date,    ///< stored as ISO 8601 YYYY-MM-DD; many input forms accepted
    Enum,    ///< one of `values` (synonyms map to the canonical value)
    Set,     ///< any number of `values`, stored as a JSON array of canonical values
    List,    ///< nested records described by `item_fields`, stored as a JSON array of objects
};

std::string_view field_type_name(FieldType t);

/// One allowed value of an Enum or Set field.
struct EnumValue {
    std::string value; ///< canonical, stored form (ASCII snake_case)
    Label label;
    std::vector<std::string> synonyms;
};

/// Roles tie a kind's fields to behaviour in code (queries, the viewer) without naming fields.
enum class FieldRole : std::uint8_t {
    None,
    Id,           ///< the record's stable identifier: re-imports update by it
    Name,         ///< what to show and search
    Category,     ///< the main classification (industry, team type, road class ...)
    Capabilities, ///< what a unit can do (`--need`)
    Status,       ///< availability (`--status`)
    County,       ///< the county-level area it belongs to (statistics)
    Risk,         ///< the four-colour risk level
    Turnout,      ///< minutes before a team leaves its base
    Phone,        ///< how to reach the unit now (a team's duty phone: dispatch lists it)
};

std::string_view field_role_name(FieldRole r);

/// A field the import accepts empty but the bureau's work needs filled (a team's duty phone:
/// dispatch calls it). `vigil check` lists the records without it (check `missing_value`).
struct Expectation {
    Label why;          ///< what the value is needed for, shown with each finding
    bool error = false; ///< severity of a missing value: error, else warning
};

/// A cell that names values of several fields at once, as clerks write them ("工贸-粉尘涉爆":
/// the industry and a special hazard). Declared on the field whose column it is; the parts,
/// split at `separators`, go to whichever of this field and `parts_to` has them as values.
struct Compound {
    std::vector<std::string> separators; ///< "-", "－", "—", "/" ...
    std::vector<std::string> parts_to;   ///< other enum/set fields of the kind that may take a part
};

struct Field {
    std::string name; ///< column name in the project database (ASCII snake_case)
    FieldType type = FieldType::Text;
    FieldRole role = FieldRole::None;
    Label label;
    std::vector<std::string> aliases; ///< column names accepted on import (any language)
    bool required = false;
    std::string default_json;       ///< JSON text of the value used when the source has none ("" = none)
    std::string unit;               ///< canonical unit of Integer/Real fields ("t", "min", "km/h", "person")
    std::string unit_field;         ///< in list items: the sibling text field that receives a unit given with the value
    std::optional<double> min, max; ///< inclusive range of numbers
    std::size_t max_length = 0;     ///< in characters (code points); 0 = no limit beyond the global 1 MiB
    std::string pattern;            ///< ECMAScript regular expression the whole text must match
    std::string pattern_hint;       ///< what the pattern means, for messages
    std::string check;              ///< a named check: "uscc", "phone_cn", "cas", "un_number"
    /// A value whose check character (or digit) is wrong but which is otherwise well formed is
    /// imported and reported as a warning (`"check_severity": "warning"`); refused otherwise, and
    /// always with --strict. A value of the wrong form is always refused.
    bool check_warning = false;
    std::optional<Compound> compound; ///< enum fields: a cell may hold values of other fields too
    /// The kind whose id this field holds: the first of `reference_kinds` ("" = none). Code that
    /// knows one referenced kind reads this; a field may name several (`"references":
    /// ["rescue_teams", "warehouses"]`: equipment is held by a team or by a warehouse).
    std::string references;
    /// Every kind whose ids this field may hold, in the catalogue's order; the id names a record of
    /// whichever of them has it.
    std::vector<std::string> reference_kinds;
    /// With references, on a point kind: a record imported without coordinates is placed at the
    /// record this field names, and the import says so (never silently: each such record is
    /// listed in the import's notes, and `mark`, a bool field of the kind, is set true on it).
    struct LocationFallback {
        std::string mark; ///< a bool field set true on records placed so ("" = none)
    };
    std::optional<LocationFallback> location_fallback;
    /// When a file has no column for this field, the column of this other field fills it too
    /// (the enterprises' id falls back to the credit code). Column-level, never per cell: a
    /// layer keyed partly by 编号 and partly by credit code would match records wrongly.
    std::string fallback_field;
    // What `vigil check` (app::run_checks) expects of the data beyond what the import enforces.
    std::optional<Expectation> expected; ///< the value should be there (not in list items)
    /// With `references`: the record lies within this many metres of the record it references
    /// (a hazard source of its enterprise). Not in list items.
    std::optional<double> within_m;
    /// A numeric field holding the least value the sibling numeric field `minimum_of` should hold
    /// (a stock line's minimum reserve for its quantity; in the same unit).
    std::string minimum_of;
    /// A date field that must be renewed within this many years (an emergency plan's revision).
    std::optional<double> renew_years;
    std::vector<EnumValue> values;  ///< Enum and Set
    std::vector<Field> item_fields; ///< List
    /// match_key of every value, label and synonym -> index into `values` (built when the
    /// catalogue is read, so that a million imported cells each cost one hash lookup).
    std::unordered_map<std::string, std::size_t> value_keys;

    /// The allowed value whose value, label or synonym matches `text` (match_key comparison).
    const EnumValue* find_value(std::string_view text) const;
    const EnumValue* value_named(std::string_view canonical) const;
    const Field* item_field(std::string_view name) const;
};

enum class GeometryKind : std::uint8_t { Point, Line, Polygon };

std::string_view geometry_kind_name(GeometryKind g);

/// The look of a layer on the map, as the catalogue file states it. Colours are "#RRGGBB" or
/// "#RRGGBBAA" strings; the viewer parses them.
struct Symbology {
    std::string marker = "circle"; ///< circle, square, triangle, diamond, star, cross
    double size = 7;               ///< marker size in screen pixels (at 1x scale)
    std::string fill = "#9E9E9E";
    std::string stroke = "#FFFFFF";
    double stroke_width = 1;
    std::string color_field;                   ///< colour by this field's value ...
    std::map<std::string, std::string> colors; ///< ... canonical value -> colour
    std::string width_field;                   ///< line width by this field's value ...
    std::map<std::string, double> widths;      ///< ... canonical value -> width
    std::string size_field;                    ///< marker size by this field's value ...
    std::map<std::string, double> sizes;       ///< ... canonical value -> size in pixels
    std::string label_field;                   ///< field shown as the label
    int label_priority = 0;                    ///< higher wins when labels collide
    double label_min_zoom = 0;                 ///< labels only from this zoom
    /// "label": {"keep": true}: every feature in view is named, placed before all other labels
    /// and never given up for points or clusters (county names); it may move inside its area.
    bool label_keep = false;
    /// "quiet": {"field", "values", "fill", "size"}: features whose `quiet_field` holds one of
    /// `quiet_values` are drawn small and muted (hazard sources below the major-hazard
    /// threshold), unless selected or the layer is filtered to such values.
    std::string quiet_field;
    std::vector<std::string> quiet_values;
    std::string quiet_fill = "#9E9E9EB3";
    double quiet_size = 5;
    bool cluster = false; ///< cluster dense points at small scales
    int z_order = 0;      ///< drawing order, higher on top
};

struct LayerKind {
    std::string kind; ///< table name in the project database
    Label title;
    Label description;
    std::vector<std::string> aliases;
    GeometryKind geometry = GeometryKind::Point;
    std::vector<Field> fields; ///< in column order; exactly one has role Id
    Symbology symbology;
    /// How often, in days, the bureau expects each record to be confirmed or updated; records
    /// whose stored updated_at is older are listed by `vigil check` (check `stale_record`).
    std::optional<double> refresh_days;
    std::string source_path; ///< the file it was read from (for messages)
    std::string definition;  ///< the file's JSON text, stored in each project database

    const Field* field(std::string_view name) const;
    std::optional<std::size_t> field_index(std::string_view name) const;
    const Field* field_with_role(FieldRole role) const;
    std::optional<std::size_t> index_of_role(FieldRole role) const;
    /// The index of the id field (always present; checked when the catalogue is read).
    std::size_t id_index() const;
};

/// Parses one catalogue file's JSON. Throws vigil::SchemaError naming `source_path` and the
/// JSON path of the problem (e.g. "layers/x.json: fields[3].values[1]: 'value' is missing").
LayerKind parse_layer_kind(std::string_view json_text, const std::string& source_path);

/// Column names the store reserves for itself; a catalogue field may not use them.
const std::vector<std::string>& reserved_column_names();

class Catalog {
public:
    Catalog() = default;

    /// Reads every `*.json` file directly inside `dir` (subfolders such as demo/ are ignored).
    /// Throws vigil::IoError if the folder cannot be read, vigil::SchemaError on a bad file or two
    /// files claiming the same kind.
    static Catalog load_directory(const std::filesystem::path& dir);

    /// The folder to read when none is given: $VIGIL_LAYERS, else the folder compiled in.
    static std::filesystem::path default_directory();

    /// Adds a kind (replacing one of the same name). Used when reading a project database's
    /// stored definitions.
    void add(LayerKind kind);

    const std::vector<std::shared_ptr<const LayerKind>>& kinds() const { return m_kinds; }
    /// By kind name or alias (match_key comparison); nullptr if unknown.
    std::shared_ptr<const LayerKind> find(std::string_view name_or_alias) const;
    /// Like find(), but throws vigil::UsageError listing the known kinds.
    std::shared_ptr<const LayerKind> get(std::string_view name_or_alias) const;
    /// "可用图层 the layers are: enterprises（企业）, hazard_sources（危险源）, ..." for messages.
    std::string kinds_text() const;
    bool empty() const { return m_kinds.empty(); }

private:
    std::vector<std::shared_ptr<const LayerKind>> m_kinds;
};

} // namespace vigil::catalog
