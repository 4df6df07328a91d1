#include "reduce.h"

#include <cmath>
#include <algorithm>
#include <limits>

#include "simd_dispatch.h"
#include "thread_pool.h"

namespace nabla {
namespace {

// Accumulation rules; Acc is the accumulator type.
struct SumRule {
  using Acc = double;
  static constexpr double init() { return 0.0; }
  static double step(double acc, double v) { return acc + v; }
};
struct ProdRule {
  using Acc = double;
  static constexpr double init() { return 1.0; }
  static double step(double acc, double v) { return acc * v; }
};
struct MaxRule {
  using Acc = float;
  static constexpr float init() { return -std::numeric_limits<float>::infinity(); }
  static float step(float acc, float v) { return v > acc || v != v ? v : acc; }
};
struct MinRule {
  using Acc = float;
  static constexpr float init() { return std::numeric_limits<float>::infinity(); }
  static float step(float acc, float v) { return v < acc || v != v ? v : acc; }
};

// Reduces one contiguous run with 8 independent lanes, so the loop vectorises.
template <class Rule>
NABLA_INLINE typename Rule::Acc rowBody(const float* x, size_t n) {
  using Acc = typename Rule::Acc;
  Acc lanes[8];
  for (auto& l : lanes) l = Rule::init();
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    for (size_t l = 0; l < 8; ++l) lanes[l] = Rule::step(lanes[l], static_cast<Acc>(x[i + l]));
  }
  for (; i < n; ++i) lanes[0] = Rule::step(lanes[0], static_cast<Acc>(x[i]));
  Acc acc = lanes[0];
  for (size_t l = 1; l < 8; ++l) acc = Rule::step(acc, lanes[l]);
  return acc;
}

// acc[j] = step(acc[j], x[j]) for a kept innermost dim.
template <class Rule>
NABLA_INLINE void columnsBody(typename Rule::Acc* acc, const float* x, size_t n) {
  for (size_t j = 0; j < n; ++j) acc[j] = Rule::step(acc[j], static_cast<typename Rule::Acc>(x[j]));
}

template <class Rule>
typename Rule::Acc rowGeneric(const float* x, size_t n) { return rowBody<Rule>(x, n); }
template <class Rule>
NABLA_TARGET_AVX2 typename Rule::Acc rowAvx2(const float* x, size_t n) { return rowBody<Rule>(x, n); }
template <class Rule>
void columnsGeneric(typename Rule::Acc* acc, const float* x, size_t n) { columnsBody<Rule>(acc, x, n); }
template <class Rule>
NABLA_TARGET_AVX2 void columnsAvx2(typename Rule::Acc* acc, const float* x, size_t n) { columnsBody<Rule>(acc, x, n); }

// x's dims after dropping size-1 dims and merging neighbours that are both reduced or both kept.
struct Group {
  size_t size, xStride, outStride;
  bool reduced;
};

std::vector<Group> groupDims(const std::vector<size_t>& shape, const std::vector<size_t>& axes) {
  std::vector<bool> reduced(shape.size(), false);
  for (size_t a : axes) reduced[a] = true;
  std::vector<Group> groups;
  for (size_t d = 0; d < shape.size(); ++d) {
    if (shape[d] == 1) continue;
    if (!groups.empty() && groups.back().reduced == reduced[d]) {
      groups.back().size *= shape[d];
    } else {
      groups.push_back({shape[d], 0, 0, reduced[d]});
    }
  }
  size_t xStride = 1, outStride = 1;
  for (size_t g = groups.size(); g-- > 0;) {
    groups[g].xStride = xStride;
    groups[g].outStride = groups[g].reduced ? 0 : outStride;
    xStride *= groups[g].size;
    if (!groups[g].reduced) outStride *= groups[g].size;
  }
  return groups;
}

template <class Rule>
class Reducer {
 public:
  using Acc = typename Rule::Acc;
  Reducer(const std::vector<Group>& groups, bool avx2) : groups_(groups), avx2_(avx2) {}

