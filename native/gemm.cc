// sgemm driver: cache blocking (BLIS-style loop nest), packing, and the parallel schemes: few
// rows (a batch of 128) split N into column groups over one shared packed A; many rows split M
// into row bands (each packing B itself, or, for large products, sharing one packed B).
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

// Products with at most this many rows run in parallel over column groups against one shared
// packed copy of A (its kc-deep blocks fit L2 next to a group's B panels).
constexpr size_t kSmallM = 2 * kBlocking.mc;
// Floats of A packed at once for the column scheme (longer K is done in several passes).
constexpr size_t kSharedACap = size_t{1} << 18;
// A shared operand this small is packed by each task itself rather than in a separate parallel
// step: a second synchronisation costs more than the copy.
constexpr size_t kPrivatePack = 4096;
// Column groups per thread. More groups balance better when a thread starts late or shares its
// core, but each re-reads all of A from L3 (measured: 2 per thread is within 2% of 1).
constexpr size_t kGroupsPerThread = 2;
// Row-scheme products of at least this many flops (~2 ms and up) use shared B and more, smaller
// tasks: dynamic balancing then matters more than the ~5% the extra synchronisation costs.
constexpr double kDynamicRowFlops = 256e6;
constexpr size_t kRowTasksPerThread = 4;

struct Scratch {
  AlignedBuffer packedA, packedB;  // this thread's blocks
  AlignedBuffer sharedA, sharedB;  // blocks this thread packs for all threads of one product
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
  RowsMicroKernel rows;  // null: partial row panels go through the tile
  StridedMicroKernel strided;
  GatherMicroKernel gather;
  PackA packA;
  PackB packB;
};

