// Parts of a run: shards merged, checkpoints resumed and partial files read back give the same
// bytes as one uninterrupted run, and a part that cannot be of the run is refused in words.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "engine/compile.h"
#include "engine/io/diagnostics.h"
#include "engine/io/load.h"
#include "engine/io/partial_io.h"
#include "engine/io/results_io.h"
#include "engine/io/validate.h"
#include "engine/pipeline.h"
#include "engine/runner.h"
#include "tests/unit/scenarios.h"

namespace peacesim {
namespace {

RunRequest request(std::int64_t runs, int threads = 2) {
  RunRequest q;
  q.runs = runs;
  q.threads = threads;
  q.seed = 5;
  q.horizon = 24;
  q.sample = 300;
  return q;
}

// A part's bytes as merge reads them: parsed, checked.
v1::RunPartial through_bytes(const std::string& part) { return io::parse_partial(part, "part.pb"); }

std::string merged_bytes(const v1::Scenario& s, std::int64_t runs, int shards, int threads = 2) {
  std::vector<v1::RunPartial> parts;
  for (int k = shards; k >= 1; --k) {  // in reverse: merge takes them in any order
    RunRequest q = request(runs, threads);
    q.shard = k;
    q.shards = shards;
    parts.push_back(through_bytes(run_part(s, q)));
  }
  return io::deterministic_bytes(merge_parts(parts));
}

TEST(Parts, ShardsMergeToTheBytesOfOneRunForAnySplit) {
  const v1::Scenario s = tiny();
  // 2,900 realisations: 12 blocks, the last partial; the sample spans the first two blocks.
  const std::string whole = io::deterministic_bytes(run_scenario(s, request(2900)));
  for (int shards : {1, 2, 3, 5, 7, 12})
    EXPECT_EQ(whole, merged_bytes(s, 2900, shards, shards % 2 + 1)) << shards << " shards";
  // More shards than blocks: some shards are empty, and still merge.
  EXPECT_EQ(whole, merged_bytes(s, 2900, 15));
}

// partial_bytes writes the state itself, beside protobuf's serialisation of the rest: its bytes
// must be those protobuf writes for the whole message, for every kind of field value (zeros, which
// protobuf leaves out, varints of every length, empty and non-empty repeated fields, a stream's
// length or none).
TEST(Parts, APartsBytesAreThoseOfItsWholeMessage) {
  const v1::Scenario s = tiny();
  io::PartSettings settings;
  settings.runs = 70000;
  settings.horizon = 24;
  settings.seed = 9;
  settings.sample = 3;
  settings.shard = 2;
  settings.shards = 3;
  RunState full;
  full.first_block = 91;
  full.end_block = 183;
  full.nodes = {{0, 0, {}},
                {0, 91, {1.5, -0.0, 1e300}},
                {5, 3, {std::numeric_limits<double>::denorm_min()}},
                {40, (std::int64_t{1} << 40) + 1, std::vector<double>(300, 0.25)}};
  full.counts = {0, 1, 127, 128, 16383, 16384, std::uint64_t{1} << 35, std::numeric_limits<std::uint64_t>::max()};
  full.sample_values = {0.5, 2, 3};
  full.sample_scores = {0.25};
  full.sample_relapse = {1, 0, 1};
  RunState nothing;  // no nodes, counts or sample: only the header
  for (const RunState* state : {&full, &nothing})
    for (const std::int64_t streamed : {std::int64_t{0}, std::int64_t{1}, std::int64_t{1} << 40}) {
      const std::string bytes = io::partial_bytes(s, settings, *state, streamed);
      v1::RunPartial parsed;
      ASSERT_TRUE(parsed.ParseFromString(bytes));
      EXPECT_EQ(io::deterministic_bytes(parsed), bytes) << state->nodes.size() << " nodes, stream " << streamed;
      EXPECT_EQ(parsed.stream_bytes(), streamed);
      EXPECT_EQ(parsed.scenario_sha256(), io::scenario_fingerprint(s));
      EXPECT_TRUE(io::settings_of(parsed).same_run(settings));
      EXPECT_EQ(io::settings_of(parsed).shard, settings.shard);
      const RunState back = io::state_of(parsed);
      EXPECT_EQ(back.first_block, state->first_block);
      EXPECT_EQ(back.end_block, state->end_block);
      ASSERT_EQ(back.nodes.size(), state->nodes.size());
      for (std::size_t n = 0; n < back.nodes.size(); ++n) {
        EXPECT_EQ(back.nodes[n].level, state->nodes[n].level);
        EXPECT_EQ(back.nodes[n].index, state->nodes[n].index);
        EXPECT_EQ(back.nodes[n].values, state->nodes[n].values);
      }
      EXPECT_EQ(back.counts, state->counts);
      EXPECT_EQ(back.sample_values, state->sample_values);
      EXPECT_EQ(back.sample_scores, state->sample_scores);
      EXPECT_EQ(back.sample_relapse, state->sample_relapse);
    }
}

TEST(Parts, BlockSumsFormOneTreeWhateverTheSplit) {
  // Three blocks split 1 + 2 and 2 + 1: the parts hold different nodes, and merge to the same.
  const Model m = compile(tiny());
  RunSettings settings;
  settings.runs = 3 * kBlockSize;
  settings.horizon = 12;
  settings.threads = 1;
  const RunState whole = run_blocks(m, settings);
  ASSERT_EQ(whole.nodes.size(), 2u);  // blocks [0, 2) and [2, 3)
  EXPECT_EQ(whole.nodes[0].level, 1);
  for (std::int64_t cut : {1, 2}) {
    RunSettings a = settings, b = settings;
    a.end_block = cut;
    b.first_block = cut;
    StateMerger merger(m, settings);
    merger.add(run_blocks(m, a));
    merger.add(run_blocks(m, b));
    const RunState merged = std::move(merger).finish();
    ASSERT_EQ(merged.nodes.size(), whole.nodes.size());
    for (std::size_t k = 0; k < whole.nodes.size(); ++k) {
      EXPECT_EQ(merged.nodes[k].level, whole.nodes[k].level);
      EXPECT_EQ(merged.nodes[k].values, whole.nodes[k].values) << "cut " << cut << ", node " << k;
    }
    EXPECT_EQ(merged.counts, whole.counts);
  }
  // States that do not follow each other are refused, naming the block.
  RunSettings a = settings, c = settings;
  a.end_block = 1;
  c.first_block = 2;
  const RunState first = run_blocks(m, a);
  for (const auto& [next, why] :
       {std::pair{first, std::string("the parts overlap at block 0")},
        std::pair{run_blocks(m, c), std::string("the parts leave a gap at block 1 (realisation 256)")}}) {
    StateMerger merger(m, settings);
    merger.add(first);
    try {
      merger.add(next);
      ADD_FAILURE() << why;
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find(why), std::string::npos) << e.what();
    }
  }
}

TEST(Parts, AResumedRunGivesTheBytesOfAnUninterruptedOne) {
  const v1::Scenario s = tiny();
  const std::string whole = io::deterministic_bytes(run_scenario(s, request(6000)));
  // Keep every checkpoint; resume from the first, a middle one and the last.
  std::vector<v1::RunPartial> saved;
  RunRequest q = request(6000, 1);
  q.checkpoint_due = [] { return true; };
  q.checkpoint = [&](const std::string& p) { saved.push_back(through_bytes(p)); };
  EXPECT_EQ(whole, io::deterministic_bytes(run_scenario(s, q)));
  ASSERT_GE(saved.size(), 3u);
  for (std::size_t k : {std::size_t{0}, saved.size() / 2, saved.size() - 1}) {
    EXPECT_LT(saved[k].end_block(), block_count(6000));
    RunRequest again = request(6000, 2);
    again.resume = &saved[k];
    EXPECT_EQ(whole, io::deterministic_bytes(run_scenario(s, again))) << "resumed from checkpoint " << k;
  }
}

TEST(Parts, EveryYesOfCheckpointDueGivesACheckpoint) {
  const v1::Scenario s = tiny();
  for (int threads : {1, 2}) {
    int asked = 0, yes = 0, written = 0;
    RunRequest q = request(6000, threads);
    q.checkpoint_due = [&] {  // yes every third time it is asked
      const bool due = ++asked % 3 == 0;
      yes += due ? 1 : 0;
      return due;
    };
    q.checkpoint = [&](const std::string&) { ++written; };
    run_scenario(s, q);
    EXPECT_GT(yes, 1) << threads << " threads";
    EXPECT_EQ(written, yes) << threads << " threads";
  }
}

TEST(Parts, AShardResumesFromItsCheckpoint) {
  const v1::Scenario s = tiny();
  RunRequest q = request(6000);
  q.shard = 2;
  q.shards = 2;
  const std::string part = run_part(s, q);
  std::vector<v1::RunPartial> saved;
  q.checkpoint_due = [] { return true; };
  q.checkpoint = [&](const std::string& p) { saved.push_back(through_bytes(p)); };
  run_part(s, q);
  ASSERT_FALSE(saved.empty());
  EXPECT_EQ(saved.front().first_block(), shard_blocks(6000, 1, 2).first);
  RunRequest again = request(6000);
  again.shard = 2;
  again.shards = 2;
  again.resume = &saved.front();
  EXPECT_EQ(part, run_part(s, again));
}

TEST(Parts, APartNamesTheRequestOfItsRun) {
  const v1::Scenario s = tiny();
  RunRequest q = request(6000);
  q.horizon = 9;
  q.seed = 77;
  q.hurwicz_alpha = 0.3;
  q.sample = 40;
  q.shard = 3;
  q.shards = 4;
  const v1::RunPartial part = through_bytes(run_part(s, q));
  const RunRequest r = request_of(part);
  EXPECT_EQ(r.runs, q.runs);
  EXPECT_EQ(r.horizon, q.horizon);
  EXPECT_EQ(r.seed, q.seed);
  EXPECT_EQ(r.hurwicz_alpha, q.hurwicz_alpha);
  EXPECT_EQ(r.sample, q.sample);
  EXPECT_EQ(r.until_settled, q.until_settled);
  EXPECT_EQ(r.shard, q.shard);
  EXPECT_EQ(r.shards, q.shards);
  EXPECT_EQ(r.resume, nullptr);
  // Carried on with it, the part's run is the one it was cut from.
  RunRequest again = request_of(part);
  again.resume = &part;
  EXPECT_EQ(io::deterministic_bytes(part), run_part(s, again));
}

TEST(Parts, UntilSettledResumesToTheSameStop) {
  // Two identical options never settle: the run goes to its cap, checking after each 2,048
  // realisations.
  v1::Scenario s = tiny();
  s.mutable_options()->DeleteSubrange(1, s.options_size() - 1);
  v1::Option* twin = s.add_options();
  *twin = s.options(0);
  twin->set_id("twin");
  s.mutable_simulation()->set_baseline_option(s.options(0).id());
  RunRequest q = request(6000);
  q.until_settled = true;
  const v1::Results whole = run_scenario(s, q);
  EXPECT_FALSE(whole.settling().settled());
  EXPECT_EQ(whole.settling().realisations(), 6000);
  std::vector<v1::RunPartial> saved;
  q.checkpoint_due = [] { return true; };
  q.checkpoint = [&](const std::string& p) { saved.push_back(through_bytes(p)); };
  run_scenario(s, q);
  // A checkpoint after every block but the last (checkpoint_due always says yes), the rules still
  // checked every kSettleCheckBlocks: carrying on from one inside a stretch or at its end stops at
  // the same place.
  ASSERT_EQ(saved.size(), static_cast<std::size_t>(block_count(6000) - 1));
  for (std::size_t k : {std::size_t{2}, std::size_t{kSettleCheckBlocks - 1}, saved.size() - 1}) {
    RunRequest again = request(6000);
    again.until_settled = true;
    again.resume = &saved[k];
    EXPECT_EQ(io::deterministic_bytes(whole), io::deterministic_bytes(run_scenario(s, again))) << k;
  }
}

std::vector<v1::RunPartial> three_shards(const v1::Scenario& s, std::int64_t runs = 2900) {
  std::vector<v1::RunPartial> parts;
  for (int k = 1; k <= 3; ++k) {
    RunRequest q = request(runs, 1);
    q.shard = k;
    q.shards = 3;
    parts.push_back(through_bytes(run_part(s, q)));
  }
  return parts;
}

std::string merge_error(const std::vector<v1::RunPartial>& parts) {
  try {
    merge_parts(parts);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}

TEST(Parts, MergeNamesMissingRepeatedAndForeignShards) {
  const v1::Scenario s = tiny();
  std::vector<v1::RunPartial> parts = three_shards(s);
  EXPECT_EQ(merge_error({parts[0], parts[2]}), "shard(s) 2 of 3 are missing");
  {  // a long list is cut short
    RunRequest q = request(2900, 1);
    q.shards = 30;
    EXPECT_EQ(merge_error({through_bytes(run_part(s, q))}),
              "shard(s) 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, ... (29 in all) of 30 "
              "are missing");
  }
  // Each message names the part (its file; here "part K", merge_parts' name for the K-th).
  EXPECT_EQ(merge_error({parts[0], parts[1], parts[1], parts[2]}),
            "part 3: shard 2/3 is given twice (part 2 is it too)");
  RunRequest other = request(2900);
  other.seed = 6;
  other.shard = 2;
  other.shards = 3;
  EXPECT_NE(
      merge_error({parts[0], through_bytes(run_part(s, other)), parts[2]}).find("part 2: shard 2/3 is of another run"),
      std::string::npos);
  other = request(2900, 1);
  other.shard = 5;
  other.shards = 5;
  EXPECT_NE(merge_error({parts[0], parts[1], through_bytes(run_part(s, other))}).find("shard 5/5 is of another run"),
            std::string::npos);
  v1::Scenario renamed = s;
  renamed.set_name("another");
  RunRequest q = request(2900);
  q.shard = 3;
  q.shards = 3;
  EXPECT_NE(merge_error({parts[0], parts[1], through_bytes(run_part(renamed, q))}).find("ran another scenario"),
            std::string::npos);
  // A checkpoint is not a finished shard (8 blocks: two waves of 4 on one thread).
  parts = three_shards(s, 6000);
  q = request(6000, 1);
  q.shard = 3;
  q.shards = 3;
  std::vector<v1::RunPartial> saved;
  q.checkpoint_due = [] { return true; };
  q.checkpoint = [&](const std::string& p) { saved.push_back(through_bytes(p)); };
  run_part(s, q);
  ASSERT_FALSE(saved.empty());
  EXPECT_NE(merge_error({parts[0], parts[1], saved.front()}).find("shard 3/3 is unfinished"), std::string::npos);
}

TEST(Parts, MergeReadsOnePartAtATimeFirstAllThenInShardOrder) {
  const v1::Scenario s = tiny();
  std::vector<std::string> bytes;
  for (int k : {3, 1, 2}) {
    RunRequest q = request(2900, 1);
    q.shard = k;
    q.shards = 3;
    bytes.push_back(run_part(s, q));
  }
  std::vector<std::size_t> reads;
  const PartSource source{bytes.size(),
                          [&](std::size_t i) {
                            reads.push_back(i);
                            return bytes[i];
                          },
                          [](std::size_t i) { return "part " + std::to_string(i); }};
  const PartsMerge merge(source);
  EXPECT_EQ(reads, (std::vector<std::size_t>{0, 1, 2}));  // each once, to check they are the shards of one run
  EXPECT_EQ(merge.scenario().name(), s.name());
  const std::string merged = io::deterministic_bytes(merge.results());
  EXPECT_EQ(reads, (std::vector<std::size_t>{0, 1, 2, 1, 2, 0}));  // again, in shard order, to add them up
  EXPECT_EQ(merged, io::deterministic_bytes(run_scenario(s, request(2900))));
}

TEST(Parts, ShardsAddedInOrderGiveTheBytesOfOneRunAndTheNextShardOnly) {
  // As rank 0 of an MPI launch merges the parts its ranks send in turn.
  const v1::Scenario s = tiny();
  std::vector<std::string> bytes;
  for (const v1::RunPartial& part : three_shards(s)) bytes.push_back(io::deterministic_bytes(part));
  // Of the run of the first part's header, as rank 0 takes it from its own part.
  auto of_run = [&] {
    const v1::RunPartial header = io::parse_part_header(bytes[0], "the part of rank 0");
    return ShardsInOrder(header.scenario(), header.scenario_sha256(), io::settings_of(header));
  };
  ShardsInOrder in_order = of_run();
  for (std::size_t k = 0; k < bytes.size(); ++k) in_order.add(bytes[k], "the part of rank " + std::to_string(k));
  EXPECT_EQ(io::deterministic_bytes(std::move(in_order).results()),
            io::deterministic_bytes(run_scenario(s, request(2900))));

  auto refusal = [&](const std::vector<std::size_t>& order) -> std::string {
    ShardsInOrder parts = of_run();
    try {
      for (std::size_t k : order) parts.add(bytes[k], "the part of rank " + std::to_string(k));
      std::move(parts).results();
    } catch (const std::invalid_argument& e) {
      return e.what();
    }
    return "";
  };
  EXPECT_EQ(refusal({1, 0, 2}),
            "the part of rank 1 is shard 2/3 where shard 1/3 comes next: it changed while the "
            "parts were merged");
  EXPECT_EQ(refusal({0, 2}),
            "the part of rank 2 is shard 3/3 where shard 2/3 comes next: it changed while the "
            "parts were merged");
  EXPECT_EQ(refusal({0, 1}), "shards 3/3 onward are missing");
  EXPECT_EQ(refusal({}), "shards 1/3 onward are missing");
  RunRequest other = request(2900, 1);
  other.seed = 6;
  other.shard = 2;
  other.shards = 3;
  ShardsInOrder mixed = of_run();
  mixed.add(bytes[0], "the part of rank 0");
  try {
    mixed.add(run_part(s, other), "the part of rank 1");
    ADD_FAILURE() << "a part of another run was added";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("shard 2/3 is of another run"), std::string::npos) << e.what();
  }
  try {
    of_run().add("not a part", "the part of rank 0");
    ADD_FAILURE() << "junk was added";
  } catch (const io::InputError& e) {
    EXPECT_NE(io::format(e.diagnostics().front()).find("the part of rank 0: error: not a peacesim partial run"),
              std::string::npos)
        << io::format(e.diagnostics().front());
  }
}

TEST(Parts, APartChangedBetweenTheReadingsIsRefused) {
  const v1::Scenario s = tiny();
  std::vector<std::string> bytes;
  for (const v1::RunPartial& part : three_shards(s)) bytes.push_back(io::deterministic_bytes(part));
  RunRequest other = request(2900, 1);
  other.seed = 6;
  other.shard = 2;
  other.shards = 3;
  // The second reading of shard 2's file finds shard 3, or shard 2 of another run.
  for (const auto& [changed, why] :
       {std::pair{
            bytes[2],
            std::string("part 1 is shard 3/3 where shard 2/3 comes next: it changed while the parts were merged")},
        std::pair{run_part(s, other), std::string("shard 2/3 is of another run")}}) {
    const std::string& later = changed;  // a lambda may not capture a structured binding (C++20)
    int reads_of_2 = 0;
    const PartSource source{bytes.size(), [&](std::size_t i) { return i == 1 && ++reads_of_2 > 1 ? later : bytes[i]; },
                            [](std::size_t i) { return "part " + std::to_string(i); }};
    try {
      PartsMerge(source).results();
      ADD_FAILURE() << "a part that changed was merged";
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find(why), std::string::npos) << e.what();
    }
  }
  // A part whose settings are those of its shard but whose state is not: found at the second reading,
  // where every part is checked whole.
  v1::RunPartial cut;
  cut.ParseFromString(bytes[1]);
  cut.mutable_counts()->RemoveLast();
  const std::vector<std::string> with_cut{bytes[0], io::deterministic_bytes(cut), bytes[2]};
  const PartSource cut_source{3, [&](std::size_t i) { return with_cut[i]; },
                              [](std::size_t i) { return "part-" + std::to_string(i + 1) + ".pb"; }};
  const PartsMerge merge(cut_source);  // the settings are right
  try {
    merge.results();
    ADD_FAILURE() << "a part with a cut state was merged";
  } catch (const io::InputError& e) {
    EXPECT_NE(io::format(e.diagnostics().front()).find("part-2.pb: error: the part's state cannot be of this run"),
              std::string::npos)
        << io::format(e.diagnostics().front());
  }
  // A part that is no part at all is named by its name, at the first reading.
  const PartSource garbage{1, [](std::size_t) { return std::string("not a part"); },
                           [](std::size_t) { return std::string("junk.pb"); }};
  try {
    PartsMerge{garbage};
    ADD_FAILURE() << "junk was taken for a part";
  } catch (const io::InputError& e) {
    EXPECT_NE(io::format(e.diagnostics().front()).find("junk.pb: error: not a peacesim partial run"), std::string::npos)
        << io::format(e.diagnostics().front());
  }
}

