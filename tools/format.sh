#!/usr/bin/env bash
# clang-format (Debian's clang-format 14) with the repository's .clang-format over every C and C++
# source the repository tracks (core/, viewer/, web/, tools/, tests/, bench/, layers/).
# Usage: tools/format.sh          rewrite the files in place
#        tools/format.sh --check  change nothing; list the files that are not formatted and fail
# tools/test.sh runs --check (about 10 s), so a change that is not formatted fails the suite.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
format=$(command -v clang-format-14 || command -v clang-format || true)
[ -n "$format" ] || { echo "clang-format is not installed (tools/install-deps.sh installs it)" >&2; exit 1; }

mapfile -d '' files < <(git ls-files -z -- '*.cpp' '*.hpp' '*.h' '*.c' '*.cc' ':!:tests/e2e/node_modules/**')
[ "${#files[@]}" -gt 0 ] || { echo "no sources found under $root" >&2; exit 1; }

if [ "${1:-}" = --check ]; then
  # --dry-run -Werror: one warning per place clang-format would change; a non-zero exit for any.
  bad=()
  for f in "${files[@]}"; do
    "$format" --dry-run -Werror "$f" >/dev/null 2>&1 || bad+=("$f")
  done
  if [ "${#bad[@]}" -gt 0 ]; then
    echo "not formatted as .clang-format says (run tools/format.sh):" >&2
    printf '  %s\n' "${bad[@]}" >&2
    exit 1
  fi
  echo "format: ${#files[@]} files formatted"
else
  printf '%s\0' "${files[@]}" | xargs -0 -P "$(nproc)" -n 16 "$format" -i
  echo "format: ${#files[@]} files"
fi
