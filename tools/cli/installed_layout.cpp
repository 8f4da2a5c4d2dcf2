#include "installed_layout.hpp"

#include <vigil/util/i18n.hpp>

#include <cstdlib>
#include <filesystem>
#include <system_error>

namespace vigil::cli {

namespace fs = std::filesystem;

namespace {

// PREFIX/share/vigil when this program is PREFIX/bin/vigil (or vigil-full) of an installation, else empty.
fs::path installed_share_dir() {
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec); // Linux: the program's real path
    if (ec || exe.empty()) return {};
    fs::path share = exe.parent_path().parent_path() / "share" / "vigil";
    if (!fs::is_regular_file(share / "layers" / "enterprises.json", ec)) return {};
    return share;
}

bool is_set(const char* variable) {
    const char* v = std::getenv(variable);
    return v && *v;
}

// Which folders a variable fills in an installation.
struct Slot {
    const char* variable;
    const char* subfolder;
};
constexpr Slot k_slots[] = {{"VIGIL_LAYERS", "layers"}, {"VIGIL_DEMO_DATA", "demo"}, {"VIGIL_WEB", "web"}};

std::string& origin_of(std::string_view variable) {
    static std::string origins[std::size(k_slots)];
    for (std::size_t i = 0; i < std::size(k_slots); ++i)
        if (k_slots[i].variable == variable) return origins[i];
    return origins[0];
}

} // namespace

void use_installed_layout() {
    const fs::path share = installed_share_dir();
    for (const auto& slot : k_slots) {
        if (is_set(slot.variable)) {
            origin_of(slot.variable) = N_("environment");
        } else if (!share.empty() && fs::exists(share / slot.subfolder)) {
            ::setenv(slot.variable, (share / slot.subfolder).c_str(), 1);
            origin_of(slot.variable) = N_("installed beside the program");
        } else {
            origin_of(slot.variable) = N_("built-in");
        }
    }
}

std::string data_folder_origin(std::string_view variable) { return origin_of(variable); }

} // namespace vigil::cli
