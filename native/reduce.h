// Reductions of float32 tensors over any set of axes.
#pragma once

#include <cstddef>
#include <vector>

namespace nabla {

enum class ReduceKind { Sum, Mean, Max, Min, Prod };

// Reduces x (row-major, `shape`) over the sorted, unique `axes` into out (the kept dims in
// order). Sums and products accumulate in double, like the reference. NaN propagates through
// max and min. Empty reductions give 0, NaN (mean), -inf (max), +inf (min) or 1.
void reduce(ReduceKind kind, const float* x, const std::vector<size_t>& shape, const std::vector<size_t>& axes,
            float* out);

}  // namespace nabla
