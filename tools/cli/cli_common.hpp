/// @file
/// What every `vigil` subcommand shares: exit codes, the catalogue location, output helpers,
/// the terminal progress bar, and the registration functions of the subcommands.
#pragma once

#include <vigil/catalog/catalog.hpp>
#include <vigil/geo/geometry.hpp>

#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::cli {

/// Stable exit codes (documented in the README).
enum ExitCode : int {
    k_exit_ok = 0,
    k_exit_error = 1,    ///< I/O, database, damaged input
    k_exit_usage = 2,    ///< a wrong option or argument
    k_exit_refused = 3,  ///< an import refused because of problems in the data
    k_exit_findings = 4, ///< vigil check found records of severity error
};

/// A subcommand's body; returns the exit code.
using Runner = std::function<int()>;

struct Globals {
    std::string layers_dir; ///< --layers; empty = Catalog::default_directory()
    bool quiet = false;
    std::string language; ///< --lang (already applied by choose_language)
};

Globals& globals();

} // namespace vigil::cli
namespace vigil::app {
struct Editor;        // app/edits.hpp
struct IncidentBrief; // app/brief.hpp
} // namespace vigil::app
namespace vigil::cli {

/// Who edits, for the audit table: `by` else $USER, `seat` else this host's name ("unknown"
/// when neither is known). The CLI's edit commands and `vigil view`.
app::Editor editor_of(const std::string& by, const std::string& seat);

/// The layer catalogue from --layers, $VIGIL_LAYERS or the built-in folder.
catalog::Catalog load_catalog();

/// A data file of the layer catalogue (road speeds, stock items, wind rose): `file` when the user
/// named one, else `relative` under the catalogue folder (--layers, $VIGIL_LAYERS, installed or
/// built-in). Returns its text and path, or nothing when `file` is empty and the catalogue has no
/// such file (the caller then falls back to its compiled-in copy, or refuses).
/// @throws vigil::IoError naming `what` and the path when the file cannot be read.
struct CatalogueFile {
    std::string text;
    std::string path;
};
std::optional<CatalogueFile> read_catalogue_file(const std::string& file, const std::filesystem::path& relative, std::string_view what);

/// Throws vigil::UsageError "--layer is required", listing the catalogue's layers (kind and
/// Chinese title), when `layer` is empty. CLI11's own "--layer is required" names none.
void require_layer(const std::string& layer);

/// Parses "LON,LAT" (decimal degrees); throws vigil::UsageError with an example.
geo::Coord parse_lon_lat(const std::string& text);

/// A query point "LON,LAT" in `crs` (wgs84 when empty, cgcs2000, gcj02, bd09) as WGS84.
/// @throws vigil::UsageError for a bad point or CRS.
geo::Coord query_point(const std::string& at, const std::string& crs);

/// The same, where the point may also be a place in the project `db` (app::locate_incident):
/// an enterprise's or hazard source's name, or a road in a county as a dispatcher says it
/// ("G207 温县段"). Coordinates may carry a datum prefix (高德/GCJ02, 百度/BD09). The place found,
/// and what was assumed to find it, are said on stderr (JSON on stdout stays clean).
/// @throws vigil::UsageError naming what was looked for when the place cannot be found.
geo::Coord query_point(const std::string& db, const std::string& at, const std::string& crs);

/// Writes `text` to the file `path` (replacing it), for --geojson outputs.
/// @throws vigil::IoError naming the file if it cannot be opened or written completely.
void write_text_file(const std::string& path, const std::string& text);

/// `s` padded with spaces to `width` terminal columns (CJK characters take two), for text
/// tables; one space after it when it is that wide already.
std::string pad_columns(const std::string& s, std::size_t width);

/// Parses "a,b,c" into words (also accepts ，、; separators).
std::vector<std::string> parse_words(const std::string& text);

/// A progress bar on stderr when it is a terminal; silent otherwise. Redraws at most 10x/s.
class ProgressBar {
public:
    explicit ProgressBar(std::string label);
    ~ProgressBar();
    void update(std::uint64_t done, std::uint64_t total);
    void finish();

private:
    std::string m_label;
    bool m_enabled;
    bool m_drawn = false;
    std::chrono::steady_clock::time_point m_last{};
};

// Subcommand registration: each adds its subcommand to `app` and sets `run` when chosen.
void add_init_command(CLI::App& app, Runner& run);
void add_import_command(CLI::App& app, Runner& run);
void add_nearest_command(CLI::App& app, Runner& run);
void add_within_command(CLI::App& app, Runner& run);
void add_layers_command(CLI::App& app, Runner& run);
void add_imports_command(CLI::App& app, Runner& run);
void add_catalog_command(CLI::App& app, Runner& run);
void add_paths_command(CLI::App& app, Runner& run);
void add_export_command(CLI::App& app, Runner& run);
void add_demo_command(CLI::App& app, Runner& run);
void add_view_command(CLI::App& app, Runner& run);
void add_grade_command(CLI::App& app, Runner& run); // cmd_hazard.cpp (GB 18218 grading)
void add_zone_command(CLI::App& app, Runner& run);  // cmd_hazard.cpp (hazard zones)
void add_stats_command(CLI::App& app, Runner& run); // cmd_stats.cpp (four colours per county)
void add_risk_command(CLI::App& app, Runner& run);  // cmd_risk.cpp (regional individual risk)
void add_serve_command(CLI::App& app, Runner& run); // cmd_serve.cpp (web/server)
void add_user_command(CLI::App& app, Runner& run);  // cmd_user.cpp (the editors of serve --editors)

// cmd_brief.cpp: the incident brief, also for `vigil view` and `vigil serve` (their brief buttons).
struct BriefOptions {
    std::string incident;
    std::size_t k = 5;             ///< ranked teams listed
    std::vector<std::string> need; ///< empty: by the incident's type
    std::string speeds;            ///< speed profile file ("" = the default)
    bool no_roads = false;
};
/// The brief of an incident of project `db` (its log, the dispatch ranking over the road graph).
/// @throws vigil::UsageError naming an unknown incident; what opening the project throws.
app::IncidentBrief build_incident_brief(const std::string& db, const BriefOptions& options);
/// The brief drawn as a one-page PDF.
std::string incident_brief_pdf(const std::string& db, const std::string& incident);
void add_supply_command(CLI::App& app, Runner& run);    // cmd_dispatch.cpp (warehouses covering the needs)
void add_isochrone_command(CLI::App& app, Runner& run); // cmd_dispatch.cpp (reachable areas)
void add_coverage_command(CLI::App& app, Runner& run);  // cmd_dispatch.cpp (the planners' gap map)
void add_check_command(CLI::App& app, Runner& run);     // cmd_check.cpp (the data-quality report)
// cmd_edit.cpp: the dispatchers' audited edits (app/edits.hpp)
void add_incident_command(CLI::App& app, Runner& run); // incident open|update|close|log
void add_dispatch_command(CLI::App& app, Runner& run); // dispatch assign|arrive|release
void add_team_command(CLI::App& app, Runner& run);     // team status
void add_stock_command(CLI::App& app, Runner& run);    // stock issue|receive
void add_history_command(CLI::App& app, Runner& run);  // history LAYER ID
void add_undo_command(CLI::App& app, Runner& run);     // undo AUDIT_SEQ
void add_replay_command(CLI::App& app, Runner& run);   // replay --at TIME
void add_brief_command(CLI::App& app, Runner& run);    // cmd_brief.cpp (the printable incident brief)

} // namespace vigil::cli
