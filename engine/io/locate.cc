// Locating fields in input files; see locate.h.
#include "engine/io/locate.h"

#include <cctype>
#include <cfloat>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <set>
#include <tuple>

namespace peacesim::io {

std::size_t utf8_sequence_length(std::string_view text, std::size_t at) {
  auto byte = [&](std::size_t k) { return at + k < text.size() ? static_cast<unsigned char>(text[at + k]) : 0; };
  const unsigned char b = byte(0);
  if (b < 0x80) return 1;
  std::size_t n = 0;
  unsigned char low = 0x80, high = 0xBF;  // the range of the second byte
  if (b >= 0xC2 && b <= 0xDF) {
    n = 2;
  } else if (b >= 0xE0 && b <= 0xEF) {
    n = 3;
    low = b == 0xE0 ? 0xA0 : low;
    high = b == 0xED ? 0x9F : high;
  } else if (b >= 0xF0 && b <= 0xF4) {
    n = 4;
    low = b == 0xF0 ? 0x90 : low;
    high = b == 0xF4 ? 0x8F : high;
  } else {
    return 0;
  }
  if (byte(1) < low || byte(1) > high) return 0;
  for (std::size_t k = 2; k < n; ++k)
    if (byte(k) < 0x80 || byte(k) > 0xBF) return 0;
  return n;
}

bool valid_utf8(std::string_view text) {
  for (std::size_t at = 0; at < text.size();) {
    const std::size_t n = utf8_sequence_length(text, at);
    if (n == 0) return false;
    at += n;
  }
  return true;
}

namespace gp = google::protobuf;

std::vector<PathSegment> split_path(const std::string& path) {
  std::vector<PathSegment> out;
  std::size_t i = 0;
  while (i < path.size()) {
    PathSegment seg;
    while (i < path.size() && path[i] != '.' && path[i] != '[') seg.field += path[i++];
    if (i < path.size() && path[i] == '[') {
      const std::size_t close = path.find(']', i);
      const std::string inside = path.substr(i + 1, close == std::string::npos ? std::string::npos : close - i - 1);
      seg.index = !inside.empty() && std::isdigit(static_cast<unsigned char>(inside[0])) ? std::stoi(inside) : -1;
      i = close == std::string::npos ? path.size() : close + 1;
    }
    if (i < path.size() && path[i] == '.') ++i;
    out.push_back(seg);
  }
  return out;
}

TextLocator::TextLocator(const gp::Descriptor* root, std::unique_ptr<gp::TextFormat::ParseInfoTree> tree)
    : root_(root), tree_(std::move(tree)) {}

Location TextLocator::locate(const std::string& path) const {
  Location best{1, 1};
  const gp::Descriptor* desc = root_;
  const gp::TextFormat::ParseInfoTree* tree = tree_.get();
  for (const PathSegment& seg : split_path(path)) {
    if (desc == nullptr || tree == nullptr) break;
    const gp::FieldDescriptor* field = desc->FindFieldByName(seg.field);
    if (field == nullptr) break;
    const int index = field->is_repeated() ? std::max(seg.index, 0) : -1;
    const gp::TextFormat::ParseLocation loc = tree->GetLocation(field, index);
    if (loc.line < 0) break;
    best = {loc.line + 1, loc.column + 1};
    if (field->type() != gp::FieldDescriptor::TYPE_MESSAGE) break;
    tree = tree->GetTreeForNested(field, index);
    desc = field->message_type();
  }
  return best;
}

Location JsonLocator::locate(const std::string& path) const {
  // The longest prefix of the path that was written.
  std::string prefix;
  Location best{1, 1};
  for (const PathSegment& seg : split_path(path)) {
    prefix += (prefix.empty() ? "" : ".") + seg.field;
    auto it = keys_.find(prefix);
    if (it == keys_.end()) break;
    best = it->second;
    if (seg.index >= 0) {
      prefix += "[" + std::to_string(seg.index) + "]";
      it = keys_.find(prefix);
      if (it == keys_.end()) break;
      best = it->second;
    }
  }
  return best;
}

namespace {

class JsonScanner {
 public:
  JsonScanner(std::string_view text, const std::string& file, std::map<std::string, Location>& keys,
              std::vector<Diagnostic>& errors)
      : text_(text), file_(file), keys_(keys), errors_(errors) {}

