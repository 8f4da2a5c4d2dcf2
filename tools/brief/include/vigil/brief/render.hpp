/// @file
/// The incident brief on paper: one A4 portrait page drawn with cairo from app::IncidentBrief —
/// the title, the facts, a map (county boundaries, roads, the incident, the ranked teams by number,
/// a scale bar, a north arrow, a legend), the ranked teams with ETA and duty phone, the assigned
/// teams, the warehouses, the log, the notes, the data date and the footer. Text in "Noto Sans
/// CJK SC" (fonts-noto-cjk). docs/brief.md.
#pragma once

#include <vigil/app/brief.hpp>

#include <filesystem>
#include <string>

namespace vigil::brief {

/// The page's size in points (A4: 210 × 297 mm).
constexpr double k_page_width_pt = 595.2756;
constexpr double k_page_height_pt = 841.8898;

/// Writes the brief as a one-page vector PDF (the font embedded as a subset).
/// @throws vigil::IoError naming the file when it cannot be written.
void write_pdf(const app::IncidentBrief& brief, const std::filesystem::path& path);

/// The one-page PDF as bytes (what `vigil serve` sends a page, and the viewers save).
std::string pdf_bytes(const app::IncidentBrief& brief);

/// Writes the brief as a PNG of the A4 page at `dpi` (300: 2480 × 3508 pixels).
/// @throws vigil::IoError naming the file when it cannot be written.
void write_png(const app::IncidentBrief& brief, const std::filesystem::path& path, double dpi = 300);

/// write_pdf or write_png by the file's extension (.pdf / .png, any case).
/// @throws vigil::UsageError for another extension, vigil::IoError as above.
void write_page(const app::IncidentBrief& brief, const std::filesystem::path& path);

} // namespace vigil::brief
