// Which SIMD code paths this CPU can run, detected once at runtime (no -march=native builds).
#pragma once

namespace nabla {

enum class SimdLevel { Generic, Avx2Fma };

// Best level the CPU and OS support.
SimdLevel detectedSimd();

// Level the kernels dispatch on: the detected one unless lowered with setActiveSimd (tests use
// this to exercise the portable fallbacks on an AVX2 machine).
SimdLevel activeSimd();

// Sets the active level, clamped to what the CPU supports. Returns the level now active.
SimdLevel setActiveSimd(SimdLevel requested);

const char* simdName(SimdLevel level);

}  // namespace nabla

// Compiler support for per-function target attributes (GCC/Clang on x86-64). Building with
// -DNABLA_NO_AVX2 compiles the portable kernels only.
#if (defined(__GNUC__) || defined(__clang__)) && (defined(__x86_64__) || defined(__i386__)) && !defined(NABLA_NO_AVX2)
#define NABLA_HAVE_AVX2_TARGET 1
#define NABLA_TARGET_AVX2 __attribute__((target("avx2,fma")))
#else
#define NABLA_HAVE_AVX2_TARGET 0
#define NABLA_TARGET_AVX2
#endif
