// peacesim: compares candidate UN strategies for a country on many simulated futures.
#include <boost/program_options/errors.hpp>
#include <exception>
#include <iostream>
#include <stdexcept>
#include <string>
#include <vector>

#include "engine/cli/commands.h"
#include "engine/cli/processor.h"
#include "engine/io/diagnostics.h"
#include "engine/io/results_io.h"
#include "engine/io/results_view.h"

namespace {

constexpr const char* kUsage =
    "peacesim " PEACESIM_VERSION
    " - peace and conflict analysis with scenario simulation\n"
    "\n"
    "Usage: peacesim COMMAND [OPTIONS]\n"
    "\n"
    "Commands:\n"
    "  run [SCENARIO]     simulate every option on sampled futures and rank them\n"
    "                     (without SCENARIO, the bundled Carana scenario)\n"
    "  merge PARTS... -o RESULTS  the results of a run from its shards (run --shard K/N)\n"
    "  validate SCENARIO  check a scenario and report every error with its location\n"
    "  show RESULTS       print results again: ranked table, --json or --csv\n"
    "  sensitivity [SCENARIO]  Sobol' indices: which uncertainties decide each option's score\n"
    "  discover [SCENARIO]     scenario discovery (PRIM): the conditions under which an option fails\n"
    "  brief RESULTS           the strategy brief of a run made with --brief (--markdown)\n"
    "  report RESULTS -o FILE  the planner's dashboard: one self-contained HTML page\n"
    "  assess SCENARIO OBSERVATIONS  what the observed months say: updated futures, options re-scored\n"
    "  init NAME               write a commented starter scenario, NAME.textproto\n"
    "\n"
    "Run 'peacesim COMMAND --help' for a command's options.\n"
    "Exit codes: 0 success, 2 bad input or usage, 3 output not written, 1 internal error.\n";

}  // namespace

namespace {
int dispatch(int argc, char** argv) {
  using namespace peacesim::cli;
  using peacesim::io::printable;  // file names and values given by the user reach the terminal
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) {
    std::cerr << kUsage;
    return kExitUsage;
  }
  std::string command = args.front();
  args.erase(args.begin());
  // "peacesim help COMMAND" is "peacesim COMMAND --help".
  if (command == "help" && !args.empty()) {
    command = args.front();
    args.assign({"--help"});
  }
  peacesim::io::remove_temporary_files_on_signals();
  try {
    if (command == "--help" || command == "-h" || command == "help") {
      std::cout << kUsage;
      return kExitOk;
    }
    if (command == "--version") {
      // The processor extensions the build uses, beyond the architecture's baseline (PEACESIM_MARCH).
      std::string extensions = kBuiltFor;
      if (!extensions.empty()) extensions.pop_back();  // each name is followed by a space
      std::cout << "peacesim " << PEACESIM_VERSION
                << "\nprocessor extensions used: " << (extensions.empty() ? "none beyond the baseline" : extensions)
                << "\n";
      return kExitOk;
    }
    if (command == "run") return run_command(args);
    if (command == "merge") return merge_command(args);
    if (command == "validate") return validate_command(args);
    if (command == "show") return show_command(args);
    if (command == "sensitivity") return sensitivity_command(args);
    if (command == "discover") return discover_command(args);
    if (command == "brief") return brief_command(args);
    if (command == "report") return report_command(args);
    if (command == "assess") return assess_command(args);
    if (command == "init") return init_command(args);
    std::cerr << "peacesim: unknown command '" << printable(command)
              << "'; expected run, validate, show, sensitivity, discover, brief, report, assess or init\n\n"
              << kUsage;
    return kExitUsage;
  } catch (const peacesim::io::InputError& e) {
    std::cerr << printable(e.what());
    return kExitUsage;
  } catch (const boost::program_options::error& e) {
    std::cerr << "peacesim " << printable(command) << ": " << printable(e.what()) << "\nRun 'peacesim "
              << printable(command) << " --help' for usage.\n";
    return kExitUsage;
  } catch (const std::invalid_argument& e) {
    std::cerr << "peacesim " << printable(command) << ": " << printable(e.what()) << "\n";
    return kExitUsage;
  } catch (const peacesim::io::OutputError& e) {
    std::cerr << "peacesim " << printable(command) << ": cannot write the output: " << printable(e.what()) << "\n";
    return kExitOutput;
  } catch (const std::exception& e) {
    std::cerr << "peacesim " << printable(command) << ": internal error: " << printable(e.what()) << "\n";
    return kExitInternal;
  }
}
}  // namespace

// Standard output that cannot be written (a full disk) is an error, not a success. A closed pipe
// ends the process by SIGPIPE before this (io::remove_temporary_files_on_signals).
int main(int argc, char** argv) {
  const int code = dispatch(argc, argv);
  std::cout.flush();
  if (!std::cout) {
    std::cerr << "peacesim: cannot write to standard output\n";
    return code == peacesim::cli::kExitOk ? peacesim::cli::kExitOutput : code;
  }
  return code;
}
