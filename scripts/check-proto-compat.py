#!/usr/bin/python3
"""Breaking-change check of the wire schema against the last release.

Compiles proto/**/*.proto to a FileDescriptorSet with protoc and compares it with the committed
descriptors of the last release (proto/compat/baseline.binpb). Every change that would stop an old
scenario file from loading, or a pipeline from reading a results file, is printed on its own line:

    proto/peacesim/v1/results.proto: message peacesim.v1.BoxRestriction: field 3 "upper" changed type double -> float

and the exit status is 1; with none it is 0 (additions are fine); 2 when the check cannot run.
The rules are those of `buf breaking`'s WIRE_JSON category, a little stricter: scenarios are
written in text format and JSON as well as binary, so names count as much as numbers.

- A field's number is never reused, retyped or given to another name, and a field is never renamed
  or moved to another number.
- A field is removed only with its number and its name reserved (`reserved 4; reserved "quasi_p";`).
- Singular and repeated never change into each other; explicit presence (`optional`) is never
  dropped (a writer would stop writing an explicit 0 that old readers tell from unset), though it
  may be added; a field never moves into, out of or between oneofs.
- An enum value is never removed, renamed or renumbered, reserved or not: an old file that names it
  would no longer load. Deprecate it instead.
- A message or enum is removed only when no field that held it is left unreserved, and never when
  a file holds it whole (Scenario, Results) or no field refers to it.
- A reserved number or name stays reserved.

Usage (the Debian interpreter, which python3-protobuf provides for):

    scripts/check-proto-compat.py                     # exit 1 with one line per breaking change
    scripts/check-proto-compat.py --update-baseline   # at a release: record the schema as released

--update-baseline refuses to record a schema that breaks the previous baseline unless
--allow-breaking is given too.
"""
import argparse
import os
import pathlib
import subprocess
import sys
import tempfile

try:
    from google.protobuf import descriptor_pb2
except ImportError:
    sys.exit("check-proto-compat: needs google.protobuf: install python3-protobuf "
             "(scripts/install-deps.sh) and run with /usr/bin/python3")

ROOT = pathlib.Path(__file__).resolve().parent.parent
FDP = descriptor_pb2.FieldDescriptorProto

# Messages that files hold whole: a scenario file is a Scenario, a results file is Results.
FILE_MESSAGES = ("peacesim.v1.Scenario", "peacesim.v1.Results")

MAX_FIELD_NUMBER = 536870911


class CompileError(Exception):
    pass


def compile_protos(protoc, proto_dir):
    """The FileDescriptorSet (bytes) of every .proto under proto_dir, imports included."""
    files = sorted(p.relative_to(proto_dir).as_posix() for p in proto_dir.rglob("*.proto"))
    if not files:
        raise CompileError(f"no .proto files under {proto_dir}")
    with tempfile.TemporaryDirectory() as tmp:
        out = pathlib.Path(tmp) / "schema.binpb"
        try:
            run = subprocess.run([protoc, "--include_imports", f"--descriptor_set_out={out}", "-I", str(proto_dir)] +
                                 [str(proto_dir / f) for f in files], capture_output=True, text=True)
        except OSError as e:
            raise CompileError(f"cannot run {protoc}: {e}") from e
        if run.returncode != 0:
            raise CompileError(f"protoc failed:\n{run.stderr.rstrip()}")
        return out.read_bytes()


def parse(data):
    fds = descriptor_pb2.FileDescriptorSet()
    fds.ParseFromString(data)
    return fds


class Schema:
    """The types of a FileDescriptorSet by full name, in declaration order."""

    def __init__(self, fds):
        self.files = {f.name: f for f in fds.file}
        self.messages = {}  # full name -> (file name, DescriptorProto, parent message full name or None)
        self.enums = {}     # full name -> (file name, EnumDescriptorProto, parent message full name or None)
        self.order = []     # ("message" | "enum", full name), depth first in declaration order
        for f in fds.file:
            prefix = f.package + "." if f.package else ""
            for m in f.message_type:
                self._message(f.name, prefix + m.name, m, None)
            for e in f.enum_type:
                self._enum(f.name, prefix + e.name, e, None)

    def _message(self, file, full, m, parent):
        self.messages[full] = (file, m, parent)
        self.order.append(("message", full))
        for n in m.nested_type:
            self._message(file, full + "." + n.name, n, full)
        for e in m.enum_type:
            self._enum(file, full + "." + e.name, e, full)

    def _enum(self, file, full, e, parent):
        self.enums[full] = (file, e, parent)
        self.order.append(("enum", full))

    def syntax(self, file):
        return self.files[file].syntax or "proto2"

    def holders(self, type_full):
        """(message full name, field) of every field whose type is type_full."""
        return [(name, f) for name, (_, m, _) in self.messages.items() for f in m.field
                if f.type_name.lstrip(".") == type_full]


