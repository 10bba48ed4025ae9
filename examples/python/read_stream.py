#!/usr/bin/env python3
"""Reads peacesim per-future streams into pandas data frames and prints a summary per option.

    PYTHONPATH=build/python python3 examples/python/read_stream.py futures.pbstream [MORE...]

A stream (peacesim run --stream FILE) is a sequence of length-delimited records: a varint byte
count, then one protobuf message. The first is a StreamHeader, the rest FutureRecords in
realisation order (proto/peacesim/v1/stream.proto). The streams of a run's shards (run --shard K/N
--stream FILE-K), or of its MPI ranks (mpirun ... run --stream FILE: FILE.rank-0, FILE.rank-1, ...),
can be given together, in shard (rank) order, and are joined.

Two frames come out:
  futures   one row per future: realisation, planning_scenario_id, then one column per input
            (the planning scenario drawn is also an input, by index, when there are several)
  outcomes  one row per future and option: realisation, option, score, relapse_month, then one
            column per metric (civilian_deaths, cost_usd, ...)

The classes under build/python are generated from proto/ by the build; they need Debian's
python3-protobuf (3.21) and python3-pandas.
"""
import argparse
import math
import signal
import sys

import pandas as pd
from google.protobuf.message import DecodeError

from peacesim.v1 import scenario_pb2, stream_pb2

FORMAT = "peacesim.v1.FutureStream"
MAX_RECORD = 64 << 20  # bytes a record may hold, as peacesim reads them


def records(path):
    """The byte strings of the records of one file, one at a time (bounded memory)."""
    with open(path, "rb") as f:
        while True:
            size, shift = 0, 0
            while True:
                b = f.read(1)
                if not b:
                    if shift == 0:
                        return
                    raise ValueError(f"{path}: ends inside a record's length")
                if shift > 63 or (shift == 63 and b[0] & 0x7E):
                    raise ValueError(f"{path}: a record length is not a varint of at most 64 bits")
                size |= (b[0] & 0x7F) << shift
                shift += 7
                if not b[0] & 0x80:
                    break
            if size > MAX_RECORD:
                raise ValueError(f"{path}: a record of {size} bytes, more than the 64 MB a record may hold")
            data = f.read(size)
            if len(data) != size:
                raise ValueError(f"{path}: ends inside a record (a truncated stream)")
            yield data


def check_header(path, h):
    """Raises ValueError unless the header is one peacesim writes: its options and planning scenarios
    those of its scenario, in order; its futures within the run; metrics this reader knows."""
    where = f"{path}: header"
    if list(h.options) != [o.id for o in h.scenario.options] or not h.options:
        raise ValueError(f"{where}.options: are not the options of the stored scenario, in its order")
    if list(h.planning_scenarios) != [p.id for p in h.scenario.planning_scenarios]:
        raise ValueError(f"{where}.planning_scenarios: are not the planning scenarios of the stored scenario")
    if not 1 <= h.horizon_months <= 600:
        raise ValueError(f"{where}.horizon_months: is {h.horizon_months}, outside [1, 600]")
    if not (h.runs >= 1 and 0 <= h.first_realisation and 0 <= h.realisations <= h.runs - h.first_realisation):
        raise ValueError(f"{where}.realisations: first_realisation and realisations do not lie within runs")
    for k, m in enumerate(h.metrics):
        if m not in scenario_pb2.Metric.values() or m == 0:
            raise ValueError(f"{where}.metrics[{k}]: {m} is not a metric this reader knows")


def check_future(at, rec, h, expected, scenarios, benchmarks):
    """Raises ValueError unless record `at` is the next future, whole and in range."""
    if rec.realisation != expected:
        raise ValueError(f"{at}.realisation: is {rec.realisation}, but {expected} comes next")
    if not 0 <= rec.planning_scenario < len(scenarios):
        raise ValueError(f"{at}.planning_scenario: {rec.planning_scenario} is out of range")
    if len(rec.inputs) != len(h.inputs) or not all(math.isfinite(x) for x in rec.inputs):
        raise ValueError(f"{at}.inputs: not one finite number per input of the header")
    if len(rec.options) != len(h.options):
        raise ValueError(f"{at}.options: not one outcome per option of the header")
    for o, out in enumerate(rec.options):
        where = f"{at}.options[{o}]"
        if not 0 <= out.score <= 1:
            raise ValueError(f"{where}.score: is not a score in [0, 1]")
        if not 0 <= out.relapse_month <= h.horizon_months:
            raise ValueError(f"{where}.relapse_month: is out of [0, horizon]")
        if len(out.metrics) != len(h.metrics) or not all(math.isfinite(x) for x in out.metrics):
            raise ValueError(f"{where}.metrics: not one finite number per metric of the header")
        if len(out.benchmarks_met) not in (0, len(benchmarks)):
            raise ValueError(f"{where}.benchmarks_met: not one entry per benchmark of the scenario")


