// Cast: converts every element to the dtype of attribute `to`, between
// float32, float64, bool and the 8- to 64-bit integers. Float to integer
// truncates toward zero and saturates out of range; to bool is "nonzero".
#include "tinyonnx/graph/op.h"
#include "tinyonnx/kernels/cast.h"

namespace tinyonnx {
namespace {

// Before opset 6 `to` is a type name; the names are TensorProto.DataType's,
// indexed by their code.
const char* const kTypeNames[] = {"UNDEFINED",  "FLOAT",   "UINT8",  "INT8",   "UINT16",
                                  "INT16",      "INT32",   "INT64",  "STRING", "BOOL",
                                  "FLOAT16",    "DOUBLE",  "UINT32", "UINT64", "COMPLEX64",
                                  "COMPLEX128", "BFLOAT16"};

Status ReadTargetType(OpContext& ctx, DType* to) {
  int64_t code = 0;
  if (ctx.opset() < 6) {
    Str name;
    TINYONNX_RETURN_IF_ERROR(ctx.GetString("to", "", &name));
    for (int64_t k = 1; k < static_cast<int64_t>(sizeof(kTypeNames) / sizeof(kTypeNames[0])); ++k) {
      if (name == kTypeNames[k]) code = k;
    }
  } else {
    TINYONNX_RETURN_IF_ERROR(ctx.GetInt("to", 0, &code));
  }
  *to = DTypeFromOnnx(code);
  if (*to == DType::kUndefined) {
    return ctx.Fail(Status::kInvalidModel, "attribute 'to' is missing or not a data type");
  }
  return Status::kOk;
}

bool Castable(DType dtype) { return FindCastKernel(dtype, dtype) != nullptr; }

Status PrepareCast(OpContext& ctx) {
  TINYONNX_RETURN_IF_ERROR(ctx.ExpectInputs(1, 1));
  TINYONNX_RETURN_IF_ERROR(ctx.ExpectOutputs(1, 1));
  DType from = ctx.input_dtype(0);
  DType to;
  TINYONNX_RETURN_IF_ERROR(ReadTargetType(ctx, &to));
  for (DType dtype : {from, to}) {
    if (!Castable(dtype)) {
      return ctx.Fail(Status::kUnsupported,
                      "Cast %s %s is not supported (supported: float32, float64, bool and "
                      "8- to 64-bit integers)",
                      dtype == from ? "from" : "to", DTypeName(dtype));
    }
  }
  TINYONNX_RETURN_IF_ERROR(ctx.SetOutput(0, to, ctx.input_shape(0)));
  if (from == to) {
    ctx.AliasOutput(0, 0);
    return Status::kOk;
  }
  CastParams* params;
  TINYONNX_RETURN_IF_ERROR(ctx.New(&params));
  params->count = static_cast<int32_t>(ctx.input_shape(0).ElementCount());
  ctx.SetKernel(FindCastKernel(from, to), params);
  return Status::kOk;
}

}  // namespace

extern const OpDef kCastOp{"Cast", "", PrepareCast};

}  // namespace tinyonnx
