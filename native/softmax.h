// Softmax and log-softmax over the last axis of float32 data.
#pragma once

#include <cstddef>

namespace nabla {

// For each of `rows` rows of `cols` values: out = exp(x - max) / sum, or with `log`,
// out = x - max - log(sum). Rows are independent and split across threads.
void softmax(const float* x, float* out, size_t rows, size_t cols, bool log);

}  // namespace nabla
