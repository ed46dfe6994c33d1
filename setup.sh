#!/usr/bin/env bash
# Miraflow setup: one idempotent, non-interactive command for a fresh Debian machine.
#   1. installs the Debian packages the project needs (eng/apt-packages.txt),
#   2. restores and builds Pipeline.sln,
#   3. runs the main job: `miraflow demo`, the driver under the emulated OS streaming to our
#      sink on loopback for 5 s, which writes artifacts/capture.ts and checks it.
# Re-running it is cheap: installed packages are skipped, the build is incremental.
set -euo pipefail
cd "$(dirname "$0")"

log() { printf '[setup] %s\n' "$*"; }

# --- 1. Debian packages --------------------------------------------------------------------
mapfile -t wanted < <(grep -v '^\s*#' eng/apt-packages.txt | awk 'NF { print $1 }')
missing=()
for pkg in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if ((${#missing[@]})); then
  log "installing Debian packages: ${missing[*]}"
  sudo_cmd=()
  if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  log "Debian packages: all present (${#wanted[@]} wanted)"
fi

# --- 2. .NET SDK, restore, build -----------------------------------------------------------
if ! command -v dotnet >/dev/null 2>&1; then
  log "error: the .NET SDK 10.0 is not installed (dotnet is not on PATH); global.json asks for 10.0.100 or a later 10.0 feature band." >&2
  exit 1
fi
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
log "restoring and building Pipeline.sln ($(dotnet --version))"
dotnet build Pipeline.sln -c Release --nologo -v quiet -clp:ErrorsOnly

# --- 3. main job ---------------------------------------------------------------------------
# The whole chain: the emulated Windows loads the driver, our WFD sink connects over loopback,
# the simulated GPU presents the test picture, the driver encodes and streams it, the sink checks
# every datagram; exit code 0 only when every check passed (docs/simulator.md).
log "main job: miraflow demo (5 s, capture in artifacts/capture.ts)"
./miraflow demo --seconds 5 --out artifacts/capture.ts
log "done"
