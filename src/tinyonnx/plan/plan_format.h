// The compiled plan: what Prepare computed for an int8 model, stored in the
// model's own ONNX file so that a device can run it without the graph
// builder, the passes and the memory planner (PlanInterpreter).
//
// `tinyonnx compile` appends one metadata_props entry, key kPlanKey, to the
// ModelProto. The file stays standard ONNX (ONNX Runtime and the full
// Interpreter ignore the entry); the plan points into the bytes before it
// (weights are still read in place) and carries their CRC-32, so a plan
// never runs against bytes it was not compiled for.
//
// Plan bytes: "TOP" and a version byte, then zigzag varints:
//   covered_bytes crc32 activation_bytes
//   input_count output_count, per tensor: name (length, bytes) dtype rank
//     dims... scale (float bits) zero_point arena_offset
//   step_count, per step: kernel (PlanKernel) and its fields (VisitStep)
// A reference to data (a kernel's input or output, a weight or parameter
// table) is a tag and its payload: kRefNull; kRefArena offset (into the
// activations); kRefModel offset (into the covered bytes); kRefEmbedded
// length and the bytes themselves (tables Prepare computed, copied to the
// arena when loaded).
//
// One visitor per parameter struct (VisitStep) both writes (tools/
// plan_compiler.cc) and reads (runtime/plan_interpreter.cc) the fields,
// and states what the kernel reads and writes, so the reader checks every
// size against the parameters the kernel will see.
#pragma once

#include <cstddef>
#include <cstdint>

#include "tinyonnx/base/dtype.h"
#include "tinyonnx/kernels/quantized.h"
#include "tinyonnx/runtime/tensor_ref.h"

