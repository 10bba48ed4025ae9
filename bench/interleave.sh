#!/bin/bash
# Interleaved timing of two peacesim commands on a shared, noisy machine: A and B run in turn,
# ROUNDS times each, and the medians, the minima and their ratios are printed; then the two
# results files are compared byte for byte. Use it for a build against an earlier build, or for
# one build on 1 thread against 2.
#
#   bench/interleave.sh [--rounds R] [--runs N] A_BIN A_THREADS B_BIN B_THREADS
#
#   bench/interleave.sh --runs 20000 build-before/peacesim 2 build/peacesim 2   # two builds
#   bench/interleave.sh --runs 20000 build/peacesim 1 build/peacesim 2          # 1 thread against 2
set -euo pipefail
rounds=6
runs=10000
while [[ $# -gt 0 && $1 == --* ]]; do
  case $1 in
    --rounds) rounds=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
if [[ $# -ne 4 ]]; then
  sed -n '2,10p' "$0" >&2
  exit 2
fi
a_bin=$1 a_threads=$2 b_bin=$3 b_threads=$4
[[ $rounds =~ ^[1-9][0-9]*$ && $runs =~ ^[1-9][0-9]*$ ]] || { echo "--rounds and --runs take positive whole numbers" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

time_one() {  # BIN THREADS OUT: prints the wall seconds
  local start end
  start=$(date +%s.%N)
  "$1" run --runs "$runs" --threads "$2" -q --out "$3" > /dev/null
  end=$(date +%s.%N)
  python3 -c "print($end - $start)"
}

: > "$work/a.txt"
: > "$work/b.txt"
for ((i = 1; i <= rounds; i++)); do
  time_one "$a_bin" "$a_threads" "$work/a.pb" >> "$work/a.txt"
  time_one "$b_bin" "$b_threads" "$work/b.pb" >> "$work/b.txt"
done
python3 - "$work/a.txt" "$work/b.txt" "$runs" <<'PY'
import statistics, sys
a = [float(x) for x in open(sys.argv[1])]
b = [float(x) for x in open(sys.argv[2])]
print("A s:", " ".join(f"{x:.2f}" for x in a))
print("B s:", " ".join(f"{x:.2f}" for x in b))
print(f"median A {statistics.median(a):.3f} s, B {statistics.median(b):.3f} s, A/B {statistics.median(a) / statistics.median(b):.3f}")
print(f"min    A {min(a):.3f} s, B {min(b):.3f} s, A/B {min(a) / min(b):.3f}")
print(f"(each run: {sys.argv[3]} futures, wall time of the whole command)")
PY
if cmp -s "$work/a.pb" "$work/b.pb"; then echo "results byte-identical"; else echo "RESULTS DIFFER"; exit 1; fi
