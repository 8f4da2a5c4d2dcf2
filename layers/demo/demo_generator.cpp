// placeholder: being written
#include "demo_generator.hpp"
#include <vigil/util/error.hpp>
namespace vigil::demo {
std::filesystem::path default_data_dir() { return VIGIL_DEMO_DATA_DIR; }
std::vector<DemoSource> write_demo_sources(const std::filesystem::path&, const std::filesystem::path&) { throw IoError("demo generator not written yet"); }
}
