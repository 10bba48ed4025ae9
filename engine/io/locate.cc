// Locating fields in input files; see locate.h.
#include "engine/io/locate.h"

#include <cctype>

namespace peacesim::io {

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

  bool string(std::string* out, const std::string& path) {
    skip();
    if (pos_ >= text_.size() || text_[pos_] != '"') return fail("expected a string in double quotes", path);
    advance();
    std::string s;
    while (pos_ < text_.size() && text_[pos_] != '"') {
      if (text_[pos_] == '\\') {
        advance();
        if (pos_ >= text_.size()) break;
      }
      if (text_[pos_] == '\n') return fail("a string may not span lines", path);
      s += text_[pos_];
      advance();
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

  bool literal(const std::string& path) {
    const std::size_t start = pos_;
    while (pos_ < text_.size() && (std::isalnum(static_cast<unsigned char>(text_[pos_])) || text_[pos_] == '.' ||
                                   text_[pos_] == '-' || text_[pos_] == '+'))
      advance();
    const std::string_view word = text_.substr(start, pos_ - start);
    if (word.empty()) return fail("expected a JSON value", path);
    return true;
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

  static std::string normalise(std::string_view key) {
    std::string s;
    for (char c : key)
      if (c != '_') s += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
  }

  const gp::FieldDescriptor* find(const gp::Descriptor* desc, const std::string& key) {
    const std::string k = normalise(key);
    for (int i = 0; i < desc->field_count(); ++i)
      if (normalise(desc->field(i)->name()) == k) return desc->field(i);
    return nullptr;
  }

  bool scalar(const gp::FieldDescriptor* f, const std::string& path) {
    const Kind kind = peek();
    if (kind == Kind::kNull) return literal(path);
    switch (f->cpp_type()) {
      case gp::FieldDescriptor::CPPTYPE_STRING:
        if (kind != Kind::kString) return fail("expected a string for this field", path);
        return string(nullptr, path);
      case gp::FieldDescriptor::CPPTYPE_BOOL:
        if (kind != Kind::kBool) return fail("expected true or false for this field", path);
        return literal(path);
      case gp::FieldDescriptor::CPPTYPE_ENUM: {
        if (kind == Kind::kNumber) return literal(path);
        std::string name;
        if (kind != Kind::kString || !string(&name, path)) return fail("expected an enum name in quotes", path);
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
        if (kind == Kind::kString) return string(nullptr, path);  // JSON allows quoted numbers
        if (kind != Kind::kNumber) return fail("expected a number for this field", path);
        return literal(path);
    }
  }

  bool value_message(const gp::Descriptor* desc, const std::string& path) {
    if (peek() != Kind::kObject) return fail("expected an object { ... } for " + desc->name(), path);
    advance();
    skip();
    if (pos_ < text_.size() && text_[pos_] == '}') return advance(), true;
    while (true) {
      skip();
      const Location key_at = here();
      std::string key;
      if (!string(&key, path)) return false;
      const gp::FieldDescriptor* f = find(desc, key);
      const std::string fpath = f ? (path.empty() ? "" : path + ".") + f->name() : path;
      if (!expect(':', fpath)) return false;
      if (f == nullptr) {
        errors_.push_back({file_, key_at, path, "unknown field \"" + key + "\" in " + desc->name()});
        if (!any(path)) return false;
      } else {
        keys_[fpath] = key_at;
        skip();
        value_start_ = here();
        if (f->is_repeated()) {
          if (peek() != Kind::kArray) return fail("expected a list [ ... ] for repeated field " + f->name(), fpath);
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
