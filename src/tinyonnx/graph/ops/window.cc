#include "tinyonnx/graph/ops/window.h"

namespace tinyonnx {
namespace {

// Attribute values above this are certainly a broken model and would
// overflow the kernels' 32-bit index arithmetic.
constexpr int64_t kMaxWindowValue = int64_t{1} << 20;

// Geometry axis of spatial axis i when there are `spatial` of them (the
// missing leading axes stay size 1).
int GeometryAxis(int spatial, int i) { return kWindowAxes - spatial + i; }

// Reads an optional INTS attribute of `expected` values, each in [min, max].
// *present is false (and values untouched) when the attribute is absent.
Status ReadAxisInts(OpContext& ctx, const char* name, int expected, int64_t min, int64_t* values,
                    bool* present) {
  int count = 0;
  TINYONNX_RETURN_IF_ERROR(ctx.GetInts(name, values, 2 * kWindowAxes, &count));
  *present = ctx.HasAttribute(name);
  if (!*present) return Status::kOk;
  if (count != expected) {
    return ctx.Fail(Status::kInvalidModel, "attribute '%s' has %d values, expected %d", name, count,
                    expected);
  }
  for (int i = 0; i < count; ++i) {
    if (values[i] < min || values[i] > kMaxWindowValue) {
      return ctx.Fail(Status::kInvalidModel,
                      "attribute '%s' value %lld is out of range [%lld, %lld]", name,
                      static_cast<long long>(values[i]), static_cast<long long>(min),
                      static_cast<long long>(kMaxWindowValue));
    }
  }
  return Status::kOk;
}

enum class AutoPad { kNotSet, kSameUpper, kSameLower, kValid };

Status ReadAutoPad(OpContext& ctx, AutoPad* mode) {
  Str text;
  TINYONNX_RETURN_IF_ERROR(ctx.GetString("auto_pad", "NOTSET", &text));
  if (text == "NOTSET") {
    *mode = AutoPad::kNotSet;
  } else if (text == "SAME_UPPER") {
    *mode = AutoPad::kSameUpper;
  } else if (text == "SAME_LOWER") {
    *mode = AutoPad::kSameLower;
  } else if (text == "VALID") {
    *mode = AutoPad::kValid;
  } else {
    return ctx.Fail(Status::kInvalidModel,
                    "auto_pad '%.*s' is not one of NOTSET, SAME_UPPER, SAME_LOWER, VALID",
                    text.length(), text.data);
  }
  return Status::kOk;
}

// Output size and padding of one axis.
Status ResolveAxis(OpContext& ctx, int spatial_axis, AutoPad mode, bool ceil_mode,
                   WindowGeometry* g, int axis) {
  const int64_t in = g->input[axis];
  const int64_t stride = g->stride[axis];
  const int64_t span = (int64_t{g->kernel[axis]} - 1) * g->dilation[axis] + 1;
  int64_t out;
  if (mode == AutoPad::kSameUpper || mode == AutoPad::kSameLower) {
    out = (in + stride - 1) / stride;
    int64_t total = (out - 1) * stride + span - in;
    if (total < 0) total = 0;
    // The odd pad element goes at the end (SAME_UPPER) or the start.
    int64_t begin = mode == AutoPad::kSameUpper ? total / 2 : total - total / 2;
    g->pad_begin[axis] = static_cast<int32_t>(begin);
    g->pad_end[axis] = static_cast<int32_t>(total - begin);
    g->output[axis] = static_cast<int32_t>(out);
    return Status::kOk;
  }
  if (mode == AutoPad::kValid) g->pad_begin[axis] = g->pad_end[axis] = 0;
  const int64_t room = in + g->pad_begin[axis] + g->pad_end[axis] - span;
  if (room < 0) {
    return ctx.Fail(Status::kInvalidModel,
                    "the window (%lld with dilation) is larger than the padded input (%lld) "
                    "along spatial axis %d",
                    static_cast<long long>(span),
                    static_cast<long long>(in + g->pad_begin[axis] + g->pad_end[axis]),
                    spatial_axis);
  }
  out = (ceil_mode ? (room + stride - 1) / stride : room / stride) + 1;
  // ceil_mode never starts a window inside the end padding.
  if (ceil_mode && (out - 1) * stride >= in + g->pad_begin[axis]) --out;
  g->output[axis] = static_cast<int32_t>(out);
  return Status::kOk;
}

}  // namespace

Status ReadWindow(OpContext& ctx, const Shape& input, const WindowOptions& options,
                  WindowGeometry* window) {
  const int spatial = input.rank - 2;
  if (spatial < 1 || spatial > kWindowAxes) {
    return ctx.Fail(Status::kUnsupported,
                    "input has rank %d; 1-D to 3-D windows (input rank 3 to 5) are supported",
                    input.rank);
  }
  if (options.weights != nullptr && options.weights->rank != input.rank) {
    return ctx.Fail(Status::kInvalidModel, "the weights have rank %d, the input rank %d",
                    options.weights->rank, input.rank);
  }
  WindowGeometry g;
  int64_t kernel[2 * kWindowAxes], strides[2 * kWindowAxes], dilations[2 * kWindowAxes],
      pads[2 * kWindowAxes];
  bool has_kernel, has_strides, has_dilations, has_pads;
  TINYONNX_RETURN_IF_ERROR(ReadAxisInts(ctx, "kernel_shape", spatial, 1, kernel, &has_kernel));
  TINYONNX_RETURN_IF_ERROR(ReadAxisInts(ctx, "strides", spatial, 1, strides, &has_strides));
  TINYONNX_RETURN_IF_ERROR(ReadAxisInts(ctx, "dilations", spatial, 1, dilations, &has_dilations));
  TINYONNX_RETURN_IF_ERROR(ReadAxisInts(ctx, "pads", 2 * spatial, 0, pads, &has_pads));
  if (!has_kernel && options.weights == nullptr) {
    return ctx.Fail(Status::kInvalidModel, "attribute 'kernel_shape' is required");
  }
  AutoPad mode = AutoPad::kNotSet;
  TINYONNX_RETURN_IF_ERROR(ReadAutoPad(ctx, &mode));
  int64_t ceil_mode = 0;
  if (options.ceil_mode) TINYONNX_RETURN_IF_ERROR(ctx.GetInt("ceil_mode", 0, &ceil_mode));
  if (ceil_mode != 0 && ceil_mode != 1) {
    return ctx.Fail(Status::kInvalidModel, "ceil_mode must be 0 or 1, is %lld",
                    static_cast<long long>(ceil_mode));
  }
  for (int i = 0; i < spatial; ++i) {
    const int axis = GeometryAxis(spatial, i);
    if (input.dims[2 + i] < 1) {
      return ctx.Fail(Status::kUnsupported, "spatial axis %d of the input is empty", i);
    }
    if (options.weights != nullptr) {
      const int32_t size = options.weights->dims[2 + i];
      if (has_kernel && kernel[i] != size) {
        return ctx.Fail(Status::kInvalidModel,
                        "kernel_shape[%d] = %lld does not match the weights' size %d", i,
                        static_cast<long long>(kernel[i]), static_cast<int>(size));
      }
      if (size < 1) return ctx.Fail(Status::kInvalidModel, "the weights' kernel is empty");
      kernel[i] = size;
    }
    g.input[axis] = input.dims[2 + i];
    g.kernel[axis] = static_cast<int32_t>(kernel[i]);
    g.stride[axis] = has_strides ? static_cast<int32_t>(strides[i]) : 1;
    g.dilation[axis] = has_dilations ? static_cast<int32_t>(dilations[i]) : 1;
    g.pad_begin[axis] = has_pads ? static_cast<int32_t>(pads[i]) : 0;
    g.pad_end[axis] = has_pads ? static_cast<int32_t>(pads[spatial + i]) : 0;
    // A pooling window lying wholly in the padding has no elements to pool
    // (AveragePool would divide by zero); ONNX Runtime rejects it too.
    if (options.weights == nullptr && (g.pad_begin[axis] >= g.kernel[axis] || g.pad_end[axis] >= g.kernel[axis])) {
      return ctx.Fail(Status::kInvalidModel, "pads (%d, %d) along spatial axis %d must be smaller than the kernel (%d)",
                      static_cast<int>(g.pad_begin[axis]), static_cast<int>(g.pad_end[axis]), i,
                      static_cast<int>(g.kernel[axis]));
    }
    TINYONNX_RETURN_IF_ERROR(ResolveAxis(ctx, i, mode, ceil_mode != 0, &g, axis));
  }
  *window = g;
  return Status::kOk;
}

Shape WindowOutputShape(const Shape& input, int32_t channels, const WindowGeometry& window) {
  Shape shape = input;
  const int spatial = input.rank - 2;
  shape.dims[1] = channels;
  for (int i = 0; i < spatial; ++i) shape.dims[2 + i] = window.output[GeometryAxis(spatial, i)];
  return shape;
}

}  // namespace tinyonnx
