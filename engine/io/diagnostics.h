// Errors in user input, located in the file: "file:line:col: error: field.path: what is wrong".
// Every user mistake becomes a Diagnostic (never an assertion or a crash); the command line
// prints them all and exits with code 2.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace peacesim::io {

struct Location {
  int line = 0;    // 1-based; 0 when unknown
  int column = 0;  // 1-based
};

struct Diagnostic {
  std::string file;
  Location where;
  std::string path;          // field path, e.g. "drivers[2].reversion.uniform.min"; may be empty
  std::string message;       // what is wrong and what is expected
  std::string example = {};  // an example of what is expected (scenario errors; may be empty)
};

// "file:line:col: error: path: message", then "  example: ..." on its own line when there is one.
std::string format(const Diagnostic& d);

// Thrown when input cannot be used; carries every diagnostic found.
class InputError : public std::runtime_error {
 public:
  explicit InputError(std::vector<Diagnostic> diagnostics);
  const std::vector<Diagnostic>& diagnostics() const { return diagnostics_; }

 private:
  std::vector<Diagnostic> diagnostics_;
};

}  // namespace peacesim::io
