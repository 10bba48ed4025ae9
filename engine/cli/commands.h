// The peacesim commands. Each returns the process exit code: 0 success, 2 bad input or usage,
// 1 internal error.
#pragma once

#include <string>
#include <vector>

namespace peacesim::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitInternal = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitOutput = 3;  // the output could not be written (a full disk, ...)

int run_command(const std::vector<std::string>& args);
int merge_command(const std::vector<std::string>& args);
int validate_command(const std::vector<std::string>& args);
int show_command(const std::vector<std::string>& args);
int sensitivity_command(const std::vector<std::string>& args);
int discover_command(const std::vector<std::string>& args);
int brief_command(const std::vector<std::string>& args);
int report_command(const std::vector<std::string>& args);
int assess_command(const std::vector<std::string>& args);
int init_command(const std::vector<std::string>& args);

// Before a merge, which reads parts of tens of MB one after another: keeps the memory they free for
// the next instead of handing it back to the system, where each part's tables would be mapped and
// cleared afresh (page faults took most of a merge's time). Process-wide; glibc's malloc only.
void reuse_freed_memory();

}  // namespace peacesim::cli
