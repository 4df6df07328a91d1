// Compiling one loop body twice: for the baseline ISA and for AVX2/FMA (runtime dispatch).
//
// Loop bodies are NABLA_INLINE templates in plain C++. A wrapper marked NABLA_TARGET_AVX2
// inlines them, so the compiler vectorises the same source with 256-bit registers; an unmarked
// wrapper gets the baseline (SSE2 on x86-64, NEON on arm64). Generic code may be inlined into
// AVX2 functions, never the reverse, so no AVX2 instruction can leak into the fallback path.
#pragma once

#include "cpu_features.h"

#if defined(__GNUC__) || defined(__clang__)
#define NABLA_INLINE inline __attribute__((always_inline))
#else
#define NABLA_INLINE inline
#endif

namespace nabla {

inline bool useAvx2() { return activeSimd() == SimdLevel::Avx2Fma; }

}  // namespace nabla
