// Parts of a run at the edge; see partial_io.h.
#include "engine/io/partial_io.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <google/protobuf/wire_format_lite.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <tuple>
#include <vector>

#include "engine/compile.h"
#include "engine/io/diagnostics.h"
#include "engine/io/load.h"
#include "engine/io/results_io.h"
#include "engine/io/results_view.h"
#include "engine/io/validate.h"

namespace peacesim::io {

namespace {

using google::protobuf::internal::WireFormatLite;
using google::protobuf::io::CodedOutputStream;

std::size_t tag_size(int field, WireFormatLite::WireType type) {
  return CodedOutputStream::VarintSize32(WireFormatLite::MakeTag(field, type));
}
// A packed repeated field of `body` bytes (none when empty), tag and length included.
std::size_t packed_size(int field, std::size_t body) {
  if (body == 0) return 0;
  return tag_size(field, WireFormatLite::WIRETYPE_LENGTH_DELIMITED) +
         CodedOutputStream::VarintSize64(static_cast<std::uint64_t>(body)) + body;
}
void write_packed_head(int field, std::size_t body, CodedOutputStream& out) {
  WireFormatLite::WriteTag(field, WireFormatLite::WIRETYPE_LENGTH_DELIMITED, &out);
  out.WriteVarint64(static_cast<std::uint64_t>(body));
}
void write_packed(int field, const std::vector<double>& x, CodedOutputStream& out) {
  if (x.empty()) return;
  write_packed_head(field, 8 * x.size(), out);
  for (const double v : x) WireFormatLite::WriteDoubleNoTag(v, &out);
}

// The bytes of a node's BlockSums message, and its level and index fields.
std::size_t node_body_size(const RunState::Node& node) {
  std::size_t n = packed_size(v1::BlockSums::kValuesFieldNumber, 8 * node.values.size());
  if (node.level != 0)
    n += tag_size(v1::BlockSums::kLevelFieldNumber, WireFormatLite::WIRETYPE_VARINT) +
         CodedOutputStream::VarintSize32SignExtended(node.level);
  if (node.index != 0)
    n += tag_size(v1::BlockSums::kIndexFieldNumber, WireFormatLite::WIRETYPE_VARINT) +
         CodedOutputStream::VarintSize64(static_cast<std::uint64_t>(node.index));
  return n;
}

std::size_t counts_body_size(const std::vector<std::uint64_t>& counts) {
  std::size_t n = 0;
  for (const std::uint64_t c : counts) n += CodedOutputStream::VarintSize64(c);
  return n;
}

}  // namespace

// The header (every field but the state) is a message serialised as deterministic_bytes does; the
// state's fields (14-18) and stream_bytes (19) follow in field order, packed, as protobuf writes
// them, so that the bytes are those of the whole message, without a copy of the state in it.
std::string partial_bytes(const v1::Scenario& scenario, const PartSettings& settings, const RunState& state,
                          std::int64_t stream_bytes) {
  v1::RunPartial header;
  header.set_engine_version(PEACESIM_VERSION);
  header.set_scenario_sha256(scenario_fingerprint(scenario));
  *header.mutable_scenario() = scenario;
  header.set_runs(settings.runs);
  header.set_horizon_months(settings.horizon);
  header.set_seed(settings.seed);
  header.set_hurwicz_alpha(settings.hurwicz_alpha);
  header.set_sample(settings.sample);
  header.set_until_settled(settings.until_settled);
  header.set_shard(settings.shard);
  header.set_shards(settings.shards);
  header.set_first_block(state.first_block);
  header.set_end_block(state.end_block);
  std::string bytes = deterministic_bytes(header);

  using P = v1::RunPartial;
  const std::size_t counts_body = counts_body_size(state.counts);
  std::size_t size = bytes.size() + packed_size(P::kCountsFieldNumber, counts_body) +
                     packed_size(P::kSampleValuesFieldNumber, 8 * state.sample_values.size()) +
                     packed_size(P::kSampleScoresFieldNumber, 8 * state.sample_scores.size()) +
                     packed_size(P::kSampleRelapseFieldNumber, state.sample_relapse.size());
  for (const RunState::Node& node : state.nodes) {
    const std::size_t body = node_body_size(node);
    size += tag_size(P::kNodesFieldNumber, WireFormatLite::WIRETYPE_LENGTH_DELIMITED) +
            CodedOutputStream::VarintSize64(body) + body;
  }
  if (stream_bytes != 0)
    size += tag_size(P::kStreamBytesFieldNumber, WireFormatLite::WIRETYPE_VARINT) +
            CodedOutputStream::VarintSize64(static_cast<std::uint64_t>(stream_bytes));
  if (size > static_cast<std::size_t>(std::numeric_limits<int>::max()))
    throw std::invalid_argument("the run's state is too large for a partial run (at most 2 GB)");
  bytes.reserve(size);
  {
    google::protobuf::io::StringOutputStream to(&bytes);
    CodedOutputStream out(&to);
    for (const RunState::Node& node : state.nodes) {
      write_packed_head(P::kNodesFieldNumber, node_body_size(node), out);
      if (node.level != 0) WireFormatLite::WriteInt32(v1::BlockSums::kLevelFieldNumber, node.level, &out);
      if (node.index != 0) WireFormatLite::WriteInt64(v1::BlockSums::kIndexFieldNumber, node.index, &out);
      write_packed(v1::BlockSums::kValuesFieldNumber, node.values, out);
    }
    if (!state.counts.empty()) {
      write_packed_head(P::kCountsFieldNumber, counts_body, out);
      for (const std::uint64_t c : state.counts) out.WriteVarint64(c);
    }
    write_packed(P::kSampleValuesFieldNumber, state.sample_values, out);
    write_packed(P::kSampleScoresFieldNumber, state.sample_scores, out);
    if (!state.sample_relapse.empty()) {
      write_packed_head(P::kSampleRelapseFieldNumber, state.sample_relapse.size(), out);
      for (const std::uint8_t x : state.sample_relapse) out.WriteVarint32(x != 0 ? 1 : 0);
    }
    if (stream_bytes != 0) WireFormatLite::WriteInt64(P::kStreamBytesFieldNumber, stream_bytes, &out);
  }
  return bytes;
}

PartSettings settings_of(const v1::RunPartial& part) {
  PartSettings s;
  s.runs = part.runs();
  s.horizon = part.horizon_months();
  s.seed = part.seed();
  s.hurwicz_alpha = part.hurwicz_alpha() + 0.0;  // -0 is 0, as the run command takes it (prepare_run)
  s.sample = part.sample();
  s.until_settled = part.until_settled();
  s.shard = part.shard();
  s.shards = part.shards();
  return s;
}

RunState state_of(const v1::RunPartial& part) {
  RunState s;
  s.first_block = part.first_block();
  s.end_block = part.end_block();
  for (const v1::BlockSums& n : part.nodes())
    s.nodes.push_back({n.level(), n.index(), std::vector<double>(n.values().begin(), n.values().end())});
  s.counts.assign(part.counts().begin(), part.counts().end());
  s.sample_values.assign(part.sample_values().begin(), part.sample_values().end());
  s.sample_scores.assign(part.sample_scores().begin(), part.sample_scores().end());
  for (bool x : part.sample_relapse()) s.sample_relapse.push_back(x ? 1 : 0);
  return s;
}

bool PartSettings::same_run(const PartSettings& o) const {
  return runs == o.runs && horizon == o.horizon && seed == o.seed && hurwicz_alpha == o.hurwicz_alpha &&
         sample == o.sample && shards == o.shards;
}

RunSettings PartSettings::run_settings() const {
  RunSettings s;
  s.runs = runs;
  s.horizon = horizon;
  s.seed = seed;
  s.sample = sample;
  s.until_settled = until_settled;
  std::tie(s.first_block, s.end_block) = shard_blocks(runs, shard - 1, shards);
  return s;
}

v1::RunPartial read_partial(const std::string& path) { return parse_partial(read_file(path), path); }

namespace {

// The fields of a part but its state (nodes, counts and the sample: most of its bytes), parsed into
// `p`; false when the bytes are not a protobuf message.
bool parse_without_state(std::string_view bytes, v1::RunPartial& p) {
  using google::protobuf::internal::WireFormatLite;
  google::protobuf::io::CodedInputStream in(reinterpret_cast<const std::uint8_t*>(bytes.data()),
                                            static_cast<int>(bytes.size()));
  std::string kept;
  {
    google::protobuf::io::StringOutputStream to(&kept);
    google::protobuf::io::CodedOutputStream out(&to);
    for (std::uint32_t tag = in.ReadTag(); tag != 0; tag = in.ReadTag()) {
      const int field = WireFormatLite::GetTagFieldNumber(tag);
      const bool state =
          field >= v1::RunPartial::kNodesFieldNumber && field <= v1::RunPartial::kSampleRelapseFieldNumber;
      if (!(state ? WireFormatLite::SkipField(&in, tag) : WireFormatLite::SkipField(&in, tag, &out))) return false;
    }
    if (!in.ConsumedEntireMessage()) return false;
  }
  return p.ParseFromString(kept);
}

// Parses a part's bytes (all of them, or all but the state) and checks what parse_part_header
// promises.
v1::RunPartial parse_checked(std::string_view bytes, const std::string& path, bool with_state) {
  auto fail = [&](const std::string& field, const std::string& message) {
    throw InputError({{path, {}, field, message}});
  };
  if (bytes.size() > static_cast<std::size_t>(std::numeric_limits<int>::max()))
    fail("", "too large for a partial run (at most 2 GB)");
  v1::RunPartial p;
  const bool parsed =
      with_state ? p.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())) : parse_without_state(bytes, p);
  if (!parsed || p.engine_version().empty())
    fail("",
         "not a peacesim partial run (binary protobuf peacesim.v1.RunPartial, written by 'peacesim run --shard K/N' "
         "or --checkpoint, expected)");
  if (p.engine_version() != PEACESIM_VERSION)
    fail("engine_version", "was written by peacesim " + printable(p.engine_version()) + "; this is peacesim " +
                               PEACESIM_VERSION + ", and parts of a run must come from one version: rerun it");
  if (!p.has_scenario()) fail("scenario", "is missing; a part carries the scenario it ran");
  // The settings, in the ranges `peacesim run` takes.
  if (p.runs() < 1 || p.runs() > kMaxRuns) fail("runs", "is " + std::to_string(p.runs()) + "; expected [1, 10^9]");
  if (p.horizon_months() < 1 || p.horizon_months() > kMaxHorizon)
    fail("horizon_months", "is " + std::to_string(p.horizon_months()) + "; expected [1, 600]");
  if (!(p.hurwicz_alpha() >= 0 && p.hurwicz_alpha() <= 1)) fail("hurwicz_alpha", "must lie in [0, 1]");
  if (p.sample() < 0 || p.sample() > 100000)
    fail("sample", "is " + std::to_string(p.sample()) + "; expected [0, 100000]");
  if (p.shards() < 1 || p.shards() > 1000000 || p.shard() < 1 || p.shard() > p.shards())
    fail("shard", "is " + std::to_string(p.shard()) + " of " + std::to_string(p.shards()) +
                      "; expected K of N with 1 <= K <= N <= 1000000");
  if (p.until_settled() && p.shards() != 1) fail("until_settled", "is set in a shard; only a whole run settles");
  const RunSettings settings = settings_of(p).run_settings();
  if (p.first_block() != settings.first_block)
    fail("first_block", "is " + std::to_string(p.first_block()) + ", but shard " + std::to_string(p.shard()) + "/" +
                            std::to_string(p.shards()) + " starts at block " + std::to_string(settings.first_block));
  if (p.end_block() > settings.end_block)
    fail("end_block",
         "is " + std::to_string(p.end_block()) + ", past the shard's last block " + std::to_string(settings.end_block));
  if (p.stream_bytes() < 0) fail("stream_bytes", "is " + std::to_string(p.stream_bytes()) + "; expected 0 or more");
  return p;
}

}  // namespace

v1::RunPartial parse_part_header(std::string_view bytes, const std::string& path) {
  return parse_checked(bytes, path, false);
}

v1::RunPartial parse_partial(std::string_view bytes, const std::string& path, RunState* state) {
  v1::RunPartial p = parse_checked(bytes, path, true);
  auto fail = [&](const std::string& field, const std::string& message) {
    throw InputError({{path, {}, field, message}});
  };
  // The scenario as run: valid, and the one the fingerprint names.
  std::vector<Diagnostic> errors = validate_stored(p.scenario(), path, "scenario");
  if (!errors.empty()) throw InputError(std::move(errors));
  if (p.scenario_sha256() != scenario_fingerprint(p.scenario()))
    fail("scenario_sha256", "does not match the scenario stored in the part: the file was altered");
  RunState checked = state_of(p);
  try {
    check_state(compile(p.scenario()), settings_of(p).run_settings(), checked);
  } catch (const std::invalid_argument& e) {
    fail("", std::string("the part's state cannot be of this run: ") + e.what());
  }
  if (state != nullptr) *state = std::move(checked);
  return p;
}

}  // namespace peacesim::io
