/// @file
/// RawValue::to_display: the text a person would type for a raw value, used in problem reports
/// ("row 12: '1e+309' is not a number") and when a text field receives a number.

#include <vigil/importing/record_source.hpp>
#include <vigil/util/text.hpp>

#include <string>

namespace vigil::importing {

std::string RawValue::to_display() const {
    switch (kind) {
    case Kind::Null: return {};
    case Kind::Bool: return boolean ? "true" : "false";
    case Kind::Integer: return std::to_string(integer);
    // Shortest round-trip form: 113.2 shows as "113.2", never "113.200000000000003".
    case Kind::Real: return text::format_double(real);
    case Kind::Text:
    case Kind::Json: return text;
    }
    return {};
}

} // namespace vigil::importing
