// The peacesim commands; see commands.h.
#include "engine/cli/commands.h"

#include <unistd.h>

#include <algorithm>
#include <boost/program_options.hpp>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <limits>
#if __has_include(<malloc.h>)
#include <malloc.h>
#endif

#include "engine/cli/checkpointing.h"
#include "engine/cli/progress.h"
#include "engine/cli/ranks.h"
#include "engine/cli/table.h"
#include "engine/cpas.h"
#include "engine/io/brief.h"
#include "engine/io/load.h"
#include "engine/io/locate.h"
#include "engine/io/partial_io.h"
#include "engine/io/results_io.h"
#include "engine/io/results_view.h"
#include "engine/io/stream_io.h"
#include "engine/io/validate.h"
#include "engine/pipeline.h"
#include "engine/report/report.h"
#include "engine/resolve.h"

namespace peacesim::cli {
namespace po = boost::program_options;

namespace {

// A seed from the command line: a whole number in [0, 2^64 - 1], not a negative one wrapped round.
std::uint64_t parse_seed(const std::string& text) {
  const bool digits = !text.empty() && text.size() <= 20 &&
                      std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
  errno = 0;
  const unsigned long long v = digits ? std::strtoull(text.c_str(), nullptr, 10) : 0;
  if (!digits || errno == ERANGE)
    throw std::invalid_argument("--seed is " + text + ", but must be a whole number in [0, 18446744073709551615]");
  return v;
}

// Parses `args` against `options` and one optional positional argument, a file named `positional`
// (hidden from --help).
po::variables_map parse(const std::vector<std::string>& args, const po::options_description& options,
                        std::initializer_list<const char*> positionals) {
  po::options_description hidden;
  po::positional_options_description pos;
  for (const char* positional : positionals) {
    hidden.add_options()(positional, po::value<std::string>());
    pos.add(positional, 1);
  }
  po::options_description all;
  all.add(options).add(hidden);
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(all).positional(pos).run(), vm);
  po::notify(vm);
  return vm;
}

// Report files are HTML; anything else is a mistake worth catching before a long run.
void require_html(const std::string& path, const char* option) {
  const auto dot = path.rfind('.');
  const std::string ext = dot == std::string::npos ? "" : path.substr(dot);
  if (ext != ".html" && ext != ".htm")
    throw std::invalid_argument(std::string(option) + " " + path +
                                ": a report is an HTML file; name it with .html, for example report.html");
}

io::LoadedScenario load(const po::variables_map& vm) {
  io::LoadedScenario loaded =
      vm.count("scenario") ? io::load_scenario(vm["scenario"].as<std::string>()) : io::load_default_scenario();
  io::require_valid(loaded);
  return loaded;
}

// The futures a command reads instead of simulating them: a results file's sample (run --sample N)
// or a stream (run --stream FILE, its first kStreamRows futures); none when given a scenario. The
// options that say how to simulate (`simulating`, given on the command line) do not go with them.
constexpr std::int64_t kStreamRows = 100000;
std::optional<v1::Results> stored_futures(const po::variables_map& vm, std::initializer_list<const char*> simulating) {
  if (!vm.count("scenario")) return std::nullopt;
  const std::string path = vm["scenario"].as<std::string>();
  const bool stream = io::is_stream_file(path);
  if (!stream && !io::is_results_file(path)) return std::nullopt;
  for (const char* name : simulating)
    if (vm.count(name) && !vm[name].defaulted())
      throw std::invalid_argument(std::string("--") + name + " does not go with " +
                                  (stream ? "a stream" : "a results file") +
                                  ": its futures are simulated already; give a scenario to simulate afresh");
  return stream ? io::read_stream_as_sample(path, kStreamRows) : io::read_results(path);
}

// A file a command reads: what it is ("the scenario"), and its path.
struct Input {
  std::string what, path;
};

// The files a command writes are distinct: --out, --report, --stream and --checkpoint, and those
// named after them (a stream's FILE.in-progress beside checkpoints; each MPI rank's FILE.rank-R).
// One written over another, or removed with the spent checkpoint, would be lost; and none is a file
// the command reads, which the output would replace. `ranks`: the MPI ranks that share the run,
// each with its own stream and checkpoint files (0 for one process, which writes the bare names).
void require_distinct_outputs(const po::variables_map& vm, const std::vector<Input>& inputs, int ranks = 0) {
  if (vm.count("stream") && vm["stream"].as<std::string>() == "-")
    throw std::invalid_argument("--stream -: the stream is written to a file, not to standard output; name a file");
  struct Output {
    std::string what, path;
  };
  std::vector<Output> outputs;
  if (vm.count("out") && vm["out"].as<std::string>() != "-") outputs.push_back({"--out", vm["out"].as<std::string>()});
  if (vm.count("report")) outputs.push_back({"--report", vm["report"].as<std::string>()});
  for (const std::string flag : {"stream", "checkpoint"}) {
    if (!vm.count(flag)) continue;
    const std::string path = vm[flag].as<std::string>();
    std::vector<std::string> files;
    for (int r = 0; r < ranks; ++r) files.push_back(rank_file(path, r));
    if (ranks == 0) files.push_back(path);
    for (const std::string& file : files) {
      outputs.push_back({"--" + flag, file});
      if (flag == "stream" && vm.count("checkpoint"))
        outputs.push_back({"--stream (its file in progress)", io::in_progress_path(file)});
    }
  }
  auto same = [](const std::string& a, const std::string& b) {
    std::error_code ea, eb;
    const auto x = std::filesystem::weakly_canonical(std::filesystem::absolute(a, ea), ea);
    const auto y = std::filesystem::weakly_canonical(std::filesystem::absolute(b, eb), eb);
    return ea || eb ? a == b : x == y;
  };
  for (std::size_t i = 0; i < outputs.size(); ++i) {
    for (std::size_t j = i + 1; j < outputs.size(); ++j)
      if (same(outputs[i].path, outputs[j].path))
        throw std::invalid_argument(
            outputs[i].what + " and " + outputs[j].what + " name the same file, " + io::printable(outputs[i].path) +
            (outputs[i].path == outputs[j].path ? "" : " (as " + io::printable(outputs[j].path) + ")") +
            ": give each output a file of its own");
    for (const Input& input : inputs)
      if (same(outputs[i].path, input.path))
        throw std::invalid_argument(outputs[i].what + " names " + input.what + " it reads, " +
                                    io::printable(input.path) +
                                    ": writing it would replace that file; give the output a file of its own");
  }
}

// The scenario file of a command that may run the bundled one (none then).
std::vector<Input> scenario_input(const po::variables_map& vm) {
  if (!vm.count("scenario")) return {};
  return {{"the scenario", vm["scenario"].as<std::string>()}};
}

// --checkpoint and --checkpoint-every, checked before any work; nullopt without --checkpoint.
std::optional<CheckpointSettings> checkpoint_settings(const po::variables_map& vm, bool quiet) {
  if (!vm.count("checkpoint")) {
    if (!vm["checkpoint-every"].defaulted())
      throw std::invalid_argument("--checkpoint-every needs --checkpoint FILE: where to save the run as it goes");
    return std::nullopt;
  }
  const double every = vm["checkpoint-every"].as<double>();
  if (!(every >= 0 && every <= 86400))
    throw std::invalid_argument("--checkpoint-every is " + std::to_string(every) + ", but must lie in [0, 86400]");
  return CheckpointSettings{vm["checkpoint"].as<std::string>(), every, quiet};
}

// The run the command line asks for (run, and run --shard), reporting progress to `progress`.
RunRequest run_request(const po::variables_map& vm, Progress& progress) {
  RunRequest request;
  if (vm.count("runs")) request.runs = vm["runs"].as<std::int64_t>();
  request.until_settled = vm.count("until-settled") > 0;
  request.sample = vm["sample"].as<std::int64_t>();
  if (request.until_settled && !request.runs) request.runs = 1000000;
  if (vm.count("horizon")) request.horizon = vm["horizon"].as<int>();
  if (vm.count("seed")) request.seed = parse_seed(vm["seed"].as<std::string>());
  request.threads = vm["threads"].as<int>();
  request.hurwicz_alpha = vm["hurwicz-alpha"].as<double>();
  request.progress = [&progress](std::int64_t done, std::int64_t total) { progress.update(done, total); };
  if (vm.count("stream")) request.stream = vm["stream"].as<std::string>();
  return request;
}

// "K/N" with 1 <= K <= N.
std::pair<int, int> parse_shard(const std::string& text) {
  const auto slash = text.find('/');
  auto number = [&](const std::string& part) {
    const bool digits = !part.empty() && part.size() <= 7 &&
                        std::all_of(part.begin(), part.end(), [](char c) { return c >= '0' && c <= '9'; });
    return digits ? std::stoi(part) : -1;
  };
  const int k = slash == std::string::npos ? -1 : number(text.substr(0, slash));
  const int n = slash == std::string::npos ? -1 : number(text.substr(slash + 1));
  if (k < 1 || n < 1 || k > n || n > 1000000)
    throw std::invalid_argument("--shard is " + io::printable(text) +
                                ", but must be K/N with 1 <= K <= N <= 1000000, for example 3/8");
  return {k, n};
}

void write_outputs(const po::variables_map& vm, const v1::Results& results, v1::RobustnessMetric rank_by);
int shard_command(const po::variables_map& vm);

}  // namespace

