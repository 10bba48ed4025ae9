// Located diagnostics; see diagnostics.h.
#include "engine/io/diagnostics.h"

namespace peacesim::io {

std::string format(const Diagnostic& d) {
  std::string s = d.file;
  if (d.where.line > 0) s += ":" + std::to_string(d.where.line) + ":" + std::to_string(std::max(d.where.column, 1));
  s += ": error: ";
  if (!d.path.empty()) s += d.path + ": ";
  s += d.message;
  if (!d.example.empty()) s += "\n  example: " + d.example;
  return s;
}

namespace {
std::string summary(const std::vector<Diagnostic>& ds) {
  std::string s;
  for (const auto& d : ds) s += format(d) + "\n";
  return s;
}
}  // namespace

InputError::InputError(std::vector<Diagnostic> diagnostics)
    : std::runtime_error(summary(diagnostics)), diagnostics_(std::move(diagnostics)) {}

}  // namespace peacesim::io
