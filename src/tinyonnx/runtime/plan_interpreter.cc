#include "tinyonnx/runtime/plan_interpreter.h"

#include <cstring>
#include <new>

#include "tinyonnx/onnx/wire.h"
#include "tinyonnx/plan/memory_plan.h"

namespace tinyonnx {
namespace {

constexpr int kStepInputs = 3;                // most inputs a plan kernel reads
constexpr uint32_t kMaxPlanSteps = 0xFFFF;
constexpr uint32_t kMaxPlanTensors = 64;

size_t AlignUp(size_t v, size_t a) { return (v + a - 1) & ~(a - 1); }

// Reads a plan's fields (the Io of plan_format.h's visitors) into the arena.
// Every allocation is a multiple of 8 bytes with 8-byte alignment, so a
// measuring pass (keep == false: each step released after it is read) sums
// to exactly what the keeping pass allocates.
class PlanDecoder {
 public:
  PlanDecoder(const uint8_t* plan, size_t plan_size, const uint8_t* model, size_t covered,
              Arena& arena, ErrorReporter& errors)
      : cursor_(plan), end_(plan + plan_size), model_(model), covered_(covered),
        arena_(arena), errors_(errors) {}

  bool Fail(Status status, const char* what) {
    if (status_ == Status::kOk) status_ = errors_.Report(status, "%s", what);
    return false;
  }
  Status status() const { return status_; }
  bool Check(bool ok, const char* what) {
    if (ok) return true;
    if (status_ == Status::kOk) {
      status_ = errors_.Report(Status::kInvalidModel, "the plan's %s is invalid", what);
    }
    return false;
  }

  bool Magic() {
    if (end_ - cursor_ < 4 || std::memcmp(cursor_, kPlanMagic, 4) != 0) {
      return Fail(Status::kUnsupported, "the plan is not a tinyonnx plan of version 1 (recompile it)");
    }
    cursor_ += 4;
    return true;
  }
  bool Unsigned(uint64_t& v) {
    return ReadVarint(&cursor_, end_, &v) || Fail(Status::kInvalidModel, "the plan is truncated");
  }
  bool Int64(int64_t& v) {
    uint64_t u;
    if (!Unsigned(u)) return false;
    v = static_cast<int64_t>(u >> 1) ^ -static_cast<int64_t>(u & 1);
    return true;
  }
  bool Int(int32_t& v) {
    int64_t w;
    if (!Int64(w)) return false;
    v = static_cast<int32_t>(w);
    return Check(w == v, "integer");
  }
  bool Ints(int32_t* v, int count) {
    for (int i = 0; i < count; ++i) {
      if (!Int(v[i])) return false;
    }
    return true;
  }
  bool Size(size_t& v, size_t most) {
    uint64_t u;
    if (!Unsigned(u)) return false;
    v = static_cast<size_t>(u);
    return Check(u <= most, "size");
  }
  bool Bool(bool& v) {
    int32_t i;
    if (!Int(i)) return false;
    v = i != 0;
    return Check(i == 0 || i == 1, "flag");
  }
  template <typename E>
  bool Enum(E& e) {
    int32_t i;
    if (!Int(i)) return false;
    e = static_cast<E>(i);
    return Check(i >= 0 && i <= 255, "enumeration");
  }
  bool Words(int32_t* words, int count) {
    if (end_ - cursor_ < 4 * count) return Fail(Status::kInvalidModel, "the plan is truncated");
    for (int i = 0; i < count; ++i, cursor_ += 4) words[i] = static_cast<int32_t>(LoadLE32(cursor_));
    return true;
  }
  bool Float(float& v) {
    uint64_t bits;
    if (!Unsigned(bits)) return false;
    const uint32_t word = static_cast<uint32_t>(bits);
    std::memcpy(&v, &word, sizeof(v));
    return Check(bits == word, "float");
  }
  bool Name(Str& name) {
    size_t size;
    if (!Size(size, static_cast<size_t>(end_ - cursor_))) return false;
    name = Str(reinterpret_cast<const char*>(cursor_), static_cast<uint32_t>(size));
    cursor_ += size;
    return true;
  }

