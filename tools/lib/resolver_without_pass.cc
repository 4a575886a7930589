#include "resolver_without_pass.h"

namespace tinyonnx::tools {

ResolverWithoutPass::ResolverWithoutPass(const OpResolver& base, const GraphPass* pass) {
  copies_.reserve(base.count);  // ops_ points into it
  for (size_t k = 0; k < base.count; ++k) {
    const OpDef* op = base.ops[k];
    if (op->pass == pass) {
      copies_.push_back(*op);
      copies_.back().pass = nullptr;
      op = &copies_.back();
    }
    ops_.push_back(op);
  }
  resolver_ = OpResolver{ops_.data(), ops_.size()};
}

}  // namespace tinyonnx::tools
