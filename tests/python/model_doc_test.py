#!/usr/bin/env python3
"""docs/model.md's random numbers and sampling designs, re-implemented from the text alone, against
the engine's own draws, bit for bit (ctest label `python`):

    model_doc_test.py --peacesim build/peacesim --python-out build/python --source .

From §5 ("Random-number addressing", "Designs", "Quantity kinds") and §4 ("Allocation"): Philox4x32-10
(checked first against Random123's known-answer vectors), the counter and key layout, the uniform,
the Monte Carlo and Latin hypercube designs (the Feistel permutation with cycle walking), a uniform
quantity's Q(u), planning-scenario overrides and the allocation of futures to planning scenarios.
Carana is run with each design and its futures streamed (--stream); every future's planning
scenario, and every input drawn from a uniform quantity of a driver, must be the re-implementation's
exactly.
"""
import argparse
import math
import os
import pathlib
import subprocess
import sys
import tempfile

FAILURES = []
M32 = 0xFFFFFFFF


def check(condition, message):
    if not condition:
        FAILURES.append(message)
        print("FAIL:", message)


def philox4x32_10(ctr, key):
    """Salmon et al. (2011): ten rounds, the key bumped by the Weyl constants between rounds."""
    c0, c1, c2, c3 = ctr
    k0, k1 = key
    for r in range(10):
        if r:
            k0, k1 = (k0 + 0x9E3779B9) & M32, (k1 + 0xBB67AE85) & M32
        p0, p1 = 0xD2511F53 * c0, 0xCD9E8D57 * c2
        c0, c1, c2, c3 = (p1 >> 32) ^ c1 ^ k0, p1 & M32, (p0 >> 32) ^ c3 ^ k1, p0 & M32
    return c0, c1, c2, c3


def bits(seed, realisation, stream, month, index):
    """docs/model.md §5: key = the seed's words, low then high; counter = [index/2 (low 32 bits),
    stream<<16 | month (16 bits), realisation low, realisation high]; an even index takes
    v1<<32 | v0, an odd one v3<<32 | v2."""
    v = philox4x32_10(((index >> 1) & M32, ((stream << 16) | (month & 0xFFFF)) & M32, realisation & M32,
                       (realisation >> 32) & M32), (seed & M32, (seed >> 32) & M32))
    lane = (index & 1) * 2
    return (v[lane + 1] << 32) | v[lane]


def uniform(seed, realisation, stream, month, index):
    return (float(bits(seed, realisation, stream, month, index) >> 12) + 0.5) * 2.0**-52


PARAMETERS, ALLOCATION, DESIGN = 1, 5, 6


def permutation(j, n, seed, key):
    """π_d(j) of the Latin hypercube: a 4-round Feistel network on 2^(2h) >= n, cycle walking."""
    if n <= 1:
        return 0
    two_h = 2
    while (1 << two_h) < n:
        two_h += 2
    h = two_h // 2
    mask = (1 << h) - 1
    x = j
    while True:
        left, right = x >> h, x & mask
        for r in range(4):
            f = bits(seed, right, DESIGN, key & 0xFFFF, ((key >> 16) << 2) | r) & mask
            left, right = right, left ^ f
        x = (left << h) | right
        if x < n:
            return x


def design_uniform(design, seed, runs, i, d):
    u = uniform(seed, i, PARAMETERS, 0, d)
    if design == "SAMPLING_DESIGN_LATIN_HYPERCUBE":
        return (float(permutation(i % runs, runs, seed, d)) + u) / float(runs)
    return u


def allocation(seed, weights, i):
    """§4: v_i = frac(u0 + (i mod 1000000007)·0.6180339887...), the first scenario whose running sum
    of normalised weights exceeds v_i, the last taking the remainder."""
    u0 = uniform(seed, 0, ALLOCATION, 0, 0)
    v = u0 + float(i % 1000000007) * 0.61803398874989484820
    v -= math.floor(v)
    total = 0.0
    for w in weights:
        total += w
    run = 0.0
    for p, w in enumerate(weights[:-1]):
        run += w / total
        if v < run:
            return p
    return len(weights) - 1


def streamed_futures(path):
    from peacesim.v1 import stream_pb2
    sys.path.insert(0, str(ARGS.source / "examples/python"))
    import read_stream  # noqa: E402  the example's record reader

    it = read_stream.records(path)
    header = stream_pb2.StreamHeader()
    header.ParseFromString(next(it))
    futures = []
    for data in it:
        rec = stream_pb2.FutureRecord()
        rec.ParseFromString(data)
        futures.append(rec)
    return header, futures


def driver_quantities(scenario):
    """Each input key of a driver's quantity ("drivers[ID].FIELD") -> its Quantity message."""
    out = {}
    for d in scenario.drivers:
        for field in ("initial", "baseline", "reversion", "volatility", "risk_weight"):
            if d.HasField(field):
                out["drivers[%s].%s" % (d.id, field)] = getattr(d, field)
    return out


