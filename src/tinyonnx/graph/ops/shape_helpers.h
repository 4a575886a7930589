// Prepare-time helpers shared by the shape and data-movement ops (axes,
// strides, shapes built from int64 values).
#pragma once

#include <cstdint>

#include "tinyonnx/graph/op.h"
#include "tinyonnx/kernels/concat_split.h"
#include "tinyonnx/kernels/strided_copy.h"

namespace tinyonnx {

// Maps an axis in [-rank, rank) to [0, rank); otherwise fails (kInvalidModel)
// naming `what`.
Status NormalizeAxis(OpContext& ctx, const char* what, int64_t axis, int rank, int* normalized);

// The axes of Squeeze, Unsqueeze and the reductions: the attribute `axes`
// before opset `input_opset`, the optional constant input 1 from it on.
// *count is 0 when there are none.
Status ReadAxesList(OpContext& ctx, int64_t input_opset, int64_t* axes, int* count);

// Sets selected[a] for each axis (normalized against rank); selected has
// kMaxRank entries, all cleared first. A repeated axis is an error.
Status SelectAxes(OpContext& ctx, const int64_t* axes, int count, int rank, bool* selected);

// Row-major strides of a shape, in elements.
void RowMajorStrides(const Shape& shape, int64_t* strides);

// Product of dims [begin, end).
int64_t DimProduct(const Shape& shape, int begin, int end);

// A shape from int64 dims; a negative dim or one above 2^31-1 is an error
// naming `what`.
Status MakeShape(OpContext& ctx, const char* what, const int64_t* dims, int rank, Shape* shape);

// Output 0 is input 0's data under another shape: it shares the input's
// storage and no kernel runs.
Status AliasWithShape(OpContext& ctx, const Shape& shape);

// Sets the node up to run a planned strided copy, or, when the copy would
// reproduce the input's bytes unchanged, to share the input's storage.
Status UseStridedCopy(OpContext& ctx, const StridedCopyParams& plan);

// Most inputs of a Concat / outputs of a Split.
constexpr int kMaxParts = 64;

// Sets up Concat or Split (`kernel`) of `whole` along `axis` into parts with
// these sizes along the axis; a single part shares input 0's storage.
Status UseAxisParts(OpContext& ctx, const Shape& whole, int axis, const int64_t* part_dims,
                    int part_count, KernelFn kernel);

// Transpose's Prepare, also the first step of TransposeS8's: called by
// name, so TransposeS8 does not link kTransposeOp and the SinkTransposes
// pass it brings.
Status PrepareTranspose(OpContext& ctx);

// Writes `value` as one element of `dtype` (bool: value != 0).
void StoreScalar(double value, DType dtype, void* out);

}  // namespace tinyonnx
