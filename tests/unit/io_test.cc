// Input and output at the edges: located syntax and semantic errors (text format and JSON),
// every error reported, limits, the embedded default scenario, and atomic result files.
#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <string>

#include "engine/compile.h"
#include "engine/io/guidance.h"
#include "engine/io/load.h"
#include "engine/io/results_io.h"
#include "engine/io/results_view.h"
#include "engine/io/sha256.h"
#include "engine/io/validate.h"

namespace peacesim::io {
namespace {

std::string source(const std::string& rel) { return std::string(PEACESIM_SOURCE_DIR) + "/" + rel; }

std::string tiny_text() { return read_file(source("scenarios/examples/tiny.textproto")); }

// The diagnostics of parsing and validating `text`.
std::vector<Diagnostic> problems(const std::string& text, Format format = Format::kText) {
  try {
    const LoadedScenario loaded = parse_scenario(text, "test.textproto", format);
    return validate(loaded);
  } catch (const InputError& e) {
    return e.diagnostics();
  }
}

// Replaces the first occurrence of `from` in `text`.
std::string replace(std::string text, const std::string& from, const std::string& to) {
  const std::size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << "tiny.textproto no longer contains: " << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

int line_of(const std::string& text, const std::string& needle) {
  const std::size_t at = text.find(needle);
  return at == std::string::npos ? -1 : 1 + static_cast<int>(std::count(text.begin(), text.begin() + at, '\n'));
}

TEST(Load, TinyAndDefaultScenariosAreValid) {
  EXPECT_TRUE(problems(tiny_text()).empty());
  const LoadedScenario carana = load_default_scenario();
  EXPECT_TRUE(validate(carana).empty());
  EXPECT_EQ(carana.scenario.options_size(), 8);
  EXPECT_GE(carana.scenario.drivers_size(), 10);
  EXPECT_GE(carana.scenario.actors_size(), 8);
  EXPECT_GE(carana.scenario.planning_scenarios_size(), 4);
}

TEST(Load, EmbeddedDefaultIsTheBundledFile) {
  EXPECT_EQ(std::string(default_scenario_text()), read_file(source("scenarios/carana.textproto")));
}

TEST(Load, SyntaxErrorNamesFileLineAndColumn) {
  const std::string text = "name: \"x\"\ndrivers {\n  id: \"a\"\n  reversion { value: }\n}\n";
  const auto d = problems(text);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].file, "test.textproto");
  EXPECT_EQ(d[0].where.line, 4);
  EXPECT_GT(d[0].where.column, 1);
  EXPECT_NE(format(d[0]).find("test.textproto:4:"), std::string::npos);
}

TEST(Validate, SimulationSettingsHavePresence) {
  // Left out, a setting takes its default; given, it is used as given: runs 0 and horizon 0 are
  // errors, seed 0 is seed 0 (as --seed 0 is).
  auto with = [](const std::string& simulation) {
    std::string text = tiny_text();
    const auto at = text.find("simulation {");
    return text.substr(0, at) + simulation + "\n";
  };
  auto d = problems(with("simulation { runs: 0 horizon_months: 0 }"));
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0].path, "simulation.runs");
  EXPECT_EQ(d[1].path, "simulation.horizon_months");
  const LoadedScenario zero = parse_scenario(with("simulation { seed: 0 }"), "zero.textproto", Format::kText);
  EXPECT_EQ(compile(zero.scenario).seed, 0u);
  const LoadedScenario unset = parse_scenario(with("simulation { }"), "unset.textproto", Format::kText);
  EXPECT_EQ(compile(unset.scenario).seed, 1u);
  EXPECT_EQ(compile(unset.scenario).runs, 10000);
}

