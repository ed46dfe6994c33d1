#!/usr/bin/env bash
# Miraflow's OpenH264 binding next to GStreamer's openh264enc, on the same raw I420 frames with the
# same encoder settings: CPU time per frame (and fps per core) of each, and what the binding adds.
#
#   bench/compare-encode.sh                 # 720p30 4 Mbit/s and 1080p30 8 Mbit/s, 300 frames, 3 repeats
#   FRAMES=600 REPEATS=5 bench/compare-encode.sh
#   MODES="1920 1080 60 12000000 4.2" bench/compare-encode.sh
#   NO_BUILD=1 bench/compare-encode.sh      # use the last Release build of bench/Miraflow.Benchmarks
#
# Input: the test picture (TestPictureSource's desktop: drifting window, clock, a noise-textured
# "video" panel), written once by `Miraflow.Benchmarks encode-raw` to $WORK (default /tmp/miraflow-encode).
#
# Method. Both run the same library (OpenH264 2.3.1, libopenh264.so.7), so the difference is the
# wrapper: ours (descriptor setup, one copy of each access unit into a pooled buffer) against
# GStreamer's (buffer mapping, caps, its output buffer and copy). Each tool runs on N frames and on
# the first S frames; (CPU(N) - CPU(S)) / (N - S) is the CPU per frame with process start-up, JIT,
# plugin loading and encoder set-up cancelled out. CPU = user + sys of the whole process
# (/usr/bin/time), so a loaded machine slows the wall clock but the CPU figures far less.
#   - Both read the file frame by frame as they encode: GStreamer's filesrc with one frame per
#     buffer, ours with `encode --stream 1` (one picture refilled per frame). Reading every frame
#     into memory first (the default of `encode`) costs our process page faults and zeroing of
#     fresh buffers that GStreamer's buffer pool never pays, which is not the binding's cost.
#   - One more run of ours with the frames preloaded gives the encode loop alone (no file I/O).
#   - Ours also reports the time spent in OpenH264Encoder.Encode beyond the library's EncodeFrame:
#     the binding's own cost, measured within one process and so far less sensitive to the noise
#     of a shared machine than the process-level comparison.
#   - S defaults to 60 frames so .NET's tier-1 re-JIT (after 30 calls) happens in both runs and
#     cancels (the shipping driver is NativeAOT: no JIT at all).
# Repeats are interleaved; the table shows the median and the minimum CPU per frame.
#
# Same settings on both sides: usage screen content, RC bitrate mode, target and peak bitrate,
# complexity low, one thread, one slice, QP 12-51, IDR every 10 s, no frame skipping, profile
# constrained baseline at the given level. (GStreamer additionally re-sets the frame rate from
# buffer timestamps every 10 frames, so its bitstream drifts a little from ours; with VERIFY=1 the
# script prints both sizes and frame counts as decoded by ffprobe.)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
FRAMES="${FRAMES:-300}"
SHORT="${SHORT:-60}"
REPEATS="${REPEATS:-3}"
WORK="${WORK:-/tmp/miraflow-encode}"
VERIFY="${VERIFY:-1}"
# width height fps bitrate level ; ...
MODES="${MODES:-1280 720 30 4000000 3.1;1920 1080 30 8000000 4.0}"
DLL="$ROOT/artifacts/bin/Miraflow.Benchmarks/release/Miraflow.Benchmarks.dll"

for tool in gst-launch-1.0 gst-inspect-1.0 ffprobe /usr/bin/time dotnet; do
  command -v "$tool" >/dev/null || { echo "missing: $tool (see eng/apt-packages.txt)" >&2; exit 1; }
done
gst-inspect-1.0 openh264enc >/dev/null 2>&1 || { echo "GStreamer's openh264enc is missing (gstreamer1.0-plugins-bad)" >&2; exit 1; }
(( SHORT < FRAMES )) || { echo "SHORT ($SHORT) must be below FRAMES ($FRAMES)" >&2; exit 1; }

if [[ "${NO_BUILD:-0}" != 1 ]]; then
  dotnet build "$ROOT/bench/Miraflow.Benchmarks" -c Release -v quiet -nologo >/dev/null
