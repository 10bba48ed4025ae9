#!/usr/bin/env python3
"""Runs one peacesim libFuzzer target for a fixed time from a seed corpus (a ctest case).

The seed corpus: for scenario targets, the bad-input files (tests/bad_inputs) and the bundled
scenarios of the target's format; for results targets, small results files written by the
peacesim built alongside (with and without --brief and --sample); for the partial target, parts
written by 'peacesim run --shard K/N'; for the observations target, the bundled observations and a
small file with a very precise observation. libFuzzer replays every seed
first, so each bad-input file (and each crash once added there) is a regression case. On a finding
it exits non-zero; the input is left in WORK/ as crash-*, leak-*, timeout-* or oom-*: turn it into
a file of tests/bad_inputs (see tests/bad_inputs_README.md) when it is a scenario, or fix the
reader when it is a results file.
"""
import argparse
import glob
import os
import shutil
import subprocess
import sys


def seeds(kind, source, peacesim, seed_dir):
    os.makedirs(seed_dir, exist_ok=True)
    bad = os.path.join(source, "tests", "bad_inputs")
    if kind == "scenario_text":
        files = glob.glob(os.path.join(bad, "*.textproto")) + glob.glob(os.path.join(source, "scenarios", "*.textproto"))
        files += glob.glob(os.path.join(source, "scenarios", "examples", "*.textproto"))
        for f in files:
            shutil.copy(f, seed_dir)
        return
    if kind == "scenario_json":
        for f in glob.glob(os.path.join(bad, "*.json")) + glob.glob(os.path.join(source, "scenarios", "**", "*.json"),
                                                                    recursive=True):
            shutil.copy(f, seed_dir)
        return
    if kind == "observations_text":
        shutil.copy(os.path.join(source, "scenarios", "carana-observations.textproto"), seed_dir)
        small = ('implemented_option: "small_pko"\n'
                 'observations { month: 3 measure { indicator: INDICATOR_GBV } value: 0.5 uncertainty: 0.05 }\n'
                 'observations { month: 6 measure { actor_strength: "signatory_movement" } value: 0.9 '
                 'uncertainty: 0.1 }\n'
                 'observations { month: 6 measure { driver: "rule_of_law" } value: 0.3 uncertainty: 0.000001 }\n')
        with open(os.path.join(seed_dir, "small.textproto"), "w") as f:
            f.write(small)
        return
    tiny = os.path.join(source, "scenarios", "examples", "tiny.textproto")
    if kind == "partial_binary":
        shards = [["--runs", "600", "--horizon", "6", "--shard", "1/1"],
                  ["--runs", "700", "--horizon", "8", "--sample", "300", "--shard", "2/3"],
                  ["--runs", "1300", "--horizon", "6", "--sample", "20", "--shard", "1/2"]]
        for k, extra in enumerate(shards):
            out = os.path.join(seed_dir, "part%d.pb" % k)
            subprocess.run([peacesim, "run", tiny, "-q", "--threads", "1", "--out", out] + extra, check=True,
                           stdout=subprocess.DEVNULL)
        return
    extension = ".json" if kind == "results_json" else ".pb"
    runs = [["--runs", "40", "--horizon", "12"],
            ["--runs", "60", "--horizon", "18", "--sample", "30"],
            ["--runs", "60", "--horizon", "12", "--sample", "40", "--brief"]]
    for k, extra in enumerate(runs):
        out = os.path.join(seed_dir, "tiny%d%s" % (k, extension))
        subprocess.run([peacesim, "run", tiny, "-q", "--threads", "1", "--out", out] + extra, check=True,
                       stdout=subprocess.DEVNULL)


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--fuzzer", required=True)
    p.add_argument("--kind", required=True,
                   choices=["scenario_text", "scenario_json", "results_binary", "results_json", "partial_binary",
                            "observations_text"])
    p.add_argument("--peacesim", required=True)
    p.add_argument("--source", required=True)
    p.add_argument("--work", required=True)
    p.add_argument("--seconds", type=int, default=60)
    a = p.parse_args()
    seed_dir, corpus = os.path.join(a.work, "seeds"), os.path.join(a.work, "corpus")
    shutil.rmtree(seed_dir, ignore_errors=True)
    os.makedirs(corpus, exist_ok=True)
    seeds(a.kind, a.source, a.peacesim, seed_dir)
    print("%s: %d seed files" % (a.kind, len(os.listdir(seed_dir))), flush=True)
    # One process, one worker: the result does not depend on the machine's cores. -timeout flags an
    # input that takes more than 20 s (a hang); -rss_limit_mb one that needs more than 3 GB.
    command = [a.fuzzer, corpus, seed_dir, "-max_total_time=%d" % a.seconds, "-timeout=20", "-rss_limit_mb=3072",
               "-max_len=1048576", "-print_final_stats=1", "-artifact_prefix=" + a.work + "/"]
    print(" ".join(command), flush=True)
    code = subprocess.run(command).returncode
    if code != 0:
        found = sorted(glob.glob(os.path.join(a.work, "crash-*")) + glob.glob(os.path.join(a.work, "leak-*")) +
                       glob.glob(os.path.join(a.work, "timeout-*")) + glob.glob(os.path.join(a.work, "oom-*")))
        print("FINDING: %s exited %d; inputs: %s" % (a.kind, code, ", ".join(found) or "none written"), file=sys.stderr)
    return code


if __name__ == "__main__":
    sys.exit(main())