int run_command(const std::vector<std::string>& args) {
  po::options_description options(
      "Usage: peacesim run [SCENARIO] [OPTIONS]\n\n"
      "Simulates every option of SCENARIO (.textproto or .json; default: the bundled Carana scenario)\n"
      "on sampled futures, prints the options ranked by expected score, and writes the full results.\n\n"
      "Options");
  // clang-format off
  options.add_options()
      ("help,h", "show this help")
      ("runs,n", po::value<std::int64_t>(), "realisations (sampled futures), 1 to 10^9 [scenario's, else 10000]")
      ("horizon", po::value<int>(), "months to simulate, 1 to 600 [scenario's, else 60]")
      ("seed", po::value<std::string>(), "random seed; same inputs and seed give identical results [scenario's, else 1]")
      ("threads,t", po::value<int>()->default_value(0), "worker threads, 0 = all cores (results do not depend on it)")
      ("out,o", po::value<std::string>(), "write the results to FILE: .pb (binary protobuf) or .json; - for binary "
       "protobuf on standard output (not a terminal), the table then on stderr")
      ("rank-by", po::value<std::string>()->default_value("expected"),
       "order the table by a robustness metric: expected, maximin, maximax, hurwicz, minimax-regret, regret-p90, "
       "mean-variance, undesirable-deviations, skew, kurtosis, satisficing")
      ("hurwicz-alpha", po::value<double>()->default_value(0.5), "weight of the worst case in the hurwicz metric, [0, 1]")
      ("sample", po::value<std::int64_t>()->default_value(0),
       "keep the rows of the first N realisations in the results, for 'peacesim discover RESULTS' (N <= 100000; "
       "--stream writes every future to a file of its own)")
      ("report", po::value<std::string>(), "also write the HTML report to FILE (.html), as 'peacesim report' does")
      ("brief", "add the strategy brief to the results (runs scenario discovery and sensitivity; about 8 s more for Carana)")
      ("until-settled", "add realisations 2,048 at a time until the leading option is settled; --runs is the cap "
       "[default cap 1000000]")
      ("shard", po::value<std::string>(), "run only share K of N (K/N, 1 <= K <= N) and write it to --out as a part "
       "(binary protobuf, .pb) for 'peacesim merge' (docs/cluster.md)")
      ("checkpoint", po::value<std::string>(), "save the run's progress to FILE as it goes, and carry on from FILE "
       "when it exists (after a crash or kill); removed once the run is done. Under MPI each rank saves FILE.rank-R")
      ("checkpoint-every", po::value<double>()->default_value(10), "seconds between checkpoints, 0 to 86400")
      ("stream", po::value<std::string>(), "also write every future to FILE, one record each (sampled inputs; per "
       "option its outcomes and score), for pipelines; 'discover FILE' and 'sensitivity FILE' read it. Under MPI "
       "each rank streams its share to FILE.rank-R. With --checkpoint it is written to FILE.in-progress and "
       "carried on with the run")
      ("quiet,q", "no progress bar or timing on stderr");
  // clang-format on
  const po::variables_map vm = parse(args, options, {"scenario"});
  if (vm.count("help")) {
    std::cout << options
              << "\nExamples:\n  peacesim run --runs 20000 --seed 7 --out results.pb\n"
                 "  peacesim run --runs 1000000 --shard 3/8 --out part-3.pb   (then peacesim merge part-*.pb --out "
                 "results.pb)\n";
    return kExitOk;
  }
  if (vm.count("shard")) return shard_command(vm);
  // Fail on the output names before the run, not after it. "--out -" is standard output, which
  // then holds only the results; the table goes to stderr.
  const std::string out = vm.count("out") ? vm["out"].as<std::string>() : "";
  const bool out_to_stdout = out == "-";
  if (out_to_stdout && ::isatty(STDOUT_FILENO))
    throw std::invalid_argument(
        "--out -: standard output is a terminal, and results are binary protobuf; redirect it (--out - > r.pb) or "
        "pipe it to a program that reads them (--out - | program)");
  if (!out.empty() && !out_to_stdout) io::results_format_of(out);
  if (vm.count("report")) require_html(vm["report"].as<std::string>(), "--report");
  if (!out.empty() && !out_to_stdout) io::check_writable(out, "--out");
  if (vm.count("report")) io::check_writable(vm["report"].as<std::string>(), "--report");
  if (vm.count("stream")) io::check_writable(vm["stream"].as<std::string>(), "--stream");
  require_distinct_outputs(vm, scenario_input(vm), launched_by_mpi() ? launched_processes() : 0);
  const v1::RobustnessMetric rank_by = parse_rank_by(vm["rank-by"].as<std::string>());

  const bool quiet = vm.count("quiet") > 0;
  const std::optional<CheckpointSettings> checkpoint = checkpoint_settings(vm, quiet);
  const io::LoadedScenario loaded = load(vm);
  if (vm.count("brief")) require_brief_factors(loaded.scenario);
  Progress progress(!quiet);
  RunRequest request = run_request(vm, progress);

  const auto start = std::chrono::steady_clock::now();
  std::optional<v1::Results> ran;
  int mpi_ranks = 0;  // 0 unless launched by MPI
  if (launched_by_mpi()) {
#ifdef PEACESIM_MPI
    const RankOutcome outcome = run_on_ranks(loaded.scenario, request, checkpoint);
    if (!outcome.results) return kExitOk;  // not rank 0: its share, or its failure, is sent
    ran = std::move(outcome.results);
    mpi_ranks = outcome.ranks;
#else
    if (launched_processes() > 1)
      throw std::invalid_argument(
          "this peacesim was built without MPI, so under mpirun every process would run the whole analysis; build "
          "it with -DPEACESIM_MPI=ON (README), or run one process");
#endif
  }
  v1::Results results;
  if (ran) {
    results = std::move(*ran);
  } else {
    const Checkpointing checkpointing(checkpoint, request);
    results = run_scenario(loaded.scenario, request);
  }
  progress.finish();
  if (vm.count("brief")) add_strategy_brief(loaded.scenario, results, rank_by, request.threads);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  write_outputs(vm, results, rank_by);
  remove_checkpoints(checkpoint, mpi_ranks);
  if (!quiet) {
    const double option_months = static_cast<double>(results.provenance().realisations()) * results.options_size() *
                                 results.provenance().horizon_months();
    const std::string where = out_to_stdout ? ", results on standard output"
                              : out.empty() ? ""
                                            : ", results in " + io::printable(out);
    const std::string on = mpi_ranks > 1 ? " on " + std::to_string(mpi_ranks) + " MPI ranks" : "";
    std::fprintf(stderr, "peacesim: %.2f s%s, %.3g option-months/s%s\n", seconds, on.c_str(), option_months / seconds,
                 where.c_str());
  }
  return kExitOk;
}

