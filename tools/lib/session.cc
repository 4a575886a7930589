#include "session.h"

#include <cstdlib>
#include <cstring>
#include <set>

#include "tinyonnx/onnx/model_view.h"

namespace tinyonnx::tools {
namespace {

using namespace onnx_field;

bool ReadDeclaredInputs(const std::vector<uint8_t>& model, std::vector<GraphInputInfo>* inputs,
                        std::string* error) {
  ModelView m;
  GraphView g;
  const char* problem =
      ParseModelAndGraph(Bytes{model.data(), static_cast<uint32_t>(model.size())}, &m, &g);
  if (problem != nullptr) {
    *error = problem;
    return false;
  }
  std::set<std::string> initializers;
  ForEachField(g.message, kGraphInitializer, [&](WireReader& r) {
    TensorView t;
    if (TensorView::Parse(r.bytes(), &t) == nullptr) initializers.emplace(t.name.data, t.name.size);
    return true;
  });
  ForEachField(g.message, kGraphInput, [&](WireReader& r) {
    ValueInfoView v;
    if (ValueInfoView::Parse(r.bytes(), &v) != nullptr) return true;  // the loader reports it
    GraphInputInfo info;
    info.name.assign(v.name.data, v.name.size);
    if (initializers.count(info.name)) return true;
    info.dtype = v.dtype;
    for (int d = 0; d < v.rank; ++d) {
      info.dims.push_back(v.dims[d].has_value ? v.dims[d].value : -1);
      info.params.emplace_back(v.dims[d].param.data, v.dims[d].param.size);
    }
    inputs->push_back(info);
    return true;
  });
  return true;
}

}  // namespace

bool Session::Load(const std::string& path, std::string* error) {
  std::vector<uint8_t> bytes;
  if (!ReadFile(path, &bytes, error)) return false;
  return LoadBytes(std::move(bytes), error);
}

bool Session::LoadBytes(std::vector<uint8_t> bytes, std::string* error) {
  model_ = std::move(bytes);
  declared_inputs_.clear();
  return ReadDeclaredInputs(model_, &declared_inputs_, error);
}

int Session::MatchInput(const HostTensor& tensor, size_t position) const {
  for (size_t i = 0; i < declared_inputs_.size(); ++i) {
    if (!tensor.name.empty() && declared_inputs_[i].name == tensor.name) return static_cast<int>(i);
  }
  return position < declared_inputs_.size() ? static_cast<int>(position) : -1;
}

bool Session::Prepare(const std::vector<HostTensor>& inputs, const std::vector<std::string>& dims,
                      std::string* error, size_t arena_bytes) {
  std::vector<DimBinding> bindings;
  binding_names_.clear();
  binding_names_.reserve(dims.size() + 64);
  BuildOptions options;
  for (const std::string& d : dims) {
    size_t eq = d.find('=');
    if (eq == std::string::npos) {
      *error = "--dim expects NAME=VALUE, got '" + d + "'";
      return false;
    }
    char* end = nullptr;
    long value = std::strtol(d.c_str() + eq + 1, &end, 10);
    if (end == d.c_str() + eq + 1 || *end != '\0' || value < 0 || value > 0x7FFFFFFF) {
      *error = "--dim " + d + ": the value must be a non-negative integer";
      return false;
    }
    binding_names_.push_back(d.substr(0, eq));
    bindings.push_back(DimBinding{nullptr, static_cast<int32_t>(value)});
  }
  for (size_t k = 0; k < inputs.size(); ++k) {
    int i = MatchInput(inputs[k], k);
    if (i < 0) continue;
    const GraphInputInfo& info = declared_inputs_[i];
    for (size_t d = 0; d < info.dims.size() && d < inputs[k].dims.size(); ++d) {
      if (info.dims[d] >= 0) continue;
      if (!info.params[d].empty()) {
        binding_names_.push_back(info.params[d]);
        bindings.push_back(DimBinding{nullptr, static_cast<int32_t>(inputs[k].dims[d])});
      } else if (d == 0) {
        options.batch = static_cast<int32_t>(inputs[k].dims[0]);
      }
    }
  }
  for (size_t b = 0; b < bindings.size(); ++b) bindings[b].name = binding_names_[b].c_str();
  options.dims = bindings.data();
  options.dim_count = bindings.size();
  options.keep_graph = keep_graph_;
  arena_.reset(new uint8_t[arena_bytes]);
  interpreter_ =
      std::make_unique<Interpreter>(model_.data(), model_.size(), arena_.get(), arena_bytes, *resolver_);
  prepare_status_ = interpreter_->Prepare(options);
  if (prepare_status_ != Status::kOk) {
    *error = interpreter_->error();
    return false;
  }
  return true;
}

bool Session::SetInputs(const std::vector<HostTensor>& inputs, std::string* error) {
  Interpreter& in = *interpreter_;
  if (inputs.size() != in.input_count()) {
    *error = "the model has " + std::to_string(in.input_count()) + " inputs, " +
             std::to_string(inputs.size()) + " were given";
    return false;
  }
  for (size_t k = 0; k < inputs.size(); ++k) {
    int32_t i = inputs[k].name.empty() ? -1 : in.FindInput(inputs[k].name.c_str());
    if (i < 0) i = static_cast<int32_t>(k);
    TensorRef ref = in.input(static_cast<uint32_t>(i));
    std::string name(ref.name.data, ref.name.size);
    if (ref.dtype != inputs[k].dtype) {
      *error = "input '" + name + "' is " + DTypeName(ref.dtype) + ", the file holds " +
               DTypeName(inputs[k].dtype);
      return false;
    }
    bool same_shape = static_cast<int>(inputs[k].dims.size()) == ref.shape.rank;
    for (int d = 0; same_shape && d < ref.shape.rank; ++d) same_shape = inputs[k].dims[d] == ref.shape.dims[d];
    if (!same_shape) {
      char expected[96];
      *error = "input '" + name + "' has shape " + ref.shape.ToString(expected, sizeof(expected)) +
               ", the file holds " + inputs[k].ShapeString();
      return false;
    }
    if (ref.raw != nullptr && !inputs[k].data.empty()) {
      std::memcpy(ref.raw, inputs[k].data.data(), inputs[k].data.size());
    }
  }
  return true;
}

bool Session::Invoke(std::string* error) {
  if (interpreter_->Invoke() != Status::kOk) {
    *error = interpreter_->error();
    return false;
  }
  return true;
}

HostTensor Session::Output(uint32_t index) const {
  TensorRef ref = interpreter_->output(index);
  HostTensor out;
  out.name.assign(ref.name.data, ref.name.size);
  out.dtype = ref.dtype;
  out.dims.assign(ref.shape.dims, ref.shape.dims + ref.shape.rank);
  const uint8_t* data = static_cast<const uint8_t*>(ref.raw);
  if (data != nullptr) out.data.assign(data, data + ref.ByteSize());
  return out;
}

}  // namespace tinyonnx::tools
