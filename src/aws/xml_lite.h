#pragma once
// A minimal XML reader for the small documents AWS query-protocol services return (STS, CloudWatch): elements,
// text, CDATA and the predefined and numeric character entities. Attributes, namespaces prefixes, comments,
// processing instructions and DOCTYPE are skipped (no entity definitions are honoured). Pure function over bytes;
// bounded depth so hostile input cannot exhaust the stack (the parser is iterative anyway).

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace pk::aws {

struct XmlElement {
  std::string name;  // local name (any "prefix:" dropped)
  std::string text;  // the element's own text, entity-decoded and trimmed
  std::vector<XmlElement> children;

  const XmlElement* child(std::string_view child_name) const;
  // Follows a path of child names from this element: find({"AssumeRoleResult", "Credentials"}).
  const XmlElement* find(std::initializer_list<std::string_view> path) const;
  // The text at `path`, empty if the element is absent.
  std::string_view text_at(std::initializer_list<std::string_view> path) const;
};

struct XmlLimits {
  size_t max_depth = 64;
  size_t max_elements = 100000;
};

// Parses a document; the returned element is a nameless root whose children are the top-level elements.
// Errors (kMalformedInput) name the byte offset.
Result<XmlElement> parse_xml(std::string_view text, XmlLimits limits = {});

// Depth-first search for the first element called `name` anywhere below `root`.
const XmlElement* xml_find_first(const XmlElement& root, std::string_view name);

}  // namespace pk::aws
