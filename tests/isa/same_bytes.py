#!/usr/bin/env python3
"""The same bytes from two builds of peacesim: every output of run (results, stream, report, the
table), sensitivity, discover and assess, on the bundled scenarios. CI compares the Release build
with one compiled for this machine's widest vector instructions (scripts/check-isa-bytes.sh): the
models sum in declaration order and nothing is fused (docs/model.md, "Sums"), so the vector width
a build uses must not move a single bit.

    same_bytes.py --reference build/peacesim --other build-isa/peacesim --source .
"""
import argparse
import pathlib
import subprocess
import sys
import tempfile


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--reference", required=True)
    ap.add_argument("--other", required=True)
    ap.add_argument("--source", required=True)
    a = ap.parse_args()
    src = pathlib.Path(a.source).resolve()
    carana, starter = src / "scenarios/carana.textproto", src / "scenarios/starter.textproto"
    tiny = src / "scenarios/examples/tiny.textproto"
    # (name, arguments, output files the command writes beside its standard output)
    cases = [
        ("run Carana", ["run", str(carana), "--runs", "3000", "--seed", "5", "--sample", "500", "--threads", "2",
                        "--out", "r.pb", "--stream", "r.stream", "--report", "r.html", "-q"], ["r.pb", "r.stream", "r.html"]),
        ("run starter", ["run", str(starter), "--runs", "2000", "--seed", "9", "--out", "s.json", "-q"], ["s.json"]),
        ("run tiny", ["run", str(tiny), "--runs", "2000", "--horizon", "120", "--out", "t.pb", "-q"], ["t.pb"]),
        ("sensitivity", ["sensitivity", str(carana), "--base", "64", "--csv"], []),
        ("discover", ["discover", str(carana), "--runs", "1000", "--seed", "3"], []),
        ("assess", ["assess", str(carana), str(src / "scenarios/carana-observations.textproto"), "--runs", "300",
                    "--out", "a.pb"], ["a.pb"]),
    ]
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        for name, args, files in cases:
            outputs = []
            for k, exe in enumerate([a.reference, a.other]):
                work = pathlib.Path(tmp) / f"{name.replace(' ', '_')}-{k}"
                work.mkdir()
                r = subprocess.run([str(pathlib.Path(exe).resolve())] + args, cwd=work, capture_output=True,
                                   timeout=600)
                if r.returncode != 0:
                    print(f"FAIL: {name} with {exe}: exit {r.returncode}: {r.stderr.decode(errors='replace')}")
                    failures += 1
                outputs.append([r.stdout] + [(work / f).read_bytes() if (work / f).exists() else None for f in files])
            for label, x, y in zip(["standard output"] + files, outputs[0], outputs[1]):
                if x is None or x != y:
                    print(f"FAIL: {name}: {label} differs between {a.reference} and {a.other}")
                    failures += 1
    if failures:
        print(f"{failures} difference(s)")
        sys.exit(1)
    print(f"{len(cases)} commands: the same bytes from both builds")


if __name__ == "__main__":
    main()
