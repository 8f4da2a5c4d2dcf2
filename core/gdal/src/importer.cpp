#include <vigil/gdal/importer.hpp>

#include <vigil/gdal/gdal_source.hpp>
#include <vigil/gdal/proj_transform.hpp>
#include <vigil/io/csv_reader.hpp>
#include <vigil/io/geojson_reader.hpp>
#include <vigil/native/file_digest.hpp>
#include <vigil/native/project_writer.hpp>
#include <vigil/native/report_file.hpp>
#include <vigil/native/transcode.hpp>
#include <vigil/util/error.hpp>
#include <vigil/util/text.hpp>

#include <nlohmann/json.hpp>

#include <unistd.h>

#include <condition_variable>
#include <deque>
#include <fstream>
#include <mutex>
#include <thread>
#include <future>
#include <sstream>

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
    if (!in) throw IoError("cannot read '" + p.string() + "'");
    std::string s;
    in.seekg(0, std::ios::end);
    s.resize(static_cast<std::size_t>(in.tellg()));
    in.seekg(0);
    in.read(s.data(), static_cast<std::streamsize>(s.size()));
    if (!in) throw IoError("error reading '" + p.string() + "'");
    return s;
}

// Catches files that are not what their name says before a parser produces a confusing error.
void sniff(const fs::path& file, const std::string& head, Reader reader) {
    auto starts = [&](std::string_view magic) { return head.rfind(magic, 0) == 0; };
    const std::string first = head.substr(0, 512);
    std::string_view h = vigil::text::trim(first);
    const std::string name = file.string();
    if (starts("\x89PNG")) throw FormatError("'" + name + "' is a PNG image, not a data file");
    if (starts("%PDF")) throw FormatError("'" + name + "' is a PDF document, not a data file");
    if (reader != Reader::Gdal && starts("PK\x03\x04"))
        throw FormatError("'" + name + "' is a ZIP archive (an XLSX workbook or zipped shapefile?): give it its real extension");
    if (reader == Reader::GeoJson && (h.rfind('<', 0) == 0))
        throw FormatError("'" + name + "' is not GeoJSON: it looks like HTML or XML (an error page saved by a browser?)");
}