namespace {

// The results to --out, the report to --report, and the table (to stdout, or stderr when the
// results go there).
void write_outputs(const po::variables_map& vm, const v1::Results& results, v1::RobustnessMetric rank_by) {
  const std::string out = vm.count("out") ? vm["out"].as<std::string>() : "";
  const bool out_to_stdout = out == "-";
  if (out_to_stdout) {
    const std::string bytes = io::deterministic_bytes(results);  // the bytes of a .pb file
    std::cout.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  } else if (!out.empty()) {
    io::write_results(results, out);
  }
  if (vm.count("report")) io::write_atomically(vm["report"].as<std::string>(), report::html_report(results));
  print_table(results, out_to_stdout ? std::cerr : std::cout, rank_by);
  std::cout.flush();
}

}  // namespace

namespace {

// run --shard K/N: the share's realisations, written to --out as a part for 'peacesim merge'.
int shard_command(const po::variables_map& vm) {
  const auto [k, n] = parse_shard(vm["shard"].as<std::string>());
  for (const char* flag : {"brief", "report", "until-settled"})
    if (vm.count(flag))
      throw std::invalid_argument(std::string("--") + flag + " does not go with --shard" +
                                  (std::string(flag) == "until-settled" ? ": a shard cannot decide when the whole run "
                                                                          "is settled; run it whole"
                                                                        : ": give it to 'peacesim merge'"));
  if (!vm["rank-by"].defaulted())
    throw std::invalid_argument("--rank-by does not go with --shard: give it to 'peacesim merge'");
  if (!vm.count("out") || vm["out"].as<std::string>() == "-")
    throw std::invalid_argument("--shard needs --out FILE: the part to write, for 'peacesim merge'");
  const std::string out = vm["out"].as<std::string>();
  std::string extension = std::filesystem::path(out).extension().string();
  for (char& c : extension) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (extension == ".json")  // in any case: part.JSON is as much a JSON name
    throw std::invalid_argument("--out " + io::printable(out) +
                                " names a JSON file, but a shard's part is binary protobuf, read by 'peacesim merge': "
                                "name it .pb (part-" +
                                std::to_string(k) + ".pb), and give --out FILE.json to merge");
  io::check_writable(out, "--out");
  if (vm.count("stream")) io::check_writable(vm["stream"].as<std::string>(), "--stream");
  require_distinct_outputs(vm, scenario_input(vm));
  if (launched_processes() > 1)
    throw std::invalid_argument(
        "--shard runs one share in one process; under mpirun, leave --shard out and the ranks share the run");
  const bool quiet = vm.count("quiet") > 0;
  const std::optional<CheckpointSettings> checkpoint = checkpoint_settings(vm, quiet);
  const io::LoadedScenario loaded = load(vm);
  Progress progress(!quiet);
  RunRequest request = run_request(vm, progress);
  request.shard = k;
  request.shards = n;
  std::string part;
  {
    const Checkpointing checkpointing(checkpoint, request);
    part = run_part(loaded.scenario, request);
  }
  progress.finish();
  io::write_atomically(out, part);
  remove_checkpoints(checkpoint);
  const v1::RunPartial header = io::parse_part_header(part, out);
  const std::int64_t first = std::min(header.runs(), header.first_block() * kBlockSize);
  const std::int64_t end = std::min(header.runs(), header.end_block() * kBlockSize);
  std::printf("shard %d/%d: realisations %lld to %lld of %lld in %s\n", k, n, static_cast<long long>(first),
              static_cast<long long>(end), static_cast<long long>(header.runs()), io::printable(out).c_str());
  return kExitOk;
}

}  // namespace

