/// @file
/// A stored attribute value: what one cell of a layer table holds after validation.
///   Null | Integer (also bool 0/1) | Real | Text (also dates, enum values, and the JSON text of
///   set and list fields).
#pragma once

#include <cstdint>
#include <string>
#include <variant>

namespace vigil::model {

using Value = std::variant<std::monostate, std::int64_t, double, std::string>;

inline bool is_null(const Value& v) { return std::holds_alternative<std::monostate>(v); }

/// Plain text of a value ("" for null; numbers in shortest round-trip form).
std::string to_text(const Value& v);

} // namespace vigil::model