def metric_column(metric):
    return scenario_pb2.Metric.Name(metric).removeprefix("METRIC_").lower()


def read_streams(paths):
    """(header of the first file, futures frame, outcomes frame) of one or more stream files."""
    header, future_rows, outcome_rows, next_realisation = None, [], [], None
    for path in paths:
        it = records(path)
        h = stream_pb2.StreamHeader()
        try:
            h.ParseFromString(next(it))
        except (StopIteration, DecodeError):
            h = None
        if h is None or h.format != FORMAT:
            raise ValueError(f"{path}: not a peacesim stream (written by 'peacesim run --stream FILE')")
        check_header(path, h)
        if header is None:
            header = h
        elif (h.scenario_sha256, h.seed, h.runs, h.horizon_months) != (header.scenario_sha256, header.seed,
                                                                        header.runs, header.horizon_months):
            raise ValueError(f"{path}: a stream of another run than {paths[0]}")
        if next_realisation is not None and h.first_realisation != next_realisation:
            raise ValueError(f"{path}: starts at future {h.first_realisation}, not {next_realisation}: "
                             "give the shards' streams in order")
        inputs, options = list(h.inputs), list(h.options)
        metrics = [metric_column(m) for m in h.metrics]
        # One column per benchmark of the results framework: whether the option meets it.
        benchmarks = [f"met_{b.id}" for b in h.scenario.results_framework]
        scenarios = list(h.planning_scenarios) or ["base"]
        count = 0
        for data in it:
            at = f"{path}: record {count + 1}"  # the header is record 0
            rec = stream_pb2.FutureRecord()
            try:
                rec.ParseFromString(data)
            except DecodeError:
                raise ValueError(f"{at}: is not a peacesim.v1.FutureRecord") from None
            check_future(at, rec, h, h.first_realisation + count, scenarios, benchmarks)
            future_rows.append([rec.realisation, scenarios[rec.planning_scenario]] + list(rec.inputs))
            for option, out in zip(options, rec.options):
                met = list(out.benchmarks_met) or [False] * len(benchmarks)
                outcome_rows.append([rec.realisation, option, out.score, out.relapse_month] + list(out.metrics) + met)
            count += 1
        if count != h.realisations:
            raise ValueError(f"{path}: holds {count} futures, but its header announces {h.realisations}")
        next_realisation = h.first_realisation + h.realisations
    futures = pd.DataFrame(future_rows, columns=["realisation", "planning_scenario_id"] + inputs)
    outcomes = pd.DataFrame(outcome_rows,
                            columns=["realisation", "option", "score", "relapse_month"] + metrics + benchmarks)
    return header, futures, outcomes


def main():
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # a reader that stops early (| head) ends it quietly
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("streams", nargs="+", help="stream files (a run's shards in order)")
    args = parser.parse_args()
    try:
        header, futures, outcomes = read_streams(args.streams)
    except (OSError, ValueError) as e:
        print(f"read_stream.py: {e}", file=sys.stderr)
        return 2
    print(f"{header.scenario.name}: {len(futures)} futures x {header.horizon_months} months, seed {header.seed}, "
          f"{len(header.inputs)} inputs")
    if len(futures) != header.runs:
        first = int(futures["realisation"].iloc[0]) if len(futures) else header.first_realisation
        print(f"(a share of the run: futures {first} to {first + len(futures) - 1} of its {header.runs})")
    summary = outcomes.groupby("option", sort=False).agg(
        score_mean=("score", "mean"), p_relapse=("relapse_month", lambda m: (m > 0).mean()),
        civilian_deaths_mean=("civilian_deaths", "mean"))
    summary = summary.sort_values("score_mean", ascending=False, kind="stable")
    print(f"{'option':26s} {'score':>7s} {'P(relapse)':>10s} {'civilian deaths':>16s}")
    for option, row in summary.iterrows():
        print(f"{option:26s} {row.score_mean:7.3f} {row.p_relapse:10.3f} {row.civilian_deaths_mean:16.0f}")
    by_scenario = futures[["realisation", "planning_scenario_id"]].merge(outcomes, on="realisation")
    print("\nmean score by planning scenario:")
    print(by_scenario.pivot_table(index="option", columns="planning_scenario_id", values="score", sort=False)
          .round(3).to_string())
    return 0


if __name__ == "__main__":
    sys.exit(main())
