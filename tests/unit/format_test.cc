#include "tinyonnx/base/format.h"

#include <gtest/gtest.h>

#include "tinyonnx/base/status.h"

namespace tinyonnx {
namespace {

std::string F(const char* format, ...) {
  char buffer[128];
  va_list args;
  va_start(args, format);
  FormatV(buffer, sizeof(buffer), format, args);
  va_end(args);
  return buffer;
}

TEST(Format, Integers) {
  EXPECT_EQ(F("%d %i %u", -42, 7, 42u), "-42 7 42");
  EXPECT_EQ(F("%lld %llu", -9000000000LL, 18000000000ULL), "-9000000000 18000000000");
  EXPECT_EQ(F("%zu %x", size_t{123}, 255u), "123 ff");
  EXPECT_EQ(F("[%5d|%-4d]", 42, 7), "[   42|7   ]");
}

TEST(Format, Strings) {
  EXPECT_EQ(F("%s and %.*s", "abc", 2, "xyz"), "abc and xy");
  EXPECT_EQ(F("100%%"), "100%");
  EXPECT_EQ(F("%c", 'q'), "q");
}

TEST(Format, Floats) {
  EXPECT_EQ(F("%g", 1.5), "1.5");
  EXPECT_EQ(F("%g", 0.001), "0.001");
  EXPECT_EQ(F("%g", -250.0), "-250");
  EXPECT_EQ(F("%g", 1e-7), "1e-07");
  EXPECT_EQ(F("%g", 3.0e38), "3e+38");
}

TEST(Format, TruncatesAtCapacity) {
  char buffer[6];
  size_t n = Format(buffer, sizeof(buffer), "%s", "abcdefgh");
  EXPECT_EQ(n, 5u);
  EXPECT_STREQ(buffer, "abcde");
}

TEST(ErrorReporter, PrefixKeepsMessage) {
  ErrorReporter errors;
  Status status = errors.Report(Status::kUnsupported, "attribute '%s' is bad", "axis");
  EXPECT_EQ(status, Status::kUnsupported);
  errors.Prefix("node '%s' (%s): ", "n1", "Softmax");
  EXPECT_STREQ(errors.message(), "node 'n1' (Softmax): attribute 'axis' is bad");
}

}  // namespace
}  // namespace tinyonnx
