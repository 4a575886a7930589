// An op resolver like another but whose ops do not bring one graph pass
// (OpDef::pass). The quantizer prepares without FuseMaxPool: a MaxPool
// folded into its Conv would hide the Conv output it calibrates and the
// MaxPool node it writes back; tests compare fused and unfused runs.
#pragma once

#include <vector>

#include "tinyonnx/graph/op.h"

namespace tinyonnx::tools {

class ResolverWithoutPass {
 public:
  ResolverWithoutPass(const OpResolver& base, const GraphPass* pass);
  ResolverWithoutPass(const ResolverWithoutPass&) = delete;
  ResolverWithoutPass& operator=(const ResolverWithoutPass&) = delete;

  const OpResolver& resolver() const { return resolver_; }

 private:
  std::vector<OpDef> copies_;  // the ops that bring the pass, without it
  std::vector<const OpDef*> ops_;
  OpResolver resolver_;
};

}  // namespace tinyonnx::tools
