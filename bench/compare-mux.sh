#!/usr/bin/env bash
# Compares the CPU time that ffmpeg, GStreamer and Miraflow spend to mux one H.264 file into
# MPEG-TS, pack it into RTP and send it over UDP to 127.0.0.1, as fast as each can (no pacing).
#
#   bench/compare-mux.sh [--runs N] [--short-frames N] [--no-build]
#
# Input: the benchmark stream (1080p60, 20 Mbit/s, 600 access units), made with ffmpeg by the
# benchmark program's make-input command if it is not cached, and a file of its first
# --short-frames access units (default 1) to measure each tool's start-up cost.
#
# Per tool and input, --runs runs (default 7) after one warm-up run; each is started with its
# own receiver: a UDP socket on 127.0.0.1 that a thread of this script drains (so no ICMP port
# unreachable) and that counts datagrams, bytes, RTP sequence gaps, TS packets and video PES
# packets. A run whose receiver did not see every frame, or whose tool failed, is reported as
# FAILED and the script exits with 1: a broken command cannot pass for a fast one.
#
# Tools: ffmpeg (-c copy, rtp_mpegts), GStreamer (h264parse ! mpegtsmux ! rtpmp2tpay ! udpsink),
# and ours (the benchmark program's mux-send command, Release build) with UDP segmentation
# offload off and on, each also with DOTNET_TieredCompilation=0 (optimised code from frame 1).
#
# CPU time is user + system time of the tool's process (and any children) from wait4(2)'s
# rusage, which Linux keeps to the microsecond; /usr/bin/time prints it to 10 ms only, too
# coarse for runs of 0.1 s. The table shows the median over the runs, both raw per frame
# (full-input CPU / frames) and start-up corrected ((CPU_full - CPU_short) / (frames_full -
# frames_short)); bench/README.md explains which to compare.
#
# Memory: after its CPU runs, each tool runs --runs more times on the full input under
# `/usr/bin/time -f %M` (the same receiver and checks); the last column is the median peak resident
# set size (VmHWM at exit, ru_maxrss). Not from this script's own wait4: Linux starts a child's
# ru_maxrss at the high-water mark of the process it was forked (here vforked) from, i.e. this
# Python script with its received datagrams, so only a small parent in between gives the tool's own.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
runs=7
short_frames=1
build=1
while [[ $# -gt 0 ]]; do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --short-frames) short_frames=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    -h|--help) sed -n '2,32p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done

for tool in ffmpeg gst-launch-1.0 python3 dotnet /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "compare-mux.sh needs $tool (setup.sh installs it)" >&2; exit 2; }
done

bin="$root/artifacts/bin/Miraflow.Benchmarks/release/Miraflow.Benchmarks"
if [[ $build -eq 1 || ! -x $bin ]]; then
  echo "Building the benchmark program (Release)..." >&2
  dotnet build "$root/bench/Miraflow.Benchmarks/Miraflow.Benchmarks.csproj" -c Release -nologo -v quiet >&2
fi

full=$("$bin" make-input)
short=$("$bin" make-input --frames "$short_frames")

python3 - "$full" "$short" "$runs" "$bin" <<'PY'
import os, socket, statistics, subprocess, sys, tempfile, threading, time

full, short, runs, ours = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
END = b"MIRAFLOW-COMPARE-END"

def frames_in(path):
    # x264 writes an access unit delimiter (00 00 01 09) in front of every picture.
    with open(path, "rb") as f:
        return f.read().count(b"\x00\x00\x01\x09")

TOOLS = [
    ("ffmpeg 5.1 (-c copy)", ["ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-f", "h264", "-framerate", "60",
                              "-i", "{input}", "-c", "copy", "-f", "rtp_mpegts", "udp://127.0.0.1:{port}"]),
    ("GStreamer 1.22", ["gst-launch-1.0", "-q", "filesrc", "location={input}", "!", "h264parse", "!", "mpegtsmux", "alignment=7",
                        "!", "rtpmp2tpay", "!", "udpsink", "host=127.0.0.1", "port={port}", "sync=false"]),
    ("Miraflow, offload off", [ours, "mux-send", "--input", "{input}", "--port", "{port}", "--fps", "60", "--offload", "off"]),
    ("Miraflow, offload on", [ours, "mux-send", "--input", "{input}", "--port", "{port}", "--fps", "60", "--offload", "on"]),
    # The same with optimised code from the first call (no tier-0 JIT phase), which is what a
    # long-running session reaches after its first seconds, and what a NativeAOT build has at once.
    ("Miraflow, offload off, TC=0", ["env", "DOTNET_TieredCompilation=0", ours, "mux-send", "--input", "{input}", "--port", "{port}", "--fps", "60", "--offload", "off"]),
    ("Miraflow, offload on, TC=0", ["env", "DOTNET_TieredCompilation=0", ours, "mux-send", "--input", "{input}", "--port", "{port}", "--fps", "60", "--offload", "on"]),
]

class Receiver:
    """A UDP socket on 127.0.0.1 drained by a thread until the END marker arrives."""
    def __init__(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            self.sock.setsockopt(socket.SOL_SOCKET, 33, 256 << 20)  # SO_RCVBUFFORCE (needs CAP_NET_ADMIN)
        except OSError:
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 256 << 20)  # capped at net.core.rmem_max
        self.rcvbuf = self.sock.getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.datagrams = []
        self.thread = threading.Thread(target=self._drain, daemon=True)
        self.thread.start()

    def _drain(self):
        recv, append = self.sock.recv, self.datagrams.append
        while True:
            d = recv(65536)
            if d == END:
                return
            append(d)

    def finish(self):
        # The marker queues behind everything the tool sent; resend it in case a full queue dropped it.
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            deadline = time.monotonic() + 30
            while self.thread.is_alive() and time.monotonic() < deadline:
                s.sendto(END, ("127.0.0.1", self.port))
                self.thread.join(0.05)
        self.sock.close()
        if self.thread.is_alive():
            raise RuntimeError("receiver did not finish")
        return analyse(self.datagrams)

def analyse(datagrams):
    r = dict(datagrams=len(datagrams), bytes=0, gaps=0, bad=0, ts=0, pes=0, rtcp=0)
    last = None
    for d in datagrams:
        r["bytes"] += len(d)
        if len(d) < 12 or d[0] >> 6 != 2:
            r["bad"] += 1
            continue
        if 192 <= d[1] <= 223:  # RTCP on the same port (RFC 5761 §4): ffmpeg sends sender reports there
            r["rtcp"] += 1
            continue
        seq = (d[2] << 8) | d[3]
        if last is not None and (seq - last) & 0xFFFF != 1:
            r["gaps"] += 1
        last = seq
        at = 12 + 4 * (d[0] & 0x0F)
        if d[0] & 0x10:
            at += 4 + 4 * ((d[at + 2] << 8) | d[at + 3])
        end = len(d) - (d[-1] if d[0] & 0x20 else 0)
        if (end - at) % 188:
            r["bad"] += 1
        for p in range(at, end - 187, 188):
            if d[p] != 0x47:
                r["bad"] += 1
                continue
            r["ts"] += 1
            if d[p + 1] & 0x40:  # payload_unit_start_indicator
                afc = (d[p + 3] >> 4) & 3
                q = p + 4 + (1 + d[p + 4] if afc & 2 else 0)
                if afc & 1 and q + 4 <= p + 188 and d[q] == 0 and d[q + 1] == 0 and d[q + 2] == 1 and 0xE0 <= d[q + 3] <= 0xEF:
                    r["pes"] += 1
    return r

def run(argv, path, rss=False):
    rx = Receiver()
    argv = [a.replace("{input}", path).replace("{port}", str(rx.port)) for a in argv]
    rss_file = tempfile.NamedTemporaryFile(prefix="compare-mux-rss-", delete=False).name if rss else None
    if rss:
        argv = ["/usr/bin/time", "-f", "%M", "-o", rss_file] + argv
    with tempfile.TemporaryFile() as out:
        start = time.monotonic()
        p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT)
        _, status, ru = os.wait4(p.pid, 0)
        wall = time.monotonic() - start
        p.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read().decode(errors="replace").strip()
    r = rx.finish()
    if rss:
        with open(rss_file) as f:
            r["rss_kib"] = int(f.read().split()[-1])
        os.unlink(rss_file)
    r.update(cpu=ru.ru_utime + ru.ru_stime, user=ru.ru_utime, sys=ru.ru_stime, wall=wall, rc=p.returncode, out=text, rcvbuf=rx.rcvbuf)
    return r

