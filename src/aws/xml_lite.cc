#include "aws/xml_lite.h"

#include <fmt/format.h>

#include "common/text.h"

namespace pk::aws {
namespace {

bool is_ws(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

void append_utf8(uint32_t cp, std::string& out) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xc0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xe0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  } else {
    out.push_back(static_cast<char>(0xf0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3f)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  }
}

// Decodes one entity starting after '&' in `s`; returns the characters consumed (0 when not an entity we know,
// in which case the '&' is kept literally).
size_t decode_entity(std::string_view s, std::string& out) {
  const size_t semi = s.find(';');
  if (semi == std::string_view::npos || semi > 10) return 0;
  const std::string_view name = s.substr(0, semi);
  if (name == "lt") {
    out.push_back('<');
  } else if (name == "gt") {
    out.push_back('>');
  } else if (name == "amp") {
    out.push_back('&');
  } else if (name == "quot") {
    out.push_back('"');
  } else if (name == "apos") {
    out.push_back('\'');
  } else if (name.size() >= 2 && name[0] == '#') {
    const bool hex = name[1] == 'x' || name[1] == 'X';
    const std::string_view digits = name.substr(hex ? 2 : 1);
    if (digits.empty()) return 0;
    uint32_t cp = 0;
    for (char c : digits) {
      int v = -1;
      if (c >= '0' && c <= '9') v = c - '0';
      if (hex && c >= 'a' && c <= 'f') v = c - 'a' + 10;
      if (hex && c >= 'A' && c <= 'F') v = c - 'A' + 10;
      if (v < 0) return 0;
      cp = cp * (hex ? 16 : 10) + static_cast<uint32_t>(v);
      if (cp > 0x10ffff) return 0;
    }
    append_utf8(cp, out);
  } else {
    return 0;
  }
  return semi + 1;
}

void append_text(std::string_view raw, std::string& out) {
  for (size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] == '&') {
      const size_t used = decode_entity(raw.substr(i + 1), out);
      if (used > 0) {
        i += used;
        continue;
      }
    }
    out.push_back(raw[i]);
  }
}

Error xml_error(size_t offset, std::string what) {
  return make_error(ErrorCode::kMalformedInput, fmt::format("XML at byte {}: {}", offset, what));
}

}  // namespace

const XmlElement* XmlElement::child(std::string_view child_name) const {
  for (const auto& c : children) {
    if (c.name == child_name) return &c;
  }
  return nullptr;
}

const XmlElement* XmlElement::find(std::initializer_list<std::string_view> path) const {
  const XmlElement* at = this;
  for (std::string_view step : path) {
    at = at->child(step);
    if (at == nullptr) return nullptr;
  }
  return at;
}

std::string_view XmlElement::text_at(std::initializer_list<std::string_view> path) const {
  const XmlElement* e = find(path);
  return e != nullptr ? std::string_view(e->text) : std::string_view{};
}

const XmlElement* xml_find_first(const XmlElement& root, std::string_view name) {
  std::vector<const XmlElement*> todo{&root};
  while (!todo.empty()) {
    const XmlElement* e = todo.back();
    todo.pop_back();
    if (e != &root && e->name == name) return e;
    for (auto it = e->children.rbegin(); it != e->children.rend(); ++it) todo.push_back(&*it);
  }
  return nullptr;
}

Result<XmlElement> parse_xml(std::string_view text, XmlLimits limits) {
  std::vector<XmlElement> stack(1);  // stack[0] is the nameless root
  size_t elements = 0;
  size_t pos = 0;
  auto close_top = [&]() {
    XmlElement done = std::move(stack.back());
    stack.pop_back();
    done.text = std::string(trim_whitespace(done.text));
    stack.back().children.push_back(std::move(done));
  };
  while (pos < text.size()) {
    const size_t lt = text.find('<', pos);
    const size_t text_end = lt == std::string_view::npos ? text.size() : lt;
    if (text_end > pos) {
      if (stack.size() > 1) {
        append_text(text.substr(pos, text_end - pos), stack.back().text);
      } else if (!trim_whitespace(text.substr(pos, text_end - pos)).empty()) {
        return xml_error(pos, "text outside of any element");
      }
    }
    if (lt == std::string_view::npos) break;
    pos = lt;
    const std::string_view rest = text.substr(pos);
    if (rest.starts_with("<!--")) {
      const size_t end = text.find("-->", pos + 4);
      if (end == std::string_view::npos) return xml_error(pos, "unterminated comment");
      pos = end + 3;
    } else if (rest.starts_with("<![CDATA[")) {
      const size_t end = text.find("]]>", pos + 9);
      if (end == std::string_view::npos) return xml_error(pos, "unterminated CDATA section");
      if (stack.size() == 1) return xml_error(pos, "CDATA outside of any element");
      stack.back().text.append(text.substr(pos + 9, end - pos - 9));
      pos = end + 3;
    } else if (rest.starts_with("<?") || rest.starts_with("<!")) {
      const size_t end = text.find('>', pos + 2);
      if (end == std::string_view::npos) return xml_error(pos, "unterminated declaration");
      pos = end + 1;
    } else if (rest.starts_with("</")) {
      const size_t end = text.find('>', pos + 2);
      if (end == std::string_view::npos) return xml_error(pos, "unterminated end tag");
      std::string_view name = trim_whitespace(text.substr(pos + 2, end - pos - 2));
      if (const size_t colon = name.find(':'); colon != std::string_view::npos) name.remove_prefix(colon + 1);
      if (stack.size() == 1) return xml_error(pos, fmt::format("end tag </{}> without a start tag", name));
      if (name != stack.back().name) {
        return xml_error(pos, fmt::format("end tag </{}> does not close <{}>", name, stack.back().name));
      }
      close_top();
      pos = end + 1;
    } else {
      // Start tag: name, then attributes (quoted values may hold '>'), then '>' or "/>".
      size_t i = pos + 1;
      while (i < text.size() && !is_ws(text[i]) && text[i] != '>' && text[i] != '/') ++i;
      std::string_view name = text.substr(pos + 1, i - pos - 1);
      if (name.empty()) return xml_error(pos, "start tag without a name");
      char quote = 0;
      for (; i < text.size(); ++i) {
        const char c = text[i];
        if (quote != 0) {
          if (c == quote) quote = 0;
        } else if (c == '"' || c == '\'') {
          quote = c;
        } else if (c == '>') {
          break;
        }
      }
      if (i >= text.size()) return xml_error(pos, fmt::format("unterminated start tag <{}>", name));
      const bool self_closing = text[i - 1] == '/';
      if (const size_t colon = name.find(':'); colon != std::string_view::npos) name.remove_prefix(colon + 1);
      if (++elements > limits.max_elements) return xml_error(pos, "too many elements");
      if (stack.size() > limits.max_depth) return xml_error(pos, "elements nested too deeply");
      stack.push_back(XmlElement{std::string(name), {}, {}});
      if (self_closing) close_top();
      pos = i + 1;
    }
  }
  if (stack.size() > 1) return xml_error(text.size(), fmt::format("element <{}> is not closed", stack.back().name));
  if (stack[0].children.empty()) return xml_error(0, "no element");
  return std::move(stack[0]);
}

}  // namespace pk::aws
