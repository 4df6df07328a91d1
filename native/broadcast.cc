#include "broadcast.h"

namespace nabla {
namespace {

// Strides of `in` aligned right to `out`; false unless each dim equals out's or is 1.
bool alignedStrides(const std::vector<size_t>& in, const std::vector<size_t>& out, std::vector<size_t>& strides) {
  if (in.size() > out.size()) return false;
  strides.assign(out.size(), 0);
  size_t stride = 1;
  for (size_t i = in.size(); i-- > 0;) {
    const size_t o = i + out.size() - in.size();
    if (in[i] != out[o] && in[i] != 1) return false;
    strides[o] = in[i] == 1 ? 0 : stride;
    stride *= in[i];
  }
  return true;
}

}  // namespace

bool makeBroadcastPlan(const std::vector<size_t>& a, const std::vector<size_t>& b, const std::vector<size_t>& out,
                       BroadcastPlan& plan) {
  std::vector<size_t> sa, sb;
  if (!alignedStrides(a, out, sa) || !alignedStrides(b, out, sb)) return false;
  plan.dims.clear();
  plan.strideA.clear();
  plan.strideB.clear();
  for (size_t d = 0; d < out.size(); ++d) {
    if (out[d] == 1) continue;
    // Merge with the previous dim when both inputs step through them as one contiguous run.
    if (!plan.dims.empty() && plan.strideA.back() == sa[d] * out[d] && plan.strideB.back() == sb[d] * out[d]) {
      plan.dims.back() *= out[d];
      plan.strideA.back() = sa[d];
      plan.strideB.back() = sb[d];
      continue;
    }
    plan.dims.push_back(out[d]);
    plan.strideA.push_back(sa[d]);
    plan.strideB.push_back(sb[d]);
  }
  if (plan.dims.empty()) {
    plan.dims.push_back(1);
    plan.strideA.push_back(0);
    plan.strideB.push_back(0);
  }
  return plan.dims.size() <= 64;
}

}  // namespace nabla
