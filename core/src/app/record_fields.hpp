/// @file
/// Internal to the application services: a record's fields read by name, as the services that
/// gather facts for people (the brief, the wall's board) show them.
#pragma once

#include <vigil/catalog/normalize.hpp>
#include <vigil/model/layer.hpp>
#include <vigil/model/value.hpp>
#include <vigil/util/i18n.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace vigil::app::record_fields {

/// A field's value as people read it (enum labels in Chinese), "" when empty or no such field.
inline std::string shown(const model::Layer& l, std::size_t row, std::string_view field) {
    const auto i = l.kind().field_index(field);
    if (!i) return {};
    const auto& v = l.value(row, *i);
    if (model::is_null(v)) return {};
    return catalog::display_value(l.kind().fields[*i], v, i18n::language() == i18n::Language::en ? "en" : "zh"); // the user's language
}

/// A numeric field's value; none when empty, not a number or no such field.
inline std::optional<double> number(const model::Layer& l, std::size_t row, std::string_view field) {
    const auto i = l.kind().field_index(field);
    if (!i) return std::nullopt;
    const auto& v = l.value(row, *i);
    if (const auto* d = std::get_if<double>(&v)) return *d;
    if (const auto* n = std::get_if<std::int64_t>(&v)) return static_cast<double>(*n);
    return std::nullopt;
}

/// The record's name field, else its id.
inline std::string name_or_id(const model::Layer& l, std::size_t row) {
    const std::string n = l.text(row, "name");
    return n.empty() ? l.id(row) : n;
}

} // namespace vigil::app::record_fields