  // Accumulates x's elements with first-group index in [begin, end) into acc.
  void run(const float* x, Acc* acc, size_t begin, size_t end) const {
    const Group& g = groups_[0];
    if (groups_.size() == 1) {
      // One contiguous group: reduce or accumulate the run directly.
      if (g.reduced) {
        *acc = Rule::step(*acc, row(x + begin, end - begin));
      } else {
        columns(acc + begin, x + begin, end - begin);
      }
      return;
    }
    for (size_t i = begin; i < end; ++i) walk(1, x + i * g.xStride, acc + i * g.outStride);
  }

 private:
  Acc row(const float* x, size_t n) const { return avx2_ ? rowAvx2<Rule>(x, n) : rowGeneric<Rule>(x, n); }

  void columns(Acc* acc, const float* x, size_t n) const {
    if (avx2_) {
      columnsAvx2<Rule>(acc, x, n);
    } else {
      columnsGeneric<Rule>(acc, x, n);
    }
  }

  // Walks groups from `level` (>= 1) down; the last group is one vectorised run.
  void walk(size_t level, const float* x, Acc* acc) const {
    const Group& g = groups_[level];
    if (level + 1 == groups_.size()) {
      if (g.reduced) {
        *acc = Rule::step(*acc, row(x, g.size));
      } else {
        columns(acc, x, g.size);
      }
      return;
    }
    for (size_t i = 0; i < g.size; ++i) walk(level + 1, x + i * g.xStride, acc + i * g.outStride);
  }

  const std::vector<Group>& groups_;
  bool avx2_;
};

template <class Rule>
void reduceWith(const float* x, const std::vector<size_t>& shape, const std::vector<size_t>& axes, float* out,
                bool mean) {
  using Acc = typename Rule::Acc;
  std::vector<bool> reduced(shape.size(), false);
  for (size_t a : axes) reduced[a] = true;
  size_t xSize = 1, count = 1, keptSize = 1;
  for (size_t d = 0; d < shape.size(); ++d) {
    xSize *= shape[d];
    (reduced[d] ? count : keptSize) *= shape[d];
  }
  std::vector<Acc> acc(keptSize, Rule::init());
  const std::vector<Group> groups = groupDims(shape, axes);
  if (xSize == 1) {
    acc[0] = Rule::step(acc[0], static_cast<Acc>(x[0]));
  } else if (xSize > 1) {
    const Reducer<Rule> reducer(groups, useAvx2());
    const size_t first = groups[0].size;
    const size_t threads = threadCount();
    const size_t chunks = xSize >= 65536 && threads > 1 ? std::min(first, 4 * threads) : 1;
    if (chunks <= 1) {
      reducer.run(x, acc.data(), 0, first);
    } else if (!groups[0].reduced) {
      parallelFor(chunks, [&](size_t c) { reducer.run(x, acc.data(), first * c / chunks, first * (c + 1) / chunks); });
    } else {
      // Each chunk of the reduced first dim accumulates separately; partials combine in order.
      std::vector<Acc> partial(keptSize * chunks, Rule::init());
      parallelFor(chunks, [&](size_t c) {
        reducer.run(x, partial.data() + c * keptSize, first * c / chunks, first * (c + 1) / chunks);
      });
      for (size_t c = 0; c < chunks; ++c) {
        for (size_t j = 0; j < keptSize; ++j) acc[j] = Rule::step(acc[j], partial[c * keptSize + j]);
      }
    }
  }
  for (size_t j = 0; j < keptSize; ++j) {
    if (!mean) {
      out[j] = static_cast<float>(acc[j]);
    } else {
      out[j] = count == 0 ? std::numeric_limits<float>::quiet_NaN() : static_cast<float>(acc[j] / static_cast<Acc>(count));
    }
  }
}

}  // namespace

void reduce(ReduceKind kind, const float* x, const std::vector<size_t>& shape, const std::vector<size_t>& axes,
            float* out) {
  switch (kind) {
    case ReduceKind::Sum: return reduceWith<SumRule>(x, shape, axes, out, false);
    case ReduceKind::Mean: return reduceWith<SumRule>(x, shape, axes, out, true);
    case ReduceKind::Prod: return reduceWith<ProdRule>(x, shape, axes, out, false);
    case ReduceKind::Max: return reduceWith<MaxRule>(x, shape, axes, out, false);
    case ReduceKind::Min: return reduceWith<MinRule>(x, shape, axes, out, false);
  }
}

}  // namespace nabla
