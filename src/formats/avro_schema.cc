#include "formats/avro_schema.h"

#include <charconv>
#include <cmath>
#include <map>

#include <fmt/format.h>

#include "formats/json_parse.h"
#include "formats/value_tree.h"

namespace pk::formats::avro {

// Walks the schema's JSON tree (Avro 1.11 Schema.Parser rules: names qualified by the enclosing namespace, named
// types usable after their definition, logical types that do not validate ignored).
class SchemaParser {
 public:
  explicit SchemaParser(const ValueTree& t) : t_(t) {}

  Result<Schema> run(uint32_t root) {
    PK_ASSIGN_OR_RETURN(const uint32_t r, type_of(root, ""));
    schema_.root_ = r;
    return std::move(schema_);
  }

 private:
  static Error bad(std::string_view what) {
    return make_error(ErrorCode::kInvalidArgument, fmt::format("Avro schema: {}", what));
  }

  uint32_t add(Type type) {
    schema_.nodes_.emplace_back();
    schema_.nodes_.back().type = type;
    return static_cast<uint32_t>(schema_.nodes_.size() - 1);
  }

  uint32_t member(uint32_t obj, std::string_view name) const {
    for (uint32_t c = t_.node(obj).first; c != ValueTree::kNone; c = t_.node(c).next) {
      if (t_.key(c) == name) return c;
    }
    return ValueTree::kNone;
  }

  std::string_view string_member(uint32_t obj, std::string_view name) const {
    const uint32_t m = member(obj, name);
    if (m == ValueTree::kNone || t_.node(m).kind != ValueKind::kString) return {};
    return t_.text(m);
  }

  static bool primitive(std::string_view name, Type& type) {
    static const std::pair<std::string_view, Type> kPrimitives[] = {
        {"null", Type::kNull},   {"boolean", Type::kBoolean}, {"int", Type::kInt},     {"long", Type::kLong},
        {"float", Type::kFloat}, {"double", Type::kDouble},   {"bytes", Type::kBytes}, {"string", Type::kString},
    };
    for (const auto& [n, t] : kPrimitives) {
      if (n == name) {
        type = t;
        return true;
      }
    }
    return false;
  }

  static std::string qualify(std::string_view name, std::string_view space) {
    if (name.find('.') != std::string_view::npos || space.empty()) return std::string(name);
    return fmt::format("{}.{}", space, name);
  }

  Result<uint32_t> named_reference(std::string_view name, std::string_view space) {
    Type type;
    if (primitive(name, type)) return add(type);
    auto it = named_.find(qualify(name, space));
    if (it == named_.end()) it = named_.find(std::string(name));
    if (it == named_.end()) return bad(fmt::format("undefined name \"{}\"", name));
    return it->second;
  }

  // An integer attribute ("size", "precision", "scale"); -1 when absent or not an integer.
  int64_t int_member(uint32_t obj, std::string_view name) const {
    const uint32_t m = member(obj, name);
    if (m == ValueTree::kNone || t_.node(m).kind != ValueKind::kInteger) return -1;
    const std::string_view digits = t_.text(m);
    int64_t v = -1;
    auto r = std::from_chars(digits.data(), digits.data() + digits.size(), v);
    return r.ec == std::errc() ? v : -1;
  }

  // Number of decimal digits an n-byte two's complement value can hold (Avro's fixed precision limit).
  static int64_t max_precision(int64_t size) {
    if (size <= 0) return 0;
    return static_cast<int64_t>(std::floor(std::log10(2.0) * static_cast<double>(8 * size - 1)));
  }

  void logical_type(uint32_t obj, uint32_t node) {
    const std::string_view logical = string_member(obj, "logicalType");
    Node& n = schema_.nodes_[node];
    if (logical != "decimal" || (n.type != Type::kBytes && n.type != Type::kFixed)) return;
    const int64_t precision = int_member(obj, "precision");
    int64_t scale = int_member(obj, "scale");
    if (member(obj, "scale") == ValueTree::kNone) scale = 0;
    if (precision <= 0 || scale < 0 || scale > precision || precision > INT32_MAX) return;  // invalid: ignored
    if (n.type == Type::kFixed && precision > max_precision(n.fixed_size)) return;
    n.decimal = true;
    n.precision = static_cast<int32_t>(precision);
    n.scale = static_cast<int32_t>(scale);
  }

  Result<uint32_t> type_of(uint32_t v, std::string_view space) {
    if (++depth_ > 200) return bad("nested deeper than 200 levels");
    auto r = type_of_impl(v, space);
    --depth_;
    return r;
  }

