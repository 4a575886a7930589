// Unary functions of int8 values as a 256-entry table computed at prepare
// time from the float function: QLinearUnary of the ai.tinyonnx domain (the
// form LowerQdq rewrites Relu, Clip, Sigmoid, Tanh, HardSigmoid, HardSwish,
// LeakyRelu and Elu into; the node keeps its op_type, which names the
// function) and com.microsoft QLinearSigmoid and QLinearLeakyRelu.
// Inputs: X, X_scale, X_zero_point, Y_scale, Y_zero_point, then Clip's min
// and max.
#include <cmath>

#include "tinyonnx/graph/ops/quant_prepare.h"

namespace tinyonnx {
namespace {

enum class Function { kRelu, kClip, kSigmoid, kTanh, kHardSigmoid, kHardSwish, kLeakyRelu, kElu };

struct UnaryFunction {
  Function function = Function::kRelu;
  float alpha = 0.0f;
  float beta = 0.0f;
  float lo = -INFINITY;
  float hi = INFINITY;

  float operator()(float x) const {
    switch (function) {
      case Function::kRelu: return x > 0.0f ? x : 0.0f;
      case Function::kClip: return x < lo ? lo : x > hi ? hi : x;
      case Function::kSigmoid: return 1.0f / (1.0f + std::exp(-x));
      case Function::kTanh: return std::tanh(x);
      case Function::kHardSigmoid: {
        const float v = alpha * x + beta;
        return v < 0.0f ? 0.0f : v > 1.0f ? 1.0f : v;
      }
      case Function::kHardSwish: {
        const float v = x / 6.0f + 0.5f;
        return x * (v < 0.0f ? 0.0f : v > 1.0f ? 1.0f : v);
      }
      case Function::kLeakyRelu: return x >= 0.0f ? x : alpha * x;
      case Function::kElu: return x >= 0.0f ? x : alpha * (std::exp(x) - 1.0f);
    }
    return x;
  }
};

// Clip's bounds: attributes before opset 11, optional constant inputs 5
// and 6 of the rewritten node after.
Status ReadClip(OpContext& ctx, UnaryFunction* f) {
  if (ctx.opset() < 11) {
    TINYONNX_RETURN_IF_ERROR(ctx.GetFloat("min", -INFINITY, &f->lo));
    return ctx.GetFloat("max", INFINITY, &f->hi);
  }
  if (ctx.has_input(5)) TINYONNX_RETURN_IF_ERROR(ctx.ReadConstFloat(5, &f->lo));
  if (ctx.has_input(6)) TINYONNX_RETURN_IF_ERROR(ctx.ReadConstFloat(6, &f->hi));
  return Status::kOk;
}

Status ReadFunction(OpContext& ctx, UnaryFunction* f) {
  const Str op = ctx.node().View().op_type;
  if (op == "Relu") {
    f->function = Function::kRelu;
  } else if (op == "Clip") {
    f->function = Function::kClip;
    return ReadClip(ctx, f);
  } else if (op == "Sigmoid" || op == "QLinearSigmoid") {
    f->function = Function::kSigmoid;
  } else if (op == "Tanh") {
    f->function = Function::kTanh;
  } else if (op == "HardSigmoid") {
    f->function = Function::kHardSigmoid;
    TINYONNX_RETURN_IF_ERROR(ctx.GetFloat("alpha", 0.2f, &f->alpha));
    return ctx.GetFloat("beta", 0.5f, &f->beta);
  } else if (op == "HardSwish") {
    f->function = Function::kHardSwish;
  } else if (op == "LeakyRelu" || op == "QLinearLeakyRelu") {
    f->function = Function::kLeakyRelu;
    return ctx.GetFloat("alpha", 0.01f, &f->alpha);
  } else if (op == "Elu") {
    f->function = Function::kElu;
    return ctx.GetFloat("alpha", 1.0f, &f->alpha);
  } else {
    return ctx.Fail(Status::kUnsupported, "no int8 table for op %.*s", op.length(), op.data);
  }
  return Status::kOk;
}

Status PrepareLookup(OpContext& ctx) {
  TINYONNX_RETURN_IF_ERROR(ctx.ExpectInputs(4, 7));
  TINYONNX_RETURN_IF_ERROR(ctx.ExpectOutputs(1, 1));
  TensorQuant x, y;
  TINYONNX_RETURN_IF_ERROR(ReadTensorQuant(ctx, 1, 2, ctx.input_dtype(0), &x));
  TINYONNX_RETURN_IF_ERROR(ReadTensorQuant(ctx, 3, 4, x.type, &y));
  UnaryFunction f;
  TINYONNX_RETURN_IF_ERROR(ReadFunction(ctx, &f));
  LookupS8Params* p;
  TINYONNX_RETURN_IF_ERROR(ctx.New(&p));
  // Each int8 value dequantized, mapped and quantized as QuantizeLinear
  // would (round half to even, saturate).
  for (int32_t q = -128; q < 128; ++q) {
    const float real = static_cast<float>(q - x.zero_point) * x.scale;
    p->table[q + 128] = static_cast<int8_t>(
        QuantizeValue(f(real), y.scale, static_cast<float>(y.zero_point), -128.0f, 127.0f));
  }
  const Shape& shape = ctx.input_shape(0);
  p->count = static_cast<int32_t>(shape.ElementCount());
  const bool channels_last = ctx.input(0).channels_last;
  QuantizedKernelBuilder builder(ctx);
  TINYONNX_RETURN_IF_ERROR(builder.Input(0, channels_last));
  TINYONNX_RETURN_IF_ERROR(builder.Output(0, shape, y.type, channels_last, DType::kInt8, &y));
  return builder.Finish(LookupS8, p);
}

}  // namespace

extern const OpDef kQLinearUnaryOp{"QLinearUnary", "ai.tinyonnx", PrepareLookup};
extern const OpDef kQLinearSigmoidOp{"QLinearSigmoid", "com.microsoft", PrepareLookup};
extern const OpDef kQLinearLeakyReluOp{"QLinearLeakyRelu", "com.microsoft", PrepareLookup};

}  // namespace tinyonnx
