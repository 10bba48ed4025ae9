#!/usr/bin/env python3
"""The Python consumer, end to end: a fresh results file from peacesim, read by
examples/python/read_results.py through the classes the build generated from proto/, with
Debian's python3-protobuf. Run by ctest (label `python`):

    read_results_test.py --peacesim build/peacesim --python-out build/python --source .
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
    example = src / "examples/python/read_results.py"
    env = dict(os.environ, PYTHONPATH=args.python_out)
    with tempfile.TemporaryDirectory() as tmp:
        pb, js = pathlib.Path(tmp) / "r.pb", pathlib.Path(tmp) / "r.json"
        for out in (pb, js):
            r = subprocess.run([args.peacesim, "run", str(src / "scenarios/examples/tiny.textproto"), "--runs", "400",
                                "--seed", "11", "--quiet", "--out", str(out)], capture_output=True, text=True)
            check(r.returncode == 0, f"peacesim run --out {out.name}: exit {r.returncode}: {r.stderr}")
        summary = subprocess.run([args.peacesim, "show", str(pb), "--csv"], capture_output=True, text=True).stdout
        rows = list(csv.DictReader(io.StringIO(summary)))
        check(len(rows) >= 2, f"show --csv gave {len(rows)} rows")

        outputs = {}
        for path in (pb, js):
            r = subprocess.run([sys.executable, str(example), str(path)], capture_output=True, text=True, env=env)
            check(r.returncode == 0, f"read_results.py {path.name}: exit {r.returncode}: {r.stderr}")
            outputs[path.name] = r.stdout
        check(outputs["r.pb"] == outputs["r.json"], "the .pb and .json files print the same ranking")

        text = outputs["r.pb"]
        print(text)
        check(re.search(r"400 realisations x \d+ months, seed 11", text) is not None, "provenance line")
        ranked = [m.groups() for m in re.finditer(r"^\s+(\d+)\s+(\S+)\s+([0-9.]+)\s+\[", text, re.M)]
        check([r[1] for r in ranked] == [row["option_id"] for row in rows],
              f"Python ranking {[r[1] for r in ranked]} differs from peacesim's {[row['option_id'] for row in rows]}")
        for (rank, option_id, score), row in zip(ranked, rows):
            check(abs(float(score) - float(row["score_mean"])) <= 0.0005 + 1e-12,
                  f"{option_id}: Python score {score}, peacesim {row['score_mean']}")

        junk = pathlib.Path(tmp) / "junk.pb"
        junk.write_bytes(b"\xff\xfe not protobuf")
        r = subprocess.run([sys.executable, str(example), str(junk)], capture_output=True, text=True, env=env)
        check(r.returncode == 2 and "not a peacesim results file" in r.stderr,
              f"a corrupt file: exit {r.returncode}, stderr {r.stderr!r}")
    print("all checks passed" if not FAILURES else f"{len(FAILURES)} checks failed")
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())
