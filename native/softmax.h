// Softmax and log-softmax over the last axis of float32 data.
#pragma once

#include <cstddef>
#include <cstdint>

namespace nabla {

// For each of `rows` rows of `cols` values: out = exp(x - max) / sum, or with `log`,
// out = x - max - log(sum). Rows are independent and split across threads.
void softmax(const float* x, float* out, size_t rows, size_t cols, bool log);

// Sparse softmax cross-entropy of `rows` rows of logits against class ids (all in [0, cols)):
// loss[r] = log(sum exp(x)) - x[label[r]] and probs = softmax(x), computed stably in one pass.
void sparseSoftmaxCrossEntropy(const float* x, const int32_t* labels, float* loss, float* probs, size_t rows, size_t cols);

}  // namespace nabla