def check_design(peacesim, design, runs, seed, tmp):
    text = (ARGS.source / "scenarios/carana.textproto").read_text()
    scenario_path = tmp / ("carana-%s.textproto" % design)
    scenario_path.write_text(text.replace("design: SAMPLING_DESIGN_MONTE_CARLO", "design: " + design))
    stream = tmp / ("futures-%s.pbstream" % design)
    run = subprocess.run([peacesim, "run", str(scenario_path), "--runs", str(runs), "--seed", str(seed), "--threads",
                          "2", "--stream", str(stream), "--out", str(tmp / "r.pb"), "-q"], capture_output=True, text=True)
    check(run.returncode == 0, "%s: run exited %d: %s" % (design, run.returncode, run.stderr))
    if run.returncode != 0:
        return
    header, futures = streamed_futures(str(stream))
    from peacesim.v1 import scenario_pb2
    check(header.scenario.simulation.design == scenario_pb2.SamplingDesign.Value(design),
          "%s: the stream's scenario has another design" % design)
    check(len(futures) == runs, "%s: %d futures streamed, %d expected" % (design, len(futures), runs))
    weights = [p.weight for p in header.scenario.planning_scenarios]
    scenario_of = {p.id: p for p in header.scenario.planning_scenarios}
    quantities = driver_quantities(header.scenario)
    columns = [(d, key) for d, key in enumerate(header.inputs) if key in quantities]
    uniform_columns = 0
    compared = 0
    for rec in futures:
        i = rec.realisation
        p = allocation(seed, weights, i)
        check(rec.planning_scenario == p,
              "%s: future %d is in planning scenario %d, the re-implementation says %d" % (design, i, rec.planning_scenario, p))
        overrides = {o.path: o.value for o in scenario_of[header.planning_scenarios[rec.planning_scenario]].overrides}
        for d, key in columns:
            q = overrides.get(key, quantities[key])
            if q.WhichOneof("kind") != "uniform":
                continue
            u = design_uniform(design, seed, runs, i, d)
            want = q.uniform.min + u * (q.uniform.max - q.uniform.min)
            got = rec.inputs[d]
            compared += 1
            if got != want:
                check(False, "%s: future %d, %s (dimension %d): the engine drew %r, docs/model.md gives %r"
                      % (design, i, key, d, got, want))
                return
        uniform_columns = max(uniform_columns, sum(1 for _, k in columns if quantities[k].WhichOneof("kind") == "uniform"))
    # The check must have something to compare: Carana's drivers have uniform quantities.
    check(uniform_columns >= 3 and compared >= 3 * runs,
          "%s: only %d values of %d uniform driver quantities compared" % (design, compared, uniform_columns))
    print("%s: %d futures, %d values of uniform driver quantities and every planning scenario as the text says"
          % (design, runs, compared))


def main():
    global ARGS
    ap = argparse.ArgumentParser()
    ap.add_argument("--peacesim", required=True)
    ap.add_argument("--python-out", required=True)
    ap.add_argument("--source", required=True)
    ARGS = ap.parse_args()
    ARGS.source = pathlib.Path(ARGS.source)
    sys.path.insert(0, ARGS.python_out)
    os.environ["PYTHONPATH"] = ARGS.python_out

    # Random123's known-answer vectors for Philox4x32-10 (kat_vectors).
    check(philox4x32_10((0, 0, 0, 0), (0, 0)) == (0x6627E8D5, 0xE169C58D, 0xBC57AC4C, 0x9B00DBD8),
          "Philox4x32-10 of zeros is not Random123's known answer")
    check(philox4x32_10((0x243F6A88, 0x85A308D3, 0x13198A2E, 0x03707344), (0xA4093822, 0x299F31D0))
          == (0xD16CFE09, 0x94FDCCEB, 0x5001E420, 0x24126EA1), "Philox4x32-10 of pi's digits is not Random123's known answer")
    # The permutation is one: every stratum exactly once (cycle walking stays in [0, n)).
    for n in (1, 2, 5, 16, 17, 300):
        check(sorted(permutation(j, n, 7, 3) for j in range(n)) == list(range(n)), "π is not a permutation of [0, %d)" % n)

    with tempfile.TemporaryDirectory() as tmp:
        # 300 futures: the hypercube's permutation runs on 2^10 = 1024 > 300 and walks cycles.
        for design in ("SAMPLING_DESIGN_MONTE_CARLO", "SAMPLING_DESIGN_LATIN_HYPERCUBE"):
            check_design(ARGS.peacesim, design, 300, 20261202, pathlib.Path(tmp))
    if FAILURES:
        print("%d failure(s)" % len(FAILURES))
        return 1
    print("docs/model.md's random numbers and designs give the engine's draws exactly")
    return 0


if __name__ == "__main__":
    sys.exit(main())
