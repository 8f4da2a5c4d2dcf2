#include <vigil/gdal/importer.hpp>

#include <vigil/gdal/gdal_source.hpp>
#include <vigil/gdal/proj_transform.hpp>
#include <vigil/importing/field_mapping.hpp>
#include <vigil/io/csv_reader.hpp>
#include <vigil/io/geojson_reader.hpp>
#include <vigil/native/file_digest.hpp>
#include <vigil/native/project_writer.hpp>
#include <vigil/native/report_file.hpp>
#include <vigil/native/transcode.hpp>
#include <vigil/store/project_reader.hpp>
#include <vigil/util/error.hpp>
#include <vigil/util/i18n.hpp>
#include <vigil/util/text.hpp>

#include <nlohmann/json.hpp>

#include <unistd.h>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <fstream>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <sstream>
#include <thread>
#include <unordered_map>

namespace vigil::gdal {

namespace fs = std::filesystem;
// The import writes through the native store (vigil_native_store).
using native::ImportProvenance;
using native::ProjectWriter;
using native::ReportFile;
using native::sha256_file;
using native::to_utf8;
using native::utc_now;

namespace {

enum class Reader { GeoJson, Csv, Gdal };

Reader pick_reader(const fs::path& file) {
    const std::string name = file.filename().string();
    for (const char* ext : {".geojson", ".json", ".geojsonl", ".geojsons", ".ndjson", ".geojsonseq"})
        if (vigil::text::ends_with_ci(name, ext)) return Reader::GeoJson;
    for (const char* ext : {".csv", ".tsv", ".txt"})
        if (vigil::text::ends_with_ci(name, ext)) return Reader::Csv;
    return Reader::Gdal;
}

std::string read_file(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    if (!in) throw IoError(trf("cannot read '{}'", p.string()));
    std::string s;
    in.seekg(0, std::ios::end);
    s.resize(static_cast<std::size_t>(in.tellg()));
    in.seekg(0);
    in.read(s.data(), static_cast<std::streamsize>(s.size()));
    if (!in) throw IoError(trf("error reading '{}'", p.string()));
    return s;
}

// Catches files that are not what their name says before a parser produces a confusing error.
void sniff(const fs::path& file, const std::string& head, Reader reader) {
    auto starts = [&](std::string_view magic) { return head.rfind(magic, 0) == 0; };
    const std::string first = head.substr(0, 512);
    std::string_view h = vigil::text::trim(first);
    const std::string name = file.string();
    if (starts("\x89PNG")) throw FormatError(trf("'{}' is a PNG image, not a data file", name));
    if (starts("%PDF")) throw FormatError(trf("'{}' is a PDF document, not a data file", name));
    if (reader != Reader::Gdal && starts("PK\x03\x04"))
        throw FormatError(trf("'{}' is a ZIP archive (an XLSX workbook or zipped shapefile?): give it its real extension", name));
    if (reader == Reader::GeoJson && (h.rfind('<', 0) == 0))
        throw FormatError(trf("'{}' is not GeoJSON: it looks like HTML or XML (an error page saved by a browser?)", name));
}

/// Bytes at the top of a CSV file searched for its header row.
constexpr std::size_t k_peek_bytes = 64 * 1024;
/// A sheet's first row naming this many fields is taken for its header without looking further.
constexpr std::size_t k_header_looks_right = 3;

std::string read_head(const fs::path& p, std::size_t bytes) {
    std::ifstream in(p, std::ios::binary);
    std::string s(bytes, '\0');
    in.read(s.data(), static_cast<std::streamsize>(bytes));
    s.resize(static_cast<std::size_t>(in.gcount()));
    return s;
}

std::string header_note(std::uint64_t row, bool given) {
    return given ? trf("header on row {} (--header-row)", row)
                 : trf("header found on row {} (the rows above are titles, not imported)", row);
}

enum class TextEncoding { Utf8, Utf8Bom, Utf16Le, Utf16Be, Gbk, Unknown };

std::string encoding_name(TextEncoding e) {
    switch (e) {
    case TextEncoding::Utf8: return "UTF-8";
    case TextEncoding::Utf8Bom: return "UTF-8 BOM";
    case TextEncoding::Utf16Le: return "UTF-16LE";
    case TextEncoding::Utf16Be: return "UTF-16BE";
    case TextEncoding::Gbk: return "GBK";
    case TextEncoding::Unknown: break;
    }
    return "UTF-8";
}

// Whether the whole file is valid UTF-8, read in pieces (a register may be larger than memory
// should hold twice); a character cut by a piece's end is carried into the next piece.
bool file_is_utf8(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::string buf;
    std::vector<char> chunk(1 << 20);
    for (;;) {
        in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
        const auto got = static_cast<std::size_t>(in.gcount());
        buf.append(chunk.data(), got);
        const bool last = got < chunk.size();
        std::size_t cut = buf.size();
        if (!last) {
            // Back off to the start of the last character, which may continue in the next piece.
            std::size_t k = buf.size();
            while (k > 0 && buf.size() - k < 4 && (static_cast<unsigned char>(buf[k - 1]) & 0xC0) == 0x80) --k;
            if (k > 0 && static_cast<unsigned char>(buf[k - 1]) >= 0xC0) cut = k - 1;
        }
        if (!vigil::text::is_valid_utf8(std::string_view(buf).substr(0, cut))) return false;
        if (last) return true;
        buf.erase(0, cut);
    }
}

TextEncoding detect_encoding(const fs::path& file, const std::string& head) {
    if (head.rfind("\xEF\xBB\xBF", 0) == 0) return file_is_utf8(file) ? TextEncoding::Utf8Bom : TextEncoding::Unknown;
    if (head.rfind("\xFF\xFE", 0) == 0) return TextEncoding::Utf16Le;
    if (head.rfind("\xFE\xFF", 0) == 0) return TextEncoding::Utf16Be;
    return file_is_utf8(file) ? TextEncoding::Utf8 : TextEncoding::Gbk;
}

std::string options_json(const ImportRequest& r) {
    nlohmann::json j = nlohmann::json::object();
    if (!r.crs.empty()) j["crs"] = r.crs;
    if (!r.encoding.empty()) j["encoding"] = r.encoding;
    if (!r.source_layer.empty()) j["source_layer"] = r.source_layer;
    if (r.skip_invalid) j["skip_invalid"] = true;
    if (r.strict) j["strict"] = true;
    if (r.header_row > 0) j["header_row"] = r.header_row;
    if (r.on_existing == importing::OnExisting::Update) j["update"] = true;
    if (r.on_existing == importing::OnExisting::ReplaceLayer) j["replace_layer"] = true;
    if (!r.column_map.empty()) {
        nlohmann::json m = nlohmann::json::object();
        for (const auto& [f, c] : r.column_map) m[f] = c;
        j["map"] = m;
    }
    return j.dump();
}

// Where the extra report files go: beside the input if that folder is writable, else the
// current folder.
fs::path beside(const fs::path& input, const std::string& suffix) {
    fs::path dir = input.parent_path().empty() ? fs::path(".") : input.parent_path();
    if (::access(dir.c_str(), W_OK) == 0) return dir / (input.stem().string() + suffix);
    return fs::current_path() / (input.stem().string() + suffix);
}

// Every report begins with a BOM (Excel on Windows then reads UTF-8) and its header line, which is
// also how ReportFile recognises an earlier report it may replace.
const std::string k_rejected_signature = "\xEF\xBB\xBF_row,_field,_reason";
const std::string k_problems_signature = "\xEF\xBB\xBF"
                                         "file,row,id,field,value,reason\r\n";

class RejectedCsv {
public:
    explicit RejectedCsv(fs::path path) : m_report(std::move(path), k_rejected_signature) {}
    void add(const std::vector<std::string>& columns, const importing::RawRecord& raw, const std::vector<importing::Problem>& problems) {
        std::string line;
        if (!m_report.started()) {
            for (const auto& c : columns) line += ',' + vigil::text::csv_quote(c);
            line += "\r\n";
            m_columns = columns.size();
        }
        std::string fields, reasons;
        for (const auto& p : problems) {
            fields += (fields.empty() ? "" : "; ") + p.field;
            reasons += (reasons.empty() ? "" : "; ") + p.reason;
        }
        line += std::to_string(raw.row) + ',' + vigil::text::csv_quote(fields) + ',' + vigil::text::csv_quote(reasons);
        for (std::size_t i = 0; i < std::max(m_columns, raw.values.size()); ++i)
            line += ',' + (i < raw.values.size() ? vigil::text::csv_quote(raw.values[i].to_display()) : std::string());
        line += "\r\n";
        m_report.write(line);
    }
    bool used() const { return m_report.started(); }
    fs::path publish() { return m_report.publish(); }

private:
    ReportFile m_report;
    std::size_t m_columns = 0;
};

// Runs the database writes on a second thread while this one reads and validates: on two cores
// a large import then costs about max(parse, write) instead of their sum. Records travel in
// batches through a bounded queue (so memory stays flat); the first exception on the writer
// side is re-thrown here. The SQLite connection is used by one thread at a time: the writer
// thread between start and finish(), this thread before and after.
class ThreadedSink final : public importing::RecordSink {
public:
    explicit ThreadedSink(importing::RecordSink& target) : m_target(target), m_thread([this] { drain(); }) {}
    ~ThreadedSink() override {
        if (m_thread.joinable()) {
            stop();
            m_thread.join();
        }
    }
    void write(const importing::Record& r) override {
        m_batch.push_back(r);
        if (m_batch.size() >= k_batch) hand_over();
    }
    /// Waits until every record has been written; re-throws the writer's exception if any.
    void finish() {
        if (!m_batch.empty()) hand_over();
        stop();
        m_thread.join();
        if (m_error) std::rethrow_exception(m_error);
    }

private:
    static constexpr std::size_t k_batch = 2048;
    static constexpr std::size_t k_queued = 8;

