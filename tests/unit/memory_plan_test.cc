#include "tinyonnx/plan/memory_plan.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <utility>
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

std::vector<BufferRequest> RandomBuffers(std::mt19937& rng, size_t least) {
  std::vector<BufferRequest> buffers(least + rng() % 24);
  for (BufferRequest& b : buffers) {
    b.size = 1 + rng() % 4000;
    b.first_step = static_cast<int32_t>(rng() % 20);
    b.last_step = b.first_step + static_cast<int32_t>(rng() % 6);
  }
  return buffers;
}

// Every buffer aligned and below the peak; buffers alive at the same step
// disjoint unless `shared(i, j)` (a tie); the peak at least the bound.
template <typename Shared>
void ExpectValidPlan(const std::vector<BufferRequest>& buffers, const std::vector<size_t>& offsets,
                     const MemoryPlan& plan, Shared&& shared) {
  for (size_t i = 0; i < buffers.size(); ++i) {
    EXPECT_EQ(offsets[i] % kBufferAlignment, 0u);
    EXPECT_LE(offsets[i] + buffers[i].size, plan.peak_bytes);
    for (size_t j = i + 1; j < buffers.size(); ++j) {
      bool live_together = buffers[i].first_step <= buffers[j].last_step &&
                           buffers[j].first_step <= buffers[i].last_step;
      bool disjoint = offsets[i] + buffers[i].size <= offsets[j] ||
                      offsets[j] + buffers[j].size <= offsets[i];
      EXPECT_TRUE(!live_together || disjoint || shared(i, j)) << "buffers " << i << ", " << j;
    }
  }
  EXPECT_GE(plan.peak_bytes, plan.lower_bound);
}

TEST_F(MemoryPlanTest, NeverOverlapsLiveBuffersAndMeetsBoundOnRandomSets) {
  std::mt19937 rng(7);
  for (int trial = 0; trial < 200; ++trial) {
    SCOPED_TRACE(trial);
    std::vector<BufferRequest> buffers = RandomBuffers(rng, 1);
    MemoryPlan plan = Plan(buffers);
    ExpectValidPlan(buffers, offsets_, plan, [](size_t, size_t) { return false; });
  }
}

// The demo CNN's first layer: the image (3,136 bytes, read by step 0) tied
// 2,080 bytes above the pooled Conv output written over it (2,704 bytes,
// read by step 1 with an 800-byte output).
TEST_F(MemoryPlanTest, TiedBufferSitsAtItsOffsetAboveTheOther) {
  std::vector<BufferRequest> buffers = {{3136, 0, 0}, {2704, 0, 1}, {800, 1, 1}};
  buffers[0].tied_to = 1;
  buffers[0].tie_offset = 2080;
  MemoryPlan plan = Plan(buffers);
  EXPECT_EQ(offsets_[0], offsets_[1] + 2080);
  EXPECT_EQ(plan.peak_bytes, 2080u + 3136u);
  EXPECT_EQ(plan.lower_bound, 2080u + 3136u);
  EXPECT_TRUE(offsets_[2] >= offsets_[1] + 2704 || offsets_[2] + 800 <= offsets_[1]);
}

TEST_F(MemoryPlanTest, TiesKeepTheirOffsetsAndOthersAvoidThemOnRandomSets) {
  std::mt19937 rng(11);
  for (int trial = 0; trial < 200; ++trial) {
    SCOPED_TRACE(trial);
    std::vector<BufferRequest> buffers = RandomBuffers(rng, 2);
    // Disjoint pairs (2k+1 tied above 2k): an input read last at the step
    // that writes the output, at a gap smaller than the output.
    std::vector<std::pair<size_t, size_t>> ties;
    for (size_t k = 0; k + 1 < buffers.size(); k += 2) {
      if (rng() % 2 == 0) continue;
      BufferRequest& lower = buffers[k];
      BufferRequest& upper = buffers[k + 1];
      upper.last_step = lower.first_step;
      upper.first_step = std::max(0, lower.first_step - static_cast<int32_t>(rng() % 3));
      upper.tied_to = static_cast<int32_t>(k);
      upper.tie_offset = (rng() % (lower.size / kBufferAlignment + 1)) * kBufferAlignment;
      ties.emplace_back(k, k + 1);
    }
    MemoryPlan plan = Plan(buffers);
    for (const auto& t : ties) {
      EXPECT_EQ(offsets_[t.second], offsets_[t.first] + buffers[t.second].tie_offset);
    }
    ExpectValidPlan(buffers, offsets_, plan, [&](size_t i, size_t j) {
      for (const auto& t : ties) {
        if (t.first == i && t.second == j) return true;
      }
      return false;
    });
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
