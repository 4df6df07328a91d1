// Convolution gradients for stride 1 without im2col/col2im: the filter gradient by bands of
// output rows, the input gradient by filter columns (see each function). conv.cc picks them.
#include "conv_stride1.h"

#include <algorithm>
#include <cstring>
#include <vector>

#include "aligned_buffer.h"
#include "gemm.h"
#include "gemm_kernels.h"
#include "thread_pool.h"

namespace nabla {
namespace {

thread_local AlignedBuffer t_shifted;  // a band's shifted input rows, or an image's column sums
thread_local AlignedBuffer t_dyPanels; // dy (or dy^T) of a band or image in packed panels
thread_local AlignedBuffer t_taps;     // the calling thread's packed filter taps, read by all tasks

// Filter chunks per thread for the filter gradient (each sums into its own partial filter).
constexpr size_t kChunksPerThread = 4;
// Output pixels per band of the filter gradient (one GEMM depth block).
constexpr int64_t kBandPixels = 256;
// Floats of a band's shifted input rows (1 MB).
constexpr int64_t kBandScratch = int64_t{1} << 18;
// Floats of per-thread scratch the input gradient by filter columns may use (8 MB).
constexpr int64_t kColumnsScratch = int64_t{1} << 21;
constexpr int64_t kPanelRows = static_cast<int64_t>(kMR);

size_t sz(int64_t v) { return static_cast<size_t>(v); }

}  // namespace

size_t filterChunks(int64_t units, size_t filterSize) {
  size_t chunks = std::min(sz(units), threadCount());
  if (chunks > 1) {
    const size_t byMemory = std::max<size_t>(1, (size_t{1} << 22) / filterSize);
    chunks = std::min({sz(units), kChunksPerThread * threadCount(), std::max(chunks, byMemory)});
  }
  return chunks;
}

namespace {

// A band of the filter gradient: whole output rows, at most kBandPixels pixels.
struct BandShape {
  int64_t rows, cols;
};
BandShape bandShape(const ConvGeometry& g) {
  const int64_t cols = std::min(g.outWidth, kBandPixels);
  return {std::max<int64_t>(1, std::min(g.outHeight, kBandPixels / cols)), cols};
}

}  // namespace

bool bandable(const ConvGeometry& g) {
  if (g.strideHeight != 1 || g.strideWidth != 1 || g.inChannels % static_cast<int64_t>(kNR) != 0) return false;
  // The band's shifted input rows stay in L2 (VGG's 512-channel layers would need 2 MB).
  const BandShape band = bandShape(g);
  const int64_t inRows = band.rows + (g.filterHeight - 1) * g.dilationHeight;
  return g.filterWidth * g.inChannels * inRows * band.cols <= kBandScratch;
}

namespace {

// dy^T of output rows [oh0, oh0 + rows), columns [ow0, ow0 + cols) of image n as kMR-row panels
// (depth = the band's pixels; oc rows past outChannels are zero).
void packBandColumns(const float* dy, const ConvGeometry& g, int64_t n, int64_t oh0, int64_t rows, int64_t ow0,
                     int64_t cols, float* a) {
  const int64_t OC = g.outChannels, depth = rows * cols;
  for (int64_t r = 0; r < rows; ++r) {
    for (int64_t c = 0; c < cols; ++c) {
      const float* src = dy + ((n * g.outHeight + oh0 + r) * g.outWidth + ow0 + c) * OC;
      const int64_t p = r * cols + c;
      for (int64_t q = 0; q < OC; q += kPanelRows) {
        float* dst = a + (q * depth + p * kPanelRows);
        for (int64_t i = 0; i < kPanelRows; ++i) dst[i] = q + i < OC ? src[q + i] : 0.0f;
      }
    }
  }
}

}  // namespace

// Filter gradient of a stride-1 convolution without im2col. The output is cut into bands (a few
// output rows, at most kBandPixels pixels). For each filter column kw, the band's input rows are
// packed once, shifted by kw, into 16-channel GEMM panels; the patches of tap (kh, kw) for the
// band's pixels are then one contiguous stretch of that packing (kh rows in), so every tap is a
// plain packed GEMM dy^T (oc x pixels) x patches (pixels x 16 channels). That packs the input
// filterWidth times instead of im2col's filterHeight x filterWidth copies plus a transposing
// pack. Each chunk of bands sums into a partial [tap][oc][c], transposed into dfilter at the end.
void conv2dBackpropFilterBands(const ConvGeometry& g, const float* x, const float* dy, float* dfilter) {
  const int64_t C = g.inChannels, OC = g.outChannels, OH = g.outHeight, OW = g.outWidth;
  const int64_t FH = g.filterHeight, FW = g.filterWidth, taps = FH * FW;
  const int64_t cPanels = C / static_cast<int64_t>(kNR), ocPad = (OC + kPanelRows - 1) / kPanelRows * kPanelRows;
  const BandShape band = bandShape(g);
  const int64_t bandRows = band.rows, bandCols = band.cols;
  const int64_t rowBands = (OH + bandRows - 1) / bandRows, colBands = (OW + bandCols - 1) / bandCols;
  const int64_t units = g.batch * rowBands * colBands;
  // Partials [tap][ocPad][c]: the last oc panel computes whole (zero) rows, not a slower partial tile.
  const size_t filterSize = sz(taps * ocPad * C);
  const size_t chunks = filterChunks(units, filterSize);
  std::vector<float> partials(chunks * filterSize, 0.0f);
  parallelFor(chunks, [&](size_t chunk) {
    float* partial = partials.data() + chunk * filterSize;
    for (int64_t u = static_cast<int64_t>(chunk) * units / static_cast<int64_t>(chunks);
         u < static_cast<int64_t>(chunk + 1) * units / static_cast<int64_t>(chunks); ++u) {
      const int64_t n = u / (rowBands * colBands), rb = u / colBands % rowBands, cb = u % colBands;
      const int64_t oh0 = rb * bandRows, rows = std::min(bandRows, OH - oh0);
      const int64_t ow0 = cb * bandCols, cols = std::min(bandCols, OW - ow0);
      const int64_t depth = rows * cols, inRows = rows + (FH - 1) * g.dilationHeight;
      const int64_t ih0 = oh0 - g.padTop;
      // dy^T of the band as kMR-row panels (oc rows past OC are zero).
      float* a = t_dyPanels.reserve(sz(ocPad * depth));
      if (cols == OW) {
        packAWhole(dy + (n * OH + oh0) * OW * OC, sz(OC), true, sz(OC), sz(depth), a, sz(OC), 0);
      } else {
        packBandColumns(dy, g, n, oh0, rows, ow0, cols, a);
      }
      // The band's input rows, once per filter column: b[kw][panel][row][col][16], zero outside x.
      float* b = t_shifted.reserve(sz(FW * cPanels * inRows * cols) * kNR);
      for (int64_t kw = 0; kw < FW; ++kw) {
        for (int64_t r = 0; r < inRows; ++r) {
          const int64_t ih = ih0 + r;
          for (int64_t c = 0; c < cols; ++c) {
            const int64_t iw = ow0 + c + kw * g.dilationWidth - g.padLeft;
            const bool inside = ih >= 0 && ih < g.inHeight && iw >= 0 && iw < g.inWidth;
            const float* src = inside ? x + ((n * g.inHeight + ih) * g.inWidth + iw) * C : nullptr;
            for (int64_t j = 0; j < cPanels; ++j) {
              float* dst = b + ((((kw * cPanels + j) * inRows + r) * cols + c) * static_cast<int64_t>(kNR));
              if (inside) std::memcpy(dst, src + j * static_cast<int64_t>(kNR), kNR * sizeof(float));
              else std::memset(dst, 0, kNR * sizeof(float));
            }
          }
        }
      }
      for (int64_t kh = 0; kh < FH; ++kh) {
        for (int64_t kw = 0; kw < FW; ++kw) {
          float* out = partial + (kh * FW + kw) * ocPad * C;
          for (int64_t j = 0; j < cPanels; ++j) {
            const float* panel = b + (((kw * cPanels + j) * inRows + kh * g.dilationHeight) * cols) * static_cast<int64_t>(kNR);
            gemmPrepacked(sz(ocPad), kNR, sz(depth), a, panel, out + j * static_cast<int64_t>(kNR), sz(C), true);
          }
        }
      }
    }
  });
  for (int64_t t = 0; t < taps; ++t) {
    for (int64_t c = 0; c < C; ++c) {
      for (int64_t o = 0; o < OC; ++o) {
        float sum = 0.0f;
        for (size_t k = 0; k < chunks; ++k) sum += partials[k * filterSize + sz((t * ocPad + o) * C + c)];
        dfilter[(t * C + c) * OC + o] = sum;
      }
    }
  }
}

bool byColumns(const ConvGeometry& g) {
  const int64_t perImage = g.outHeight * g.outWidth;
  const int64_t scratch = g.filterWidth * (g.outHeight + (g.filterHeight - 1) * g.dilationHeight) * g.outWidth *
                              g.inChannels + perImage * g.outChannels;
  return g.strideHeight == 1 && g.strideWidth == 1 && scratch <= kColumnsScratch;
}

// Input gradient of a stride-1 convolution, image by image, without col2im: for each filter
// column kw, T_kw (rows of outWidth pixels, filterHeight - 1 dilated rows taller than dy) sums
// dy x W[kh][kw]^T over the filter rows kh, each a plain packed GEMM whose output is T_kw shifted
// down kh rows (contiguous, as T_kw's rows are as wide as dy's). dx is then the sum of the T_kw
// shifted kw columns: filterWidth contiguous adds per input row, instead of col2im's
// filterHeight x filterWidth scattered ones.
void conv2dBackpropInputColumns(const ConvGeometry& g, const float* dy, const float* filter, float* dx) {
  const int64_t C = g.inChannels, OC = g.outChannels, OH = g.outHeight, OW = g.outWidth;
  const int64_t FH = g.filterHeight, FW = g.filterWidth, H = g.inHeight, W = g.inWidth;
  const int64_t perImage = OH * OW, tRows = OH + (FH - 1) * g.dilationHeight, tSize = tRows * OW * C;
  const size_t tapPacked = packedBSize(sz(OC), sz(C));
  float* packedW = t_taps.reserve(tapPacked * sz(FH * FW));
  for (int64_t tap = 0; tap < FH * FW; ++tap) {
    packBWhole(filter + tap * C * OC, sz(OC), true, sz(OC), sz(C), packedW + sz(tap) * tapPacked);
  }
  parallelFor(sz(g.batch), [&](size_t image) {
    const int64_t n = static_cast<int64_t>(image);
    float* packedDy = t_dyPanels.reserve(packedASize(sz(perImage), sz(OC)));
    packAWhole(dy + n * perImage * OC, sz(OC), false, sz(perImage), sz(OC), packedDy, sz(perImage), 0);
    float* t = t_shifted.reserve(sz(FW * tSize));
    for (int64_t kw = 0; kw < FW; ++kw) {
      float* tk = t + kw * tSize;
      // Rows below dy's height are reached only by kh > 0, which accumulate.
      std::memset(tk + perImage * C, 0, sz((tRows - OH) * OW * C) * sizeof(float));
      for (int64_t kh = 0; kh < FH; ++kh) {
        gemmPrepacked(sz(perImage), sz(C), sz(OC), packedDy, packedW + sz(kh * FW + kw) * tapPacked,
                      tk + kh * g.dilationHeight * OW * C, sz(C), kh > 0);
      }
    }
    float* dxImage = dx + n * H * W * C;
    std::memset(dxImage, 0, sz(H * W * C) * sizeof(float));
    for (int64_t ih = 0; ih < H; ++ih) {
      const int64_t row = ih + g.padTop;
      for (int64_t kw = 0; kw < FW; ++kw) {
        // Input columns iw read T column iw + padLeft - kw * dilation, which must lie in [0, OW).
        const int64_t shift = g.padLeft - kw * g.dilationWidth;
        const int64_t lo = std::max<int64_t>(0, -shift), hi = std::min<int64_t>(W, OW - shift);
        if (row >= tRows || lo >= hi) continue;
        const float* src = t + kw * tSize + (row * OW + lo + shift) * C;
        float* dst = dxImage + (ih * W + lo) * C;
        const int64_t count = (hi - lo) * C;
        for (int64_t i = 0; i < count; ++i) dst[i] += src[i];
      }
    }
  });
}

}  // namespace nabla
