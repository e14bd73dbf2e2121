#include "formats/fb_builder.h"

#include <cassert>
#include <cstring>

namespace pk::formats {

FbBuilder::FbBuilder(std::string& out, size_t capacity_hint)
    : out_(out), base_(out.size()), capacity_(capacity_hint < 64 ? 64 : capacity_hint), space_(capacity_) {
  out_.resize(base_ + capacity_);
}

unsigned char* FbBuilder::at(size_t space_position) {
  return reinterpret_cast<unsigned char*>(out_.data()) + base_ + space_position;
}

void FbBuilder::grow(size_t needed) {
  size_t bigger = capacity_ * 2;
  while (bigger - capacity_ + space_ < needed) bigger *= 2;
  const size_t used = capacity_ - space_;
  const size_t added = bigger - capacity_;
  out_.resize(base_ + bigger);
  std::memmove(at(space_ + added), at(space_), used);
  std::memset(at(space_), 0, added);
  space_ += added;
  capacity_ = bigger;
}

void FbBuilder::pad(size_t n) {
  space_ -= n;
  std::memset(at(space_), 0, n);
}

void FbBuilder::prep(size_t size, size_t additional_bytes) {
  if (size > minalign_) minalign_ = size;
  const size_t align_size = (~(offset() + additional_bytes) + 1) & (size - 1);
  if (space_ < align_size + size + additional_bytes) grow(align_size + size + additional_bytes);
  pad(align_size);
}

void FbBuilder::put_byte(uint8_t v) {
  *at(--space_) = v;
}

void FbBuilder::put_short(uint16_t v) {
  space_ -= 2;
  unsigned char* p = at(space_);
  p[0] = static_cast<unsigned char>(v);
  p[1] = static_cast<unsigned char>(v >> 8);
}

void FbBuilder::put_int(uint32_t v) {
  space_ -= 4;
  unsigned char* p = at(space_);
  p[0] = static_cast<unsigned char>(v);
  p[1] = static_cast<unsigned char>(v >> 8);
  p[2] = static_cast<unsigned char>(v >> 16);
  p[3] = static_cast<unsigned char>(v >> 24);
}

void FbBuilder::add_offset(uint32_t off) {
  prep(4, 0);
  assert(off <= offset());
  put_int(offset() - off + 4);
}

void FbBuilder::start_vector(size_t elem_size, size_t count, size_t alignment) {
  prep(4, elem_size * count);
  prep(alignment, elem_size * count);
}

uint32_t FbBuilder::end_vector(size_t count) {
  put_int(static_cast<uint32_t>(count));
  return offset();
}

uint32_t FbBuilder::create_string(std::string_view utf8) {
  prep(1, 0);
  put_byte(0);
  start_vector(1, utf8.size(), 1);
  space_ -= utf8.size();
  if (!utf8.empty()) std::memcpy(at(space_), utf8.data(), utf8.size());
  return end_vector(utf8.size());
}

uint32_t FbBuilder::create_byte_vector(std::string_view bytes) {
  start_vector(1, bytes.size(), 1);
  space_ -= bytes.size();
  if (!bytes.empty()) std::memcpy(at(space_), bytes.data(), bytes.size());
  return end_vector(bytes.size());
}

uint32_t FbBuilder::create_offset_vector(const uint32_t* offsets, size_t count) {
  start_vector(4, count, 4);
  for (size_t i = count; i-- > 0;) add_offset(offsets[i]);
  return end_vector(count);
}

void FbBuilder::start_object(int num_fields) {
  assert(num_fields <= kMaxFields);
  vtable_in_use_ = num_fields;
  for (int i = 0; i < num_fields; ++i) vtable_[i] = 0;
  object_start_ = offset();
}

void FbBuilder::add_offset_field(int field, uint32_t value) {
  if (value == 0) return;
  add_offset(value);
  slot(field);
}

void FbBuilder::add_int_field(int field, int32_t value, int32_t default_value) {
  if (value == default_value) return;
  prep(4, 0);
  put_int(static_cast<uint32_t>(value));
  slot(field);
}

void FbBuilder::add_byte_field(int field, int8_t value, int8_t default_value) {
  if (value == default_value) return;
  prep(1, 0);
  put_byte(static_cast<uint8_t>(value));
  slot(field);
}

void FbBuilder::add_bool_field(int field, bool value, bool default_value) {
  if (value == default_value) return;
  prep(1, 0);
  put_byte(value ? 1 : 0);
  slot(field);
}

uint32_t FbBuilder::end_object() {
  prep(4, 0);
  put_int(0);
  const uint32_t vtableloc = offset();
  int i = vtable_in_use_ - 1;
  while (i >= 0 && vtable_[i] == 0) --i;
  const int trimmed_size = i + 1;
  for (; i >= 0; --i) {
    prep(2, 0);
    put_short(static_cast<uint16_t>(vtable_[i] != 0 ? vtableloc - vtable_[i] : 0));
  }
  prep(2, 0);
  put_short(static_cast<uint16_t>(vtableloc - object_start_));
  prep(2, 0);
  put_short(static_cast<uint16_t>((trimmed_size + 2) * 2));

  // Share an identical earlier vtable (first match in the order they were written). Vtables are a few shorts:
  // compared inline, the length first.
  const unsigned char* vt2 = at(space_);
  const uint16_t len = static_cast<uint16_t>(vt2[0] | (vt2[1] << 8));
  uint32_t existing = 0;
  for (int v = 0; v < num_vtables_ && existing == 0; ++v) {
    const unsigned char* vt1 = at(capacity_ - vtables_[v]);
    if (vt1[0] != vt2[0] || vt1[1] != vt2[1]) continue;
    bool same = true;
    for (uint16_t b = 2; b < len && same; ++b) same = vt1[b] == vt2[b];
    if (same) existing = vtables_[v];
  }
  if (existing != 0) {
    space_ = capacity_ - vtableloc;
    const auto rel = static_cast<uint32_t>(static_cast<int32_t>(existing) - static_cast<int32_t>(vtableloc));
    unsigned char* p = at(space_);
    for (int b = 0; b < 4; ++b) p[b] = static_cast<unsigned char>(rel >> (8 * b));
  } else {
    if (num_vtables_ < kMaxVtables) vtables_[num_vtables_++] = offset();
    const auto rel = static_cast<uint32_t>(static_cast<int32_t>(offset()) - static_cast<int32_t>(vtableloc));
    unsigned char* p = at(capacity_ - vtableloc);
    for (int b = 0; b < 4; ++b) p[b] = static_cast<unsigned char>(rel >> (8 * b));
  }
  vtable_in_use_ = 0;
  return vtableloc;
}

void FbBuilder::finish(uint32_t root_table) {
  prep(minalign_, 4);
  add_offset(root_table);
  const size_t used = capacity_ - space_;
  std::memmove(out_.data() + base_, at(space_), used);
  out_.resize(base_ + used);
}

}  // namespace pk::formats
