#include "tinyonnx/graph/ops/quant_axis.h"

#include "tinyonnx/graph/ops/shape_helpers.h"

namespace tinyonnx {

Status ReadQuantAxis(OpContext& ctx, DType default_zero_point_type, QuantAxis* q) {
  *q = QuantAxis();
  TINYONNX_RETURN_IF_ERROR(ReadQuantParam(ctx, 1, false, DType::kFloat, false, true, &q->scale));
  TINYONNX_RETURN_IF_ERROR(
      ReadQuantParam(ctx, 2, true, default_zero_point_type, false, true, &q->zero_point));
  q->nominal = q->zero_point.dtype;
  const Shape& x = ctx.input_shape(0);
  q->per_axis = q->scale.count > 1;
  if (q->per_axis) {
    if (ctx.opset() < 13) {
      return ctx.Fail(Status::kInvalidModel,
                      "the scale has %d values; per-axis quantization needs opset 13",
                      static_cast<int>(q->scale.count));
    }
    int64_t axis;
    TINYONNX_RETURN_IF_ERROR(ctx.GetInt("axis", 1, &axis));
    TINYONNX_RETURN_IF_ERROR(NormalizeAxis(ctx, "axis", axis, x.rank, &q->axis));
    if (q->scale.count != x.dims[q->axis]) {
      return ctx.Fail(Status::kInvalidModel, "the scale has %d values but axis %d has size %d",
                      static_cast<int>(q->scale.count), q->axis, static_cast<int>(x.dims[q->axis]));
    }
  }
  const bool zero_point_given = ctx.has_input(2);
  if (zero_point_given && q->zero_point.count != (q->per_axis ? q->scale.count : 1)) {
    return ctx.Fail(Status::kInvalidModel, "the zero point has %d values, the scale %d",
                    static_cast<int>(q->zero_point.count), static_cast<int>(q->scale.count));
  }
  return Status::kOk;
}

void FillQuantizeParams(const Shape& shape, const QuantAxis& q, bool channels_last, DType stored,
                        QuantizeParams* p) {
  const int64_t count = shape.ElementCount();
  p->per_axis = q.per_axis;
  p->channels_last = channels_last;
  if (channels_last) {
    p->outer = shape.dims[0];
    p->axis_size = shape.dims[1];
    p->inner = static_cast<int32_t>(DimProduct(shape, 2, shape.rank));
  } else if (q.per_axis) {
    p->outer = static_cast<int32_t>(DimProduct(shape, 0, q.axis));
    p->axis_size = shape.dims[q.axis];
    p->inner = static_cast<int32_t>(DimProduct(shape, q.axis + 1, shape.rank));
  } else {
    p->outer = 1;
    p->axis_size = 1;
    p->inner = static_cast<int32_t>(count);
  }
  const bool present = q.zero_point.data != nullptr || q.zero_point.input >= 0;
  p->zero_point_type = present ? q.zero_point.dtype : DType::kUndefined;
  p->zero_point_adjust = stored == DType::kInt8 && q.nominal == DType::kUint8 ? 128 : 0;
  p->qmin = stored == DType::kUint8 ? 0 : -128;
  p->qmax = stored == DType::kUint8 ? 255 : 127;
}

void SetValueQuantization(const QuantAxis& q, DType stored, Value* value) {
  if (q.per_axis || q.scale.input >= 0 || q.zero_point.input >= 0) return;
  QuantParam zp = q.zero_point;
  zp.adjust = stored == DType::kInt8 && q.nominal == DType::kUint8 ? 128 : 0;
  value->scale = ScaleAt(q.scale.data, 1, 0);
  value->zero_point = ZeroPointAt(zp, zp.data, 0);
}

}  // namespace tinyonnx
