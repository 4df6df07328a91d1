// Element-wise unary kernels over float32.
#pragma once

#include <cstddef>

#include "unary_ops.h"

namespace nabla {

// out[i] = f(x[i]) for i in [0, n); x and out may be the same array.
void unary(UnaryKind kind, const float* x, float* out, size_t n, UnaryParams params);

}  // namespace nabla
