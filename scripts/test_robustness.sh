#!/bin/sh
# Robustness checks (docs/robustness.md), not part of scripts/test.sh:
#   1. the whole host test suite built with ASan + UBSan (build-asan/,
#      TINYONNX_SANITIZE=ON), every test run;
#   2. the libFuzzer targets (build-fuzz/, clang, TINYONNX_FUZZ=ON), each run
#      for FUZZ_SECONDS (default 60) on its seed corpus via `ctest -L fuzz`.
# Prints the time each part took.
# usage: scripts/test_robustness.sh [FUZZ_SECONDS]
set -eu
cd "$(dirname "$0")/.."
fuzz_seconds=${1:-60}
jobs=$(nproc)

t0=$(date +%s)
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTINYONNX_SANITIZE=ON >/dev/null
cmake --build build-asan -j"$jobs" >/dev/null
t1=$(date +%s)
(cd tests/ort && [ -d node_modules/onnxruntime-node ] ||
  npm install --ignore-scripts --no-audit --no-fund --loglevel=error)
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --test-dir build-asan --output-on-failure -j"$jobs"
t2=$(date +%s)

cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER=clang \
  -DCMAKE_CXX_COMPILER=clang++ -DTINYONNX_FUZZ=ON -DTINYONNX_FUZZ_SECONDS="$fuzz_seconds" >/dev/null
cmake --build build-fuzz -j"$jobs" --target make_image_seeds make_plan_seeds fuzz_reader \
  fuzz_interpreter fuzz_digit_image fuzz_quantize fuzz_plan >/dev/null
t3=$(date +%s)
ctest --test-dir build-fuzz -L fuzz --output-on-failure -j2
t4=$(date +%s)

echo "ASan+UBSan: build $((t1 - t0)) s, tests $((t2 - t1)) s"
echo "fuzz: build $((t3 - t2)) s, ctest -L fuzz ($fuzz_seconds s per target, 2 at a time) $((t4 - t3)) s"
