#include "db_fingerprint.hpp"

#include <vigil/store/sqlite.hpp>

#include <functional>

namespace vigil::test {

std::string db_fingerprint(const std::filesystem::path& path) {
    auto db = store::Database::open(path, store::Database::Mode::ReadOnly);
    std::string all;
    std::vector<std::pair<std::string, std::string>> tables;
    {
        auto st = db.prepare("SELECT name, coalesce(sql, '') FROM sqlite_schema WHERE name <> 'vigil_imports' ORDER BY name");
        while (st.step()) tables.emplace_back(std::string(st.column_text(0)), std::string(st.column_text(1)));
    }
    for (const auto& [name, sql] : tables) {
        all += "#" + name + "\n" + sql + "\n";
        if (sql.rfind("CREATE TABLE", 0) != 0) continue;
        std::string q = "SELECT * FROM " + store::quote_identifier(name);
        if (name == "sqlite_sequence") q += " WHERE name <> 'vigil_imports'";
        auto rows = db.prepare(q + " ORDER BY rowid");
        while (rows.step()) {
            for (int c = 0; c < rows.column_count(); ++c) {
                auto v = rows.column_value(c);
                all += model::to_text(v);
                all += '\x1f';
            }
            all += '\n';
        }
    }
    return std::to_string(all.size()) + ":" + std::to_string(std::hash<std::string>{}(all));
}

} // namespace vigil::test
