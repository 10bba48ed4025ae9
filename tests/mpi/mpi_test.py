#!/usr/bin/env python3
"""peacesim run under mpirun on loopback (ctest label `mpi`): the results of -np N are the bytes of a
single-process run with the same seed, and the table is the same; a bad scenario fails every rank
with exit 2, and the failure of one rank (the last, or rank 0 alone) is reported by rank 0 with exit
2 and no rank left waiting; each rank streams its share (--stream FILE: FILE.rank-R, the bytes of
that shard's stream); a run saving checkpoints (one file per rank) and streaming that is killed
carries on when launched again and writes the same results and streams, and refuses to carry on
under another number of ranks.

    mpi_test.py --peacesim build/peacesim --mpirun mpirun --ranks 2
"""
import argparse
import os
import pathlib
import signal
import subprocess
import sys
import tempfile
import time


def session(sid):
    """The live processes of session `sid`."""
    pids = []
    for stat in pathlib.Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()  # state, ppid, pgrp, session, ...
            if int(fields[3]) == sid and fields[0] != "Z":
                pids.append(int(stat.parent.name))
        except (OSError, IndexError, ValueError):
            pass  # gone meanwhile
    return pids


def kill_session(sid):
    """SIGKILL to mpirun and its ranks (one session), as a batch system kills a job; waits till all are gone."""
    deadline = time.time() + 30
    while session(sid) and time.time() < deadline:
        for pid in session(sid):
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        time.sleep(0.05)


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
        # --stream: each rank streams its share to FILE.rank-R, the bytes of the shard's stream.
        r = subprocess.run(mpirun + [a.peacesim] + common + ["-q", "--stream", str(t / "s"), "--out", str(t / "s.pb")],
                           capture_output=True, text=True, env=env, timeout=300)
        check(r.returncode == 0, f"mpirun -np {a.ranks} --stream: {r.stderr}")
        for k in range(1, a.ranks + 1):
            shard = subprocess.run([a.peacesim] + common + ["-q", "--shard", f"{k}/{a.ranks}", "--stream",
                                    str(t / f"shard-{k}"), "--out", str(t / f"part-{k}.pb")],
                                   capture_output=True, text=True, env=env, timeout=300)
            check(shard.returncode == 0, f"shard {k}: {shard.stderr}")
            rank_stream = t / f"s.rank-{k - 1}"
            check(rank_stream.exists() and rank_stream.read_bytes() == (t / f"shard-{k}").read_bytes(),
                  f"rank {k - 1} streams the bytes of shard {k}/{a.ranks}'s stream")
        check(not (t / "s").exists(), "under MPI no stream is written under the bare name")
        # A rank's own stream file, read-only, is kept: that rank refuses it, rank 0 says so, exit 2.
        last = t / f"s.rank-{a.ranks - 1}"
        kept = last.read_bytes()
        last.chmod(0o444)
        r = subprocess.run(mpirun + [a.peacesim] + common + ["-q", "--stream", str(t / "s"), "--out", str(t / "s2.pb")],
                           capture_output=True, text=True, env=env, timeout=300)
        check(r.returncode == 2 and f"rank {a.ranks - 1}: " in r.stderr and "is read-only" in r.stderr
              and last.read_bytes() == kept and not (t / "s2.pb").exists(),
              f"a read-only rank stream is refused: {r.returncode} {r.stderr}")
        last.chmod(0o644)
        bad = pathlib.Path(a.source) / "tests/bad_inputs/05_uniform_min_gt_max.textproto"
        r = subprocess.run(mpirun + [a.peacesim, "run", str(bad), "--runs", "100", "-q", "--out", str(t / "bad.pb")],
                           capture_output=True, text=True, env=env, timeout=300)
        check(r.returncode == 2 and "05_uniform_min_gt_max.textproto:23:25" in r.stderr,
              f"a bad scenario exits 2 with its location: {r.returncode} {r.stderr}")
        check(not (t / "bad.pb").exists(), "no results file after a failed run")
        # One rank fails (its checkpoint is not one), the last or rank 0 alone: rank 0 says so, and the
        # launch exits 2 and ends (rank 0 still takes the other ranks' parts, so none waits on it forever).
        for failing in (a.ranks - 1, 0):
            for f in t.glob("bad.ckpt.rank-*"):
                f.unlink()
            (t / f"bad.ckpt.rank-{failing}").write_bytes(b"not a checkpoint")
            p = subprocess.Popen(mpirun + [a.peacesim, "run", "--runs", "1000", "--threads", "1", "-q",
                                           "--checkpoint", str(t / "bad.ckpt"), "--out", str(t / "bad.pb")],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env,
                                 start_new_session=True)
            try:
                _, err = p.communicate(timeout=120)
                check(p.returncode == 2 and f"rank {failing}: " in err and "not a peacesim partial run" in err,
                      f"rank {failing}'s failure is reported by rank 0, with exit 2: {p.returncode} {err}")
            except subprocess.TimeoutExpired:
                kill_session(p.pid)
                p.communicate()
                check(False, f"the launch hung when rank {failing} failed")
            check(not (t / "bad.pb").exists(), "no results file after a failed run")

        # Checkpoints: each rank saves its share to run.ckpt.rank-R; the whole job is killed mid-way.
        common = ["run", "--runs", "120000", "--seed", "3", "--horizon", "24", "--sample", "300", "--threads", "1"]
        ref = subprocess.run([a.peacesim] + common + ["-q", "--out", str(t / "ref.pb")], capture_output=True, text=True,
                             env=env, timeout=300)
        check(ref.returncode == 0, f"single process: {ref.stderr}")
        for k in range(1, a.ranks + 1):  # each rank's stream of this run, as its shard streams it
            shard = subprocess.run([a.peacesim] + common + ["-q", "--shard", f"{k}/{a.ranks}", "--stream",
                                    str(t / f"ref-{k}.stream"), "--out", str(t / f"ref-{k}.pb")],
                                   capture_output=True, text=True, env=env, timeout=300)
            check(shard.returncode == 0, f"shard {k}: {shard.stderr}")
        ck = t / "run.ckpt"
        files = [t / f"run.ckpt.rank-{r}" for r in range(a.ranks)]
        streams = [t / f"r.stream.rank-{r}" for r in range(a.ranks)]
        cmd = [a.peacesim] + common + ["--checkpoint", str(ck), "--checkpoint-every", "0", "--out", str(t / "r.pb"),
                                       "--stream", str(t / "r.stream")]
        p = subprocess.Popen(mpirun + cmd + ["-q"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
                             start_new_session=True)
        deadline = time.time() + 120
        while not all(f.exists() for f in files) and time.time() < deadline and p.poll() is None:
            time.sleep(0.02)
        time.sleep(0.5)
        running = p.poll() is None
        kill_session(p.pid)
        p.wait()
        check(running, "the run was still going when it was killed (make --runs larger if this machine is fast)")
        check(all(f.exists() for f in files), f"each rank saved a checkpoint before the kill: {sorted(os.listdir(t))}")
        check(not (t / "r.pb").exists(), "a killed run leaves no results file")
        check(all(pathlib.Path(f"{f}.in-progress").exists() for f in streams),
              f"each rank's stream so far is kept beside its checkpoint: {sorted(os.listdir(t))}")
        other = [a.mpirun, "-np", str(a.ranks - 1), "--oversubscribe"]
        r = subprocess.run(other + cmd, capture_output=True, text=True, env=env, timeout=300)
        check(r.returncode == 2 and f"of {a.ranks} MPI ranks, but this launch has {a.ranks - 1}" in r.stderr and
              f"mpirun -np {a.ranks}" in r.stderr, f"carrying on under another number of ranks is refused: {r.stderr}")
        check(all(f.exists() for f in files), "refused checkpoints are left in place")
        r = subprocess.run(mpirun + cmd, capture_output=True, text=True, env=env, timeout=300)
        check(r.returncode == 0, f"the resumed run: {r.stderr}")
        check("rank 0 carrying on from the checkpoint" in r.stderr, f"rank 0 says where it carries on from: {r.stderr}")
        check((t / "r.pb").exists() and (t / "r.pb").read_bytes() == (t / "ref.pb").read_bytes(),
              f"-np {a.ranks} resumed writes the bytes of an uninterrupted single process")
        check(not any(f.exists() for f in files), "the checkpoints are removed once the results are written")
        for k, f in enumerate(streams):
            check(f.exists() and f.read_bytes() == (t / f"ref-{k + 1}.stream").read_bytes(),
                  f"rank {k}'s resumed stream is the bytes of shard {k + 1}/{a.ranks}'s")
            check(not pathlib.Path(f"{f}.in-progress").exists(), f"rank {k}'s stream in progress is gone")
    if failures:
        print(f"{len(failures)} check(s) failed")
        sys.exit(1)
    print(f"mpirun -np {a.ranks}: all checks passed")


if __name__ == "__main__":
    main()
