# vigil_compiler_options: warnings and the flags every translation unit must agree on.
# Under Emscripten it carries the exception-handling flag on compile *and* link: the core throws,
# and without the flag on both sides the first throw aborts the program.
add_library(vigil_compiler_options INTERFACE)
add_library(vigil::compiler_options ALIAS vigil_compiler_options)

target_compile_options(vigil_compiler_options INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wcast-align -Woverloaded-virtual
  -Wno-missing-field-initializers)
if(VIGIL_WERROR)
  target_compile_options(vigil_compiler_options INTERFACE -Werror)
endif()
if(CMAKE_UNITY_BUILD AND CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  # In a unity batch GCC takes each included source for a header and warns when a class there
  # holds a member of a file-local (anonymous-namespace) type, the pattern of every pimpl here.
  # The warning guards headers seen by several translation units; a source in a batch is not one.
  target_compile_options(vigil_compiler_options INTERFACE -Wno-subobject-linkage)
endif()

if(EMSCRIPTEN)
  # WebAssembly threads: the browser viewer loads and builds the road graph and decodes tiles on
  # worker threads as the native viewer does, so no frame waits on them. Every object linked into
  # a shared-memory module must be built with atomics, the third-party libraries included, hence
  # for the whole build and not per target. The page then needs cross-origin isolation
  # (`vigil serve` sends COOP/COEP).
  add_compile_options(-pthread)
  add_link_options(-pthread)
  # Exceptions: VIGIL_WASM_EXCEPTIONS picks Emscripten's JavaScript-based exceptions ("js", the
  # default) or native WebAssembly ones ("wasm"). Native ones are broken with threads in Debian 12's
  # toolchain: its libunwind (Emscripten 3.1.6 sources) defines the landing-pad context
  # __wasm_lpad_context as thread_local, while clang 14 still reads and writes it as a plain
  # global (LLVM 15 made both sides TLS). Every catch then reads a selector the personality never
  # wrote, and `catch (const FormatError&)` (even `catch (int)`) falls through to `catch (...)`:
  # the core's tests saw "Unknown exception". JavaScript exceptions cost about 20 % on the core's
  # heaviest tests under node (35 % on the risk sector tables) and are correct; use "wasm" only
  # with clang >= 15.
  set(VIGIL_WASM_EXCEPTIONS "js" CACHE STRING "WebAssembly exception handling: js or wasm")
  set_property(CACHE VIGIL_WASM_EXCEPTIONS PROPERTY STRINGS js wasm)
  if(VIGIL_WASM_EXCEPTIONS STREQUAL "wasm")
    set(VIGIL_WASM_EH_FLAG -fwasm-exceptions)
  else()
    set(VIGIL_WASM_EH_FLAG -fexceptions)
  endif()
  target_compile_options(vigil_compiler_options INTERFACE ${VIGIL_WASM_EH_FLAG})
  target_link_options(vigil_compiler_options INTERFACE ${VIGIL_WASM_EH_FLAG} -sALLOW_MEMORY_GROWTH=1)
endif()
