#include "conv.h"

#include <algorithm>
#include <cstring>
#include <vector>

#include "aligned_buffer.h"
#include "gemm.h"
#include "gemm_kernels.h"
#include "thread_pool.h"

namespace nabla {
namespace {

thread_local AlignedBuffer t_columns;  // im2col patches or GEMM results of one tile
thread_local AlignedBuffer t_packed;   // one tile's patches (or dy rows) in packed panels
thread_local AlignedBuffer t_filter;   // the calling thread's packed filter, read by all tasks

// Pixel chunks per thread for the filter gradient (each sums into its own partial filter).
constexpr size_t kChunksPerThread = 4;

// The micro-kernel's row count: patches are gathered in whole panels of this many pixels.
constexpr int64_t kPanelRows = static_cast<int64_t>(kMR);

size_t sz(int64_t v) { return static_cast<size_t>(v); }

// Output pixels per im2col tile: about 256 KiB of patches (an L2-sized GEMM operand), a
// multiple of the micro-kernel's 6 rows, and at least 96 rows: every tile streams the whole
// packed filter through the cache, so long patches (3x3x512 = 4608 floats) in thin tiles halve
// the GEMM's speed (12 rows: 43 GFLOPS on one core, 96 rows: 86).
int64_t tileRows(int64_t patch, int64_t pixels) {
  int64_t rows = std::max<int64_t>(96, (65536 / std::max<int64_t>(patch, 1)) / 6 * 6);
  return std::max<int64_t>(1, std::min(rows, pixels));
}

// Copies n floats; small counts (the first layer's 1 or 3 channels) skip the library call.
inline void copyFloats(float* dst, const float* src, int64_t n) {
  if (n < 16) {
    for (int64_t i = 0; i < n; ++i) dst[i] = src[i];
  } else {
    std::memcpy(dst, src, static_cast<size_t>(n) * sizeof(float));
  }
}

// Writes the patches of output pixels [first, first + rows) as rows of `cols` (zeros in padding).
void im2col(const ConvGeometry& g, const float* x, int64_t first, int64_t rows, float* cols) {
  const int64_t C = g.inChannels, rowLength = g.filterWidth * C;
  const int64_t tapStride = g.dilationWidth * C;
  WindowWalker walker(g, first);
  for (int64_t r = 0; r < rows; ++r, walker.advance()) {
    const Window& w = walker.window();
    float* dst = cols + r * g.patchSize();
    const bool fullRow = w.kw.lo == 0 && w.kw.hi == g.filterWidth;
    for (int64_t kh = 0; kh < g.filterHeight; ++kh, dst += rowLength) {
      if (kh < w.kh.lo || kh >= w.kh.hi) {
        std::memset(dst, 0, static_cast<size_t>(rowLength) * sizeof(float));
        continue;
      }
      // Offset of this tap row at the window's first column (negative when that is padding).
      const int64_t base = inputOffset(g, w.image, w.ih0 + kh * g.dilationHeight, 0) + w.iw0 * C;
      if (fullRow && g.dilationWidth == 1) {
        copyFloats(dst, x + base, rowLength);  // the whole tap row is one contiguous run
        continue;
      }
      for (int64_t kw = 0; kw < g.filterWidth; ++kw) {
        if (kw < w.kw.lo || kw >= w.kw.hi) {
          std::memset(dst + kw * C, 0, static_cast<size_t>(C) * sizeof(float));
        } else {
          copyFloats(dst + kw * C, x + base + kw * tapStride, C);
        }
      }
    }
  }
}

// Adds each patch row of `cols` back onto the input positions it was taken from.
void col2im(const ConvGeometry& g, const float* cols, int64_t first, int64_t rows, float* dx) {
  WindowWalker walker(g, first);
  for (int64_t r = 0; r < rows; ++r, walker.advance()) {
    const Window& w = walker.window();
    const float* patch = cols + r * g.patchSize();
    for (int64_t kh = w.kh.lo; kh < w.kh.hi; ++kh) {
      const int64_t ih = w.ih0 + kh * g.dilationHeight;
      for (int64_t kw = w.kw.lo; kw < w.kw.hi; ++kw) {
        const float* src = patch + (kh * g.filterWidth + kw) * g.inChannels;
        float* dst = dx + inputOffset(g, w.image, ih, w.iw0 + kw * g.dilationWidth);
        for (int64_t c = 0; c < g.inChannels; ++c) dst[c] += src[c];
      }
    }
  }
}

}  // namespace

void conv2d(const ConvGeometry& g, const float* x, const float* filter, float* out) {
  const int64_t pixels = g.pixels(), patch = g.patchSize(), oc = g.outChannels;
  if (pixels == 0 || oc == 0) return;
  if (g.pointwise() || patch == 0) {
    sgemm({sz(pixels), sz(oc), sz(patch), false, false, sz(patch), sz(oc), sz(oc)}, x, filter, out, threadCount());
    return;
  }
  // The filter is packed into GEMM panels once for the whole call; each tile's patches are
  // gathered a few panels of pixels at a time into an L1-sized buffer and packed from there, so the tile
  // itself is only ever written in panel layout.
  float* packedFilter = t_filter.reserve(packedBSize(sz(patch), sz(oc)));
  packBWhole(filter, sz(oc), false, sz(patch), sz(oc), packedFilter);
  const int64_t tile = tileRows(patch, pixels);
  const int64_t tiles = (pixels + tile - 1) / tile;
  // Pixels gathered per batch: whole panels, about 16 KiB of patches (more per call when the
  // patch is short, e.g. 9 values for a one-channel input).
  const int64_t gather = std::max<int64_t>(1, 4096 / (patch * kPanelRows)) * kPanelRows;
  parallelFor(sz(tiles), [&](size_t t) {
    const int64_t first = static_cast<int64_t>(t) * tile, rows = std::min(tile, pixels - first);
    float* packed = t_packed.reserve(packedASize(sz(rows), sz(patch)));
    float* panel = t_columns.reserve(sz(gather * patch));
    for (int64_t r = 0; r < rows; r += gather) {
      const int64_t n = std::min(gather, rows - r);
      im2col(g, x, first + r, n, panel);
      packAWhole(panel, sz(patch), false, sz(n), sz(patch), packed, sz(rows), sz(r));
    }
    gemmPrepacked(sz(rows), sz(oc), sz(patch), packed, packedFilter, out + first * oc, sz(oc), false);
  });
}

void conv2dBackpropInput(const ConvGeometry& g, const float* dy, const float* filter, float* dx) {
  const int64_t pixels = g.pixels(), patch = g.patchSize(), oc = g.outChannels;
  const int64_t inSize = g.batch * g.inHeight * g.inWidth * g.inChannels;
  if (g.pointwise()) {
    sgemm({sz(pixels), sz(patch), sz(oc), false, true, sz(oc), sz(oc), sz(patch)}, dy, filter, dx, threadCount());
    return;
  }
  if (pixels == 0 || patch == 0) {
    if (inSize > 0) std::memset(dx, 0, sz(inSize) * sizeof(float));
    return;
  }
  // Windows of neighbouring pixels overlap, so the scatter is split by image (disjoint dx);
  // a single image instead runs its GEMMs on all threads.
  const int64_t perImage = g.outHeight * g.outWidth;
  const int64_t imageSize = g.inHeight * g.inWidth * g.inChannels;
  const int64_t tile = tileRows(patch, perImage);
  const bool byImage = g.batch >= static_cast<int64_t>(threadCount());
  if (byImage) {
    // filter^T packed once (a transposing pack: the costliest part to repeat per tile).
    float* packedFilter = t_filter.reserve(packedBSize(sz(oc), sz(patch)));
    packBWhole(filter, sz(oc), true, sz(oc), sz(patch), packedFilter);
    parallelFor(sz(g.batch), [&](size_t image) {
      const int64_t n = static_cast<int64_t>(image);
      std::memset(dx + n * imageSize, 0, sz(imageSize) * sizeof(float));
      for (int64_t first = n * perImage; first < (n + 1) * perImage; first += tile) {
        const int64_t rows = std::min(tile, (n + 1) * perImage - first);
        float* packed = t_packed.reserve(packedASize(sz(rows), sz(oc)));
        packAWhole(dy + first * oc, sz(oc), false, sz(rows), sz(oc), packed, sz(rows), 0);
        float* cols = t_columns.reserve(sz(rows * patch));
        gemmPrepacked(sz(rows), sz(patch), sz(oc), packed, packedFilter, cols, sz(patch), false);
        col2im(g, cols, first, rows, dx);
      }
    });
    return;
  }
  if (inSize > 0) std::memset(dx, 0, sz(inSize) * sizeof(float));
  for (int64_t n = 0; n < g.batch; ++n) {
    for (int64_t first = n * perImage; first < (n + 1) * perImage; first += tile) {
      const int64_t rows = std::min(tile, (n + 1) * perImage - first);
      float* cols = t_columns.reserve(sz(rows * patch));
      sgemm({sz(rows), sz(patch), sz(oc), false, true, sz(oc), sz(oc), sz(patch)}, dy + first * oc, filter, cols,
            threadCount());
      col2im(g, cols, first, rows, dx);
    }
  }
}

void conv2dBackpropFilter(const ConvGeometry& g, const float* x, const float* dy, float* dfilter) {
  const int64_t pixels = g.pixels(), patch = g.patchSize(), oc = g.outChannels;
  const size_t filterSize = sz(patch * oc);
  if (filterSize == 0) return;
  std::memset(dfilter, 0, filterSize * sizeof(float));
  if (pixels == 0) return;
  // Each chunk of pixels sums into its own partial filter gradient; partials add up at the end.
  const int64_t tile = g.pointwise() ? std::max<int64_t>(256, pixels / 64) : tileRows(patch, pixels);
  const int64_t tiles = (pixels + tile - 1) / tile;
  // A few chunks per thread (taken dynamically, so a preempted thread holds up little), as long
  // as their partial filters stay small next to the work.
  size_t chunks = std::min(sz(tiles), threadCount());
  if (chunks > 1) {
    const size_t byMemory = std::max<size_t>(1, (size_t{1} << 22) / filterSize);
    chunks = std::min({sz(tiles), kChunksPerThread * threadCount(), std::max(chunks, byMemory)});
  }
  std::vector<float> partials(chunks > 1 ? chunks * filterSize : 0);
  parallelFor(chunks, [&](size_t c) {
    float* acc = chunks > 1 ? partials.data() + c * filterSize : dfilter;
    bool started = false;
    for (int64_t t = static_cast<int64_t>(c) * tiles / static_cast<int64_t>(chunks);
         t < static_cast<int64_t>(c + 1) * tiles / static_cast<int64_t>(chunks); ++t) {
      const int64_t first = t * tile, rows = std::min(tile, pixels - first);
      const float* cols = x + first * patch;
      if (!g.pointwise()) {
        float* buffer = t_columns.reserve(sz(rows * patch));
        im2col(g, x, first, rows, buffer);
        cols = buffer;
      }
      GemmShape shape{sz(patch), sz(oc), sz(rows), true, false, sz(patch), sz(oc), sz(oc)};
      shape.accumulate = started;
      sgemm(shape, cols, dy + first * oc, acc, 1);
      started = true;
    }
    if (!started) std::memset(acc, 0, filterSize * sizeof(float));
  });
  if (chunks > 1) {
    for (size_t c = 0; c < chunks; ++c) {
      const float* p = partials.data() + c * filterSize;
      for (size_t i = 0; i < filterSize; ++i) dfilter[i] += p[i];
    }
  }
}

}  // namespace nabla