TEST(Validate, ProtectionOfCiviliansByTroopsNeedsAPocMandate) {
  const std::string option =
      "activity_catalogue { kind: ACTIVITY_KIND_PROTECTION_OF_CIVILIANS gbv { value: -0.002 } }\n"
      "options { id: \"traditional\" role: UN_ROLE_OBSERVER_MISSION resources { troops { value: 1000 } }\n"
      "  activities { id: \"patrols\" kind: ACTIVITY_KIND_PROTECTION_OF_CIVILIANS lead: COMPONENT_MILITARY } }\n";
  auto d = problems(tiny_text() + option);
  ASSERT_EQ(d.size(), 1u);
  add_guidance(d);
  EXPECT_EQ(d[0].path, "options[3].activities[0].lead");
  EXPECT_NE(d[0].message.find("needs a protection-of-civilians mandate"), std::string::npos);
  EXPECT_NE(d[0].example.find("protection_of_civilians: true"), std::string::npos);
  // Led by civilians (unarmed protection, early warning), it needs no such mandate.
  std::string civilian = option;
  civilian.replace(civilian.find("COMPONENT_MILITARY"), 18, "COMPONENT_CIVILIAN");
  EXPECT_TRUE(problems(tiny_text() + civilian).empty());
}

TEST(Load, UnknownFieldIsLocated) {
  const std::string text = "name: \"x\"\nsituation {\n  populaton_millions { value: 3 }\n}\n";
  const auto d = problems(text);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].where.line, 3);
  EXPECT_NE(d[0].message.find("populaton_millions"), std::string::npos);
}

TEST(Validate, ReportsEveryErrorWithItsPathAndLine) {
  std::string text = tiny_text();
  text = replace(text, "reversion { value: 0.05 }", "reversion { uniform { min: 0.9 max: 0.1 } }");
  text = replace(text, "baseline_option: \"no_mission\"", "baseline_option: \"nobody\"");
  const auto d = problems(text);
  ASSERT_EQ(d.size(), 2u) << (d.empty() ? "" : format(d[0]));
  EXPECT_NE(d[0].path.find(".reversion.uniform.min"), std::string::npos) << d[0].path;
  EXPECT_EQ(d[0].where.line, line_of(text, "min: 0.9"));
  EXPECT_NE(d[0].message.find("min is 0.9"), std::string::npos) << d[0].message;
  EXPECT_EQ(d[1].path, "simulation.baseline_option");
  EXPECT_EQ(d[1].where.line, line_of(text, "baseline_option"));
  EXPECT_NE(d[1].message.find("unknown option \"nobody\""), std::string::npos) << d[1].message;
}

TEST(Validate, RangeErrorSaysWhatIsExpected) {
  const std::string text = replace(tiny_text(), "position { value: 0.85 }", "position { value: 1.5 }");
  const auto d = problems(text);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_NE(d[0].path.find("actors[2].position.value"), std::string::npos) << d[0].path;
  EXPECT_NE(d[0].message.find("[0, 1]"), std::string::npos) << d[0].message;
}

TEST(Validate, EnforcesDocumentedLimits) {
  std::string text = replace(tiny_text(), "runs: 200", "runs: 2000000000");
  auto d = problems(text);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].path, "simulation.runs");
  EXPECT_NE(d[0].message.find("1000000000"), std::string::npos);
  // 257 drivers: over the limit, reported as a count, not an allocation failure.
  v1::Scenario s = parse_scenario(tiny_text(), "t", Format::kText).scenario;
  for (int i = 0; i < 257; ++i) {
    auto* drv = s.add_drivers();
    drv->set_id("extra_" + std::to_string(i));
    drv->set_polarity(v1::POLARITY_CONFLICT_DRIVER);
  }
  std::string big;
  google::protobuf::TextFormat::PrintToString(s, &big);
  d = problems(big);
  bool found = false;
  for (const auto& x : d)
    found = found || (x.path == "drivers" && x.message.find("between 1 and 256") != std::string::npos);
  EXPECT_TRUE(found);
}

TEST(Validate, SequencingCycleNamesTheActivities) {
  v1::Scenario s = parse_scenario(tiny_text(), "t", Format::kText).scenario;
  v1::Option* o = nullptr;
  for (auto& opt : *s.mutable_options())
    if (opt.activities_size() >= 2) o = &opt;
  ASSERT_NE(o, nullptr);
  o->mutable_activities(0)->clear_after();
  o->mutable_activities(0)->add_after(o->activities(1).id());
  o->mutable_activities(1)->clear_after();
  o->mutable_activities(1)->add_after(o->activities(0).id());
  std::string text;
  google::protobuf::TextFormat::PrintToString(s, &text);
  const auto d = problems(text);
  ASSERT_FALSE(d.empty());
  EXPECT_NE(d[0].message.find("sequencing cycle"), std::string::npos);
  EXPECT_NE(d[0].message.find(o->activities(0).id()), std::string::npos);
  EXPECT_NE(d[0].message.find(o->activities(1).id()), std::string::npos);
}

