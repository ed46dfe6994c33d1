#!/usr/bin/env bash
# Side-by-side performance report, in one run on this machine: Miraflow next to ffmpeg and
# GStreamer on the same inputs, printed as one markdown table (bench/README.md, "Side-by-side report").
#
#   bench/compare.sh [--runs N] [--seconds N] [--no-demo] [--no-build]
#
#   --runs N     runs per figure, the median is reported (default 3)
#   --seconds N  length of each measured pipeline run and of each `miraflow demo` (default 10)
#   --no-demo    skip the simulator's capture-to-sink latency (`./miraflow demo`)
#   --no-build   use the last Release builds
#
# What it runs (each step's full output goes to $WORK, default /tmp/miraflow-compare):
#   1. bench/compare-mux.sh --runs N: CPU per frame of mux + RTP + UDP send to 127.0.0.1 for ffmpeg
#      (-c copy -f rtp_mpegts), GStreamer (mpegtsmux ! rtpmp2tpay ! udpsink) and ours with segmentation
#      offload off and on (also with TieredCompilation=0), raw and start-up corrected, and each tool's
#      peak RSS for that run (/usr/bin/time %M).
#   2. bench/compare-encode.sh (REPEATS=N): OpenH264 through our binding and through GStreamer's
#      openh264enc on the same raw frames, 720p30 4 Mbit/s and 1080p30 8 Mbit/s; plus, as a reference
#      line only, ffmpeg's libx264 -preset ultrafast -threads 1 on the same frames (a different
#      encoder: ffmpeg here has no libopenh264), start-up corrected the same way.
#   3. the benchmark program's `pipeline --seconds S`, N times: the whole send pipeline in real time
#      (1080p60 pre-encoded, 20.7 Mbit/s), capture to last datagram handed to the kernel, p50/p99.
#   4. `./miraflow demo --seconds S --mode 1280x720p30`, N times: the simulator end to end (test
#      picture, OpenH264, driver, loopback RTP, sink), capture-to-sink p50/p99 from its summary.
# Loopback only. The table goes to stdout, progress to stderr. Exits 2 if a tool is missing, 1 if a
# step fails (a run that did not deliver every frame fails compare-mux.sh) or, after printing the
# table, if a demo run failed one of its own checks (the row says which).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
runs=3
seconds=10
demo=1
build=1
while [[ $# -gt 0 ]]; do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --no-demo) demo=0; shift ;;
    --no-build) build=0; shift ;;
    -h|--help) sed -n '2,27p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done

missing=()
for tool in dotnet ffmpeg ffprobe gst-launch-1.0 gst-inspect-1.0 python3 /usr/bin/time awk; do
  command -v "$tool" >/dev/null || missing+=("$tool")
