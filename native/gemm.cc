// sgemm driver: cache blocking (BLIS-style loop nest), packing, threads split over C.
#include "gemm.h"

#include <algorithm>
#include <cstring>

#include "aligned_buffer.h"
#include "cpu_features.h"
#include "gemm_kernels.h"
#include "thread_pool.h"

namespace nabla {
namespace {

// mc x kc block of A stays in L2, kc x kNR micro-panel of B in L1, kc x nc block of B in L3.
struct Blocking {
  size_t mc, kc, nc;
};
constexpr Blocking kBlocking{144, 256, 3072};

struct Scratch {
  AlignedBuffer packedA, packedB;
  alignas(64) float tile[kMR * kNR];
};
thread_local Scratch t_scratch;

size_t ceilDiv(size_t a, size_t b) { return (a + b - 1) / b; }

// Block size for splitting `total` into near-equal blocks of at most about `maxBlock`, a
// multiple of `unit` (so 784 splits as 4 x 196 rather than 3 x 256 + 16).
size_t evenBlock(size_t total, size_t maxBlock, size_t unit) {
  size_t blocks = ceilDiv(total, maxBlock);
  return ceilDiv(ceilDiv(total, blocks), unit) * unit;
}

struct Kernels {
  MicroKernel packed;
  StridedMicroKernel strided;
};

Kernels selectKernels() {
  if (activeSimd() == SimdLevel::Avx2Fma) return {microKernelAvx2, microKernelAvx2Strided};
  return {microKernelGeneric, microKernelGenericStrided};
}

// Writes the valid mr x nr corner of a full micro-tile computed aside into C.
void storeEdge(const float* tile, float* c, size_t ldc, size_t mr, size_t nr, bool accumulate) {
  for (size_t i = 0; i < mr; ++i) {
    float* ci = c + i * ldc;
    const float* ti = tile + i * kNR;
    if (accumulate) {
      for (size_t j = 0; j < nr; ++j) ci[j] += ti[j];
    } else {
      for (size_t j = 0; j < nr; ++j) ci[j] = ti[j];
    }
  }
}

// Computes C[rows, cols] for rows [r0, r1) and columns [c0, c1) on the calling thread.
void gemmTile(const GemmShape& s, const float* a, const float* b, float* c, size_t r0, size_t r1, size_t c0,
              size_t c1, const Kernels& kernels) {
  const size_t kcMax = evenBlock(s.k, kBlocking.kc, 1);
  const size_t mcMax = evenBlock(r1 - r0, kBlocking.mc, kMR);
  const size_t ncMax = evenBlock(c1 - c0, kBlocking.nc, kNR);
  // With a single B panel every A element is used once: read full row panels of A in place.
  const bool directA = c1 - c0 <= kNR;
  const size_t aRowStride = s.transA ? 1 : s.lda, aDepthStride = s.transA ? s.lda : 1;
  Scratch& scratch = t_scratch;
  float* packedA = scratch.packedA.reserve(mcMax * kcMax);
  float* packedB = scratch.packedB.reserve(ncMax * kcMax);
  float* tile = scratch.tile;

  for (size_t jc = c0; jc < c1; jc += ncMax) {
    const size_t nc = std::min(ncMax, c1 - jc);
    for (size_t pc = 0; pc < s.k; pc += kcMax) {
      const size_t kc = std::min(kcMax, s.k - pc);
      const bool accumulate = pc > 0 || s.accumulate;
      packB(b, s.ldb, s.transB, pc, kc, jc, nc, packedB);
      for (size_t ic = r0; ic < r1; ic += mcMax) {
        const size_t mc = std::min(mcMax, r1 - ic);
        if (!directA) packA(a, s.lda, s.transA, ic, mc, pc, kc, packedA);
        for (size_t jr = 0; jr < nc; jr += kNR) {
          const size_t nr = std::min(kNR, nc - jr);
          const float* bPanel = packedB + jr * kc;
          for (size_t ir = 0; ir < mc; ir += kMR) {
            const size_t mr = std::min(kMR, mc - ir);
            float* cTile = c + (ic + ir) * s.ldc + jc + jr;
            const bool full = mr == kMR && nr == kNR;
            if (directA && mr == kMR) {
              const float* aPanel = a + (ic + ir) * aRowStride + pc * aDepthStride;
              if (full) {
                kernels.strided(kc, aPanel, aRowStride, aDepthStride, bPanel, cTile, s.ldc, accumulate);
              } else {
                kernels.strided(kc, aPanel, aRowStride, aDepthStride, bPanel, tile, kNR, false);
                storeEdge(tile, cTile, s.ldc, mr, nr, accumulate);
              }
              continue;
            }
            const float* aPanel = packedA + ir * kc;
            if (directA) {
              // The last, partial row panel: pack it, so no rows past the end are read.
              packA(a, s.lda, s.transA, ic + ir, mr, pc, kc, packedA);
              aPanel = packedA;
            }
            if (full) {
              kernels.packed(kc, aPanel, bPanel, cTile, s.ldc, accumulate);
            } else {
              kernels.packed(kc, aPanel, bPanel, tile, kNR, false);
              storeEdge(tile, cTile, s.ldc, mr, nr, accumulate);
            }
          }
        }
      }
    }
  }
}

// A pm x pn grid of C tiles, one per thread.
struct Grid {
  size_t pm = 1, pn = 1;
};

// Chooses the grid for `threads` that minimises the estimated time of the slowest tile:
// its FMAs (16 per cycle) plus packing its A rows and B columns (about 1 element per cycle).
Grid chooseGrid(const GemmShape& s, size_t threads) {
  const size_t mBlocks = ceilDiv(s.m, kMR), nBlocks = ceilDiv(s.n, kNR);
  Grid best;
  double bestCost = -1;
  for (size_t pm = 1; pm <= threads; ++pm) {
    if (threads % pm != 0) continue;
    const size_t pn = threads / pm;
    if (pm > mBlocks || pn > nBlocks) continue;
    const double tileM = static_cast<double>(ceilDiv(mBlocks, pm) * kMR);
    const double tileN = static_cast<double>(ceilDiv(nBlocks, pn) * kNR);
    const double k = static_cast<double>(s.k);
    const double cost = tileM * tileN * k / 16.0 + (tileM * ceilDiv(static_cast<size_t>(tileN), kBlocking.nc) + tileN) * k;
    if (bestCost < 0 || cost < bestCost) {
      bestCost = cost;
      best = {pm, pn};
    }
  }
  return best;
}

}  // namespace

void sgemm(const GemmShape& s, const float* a, const float* b, float* c, size_t maxThreads) {
  if (s.m == 0 || s.n == 0) return;
  if (s.k == 0) {
    if (s.accumulate) return;
    for (size_t i = 0; i < s.m; ++i) std::memset(c + i * s.ldc, 0, s.n * sizeof(float));
    return;
  }
  const Kernels kernels = selectKernels();
  const double flops = 2.0 * static_cast<double>(s.m) * static_cast<double>(s.n) * static_cast<double>(s.k);
  size_t threads = std::min(maxThreads, threadCount());
  if (flops < kGemmParallelFlops) threads = 1;
  while (threads > 1 && flops / static_cast<double>(threads) < kGemmParallelFlops / 2) --threads;

  Grid grid;
  if (threads > 1) grid = chooseGrid(s, threads);
  if (grid.pm * grid.pn <= 1) {
    gemmTile(s, a, b, c, 0, s.m, 0, s.n, kernels);
    return;
  }
  const size_t mBlocks = ceilDiv(s.m, kMR), nBlocks = ceilDiv(s.n, kNR);
  parallelFor(grid.pm * grid.pn, [&](size_t t) {
    const size_t ti = t / grid.pn, tj = t % grid.pn;
    const size_t r0 = std::min(s.m, mBlocks * ti / grid.pm * kMR);
    const size_t r1 = std::min(s.m, mBlocks * (ti + 1) / grid.pm * kMR);
    const size_t c0 = std::min(s.n, nBlocks * tj / grid.pn * kNR);
    const size_t c1 = std::min(s.n, nBlocks * (tj + 1) / grid.pn * kNR);
    if (r0 < r1 && c0 < c1) gemmTile(s, a, b, c, r0, r1, c0, c1, kernels);
  });
}

}  // namespace nabla