TEST(Parts, AResumeFromAnotherRunIsRefused) {
  const v1::Scenario s = tiny();
  std::vector<v1::RunPartial> saved;
  RunRequest q = request(6000);
  q.checkpoint_due = [] { return true; };
  q.checkpoint = [&](const std::string& p) { saved.push_back(through_bytes(p)); };
  run_scenario(s, q);
  ASSERT_FALSE(saved.empty());
  RunRequest other = request(6000);
  other.horizon = 25;
  other.resume = &saved.front();
  try {
    run_scenario(s, other);
    ADD_FAILURE() << "a checkpoint of another horizon was taken";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("the checkpoint is of another run"), std::string::npos) << e.what();
  }
}

// The message parse_partial gives for `part` (empty when it is accepted).
std::string parse_error(const v1::RunPartial& part) {
  try {
    io::parse_partial(io::deterministic_bytes(part), "p.pb");
  } catch (const io::InputError& e) {
    return io::format(e.diagnostics().front());
  }
  return "";
}

TEST(Parts, TheHeaderIsReadWithoutTheStateInAnyFieldOrder) {
  const v1::RunPartial good = three_shards(tiny())[1];
  const std::string bytes = io::deterministic_bytes(good);
  v1::RunPartial settings_only = good;  // the part without its state
  settings_only.clear_nodes();
  settings_only.clear_counts();
  settings_only.clear_sample_values();
  settings_only.clear_sample_scores();
  settings_only.clear_sample_relapse();
  ASSERT_GT(good.counts_size(), 0);
  EXPECT_EQ(io::deterministic_bytes(io::parse_part_header(bytes, "p.pb")), io::deterministic_bytes(settings_only));
  // The settings after the state (another writer's order): a message's fields may come in any order.
  v1::RunPartial state_only = good;
  state_only.clear_engine_version();
  state_only.clear_scenario_sha256();
  state_only.clear_scenario();
  state_only.clear_runs();
  state_only.clear_horizon_months();
  state_only.clear_seed();
  state_only.clear_sample();
  state_only.clear_shard();
  state_only.clear_shards();
  state_only.clear_first_block();
  state_only.clear_end_block();
  const std::string reordered = io::deterministic_bytes(state_only) + io::deterministic_bytes(settings_only);
  EXPECT_EQ(io::deterministic_bytes(io::parse_part_header(reordered, "p.pb")), io::deterministic_bytes(settings_only));
  EXPECT_EQ(io::deterministic_bytes(io::parse_partial(reordered, "p.pb")), bytes);
  // Bytes cut inside the state are no message, though the settings before them are whole.
  for (const std::size_t cut : {bytes.size() - 1, bytes.size() / 2}) {
    try {
      io::parse_part_header(std::string_view(bytes).substr(0, cut), "p.pb");
      ADD_FAILURE() << "a part cut at byte " << cut << " of " << bytes.size() << " was read";
    } catch (const io::InputError& e) {
      EXPECT_NE(io::format(e.diagnostics().front()).find("p.pb: error: not a peacesim partial run"), std::string::npos)
          << io::format(e.diagnostics().front());
    }
  }
}

