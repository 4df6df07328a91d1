#include "softmax.h"

#include <cmath>
#include <limits>

#include "exp_avx2.h"
#include "parallel_range.h"
#include "simd_dispatch.h"

namespace nabla {
namespace {

NABLA_INLINE float rowMax(const float* x, size_t n) {
  float lanes[8];
  for (auto& l : lanes) l = -std::numeric_limits<float>::infinity();
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    for (size_t l = 0; l < 8; ++l) lanes[l] = x[i + l] > lanes[l] ? x[i + l] : lanes[l];
  }
  for (; i < n; ++i) lanes[0] = x[i] > lanes[0] ? x[i] : lanes[0];
  float m = lanes[0];
  for (size_t l = 1; l < 8; ++l) m = lanes[l] > m ? lanes[l] : m;
  return m;
}

NABLA_INLINE void rowsBody(const float* x, float* out, size_t rows, size_t cols, bool log) {
  for (size_t r = 0; r < rows; ++r, x += cols, out += cols) {
    const float max = rowMax(x, cols);
    double sum = 0;
    for (size_t j = 0; j < cols; ++j) {
      const float e = std::exp(x[j] - max);
      out[j] = e;
      sum += e;
    }
    if (log) {
      const float logSum = static_cast<float>(std::log(sum));
      for (size_t j = 0; j < cols; ++j) out[j] = (x[j] - max) - logSum;
    } else {
      const float scale = static_cast<float>(1.0 / sum);
      for (size_t j = 0; j < cols; ++j) out[j] *= scale;
    }
  }
}

void rowsGeneric(const float* x, float* out, size_t rows, size_t cols, bool log) { rowsBody(x, out, rows, cols, log); }

#if NABLA_HAVE_AVX2_TARGET
// out = exp(x - max) for one row; returns the sum, accumulated in double.
NABLA_TARGET_AVX2 double expShiftedAvx2(const float* x, float* out, size_t n, float max) {
  const __m256 m = _mm256_set1_ps(max);
  __m256d lo = _mm256_setzero_pd(), hi = _mm256_setzero_pd();
  size_t j = 0;
  for (; j + 8 <= n; j += 8) {
    const __m256 e = exp8(_mm256_sub_ps(_mm256_loadu_ps(x + j), m));
    _mm256_storeu_ps(out + j, e);
    lo = _mm256_add_pd(lo, _mm256_cvtps_pd(_mm256_castps256_ps128(e)));
    hi = _mm256_add_pd(hi, _mm256_cvtps_pd(_mm256_extractf128_ps(e, 1)));
  }
  alignas(32) double lanes[4];
  _mm256_store_pd(lanes, _mm256_add_pd(lo, hi));
  double sum = (lanes[0] + lanes[1]) + (lanes[2] + lanes[3]);
  for (; j < n; ++j) {
    out[j] = std::exp(x[j] - max);
    sum += out[j];
  }
  return sum;
}
#endif

NABLA_TARGET_AVX2 void rowsAvx2(const float* x, float* out, size_t rows, size_t cols, bool log) {
#if NABLA_HAVE_AVX2_TARGET
  for (size_t r = 0; r < rows; ++r, x += cols, out += cols) {
    const float max = rowMax(x, cols);
    const double sum = expShiftedAvx2(x, out, cols, max);
    if (log) {
      const float logSum = static_cast<float>(std::log(sum));
      for (size_t j = 0; j < cols; ++j) out[j] = (x[j] - max) - logSum;
    } else {
      const float scale = static_cast<float>(1.0 / sum);
      for (size_t j = 0; j < cols; ++j) out[j] *= scale;
    }
  }
#else
  rowsBody(x, out, rows, cols, log);
#endif
}

// One row of the fused cross-entropy: probs = softmax(x) and the loss at class `label`.
NABLA_INLINE float crossEntropyRow(const float* x, float* probs, size_t cols, int32_t label, bool avx2) {
  const float max = rowMax(x, cols);
  double sum = 0;
#if NABLA_HAVE_AVX2_TARGET
  if (avx2) sum = expShiftedAvx2(x, probs, cols, max);
#endif
  if (!avx2) {
    for (size_t j = 0; j < cols; ++j) {
      probs[j] = std::exp(x[j] - max);
      sum += probs[j];
    }
  }
  const float scale = static_cast<float>(1.0 / sum);
  for (size_t j = 0; j < cols; ++j) probs[j] *= scale;
  return (static_cast<float>(std::log(sum)) + max) - x[label];
}

}  // namespace

void sparseSoftmaxCrossEntropy(const float* x, const int32_t* labels, float* loss, float* probs, size_t rows, size_t cols) {
  if (rows == 0 || cols == 0) return;
  const bool avx2 = useAvx2();
  const size_t minRows = (8192 + cols - 1) / cols;
  parallelRange(rows, minRows, [&](size_t begin, size_t end) {
    for (size_t r = begin; r < end; ++r) loss[r] = crossEntropyRow(x + r * cols, probs + r * cols, cols, labels[r], avx2);
  });
}

void softmax(const float* x, float* out, size_t rows, size_t cols, bool log) {
  if (rows == 0 || cols == 0) return;
  const bool avx2 = useAvx2();
  const size_t minRows = (8192 + cols - 1) / cols;
  parallelRange(rows, minRows, [&](size_t begin, size_t end) {
    if (avx2) {
      rowsAvx2(x + begin * cols, out + begin * cols, end - begin, cols, log);
    } else {
      rowsGeneric(x + begin * cols, out + begin * cols, end - begin, cols, log);
    }
  });
}

}  // namespace nabla
