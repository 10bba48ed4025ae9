#!/usr/bin/env python3
"""The stream consumer, end to end: peacesim run --stream, read by examples/python/read_stream.py into
pandas frames; whole and as shards, its per-option means are the results' (ctest label `python`):

    read_stream_test.py --peacesim build/peacesim --python-out build/python --source .
"""
import argparse
import csv
import io
import os
import pathlib
import re
import subprocess
import sys
import tempfile

FAILURES = []


def check(condition, message):
    if not condition:
        FAILURES.append(message)
        print("FAIL:", message)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--peacesim", required=True)
    ap.add_argument("--python-out", required=True)
    ap.add_argument("--source", required=True)
    args = ap.parse_args()
    src = pathlib.Path(args.source)
    example = src / "examples/python/read_stream.py"
    env = dict(os.environ, PYTHONPATH=args.python_out)
    sys.path.insert(0, args.python_out)
    sys.path.insert(0, str(src / "examples/python"))
    import read_stream  # noqa: E402  the example, as a module

    with tempfile.TemporaryDirectory() as tmp:
        t = pathlib.Path(tmp)
        common = [args.peacesim, "run", str(src / "scenarios/examples/tiny.textproto"), "--runs", "1000", "--seed", "5",
                  "--quiet"]
        r = subprocess.run(common + ["--stream", str(t / "s.pbstream"), "--out", str(t / "r.pb")], capture_output=True,
                           text=True)
        check(r.returncode == 0, f"run --stream: {r.stderr}")
        for k in (1, 2, 3):
            r = subprocess.run(common + ["--shard", f"{k}/3", "--stream", str(t / f"s{k}.pbstream"), "--out",
                                         str(t / f"p{k}.pb")], capture_output=True, text=True)
            check(r.returncode == 0, f"run --shard {k}/3 --stream: {r.stderr}")
        summary = subprocess.run([args.peacesim, "show", str(t / "r.pb"), "--csv"], capture_output=True, text=True)
        rows = {row["option_id"]: row for row in csv.DictReader(io.StringIO(summary.stdout))}

        header, futures, outcomes = read_stream.read_streams([str(t / "s.pbstream")])
        check(len(futures) == 1000 and len(outcomes) == 1000 * len(rows), f"frames of {len(futures)}, {len(outcomes)}")
        check(list(futures["realisation"]) == list(range(1000)), "futures in realisation order")
        check(len(futures.columns) == 2 + len(header.inputs), "one column per input")
        for option, group in outcomes.groupby("option"):
            mean = group["score"].mean()
            check(abs(mean - float(rows[option]["score_mean"])) <= 0.0005 + 1e-12,
                  f"{option}: stream mean score {mean:.4f}, results {rows[option]['score_mean']}")
            relapse = (group["relapse_month"] > 0).mean()
            check(abs(relapse - float(rows[option]["p_relapse"])) <= 0.0005 + 1e-12,
                  f"{option}: stream P(relapse) {relapse:.4f}, results {rows[option]['p_relapse']}")
        # The results framework: each benchmark's share of futures met, per option, is the results' P(met).
        r = subprocess.run([args.peacesim, "run", "--runs", "500", "--horizon", "36", "--seed", "5", "--quiet",
                            "--stream", str(t / "c.pbstream"), "--out", str(t / "c.pb")], capture_output=True, text=True)
        check(r.returncode == 0, f"run carana --stream: {r.stderr}")
        shown = subprocess.run([args.peacesim, "show", str(t / "c.pb"), "--benchmarks", "--csv"], capture_output=True,
                               text=True)
        met = {(row["option_id"], row["benchmark_id"]): row for row in csv.DictReader(io.StringIO(shown.stdout))}
        check(len(met) >= 5 * 8, f"{len(met)} benchmark rows")
        _, _, carana = read_stream.read_streams([str(t / "c.pbstream")])
        for (option, benchmark), row in met.items():
            share = carana.loc[carana["option"] == option, f"met_{benchmark}"].mean()
            want = float(row["p_met"]) if row["evaluated"] == "true" else 0.0
            check(abs(share - want) <= 1e-12, f"{option} {benchmark}: stream share {share}, results P(met) {want}")

        _, f3, o3 = read_stream.read_streams([str(t / f"s{k}.pbstream") for k in (1, 2, 3)])
        check(f3.equals(futures) and o3.equals(outcomes), "the three shards' streams join to the whole run's")

        r = subprocess.run([sys.executable, str(example), str(t / "s.pbstream")], capture_output=True, text=True,
                           env=env)
        check(r.returncode == 0 and re.search(r"1000 futures x \d+ months, seed 5", r.stdout) is not None,
              f"read_stream.py prints its summary: {r.returncode} {r.stdout} {r.stderr}")
        print(r.stdout)
        r = subprocess.run([sys.executable, str(example), str(t / "s2.pbstream"), str(t / "s1.pbstream")],
                           capture_output=True, text=True, env=env)
        check(r.returncode == 2 and "give the shards' streams in order" in r.stderr, f"shards out of order: {r.stderr}")
        truncated = t / "cut.pbstream"
        truncated.write_bytes((t / "s.pbstream").read_bytes()[:-7])
        r = subprocess.run([sys.executable, str(example), str(truncated)], capture_output=True, text=True, env=env)
        check(r.returncode == 2 and "truncated" in r.stderr, f"a truncated stream: {r.stderr}")
        # A stream edited by hand is refused naming the file and the record (the header is record 0).
        from peacesim.v1 import stream_pb2  # noqa: E402

        def varint(n):
            out = b""
            while n >= 0x80:
                out += bytes([(n & 0x7F) | 0x80])
                n >>= 7
            return out + bytes([n])

        def frame(data, at):  # (start, size) of the record framed at `at`
            size, shift = 0, 0
            while True:
                b = data[at]
                at += 1
                size |= (b & 0x7F) << shift
                shift += 7
                if not b & 0x80:
                    return at, size

        whole = (t / "s.pbstream").read_bytes()
        hs, hn = frame(whole, 0)
        fs, fn = frame(whole, hs + hn)
        head, first, rest = whole[:hs + hn], whole[fs:fs + fn], whole[fs + fn:]

        def edited_future(edit):
            rec = stream_pb2.FutureRecord()
            rec.ParseFromString(first)
            edit(rec)
            data = rec.SerializeToString()
            return head + varint(len(data)) + data + rest

        def edited_header(edit):
            h = stream_pb2.StreamHeader()
            h.ParseFromString(whole[hs:hs + hn])
            edit(h)
            data = h.SerializeToString()
            return varint(len(data)) + data + whole[hs + hn:]

        crafted = [
            (edited_future(lambda r: setattr(r, "planning_scenario", -1)), "record 1.planning_scenario: -1 is out"),
            (edited_future(lambda r: r.options[1].metrics.pop()), "record 1.options[1].metrics: not one finite"),
            (edited_future(lambda r: setattr(r.options[0], "score", float("nan"))), "record 1.options[0].score"),
            (edited_future(lambda r: r.inputs.append(0.5)), "record 1.inputs: not one finite number per input"),
            (edited_future(lambda r: setattr(r, "realisation", 7)), "record 1.realisation: is 7, but 0 comes next"),
            (head + varint(2) + b"\xff\xff" + rest, "record 1: is not a peacesim.v1.FutureRecord"),
            (head + b"\x80" * 9 + b"\x02", "a record length is not a varint of at most 64 bits"),
            (head + varint(50 << 30), "more than the 64 MB a record may hold"),
            (edited_header(lambda h: h.options.append(h.options[0])), "header.options: are not the options"),
            (edited_header(lambda h: h.metrics.append(999)), "header.metrics[13]: 999 is not a metric"),
        ]
        for k, (data, why) in enumerate(crafted):
            bad = t / f"bad{k}.pbstream"
            bad.write_bytes(data)
            r = subprocess.run([sys.executable, str(example), str(bad)], capture_output=True, text=True, env=env)
            check(r.returncode == 2 and f"{bad}: " in r.stderr and why in r.stderr and "Traceback" not in r.stderr,
                  f"crafted stream {k} ({why}): {r.returncode} {r.stderr[-400:]}")
        # A share of the run is read, and said to be one.
        r = subprocess.run([sys.executable, str(example), str(t / "s1.pbstream")], capture_output=True, text=True,
                           env=env)
        check(r.returncode == 0 and "(a share of the run: futures 0 to " in r.stdout, f"one shard's stream: {r.stdout}")
        # peacesim itself reads the stream for discovery: the same boxes as from an equal --sample.
        d1 = subprocess.run([args.peacesim, "discover", str(t / "s.pbstream")], capture_output=True, text=True)
        subprocess.run(common + ["--sample", "1000", "--out", str(t / "rs.pb")], capture_output=True, text=True)
        d2 = subprocess.run([args.peacesim, "discover", str(t / "rs.pb")], capture_output=True, text=True)
        check(d1.returncode == 0 and d1.stdout == d2.stdout, f"discover reads a stream as a sample: {d1.stderr}")
        r = subprocess.run([args.peacesim, "discover", str(truncated)], capture_output=True, text=True)
        check(r.returncode == 2 and "truncated" in r.stderr, f"peacesim refuses a truncated stream: {r.stderr}")
    print("all checks passed" if not FAILURES else f"{len(FAILURES)} checks failed")
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())
