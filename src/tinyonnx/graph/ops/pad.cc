// Pad: constant, reflect or edge padding; negative pads crop. Pads are an
// attribute before opset 11 (`paddings` in opset 1) and a constant input from
// opset 11 on, which from opset 18 may cover only the axes listed in the
// optional `axes` input. The constant value is the attribute `value` before
// opset 11, else the optional input 2, which may be computed at run time.
#include "tinyonnx/kernels/pad.h"

#include <cstring>

#include "tinyonnx/graph/op.h"
#include "tinyonnx/graph/ops/shape_helpers.h"

namespace tinyonnx {
namespace {

constexpr int64_t kMaxPad = INT32_MAX;

// Pads before and after each axis of the input (0 for axes not listed).
Status ReadPads(OpContext& ctx, int rank, int64_t* before, int64_t* after) {
  int64_t pads[2 * kMaxRank];
  int count = 0;
  if (ctx.opset() < 11) {
    const char* name = ctx.opset() < 2 ? "paddings" : "pads";
    if (!ctx.HasAttribute(name)) {
      return ctx.Fail(Status::kInvalidModel, "needs the attribute '%s'", name);
    }
    TINYONNX_RETURN_IF_ERROR(ctx.GetInts(name, pads, 2 * kMaxRank, &count));
  } else {
    TINYONNX_RETURN_IF_ERROR(ctx.ReadConstInts(1, pads, 2 * kMaxRank, &count));
  }
  int64_t axes[kMaxRank];
  int axis_count = rank;
  if (ctx.opset() >= 18 && ctx.has_input(3)) {
    TINYONNX_RETURN_IF_ERROR(ctx.ReadConstInts(3, axes, kMaxRank, &axis_count));
  } else {
    for (int k = 0; k < rank; ++k) axes[k] = k;
  }
  bool listed[kMaxRank];  // checks the axes are in range and distinct
  TINYONNX_RETURN_IF_ERROR(SelectAxes(ctx, axes, axis_count, rank, listed));
  if (count != 2 * axis_count) {
    return ctx.Fail(Status::kInvalidModel, "pads has %d values; %d axes need %d", count, axis_count,
                    2 * axis_count);
  }
  for (int k = 0; k < rank; ++k) before[k] = after[k] = 0;
  for (int j = 0; j < axis_count; ++j) {
    const int k = static_cast<int>(axes[j] < 0 ? axes[j] + rank : axes[j]);
    before[k] = pads[j];
    after[k] = pads[j + axis_count];
    if (before[k] < -kMaxPad || before[k] > kMaxPad || after[k] < -kMaxPad || after[k] > kMaxPad) {
      return ctx.Fail(Status::kUnsupported, "pads of axis %d are too large", k);
    }
  }
  return Status::kOk;
}

Status ReadMode(OpContext& ctx, PadMode* mode) {
  Str name;
  TINYONNX_RETURN_IF_ERROR(ctx.GetString("mode", "constant", &name));
  if (name == "constant") {
    *mode = PadMode::kConstant;
  } else if (name == "reflect") {
    *mode = PadMode::kReflect;
  } else if (name == "edge") {
    *mode = PadMode::kEdge;
  } else {
    return ctx.Fail(Status::kUnsupported, "mode '%.*s' is not supported (constant, reflect, edge)",
                    name.length(), name.data);
  }
  return Status::kOk;
}

// The constant: fixed now, or read from input 2 by the kernel.
Status ReadValue(OpContext& ctx, DType dtype, PadParams* p) {
  if (ctx.opset() < 11) {
    float value;
    TINYONNX_RETURN_IF_ERROR(ctx.GetFloat("value", 0.0f, &value));
    StoreScalar(value, dtype, p->value);
    return Status::kOk;
  }
  if (!ctx.has_input(2)) return Status::kOk;  // zero
  const Value& input = ctx.input(2);
  if (input.dtype != dtype) {
    return ctx.Fail(Status::kInvalidModel, "constant_value is %s but the data is %s",
                    DTypeName(input.dtype), DTypeName(dtype));
  }
  const int64_t count = input.shape.ElementCount();
  if (count > 1) return ctx.Fail(Status::kInvalidModel, "constant_value must be one value");
  if (count == 0) return Status::kOk;  // an empty tensor means the default, zero
  if (input.is_constant()) {
    std::memcpy(p->value, input.data, DTypeSize(dtype));
  } else {
    p->value_from_input = true;
  }
  return Status::kOk;
}

// Per axis: the window of the input that survives cropping, the padding
// around it, and the output dim.
Status PlanAxes(OpContext& ctx, const Shape& in, const int64_t* before, const int64_t* after,
                PadParams* p, Shape* out) {
  int64_t in_strides[kMaxRank];
  RowMajorStrides(in, in_strides);
  int64_t crop_offset = 0;
  int64_t out_dims[kMaxRank];
  for (int k = 0; k < in.rank; ++k) {
    const int64_t crop_front = before[k] < 0 ? -before[k] : 0;
    const int64_t crop_back = after[k] < 0 ? -after[k] : 0;
    const int64_t window = in.dims[k] - crop_front - crop_back;
    if (window < 0) {
      return ctx.Fail(Status::kInvalidModel, "pads of axis %d crop %lld of its %d elements", k,
                      static_cast<long long>(crop_front + crop_back), static_cast<int>(in.dims[k]));
    }
    const int64_t pad_front = before[k] > 0 ? before[k] : 0;
    const int64_t pad_back = after[k] > 0 ? after[k] : 0;
    if (window == 0 && pad_front + pad_back > 0 && p->mode != PadMode::kConstant) {
      return ctx.Fail(Status::kInvalidModel,
                      "axis %d has no elements left to repeat for reflect or edge padding", k);
    }
    out_dims[k] = pad_front + window + pad_back;
    p->window[k] = static_cast<int32_t>(window);
    p->before[k] = static_cast<int32_t>(pad_front);
    p->src_strides[k] = static_cast<ptrdiff_t>(in_strides[k] * p->element_size);
    crop_offset += crop_front * in_strides[k];
  }
  p->src_offset = static_cast<ptrdiff_t>(crop_offset * p->element_size);
  p->rank = in.rank;
  TINYONNX_RETURN_IF_ERROR(MakeShape(ctx, "output", out_dims, in.rank, out));
  for (int k = 0; k < in.rank; ++k) p->out_dims[k] = out->dims[k];
  if (in.rank == 0) {  // a scalar: one element, copied
    p->rank = 1;
    p->out_dims[0] = p->window[0] = 1;
    p->src_strides[0] = static_cast<ptrdiff_t>(p->element_size);
  }
  return Status::kOk;
}

bool PadsAllZero(int rank, const int64_t* before, const int64_t* after) {
  for (int k = 0; k < rank; ++k) {
    if (before[k] != 0 || after[k] != 0) return false;
  }
  return true;
}

Status PreparePad(OpContext& ctx) {
  if (ctx.opset() < 11) {
    TINYONNX_RETURN_IF_ERROR(ctx.ExpectInputs(1, 1));
  } else {
    TINYONNX_RETURN_IF_ERROR(ctx.ExpectInputs(2, ctx.opset() >= 18 ? 4 : 3));
  }
  TINYONNX_RETURN_IF_ERROR(ctx.ExpectOutputs(1, 1));
  const Shape& in = ctx.input_shape(0);
  const DType dtype = ctx.input_dtype(0);
  PadParams plan;
  plan.element_size = static_cast<uint32_t>(DTypeSize(dtype));
  int64_t before[kMaxRank], after[kMaxRank];
  TINYONNX_RETURN_IF_ERROR(ReadPads(ctx, in.rank, before, after));
  TINYONNX_RETURN_IF_ERROR(ReadMode(ctx, &plan.mode));
  TINYONNX_RETURN_IF_ERROR(ReadValue(ctx, dtype, &plan));
  Shape out;
  TINYONNX_RETURN_IF_ERROR(PlanAxes(ctx, in, before, after, &plan, &out));
  TINYONNX_RETURN_IF_ERROR(ctx.SetOutput(0, dtype, out));
  if (PadsAllZero(in.rank, before, after)) {
    ctx.AliasOutput(0, 0);
    return Status::kOk;
  }
  plan.out_count = out.ElementCount();
  PadParams* params;
  TINYONNX_RETURN_IF_ERROR(ctx.New(&params));
  *params = plan;
  ctx.SetKernel(PadBytes, params);
  return Status::kOk;
}

}  // namespace

extern const OpDef kPadOp{"Pad", "", PreparePad};

}  // namespace tinyonnx