  Result<uint32_t> type_of_impl(uint32_t v, std::string_view space) {
    const ValueTree::Node& n = t_.node(v);
    if (n.kind == ValueKind::kString) return named_reference(t_.text(v), space);
    if (n.kind == ValueKind::kArray) {
      const uint32_t u = add(Type::kUnion);
      for (uint32_t c = n.first; c != ValueTree::kNone; c = t_.node(c).next) {
        PK_ASSIGN_OR_RETURN(const uint32_t branch, type_of(c, space));
        if (schema_.nodes_[branch].type == Type::kUnion) return bad("a union may not hold a union");
        schema_.nodes_[u].children.push_back(branch);
      }
      return u;
    }
    if (n.kind != ValueKind::kObject) return bad("a type must be a name, an object or an array");
    const uint32_t type_member = member(v, "type");
    if (type_member == ValueTree::kNone) return bad("an object without \"type\"");
    if (t_.node(type_member).kind != ValueKind::kString) {
      // {"type": {...}} or {"type": [...]}: the nested type, with this object's attributes ignored.
      return type_of(type_member, space);
    }
    const std::string_view type = t_.text(type_member);
    Type prim;
    if (primitive(type, prim)) {
      const uint32_t p = add(prim);
      schema_.nodes_[p].java_string = string_member(v, "avro.java.string") == "String";
      logical_type(v, p);
      return p;
    }
    if (type == "array") {
      const uint32_t items = member(v, "items");
      if (items == ValueTree::kNone) return bad("an array without \"items\"");
      const uint32_t a = add(Type::kArray);
      PK_ASSIGN_OR_RETURN(const uint32_t item_type, type_of(items, space));
      schema_.nodes_[a].children.push_back(item_type);
      return a;
    }
    if (type == "map") {
      const uint32_t values = member(v, "values");
      if (values == ValueTree::kNone) return bad("a map without \"values\"");
      const uint32_t m = add(Type::kMap);
      schema_.nodes_[m].java_string = string_member(v, "avro.java.string") == "String";
      PK_ASSIGN_OR_RETURN(const uint32_t value_type, type_of(values, space));
      schema_.nodes_[m].children.push_back(value_type);
      return m;
    }
    if (type == "record" || type == "error" || type == "enum" || type == "fixed") return named(v, type, space);
    return named_reference(type, space);
  }

  Result<uint32_t> named(uint32_t v, std::string_view type, std::string_view space) {
    const std::string_view name = string_member(v, "name");
    if (name.empty()) return bad(fmt::format("a {} without a name", type));
    const uint32_t ns_member = member(v, "namespace");
    std::string new_space(space);
    if (ns_member != ValueTree::kNone && t_.node(ns_member).kind == ValueKind::kString) new_space = t_.text(ns_member);
    std::string full = qualify(name, new_space);
    if (name.find('.') != std::string_view::npos) new_space = std::string(name.substr(0, name.rfind('.')));
    if (named_.count(full)) return bad(fmt::format("\"{}\" is defined twice", full));
    const Type t = type == "enum" ? Type::kEnum : type == "fixed" ? Type::kFixed : Type::kRecord;
    const uint32_t node = add(t);
    schema_.nodes_[node].name = full;
    named_.emplace(std::move(full), node);
    if (t == Type::kFixed) {
      const int64_t size = int_member(v, "size");
      if (size < 0 || size > INT32_MAX) return bad(fmt::format("fixed \"{}\" without a valid size", name));
      schema_.nodes_[node].fixed_size = static_cast<int32_t>(size);
      logical_type(v, node);
      return node;
    }
    if (t == Type::kEnum) {
      const uint32_t symbols = member(v, "symbols");
      if (symbols == ValueTree::kNone || t_.node(symbols).kind != ValueKind::kArray) {
        return bad(fmt::format("enum \"{}\" without symbols", name));
      }
      for (uint32_t c = t_.node(symbols).first; c != ValueTree::kNone; c = t_.node(c).next) {
        if (t_.node(c).kind != ValueKind::kString)
          return bad(fmt::format("enum \"{}\": a symbol is not a string", name));
        schema_.nodes_[node].names.emplace_back(t_.text(c));
      }
      return node;
    }
    const uint32_t fields = member(v, "fields");
    if (fields == ValueTree::kNone || t_.node(fields).kind != ValueKind::kArray) {
      return bad(fmt::format("record \"{}\" without fields", name));
    }
    for (uint32_t f = t_.node(fields).first; f != ValueTree::kNone; f = t_.node(f).next) {
      if (t_.node(f).kind != ValueKind::kObject)
        return bad(fmt::format("record \"{}\": a field is not an object", name));
      const std::string_view field_name = string_member(f, "name");
      if (field_name.empty()) return bad(fmt::format("record \"{}\": a field without a name", name));
      const uint32_t field_type = member(f, "type");
      if (field_type == ValueTree::kNone) {
        return bad(fmt::format("record \"{}\": field \"{}\" without a type", name, field_name));
      }
      PK_ASSIGN_OR_RETURN(const uint32_t ft, type_of(field_type, new_space));
      schema_.nodes_[node].children.push_back(ft);
      schema_.nodes_[node].names.emplace_back(field_name);
    }
    return node;
  }

  const ValueTree& t_;
  Schema schema_;
  std::map<std::string, uint32_t, std::less<>> named_;
  int depth_ = 0;
};

Result<Schema> Schema::parse(std::string_view json) {
  ValueTree tree;
  auto root = parse_json_value(json, tree);
  if (!root.ok()) return make_error(ErrorCode::kInvalidArgument, "Avro schema: " + root.error().message);
  return SchemaParser(tree).run(*root);
}

}  // namespace pk::formats::avro
