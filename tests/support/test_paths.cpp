#include "test_paths.hpp"

#include <random>
#include <string>

namespace vigil::test {

std::filesystem::path data_dir() { return VIGIL_TEST_DATA_DIR; }
std::filesystem::path layers_dir() { return VIGIL_TEST_LAYERS_DIR; }
std::filesystem::path source_dir() { return VIGIL_TEST_SOURCE_DIR; }
std::filesystem::path binary_dir() { return VIGIL_TEST_BINARY_DIR; }

std::filesystem::path scratch_dir(const std::string& name) {
    // ctest runs test cases as separate processes, possibly at the same time: a random suffix
    // keeps their folders apart (getpid() is a constant under Emscripten).
    std::random_device rd;
    auto dir = binary_dir() / "test-scratch" / (name + "-" + std::to_string(rd()) + std::to_string(rd()));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    return dir;
}

} // namespace vigil::test

#include "test_support.hpp"

namespace vigil::test {

const catalog::Catalog& real_catalog() {
    static const catalog::Catalog c = catalog::Catalog::load_directory(layers_dir());
    return c;
}

} // namespace vigil::test
