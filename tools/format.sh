#!/usr/bin/env bash
# clang-format (Debian's clang-format 14) with the repository's .clang-format over every C and C++
# source the repository tracks (core/, viewer/, web/, tools/, tests/, bench/, layers/).
# Usage: tools/format.sh          rewrite the files in place
#        tools/format.sh --check  change nothing; list the files that are not formatted and fail
# tools/test.sh runs --check (a few seconds), so a change that is not formatted fails the suite.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
format=$(command -v clang-format-14 || command -v clang-format || true)
[ -n "$format" ] || { echo "clang-format is not installed (tools/install-deps.sh installs it)" >&2; exit 1; }

mapfile -d '' files < <(git ls-files -z -- '*.cpp' '*.hpp' '*.h' '*.c' '*.cc' ':!:tests/e2e/node_modules/**')
[ "${#files[@]}" -gt 0 ] || { echo "no sources found under $root" >&2; exit 1; }

if [ "${1:-}" = --check ]; then
  # --dry-run -Werror: an error per place clang-format would change, a non-zero exit for any. In
  # batches of 64 files: one process per file spent ~40 s starting clang-format 389 times.
  status=0
  report=$(printf '%s\0' "${files[@]}" | xargs -0 -P "$(nproc)" -n 64 "$format" --dry-run -Werror 2>&1) || status=$?
  if [ "$status" -ne 0 ]; then
    echo "not formatted as .clang-format says (run tools/format.sh):" >&2
    bad=$(printf '%s\n' "$report" | sed -n 's/^\(.*\):[0-9]*:[0-9]*: error: code should be clang-formatted.*/\1/p' | sort -u)
    if [ -n "$bad" ]; then printf '  %s\n' $bad >&2; else printf '%s\n' "$report" >&2; fi
    exit 1
  fi
  echo "format: ${#files[@]} files formatted"
else
  printf '%s\0' "${files[@]}" | xargs -0 -P "$(nproc)" -n 16 "$format" -i
  echo "format: ${#files[@]} files"
fi