def type_of(f):
    if f.type in (FDP.TYPE_MESSAGE, FDP.TYPE_GROUP, FDP.TYPE_ENUM):
        return f.type_name.lstrip(".")
    return FDP.Type.Name(f.type)[len("TYPE_"):].lower()


def label_of(f, syntax):
    """repeated, required, optional (explicit presence of a scalar) or singular."""
    if f.label == FDP.LABEL_REPEATED:
        return "repeated"
    if f.label == FDP.LABEL_REQUIRED:
        return "required"
    if f.type not in (FDP.TYPE_MESSAGE, FDP.TYPE_GROUP) and (f.proto3_optional or syntax == "proto2"):
        return "optional"
    return "singular"


def real_oneof(m, f):
    if not f.HasField("oneof_index") or f.proto3_optional:
        return None
    return m.oneof_decl[f.oneof_index].name


def uncovered(start, end, ranges):
    """Parts of [start, end] (inclusive) that no (start, end) range in `ranges` covers."""
    parts = [(start, end)]
    for lo, hi in ranges:
        parts = [p for a, b in parts for p in ((a, min(b, lo - 1)), (max(a, hi + 1), b)) if p[0] <= p[1]]
    return parts


def numbers(parts):
    def one(a, b):
        if a == b:
            return str(a)
        return f"{a} to {'max' if b >= MAX_FIELD_NUMBER else b}"
    return ", ".join(one(a, b) for a, b in parts)


def message_ranges(m):
    return [(r.start, r.end - 1) for r in m.reserved_range]  # end exclusive


def enum_ranges(e):
    return [(r.start, r.end) for r in e.reserved_range]  # end inclusive


def is_reserved(n, ranges):
    return any(lo <= n <= hi for lo, hi in ranges)


def compare_message(b, n, base_syntax, new_syntax, say):
    by_number = {f.number: f for f in n.field}
    by_name = {f.name: f for f in n.field}
    for f in b.field:
        what = f'field {f.number} "{f.name}"'
        g = by_number.get(f.number)
        if g is None:
            moved = by_name.get(f.name)
            if moved is not None:
                say(f"{what} renumbered to {moved.number}")
                continue
            missing = [w for w, kept in (("number", is_reserved(f.number, message_ranges(n))),
                                         ("name", f.name in n.reserved_name)) if not kept]
            if missing:
                say(f"{what} deleted without reserving its {' and '.join(missing)}")
            continue
        if g.name != f.name:
            say(f'{what} renamed to "{g.name}"')
        elif g.json_name != f.json_name:
            say(f'{what} changed JSON name "{f.json_name}" -> "{g.json_name}"')
        if type_of(g) != type_of(f):
            say(f"{what} changed type {type_of(f)} -> {type_of(g)}")
        old, new = label_of(f, base_syntax), label_of(g, new_syntax)
        if old != new and (old, new) != ("singular", "optional"):
            say(f"{what} changed label {old} -> {new}")
        was, now = real_oneof(b, f), real_oneof(n, g)
        if was != now:
            if now is None:
                say(f'{what} moved out of oneof "{was}"')
            elif was is None:
                say(f'{what} moved into oneof "{now}"')
            else:
                say(f'{what} moved from oneof "{was}" to oneof "{now}"')
    compare_reservations(b, n, message_ranges, say)


def compare_reservations(b, n, ranges, say):
    """Reserved numbers (as `ranges` lists them) and names of `b` that `n` no longer reserves."""
    for lo, hi in ranges(b):
        gone = uncovered(lo, hi, ranges(n))
        if gone:
            say(f"reserved number{'s' if len(gone) > 1 or gone[0][0] != gone[0][1] else ''} "
                f"{numbers(gone)} no longer reserved")
    for name in b.reserved_name:
        if name not in n.reserved_name:
            say(f'reserved name "{name}" no longer reserved')


