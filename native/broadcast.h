// Iteration over an output whose two inputs broadcast to it (NumPy/TensorFlow rules).
#pragma once

#include <algorithm>
#include <cstddef>
#include <vector>

namespace nabla {

// Output dims with the element strides of each input (0 along broadcast dims), after dropping
// size-1 dims and merging neighbours that are contiguous in every input. The last dim is the
// innermost loop; its strides are 0 or 1.
struct BroadcastPlan {
  std::vector<size_t> dims, strideA, strideB;
};

// Returns false when a or b does not broadcast to out (dims must equal out's or be 1).
bool makeBroadcastPlan(const std::vector<size_t>& a, const std::vector<size_t>& b, const std::vector<size_t>& out,
                       BroadcastPlan& plan);

// Calls segment(aOffset, bOffset, outOffset, length) for consecutive runs of the innermost dim
// covering output elements [begin, end) in order.
template <class Segment>
void forEachSegment(const BroadcastPlan& plan, size_t begin, size_t end, Segment&& segment) {
  const size_t rank = plan.dims.size();
  if (begin >= end) return;
  if (rank == 0) {
    segment(size_t{0}, size_t{0}, begin, end - begin);
    return;
  }
  size_t idx[64];
  size_t aOff = 0, bOff = 0, rest = begin;
  for (size_t d = rank; d-- > 0;) {
    idx[d] = rest % plan.dims[d];
    rest /= plan.dims[d];
    aOff += idx[d] * plan.strideA[d];
    bOff += idx[d] * plan.strideB[d];
  }
  const size_t inner = plan.dims[rank - 1], sa = plan.strideA[rank - 1], sb = plan.strideB[rank - 1];
  for (size_t pos = begin; pos < end;) {
    const size_t len = std::min(inner - idx[rank - 1], end - pos);
    segment(aOff, bOff, pos, len);
    pos += len;
    aOff += len * sa;
    bOff += len * sb;
    idx[rank - 1] += len;
    for (size_t d = rank - 1; d > 0 && idx[d] == plan.dims[d]; --d) {
      aOff += plan.strideA[d - 1] - plan.dims[d] * plan.strideA[d];
      bOff += plan.strideB[d - 1] - plan.dims[d] * plan.strideB[d];
      idx[d] = 0;
      ++idx[d - 1];
    }
  }
}

}  // namespace nabla