// tiny.textproto with `resources` fields added to small_pko (options[2]), on its deployment line.
std::string with_pko_resources(const std::string& fields) {
  const std::string line = "deployment_months { triangular { min: 3 mode: 5 max: 9 } }";
  return replace(tiny_text(), line, line + "  " + fields);
}

TEST(Validate, WithdrawalAndDrawdownAreCheckedWithTheirFieldPaths) {
  struct Case {
    std::string fields, path, fragment, example;
  };
  const std::vector<Case> cases = {
      {"withdrawal_month: 700", "options[2].resources.withdrawal_month", "is 700, but must lie in [0, 600]",
       "withdrawal_month: 48"},
      {"withdrawal_month: -3", "options[2].resources.withdrawal_month", "is -3, but must lie in [0, 600]",
       "withdrawal_month: 48"},
      {"drawdown { month: 601 troops: 0.5 }", "options[2].resources.drawdown[0].month",
       "is 601, but must lie in [0, 600]", "a month index"},
      {"drawdown { month: -1 troops: 0.5 }", "options[2].resources.drawdown[0].month",
       "is -1, but must lie in [0, 600]", "a month index"},
      {"drawdown { month: 12 troops: 0.5 }  drawdown { month: 12 troops: 0.3 }",
       "options[2].resources.drawdown[1].month",
       "is 12, but drawdown months must increase strictly: the step before is at month 12", "strictly increasing"},
      {"drawdown { month: 6 troops: 0.5 }  drawdown { month: 12 troops: 0.4 }  drawdown { month: 9 police: 0.3 }",
       "options[2].resources.drawdown[2].month", "the step before is at month 12", "strictly increasing"},
      {"drawdown { month: 12 troops: 1.5 }", "options[2].resources.drawdown[0].troops",
       "is 1.5, but a share of authorised strength must lie in [0, 1]", "0.5 = half"},
      {"drawdown { month: 12 police: -0.1 }", "options[2].resources.drawdown[0].police",
       "is -0.1, but a share of authorised strength must lie in [0, 1]", "0.5 = half"},
      {"drawdown { month: 12 observers: inf }", "options[2].resources.drawdown[0].observers",
       "is inf, but a share of authorised strength must lie in [0, 1]", "0.5 = half"},
      {"drawdown { month: 12 civilians: nan }", "options[2].resources.drawdown[0].civilians",
       "but a share of authorised strength must lie in [0, 1]", "0.5 = half"},
      {"withdrawal_month: 18  drawdown { month: 12 troops: 0.5 }  drawdown { month: 18 troops: 0.2 }",
       "options[2].resources.drawdown[1].month",
       "is 18, at or after withdrawal_month 18: this step has no effect because the mission has left",
       "every step before the withdrawal month"},
      {"withdrawal_month: 18  drawdown { month: 20 troops: 0.5 }", "options[2].resources.drawdown[0].month",
       "no effect because the mission has left", "every step before the withdrawal month"},
      {"drawdown { month: 12 }", "options[2].resources.drawdown[0]",
       "sets no share; give at least one of troops, police, observers or civilians", "at least one share"},
  };
  for (const Case& c : cases) {
    const std::string text = with_pko_resources(c.fields);
    const auto d = problems(text);
    ASSERT_EQ(d.size(), 1u) << c.fields << (d.empty() ? "" : ": " + format(d[0]));
    EXPECT_EQ(d[0].path, c.path) << c.fields;
    EXPECT_NE(d[0].message.find(c.fragment), std::string::npos) << c.fields << ": " << d[0].message;
    EXPECT_EQ(d[0].where.line, line_of(text, c.fields)) << c.fields;
    // Every message gets an example of what is expected.
    try {
      require_valid(parse_scenario(text, "test.textproto", Format::kText));
      ADD_FAILURE() << c.fields << " was accepted";
    } catch (const InputError& e) {
      ASSERT_EQ(e.diagnostics().size(), 1u);
      EXPECT_NE(e.diagnostics()[0].example.find(c.example), std::string::npos)
          << c.fields << ": " << e.diagnostics()[0].example;
    }
  }
}