void reuse_freed_memory() {
#if defined(__GLIBC__) && defined(M_MMAP_THRESHOLD)
  // Blocks of up to 1 GiB come from the heap, which is never trimmed, rather than from maps of their
  // own that free() unmaps (glibc 2.36 takes both; a libc that refuses them merges as before, slower).
  mallopt(M_MMAP_THRESHOLD, 1 << 30);
  mallopt(M_TRIM_THRESHOLD, std::numeric_limits<int>::max());
#endif
}

int merge_command(const std::vector<std::string>& args) {
  po::options_description options(
      "Usage: peacesim merge PARTS... --out RESULTS [OPTIONS]\n\n"
      "Combines the parts that 'peacesim run --shard K/N --out PART' wrote, all N of them in any order,\n"
      "into the results of the whole run: the same bytes a single 'peacesim run' with the same\n"
      "settings writes. Prints the table as 'run' does.\n\nOptions");
  // clang-format off
  options.add_options()
      ("help,h", "show this help")
      ("out,o", po::value<std::string>(), "write the results to FILE: .pb (binary protobuf) or .json (required)")
      ("rank-by", po::value<std::string>()->default_value("expected"), "order the table (and the brief) by a robustness "
       "metric, as for 'peacesim run'")
      ("report", po::value<std::string>(), "also write the HTML report to FILE (.html)")
      ("brief", "add the strategy brief to the results, as 'peacesim run --brief' does")
      ("threads,t", po::value<int>()->default_value(0), "worker threads for the brief, 0 = all cores");
  // clang-format on
  po::options_description hidden;
  hidden.add_options()("parts", po::value<std::vector<std::string>>());
  po::options_description all;
  all.add(options).add(hidden);
  po::positional_options_description pos;
  pos.add("parts", -1);
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(all).positional(pos).run(), vm);
  po::notify(vm);
  if (vm.count("help")) {
    std::cout << options << "\nExample:\n  peacesim merge part-*.pb --out results.pb\n";
    return kExitOk;
  }
  if (!vm.count("parts")) throw po::error("missing PARTS: the files 'peacesim run --shard K/N --out PART' wrote");
  if (!vm.count("out")) throw po::error("missing --out RESULTS: where to write the merged results");
  const std::string out = vm["out"].as<std::string>();
  io::results_format_of(out);
  io::check_writable(out, "--out");
  if (vm.count("report")) {
    require_html(vm["report"].as<std::string>(), "--report");
    io::check_writable(vm["report"].as<std::string>(), "--report");
  }
  std::vector<Input> part_files;
  for (const std::string& path : vm["parts"].as<std::vector<std::string>>()) part_files.push_back({"a part", path});
  require_distinct_outputs(vm, part_files);
  const v1::RobustnessMetric rank_by = parse_rank_by(vm["rank-by"].as<std::string>());
  check_threads(vm["threads"].as<int>());
  const std::vector<std::string>& paths = vm["parts"].as<std::vector<std::string>>();
  reuse_freed_memory();
  const PartsMerge merge(
      {paths.size(), [&](std::size_t i) { return io::read_file(paths[i]); }, [&](std::size_t i) { return paths[i]; }});
  if (vm.count("brief")) require_brief_factors(merge.scenario());
  v1::Results results = merge.results();
  if (vm.count("brief")) add_strategy_brief(merge.scenario(), results, rank_by, vm["threads"].as<int>());
  write_outputs(vm, results, rank_by);
  return kExitOk;
}

int validate_command(const std::vector<std::string>& args) {
  po::options_description options(
      "Usage: peacesim validate SCENARIO\n\n"
      "Checks SCENARIO (.textproto or .json) and prints every error as file:line:col: error: field: message,\n"
      "or 'ok' with a one-line summary.\n\nOptions");
  options.add_options()("help,h", "show this help");
  const po::variables_map vm = parse(args, options, {"scenario"});
  if (vm.count("help")) {
    std::cout << options;
    return kExitOk;
  }
  if (!vm.count("scenario")) throw po::error("missing SCENARIO: the file to check");
  const io::LoadedScenario loaded = load(vm);
  const auto& s = loaded.scenario;
  std::cout << "ok: " << io::printable(loaded.file) << ": "
            << io::printable(s.name().empty() ? "unnamed scenario" : s.name()) << " - " << s.drivers_size()
            << " drivers, " << s.causal_map_size() << " causal links, " << s.actors_size() << " actors, "
            << s.options_size() << " options, " << std::max(1, s.planning_scenarios_size()) << " planning scenarios, "
            << s.criteria_size() << " criteria\n";
  return kExitOk;
}

