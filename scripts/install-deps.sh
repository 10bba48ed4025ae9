#!/usr/bin/env bash
# Installs the Debian 12 packages peacesim needs to build, test and benchmark.
# Usage: scripts/install-deps.sh [--mpi] [--browser] [--fuzz]   (as root, or with sudo available)
#   --fuzz: clang and its runtime libraries, for the libFuzzer targets (-DPEACESIM_FUZZ=ON)
set -euo pipefail
pkgs=(build-essential cmake ninja-build ccache git pkg-config python3 python3-protobuf python3-pandas
      libprotobuf-dev protobuf-compiler libtbb-dev libeigen3-dev librandom123-dev
      libboost-dev libboost-program-options-dev libboost-math-dev
      libgtest-dev libgmock-dev libbenchmark-dev valgrind clang-format)
for arg in "$@"; do
  case "$arg" in
    --mpi) pkgs+=(openmpi-bin libopenmpi-dev libboost-mpi-dev time) ;;
    --browser) pkgs+=(chromium) ;;
    --fuzz) pkgs+=(clang libclang-rt-14-dev) ;;
    *) echo "install-deps.sh: unknown option '$arg' (expected --mpi, --browser or --fuzz)" >&2; exit 2 ;;
  esac
done
sudo_cmd=()
[ "$(id -u)" = 0 ] || sudo_cmd=(sudo)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