TEST(Validate, AWithdrawalWithADrawdownBeforeItIsValid) {
  EXPECT_TRUE(problems(with_pko_resources("withdrawal_month: 18")).empty());
  EXPECT_TRUE(problems(with_pko_resources("withdrawal_month: 0  drawdown { month: 30 troops: 0 }")).empty());
  EXPECT_TRUE(problems(with_pko_resources("withdrawal_month: 600  drawdown { month: 0 troops: 1 }  drawdown { "
                                          "month: 12 troops: 0.5 police: 0 }  drawdown { month: 599 civilians: 0.1 }"))
                  .empty());
}

TEST(Json, RoundTripsAndLocatesErrors) {
  const v1::Scenario s = parse_scenario(tiny_text(), "t", Format::kText).scenario;
  const std::string json = to_json(s);  // as `peacesim show --json` writes it
  const LoadedScenario back = parse_scenario(json, "t.json", Format::kJson);
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(s, back.scenario));
  EXPECT_TRUE(validate(back).empty());

  // An unknown field, a syntax error and a semantic error, each at its line.
  const std::string unknown = replace(json, "\"name\":", "\"nmae\":");
  auto d = problems(unknown, Format::kJson);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].where.line, line_of(unknown, "\"nmae\""));
  const std::string broken = replace(json, "\"name\":", "\"name\"");
  d = problems(broken, Format::kJson);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].where.line, line_of(broken, "\"name\""));
  const std::string bad_ref = replace(json, "\"baseline_option\": \"no_mission\"", "\"baseline_option\": \"nobody\"");
  d = problems(bad_ref, Format::kJson);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].where.line, line_of(bad_ref, "\"baseline_option\""));
}

TEST(Json, AnEnumNumberTheSchemaDoesNotNameIsAnError) {
  const v1::Scenario s = parse_scenario(tiny_text(), "t", Format::kText).scenario;
  const std::string json = to_json(s);  // as `peacesim show --json` writes it
  const std::string bad = replace(json, "\"metric\": \"METRIC_CIVILIAN_DEATHS\"", "\"metric\": 99");
  const auto d = problems(bad, Format::kJson);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_NE(d[0].message.find("99 is not a value of Metric"), std::string::npos) << d[0].message;
  EXPECT_EQ(d[0].where.line, line_of(bad, "\"metric\": 99"));
}

// The line and column (1-based) of the byte at `offset`.
Location location_of(const std::string& text, std::size_t offset) {
  const std::size_t line_start = text.rfind('\n', offset - 1);
  return {1 + static_cast<int>(std::count(text.begin(), text.begin() + offset, '\n')),
          static_cast<int>(offset - (line_start == std::string::npos ? 0 : line_start + 1)) + 1};
}