Kernels selectKernels() {
  if (activeSimd() == SimdLevel::Avx2Fma) {
    return {microKernelAvx2, microKernelAvx2Rows, microKernelAvx2Strided, microKernelAvx2Gather, packAAvx2, packBAvx2};
  }
  return {microKernelGeneric, nullptr, microKernelGenericStrided, microKernelGenericGather, packA, packB};
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

// The mc x kc block of op(A) at rows [row0, row0 + mc), depth [depth0, depth0 + kc) that a
// macro-kernel multiplies: packed kMR-row panels (panel ir at packed + ir * kc), or, when
// `direct`, read in place from the matrix (used when each A element meets one B panel only).
struct ABlock {
  const float* packed = nullptr;
  bool direct = false;
  const float* a = nullptr;  // the matrix
  size_t lda = 0;
  bool trans = false;
  size_t row0 = 0, depth0 = 0;
};

// C (mc x nc, row stride ldc) (+)= A block (mc x kc) * packed B block (kc x nc).
void macroKernel(const Kernels& k, size_t mc, size_t nc, size_t kc, const ABlock& a, const float* packedB, float* c,
                 size_t ldc, bool accumulate) {
  Scratch& scratch = t_scratch;
  float* tile = scratch.tile;
  const size_t rowStride = a.trans ? 1 : a.lda, depthStride = a.trans ? a.lda : 1;
  for (size_t jr = 0; jr < nc; jr += kNR) {
    const size_t nr = std::min(kNR, nc - jr);
    const float* bPanel = packedB + jr * kc;
    for (size_t ir = 0; ir < mc; ir += kMR) {
      const size_t mr = std::min(kMR, mc - ir);
      float* cTile = c + ir * ldc + jr;
      const bool full = mr == kMR && nr == kNR;
      const float* aPanel;
      if (a.direct) {
        if (mr == kMR) {
          const float* aIn = a.a + (a.row0 + ir) * rowStride + a.depth0 * depthStride;
          if (full) {
            k.strided(kc, aIn, rowStride, depthStride, bPanel, cTile, ldc, accumulate);
          } else {
            k.strided(kc, aIn, rowStride, depthStride, bPanel, tile, kNR, false);
            storeEdge(tile, cTile, ldc, mr, nr, accumulate);
          }
          continue;
        }
        // The last, partial row panel: pack it, so no rows past the end are read.
        float* packed = scratch.packedA.reserve(kMR * kc);
        k.packA(a.a, a.lda, a.trans, a.row0 + ir, mr, a.depth0, kc, packed);
        aPanel = packed;
      } else {
        aPanel = a.packed + ir * kc;
      }
      if (full) {
        k.packed(kc, aPanel, bPanel, cTile, ldc, accumulate);
      } else if (nr == kNR && k.rows != nullptr) {
        k.rows(mr, kc, aPanel, bPanel, cTile, ldc, accumulate);
      } else {
        k.packed(kc, aPanel, bPanel, tile, kNR, false);
        storeEdge(tile, cTile, ldc, mr, nr, accumulate);
      }
    }
  }
}

// With a single B panel every A element is used once: read A in place instead of packing it.
bool directA(size_t nc) { return nc <= kNR; }

// C[r0, r1) = op(A)[r0, r1) * op(B) on the calling thread (BLIS loop order: jc, pc, ic), packing
// B for its own use.
void gemmRows(const GemmShape& s, const float* a, const float* b, float* c, size_t r0, size_t r1, const Kernels& k) {
  const size_t kcMax = evenBlock(s.k, kBlocking.kc, 1);
  const size_t mcMax = evenBlock(r1 - r0, kBlocking.mc, kMR);
  const size_t ncMax = evenBlock(s.n, kBlocking.nc, kNR);
  const bool direct = directA(s.n);
  Scratch& scratch = t_scratch;
  float* packedA = direct ? nullptr : scratch.packedA.reserve(mcMax * kcMax);
  float* packedB = scratch.packedB.reserve(ceilDiv(ncMax, kNR) * kNR * kcMax);
  for (size_t jc = 0; jc < s.n; jc += ncMax) {
    const size_t nc = std::min(ncMax, s.n - jc);
    for (size_t pc = 0; pc < s.k; pc += kcMax) {
      const size_t kc = std::min(kcMax, s.k - pc);
      const bool accumulate = pc > 0 || s.accumulate;
      k.packB(b, s.ldb, s.transB, pc, kc, jc, nc, packedB);
      for (size_t ic = r0; ic < r1; ic += mcMax) {
        const size_t mc = std::min(mcMax, r1 - ic);
        if (!direct) k.packA(a, s.lda, s.transA, ic, mc, pc, kc, packedA);
        const ABlock block{packedA, direct, a, s.lda, s.transA, ic, pc};
        macroKernel(k, mc, nc, kc, block, packedB, c + ic * s.ldc + jc, s.ldc, accumulate);
      }
    }
  }
}

// Few rows (m <= kSmallM): A is packed once into a shared buffer (in parallel, unless tiny),
// then tasks over column groups each pack their own B columns and multiply them by all of A.
// Nothing is packed twice.
void gemmByColumns(const GemmShape& s, const float* a, const float* b, float* c, size_t threads, const Kernels& k) {
  const size_t kcMax = evenBlock(s.k, kBlocking.kc, 1);
  const size_t mPanels = ceilDiv(s.m, kMR), mPad = mPanels * kMR;
  const size_t passDepth = std::max<size_t>(1, kSharedACap / (mPad * kcMax)) * kcMax;
  const bool privateA = mPad * s.k <= kPrivatePack;
  float* sharedA = privateA ? nullptr : t_scratch.sharedA.reserve(mPad * std::min(passDepth, ceilDiv(s.k, kcMax) * kcMax));
  const size_t nPanels = ceilDiv(s.n, kNR);
  // Column groups: a few per thread, each at most one nc block wide.
  const size_t groups = std::min(nPanels, std::max(kGroupsPerThread * threads, ceilDiv(s.n, kBlocking.nc)));
  // A packing tasks: (kc block, run of up to 8 row panels).
  constexpr size_t kPackPanels = 8;
  const size_t rowChunks = ceilDiv(mPanels, kPackPanels);

  for (size_t p0 = 0; p0 < s.k; p0 += passDepth) {
    const size_t depth = std::min(passDepth, s.k - p0);
    const size_t kBlocks = ceilDiv(depth, kcMax);
    if (!privateA) {
      parallelFor(kBlocks * rowChunks, [&](size_t t) {
        const size_t kb = t / rowChunks, rc = t % rowChunks;
        const size_t pc = kb * kcMax, kc = std::min(kcMax, depth - pc);
        const size_t r0 = rc * kPackPanels * kMR, rows = std::min(kPackPanels * kMR, s.m - r0);
        k.packA(a, s.lda, s.transA, r0, rows, p0 + pc, kc, sharedA + pc * mPad + r0 * kc);
      });
    }
    parallelFor(groups, [&](size_t g) {
      const size_t c0 = nPanels * g / groups * kNR, c1 = std::min(s.n, nPanels * (g + 1) / groups * kNR);
      if (c0 >= c1) return;
      Scratch& scratch = t_scratch;
      float* packedB = scratch.packedB.reserve(ceilDiv(c1 - c0, kNR) * kNR * kcMax);
      float* ownA = privateA ? scratch.packedA.reserve(mPad * kcMax) : nullptr;
      for (size_t pc = 0; pc < depth; pc += kcMax) {
        const size_t kc = std::min(kcMax, depth - pc);
        k.packB(b, s.ldb, s.transB, p0 + pc, kc, c0, c1 - c0, packedB);
        ABlock block;
        if (privateA) {
          k.packA(a, s.lda, s.transA, 0, s.m, p0 + pc, kc, ownA);
          block.packed = ownA;
        } else {
          block.packed = sharedA + pc * mPad;
        }
        macroKernel(k, s.m, c1 - c0, kc, block, packedB, c + c0, s.ldc, s.accumulate || p0 + pc > 0);
      }
    });
  }
}

// Many rows. Up to kDynamicRowFlops: one task per thread over a band of rows, each packing all
// of B for itself (the copy costs less than a synchronisation and remote reads of a shared
// one). Above: for each (nc, kc) block, B is packed once into a shared buffer (in parallel),
// then kRowTasksPerThread tasks per thread over row blocks pack their own A rows.
void gemmByRows(const GemmShape& s, const float* a, const float* b, float* c, size_t threads, const Kernels& k,
                double flops) {
  const size_t mPanels = ceilDiv(s.m, kMR);
  if (flops < kDynamicRowFlops) {
    parallelFor(threads, [&](size_t t) {
      const size_t r0 = mPanels * t / threads * kMR, r1 = std::min(s.m, mPanels * (t + 1) / threads * kMR);
      if (r0 < r1) gemmRows(s, a, b, c, r0, r1, k);
    });
    return;
  }
  const size_t kcMax = evenBlock(s.k, kBlocking.kc, 1);
  const size_t ncMax = evenBlock(s.n, kBlocking.nc, kNR);
  size_t mcTask = evenBlock(s.m, kBlocking.mc, kMR);
  if (ceilDiv(s.m, mcTask) < kRowTasksPerThread * threads) {
    mcTask = std::max(4 * kMR, ceilDiv(ceilDiv(s.m, kRowTasksPerThread * threads), kMR) * kMR);
  }
  const size_t rowTasks = ceilDiv(s.m, mcTask);
  const bool direct = directA(s.n);
  float* sharedB = t_scratch.sharedB.reserve(ceilDiv(ncMax, kNR) * kNR * kcMax);

  for (size_t jc = 0; jc < s.n; jc += ncMax) {
    const size_t nc = std::min(ncMax, s.n - jc);
    const size_t nPanels = ceilDiv(nc, kNR);
    for (size_t pc = 0; pc < s.k; pc += kcMax) {
      const size_t kc = std::min(kcMax, s.k - pc);
      const bool accumulate = pc > 0 || s.accumulate;
      const size_t packTasks = std::min(nPanels, kRowTasksPerThread * threads);
      parallelFor(packTasks, [&](size_t t) {
        const size_t j0 = nPanels * t / packTasks * kNR, j1 = std::min(nc, nPanels * (t + 1) / packTasks * kNR);
        if (j0 < j1) k.packB(b, s.ldb, s.transB, pc, kc, jc + j0, j1 - j0, sharedB + j0 * kc);
      });
      parallelFor(rowTasks, [&](size_t t) {
        const size_t r0 = t * mcTask, mc = std::min(mcTask, s.m - r0);
        float* packedA = direct ? nullptr : t_scratch.packedA.reserve(mcTask * kcMax);
        if (!direct) k.packA(a, s.lda, s.transA, r0, mc, pc, kc, packedA);
        const ABlock block{packedA, direct, a, s.lda, s.transA, r0, pc};
        macroKernel(k, mc, nc, kc, block, sharedB, c + r0 * s.ldc + jc, s.ldc, accumulate);
      });
    }
  }
}

}  // namespace

