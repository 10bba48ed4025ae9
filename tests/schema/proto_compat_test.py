#!/usr/bin/env python3
"""The wire-schema check (scripts/check-proto-compat.py) fails when it should: each test copies
proto/ to a scratch directory, makes one edit, and runs the checker against the committed baseline
(proto/compat/baseline.binpb). Breaking edits must exit 1 with the expected line; additions and
removals that reserve the number and name must exit 0 and print nothing. Run by ctest (label
`schema`):

    proto_compat_test.py --source . [--protoc protoc]
"""
import argparse
import pathlib
import shutil
import subprocess
import sys
import tempfile
import unittest

ARGS = None
RESULTS = "peacesim/v1/results.proto"
SCENARIO = "peacesim/v1/scenario.proto"


class CheckProtoCompat(unittest.TestCase):
    def setUp(self):
        self.tmp = pathlib.Path(tempfile.mkdtemp(prefix="proto-compat-"))
        self.addCleanup(shutil.rmtree, self.tmp)
        self.proto = self.tmp / "proto"
        shutil.copytree(ARGS.source / "proto", self.proto, ignore=shutil.ignore_patterns("compat"))
        self.baseline = ARGS.source / "proto" / "compat" / "baseline.binpb"

    def edit(self, file, old, new):
        """Replaces the one occurrence of `old` in `file` (a path under proto/) with `new`."""
        path = self.proto / file
        text = path.read_text()
        self.assertEqual(text.count(old), 1, f"{old!r} should occur once in {file}")
        path.write_text(text.replace(old, new))

    def check(self, *extra):
        run = subprocess.run([sys.executable, str(ARGS.checker), "--proto-dir", str(self.proto),
                              "--baseline", str(self.baseline), "--protoc", ARGS.protoc, *extra],
                             capture_output=True, text=True, timeout=60)
        return run.returncode, run.stdout.splitlines(), run.stderr

    def assert_breaks(self, *expected):
        """Exit 1, and stdout is exactly the expected lines (file: kind name: what), in order."""
        rc, lines, err = self.check()
        self.assertEqual(rc, 1, f"expected exit 1; stdout: {lines}; stderr: {err}")
        self.assertEqual(lines, [f"{self.proto}/{line}" for line in expected])

    def assert_passes(self):
        rc, lines, err = self.check()
        self.assertEqual((rc, lines), (0, []), err)

    # --- the unchanged schema -------------------------------------------------------------------

    def test_unchanged_schema_passes(self):
        self.assert_passes()

    def test_comment_edits_pass(self):
        self.edit(RESULTS, "// +inf when unbounded above", "// +inf when there is no upper bound")
        self.assert_passes()

    # --- breaking edits -------------------------------------------------------------------------

    def test_retyped_field(self):
        self.edit(RESULTS, "double upper = 3;", "float upper = 3;")
        self.assert_breaks(f'{RESULTS}: message peacesim.v1.BoxRestriction: field 3 "upper" changed type double -> float')

    def test_retyped_message_field(self):
        self.edit(SCENARIO, "Quantity troops = 1;", "Uniform troops = 1;")
        self.assert_breaks(f'{SCENARIO}: message peacesim.v1.Resources: field 1 "troops" changed type '
                           "peacesim.v1.Quantity -> peacesim.v1.Uniform")

    def test_reused_number(self):
        self.edit(RESULTS, "string rule = 5;", "double tolerance = 5;")
        self.assert_breaks(f'{RESULTS}: message peacesim.v1.Settling: field 5 "rule" renamed to "tolerance"',
                           f'{RESULTS}: message peacesim.v1.Settling: field 5 "rule" changed type string -> double')

    def test_renamed_field(self):
        self.edit(RESULTS, "int32 block_size = 8;", "int32 block_realisations = 8;")
        self.assert_breaks(f'{RESULTS}: message peacesim.v1.Provenance: field 8 "block_size" renamed to '
                           '"block_realisations"')

    def test_renumbered_field(self):
        self.edit(RESULTS, "double quasi_p = 4;", "double quasi_p = 40;")
        self.assert_breaks(f'{RESULTS}: message peacesim.v1.BoxRestriction: field 4 "quasi_p" renumbered to 40')

    def test_changed_json_name(self):
        self.edit(RESULTS, "double quasi_p = 4;", 'double quasi_p = 4 [json_name = "quasiP_value"];')
        self.assert_breaks(f'{RESULTS}: message peacesim.v1.BoxRestriction: field 4 "quasi_p" changed JSON name '
                           '"quasiP" -> "quasiP_value"')

    def test_deleted_field_without_reserving(self):
        self.edit(RESULTS, "double quasi_p = 4;", "")
        self.assert_breaks(f'{RESULTS}: message peacesim.v1.BoxRestriction: field 4 "quasi_p" deleted without '
                           "reserving its number and name")

    def test_deleted_field_reserving_only_its_number(self):
        self.edit(RESULTS, "double quasi_p = 4;", "reserved 4;")
        self.assert_breaks(f'{RESULTS}: message peacesim.v1.BoxRestriction: field 4 "quasi_p" deleted without '
                           "reserving its name")

    def test_deleted_field_reserving_only_its_name(self):
        self.edit(RESULTS, "double quasi_p = 4;", 'reserved "quasi_p";')
        self.assert_breaks(f'{RESULTS}: message peacesim.v1.BoxRestriction: field 4 "quasi_p" deleted without '
                           "reserving its number")

    def test_repeated_to_singular(self):
        self.edit(SCENARIO, "repeated Driver drivers = 4;", "Driver drivers = 4;")
        self.assert_breaks(f'{SCENARIO}: message peacesim.v1.Scenario: field 4 "drivers" changed label '
                           "repeated -> singular")

    def test_singular_to_repeated(self):
        self.edit(RESULTS, "double upper = 3;", "repeated double upper = 3;")
        self.assert_breaks(f'{RESULTS}: message peacesim.v1.BoxRestriction: field 3 "upper" changed label '
                           "singular -> repeated")

    def test_dropped_presence(self):
        self.edit(SCENARIO, "optional int64 runs = 1;", "int64 runs = 1;")
        self.assert_breaks(f'{SCENARIO}: message peacesim.v1.Simulation: field 1 "runs" changed label '
                           "optional -> singular")

    def test_field_moved_out_of_oneof(self):
        self.edit(SCENARIO, "  oneof kind {\n    // A known value.\n    double value = 1;\n",
                  "  // A known value.\n  double value = 1;\n  oneof kind {\n")
        self.assert_breaks(f'{SCENARIO}: message peacesim.v1.Quantity: field 1 "value" moved out of oneof "kind"')

    def test_renamed_enum_value(self):
        self.edit(SCENARIO, "REGIME_CRISIS = 3;", "REGIME_EMERGENCY = 3;")
        self.assert_breaks(f'{SCENARIO}: enum peacesim.v1.Regime: value 3 "REGIME_CRISIS" renamed to '
                           '"REGIME_EMERGENCY"')

    def test_renumbered_enum_value(self):
        self.edit(SCENARIO, "REGIME_CRISIS = 3;", "REGIME_CRISIS = 30;")
        self.assert_breaks(f'{SCENARIO}: enum peacesim.v1.Regime: value 3 "REGIME_CRISIS" renumbered to 30')

    def test_deleted_enum_value_even_reserved(self):
        self.edit(SCENARIO, "REGIME_CRISIS = 3;", 'reserved 3; reserved "REGIME_CRISIS";')
        self.assert_breaks(f'{SCENARIO}: enum peacesim.v1.Regime: value 3 "REGIME_CRISIS" deleted (old files naming '
                           "it would no longer load; deprecate it instead)")

    def test_deleted_message_still_held(self):
        # Settling's field in Results goes without a reservation, and Settling with it.
        self.edit(RESULTS, "Settling settling = 10;", "")
        text = (self.proto / RESULTS).read_text()
        start = text.index("message Settling {")
        (self.proto / RESULTS).write_text(text[:start] + text[text.index("}\n", start) + 2:])
        self.assert_breaks(
            f'{RESULTS}: message peacesim.v1.Results: field 10 "settling" deleted without reserving its number and name',
            f'{RESULTS}: message peacesim.v1.Settling: deleted, but field 10 "settling" of peacesim.v1.Results, '
            "which held it, is not reserved")

    def test_deleted_file_message(self):
        # Results is what a results file holds: it cannot go, even with nothing else referring to it
        # (the assessment's two fields that hold results go with it, reserved).
        text = (self.proto / RESULTS).read_text()
        start = text.index("message Results {")
        (self.proto / RESULTS).write_text(text[:start] + text[text.index("\n}\n", start) + 3:])
        self.edit("peacesim/v1/assessment.proto", "Results before = 2;\n  Results after = 3;",
                  'reserved 2, 3; reserved "before", "after";')
        self.assert_breaks(f"{RESULTS}: message peacesim.v1.Results: deleted, but files hold it whole")

    def test_unreserved_number_and_name(self):
        # A baseline with a reservation; the new schema drops it.
        self.edit(RESULTS, "double quasi_p = 4;", 'reserved 4, 20 to 22; reserved "quasi_p";')
        self.baseline = self.tmp / "baseline.binpb"
        rc, _, err = self.check("--update-baseline", "--allow-breaking")
        self.assertEqual(rc, 0, err)
        self.edit(RESULTS, 'reserved 4, 20 to 22; reserved "quasi_p";', "reserved 4, 20;")
        self.assert_breaks(f"{RESULTS}: message peacesim.v1.BoxRestriction: reserved numbers 21 to 22 no longer reserved",
                           f'{RESULTS}: message peacesim.v1.BoxRestriction: reserved name "quasi_p" no longer reserved')

    def test_several_changes_all_reported(self):
        self.edit(RESULTS, "double upper = 3;", "float upper = 3;")
        self.edit(SCENARIO, "REGIME_CRISIS = 3;", "REGIME_EMERGENCY = 3;")
        rc, lines, _ = self.check()
        self.assertEqual(rc, 1)
        self.assertEqual(len(lines), 2, lines)

    # --- compatible edits -----------------------------------------------------------------------

    def test_added_field(self):
        self.edit(RESULTS, "double quasi_p = 4;", "double quasi_p = 4;\n  double median = 8;")
        self.assert_passes()

    def test_added_message_enum_and_value(self):
        self.edit(SCENARIO, "REGIME_WAR = 4;", "REGIME_WAR = 4;\n  REGIME_POST_WAR = 5;")
        (self.proto / RESULTS).write_text((self.proto / RESULTS).read_text() +
                                          "\nmessage Extra {\n  int32 n = 1;\n}\n\nenum Mode {\n  MODE_UNSPECIFIED = 0;\n}\n")
        self.assert_passes()

    def test_removed_field_with_reserved_number_and_name(self):
        self.edit(RESULTS, "double quasi_p = 4;", 'reserved 4; reserved "quasi_p";')
        self.assert_passes()

    def test_removed_message_with_its_field_reserved(self):
        self.edit(RESULTS, "Settling settling = 10;", 'reserved 10; reserved "settling";')
        text = (self.proto / RESULTS).read_text()
        start = text.index("message Settling {")
        (self.proto / RESULTS).write_text(text[:start] + text[text.index("}\n", start) + 2:])
        self.assert_passes()

    def test_added_presence(self):
        self.edit(RESULTS, "double upper = 3;", "optional double upper = 3;")
        self.assert_passes()

    # --- refusals -------------------------------------------------------------------------------

    def test_update_baseline_refuses_a_breaking_schema(self):
        self.baseline = self.tmp / "baseline.binpb"
        shutil.copy(ARGS.source / "proto" / "compat" / "baseline.binpb", self.baseline)
        before = self.baseline.read_bytes()
        self.edit(RESULTS, "double upper = 3;", "float upper = 3;")
        rc, lines, err = self.check("--update-baseline")
        self.assertEqual(rc, 1, err)
        self.assertEqual(len(lines), 1, lines)
        self.assertEqual(self.baseline.read_bytes(), before)

    def test_schema_that_does_not_compile(self):
        self.edit(RESULTS, "double upper = 3;", "double upper = 3")
        rc, lines, err = self.check()
        self.assertEqual((rc, lines), (2, []))
        self.assertIn("protoc failed", err)


def main():
    global ARGS
    ap = argparse.ArgumentParser()
    ap.add_argument("--source", type=pathlib.Path, required=True, help="the repository root")
    ap.add_argument("--protoc", default="protoc")
    ap.add_argument("--checker", type=pathlib.Path, help="default: SOURCE/scripts/check-proto-compat.py")
    ARGS, rest = ap.parse_known_args()
    ARGS.source = ARGS.source.resolve()
    ARGS.checker = ARGS.checker or ARGS.source / "scripts" / "check-proto-compat.py"
    unittest.main(argv=[sys.argv[0]] + rest, verbosity=2)


if __name__ == "__main__":
    main()
