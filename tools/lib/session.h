// A host-side convenience around the Interpreter: owns the model bytes and a
// heap arena, binds symbolic dimensions from the inputs it is given, and
// converts inputs and outputs to HostTensors.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "host_tensor.h"
#include "tinyonnx/runtime/interpreter.h"

namespace tinyonnx::tools {

struct GraphInputInfo {
  std::string name;
  DType dtype = DType::kUndefined;
  std::vector<int64_t> dims;          // -1 where symbolic
  std::vector<std::string> params;    // dim_param names ("" if none)
};

class Session {
 public:
  static constexpr size_t kDefaultArenaBytes = size_t{64} << 20;

  bool Load(const std::string& path, std::string* error);
  bool LoadBytes(std::vector<uint8_t> bytes, std::string* error);
  // The graph inputs as declared (initializers excluded). Valid after Load.
  const std::vector<GraphInputInfo>& declared_inputs() const { return declared_inputs_; }

  // The next Prepare keeps the graph IR (Interpreter::graph(), value()) for
  // tools that read it after Prepare, such as the quantizer's calibration.
  void KeepGraph() { keep_graph_ = true; }
  // The ops the next Prepare may use (AllOps() by default); must outlive
  // the session.
  void UseResolver(const OpResolver& resolver) { resolver_ = &resolver; }
  // Prepares with symbolic dimensions taken from `inputs` (matched by name,
  // else by position) plus explicit "name=value" bindings.
  bool Prepare(const std::vector<HostTensor>& inputs, const std::vector<std::string>& dims,
               std::string* error, size_t arena_bytes = kDefaultArenaBytes);
  // Copies inputs into the interpreter, checking dtype and shape.
  bool SetInputs(const std::vector<HostTensor>& inputs, std::string* error);
  bool Invoke(std::string* error);
  HostTensor Output(uint32_t index) const;

  Interpreter& interpreter() { return *interpreter_; }
  // The Status of the last Prepare (kUnsupported: the model uses something
  // tinyonnx does not implement).
  Status prepare_status() const { return prepare_status_; }
  const std::vector<uint8_t>& model_bytes() const { return model_; }

 private:
  int MatchInput(const HostTensor& tensor, size_t position) const;

  std::vector<uint8_t> model_;
  std::vector<GraphInputInfo> declared_inputs_;
  std::unique_ptr<uint8_t[]> arena_;
  std::unique_ptr<Interpreter> interpreter_;
  std::vector<std::string> binding_names_;
  Status prepare_status_ = Status::kOk;
  bool keep_graph_ = false;
  const OpResolver* resolver_ = &AllOps();
};

}  // namespace tinyonnx::tools
