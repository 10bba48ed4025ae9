#!/usr/bin/env python3
"""Command-line tests of peacesim: golden output, the bad-input corpus, exit codes, determinism,
atomic output, init, one story (the brief's figures are the table's and the report's) and pure
viewers (show, report and brief read the results alone). Run by ctest (label `cli`), one case per test:

    cli_test.py --peacesim build/peacesim --source . --case golden [--update] [--sanitized]

`--update` rewrites the golden files from the current binary (review the diff before committing).
"""
import argparse
import json
import os
import pathlib
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

FAILURES = []
SANITIZED = False  # --sanitized: the binary is built with a sanitizer, some ten times slower


def check(condition, message):
    if not condition:
        FAILURES.append(message)
        print("FAIL:", message)


def run(args, timeout=300, **kw):
    return subprocess.run(args, capture_output=True, text=True, timeout=timeout, **kw)


def peak_rss_kb(args):
    """Runs a command; returns its exit code and its peak resident memory (KB)."""
    p = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(p.pid, 0)
    return os.waitstatus_to_exitcode(status), usage.ru_maxrss


def case_golden(exe, src, update):
    scenario = src / "scenarios/examples/tiny.textproto"
    golden = src / "tests/golden"
    with tempfile.TemporaryDirectory() as tmp:
        out = pathlib.Path(tmp) / "tiny.pb"
        r = run([exe, "run", str(scenario), "--runs", "300", "--seed", "3", "--threads", "2", "--quiet",
                 "--out", str(out)])
        check(r.returncode == 0, f"run tiny: exit {r.returncode}: {r.stderr}")
        views = {
            "tiny_run.txt": r.stdout,
            "tiny_summary.csv": run([exe, "show", str(out), "--csv"]).stdout,
            "tiny_survival.csv": run([exe, "show", str(out), "--survival", "--csv"]).stdout,
            "tiny_fan_civilian_deaths.csv": run([exe, "show", str(out), "--fan", "civilian_deaths", "--csv"]).stdout,
            "tiny_show.txt": run([exe, "show", str(out)]).stdout,
            "tiny_summary_minimax_regret.csv": run([exe, "show", str(out), "--csv", "--rank-by", "minimax-regret"]).stdout,
        }
        # The results framework, on the bundled scenario's benchmarks (tiny has none).
        carana = pathlib.Path(tmp) / "carana.pb"
        r = run([exe, "run", "--runs", "300", "--horizon", "36", "--seed", "3", "--threads", "2", "--quiet",
                 "--out", str(carana)])
        check(r.returncode == 0, f"run carana: exit {r.returncode}: {r.stderr}")
        views["carana_benchmarks.csv"] = run([exe, "show", str(carana), "--benchmarks", "--csv"]).stdout
    for name, text in views.items():
        path = golden / name
        if update:
            path.write_text(text)
            print("updated", path)
            continue
        expected = path.read_text() if path.exists() else None
        check(expected is not None, f"missing golden file {path} (run with --update)")
        if expected is not None and expected != text:
            import difflib
            diff = "".join(difflib.unified_diff(expected.splitlines(True), text.splitlines(True), str(path), "actual"))
            check(False, f"{name} differs from the golden file:\n{diff[:3000]}")
    check(views["tiny_run.txt"] == views["tiny_show.txt"], "show prints the same table as run")


# Misspellings the message should correct.
SUGGESTIONS = {
    "02_unknown_field.textproto": 'Did you mean "reversion"?',
    "04_unknown_enum_value.textproto": "Did you mean ACTOR_KIND_GOVERNMENT?",
    "13_causal_map_unknown_driver.textproto": 'Did you mean "weak_security_sector"?',
    "14_trust_unknown_actor.textproto": 'Did you mean "government"?',
    "15_after_unknown_activity.textproto": 'Did you mean "mediation"?',
}