size_t gemmDepthBlock(size_t k) { return evenBlock(std::max<size_t>(k, 1), kBlocking.kc, 1); }
size_t packedASize(size_t m, size_t k) { return ceilDiv(m, kMR) * kMR * k; }
size_t packedBSize(size_t k, size_t n) { return ceilDiv(n, kNR) * kNR * k; }

void packAWhole(const float* a, size_t lda, bool trans, size_t rows, size_t k, float* dst, size_t mTotal, size_t row0) {
  const Kernels kernels = selectKernels();
  const size_t kcMax = gemmDepthBlock(k), mPad = ceilDiv(mTotal, kMR) * kMR;
  for (size_t pc = 0; pc < k; pc += kcMax) {
    const size_t kc = std::min(kcMax, k - pc);
    kernels.packA(a, lda, trans, 0, rows, pc, kc, dst + pc * mPad + row0 * kc);
  }
}

void packBWhole(const float* b, size_t ldb, bool trans, size_t k, size_t n, float* dst, size_t depthBlock) {
  const Kernels kernels = selectKernels();
  const size_t kcMax = depthBlock > 0 ? depthBlock : gemmDepthBlock(k), nPad = ceilDiv(n, kNR) * kNR;
  for (size_t pc = 0; pc < k; pc += kcMax) {
    const size_t kc = std::min(kcMax, k - pc);
    kernels.packB(b, ldb, trans, pc, kc, 0, n, dst + pc * nPad);
  }
}

