// Runs the ONNX backend node tests (Debian's libonnx-testdata) through
// tinyonnx: every case whose ops are all implemented must match the expected
// outputs (rtol 1e-3, atol 1e-5). Cases using an op tinyonnx lacks, or a
// feature it reports as unsupported, are skipped with the reason.
//
//   node_tests [--dir DIR] [--filter SUBSTRING] [--verbose] [--min-passed N]
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "host_tensor.h"
#include "session.h"
#include "tinyonnx/graph/builder.h"

namespace fs = std::filesystem;
using namespace tinyonnx;
using namespace tinyonnx::tools;

namespace {

constexpr double kRtol = 1e-3;
constexpr double kAtol = 1e-5;

enum class Outcome { kPassed, kFailed, kSkipped };

struct CaseResult {
  Outcome outcome;
  std::string reason;
};

template <typename T>
double ElementAsDouble(const HostTensor& t, int64_t i) {
  return static_cast<double>(t.as<T>()[i]);
}

double ReadElement(const HostTensor& t, int64_t i) {
  switch (t.dtype) {
    case DType::kFloat: return ElementAsDouble<float>(t, i);
    case DType::kDouble: return ElementAsDouble<double>(t, i);
    case DType::kInt8: return ElementAsDouble<int8_t>(t, i);
    case DType::kUint8: return ElementAsDouble<uint8_t>(t, i);
    case DType::kBool: return ElementAsDouble<uint8_t>(t, i);
    case DType::kInt16: return ElementAsDouble<int16_t>(t, i);
    case DType::kUint16: return ElementAsDouble<uint16_t>(t, i);
    case DType::kInt32: return ElementAsDouble<int32_t>(t, i);
    case DType::kUint32: return ElementAsDouble<uint32_t>(t, i);
    case DType::kInt64: return ElementAsDouble<int64_t>(t, i);
    case DType::kUint64: return ElementAsDouble<uint64_t>(t, i);
    default: return NAN;
  }
}

bool IsFloating(DType t) { return t == DType::kFloat || t == DType::kDouble; }

// Empty string when equal within tolerance, else what differs.
std::string Compare(const HostTensor& expected, const HostTensor& actual) {
  if (expected.dtype != actual.dtype) {
    return std::string("dtype ") + DTypeName(actual.dtype) + ", expected " + DTypeName(expected.dtype);
  }
  if (expected.dims != actual.dims) {
    return "shape " + actual.ShapeString() + ", expected " + expected.ShapeString();
  }
  for (int64_t i = 0; i < expected.ElementCount(); ++i) {
    double e = ReadElement(expected, i);
    double a = ReadElement(actual, i);
    bool equal;
    if (IsFloating(expected.dtype)) {
      equal = (std::isnan(e) && std::isnan(a)) || e == a ||
              std::fabs(a - e) <= kAtol + kRtol * std::fabs(e);
    } else if (expected.dtype == DType::kInt64 || expected.dtype == DType::kUint64) {
      equal = std::memcmp(expected.data.data() + i * 8, actual.data.data() + i * 8, 8) == 0;
    } else {
      equal = e == a;
    }
    if (!equal) {
      char text[160];
      std::snprintf(text, sizeof(text), "element %lld is %.9g, expected %.9g",
                    static_cast<long long>(i), a, e);
      return text;
    }
  }
  return "";
}

std::vector<fs::path> SortedFiles(const fs::path& dir, const std::string& prefix) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir)) {
    std::string name = entry.path().filename().string();
    if (name.rfind(prefix, 0) == 0 && entry.path().extension() == ".pb") files.push_back(entry.path());
  }
  // input_10 after input_9: sort by the number after the prefix.
  std::sort(files.begin(), files.end(), [&](const fs::path& a, const fs::path& b) {
    return std::stoi(a.stem().string().substr(prefix.size())) <
           std::stoi(b.stem().string().substr(prefix.size()));
  });
  return files;
}

CaseResult RunDataSet(const fs::path& model, const fs::path& data_set) {
  std::string error;
  std::vector<HostTensor> inputs, expected;
  for (const fs::path& file : SortedFiles(data_set, "input_")) {
    inputs.emplace_back();
    if (!ReadTensorProtoFile(file.string(), &inputs.back(), &error)) {
      return {Outcome::kSkipped, "test data: " + error};
    }
  }
  for (const fs::path& file : SortedFiles(data_set, "output_")) {
    expected.emplace_back();
    if (!ReadTensorProtoFile(file.string(), &expected.back(), &error)) {
      return {Outcome::kSkipped, "test data: " + error};
    }
  }
  Session session;
  if (!session.Load(model.string(), &error)) return {Outcome::kFailed, error};
  if (!session.Prepare(inputs, {}, &error, size_t{16} << 20)) return {Outcome::kFailed, error};
  if (!session.SetInputs(inputs, &error) || !session.Invoke(&error)) return {Outcome::kFailed, error};
  if (expected.size() != session.interpreter().output_count()) {
    return {Outcome::kFailed, "the model has " + std::to_string(session.interpreter().output_count()) +
                                  " outputs, the test expects " + std::to_string(expected.size())};
  }
  for (uint32_t o = 0; o < expected.size(); ++o) {
    std::string diff = Compare(expected[o], session.Output(o));
    if (!diff.empty()) return {Outcome::kFailed, "output " + std::to_string(o) + ": " + diff};
  }
  return {Outcome::kPassed, ""};
}

