/// @file
/// Turning what a source file says into what the store keeps, field by field, according to the
/// catalogue: "红" -> "red", "是" -> 1, "2024年5月1日" -> "2024-05-01", "500kg" into a tonnes
/// field -> 0.5, "危化品、水域" -> ["hazmat","water"], "液氯 50t; 液氨 100t" -> an inventory.
/// Every refusal comes with a reason a person can act on.
#pragma once

#include <vigil/catalog/catalog.hpp>
#include <vigil/importing/record_source.hpp>
#include <vigil/model/value.hpp>

#include <nlohmann/json_fwd.hpp>

#include <string>
#include <string_view>

namespace vigil::catalog {

struct Normalized {
    model::Value value;  ///< the value to store (Null when the source had none)
    std::string problem; ///< empty when the value is acceptable; otherwise why not
    /// The value is stored, but a check the catalogue declares a warning failed (a credit code's
    /// check character): what to tell the clerk. Empty otherwise.
    std::string warning;
    bool ok() const { return problem.empty(); }
};

/// Normalises one value for `field`. Null in gives Null out with no problem: whether a value is
/// required is the caller's concern (it also applies defaults).
Normalized normalize_value(const Field& field, const importing::RawValue& raw);

/// The value of a JSON default from the catalogue, normalised like an imported one.
Normalized normalize_default(const Field& field);

/// Applies a named check ("uscc", "phone_cn", "cas", "un_number") to `value`, which it may
/// rewrite into canonical form (upper case, separators removed). Returns the problem, or "".
/// `only_check_character` (if given) is set when the value has the right form and only its check
/// character or digit is wrong (a mistyped digit somewhere); `value` is then canonical too.
std::string apply_check(std::string_view check, std::string& value, bool* only_check_character = nullptr);

/// One part of a compound cell and the field it went to.
struct CompoundPart {
    std::size_t field = 0; ///< index into the kind's fields
    std::string value;     ///< the canonical value
    std::string text;      ///< the part as written
};

struct CompoundSplit {
    std::vector<CompoundPart> parts; ///< empty when the text has no separator (not compound)
    std::string problem;             ///< a part no field takes, or two values for one enum field
};

/// Splits `text` of the kind's field `field` (which has a Compound rule) at the rule's
/// separators; consecutive parts are tried joined first ("危化" + "经营" = "危化经营"), then
/// alone, against the field itself and then each `parts_to` field. Exactly one part must name a
/// value of the field itself.
CompoundSplit split_compound(const LayerKind& kind, std::size_t field, std::string_view text);

/// "value (标签), value (标签) ..." — the allowed values of an enum or set field, for messages.
std::string allowed_values_text(const Field& field);

/// Parses a date in the forms registers use (2024-05-01, 2024/5/1, 2024.5.1, 2024年5月1日,
/// 20240501, with or without a time part) into "YYYY-MM-DD"; empty string if it is not a real
/// calendar date between 1900 and 2100.
std::string parse_date(std::string_view text);

/// Reads yes/no in its many spellings (是/否, 有/无, Y/N, true/false, 1/0, √/×); nullopt if none.
std::optional<bool> parse_bool(std::string_view text);

/// A coordinate as decimal degrees or degrees-minutes-seconds (113°14'24.5"E, 113度14分24秒,
/// 35°13.2'N); S and W negate. nullopt if it is neither.
std::optional<double> parse_coordinate(std::string_view text);

/// How a stored value reads for people: an enum value's label, a set's labels in a list, bool as
/// yes/no — in `lang` ("zh", "en"; the user's language, i18n::language(), when empty).
std::string display_value(const Field& field, const model::Value& value, std::string_view lang = {});

/// A stored value as JSON for machine-readable output: bool fields as true/false, set and list
/// fields as arrays, null as null.
nlohmann::json value_json(const Field& field, const model::Value& value);

} // namespace vigil::catalog