def case_bad_inputs(exe, src, update):
    # A .textproto states its expectation on its first line; JSON has no comments, so a .json file's
    # is its line in tests/bad_inputs_json_expect.txt ("FILE LINE FRAGMENT").
    files = sorted((src / "tests/bad_inputs").iterdir())
    check(len(files) >= 15, f"tests/bad_inputs has {len(files)} files, want >= 15")
    json_expect = {}
    for line in (src / "tests/bad_inputs_json_expect.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, rest = line.split(" ", 1)
            json_expect[name] = "# expect: " + rest
    json_files = {f.name for f in files if f.suffix == ".json"}
    check(len(json_files) >= 3, f"tests/bad_inputs has {len(json_files)} JSON files, want >= 3")
    check(json_files == set(json_expect), f"JSON files {sorted(json_files)} and expectations {sorted(json_expect)} differ")
    for f in files:
        first = json_expect.get(f.name, "") if f.suffix == ".json" else f.read_text().splitlines()[0]
        m = re.match(r"#\s*expect:\s*(\d+)\s+(.*\S)", first)
        check(m is not None, f"{f.name}: first line must be '# expect: LINE FRAGMENT'")
        if not m:
            continue
        line, fragment = m.group(1), m.group(2)
        r = run([exe, "validate", str(f)], timeout=20)
        out = r.stdout + r.stderr
        check(r.returncode == 2, f"{f.name}: exit {r.returncode}, want 2; output: {out[:300]}")
        check(re.search(re.escape(str(f)) + ":" + line + r":\d+: error: ", out) is not None,
              f"{f.name}: no '{f}:{line}:COL: error:' in: {out[:300]}")
        check(fragment.lower() in out.lower(), f"{f.name}: message lacks '{fragment}': {out[:300]}")
        check(re.search(r"\n  example: \S", out) is not None, f"{f.name}: no '  example:' line in: {out[:300]}")
        hint = SUGGESTIONS.get(f.name)
        check(hint is None or hint in out, f"{f.name}: no suggestion '{hint}' in: {out[:300]}")


def case_exit_codes(exe, src, update):
    tiny = str(src / "scenarios/examples/tiny.textproto")
    cases = [
        (["frobnicate"], 2, "unknown command"),
        ([], 2, "Usage"),
        (["--help"], 0, "Commands"),
        (["run", "--help"], 0, "--runs"),
        (["help", "run"], 0, "--runs"),
        (["help", "discover"], 0, "--model-factors"),
        (["validate", "--help"], 0, "SCENARIO"),
        (["show", "--help"], 0, "--csv"),
        (["run", "--runs", "0"], 2, "--runs is 0"),
        (["run", tiny, "--runs", "100", "-q", "--checkpoint-every", "5"], 2, "--checkpoint-every needs --checkpoint"),
        (["run", str(src / "tests/cli/no_uncertainty.textproto"), "--runs", "100", "-q", "--brief"], 2,
         "this scenario has none"),
        (["run", "--runs", "abc"], 2, "runs"),
        (["run", "--horizon", "601"], 2, "--horizon is 601"),
        (["run", "--threads", "-1"], 2, "--threads is -1"),
        (["run", "--seed", "-1"], 2, "--seed is -1, but must be a whole number"),
        (["run", "--seed", "1e3"], 2, "--seed is 1e3"),
        (["sensitivity", "--threads", "99999"], 2, "--threads is 99999"),
        (["discover", "--threads", "-3"], 2, "--threads is -3"),
        (["discover", "--threshold", "nan"], 2, "--threshold is nan, but must lie in [0, 1]"),
        (["discover", "--seed", "-5"], 2, "--seed is -5"),
        (["run", "--out", "results.txt"], 2, "unknown results format"),
        (["run", "--bogus"], 2, "bogus"),
        (["validate"], 2, "missing SCENARIO"),
        (["validate", "/nonexistent/x.textproto"], 2, "cannot read"),
        (["validate", str(src / "README.md")], 2, "unknown scenario format"),
        (["validate", tiny], 0, "ok: "),
        (["show", tiny.replace(".textproto", ".pb")], 2, "cannot read"),
        (["show", "x.pb", "--json", "--csv"], 2, "choose one"),
        (["show", "x.pb", "--fan", "gbv"], 2, "--fan is a CSV view"),
        (["report", "--help"], 0, "self-contained HTML"),
        (["show", tiny], 2, "this is a scenario file, not results"),
        (["run", "results.pb", "--runs", "10"], 2, "this is a results file, not a scenario"),
        (["report"], 2, "missing RESULTS"),
        (["report", "x.pb"], 2, "missing -o REPORT.html"),
        (["report", "x.pb", "-o", "report.pdf"], 2, "name it with .html"),
        (["report", "/nonexistent/r.pb", "-o", "r.html"], 2, "cannot read"),
        (["run", "--runs", "10", "--report", "report.txt"], 2, "name it with .html"),
        (["init", "--help"], 0, "starter scenario"),
        (["init"], 2, "missing NAME"),
        (["init", "a\nb"], 2, "NAME holds a control character"),
        (["show", "x.pb", "--fan", "gbv", "--survival", "--csv"], 2, "choose one of --survival, --fan and --benchmarks"),
        (["show", "x.pb", "--benchmarks"], 2, "--benchmarks is a CSV view; add --csv"),
        (["show", "x.pb", "--fan", "morale", "--csv"], 2, "expected one of: battle_deaths"),
        (["run", "--rank-by", "best-guess", "--runs", "10"], 2, "not a robustness metric"),
        (["run", "--hurwicz-alpha", "1.5", "--runs", "10"], 2, "--hurwicz-alpha is 1.5"),
        (["sensitivity", "--help"], 0, "Sobol"),
        (["discover", "--help"], 0, "PRIM"),
        (["brief", "--help"], 0, "--markdown"),
        (["brief"], 2, "missing RESULTS"),
        (["discover", tiny, "--option", "nope", "--runs", "200"], 2, "is not an option of the scenario"),
        (["discover", tiny, "--option", "no_mission", "--runs", "500"], 0, "Peeling trajectory"),
        (["sensitivity", "--base", "4"], 2, "--base is 4"),
        (["sensitivity", tiny, "--base", "16", "--csv"], 0, "output,input,s1,s1_low,s1_high,st,st_low,st_high"),
    ]
    for args, code, text in cases:
        r = run([exe] + args, timeout=60)
        out = r.stdout + r.stderr
        check(r.returncode == code, f"peacesim {' '.join(args)}: exit {r.returncode}, want {code}: {out[:200]}")
        check(text in out, f"peacesim {' '.join(args)}: output lacks '{text}': {out[:200]}")
    with tempfile.TemporaryDirectory() as tmp:
        junk = pathlib.Path(tmp) / "junk.pb"
        junk.write_bytes(b"\xff\xfe not protobuf")
        r = run([exe, "show", str(junk)])
        check(r.returncode == 2 and "not a peacesim results file" in r.stderr, f"show junk: {r.returncode} {r.stderr}")
        plain = pathlib.Path(tmp) / "plain.pb"
        run([exe, "run", tiny, "--runs", "100", "-q", "--out", str(plain)])
        r = run([exe, "brief", str(plain)])
        check(r.returncode == 2 and "has no strategy brief" in r.stderr, f"brief without brief: {r.returncode} {r.stderr}")
        # A hand-edited JSON results file whose ranking names no option: exit 2 naming the field.
        edited = pathlib.Path(tmp) / "edited.json"
        run([exe, "run", tiny, "--runs", "100", "-q", "--out", str(edited)])
        import json
        doc = json.loads(edited.read_text())
        doc["ranking"][0] = "nobody"
        edited.write_text(json.dumps(doc))
        for command in (["show"], ["report", "-o", str(pathlib.Path(tmp) / "e.html")]):
            r = run([exe, command[0], str(edited)] + command[1:])
            check(r.returncode == 2 and 'ranking: names "nobody", which is not an option' in r.stderr,
                  f"{command[0]} of an edited file: {r.returncode} {r.stderr}")
        # An option id edited to carry a terminal escape breaks the scenario's id rule: exit 2 naming
        # the field, the escape shown as '?'.
        doc = json.loads(edited.read_text().replace('"nobody"', '"no_mission"'))
        doc["options"][0]["option_id"] = "no_mission\x1b[2J"
        edited.write_text(json.dumps(doc))
        for command in (["show"], ["brief"], ["report", "-o", str(pathlib.Path(tmp) / "e.html")]):
            r = run([exe, command[0], str(edited)] + command[1:])
            check(r.returncode == 2 and 'options[0].option_id: id "no_mission?[2J" may contain only letters, digits'
                  in r.stderr and "\x1b" not in r.stderr, f"{command[0]} of an edited id: {r.returncode} {r.stderr}")
        with_brief = pathlib.Path(tmp) / "brief.pb"
        r = run([exe, "run", tiny, "--runs", "500", "-q", "--brief", "--out", str(with_brief)])
        check(r.returncode == 0, f"run --brief: {r.stderr}")
        sampled = pathlib.Path(tmp) / "sampled.pb"
        r = run([exe, "run", tiny, "--runs", "800", "--sample", "800", "-q", "--out", str(sampled)])
        check(r.returncode == 0, f"run --sample: {r.stderr}")
        r = run([exe, "discover", str(sampled), "--option", "no_mission"])
        check(r.returncode == 0 and "of 800 futures" in r.stdout, f"discover RESULTS: {r.returncode} {r.stdout[:200]} {r.stderr}")
        # --threads bounds discovery's search of stored futures, whose report does not depend on it.
        one = run([exe, "discover", str(sampled), "--option", "no_mission", "--threads", "1"])
        check(one.returncode == 0 and one.stdout == r.stdout, f"discover RESULTS --threads 1: {one.stderr}")
        bad = run([exe, "discover", str(sampled), "--threads", "-3"])
        check(bad.returncode == 2 and "--threads" in bad.stderr, f"discover RESULTS --threads -3: {bad.stderr}")
        r = run([exe, "discover", str(plain)])
        check(r.returncode == 2 and "--sample" in r.stderr, f"discover without a sample: {r.returncode} {r.stderr}")
        # Options that say how to simulate do not go with futures already simulated.
        for args in (["discover", str(sampled), "--seed", "5"], ["discover", str(sampled), "--runs", "1000"],
                     ["sensitivity", str(sampled), "--base", "64"], ["sensitivity", str(sampled), "--threads", "2"]):
            r = run([exe] + args)
            check(r.returncode == 2 and f"{args[2]} does not go with a results file" in r.stderr,
                  f"{' '.join(args)}: {r.returncode} {r.stderr}")
        r = run([exe, "brief", str(with_brief), "--markdown"])
        for part in ["# Strategy brief", "## Recommended option", "## Why", "## Necessary conditions",
                     "## Resources and time", "## Other international players", "## Key sensitivities", "## Runner-up"]:
            check(part in r.stdout, f"brief --markdown lacks '{part}'")
        # The brief's provenance line is the file's too: its control characters, C1 ones as well
        # (U+009B is a one-character CSI), reach the terminal inert.
        brief_json = pathlib.Path(tmp) / "brief.json"
        r = run([exe, "run", tiny, "--runs", "500", "-q", "--brief", "--out", str(brief_json)])
        check(r.returncode == 0, f"run --brief --out JSON: {r.stderr}")
        doc = json.loads(brief_json.read_text())
        doc["provenance"]["engine_version"] += "\x1b]0;title\x07\x1b[2J\u009b31m"
        brief_json.write_text(json.dumps(doc))
        for flags in ([], ["--markdown"]):
            r = run([exe, "brief", str(brief_json)] + flags)
            check(r.returncode == 0 and "\x1b" not in r.stdout and "\x9b" not in r.stdout and
                  "?]0;title??[2J?31m" in r.stdout, f"brief {flags} of an edited provenance: {r.returncode} "
                  f"{r.stdout[-300:]!r} {r.stderr}")


def case_determinism(exe, src, update):
    with tempfile.TemporaryDirectory() as tmp:
        t = pathlib.Path(tmp)
        outs = {}
        for name, threads, seed in [("a", 1, 7), ("b", 2, 7), ("c", 2, 8)]:
            r = run([exe, "run", "--runs", "1000", "--seed", str(seed), "--threads", str(threads), "--quiet",
                     "--out", str(t / f"{name}.pb")])
            check(r.returncode == 0, f"run {name}: {r.stderr}")
            outs[name] = (t / f"{name}.pb").read_bytes()
        check(outs["a"] == outs["b"], "--threads 1 and --threads 2 give byte-identical results")
        check(outs["a"] != outs["c"], "another seed gives other results")
        for threads in (1, 2):
            run([exe, "run", "--runs", "500", "--threads", str(threads), "-q", "--out", str(t / f"j{threads}.json")])
        check((t / "j1.json").read_bytes() == (t / "j2.json").read_bytes(), "JSON results identical across threads")


def case_one_story(exe, src, update):
    # Every figure the brief states about the recommended option is the table's and the report's:
    # expected score, its interval, P(relapse), P(best), regret p90 and cost, from one results file.
    scenario = src / "scenarios/examples/tiny.textproto"
    with tempfile.TemporaryDirectory() as tmp:
        t = pathlib.Path(tmp)
        r = run([exe, "run", str(scenario), "--runs", "600", "--seed", "9", "--brief", "-q", "--out", str(t / "r.pb"),
                 "--report", str(t / "r.html")])
        check(r.returncode == 0, f"run --brief: {r.stderr}")
        brief = run([exe, "brief", str(t / "r.pb")]).stdout
        csv = run([exe, "show", str(t / "r.pb"), "--csv"]).stdout.splitlines()
        html = (t / "r.html").read_text()
        header = csv[0].split(",")
        rows = {line.split(",")[0]: dict(zip(header, line.split(","))) for line in csv[1:]}
        m = re.search(r"^\S.*\((\w+)\), UN role", brief, re.M)
        chosen = m.group(1) if m else ""
        check(chosen in rows, f"the brief's recommended option is in the table: {chosen!r}")
        if chosen not in rows:
            return
        row = rows[chosen]
        score = f"{float(row['score_mean']):.3f}"
        ci = f"{float(row['score_ci_low']):.3f}-{float(row['score_ci_high']):.3f}"
        check(f"Expected score {score} (95% CI {ci})" in brief, f"brief's expected score and interval: {score} {ci}")
        relapse = f"{float(row['p_relapse']):.2f}"
        check(f"within 24 months: {relapse}," in brief, f"brief's P(relapse) {relapse}")
        best = f"{100 * float(row['p_best']):.0f}%"
        check(f"Best in {best} of futures" in brief, f"brief's P(best) {best}")
        regret = f"{float(row['regret_p90']):.3f}"
        check(f"regret is at most {regret}" in brief, f"brief's regret p90 {regret}")
        cost = f"{round(float(row['cost_usd_mean']) / 1e6):,}"
        check(f"USD {cost} million (mean)" in brief, f"brief's cost {cost}")
        # The report carries the same brief and the same score.
        check(f"Expected score {score} (95% CI {ci})" in html, "report's brief repeats the expected score")
        check(score in html, "report shows the expected score")


def case_csv_safety(exe, src, update):
    # Option names a spreadsheet would run as formulas, and a bare carriage return, reach CSV inert.
    text = (src / "scenarios/examples/tiny.textproto").read_text()
    text = text.replace('name: "Good offices"', 'name: "=HYPERLINK(\\"http://x\\",\\"y\\")"', 1)
    text = text.replace('name: "No mission"', 'name: "+cmd|\' /C calc\'!A0"', 1)
    text = text.replace('name: "Small PKO"', 'name: "a\\rb\\033[2J"', 1)
    text = text.replace('name: "Tiny"', 'name: "Tiny\\033[2J"', 1)  # an escape sequence that clears the screen
    with tempfile.TemporaryDirectory() as tmp:
        t = pathlib.Path(tmp)
        (t / "s.textproto").write_text(text)
        r = run([exe, "run", str(t / "s.textproto"), "--runs", "100", "-q", "--out", str(t / "r.pb")])
        check(r.returncode == 0, f"run: {r.stderr}")
        out = subprocess.run([exe, "show", str(t / "r.pb"), "--csv"], capture_output=True).stdout.decode()
        lines = out.split("\n")
        check(any(",\"'=HYPERLINK(" in line for line in lines), f"formula name prefixed and quoted: {out[:400]!r}")
        check(any(",'+cmd|" in line for line in lines), "a + command prefixed")
        check("\"a\rb?[2J\"" in out, "a field with a carriage return is quoted, its escape made inert")
        check("\x1b" not in out, f"no escape character reaches the CSV: {out[:400]!r}")
        check(not any(field.startswith(("=", "+", "@")) for line in lines[1:] for field in line.split(",")),
              "no field begins a formula")
        # Names reach the terminal without their control characters.
        for args in (["show", str(t / "r.pb")], ["run", str(t / "s.textproto"), "--runs", "100", "--brief", "-q"]):
            shown = subprocess.run([exe] + args, capture_output=True).stdout
            check(b"\x1b" not in shown and b"Tiny?[2J" in shown, f"{args[0]}: escape sequence shown inert")
        # A condition for involvement whose name carries an escape, named by discovery.
        cond = ('conditions_for_involvement { id: "deal" name: "Deal\\033[2J" probability: 0.5\n'
                '  shocks { month: 0 duration_months: 12 risk: true delta { value: 0.5 } } }\n')
        (t / "c.textproto").write_text(text + cond)
        shown = subprocess.run([exe, "discover", str(t / "c.textproto"), "--runs", "2000", "--option", "no_mission"],
                               capture_output=True).stdout
        check(b"\x1b" not in shown and b"Deal?[2J" in shown, f"discover: escape sequence shown inert: {shown[:300]!r}")


def case_untrusted_inputs(exe, src, update):
    # Inputs that are not files, or that would exhaust the stack or memory, are located input errors.
    with tempfile.TemporaryDirectory() as tmp:
        t = pathlib.Path(tmp)
        (t / "dir.textproto").mkdir()
        (t / "zero.textproto").symlink_to("/dev/zero")
        depth = 300000
        (t / "deep.json").write_text('{"name": "x", "bogus": ' + "[" * depth + "]" * depth + "}")
        for name, fragment in [("dir.textproto", "is a directory"), ("zero.textproto", "not a regular file"),
                               ("deep.json", "deep.json:1:")]:
            r = run([exe, "validate", str(t / name)], timeout=60)
            check(r.returncode == 2 and fragment in r.stderr, f"{name}: exit {r.returncode}: {r.stderr[:200]}")
        (t / "r.pb").mkdir()
        r = run([exe, "show", str(t / "r.pb")])
        check(r.returncode == 2 and "is a directory" in r.stderr, f"results directory: {r.stderr[:200]}")
        # A file name or command with terminal control characters reaches the terminal without them.
        evil = str(t / "a\x1b[31m.pb")
        for args, fragment in [(["show", evil], "a?[31m.pb: error"), (["run", "--runs", "100", "--out", evil,
                                                                        "--stream", evil], "name the same file, "),
                               (["x\x1b[2Jy"], "unknown command 'x?[2Jy'")]:
            r = run([exe] + args)
            check(r.returncode == 2 and fragment in r.stderr and "\x1b" not in r.stderr,
                  f"{args[0]!r}: control characters in an error: {r.stderr[:200]!r}")
        # ... nor in what a successful command says: where its outputs went, what it checked.
        html = str(t / "b\x1b[31m.html")
        shutil.copy(src / "scenarios/examples/tiny.textproto", t / "c\x1b[2J.textproto")
        for args, fragment, stream in [(["run", "--runs", "100", "--out", evil], "results in ", "stderr"),
                                       (["report", evil, "-o", html], "report in ", "stderr"),
                                       (["validate", str(t / "c\x1b[2J.textproto")], "c?[2J.textproto", "stdout")]:
            r = run([exe] + args)
            said = getattr(r, stream)
            check(r.returncode == 0 and fragment in said and "\x1b" not in r.stdout + r.stderr,
                  f"{args[0]}: control characters in what it says: {said[:300]!r}")
        # Output that cannot be written (here a full device) is exit 3 with the reason, not a success.
        if os.path.exists("/dev/full"):
            with open("/dev/full", "w") as full:
                r = subprocess.run([exe, "validate", str(src / "scenarios/examples/tiny.textproto")], stdout=full,
                                   stderr=subprocess.PIPE, text=True)
            check(r.returncode == 3 and "cannot write to standard output" in r.stderr,
                  f"stdout to a full disk: exit {r.returncode}: {r.stderr[:200]}")


def case_pipes(exe, src, update):
    tiny = str(src / "scenarios/examples/tiny.textproto")
    with tempfile.TemporaryDirectory() as tmp:
        t = pathlib.Path(tmp)
        pb = t / "r.pb"
        r = run([exe, "run", tiny, "--runs", "200", "--seed", "4", "-q", "--out", str(pb)])
        check(r.returncode == 0, f"run: {r.stderr}")
        # A reader that has gone (here: before the first byte) ends peacesim quietly by SIGPIPE, as
        # it ends cat, also when the parent ignores SIGPIPE (Python does; restore_signals=False
        # passes that on).
        for restore in (True, False):
            for args in (["show", str(pb), "--csv"], ["show", str(pb), "--json"], ["run", tiny, "--runs", "50", "-q"]):
                p = subprocess.Popen([exe] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                     restore_signals=restore)
                p.stdout.close()
                err = p.stderr.read()
                p.wait(timeout=60)
                check(p.returncode == -signal.SIGPIPE and err == "",
                      f"{' '.join(args)} to a closed pipe (SIGPIPE {'default' if restore else 'ignored'}): "
                      f"exit {p.returncode}, stderr {err[:200]!r}")
        # --out -: the bytes of the .pb file on standard output, the table on stderr.
        out = t / "stdout.pb"
        with open(out, "wb") as f:
            r = subprocess.run([exe, "run", tiny, "--runs", "200", "--seed", "4", "-q", "--out", "-"], stdout=f,
                               stderr=subprocess.PIPE, text=True)
        check(r.returncode == 0 and "Options ranked by expected score" in r.stderr, f"run --out -: {r.returncode} {r.stderr[:300]}")
        check(out.read_bytes() == pb.read_bytes(), "run --out - writes the bytes of --out FILE.pb")
        # ... refused when standard output is a terminal.
        import pty
        leader, follower = pty.openpty()
        try:
            r = subprocess.run([exe, "run", tiny, "--runs", "50", "--out", "-"], stdout=follower,
                               stderr=subprocess.PIPE, text=True, timeout=60)
        finally:
            os.close(follower)
            os.close(leader)
        check(r.returncode == 2 and "--out -: standard output is a terminal" in r.stderr,
              f"run --out - to a terminal: exit {r.returncode}: {r.stderr[:300]}")


def case_long_runs(exe, src, update):
    # A run of 10^9 futures says, early and without a terminal, how long it will take.
    tmp = tempfile.TemporaryDirectory()
    p = subprocess.Popen([exe, "run", "--runs", "1000000000", "--threads", "1", "--out", tmp.name + "/r.pb"],
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        lines = []
        deadline = time.time() + 60
        while time.time() < deadline:
            line = p.stderr.readline()
            if not line:
                break
            lines.append(line)
            if "will take about" in line:
                break
        check(any("will take about" in line and "hours more" in line for line in lines),
              f"an early warning of the run's length: {lines}")
    finally:
        p.kill()
        p.wait()
        tmp.cleanup()


def case_shards(exe, src, update):
    # run --shard K/N on N processes, then merge (parts in any order): the bytes of one run, for
    # N = 1, 2 and 5; the table merge prints is run's. A merge with a shard missing or repeated exits 2.
    with tempfile.TemporaryDirectory() as tmp:
        t = pathlib.Path(tmp)
        common = ["--runs", "3000", "--seed", "4", "--horizon", "36", "--sample", "400", "-q"]
        whole = run([exe, "run"] + common + ["--out", str(t / "whole.pb")])
        check(whole.returncode == 0, f"run: {whole.stderr}")
        for n in (1, 2, 5):
            parts = []
            for k in range(1, n + 1):
                part = t / f"part-{n}-{k}.pb"
                r = run([exe, "run"] + common + ["--shard", f"{k}/{n}", "--threads", str(k % 2 + 1), "--out", str(part)])
                check(r.returncode == 0 and f"shard {k}/{n}: realisations" in r.stdout, f"shard {k}/{n}: {r.stderr}")
                parts.append(str(part))
            m = run([exe, "merge"] + parts[::-1] + ["--out", str(t / f"merged-{n}.pb")])
            check(m.returncode == 0, f"merge of {n}: {m.stderr}")
            check((t / f"merged-{n}.pb").read_bytes() == (t / "whole.pb").read_bytes(),
                  f"{n} shards merge to the bytes of one run")
            check(m.stdout == whole.stdout, f"merge of {n} prints the run's table")
        # Merge holds one part at a time: twelve parts take no more memory than two (each part holds
        # ~20 MB of tables here; a merge that held them all would grow by ~250 MB). Not under the
        # sanitizers, whose allocator keeps freed memory in quarantine.
        if not SANITIZED:
            twelve = []
            for k in range(1, 13):
                part = t / f"part-12-{k}.pb"
                r = run([exe, "run"] + common + ["--shard", f"{k}/12", "--out", str(part)])
                check(r.returncode == 0, f"shard {k}/12: {r.stderr}")
                twelve.append(str(part))
            code2, rss2 = peak_rss_kb([exe, "merge"] + [str(t / "part-2-1.pb"), str(t / "part-2-2.pb"),
                                                         "--out", str(t / "m2.pb")])
            code12, rss12 = peak_rss_kb([exe, "merge"] + twelve[::-1] + ["--out", str(t / "m12.pb")])
            check(code2 == 0 and code12 == 0, "merges of 2 and 12 parts")
            check((t / "m12.pb").read_bytes() == (t / "whole.pb").read_bytes(), "12 shards merge to one run's bytes")
            check(rss12 < rss2 * 1.25, f"a merge of 12 parts peaks at {rss12} KB, of 2 at {rss2} KB")
        parts = [str(t / f"part-5-{k}.pb") for k in range(1, 6)]
        r = run([exe, "merge"] + parts[:2] + parts[3:] + ["--out", str(t / "x.pb")])
        check(r.returncode == 2 and "shard(s) 3 of 5 are missing" in r.stderr, f"a missing shard is named: {r.stderr}")
        check(not (t / "x.pb").exists(), "nothing is written when a shard is missing")
        r = run([exe, "merge"] + parts + [parts[0], "--out", str(t / "x.pb")])
        check(r.returncode == 2 and f"{parts[0]}: shard 1/5 is given twice ({parts[0]} is it too)" in r.stderr,
              f"a repeated shard is named, with its files: {r.stderr}")
        r = run([exe, "merge", str(t / "whole.pb"), "--out", str(t / "x.pb")])
        check(r.returncode == 2 and "not a peacesim partial run" in r.stderr, f"results are not a part: {r.stderr}")
        for bad, why in [("0/3", "K/N"), ("4/3", "K/N"), ("1/0", "K/N"), ("a/b", "K/N"), ("1/3/2", "K/N")]:
            r = run([exe, "run", "--runs", "100", "--shard", bad, "--out", str(t / "y.pb")])
            check(r.returncode == 2 and why in r.stderr, f"--shard {bad} is refused: {r.stderr}")
        r = run([exe, "run", "--runs", "100", "--shard", "1/2"])
        check(r.returncode == 2 and "--shard needs --out FILE" in r.stderr, f"--shard without --out: {r.stderr}")
        r = run([exe, "run", "--runs", "100", "--shard", "2/2", "--out", str(t / "part.json")])
        check(r.returncode == 2 and "name it .pb (part-2.pb)" in r.stderr and not (t / "part.json").exists(),
              f"a shard's part is not written under a JSON name: {r.stderr}")
        r = run([exe, "run", "--runs", "100", "--shard", "1/2", "--out", str(t / "part.JSON")])
        check(r.returncode == 2 and "name it .pb (part-1.pb)" in r.stderr and not (t / "part.JSON").exists(),
              f"nor under one in capitals: {r.stderr}")
        r = run([exe, "run", "--runs", "100", "--shard", "1/2", "--brief", "--out", str(t / "y.pb")])
        check(r.returncode == 2 and "give it to 'peacesim merge'" in r.stderr, f"--brief with --shard: {r.stderr}")
        # -0 is the same Hurwicz alpha as 0: parts of either merge, in either order, to the same bytes.
        for k, alpha in ((1, "-0"), (2, "0")):
            r = run([exe, "run", "--runs", "600", "--horizon", "6", "-q", "--hurwicz-alpha", alpha, "--shard",
                     f"{k}/2", "--out", str(t / f"a{k}.pb")])
            check(r.returncode == 0, f"--hurwicz-alpha {alpha}: {r.stderr}")
        for order, name in (([1, 2], "a12.pb"), ([2, 1], "a21.pb")):
            r = run([exe, "merge"] + [str(t / f"a{k}.pb") for k in order] + ["--out", str(t / name)])
            check(r.returncode == 0, f"merge of alphas -0 and 0: {r.stderr}")
        check((t / "a12.pb").read_bytes() == (t / "a21.pb").read_bytes(), "alpha -0 and 0 merge alike in any order")


def case_checkpoint(exe, src, update):
    # A run saving checkpoints and streaming its futures is killed with SIGKILL mid-way; the same
    # command carries on from the checkpoint and writes the results and the stream an uninterrupted
    # run writes, then removes the checkpoint. The ways of carrying on wrongly are refused first.
    with tempfile.TemporaryDirectory() as tmp:
        t = pathlib.Path(tmp)
        # Long futures, few of them: the run lasts long enough to be killed mid-way (a few seconds in
        # a Release build; a sanitizer build takes as long for a sixth of them), and its stream
        # (about 1.9 kB a future) stays small.
        futures = 5000 if SANITIZED else 30000
        common = ["--runs", str(futures), "--seed", "3", "--horizon", "96", "--sample", "300", "--threads", "2"]
        ref = run([exe, "run", "-q"] + common + ["--out", str(t / "ref.pb"), "--stream", str(t / "ref.stream")])
        check(ref.returncode == 0, f"uninterrupted run: {ref.stderr}")
        ck, stream = t / "run.ckpt", t / "s.stream"
        in_progress = t / "s.stream.in-progress"
        plain = [exe, "run", "-q"] + common + ["--checkpoint", str(ck), "--checkpoint-every", "0", "--out", str(t / "r.pb")]
        cmd = plain + ["--stream", str(stream)]

        def kill_mid_way(command, after=1.0):
            p = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            deadline = time.time() + 120
            while not ck.exists() and time.time() < deadline and p.poll() is None:
                time.sleep(0.02)
            time.sleep(after)
            running = p.poll() is None
            p.send_signal(signal.SIGKILL)
            p.wait()
            check(running, "the run was still going when it was killed (make --runs larger if this machine is fast)")
            check(ck.exists(), "a checkpoint was saved before the kill")
            check(not (t / "r.pb").exists(), "a killed run leaves no results file")

        kill_mid_way(cmd)
        check(in_progress.exists() and not stream.exists(), "a killed run leaves its stream so far, under another name")
        r = run(plain)
        check(r.returncode == 2 and "give the same --stream FILE to carry on" in r.stderr,
              f"a streamed run's checkpoint without --stream: {r.stderr}")
        saved = in_progress.read_bytes()
        for cut, why in [(20, "is not the stream of this run"), (len(saved) // 4, "but the checkpoint saved it at")]:
            in_progress.write_bytes(saved[:cut])
            r = run(cmd)
            check(r.returncode == 2 and str(in_progress) in r.stderr and why in r.stderr,
                  f"a stream cut to {cut} bytes is refused: {r.stderr}")
        in_progress.write_bytes(saved)
        r = run(cmd[:2] + cmd[3:])  # without -q: it says it carries on
        check(r.returncode == 0, f"the resumed run: {r.stderr}")
        m = re.search(rf"carrying on from the checkpoint in \S+: (\d+) of {futures} realisations done", r.stderr)
        check(m is not None and 0 < int(m.group(1)) < futures, f"it says where it carries on from: {r.stderr}")
        check((t / "r.pb").exists() and (t / "r.pb").read_bytes() == (t / "ref.pb").read_bytes(),
              "the resumed run writes the bytes of the uninterrupted one")
        check(stream.exists() and stream.read_bytes() == (t / "ref.stream").read_bytes(),
              "the resumed run's stream is the bytes of the uninterrupted one's")
        check(not ck.exists() and not in_progress.exists(), "the checkpoint is removed once the results are written")
        # A checkpoint saved without a stream cannot carry on with one: its futures were not streamed.
        (t / "r.pb").unlink()
        kill_mid_way(plain, after=0)
        r = run(cmd)
        check(r.returncode == 2 and "saved by a run without --stream" in r.stderr,
              f"a checkpoint without a stream, carried on with one: {r.stderr}")
        # A checkpoint of another run is refused, and left in place.
        ck.write_bytes(b"")
        r = run([exe, "run", "-q", "--runs", "1000", "--checkpoint", str(ck), "--out", str(t / "s.pb")])
        check(r.returncode == 2 and "not a peacesim partial run" in r.stderr, f"an empty checkpoint: {r.stderr}")
        run([exe, "run", "-q", "--runs", "600", "--shard", "1/2", "--out", str(ck)])
        r = run([exe, "run", "-q", "--runs", "1000", "--checkpoint", str(ck), "--out", str(t / "s.pb")])
        check(r.returncode == 2 and "the checkpoint is of another run" in r.stderr, f"another run's: {r.stderr}")
        check(ck.exists(), "a refused checkpoint is left in place")
        # Command-line numbers and output paths of these options are checked before any work.
        for every in ("-1", "1e9", "nan"):
            r = run([exe, "run", "-q", "--runs", "100", "--checkpoint", str(t / "n.ckpt"), "--checkpoint-every", every])
            check(r.returncode == 2 and "--checkpoint-every" in r.stderr, f"--checkpoint-every {every}: {r.stderr}")
        # Two outputs in one file would lose one: written over, or removed with the spent checkpoint.
        for flags, why in [(["--checkpoint", "r.pb"], "--out and --checkpoint name the same file, r.pb:"),
                           (["--stream", "./r.pb"], "--out and --stream name the same file, r.pb (as ./r.pb):"),
                           (["--stream", "s", "--checkpoint", "s.in-progress"],
                            "--stream (its file in progress) and --checkpoint name the same file, s.in-progress:"),
                           (["--stream", "-"], "--stream -: the stream is written to a file"),
                           (["--shard", "1/2", "--stream", "r.pb"], "--out and --stream name the same file")]:
            r = run([str(pathlib.Path(exe).resolve()), "run", "-q", "--runs", "100", "--out", "r.pb"] + flags, cwd=t)
            check(r.returncode == 2 and why in r.stderr, f"{flags}: {r.stderr}")
            check(not (t / "s").exists() and not (t / "-").exists(), f"{flags}: nothing is written")
        # A shard runs in one process and writes the bare names even when a launcher's variables are
        # set (one process of its own), so the bare names are the ones that must differ.
        for flags, why in [(["--checkpoint", "r.pb"], "--out and --checkpoint name the same file, r.pb:"),
                           (["--stream", "r.pb"], "--out and --stream name the same file, r.pb:")]:
            r = run([str(pathlib.Path(exe).resolve()), "run", "-q", "--runs", "600", "--horizon", "6", "--shard", "1/2",
                     "--out", "r.pb"] + flags, cwd=t, env=dict(os.environ, PMI_SIZE="1"))
            check(r.returncode == 2 and why in r.stderr, f"{flags} of a shard under a launcher: {r.stderr}")
            check(not (t / "r.pb").exists(), f"{flags} of a shard under a launcher: nothing is written")
        for flag in ("--checkpoint", "--stream"):
            r = run([exe, "run", "-q", "--runs", "100", flag, str(t / "no-such-dir" / "f")])
            check(r.returncode == 2 and flag in r.stderr and "does not exist" in r.stderr,
                  f"{flag} into a missing directory: {r.stderr}")
        # A checkpoint path that cannot be looked at (a link to itself) is an input error, named.
        (t / "loop").symlink_to("loop")
        r = run([exe, "run", "-q", "--runs", "100", "--checkpoint", str(t / "loop")])
        check(r.returncode == 2 and "loop: error: --checkpoint: cannot be looked at" in r.stderr,
              f"a checkpoint path that loops: {r.returncode} {r.stderr}")


def case_atomic_output(exe, src, update):
    with tempfile.TemporaryDirectory() as tmp:
        t = pathlib.Path(tmp)
        target = t / "results.pb"
        target.write_bytes(b"previous results")
        # A failed run (bad scenario) leaves the previous file untouched.
        bad = sorted((src / "tests/bad_inputs").iterdir())[5]
        r = run([exe, "run", str(bad), "--out", str(target)])
        check(r.returncode == 2, f"bad scenario run: exit {r.returncode}")
        check(target.read_bytes() == b"previous results", "a failed run must not touch the results file")
        # A run killed mid-way leaves no partial file at the target, and no truncated results.
        p = subprocess.Popen([exe, "run", "--runs", "5000000", "--threads", "1", "-q", "--out", str(target)],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(1.0)
        p.send_signal(signal.SIGKILL)
        p.wait()
        check(target.read_bytes() == b"previous results", "a killed run must not touch the results file")
        # An unwritable destination is an error with a non-zero exit and no file.
        r = run([exe, "run", "--runs", "50", "-q", "--out", str(t / "no" / "such" / "dir.pb")])
        check(r.returncode == 2 and "does not exist" in r.stderr,
              f"a missing directory is a located input error before any work: {r.returncode} {r.stderr}")
        check(not (t / "no").exists(), "nothing is created on failure")
        (t / "adir.pb").mkdir()
        r = run([exe, "run", "--runs", "50", "-q", "--out", str(t / "adir.pb")])
        check(r.returncode == 2 and "is a directory" in r.stderr, f"a directory as output: {r.stderr}")
        # A pipe (or a device) is not replaced by a plain file: refused before any work.
        fifo = t / "pipe.pbstream"
        os.mkfifo(fifo)
        r = run([exe, "run", "--runs", "50", "-q", "--out", str(t / "p.pb"), "--stream", str(fifo)])
        check(r.returncode == 2 and "is not a regular file" in r.stderr and fifo.is_fifo()
              and not (t / "p.pb").exists(), f"a pipe as output: {r.returncode} {r.stderr}")
        # No output replaces a file the command reads.
        scenario = t / "mine.textproto"
        scenario.write_bytes((src / "scenarios/examples/tiny.textproto").read_bytes())
        r = run([exe, "run", str(scenario), "--runs", "50", "-q", "--out", str(t / "m.pb"),
                 "--stream", str(t / "." / "mine.textproto")])
        check(r.returncode == 2 and "names the scenario it reads" in r.stderr
              and scenario.read_bytes() == (src / "scenarios/examples/tiny.textproto").read_bytes(),
              f"the scenario as an output: {r.returncode} {r.stderr}")
        for k in (1, 2):
            run([exe, "run", str(scenario), "--runs", "600", "-q", "--shard", f"{k}/2", "--out", str(t / f"part{k}.pb")])
        part1 = (t / "part1.pb").read_bytes()
        r = run([exe, "merge", str(t / "part1.pb"), str(t / "part2.pb"), "--out", str(t / "part1.pb")])
        check(r.returncode == 2 and "names a part it reads" in r.stderr and (t / "part1.pb").read_bytes() == part1,
              f"a part as merge's output: {r.returncode} {r.stderr}")
        # A read-only file is not replaced (renaming over it would): refused before any work.
        kept = t / "kept.pb"
        kept.write_bytes(b"kept results")
        kept.chmod(0o444)
        r = run([exe, "run", "--runs", "50", "-q", "--out", str(kept)])
        check(r.returncode == 2 and "is read-only, so it is not replaced" in r.stderr and str(kept) in r.stderr
              and kept.read_bytes() == b"kept results", f"a read-only output: {r.returncode} {r.stderr}")
        # Permissions: a new file follows the umask; a re-written one keeps its own mode.
        old = os.umask(0o077)
        try:
            run([exe, "run", "--runs", "50", "-q", "--out", str(t / "private.pb")])
        finally:
            os.umask(old)
        check((t / "private.pb").stat().st_mode & 0o777 == 0o600, "a new file follows the umask (077 -> 600)")
        run([exe, "run", "--runs", "50", "-q", "--out", str(t / "private.pb")])
        check((t / "private.pb").stat().st_mode & 0o777 == 0o600, "re-writing keeps a 600 file at 600")
        # A successful run replaces it completely with a readable results file.
        r = run([exe, "run", "--runs", "50", "-q", "--out", str(target)])
        check(r.returncode == 0, f"run: {r.stderr}")
        r = run([exe, "show", str(target), "--csv"])
        check(r.returncode == 0 and r.stdout.startswith("option_id,"), "the new results file is readable")
        leftovers = [p.name for p in t.iterdir() if ".tmp." in p.name and p.name != "results.pb"]
        # The killed run may leave its own temporary file; it never has the results file's name.
        check(all(name.startswith("results.pb.tmp.") for name in leftovers), f"unexpected files: {leftovers}")


def case_pure_viewers(exe, src, update):
    """show, report and brief are functions of the results file: they never compile the scenario
    stored in it, but draw each option from its plan as the engine compiled it."""
    # No viewer source includes the scenario compiler or calls it.
    viewers = sorted((src / "engine/report").glob("*.cc")) + [
        src / "engine/io/brief.cc", src / "engine/io/results_view.cc", src / "engine/cli/table.cc"]
    check(len(viewers) >= 5, f"the viewers' sources: {viewers}")
    for path in viewers:
        text = path.read_text() if path.exists() else ""
        check(text != "", f"{path} is missing")
        check('#include "engine/compile.h"' not in text, f"{path} includes engine/compile.h")
        check(re.search(r"\bcompile\s*\(", text) is None, f"{path} calls compile()")
    # Results whose stored scenario is removed draw the same synchronisation matrix and brief.
    text = (src / "scenarios/examples/tiny.textproto").read_text()
    anchor = "deployment_months { triangular { min: 3 mode: 5 max: 9 } }"
    check(text.count(anchor) == 1, "tiny's small_pko declares its deployment as expected")
    text = text.replace(anchor, anchor + " withdrawal_month: 18 drawdown { month: 12 troops: 0.5 }")
    with tempfile.TemporaryDirectory() as tmp:
        t = pathlib.Path(tmp)
        (t / "leaving.textproto").write_text(text)
        r = run([exe, "run", str(t / "leaving.textproto"), "--runs", "300", "--brief", "-q", "--out", str(t / "r.json")])
        check(r.returncode == 0, f"run --brief: {r.stderr}")
        import json
        doc = json.loads((t / "r.json").read_text())
        doc["brief"]["recommended_option"] = "small_pko"
        (t / "full.json").write_text(json.dumps(doc))
        check("scenario" in doc and all("plan" in o for o in doc["options"]), "results carry the scenario and plans")
        del doc["scenario"]
        (t / "bare.json").write_text(json.dumps(doc))

        def synchronisation(name):
            r = run([exe, "report", str(t / name), "-o", str(t / (name + ".html"))])
            check(r.returncode == 0, f"report {name}: exit {r.returncode}: {r.stderr[:300]}")
            html = (t / (name + ".html")).read_text() if r.returncode == 0 else ""
            at = html.find('<svg id="chart-synchronisation"')
            return html[at:html.find("</svg>", at)] if at >= 0 else ""

        matrix = synchronisation("full.json")
        check("troops: % of authorised strength" in matrix and "mission leaves (month 18)" in matrix,
              f"the matrix draws the drawdown and the withdrawal: {matrix[:300]}")
        check(synchronisation("bare.json") == matrix, "without the stored scenario the matrix is the same")
        for args in (["brief"], ["brief", "--markdown"], ["show"]):
            full = run([exe, args[0], str(t / "full.json")] + args[1:])
            bare = run([exe, args[0], str(t / "bare.json")] + args[1:])
            check(full.returncode == 0 and bare.returncode == 0 and full.stdout == bare.stdout,
                  f"{' '.join(args)} without the stored scenario: exit {bare.returncode}: {bare.stderr[:300]}")
        brief = run([exe, "brief", str(t / "bare.json")]).stdout
        check("The mission draws down to 50% of troops from month 12; it leaves in month 18" in brief,
              f"the brief's drawdown sentence: {brief[:2000]}")
        # A crafted plan is a located input error (exit 2) in every viewer.
        doc["options"][2]["plan"]["activities"][1]["scheduled_start_month"] = -7
        (t / "crafted.json").write_text(json.dumps(doc))
        for args in (["show"], ["brief"], ["report", "-o", str(t / "crafted.html")]):
            r = run([exe, args[0], str(t / "crafted.json")] + args[1:])
            check(r.returncode == 2 and "options[2].plan.activities[1].scheduled_start_month: is -7" in r.stderr,
                  f"{args[0]} of a crafted plan: exit {r.returncode}: {r.stderr[:300]}")


def case_init(exe, src, update):
    """peacesim init writes a commented starter that validates and runs, and never overwrites by accident."""
    with tempfile.TemporaryDirectory() as tmp:
        t = pathlib.Path(tmp)
        r = run([exe, "init", "kivu"], cwd=t)
        path = t / "kivu.textproto"
        check(r.returncode == 0 and path.exists(), f"init kivu: exit {r.returncode}: {r.stderr}")
        text = path.read_text()
        check('name: "kivu"' in text, "the scenario carries its name")
        check(sum(1 for line in text.splitlines() if line.lstrip().startswith("#")) >= 30, "the starter is commented")
        for part in ("situation {", "drivers {", "causal_map {", "actors {", "dynamics {", "gender {", "options {",
                     "planning_scenarios {", "criteria {", "simulation {"):
            check(part in text, f"the starter has {part}")
        r = run([exe, "validate", str(path)])
        check(r.returncode == 0 and "ok: " in r.stdout, f"the starter validates: {r.stdout}{r.stderr}")
        r = run([exe, "run", str(path), "--runs", "300", "-q", "--report", str(t / "kivu.html")])
        check(r.returncode == 0 and (t / "kivu.html").stat().st_size > 10000, f"the starter runs: {r.stderr}")
        path.write_text("# my edits\n" + text)
        r = run([exe, "init", "kivu"], cwd=t)
        check(r.returncode == 2 and "exists" in r.stderr, f"init over an existing file: exit {r.returncode}")
        check(path.read_text().startswith("# my edits"), "an existing scenario is left untouched")
        r = run([exe, "init", str(t / "kivu.textproto"), "--force"])
        check(r.returncode == 0 and not path.read_text().startswith("# my edits"), "--force overwrites")
        r = run([exe, "init", str(t / "no" / "such" / "dir" / "x")])
        check(r.returncode != 0 and "x.textproto" in r.stderr, f"init into a missing directory: {r.stderr}")
        # Names that would give a hidden file, or a scenario that does not validate, are refused.
        before = sorted(p.name for p in t.iterdir())
        for name in ("", "..", ".hidden"):
            r = run([exe, "init", name], cwd=t)
            check(r.returncode == 2 and "begins with a dot" in r.stderr, f"init {name!r}: {r.returncode} {r.stderr}")
        r = subprocess.run([exe, "init", b"x\xff\xfe"], cwd=t, capture_output=True)
        check(r.returncode == 2 and b"not valid UTF-8" in r.stderr, f"init with invalid UTF-8: {r.stderr!r}")
        check(sorted(p.name for p in t.iterdir()) == before, "no file is written for a refused name")


def case_assess(exe, src, update):
    """peacesim assess on the bundled observations: the adjustment, the Level One screen, the same bytes on
    one thread and two, and observations that do not fit the scenario refused where they are wrong."""
    scenario, observed = str(src / "scenarios/carana.textproto"), str(src / "scenarios/carana-observations.textproto")
    with tempfile.TemporaryDirectory() as tmp:
        t = pathlib.Path(tmp)
        outs = []
        for threads in (1, 2):
            out = t / f"a{threads}.pb"
            r = run([exe, "assess", scenario, observed, "--runs", "200", "--threads", str(threads), "--out", str(out)],
                    timeout=300)
            check(r.returncode == 0, f"assess --threads {threads}: exit {r.returncode}: {r.stderr}")
            outs.append(out.read_bytes() if out.exists() else b"")
        check(outs[0] == outs[1] and outs[0], "--threads 1 and --threads 2 give byte-identical assessments")
        for text in ("small_pko_drawdown implemented since month 0", "Observations outside the plan's 90% band",
                     "What the observations moved most", "Every option from month 12 on", "The recommendation "):
            check(text in r.stdout, f"the assessment says {text!r}")
        level_one = t / "level-one.textproto"
        level_one.write_text(pathlib.Path(observed).read_text().replace(
            'implemented_option: "small_pko_drawdown"', 'implemented_option: ""'))
        r = run([exe, "assess", scenario, str(level_one), "--runs", "200", "--out", str(t / "l1.json")], timeout=300)
        check(r.returncode == 0 and "Level One screen" in r.stdout and "Advice: " in r.stdout,
              f"the Level One screen: exit {r.returncode}: {r.stdout[-500:]} {r.stderr}")
        check(json.loads((t / "l1.json").read_text())["level_one"]["advice"].startswith("LEVEL_ONE_ADVICE_"),
              "the JSON assessment carries the advice")
        bad = t / "bad.textproto"
        bad.write_text('implemented_option: "small_pko"\nobservations {\n  month: 3\n  measure { driver: "land" }\n'
                       '  value: 0.4 uncertainty: 0.05\n}\n')
        r = run([exe, "assess", scenario, str(bad)])
        check(r.returncode == 2 and f"{bad}:4:" in r.stderr and "observations[0].measure.driver" in r.stderr,
              f"an unknown driver is refused at its line: exit {r.returncode}: {r.stderr}")
        for args, text in ((["--runs", "10"], "between 100 and 100000"), ([], None)):
            if text is None:
                r = run([exe, "assess", scenario])
                check(r.returncode == 2 and "missing SCENARIO and OBSERVATIONS" in r.stderr, f"missing: {r.stderr}")
            else:
                r = run([exe, "assess", scenario, observed] + args)
                check(r.returncode == 2 and text in r.stderr, f"assess {args}: exit {r.returncode}: {r.stderr}")
        r = run([exe, "assess", scenario, str(src / "scenarios/starter.textproto")])
        check(r.returncode == 2, f"a scenario given as observations is refused: exit {r.returncode}: {r.stderr}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--peacesim", required=True)
    ap.add_argument("--source", required=True)
    ap.add_argument("--case", required=True)
    ap.add_argument("--update", action="store_true")
    ap.add_argument("--sanitized", action="store_true")
    a = ap.parse_args()
    global SANITIZED
    SANITIZED = a.sanitized
    globals()["case_" + a.case](a.peacesim, pathlib.Path(a.source), a.update)
    if FAILURES:
        print(f"{len(FAILURES)} check(s) failed in case {a.case}")
        sys.exit(1)
    print(f"case {a.case}: all checks passed")


if __name__ == "__main__":
    main()
