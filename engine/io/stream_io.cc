// The per-future stream; see stream_io.h.
#include "engine/io/stream_io.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <vector>

#include "engine/factors.h"
#include "engine/io/diagnostics.h"
#include "engine/io/load.h"
#include "engine/io/validate.h"
#include "engine/realisation.h"

namespace peacesim::io {

namespace {

constexpr std::size_t kMaxRecord = std::size_t{64} << 20;  // bytes of one record, at most

void append_varint(std::string& out, std::uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}

}  // namespace

v1::StreamHeader stream_header(const Model& model, const v1::Scenario& scenario, std::uint64_t seed, std::int64_t runs,
                               int horizon, std::int64_t first, std::int64_t count) {
  v1::StreamHeader h;
  h.set_format(kStreamFormat);
  h.set_engine_version(PEACESIM_VERSION);
  h.set_scenario_sha256(scenario_fingerprint(scenario));
  *h.mutable_scenario() = scenario;
  h.set_seed(seed);
  h.set_runs(runs);
  h.set_horizon_months(horizon);
  h.set_first_realisation(first);
  h.set_realisations(count);
  for (const std::string& name : analysis_inputs(model).names) h.add_inputs(name);
  for (const auto& p : model.planning_scenarios) h.add_planning_scenarios(p.id);
  for (const auto& o : model.options) h.add_options(o.id);
  for (int m = 0; m < kMetricCount; ++m) h.add_metrics(static_cast<v1::Metric>(m + 1));  // enum_mirrors.h
  return h;
}

StreamWriter::StreamWriter(const std::string& path, const v1::StreamHeader& header) : expected_(header.realisations()) {
  file_.emplace(path);
  record(header);
}

StreamWriter::StreamWriter(const std::string& path, const v1::StreamHeader& header,
                           const std::optional<StreamProgress>& from)
    : expected_(header.realisations()) {
  if (!from) {
    file_.emplace(path, AtomicFile::Resumable{});
    record(header);
    return;
  }
  // The stream saved at the checkpoint starts with this run's header, byte for byte.
  const std::string bytes = deterministic_bytes(header);
  std::string expected;
  append_varint(expected, bytes.size());
  expected += bytes;
  // Killed after the stream was finished and renamed but before the checkpoint was removed, the
  // run finds the stream under its final name: with this run's header it holds this run's futures
  // (the same bytes wherever they were written), so it is carried on as well.
  const std::string in_progress = in_progress_path(path);
  namespace fs = std::filesystem;
  std::error_code ec;  // a path that cannot be looked at is one that cannot be read, below
  const std::string source = !fs::exists(in_progress, ec) && fs::exists(path, ec) ? path : in_progress;
  std::string start(expected.size(), '\0');
  std::ifstream in(source, std::ios::binary);
  if (!in)
    throw InputError({{in_progress,
                       {},
                       "",
                       "cannot be read, but the checkpoint was saved with it; remove the "
                       "checkpoint to start afresh"}});
  in.read(start.data(), static_cast<std::streamsize>(start.size()));
  // After the header, the checkpoint's futures, record after record, end exactly where the
  // checkpoint says the stream did.
  auto records_end_at_the_checkpoint = [&] {
    std::int64_t at = static_cast<std::int64_t>(expected.size());
    for (std::int64_t k = 0; k < from->futures; ++k) {
      if (at >= from->bytes) return false;
      in.seekg(at);
      std::uint64_t size = 0;
      int shift = 0;
      for (char c = '\x80'; (c & 0x80) != 0; shift += 7) {
        if (!in.get(c) || shift > 63 || (shift == 63 && (c & 0x7e) != 0)) return false;  // past 64 bits
        size |= static_cast<std::uint64_t>(static_cast<unsigned char>(c) & 0x7f) << shift;
        ++at;
      }
      if (size > static_cast<std::uint64_t>(from->bytes - at)) return false;
      at += static_cast<std::int64_t>(size);
    }
    return at == from->bytes;
  };
  std::error_code size_error;  // a size it cannot tell is -1: shorter than any checkpoint's
  if (!in || start != expected || from->bytes < static_cast<std::int64_t>(expected.size()) || from->futures < 0 ||
      from->futures > expected_ ||
      // (a stream shorter than the checkpoint says is refused below, with its length)
      (static_cast<std::int64_t>(fs::file_size(source, size_error)) >= from->bytes && !records_end_at_the_checkpoint()))
    throw InputError({{source,
                       {},
                       "",
                       "is not the stream of this run as its checkpoint saved it (another "
                       "header, cut short, or not ending where the checkpoint says); remove it and the "
                       "checkpoint to start afresh"}});
  in.close();
  if (source != in_progress) {
    std::error_code error;
    fs::rename(source, in_progress, error);
    if (error) throw OutputError(source + ": cannot carry it on as " + in_progress + ": " + error.message());
  }
  file_.emplace(path, AtomicFile::Resumable{from->bytes});
  written_ = from->futures;
}

void StreamWriter::record(const google::protobuf::Message& message) {
  const std::string bytes = deterministic_bytes(message);
  buffer_.clear();
  append_varint(buffer_, bytes.size());
  file_->write(buffer_);
  file_->write(bytes);
}

std::int64_t StreamWriter::sync() { return file_->sync(); }

void StreamWriter::write(const FutureRows& rows) {
  v1::FutureRecord r;
  std::string chunk;
  for (int i = 0; i < rows.count; ++i) {
    r.Clear();
    r.set_realisation(rows.first + i);
    r.set_planning_scenario(rows.planning_scenario[i]);
    const double* in = &rows.inputs[static_cast<std::size_t>(i) * rows.width];
    r.mutable_inputs()->Add(in, in + rows.width);
    for (int o = 0; o < rows.options; ++o) {
      const std::size_t k = static_cast<std::size_t>(i) * rows.options + o;
      v1::OptionOutcome* out = r.add_options();
      out->set_score(rows.scores[k]);
      out->set_relapse_month(rows.relapse_month[k]);
      out->mutable_metrics()->Add(&rows.metrics[k * kMetricCount], &rows.metrics[k * kMetricCount] + kMetricCount);
      for (int b = 0; b < rows.benchmarks; ++b) out->add_benchmarks_met(((rows.benchmarks_met[k] >> b) & 1) != 0);
    }
    const std::string bytes = deterministic_bytes(r);
    append_varint(chunk, bytes.size());
    chunk += bytes;
  }
  file_->write(chunk);
  written_ += rows.count;
}

void StreamWriter::commit() {
  if (written_ != expected_)
    throw std::logic_error("the stream holds " + std::to_string(written_) + " futures, not " +
                           std::to_string(expected_));
  file_->commit();
}

namespace {

// Reads delimited records from a file, checking each frame.
class RecordReader {
 public:
  explicit RecordReader(const std::string& path) : path_(path), in_(path, std::ios::binary) {
    if (!in_) throw InputError({{path, {}, "", "cannot be read"}});
  }
  // The next record's bytes; false at a clean end of file. Records are numbered from 0, the header.
  bool next(std::string& bytes) {
    index_ = read_;
    std::uint64_t size = 0;
    for (int shift = 0;; shift += 7) {
      const int c = in_.get();
      if (c == EOF) {
        if (shift == 0) return false;
        fail("ends inside a record's length");
      }
      // A varint of at most 64 bits: ten bytes, the tenth holding the top bit only.
      if (shift > 63 || (shift == 63 && (c & 0x7e) != 0)) fail("has a record length that is not a varint");
      size |= static_cast<std::uint64_t>(c & 0x7f) << shift;
      if (!(c & 0x80)) break;
    }
    if (size > kMaxRecord)
      fail("has a record of " + std::to_string(size) + " bytes, more than the 64 MB a record may hold");
    bytes.resize(size);
    in_.read(bytes.data(), static_cast<std::streamsize>(size));
    if (static_cast<std::uint64_t>(in_.gcount()) != size) fail("ends inside a record (a truncated stream)");
    ++read_;
    return true;
  }
  [[noreturn]] void fail(const std::string& message, const std::string& field = "") const {
    throw InputError({{path_, {}, field.empty() ? "record " + std::to_string(index_) : field, message}});
  }
  // The number of the record read last (or being read).
  std::int64_t index() const { return index_; }