    void hand_over() {
        std::unique_lock lock(m_mutex);
        m_space.wait(lock, [&] { return m_queue.size() < k_queued || m_error; });
        if (m_error) {
            lock.unlock();
            finish_after_error();
        }
        m_queue.push_back(std::move(m_batch));
        m_batch = {};
        m_batch.reserve(k_batch);
        m_ready.notify_one();
    }
    void finish_after_error() {
        stop();
        m_thread.join();
        std::rethrow_exception(m_error);
    }
    void stop() {
        std::lock_guard lock(m_mutex);
        m_done = true;
        m_ready.notify_one();
    }
    void drain() {
        for (;;) {
            std::vector<importing::Record> batch;
            {
                std::unique_lock lock(m_mutex);
                m_ready.wait(lock, [&] { return !m_queue.empty() || m_done; });
                if (m_queue.empty()) return;
                batch = std::move(m_queue.front());
                m_queue.pop_front();
                m_space.notify_one();
            }
            try {
                for (const auto& r : batch) m_target.write(r);
            } catch (...) {
                std::lock_guard lock(m_mutex);
                m_error = std::current_exception();
                m_queue.clear();
                m_space.notify_all();
                return;
            }
        }
    }

    importing::RecordSink& m_target;
    std::vector<importing::Record> m_batch;
    std::deque<std::vector<importing::Record>> m_queue;
    std::mutex m_mutex;
    std::condition_variable m_ready, m_space;
    bool m_done = false;
    std::exception_ptr m_error;
    std::thread m_thread; // last: starts once the members above exist
};

// Where the records a kind's location_fallback field may name stand: the project's layers of
// that field's kinds, read before the import's transaction begins (the first kind listed wins an
// id two of them hold). Empty when the kind has no such field or the database does not exist yet.
importing::LocateReference reference_locator(const fs::path& database, const catalog::LayerKind& kind) {
    const catalog::Field* field = nullptr;
    for (const auto& f : kind.fields)
        if (f.location_fallback) field = &f;
    std::error_code ec;
    if (!field || !fs::exists(database, ec)) return {};
    const auto project = store::Project::open(database);
    std::set<std::string> stored;
    for (const auto& l : project.layers()) stored.insert(l.kind);
    auto points = std::make_shared<std::unordered_map<std::string, importing::ReferencePoint>>();
    for (const auto& k : field->reference_kinds) {
        if (!stored.count(k)) continue;
        const auto layer = project.load_layer(k);
        for (std::size_t r = 0; r < layer->size(); ++r)
            if (!layer->geometry(r).is_empty())
                points->emplace(layer->id(r), importing::ReferencePoint{geo::representative_point(layer->geometry(r)), k});
    }
    return [points](std::string_view id) -> std::optional<importing::ReferencePoint> {
        const auto it = points->find(std::string(vigil::text::trim(id)));
        if (it == points->end()) return std::nullopt;
        return it->second;
    };
}

fs::path write_problems_csv(const fs::path& path, const std::string& file, const std::vector<importing::Problem>& problems,
                            const std::vector<importing::Problem>& warnings = {}) {
    ReportFile report(path, k_problems_signature);
    std::string line;
    std::vector<importing::Problem> all = problems;
    all.insert(all.end(), warnings.begin(), warnings.end());
    std::stable_sort(all.begin(), all.end(), [](const importing::Problem& a, const importing::Problem& b) { return a.row < b.row; });
    for (const auto& p : all) {
        line.clear();
        line += vigil::text::csv_quote(file) + ',' + std::to_string(p.row) + ',' + vigil::text::csv_quote(p.record_id) + ',' +
                vigil::text::csv_quote(p.field) + ',' + vigil::text::csv_quote(p.value) + ',' + vigil::text::csv_quote(p.reason) + "\r\n";
        report.write(line);
    }
    return report.publish();
}

} // namespace

ImportResult import_file(const ImportRequest& req, const catalog::Catalog& catalog, const ImportProgress& progress) {
    ImportResult result;
    auto kind = catalog.get(req.layer);
    result.layer = kind->kind;

    std::error_code ec;
    if (!fs::exists(req.file, ec)) throw IoError(trf("'{}' does not exist", req.file.string()));
    if (fs::is_directory(req.file, ec) && pick_reader(req.file) != Reader::Gdal)
        throw IoError(trf("'{}' is a folder, not a file", req.file.string()));
    const bool is_dir = fs::is_directory(req.file, ec);
    const std::uintmax_t size = is_dir ? 0 : fs::file_size(req.file, ec);
    if (!is_dir && size == 0) throw FormatError(trf("'{}' is empty (0 bytes)", req.file.string()));

    // Hash on the other core while this one parses.
    std::future<std::string> digest;
    if (!is_dir) digest = std::async(std::launch::async, [f = req.file] { return sha256_file(f); });

    Reader reader = pick_reader(req.file);
    std::unique_ptr<importing::RecordSource> source;
    std::string head;
    if (!is_dir) {
        std::ifstream in(req.file, std::ios::binary);
        head.resize(512);
        in.read(head.data(), 512);
        head.resize(static_cast<std::size_t>(in.gcount()));
        sniff(req.file, head, reader);
    }
    const std::string display = req.file.string();
    std::vector<std::string> notes;
    std::string encoding_used = req.encoding.empty() ? "UTF-8" : req.encoding;
    if (reader == Reader::GeoJson) {
        if (req.encoding.empty() || vigil::text::match_key(req.encoding) == "utf8") source = std::make_unique<io::GeoJsonReader>(display);
        else source = std::make_unique<io::GeoJsonReader>(display, to_utf8(read_file(req.file), req.encoding, display));
        result.format = "GeoJSON";
    } else if (reader == Reader::Csv) {
        std::string text;
        bool in_memory = false;
        if (!req.encoding.empty() && vigil::text::match_key(req.encoding) != "utf8") {
            text = to_utf8(read_file(req.file), req.encoding, display);
            in_memory = true;
        } else if (req.encoding.empty()) {
            // A clerk's CSV is UTF-8 (with or without BOM) from WPS or a web form, GBK from
            // Excel on Chinese Windows, UTF-16 from Excel's "Unicode text": told apart, said.
            TextEncoding guess = detect_encoding(req.file, head);
            if (guess == TextEncoding::Utf16Le || guess == TextEncoding::Utf16Be) {
                text = to_utf8(read_file(req.file), guess == TextEncoding::Utf16Le ? "UTF-16LE" : "UTF-16BE", display);
                if (text.rfind("\xEF\xBB\xBF", 0) == 0) text.erase(0, 3);
                in_memory = true;
            } else if (guess == TextEncoding::Gbk) {
                try {
                    text = to_utf8(read_file(req.file), "GB18030", display); // GBK's superset: every GBK file reads
                    in_memory = true;
                } catch (const FormatError&) {
                    guess = TextEncoding::Unknown; // neither: each bad cell is reported with its row
                }
            }
            encoding_used = encoding_name(guess);
            notes.push_back(guess == TextEncoding::Unknown
                                ? std::string(tr("encoding: not recognised (neither UTF-8 nor GBK), read as UTF-8; say --encoding"))
                                : trf("encoding: {} (detected)", encoding_used));
        }
        // The header may stand below title rows: found among the first rows by the names of
        // the layer's fields, and said.
        std::string top;
        if (in_memory) top = text.substr(0, k_peek_bytes);
        else top = read_head(req.file, k_peek_bytes);
        io::CsvReaderOptions csv_options;
        const char separator = io::guess_separator(top);
        auto peeked = io::peek_csv_rows(top, separator, importing::k_header_search_rows);
        std::size_t header = 0;
        if (req.header_row > 0) {
            auto at = std::find_if(peeked.begin(), peeked.end(), [&](const io::PeekedRow& r) { return r.line == req.header_row; });
            if (at == peeked.end())
                throw UsageError(trf("--header-row {0}: line {0} is not one of the first {2} records of '{1}' (blank?)", req.header_row,
                                     display, importing::k_header_search_rows));
            header = static_cast<std::size_t>(at - peeked.begin());
        } else {
            std::vector<std::vector<std::string>> cells;
            for (auto& r : peeked) cells.push_back(r.cells);
            header = importing::find_header_row(*kind, cells);
        }
        if (header > 0) {
            csv_options.separator = separator;
            csv_options.title_records = header;
            notes.push_back(header_note(peeked[header].line, req.header_row > 0));
        }
        if (in_memory) source = std::make_unique<io::CsvReader>(display, std::move(text), csv_options);
        else source = std::make_unique<io::CsvReader>(display, csv_options);
        result.format = "CSV";
    } else {
        GdalSourceOptions options{req.encoding, req.source_layer};
        if (kind->kind == "roads") {
            options.osm_roads = true;
            options.osm_config_file =
                (req.osm_config_file.empty() ? catalog::Catalog::default_directory() / "routing" / "osmconf.ini" : req.osm_config_file)
                    .string();
        }
        options.header_row = req.header_row;
        auto g = std::make_unique<GdalSource>(display, options);
        // A sheet whose first row names few of the layer's fields may have title rows above
        // its header: the first rows are looked at, and the sheet read again from its header.
        const bool sheet = g->driver_name() == "XLSX" || g->driver_name() == "ODS" || g->driver_name() == "XLS";
        if (sheet && req.header_row == 0 && importing::header_score(*kind, g->columns()) < k_header_looks_right) {
            const std::size_t header =
                importing::find_header_row(*kind, peek_sheet_rows(display, options, importing::k_header_search_rows));
            if (header > 0) {
                options.header_row = header + 1;
                g = std::make_unique<GdalSource>(display, options);
                notes.push_back(header_note(options.header_row, false));
            }
        } else if (sheet && req.header_row > 0) {
            notes.push_back(header_note(req.header_row, true));
        }
        result.format = g->driver_name();
        source = std::move(g);
    }

    // CRS: what the user says, else what the file declares, else WGS84 where the format defines it
    // (GeoJSON by RFC 7946; a CSV or spreadsheet of longitudes/latitudes by convention, noted).
    std::string crs = req.crs;
    auto declared = source->declared_crs();
    if (crs.empty()) {
        if (declared) {
            crs = *declared;
        } else if (reader == Reader::GeoJson) {
            crs = "EPSG:4326";
        } else if (!source->has_geometry()) {
            crs = "EPSG:4326";
            notes.push_back(tr("no CRS given: coordinates taken as WGS84 longitude/latitude (say --crs gcj02, bd09 or EPSG:n otherwise)"));
        } else {
            throw UsageError(
                trf("'{}' does not say which coordinate system it uses (a shapefile without its .prj?): give --crs, e.g. --crs EPSG:4326 "
                    "for GPS coordinates, --crs EPSG:4547 for CGCS2000 Gauss-Kruger CM 114E, --crs gcj02 for AMap",
                    display));
        }
    } else if (declared) {
        std::string declared_name;
        try {
            declared_name = describe_crs(*declared);
        } catch (const Error&) {
            declared_name = *declared;
        }
        notes.push_back(trf("--crs {} used; the file itself declares {}", req.crs, declared_name));
    }
    auto transform = make_transform(crs);
    result.source_crs = transform->name();

    ImportProvenance prov;
    prov.file_path = fs::absolute(req.file, ec).string();
    prov.file_name = req.file.filename().string();
    prov.file_size = static_cast<std::int64_t>(size);
    prov.format = result.format;
    prov.source_crs = result.source_crs;
    prov.encoding = encoding_used;
    prov.options_json = options_json(req);
    prov.started_at = utc_now();

    importing::LocateReference locate = reference_locator(req.database, *kind);
    ProjectWriter writer = ProjectWriter::open(req.database, req.create_database);
    auto import = writer.begin_import(*kind, prov, req.bulk_threshold_bytes, req.on_existing, req.overwrite_edits);

    importing::ImportOptions options;
    options.column_map = req.column_map;
    options.skip_invalid = req.skip_invalid;
    options.strict = req.strict;
    options.locate_reference = std::move(locate);
    RejectedCsv rejected(beside(req.file, ".rejected.csv"));
    importing::RejectFn on_reject;
    if (req.skip_invalid)
        on_reject = [&](const std::vector<std::string>& cols, const importing::RawRecord& raw, const std::vector<importing::Problem>& p) {
            rejected.add(cols, raw, p);
        };
    importing::ImportPipeline pipeline(*kind, *transform, options);
    try {
        ThreadedSink sink(*import);
        result.summary = pipeline.run(*source, sink, progress, on_reject);
        sink.finish();
    } catch (...) {
        import->rollback();
        throw;
    }
    result.summary.notes.insert(result.summary.notes.begin(), notes.begin(), notes.end());
    result.sha256 = digest.valid() ? digest.get() : std::string();
    prov.file_sha256 = result.sha256;

    // A clean file that would change stored records without --update: refused, nothing kept.
    // (A file with problems stopped writing at the first one, so its count would be partial.)
    if (!result.summary.refused) {
        result.would_update = import->would_update(result.summary.rows_read);
        if (result.would_update.count > 0) {
            import->rollback();
            result.summary.refused = true;
            result.summary.rows_written = 0;
            result.refusal_message = importing::format_update_refusal(prov.file_name, kind->kind, kind->title.zh, result.would_update);
            std::string ids;
            for (const auto& w : result.would_update.first) ids += (ids.empty() ? "" : ", ") + w.id;
            if (result.would_update.count > result.would_update.first.size()) ids += " …";
            std::string message =
                result.would_update.ids_look_like_row_numbers
                    ? trf("{} records would overwrite stored ones (ids {}); nothing imported: --update or --replace-layer allows it; the "
                          "ids look like row numbers",
                          result.would_update.count, ids)
                    : trf("{} records would overwrite stored ones (ids {}); nothing imported: --update or --replace-layer allows it",
                          result.would_update.count, ids);
            writer.log_import(prov, kind->kind, "refused", result.summary, message);
            return result;
        }
    }
    if (result.summary.refused) {
        import->rollback();
        std::string message = result.summary.problems.empty()
                                  ? trf("{} problems in {} of {} rows; nothing imported", result.summary.problem_count,
                                        result.summary.rows_rejected, result.summary.rows_read)
                                  : trf("{} problems in {} of {} rows; nothing imported; first: {}", result.summary.problem_count,
                                        result.summary.rows_rejected, result.summary.rows_read,
                                        importing::format_problem(prov.file_name, *kind, result.summary.problems.front()));
        writer.log_import(prov, kind->kind, "refused", result.summary, message);
        if (result.summary.problems.size() > k_problems_on_screen) {
            result.problems_csv =
                write_problems_csv(beside(req.file, ".problems.csv"), display, result.summary.problems, result.summary.warnings);
        }
        return result;
    }
    // Records edited by people since their last import: never overwritten without being asked.
    if (auto edits = import->edits_refusal(); !edits.empty()) {
        import->rollback();
        result.summary.refused = true;
        result.summary.rows_written = 0;
        result.edits_refusal = edits;
        writer.log_import(prov, kind->kind, "refused", result.summary, edits);
        return result;
    }
    import->set_file_sha256(result.sha256); // known only now: the hash ran alongside the parse
    result.import_id = import->commit(result.summary);
    result.inserted = import->inserted();
    result.updated = import->updated();
    result.unchanged = import->unchanged();
    result.removed = import->removed();
    if (!result.summary.warnings.empty()) {
        // The records are stored; the clerk still needs the list of what to correct.
        try {
            result.problems_csv =
                write_problems_csv(beside(req.file, ".problems.csv"), display, result.summary.problems, result.summary.warnings);
        } catch (const Error& e) {
            result.summary.notes.push_back(trf("the warnings could not be saved: {}", e.what()));
        }
    }
    if (rejected.used()) {
        // The import is committed: a report that cannot be named must not turn it into an error.
        try {
            result.rejected_csv = rejected.publish();
        } catch (const Error& e) {
            result.summary.notes.push_back(trf("the rejected rows could not be saved: {}", e.what()));
        }
    }
    return result;
}

} // namespace vigil::gdal