  void* Allocate(size_t bytes) {
    const size_t size = AlignUp(bytes == 0 ? 1 : bytes, 8);
    void* p = arena_.AllocatePersistent(size, 8);
    if (p == nullptr && status_ == Status::kOk) {
      // Not even one step's parameters fit: the total is not known yet.
      status_ = errors_.Report(Status::kOutOfMemory,
                               "arena too small: this model needs more than %zu bytes, the "
                               "arena has %zu",
                               activation_bytes_ + allocated_ + size, arena_.size());
    }
    allocated_ += p != nullptr ? size : 0;
    return p;
  }
  // Bytes allocated so far (released ones included: the measuring pass).
  size_t allocated() const { return allocated_; }
  bool AtEnd() const { return cursor_ == end_; }
  template <typename T>
  T* NewArray(size_t count) {
    void* p = Allocate(sizeof(T) * count);
    if (p == nullptr) return nullptr;
    T* array = static_cast<T*>(p);
    for (size_t i = 0; i < count; ++i) new (&array[i]) T();
    return array;
  }

  // A reference to `bytes` bytes aligned to `align`: into the activations,
  // into the covered model bytes (read-only) or embedded in the plan.
  bool Ref(const void** data, int64_t bytes, size_t align, bool optional, bool writable) {
    uint64_t tag;
    if (!Unsigned(tag)) return false;
    if (tag == kRefNull) {
      *data = nullptr;
      return Check(optional, "reference (a required one is empty)");
    }
    size_t offset;
    if (!Check(bytes >= 0 && bytes <= kMaxTensorBytes, "tensor size") ||
        !Size(offset, kMaxTensorBytes)) {
      return false;
    }
    const size_t size = static_cast<size_t>(bytes);
    if (tag == kRefArena) {
      *data = arena_.base() + offset;
      return Check(size <= activation_bytes_ && offset <= activation_bytes_ - size,
                   "activation offset") &&
             Check(offset % align == 0, "activation alignment");
    }
    if (tag == kRefModel) {
      *data = model_ + offset;
      return Check(!writable, "output (in the model bytes)") &&
             Check(size <= covered_ && offset <= covered_ - size, "model offset") &&
             Check(reinterpret_cast<uintptr_t>(*data) % align == 0,
                   "weight alignment (the model bytes must be 16-byte aligned)");
    }
    // Embedded: `offset` is the length, the bytes follow.
    if (!Check(tag == kRefEmbedded && !writable && offset == size, "reference") ||
        !Check(static_cast<size_t>(end_ - cursor_) >= size, "embedded table")) {
      return false;
    }
    void* copy = Allocate(size);
    if (copy == nullptr) return false;
    std::memcpy(copy, cursor_, size);
    cursor_ += size;
    *data = copy;
    return true;
  }
  template <typename T>
  bool Table(const T*& table, int64_t count, bool optional) {
    const void* data;
    if (!Ref(&data, count * static_cast<int64_t>(sizeof(T)), alignof(T), optional, false)) {
      return false;
    }
    table = static_cast<const T*>(data);
    return true;
  }
  // A graph input's or output's buffer: in the activations.
  bool Buffer(void*& raw, int64_t bytes, size_t align) {
    const void* data;
    if (!Ref(&data, bytes, align, false, true)) return false;
    raw = const_cast<void*>(data);
    return true;
  }
  bool Input(int index, int64_t bytes, size_t align) {
    step_input_bytes_[index] = bytes;
    return Ref(const_cast<const void**>(&step_inputs_[index]), bytes, align, false, false);
  }
  // The visitors read a step's inputs before its output.
  bool Output(int index, int64_t bytes, size_t align = 1) {
    const void* data;
    if (!Ref(&data, bytes, align, false, true)) return false;
    step_outputs_[index] = const_cast<void*>(data);
    return Check(!OverlapsAnInput(data, bytes), "output (it overlaps an input)");
  }
  // No plan kernel runs in place (the planner gives a step's output its own
  // buffer), and some read an input again after writing (Softmax indexes its
  // table by values it read before), so an overlap is a damaged plan.
  bool OverlapsAnInput(const void* output, int64_t bytes) const {
    const uintptr_t out = reinterpret_cast<uintptr_t>(output);
    for (int i = 0; i < kStepInputs; ++i) {
      const uintptr_t in = reinterpret_cast<uintptr_t>(step_inputs_[i]);
      if (in != 0 && in < out + static_cast<uint64_t>(bytes) &&
          out < in + static_cast<uint64_t>(step_input_bytes_[i])) {
        return true;
      }
    }
    return false;
  }
  template <typename T>
  T* Params() {
    T* p = NewArray<T>(1);
    params_ = p;
    return p;
  }

