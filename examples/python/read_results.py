#!/usr/bin/env python3
"""Reads a peacesim results file and prints the options ranked by expected score.

    PYTHONPATH=build/python python3 examples/python/read_results.py results.pb

The classes under build/python are generated from proto/ by the build (target peacesim_python);
they need Debian's python3-protobuf (3.21). A `.json` results file (peacesim run --out r.json)
is read with google.protobuf.json_format instead.
"""
import argparse
import sys

from google.protobuf import json_format

from peacesim.v1 import results_pb2


def read_results(path):
    results = results_pb2.Results()
    with open(path, "rb") as f:
        data = f.read()
    if path.endswith(".json"):
        json_format.Parse(data.decode("utf-8"), results)
    else:
        results.ParseFromString(data)
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results", help="a file written by 'peacesim run --out' (.pb or .json)")
    args = parser.parse_args()
    try:
        results = read_results(args.results)
    except (OSError, UnicodeDecodeError, json_format.ParseError) as e:
        print(f"read_results.py: cannot read {args.results}: {e}", file=sys.stderr)
        return 2
    except Exception as e:  # protobuf's DecodeError and friends
        print(f"read_results.py: {args.results} is not a peacesim results file: {e}", file=sys.stderr)
        return 2

    p = results.provenance
    print(f"{p.scenario_name}: {p.realisations} realisations x {p.horizon_months} months, seed {p.seed}")
    by_id = {o.option_id: o for o in results.options}
    print(f"{'rank':>4}  {'option':<28} {'score':>7} {'95% CI':>17} {'P(best)':>8} {'P(relapse)':>10}")
    for rank, option_id in enumerate(results.ranking, start=1):
        e = by_id[option_id].overall
        relapse = e.p_relapse_by_month[-1] if e.p_relapse_by_month else float("nan")
        ci = f"[{e.score.ci95_low:.3f}, {e.score.ci95_high:.3f}]"
        print(f"{rank:>4}  {option_id:<28} {e.score.mean:>7.3f} {ci:>17} {e.p_best:>8.3f} {relapse:>10.3f}")
    if results.top_option_depends_on_metric:
        print("The most robust option depends on the robustness metric (see 'peacesim show').")
    return 0


if __name__ == "__main__":
    sys.exit(main())
