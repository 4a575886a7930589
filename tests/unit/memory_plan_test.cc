#include "tinyonnx/plan/memory_plan.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

namespace tinyonnx {
namespace {

class MemoryPlanTest : public ::testing::Test {
 protected:
  MemoryPlan Plan(const std::vector<BufferRequest>& buffers) {
    offsets_.assign(buffers.size(), 0);
    MemoryPlan plan;
    EXPECT_EQ(PlanMemory(buffers.data(), static_cast<uint32_t>(buffers.size()), arena_, errors_,
                         offsets_.data(), &plan),
              Status::kOk);
    return plan;
  }
  uint8_t memory_[1 << 16];
  Arena arena_{memory_, sizeof(memory_)};
  ErrorReporter errors_;
  std::vector<size_t> offsets_;
};

TEST_F(MemoryPlanTest, ChainReusesMemory) {
  // a -> b -> c -> d: each buffer lives while it is written and read.
  std::vector<BufferRequest> chain = {{1024, 0, 1}, {2048, 1, 2}, {1024, 2, 3}, {512, 3, 3}};
  MemoryPlan plan = Plan(chain);
  EXPECT_EQ(plan.lower_bound, 3072u);
  EXPECT_EQ(plan.peak_bytes, 3072u);
  EXPECT_EQ(offsets_[0], offsets_[2]);  // a and c never live together
}

TEST_F(MemoryPlanTest, NeverOverlapsLiveBuffersAndMeetsBoundOnRandomSets) {
  std::mt19937 rng(7);
  for (int trial = 0; trial < 200; ++trial) {
    std::vector<BufferRequest> buffers(1 + rng() % 24);
    for (BufferRequest& b : buffers) {
      b.size = 1 + rng() % 4000;
      b.first_step = static_cast<int32_t>(rng() % 20);
      b.last_step = b.first_step + static_cast<int32_t>(rng() % 6);
    }
    MemoryPlan plan = Plan(buffers);
    for (size_t i = 0; i < buffers.size(); ++i) {
      EXPECT_EQ(offsets_[i] % kBufferAlignment, 0u);
      EXPECT_LE(offsets_[i] + buffers[i].size, plan.peak_bytes);
      for (size_t j = i + 1; j < buffers.size(); ++j) {
        bool live_together = buffers[i].first_step <= buffers[j].last_step &&
                             buffers[j].first_step <= buffers[i].last_step;
        bool disjoint = offsets_[i] + buffers[i].size <= offsets_[j] ||
                        offsets_[j] + buffers[j].size <= offsets_[i];
        EXPECT_TRUE(!live_together || disjoint) << "trial " << trial << " buffers " << i << ", " << j;
      }
    }
    EXPECT_GE(plan.peak_bytes, plan.lower_bound);
  }
}

TEST_F(MemoryPlanTest, LowerBoundIsLargestLiveSum) {
  std::vector<BufferRequest> buffers = {{100, 0, 0}, {300, 0, 2}, {50, 1, 1}, {400, 2, 2}};
  EXPECT_EQ(Plan(buffers).lower_bound, 700u);
}

TEST_F(MemoryPlanTest, ReportsWhenTempMemoryIsTooSmall) {
  uint8_t tiny[8];
  Arena small(tiny, sizeof(tiny));
  std::vector<BufferRequest> buffers(64, BufferRequest{16, 0, 0});
  std::vector<size_t> offsets(64);
  MemoryPlan plan;
  EXPECT_EQ(PlanMemory(buffers.data(), 64, small, errors_, offsets.data(), &plan), Status::kOutOfMemory);
  EXPECT_NE(std::string(errors_.message()).find("arena too small"), std::string::npos);
}

}  // namespace
}  // namespace tinyonnx