TEST(Json, ValuesOfTheWrongTypeOrRangeAreLocatedAtTheValue) {
  const v1::Scenario s = parse_scenario(tiny_text(), "t", Format::kText).scenario;
  const std::string json = to_json(s);
  struct Case {
    std::string from, to, value, path, message;
  };
  const Case cases[] = {
      {"\"month\": 6", "\"month\": 1e20", "1e20", "planning_scenarios[1].shocks[0].month",
       "the number 1e20 is out of range; expected a whole number in [-2147483648, 2147483647] (int32)"},
      {"\"month\": 6", "\"month\": 3.5", "3.5", "planning_scenarios[1].shocks[0].month",
       "expected a whole number (int32), found 3.5"},
      {"\"month\": 6", "\"month\": \"6.0\"", "\"6.0\"", "planning_scenarios[1].shocks[0].month",
       "expected a whole number written in digits (int32), found the string \"6.0\""},
      {"\"month\": 6", "\"month\": \"six\"", "\"six\"", "planning_scenarios[1].shocks[0].month",
       "expected a number, found the string \"six\""},
      {"\"seed\": \"3\"", "\"seed\": -1", "-1", "simulation.seed",
       "the number -1 is out of range; expected a whole number in [0, 18446744073709551615] (uint64)"},
      {"\"holds_consent\": true", "\"holds_consent\": 1", "1", "actors[0].holds_consent",
       "expected true or false, found 1"},
      {"\"holds_consent\": true", "\"holds_consent\": tru", "tru", "actors[0].holds_consent",
       "\"tru\" is not a JSON value"},
      {"\"name\": \"Tiny\"", "\"name\": 7", "7", "name", "expected a string in double quotes, found 7"},
      {"\"shocks\": [\n", "\"shocks\": {\"x\": [\n", "{", "planning_scenarios[1].shocks",
       "expected a list [ ... ] for repeated field shocks, found an object { ... }"},
      {"\"kind\": \"ACTOR_KIND_GOVERNMENT\"", "\"kind\": \"ACTOR_KIND_GOVERMENT\"", "\"ACTOR_KIND_GOVERMENT\"",
       "actors[0].kind", "unknown value \"ACTOR_KIND_GOVERMENT\" for ActorKind"},
      {"\"name\": \"Tiny\"", "\"name\": \"T\\qiny\"", "qiny", "name", "unknown escape '\\q'"},
      {"\"name\": \"Tiny\"", "\"name\": \"T\\ud800iny\"", "ud800", "name", "half of a surrogate pair"},
      {"\"name\": \"Tiny\"", "\"name\": \"T\xffiny\"", "\xffiny", "name", "not valid UTF-8"},
      {"\"name\": \"Tiny\"", "\"name\": \"Tiny\", \"name\": \"Tiny\"", "\"name\"", "name", "given twice"},
  };
  for (const Case& c : cases) {
    const std::string bad = replace(json, c.from, c.to);
    const auto d = problems(bad, Format::kJson);
    ASSERT_EQ(d.size(), 1u) << c.to;
    EXPECT_EQ(d[0].path, c.path) << c.to;
    EXPECT_NE(d[0].message.find(c.message), std::string::npos) << c.to << ": " << d[0].message;
    // At the value (the last occurrence of c.value in the replacement; for a duplicate, the second key).
    const Location want = location_of(bad, bad.find(c.to) + c.to.rfind(c.value));
    EXPECT_EQ(d[0].where.line, want.line) << c.to;
    EXPECT_EQ(d[0].where.column, want.column) << c.to;
  }
  // Values that are valid stay valid: whole numbers in any JSON form, 64-bit integers at their
  // limits, quoted numbers, the JSON name of a field and a character beyond U+FFFF as a pair.
  for (const auto& [from, to] : std::vector<std::pair<std::string, std::string>>{
           {"\"month\": 6", "\"month\": 6.0"},
           {"\"month\": 6", "\"month\": 6e0"},
           {"\"month\": 6", "\"month\": \"6\""},
           {"\"value\": 0.05", "\"value\": \"0.05\""},
           {"\"seed\": \"3\"", "\"seed\": \"18446744073709551615\""},
           {"\"seed\": \"3\"", "\"seed\": 18446744073709551615"},
           {"\"duration_months\": 3", "\"durationMonths\": 3"},
           {"\"name\": \"Tiny\"", "\"name\": \"T\\ud83d\\ude00iny \u00e9\""},
       }) {
    const auto d = problems(replace(json, from, to), Format::kJson);
    EXPECT_TRUE(d.empty()) << to << ": " << (d.empty() ? "" : format(d[0]));
  }
}

TEST(Files, MissingFileAndUnknownExtensionAreInputErrors) {
  EXPECT_THROW(load_scenario("/nonexistent/x.textproto"), InputError);
  EXPECT_THROW(load_scenario(source("README.md")), InputError);
  EXPECT_THROW(read_results(source("scenarios/carana.textproto")), InputError);
}

