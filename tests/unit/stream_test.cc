// The per-future stream: the same bytes for any thread count, a shard's stream is its share of the
// whole run's records, its futures are the run's (the sample rows agree), and a damaged stream is
// refused naming the record and the field; a stream written beside checkpoints carries on with them.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <string>
#include <utility>
#include <vector>

#include "engine/io/diagnostics.h"
#include "engine/io/load.h"
#include "engine/io/partial_io.h"
#include "engine/io/stream_io.h"
#include "engine/io/validate.h"
#include "engine/pipeline.h"
#include "tests/unit/scenarios.h"

namespace peacesim {
namespace {

// A file of this process's own: ctest runs each test as a process, two at a time.
std::string temp(const std::string& name) {
  return (std::filesystem::temp_directory_path() / ("peacesim_stream_test_" + std::to_string(::getpid()) + "_" + name))
      .string();
}

std::string bytes_of(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

// Streams the run (or a shard) to `path`; returns the results (or an empty message for a shard).
v1::Results stream_run(const std::string& path, int threads, int shard = 1, int shards = 1, std::int64_t sample = 0) {
  RunRequest q;
  q.runs = 1300;
  q.horizon = 12;
  q.seed = 4;
  q.threads = threads;
  q.sample = sample;
  q.stream = path;
  q.shard = shard;
  q.shards = shards;
  if (shards > 1) {
    run_part(tiny(), q);
    return {};
  }
  return run_scenario(tiny(), q);
}

// The record framed at `at`: where its bytes start, and how many there are.
std::pair<std::size_t, std::size_t> frame(const std::string& bytes, std::size_t at) {
  std::size_t size = 0;
  for (int shift = 0;; shift += 7) {
    const auto c = static_cast<unsigned char>(bytes[at++]);
    size |= static_cast<std::size_t>(c & 0x7f) << shift;
    if (!(c & 0x80)) break;
  }
  return {at, size};
}

// The bytes after the header record.
std::string records_of(const std::string& bytes) {
  const auto [start, size] = frame(bytes, 0);
  return bytes.substr(start + size);
}

TEST(Stream, TheSameBytesForAnyThreadCountAndShardsJoinToTheWholeRun) {
  stream_run(temp("1"), 1);
  stream_run(temp("2"), 2);
  const std::string whole = bytes_of(temp("1"));
  EXPECT_EQ(whole, bytes_of(temp("2")));
  std::string joined;
  for (int k = 1; k <= 3; ++k) {
    stream_run(temp("s" + std::to_string(k)), 2, k, 3);
    joined += records_of(bytes_of(temp("s" + std::to_string(k))));
  }
  EXPECT_EQ(records_of(whole), joined);
}

TEST(Stream, ItsFuturesAreTheRunsAsTheSampleKeepsThem) {
  const v1::Results r = stream_run(temp("w"), 2, 1, 1, 1300);
  const v1::Results s = io::read_stream_as_sample(temp("w"), 100000);
  EXPECT_EQ(s.sample().rows(), 1300);
  EXPECT_EQ(std::vector<double>(s.sample().values().begin(), s.sample().values().end()),
            std::vector<double>(r.sample().values().begin(), r.sample().values().end()));
  EXPECT_EQ(std::vector<double>(s.sample().scores().begin(), s.sample().scores().end()),
            std::vector<double>(r.sample().scores().begin(), r.sample().scores().end()));
  EXPECT_EQ(std::vector<bool>(s.sample().relapse().begin(), s.sample().relapse().end()),
            std::vector<bool>(r.sample().relapse().begin(), r.sample().relapse().end()));
  EXPECT_EQ(s.ranking(0), r.ranking(0));  // the leader by mean score
  // A smaller cap keeps the first futures.
  EXPECT_EQ(io::read_stream_as_sample(temp("w"), 10).sample().rows(), 10);
}

// `message` framed as the stream frames a record: its size as a varint, then its bytes.
std::string framed(const std::string& message) {
  std::string out;
  std::size_t n = message.size();
  while (n >= 0x80) {
    out.push_back(static_cast<char>((n & 0x7f) | 0x80));
    n >>= 7;
  }
  out.push_back(static_cast<char>(n));
  return out + message;
}

std::string read_error(const std::string& bytes) {
  const std::string path = temp("bad");
  std::ofstream(path, std::ios::binary) << bytes;
  try {
    io::read_stream_as_sample(path, 100000);
  } catch (const io::InputError& e) {
    return io::format(e.diagnostics().front());
  }
  return "";
}

TEST(Stream, ADamagedStreamIsRefusedNamingTheRecord) {
  stream_run(temp("d"), 2);
  const std::string good = bytes_of(temp("d"));
  EXPECT_EQ(read_error(good), "");
  EXPECT_NE(read_error(good.substr(0, good.size() - 5)).find("ends inside a record (a truncated stream)"),
            std::string::npos);
  EXPECT_NE(read_error("\x05hello").find("header: is not a peacesim stream"), std::string::npos);
  EXPECT_NE(read_error(std::string(12, '\xff')).find("not a varint"), std::string::npos);
  // A whole record left out: the next realisation is not the one expected.
  const std::pair<std::size_t, std::size_t> header = frame(good, 0);  // (start, size), captured below
  const std::size_t k = header.first, size = header.second;
  const std::size_t first_record = k + size;
  const auto [j, rsize] = frame(good, first_record);
  const std::string skipped = good.substr(0, first_record) + good.substr(j + rsize);
  EXPECT_NE(read_error(skipped).find("record 1.realisation: is realisation 1, but 0 comes next"), std::string::npos);
  // The header's scenario altered: its fingerprint no longer matches.
  const std::string tampered = [&] {
    v1::StreamHeader h;
    h.ParseFromString(good.substr(k, size));
    h.mutable_scenario()->set_name("other");
    return framed(h.SerializeAsString()) + good.substr(first_record);
  }();
  EXPECT_NE(read_error(tampered).find("header.scenario_sha256: does not match"), std::string::npos);
  // The header's scenario invalid: named at its field, before its fingerprint is looked at.
  const std::string invalid = [&] {
    v1::StreamHeader h;
    h.ParseFromString(good.substr(k, size));
    h.mutable_scenario()->mutable_drivers(0)->set_id("no spaces");
    return framed(h.SerializeAsString()) + good.substr(first_record);
  }();
  EXPECT_NE(read_error(invalid).find("header.scenario.drivers[0].id:"), std::string::npos) << read_error(invalid);
  // The header's options and planning scenarios are the stored scenario's, in its order.
  auto with_header = [&, k = k, size = size, first_record = first_record](auto&& edit) {
    v1::StreamHeader h;
    h.ParseFromString(good.substr(k, size));
    edit(h);
    return framed(h.SerializeAsString()) + good.substr(first_record);
  };
  EXPECT_NE(read_error(with_header([](v1::StreamHeader& h) {
              h.set_options(1, h.options(0));
            })).find("header.options: are not the options of the stored scenario, in its order"),
            std::string::npos);
  EXPECT_NE(read_error(with_header([](v1::StreamHeader& h) {
              h.add_planning_scenarios("more");
            })).find("header.planning_scenarios: are not the planning scenarios of the stored scenario"),
            std::string::npos);
  // A record that is no future is named by its number: the header is record 0, the first future 1.
  const auto [j0, rsize0] = frame(good, first_record);
  const std::string garbage = good.substr(0, first_record) + framed("\xff\xff") + good.substr(j0 + rsize0);
  EXPECT_NE(read_error(garbage).find("record 1: is not a peacesim.v1.FutureRecord"), std::string::npos)
      << read_error(garbage);
  // A future with fewer metrics than the header names.
  v1::FutureRecord f;
  ASSERT_TRUE(f.ParseFromString(good.substr(j0, rsize0)));
  f.mutable_options(1)->mutable_metrics()->RemoveLast();
  const std::string short_metrics =
      good.substr(0, first_record) + framed(f.SerializeAsString()) + good.substr(j0 + rsize0);
  EXPECT_NE(read_error(short_metrics).find("record 1.options[1].metrics: does not have one value per metric"),
            std::string::npos)
      << read_error(short_metrics);
  // A record length past 64 bits (nine bytes of 0x80, then 0x02: 2^64) is no length, not 0.
  const std::string wrapped = good.substr(0, first_record) + std::string(9, '\x80') + '\x02';
  EXPECT_NE(read_error(wrapped).find("record 1: has a record length that is not a varint"), std::string::npos)
      << read_error(wrapped);
}

TEST(Stream, AStreamCutInItsHeaderIsStillOneAndOneOfNoFuturesIsNothingToAnalyse) {
  stream_run(temp("h"), 1);
  const std::string good = bytes_of(temp("h"));
  const std::string cut = temp("cut");
  std::ofstream(cut, std::ios::binary) << good.substr(0, 100);
  EXPECT_TRUE(io::is_stream_file(cut));
  EXPECT_NE(read_error(good.substr(0, 100)).find("record 0: ends inside a record (a truncated stream)"),
            std::string::npos);
  std::ofstream(cut, std::ios::binary) << "scenario text";
  EXPECT_FALSE(io::is_stream_file(cut));
  // A shard of no blocks streams a header and no futures: nothing for discovery to analyse.
  const auto [k, size] = frame(good, 0);
  v1::StreamHeader h;
  ASSERT_TRUE(h.ParseFromString(good.substr(k, size)));
  h.set_realisations(0);
  EXPECT_NE(read_error(framed(h.SerializeAsString())).find("records: holds no futures"), std::string::npos);
}

TEST(Stream, AFutureWhoseInputsNoDrawCouldGiveIsRefused) {
  stream_run(temp("i"), 2);
  const std::string good = bytes_of(temp("i"));
  const auto [k, size] = frame(good, 0);
  v1::StreamHeader h;
  ASSERT_TRUE(h.ParseFromString(good.substr(k, size)));
  const std::size_t first_record = k + size;
  const auto [j, rsize] = frame(good, first_record);
  // The stream with input `column` of its first future set to `value`.
  auto with_input = [&, j = j, rsize = rsize](int column, double value) {
    v1::FutureRecord f;
    f.ParseFromString(good.substr(j, rsize));
    f.set_inputs(column, value);
    return good.substr(0, first_record) + framed(f.SerializeAsString()) + good.substr(j + rsize);
  };
  const auto names = h.inputs();
  const int scenario = static_cast<int>(std::find(names.begin(), names.end(), "planning_scenario") - names.begin());
  ASSERT_LT(scenario, h.inputs_size());
  ASSERT_EQ(h.planning_scenarios_size(), 2);
  EXPECT_NE(read_error(with_input(0, std::nan(""))).find("record 1.inputs[0]: is not a finite number"),
            std::string::npos);
  EXPECT_NE(read_error(with_input(0, HUGE_VAL)).find("is not a finite number"), std::string::npos);
  for (double bad : {2.0, -1.0, 0.5, std::nan("")})
    EXPECT_NE(read_error(with_input(scenario, bad)).find("record 1.inputs[" + std::to_string(scenario) + "]: is not"),
              std::string::npos)
        << bad;
  EXPECT_NE(read_error(with_input(scenario, 2)).find("is not one of the 2 categories of planning_scenario (0 to 1)"),
            std::string::npos);
  EXPECT_EQ(read_error(with_input(scenario, 1)), "");
}

TEST(Stream, AStreamWithCheckpointsCarriesOnToTheBytesOfAnUninterruptedOne) {
  const std::string whole = temp("whole"), path = temp("c"), in_progress = io::in_progress_path(path);
  RunRequest q;
  q.runs = 6000;  // 24 blocks: checkpoints between waves
  q.horizon = 12;
  q.seed = 4;
  q.threads = 1;
  q.stream = whole;
  run_scenario(tiny(), q);
  // A streamed run with checkpoints: each records the stream's length so far.
  std::vector<v1::RunPartial> saved;
  q.stream = path;
  q.checkpoint_due = [] { return true; };
  q.checkpoint = [&](const std::string& p) { saved.push_back(io::parse_partial(p, "checkpoint.pb")); };
  run_scenario(tiny(), q);
  EXPECT_EQ(bytes_of(path), bytes_of(whole));
  EXPECT_FALSE(std::filesystem::exists(in_progress));
  ASSERT_GE(saved.size(), 2u);
  EXPECT_GT(saved.back().stream_bytes(), saved.front().stream_bytes());
  // Carried on from each checkpoint, the stream as a kill leaves it: in progress, longer than the
  // checkpoint recorded; or (k = 1) killed after the stream was finished, under its final name.
  // The same bytes.
  for (std::size_t k = 0; k < saved.size(); ++k) {
    const v1::RunPartial& checkpoint = saved[k];
    if (k != 1) {
      std::filesystem::remove(path);
      std::ofstream(in_progress, std::ios::binary) << bytes_of(whole).substr(0, bytes_of(whole).size() - 100);
    }
    RunRequest again = q;
    again.threads = 2;
    again.resume = &checkpoint;
    // Carried on saving more checkpoints, or (a library caller) without.
    again.checkpoint = k == 0 ? std::function<void(const std::string&)>([](const std::string&) {}) : nullptr;
    run_scenario(tiny(), again);
    EXPECT_EQ(bytes_of(path), bytes_of(whole)) << "carried on from block " << checkpoint.end_block();
  }
  // Carried on without the stream it was saved with, or with one it was not: refused.
  RunRequest without = q;
  without.stream.clear();
  without.resume = &saved.front();
  EXPECT_THROW(run_scenario(tiny(), without), std::invalid_argument);
  v1::RunPartial unstreamed = saved.front();
  unstreamed.set_stream_bytes(0);
  RunRequest with = q;
  with.resume = &unstreamed;
  EXPECT_THROW(run_scenario(tiny(), with), std::invalid_argument);
  // A checkpoint whose stream length falls inside a record, or a record early or late: refused,
  // where it would have carried on into a stream no reader could read.
  for (std::int64_t off : {-10, 10, -1}) {
    std::filesystem::remove(path);
    std::ofstream(in_progress, std::ios::binary) << bytes_of(whole);
    v1::RunPartial moved = saved.front();
    moved.set_stream_bytes(moved.stream_bytes() + off);
    RunRequest from_moved = q;
    from_moved.resume = &moved;
    try {
      run_scenario(tiny(), from_moved);
      ADD_FAILURE() << "carried on from a stream length moved by " << off;
    } catch (const io::InputError& e) {
      EXPECT_NE(io::format(e.diagnostics().front()).find("not ending where the checkpoint says"), std::string::npos);
    }
  }
  for (const std::string& f : {whole, path, in_progress}) std::filesystem::remove(f);
}

}  // namespace
}  // namespace peacesim
