// libFuzzer target: the quantizer's reading of a model and everything it
// does without calibration data: the session load (core views), the
// libprotobuf parse of the original (ParseOriginalModel), prepare with the
// declared input shape, PlanQuantization, and the QDQ writer + aligned
// serializer with fixed activation ranges. QuantizeError is the quantizer's
// way of rejecting a model; any other exception or crash is a bug.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "quant_plan.h"
#include "quantizer.h"
#include "session.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tinyonnx;
  using namespace tinyonnx::quantize;
  try {
    tools::Session session;
    std::string error;
    if (!session.LoadBytes(std::vector<uint8_t>(data, data + size), &error)) return 0;
    const onnx::ModelProto original = ParseOriginalModel("fuzz.onnx", session.model_bytes());
    if (session.declared_inputs().size() != 1) return 0;
    const tools::GraphInputInfo& declared = session.declared_inputs()[0];
    if (declared.dtype != DType::kFloat) return 0;
    tools::HostTensor input;
    input.name = declared.name;
    input.dtype = DType::kFloat;
    int64_t count = 1;
    for (int64_t d : declared.dims) {
      input.dims.push_back(d < 0 ? 1 : d);
      count *= input.dims.back();
      if (count > (1 << 18)) return 0;
    }
    input.data.assign(static_cast<size_t>(count) * 4, 0);
    session.KeepGraph();  // the quantizer reads the prepared graph
    if (!session.Prepare({input}, {}, &error, size_t{1} << 20)) return 0;
    const Graph& graph = session.interpreter().graph();
    const QuantPlan plan = PlanQuantization(graph);
    std::vector<ActivationQuant> quants(graph.value_count, ChooseActivationQuant(-1.0f, 1.0f));
    const QdqModel model = WriteQdqModel(graph, plan, quants, original, QdqWriterOptions());
    const std::string file = SerializeWithAlignedInitializers(model.model);
    VerifySerializedModel(file, model.model);
  } catch (const QuantizeError&) {
  }
  return 0;
}
