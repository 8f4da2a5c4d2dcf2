/// @file
/// Tests of the CSV reader: RFC 4180 quoting, BOM and line-ending variants, the physical line
/// numbers reported as rows, separator detection, ragged rows and non-UTF-8 cells as issues, and
/// the header and quoting damage that must be a FormatError.

#include <vigil/importing/record_source.hpp>
#include <vigil/io/csv_reader.hpp>
#include <vigil/util/error.hpp>
#include <vigil/util/text.hpp>

#include "test_paths.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

using vigil::FormatError;
using vigil::importing::RawRecord;
using vigil::importing::RawValue;
using vigil::io::CsvReader;
using vigil::io::CsvReaderOptions;
using Kind = RawValue::Kind;

namespace test_csv_reader_cases {

std::vector<RawRecord> read_all(CsvReader& reader) {
    std::vector<RawRecord> out;
    RawRecord rec; // one record reused, as the pipeline does
    while (reader.next(rec)) out.push_back(rec);
    return out;
}

std::vector<RawRecord> read_text(const std::string& csv, CsvReaderOptions options = {}) {
    CsvReader reader("mem.csv", csv, options);
    return read_all(reader);
}

std::string error_of(const std::string& csv) {
    try {
        CsvReader reader("bad.csv", csv);
        RawRecord rec;
        while (reader.next(rec)) {}
    } catch (const FormatError& e) {
        return e.what();
    }
    return "(no error)";
}

bool is_text(const RawValue& v, const std::string& text) { return v.kind == Kind::Text && v.text == text; }


TEST_CASE("CSV: cells, trimming and quoting", "[io][csv]") {
    CsvReader reader("mem.csv", " id , 企业名称 ,地址,电话\n"
                                "1,  焦作四维液压机械有限公司 ,\"河南省焦作市, 解放区\",\n"
                                "2,\" padded \",\"say \"\"hi\"\"\",\"\"\n"
                                "3,ab\"c,\"abc\"def,   \n");
    REQUIRE(reader.columns() == std::vector<std::string>{"id", "企业名称", "地址", "电话"});
    CHECK(reader.separator() == ',');
    CHECK_FALSE(reader.has_geometry());
    auto recs = read_all(reader);
    REQUIRE(recs.size() == 3);
    for (const auto& r : recs) CHECK(r.issues.empty());

    CHECK(recs[0].row == 2);
    CHECK(is_text(recs[0].values[0], "1"));
    CHECK(is_text(recs[0].values[1], "焦作四维液压机械有限公司")); // unquoted: trimmed
    CHECK(is_text(recs[0].values[2], "河南省焦作市, 解放区"));
    CHECK(recs[0].values[3].is_null()); // empty cell

    CHECK(is_text(recs[1].values[1], " padded ")); // quoted: kept exactly
    CHECK(is_text(recs[1].values[2], "say \"hi\""));
    CHECK(recs[1].values[3].is_null()); // "" is empty too

    CHECK(is_text(recs[2].values[1], "ab\"c"));  // a stray quote inside an unquoted cell
    CHECK(is_text(recs[2].values[2], "abcdef")); // text after a closing quote is kept
    CHECK(recs[2].values[3].is_null());          // spaces only
    CHECK(recs[2].geometry.type == vigil::geo::GeometryType::None);
}

TEST_CASE("CSV: BOM, CRLF and quoted line breaks give physical line numbers", "[io][csv]") {
    std::string csv = "\xEF\xBB\xBF名称,备注\r\n"   // line 1
                      "甲,\"第一行\r\n第二行\"\r\n" // lines 2-3
                      "乙,\"say \"\"hi\"\"\"\r\n"   // line 4
                      "\r\n"                        // line 5: blank, skipped
                      "丙,\"a\nb\nc\"\r\n"          // lines 6-8
                      "丁,x\r\n";                   // line 9
    CsvReader reader("mem.csv", csv);
    REQUIRE(reader.columns() == std::vector<std::string>{"名称", "备注"});
    auto recs = read_all(reader);
    REQUIRE(recs.size() == 4);
    CHECK(recs[0].row == 2);
    CHECK(is_text(recs[0].values[0], "甲"));
    CHECK(is_text(recs[0].values[1], "第一行\r\n第二行"));
    CHECK(recs[1].row == 4);
    CHECK(is_text(recs[1].values[1], "say \"hi\""));
    CHECK(recs[2].row == 6);
    CHECK(is_text(recs[2].values[1], "a\nb\nc"));
    CHECK(recs[3].row == 9);
    CHECK(is_text(recs[3].values[1], "x"));
    for (const auto& r : recs) CHECK(r.issues.empty());
}

TEST_CASE("CSV: LF, CR-only and missing final line break", "[io][csv]") {
    auto cr = read_text("a,b\r1,2\r\r3,4\r");
    REQUIRE(cr.size() == 2);
    CHECK(cr[0].row == 2);
    CHECK(cr[1].row == 4);
    CHECK(is_text(cr[1].values[1], "4"));

    auto no_final = read_text("a,b\n1,2\n3,\"4\"");
    REQUIRE(no_final.size() == 2);
    CHECK(is_text(no_final[1].values[1], "4"));
}

TEST_CASE("CSV: separator detection", "[io][csv]") {
    auto sep_of = [](const std::string& csv) { return CsvReader("mem.csv", csv).separator(); };
    CHECK(sep_of("a,b,c\n1,2,3\n") == ',');
    CHECK(sep_of("a;b;c\n1;2,5;3\n") == ';');
    CHECK(sep_of("a\tb\tc\n") == '\t');
    CHECK(sep_of("a|b|c\n") == '|');
    CHECK(sep_of("\"x;y;z\",b\n") == ','); // separators inside quotes do not count
    CHECK(sep_of("a,b;c\n") == ',');       // a tie goes to the comma
    CHECK(sep_of("only\n1\n") == ',');     // a single column

    auto semi = read_text("名称;面积\n仓库;1,5\n");
    REQUIRE(semi.size() == 1);
    CHECK(is_text(semi[0].values[1], "1,5"));

    // Tab-separated: tabs are separators, not spaces to trim.
    CsvReader tsv("mem.tsv", "a\tb\tc\n 1 \t\t3\n");
    auto t = read_all(tsv);
    REQUIRE(t.size() == 1);
    CHECK(is_text(t[0].values[0], "1"));
    CHECK(t[0].values[1].is_null());
    CHECK(is_text(t[0].values[2], "3"));

    // An explicit separator wins over detection.
    CsvReaderOptions options;
    options.separator = ';';
    CsvReader forced("mem.csv", "a,b;c\n1,2;3\n", options);
    CHECK(forced.columns() == std::vector<std::string>{"a,b", "c"});
}

TEST_CASE("CSV: ragged rows are returned with an issue", "[io][csv]") {
    CsvReader reader("mem.csv", "a,b,c\n1,2\n1,2,3,4\n1,2,3\n");
    auto recs = read_all(reader);
    REQUIRE(recs.size() == 3);
    REQUIRE(recs[0].issues.size() == 1);
    CHECK(recs[0].issues[0].column.empty());
    CHECK(recs[0].issues[0].reason == "row has 2 cells, the header has 3");
    CHECK(is_text(recs[0].values[1], "2"));
    CHECK(recs[0].values[2].is_null());
    REQUIRE(recs[1].issues.size() == 1);
    CHECK(recs[1].issues[0].reason == "row has 4 cells, the header has 3");
    CHECK(recs[1].values.size() == 3);
    CHECK(recs[1].row == 3);
    CHECK(recs[2].issues.empty());
}

TEST_CASE("CSV: empty trailing header columns from spreadsheets are dropped", "[io][csv]") {
    CsvReader reader("mem.csv", "a,b,,\n1,2,,\n3,4\n5,6,x,\n,,,\n");
    CHECK(reader.columns() == std::vector<std::string>{"a", "b"});
    auto recs = read_all(reader);
    REQUIRE(recs.size() == 4);
    CHECK(recs[0].issues.empty()); // empty cells under the unnamed columns: fine
    CHECK(recs[1].issues.empty());
    REQUIRE(recs[2].issues.size() == 1); // data under no name: reported
    CHECK(recs[2].issues[0].reason == "row has 4 cells, the header has 2");
    // A line of separators only is a record of Nulls (the pipeline decides), not dropped.
    CHECK(recs[3].issues.empty());
    CHECK(recs[3].values[0].is_null());
    CHECK(recs[3].row == 5);
}

TEST_CASE("CSV: invalid UTF-8 is an issue naming the column", "[io][csv]") {
    // "\xCF\xFB\xB7\xC0" is 消防 in GBK.
    CsvReader reader("mem.csv", "名称,类型\n\xCF\xFB\xB7\xC0站,消防\n");
    auto recs = read_all(reader);
    REQUIRE(recs.size() == 1);
    REQUIRE(recs[0].issues.size() == 1);
    CHECK(recs[0].issues[0].column == "名称");
    CHECK_THAT(recs[0].issues[0].reason,
               Catch::Contains("not valid UTF-8") && Catch::Contains("use --encoding GBK (or the file's encoding)"));
    CHECK(vigil::text::is_valid_utf8(recs[0].values[0].text));
    CHECK(is_text(recs[0].values[1], "消防"));

    // A header that is not UTF-8 makes the whole file unreadable.
    CHECK_THAT(error_of("\xC3\xFB\xB3\xC6,b\n1,2\n"), Catch::Contains("--encoding GBK"));
}

TEST_CASE("CSV: an unterminated quote is a FormatError at the line where it opened", "[io][csv]") {
    CHECK(error_of("a,b\n1,2\n3,\"open\nmore\n4,5\n") ==
          "bad.csv: line 3, column 3: this quoted cell is never closed (a closing '\"' is missing)");
    CHECK_THAT(error_of("\xEF\xBB\xBF名称,\"备注\n"), Catch::Contains("line 1, column 4"));
}

TEST_CASE("CSV: header problems are FormatErrors", "[io][csv]") {
    CHECK(error_of("名称,地址,名称\n1,2,3\n") == "bad.csv: line 1: the header names column \"名称\" twice (columns 1 and 3)");
    CHECK(error_of("a, ,c\n") == "bad.csv: line 1: column 2 of the header has no name");
    CHECK_THAT(error_of(",,\n1,2,3\n"), Catch::Contains("no column names"));
}

TEST_CASE("CSV: empty files and files without data", "[io][csv]") {
    CHECK_THROWS_WITH(CsvReader("empty.csv", std::string()), Catch::Contains("empty.csv") && Catch::Contains("the file is empty"));
    CHECK_THROWS_AS(CsvReader("bom.csv", std::string("\xEF\xBB\xBF")), FormatError);
    CHECK_THROWS_AS(CsvReader("blank.csv", std::string("\r\n\n  \n")), FormatError);
    CHECK_THROWS_WITH(CsvReader("u16.csv", std::string("\xFF\xFE"
                                                       "a\0",
                                                       4)),
                      Catch::Contains("UTF-16"));

    CsvReader header_only("mem.csv", "a,b\n");
    RawRecord rec;
    CHECK_FALSE(header_only.next(rec));
    CHECK_FALSE(header_only.next(rec));

    // Leading blank lines: the header is on line 3, the first record on line 4.
    auto recs = read_text("\n\na,b\n1,2\n\n   \n3,4");
    REQUIRE(recs.size() == 2);
    CHECK(recs[0].row == 4);
    CHECK(recs[1].row == 7);
}

TEST_CASE("CSV: progress counts bytes", "[io][csv]") {
    std::string csv = "a,b\n1,2\n3,4\n";
    CsvReader reader("mem.csv", csv);
    CHECK(reader.progress_total() == csv.size());
    RawRecord rec;
    REQUIRE(reader.next(rec));
    CHECK(reader.progress_done() == 8);
    while (reader.next(rec)) {}
    CHECK(reader.progress_done() == csv.size());
}

namespace {

struct BigCsv {
    std::string text;
    std::vector<std::uint64_t> rows; ///< the physical line of each record
};

/// A register with CRLF and LF, quoted line breaks, doubled quotes, blank lines and Chinese text.
BigCsv big_csv(int n) {
    BigCsv out;
    out.text = "\xEF\xBB\xBF编号,企业名称,备注,经度,纬度\r\n";
    std::uint64_t line = 2;
    for (int i = 1; i <= n; ++i) {
        out.rows.push_back(line);
        std::string id = std::to_string(i);
        switch (i % 3) {
        case 0:
            out.text += id + ",焦作四维液压机械有限公司" + id + ",\"多行\r\n备注\r\n第三行\",113.2" + id + ",35.1\r\n";
            line += 3;
            break;
        case 1:
            out.text += id + ",\"说 \"\"你好\"\"\",,113." + id + ",35." + id + "\r\n";
            line += 1;
            break;
        default:
            out.text += id + ",plain name " + id + ",\"a,b\",113,35\n\r\n"; // and a blank line
            line += 2;
        }
    }
    return out;
}

std::string write_file(const std::filesystem::path& path, const std::string& contents) {
    std::ofstream out(path, std::ios::binary);
    out << contents;
    return path.string();
}

} // namespace

TEST_CASE("CSV: reading a file from disk through the sliding window", "[io][csv]") {
    // Tiny windows cut records, CRLFs, doubled quotes and quoted line breaks at window
    // boundaries; the rows must still be the physical line numbers.
    const std::size_t window = GENERATE(range(std::size_t{16}, std::size_t{48}), values<std::size_t>({200, 4096, std::size_t{1} << 20}));
    CAPTURE(window);
    CsvReaderOptions options;
    options.window_bytes = window;
    const int n = window == (std::size_t{1} << 20) ? 60000 : 300;
    const BigCsv csv = big_csv(n);
    if (n == 60000) REQUIRE(csv.text.size() > 3u * 1024 * 1024);

    auto dir = vigil::test::scratch_dir("csv_reader");
    auto path = write_file(dir / "registry.csv", csv.text);
    CsvReader from_disk(path, options);
    CsvReader in_memory("mem.csv", csv.text);
    CHECK(from_disk.path() == path);
    CHECK(from_disk.columns() == std::vector<std::string>{"编号", "企业名称", "备注", "经度", "纬度"});
    CHECK(from_disk.progress_total() == csv.text.size());

    RawRecord a;
    RawRecord b;
    std::size_t count = 0;
    while (from_disk.next(a)) {
        REQUIRE(in_memory.next(b));
        REQUIRE(count < csv.rows.size());
        REQUIRE(a.row == csv.rows[count]);
        REQUIRE(b.row == csv.rows[count]);
        REQUIRE(a.issues.empty());
        REQUIRE(a.values.size() == b.values.size());
        for (std::size_t k = 0; k < a.values.size(); ++k) {
            REQUIRE(a.values[k].kind == b.values[k].kind);
            REQUIRE(a.values[k].text == b.values[k].text);
        }
        REQUIRE(is_text(a.values[0], std::to_string(count + 1)));
        ++count;
    }
    CHECK_FALSE(in_memory.next(b));
    CHECK(count == static_cast<std::size_t>(n));
    CHECK(from_disk.progress_done() == csv.text.size());

    // A header line longer than the window, with the separator to detect.
    std::string wide = "a";
    for (int i = 1; i < 100; ++i) wide += ";column " + std::to_string(i);
    wide += "\n1;2\n";
    CsvReader wide_reader(write_file(dir / "wide.csv", wide), options);
    CHECK(wide_reader.separator() == ';');
    CHECK(wide_reader.columns().size() == 100);
}

TEST_CASE("CSV: errors in files on disk", "[io][csv]") {
    auto dir = vigil::test::scratch_dir("csv_reader_errors");
    const std::size_t window = GENERATE(as<std::size_t>{}, 16, std::size_t{1} << 20);
    CsvReaderOptions options;
    options.window_bytes = window;

    SECTION("an unterminated quote at the end of a streamed file") {
        const BigCsv csv = big_csv(3000);
        std::uint64_t line = 1; // every line break in big_csv() has a '\n'
        for (char c : csv.text)
            if (c == '\n') ++line;
        auto path = write_file(dir / "unterminated.csv", csv.text + "x,\"never closed\r\nmore text\r\n");
        CsvReader reader(path, options);
        RawRecord rec;
        const std::string expected =
            path + ": line " + std::to_string(line) + ", column 3: this quoted cell is never closed (a closing '\"' is missing)";
        CHECK_THROWS_WITH(
            [&] {
                while (reader.next(rec)) {}
            }(),
            expected);
        CHECK_THROWS_WITH(reader.next(rec), expected); // the reader stays at the damage
    }
    SECTION("a missing file is an IoError") { CHECK_THROWS_AS(CsvReader((dir / "missing.csv").string(), options), vigil::IoError); }
    SECTION("an empty file") {
        CHECK_THROWS_WITH(CsvReader(write_file(dir / "empty.csv", ""), options), Catch::Contains("the file is empty"));
    }
}

} // namespace test_csv_reader_cases
