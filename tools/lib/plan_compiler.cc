#include "plan_compiler.h"

#include <cstring>
#include <memory>

#include "tinyonnx/plan/plan_format.h"
#include "tinyonnx/runtime/interpreter.h"
#include "tinyonnx/runtime/plan_interpreter.h"

namespace tinyonnx::tools {
namespace {

void PutVarint(std::vector<uint8_t>& out, uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<uint8_t>(v | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<uint8_t>(v));
}

// A length-delimited protobuf field.
void PutBytesField(std::vector<uint8_t>& out, uint32_t field, const uint8_t* data, size_t size) {
  PutVarint(out, (uint64_t{field} << 3) | 2);
  PutVarint(out, size);
  out.insert(out.end(), data, data + size);
}

// Writes a prepared step's fields (the Io of plan_format.h's visitors). A
// pointer is classified by where it points: the activations, the model
// bytes (read in place on the device too), or the arena's persistent region
// (tables Prepare computed: embedded in the plan).
class PlanWriter {
 public:
  PlanWriter(const std::vector<uint8_t>& model, const uint8_t* arena, size_t activation_bytes,
             size_t arena_size)
      : model_(model), arena_(arena), activation_bytes_(activation_bytes), arena_size_(arena_size) {}

  std::vector<uint8_t> out;
  const Step* step = nullptr;
  std::string error;

  bool Check(bool ok, const char* what) {
    if (!ok && error.empty()) error = std::string("the plan form cannot hold its ") + what;
    return ok;
  }
  void Unsigned(uint64_t v) { PutVarint(out, v); }
  bool Int64(int64_t& v) {
    PutVarint(out, (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63));
    return true;
  }
  bool Int(int32_t& v) {
    int64_t w = v;
    return Int64(w);
  }
  bool Ints(int32_t* v, int count) {
    for (int i = 0; i < count; ++i) Int(v[i]);
    return true;
  }
  bool Bool(bool& v) {
    int32_t i = v ? 1 : 0;
    return Int(i);
  }
  template <typename E>
  bool Enum(E& e) {
    int32_t i = static_cast<int32_t>(e);
    return Int(i);
  }
  bool Words(int32_t* words, int count) {
    for (int i = 0; i < count; ++i) {
      const uint32_t w = static_cast<uint32_t>(words[i]);
      for (int b = 0; b < 4; ++b) out.push_back(static_cast<uint8_t>(w >> (8 * b)));
    }
    return true;
  }
  bool Float(float& v) {
    uint32_t bits;
    std::memcpy(&bits, &v, sizeof(bits));
    PutVarint(out, bits);
    return true;
  }
  bool Name(Str& name) {
    PutVarint(out, name.size);
    out.insert(out.end(), name.data, name.data + name.size);
    return true;
  }
  // A graph input's or output's buffer: must be an activation (not a constant).
  bool Buffer(void*& raw, int64_t bytes, size_t align) {
    const uint8_t* p = static_cast<const uint8_t*>(raw);
    return Check(p >= arena_ && p < arena_ + activation_bytes_, "graph input or output (a constant)") &&
           Ref(raw, bytes, align, false);
  }

  bool Ref(const void* data, int64_t bytes, size_t align, bool optional) {
    const uint8_t* p = static_cast<const uint8_t*>(data);
    if (p == nullptr) {
      PutVarint(out, kRefNull);
      return Check(optional, "empty reference");
    }
    const size_t size = static_cast<size_t>(bytes);
    if (p >= arena_ && p + size <= arena_ + activation_bytes_) {
      PutVarint(out, kRefArena);
      PutVarint(out, static_cast<uint64_t>(p - arena_));
      return true;
    }
    const uint8_t* model = model_.data();
    if (p >= model && p + size <= model + model_.size() &&
        static_cast<size_t>(p - model) % align == 0) {
      PutVarint(out, kRefModel);
      PutVarint(out, static_cast<uint64_t>(p - model));
      return true;
    }
    const bool persistent = p >= arena_ + activation_bytes_ && p + size <= arena_ + arena_size_;
    if (!Check(persistent || (p >= model && p + size <= model + model_.size()), "pointer")) {
      return false;
    }
    PutVarint(out, kRefEmbedded);
    PutVarint(out, size);
    out.insert(out.end(), p, p + size);
    return true;
  }
  template <typename T>
  bool Table(const T*& table, int64_t count, bool optional) {
    return Ref(table, count * static_cast<int64_t>(sizeof(T)), alignof(T), optional);
  }
  bool Input(int index, int64_t bytes, size_t align) {
    return Ref(step->inputs[index], bytes, align, false);
  }
  bool Output(int index, int64_t bytes, size_t align = 1) {
    const uint8_t* p = static_cast<const uint8_t*>(step->outputs[index]);
    return Check(p >= arena_ && p + bytes <= arena_ + activation_bytes_, "output") &&
           Ref(p, bytes, align, false);
  }
  template <typename T>
  T* Params() {
    return static_cast<T*>(const_cast<void*>(step->params));
  }

