#!/usr/bin/env python3
"""docs/model.md re-implemented from its text alone: random numbers and sampling designs, whole
futures and the results' statistics, against the engine's own, bit for bit (ctest label `python`):

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

Then whole futures, from §1.1 (the month's order), §2 (situation, drivers, actors, gender,
dynamics), §3 (activities, funding, gates, sequencing, drawdown and withdrawal, presence and cost),
§4 (overrides, shocks, delays, conditions for involvement), §6.1-§6.2 and §6.4 (metrics, score and
benchmarks), with the defaults read from docs/model.md's tables themselves: a small scenario of four
options (no mission, good offices funded in part, a robust multidimensional mission with a ramp, DDR
after mediation cut by the withdrawal, elections and a drawdown, and an observer mission) over two
planning scenarios; every metric, relapse month and score of every option, and whether each of eight
benchmarks (every measure kind, one from the start, one beyond the horizon) is met, must be the
engine's exactly. So must the fan charts (every indicator's mean and p05-p95 in every month, the
latent intensity among them) and the regime shares of every option, overall and per planning
scenario, computed from these futures. Courses (§6.5, which assess uses) are not part of it yet.
Last, §6.3's moments, score, regret and metric percentiles, score_cvar10, p_best, p_satisficing,
survival curve and benchmarks' Wilson intervals of every option and planning scenario, computed from
1,100 streamed futures (five blocks merged along the tree), must be the results file's, and so must
docs/analysis.md's SMAA-2 rank acceptabilities and central weights (three criteria, a weight range,
two stakeholder sets) and its paired Poisson bootstrap's intervals (a systematic error in the
weights, sums, merge or quantiles shows; one confined to a single replicate may not move a 2.5% or
97.5% quantile).
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
LIBM.pow.restype = ctypes.c_double
LIBM.pow.argtypes = [ctypes.c_double, ctypes.c_double]


def in_order(xs):
    """Σ one term after another, from 0 (docs/model.md's "Sums"; Python 3.12's sum() of floats is
    compensated, so it is not used for them)."""
    total = 0.0
    for x in xs:
        total += x
    return total


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
    total = in_order(weights)
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


def reimplemented(q):
    """Whether quantile() re-implements Q(u) of q: not the beta (Boost's ibeta_inv) nor a normal
    that takes a bound from its field's range."""
    kind = q.WhichOneof("kind")
    return kind in ("uniform", "triangular", "lognormal", "choice") or (
        kind == "normal" and q.normal.HasField("lower") and q.normal.HasField("upper"))


def quantile(q, u):
    """§5 "Quantity kinds": Q(u) of an uncertain quantity that reimplemented(q)."""
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
        total = in_order(weights)
        run = 0.0
        for k, (value, w) in enumerate(zip(q.choice.values, weights)):
            run += w
            if k == len(q.choice.values) - 1 or u < run / total:
                return value
    raise ValueError("Q(u) of a %s is not re-implemented here" % kind)


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
    declared = [(key, declared_quantity(header.scenario, key)) for key in header.inputs]
    compared = {}
    for rec in futures:
        i = rec.realisation
        p = allocation(seed, weights, i)
        check(rec.planning_scenario == p,
              "%s: future %d is in planning scenario %d, the re-implementation says %d" % (design, i, rec.planning_scenario, p))
        draw = Draw(header, rec, design)
        for key, q in declared:
            q = draw.quantity(key, q)
            if q is None or q.WhichOneof("kind") == "value" or not reimplemented(q):
                continue
            kind = q.WhichOneof("kind")
            compared[kind] = compared.get(kind, 0) + 1
            failures = len(FAILURES)
            draw(key, q)  # compares with the value the engine streamed
            if len(FAILURES) > failures:
                return
    # Something of each kind Carana declares to compare: its uniform, triangular, normal, lognormal
    # and choice quantities.
    for kind in ("uniform", "triangular", "normal", "lognormal", "choice"):
        check(compared.get(kind, 0) >= 50, "%s: only %d %s values compared" % (design, compared.get(kind, 0), kind))
    print("%s: %d futures; every planning scenario and %s as the text says"
          % (design, runs, ", ".join("%d %s values" % (n, k) for k, n in sorted(compared.items()))))


# --- Whole futures, from §1.1-§4.1 and §6.1-§6.2 -------------------------------------------------------

DOC_SCENARIO = """
name: "Model test"
situation {
  population_millions { value: 4 }  gdp_per_capita_usd { value: 900 }
  state_capacity { uniform { min: 0.3 max: 0.5 } }  neighbours_at_war { value: 1 }
  infant_mortality_per_1000 { triangular { min: 40 mode: 60 max: 90 } }
  battle_deaths_last_year { value: 3000 }  mountainous_share { value: 0.35 }  resource_dependence { value: 0.2 }
  initial_regime: REGIME_UNSTABLE_PEACE  months_since_agreement { value: 6 }
  war_years { value: 6 }  earlier_war_years { value: 2 }  war_ending: WAR_ENDING_TRUCE
  initial_displaced { value: 300000 }
}
drivers {
  id: "elite_fragmentation"  name: "Elite fragmentation"  polarity: POLARITY_CONFLICT_DRIVER
  initial { triangular { min: 0.4 mode: 0.5 max: 0.7 } }
  reversion { value: 0.05 }  volatility { uniform { min: 0.01 max: 0.03 } }  risk_weight { value: 0.1 }
}
drivers {
  id: "weak_security_sector"  name: "Weak security sector"  polarity: POLARITY_CONFLICT_DRIVER
  initial { uniform { min: 0.5 max: 0.7 } }  baseline { value: 0.45 }
  reversion { uniform { min: 0.03 max: 0.06 } }  volatility { value: 0.02 }  risk_weight { value: 0.08 }
}
drivers {
  id: "civil_society_cohesion"  name: "Civil society cohesion"  polarity: POLARITY_PEACE_FACTOR
  initial { uniform { min: 0.3 max: 0.6 } }
  reversion { value: 0.03 }  volatility { value: 0.015 }  risk_weight { value: 0.06 }
}
causal_map { from: "weak_security_sector" to: "elite_fragmentation" weight { value: 0.02 } }
causal_map { from: "civil_society_cohesion" to: "elite_fragmentation" weight { value: -0.03 } }
actors {
  id: "government"  name: "Government"  kind: ACTOR_KIND_GOVERNMENT  holds_consent: true
  position { triangular { min: 0.35 mode: 0.5 max: 0.8 } }  salience { value: 0.9 }
  capability { value: 0.8 }  anchoring { value: 0.5 }
  armed_strength { normal { mean: 10000 sd: 1500 lower: 6000 upper: 14000 } }
}
actors {
  id: "armed_group"  name: "Armed group"  kind: ACTOR_KIND_ARMED_GROUP  holds_consent: true
  position { uniform { min: 0.2 max: 0.5 } }  salience { value: 0.8 }
  capability { value: 0.4 }  anchoring { value: 0.6 }  volatility { value: 0.03 }
  armed_strength { lognormal { median: 2000 sigma: 0.3 } }
}
actors {
  id: "womens_org"  name: "Women's peace network"  kind: ACTOR_KIND_WOMENS_ORGANISATION
  position { value: 0.85 }  salience { value: 0.7 }  capability { value: 0.15 }  anchoring { value: 0.7 }
}
trust { from: "armed_group" to: "government" value { value: 0.2 } }
gender {
  participation { value: 0.08 }  representation { value: 0.12 }
  gbv { uniform { min: 0.4 max: 0.6 } }  inequality { value: 0.6 }
}
dynamics {}
activity_catalogue {
  kind: ACTIVITY_KIND_MEDIATION
  driver_effects { driver: "elite_fragmentation" change { triangular { min: -0.008 mode: -0.005 max: -0.002 } } }
  actor_effects { actor: "armed_group" change { value: 0.003 } }
  mediation { uniform { min: 0.1 max: 0.3 } }
}
activity_catalogue {
  kind: ACTIVITY_KIND_DDR
  driver_effects { driver: "weak_security_sector" change { value: -0.004 } }
  ddr { triangular { min: 0.01 mode: 0.02 max: 0.03 } }
}
activity_catalogue {
  kind: ACTIVITY_KIND_GENDER_WPS
  participation { triangular { min: 0.003 mode: 0.0045 max: 0.006 } }  gbv { value: -0.003 }
  representation { value: 0.002 }
}
activity_catalogue {
  kind: ACTIVITY_KIND_ELECTIONS
  representation { value: 0.02 }  risk { uniform { min: 0.01 max: 0.05 } }
  driver_effects { driver: "civil_society_cohesion" change { value: 0.01 } }
}
options { id: "no_mission" name: "No mission" role: UN_ROLE_NONE aim: "Leave the parties to it." }
options {
  id: "good_offices"  name: "Good offices"  role: UN_ROLE_GOOD_OFFICES  aim: "Keep the parties talking."
  resources { civilians { value: 10 }  programme_budget_usd_per_year { value: 1500000 } }
  activities { id: "mediation" kind: ACTIVITY_KIND_MEDIATION lead: COMPONENT_CIVILIAN intensity: 0.5
               cost_usd_per_month { value: 150000 } priority: 1 }
}
options {
  id: "robust_pko"  name: "Robust PKO"  role: UN_ROLE_MULTIDIMENSIONAL_PKO  aim: "Deter, coerce, disarm and protect."
  resources {
    troops { value: 9000 }  police { value: 900 }  observers { value: 120 }  civilians { value: 300 }
    deployment_months { triangular { min: 3 mode: 5 max: 9 } }
    programme_budget_usd_per_year { value: 20000000 }
    drawdown { month: 30 troops: 0.5 police: 0.75 }
    drawdown { month: 40 troops: 0.25 civilians: 0.5 }
    withdrawal_month: 48
  }
  mandate { protection_of_civilians: true  robust: true }
  activities { id: "mediation" kind: ACTIVITY_KIND_MEDIATION lead: COMPONENT_CIVILIAN duration_months: 6
               cost_usd_per_month { value: 200000 } priority: 1 }
  activities { id: "ddr" kind: ACTIVITY_KIND_DDR lead: COMPONENT_MILITARY intensity: 0.8
               priority: 2 after: "mediation"
               cost_usd_per_month { triangular { min: 800000 mode: 1000000 max: 1400000 } } }
  activities { id: "gender_wps" kind: ACTIVITY_KIND_GENDER_WPS lead: COMPONENT_UN_COUNTRY_TEAM
               cost_usd_per_month { value: 150000 } priority: 2 }
  activities { id: "handover" kind: ACTIVITY_KIND_GENDER_WPS lead: COMPONENT_UN_COUNTRY_TEAM after: "ddr"
               cost_usd_per_month { value: 100000 } priority: 4 }
  activities { id: "elections" kind: ACTIVITY_KIND_ELECTIONS lead: COMPONENT_CIVILIAN start_month: 20
               duration_months: 3 cost_usd_per_month { value: 900000 } priority: 3 }
}
options {
  id: "observers"  name: "Observer mission"  role: UN_ROLE_OBSERVER_MISSION  aim: "Watch the ceasefire."
  resources { observers { value: 250 }  civilians { value: 40 }  deployment_months { value: 3 } }
}
planning_scenarios { id: "most_likely" name: "Most likely" weight: 0.6 }
planning_scenarios {
  id: "worst_case"  name: "Worst case"  weight: 0.4
  overrides { path: "actors[armed_group].position" value { uniform { min: 0.05 max: 0.3 } } }
  shocks { month: 6 duration_months: 3 driver: "elite_fragmentation" delta { value: 0.05 } }
  shocks { month: 10 duration_months: 2 actor: "government" delta { uniform { min: -0.05 max: 0 } } }
  shocks { month: 2 risk: true delta { value: 0.04 } }
  delays { kind: ACTIVITY_KIND_DDR months { uniform { min: 2 max: 8 } } }
  overrides { path: "conditions_for_involvement[agreement_holds].holds"
              value { choice { values: [0, 1] weights: [0.5, 0.5] } } }
}
conditions_for_involvement {
  id: "agreement_holds"  name: "The peace agreement holds"  probability: 0.7
  month { uniform { min: 6 max: 30 } }
  shocks { month: 0 duration_months: 6 risk: true delta { value: 0.06 } }
  shocks { month: 0 duration_months: 12 actor: "armed_group" delta { value: -0.02 } }
  delays { kind: ACTIVITY_KIND_DDR months { value: 4 } }
}
conditions_for_involvement {
  id: "donors_fund"  name: "Donors fund in full"  probability: 0.6  budget_share: 0.5  force_share: 0.8
}
results_framework { id: "calm" name: "Calm" measure { indicator: INDICATOR_CONFLICT_INTENSITY } bound: BOUND_AT_MOST
                    target: 0.4 month: 24 responsible: RESPONSIBLE_MISSION }
results_framework { id: "elites" name: "Elites together" measure { driver: "elite_fragmentation" } bound: BOUND_AT_MOST
                    target: 0.5 month: 12 responsible: RESPONSIBLE_HOST_GOVERNMENT }
results_framework { id: "on_board" name: "Armed group on board" measure { actor_position: "armed_group" }
                    bound: BOUND_AT_LEAST target: 0.3 month: 30 responsible: RESPONSIBLE_MISSION }
results_framework { id: "disarmed" name: "Armed group disarmed" measure { actor_strength: "armed_group" }
                    bound: BOUND_AT_MOST target: 0.8 month: 36 responsible: RESPONSIBLE_MISSION }
results_framework { id: "gbv_down" name: "GBV down" measure { indicator: INDICATOR_GBV } bound: BOUND_AT_MOST
                    target: 0 from_start: true month: 36 responsible: RESPONSIBLE_UN_COUNTRY_TEAM }
results_framework { id: "armed_down" name: "Fewer fighters" measure { indicator: INDICATOR_ARMED_STRENGTH }
                    bound: BOUND_AT_MOST target: 0.9 month: 18 responsible: RESPONSIBLE_MISSION }
results_framework { id: "returns" name: "Returns" measure { indicator: INDICATOR_DISPLACED } bound: BOUND_AT_MOST
                    target: 250000 month: 48 responsible: RESPONSIBLE_PARTNERS }
results_framework { id: "beyond" name: "Beyond the horizon" measure { indicator: INDICATOR_GBV } bound: BOUND_AT_MOST
                    target: 0.5 month: 90 responsible: RESPONSIBLE_PARTNERS }
criteria { id: "civilians" name: "Civilian deaths" metric: METRIC_CIVILIAN_DEATHS weight: 0.6
           direction: DIRECTION_MINIMISE worst: 50000 best: 0 satisficing: 1000 }
criteria { id: "relapse" name: "Relapse to war" metric: METRIC_RELAPSE weight: 0.4
           direction: DIRECTION_MINIMISE worst: 1 best: 0 }
criteria { id: "cost" name: "Cost" metric: METRIC_COST_USD weight: 0.1
           direction: DIRECTION_MINIMISE worst: 3000000000 best: 0  weight_range { min: 0.05 max: 0.3 } }
weight_sets { id: "government" name: "Host government" weights { criterion: "relapse" weight: 0.7 } }
weight_sets { id: "donors" name: "Donors" weights { criterion: "civilians" weight: 0.2 } }
simulation { runs: 60 horizon_months: 60 seed: 1 baseline_option: "no_mission" }
"""

def doc_defaults(path):
    """The defaults of docs/model.md's parameter tables, read from the text: each row whose first cell
    is a field path, its default the leading number of the default column (the third of a table
    with a symbol column, else the second); "drivers[id].initial" is kept as "drivers.initial"."""
    defaults = {}
    for line in pathlib.Path(path).read_text().splitlines():
        if not line.startswith("| `"):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        m = re.match(r"`([a-z_]+(?:\[[^]]*\])?\.[a-z_.]+)`", cells[0])
        if not m or len(cells) not in (4, 5):
            continue
        number = re.match(r"-?\d[\d,]*(?:\.\d+)?(?:e-?\d+)?(?![\d(])", cells[2 if len(cells) == 5 else 1])
        if number:
            defaults.setdefault(re.sub(r"\[[^]]*\]", "", m[1]), float(number[0].replace(",", "")))
    return defaults


def base_risk_default():
    """§2.5's table: dynamics.base_risk is normal(0.02, 0.08), untruncated."""
    from peacesim.v1 import scenario_pb2
    q = scenario_pb2.Quantity()
    q.normal.mean, q.normal.sd, q.normal.lower, q.normal.upper = 0.02, 0.08, -math.inf, math.inf
    return q


DEFAULT_DISTRIBUTIONS = {"dynamics.base_risk": base_risk_default}
DEFAULTS = {}  # doc_defaults(docs/model.md), read when the test starts
DRIVERS, ACTORS, DYNAMICS = 2, 3, 4
STABLE, UNSTABLE, CRISIS, WAR = 0, 1, 2, 3
ENDING = {"WAR_ENDING_UNSPECIFIED": 0.0, "WAR_ENDING_GOVERNMENT_VICTORY": -2.2, "WAR_ENDING_REBEL_VICTORY": -0.3,
          "WAR_ENDING_NEGOTIATED_SETTLEMENT": 0.0, "WAR_ENDING_TRUCE": 1.9}


def clip01(x):
    return min(1.0, max(0.0, x))


def normal(seed, i, stream, month, index):
    return normal_quantile(uniform(seed, i, stream, month, index))


def polarisation_and_median(x, c, power, half):
    """§2.3: P over the actors sorted by position (ties by index), and the lower weighted median."""
    order = sorted(range(len(x)), key=lambda a: (x[a], a))
    num, c_before, cx_before, cum, median = 0.0, 0.0, 0.0, 0.0, None
    for k in order:
        num += c[k] * (x[k] * c_before - cx_before)
        c_before += c[k]
        cx_before += c[k] * x[k]
        cum += power[k]
        if median is None and cum >= half:
            median = x[k]
    if median is None:
        median = x[order[-1]]
    total, sq = in_order(c), in_order(ca * ca for ca in c)
    pair_weight = 0.5 * (total * total - sq)
    return (num / pair_weight if pair_weight > 0 else 0.0), median


class Draw:
    """One future's values of the scenario's quantities (§5): a value as given; an uncertain quantity
    by Q(u) of its dimension's uniform, the planning scenario's override in its place; an undeclared
    field by its table's default."""

    def __init__(self, header, rec, design="SAMPLING_DESIGN_MONTE_CARLO"):
        self.seed, self.runs, self.i, self.design = header.seed, header.runs, rec.realisation, design
        self.values = {}  # each quantity resolved once: the months read them again and again
        self.dimension = {key: d for d, key in enumerate(header.inputs)}
        self.streamed = dict(zip(header.inputs, rec.inputs))
        scenario = header.scenario
        self.planning = next(p for p in scenario.planning_scenarios
                             if p.id == header.planning_scenarios[rec.planning_scenario])
        self.overrides = {o.path: o.value for o in self.planning.overrides}

    def quantity(self, key, q):
        """The quantity in this future's planning scenario: its override, else q."""
        return self.overrides.get(key, q)

    def __call__(self, key, q=None, dimension=None, default=None):
        if key not in self.values:
            self.values[key] = self.resolve(key, q, dimension, default)
        return self.values[key]

    def resolve(self, key, q, dimension, default):
        q = self.quantity(key, q)
        if q is None and key in DEFAULT_DISTRIBUTIONS:
            q = DEFAULT_DISTRIBUTIONS[key]()
        if q is None:
            generic = re.sub(r"\[[^]]*\]", "", key)
            for k in (key, generic):
                if k in DEFAULTS:
                    return DEFAULTS[k]
            if default is None:
                raise KeyError(key + ": no default in docs/model.md's tables")
            return default
        if q.WhichOneof("kind") == "value":
            return q.value
        d = self.dimension[dimension or key]
        x = quantile(q, design_uniform(self.design, self.seed, self.runs, self.i, d))
        if key in self.streamed:
            check(x == self.streamed[key], "%s: future %d, %s: the engine drew %r, docs/model.md gives %r"
                  % (self.design, self.i, key, self.streamed[key], x))
        return x


def field(message, name):
    return getattr(message, name) if message.HasField(name) else None


def kind_name(kind):
    from peacesim.v1 import scenario_pb2
    return scenario_pb2.ActivityKind.Name(kind).removeprefix("ACTIVITY_KIND_")


def simulate_future(scenario, draw, horizon, option):
    """Every metric of §6.1 for one option in one future, by the text alone."""
    from peacesim.v1 import scenario_pb2
    seed, i = draw.seed, draw.i
    si = lambda f: draw("situation." + f, field(scenario.situation, f))  # noqa: E731
    dy = lambda f: draw("dynamics." + f, field(scenario.dynamics, f))  # noqa: E731
    ge = lambda f: draw("gender." + f, field(scenario.gender, f))  # noqa: E731
    # §2.1: the structural log-odds.
    R = lambda r: 18.9 * r - 27.8 * r * r  # noqa: E731
    regime0 = {"REGIME_STABLE_PEACE": STABLE, "REGIME_UNSTABLE_PEACE": UNSTABLE, "REGIME_CRISIS": CRISIS,
               "REGIME_WAR": WAR}[scenario_pb2.Regime.Name(scenario.situation.initial_regime)]
    ending = scenario_pb2.WarEnding.Name(scenario.situation.war_ending)
    L = (-0.5 * LIBM.log(si("gdp_per_capita_usd") / 1000) + 0.27 * LIBM.log(si("population_millions") / 10)
         + 0.22 * (math.log1p(100 * si("mountainous_share")) - math.log1p(20))
         + (R(si("resource_dependence")) - R(0.15))
         + 0.7 * LIBM.log(si("infant_mortality_per_1000") / 50) + 0.3 * min(si("neighbours_at_war"), 4)
         - 1.0 * (si("state_capacity") - 0.4)
         + (0.2 * math.log1p(si("battle_deaths_last_year") / 1000) - 0.2 * math.log1p(1)))
    if regime0 != WAR:
        L = L + ENDING[ending]
    s0 = dy("structural_scale") * L
    # §2.2: drivers.
    drivers = list(scenario.drivers)
    nd = len(drivers)
    dv = lambda x, f: draw("drivers[%s].%s" % (x.id, f), field(x, f))  # noqa: E731
    d = [dv(x, "initial") for x in drivers]
    b = [dv(x, "baseline") if x.HasField("baseline") else d[j] for j, x in enumerate(drivers)]
    kappa = [dv(x, "reversion") for x in drivers]
    sigma = [dv(x, "volatility") for x in drivers]
    beta = [dv(x, "risk_weight") for x in drivers]
    pol = [1.0 if x.polarity == scenario_pb2.POLARITY_CONFLICT_DRIVER else -1.0 for x in drivers]
    index = {x.id: j for j, x in enumerate(drivers)}
    edges = [(index[getattr(e, "from")], index[e.to],
              draw("causal_map[%s:%s].weight" % (getattr(e, "from"), e.to), field(e, "weight")))
             for e in scenario.causal_map]
    eta = dy("hysteresis")

    def driver_risk(d):
        r = 0.0
        for j in range(nd):
            r += beta[j] * pol[j] * d[j]
        return r

    # §2.3: actors.
    actors = list(scenario.actors)
    na = len(actors)
    av = lambda x, f: draw("actors[%s].%s" % (x.id, f), field(x, f))  # noqa: E731
    x0 = [av(a, "position") for a in actors]
    sal = [av(a, "salience") for a in actors]
    cap = [av(a, "capability") for a in actors]
    anchor = [av(a, "anchoring") for a in actors]
    asig = [av(a, "volatility") for a in actors]
    m = [av(a, "armed_strength") for a in actors]
    holders = [a for a, x in enumerate(actors) if x.holds_consent]
    aindex = {x.id: a for a, x in enumerate(actors)}
    tau = [[1.0] * na for _ in range(na)]
    for t in scenario.trust:
        tau[aindex[getattr(t, "from")]][aindex[t.to]] = draw("trust[%s:%s].value" % (getattr(t, "from"), t.to),
                                                              field(t, "value"))
    power = [cap[a] * sal[a] for a in range(na)]
    W = []
    for a in range(na):
        row = [tau[a][bb] * (cap[bb] * sal[bb]) for bb in range(na)]
        total = in_order(row)
        W.append([w / total for w in row] if total > 0 else [1.0 if bb == a else 0.0 for bb in range(na)])
    half = 0.5 * in_order(power)
    m0 = in_order(m)
    x = list(x0)
    consent = 1.0
    # §3: the catalogue, and §4: the planning scenario's shocks and delays.
    effects = {}
    for c in scenario.activity_catalogue:
        k = "activity_catalogue[%s]" % kind_name(c.kind)
        e = {f: draw(k + "." + f, field(c, f), default=0.0)
             for f in ("mediation", "ddr", "participation", "representation", "gbv", "risk")}
        e["drivers"] = [(index[x.driver], draw(k + ".driver_effects[%s].change" % x.driver, field(x, "change"),
                                              default=0.0)) for x in c.driver_effects]
        e["actors"] = [(aindex[x.actor], draw(k + ".actor_effects[%s].change" % x.actor, field(x, "change"),
                                             default=0.0)) for x in c.actor_effects]
        effects[c.kind] = e
    delay, shocks = {}, []

    def events(prefix, scheduled, delays, offset):
        for dl in delays:
            months = draw(prefix + ".delays[%s].months" % kind_name(dl.kind), field(dl, "months"), default=0.0)
            delay[dl.kind] = delay.get(dl.kind, 0) + int(math.floor(months + 0.5))  # lround of a value >= 0
        for j, sh in enumerate(scheduled):
            target = sh.WhichOneof("target")
            where = index[sh.driver] if target == "driver" else aindex[sh.actor] if target == "actor" else None
            start = offset + sh.month
            shocks.append((start, start + (sh.duration_months or 1), target, where,
                           draw(prefix + ".shocks[%d].delta" % j, field(sh, "delta"))))

    events("planning_scenarios[%s]" % draw.planning.id, draw.planning.shocks, draw.planning.delays, 0)
    # §4.1: the conditions for involvement not met in this future, in declaration order.
    budget_share = force_share = 1.0
    for c in scenario.conditions_for_involvement:
        prefix = "conditions_for_involvement[%s]" % c.id
        holds = scenario_pb2.Quantity()
        if 0 < c.probability < 1:
            holds.choice.values.extend([0, 1])
            holds.choice.weights.extend([1 - c.probability, c.probability])
        else:
            holds.value = c.probability
        if draw(prefix + ".holds", holds) >= 0.5:
            continue
        month = draw(prefix + ".month", field(c, "month"), default=0.0)
        events(prefix, c.shocks, c.delays, int(math.floor(month + 0.5)))
        budget_share *= c.budget_share if c.HasField("budget_share") else 1.0
        force_share *= c.force_share if c.HasField("force_share") else 1.0
    # The option's plan (§3): resources, drawdown, activities scheduled and in funding order.
    res = option.resources
    ov = lambda f: draw("options[%s].resources.%s" % (option.id, f), field(res, f),  # noqa: E731
                        dimension="options[*].resources." + f, default=0.0)
    troops, police = ov("troops") * force_share, ov("police") * force_share
    observers, civilians = ov("observers"), ov("civilians")
    dm, budget_month = ov("deployment_months"), ov("programme_budget_usd_per_year") * budget_share / 12
    robust, poc = option.mandate.robust, option.mandate.protection_of_civilians
    steps = [(st.month, [getattr(st, f) if st.HasField(f) else None for f in ("troops", "police", "observers", "civilians")])
             for st in res.drawdown]
    if res.withdrawal_month > 0:
        steps.append((res.withdrawal_month, [0.0, 0.0, 0.0, 0.0]))
    NEVER = math.inf
    acts, by_id, seen = [], {}, {}
    for a in option.activities:
        n = seen.get(a.kind, 0)
        seen[a.kind] = n + 1
        shared = "options[*].activities[%s#%d].cost_usd_per_month" % (kind_name(a.kind), n)
        acts.append(dict(id=a.id, kind=a.kind, lead=a.lead, after=list(a.after), duration=a.duration_months,
                         start_month=a.start_month, intensity=a.intensity or 1.0, priority=a.priority or 1,
                         cost=draw("options[%s].activities[%s].cost_usd_per_month" % (option.id, a.id),
                                   field(a, "cost_usd_per_month"), dimension=shared, default=0.0)))
        by_id[a.id] = acts[-1]
    mission_leads = (scenario_pb2.COMPONENT_MILITARY, scenario_pb2.COMPONENT_POLICE, scenario_pb2.COMPONENT_CIVILIAN)
    done = set()
    while len(done) < len(acts):  # topological order
        for act in acts:
            if act["id"] in done or any(p not in done for p in act["after"]):
                continue
            start = act["start_month"] + delay.get(act["kind"], 0)
            for p in act["after"]:
                start = max(start, by_id[p]["planned_end"])
            end = start + act["duration"] if act["duration"] > 0 and start < NEVER else NEVER
            if act["lead"] in mission_leads and res.withdrawal_month > 0:
                end = min(end, res.withdrawal_month)
            act["start"], act["planned_end"], act["end"] = start, end, min(end, horizon)
            done.add(act["id"])
    funding = sorted(acts, key=lambda act: act["priority"])  # a stable sort: ties in declaration order
    # §2.4 and §2.5: gender and the dynamics' state at month 0.
    wp0, wr, gbv0 = ge("participation"), ge("representation"), ge("gbv")
    wp, gbv = wp0, gbv0
    population = si("population_millions") * 1e6
    displaced = min(si("initial_displaced"), population)
    DF = ge("female_share_displaced") * displaced
    delta0 = displaced / population
    deaths = 0.0
    M = 0.0 if regime0 == WAR else si("months_since_agreement")
    w = 12 * si("war_years") if regime0 == WAR else 0.0
    lam = LIBM.pow(0.5, 1 / (12 * dy("war_history_half_life_years")))

    def years(frm, months):
        if months <= 0:
            return 0.0
        if lam >= 1:
            return months / 12
        return LIBM.pow(lam, frm) * (1 - LIBM.pow(lam, months)) / (12 * (1 - lam))

    h = years(M, 12 * si("war_years")) + years(M + 12 * si("war_years"), 12 * si("earlier_war_years"))
    regime = regime0
    tau1, tau2, tau3 = dy("threshold_unstable"), dy("threshold_crisis"), dy("threshold_war")

    def spoiler():
        tot = sup = 0.0
        for a in range(na):
            tot += m[a]
            sup += m[a] * x[a]
        return (tot - sup) / m0 if m0 > 0 else 0.0, (tot / m0 if m0 > 0 else 1.0)

    def risk(P, S, D, K, push):
        r = (dy("base_risk") + s0 + driver_risk(d) + dy("polarisation_weight") * P + dy("spoiler_weight") * K * S
             + dy("gbv_weight") * gbv - dy("participation_weight") * wp + dy("inequality_weight") * ge("inequality")
             + dy("war_history_weight") * h)
        if regime == WAR:
            r = r + (dy("war_trap") - dy("war_exhaustion") * (w / 12))
        return r - dy("duration_dependence") * math.log1p(M / 12) - D + push

    P, median = polarisation_and_median(x, cap, power, half)
    S, _ = spoiler()
    risk0 = risk(P, S, 0.0, 1.0, 0.0)
    lo, hi = {STABLE: (-math.inf, tau1), UNSTABLE: (tau1, tau2), CRISIS: (tau2, tau3), WAR: (tau3, math.inf)}[regime0]
    y = clamp(risk0, lo, max(lo, math.nextafter(hi, -math.inf)))

    metrics = dict(BATTLE_DEATHS=0.0, CIVILIAN_DEATHS=0.0, CIVILIAN_DEATHS_FEMALE=0.0, MONTHS_IN_WAR=0.0,
                   COST_USD=0.0)
    # §6.4: each month's measures, as the benchmarks read them at the end of the month (month 0's first).
    measures = []

    def record(battle, civ, civ_f, armed):
        values = {"INDICATOR_BATTLE_DEATHS": battle, "INDICATOR_CIVILIAN_DEATHS": civ,
                  "INDICATOR_CIVILIAN_DEATHS_FEMALE": civ_f, "INDICATOR_DISPLACED": displaced,
                  "INDICATOR_DISPLACED_FEMALE": DF, "INDICATOR_CONFLICT_INTENSITY": y,
                  "INDICATOR_WOMEN_PARTICIPATION": wp, "INDICATOR_WOMEN_REPRESENTATION": wr, "INDICATOR_GBV": gbv,
                  "INDICATOR_ARMED_STRENGTH": armed}
        values.update({"driver:" + x.id: d[j] for j, x in enumerate(drivers)})
        values.update({"position:" + a.id: x[k] for k, a in enumerate(actors)})
        values.update({"strength:" + a.id: (m[k] / m_initial[k] if m_initial[k] > 0 else 0.0) for k, a in enumerate(actors)})
        values["regime"] = regime
        measures.append(values)

    m_initial = list(m)
    record(0.0, 0.0, 0.0, 1.0)
    relapse_month = 0
    displaced_peak, df_peak, gbv_sum = displaced, DF, 0.0
    first_stable = 0 if regime == STABLE else -1
    harm_scale = LIBM.pow(si("population_millions") / 10, dy("harm_population_elasticity"))
    g0 = dy("effect_without_guarantee")
    for k in range(horizon):
        t = k + 1
        # 1. Ramp, consent and the drawdown's shares.
        ramp = 1.0 if dm <= 0 else min(1.0, (k + 1) / dm)
        C = consent
        share = [1.0, 1.0, 1.0, 1.0]
        for month, values in steps:
            if month <= k:
                share = [old if new is None else new for old, new in zip(share, values)]
        sT, sP, sO, sC = share
        # 2. Activities, funded in priority order and gated.
        gate = {scenario_pb2.COMPONENT_MILITARY: ramp * C * sT, scenario_pb2.COMPONENT_POLICE: ramp * C * sP,
                scenario_pb2.COMPONENT_CIVILIAN: C * sC}
        left, spent = budget_month, 0.0
        dpush, apush = [0.0] * nd, [0.0] * na
        tot = dict(mediation=0.0, ddr=0.0, participation=0.0, representation=0.0, gbv=0.0, risk=0.0)
        election = False
        for act in funding:
            if not (act["start"] <= k < act["end"]):
                continue
            need = act["cost"]
            f = clamp(left / need, 0.0, 1.0) if need > 0 else 1.0
            left -= f * need
            spent += f * need
            u = act["intensity"] * f * gate.get(act["lead"], 1.0)
            if u <= 0:
                continue
            e = effects[act["kind"]]
            for j, change in e["drivers"]:
                dpush[j] += u * change
            for a, change in e["actors"]:
                apush[a] += u * change
            for name in tot:
                tot[name] += u * e[name]
            election = election or act["kind"] == scenario_pb2.ACTIVITY_KIND_ELECTIONS
        # 3. Shocks.
        risk_push = tot["risk"]
        for start, end, target, where, delta in shocks:
            if start <= k < end:
                if target == "driver":
                    dpush[where] += delta
                elif target == "actor":
                    apush[where] += delta
                else:
                    risk_push += delta
        # 4. Presence, deterrence, coercion; the guarantee of §3.
        T, Pp, O = troops * ramp * C * sT, police * ramp * C * sP, observers * ramp * C * sO
        D = (dy("troop_deterrence") * math.log1p(T / 1000) + dy("police_deterrence") * math.log1p(Pp / 1000))
        D = (D * dy("robust_multiplier") if robust else D) + dy("observer_deterrence") * math.log1p(O / 100)
        K = LIBM.exp(-dy("spoiler_coercion") * math.log1p(T / 1000)) if robust else 1.0
        G = g0 + (1 - g0) * (1 - K)
        # 5-7. The factors of risk and the dynamics step.
        S, armed_ratio = spoiler()
        dr_start = driver_risk(d)
        r = risk(P, S, D, K, risk_push)
        y = dy("persistence") * y + (1 - dy("persistence")) * r + dy("noise") * normal(seed, i, DYNAMICS, t, 0)
        if regime == WAR and y >= tau2:
            regime = WAR
        else:
            regime = WAR if y >= tau3 else CRISIS if y >= tau2 else UNSTABLE if y >= tau1 else STABLE
        war = regime == WAR
        M = 0.0 if war else M + 1
        w = w + 1 if war or (w > 0 and M < 12) else 0.0
        h = lam * h + (1.0 / 12 if war else 0.0)
        med = {STABLE: 0.0, UNSTABLE: 0.05 * dy("battle_deaths_crisis"), CRISIS: dy("battle_deaths_crisis"),
               WAR: dy("battle_deaths_war")}[regime]
        battle = 0.0
        if med > 0:
            battle = med * harm_scale * max(armed_ratio, 0.1) * LIBM.exp(
                dy("battle_deaths_sigma") * normal(seed, i, DYNAMICS, t, 1) - dy("troop_battle_effect") * math.log1p(T / 1000))
        capacity = T + Pp if poc else 0.0
        civ = battle * dy("civilian_ratio") * LIBM.exp(-dy("poc_effect") * math.log1p(capacity / 1000))
        alive = max(0.0, population - deaths)
        if battle + civ > alive:
            both = battle + civ
            battle, civ = battle * (alive / both), civ * (alive / both)
        deaths += battle + civ
        living = population - deaths
        new = dy("displaced_per_death") * (battle + civ) * (max(0.0, 1 - displaced / living) if living > 0 else 0.0)
        returned = dy("return_rate") * displaced if regime <= UNSTABLE else 0.0
        displaced_before = displaced
        displaced = clamp(displaced + new - returned, 0.0, living)
        # 8-9. Female harm, then the gender step.
        f_d = clip01(ge("female_share_civilian_deaths") + ge("female_death_share_per_gbv") * (gbv - gbv0)
                     + ge("female_death_share_per_displaced") * (displaced / population - delta0))
        civ_f = civ * f_d
        f_new = clip01(ge("female_share_displaced") + ge("female_displaced_share_per_gbv") * (gbv - gbv0)
                       + ge("female_displaced_share_at_war") * (1.0 if war else 0.0))
        DF = clamp(DF + f_new * new - (returned * DF / displaced_before if displaced_before > 0 else 0.0), 0.0, displaced)
        violence = min(1.0, battle / dy("battle_deaths_war"))
        wp = clip01(wp + ge("participation_reversion") * (wp0 - wp) + tot["participation"])
        wr = clip01(wr + (tot["representation"] if election else 0.0))
        gbv = clip01(gbv + ge("gbv_from_violence") * violence - ge("gbv_recovery") * (gbv - gbv0) + tot["gbv"])
        # 10. The drivers.
        n = []
        for l in range(nd):
            nl = d[l] + kappa[l] * (b[l] - d[l]) + dpush[l] + sigma[l] * normal(seed, i, DRIVERS, t, l)
            for (j, to, wt) in edges:
                if to == l:
                    nl += wt * (d[j] - b[j])
            n.append(nl)
        d = [clip01(nl) for nl in n]
        b = [b[l] + eta * (d[l] - b[l]) for l in range(nd)]
        # 11. The actors: the pull toward the bargaining outcome and DDR, under the guarantee.
        mu = min(1.0, dy("bargaining_pull") * tot["mediation"] * G)
        ddr = min(1.0, tot["ddr"] * G)
        attr = dy("attrition_war") if war else dy("attrition_peace")
        recruit = dy("recruitment") * max(0.0, dr_start)
        nx = []
        for a in range(na):
            wx = 0.0
            for bb in range(na):
                wx += W[a][bb] * x[bb]
            xa = (1 - anchor[a]) * wx + anchor[a] * x0[a] + asig[a] * normal(seed, i, ACTORS, t, a)
            if mu > 0:
                xa = xa + mu * (median - x[a])
            nx.append(clip01(xa + apush[a]))
        for a in range(na):
            supports = x[a] >= 0.5
            after = max(0.0, m[a] * (1 - min(1.0, attr + (ddr if supports else 0.0))) + (0.0 if supports else recruit * m[a]))
            m[a] = m[a] if m[a] <= 0 else after
        x = nx
        P, median = polarisation_and_median(x, cap, power, half)
        consent = 1.0 if all(x[a] >= dy("consent_threshold") for a in holders) else consent * (1 - dy("consent_decay"))
        # 12. The month's bookkeeping (§6.1).
        if war:
            metrics["MONTHS_IN_WAR"] += 1
            if relapse_month == 0:
                relapse_month = t
        if first_stable < 0 and regime == STABLE:
            first_stable = t
        metrics["BATTLE_DEATHS"] += battle
        metrics["CIVILIAN_DEATHS"] += civ
        metrics["CIVILIAN_DEATHS_FEMALE"] += civ_f
        displaced_peak, df_peak = max(displaced_peak, displaced), max(df_peak, DF)
        gbv_sum += gbv
        personnel = ((troops * sT + observers * sO) * dy("troop_cost_usd_month") + police * sP * dy("police_cost_usd_month")
                     + civilians * sC * dy("civilian_cost_usd_month"))
        metrics["COST_USD"] += personnel * ramp + spent
        record(battle, civ, civ_f, armed_ratio)
    metrics.update(RELAPSE=1.0 if relapse_month > 0 else 0.0, DISPLACED_PEAK=displaced_peak,
                   DISPLACED_PEAK_FEMALE=df_peak, WOMEN_PARTICIPATION=wp, WOMEN_REPRESENTATION=wr,
                   GBV_MEAN=gbv_sum / horizon, STABLE_PEACE_AT_HORIZON=1.0 if regime == STABLE else 0.0,
                   MONTHS_TO_STABLE_PEACE=float(first_stable if first_stable >= 0 else horizon + 1))
    met = []
    for bm in scenario.results_framework:
        if bm.month > horizon:
            met.append(False)
            continue
        what = bm.measure.WhichOneof("what")
        key = {"indicator": lambda: scenario_pb2.Indicator.Name(bm.measure.indicator),
               "driver": lambda: "driver:" + bm.measure.driver, "actor_position": lambda: "position:" + bm.measure.actor_position,
               "actor_strength": lambda: "strength:" + bm.measure.actor_strength}[what]()
        value = measures[bm.month][key] - (measures[0][key] if bm.from_start else 0.0)
        met.append(value <= bm.target if bm.bound == scenario_pb2.BOUND_AT_MOST else value >= bm.target)
    return metrics, relapse_month, met, measures


def fan_scale(indicator):
    """§6.3's table: the fan charts' histograms."""
    if indicator == "INDICATOR_CONFLICT_INTENSITY":
        return LinearScale(-1.5, 2.5, 100)
    if indicator == "INDICATOR_ARMED_STRENGTH":
        return LinearScale(0, 2, 100)
    if indicator in ("INDICATOR_WOMEN_PARTICIPATION", "INDICATOR_WOMEN_REPRESENTATION", "INDICATOR_GBV"):
        return LinearScale(0, 1, 100)
    return LogScale(1e-1, 1e8, 20)


def check_trajectories(results, per_scenario, horizon):
    """§6.3's fan charts (mean, and p05-p95 from histograms, not clamped) and regime shares of every
    option, overall (the sum of the planning scenarios', in their order) and per planning scenario,
    from the re-implemented futures' months (one block: each sum in realisation order)."""
    from peacesim.v1 import scenario_pb2
    compared = 0
    for o, option in enumerate(results.options):
        groups = [per_scenario[o][p] for p in range(len(per_scenario[o]))]
        overall = dict(n=sum(g["n"] for g in groups), sums={}, counts={}, regimes=[[0] * 4 for _ in range(horizon + 1)])
        for g in groups:  # the overall sums: 0, plus each planning scenario's in turn
            for key, values in g["sums"].items():
                into = overall["sums"].setdefault(key, [0.0] * len(values))
                for t, v in enumerate(values):
                    into[t] += v
            for key, hist in g["counts"].items():
                into = overall["counts"].setdefault(key, [[0] * len(h) for h in hist])
                for t, h in enumerate(hist):
                    for b, c in enumerate(h):
                        into[t][b] += c
            for t, r in enumerate(g["regimes"]):
                for k in range(4):
                    overall["regimes"][t][k] += r[k]
        for e, g in [(option.overall, overall)] + [(option.by_planning_scenario[p], groups[p]) for p in range(len(groups))]:
            for fan in e.fan_charts:
                key = scenario_pb2.Indicator.Name(fan.indicator)
                scale = fan_scale(key)
                for t, month in enumerate(fan.month):
                    want = [percentile(scale, g["counts"][key][month], q, -math.inf, math.inf)
                            for q in (0.05, 0.25, 0.50, 0.75, 0.95)] + [g["sums"][key][month] / g["n"]]
                    got = [fan.p05[t], fan.p25[t], fan.p50[t], fan.p75[t], fan.p95[t], fan.mean[t]]
                    compared += 6
                    if got != want:
                        check(False, "%s: fan chart of %s, month %d: %r, docs/model.md gives %r"
                              % (option.option_id, key, month, got, want))
                        return compared
            for rs in e.regime_shares:
                c = g["regimes"][rs.month]
                total = float(sum(c))
                compared += 1
                check((rs.stable_peace, rs.unstable_peace, rs.crisis, rs.war) == tuple(x / total for x in c),
                      "%s: regime shares of month %d differ" % (option.option_id, rs.month))
    return compared


INDICATORS = ("INDICATOR_BATTLE_DEATHS", "INDICATOR_CIVILIAN_DEATHS", "INDICATOR_CIVILIAN_DEATHS_FEMALE",
              "INDICATOR_DISPLACED", "INDICATOR_DISPLACED_FEMALE", "INDICATOR_CONFLICT_INTENSITY",
              "INDICATOR_WOMEN_PARTICIPATION", "INDICATOR_WOMEN_REPRESENTATION", "INDICATOR_GBV",
              "INDICATOR_ARMED_STRENGTH")


def check_futures(peacesim, tmp):
    from peacesim.v1 import results_pb2, scenario_pb2
    path = tmp / "model-test.textproto"
    path.write_text(DOC_SCENARIO)
    stream = tmp / "model-test.pbstream"
    run = subprocess.run([peacesim, "run", str(path), "--stream", str(stream), "--out", str(tmp / "m.pb"), "-q",
                          "--threads", "2"], capture_output=True, text=True)
    check(run.returncode == 0, "the model test's scenario: run exited %d: %s" % (run.returncode, run.stderr))
    if run.returncode != 0:
        return
    header, futures = streamed_futures(str(stream))
    metric_names = [scenario_pb2.Metric.Name(mm).removeprefix("METRIC_") for mm in header.metrics]
    judged = [set() for _ in header.scenario.results_framework]
    check(len(futures) <= 256, "the futures' fan-chart sums are compared as one block")
    trajectories = [[dict(n=0, sums={}, counts={}, regimes=[[0] * 4 for _ in range(header.horizon_months + 1)])
                     for _ in header.planning_scenarios] for _ in header.scenario.options]
    criteria = list(header.scenario.criteria)
    total_weight = 0.0
    for c in criteria:
        total_weight += c.weight
    compared = 0
    for rec in futures:
        draw = Draw(header, rec)
        for o, option in enumerate(header.scenario.options):
            want, relapse, met, months = simulate_future(header.scenario, draw, header.horizon_months, option)
            g = trajectories[o][rec.planning_scenario]
            g["n"] += 1
            for key in INDICATORS:
                sums = g["sums"].setdefault(key, [0.0] * (header.horizon_months + 1))
                hist = g["counts"].setdefault(key, [[0] * (fan_scale(key).bins + 3) for _ in sums])
                for t, values in enumerate(months):
                    sums[t] += values[key]
                    hist[t][fan_scale(key).bin(values[key])] += 1
            for t, values in enumerate(months):
                g["regimes"][t][values["regime"]] += 1
            got = rec.options[o]
            check(list(got.benchmarks_met) == met, "future %d, %s: benchmarks met %s, docs/model.md gives %s"
                  % (rec.realisation, option.id, list(got.benchmarks_met), met))
            for k, x in enumerate(met):
                judged[k].add(x)
            check(got.relapse_month == relapse, "future %d, %s: relapse month %d, docs/model.md gives %d"
                  % (rec.realisation, option.id, got.relapse_month, relapse))
            for name, value in zip(metric_names, got.metrics):
                compared += 1
                if value != want[name]:
                    check(False, "future %d, %s: %s is %r, docs/model.md gives %r"
                          % (rec.realisation, option.id, name, value, want[name]))
                    return
            # §6.2: the score, each criterion's value weighted, in the criteria's order.
            score = 0.0
            for c in criteria:
                x = want[scenario_pb2.Metric.Name(c.metric).removeprefix("METRIC_")]
                score += c.weight / total_weight * clip01((x - c.worst) / (c.best - c.worst))
            check(got.score == score, "future %d, %s: score %r, docs/model.md gives %r"
                  % (rec.realisation, option.id, got.score, score))
    results = results_pb2.Results()
    results.ParseFromString((tmp / "m.pb").read_bytes())
    compared += check_trajectories(results, trajectories, header.horizon_months)
    # Every benchmark within the horizon is met in some futures and missed in others.
    for bm, seen in zip(header.scenario.results_framework, judged):
        check(seen == ({True, False} if bm.month <= header.horizon_months else {False}),
              "benchmark %s is %s in every future: it tells nothing" % (bm.id, seen))
    print("whole futures: %d numbers (metrics, scores, fan charts, regime shares) and %d benchmarks of %d futures x %d options as the text says"
          % (compared, len(judged), len(futures), len(header.scenario.options)))


# --- The results' statistics, from §6.3 ----------------------------------------------------------

class Moments:
    """§6.3: Welford's update within a block, Chan et al.'s merge between blocks."""

    def __init__(self):
        self.n, self.mean, self.m2, self.min, self.max = 0, 0.0, 0.0, math.inf, -math.inf

    def add(self, x):
        self.n += 1
        delta = x - self.mean
        self.mean += delta / self.n
        self.m2 += delta * (x - self.mean)
        self.min, self.max = min(self.min, x), max(self.max, x)

    def merged(self, o):
        if o.n == 0:
            return self
        if self.n == 0:
            return o
        out = Moments()
        na, nb = float(self.n), float(o.n)
        total = na + nb
        delta = o.mean - self.mean
        out.n = self.n + o.n
        out.mean = self.mean + delta * nb / total
        out.m2 = self.m2 + (o.m2 + delta * delta * na * nb / total)
        out.min, out.max = min(self.min, o.min), max(self.max, o.max)
        return out

    def sd(self):
        return LIBM.sqrt(self.m2 / (self.n - 1)) if self.n > 1 else 0.0

    def ci95(self):
        h = 1.959963984540054 * self.sd() / LIBM.sqrt(float(self.n)) if self.n > 1 else 0.0
        return self.mean - h, self.mean + h


def over_the_tree(blocks, merge):
    """§6.3: node (k, j) merges nodes (k-1, 2j) and (k-1, 2j+1), left then right; the total merges,
    left to right, the nodes of the largest runs that tile [0, B), the binary digits of B first."""
    def node(start, size):
        return blocks[start] if size == 1 else merge(node(start, size // 2), node(start + size // 2, size // 2))

    total, start = None, 0
    for k in reversed(range(len(blocks).bit_length())):
        if len(blocks) >> k & 1:
            part = node(start, 1 << k)
            total = part if total is None else merge(total, part)
            start += 1 << k
    return total


class LinearScale:
    """§6.3's linear histogram: B equal bins on [lo, hi] (hi in the last), an underflow bin 0 and an
    overflow bin B + 1."""

    def __init__(self, lo, hi, bins):
        self.lo, self.hi, self.bins = lo, hi, bins
        self.width = (hi - lo) / bins
        self.inverse_width = 1.0 / self.width

    def bin(self, x):
        if not x >= self.lo:
            return 0
        offset = (x - self.lo) * self.inverse_width
        if offset >= self.bins:
            return self.bins if x <= self.hi else self.bins + 1
        return int(offset) + 1

    def lower(self, b):
        return self.lo - self.width if b == 0 else self.lo + (b - 1) * self.width

    def upper(self, b):
        return self.lo if b == 0 else self.lo + b * self.width


class LogScale:
    """§6.3's log histogram: bin 0 holds x <= 0, bin 1 holds 0 < x < lo, then per_decade bins a
    decade by log10 up to hi, then an overflow bin."""

    def __init__(self, lo, hi, per_decade):
        self.lo, self.hi = math.log10(lo), math.log10(hi)
        self.bins = math.ceil((self.hi - self.lo) * per_decade)
        self.width, self.inverse_width = 1.0 / per_decade, float(per_decade)

    def bin(self, x):
        if not x > 0:
            return 0
        le = math.log10(x)
        if le < self.lo:
            return 1
        offset = (le - self.lo) * self.inverse_width
        return self.bins + 2 if offset >= self.bins else int(offset) + 2

    def lower(self, b):
        return 0.0 if b <= 1 else LIBM.pow(10.0, self.lo + (b - 2) * self.width)

    def upper(self, b):
        if b == 0:
            return 0.0
        return LIBM.pow(10.0, self.lo) if b == 1 else LIBM.pow(10.0, self.lo + (b - 1) * self.width)


def percentile(scale, counts, p, lo, hi):
    """§6.3: the first bin whose running count reaches p·n, interpolated inside it, clamped to the
    observed [min, max]."""
    total = sum(counts)
    run = 0.0
    for b, count in enumerate(counts):
        if count == 0:
            continue
        if run + count >= p * total:
            f = (p * total - run) / count
            return clamp(scale.lower(b) + f * (scale.upper(b) - scale.lower(b)), lo, hi)
        run += count
    return hi


def lower_tail_mean(scale, counts, alpha, lo, hi):
    """§6.3's score_cvar10."""
    total = sum(counts)
    if total == 0:
        return 0.0
    want, taken, acc = alpha * total, 0.0, 0.0
    for b, count in enumerate(counts):
        if taken >= want:
            break
        if count == 0:
            continue
        k = min(float(count), want - taken)
        share = k / count
        low, high = clamp(scale.lower(b), lo, hi), clamp(scale.upper(b), lo, hi)
        acc += k * (low + 0.5 * share * (high - low))
        taken += k
    return acc / taken


SCORE_SCALE = LinearScale(0, 1, 2000)  # §6.3's table: score and regret, linear [0, 1], 2,000 bins
METRIC_SCALE = LogScale(1e-3, 1e13, 100)  # and metrics, log10 [1e-3, 1e13], 100 bins a decade


BOOTSTRAP = 7  # stream of the bootstrap's Poisson weights (docs/analysis.md)


def poisson_one(u):
    """docs/analysis.md: Poisson(1) by inversion from e^-1, at most 20."""
    p = cumulative = 0.36787944117144233
    k = 0
    while u > cumulative and k < 20:
        k += 1
        p /= k
        cumulative += p
    return float(k)


def quantile_type7(x, p):
    x = sorted(x)
    h = (len(x) - 1) * p
    lo = math.floor(h)
    hi = min(lo + 1, len(x) - 1)
    return x[lo] + (h - lo) * (x[hi] - x[lo])


def check_bootstrap(results, futures, seed, options):
    """docs/analysis.md, "the paired Poisson bootstrap": 200 replicates of weighted sums per block,
    merged along the tree; each replicate's means, P(best) and ranks; type-7 percentiles."""
    replicates = 200
    blocks = []
    for rec in futures:
        b = rec.realisation // 256
        if b == len(blocks):
            blocks.append([[0.0, [0.0] * options, [0.0] * options] for _ in range(replicates)])
        scores = [o.score for o in rec.options]
        best = max(scores)
        ties = scores.count(best)
        for r in range(replicates):
            w = poisson_one(uniform(seed, rec.realisation, BOOTSTRAP, 0, r))
            if w == 0:
                continue
            cell = blocks[b][r]
            cell[0] += w
            for o in range(options):
                cell[1][o] += w * scores[o]
                cell[2][o] += w * (1.0 / ties if scores[o] == best else 0.0)

    def merge(a, b):
        return [[x[0] + y[0], [u + v for u, v in zip(x[1], y[1])], [u + v for u, v in zip(x[2], y[2])]]
                for x, y in zip(a, b)]

    total = over_the_tree(blocks, merge)
    score, best, rank = [[] for _ in range(options)], [[] for _ in range(options)], [[] for _ in range(options)]
    for w, sums, shares in total:
        if not w > 0:
            continue
        for o in range(options):
            score[o].append(sums[o] / w)
            best[o].append(shares[o] / w)
        for k, o in enumerate(sorted(range(options), key=lambda o: -sums[o])):  # stable: ties in option order
            rank[o].append(k + 1)
    compared = 0
    for o, option in enumerate(results.options):
        bi = option.overall.bootstrap
        want = (len(score[o]), quantile_type7(score[o], 0.025), quantile_type7(score[o], 0.975),
                quantile_type7(best[o], 0.025), quantile_type7(best[o], 0.975),
                math.floor(quantile_type7(rank[o], 0.025)), math.ceil(quantile_type7(rank[o], 0.975)))
        got = (bi.replicates, bi.score_low, bi.score_high, bi.p_best_low, bi.p_best_high, bi.rank_low, bi.rank_high)
        compared += len(got)
        check(got == want, "bootstrap, %s: %r, docs/analysis.md gives %r" % (option.option_id, got, want))
    return compared


WEIGHTS, DRAWS = 8, 8  # stream of the SMAA-2 weight draws, and draws a future (docs/analysis.md)


def check_acceptability(results, futures, scenario, metrics, seed):
    """docs/analysis.md, "rank acceptability (SMAA-2)": each future's criterion values (§6.2) under
    8 weight draws, the ranks' shares (ties split) and central weights, tallied per block and
    merged along the tree."""
    criteria, options = list(scenario.criteria), len(scenario.options)
    nc, sets = len(criteria), list(scenario.weight_sets)
    raw_sets = []
    for ws in sets:
        raw = [c.weight for c in criteria]
        for x in ws.weights:
            raw[[c.id for c in criteria].index(x.criterion)] = x.weight
        raw_sets.append(raw)
    blocks = []
    for rec in futures:
        b = rec.realisation // 256
        if b == len(blocks):
            blocks.append([0.0, [[0.0] * options for _ in range(options)], [[0.0] * nc for _ in range(options)]])
        tally = blocks[b]
        values = [[clip01((rec.options[o].metrics[metrics.index(c.metric)] - c.worst) / (c.best - c.worst))
                   for c in criteria] for o in range(options)]
        for k in range(DRAWS):
            base = k * (nc + 1)
            raw = [c.weight for c in criteria]
            if sets:
                raw = raw_sets[min(len(sets) - 1, int(uniform(seed, rec.realisation, WEIGHTS, 0, base) * len(sets)))]
            w, total = [], 0.0
            for c, crit in enumerate(criteria):
                x = raw[c]
                if crit.HasField("weight_range"):
                    lo, hi = crit.weight_range.min, crit.weight_range.max
                    x = lo + uniform(seed, rec.realisation, WEIGHTS, 0, base + 1 + c) * (hi - lo)
                w.append(x)
                total += x
            w = [x / total for x in w]
            scores = []
            for o in range(options):
                sc = 0.0
                for c in range(nc):
                    sc += w[c] * values[o][c]
                scores.append(sc)
            for o in range(options):
                above = sum(1 for q in scores if q > scores[o])
                tied = sum(1 for q in scores if q == scores[o])
                for r in range(above, above + tied):
                    tally[1][o][r] += 1.0 / tied
                if above == 0:
                    for c in range(nc):
                        tally[2][o][c] += 1.0 / tied * w[c]
            tally[0] += 1

    def merge(a, b):
        return [a[0] + b[0], [[x + y for x, y in zip(u, v)] for u, v in zip(a[1], b[1])],
                [[x + y for x, y in zip(u, v)] for u, v in zip(a[2], b[2])]]

    draws, rank, central = over_the_tree(blocks, merge)
    acc = results.value_judgements.acceptability
    check(acc.draws == draws and acc.draws_per_future == DRAWS,
          "acceptability: %d draws (%d a future), docs/analysis.md gives %d" % (acc.draws, acc.draws_per_future, draws))
    compared = 2
    for o, x in enumerate(acc.options):
        want = [r / draws for r in rank[o]]
        want_central = [c / rank[o][0] for c in central[o]] if rank[o][0] > 0 else []
        compared += len(want) + len(want_central)
        check(list(x.rank) == want and list(x.central_weights) == want_central,
              "acceptability of %s: %s %s, docs/analysis.md gives %s %s"
              % (x.option_id, list(x.rank), list(x.central_weights), want, want_central))
    return compared


def check_statistics(peacesim, tmp):
    """Moments of score, regret, the paired difference and every metric, p_best, p_satisficing and
    the survival curve of every option and group, from the streamed futures by §6.2-§6.3, against
    the results file's: 1,100 futures, so five blocks merged as ((0 + 1) + (2 + 3)) + 4."""
    from peacesim.v1 import results_pb2, scenario_pb2
    path = tmp / "model-test.textproto"
    path.write_text(DOC_SCENARIO)
    stream, out = tmp / "statistics.pbstream", tmp / "statistics.pb"
    run = subprocess.run([peacesim, "run", str(path), "--runs", "1100", "--stream", str(stream), "--out", str(out),
                          "-q", "--threads", "2"], capture_output=True, text=True)
    check(run.returncode == 0, "statistics: run exited %d: %s" % (run.returncode, run.stderr))
    if run.returncode != 0:
        return
    header, futures = streamed_futures(str(stream))
    results = results_pb2.Results()
    results.ParseFromString(out.read_bytes())
    scenario = header.scenario
    options, groups = len(scenario.options), 1 + len(header.planning_scenarios)
    baseline = [o.id for o in scenario.options].index(scenario.simulation.baseline_option)
    satisficing = [c for c in scenario.criteria if c.HasField("satisficing")]
    metrics = len(header.metrics)
    blocks = []  # per block: [o][g] -> dict of Moments and sums
    counts = [[dict(n=0, satisficed=0, relapse=[0] * (header.horizon_months + 1),
                    score=[0] * (SCORE_SCALE.bins + 2), regret=[0] * (SCORE_SCALE.bins + 2),
                    metrics=[[0] * (METRIC_SCALE.bins + 3) for _ in range(len(header.metrics))],
                    met=[0] * len(scenario.results_framework)) for _ in range(groups)]
              for _ in range(options)]
    for rec in futures:
        b = rec.realisation // 256
        if b == len(blocks):
            blocks.append([[dict(score=Moments(), regret=Moments(), diff=Moments(), best=0.0,
                                 metrics=[Moments() for _ in range(metrics)]) for _ in range(groups)]
                           for _ in range(options)])
        scores = [o.score for o in rec.options]
        best = max(scores)
        ties = scores.count(best)
        for o, outcome in enumerate(rec.options):
            ok = all(outcome.metrics[list(header.metrics).index(c.metric)] <= c.satisficing
                     if c.direction == scenario_pb2.DIRECTION_MINIMISE else
                     outcome.metrics[list(header.metrics).index(c.metric)] >= c.satisficing for c in satisficing)
            for g in (0, 1 + rec.planning_scenario):
                cell = blocks[b][o][g]
                cell["score"].add(outcome.score)
                cell["regret"].add(best - outcome.score)
                cell["diff"].add(outcome.score - scores[baseline])
                cell["best"] += 1.0 / ties if outcome.score == best else 0.0
                for k, x in enumerate(outcome.metrics):
                    cell["metrics"][k].add(x)
                c = counts[o][g]
                c["n"] += 1
                c["satisficed"] += ok
                c["relapse"][outcome.relapse_month] += 1
                c["score"][SCORE_SCALE.bin(outcome.score)] += 1
                c["regret"][SCORE_SCALE.bin(best - outcome.score)] += 1
                for k, x in enumerate(outcome.metrics):
                    c["metrics"][k][METRIC_SCALE.bin(x)] += 1
                for k, x in enumerate(outcome.benchmarks_met):
                    c["met"][k] += x

    def merge(a, b):
        return dict(score=a["score"].merged(b["score"]), regret=a["regret"].merged(b["regret"]),
                    diff=a["diff"].merged(b["diff"]), best=a["best"] + b["best"],
                    metrics=[x.merged(y) for x, y in zip(a["metrics"], b["metrics"])])

    check(len(blocks) == 5, "statistics: %d blocks, 5 expected" % len(blocks))
    compared = 0
    for o, option in enumerate(results.options):
        for g in range(groups):
            e = option.overall if g == 0 else option.by_planning_scenario[g - 1]
            t = over_the_tree([blk[o][g] for blk in blocks], merge)
            n = counts[o][g]["n"]
            where = "%s, group %d" % (option.option_id, g)
            pairs = [("score", e.score, t["score"]), ("regret", e.regret, t["regret"])]
            if g == 0:
                pairs += [(scenario_pb2.Metric.Name(ms.metric), ms.distribution, t["metrics"][list(header.metrics).index(ms.metric)])
                          for ms in e.metrics]
            for name, got, want in pairs:
                for field_name, value in (("mean", want.mean), ("sd", want.sd()), ("min", want.min), ("max", want.max),
                                          ("ci95_low", want.ci95()[0]), ("ci95_high", want.ci95()[1])):
                    compared += 1
                    check(getattr(got, field_name) == value, "statistics, %s: %s.%s is %r, docs/model.md gives %r"
                          % (where, name, field_name, getattr(got, field_name), value))
            for name, got, want in (("score", e.score, t["score"]), ("regret", e.regret, t["regret"])):
                for pc in got.percentiles:
                    value = percentile(SCORE_SCALE, counts[o][g][name], pc.p / 100, want.min, want.max)
                    compared += 1
                    check(pc.value == value, "statistics, %s: %s p%g is %r, docs/model.md gives %r"
                          % (where, name, pc.p, pc.value, value))
                check(len(got.percentiles) == 7, "statistics, %s: %d percentiles of %s" % (where, len(got.percentiles), name))
            if g == 0:
                for ms in e.metrics:
                    k = list(header.metrics).index(ms.metric)
                    for pc in ms.distribution.percentiles:
                        value = percentile(METRIC_SCALE, counts[o][g]["metrics"][k], pc.p / 100, t["metrics"][k].min,
                                           t["metrics"][k].max)
                        compared += 1
                        check(pc.value == value, "statistics, %s: %s p%g is %r, docs/model.md gives %r"
                              % (where, scenario_pb2.Metric.Name(ms.metric), pc.p, pc.value, value))
            cvar = lower_tail_mean(SCORE_SCALE, counts[o][g]["score"], 0.10, t["score"].min, t["score"].max)
            compared += 1
            check(e.score_cvar10 == cvar, "statistics, %s: score_cvar10 %r, docs/model.md gives %r" % (where, e.score_cvar10, cvar))
            d = t["diff"]
            for field_name, value in (("mean", d.mean), ("sd", d.sd()), ("ci95_low", d.ci95()[0]), ("ci95_high", d.ci95()[1])):
                compared += 1
                check(getattr(e.vs_baseline, field_name) == value, "statistics, %s: vs_baseline.%s is %r, docs/model.md gives %r"
                      % (where, field_name, getattr(e.vs_baseline, field_name), value))
            compared += 3
            check(e.realisations == n, "statistics, %s: %d futures, %d streamed" % (where, e.realisations, n))
            check(e.p_best == t["best"] / n, "statistics, %s: p_best %r, docs/model.md gives %r" % (where, e.p_best, t["best"] / n))
            check(e.p_satisficing == counts[o][g]["satisficed"] / n, "statistics, %s: p_satisficing %r, docs/model.md gives %r"
                  % (where, e.p_satisficing, counts[o][g]["satisficed"] / n))
            for k, status in enumerate(e.benchmarks):
                evaluated = scenario.results_framework[k].month <= header.horizon_months
                met = counts[o][g]["met"][k]
                p_met = met / n
                z = 1.959963984540054
                centre = p_met + z * z / (2 * n)
                half = z * LIBM.sqrt(p_met * (1 - p_met) / n + z * z / (4 * n * n))
                scale = 1 + z * z / n
                want = (True, p_met, 0.0 if met == 0 else (centre - half) / scale, 1.0 if met == n else (centre + half) / scale)
                if not evaluated:
                    want = (False, 0.0, 0.0, 0.0)
                compared += 1
                check((status.evaluated, status.p_met, status.ci95_low, status.ci95_high) == want,
                      "statistics, %s: benchmark %s is %s, docs/model.md gives %s"
                      % (where, status.benchmark_id, (status.evaluated, status.p_met, status.ci95_low, status.ci95_high), want))
            if e.p_relapse_by_month:
                cumulative, curve = 0, []
                for m in range(1, header.horizon_months + 1):
                    cumulative += counts[o][g]["relapse"][m]
                    curve.append(cumulative / n)
                compared += 1
                check(list(e.p_relapse_by_month) == curve, "statistics, %s: the survival curve differs" % where)
    compared += check_bootstrap(results, futures, header.seed, options)
    compared += check_acceptability(results, futures, scenario, list(header.metrics), header.seed)
    print("statistics: %d numbers of %d options x %d groups as the text says" % (compared, options, groups))


def main():
    global ARGS
    ap = argparse.ArgumentParser()
    ap.add_argument("--peacesim", required=True)
    ap.add_argument("--python-out", required=True)
    ap.add_argument("--source", required=True)
    ARGS = ap.parse_args()
    ARGS.source = pathlib.Path(ARGS.source)
    DEFAULTS.update(doc_defaults(ARGS.source / "docs/model.md"))
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
        check_futures(ARGS.peacesim, pathlib.Path(tmp))
        check_statistics(ARGS.peacesim, pathlib.Path(tmp))
    if FAILURES:
        print("%d failure(s)" % len(FAILURES))
        return 1
    print("docs/model.md, re-implemented, gives the engine's draws, futures and statistics exactly")
    return 0


if __name__ == "__main__":
    sys.exit(main())