def compare_enum(b, n, say):
    by_name = {v.name: v for v in n.value}
    names_of = {}
    for v in n.value:
        names_of.setdefault(v.number, []).append(v.name)
    for v in b.value:
        what = f'value {v.number} "{v.name}"'
        w = by_name.get(v.name)
        if w is not None:
            if w.number != v.number:
                say(f"{what} renumbered to {w.number}")
            continue
        if v.number in names_of:
            say(f"{what} renamed to " + " / ".join(f'"{x}"' for x in names_of[v.number]))
        else:
            say(f"{what} deleted (old files naming it would no longer load; deprecate it instead)")
    compare_reservations(b, n, enum_ranges, say)


def breaking_changes(base, new, shown_dir):
    """One line per breaking change from `base` to `new` (Schema), in the baseline's order."""
    lines = []

    def sayer(file, kind, full):
        return lambda text: lines.append(f"{shown_dir}/{file}: {kind} {full}: {text}")

    for file in base.files:
        if file in new.files and base.syntax(file) != new.syntax(file):
            lines.append(f"{shown_dir}/{file}: syntax changed {base.syntax(file)} -> {new.syntax(file)}")
    for kind, full in base.order:
        table_b, table_n = (base.messages, new.messages) if kind == "message" else (base.enums, new.enums)
        file_b, b, parent = table_b[full]
        if full in table_n:
            file_n, n, _ = table_n[full]
            say = sayer(file_n, kind, full)
            if kind == "message":
                compare_message(b, n, base.syntax(file_b), new.syntax(file_n), say)
            else:
                compare_enum(b, n, say)
            continue
        if parent is not None and parent not in new.messages:
            continue  # the enclosing message's deletion is reported
        say = sayer(file_b, kind, full)
        holders = base.holders(full)
        if full in FILE_MESSAGES:
            say("deleted, but files hold it whole")
        elif not holders:
            say("deleted, but no field refers to it, so readers may use it on its own (as a file's message)")
        else:
            for holder, f in holders:
                if holder in new.messages and not is_reserved(f.number, message_ranges(new.messages[holder][1])):
                    say(f'deleted, but field {f.number} "{f.name}" of {holder}, which held it, is not reserved')
    return lines


def shown(path):
    """`path` as the report names it: relative to the repository when inside it."""
    try:
        return path.resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return str(path)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--proto-dir", type=pathlib.Path, default=ROOT / "proto",
                    help="root of the .proto files and their import path (default: proto/)")
    ap.add_argument("--baseline", type=pathlib.Path, default=ROOT / "proto" / "compat" / "baseline.binpb",
                    help="descriptors of the last release (default: proto/compat/baseline.binpb)")
    ap.add_argument("--protoc", default="protoc", help="the protoc to run (default: protoc on PATH)")
    ap.add_argument("--update-baseline", action="store_true",
                    help="record the current schema as the baseline (at a release)")
    ap.add_argument("--allow-breaking", action="store_true",
                    help="with --update-baseline: record it even if it breaks the previous baseline")
    args = ap.parse_args()

    try:
        data = compile_protos(args.protoc, args.proto_dir)
    except CompileError as e:
        print(f"check-proto-compat: {e}", file=sys.stderr)
        return 2
    new = Schema(parse(data))

    lines = []
    if args.baseline.exists():
        lines = breaking_changes(Schema(parse(args.baseline.read_bytes())), new, shown(args.proto_dir))
    elif not args.update_baseline:
        print(f"check-proto-compat: no baseline {shown(args.baseline)}; record one with --update-baseline",
              file=sys.stderr)
        return 2
    for line in lines:
        print(line)

    if args.update_baseline:
        if lines and not args.allow_breaking:
            print(f"check-proto-compat: {len(lines)} breaking change(s) against {shown(args.baseline)}; "
                  "not recorded (give --allow-breaking as well to record them)", file=sys.stderr)
            return 1
        args.baseline.parent.mkdir(parents=True, exist_ok=True)
        tmp = args.baseline.with_name(f"{args.baseline.name}.tmp.{os.getpid()}")
        tmp.write_bytes(data)
        os.replace(tmp, args.baseline)
        print(f"check-proto-compat: recorded {len(new.files)} files, {len(new.messages)} messages and "
              f"{len(new.enums)} enums in {shown(args.baseline)}", file=sys.stderr)
        return 0
    if lines:
        print(f"check-proto-compat: {len(lines)} breaking change(s) against the last release "
              f"({shown(args.baseline)}); see docs/user-guide.md, \"The schema and what stays compatible\"", file=sys.stderr)
        return 1
    print(f"check-proto-compat: no breaking change against {shown(args.baseline)} "
          f"({len(new.files)} files, {len(new.messages)} messages, {len(new.enums)} enums)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
