#pragma once
// Record-by-record equality, for the fuzz targets that hold the fast scanner to the general reader.
#include <vector>

#include "kinesis/model.h"

namespace pk::kinesis::fuzzing {

inline bool same_records(const RecordBatch& a, const RecordBatch& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].sequence_number != b[i].sequence_number || a[i].partition_key != b[i].partition_key ||
        a[i].data != b[i].data || a[i].approximate_arrival != b[i].approximate_arrival ||
        a[i].encryption_type != b[i].encryption_type) {
      return false;
    }
  }
  return true;
}

}  // namespace pk::kinesis::fuzzing