done
if (( ${#missing[@]} )); then
  echo "compare.sh: missing ${missing[*]} (eng/apt-packages.txt lists the Debian packages; setup.sh installs them)" >&2
  exit 2
fi
for plugin in mpegtsmux rtpmp2tpay udpsink h264parse openh264enc rawvideoparse; do
  gst-inspect-1.0 "$plugin" >/dev/null 2>&1 || { echo "compare.sh: GStreamer element $plugin is missing (gstreamer1.0-plugins-base/-good/-bad)" >&2; exit 2; }
done
encoders=$(ffmpeg -hide_banner -encoders 2>/dev/null)  # whole list first: grep -q would close the pipe early (SIGPIPE under pipefail)
grep -q ' libx264 ' <<<"$encoders" || { echo "compare.sh: ffmpeg has no libx264 (needed to make the input)" >&2; exit 2; }

work=${WORK:-/tmp/miraflow-compare}
failed=0
encode_work=${ENCODE_WORK:-/tmp/miraflow-encode}
mkdir -p "$work"
bin="$root/artifacts/bin/Miraflow.Benchmarks/release/Miraflow.Benchmarks"
say() { echo "compare.sh: $*" >&2; }

if [[ $build -eq 1 || ! -x $bin ]]; then
  say "building the benchmark program (Release)"
  dotnet build "$root/bench/Miraflow.Benchmarks/Miraflow.Benchmarks.csproj" -c Release -nologo -v quiet >/dev/null
fi

date_utc=$(date -u '+%Y-%m-%d %H:%M UTC')
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
cpu_model=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
ffmpeg_version=$(ffmpeg -version | awk 'NR == 1 { print $3 }')
gst_version=$(gst-launch-1.0 --version | awk 'NR == 1 { print $NF }')
openh264_version=$(basename "$(readlink -f /usr/lib/x86_64-linux-gnu/libopenh264.so.7 2>/dev/null || echo unknown)" | sed 's/libopenh264.so.//')
dotnet_version=$(dotnet --list-runtimes | awk '/Microsoft.NETCore.App/ { v = $2 } END { print v }')
if grep -q libopenh264 <<<"$encoders"; then
  ffmpeg_openh264="ffmpeg has libopenh264 (not used: the GStreamer line is the OpenH264 peer)"
else
  ffmpeg_openh264="ffmpeg $ffmpeg_version here is built without libopenh264, so OpenH264 through ffmpeg cannot be measured"
fi

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "nan"; else print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# 1. mux + RTP + send ------------------------------------------------------------------------------
say "1/4 mux + RTP + send: bench/compare-mux.sh --runs $runs (log $work/mux.txt)"
"$root/bench/compare-mux.sh" --runs "$runs" --no-build >"$work/mux.txt" 2>&1 || { cat "$work/mux.txt" >&2; say "compare-mux.sh failed"; exit 1; }
# mux_row NAME -> "raw ratio_raw corrected ratio_corrected rss" from compare-mux.sh's table.
mux_row() {
  awk -F' \\| ' -v n="$1" '$1 == "| " n { gsub(/ \|$/, "", $9); print $5, $6, $7, $8, $9 }' "$work/mux.txt"
}

# 2. encode ---------------------------------------------------------------------------------------
say "2/4 encode: bench/compare-encode.sh, REPEATS=$runs (log $work/encode.txt)"
NO_BUILD=1 REPEATS="$runs" WORK="$encode_work" VERIFY=0 "$root/bench/compare-encode.sh" >"$work/encode.txt" 2>&1 \
  || { cat "$work/encode.txt" >&2; say "compare-encode.sh failed"; exit 1; }
# enc_row MODE_HEADER LABEL -> "ms_median ms_min fps" from compare-encode.sh's block for the mode.
enc_row() {
  awk -v m="$1" -v l="$2" 'index($0, m) == 1 { on = 1; next } on && /^[0-9]+x[0-9]+p/ { on = 0 }
    on && index($0, l) { n = split($0, f, " "); print f[n - 2], f[n - 1], f[n]; exit }' "$work/encode.txt"
}
# x264 reference: ffmpeg libx264 ultrafast, one thread, on compare-encode.sh's raw frames, start-up corrected.
x264_cpf() {  # W H FPS BITRATE -> median ms of CPU per frame over $runs
  local w=$1 h=$2 fps=$3 br=$4 full="$encode_work/desktop-$1x$2-300.yuv" short="$encode_work/desktop-$1x$2-60.yuv" r
  [[ -s $full && -s $short ]] || { say "missing raw frames $full"; return 1; }
  for (( r = 1; r <= runs; r++ )); do
    local cpu=()
    for f in "$full" "$short"; do
      /usr/bin/time -f "%U %S" -o "$work/x264.time" ffmpeg -hide_banner -loglevel error -nostdin -f rawvideo -pix_fmt yuv420p \
        -s "${w}x${h}" -r "$fps" -i "$f" -c:v libx264 -preset ultrafast -threads 1 -b:v "$br" -f null - >/dev/null 2>"$work/x264.err" \
        || { cat "$work/x264.err" >&2; return 1; }
      cpu+=("$(awk '{ print $1 + $2 }' "$work/x264.time")")
    done
    awk -v a="${cpu[0]}" -v b="${cpu[1]}" 'BEGIN { printf "%.6f\n", (a - b) / 240 * 1000 }'
  done | median
}
say "2/4 encode: ffmpeg libx264 ultrafast reference, $runs runs per mode"
x264_720=$(x264_cpf 1280 720 30 4M)
x264_1080=$(x264_cpf 1920 1080 30 8M)

# 3. pipeline latency -----------------------------------------------------------------------------
say "3/4 pipeline: $bin pipeline --seconds $seconds, $runs runs (log $work/pipeline.txt)"
: >"$work/pipeline.txt"
for (( r = 1; r <= runs; r++ )); do
  "$bin" pipeline --seconds "$seconds" >>"$work/pipeline.txt" 2>&1 || { cat "$work/pipeline.txt" >&2; say "pipeline run failed"; exit 1; }
done
pipe_field() { sed -n "s/.* $1=\([0-9.]*\).*/\1/p" "$work/pipeline.txt" | median; }
pipe_range() { sed -n "s/.* $1=\([0-9.]*\).*/\1/p" "$work/pipeline.txt" | sort -g | awk 'NR == 1 { a = $1 } { b = $1 } END { printf "%s–%s", a, b }'; }
pipe_p50=$(pipe_field p50); pipe_p99=$(pipe_field p99); pipe_cpu=$(pipe_field cpu_us_per_frame)
pipe_dropped=$(sed -n 's/.* dropped=\([0-9]*\).*/\1/p' "$work/pipeline.txt" | awk '{ s += $1 } END { print s + 0 }')

# 4. simulator demo -------------------------------------------------------------------------------
if [[ $demo -eq 1 ]]; then
  say "4/4 demo: ./miraflow demo --seconds $seconds --mode 1280x720p30, $runs runs (log $work/demo.txt)"
  : >"$work/demo.txt"
  demo_checks=""
  for (( r = 1; r <= runs; r++ )); do
    # Exit 1 = the run completed but one of the demo's own checks failed (docs/simulator.md): its
    # latency figures stand, the failure goes into the table and the script's exit status.
    rc=0; "$root/miraflow" demo --seconds "$seconds" --mode 1280x720p30 --out "$work/demo-capture.ts" >>"$work/demo.txt" 2>&1 || rc=$?
    if (( rc == 1 )) && grep -q '^miraflow: error: .* check(s) failed' "$work/demo.txt"; then
      demo_checks+=" run $r: $(sed -n 's/^miraflow: error: //p' "$work/demo.txt" | tail -1)."
      failed=1
      sed -i 's/^miraflow: error: /miraflow: check failed: /' "$work/demo.txt"
    elif (( rc != 0 )); then
      tail -30 "$work/demo.txt" >&2; say "miraflow demo failed (exit $rc)"; exit 1
    fi
  done
  demo_p50=$(sed -n 's/^ *latency p50: *\([0-9.]*\) ms/\1/p' "$work/demo.txt" | median)
  demo_p99=$(sed -n 's/^ *latency p99: *\([0-9.]*\) ms/\1/p' "$work/demo.txt" | median)
  demo_send_p50=$(sed -n 's/^ *capture->send p50\/p99: *\([0-9.]*\) ms.*/\1/p' "$work/demo.txt" | median)
  demo_send_p99=$(sed -n 's/^ *capture->send p50\/p99: .* \/ \([0-9.]*\) ms/\1/p' "$work/demo.txt" | median)
  demo_sent=$(sed -n 's/^ *frames sent: *\([0-9]*\)/\1/p' "$work/demo.txt" | paste -sd' ')
  demo_dropped=$(sed -n 's/^ *frames dropped: *\([0-9]*\).*/\1/p' "$work/demo.txt" | paste -sd' ')
fi
load_end=$(cut -d' ' -f1-3 /proc/loadavg)

# Report ------------------------------------------------------------------------------------------
mux_line() {  # LABEL NAME
  local raw rr cor rc rss
  read -r raw rr cor rc rss <<<"$(mux_row "$2")"
  echo "| 1. mux + RTP + send, CPU per frame | $1 | **$cor µs** start-up corrected; $raw µs raw | **$rc**; raw $rr | $rss MiB |"
}
enc_line() {  # LABEL MODE LABEL_IN_LOG REF_MS
  local med min fps
  read -r med min fps <<<"$(enc_row "$2" "$3")"
  local ratio=""
  if [[ -n ${4:-} ]]; then  # process-level difference (median, min), and the binding's own share measured in-process
    ratio=$(awk -v a="$med" -v b="$4" -v an="$min" -v bn="$5" 'BEGIN { printf "%+.1f %% (min %+.1f %%)", (a / b - 1) * 100, (an / bn - 1) * 100 }')
    ratio+="; binding $(awk -v m="$2" 'index($0, m) == 1 { on = 1; next } on && /beyond the library/ { sub(/.*EncodeFrame: /, ""); sub(/ \(median\)/, ""); print; exit }' "$work/encode.txt") in-process"
  fi
  echo "| 2. encode $2, CPU per frame (1 thread) | $1 | **$fps fps** per core ($med ms, min $min) | $ratio | |"
}
gst_720=$(enc_row "1280x720p30" "GStreamer openh264enc" | awk '{ print $1, $2 }')
gst_1080=$(enc_row "1920x1080p30" "GStreamer openh264enc" | awk '{ print $1, $2 }')
fps_of() { awk -v m="$1" 'BEGIN { printf "%.1f", 1000 / m }'; }

cat <<EOF
### Miraflow side by side: $date_utc

Machine: nproc $(nproc), $cpu_model, $(uname -sr), .NET $dotnet_version, ffmpeg $ffmpeg_version, GStreamer $gst_version, OpenH264 $openh264_version.
Load average (1/5/15 min) at the start $load_start, at the end $load_end. Median of $runs runs per figure; loopback (127.0.0.1) only.
A shared machine is noisy: compare rows of one run, not runs of different days.

| measurement | tool | figure | vs reference | peak RSS |
|---|---|---|---|---:|
$(mux_line "ffmpeg $ffmpeg_version \`-c copy -f rtp_mpegts\` [a]" "ffmpeg 5.1 (-c copy)")
$(mux_line "GStreamer $gst_version \`mpegtsmux ! rtpmp2tpay ! udpsink\` [b]" "GStreamer 1.22")
$(mux_line "Miraflow, segmentation offload off [c]" "Miraflow, offload off")
$(mux_line "Miraflow, segmentation offload on [c]" "Miraflow, offload on")
$(mux_line "Miraflow, offload off, \`DOTNET_TieredCompilation=0\` [c]" "Miraflow, offload off, TC=0")
$(mux_line "Miraflow, offload on, \`DOTNET_TieredCompilation=0\` [c]" "Miraflow, offload on, TC=0")
$(enc_line "GStreamer openh264enc [d]" "1280x720p30" "GStreamer openh264enc")
$(enc_line "Miraflow OpenH264Encoder [d]" "1280x720p30" "Miraflow OpenH264Encoder" $gst_720)
| 2. encode 1280x720p30, CPU per frame (1 thread) | *reference, different encoder:* ffmpeg libx264 ultrafast [e] | $(fps_of "$x264_720") fps per core ($(printf '%.2f' "$x264_720") ms) | not comparable | |
$(enc_line "GStreamer openh264enc [d]" "1920x1080p30" "GStreamer openh264enc")
$(enc_line "Miraflow OpenH264Encoder [d]" "1920x1080p30" "Miraflow OpenH264Encoder" $gst_1080)
| 2. encode 1920x1080p30, CPU per frame (1 thread) | *reference, different encoder:* ffmpeg libx264 ultrafast [e] | $(fps_of "$x264_1080") fps per core ($(printf '%.2f' "$x264_1080") ms) | not comparable | |
| 3. pipeline 1080p60, capture → last datagram to the kernel | Miraflow \`pipeline\` [f] | **p50 $pipe_p50 µs, p99 $pipe_p99 µs** (p99 range $(pipe_range p99)); CPU $pipe_cpu µs/frame; $pipe_dropped dropped | | |
EOF
if [[ $demo -eq 1 ]]; then
  echo "| 4. simulator 720p30, capture → sink | \`./miraflow demo\` [g] | **p50 $demo_p50 ms, p99 $demo_p99 ms**; capture → send p50 $demo_send_p50 ms, p99 $demo_send_p99 ms; frames sent $demo_sent, dropped $demo_dropped${demo_checks:+; **demo checks failed:**$demo_checks} | | |"
fi
cat <<EOF

Ratios in 1 are to ffmpeg (goal: at most 0.33 start-up corrected); in 2 to GStreamer's openh264enc (the same library; "binding" is the time in our Encode beyond the library's EncodeFrame, measured inside one process and so far less noisy than the process-level difference). $ffmpeg_openh264.
Peak RSS is of the mux + send run (full input), /usr/bin/time's maximum resident set size.

- [a] \`ffmpeg -hide_banner -loglevel error -nostdin -f h264 -framerate 60 -i in.h264 -c copy -f rtp_mpegts udp://127.0.0.1:P\`
- [b] \`gst-launch-1.0 -q filesrc location=in.h264 ! h264parse ! mpegtsmux alignment=7 ! rtpmp2tpay ! udpsink host=127.0.0.1 port=P sync=false\`
- [c] \`Miraflow.Benchmarks mux-send --input in.h264 --port P --fps 60 --offload off|on\` (Release build); a–c via \`bench/compare-mux.sh --runs $runs\`, in.h264 = 600 frames 1080p60 20.7 Mbit/s, start-up corrected with a 1-frame file
- [d] \`bench/compare-encode.sh\` (REPEATS=$runs): 300 raw frames of the test picture, start-up corrected with 60; screen content, RC bitrate, complexity low, 1 thread, 4 / 8 Mbit/s
- [e] \`ffmpeg -f rawvideo -pix_fmt yuv420p -s WxH -r 30 -i frames.yuv -c:v libx264 -preset ultrafast -threads 1 -b:v 4M|8M -f null -\` on the same frames, same correction
- [f] \`Miraflow.Benchmarks pipeline --seconds $seconds\` (1080p60 pre-encoded + LPCM in real time, offload on, receiver in another process)
- [g] \`./miraflow demo --seconds $seconds --mode 1280x720p30\` (test picture, OpenH264, driver, RTP on loopback, sink)
EOF
if (( failed )); then
  say "a check failed (see the table); figures are printed, exit status 1"
  exit 1
fi
