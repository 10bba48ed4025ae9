#!/bin/bash
# Peak memory of each MPI rank of one peacesim run: rank 0 (which merges the ranks' parts) and the
# largest of the others, for each number of ranks given, one oneTBB thread per rank. The results
# file of every launch is compared with a single-process run's (exit 1 if one differs). Needs a build
# with -DPEACESIM_MPI=ON, mpirun and /usr/bin/time (scripts/install-deps.sh --mpi); as root, export
# OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1.
#
#   bench/rank_memory.sh [--runs N] BIN RANKS...
#
#   bench/rank_memory.sh --runs 6144 build/peacesim 2 12 24
set -euo pipefail
runs=6144
while [[ $# -gt 0 && $1 == --* ]]; do
  case $1 in
    --runs) runs=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
if [[ $# -lt 2 ]]; then
  sed -n '2,10p' "$0" >&2
  exit 2
fi
bin=$(realpath "$1")
shift
[[ $runs =~ ^[1-9][0-9]*$ ]] || { echo "--runs takes a positive whole number" >&2; exit 2; }
for ranks in "$@"; do
  [[ $ranks =~ ^[1-9][0-9]*$ ]] || { echo "the numbers of ranks must be positive whole numbers" >&2; exit 2; }
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat > "$work/rank.sh" <<'EOF'
#!/bin/sh
exec /usr/bin/time -o "$PEAK_DIR/rank-$OMPI_COMM_WORLD_RANK" -f "%M" "$@"
EOF
chmod +x "$work/rank.sh"
"$bin" run --runs "$runs" --threads 1 -q --out "$work/one.pb" > /dev/null
status=0
printf '%6s  %16s  %22s  %s\n' ranks "rank 0 peak (MiB)" "other ranks' peak (MiB)" "results"
for ranks in "$@"; do
  rm -rf "$work/peaks" && mkdir "$work/peaks"
  PEAK_DIR="$work/peaks" mpirun -x PEAK_DIR -np "$ranks" --oversubscribe "$work/rank.sh" "$bin" run --runs "$runs" \
    --threads 1 -q --out "$work/many.pb" > /dev/null
  rank0=$(cat "$work/peaks/rank-0")
  others=$(for f in "$work/peaks"/rank-*; do [[ $f == */rank-0 ]] || cat "$f"; done | sort -n | tail -1)
  same="the bytes of one process"
  cmp -s "$work/one.pb" "$work/many.pb" || { same="DIFFERENT from one process"; status=1; }
  printf '%6s  %16.1f  %22s  %s\n' "$ranks" "$(echo "$rank0 / 1024" | bc -l)" \
    "$([[ -n $others ]] && printf '%.1f' "$(echo "$others / 1024" | bc -l)" || echo -)" "$same"
done
exit $status