namespace tinyonnx {

constexpr char kPlanKey[] = "tinyonnx.plan";
constexpr uint8_t kPlanMagic[4] = {'T', 'O', 'P', 1};

// The kernels a plan can name: the portable int8 kernels; a device may run
// an optimized twin instead (PlanKernelSet).
enum class PlanKernel : uint8_t {
  kQuantizeLinearToS8 = 1,
  kDequantizeLinearS8,
  kConvS8,
  kDepthwiseConvS8,
  kMaxPoolS8,
  kAveragePoolS8,
  kFullyConnectedS8,  // BatchedFullyConnectedS8 with one matrix
  kSoftmaxS8,
};
constexpr int kPlanKernelCount = 8;

enum PlanRef : uint8_t { kRefNull = 0, kRefArena, kRefModel, kRefEmbedded };

// Largest tensor dimension and channel count a plan may state (keeps every
// extent product well inside int64 and every index inside int32).
constexpr int32_t kPlanMaxDim = 1 << 16;

// The extent of a window along one axis: floor (Conv) or ceil (pools with
// ceil_mode) of (input + pads - dilated kernel) / stride, plus one.
inline bool PlanWindowOutputFits(const WindowGeometry& g, int axis, bool allow_ceil) {
  const int64_t span = int64_t{g.input[axis]} + g.pad_begin[axis] + g.pad_end[axis] -
                       int64_t{g.dilation[axis]} * (g.kernel[axis] - 1) - 1;
  if (span < 0) return false;
  const int64_t floor_out = span / g.stride[axis] + 1;
  const int64_t ceil_out = (span + g.stride[axis] - 1) / g.stride[axis] + 1;
  return g.output[axis] == floor_out || (allow_ceil && g.output[axis] == ceil_out);
}

inline bool PlanDimFits(int32_t v) { return v >= 1 && v <= kPlanMaxDim; }

// Runs of int32 fields are read and written as one (Io::Ints): the reader's
// code is a few calls per struct instead of one per field.
static_assert(sizeof(WindowGeometry) == 7 * kWindowAxes * sizeof(int32_t), "WindowGeometry is int32 only");
static_assert(sizeof(FusedMaxPool) == 2 * kWindowAxes * sizeof(int32_t), "FusedMaxPool is int32 only");

// The runs of consecutive int32 fields the visitors pass to Io::Ints.
template <typename T>
constexpr bool Int32Run(size_t first, size_t last, int count) {
  return last - first == static_cast<size_t>(count - 1) * sizeof(int32_t);
}
static_assert(Int32Run<ConvS8Params>(offsetof(ConvS8Params, batch), offsetof(ConvS8Params, group), 4), "");
static_assert(Int32Run<ChannelQuantization>(offsetof(ChannelQuantization, input_offset),
                                            offsetof(ChannelQuantization, act_max), 4), "");
static_assert(Int32Run<FullyConnectedS8Params>(offsetof(FullyConnectedS8Params, rows),
                                               offsetof(FullyConnectedS8Params, output_depth), 3), "");
static_assert(Int32Run<PoolS8Params>(offsetof(PoolS8Params, batch), offsetof(PoolS8Params, channels), 2), "");
static_assert(Int32Run<PoolS8Params>(offsetof(PoolS8Params, input_offset),
                                     offsetof(PoolS8Params, last_count), 6), "");
static_assert(Int32Run<QuantizeParams>(offsetof(QuantizeParams, outer), offsetof(QuantizeParams, inner), 3), "");
static_assert(Int32Run<QuantizeParams>(offsetof(QuantizeParams, batch), offsetof(QuantizeParams, qmax), 5), "");
static_assert(Int32Run<SoftmaxS8Params>(offsetof(SoftmaxS8Params, outer), offsetof(SoftmaxS8Params, inner), 3), "");
static_assert(Int32Run<SoftmaxS8Params>(offsetof(SoftmaxS8Params, output_offset),
                                        offsetof(SoftmaxS8Params, act_max), 3), "");

template <class Io>
bool VisitWindow(Io& io, WindowGeometry& g, bool pool) {
  if (!io.Ints(g.input, 7 * kWindowAxes)) return false;
  for (int a = 0; a < kWindowAxes; ++a) {
    const bool sane = PlanDimFits(g.input[a]) && PlanDimFits(g.output[a]) &&
                      PlanDimFits(g.kernel[a]) && PlanDimFits(g.stride[a]) &&
                      PlanDimFits(g.dilation[a]) && g.pad_begin[a] >= 0 &&
                      g.pad_begin[a] <= kPlanMaxDim && g.pad_end[a] >= 0 &&
                      g.pad_end[a] <= kPlanMaxDim;
    if (!io.Check(sane && PlanWindowOutputFits(g, a, pool), "window geometry")) return false;
  }
  return io.Check(int64_t{g.input[0]} * g.input[1] * g.input[2] <= kPlanMaxDim * int64_t{256} &&
                      int64_t{g.output[0]} * g.output[1] * g.output[2] <= kPlanMaxDim * int64_t{256} &&
                      int64_t{g.kernel[0]} * g.kernel[1] * g.kernel[2] <= kPlanMaxDim,
                  "window size");
}

// Per-channel requantization of `channels` accumulators, each the int32 sum
// of `depth` products (x + input_offset) * (w + filter_offset) of int8 x
// and w: the largest such sum must fit (else signed overflow in the kernels).
template <class Io>
bool VisitChannelQuantization(Io& io, ChannelQuantization& q, int32_t channels, int64_t depth) {
  // input_offset, output_offset, act_min, act_max
  if (!io.Ints(&q.input_offset, 4) || !io.Table(q.multiplier, channels, false) ||
      !io.Table(q.shift, channels, false) || !io.Table(q.bias, channels, true) ||
      !io.Table(q.filter_offset, channels, true)) {
    return false;
  }
  bool shifts = true;
  bool filter_offsets = true;
  int64_t largest_filter_offset = 0;
  int64_t largest_bias = 0;  // the sum starts from the bias
  for (int32_t c = 0; c < channels; ++c) {
    shifts = shifts && q.shift[c] >= -31 && q.shift[c] <= 30;
    if (q.bias != nullptr) {
      const int64_t b = q.bias[c] < 0 ? -int64_t{q.bias[c]} : q.bias[c];
      largest_bias = b > largest_bias ? b : largest_bias;
    }
    if (q.filter_offset != nullptr) {
      const int64_t f = q.filter_offset[c] < 0 ? -int64_t{q.filter_offset[c]} : q.filter_offset[c];
      filter_offsets = filter_offsets && f <= 256;
      largest_filter_offset = f > largest_filter_offset ? f : largest_filter_offset;
    }
  }
  const int64_t input_offset = q.input_offset < 0 ? -int64_t{q.input_offset} : q.input_offset;
  // |x + input_offset| <= 128 + |input_offset|, and so for the filter.
  return io.Check(input_offset <= 256 && filter_offsets && q.output_offset >= -128 &&
                      q.output_offset <= 127 && q.act_min >= -128 && q.act_min <= q.act_max &&
                      q.act_max <= 127 && shifts,
                  "requantization") &&
         io.Check(largest_bias + depth * (128 + input_offset) * (128 + largest_filter_offset) <=
                      INT32_MAX,
                  "accumulation depth or bias (their int32 sum could overflow)");
}

template <class Io>
bool VisitConv(Io& io, ConvS8Params& p, bool depthwise) {
  // batch, in_channels, out_channels, group
  FusedMaxPool& pool = p.pool;
  if (!io.Ints(&p.batch, 4) || !VisitWindow(io, p.window, false) ||
      !io.Ints(pool.kernel, 2 * kWindowAxes)) {
    return false;
  }
  // kernel <= the Conv's output bounds the product Active() takes.
  for (int a = 0; a < kWindowAxes; ++a) {
    if (!io.Check(PlanDimFits(pool.kernel[a]) && PlanDimFits(pool.output[a]) &&
                      pool.kernel[a] <= p.window.output[a],
                  "fused pool")) {
      return false;
    }
  }
  for (int a = 0; a < kWindowAxes && pool.Active(); ++a) {
    if (!io.Check(pool.output[a] == p.window.output[a] / pool.kernel[a], "fused pool")) return false;
  }
  const bool channels = PlanDimFits(p.batch) && PlanDimFits(p.in_channels) &&
                        PlanDimFits(p.out_channels) && PlanDimFits(p.group) &&
                        p.in_channels % p.group == 0 && p.out_channels % p.group == 0 &&
                        (!depthwise || p.group == p.in_channels);
  if (!io.Check(channels, "channels") ||
      !VisitChannelQuantization(io, p.quant, p.out_channels,
                                int64_t{p.window.KernelSize()} * (p.in_channels / p.group))) {
    return false;
  }
  const int64_t weights =
      int64_t{p.out_channels} * p.window.KernelSize() * (p.in_channels / p.group);
  const int64_t outputs = p.pool.Active() ? p.pool.OutputSize() : p.window.OutputSize();
  return io.Table(p.weights, weights, false) &&
         io.Input(0, int64_t{p.batch} * p.window.InputSize() * p.in_channels, 1) &&
         io.Output(0, int64_t{p.batch} * outputs * p.out_channels, 1);
}

template <class Io>
bool VisitFullyConnected(Io& io, BatchedFullyConnectedS8Params& p) {
  FullyConnectedS8Params& fc = p.fc;
  if (!io.Ints(&fc.rows, 3)) return false;  // rows, input_depth, output_depth
  // Batched products (MatMul over stacks of matrices) have no plan form.
  if (!io.Check(PlanDimFits(fc.rows) && PlanDimFits(fc.input_depth) &&
                    PlanDimFits(fc.output_depth) && p.batch_count == 1 && p.batch_rank == 0,
                "fully connected shape (one matrix)") ||
      !VisitChannelQuantization(io, fc.quant, fc.output_depth, fc.input_depth)) {
    return false;
  }
  return io.Table(fc.weights, int64_t{fc.output_depth} * fc.input_depth, false) &&
         io.Input(0, int64_t{fc.rows} * fc.input_depth, 1) &&
         io.Output(0, int64_t{fc.rows} * fc.output_depth, 1);
}

template <class Io>
bool VisitPool(Io& io, PoolS8Params& p, bool average) {
  // batch, channels; input_offset .. last_count
  if (!io.Ints(&p.batch, 2) || !VisitWindow(io, p.window, true) ||
      !io.Bool(p.count_include_pad) || !io.Ints(&p.input_offset, 6)) {
    return false;
  }
  const bool fits = PlanDimFits(p.batch) && PlanDimFits(p.channels) && p.first_count >= 1 &&
                    p.first_count <= p.last_count && p.last_count <= p.window.KernelSize() &&
                    p.input_offset >= -256 && p.input_offset <= 256 && p.act_min >= -128 &&
                    p.act_min <= p.act_max && p.act_max <= 127;
  if (!io.Check(fits, "pool parameters")) return false;
  const int32_t entries = average ? p.last_count - p.first_count + 1 : 0;
  if (!io.Table(p.multiplier, entries, !average) || !io.Table(p.shift, entries, !average)) {
    return false;
  }
  bool shifts = true;
  for (int32_t e = 0; e < entries; ++e) shifts = shifts && p.shift[e] >= -31 && p.shift[e] <= 30;
  return io.Check(shifts, "pool requantization") &&
         io.Input(0, int64_t{p.batch} * p.window.InputSize() * p.channels, 1) &&
         io.Output(0, int64_t{p.batch} * p.window.OutputSize() * p.channels, 1);
}

// QuantizeLinear (float -> int8) or DequantizeLinear (int8 -> float).
template <class Io>
bool VisitQuantize(Io& io, QuantizeParams& p, bool quantize) {
  // outer, axis_size, inner; batch, channels, spatial, qmin, qmax
  if (!io.Ints(&p.outer, 3) || !io.Bool(p.per_axis) || !io.Enum(p.zero_point_type) ||
      !io.Int(p.zero_point_adjust) || !io.Bool(p.channels_last) || !io.Ints(&p.batch, 5)) {
    return false;
  }
  const DType zp = p.zero_point_type;
  const bool fits = p.outer >= 0 && p.outer <= kPlanMaxDim * 256 && PlanDimFits(p.axis_size) &&
                    p.inner >= 0 && p.inner <= kPlanMaxDim * 256 &&
                    int64_t{p.outer} * p.axis_size * p.inner <= int64_t{1} << 30 &&
                    (zp == DType::kUndefined || zp == DType::kInt8 || zp == DType::kUint8 ||
                     zp == DType::kInt32) &&
                    // 128: a uint8 zero point of int8 storage; the kernels subtract it
                    // from the zero point (an int32 one could overflow)
                    (p.zero_point_adjust == 0 ||
                     (p.zero_point_adjust == 128 && zp != DType::kInt32)) &&
                    p.qmin >= -128 && p.qmin <= p.qmax && p.qmax <= 127;
  if (!io.Check(fits, "quantization shape")) return false;
  const int64_t count = int64_t{p.outer} * p.axis_size * p.inner;
  const int64_t params = p.per_axis ? p.axis_size : 1;
  const int64_t x_bytes = quantize ? count * 4 : count;
  const int64_t y_bytes = quantize ? count : count * 4;
  return io.Input(0, x_bytes, quantize ? 4 : 1) && io.Input(1, params * 4, 4) &&
         (zp == DType::kUndefined || io.Input(2, params * static_cast<int64_t>(DTypeSize(zp)),
                                               DTypeSize(zp))) &&
         io.Output(0, y_bytes, quantize ? 1 : 4);
}

template <class Io>
bool VisitSoftmax(Io& io, SoftmaxS8Params& p) {
  if (!io.Ints(&p.outer, 3) || !io.Bool(p.float_output) ||
      !io.Words(p.exp_fixed, 256) || !io.Int64(p.inverse_output_scale) ||
      !io.Ints(&p.output_offset, 3)) {  // output_offset, act_min, act_max
    return false;
  }
  bool table = true;  // the int8 output divides by a sum that includes exp_fixed[0]
  for (int i = 0; i < 256 && !p.float_output; ++i) {
    table = table && p.exp_fixed[i] >= 0 && p.exp_fixed[i] <= (1 << kSoftmaxExpBits);
  }
  const bool fits = p.outer >= 1 && p.outer <= kPlanMaxDim * 256 && PlanDimFits(p.axis) &&
                    p.inner >= 1 && p.inner <= kPlanMaxDim * 256 &&
                    int64_t{p.outer} * p.axis * p.inner <= int64_t{1} << 30 && table &&
                    (p.float_output || (p.exp_fixed[0] >= 1 && p.inverse_output_scale >= 1 &&
                                        p.inverse_output_scale <= (int64_t{1} << 32))) &&
                    p.act_min >= -128 && p.act_min <= p.act_max && p.act_max <= 127;
  if (!io.Check(fits, "softmax parameters")) return false;
  const int64_t count = int64_t{p.outer} * p.axis * p.inner;
  return io.Input(0, count, 1) && io.Output(0, p.float_output ? count * 4 : count, p.float_output ? 4 : 1);
}

// A graph input or output: its name, type, shape, quantization and the
// activation buffer the caller fills or reads (Io::Buffer: writable).
template <class Io>
bool VisitTensor(Io& io, TensorRef& t) {
  int32_t rank = t.shape.rank;  // Shape::rank is an int
  if (!io.Name(t.name) || !io.Enum(t.dtype) || !io.Int(rank) ||
      !io.Check(rank >= 0 && rank <= kMaxRank && DTypeSize(t.dtype) > 0, "tensor")) {
    return false;
  }
  t.shape.rank = rank;
  for (int d = 0; d < rank; ++d) {
    if (!io.Int(t.shape.dims[d]) || !io.Check(PlanDimFits(t.shape.dims[d]), "tensor shape")) {
      return false;
    }
  }
  return io.Float(t.scale) && io.Int(t.zero_point) &&
         io.Buffer(t.raw, static_cast<int64_t>(t.ByteSize()), DTypeSize(t.dtype));
}

// The fields of one step's parameters: io.template Params<T>() gives the
// struct (the writer's existing one, or a new one the reader fills).
template <class Io>
bool VisitStep(Io& io, PlanKernel kernel) {
  switch (kernel) {
    case PlanKernel::kQuantizeLinearToS8:
    case PlanKernel::kDequantizeLinearS8: {
      QuantizeParams* p = io.template Params<QuantizeParams>();
      return p != nullptr && VisitQuantize(io, *p, kernel == PlanKernel::kQuantizeLinearToS8);
    }
    case PlanKernel::kConvS8:
    case PlanKernel::kDepthwiseConvS8: {
      ConvS8Params* p = io.template Params<ConvS8Params>();
      return p != nullptr && VisitConv(io, *p, kernel == PlanKernel::kDepthwiseConvS8);
    }
    case PlanKernel::kMaxPoolS8:
    case PlanKernel::kAveragePoolS8: {
      PoolS8Params* p = io.template Params<PoolS8Params>();
      return p != nullptr && VisitPool(io, *p, kernel == PlanKernel::kAveragePoolS8);
    }
    case PlanKernel::kFullyConnectedS8: {
      BatchedFullyConnectedS8Params* p = io.template Params<BatchedFullyConnectedS8Params>();
      return p != nullptr && VisitFullyConnected(io, *p);
    }
    case PlanKernel::kSoftmaxS8: {
      SoftmaxS8Params* p = io.template Params<SoftmaxS8Params>();
      return p != nullptr && VisitSoftmax(io, *p);
    }
  }
  return io.Check(false, "kernel");
}

// For messages.
const char* PlanKernelName(PlanKernel kernel);

// Where a model's plan is: its metadata_props entry kPlanKey (the plan's
// bytes, and the offset of the entry's field in the model).
struct PlanEntry {
  bool found = false;
  bool malformed = false;  // the ModelProto's fields do not parse ...
  size_t malformed_at = 0;  // ... from this byte on
  Bytes plan;
  size_t start = 0;
};
PlanEntry FindPlanEntry(const uint8_t* model, size_t size);

// CRC-32 (IEEE 802.3, as zlib's crc32) of `size` bytes.
uint32_t Crc32(const uint8_t* data, size_t size);

}  // namespace tinyonnx
