#pragma once
// A FlatBuffers builder that lays bytes out exactly as flatbuffers-java 1.9.0's FlatBufferBuilder does (the one
// the Java connector uses): the buffer grows from the end; every scalar and offset is aligned with `prep`; strings
// end in a zero byte and are padded so their length word is 4-aligned; a table's vtable has its trailing unset
// fields trimmed and is shared with any identical earlier vtable of the same buffer. It builds in place at the end
// of the caller's string (no allocation beyond that string's growth) and moves the finished bytes to the front.
// One builder per buffer; not thread-safe.

#include <cstdint>
#include <string>
#include <string_view>

namespace pk::formats {

class FbBuilder {
 public:
  // Starts a buffer appended to `out` with room for `capacity_hint` bytes (it grows when that is too little).
  FbBuilder(std::string& out, size_t capacity_hint);

  // Offsets are counted from the end of the buffer, as in Java (an "offset" value of the builder).
  uint32_t create_string(std::string_view utf8);
  uint32_t create_byte_vector(std::string_view bytes);
  // A vector of offsets (tables or strings), elements in the given order.
  uint32_t create_offset_vector(const uint32_t* offsets, size_t count);

  void start_object(int num_fields);
  void add_offset_field(int field, uint32_t offset);  // skipped when offset == 0 (Java's default)
  void add_int_field(int field, int32_t value, int32_t default_value);
  void add_byte_field(int field, int8_t value, int8_t default_value);
  void add_bool_field(int field, bool value, bool default_value);
  uint32_t end_object();

  // Writes the root offset and leaves exactly the finished buffer appended to `out`.
  void finish(uint32_t root_table);

 private:
  uint32_t offset() const { return static_cast<uint32_t>(capacity_ - space_); }
  unsigned char* at(size_t space_position);
  void prep(size_t size, size_t additional_bytes);
  void grow(size_t needed);
  void pad(size_t n);
  void put_byte(uint8_t v);
  void put_short(uint16_t v);
  void put_int(uint32_t v);
  void add_offset(uint32_t offset);
  void slot(int field) { vtable_[field] = offset(); }
  void start_vector(size_t elem_size, size_t count, size_t alignment);
  uint32_t end_vector(size_t count);

  std::string& out_;
  size_t base_;      // where the buffer region starts in out_
  size_t capacity_;  // region size
  size_t space_;     // free bytes before the written data (data lives in [space_, capacity_))
  size_t minalign_ = 1;
  static constexpr int kMaxFields = 8;
  static constexpr int kMaxVtables = 32;
  uint32_t vtable_[kMaxFields] = {};
  int vtable_in_use_ = 0;
  uint32_t object_start_ = 0;
  uint32_t vtables_[kMaxVtables] = {};  // offsets of the vtables written so far
  int num_vtables_ = 0;
};

}  // namespace pk::formats