  bool run(const gp::Descriptor* root) {
    skip();
    if (!value_message(root, "")) return false;
    skip();
    if (pos_ < text_.size()) return fail("unexpected text after the end of the JSON document", "");
    return errors_.empty();
  }

 private:
  Location here() const { return {line_, col_}; }
  int depth_ = 0;

  bool fail(const std::string& message, const std::string& path) {
    errors_.push_back({file_, here(), path, message});
    return false;
  }

  void advance() {
    if (text_[pos_] == '\n') {
      ++line_;
      col_ = 1;
    } else {
      ++col_;
    }
    ++pos_;
  }

  void skip() {
    while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) advance();
  }

  bool expect(char c, const std::string& path) {
    skip();
    if (pos_ >= text_.size() || text_[pos_] != c)
      return fail(std::string("expected '") + c + "'" +
                      (pos_ < text_.size() ? std::string(" but found '") + text_[pos_] + "'" : " but the file ended"),
                  path);
    advance();
    return true;
  }

  // The value of the four hexadecimal digits at `at`, or -1 when there are not four.
  int hex4(std::size_t at) const {
    int v = 0;
    for (std::size_t k = at; k < at + 4; ++k) {
      if (k >= text_.size() || !std::isxdigit(static_cast<unsigned char>(text_[k]))) return -1;
      const int c = std::tolower(static_cast<unsigned char>(text_[k]));
      v = v * 16 + (c <= '9' ? c - '0' : c - 'a' + 10);
    }
    return v;
  }

  std::size_t utf8_length(std::size_t at) const { return utf8_sequence_length(text_, at); }

  // A JSON string: its escapes, its UTF-8 and its surrogate pairs checked, as protobuf checks them.
  bool string(std::string* out, const std::string& path) {
    skip();
    if (pos_ >= text_.size() || text_[pos_] != '"') return fail("expected a string in double quotes", path);
    advance();
    std::string s;
    auto take = [&](std::size_t n) {
      for (std::size_t k = 0; k < n && pos_ < text_.size(); ++k) {
        s += text_[pos_];
        advance();
      }
    };
    while (pos_ < text_.size() && text_[pos_] != '"') {
      const auto c = static_cast<unsigned char>(text_[pos_]);
      if (c == '\n') return fail("a string may not span lines", path);
      if (c < 0x20) return fail("a control character in a string; write it as an escape such as \\t", path);
      if (c != '\\') {
        const std::size_t n = utf8_length(pos_);
        if (n == 0) return fail("the string is not valid UTF-8; save the file as UTF-8", path);
        take(n);
        continue;
      }
      advance();
      if (pos_ >= text_.size()) break;
      if (std::string_view("\"\\/bfnrtu").find(text_[pos_]) == std::string_view::npos)
        return fail(std::string("unknown escape '\\") + text_[pos_] +
                        "' in a string; expected one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX",
                    path);
      if (text_[pos_] != 'u') {
        take(1);
        continue;
      }
      // \uXXXX, or a surrogate pair \uD8xx\uDCxx for a character beyond U+FFFF.
      const int u = hex4(pos_ + 1);
      if (u < 0) return fail("\\u in a string must be followed by four hexadecimal digits", path);
      const bool first = u >= 0xD800 && u <= 0xDBFF;
      const bool pair_follows = pos_ + 6 < text_.size() && text_[pos_ + 5] == '\\' && text_[pos_ + 6] == 'u';
      const int second = first && pair_follows ? hex4(pos_ + 7) : -1;
      if ((u >= 0xDC00 && u <= 0xDFFF) || (first && !(second >= 0xDC00 && second <= 0xDFFF)))
        return fail("\\u" + std::string(text_.substr(pos_ + 1, 4)) +
                        " is half of a surrogate pair; a character beyond U+FFFF is written as a pair such as "
                        "\\ud83d\\ude00",
                    path);
      take(first ? 11 : 5);  // "uXXXX" or "uXXXX\uXXXX"
    }
    if (pos_ >= text_.size()) return fail("unterminated string", path);
    advance();
    if (out) *out = s;
    return true;
  }

  enum class Kind { kObject, kArray, kString, kNumber, kBool, kNull, kInvalid };

