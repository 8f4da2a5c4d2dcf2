# The message catalogue (core/include/vigil/util/i18n.hpp): each component's Chinese texts,
# <component>/po/zh_CN.po, compiled by GNU msgfmt into a .mo file at build time and embedded as
# bytes in the component's library — natively and in the browser, which has no file to read.
#   vigil_embed_messages(TARGET vigil_viewer PO viewer/po/zh_CN.po
#                        NAMESPACE vigil::viewer FUNCTION messages_zh_CN)
# defines `std::span<const unsigned char> vigil::viewer::messages_zh_CN()` in TARGET; the shell
# hands it to i18n::add_catalogue at start.
find_program(VIGIL_MSGFMT msgfmt)
if(NOT VIGIL_MSGFMT)
  message(FATAL_ERROR "msgfmt not found: install Debian's gettext package (tools/install-deps.sh does)")
endif()

function(vigil_embed_messages)
  cmake_parse_arguments(ARG "" "TARGET;PO;NAMESPACE;FUNCTION" "" ${ARGN})
  get_filename_component(_po ${ARG_PO} ABSOLUTE BASE_DIR ${PROJECT_SOURCE_DIR})
  set(_dir ${CMAKE_CURRENT_BINARY_DIR}/generated/messages)
  set(_mo ${_dir}/${ARG_TARGET}_${ARG_FUNCTION}.mo)
  set(_cpp ${_dir}/${ARG_TARGET}_${ARG_FUNCTION}.cpp)
  # --check: format of the header and of every flagged message; fuzzy and untranslated entries are
  # left out (English is shown), as gettext does; tests/i18n fails on them instead.
  add_custom_command(OUTPUT ${_mo}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${_dir}
    COMMAND ${VIGIL_MSGFMT} --check -o ${_mo} ${_po}
    DEPENDS ${_po}
    COMMENT "Compiling the message catalogue ${ARG_PO}"
    VERBATIM)
  add_custom_command(OUTPUT ${_cpp}
    COMMAND ${CMAKE_COMMAND} -DIN=${_mo} -DOUT=${_cpp} -DNAMESPACE=${ARG_NAMESPACE} -DFUNCTION=${ARG_FUNCTION}
            -DSOURCE=${ARG_PO} -P ${PROJECT_SOURCE_DIR}/cmake/embed_messages.cmake
    DEPENDS ${_mo} ${PROJECT_SOURCE_DIR}/cmake/embed_messages.cmake
    VERBATIM)
  target_sources(${ARG_TARGET} PRIVATE ${_cpp})
  set_source_files_properties(${_cpp} PROPERTIES SKIP_UNITY_BUILD_INCLUSION ON GENERATED ON)
endfunction()
