#include "tinyonnx/graph/ops/shape_helpers.h"

#include <cstring>

namespace tinyonnx {

Status NormalizeAxis(OpContext& ctx, const char* what, int64_t axis, int rank, int* normalized) {
  if (axis < -rank || axis >= rank) {
    return ctx.Fail(Status::kInvalidModel,
                    "%s %lld is out of range for rank %d (allowed: %d to %d)", what,
                    static_cast<long long>(axis), rank, -rank, rank - 1);
  }
  *normalized = static_cast<int>(axis < 0 ? axis + rank : axis);
  return Status::kOk;
}

Status ReadAxesList(OpContext& ctx, int64_t input_opset, int64_t* axes, int* count) {
  *count = 0;
  if (ctx.opset() < input_opset) return ctx.GetInts("axes", axes, kMaxRank, count);
  TINYONNX_RETURN_IF_ERROR(ctx.RejectAttribute(
      "axes", "from this opset on the axes are an input; the attribute is not allowed"));
  if (!ctx.has_input(1)) return Status::kOk;
  return ctx.ReadConstInts(1, axes, kMaxRank, count);
}

Status SelectAxes(OpContext& ctx, const int64_t* axes, int count, int rank, bool* selected) {
  for (int k = 0; k < kMaxRank; ++k) selected[k] = false;
  for (int k = 0; k < count; ++k) {
    int axis = 0;
    TINYONNX_RETURN_IF_ERROR(NormalizeAxis(ctx, "axis", axes[k], rank, &axis));
    if (selected[axis]) {
      return ctx.Fail(Status::kInvalidModel, "axis %lld is listed twice in axes",
                      static_cast<long long>(axes[k]));
    }
    selected[axis] = true;
  }
  return Status::kOk;
}

void RowMajorStrides(const Shape& shape, int64_t* strides) {
  int64_t stride = 1;
  for (int k = shape.rank - 1; k >= 0; --k) {
    strides[k] = stride;
    stride *= shape.dims[k];
  }
}

int64_t DimProduct(const Shape& shape, int begin, int end) {
  int64_t product = 1;
  for (int k = begin; k < end; ++k) product *= shape.dims[k];
  return product;
}

Status MakeShape(OpContext& ctx, const char* what, const int64_t* dims, int rank, Shape* shape) {
  shape->rank = rank;
  for (int k = 0; k < rank; ++k) {
    if (dims[k] < 0 || dims[k] > INT32_MAX) {
      return ctx.Fail(dims[k] < 0 ? Status::kInvalidModel : Status::kUnsupported,
                      "%s: dimension %d would be %lld (allowed: 0 to 2^31-1)", what, k,
                      static_cast<long long>(dims[k]));
    }
    shape->dims[k] = static_cast<int32_t>(dims[k]);
  }
  return Status::kOk;
}

Status AliasWithShape(OpContext& ctx, const Shape& shape) {
  TINYONNX_RETURN_IF_ERROR(ctx.SetOutput(0, ctx.input_dtype(0), shape));
  ctx.AliasOutput(0, 0);
  return Status::kOk;
}

Status UseStridedCopy(OpContext& ctx, const StridedCopyParams& plan) {
  if (IsPlainCopy(plan)) {
    ctx.AliasOutput(0, 0);
    return Status::kOk;
  }
  StridedCopyParams* params;
  TINYONNX_RETURN_IF_ERROR(ctx.New(&params));
  *params = plan;
  ctx.SetKernel(StridedCopy, params);
  return Status::kOk;
}

Status UseAxisParts(OpContext& ctx, const Shape& whole, int axis, const int64_t* part_dims,
                    int part_count, KernelFn kernel) {
  if (part_count == 1) {
    ctx.AliasOutput(0, 0);
    return Status::kOk;
  }
  AxisPartsParams* params;
  uint32_t* part_bytes;
  TINYONNX_RETURN_IF_ERROR(ctx.New(&params));
  TINYONNX_RETURN_IF_ERROR(ctx.New(&part_bytes, static_cast<size_t>(part_count)));
  const int64_t block =
      DimProduct(whole, axis + 1, whole.rank) * static_cast<int64_t>(DTypeSize(ctx.input_dtype(0)));
  for (int p = 0; p < part_count; ++p) part_bytes[p] = static_cast<uint32_t>(part_dims[p] * block);
  params->outer = DimProduct(whole, 0, axis);
  params->part_count = part_count;
  params->part_bytes = part_bytes;
  ctx.SetKernel(kernel, params);
  return Status::kOk;
}

void StoreScalar(double value, DType dtype, void* out) {
  // Each case converts to the element type, then stores its bytes.
  auto store = [out](auto element) { std::memcpy(out, &element, sizeof(element)); };
  switch (dtype) {
    case DType::kFloat: store(static_cast<float>(value)); break;
    case DType::kDouble: store(value); break;
    case DType::kInt8: store(static_cast<int8_t>(value)); break;
    case DType::kUint8: store(static_cast<uint8_t>(value)); break;
    case DType::kInt16: store(static_cast<int16_t>(value)); break;
    case DType::kUint16: store(static_cast<uint16_t>(value)); break;
    case DType::kInt32: store(static_cast<int32_t>(value)); break;
    case DType::kUint32: store(static_cast<uint32_t>(value)); break;
    case DType::kInt64: store(static_cast<int64_t>(value)); break;
    case DType::kUint64: store(static_cast<uint64_t>(value)); break;
    case DType::kBool: store(static_cast<uint8_t>(value != 0)); break;
    default: break;
  }
}

}  // namespace tinyonnx
