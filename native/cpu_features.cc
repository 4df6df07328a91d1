#include "cpu_features.h"

#include <atomic>

namespace nabla {
namespace {

SimdLevel probe() {
#if NABLA_HAVE_AVX2_TARGET
  __builtin_cpu_init();
  // libgcc/compiler-rt also check that the OS saves YMM state before reporting avx2.
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return SimdLevel::Avx2Fma;
#endif
  return SimdLevel::Generic;
}

std::atomic<int> g_active{-1};

}  // namespace

SimdLevel detectedSimd() {
  static const SimdLevel level = probe();
  return level;
}

SimdLevel activeSimd() {
  int v = g_active.load(std::memory_order_relaxed);
  if (v < 0) return detectedSimd();
  return static_cast<SimdLevel>(v);
}

SimdLevel setActiveSimd(SimdLevel requested) {
  SimdLevel level = requested;
  if (level == SimdLevel::Avx2Fma && detectedSimd() != SimdLevel::Avx2Fma) level = SimdLevel::Generic;
  g_active.store(static_cast<int>(level), std::memory_order_relaxed);
  return level;
}

const char* simdName(SimdLevel level) {
  return level == SimdLevel::Avx2Fma ? "avx2-fma" : "generic";
}

}  // namespace nabla
