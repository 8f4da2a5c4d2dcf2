# Installation and packaging: `cmake --install BUILD --prefix P` gives
#   P/bin/vigil             the lean front: nearest/within/layers/imports/catalog itself, the rest
#   P/bin/vigil-full        handed on to the full program beside it (tools/cli/CMakeLists.txt)
#   P/share/vigil/layers/   the layer catalogue (with reference/, routing/, hazard/)
#   P/share/vigil/demo/     the demo's real reference data
#   P/share/vigil/web/      the browser viewer, when it has been built (tools/build-web.sh)
#   P/share/doc/vigil/      README and docs
# The program finds these relative to itself (tools/cli/installed_layout.hpp), so the tree can be
# moved or unpacked anywhere. `cpack -G DEB` (in BUILD) makes vigil_VERSION_ARCH.deb for
# `apt install ./vigil_*.deb` on a machine without network: its dependencies are Debian's own.
include(GNUInstallDirs)

set(VIGIL_INSTALL_WEB_FROM "${CMAKE_SOURCE_DIR}/build-wasm/web" CACHE PATH
    "The browser build to install as share/vigil/web (skipped when it does not exist at install time)")

install(TARGETS vigil vigil_full RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY ${CMAKE_SOURCE_DIR}/layers/ DESTINATION ${CMAKE_INSTALL_DATADIR}/vigil/layers
        PATTERN "demo" EXCLUDE)
install(DIRECTORY ${CMAKE_SOURCE_DIR}/layers/demo/data/ DESTINATION ${CMAKE_INSTALL_DATADIR}/vigil/demo)
install(DIRECTORY ${VIGIL_INSTALL_WEB_FROM}/ DESTINATION ${CMAKE_INSTALL_DATADIR}/vigil/web OPTIONAL)
install(FILES ${CMAKE_SOURCE_DIR}/README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(DIRECTORY ${CMAKE_SOURCE_DIR}/docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR} PATTERN "bench-results" EXCLUDE)

set(CPACK_PACKAGE_NAME vigil)
set(CPACK_PACKAGE_VENDOR "Vigil developers")
set(CPACK_PACKAGE_CONTACT "Vigil developers <vigil@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "守夜 Vigil: map of enterprises, hazard sources and rescue resources for emergency management")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION science)
# Shared libraries by dpkg-shlibdeps; what is loaded at run time by name is listed by hand:
# SpatiaLite (sqlite3_load_extension) and the CJK font the native viewer draws labels with.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libsqlite3-mod-spatialite, fonts-noto-cjk")
include(CPack)