int show_command(const std::vector<std::string>& args) {
  po::options_description options(
      "Usage: peacesim show RESULTS [--json | --csv [--survival | --fan INDICATOR | --benchmarks]]\n\n"
      "Prints a results file (.pb or .json) again: the ranked table (default), the whole message\n"
      "as JSON, the summary as CSV, with --survival --csv the relapse curves\n"
      "(option_id,month,p_relapse), with --fan INDICATOR --csv an indicator's percentiles by month\n"
      "(option_id,month,p05,p25,p50,p75,p95,mean), or with --benchmarks --csv how often each option\n"
      "meets each benchmark of the results framework\n"
      "(option_id,benchmark_id,responsible,month,evaluated,p_met,ci95_low,ci95_high).\n\nOptions");
  // clang-format off
  options.add_options()
      ("help,h", "show this help")
      ("json", "the whole results message as JSON")
      ("csv", "one row per option, ranked")
      ("survival", "with --csv: cumulative probability of relapse to war by month")
      ("benchmarks", "with --csv: P(met) of each benchmark under each option")
      ("fan", po::value<std::string>(), ("with --csv: an indicator's fan chart: " + indicator_keys()).c_str())
      ("rank-by", po::value<std::string>()->default_value("expected"), "order by a robustness metric (see run --help)");
  // clang-format on
  const po::variables_map vm = parse(args, options, {"results"});
  if (vm.count("help")) {
    std::cout << options;
    return kExitOk;
  }
  if (!vm.count("results")) throw po::error("missing RESULTS: a file written by 'peacesim run --out'");
  if (vm.count("json") && vm.count("csv")) throw po::error("choose one of --json and --csv");
  if (vm.count("survival") && !vm.count("csv")) throw po::error("--survival is a CSV view; add --csv");
  if (vm.count("fan") && !vm.count("csv")) throw po::error("--fan is a CSV view; add --csv");
  if (vm.count("benchmarks") && !vm.count("csv")) throw po::error("--benchmarks is a CSV view; add --csv");
  if (vm.count("fan") + vm.count("survival") + vm.count("benchmarks") > 1)
    throw po::error("choose one of --survival, --fan and --benchmarks");
  const v1::Indicator fan = vm.count("fan") ? parse_indicator(vm["fan"].as<std::string>()) : v1::INDICATOR_UNSPECIFIED;
  const v1::RobustnessMetric rank_by = parse_rank_by(vm["rank-by"].as<std::string>());
  const v1::Results results = io::read_results(vm["results"].as<std::string>());
  if (vm.count("json")) {
    std::cout << io::to_json(results);
  } else if (vm.count("csv")) {
    if (vm.count("survival")) {
      print_survival_csv(results, std::cout);
    } else if (vm.count("benchmarks")) {
      print_framework_csv(results, std::cout);
    } else if (fan != v1::INDICATOR_UNSPECIFIED) {
      print_fan_csv(results, fan, std::cout);
    } else {
      print_summary_csv(results, std::cout, rank_by);
    }
  } else {
    print_table(results, std::cout, rank_by);
  }
  return kExitOk;
}

// First-order indices from a results file's stored futures (given data), on each option's score and
// on the difference between the two leading options.
void print_given_data(const v1::Results& r, bool csv, int top) {
  const v1::DiscoverySample& s = r.sample();
  if (s.rows() < 16)
    throw std::invalid_argument(
        "the results hold no per-realisation sample of 16 futures or more; write them with "
        "'peacesim run --sample N' (N >= 1000 for useful estimates)");
  const int d = s.inputs_size(), no = s.options_size(), rows = s.rows();
  if (s.values_size() != static_cast<std::int64_t>(rows) * d || s.scores_size() != static_cast<std::int64_t>(rows) * no)
    throw std::invalid_argument(
        "the results' sample is inconsistent: it needs rows x inputs values and rows x "
        "options scores");
  const std::vector<double> x(s.values().begin(), s.values().end());
  std::vector<bool> categorical(d);
  for (int i = 0; i < d; ++i) categorical[i] = input_categories(s.inputs(i), s.planning_scenarios_size()) > 0;
  std::vector<std::pair<std::string, std::vector<double>>> outputs;
  for (int o = 0; o < no; ++o) {
    std::vector<double> y(rows);
    for (int j = 0; j < rows; ++j) y[j] = s.scores(j * no + o);
    outputs.push_back({s.options(o), std::move(y)});
  }
  if (r.ranking_size() >= 2) {
    const auto a = std::find(s.options().begin(), s.options().end(), r.ranking(0)) - s.options().begin();
    const auto b = std::find(s.options().begin(), s.options().end(), r.ranking(1)) - s.options().begin();
    if (a < no && b < no) {
      std::vector<double> y(rows);
      for (int j = 0; j < rows; ++j) y[j] = s.scores(j * no + a) - s.scores(j * no + b);
      outputs.push_back({r.ranking(0) + " - " + r.ranking(1), std::move(y)});
    }
  }
  if (csv)
    std::cout << "output,input,s1,s1_low,s1_high\n";
  else
    std::printf(
        "First-order indices from %d stored futures (given data, binned, bias-corrected); 95%% bootstrap "
        "intervals.\n",
        rows);
  for (std::size_t k = outputs.size(); k-- > 0;) {  // the leading difference first
    const auto idx = given_data_first_order(x, d, outputs[k].second, categorical, r.provenance().seed());
    if (csv) {
      for (int i = 0; i < d; ++i)
        std::cout << csv_field(outputs[k].first) << ',' << csv_field(s.inputs(i)) << ',' << io::csv_number(idx[i].first)
                  << ',' << io::csv_number(idx[i].low) << ',' << io::csv_number(idx[i].high) << '\n';
      continue;
    }
    std::vector<int> order(d);
    for (int i = 0; i < d; ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return idx[a].first > idx[b].first; });
    std::printf("\n%s\n  %-56s %s\n", io::printable(outputs[k].first).c_str(), "uncertain quantity",
                "S1 (first order)");
    for (int n = 0; n < std::max(1, top) && n < d; ++n)
      std::printf("  %-56s %5.2f [%5.2f, %5.2f]\n", io::printable(s.inputs(order[n])).c_str(), idx[order[n]].first,
                  idx[order[n]].low, idx[order[n]].high);
  }
}

