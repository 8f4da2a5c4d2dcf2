#!/usr/bin/env bash
# The wall survives its display going away and coming back: `vigil view --wall` on an Xvfb of its
# own (a monitor that is not there is refused, once); the X server is killed (the window's process ends with it), then started again on the same
# display; the wall's supervisor starts a fresh window there. Then SIGTERM ends the wall with 0.
#   wall_display_test.sh VIGIL DB
set -euo pipefail
export VIGIL_LANG=en # the messages looked for below are the English ones
vigil=$1
work=$(mktemp -d)
db=$work/project.sqlite
cp "$2" "$db" # the wall reads it live: a copy, never the source tree's file
log=$work/wall.log
xvfb_pid="" wall_pid=""
cleanup() {
  [ -n "$wall_pid" ] && kill "$wall_pid" 2>/dev/null || true
  [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# A display number nobody uses.
display=""
for n in $(seq 140 199); do
  if [ ! -e "/tmp/.X$n-lock" ] && [ ! -e "/tmp/.X11-unix/X$n" ]; then display=":$n"; break; fi
done
[ -n "$display" ] || { echo "no free X display number" >&2; exit 1; }

start_x() {
  Xvfb "$display" -screen 0 1280x720x24 -nolisten tcp >/dev/null 2>&1 &
  xvfb_pid=$!
  for _ in $(seq 100); do [ -e "/tmp/.X11-unix/X${display#:}" ] && return 0; sleep 0.1; done
  echo "Xvfb did not start on $display" >&2
  exit 1
}

# Waits until the log holds `count` lines matching `pattern` (at most `seconds`).
wait_for() {
  local pattern=$1 count=$2 seconds=$3
  for _ in $(seq $((seconds * 10))); do
    [ "$(grep -c -- "$pattern" "$log" || true)" -ge "$count" ] && return 0
    sleep 0.1
  done
  echo "timed out waiting for $count x '$pattern'; the wall's log:" >&2
  cat "$log" >&2
  exit 1
}

start_x
# A monitor that is not there: said once, not started again and again.
status=0
DISPLAY=$display timeout 20 "$vigil" -q view "$db" --wall --monitor 7 2>"$work/monitor.log" >/dev/null || status=$?
[ "$status" -eq 2 ] && grep -q "only 1 monitors" "$work/monitor.log" ||
  { echo "--monitor 7 on one monitor: status $status" >&2; cat "$work/monitor.log" >&2; exit 1; }
echo "--monitor 7 refused: $(head -1 "$work/monitor.log")"

DISPLAY=$display "$vigil" -q view "$db" --wall --wall-width 1.2m --viewing-distance 3m 2>"$log" >/dev/null &
wall_pid=$!
wait_for "wall shown" 1 60
echo "shown on $display"

kill "$xvfb_pid"
wait "$xvfb_pid" 2>/dev/null || true
xvfb_pid=""
wait_for "the wall stopped" 1 30
echo "the display went away: $(grep "the wall stopped" "$log" | head -1)"
kill -0 "$wall_pid" || { echo "the wall's supervisor ended with its display" >&2; cat "$log" >&2; exit 1; }

sleep 1
start_x
wait_for "wall shown" 2 90
echo "shown again on $display"

kill -TERM "$wall_pid"
status=0
wait "$wall_pid" || status=$?
wall_pid=""
[ "$status" -eq 0 ] || { echo "the wall ended with $status on SIGTERM" >&2; cat "$log" >&2; exit 1; }
echo "ended cleanly"
