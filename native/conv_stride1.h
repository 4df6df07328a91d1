// Convolution gradients for stride 1 without im2col/col2im (conv_stride1.cc); conv.cc decides
// when to use them.
#pragma once

#include <cstddef>
#include <cstdint>

#include "conv_geometry.h"

namespace nabla {

// Chunks a filter gradient over `units` pieces of work is summed in, each into its own partial
// filter added up at the end: a few per thread (taken dynamically, so a preempted thread holds
// up little), as long as the partial filters stay small next to the work.
size_t filterChunks(int64_t units, size_t filterSize);

// Whether conv2dBackpropFilterBands applies: stride 1, input channels in whole 16-wide panels.
bool bandable(const ConvGeometry& g);
// The filter gradient by bands of output rows (dfilter is overwritten).
void conv2dBackpropFilterBands(const ConvGeometry& g, const float* x, const float* dy, float* dfilter);

// Whether conv2dBackpropInputColumns applies: stride 1, and one image's scratch stays small.
bool byColumns(const ConvGeometry& g);
// The input gradient by filter columns, images split across threads (dx is overwritten).
void conv2dBackpropInputColumns(const ConvGeometry& g, const float* dy, const float* filter, float* dx);

}  // namespace nabla