 private:
  const std::vector<uint8_t>& model_;
  const uint8_t* arena_;
  size_t activation_bytes_;
  size_t arena_size_;
};

// The plan kernel a host step runs: the portable kernel definitions pick
// their function for any parameters without reading them.
bool FindPlanKernel(const Step& step, PlanKernel* kernel) {
  // The portable definitions only: a DSP twin's pick reads the parameters
  // as its own kernel's struct, which another step's parameters are not.
  const PlanKernelSet& set = PortablePlanKernels();
  for (uint32_t d = 0; d < set.count; ++d) {
    if (set.defs[d]->pick(const_cast<void*>(step.params)).fn == step.kernel) {
      *kernel = set.defs[d]->kernel;
      return true;
    }
  }
  return false;
}

}  // namespace

bool CompileModel(const std::vector<uint8_t>& model, CompiledModel* compiled, std::string* error) {
  if (FindPlanEntry(model.data(), model.size()).found) {
    *error = "the model already has a compiled plan";
    return false;
  }
  const size_t arena_size = size_t{64} << 20;
  std::unique_ptr<uint8_t[]> arena(new uint8_t[arena_size]);
  Interpreter interpreter(model.data(), model.size(), arena.get(), arena_size);
  BuildOptions options;
  options.keep_graph = true;  // for the op names of messages
  if (interpreter.Prepare(options) != Status::kOk) {
    *error = interpreter.error();
    return false;
  }
  // The interpreter's Arena aligns its start to 16 bytes; offsets count from there.
  const Arena view(arena.get(), arena_size);
  PlanWriter writer(model, view.base(), interpreter.memory().activation_bytes, view.size());
  std::vector<uint8_t>& out = writer.out;
  out.insert(out.end(), kPlanMagic, kPlanMagic + 4);
  writer.Unsigned(model.size());
  writer.Unsigned(Crc32(model.data(), model.size()));
  writer.Unsigned(interpreter.memory().activation_bytes);
  writer.Unsigned(interpreter.input_count());
  writer.Unsigned(interpreter.output_count());
  const ExecutionPlan& plan = interpreter.plan();
  writer.Unsigned(plan.step_count);
  for (uint32_t t = 0; t < interpreter.input_count() + interpreter.output_count(); ++t) {
    const bool is_input = t < interpreter.input_count();
    TensorRef ref = is_input ? interpreter.input(t) : interpreter.output(t - interpreter.input_count());
    if (!VisitTensor(writer, ref)) {
      *error = std::string(is_input ? "input '" : "output '") + std::string(ref.name.data, ref.name.size) +
               "': " + writer.error;
      return false;
    }
  }
  for (uint32_t s = 0; s < plan.step_count; ++s) {
    writer.step = &plan.steps[s];
    PlanKernel kernel;
    if (!FindPlanKernel(plan.steps[s], &kernel)) {
      const Node& node = interpreter.graph().nodes[plan.steps[s].node];
      *error = "step " + std::to_string(s) + " (" + node.op->op_type + "): its kernel has no plan form (plans hold the int8 kernels of Conv, MaxPool, "
               "AveragePool, Gemm/MatMul, Softmax, QuantizeLinear and DequantizeLinear); run "
               "this model with the Interpreter";
      return false;
    }
    int32_t id = static_cast<int32_t>(kernel);
    writer.Int(id);
    if (!VisitStep(writer, kernel)) {
      *error = "step " + std::to_string(s) + " (" + PlanKernelName(kernel) + "): " + writer.error;
      return false;
    }
  }
  compiled->bytes = AppendPlanEntry(model, out.data(), out.size());
  compiled->plan_bytes = out.size();
  compiled->steps = plan.step_count;
  compiled->activation_bytes = interpreter.memory().activation_bytes;
  return true;
}

std::vector<uint8_t> AppendPlanEntry(const std::vector<uint8_t>& model, const uint8_t* plan,
                                     size_t plan_size) {
  // The model, then ModelProto.metadata_props { key, value }: appending a
  // field to a message's bytes is a valid message with that field added.
  std::vector<uint8_t> entry;
  PutBytesField(entry, 1, reinterpret_cast<const uint8_t*>(kPlanKey), std::strlen(kPlanKey));
  PutBytesField(entry, 2, plan, plan_size);
  std::vector<uint8_t> bytes = model;
  PutBytesField(bytes, 14, entry.data(), entry.size());
  return bytes;
}

}  // namespace tinyonnx::tools

