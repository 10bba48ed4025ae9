#!/usr/bin/env python3
"""The engine's layers, checked on their includes.

The build writes a manifest (tests/CMakeLists.txt: layers.tsv) with each layer's library, the
libraries it links and its sources and headers. Every project file must belong to exactly one
layer, and every `#include "..."` of a project header (engine/, models/, the generated
peacesim/v1/*.pb.h) must name a header of the file's own layer or of a layer it links, directly or
through others. So a core or analysis source cannot include the wire schema, the presentation cannot
include the scenario compiler, and no layer includes one above it. The check then plants such
includes and fails unless it catches each of them.
"""

import argparse
import pathlib
import re
import sys

INCLUDE = re.compile(r'^\s*#\s*include\s*"([^"]+)"', re.MULTILINE)
GENERATED = re.compile(r"^peacesim/v1/\w+\.pb\.h$")
PROJECT_DIRS = ("engine", "models")


def layer_name(target):
    return "app" if target == "peacesim" else target.removeprefix("peacesim_")


def read_manifest(path, source):
    """{layer: (linked layers, [project files relative to source])}, generated files left out."""
    layers = {}
    for line in path.read_text().splitlines():
        if not line.strip():
            continue
        target, links, sources = (line.split("\t") + ["", ""])[:3]
        files = []
        for s in filter(None, sources.split(";")):
            p = pathlib.Path(s)
            if p.is_absolute():
                try:
                    p = p.relative_to(source)
                except ValueError:
                    continue  # generated in the build tree (schema classes, embedded scenarios)
                if not p.parts or p.parts[0] not in PROJECT_DIRS:
                    continue
            files.append(p.as_posix())
        layers[layer_name(target)] = ({layer_name(t) for t in filter(None, links.split(";"))}, files)
    for name, (links, files) in layers.items():
        layers[name] = ({t for t in links if t in layers}, files)
    return layers


def reach(layers):
    """Each layer with every layer it may include: itself and what it links, transitively."""
    out = {}
    for name in layers:
        seen, todo = {name}, [name]
        while todo:
            for t in layers[todo.pop()][0]:
                if t not in seen:
                    seen.add(t)
                    todo.append(t)
        out[name] = seen
    return out


def violations(layers, includes):
    """Problems with `includes` ({file: [included paths]}) under `layers`."""
    owner, problems = {}, []
    for name, (_, files) in layers.items():
        for f in files:
            if f in owner:
                problems.append(f"{f} is in two layers: {owner[f]} and {name}")
            owner[f] = name
    allowed = reach(layers)
    for f, included in sorted(includes.items()):
        if f not in owner:
            problems.append(f"{f} is in no layer: list it with its layer's library in CMakeLists.txt")
            continue
        mine = owner[f]
        for inc in included:
            if GENERATED.match(inc):
                theirs = "proto"
            elif inc.split("/")[0] in PROJECT_DIRS:
                theirs = owner.get(inc)
                if theirs is None:
                    problems.append(f"{f} includes {inc}, which is in no layer")
                    continue
            else:
                problems.append(f'{f} includes "{inc}": project headers are included from the source root')
                continue
            if theirs not in allowed[mine]:
                problems.append(f"{f} ({mine}) includes {inc} ({theirs}); {mine} sees only "
                                f"{', '.join(sorted(allowed[mine]))}")
    return problems


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--manifest", required=True, type=pathlib.Path)
    ap.add_argument("--source", required=True, type=pathlib.Path)
    args = ap.parse_args()
    source = args.source.resolve()
    layers = read_manifest(args.manifest, source)

    includes = {}
    for d in PROJECT_DIRS:
        for p in sorted((source / d).rglob("*")):
            if p.suffix in (".h", ".cc") and p.is_file():
                includes[p.relative_to(source).as_posix()] = INCLUDE.findall(p.read_text())
    problems = violations(layers, includes)
    for name in ("core", "analysis", "schema", "io", "presentation", "pipeline", "app"):
        if name not in layers or not layers[name][1]:
            problems.append(f"the manifest has no layer {name}")
    for p in problems:
        print("layer violation:", p)
    if problems:
        return 1

    # Planted includes the check must catch, one at a time.
    def first(layer, suffix):
        return next(f for f in layers[layer][1] if f.endswith(suffix))

    planted = [
        (first("core", ".cc"), "peacesim/v1/scenario.pb.h"),
        (first("analysis", ".h"), "peacesim/v1/results.pb.h"),
        (first("analysis", ".cc"), "engine/io/results_view.h"),
        (first("presentation", ".cc"), "engine/compile.h"),
        (first("io", ".cc"), "engine/io/brief.h"),
        (first("schema", ".cc"), "engine/pipeline.h"),
        (first("pipeline", ".cc"), "engine/cli/commands.h"),
        (first("core", ".h"), "engine/nowhere.h"),
    ]
    for f, inc in planted:
        caught = [p for p in violations(layers, {**includes, f: includes[f] + [inc]}) if inc in p]
        if not caught:
            print(f"the check missed a planted violation: {f} including {inc}")
            return 1

    reached = reach(layers)
    for name in ("models", "core", "analysis", "schema", "io", "presentation", "pipeline", "app"):
        if name in layers:
            below = ", ".join(sorted(reached[name] - {name})) or "-"
            print(f"{name:13} {len(layers[name][1]):3} files; includes from: {below}")
    print(f"{len(includes)} files, each including only its own layer and those below; {len(planted)} planted violations caught")
    return 0


if __name__ == "__main__":
    sys.exit(main())