 private:
  std::string path_;
  std::ifstream in_;
  std::int64_t index_ = 0, read_ = 0;
};

}  // namespace

bool is_stream_file(const std::string& path) {
  // A stream starts with its header's length and then the header's first field, the format (protobuf
  // writes fields in their order): known by those bytes, a stream cut short, even in its header, is
  // read as one (and refused as truncated) rather than taken for something else.
  std::ifstream in(path, std::ios::binary);
  char c = 0;
  for (int k = 0; k < 10 && in.get(c) && (c & 0x80) != 0; ++k) {
  }
  const std::string format(kStreamFormat);
  const std::string magic = std::string(1, '\x0a') + static_cast<char>(format.size()) + format;
  std::string start(magic.size(), '\0');
  return in && (c & 0x80) == 0 && in.read(start.data(), static_cast<std::streamsize>(start.size())) && start == magic;
}

v1::Results read_stream_as_sample(const std::string& path, std::int64_t max_rows) {
  RecordReader reader(path);
  std::string bytes;
  v1::StreamHeader h;
  if (!reader.next(bytes) || !h.ParseFromString(bytes) || h.format() != kStreamFormat)
    reader.fail("is not a peacesim stream (written by 'peacesim run --stream FILE')", "header");
  // The header: a valid scenario, its fingerprint, ids and sizes in range.
  if (!h.has_scenario()) reader.fail("is missing", "header.scenario");
  std::vector<Diagnostic> errors = validate_stored(h.scenario(), path, "header.scenario");
  if (!errors.empty()) throw InputError(std::move(errors));
  if (h.scenario_sha256() != scenario_fingerprint(h.scenario()))
    reader.fail("does not match the scenario stored in the header", "header.scenario_sha256");
  if (h.horizon_months() < 1 || h.horizon_months() > kMaxHorizon)
    reader.fail("is out of [1, 600]", "header.horizon_months");
  if (h.realisations() < 0 || h.first_realisation() < 0 || h.runs() < 1 || h.runs() > kMaxRuns ||
      h.realisations() > h.runs() - h.first_realisation())
    reader.fail("first_realisation and realisations do not lie within runs", "header.realisations");
  auto ids = [&](const google::protobuf::RepeatedPtrField<std::string>& list, const std::string& field) {
    for (int k = 0; k < list.size(); ++k)
      if (!valid_id(list[k]) && field != "header.inputs")
        reader.fail(invalid_id_message(list[k]), field + "[" + std::to_string(k) + "]");
  };
  ids(h.options(), "header.options");
  ids(h.planning_scenarios(), "header.planning_scenarios");
  for (int k = 0; k < h.inputs_size(); ++k)
    if (h.inputs(k).empty() || h.inputs(k).size() > 200 ||
        !std::all_of(h.inputs(k).begin(), h.inputs(k).end(), [](char c) { return c > 0x20 && c < 0x7f; }))
      reader.fail("is not an input name", "header.inputs[" + std::to_string(k) + "]");
  const int no = h.options_size(), width = h.inputs_size(), scenarios = std::max(1, h.planning_scenarios_size());
  if (no < 1 || no > 64) reader.fail("must name 1 to 64 options", "header.options");
  // The options and planning scenarios are the stored scenario's, in its order, as the run wrote them.
  auto same_ids = [&](const google::protobuf::RepeatedPtrField<std::string>& list, const auto& items,
                      const std::string& field, const std::string& what) {
    bool same = list.size() == items.size();
    for (int k = 0; same && k < list.size(); ++k) same = list[k] == items[k].id();
    if (!same) reader.fail("are not the " + what + " of the stored scenario, in its order", field);
  };
  same_ids(h.options(), h.scenario().options(), "header.options", "options");
  same_ids(h.planning_scenarios(), h.scenario().planning_scenarios(), "header.planning_scenarios",
           "planning scenarios");
  if (h.metrics_size() > 64) reader.fail("has too many metrics", "header.metrics");

  v1::Results r;
  v1::Provenance* prov = r.mutable_provenance();
  prov->set_engine_version(h.engine_version());
  prov->set_scenario_sha256(h.scenario_sha256());
  prov->set_seed(h.seed());
  prov->set_horizon_months(h.horizon_months());
  *r.mutable_scenario() = h.scenario();
  v1::DiscoverySample* s = r.mutable_sample();
  for (const std::string& in : h.inputs()) s->add_inputs(in);
  for (const std::string& p : h.planning_scenarios()) s->add_planning_scenarios(p);
  for (const std::string& o : h.options()) s->add_options(o);
  std::vector<double> total(no, 0.0);
  std::vector<int> categories(width);  // of each input column; 0 for a sampled quantity
  for (int k = 0; k < width; ++k) categories[k] = input_categories(h.inputs(k), h.planning_scenarios_size());
  std::int64_t n = 0;
  v1::FutureRecord f;
  while (reader.next(bytes)) {
    if (!f.ParseFromString(bytes)) reader.fail("is not a peacesim.v1.FutureRecord");
    const std::string at = "record " + std::to_string(reader.index());
    if (f.realisation() != h.first_realisation() + n)
      reader.fail("is realisation " + std::to_string(f.realisation()) + ", but " +
                      std::to_string(h.first_realisation() + n) + " comes next",
                  at + ".realisation");
    if (f.planning_scenario() < 0 || f.planning_scenario() >= scenarios)
      reader.fail("is out of range", at + ".planning_scenario");
    if (f.inputs_size() != width) reader.fail("does not have one value per input column", at + ".inputs");
    if (f.options_size() != no) reader.fail("does not have one outcome per option", at + ".options");
    for (int o = 0; o < no; ++o)
      if (f.options(o).metrics_size() != h.metrics_size())
        reader.fail("does not have one value per metric of the header",
                    at + ".options[" + std::to_string(o) + "].metrics");
    for (int k = 0; k < width; ++k) {
      const double v = f.inputs(k);
      auto input = [&] { return at + ".inputs[" + std::to_string(k) + "]"; };
      if (!std::isfinite(v)) reader.fail("is not a finite number", input());
      if (categories[k] > 0 && !is_category(v, categories[k]))
        reader.fail("is not one of the " + std::to_string(categories[k]) + " categories of " + h.inputs(k) + " (0 to " +
                        std::to_string(categories[k] - 1) + ")",
                    input());
    }
    for (int o = 0; o < no; ++o) {
      const v1::OptionOutcome& out = f.options(o);
      if (!(out.score() >= 0 && out.score() <= 1))
        reader.fail("is not a score in [0, 1]", at + ".options[" + std::to_string(o) + "].score");
      if (out.relapse_month() < 0 || out.relapse_month() > h.horizon_months())
        reader.fail("is out of [0, horizon]", at + ".options[" + std::to_string(o) + "].relapse_month");
      if (out.benchmarks_met_size() != 0 && out.benchmarks_met_size() != h.scenario().results_framework_size())
        reader.fail("does not have one entry per benchmark of the scenario",
                    at + ".options[" + std::to_string(o) + "].benchmarks_met");
      total[o] += out.score();
    }
    if (n < max_rows) {
      s->mutable_values()->Add(f.inputs().begin(), f.inputs().end());
      for (int o = 0; o < no; ++o) {
        s->add_scores(f.options(o).score());
        s->add_relapse(f.options(o).relapse_month() > 0);
      }
    }
    ++n;
  }
  if (n != h.realisations())
    reader.fail("holds " + std::to_string(n) + " futures, but its header announces " +
                    std::to_string(h.realisations()) + " (a truncated stream?)",
                "records");
  if (n == 0) reader.fail("holds no futures (a shard's share of none): there is nothing to analyse", "records");
  s->set_rows(static_cast<int>(std::min(n, max_rows)));
  prov->set_realisations(n);
  // Options by mean score over the stream, best first (ties by order): the default option of
  // discovery, as the results' ranking is.
  std::vector<int> order(no);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return total[a] > total[b]; });
  for (int o : order) r.add_ranking(h.options(o));
  return r;
}

}  // namespace peacesim::io
