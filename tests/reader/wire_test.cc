// Edge cases of the protobuf wire reader, on bytes written out by hand.
// A tag byte is (field_number << 3) | wire_type.

#include "tinyonnx/onnx/wire.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "tinyonnx/onnx/model_view.h"

namespace tinyonnx {
namespace {

using ByteString = std::vector<uint8_t>;

bool DecodeVarint(const ByteString& bytes, uint64_t* value, size_t* consumed) {
  const uint8_t* cursor = bytes.data();
  bool ok = ReadVarint(&cursor, bytes.data() + bytes.size(), value);
  *consumed = static_cast<size_t>(cursor - bytes.data());
  return ok;
}

// Reads every field; returns whether the reader stopped on an error.
bool ReadsToError(const ByteString& message) {
  WireReader reader(message.data(), message.size());
  while (reader.Next()) {
  }
  return reader.error();
}

std::vector<uint64_t> DecodeRepeated(const ByteString& message, uint32_t field,
                                     ScalarEncoding encoding, bool* error) {
  Bytes bytes;
  bytes.data = message.data();
  bytes.size = static_cast<uint32_t>(message.size());
  RepeatedScalar values(bytes, field, encoding);
  std::vector<uint64_t> decoded;
  uint64_t raw;
  while (values.Next(&raw)) decoded.push_back(raw);
  *error = values.error();
  return decoded;
}

TEST(ReadVarint, DecodesOneAndTwoByteValues) {
  uint64_t value = 0;
  size_t consumed = 0;
  ASSERT_TRUE(DecodeVarint({0x05}, &value, &consumed));
  EXPECT_EQ(value, 5u);
  EXPECT_EQ(consumed, 1u);
  ASSERT_TRUE(DecodeVarint({0xAC, 0x02}, &value, &consumed));  // 300
  EXPECT_EQ(value, 300u);
  EXPECT_EQ(consumed, 2u);
}

TEST(ReadVarint, DecodesTheLargestTenByteValue) {
  uint64_t value = 0;
  size_t consumed = 0;
  ByteString max = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01};
  ASSERT_TRUE(DecodeVarint(max, &value, &consumed));
  EXPECT_EQ(value, UINT64_MAX);
  EXPECT_EQ(consumed, 10u);
}

TEST(ReadVarint, RejectsTruncatedValueWithoutMovingTheCursor) {
  uint64_t value = 0;
  size_t consumed = 0;
  EXPECT_FALSE(DecodeVarint({}, &value, &consumed));
  EXPECT_FALSE(DecodeVarint({0x80}, &value, &consumed));
  EXPECT_FALSE(DecodeVarint({0xFF, 0xFF, 0x80}, &value, &consumed));
  EXPECT_EQ(consumed, 0u);
}

TEST(ReadVarint, RejectsElevenByteValue) {
  uint64_t value = 0;
  size_t consumed = 0;
  ByteString eleven = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01};
  EXPECT_FALSE(DecodeVarint(eleven, &value, &consumed));
}

TEST(WireReader, ReadsEachWireType) {
  const ByteString message = {
      0x08, 0x96, 0x01,                                // field 1 varint 150
      0x11, 1, 2, 3, 4, 5, 6, 7, 8,                    // field 2 fixed64
      0x1A, 0x03, 'a', 'b', 'c',                       // field 3 "abc"
      0x25, 0x00, 0x00, 0x80, 0x3F,                    // field 4 fixed32 1.0f
  };
  WireReader reader(message.data(), message.size());
  ASSERT_TRUE(reader.Next());
  EXPECT_EQ(reader.field(), 1u);
  EXPECT_EQ(reader.wire_type(), WireType::kVarint);
  EXPECT_EQ(reader.varint(), 150u);
  ASSERT_TRUE(reader.Next());
  EXPECT_EQ(reader.wire_type(), WireType::kFixed64);
  EXPECT_EQ(reader.fixed64(), 0x0807060504030201u);
  ASSERT_TRUE(reader.Next());
  EXPECT_EQ(reader.wire_type(), WireType::kLengthDelimited);
  EXPECT_TRUE(reader.str() == "abc");
  ASSERT_TRUE(reader.Next());
  EXPECT_EQ(reader.field(), 4u);
  EXPECT_EQ(reader.float32(), 1.0f);
  EXPECT_FALSE(reader.Next());
  EXPECT_FALSE(reader.error());
}

TEST(WireReader, RejectsTruncatedTagAndPayloads) {
  EXPECT_TRUE(ReadsToError({0x88}));              // tag varint cut short
  EXPECT_TRUE(ReadsToError({0x08}));              // varint payload missing
  EXPECT_TRUE(ReadsToError({0x08, 0x80}));        // varint payload cut short
  EXPECT_TRUE(ReadsToError({0x0D, 1, 2, 3}));     // fixed32 with 3 bytes
  EXPECT_TRUE(ReadsToError({0x09, 1, 2, 3, 4}));  // fixed64 with 4 bytes
}

