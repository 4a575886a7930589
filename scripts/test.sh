#!/bin/sh
# The whole test suite: installs dependencies, builds, runs ctest.
set -eu
cd "$(dirname "$0")/.."
sh scripts/install_deps.sh
sh scripts/build.sh
(cd tests/ort && [ -d node_modules/onnxruntime-node ] ||
  npm install --ignore-scripts --no-audit --no-fund --loglevel=error)
cd build && ctest --output-on-failure -j"$(nproc)"