fi
mkdir -p "$WORK"

# level_max LEVEL: the peak bitrate our encoder uses when none is given (Table A-1 MaxBR x 1200).
level_max() {
  case "$1" in
    3.1) echo 16800000 ;; 3.2|4|4.0) echo 24000000 ;; 4.1|4.2) echo 60000000 ;;
    *) echo "unknown level $1" >&2; exit 1 ;;
  esac
}

# cpu_of OUTFILE CMD...: runs CMD under /usr/bin/time, prints "wall cpu" (seconds, cpu = user + sys).
cpu_of() {
  local out="$1"; shift
  /usr/bin/time -f "%e %U %S" -o "$WORK/time.txt" "$@" >"$out" 2>"$out.err" || { cat "$out.err" >&2; return 1; }
  awk '{ printf "%.3f %.3f\n", $1, $2 + $3 }' "$WORK/time.txt"
}

# ours_cmd INPUT W H FPS BITRATE LEVEL [extra...]: sets CMD to our encode command.
ours_cmd() {
  CMD=(dotnet "$DLL" encode --input "$1" --width "$2" --height "$3" --fps "$4" --bitrate "$5"
       --level "$6" --threads 1 --idr-seconds 10 "${@:7}")
}

# gst_cmd INPUT W H FPS BITRATE LEVEL SINK...: sets CMD to the equivalent GStreamer pipeline.
gst_cmd() {
  local size=$(( $2 * $3 * 3 / 2 ))
  CMD=(gst-launch-1.0 -q filesrc location="$1" blocksize="$size"
       ! rawvideoparse width="$2" height="$3" format=i420 framerate="$4/1"
       ! openh264enc usage-type=screen rate-control=bitrate bitrate="$5" max-bitrate="$(level_max "$6")"
         complexity=low multi-thread=1 slice-mode=n-slices num-slices=1 gop-size=$(( $4 * 10 ))
         qp-min=12 qp-max=51 enable-frame-skip=false background-detection=false
         adaptive-quantization=false scene-change-detection=true
       ! "video/x-h264,profile=constrained-baseline,level=(string)$6" ! "${@:7}")
}

# slope FULL SHORT: CPU seconds per frame between the two runs.
slope() { awk -v a="$1" -v b="$2" -v n="$FRAMES" -v s="$SHORT" 'BEGIN { printf "%.6f\n", (a - b) / (n - s) }'; }

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
minimum() { sort -g | head -1; }

printf '\nOpenH264 %s through Miraflow vs GStreamer %s openh264enc: %d frames (start-up corrected with %d), %d repeats\n' \
  "$(basename "$(readlink -f /usr/lib/x86_64-linux-gnu/libopenh264.so.7 2>/dev/null || echo libopenh264)" | sed 's/libopenh264.so.//')" \
  "$(gst-launch-1.0 --version | awk 'NR==1 { print $NF }')" "$FRAMES" "$SHORT" "$REPEATS"
printf '%s, %s cores, load average %s\n\n' "$(uname -m)" "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)"

