// Element-wise binary kernels over float32 inputs with broadcasting.
#pragma once

#include <cstddef>
#include <cstdint>

#include "binary_ops.h"
#include "broadcast.h"

namespace nabla {

// True for the comparison kinds, whose output is bool (one byte per element).
bool binaryOutputsBool(BinaryKind kind);

// out[i] = op(a[...], b[...]) over the plan's output elements. `out` is float* or uint8_t*
// according to binaryOutputsBool(kind).
void binary(BinaryKind kind, const BroadcastPlan& plan, size_t size, const float* a, const float* b, void* out);

}  // namespace nabla
