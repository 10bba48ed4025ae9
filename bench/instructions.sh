#!/bin/bash
# Instructions executed by two peacesim builds on the same run, counted by valgrind's callgrind:
# unlike wall time on a shared machine, the count does not move with the neighbours, so it settles
# changes of a few per cent that timing alone cannot. It is not time: a change that saves
# instructions can still wait longer on memory, so confirm with bench/interleave.sh. Prints each
# build's total, B/A, and the functions whose own counts differ most; then compares the two
# results files byte for byte.
#
#   bench/instructions.sh [--runs N] [--top K] A_BIN B_BIN      (default 1000 futures, 8 functions)
#
#   bench/instructions.sh build-before/peacesim build/peacesim
set -euo pipefail
runs=1000
top=8
while [[ $# -gt 0 && $1 == --* ]]; do
  case $1 in
    --runs) runs=$2; shift 2 ;;
    --top) top=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
if [[ $# -ne 2 ]]; then
  sed -n '2,10p' "$0" >&2
  exit 2
fi
[[ $runs =~ ^[1-9][0-9]*$ && $top =~ ^[0-9]+$ ]] || { echo "--runs takes a positive whole number, --top a whole number" >&2; exit 2; }
command -v valgrind > /dev/null || { echo "valgrind is not installed (apt-get install valgrind)" >&2; exit 2; }
for bin in "$@"; do [[ -f $bin && -x $bin ]] || { echo "$bin: not an executable file" >&2; exit 2; }; done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for side in a b; do
  bin=$1
  shift
  valgrind --tool=callgrind --callgrind-out-file="$work/$side.cg" \
    "$bin" run --runs "$runs" --threads 1 -q --out "$work/$side.pb" > /dev/null 2> "$work/$side.log" ||
    { echo "$bin under valgrind failed:" >&2; tail -5 "$work/$side.log" >&2; exit 1; }
  callgrind_annotate --inclusive=no --threshold=100 "$work/$side.cg" > "$work/$side.functions" 2> /dev/null
done
python3 - "$work/a.cg" "$work/b.cg" "$work/a.functions" "$work/b.functions" "$runs" "$top" <<'PY'
import re, sys

def total(path):
    for line in open(path):
        m = re.match(r"(summary|totals):\s+(\d+)", line)
        if m:
            return int(m.group(2))
    sys.exit(f"no instruction total in {path}")

def functions(path):
    # callgrind_annotate's lines "1,234 (5.6%)  file:function [binary]": each function's own count,
    # named without the binary (the two builds' paths differ).
    counts = {}
    for line in open(path):
        m = re.match(r"\s*([\d,]+)\s+\(\s*[\d.]+%\)\s+(.*?)(\s+\[[^]]*\])?$", line)
        if m and m.group(2) != "PROGRAM TOTALS":
            counts[m.group(2)] = counts.get(m.group(2), 0) + int(m.group(1).replace(",", ""))
    return counts

a, b = total(sys.argv[1]), total(sys.argv[2])
runs, top = int(sys.argv[5]), int(sys.argv[6])
print(f"instructions A {a:,}, B {b:,}, B/A {b / a:.4f} ({runs} futures, one thread, whole command)")
fa, fb = functions(sys.argv[3]), functions(sys.argv[4])
changes = sorted(set(fa) | set(fb), key=lambda f: -abs(fb.get(f, 0) - fa.get(f, 0)))[:top]
if changes:
    print(f"{'A':>15} {'B':>15} {'B - A':>15}  function (own instructions)")
for f in changes:
    x, y = fa.get(f, 0), fb.get(f, 0)
    print(f"{x:>15,} {y:>15,} {y - x:>+15,}  {f[:100]}")
PY
if cmp -s "$work/a.pb" "$work/b.pb"; then echo "results byte-identical"; else echo "RESULTS DIFFER"; exit 1; fi