int sensitivity_command(const std::vector<std::string>& args) {
  po::options_description options(
      "Usage: peacesim sensitivity [SCENARIO | RESULTS | STREAM] [OPTIONS]\n\n"
      "Global sensitivity analysis: Sobol' first-order (S1) and total (ST) indices of every uncertain\n"
      "quantity on each option's score and on the score difference between the two leading options\n"
      "(Saltelli 2010 and Jansen estimators on centred outputs, digitally shifted Sobol' points). The\n"
      "futures' own noise is an input, 'chance'. BASE points are split over 8 independent\n"
      "randomisations whose spread gives 95% intervals. Runs BASE x (inputs + 2) realisations.\n"
      "Given RESULTS from 'peacesim run --sample N --out RESULTS', it estimates first-order indices from\n"
      "the N stored futures instead (given data: a cross-check of the design); given STREAM from\n"
      "'peacesim run --stream STREAM', from its first 100,000 futures.\n\nOptions");
  // clang-format off
  options.add_options()
      ("help,h", "show this help")
      ("base", po::value<int>()->default_value(256), "base points N, 16 to 1048576")
      ("horizon", po::value<int>(), "months to simulate [scenario's]")
      ("seed", po::value<std::string>(), "random seed [scenario's]")
      ("threads,t", po::value<int>()->default_value(0), "worker threads, 0 = all cores")
      ("top", po::value<int>()->default_value(10), "rows per output in the table")
      ("csv", "every index as CSV: output,input,s1,s1_low,s1_high,st,st_low,st_high");
  // clang-format on
  const po::variables_map vm = parse(args, options, {"scenario"});
  if (vm.count("help")) {
    std::cout << options << "\nExample:\n  peacesim sensitivity --base 512 --csv > indices.csv\n";
    return kExitOk;
  }
  if (const std::optional<v1::Results> stored = stored_futures(vm, {"base", "horizon", "seed", "threads"})) {
    print_given_data(*stored, vm.count("csv") > 0, vm["top"].as<int>());
    return kExitOk;
  }
  const io::LoadedScenario loaded = load(vm);
  SensitivityRequest request;
  request.base = vm["base"].as<int>();
  if (vm.count("horizon")) request.horizon = vm["horizon"].as<int>();
  if (vm.count("seed")) request.seed = parse_seed(vm["seed"].as<std::string>());
  request.threads = vm["threads"].as<int>();
  const SensitivityReport report = run_sensitivity(loaded.scenario, request);
  if (vm.count("csv")) {
    std::cout << "output,input,s1,s1_low,s1_high,st,st_low,st_high\n";
    for (std::size_t o = 0; o < report.outputs.size(); ++o)
      for (std::size_t i = 0; i < report.inputs.size(); ++i) {
        const SobolIndex& x = report.indices[o][i];
        std::cout << csv_field(report.outputs[o]) << ',' << csv_field(report.inputs[i]);
        for (double v : {x.first, x.first_low, x.first_high, x.total, x.total_low, x.total_high})
          std::cout << ',' << io::csv_number(v);
        std::cout << '\n';
      }
    return kExitOk;
  }
  std::printf(
      "Sobol' indices from %lld realisations (%d base points in %d independent randomisations x (%zu inputs + 2));\n"
      "95%% intervals from the randomisations' spread. 'chance' is the futures' own noise.\n",
      static_cast<long long>(report.evaluations), report.base, kSensitivityRandomisations, report.inputs.size());
  const int top = std::max(1, vm["top"].as<int>());
  for (std::size_t o = report.outputs.size(); o-- > 0;) {  // the leading difference first
    std::vector<std::size_t> order(report.inputs.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      return report.indices[o][a].total > report.indices[o][b].total;
    });
    std::printf("\n%s%s\n",
                o + 1 == report.outputs.size() && report.outputs.size() > 1 ? "score difference " : "score of ",
                io::printable(report.outputs[o]).c_str());
    std::printf("  %-56s %-22s %-22s\n", "uncertain quantity", "S1 (first order)", "ST (total)");
    for (int k = 0; k < top && k < static_cast<int>(order.size()); ++k) {
      const SobolIndex& x = report.indices[o][order[k]];
      std::printf("  %-56s %5.2f [%5.2f, %5.2f]   %5.2f [%5.2f, %5.2f]\n",
                  io::printable(report.inputs[order[k]]).c_str(), x.first, x.first_low, x.first_high, x.total,
                  x.total_low, x.total_high);
    }
  }
  return kExitOk;
}

void print_discovery(const DiscoveryReport& r);

// A failure threshold on the score, which lies in [0, 1].
double checked_threshold(double t) {
  if (!(t >= 0 && t <= 1))
    throw std::invalid_argument("--threshold is " + (std::isnan(t) ? std::string("nan") : io::fmt("%g", t)) +
                                ", but must lie in [0, 1] (a score)");
  return t;
}

int discover_command(const std::vector<std::string>& args) {
  po::options_description options(
      "Usage: peacesim discover [SCENARIO | RESULTS | STREAM] [OPTIONS]\n\n"
      "Scenario discovery with PRIM (peeling alpha 0.05, pasting, minimum mass 0.05): samples futures,\n"
      "marks those where the option fails (relapse to war, or a score below --threshold), and finds\n"
      "the box of uncertain conditions where it fails most, with quasi-p values and stability.\n"
      "Given RESULTS from 'peacesim run --sample N --out RESULTS', it uses the N stored futures; given\n"
      "STREAM from 'peacesim run --stream STREAM', its first 100,000 futures.\n"
      "Conditions use context factors (the situation, actors, drivers, events) and planning factors\n"
      "(force generation, costs); --model-factors also searches the engine's constants.\n\nOptions");
  // clang-format off
  options.add_options()
      ("help,h", "show this help")
      ("option", po::value<std::string>(), "option id [the leading option by expected score]")
      ("runs,n", po::value<std::int64_t>()->default_value(5000), "realisations sampled, 100 to 10^6")
      ("threshold", po::value<double>(), "failure means a score below this, instead of relapse to war")
      ("horizon", po::value<int>(), "months to simulate [scenario's]")
      ("seed", po::value<std::string>(), "random seed [scenario's]")
      ("threads,t", po::value<int>()->default_value(0), "worker threads, 0 = all cores")
      ("model-factors", "also search the engine's constants and effect sizes (e.g. dynamics.base_risk)");
  // clang-format on
  const po::variables_map vm = parse(args, options, {"scenario"});
  if (vm.count("help")) {
    std::cout << options << "\nExample:\n  peacesim discover --option large_pko\n";
    return kExitOk;
  }
  // --threads goes with stored futures too: it bounds the search, which the report does not depend on.
  if (const std::optional<v1::Results> stored = stored_futures(vm, {"runs", "horizon", "seed"})) {
    const v1::Results& results = *stored;
    std::optional<double> threshold;
    if (vm.count("threshold")) threshold = checked_threshold(vm["threshold"].as<double>());
    print_discovery(discover_in_results(results, vm.count("option") ? vm["option"].as<std::string>() : "", threshold,
                                        10, vm.count("model-factors") > 0, vm["threads"].as<int>()));
    return kExitOk;
  }
  const io::LoadedScenario loaded = load(vm);
  DiscoveryRequest request;
  if (vm.count("option")) request.option = vm["option"].as<std::string>();
  request.runs = vm["runs"].as<std::int64_t>();
  if (vm.count("threshold")) request.threshold = checked_threshold(vm["threshold"].as<double>());
  if (vm.count("horizon")) request.horizon = vm["horizon"].as<int>();
  if (vm.count("seed")) request.seed = parse_seed(vm["seed"].as<std::string>());
  request.threads = vm["threads"].as<int>();
  request.model_factors = vm.count("model-factors") > 0;
  print_discovery(run_discovery(loaded.scenario, request));
  return kExitOk;
}

