#!/usr/bin/env python3
"""docs/model.md's random numbers and sampling designs, re-implemented from the text alone, against
the engine's own draws, bit for bit (ctest label `python`):

    model_doc_test.py --peacesim build/peacesim --python-out build/python --source .

From §5 ("Random-number addressing", "Designs", "Quantity kinds") and §4 ("Allocation"): Philox4x32-10
(checked first against Random123's known-answer vectors), the counter and key layout, the uniform,
the Monte Carlo and Latin hypercube designs (the Feistel permutation with cycle walking), Q(u) of the
uniform, triangular, truncated normal, lognormal and choice kinds (with AS 241 for Φ⁻¹ and the C
library's erfc, log, sqrt and exp), planning-scenario overrides and the allocation of futures to
planning scenarios. Carana is run with each design and its futures streamed (--stream); every
future's planning scenario, and every input of those kinds that the scenario declares for its
situation, gender, dynamics, drivers, actors, causal map and trust, must be the re-implementation's
exactly. (Not re-implemented: the beta kind, which is Boost's ibeta_inv, a normal that takes a bound
from its field's range, and the Sobol' design, which is Boost's generator.)
"""
import argparse
import ctypes
import ctypes.util
import math
import os
import pathlib
import re
import subprocess
import sys
import tempfile

FAILURES = []
M32 = 0xFFFFFFFF
# The C library's functions, which docs/model.md names (Python's math module may have its own erfc).
LIBM = ctypes.CDLL(ctypes.util.find_library("m"))
for _name in ("erfc", "log", "sqrt", "exp"):
    getattr(LIBM, _name).restype = ctypes.c_double
    getattr(LIBM, _name).argtypes = [ctypes.c_double]


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


def declared_quantity(scenario, key):
    """The Quantity the scenario declares for an input key, when the key is of a form read here:
    situation.F, gender.F, dynamics.F, drivers[ID].F, actors[ID].F, causal_map[A:B].F, trust[A:B].F."""
    m = re.fullmatch(r"(situation|gender|dynamics)\.(\w+)", key)
    if m:
        part = getattr(scenario, m[1])
        return getattr(part, m[2]) if part.HasField(m[2]) else None
    m = re.fullmatch(r"(drivers|actors)\[([^]]+)\]\.(\w+)", key)
    if m:
        for x in getattr(scenario, m[1]):
            if x.id == m[2] and x.HasField(m[3]):
                return getattr(x, m[3])
        return None
    m = re.fullmatch(r"(causal_map|trust)\[([^]:]+):([^]]+)\]\.(\w+)", key)
    if m:
        for x in getattr(scenario, m[1]):
            if getattr(x, "from") == m[2] and x.to == m[3] and x.HasField(m[4]):
                return getattr(x, m[4])
    return None


# AS 241 (Wichura 1988), PPND16: its published coefficients, each polynomial in Horner form.
A = (3.387132872796366608, 133.14166789178437745, 1971.5909503065514427, 13731.693765509461125,
     45921.953931549871457, 67265.770927008700853, 33430.575583588128105, 2509.0809287301226727)
B = (1.0, 42.313330701600911252, 687.1870074920579083, 5394.1960214247511077, 21213.794301586595867,
     39307.89580009271061, 28729.085735721942674, 5226.495278852545925)
C = (1.42343711074968357734, 4.6303378461565452959, 5.7694972214606914055, 3.64784832476320460504,
     1.27045825245236838258, 0.24178072517745061177, 0.0227238449892691845833, 7.7454501427834140764e-4)
D = (1.0, 2.05319162663775882187, 1.6763848301838038494, 0.68976733498510000455, 0.14810397642748007459,
     0.0151986665636164571966, 5.475938084995344946e-4, 1.05075007164441684324e-9)
E = (6.6579046435011037772, 5.4637849111641143699, 1.7848265399172913358, 0.29656057182850489123,
     0.026532189526576123093, 0.0012426609473880784386, 2.71155556874348757815e-5, 2.01033439929228813265e-7)
F = (1.0, 0.59983220655588793769, 0.13692988092273580531, 0.0148753612908506148525, 7.868691311456132591e-4,
     1.8463183175100546818e-5, 1.4215117583164458887e-7, 2.04426310338993978564e-15)


def horner(c, r):
    x = c[7]
    for k in range(6, -1, -1):
        x = x * r + c[k]
    return x