void gemmPrepacked(size_t m, size_t n, size_t k, const float* packedA, const float* packedB, float* c, size_t ldc,
                   bool accumulate) {
  if (m == 0 || n == 0) return;
  if (k == 0) {
    if (!accumulate) {
      for (size_t i = 0; i < m; ++i) std::memset(c + i * ldc, 0, n * sizeof(float));
    }
    return;
  }
  const Kernels kernels = selectKernels();
  const size_t kcMax = gemmDepthBlock(k), mPad = ceilDiv(m, kMR) * kMR, nPad = ceilDiv(n, kNR) * kNR;
  // Row blocks of at most mc rows, all depth blocks each: the block's C rows stay in cache
  // across the depth passes.
  for (size_t ic = 0; ic < m; ic += kBlocking.mc) {
    const size_t mc = std::min(kBlocking.mc, m - ic);
    for (size_t pc = 0; pc < k; pc += kcMax) {
      const size_t kc = std::min(kcMax, k - pc);
      ABlock block;
      block.packed = packedA + pc * mPad + ic * kc;
      macroKernel(kernels, mc, n, kc, block, packedB + pc * nPad, c + ic * ldc, ldc, accumulate || pc > 0);
    }
  }
}

void gatherTile(size_t segments, const GatherSegment* seg, const float* bPanel, float* c, size_t ldc, size_t mr,
                size_t nr, bool accumulate) {
  const GatherMicroKernel kernel = selectKernels().gather;
  if (mr == kMR && nr == kNR) {
    kernel(segments, seg, bPanel, c, ldc, accumulate);
    return;
  }
  float* tile = t_scratch.tile;
  kernel(segments, seg, bPanel, tile, kNR, false);
  storeEdge(tile, c, ldc, mr, nr, accumulate);
}

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

  const size_t mPanels = ceilDiv(s.m, kMR), nPanels = ceilDiv(s.n, kNR);
  if (threads > 1 && s.m <= kSmallM && nPanels >= 2 * threads) {
    gemmByColumns(s, a, b, c, threads, kernels);
  } else if (threads > 1 && mPanels >= 2 * threads) {
    gemmByRows(s, a, b, c, threads, kernels, flops);
  } else {
    gemmRows(s, a, b, c, 0, s.m, kernels);
  }
}

}  // namespace nabla
