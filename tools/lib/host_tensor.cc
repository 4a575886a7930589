#include "host_tensor.h"

#include <cstring>
#include <fstream>
#include <iterator>
#include <sstream>

#include "tinyonnx/base/arena.h"
#include "tinyonnx/base/status.h"
#include "tinyonnx/graph/tensor_data.h"
#include "tinyonnx/onnx/model_view.h"

namespace tinyonnx::tools {

int64_t HostTensor::ElementCount() const {
  int64_t n = 1;
  for (int64_t d : dims) n *= d;
  return n;
}

std::string HostTensor::ShapeString() const {
  std::string s = "[";
  for (size_t i = 0; i < dims.size(); ++i) s += (i ? ", " : "") + std::to_string(dims[i]);
  return s + "]";
}

bool ReadFile(const std::string& path, std::vector<uint8_t>* bytes, std::string* error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *error = "cannot open " + path + ": " + std::strerror(errno);
    return false;
  }
  bytes->assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  if (in.bad()) {
    *error = "cannot read " + path;
    return false;
  }
  return true;
}

bool WriteFile(const std::string& path, const void* data, size_t size, std::string* error) {
  std::ofstream out(path, std::ios::binary);
  out.write(static_cast<const char*>(data), static_cast<std::streamsize>(size));
  if (!out) {
    *error = "cannot write " + path + ": " + std::strerror(errno);
    return false;
  }
  return true;
}

bool ParseTensorProto(const uint8_t* bytes, size_t size, HostTensor* tensor, std::string* error) {
  TensorView view;
  const char* problem = TensorView::Parse(Bytes{bytes, static_cast<uint32_t>(size)}, &view);
  if (problem != nullptr) {
    *error = problem;
    return false;
  }
  // Every element takes at least one byte of the message, so a claimed size
  // beyond that is malformed (and must not drive the allocation below).
  if (view.element_count > size) {
    *error = "tensor '" + std::string(view.name.data, view.name.size) + "' claims " +
             std::to_string(view.element_count) + " elements but the message has " +
             std::to_string(size) + " bytes";
    return false;
  }
  // Decode through the same code the core uses for initializers.
  std::vector<uint8_t> scratch(view.element_count * 8 + 64);
  Arena arena(scratch.data(), scratch.size());
  ErrorReporter errors;
  Value value;
  size_t copied = 0;
  if (MaterializeTensor(view, arena, errors, &value, &copied) != Status::kOk) {
    *error = errors.message();
    return false;
  }
  tensor->name.assign(view.name.data, view.name.size);
  tensor->dtype = value.dtype;
  tensor->dims.assign(view.dims, view.dims + view.rank);
  size_t n = static_cast<size_t>(value.ByteSize());
  const uint8_t* data = static_cast<const uint8_t*>(value.data);
  tensor->data.assign(data, data + n);
  return true;
}

bool ReadTensorProtoFile(const std::string& path, HostTensor* tensor, std::string* error) {
  std::vector<uint8_t> bytes;
  if (!ReadFile(path, &bytes, error)) return false;
  if (!ParseTensorProto(bytes.data(), bytes.size(), tensor, error)) {
    *error = path + ": " + *error;
    return false;
  }
  return true;
}

namespace {

struct NpyType {
  const char* descr;
  DType dtype;
};
constexpr NpyType kNpyTypes[] = {
    {"<f4", DType::kFloat},  {"<f8", DType::kDouble}, {"|i1", DType::kInt8},
    {"|u1", DType::kUint8},  {"<i2", DType::kInt16},  {"<u2", DType::kUint16},
    {"<i4", DType::kInt32},  {"<u4", DType::kUint32}, {"<i8", DType::kInt64},
    {"<u8", DType::kUint64}, {"|b1", DType::kBool},
};

// Extracts the value of 'key' from the npy header dict (a Python literal).
std::string HeaderField(const std::string& header, const std::string& key) {
  size_t at = header.find("'" + key + "'");
  if (at == std::string::npos) return "";
  at = header.find(':', at);
  if (at == std::string::npos) return "";
  size_t start = header.find_first_not_of(' ', at + 1);
  if (start == std::string::npos) return "";
  char open = header[start];
  if (open == '(') return header.substr(start, header.find(')', start) - start + 1);
  if (open == '\'') return header.substr(start + 1, header.find('\'', start + 1) - start - 1);
  return header.substr(start, header.find_first_of(",}", start) - start);
}

}  // namespace

