# vigil_compiler_options: warnings and the flags every translation unit must agree on.
# Under Emscripten it carries -fwasm-exceptions on compile *and* link: the core throws, and
# without the flag on both sides the first throw aborts the program.
add_library(vigil_compiler_options INTERFACE)
add_library(vigil::compiler_options ALIAS vigil_compiler_options)

target_compile_options(vigil_compiler_options INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wcast-align -Woverloaded-virtual
  -Wno-missing-field-initializers)
if(VIGIL_WERROR)
  target_compile_options(vigil_compiler_options INTERFACE -Werror)
endif()

if(EMSCRIPTEN)
  target_compile_options(vigil_compiler_options INTERFACE -fwasm-exceptions)
  target_link_options(vigil_compiler_options INTERFACE -fwasm-exceptions -sALLOW_MEMORY_GROWTH=1)
endif()
