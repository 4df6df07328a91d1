#include "conv.h"

#include <algorithm>
#include <cstring>
#include <vector>

#include "aligned_buffer.h"
#include "conv_stride1.h"
#include "conv_winograd.h"
#include "gemm.h"
#include "gemm_kernels.h"
#include "simd_dispatch.h"
#include "thread_pool.h"

namespace nabla {
namespace {

thread_local AlignedBuffer t_columns;  // im2col patches or GEMM results of one tile
thread_local AlignedBuffer t_packed;   // one tile's patches (or dy rows) in packed panels
thread_local AlignedBuffer t_filter;   // the calling thread's packed filter, read by all tasks

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

// Filter rows of at least this many floats (filterWidth * inChannels) go through the gather
// kernel; shorter ones (a first layer's 1 or 3 channels) would make its segments too short.
constexpr int64_t kMinGatherRun = 32;
// Deepest patch the gather kernel takes in one pass.
constexpr size_t kGatherDepth = 640;

thread_local std::vector<const float*> t_runs;       // per pixel and filter row: where its run starts
thread_local std::vector<GatherSegment> t_segments;  // one depth block's segments for one row panel

// Depth of the gather kernel's passes: a patch up to kGatherDepth deep in one pass (each pass
// stores and reloads the tile's outputs; 3x3x64 would otherwise take three), deeper ones in
// GEMM depth blocks.
size_t gatherDepthBlock(size_t patch) { return patch <= kGatherDepth ? patch : gemmDepthBlock(patch); }

bool gatherable(const ConvGeometry& g) {
  return g.dilationWidth == 1 && g.filterWidth * g.inChannels >= kMinGatherRun;
}

// Points runs[r * filterHeight + kh] at the filterWidth * inChannels floats pixel first + r
// multiplies with filter row kh: in place in x when the window row is inside the input, `zeros`
// when it lies in the top/bottom padding, or a copy with zeros for the taps in the left/right
// padding (written to `cut`, which must hold that many runs).
void pointRuns(const ConvGeometry& g, const float* x, int64_t first, int64_t rows, const float* zeros,
               const float** runs, float* cut) {
  const int64_t C = g.inChannels, run = g.filterWidth * C;
  WindowWalker walker(g, first);
  for (int64_t r = 0; r < rows; ++r, walker.advance()) {
    const Window& w = walker.window();
    const bool fullRow = w.kw.lo == 0 && w.kw.hi == g.filterWidth;
    for (int64_t kh = 0; kh < g.filterHeight; ++kh) {
      const float** slot = runs + r * g.filterHeight + kh;
      if (kh < w.kh.lo || kh >= w.kh.hi) {
        *slot = zeros;
        continue;
      }
      const int64_t ih = w.ih0 + kh * g.dilationHeight;
      if (fullRow) {
        *slot = x + inputOffset(g, w.image, ih, 0) + w.iw0 * C;
        continue;
      }
      std::memset(cut, 0, sz(run) * sizeof(float));
      for (int64_t kw = w.kw.lo; kw < w.kw.hi; ++kw) copyFloats(cut + kw * C, x + inputOffset(g, w.image, ih, w.iw0 + kw), C);
      *slot = cut;
      cut += run;
    }
  }
}

// Pixels of [first, first + rows) whose window is cut by the left or right edge.
int64_t cutPixels(const ConvGeometry& g, int64_t first, int64_t rows) {
  int64_t count = 0;
  WindowWalker walker(g, first);
  for (int64_t r = 0; r < rows; ++r, walker.advance()) {
    const Window& w = walker.window();
    count += w.kw.lo != 0 || w.kw.hi != g.filterWidth;
  }
  return count;
}

// Forward without im2col: each output pixel's patch is read where it lies in x, one filter row
// (a contiguous run of filterWidth * inChannels floats) at a time, by the gather micro-kernel,
// against the filter packed once as for a GEMM.
void conv2dGathered(const ConvGeometry& g, const float* x, const float* packedFilter, float* out) {
  const int64_t pixels = g.pixels(), patch = g.patchSize(), oc = g.outChannels;
  const int64_t run = g.filterWidth * g.inChannels, FH = g.filterHeight;
  const size_t kcMax = gatherDepthBlock(sz(patch)), nPad = (sz(oc) + kNR - 1) / kNR * kNR;
  const std::vector<float> zeros(sz(run), 0.0f);
  // Tiles of whole row panels, as many as tileRows() asks for but, when there are few, a multiple
  // of the thread count and of near-equal size: 3 tiles on 2 threads would leave one idle a third
  // of the time (VGG's 16x16 and 32x32 layers have 3 and 11 tiles of 96 pixels).
  const int64_t groups = (pixels + kPanelRows - 1) / kPanelRows;
  const int64_t threads = static_cast<int64_t>(threadCount());
  int64_t tiles = (pixels + tileRows(patch, pixels) - 1) / tileRows(patch, pixels);
  if (tiles < 8 * threads) tiles = (tiles + threads - 1) / threads * threads;
  tiles = std::min(tiles, groups);
  parallelFor(sz(tiles), [&](size_t t) {
    const int64_t first = groups * static_cast<int64_t>(t) / tiles * kPanelRows;
    const int64_t rows = std::min(groups * static_cast<int64_t>(t + 1) / tiles * kPanelRows, pixels) - first;
    t_runs.resize(sz(rows * FH));
    float* cut = t_columns.reserve(sz(std::max<int64_t>(1, cutPixels(g, first, rows) * FH * run)));
    pointRuns(g, x, first, rows, zeros.data(), t_runs.data(), cut);
    for (size_t pc = 0; pc < sz(patch); pc += kcMax) {
      const size_t kc = std::min(kcMax, sz(patch) - pc);
      const float* bBlock = packedFilter + pc * nPad;
      for (int64_t ir = 0; ir < rows; ir += kPanelRows) {
        const int64_t mr = std::min(kPanelRows, rows - ir);
        // Depth [pc, pc + kc) split where filter rows end.
        t_segments.clear();
        for (size_t d = pc; d < pc + kc;) {
          const int64_t kh = static_cast<int64_t>(d) / run, offset = static_cast<int64_t>(d) % run;
          const size_t length = std::min(sz(run - offset), pc + kc - d);
          GatherSegment seg;
          for (int64_t i = 0; i < kPanelRows; ++i) {
            seg.rows[i] = (i < mr ? t_runs[sz((ir + i) * FH + kh)] : zeros.data()) + offset;
          }
          seg.length = length;
          t_segments.push_back(seg);
          d += length;
        }
        for (int64_t jr = 0; jr < oc; jr += static_cast<int64_t>(kNR)) {
          gatherTile(t_segments.size(), t_segments.data(), bBlock + sz(jr) * kc, out + (first + ir) * oc + jr, sz(oc),
                     sz(mr), std::min(kNR, sz(oc - jr)), pc > 0);
        }
      }
    }
  });
}

// Packs the turned filter of transposedGeometry(g) for the gather kernel, as packBWhole would
// pack it: row (tap, o), column c is filter[(taps - 1 - tap), c, o].
void packTurnedFilter(const ConvGeometry& g, const float* filter, float* packed) {
  const size_t C = sz(g.inChannels), oc = sz(g.outChannels), taps = sz(g.filterHeight * g.filterWidth);
  const size_t depth = taps * oc, kcMax = gatherDepthBlock(depth), nPad = (C + kNR - 1) / kNR * kNR;
  for (size_t pc = 0; pc < depth; pc += kcMax) {
    const size_t kc = std::min(kcMax, depth - pc);
    float* block = packed + pc * nPad;
    for (size_t c0 = 0; c0 < nPad; c0 += kNR) {
      float* panel = block + c0 * kc;
      const size_t width = std::min(kNR, C - std::min(C, c0));
      for (size_t p = 0; p < kc; ++p) {
        const size_t tap = (pc + p) / oc, o = (pc + p) % oc;
        const float* src = filter + ((taps - 1 - tap) * C + c0) * oc + o;
        float* dst = panel + p * kNR;
        for (size_t j = 0; j < width; ++j) dst[j] = src[j * oc];
        for (size_t j = width; j < kNR; ++j) dst[j] = 0.0f;
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
  // Without AVX2 the gather kernel below runs 2.6x faster than Winograd's portable GEMMs (the
  // portable strided micro-kernel vectorises poorly); the gradients gain from Winograd either way.
  if (winogradSuits(g) && useAvx2()) {
    conv2dWinograd(g, x, filter, false, out);
    return;
  }
  // The filter is packed into GEMM panels once for the whole call; each tile's patches are
  // gathered a few panels of pixels at a time into an L1-sized buffer and packed from there, so the tile
  // itself is only ever written in panel layout.
  float* packedFilter = t_filter.reserve(packedBSize(sz(patch), sz(oc)));
  if (gatherable(g)) {
    packBWhole(filter, sz(oc), false, sz(patch), sz(oc), packedFilter, gatherDepthBlock(sz(patch)));
    conv2dGathered(g, x, packedFilter, out);
    return;
  }
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
  if (g.strideHeight == 1 && g.strideWidth == 1) {
    if (winogradSuits(g)) {
      conv2dBackpropInputWinograd(g, dy, filter, dx);
      return;
    }
    // Worth it when the turned filter's output panels are full and dy's padding adds little work
    // (a 'same' convolution; a 'valid' one would multiply the zero border too).
    const ConvGeometry t = transposedGeometry(g);
    const bool littlePadding = 20 * g.inHeight * g.inWidth <= 21 * g.outHeight * g.outWidth;
    if (gatherable(t) && g.inChannels >= 32 && littlePadding) {
      float* packed = t_filter.reserve(packedBSize(sz(t.patchSize()), sz(t.outChannels)));
      packTurnedFilter(g, filter, packed);
      conv2dGathered(t, dy, packed, dx);
      return;
    }
  }
  // Windows of neighbouring pixels overlap, so the scatter is split by image (disjoint dx);
  // a single image instead runs its GEMMs on all threads.
  const int64_t perImage = g.outHeight * g.outWidth;
  const int64_t imageSize = g.inHeight * g.inWidth * g.inChannels;
  const int64_t tile = tileRows(patch, perImage);
  const bool byImage = g.batch >= static_cast<int64_t>(threadCount());
  if (byImage && patch > 2 * static_cast<int64_t>(kNR) && byColumns(g)) {
    conv2dBackpropInputColumns(g, dy, filter, dx);
    return;
  }
  if (byImage) {
    // filter^T packed once (a transposing pack: the costliest part to repeat per tile). With
    // few filter panels (a one-channel input's 9 taps) a packed copy of dy would be read once or
    // twice: the gather kernel reads dy rows in place instead (1.2x on the 1->32 bench shape; with
    // many panels the packed GEMM is faster).
    const bool inPlace = patch <= 2 * static_cast<int64_t>(kNR) && sz(oc) <= kGatherDepth;
    float* packedFilter = t_filter.reserve(packedBSize(sz(oc), sz(patch)));
    packBWhole(filter, sz(oc), true, sz(oc), sz(patch), packedFilter, inPlace ? sz(oc) : 0);
    const std::vector<float> zeros(inPlace ? sz(oc) : 0, 0.0f);
    parallelFor(sz(g.batch), [&](size_t image) {
      const int64_t n = static_cast<int64_t>(image);
      std::memset(dx + n * imageSize, 0, sz(imageSize) * sizeof(float));
      for (int64_t first = n * perImage; first < (n + 1) * perImage; first += tile) {
        const int64_t rows = std::min(tile, (n + 1) * perImage - first);
        float* cols = t_columns.reserve(sz(rows * patch));
        if (inPlace) {
          t_segments.clear();
          for (int64_t ir = 0; ir < rows; ir += kPanelRows) {
            const int64_t mr = std::min(kPanelRows, rows - ir);
            GatherSegment seg;
            seg.length = sz(oc);
            for (int64_t i = 0; i < kPanelRows; ++i) seg.rows[i] = i < mr ? dy + (first + ir + i) * oc : zeros.data();
            t_segments.push_back(seg);
          }
          // A filter panel (oc x 16) stays in L1 while the tile's dy rows stream past.
          for (int64_t j = 0; j < patch; j += static_cast<int64_t>(kNR)) {
            for (int64_t ir = 0, q = 0; ir < rows; ir += kPanelRows, ++q) {
              gatherTile(1, &t_segments[sz(q)], packedFilter + j * oc, cols + ir * patch + j, sz(patch),
                         sz(std::min(kPanelRows, rows - ir)), std::min(kNR, sz(patch - j)), false);
            }
          }
        } else {
          float* packed = t_packed.reserve(packedASize(sz(rows), sz(oc)));
          packAWhole(dy + first * oc, sz(oc), false, sz(rows), sz(oc), packed, sz(rows), 0);
          gemmPrepacked(sz(rows), sz(patch), sz(oc), packed, packedFilter, cols, sz(patch), false);
        }
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
  if (winogradSuits(g)) {
    conv2dBackpropFilterWinograd(g, x, dy, dfilter);
    return;
  }
  if (!g.pointwise() && bandable(g)) {
    conv2dBackpropFilterBands(g, x, dy, dfilter);
    return;
  }
  // Each chunk of pixels sums into its own partial filter gradient; partials add up at the end.
  const int64_t tile = g.pointwise() ? std::max<int64_t>(256, pixels / 64) : tileRows(patch, pixels);
  const int64_t tiles = (pixels + tile - 1) / tile;
  const size_t chunks = filterChunks(tiles, filterSize);
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