std::string options_json(const ImportRequest& r) {
    nlohmann::json j = nlohmann::json::object();
    if (!r.crs.empty()) j["crs"] = r.crs;
    if (!r.encoding.empty()) j["encoding"] = r.encoding;
    if (!r.source_layer.empty()) j["source_layer"] = r.source_layer;
    if (r.skip_invalid) j["skip_invalid"] = true;
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
const std::string k_problems_signature = "\xEF\xBB\xBF" "file,row,id,field,value,reason\r\n";

class RejectedCsv {
public:
    explicit RejectedCsv(fs::path path) : m_report(std::move(path), k_rejected_signature) {}
    void add(const std::vector<std::string>& columns, const importing::RawRecord& raw,
             const std::vector<importing::Problem>& problems) {
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

fs::path write_problems_csv(const fs::path& path, const std::string& file, const std::vector<importing::Problem>& problems) {
    ReportFile report(path, k_problems_signature);
    std::string line;
    for (const auto& p : problems) {
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
    if (!fs::exists(req.file, ec)) throw IoError("'" + req.file.string() + "' does not exist");
    if (fs::is_directory(req.file, ec) && pick_reader(req.file) != Reader::Gdal)
        throw IoError("'" + req.file.string() + "' is a folder, not a file");
    const bool is_dir = fs::is_directory(req.file, ec);
    const std::uintmax_t size = is_dir ? 0 : fs::file_size(req.file, ec);
    if (!is_dir && size == 0) throw FormatError("'" + req.file.string() + "' is empty (0 bytes)");

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
    if (reader == Reader::GeoJson || reader == Reader::Csv) {
        if (req.encoding.empty() || vigil::text::match_key(req.encoding) == "utf8") {
            if (reader == Reader::GeoJson) source = std::make_unique<io::GeoJsonReader>(display);
            else source = std::make_unique<io::CsvReader>(display);
        } else {
            std::string text = to_utf8(read_file(req.file), req.encoding, display);
            if (reader == Reader::GeoJson) source = std::make_unique<io::GeoJsonReader>(display, std::move(text));
            else source = std::make_unique<io::CsvReader>(display, std::move(text));
        }
        result.format = reader == Reader::GeoJson ? "GeoJSON" : "CSV";
    } else {
        GdalSourceOptions options{req.encoding, req.source_layer};
        if (kind->kind == "roads") {
            options.osm_roads = true;
            options.osm_config_file = (req.osm_config_file.empty() ? catalog::Catalog::default_directory() / "routing" / "osmconf.ini"
                                                                   : req.osm_config_file).string();
        }
        auto g = std::make_unique<GdalSource>(display, std::move(options));
        result.format = g->driver_name();
        source = std::move(g);
    }

    // CRS: what the user says, else what the file declares, else WGS84 where the format defines it
    // (GeoJSON by RFC 7946; a CSV or spreadsheet of longitudes/latitudes by convention, noted).
    std::vector<std::string> notes;
    std::string crs = req.crs;
    auto declared = source->declared_crs();
    if (crs.empty()) {
        if (declared) {
            crs = *declared;
        } else if (reader == Reader::GeoJson) {
            crs = "EPSG:4326";
        } else if (!source->has_geometry()) {
            crs = "EPSG:4326";
            notes.push_back("no CRS given: coordinates taken as WGS84 longitude/latitude (say --crs gcj02, bd09 or EPSG:n otherwise)");
        } else {
            throw UsageError("'" + display + "' does not say which coordinate system it uses (a shapefile without its .prj?): "
                             "give --crs, e.g. --crs EPSG:4326 for GPS coordinates, --crs EPSG:4547 for CGCS2000 "
                             "Gauss-Kruger CM 114E, --crs gcj02 for AMap");
        }
    } else if (declared) {
        std::string declared_name;
        try {
            declared_name = describe_crs(*declared);
        } catch (const Error&) {
            declared_name = *declared;
        }
        notes.push_back("--crs " + req.crs + " used; the file itself declares " + declared_name);
    }
    auto transform = make_transform(crs);
    result.source_crs = transform->name();

    ImportProvenance prov;
    prov.file_path = fs::absolute(req.file, ec).string();
    prov.file_name = req.file.filename().string();
    prov.file_size = static_cast<std::int64_t>(size);
    prov.format = result.format;
    prov.source_crs = result.source_crs;
    prov.encoding = req.encoding.empty() ? "UTF-8" : req.encoding;
    prov.options_json = options_json(req);
    prov.started_at = utc_now();

    ProjectWriter writer = ProjectWriter::open(req.database, req.create_database);
    auto import = writer.begin_import(*kind, prov, req.bulk_threshold_bytes, req.on_existing);

    importing::ImportOptions options;
    options.column_map = req.column_map;
    options.skip_invalid = req.skip_invalid;
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
    for (auto& n : notes) result.summary.notes.insert(result.summary.notes.begin(), n);
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
            std::string message = std::to_string(result.would_update.count) + " 条记录会改写已存记录（编号 " + ids +
                                  (result.would_update.count > result.would_update.first.size() ? " …" : "") + "），未导入 " +
                                  std::to_string(result.would_update.count) + " records would overwrite stored ones (ids " + ids +
                                  (result.would_update.count > result.would_update.first.size() ? " …" : "") +
                                  "); nothing imported: --update or --replace-layer allows it";
            if (result.would_update.ids_look_like_row_numbers) message += "; the ids look like row numbers";
            writer.log_import(prov, kind->kind, "refused", result.summary, message);
            return result;
        }
    }
    if (result.summary.refused) {
        import->rollback();
        std::string message = std::to_string(result.summary.problem_count) + " problems in " +
                              std::to_string(result.summary.rows_rejected) + " of " + std::to_string(result.summary.rows_read) +
                              " rows; nothing imported";
        if (!result.summary.problems.empty())
            message += "; first: " + importing::format_problem(prov.file_name, *kind, result.summary.problems.front());
        writer.log_import(prov, kind->kind, "refused", result.summary, message);
        if (result.summary.problems.size() > k_problems_on_screen) {
            result.problems_csv = write_problems_csv(beside(req.file, ".problems.csv"), display, result.summary.problems);
        }
        return result;
    }
    import->set_file_sha256(result.sha256); // known only now: the hash ran alongside the parse
    result.import_id = import->commit(result.summary);
    result.inserted = import->inserted();
    result.updated = import->updated();
    result.unchanged = import->unchanged();
    result.removed = import->removed();
    if (rejected.used()) {
        // The import is committed: a report that cannot be named must not turn it into an error.
        try {
            result.rejected_csv = rejected.publish();
        } catch (const Error& e) {
            result.summary.notes.push_back(std::string("the rejected rows could not be saved: ") + e.what());
        }
    }
    return result;
}

} // namespace vigil::gdal