TEST(Files, ReadFileGivesTheFilesBytesWhateverTheirSize) {
  const auto dir = std::filesystem::temp_directory_path() / ("peacesim_read_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "f.bin").string();
  // Around the 64 KiB chunks it reads in, with every byte value (zeros included).
  for (std::size_t n : {std::size_t{0}, std::size_t{1}, std::size_t{65535}, std::size_t{65536}, std::size_t{65537},
                        std::size_t{3} << 20}) {
    std::string bytes(n, '\0');
    for (std::size_t k = 0; k < n; ++k) bytes[k] = static_cast<char>((k * 131 + n) % 256);
    std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
    EXPECT_EQ(read_file(path), bytes) << n << " bytes";
  }
  // A file larger than 256 MB is refused before it is read (a sparse one here: no disk used).
  std::filesystem::resize_file(path, (std::uintmax_t{256} << 20) + 1);
  try {
    read_file(path);
    ADD_FAILURE() << "a file of 256 MB and a byte was read";
  } catch (const InputError& e) {
    EXPECT_NE(format(e.diagnostics().front()).find("is larger than 256 MB"), std::string::npos)
        << format(e.diagnostics().front());
  }
  std::filesystem::remove_all(dir);
}

TEST(Files, WritesAtomicallyAndLeavesNothingOnFailure) {
  const auto dir = std::filesystem::temp_directory_path() / ("peacesim_atomic_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "out.pb").string();
  write_atomically(path, "first");
  write_atomically(path, "second");
  EXPECT_EQ(read_file(path), "second");
  EXPECT_THROW(write_atomically((dir / "missing" / "out.pb").string(), "x"), std::runtime_error);
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    (void)entry;
    ++files;
  }
  EXPECT_EQ(files, 1);  // no temporary files left behind
  std::filesystem::remove_all(dir);
}

TEST(Files, AResumableFileOutlivesItsWriterAndCarriesOnFromWhatWasKept) {
  const auto dir = std::filesystem::temp_directory_path() / ("peacesim_resumable_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "s.stream").string(), in_progress = in_progress_path(path);
  {
    AtomicFile f(path, AtomicFile::Resumable{});
    f.write("header");
    EXPECT_EQ(f.sync(), 6);
    f.write("+after the checkpoint");
  }  // as if killed: the file in progress stays, the final one is not written
  EXPECT_FALSE(std::filesystem::exists(path));
  EXPECT_EQ(read_file(in_progress), "header+after the checkpoint");
  {
    AtomicFile f(path, AtomicFile::Resumable{6});  // cut back to the checkpoint's 6 bytes
    f.write("|rest");
    EXPECT_EQ(f.sync(), 11);
    f.commit();
  }
  EXPECT_EQ(read_file(path), "header|rest");
  EXPECT_FALSE(std::filesystem::exists(in_progress));
  // Fewer bytes than the checkpoint saved, or no file at all: an input error naming the file.
  write_atomically(in_progress, "abc");
  try {
    AtomicFile f(path, AtomicFile::Resumable{6});
    ADD_FAILURE() << "a file shorter than its checkpoint was carried on";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("holds 3 bytes, but the checkpoint saved it at 6"), std::string::npos)
        << e.what();
    EXPECT_NE(std::string(e.what()).find(in_progress), std::string::npos) << e.what();
  }
  std::filesystem::remove(in_progress);
  EXPECT_THROW(AtomicFile(path, AtomicFile::Resumable{0}), InputError);
  std::filesystem::remove_all(dir);
}

TEST(Sha256, MatchesTheFips180Examples) {
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(Csv, NumbersArePlainDecimalsThatRoundTrip) {
  EXPECT_EQ(csv_number(100), "100");
  EXPECT_EQ(csv_number(0), "0");
  EXPECT_EQ(csv_number(1), "1");
  EXPECT_EQ(csv_number(0.1), "0.1");
  EXPECT_EQ(csv_number(0.08), "0.08");
  EXPECT_EQ(csv_number(-12.5), "-12.5");
  EXPECT_EQ(csv_number(1e-7), "0.0000001");
  EXPECT_EQ(csv_number(2.5e9), "2500000000");
  EXPECT_EQ(csv_number(2054123456.5), "2054123456.5");
  EXPECT_EQ(csv_number(1e23), "100000000000000000000000");
  EXPECT_EQ(csv_number(1.0 / 3), "0.3333333333333333");
  EXPECT_EQ(csv_number(std::nan("")), "nan");
  EXPECT_EQ(csv_number(-std::numeric_limits<double>::infinity()), "-inf");
  for (double x : {0.1 + 0.2, 123456.789e3, 6.02214076e23, 1.602176634e-19, 5e-324, 0.3, 1e22, 9007199254740993.0,
                   std::numeric_limits<double>::max(), -std::numeric_limits<double>::min()}) {
    const std::string s = csv_number(x);
    EXPECT_EQ(s.find_first_of("eE"), std::string::npos) << s;
    EXPECT_EQ(std::strtod(s.c_str(), nullptr), x) << s;
  }
}

}  // namespace
}  // namespace peacesim::io
