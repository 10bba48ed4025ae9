#!/usr/bin/env python3
"""peacesim run under mpirun on loopback (ctest label `mpi`): the results of -np N are the bytes of a
single-process run with the same seed, and the table is the same; a bad scenario fails every rank
with exit 2.

    mpi_test.py --peacesim build/peacesim --mpirun mpirun --ranks 2
"""
import argparse
import os
import pathlib
import subprocess
import sys
import tempfile


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--peacesim", required=True)
    ap.add_argument("--mpirun", required=True)
    ap.add_argument("--ranks", type=int, required=True)
    ap.add_argument("--source", required=True)
    a = ap.parse_args()
    env = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1",
               OMPI_MCA_btl="self,vader,tcp", OMPI_MCA_btl_tcp_if_include="lo", OMPI_MCA_oob_tcp_if_include="lo")
    mpirun = [a.mpirun, "-np", str(a.ranks), "--oversubscribe"]
    failures = []

    def check(ok, message):
        if not ok:
            failures.append(message)
            print("FAIL:", message)

    with tempfile.TemporaryDirectory() as tmp:
        t = pathlib.Path(tmp)
        # 5,000 realisations: 20 blocks, the last partial; the sample crosses the first share's end.
        common = ["run", "--runs", "5000", "--seed", "12", "--horizon", "36", "--sample", "3000", "--threads", "1"]
        one = subprocess.run([a.peacesim] + common + ["-q", "--out", str(t / "one.pb")], capture_output=True, text=True,
                             env=env, timeout=300)
        check(one.returncode == 0, f"single process: {one.stderr}")
        many = subprocess.run(mpirun + [a.peacesim] + common + ["--out", str(t / "many.pb")], capture_output=True,
                              text=True, env=env, timeout=300)
        check(many.returncode == 0, f"mpirun -np {a.ranks}: {many.stderr}")
        check(f"on {a.ranks} MPI ranks" in many.stderr, f"rank 0 says how many ranks shared the run: {many.stderr}")
        check((t / "many.pb").exists() and (t / "many.pb").read_bytes() == (t / "one.pb").read_bytes(),
              f"-np {a.ranks} writes the bytes of a single-process run")
        check(many.stdout == one.stdout, "the table is printed once, as a single process prints it")
        bad = pathlib.Path(a.source) / "tests/bad_inputs/05_uniform_min_gt_max.textproto"
        r = subprocess.run(mpirun + [a.peacesim, "run", str(bad), "--runs", "100", "-q", "--out", str(t / "bad.pb")],
                           capture_output=True, text=True, env=env, timeout=300)
        check(r.returncode == 2 and "05_uniform_min_gt_max.textproto:23:25" in r.stderr,
              f"a bad scenario exits 2 with its location: {r.returncode} {r.stderr}")
        check(not (t / "bad.pb").exists(), "no results file after a failed run")
    if failures:
        print(f"{len(failures)} check(s) failed")
        sys.exit(1)
    print(f"mpirun -np {a.ranks}: all checks passed")


if __name__ == "__main__":
    main()
