#!/usr/bin/env bash
# Dear ImGui 1.86 from Debian's own source package (Debian's libimgui-dev ships no backends), for
# the native and the browser viewer alike. Output: .deps/imgui/ (core, GLFW and OpenGL 3 backends,
# imgui_stdlib). Needs a deb-src entry (added here if missing, as root) and dpkg-dev.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=$root/.deps/imgui
[ -f "$out/imgui.cpp" ] && [ -f "$out/backends/imgui_impl_opengl3.cpp" ] && exit 0

"$root/tools/ensure-deb-src.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && apt-get source -qq imgui >/dev/null 2>&1)
src=$(find "$work" -maxdepth 1 -type d -name 'imgui-*' | head -n 1)
mkdir -p "$out/backends" "$out/misc/cpp"
cp "$src"/imgui*.cpp "$src"/imgui*.h "$src"/imstb_*.h "$src"/imconfig.h "$src/LICENSE.txt" "$out/"
cp "$src"/backends/imgui_impl_glfw.* "$src"/backends/imgui_impl_opengl3* "$out/backends/"
cp "$src"/misc/cpp/imgui_stdlib.* "$out/misc/cpp/"
echo "Dear ImGui written to $out"