void print_discovery(const DiscoveryReport& r) {
  std::printf("%s fails (%s) in %.1f%% of %lld futures.\n", io::printable(r.option).c_str(),
              io::printable(r.failure).c_str(), 100 * r.failure_rate, static_cast<long long>(r.runs));
  if (r.model_factors_left_out > 0)
    std::printf(
        "Searched %zu context and planning factors; %d model factors (engine constants, effect sizes) left out: "
        "--model-factors adds them.\n",
        r.inputs.size(), r.model_factors_left_out);
  const PrimBox& box = r.box;
  std::string when;
  for (const Restriction& x : box.restrictions) when += (when.empty() ? "" : " and ") + io::describe_restriction(r, x);
  if (box.restrictions.empty()) {
    std::printf("No box of conditions concentrates the failures.\n");
  } else {
    std::printf("It fails mostly when %s:\n", io::printable(when).c_str());
    std::printf("  %.0f%% of its failures happen there (coverage), %.0f%% of the futures there fail (density),\n",
                100 * box.coverage, 100 * box.density);
    std::printf("  and such futures are %.0f%% of all (mass).\n", 100 * box.mass);
    std::printf("\n  %-60s %-9s %s\n", "restriction", "quasi-p", "stability (share of 10 resamples)");
    for (const Restriction& x : box.restrictions) {
      // A two-sided restriction shows each side's quasi-p: lower / upper.
      const bool both = !std::isinf(x.lower) && !std::isinf(x.upper);
      const std::string qp =
          both ? io::fmt("%.2g", x.quasi_p_lower) + "/" + io::fmt("%.2g", x.quasi_p_upper) : io::fmt("%.2g", x.quasi_p);
      std::printf("  %-60s %-9s %.0f%%\n", io::printable(io::describe_restriction(r, x)).c_str(), qp.c_str(),
                  100 * r.stability[x.dimension]);
    }
  }
  std::printf(
      "\nPeeling trajectory (box %d chosen: best balance of coverage and density; restrictions with a quasi-p\n"
      "above 0.05 then dropped):\n",
      r.chosen);
  std::printf("  %4s  %8s  %7s  %5s  %s\n", "box", "coverage", "density", "mass", "restricted");
  for (std::size_t k = 0; k < r.trajectory.size(); ++k) {
    const PrimBox& b = r.trajectory[k];
    std::printf("  %4zu  %8.3f  %7.3f  %5.3f  %zu\n", k, b.coverage, b.density, b.mass, b.restrictions.size());
  }
}

int brief_command(const std::vector<std::string>& args) {
  po::options_description options(
      "Usage: peacesim brief RESULTS [--markdown]\n\n"
      "Prints the strategy brief of a results file written by 'peacesim run --brief --out RESULTS':\n"
      "the recommended option and why, the necessary conditions, the UN role and aim, resources and\n"
      "time, other international players, key sensitivities, and the runner-up.\n\nOptions");
  // clang-format off
  options.add_options()
      ("help,h", "show this help")
      ("markdown", "Markdown instead of plain text");
  // clang-format on
  const po::variables_map vm = parse(args, options, {"results"});
  if (vm.count("help")) {
    std::cout << options;
    return kExitOk;
  }
  if (!vm.count("results")) throw po::error("missing RESULTS: a file written by 'peacesim run --brief --out'");
  const v1::Results results = io::read_results(vm["results"].as<std::string>());
  if (!results.has_brief())
    throw io::InputError({{vm["results"].as<std::string>(),
                           {},
                           "",
                           "has no strategy brief; write it with 'peacesim run --brief --out FILE'"}});
  print_brief(results, std::cout, vm.count("markdown") > 0);
  return kExitOk;
}

int report_command(const std::vector<std::string>& args) {
  po::options_description options(
      "Usage: peacesim report RESULTS -o REPORT.html\n\n"
      "Writes the planner's dashboard for a results file (.pb or .json) as one self-contained HTML\n"
      "page (inline CSS and SVG, no scripts, prints on A4): ranking, score distributions, relapse\n"
      "curves, fan charts, gender panel, planning scenarios, the recommended option's\n"
      "synchronisation matrix, provenance, and with 'run --brief' results the strategy brief,\n"
      "sensitivity tornado and scenario-discovery boxes.\n\nOptions");
  // clang-format off
  options.add_options()
      ("help,h", "show this help")
      ("out,o", po::value<std::string>(), "the HTML file to write (required)");
  // clang-format on
  const po::variables_map vm = parse(args, options, {"results"});
  if (vm.count("help")) {
    std::cout << options << "\nExample:\n  peacesim run --brief --out r.pb && peacesim report r.pb -o report.html\n";
    return kExitOk;
  }
  if (!vm.count("results")) throw po::error("missing RESULTS: a file written by 'peacesim run --out'");
  if (!vm.count("out")) throw po::error("missing -o REPORT.html: where to write the report");
  require_html(vm["out"].as<std::string>(), "-o");
  io::check_writable(vm["out"].as<std::string>(), "-o");
  require_distinct_outputs(vm, {{"the results", vm["results"].as<std::string>()}});
  const v1::Results results = io::read_results(vm["results"].as<std::string>());
  io::write_atomically(vm["out"].as<std::string>(), report::html_report(results));
  std::cerr << "peacesim: report in " << io::printable(vm["out"].as<std::string>()) << "\n";
  return kExitOk;
}

