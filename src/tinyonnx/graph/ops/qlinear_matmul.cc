// QLinearMatMul, MatMulInteger and com.microsoft QGemm (and the MatMul and
// Gemm LowerQdq rewrites into their forms, with the float bounds of a
// folded Relu/Clip after them): int8 matrix products on the fully connected
// kernel, which reads B as [N, K] rows. A Gemm weight with transB = 1 is
// read in place; B in [K, N] (MatMul) is rearranged once (Graph::
// repacked_bytes), or per run when it is a graph input.
#include "tinyonnx/graph/ops/quant_prepare.h"
#include "tinyonnx/kernels/arm/dsp_kernels.h"

namespace tinyonnx {
namespace {

// numpy matmul batch broadcasting of A [..., M, K] and B [..., K, N] into
// params; *out gets the batch dims followed by [M, N].
Status BroadcastBatches(OpContext& ctx, const Shape& a, const Shape& b, int32_t n,
                        BatchedFullyConnectedS8Params* mm, Shape* out) {
  const int a_batch = a.rank - 2;
  const int b_batch = b.rank - 2;
  const int rank = a_batch > b_batch ? a_batch : b_batch;
  out->rank = rank + 2;
  int64_t a_matrices = 1, b_matrices = 1, count = 1;
  for (int i = rank - 1; i >= 0; --i) {
    const int ia = i - (rank - a_batch);
    const int ib = i - (rank - b_batch);
    const int32_t da = ia >= 0 ? a.dims[ia] : 1;
    const int32_t db = ib >= 0 ? b.dims[ib] : 1;
    if (da != db && da != 1 && db != 1) {
      char a_text[64], b_text[64];
      return ctx.Fail(Status::kInvalidModel, "the batch dims of %s and %s do not broadcast",
                      a.ToString(a_text, sizeof(a_text)), b.ToString(b_text, sizeof(b_text)));
    }
    const int32_t d = da == 1 ? db : da;
    out->dims[i] = d;
    mm->batch_dims[i] = d;
    mm->x_strides[i] = da == 1 ? 0 : static_cast<int32_t>(a_matrices);
    mm->w_strides[i] = db == 1 ? 0 : static_cast<int32_t>(b_matrices);
    a_matrices *= da;
    b_matrices *= db;
    count *= d;
  }
  mm->batch_rank = rank;
  mm->batch_count = static_cast<int32_t>(count);
  out->dims[rank] = a.dims[a.rank - 2];
  out->dims[rank + 1] = n;
  return Status::kOk;
}

// Gemm's attributes that the int8 path implements: transA 0, alpha and beta 1.
Status ReadGemmAttributes(OpContext& ctx, bool* trans_b) {
  int64_t trans_a, transposed;
  float alpha, beta;
  TINYONNX_RETURN_IF_ERROR(ctx.GetInt("transA", 0, &trans_a));
  TINYONNX_RETURN_IF_ERROR(ctx.GetInt("transB", 0, &transposed));
  TINYONNX_RETURN_IF_ERROR(ctx.GetFloat("alpha", 1.0f, &alpha));
  TINYONNX_RETURN_IF_ERROR(ctx.GetFloat("beta", 1.0f, &beta));
  if (trans_a != 0 || alpha != 1.0f || beta != 1.0f) {
    return ctx.Fail(Status::kUnsupported,
                    "int8 Gemm supports transA = 0 and alpha = beta = 1 (has %lld, %g, %g)",
                    static_cast<long long>(trans_a), static_cast<double>(alpha),
                    static_cast<double>(beta));
  }
  *trans_b = transposed != 0;
  return Status::kOk;
}

// `kernel` writes int8 (QLinearMatMul, QGemm) or int32 (MatMulInteger): each
// op links only its own.
Status PrepareMatMulLike(OpContext& ctx, const AccumulatorInputs& io, bool gemm, KernelFn kernel) {
  TINYONNX_RETURN_IF_ERROR(ctx.ExpectOutputs(1, 1));
  TINYONNX_RETURN_IF_ERROR(ctx.ExpectDType(io.x, {DType::kInt8, DType::kUint8}));
  TINYONNX_RETURN_IF_ERROR(ctx.ExpectDType(io.w, {DType::kInt8, DType::kUint8}));
  const Value& x = ctx.input(io.x);
  const Value& w = ctx.input(io.w);
  const Shape& a = x.shape;
  const Shape& b = w.shape;
  bool trans_b = false;
  if (gemm) TINYONNX_RETURN_IF_ERROR(ReadGemmAttributes(ctx, &trans_b));
  if (a.rank < 2 || b.rank < 2 || (gemm && (a.rank != 2 || b.rank != 2))) {
    return ctx.Fail(Status::kUnsupported, "operands of rank %d and %d; rank 2 or more (Gemm: 2) is supported",
                    a.rank, b.rank);
  }
  const int32_t k = a.dims[a.rank - 1];
  const int32_t n = trans_b ? b.dims[b.rank - 2] : b.dims[b.rank - 1];
  const int32_t b_k = trans_b ? b.dims[b.rank - 1] : b.dims[b.rank - 2];
  if (b_k != k) {
    char a_text[64], b_text[64];
    return ctx.Fail(Status::kInvalidModel, "cannot multiply %s by %s%s",
                    a.ToString(a_text, sizeof(a_text)), b.ToString(b_text, sizeof(b_text)),
                    trans_b ? " (transposed)" : "");
  }
  AccumulatorQuant quant;
  TINYONNX_RETURN_IF_ERROR(ReadAccumulatorQuant(ctx, io, n, &quant));

  BatchedFullyConnectedS8Params mm;
  Shape out;
  TINYONNX_RETURN_IF_ERROR(BroadcastBatches(ctx, a, b, n, &mm, &out));
  mm.fc.rows = a.dims[a.rank - 2];
  if (b.rank == 2) {  // one weight matrix: all of A's rows in one product
    mm.fc.rows = static_cast<int32_t>(a.ElementCount() / (k == 0 ? 1 : k));
    mm.batch_rank = 0;
    mm.batch_count = 1;
  }
  mm.fc.input_depth = k;
  mm.fc.output_depth = n;
  WeightPacking packing;  // one matrix of B into [N, K]
  packing.outer = n;
  packing.inner = k;
  packing.taps = 1;
  packing.src_o = trans_b ? k : 1;
  packing.src_i = trans_b ? 1 : n;
  packing.dst_o = k;
  packing.dst_i = 1;
  packing.flip = w.dtype == DType::kUint8;
  const int32_t matrices = static_cast<int32_t>(b.ElementCount() / (static_cast<int64_t>(n) * k == 0 ? 1 : static_cast<int64_t>(n) * k));
  if (w.is_constant()) {
    TINYONNX_RETURN_IF_ERROR(PrepareConstantWeights(ctx, w, packing, matrices, &mm.fc.weights));
  }

  QuantizedKernelBuilder builder(ctx);
  TINYONNX_RETURN_IF_ERROR(builder.Input(io.x, false));
  KernelFn core;
  void* core_params;
  const bool dynamic = !quant.constant || !w.is_constant();
  if (!dynamic) {
    TINYONNX_RETURN_IF_ERROR(PrepareChannelQuantization(ctx, io, quant, n, 1.0f, &mm.fc.quant));
    BatchedFullyConnectedS8Params* params;
    TINYONNX_RETURN_IF_ERROR(ctx.New(&params));
    *params = mm;
    core = kernel;
    core_params = params;
    const bool one_matrix = mm.batch_count == 1 && !io.int32_output;
    const DspKernel dsp = one_matrix ? SelectDspFullyConnectedS8(mm.fc) : DspKernel();
    if (dsp.fn != nullptr) {  // the DSP kernel runs on the one matrix's fully connected part
      core = dsp.fn;
      core_params = &params->fc;
      builder.CoreScratch(dsp.scratch_bytes, &params->fc.scratch);
    }
  } else {
    if (io.bias >= 0 && ctx.has_input(io.bias)) {
      return ctx.Fail(Status::kUnsupported, "a bias needs constant weights and quantization");
    }
    DynamicMatMulS8Params* params;
    TINYONNX_RETURN_IF_ERROR(ctx.New(&params));
    params->matmul = mm;
    params->kernel = kernel;
    SetDynamicQuantization(quant, io.int32_output, params);
    params->weight_input = w.is_constant() ? -1 : static_cast<int16_t>(io.w);
    params->weight_matrices = matrices;
    params->packing = packing;
    const int64_t weight_bytes = w.is_constant() ? 0 : b.ElementCount();
    builder.CoreScratch(static_cast<size_t>(DynamicScratchBytes(weight_bytes, n)), &params->scratch);
    core = DynamicMatMulS8;
    core_params = params;
  }
  const bool known = !dynamic && !io.int32_output;
  const TensorQuant quantization = known ? OutputQuant(quant) : TensorQuant();
  TINYONNX_RETURN_IF_ERROR(builder.Output(0, out, quant.output_type, false,
                                          io.int32_output ? DType::kInt32 : DType::kInt8,
                                          known ? &quantization : nullptr));
  return builder.Finish(core, core_params);
}

Status PrepareQLinearMatMul(OpContext& ctx) {
  TINYONNX_RETURN_IF_ERROR(ctx.ExpectInputs(8, 11));
  AccumulatorInputs io;
  io.x = 0, io.x_scale = 1, io.x_zero_point = 2, io.w = 3, io.w_scale = 4, io.w_zero_point = 5;
  io.y_scale = 6, io.y_zero_point = 7, io.act_lo = 9, io.act_hi = 10;
  if (ctx.has_input(8)) return ctx.Fail(Status::kInvalidModel, "QLinearMatMul has no input 8");
  return PrepareMatMulLike(ctx, io, false, BatchedFullyConnectedS8);
}

Status PrepareMatMulInteger(OpContext& ctx) {
  TINYONNX_RETURN_IF_ERROR(ctx.ExpectInputs(2, 4));
  AccumulatorInputs io;
  io.x = 0, io.w = 1, io.x_zero_point = 2, io.w_zero_point = 3;
  io.int32_output = true;
  return PrepareMatMulLike(ctx, io, false, BatchedFullyConnectedS8ToS32);
}

// com.microsoft QGemm: A, a_scale, a_zero_point, B, b_scale, b_zero_point,
// C (int32 bias), y_scale, y_zero_point (+ LowerQdq's bounds 9, 10).
Status PrepareQGemm(OpContext& ctx) {
  TINYONNX_RETURN_IF_ERROR(ctx.ExpectInputs(6, 11));
  AccumulatorInputs io;
  io.x = 0, io.x_scale = 1, io.x_zero_point = 2, io.w = 3, io.w_scale = 4, io.w_zero_point = 5;
  io.bias = 6, io.y_scale = 7, io.y_zero_point = 8, io.act_lo = 9, io.act_hi = 10;
  return PrepareMatMulLike(ctx, io, true, BatchedFullyConnectedS8);
}

}  // namespace

extern const OpDef kQLinearMatMulOp{"QLinearMatMul", "", PrepareQLinearMatMul};
extern const OpDef kMatMulIntegerOp{"MatMulInteger", "", PrepareMatMulInteger};
extern const OpDef kQGemmOp{"QGemm", "com.microsoft", PrepareQGemm};

}  // namespace tinyonnx