  Kind peek() {
    skip();
    if (pos_ >= text_.size()) return Kind::kInvalid;
    const char c = text_[pos_];
    if (c == '{') return Kind::kObject;
    if (c == '[') return Kind::kArray;
    if (c == '"') return Kind::kString;
    if (c == '-' || std::isdigit(static_cast<unsigned char>(c))) return Kind::kNumber;
    if (c == 't' || c == 'f') return Kind::kBool;
    if (c == 'n') return Kind::kNull;
    return Kind::kInvalid;
  }

  // A bare word: true, false, null or a number, as the caller expects; returned in `word`.
  bool literal(const std::string& path, std::string_view* word = nullptr) {
    const Location at = here();
    const std::size_t start = pos_;
    while (pos_ < text_.size() && (std::isalnum(static_cast<unsigned char>(text_[pos_])) || text_[pos_] == '.' ||
                                   text_[pos_] == '-' || text_[pos_] == '+'))
      advance();
    const std::string_view w = text_.substr(start, pos_ - start);
    if (w.empty()) return fail("expected a JSON value", path);
    if (w != "true" && w != "false" && w != "null" && !is_json_number(w)) {
      errors_.push_back({file_, at, path,
                         "\"" + std::string(w) +
                             "\" is not a JSON value; expected a number, true, "
                             "false, null, a \"string\", an object { ... } or a list [ ... ]"});
      return false;
    }
    if (word) *word = w;
    return true;
  }

  // -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?, the JSON grammar of a number.
  static bool is_json_number(std::string_view s) {
    std::size_t i = 0;
    auto digits = [&] {
      const std::size_t from = i;
      while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
      return i > from;
    };
    if (i < s.size() && s[i] == '-') ++i;
    if (i < s.size() && s[i] == '0')
      ++i;
    else if (!digits())
      return false;
    if (i < s.size() && s[i] == '.' && (++i, !digits())) return false;
    if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
      ++i;
      if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
      if (!digits()) return false;
    }
    return i == s.size();
  }

  // What the value at the current position is, for messages: "a string", "a list", "true", ...
  std::string found() {
    switch (peek()) {
      case Kind::kObject:
        return "an object { ... }";
      case Kind::kArray:
        return "a list [ ... ]";
      case Kind::kString:
        return "a string";
      case Kind::kInvalid:
        return pos_ < text_.size() ? std::string("'") + text_[pos_] + "'" : "the end of the file";
      default: {
        std::size_t end = pos_;
        while (end < text_.size() && end - pos_ < 40 &&
               (std::isalnum(static_cast<unsigned char>(text_[end])) ||
                std::string_view(".-+").find(text_[end]) != std::string_view::npos))
          ++end;
        return std::string(text_.substr(pos_, end - pos_));
      }
    }
  }