int assess_command(const std::vector<std::string>& args) {
  po::options_description options(
      "Usage: peacesim assess SCENARIO OBSERVATIONS [--runs N] [--out FILE] [--report FILE.html]\n\n"
      "Assesses what was observed since the plan (CPAS): updates the scenario's futures with the\n"
      "observations (sequential Monte Carlo over futures simulated under the option implemented),\n"
      "says which observations fall outside the plan's 90% bands and which uncertain quantities\n"
      "they moved, and re-scores every option from the last observed month on: whether the\n"
      "recommendation changed, and why. With no option implemented, the Level One screen: the\n"
      "probability of war within 12 and 24 months with no UN action, and whether to start planning.\n"
      "OBSERVATIONS is a .textproto or .json file (proto/peacesim/v1/observations.proto).\n\nOptions");
  // clang-format off
  options.add_options()
      ("help,h", "show this help")
      ("runs,n", po::value<int>()->default_value(2000), "futures in the assessment, [100, 100000]")
      ("horizon", po::value<int>(), "months of the futures [scenario's]")
      ("seed", po::value<std::string>(), "random seed [scenario's]")
      ("threads,t", po::value<int>()->default_value(0), "worker threads, 0 = all cores")
      ("start-threshold", po::value<double>()->default_value(0.25),
       "Level One: P(war within 12 months) at or above which to start planning")
      ("defer-threshold", po::value<double>()->default_value(0.10),
       "Level One: P(war within 12 months) at or above which to defer (monitor and assess again)")
      ("out,o", po::value<std::string>(), "write the assessment to FILE: .pb (binary protobuf) or .json")
      ("report", po::value<std::string>(), "also write the CPAS dashboard to FILE (.html)");
  // clang-format on
  const po::variables_map vm = parse(args, options, {"scenario", "observations"});
  if (vm.count("help")) {
    std::cout << options
              << "\nExample:\n  peacesim assess scenarios/carana.textproto scenarios/carana-observations.textproto\n";
    return kExitOk;
  }
  if (!vm.count("scenario") || !vm.count("observations"))
    throw po::error("missing SCENARIO and OBSERVATIONS: the scenario planned and what was observed since");
  if (vm.count("out")) {
    io::results_format_of(vm["out"].as<std::string>());
    io::check_writable(vm["out"].as<std::string>(), "--out");
  }
  if (vm.count("report")) {
    require_html(vm["report"].as<std::string>(), "--report");
    io::check_writable(vm["report"].as<std::string>(), "--report");
  }
  require_distinct_outputs(vm, {{"the scenario", vm["scenario"].as<std::string>()},
                                {"the observations", vm["observations"].as<std::string>()}});
  const io::LoadedScenario loaded = load(vm);
  const io::LoadedObservations observations = io::load_observations(vm["observations"].as<std::string>());
  AssessRequest request;
  request.particles = vm["runs"].as<int>();
  if (vm.count("horizon")) request.horizon = vm["horizon"].as<int>();
  if (vm.count("seed")) request.seed = parse_seed(vm["seed"].as<std::string>());
  request.threads = vm["threads"].as<int>();
  request.start_threshold = vm["start-threshold"].as<double>();
  request.defer_threshold = vm["defer-threshold"].as<double>();
  const v1::Assessment assessment = run_assessment(loaded.scenario, observations, request);
  print_assessment(assessment, std::cout);
  if (vm.count("out")) {
    io::write_message(assessment, vm["out"].as<std::string>());
    std::cerr << "peacesim: assessment in " << io::printable(vm["out"].as<std::string>()) << "\n";
  }
  if (vm.count("report")) {
    io::write_atomically(vm["report"].as<std::string>(), report::assessment_report(assessment));
    std::cerr << "peacesim: report in " << io::printable(vm["report"].as<std::string>()) << "\n";
  }
  return kExitOk;
}

int init_command(const std::vector<std::string>& args) {
  po::options_description options(
      "Usage: peacesim init NAME [--force]\n\n"
      "Writes NAME.textproto, a commented starter scenario that validates and runs as it stands:\n"
      "situation, causal factors, actors, dynamics, gender, options, planning scenarios and\n"
      "criteria, each explained where it is set. docs/scenario-guide.md walks through it.\n\nOptions");
  // clang-format off
  options.add_options()
      ("help,h", "show this help")
      ("force", "overwrite NAME.textproto if it exists (not a read-only one)");
  // clang-format on
  const po::variables_map vm = parse(args, options, {"name"});
  if (vm.count("help")) {
    std::cout << options << "\nExample:\n  peacesim init kivu && peacesim validate kivu.textproto\n";
    return kExitOk;
  }
  if (!vm.count("name")) throw po::error("missing NAME: the scenario to create, for example 'peacesim init kivu'");
  std::string path = vm["name"].as<std::string>();
  if (!path.ends_with(".textproto")) path += ".textproto";
  const std::string stem = std::filesystem::path(path).stem().string();
  // (an empty NAME gives ".textproto", and ".." gives "...textproto": dot files)
  if (stem.empty() || stem.front() == '.')
    throw po::error("NAME is empty or begins with a dot; give the scenario a name, for example 'peacesim init kivu'");
  for (char c : stem)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f || c == '"' || c == '\\')
      throw std::invalid_argument(
          "NAME holds a control character, a quote or a backslash; use letters, digits, '-' and '_'");
  if (!io::valid_utf8(stem)) throw std::invalid_argument("NAME is not valid UTF-8; use letters, digits, '-' and '_'");
  if (std::ifstream(path) && !vm.count("force"))
    throw std::invalid_argument(io::printable(path) + " exists; choose another NAME or add --force to overwrite it");
  io::check_writable(path, "NAME");
  std::string text(io::starter_scenario_text());
  const std::string placeholder = "name: \"NAME\"";
  text.replace(text.find(placeholder), placeholder.size(), "name: \"" + stem + "\"");
  io::write_atomically(path, text);
  const std::string shown = io::printable(path);  // its directories come from the command line too
  std::cout << "wrote " << shown << "\nnext:\n  peacesim validate " << shown << "\n  peacesim run " << shown
            << " --report " << stem << "-report.html\n"
            << "then edit it part by part (docs/scenario-guide.md).\n";
  return kExitOk;
}

}  // namespace peacesim::cli
