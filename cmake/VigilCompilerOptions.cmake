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
  # WebAssembly threads: the browser viewer loads and builds the road graph and decodes tiles on
  # worker threads as the native viewer does, so no frame waits on them. Every object linked into
  # a shared-memory module must be built with atomics, the third-party libraries included, hence
  # for the whole build and not per target. The page then needs cross-origin isolation
  # (`vigil serve` sends COOP/COEP).
  add_compile_options(-pthread)
  add_link_options(-pthread)
  target_compile_options(vigil_compiler_options INTERFACE -fwasm-exceptions)
  target_link_options(vigil_compiler_options INTERFACE -fwasm-exceptions -sALLOW_MEMORY_GROWTH=1)
endif()