TEST(WireReader, RejectsLengthPastTheEnd) {
  EXPECT_TRUE(ReadsToError({0x0A, 0x05, 'a', 'b'}));
  // A length near 2^64 must not wrap the cursor around.
  EXPECT_TRUE(ReadsToError({0x0A, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01}));
  EXPECT_FALSE(ReadsToError({0x0A, 0x02, 'a', 'b'}));
}

TEST(WireReader, RejectsGroupsAndInvalidWireTypes) {
  EXPECT_TRUE(ReadsToError({0x0B, 0x0C}));  // field 1 start group, end group
  EXPECT_TRUE(ReadsToError({0x0C}));        // field 1 end group
  EXPECT_TRUE(ReadsToError({0x0E, 0x00}));  // wire type 6
  EXPECT_TRUE(ReadsToError({0x0F, 0x00}));  // wire type 7
}

TEST(WireReader, RejectsFieldNumberZero) {
  EXPECT_TRUE(ReadsToError({0x00, 0x01}));        // field 0 varint
  EXPECT_TRUE(ReadsToError({0x02, 0x00}));        // field 0 length-delimited
  EXPECT_FALSE(ReadsToError({0x08, 0x01}));       // field 1 is fine
}

TEST(WireReader, StaysAtTheEndAfterAnError) {
  const ByteString message = {0x08, 0x01, 0x0B, 0x08, 0x02};
  WireReader reader(message.data(), message.size());
  ASSERT_TRUE(reader.Next());
  EXPECT_FALSE(reader.Next());
  EXPECT_TRUE(reader.error());
  EXPECT_FALSE(reader.Next());
}

// AttributeProto.ints is field 8: unpacked elements are tagged 0x40 (varint),
// a packed run 0x42 (length-delimited).
TEST(RepeatedScalar, DecodesUnpackedInts) {
  const ByteString message = {0x40, 0x01, 0x40, 0xAC, 0x02, 0x40, 0x03};
  bool error = true;
  EXPECT_EQ(DecodeRepeated(message, 8, ScalarEncoding::kVarint, &error),
            (std::vector<uint64_t>{1, 300, 3}));
  EXPECT_FALSE(error);
}

TEST(RepeatedScalar, DecodesPackedInts) {
  const ByteString message = {0x42, 0x04, 0x01, 0xAC, 0x02, 0x03};
  bool error = true;
  EXPECT_EQ(DecodeRepeated(message, 8, ScalarEncoding::kVarint, &error),
            (std::vector<uint64_t>{1, 300, 3}));
  EXPECT_FALSE(error);
}

TEST(RepeatedScalar, DecodesMixedRunsInOrderAndSkipsOtherFields) {
  const ByteString message = {
      0x42, 0x02, 0x01, 0x02,        // packed 1, 2
      0x0A, 0x01, 'x',               // field 1 (name) in between
      0x40, 0x03,                    // unpacked 3
      0x42, 0x00,                    // empty packed run
      0x40, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01,  // -1
  };
  bool error = true;
  std::vector<uint64_t> decoded = DecodeRepeated(message, 8, ScalarEncoding::kVarint, &error);
  EXPECT_FALSE(error);
  ASSERT_EQ(decoded.size(), 4u);
  EXPECT_EQ(decoded[2], 3u);
  EXPECT_EQ(static_cast<int64_t>(decoded[3]), -1);

  Bytes bytes;
  bytes.data = message.data();
  bytes.size = static_cast<uint32_t>(message.size());
  uint32_t count = 0;
  EXPECT_TRUE(CountRepeatedScalar(bytes, 8, ScalarEncoding::kVarint, &count));
  EXPECT_EQ(count, 4u);
}

// AttributeProto.floats is field 7: unpacked 0x3D (fixed32), packed 0x3A.
TEST(RepeatedScalar, DecodesPackedAndUnpackedFloats) {
  const ByteString message = {
      0x3A, 0x08, 0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x00, 0x40,  // packed 1.0f, 2.0f
      0x3D, 0x00, 0x00, 0x40, 0x40,                                // unpacked 3.0f
  };
  bool error = true;
  EXPECT_EQ(DecodeRepeated(message, 7, ScalarEncoding::kFixed32, &error),
            (std::vector<uint64_t>{0x3F800000u, 0x40000000u, 0x40400000u}));
  EXPECT_FALSE(error);
}

TEST(RepeatedScalar, RejectsPartialPackedElement) {
  bool error = false;
  DecodeRepeated({0x3A, 0x03, 0x00, 0x00, 0x80}, 7, ScalarEncoding::kFixed32, &error);
  EXPECT_TRUE(error);
  DecodeRepeated({0x42, 0x01, 0x80}, 8, ScalarEncoding::kVarint, &error);
  EXPECT_TRUE(error);
}

TEST(RepeatedScalar, RejectsUnpackedElementOfTheWrongWireType) {
  bool error = false;
  // floats (field 7) as a varint.
  DecodeRepeated({0x38, 0x01}, 7, ScalarEncoding::kFixed32, &error);
  EXPECT_TRUE(error);
}

}  // namespace
}  // namespace tinyonnx