  // Why `text` (a bare number, or the contents of a quoted one) is no value of a field of this
  // type, or "" when it is one. Integers must be whole and within the type's range; protobuf's
  // JSON writes 64-bit integers in quotes, and NaN and Infinity are quoted too.
  static std::string number_problem(std::string_view text, bool quoted, gp::FieldDescriptor::CppType type) {
    const bool floating = type == gp::FieldDescriptor::CPPTYPE_DOUBLE || type == gp::FieldDescriptor::CPPTYPE_FLOAT;
    const std::string shown = quoted ? "\"" + std::string(text) + "\"" : std::string(text);
    if (floating && quoted && (text == "NaN" || text == "Infinity" || text == "-Infinity")) return "";
    if (!is_json_number(text)) return "expected a number, found " + (quoted ? "the string " + shown : shown);
    const double x = std::strtod(std::string(text).c_str(), nullptr);
    if (type == gp::FieldDescriptor::CPPTYPE_DOUBLE)
      return std::isfinite(x) ? "" : "the number " + shown + " is beyond the range of a double";
    if (type == gp::FieldDescriptor::CPPTYPE_FLOAT)
      return std::fabs(x) <= FLT_MAX ? "" : "the number " + shown + " is beyond the range of a float";
    using Limits32 = std::numeric_limits<std::int32_t>;
    using Limits64 = std::numeric_limits<std::int64_t>;
    const auto [name, low, high] =
        type == gp::FieldDescriptor::CPPTYPE_INT32
            ? std::tuple{"int32", std::int64_t{Limits32::min()}, std::uint64_t{Limits32::max()}}
        : type == gp::FieldDescriptor::CPPTYPE_UINT32
            ? std::tuple{"uint32", std::int64_t{0}, std::uint64_t{0xffffffffu}}
        : type == gp::FieldDescriptor::CPPTYPE_UINT64
            ? std::tuple{"uint64", std::int64_t{0}, std::numeric_limits<std::uint64_t>::max()}
            : std::tuple{"int64", Limits64::min(), static_cast<std::uint64_t>(Limits64::max())};
    if (quoted && text.find_first_of(".eE") != std::string_view::npos)
      return "expected a whole number written in digits (" + std::string(name) + "), found the string " + shown;
    const std::string out_of_range = "the number " + shown + " is out of range; expected a whole number in [" +
                                     std::to_string(low) + ", " + std::to_string(high) + "] (" + name + ")";
    if (text.find_first_of(".eE") != std::string_view::npos) {
      // A fraction or an exponent: a whole number within the range. double(high) + 1 is exactly
      // 2^31, 2^32, 2^63 or 2^64, the first number beyond it.
      if (x != std::trunc(x)) return "expected a whole number (" + std::string(name) + "), found " + shown;
      return x >= static_cast<double>(low) && x < static_cast<double>(high) + 1.0 ? "" : out_of_range;
    }
    // A plain integer, compared exactly.
    const char* end = text.data() + text.size();
    if (text.front() == '-') {
      std::int64_t v = 0;
      const auto [ptr, ec] = std::from_chars(text.data(), end, v);
      return ec == std::errc{} && v >= low ? "" : out_of_range;
    }
    std::uint64_t v = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), end, v);
    return ec == std::errc{} && v <= high ? "" : out_of_range;
  }

  // A number for a numeric or enum field, bare or quoted, checked against the field's type.
  bool number(const gp::FieldDescriptor* f, const std::string& path) {
    const Location at = here();
    const Kind kind = peek();
    std::string quoted;
    std::string_view text;
    if (kind == Kind::kString) {
      if (!string(&quoted, path)) return false;
      text = quoted;
    } else if (kind != Kind::kNumber) {
      return fail("expected a number, found " + found(), path);
    } else if (!literal(path, &text)) {
      return false;
    }
    const auto type =
        f->cpp_type() == gp::FieldDescriptor::CPPTYPE_ENUM ? gp::FieldDescriptor::CPPTYPE_INT32 : f->cpp_type();
    const std::string problem = number_problem(text, kind == Kind::kString, type);
    if (problem.empty()) return true;
    errors_.push_back({file_, at, path, problem});
    return false;
  }

  // Any JSON value, not checked against a schema (used for values of unknown shape), nested at most
  // kMaxDepth deep (a deeper document would exhaust the stack).
  static constexpr int kMaxDepth = 200;
  bool any(const std::string& path) {
    struct Depth {
      int& d;
      explicit Depth(int& depth) : d(++depth) {}
      ~Depth() { --d; }
    } depth(depth_);
    if (depth_ > kMaxDepth)
      return fail("the JSON is nested more than " + std::to_string(kMaxDepth) + " levels deep", path);
    switch (peek()) {
      case Kind::kObject: {
        advance();
        skip();
        if (pos_ < text_.size() && text_[pos_] == '}') return advance(), true;
        do {
          if (!string(nullptr, path) || !expect(':', path) || !any(path)) return false;
          skip();
        } while (pos_ < text_.size() && text_[pos_] == ',' && (advance(), true));
        return expect('}', path);
      }
      case Kind::kArray: {
        advance();
        skip();
        if (pos_ < text_.size() && text_[pos_] == ']') return advance(), true;
        do {
          if (!any(path)) return false;
          skip();
        } while (pos_ < text_.size() && text_[pos_] == ',' && (advance(), true));
        return expect(']', path);
      }
      case Kind::kString:
        return string(nullptr, path);
      case Kind::kInvalid:
        return fail("expected a JSON value", path);
      default:
        return literal(path);
    }
  }

  // A field by its proto name ("duration_months") or its JSON name ("durationMonths"), the two
  // names protobuf's JSON parser accepts.
  static const gp::FieldDescriptor* find(const gp::Descriptor* desc, const std::string& key) {
    for (int i = 0; i < desc->field_count(); ++i)
      if (desc->field(i)->name() == key || desc->field(i)->json_name() == key) return desc->field(i);
    return nullptr;
  }

  bool scalar(const gp::FieldDescriptor* f, const std::string& path) {
    const Kind kind = peek();
    if (kind == Kind::kNull) return literal(path);
    switch (f->cpp_type()) {
      case gp::FieldDescriptor::CPPTYPE_STRING:
        if (kind != Kind::kString) return fail("expected a string in double quotes, found " + found(), path);
        return string(nullptr, path);
      case gp::FieldDescriptor::CPPTYPE_BOOL:
        if (kind != Kind::kBool) return fail("expected true or false, found " + found(), path);
        return literal(path);
      case gp::FieldDescriptor::CPPTYPE_ENUM: {
        if (kind == Kind::kNumber) return number(f, path);
        std::string name;
        if (kind != Kind::kString) return fail("expected an enum name in double quotes, found " + found(), path);
        if (!string(&name, path)) return false;
        if (f->enum_type()->FindValueByName(name) == nullptr) {
          std::string names;
          for (int i = 1; i < f->enum_type()->value_count() && i < 12; ++i)
            names += (i > 1 ? ", " : "") + f->enum_type()->value(i)->name();
          errors_.push_back(
              {file_, value_start_, path,
               "unknown value \"" + name + "\" for " + f->enum_type()->name() + "; expected one of " + names});
          return false;
        }
        return true;
      }
      case gp::FieldDescriptor::CPPTYPE_MESSAGE:
        return value_message(f->message_type(), path);
      default:
        return number(f, path);
    }
  }

  bool value_message(const gp::Descriptor* desc, const std::string& path) {
    if (peek() != Kind::kObject)
      return fail("expected an object { ... } for " + desc->name() + ", found " + found(), path);
    advance();
    skip();
    if (pos_ < text_.size() && text_[pos_] == '}') return advance(), true;
    std::set<const gp::FieldDescriptor*> given;
    std::map<const gp::OneofDescriptor*, const gp::FieldDescriptor*> chosen;  // the member set of each oneof
    while (true) {
      skip();
      const Location key_at = here();
      std::string key;
      if (!string(&key, path)) return false;
      const gp::FieldDescriptor* f = find(desc, key);
      const std::string fpath = f ? (path.empty() ? "" : path + ".") + f->name() : path;
      if (!expect(':', fpath)) return false;
      const gp::OneofDescriptor* oneof = f ? f->real_containing_oneof() : nullptr;
      if (f == nullptr) {
        errors_.push_back({file_, key_at, path, "unknown field \"" + key + "\" in " + desc->name()});
        if (!any(path)) return false;
      } else if (!given.insert(f).second) {
        errors_.push_back({file_, key_at, fpath, "the field is given twice in this object; give it once"});
        return false;
      } else if (oneof != nullptr && chosen.count(oneof)) {
        errors_.push_back({file_, key_at, fpath,
                           "only one of the fields of '" + oneof->name() + "' may be given, and " +
                               chosen[oneof]->name() + " is given already"});
        return false;
      } else {
        if (oneof != nullptr) chosen[oneof] = f;
        keys_[fpath] = key_at;
        skip();
        value_start_ = here();
        if (f->is_repeated()) {
          if (peek() != Kind::kArray)
            return fail("expected a list [ ... ] for repeated field " + f->name() + ", found " + found(), fpath);
          advance();
          skip();
          int i = 0;
          if (pos_ < text_.size() && text_[pos_] == ']') {
            advance();
          } else {
            while (true) {
              skip();
              const std::string ipath = fpath + "[" + std::to_string(i++) + "]";
              keys_[ipath] = here();
              value_start_ = here();
              if (!scalar(f, ipath)) return false;
              skip();
              if (pos_ < text_.size() && text_[pos_] == ',') {
                advance();
                continue;
              }
              if (!expect(']', fpath)) return false;
              break;
            }
          }
        } else if (!scalar(f, fpath)) {
          return false;
        }
      }
      skip();
      if (pos_ < text_.size() && text_[pos_] == ',') {
        advance();
        continue;
      }
      return expect('}', path);
    }
  }

  std::string_view text_;
  const std::string& file_;
  std::map<std::string, Location>& keys_;
  std::vector<Diagnostic>& errors_;
  std::size_t pos_ = 0;
  int line_ = 1, col_ = 1;
  Location value_start_;
};

}  // namespace

bool scan_json(std::string_view text, const gp::Descriptor* root, const std::string& file,
               std::map<std::string, Location>& keys, std::vector<Diagnostic>& errors) {
  JsonScanner scanner(text, file, keys, errors);
  return scanner.run(root);
}

}  // namespace peacesim::io