inputs = {"full": (full, frames_in(full)), "short": (short, frames_in(short))}
print(f"input: {full} ({inputs['full'][1]} frames, {os.path.getsize(full) / 1e6:.1f} MB, "
      f"{os.path.getsize(full) * 8 / (inputs['full'][1] / 60) / 1e6:.1f} Mbit/s at 60 fps); "
      f"short input: first {inputs['short'][1]} frame(s); {runs} runs each after a warm-up; machine: {os.cpu_count()} CPUs, "
      f"load average {os.getloadavg()[0]:.2f}")
print()

failed = False
results = {}
for name, argv in TOOLS:
    run(argv, full)  # warm-up: page cache, GStreamer registry, .NET first start
    for kind in ("short", "full"):
        results[(name, kind)] = []
    for i in range(runs):
        for kind in ("short", "full"):
            path, frames = inputs[kind]
            r = run(argv, path)
            ok = r["rc"] == 0 and r["pes"] == frames and r["gaps"] == 0 and r["bad"] == 0
            failed |= not ok
            results[(name, kind)].append(r)
            print(f"  {name:<27} {kind:<5} run {i + 1}: cpu {r['cpu'] * 1e3:7.1f} ms (user {r['user'] * 1e3:6.1f}, sys {r['sys'] * 1e3:6.1f}), "
                  f"wall {r['wall'] * 1e3:6.1f} ms | received {r['datagrams']} datagrams, {r['bytes']} B, {r['ts']} TS packets, "
                  f"{r['pes']}/{frames} video PES, {r['gaps']} seq gaps, {r['bad']} bad, {r['rtcp']} RTCP{'' if ok else '  FAILED rc=%d %s' % (r['rc'], r['out'][:200])}")
            if ok and kind == "full" and r["out"]:
                print(f"      {r['out']}")
    results[(name, "rss")] = []
    for i in range(runs):
        r = run(argv, full, rss=True)
        ok = r["rc"] == 0 and r["pes"] == inputs["full"][1] and r["gaps"] == 0 and r["bad"] == 0
        failed |= not ok
        results[(name, "rss")].append(r)
        print(f"  {name:<27} rss   run {i + 1}: peak RSS {r['rss_kib'] / 1024:.1f} MiB{'' if ok else '  FAILED rc=%d %s' % (r['rc'], r['out'][:200])}")
    if TOOLS[-1][0] != name:
        print()