CaseResult RunCase(const fs::path& dir) {
  fs::path model = dir / "model.onnx";
  std::string error;
  std::vector<uint8_t> bytes;
  if (!ReadFile(model.string(), &bytes, &error)) return {Outcome::kFailed, error};
  // Unsupported ops: skipped before anything runs.
  ModelView view;
  if (ModelView::Parse(Bytes{bytes.data(), static_cast<uint32_t>(bytes.size())}, &view) != nullptr) {
    return {Outcome::kFailed, "model does not parse"};
  }
  std::string missing;
  ForEachUnsupportedOp(view, AllOps(), [&](const NodeView& node) {
    missing += (missing.empty() ? "" : ", ") + std::string(node.op_type.data, node.op_type.size);
  });
  if (!missing.empty()) return {Outcome::kSkipped, "op not implemented: " + missing};
  // Load once to sort out what tinyonnx reports as unsupported.
  Session probe;
  std::vector<HostTensor> first_inputs;
  fs::path first_set = dir / "test_data_set_0";
  if (fs::exists(first_set)) {
    for (const fs::path& file : SortedFiles(first_set, "input_")) {
      first_inputs.emplace_back();
      if (!ReadTensorProtoFile(file.string(), &first_inputs.back(), &error)) {
        return {Outcome::kSkipped, "test data: " + error};
      }
    }
  }
  if (!probe.LoadBytes(bytes, &error)) return {Outcome::kFailed, error};
  if (!probe.Prepare(first_inputs, {}, &error, size_t{16} << 20)) {
    if (probe.prepare_status() == Status::kUnsupported) return {Outcome::kSkipped, error};
    return {Outcome::kFailed, error};
  }
  std::vector<fs::path> sets;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.is_directory() && entry.path().filename().string().rfind("test_data_set_", 0) == 0) {
      sets.push_back(entry.path());
    }
  }
  if (sets.empty()) return {Outcome::kSkipped, "no test data"};
  std::sort(sets.begin(), sets.end());
  for (const fs::path& set : sets) {
    CaseResult r = RunDataSet(model, set);
    if (r.outcome != Outcome::kPassed) {
      r.reason = set.filename().string() + ": " + r.reason;
      return r;
    }
  }
  return {Outcome::kPassed, ""};
}

// Groups skip reasons for the summary ("op not implemented: Foo" -> count).
std::string ReasonKey(const std::string& reason) {
  std::string key = reason;
  if (key.rfind("node '", 0) == 0) {
    size_t colon = key.find("): ");
    if (colon != std::string::npos) key = key.substr(colon + 3);
  }
  return key.substr(0, 90);
}

}  // namespace

int main(int argc, char** argv) {
  std::string dir = "/usr/share/libonnx-testdata/data/node";
  std::string filter;
  bool verbose = false;
  int min_passed = 0;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--dir" && i + 1 < argc) dir = argv[++i];
    else if (arg == "--filter" && i + 1 < argc) filter = argv[++i];
    else if (arg == "--verbose") verbose = true;
    else if (arg == "--min-passed" && i + 1 < argc) min_passed = std::atoi(argv[++i]);
    else {
      std::fprintf(stderr, "usage: node_tests [--dir DIR] [--filter SUBSTRING] [--verbose] [--min-passed N]\n");
      return 2;
    }
  }
  if (!fs::is_directory(dir)) {
    std::fprintf(stderr, "node_tests: %s is not a directory (install libonnx-testdata)\n", dir.c_str());
    return 2;
  }
  std::vector<fs::path> cases;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.is_directory() && entry.path().filename().string().find(filter) != std::string::npos) {
      cases.push_back(entry.path());
    }
  }
  std::sort(cases.begin(), cases.end());
  int passed = 0, failed = 0, skipped = 0;
  std::map<std::string, int> skip_reasons;
  for (const fs::path& c : cases) {
    CaseResult r = RunCase(c);
    std::string name = c.filename().string();
    switch (r.outcome) {
      case Outcome::kPassed:
        ++passed;
        if (verbose) std::printf("PASS %s\n", name.c_str());
        break;
      case Outcome::kFailed:
        ++failed;
        std::printf("FAIL %s: %s\n", name.c_str(), r.reason.c_str());
        break;
      case Outcome::kSkipped:
        ++skipped;
        skip_reasons[ReasonKey(r.reason)]++;
        if (verbose) std::printf("SKIP %s: %s\n", name.c_str(), r.reason.c_str());
        break;
    }
  }
  if (verbose) {
    std::printf("\nskip reasons:\n");
    for (const auto& [reason, count] : skip_reasons) std::printf("%5d  %s\n", count, reason.c_str());
  }
  std::printf("%d passed, %d failed, %d skipped\n", passed, failed, skipped);
  if (passed < min_passed) {
    std::printf("node_tests: %d cases passed, at least %d are required\n", passed, min_passed);
    return 1;
  }
  return failed == 0 ? 0 : 1;
}
