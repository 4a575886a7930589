#!/bin/sh
# The whole test suite: installs dependencies, builds, runs ctest on the host,
# then builds the Cortex-M firmware and runs the on-target tests under QEMU
# (Cortex-M4F float and int8, Cortex-M7, Cortex-M3), then the robustness
# checks: the host suite again under ASan + UBSan and each libFuzzer target
# for 60 s (scripts/test_robustness.sh).
set -eu
cd "$(dirname "$0")/.."
sh scripts/install_deps.sh
sh scripts/build.sh
(cd tests/ort && [ -d node_modules/onnxruntime-node ] ||
  npm install --ignore-scripts --no-audit --no-fund --loglevel=error)
# Before ctest: unit tests (plan_interpreter_test) read the test images too.
sh scripts/fetch_mnist.sh >/dev/null
(cd build && ctest --output-on-failure -j"$(nproc)")
for preset in arm-m4f arm-m4f-int8 arm-m7 arm-m3; do
  cmake --preset "$preset" >/dev/null
  cmake --build "build-$preset" -j"$(nproc)" >/dev/null
  ctest --test-dir "build-$preset" --output-on-failure -j"$(nproc)"
done
sh scripts/test_robustness.sh 60