bool ReadNpy(const std::string& path, HostTensor* tensor, std::string* error) {
  std::vector<uint8_t> bytes;
  if (!ReadFile(path, &bytes, error)) return false;
  auto fail = [&](const std::string& what) {
    *error = path + ": " + what;
    return false;
  };
  if (bytes.size() < 10 || std::memcmp(bytes.data(), "\x93NUMPY", 6) != 0) {
    return fail("not a .npy file");
  }
  int major = bytes[6];
  size_t header_length, header_start;
  if (major == 1) {
    header_length = bytes[8] | bytes[9] << 8;
    header_start = 10;
  } else if (bytes.size() >= 12) {
    header_length = bytes[8] | bytes[9] << 8 | bytes[10] << 16 | static_cast<size_t>(bytes[11]) << 24;
    header_start = 12;
  } else {
    return fail("truncated header");
  }
  if (header_start + header_length > bytes.size()) return fail("truncated header");
  std::string header(bytes.begin() + header_start, bytes.begin() + header_start + header_length);
  std::string descr = HeaderField(header, "descr");
  if (HeaderField(header, "fortran_order") != "False") return fail("Fortran order is not supported");
  tensor->dtype = DType::kUndefined;
  for (const NpyType& t : kNpyTypes) {
    if (descr == t.descr) tensor->dtype = t.dtype;
  }
  if (tensor->dtype == DType::kUndefined) return fail("unsupported dtype '" + descr + "'");
  std::string shape = HeaderField(header, "shape");
  tensor->dims.clear();
  std::stringstream items(shape.size() >= 2 ? shape.substr(1, shape.size() - 2) : "");
  std::string item;
  while (std::getline(items, item, ',')) {
    if (item.find_first_not_of(' ') == std::string::npos) continue;
    tensor->dims.push_back(std::stoll(item));
  }
  size_t expected = static_cast<size_t>(tensor->ElementCount()) * DTypeSize(tensor->dtype);
  size_t data_start = header_start + header_length;
  if (bytes.size() - data_start != expected) {
    return fail("holds " + std::to_string(bytes.size() - data_start) + " data bytes, shape " +
                tensor->ShapeString() + " needs " + std::to_string(expected));
  }
  tensor->data.assign(bytes.begin() + data_start, bytes.end());
  return true;
}

bool WriteNpy(const std::string& path, const HostTensor& tensor, std::string* error) {
  const char* descr = nullptr;
  for (const NpyType& t : kNpyTypes) {
    if (t.dtype == tensor.dtype) descr = t.descr;
  }
  if (descr == nullptr) {
    *error = std::string("cannot write dtype ") + DTypeName(tensor.dtype) + " to .npy";
    return false;
  }
  std::string shape = "(";
  for (size_t i = 0; i < tensor.dims.size(); ++i) shape += std::to_string(tensor.dims[i]) + ",";
  if (tensor.dims.size() > 1) shape.pop_back();
  shape += ")";
  std::string header = std::string("{'descr': '") + descr + "', 'fortran_order': False, 'shape': " +
                       shape + ", }";
  // Pad so the data starts on a 64-byte boundary, as NumPy does.
  size_t total = 10 + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header += '\n';
  std::string file = "\x93NUMPY";
  file += '\x01';
  file += '\x00';
  file += static_cast<char>(header.size() & 0xFF);
  file += static_cast<char>(header.size() >> 8);
  file += header;
  file.append(reinterpret_cast<const char*>(tensor.data.data()), tensor.data.size());
  return WriteFile(path, file.data(), file.size(), error);
}

bool ReadTensorFile(const std::string& path, HostTensor* tensor, std::string* error) {
  if (path.size() >= 4 && path.compare(path.size() - 4, 4, ".npy") == 0) {
    return ReadNpy(path, tensor, error);
  }
  return ReadTensorProtoFile(path, tensor, error);
}

}  // namespace tinyonnx::tools