ff = TOOLS[0][0]
def med(name, kind):
    return statistics.median(r["cpu"] for r in results[(name, kind)])
nf, ns = inputs["full"][1], inputs["short"][1]
raw = {name: med(name, "full") / nf * 1e6 for name, _ in TOOLS}
fair = {name: (med(name, "full") - med(name, "short")) / (nf - ns) * 1e6 for name, _ in TOOLS}

print()
print(f"Median CPU (user+sys) over {runs} runs; per frame = CPU / {nf}; corrected = (CPU_full - CPU_short) / ({nf} - {ns}).")
print()
print(f"| tool | frames | CPU full s | CPU short s | CPU per frame µs | ratio to ffmpeg | start-up corrected µs/frame | ratio to ffmpeg | peak RSS MiB |")
print(f"|---|---:|---:|---:|---:|---:|---:|---:|---:|")
for name, _ in TOOLS:
    rss = statistics.median(r["rss_kib"] for r in results[(name, "rss")]) / 1024
    print(f"| {name} | {nf} | {med(name, 'full'):.3f} | {med(name, 'short'):.3f} | {raw[name]:.1f} | {raw[name] / raw[ff]:.2f} | {fair[name]:.1f} | {fair[name] / fair[ff]:.2f} | {rss:.1f} |")
print()
print("received per full run: " + "; ".join(
    f"{name}: {results[(name, 'full')][0]['datagrams']} datagrams, {results[(name, 'full')][0]['bytes'] / 1e6:.2f} MB" for name, _ in TOOLS)
    + f" (receive buffer {results[(ff, 'full')][0]['rcvbuf']} B); load average at the end {os.getloadavg()[0]:.2f}")
if failed:
    print("FAILED: some runs did not deliver every frame (see the lines above).")
    sys.exit(1)
PY
