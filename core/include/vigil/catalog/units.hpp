/// @file
/// Units of measure for catalogue fields and stock lines: "5t", "500 kg", "30分钟", "2000千克".
/// Each unit belongs to a dimension and has a factor to that dimension's base unit, so values
/// convert between any two units of one dimension. Counted things (个, 件, 袋, 套 ...) form
/// the "count" dimension with factor 1 — a 沙袋 count converts only to another count.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace vigil::units {

enum class Dimension { Mass, Length, Time, Volume, Area, Speed, Count, Person };

struct Unit {
    std::string_view symbol; ///< canonical symbol ("t", "kg", "min", "m3", "km/h", "item")
    Dimension dimension;
    double to_base; ///< multiply by this to get the base unit (kg, m, s, m3, m2, m/s, 1)
};

/// Looks a unit up by symbol or any spelling (吨, 公斤, 千克, 分钟, 立方米, 个 ...),
/// ignoring case, spaces and width; nullptr if unknown.
const Unit* find_unit(std::string_view text);

/// A number with the unit written after it, e.g. "5t", "2,000 kg", "30 分钟", "3000".
struct Quantity {
    double value = 0;
    std::string unit_text; ///< as written (trimmed), empty if none
    const Unit* unit = nullptr;
};

/// Parses "<number>[ ]<unit>". Returns nullopt if there is no leading number or the rest is
/// not a known unit (an unknown unit is not silently dropped).
std::optional<Quantity> parse_quantity(std::string_view text);

/// Converts `value` from one unit to another of the same dimension; nullopt across dimensions.
std::optional<double> convert(double value, const Unit& from, const Unit& to);

std::string_view dimension_name(Dimension d);

} // namespace vigil::units