  // The step's pointer tables (filled by Input and Output) and parameters.
  const void** step_inputs_ = nullptr;
  void** step_outputs_ = nullptr;
  void* params_ = nullptr;
  int64_t step_input_bytes_[kStepInputs] = {};
  size_t activation_bytes_ = 0;
  size_t allocated_ = 0;

 private:
  const uint8_t* cursor_;
  const uint8_t* end_;
  const uint8_t* model_;
  size_t covered_;
  Arena& arena_;
  ErrorReporter& errors_;
  Status status_ = Status::kOk;
};

}  // namespace

PlanInterpreter::PlanInterpreter(const void* model, size_t model_size, void* arena,
                                 size_t arena_size, const PlanKernelSet& kernels)
    : model_(static_cast<const uint8_t*>(model)),
      model_size_(model_size),
      arena_(arena, arena_size),
      kernels_(kernels) {}

Status PlanInterpreter::FindPlan(const uint8_t** plan, size_t* plan_size, size_t* plan_start) {
  const PlanEntry entry = FindPlanEntry(model_, model_size_);
  if (entry.found) {
    *plan = entry.plan.data;
    *plan_size = entry.plan.size;
    *plan_start = entry.start;
    return Status::kOk;
  }
  if (entry.malformed) {
    return errors_.Report(Status::kInvalidModel, "malformed ModelProto at byte %zu",
                          entry.malformed_at);
  }
  return errors_.Report(Status::kUnsupported,
                        "the model has no compiled plan (metadata '%s'): compile it on the PC "
                        "with `tinyonnx compile`, or load it with the Interpreter",
                        kPlanKey);
}

Status PlanInterpreter::Load(const uint8_t* plan, size_t plan_size, size_t covered, bool keep) {
  PlanDecoder in(plan, plan_size, model_, covered, arena_, errors_);
  size_t declared_cover;
  uint64_t crc;
  size_t activation_bytes;
  size_t inputs;
  size_t outputs;
  size_t steps;
  if (!in.Magic() || !in.Size(declared_cover, covered) || !in.Unsigned(crc) ||
      !in.Size(activation_bytes, kMaxTensorBytes) || !in.Size(inputs, kMaxPlanTensors) ||
      !in.Size(outputs, kMaxPlanTensors) || !in.Size(steps, kMaxPlanSteps)) {
    return in.status();
  }
  // Once, in the measuring pass (which runs first): a plan for other bytes
  // is reported as such even when the arena is also too small.
  if (!keep && Crc32(model_, declared_cover) != crc) {
    return errors_.Report(Status::kInvalidModel,
                          "the plan was compiled for other model bytes (CRC-32 of the first %zu "
                          "bytes differs): compile this model again",
                          declared_cover);
  }
  in.activation_bytes_ = activation_bytes;
  const size_t scratch_offset = AlignUp(activation_bytes, kBufferAlignment);
  io_ = in.NewArray<TensorRef>(inputs + outputs);
  plan_.steps = in.NewArray<Step>(steps);
  step_defs_ = in.NewArray<const PlanKernelDef*>(steps);
  if (io_ == nullptr || plan_.steps == nullptr || step_defs_ == nullptr) return in.status();
  for (size_t t = 0; t < inputs + outputs; ++t) {
    if (!VisitTensor(in, io_[t])) return in.status();
  }
  size_t scratch_bytes = 0;
  for (size_t s = 0; s < steps; ++s) {
    const size_t mark = arena_.PersistentMark();
    Step& step = plan_.steps[s];
    int32_t id;
    in.step_inputs_ = in.NewArray<const void*>(kStepInputs);
    in.step_outputs_ = in.NewArray<void*>(1);
    if (in.step_inputs_ == nullptr || in.step_outputs_ == nullptr || !in.Int(id) ||
        !in.Check(id >= 1 && id <= kPlanKernelCount, "kernel number") ||
        !VisitStep(in, static_cast<PlanKernel>(id))) {
      errors_.Prefix("step %u: ", static_cast<unsigned>(s));
      return in.status();
    }
    const PlanKernel kernel = static_cast<PlanKernel>(id);
    PlanKernelChoice choice;
    for (uint32_t d = 0; d < kernels_.count && choice.fn == nullptr; ++d) {
      if (kernels_.defs[d]->kernel != kernel) continue;
      choice = kernels_.defs[d]->pick(in.params_);
      step_defs_[s] = kernels_.defs[d];
    }
    if (choice.fn == nullptr) {
      return errors_.Report(Status::kUnsupported,
                            "step %u (%s): no kernel of this build covers its parameters (add "
                            "the portable kernel to the PlanKernelSet)",
                            static_cast<unsigned>(s), PlanKernelName(kernel));
    }
    if (choice.scratch_bytes > scratch_bytes) scratch_bytes = choice.scratch_bytes;
    if (choice.scratch_slot != nullptr) *choice.scratch_slot = arena_.base() + scratch_offset;
    step.kernel = choice.fn;
    step.params = choice.params;
    step.inputs = in.step_inputs_;
    step.outputs = in.step_outputs_;
    step.node = static_cast<int32_t>(s);
    if (!keep) arena_.ReleasePersistent(mark);
  }
  if (!in.Check(in.AtEnd(), "length (bytes follow its last step)")) return in.status();
  memory_.activation_bytes = scratch_offset + scratch_bytes;
  memory_.lower_bound = activation_bytes;
  memory_.persistent_bytes = in.allocated();
  // Any arena of this size works: its start is aligned up to 16 bytes
  // (Arena) and the persistent region's top down to 8.
  memory_.required_bytes = memory_.activation_bytes + memory_.persistent_bytes + kBufferAlignment + 8;
  memory_.prepare_peak_bytes = memory_.required_bytes;
  const size_t top_padding = arena_.size() % 8;
  if (memory_.activation_bytes + memory_.persistent_bytes + top_padding > arena_.size()) {
    return errors_.Report(Status::kOutOfMemory,
                          "arena too small: this model needs %zu bytes (activations and scratch "
                          "%zu + persistent %zu), the arena has %zu",
                          memory_.required_bytes, memory_.activation_bytes,
                          memory_.persistent_bytes, arena_.size());
  }
  plan_.step_count = static_cast<uint32_t>(steps);
  input_count_ = static_cast<uint32_t>(inputs);
  output_count_ = static_cast<uint32_t>(outputs);
  return Status::kOk;
}

Status PlanInterpreter::Prepare() {
  if (prepared_) return errors_.Report(Status::kInvalidArgument, "Prepare() was already called");
  if (model_ == nullptr || arena_.base() == nullptr) {
    return errors_.Report(Status::kInvalidArgument, "no model bytes or no arena given");
  }
  errors_.Clear();
  const uint8_t* plan = nullptr;
  size_t plan_size = 0;
  size_t covered = 0;
  TINYONNX_RETURN_IF_ERROR(FindPlan(&plan, &plan_size, &covered));
  // First measure (each step's parameters released after it is read), so a
  // small arena is reported with the size it needs, then keep.
  const size_t start = arena_.PersistentMark();
  Status status = Load(plan, plan_size, covered, false);
  arena_.ReleasePersistent(start);
  if (status == Status::kOk) status = Load(plan, plan_size, covered, true);
  if (status != Status::kOk) {
    arena_.ReleasePersistent(start);
    plan_ = ExecutionPlan();
    input_count_ = output_count_ = 0;
    return status;
  }
  prepared_ = true;
  return Status::kOk;
}

Status PlanInterpreter::Invoke() {
  if (!prepared_) return errors_.Report(Status::kInvalidArgument, "Invoke() before Prepare()");
  for (uint32_t s = 0; s < plan_.step_count; ++s) InvokeStep(s);
  return Status::kOk;
}

TensorRef PlanInterpreter::input(uint32_t index) const {
  return prepared_ && index < input_count_ ? io_[index] : TensorRef();
}

TensorRef PlanInterpreter::output(uint32_t index) const {
  return prepared_ && index < output_count_ ? io_[input_count_ + index] : TensorRef();
}

}  // namespace tinyonnx
