// Where a field of an input message was written: maps a field path such as
// "drivers[2].reversion.uniform.min" to the line and column of that field in the file. Text
// format uses protobuf's TextFormat::ParseInfoTree; JSON uses the positions the JSON scanner
// recorded. A field that is absent is located at its nearest present ancestor.
#pragma once

#include <google/protobuf/descriptor.h>
#include <google/protobuf/text_format.h>

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/io/diagnostics.h"

namespace peacesim::io {

class Locator {
 public:
  virtual ~Locator() = default;
  virtual Location locate(const std::string& path) const = 0;
};

struct PathSegment {
  std::string field;
  int index = -1;  // -1 for a singular field
};

// The length (1 to 4) of the UTF-8 sequence at `at` of `text`, or 0 when it is not valid UTF-8: a
// stray byte, an overlong form, a surrogate, beyond U+10FFFF or cut short.
std::size_t utf8_sequence_length(std::string_view text, std::size_t at);

// Whether `text` is valid UTF-8 throughout.
bool valid_utf8(std::string_view text);

// Splits "a[2].b.c" into {a,2} {b,-1} {c,-1}.
std::vector<PathSegment> split_path(const std::string& path);

class TextLocator : public Locator {
 public:
  TextLocator(const google::protobuf::Descriptor* root,
              std::unique_ptr<google::protobuf::TextFormat::ParseInfoTree> tree);
  Location locate(const std::string& path) const override;

 private:
  const google::protobuf::Descriptor* root_;
  std::unique_ptr<google::protobuf::TextFormat::ParseInfoTree> tree_;
};

class JsonLocator : public Locator {
 public:
  // Keys are field paths with proto field names ("drivers[2].reversion").
  explicit JsonLocator(std::map<std::string, Location> keys) : keys_(std::move(keys)) {}
  Location locate(const std::string& path) const override;

 private:
  std::map<std::string, Location> keys_;
};

// Scans JSON text against a message type and records where every field was written. It checks
// everything protobuf's JSON parser checks, so that each error is reported at the offending key or
// value with its field path: syntax, unknown and repeated keys, two members of a oneof, values of
// the wrong JSON type, numbers out of their field's range (int32, uint64, ...) or not whole,
// unknown enum names, string escapes and UTF-8. Returns false (and appends diagnostics) on errors.
bool scan_json(std::string_view text, const google::protobuf::Descriptor* root, const std::string& file,
               std::map<std::string, Location>& keys, std::vector<Diagnostic>& errors);

}  // namespace peacesim::io
