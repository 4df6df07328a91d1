// Geometry of a 2-D convolution or pooling window over NHWC input (mirrors Conv2DInfo in
// src/backend/kernels.ts), and the window arithmetic shared by conv and pooling kernels.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>

namespace nabla {

struct ConvGeometry {
  int64_t batch, inHeight, inWidth, inChannels;
  int64_t outHeight, outWidth, outChannels;
  int64_t filterHeight, filterWidth;
  int64_t strideHeight, strideWidth, dilationHeight, dilationWidth;
  int64_t padTop, padLeft;
  int64_t channelMultiplier;

  int64_t pixels() const { return batch * outHeight * outWidth; }
  // Length of one im2col row: filterHeight * filterWidth * inChannels.
  int64_t patchSize() const { return filterHeight * filterWidth * inChannels; }
  // A 1x1 window, stride 1, no padding: the input is its own im2col matrix.
  bool pointwise() const {
    return filterHeight == 1 && filterWidth == 1 && strideHeight == 1 && strideWidth == 1 && padTop == 0 &&
           padLeft == 0 && outHeight == inHeight && outWidth == inWidth;
  }
};

// The input gradient of a stride-1 convolution is itself a stride-1 convolution: of dy, by the
// filter turned 180 degrees with its in/out channels swapped, padded so that every input
// position sees the outputs its window touched.
inline ConvGeometry transposedGeometry(const ConvGeometry& g) {
  ConvGeometry t = g;
  t.inHeight = g.outHeight;
  t.inWidth = g.outWidth;
  t.inChannels = g.outChannels;
  t.outHeight = g.inHeight;
  t.outWidth = g.inWidth;
  t.outChannels = g.inChannels;
  t.padTop = (g.filterHeight - 1) * g.dilationHeight - g.padTop;
  t.padLeft = (g.filterWidth - 1) * g.dilationWidth - g.padLeft;
  return t;
}

// Filter taps [lo, hi) of one axis whose input position start + tap * dilation is inside [0, size).
struct TapRange {
  int64_t lo, hi;
};

inline TapRange tapRange(int64_t start, int64_t size, int64_t filter, int64_t dilation) {
  const int64_t lo = start >= 0 ? 0 : (-start + dilation - 1) / dilation;
  const int64_t hi = size - start <= 0 ? 0 : std::min(filter, (size - start + dilation - 1) / dilation);
  return {lo, std::max(lo, hi)};
}

// One output pixel's window: its image, top-left input position and the taps inside the input.
struct Window {
  int64_t image, ih0, iw0;
  TapRange kh, kw;
};

// Walks the windows of consecutive output pixels from `first`, dividing only once: pixel
// coordinates advance incrementally (64-bit divisions per pixel would cost more than a small
// window's work).
class WindowWalker {
 public:
  WindowWalker(const ConvGeometry& g, int64_t first) : g_(g) {
    ow_ = first % g.outWidth;
    const int64_t rest = first / g.outWidth;
    oh_ = rest % g.outHeight;
    image_ = rest / g.outHeight;
    enterRow();
    enterColumn();
  }

  const Window& window() const { return window_; }

  void advance() {
    if (++ow_ == g_.outWidth) {
      ow_ = 0;
      if (++oh_ == g_.outHeight) {
        oh_ = 0;
        ++image_;
      }
      enterRow();
    }
    enterColumn();
  }

 private:
  void enterRow() {
    window_.image = image_;
    window_.ih0 = oh_ * g_.strideHeight - g_.padTop;
    window_.kh = tapRange(window_.ih0, g_.inHeight, g_.filterHeight, g_.dilationHeight);
  }
  void enterColumn() {
    window_.iw0 = ow_ * g_.strideWidth - g_.padLeft;
    window_.kw = tapRange(window_.iw0, g_.inWidth, g_.filterWidth, g_.dilationWidth);
  }

  const ConvGeometry& g_;
  int64_t image_ = 0, oh_ = 0, ow_ = 0;
  Window window_{};
};

// Offset of input element (image, ih, iw, channel 0).
inline int64_t inputOffset(const ConvGeometry& g, int64_t image, int64_t ih, int64_t iw) {
  return ((image * g.inHeight + ih) * g.inWidth + iw) * g.inChannels;
}

}  // namespace nabla
