#!/usr/bin/env bash
# Our sink against a real WFD source: GNOME Network Displays (Debian's gnome-network-displays, a
# GStreamer-based Miracast source) streams an Xvfb screen to `miraflow sink --connect`.
#
#   tests/interop/gnome-network-displays.sh MIRAFLOW OUTDIR [SECONDS]
#
# MIRAFLOW is the miraflow command; OUTDIR receives capture.ts, report.json (the sink's --report)
# and gnome-network-displays.log. MIRAFLOW_INTEROP_SINK_ARGS adds options to the sink (for example
# "--caps FILE" to play another device); MIRAFLOW_INTEROP_PCAP=1 records the loopback too. The exit code is the sink's (docs/simulator.md), or 3 when the
# source could not be brought up (the message says which step failed).
#
# How: with NETWORK_DISPLAYS_DUMMY=1 the application lists a "Dummy WFD Sink"; activating that row
# (a click through xdotool) makes it listen for a sink on TCP port 7236, where our sink connects.
# It listens on every address, so the whole run happens in network, PID and mount namespaces of
# its own (unshare): only that namespace's loopback exists, nothing is reachable from outside, and
# every process started here dies with the namespace's first process when the script ends.
set -euo pipefail

if [ $# -lt 2 ]; then
  echo "usage: $0 MIRAFLOW OUTDIR [SECONDS]" >&2
  exit 2
fi
miraflow=$(realpath "$1")
out=$(realpath "$2")
seconds=${3:-6}

if [ "${MIRAFLOW_INTEROP_INSIDE:-}" != 1 ]; then
  export MIRAFLOW_INTEROP_INSIDE=1
  as_user=()
  if [ "$(id -u)" -ne 0 ]; then as_user=(--user --map-root-user); fi
  exec unshare "${as_user[@]}" --net --pid --fork --kill-child --mount-proc -- bash "$0" "$miraflow" "$out" "$seconds"
fi

fail() { echo "gnome-network-displays interop: $*" >&2; exit 3; }
mkdir -p "$out"
ip link set lo up || fail "cannot bring up the namespace's loopback"

# A private X server; -displayfd picks a free display and tells us which.
work=$(mktemp -d)
Xvfb -displayfd 3 -nolisten tcp -screen 0 1280x720x24 3>"$work/display" >"$out/xvfb.log" 2>&1 &
for _ in $(seq 50); do [ -s "$work/display" ] && break; sleep 0.1; done
[ -s "$work/display" ] || fail "Xvfb did not start (see $out/xvfb.log)"
export DISPLAY=":$(cat "$work/display")"

# Something that moves on the screen the source captures: ffplay showing a test pattern.
ffplay -hide_banner -loglevel error -f lavfi -i testsrc2=size=640x360:rate=30 -an -noborder -left 640 -top 360 \
  >"$out/ffplay.log" 2>&1 &

NETWORK_DISPLAYS_DUMMY=1 G_MESSAGES_DEBUG=all dbus-run-session -- gnome-network-displays \
  >"$out/gnome-network-displays.log" 2>&1 &
window=$(timeout 30 xdotool search --sync --name '^Network Displays$' | head -n 1) \
  || fail "its window did not appear within 30 s (see $out/gnome-network-displays.log)"

# The dummy sink is the list's first row, centred under the "Available Video Sinks" heading.
# Click it until the application listens (the first click can land before the list is drawn).
listening=false
for _ in $(seq 20); do
  width=$(xdotool getwindowgeometry --shell "$window" | sed -n 's/^WIDTH=//p')
  xdotool mousemove --window "$window" $((width / 2)) 140 click 1
  sleep 0.5
  if ss -Hltn 'sport = :7236' | grep -q .; then listening=true; break; fi
done
$listening || fail "it did not listen on port 7236 after the dummy sink's row was clicked (see $out/gnome-network-displays.log)"

# MIRAFLOW_INTEROP_PCAP=1 also records the namespace's loopback (lo.pcapng), to check what the sink
# kept against what came over the wire.
if [ "${MIRAFLOW_INTEROP_PCAP:-}" = 1 ]; then
  dumpcap -q -i lo -w "$out/lo.pcapng" >"$out/dumpcap.log" 2>&1 &
  dumpcap_pid=$!
  for _ in $(seq 100); do grep -q '^Capturing on' "$out/dumpcap.log" && break; sleep 0.1; done
  grep -q '^Capturing on' "$out/dumpcap.log" || fail "dumpcap did not start (see $out/dumpcap.log)"
  sleep 0.5
fi

status=0
"$miraflow" sink --connect 127.0.0.1:7236 ${MIRAFLOW_INTEROP_SINK_ARGS:-} --seconds "$seconds" --out "$out/capture.ts" --report "$out/report.json" || status=$?
# dumpcap still holds the last packets in its buffer: give it a moment before stopping it.
if [ -n "${dumpcap_pid:-}" ]; then sleep 1; kill -INT "$dumpcap_pid"; wait "$dumpcap_pid" || true; fi
exit "$status"