def normal_quantile(p):
    q = p - 0.5
    if abs(q) <= 0.425:
        r = 0.180625 - q * q
        return q * horner(A, r) / horner(B, r)
    r = p if q < 0 else 1.0 - p
    r = LIBM.sqrt(-LIBM.log(r))
    if r <= 5.0:
        r -= 1.6
        x = horner(C, r) / horner(D, r)
    else:
        r -= 5.0
        x = horner(E, r) / horner(F, r)
    return -x if q < 0 else x


def normal_cdf(x):
    return 0.5 * LIBM.erfc(-x / LIBM.sqrt(2.0))


def clamp(x, lo, hi):
    return min(max(x, lo), hi)


def quantile(q, u):
    """§5 "Quantity kinds": Q(u) of a declared quantity, or None for a kind not re-implemented here
    (beta: Boost's ibeta_inv; a normal without both bounds: the field's range)."""
    kind = q.WhichOneof("kind")
    if kind == "uniform":
        return q.uniform.min + u * (q.uniform.max - q.uniform.min)
    if kind == "triangular":
        lo, mode, hi = q.triangular.min, q.triangular.mode, q.triangular.max
        if u < (mode - lo) / (hi - lo):
            return lo + LIBM.sqrt(u * (hi - lo) * (mode - lo))
        return hi - LIBM.sqrt((1 - u) * (hi - lo) * (hi - mode))
    if kind == "normal" and q.normal.HasField("lower") and q.normal.HasField("upper"):
        n = q.normal
        plo, phi = normal_cdf((n.lower - n.mean) / n.sd), normal_cdf((n.upper - n.mean) / n.sd)
        p = clamp(plo + u * (phi - plo), 1e-300, 1 - 1e-16)
        return clamp(n.mean + n.sd * normal_quantile(p), n.lower, n.upper)
    if kind == "lognormal":
        return q.lognormal.median * LIBM.exp(q.lognormal.sigma * clamp(normal_quantile(u), -8.3, 8.3))
    if kind == "choice":
        weights = list(q.choice.weights) or [1.0] * len(q.choice.values)
        total = 0.0
        for w in weights:
            total += w
        run = 0.0
        for k, (value, w) in enumerate(zip(q.choice.values, weights)):
            run += w
            if k == len(q.choice.values) - 1 or u < run / total:
                return value
    return None


def check_design(peacesim, design, runs, seed, tmp):
    text = (ARGS.source / "scenarios/carana.textproto").read_text()
    scenario_path = tmp / ("carana-%s.textproto" % design)
    text = text.replace("design: SAMPLING_DESIGN_MONTE_CARLO", "design: " + design)
    # A choice of four values (Carana's have two, where a cumulative and a single weight agree).
    two = "choice { values: [1, 2] weights: [0.4, 0.6] }"
    check(two in text, "carana.textproto no longer has the choice this test widens: " + two)
    text = text.replace(two, "choice { values: [0, 1, 2, 3] weights: [0.1, 0.4, 0.3, 0.2] }")
    scenario_path.write_text(text)
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
    declared = [(d, key, declared_quantity(header.scenario, key)) for d, key in enumerate(header.inputs)]
    compared = {}
    for rec in futures:
        i = rec.realisation
        p = allocation(seed, weights, i)
        check(rec.planning_scenario == p,
              "%s: future %d is in planning scenario %d, the re-implementation says %d" % (design, i, rec.planning_scenario, p))
        overrides = {o.path: o.value for o in scenario_of[header.planning_scenarios[rec.planning_scenario]].overrides}
        for d, key, q in declared:
            q = overrides.get(key, q)
            want = quantile(q, design_uniform(design, seed, runs, i, d)) if q is not None else None
            if want is None:
                continue
            kind = q.WhichOneof("kind")
            compared[kind] = compared.get(kind, 0) + 1
            if rec.inputs[d] != want:
                check(False, "%s: future %d, %s (dimension %d, %s): the engine drew %r, docs/model.md gives %r"
                      % (design, i, key, d, kind, rec.inputs[d], want))
                return
    # Something of each kind Carana declares to compare: its uniform, triangular, normal, lognormal
    # and choice quantities.
    for kind in ("uniform", "triangular", "normal", "lognormal", "choice"):
        check(compared.get(kind, 0) >= 50, "%s: only %d %s values compared" % (design, compared.get(kind, 0), kind))
    print("%s: %d futures; every planning scenario and %s as the text says"
          % (design, runs, ", ".join("%d %s values" % (n, k) for k, n in sorted(compared.items()))))


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