namespace tinyonnx::tools {
namespace {

void FillInput(const TensorRef& a, const TensorRef& b, uint32_t* seed) {
  for (size_t i = 0; i < a.ByteSize(); i += DTypeSize(a.dtype)) {
    *seed = *seed * 1664525u + 1013904223u;
    if (a.dtype == DType::kFloat) {
      const float v = static_cast<float>(*seed >> 8) / 16777216.0f;
      std::memcpy(static_cast<uint8_t*>(a.raw) + i, &v, sizeof(v));
    } else {
      static_cast<uint8_t*>(a.raw)[i] = static_cast<uint8_t>(*seed >> 24);
    }
  }
  std::memcpy(b.raw, a.raw, a.ByteSize());
}

}  // namespace

bool VerifyCompiledModel(const std::vector<uint8_t>& model, const CompiledModel& compiled,
                         int runs, std::string* error) {
  const size_t arena_size = size_t{64} << 20;
  std::unique_ptr<uint8_t[]> arena(new uint8_t[arena_size]);
  std::unique_ptr<uint8_t[]> plan_arena(new uint8_t[arena_size]);
  Interpreter reference(model.data(), model.size(), arena.get(), arena_size);
  PlanInterpreter planned(compiled.bytes.data(), compiled.bytes.size(), plan_arena.get(), arena_size);
  if (reference.Prepare() != Status::kOk) {
    *error = std::string("the Interpreter: ") + reference.error();
    return false;
  }
  if (planned.Prepare() != Status::kOk) {
    *error = std::string("the PlanInterpreter: ") + planned.error();
    return false;
  }
  if (planned.input_count() != reference.input_count() ||
      planned.output_count() != reference.output_count()) {
    *error = "the plan's inputs or outputs differ from the model's";
    return false;
  }
  uint32_t seed = 12345;
  for (int run = 0; run < runs; ++run) {
    for (uint32_t i = 0; i < reference.input_count(); ++i) {
      if (planned.input(i).ByteSize() != reference.input(i).ByteSize()) {
        *error = "input " + std::to_string(i) + " differs in size";
        return false;
      }
      FillInput(reference.input(i), planned.input(i), &seed);
    }
    if (reference.Invoke() != Status::kOk || planned.Invoke() != Status::kOk) {
      *error = "Invoke failed";
      return false;
    }
    for (uint32_t o = 0; o < reference.output_count(); ++o) {
      const TensorRef a = reference.output(o);
      const TensorRef b = planned.output(o);
      if (a.ByteSize() != b.ByteSize() || std::memcmp(a.raw, b.raw, a.ByteSize()) != 0) {
        *error = "run " + std::to_string(run) + ": output " + std::to_string(o) +
                 " differs from the Interpreter's";
        return false;
      }
    }
  }
  return true;
}

}  // namespace tinyonnx::tools
