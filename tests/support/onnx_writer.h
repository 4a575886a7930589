// Test-only builder of ONNX model bytes, so tests can state small models
// (and malformed ones) inline. Writes the protobuf wire format directly.
#pragma once

#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <string>
#include <vector>

namespace tinyonnx::testing {

// The bytes of `values` as raw tensor data (RawInitializer).
template <typename T>
std::string RawBytes(const std::vector<T>& values) {
  std::string raw(values.size() * sizeof(T), '\0');
  if (!values.empty()) std::memcpy(&raw[0], values.data(), raw.size());
  return raw;
}

class ProtoWriter {
 public:
  ProtoWriter& Varint(uint32_t field, uint64_t value) {
    Tag(field, 0);
    PutVarint(value);
    return *this;
  }
  ProtoWriter& Fixed32(uint32_t field, float value) {
    Tag(field, 5);
    uint32_t bits;
    std::memcpy(&bits, &value, 4);
    for (int i = 0; i < 4; ++i) out_ += static_cast<char>(bits >> (8 * i));
    return *this;
  }
  ProtoWriter& Bytes(uint32_t field, const std::string& bytes) {
    Tag(field, 2);
    PutVarint(bytes.size());
    out_ += bytes;
    return *this;
  }
  ProtoWriter& Message(uint32_t field, const ProtoWriter& message) { return Bytes(field, message.str()); }
  const std::string& str() const { return out_; }

 private:
  void Tag(uint32_t field, int wire_type) { PutVarint(uint64_t{field} << 3 | static_cast<uint64_t>(wire_type)); }
  void PutVarint(uint64_t v) {
    while (v >= 0x80) {
      out_ += static_cast<char>(v | 0x80);
      v >>= 7;
    }
    out_ += static_cast<char>(v);
  }
  std::string out_;
};

struct Attr {
  ProtoWriter proto;
  static Attr Int(const std::string& name, int64_t v) {
    Attr a;
    a.proto.Bytes(1, name).Varint(20, 2).Varint(3, static_cast<uint64_t>(v));
    return a;
  }
  static Attr Float(const std::string& name, float v) {
    Attr a;
    a.proto.Bytes(1, name).Varint(20, 1).Fixed32(2, v);
    return a;
  }
  static Attr String(const std::string& name, const std::string& v) {
    Attr a;
    a.proto.Bytes(1, name).Varint(20, 3).Bytes(4, v);
    return a;
  }
  static Attr Ints(const std::string& name, const std::vector<int64_t>& v) {
    Attr a;
    a.proto.Bytes(1, name).Varint(20, 7);
    for (int64_t x : v) a.proto.Varint(8, static_cast<uint64_t>(x));
    return a;
  }
  static Attr Floats(const std::string& name, std::initializer_list<float> v) {
    Attr a;
    a.proto.Bytes(1, name).Varint(20, 6);
    for (float x : v) a.proto.Fixed32(7, x);
    return a;
  }
};

// ONNX data_type numbers.
enum : int { kFloat = 1, kUint8 = 2, kInt8 = 3, kInt32 = 6, kInt64 = 7, kBool = 9 };

class GraphWriter {
 public:
  // dims: -1 writes a symbolic dimension named by `dim_param`.
  GraphWriter& Input(const std::string& name, int dtype, std::vector<int64_t> dims,
                     const std::string& dim_param = "N") {
    graph_.Message(11, ValueInfo(name, dtype, dims, dim_param));
    return *this;
  }
  GraphWriter& Output(const std::string& name, int dtype = kFloat) {
    ProtoWriter v;
    v.Bytes(1, name).Message(2, ProtoWriter().Message(1, ProtoWriter().Varint(1, dtype)));
    graph_.Message(12, v);
    return *this;
  }
  GraphWriter& Initializer(const std::string& name, std::vector<int64_t> dims, std::vector<float> values) {
    return RawInitializer(name, kFloat, dims, RawBytes(values));
  }
  GraphWriter& Int64Initializer(const std::string& name, std::vector<int64_t> dims, std::vector<int64_t> values) {
    return RawInitializer(name, kInt64, dims, RawBytes(values));
  }
  GraphWriter& RawInitializer(const std::string& name, int dtype, std::vector<int64_t> dims, const std::string& raw) {
    ProtoWriter t;
    for (int64_t d : dims) t.Varint(1, static_cast<uint64_t>(d));
    t.Varint(2, dtype).Bytes(8, name).Bytes(9, raw);
    graph_.Message(5, t);
    return *this;
  }
  // An initializer whose bytes live in another file (data_location EXTERNAL).
  GraphWriter& ExternalInitializer(const std::string& name, int dtype, std::vector<int64_t> dims,
                                   const std::string& location) {
    ProtoWriter t;
    for (int64_t d : dims) t.Varint(1, static_cast<uint64_t>(d));
    t.Varint(2, dtype).Bytes(8, name);
    t.Message(13, ProtoWriter().Bytes(1, "location").Bytes(2, location)).Varint(14, 1);
    graph_.Message(5, t);
    return *this;
  }
  GraphWriter& Node(const std::string& op, std::vector<std::string> inputs, std::vector<std::string> outputs,
                    std::vector<Attr> attrs = {}, const std::string& name = "") {
    ProtoWriter n;
    for (const std::string& i : inputs) n.Bytes(1, i);
    for (const std::string& o : outputs) n.Bytes(2, o);
    n.Bytes(3, name.empty() ? op + "_" + std::to_string(++node_counter_) : name).Bytes(4, op);
    for (const Attr& a : attrs) n.Message(5, a.proto);
    graph_.Message(1, n);
    return *this;
  }
  // Appends any GraphProto field as it is (for malformed graphs).
  GraphWriter& Raw(uint32_t field, const ProtoWriter& message) {
    graph_.Message(field, message);
    return *this;
  }
  // The GraphProto bytes alone.
  const std::string& GraphBytes() const { return graph_.str(); }
  // The whole ModelProto.
  std::string Model(int64_t opset = 13, int64_t ir_version = 8) const {
    ProtoWriter m;
    m.Varint(1, static_cast<uint64_t>(ir_version)).Bytes(2, "tinyonnx-test");
    m.Message(7, ProtoWriter(graph_).Bytes(2, "test"));
    m.Message(8, ProtoWriter().Bytes(1, "").Varint(2, static_cast<uint64_t>(opset)));
    return m.str();
  }

 private:
  static ProtoWriter ValueInfo(const std::string& name, int dtype, const std::vector<int64_t>& dims,
                               const std::string& dim_param) {
    ProtoWriter shape;
    for (int64_t d : dims) {
      ProtoWriter dim;
      if (d >= 0) dim.Varint(1, static_cast<uint64_t>(d));
      else dim.Bytes(2, dim_param);
      shape.Message(1, dim);
    }
    ProtoWriter tensor;
    tensor.Varint(1, dtype).Message(2, shape);
    ProtoWriter v;
    v.Bytes(1, name).Message(2, ProtoWriter().Message(1, tensor));
    return v;
  }
  ProtoWriter graph_;
  int node_counter_ = 0;
};

}  // namespace tinyonnx::testing
