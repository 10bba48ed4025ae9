// Scenario reading; see load.h.
#include "engine/io/load.h"

#include <google/protobuf/io/tokenizer.h>
#include <google/protobuf/text_format.h>
#include <google/protobuf/util/json_util.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "engine/io/guidance.h"

namespace peacesim::io {

extern const std::string_view kDefaultScenarioText;
extern const std::string_view kStarterScenarioText;

namespace {

class CollectErrors : public google::protobuf::io::ErrorCollector {
 public:
  CollectErrors(const std::string& file, std::vector<Diagnostic>& out) : file_(file), out_(out) {}
  void AddError(int line, google::protobuf::io::ColumnNumber column, const std::string& message) override {
    out_.push_back({file_, {line + 1, column + 1}, "", message});
  }
  void AddWarning(int, google::protobuf::io::ColumnNumber, const std::string&) override {}

 private:
  const std::string& file_;
  std::vector<Diagnostic>& out_;
};

}  // namespace

Format format_of(const std::string& path, const std::string& what) {
  if (path.ends_with(".json")) return Format::kJson;
  if (path.ends_with(".textproto") || path.ends_with(".txtpb") || path.ends_with(".pbtxt") || path.ends_with(".txt"))
    return Format::kText;
  const bool results = path.ends_with(".pb") || path.ends_with(".binpb");
  throw InputError(
      {{path,
        {},
        "",
        results ? "this is a results file, not " + std::string(what == "scenario" ? "a scenario" : what) +
                      "; read it with 'peacesim show' or 'peacesim report'"
                : "unknown " + what + " format; expected a .textproto (also .txtpb, .pbtxt, .txt) or .json file"}});
}

std::string read_file(const std::string& path) {
  // Only regular files, and at most 256 MB: a directory or a device (/dev/zero) is no input.
  constexpr std::uintmax_t kMaxBytes = 256u << 20;
  auto too_large = [&] {
    return InputError({{path, {}, "", "is larger than 256 MB; no scenario or results file is that large"}});
  };
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (!ec && std::filesystem::is_directory(status)) throw InputError({{path, {}, "", "is a directory; name a file"}});
  if (!ec && std::filesystem::exists(status) && !std::filesystem::is_regular_file(status))
    throw InputError({{path, {}, "", "is not a regular file (a device, a pipe or a socket); name a file"}});
  std::uintmax_t size = 0;
  if (!ec && std::filesystem::is_regular_file(status)) {
    size = std::filesystem::file_size(path, ec);
    if (ec) size = 0;
    if (size > kMaxBytes) throw too_large();
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError({{path, {}, "", std::string("cannot read the file: ") + std::strerror(errno)}});
  // Room for the size the file had, so that a part or a results file of megabytes is not copied
  // again and again as it is read; read to the end whatever the size now is.
  std::string bytes;
  bytes.reserve(static_cast<std::size_t>(size));
  char chunk[1 << 16];
  while (in.read(chunk, sizeof chunk) || in.gcount() > 0) {
    bytes.append(chunk, static_cast<std::size_t>(in.gcount()));
    if (bytes.size() > kMaxBytes) throw too_large();
  }
  if (in.bad()) throw InputError({{path, {}, "", "cannot read the file"}});
  return bytes;
}

namespace {

// Parses `text` into `message`; throws InputError with located diagnostics. Returns where each field
// was written.
std::unique_ptr<Locator> parse_into(google::protobuf::Message& message, std::string_view text, const std::string& file,
                                    Format format, const char* what) {
  std::vector<Diagnostic> errors;
  if (format == Format::kText) {
    google::protobuf::TextFormat::Parser parser;
    CollectErrors collector(file, errors);
    parser.RecordErrorsTo(&collector);
    auto tree = std::make_unique<google::protobuf::TextFormat::ParseInfoTree>();
    parser.WriteLocationsTo(tree.get());
    const bool ok = parser.ParseFromString(std::string(text), &message);
    if (!ok && errors.empty())
      errors.push_back({file, {1, 1}, "", std::string("the ") + what + " could not be parsed"});
    if (!errors.empty()) {
      add_guidance(errors);
      throw InputError(std::move(errors));
    }
    return std::make_unique<TextLocator>(message.GetDescriptor(), std::move(tree));
  }
  std::map<std::string, Location> keys;
  if (!scan_json(text, message.GetDescriptor(), file, keys, errors)) {
    add_guidance(errors);
    throw InputError(std::move(errors));
  }
  google::protobuf::util::JsonParseOptions options;
  const auto status = google::protobuf::util::JsonStringToMessage(std::string(text), &message, options);
  auto locator = std::make_unique<JsonLocator>(std::move(keys));
  if (!status.ok()) {
    // scan_json checks what the parser checks, so this is a backstop: the parser's message starts
    // with the field path in parentheses, which locates it.
    const std::string text_of_error(status.message());
    const std::string path = text_of_error.starts_with("(") ? text_of_error.substr(1, text_of_error.find(')') - 1) : "";
    throw InputError({{file, locator->locate(path), path, text_of_error}});
  }
  return locator;
}

}  // namespace

LoadedScenario parse_scenario(std::string_view text, const std::string& file, Format format) {
  LoadedScenario out;
  out.file = file;
  out.locator = parse_into(out.scenario, text, file, format, "scenario");
  return out;
}

LoadedObservations parse_observations(std::string_view text, const std::string& file, Format format) {
  LoadedObservations out;
  out.file = file;
  out.locator = parse_into(out.observations, text, file, format, "observations");
  return out;
}

LoadedObservations load_observations(const std::string& path) {
  const Format format = format_of(path, "observations");
  return parse_observations(read_file(path), path, format);
}

LoadedScenario load_scenario(const std::string& path) {
  const Format format = format_of(path);
  return parse_scenario(read_file(path), path, format);
}

std::string_view default_scenario_text() { return kDefaultScenarioText; }

std::string_view starter_scenario_text() { return kStarterScenarioText; }

LoadedScenario load_default_scenario() {
  return parse_scenario(kDefaultScenarioText, "<default scenario: carana.textproto>", Format::kText);
}

}  // namespace peacesim::io
