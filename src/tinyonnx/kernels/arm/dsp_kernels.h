// The Cortex-M DSP-extension twins of the int8 kernels (kernels/arm/*.cc),
// compiled when the target has the DSP instructions (__ARM_FEATURE_DSP:
// Cortex-M4, M7, M33 with DSP), the code is Thumb-2 (the inner loops are
// Thumb-2 inline assembly: an A32 build of a Cortex-A gets the portable
// kernels) and the build has TINYONNX_DSP_KERNELS on
// (CMake option of the same name). They take the reference kernels'
// parameter structs and give the same bytes; each covers a specialization
// (int8 output, symmetric weights, 2-D windows, ...) and prepare picks it
// only when the parameters fit, else the portable kernel. A MaxPool fused
// after that choice may not fit, so each kernel checks again and hands such
// parameters to its portable twin. The *Fitted entry points do not: a
// compiled plan's parameters are final when its loader picks the kernel
// (SelectFittedDsp*), and without the check the portable twin is not
// linked into a firmware that does not need it.
#pragma once

#include <cstddef>

#include "tinyonnx/graph/graph.h"
#include "tinyonnx/kernels/quantized.h"

#if defined(__ARM_FEATURE_DSP) && defined(__thumb2__) && defined(TINYONNX_DSP_KERNELS) && \
    TINYONNX_DSP_KERNELS
#define TINYONNX_HAS_DSP_KERNELS 1
#else
#define TINYONNX_HAS_DSP_KERNELS 0
#endif

namespace tinyonnx {

// A DSP kernel chosen for a node's parameters, and the working memory it
// needs for them: prepare requests that much scratch and has the planner
// write its address into the parameters' `scratch` field.
struct DspKernel {
  KernelFn fn = nullptr;  // nullptr: none fits, run the portable kernel
  size_t scratch_bytes = 0;
};

// The DSP kernel for an int8-output Conv (depthwise: weights [kernel...,
// C_out]); none when none fits `p` or the build has none.
DspKernel SelectDspConvS8(const ConvS8Params& p, bool depthwise);

// The plan loader's choices (runtime/plan_kernels.cc): one kernel each,
// unchecked at run time, or none when it does not fit `p` or the build has
// none. The row walk covers the unpooled 3x3 depthwise shapes only, and
// links less code than the whole depthwise kernel.
DspKernel SelectFittedDspConv(const ConvS8Params& p);
DspKernel SelectFittedDspSingleChannelConv(const ConvS8Params& p);
DspKernel SelectFittedDspDepthwiseConv(const ConvS8Params& p);
DspKernel SelectFittedDspDepthwiseConvRows(const ConvS8Params& p);

// The DSP kernel for an int8-output fully connected product (run on
// BatchedFullyConnectedS8Params::fc), or none.
DspKernel SelectDspFullyConnectedS8(const FullyConnectedS8Params& p);

#if TINYONNX_HAS_DSP_KERNELS
// Conv, group 1: im2col of the input into int16, then 2 pixels x 2 output
// channels per SMLAD kernel.
void ConvS8Dsp(const void* params, const void* const* inputs, void* const* outputs);
// Conv with one input channel (the first layer of an image model), weights
// in the depthwise layout [kH, kW, C_out].
void SingleChannelConvS8Dsp(const void* params, const void* const* inputs, void* const* outputs);
// Depthwise Conv with channel multiplier 1, 4 channels per 32-bit word.
void DepthwiseConvS8Dsp(const void* params, const void* const* inputs, void* const* outputs);
// The same without the check of the parameters (see above).
void ConvS8DspFitted(const void* params, const void* const* inputs, void* const* outputs);
void SingleChannelConvS8DspFitted(const void* params, const void* const* inputs, void* const* outputs);
void DepthwiseConvS8DspFitted(const void* params, const void* const* inputs, void* const* outputs);
// The depthwise kernel's row walk alone (unpooled 3x3, padding a byte).
void DepthwiseConvRowsS8Dsp(const void* params, const void* const* inputs, void* const* outputs);
// Fully connected, rows of FullyConnectedS8Params.
void FullyConnectedS8Dsp(const void* params, const void* const* inputs, void* const* outputs);
#endif

}  // namespace tinyonnx
