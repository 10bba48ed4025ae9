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
import sys

import pandas as pd

from peacesim.v1 import scenario_pb2, stream_pb2

FORMAT = "peacesim.v1.FutureStream"


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
                size |= (b[0] & 0x7F) << shift
                shift += 7
                if not b[0] & 0x80:
                    break
                if shift > 63:
                    raise ValueError(f"{path}: a record length is not a varint")
            data = f.read(size)
            if len(data) != size:
                raise ValueError(f"{path}: ends inside a record (a truncated stream)")
            yield data


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
        except Exception:
            h = None
        if h is None or h.format != FORMAT:
            raise ValueError(f"{path}: not a peacesim stream (written by 'peacesim run --stream FILE')")
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
            rec = stream_pb2.FutureRecord()
            rec.ParseFromString(data)
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