IFS=';' read -ra mode_list <<<"$MODES"
for mode in "${mode_list[@]}"; do
  read -r w h fps br level <<<"$mode"
  full="$WORK/desktop-${w}x${h}-${FRAMES}.yuv"
  short="$WORK/desktop-${w}x${h}-${SHORT}.yuv"
  size=$(( w * h * 3 / 2 ))
  if [[ ! -s "$full" ]]; then
    dotnet "$DLL" encode-raw --width "$w" --height "$h" --frames "$FRAMES" --out "$full" >/dev/null
  fi
  head -c $(( size * SHORT )) "$full" >"$short"

  : >"$WORK/ours.cpf"; : >"$WORK/gst.cpf"; : >"$WORK/binding.pct"
  for (( r = 1; r <= REPEATS; r++ )); do
    ours_cmd "$full" "$w" "$h" "$fps" "$br" "$level" --stream 1;  t=$(cpu_of "$WORK/ours-full.out" "${CMD[@]}");  ours_full=${t#* }
    ours_cmd "$short" "$w" "$h" "$fps" "$br" "$level" --stream 1; t=$(cpu_of "$WORK/ours-short.out" "${CMD[@]}"); ours_short=${t#* }
    gst_cmd "$full" "$w" "$h" "$fps" "$br" "$level" fakesink;  t=$(cpu_of "$WORK/gst-full.out" "${CMD[@]}");  gst_full=${t#* }
    gst_cmd "$short" "$w" "$h" "$fps" "$br" "$level" fakesink; t=$(cpu_of "$WORK/gst-short.out" "${CMD[@]}"); gst_short=${t#* }
    slope "$ours_full" "$ours_short" >>"$WORK/ours.cpf"
    slope "$gst_full" "$gst_short" >>"$WORK/gst.cpf"
    sed -n 's/.*binding_overhead=\([-0-9.]*\)%.*/\1/p' "$WORK/ours-full.out" >>"$WORK/binding.pct"
    printf '  repeat %d: ms CPU/frame ours %.3f, GStreamer %.3f\n' "$r" \
      "$(awk '{ v = $1 } END { print v * 1000 }' "$WORK/ours.cpf")" "$(awk '{ v = $1 } END { print v * 1000 }' "$WORK/gst.cpf")"
  done

  ours_med=$(median <"$WORK/ours.cpf"); ours_min=$(minimum <"$WORK/ours.cpf")
  gst_med=$(median <"$WORK/gst.cpf"); gst_min=$(minimum <"$WORK/gst.cpf")
  ours_cmd "$full" "$w" "$h" "$fps" "$br" "$level"; "${CMD[@]}" >"$WORK/ours-preloaded.out"
  loop_med=$(sed -n 's/.*loop_cpu=\([0-9.]*\)s.*/\1/p' "$WORK/ours-preloaded.out" | awk -v n="$FRAMES" '{ printf "%.6f\n", $1 / n }')
  binding_med=$(median <"$WORK/binding.pct")
  printf '%sx%sp%s %s Mbit/s level %s\n' "$w" "$h" "$fps" "$(awk -v b="$br" 'BEGIN { print b / 1e6 }')" "$level"
  awk -v om="$ours_med" -v on="$ours_min" -v gm="$gst_med" -v gn="$gst_min" -v lm="$loop_med" -v bm="$binding_med" 'BEGIN {
    printf "  %-44s %13s %8s %9s\n", "", "ms CPU/frame", "(min)", "fps/core"
    printf "  %-44s %13.3f %8.3f %9.1f\n", "GStreamer openh264enc (process)", gm * 1000, gn * 1000, 1 / gm
    printf "  %-44s %13.3f %8.3f %9.1f\n", "Miraflow OpenH264Encoder (process)", om * 1000, on * 1000, 1 / om
    printf "  %-44s %13.3f %8s %9.1f\n", "Miraflow encode loop, frames preloaded", lm * 1000, "", 1 / lm
    printf "  Miraflow vs GStreamer: %+.1f %% (median), %+.1f %% (min)\n", (om / gm - 1) * 100, (on / gn - 1) * 100
    printf "  in-process: time in OpenH264Encoder.Encode beyond the library'"'"'s EncodeFrame: %+.2f %% (median)\n", bm
  }'
  echo "  ours: $(cat "$WORK/ours-preloaded.out")"

  if [[ "$VERIFY" == 1 ]]; then
    ours_cmd "$full" "$w" "$h" "$fps" "$br" "$level" --out "$WORK/ours.h264"; "${CMD[@]}" >/dev/null
    gst_cmd "$full" "$w" "$h" "$fps" "$br" "$level" filesink location="$WORK/gst.h264"; "${CMD[@]}" >/dev/null 2>&1
    for f in ours gst; do
      printf '  %-5s %9d bytes, %s\n' "$f" "$(stat -c %s "$WORK/$f.h264")" \
        "$(ffprobe -v error -count_frames -show_entries stream=profile,level,nb_read_frames -of csv=p=0 "$WORK/$f.h264")"
    done
    same=$( (cmp "$WORK/ours.h264" "$WORK/gst.h264" 2>/dev/null || true) | awk '{ print $5 }' | tr -d ,)
    echo "  bitstreams identical up to byte ${same:-end}"
  fi
  echo
done