TEST(Parts, ACraftedPartIsRefusedWithItsFieldNamed) {
  const v1::Scenario s = tiny();
  const v1::RunPartial good = three_shards(s)[1];
  EXPECT_EQ(parse_error(good), "");

  v1::RunPartial p = good;
  p.set_engine_version("0.0.1");
  EXPECT_NE(parse_error(p).find("p.pb: error: engine_version: was written by peacesim 0.0.1"), std::string::npos);
  p = good;
  p.mutable_scenario()->set_name("altered");
  EXPECT_NE(parse_error(p).find("scenario_sha256: does not match the scenario stored"), std::string::npos);
  p = good;
  p.mutable_scenario()->mutable_drivers(0)->set_id("no spaces");
  EXPECT_NE(parse_error(p).find("p.pb: error: scenario.drivers[0].id:"), std::string::npos) << parse_error(p);
  p = good;
  p.set_shard(4);
  EXPECT_NE(parse_error(p).find("shard: is 4 of 3"), std::string::npos);
  p = good;
  p.set_first_block(0);
  EXPECT_NE(parse_error(p).find("first_block: is 0, but shard 2/3 starts at block 4"), std::string::npos);
  p = good;
  p.mutable_counts()->Set(0, 1u << 30);
  EXPECT_NE(parse_error(p).find("a count is 1073741824, more than its 1024 realisations"), std::string::npos);
  p = good;
  p.mutable_counts()->RemoveLast();
  EXPECT_NE(parse_error(p).find("counts, but this run needs"), std::string::npos);
  p = good;
  p.mutable_nodes(0)->set_level(1);
  EXPECT_NE(parse_error(p).find("do not tile blocks [4, 8)"), std::string::npos);
  p = good;
  p.mutable_nodes(0)->set_level(63);
  EXPECT_NE(parse_error(p).find("out of range (level 63"), std::string::npos);
  p = good;
  p.mutable_nodes(0)->mutable_values()->Set(0, 1e300);  // the first count of the block sums
  EXPECT_NE(parse_error(p).find("must be a whole number in [0, 1024]"), std::string::npos);
  p = good;
  for (int k = 0; k < p.nodes(0).values_size(); ++k)  // the first sum that is no count
    if (p.nodes(0).values(k) != std::floor(p.nodes(0).values(k))) {
      p.mutable_nodes(0)->set_values(k, std::nan(""));
      break;
    }
  EXPECT_NE(parse_error(p).find("a value of the block sums is not a number"), std::string::npos);
  // The first option's overall score: its count, mean, spread, least and greatest (values 0-4).
  for (const double mean : {std::numeric_limits<double>::infinity(), 5.0, -1.0}) {
    p = good;
    p.mutable_nodes(0)->set_values(1, mean);
    EXPECT_NE(parse_error(p).find("its sums are inconsistent: the moments of option 1's score (mean, spread"),
              std::string::npos)
        << mean << ": " << parse_error(p);
  }
  p = good;
  p.mutable_nodes(0)->set_values(2, -1);  // a negative sum of squared deviations
  EXPECT_NE(parse_error(p).find("the moments of option 1's score (mean"), std::string::npos);
  p = good;
  p.mutable_nodes(0)->set_values(0, p.nodes(0).values(0) - 1);
  EXPECT_NE(parse_error(p).find("its sums do not add up: the moments of option 1's score count 1023 futures, but its "
                                "blocks cover 1024"),
            std::string::npos)
      << parse_error(p);
  p = good;
  for (int k = p.counts_size() - 1; k >= 0; --k)  // a future taken off the last count that has one
    if (p.counts(k) > 0) {
      p.set_counts(k, p.counts(k) - 1);
      break;
    }
  EXPECT_NE(parse_error(p).find("its counts do not add up: option 3's fan chart of indicator 10"), std::string::npos)
      << parse_error(p);
  p = good;
  p.mutable_nodes(0)->mutable_values()->RemoveLast();
  EXPECT_NE(parse_error(p).find("values, but this run needs"), std::string::npos);
  // A sum besides the moments (the last: of the weight draws) that no finite values give.
  for (const double sum : {std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity()}) {
    p = good;
    p.mutable_nodes(0)->set_values(p.nodes(0).values_size() - 1, sum);
    EXPECT_NE(parse_error(p).find("p.pb: error: the part's state cannot be of this run: its sums are inconsistent: "
                                  "a sum of the fan charts, the bootstrap, the shares of best or the weights' draws "
                                  "is not a finite number"),
              std::string::npos)
        << parse_error(p);
  }
  // Sample rows no run writes (the first shard holds the sample's rows).
  const v1::RunPartial sampled = three_shards(s)[0];
  ASSERT_GT(sampled.sample_scores_size(), 0);
  EXPECT_EQ(parse_error(sampled), "");
  p = sampled;
  p.set_sample_values(0, std::nan(""));
  EXPECT_NE(parse_error(p).find("a value of its sample is not a finite number"), std::string::npos) << parse_error(p);
  for (const double score : {std::nan(""), 1.5, -0.25}) {
    p = sampled;
    p.set_sample_scores(0, score);
    EXPECT_NE(parse_error(p).find("a score of its sample is not a number in [0, 1]"), std::string::npos)
        << score << ": " << parse_error(p);
  }
  p = good;
  p.add_sample_relapse(true);
  EXPECT_NE(parse_error(p).find("its sample does not hold the"), std::string::npos);
  p = good;
  p.set_runs(0);
  EXPECT_NE(parse_error(p).find("runs: is 0"), std::string::npos);
  p = good;
  p.set_stream_bytes(-5);
  EXPECT_NE(parse_error(p).find("stream_bytes: is -5; expected 0 or more"), std::string::npos);
  // Bytes that are no part at all.
  try {
    io::parse_partial("\xff\xff\xff", "x.pb");
    ADD_FAILURE() << "accepted";
  } catch (const io::InputError& e) {
    EXPECT_NE(io::format(e.diagnostics().front()).find("not a peacesim partial run"), std::string::npos);
  }
}

}  // namespace
}  // namespace peacesim
