#!/bin/sh
# The main job: builds tinyonnx and classifies an input with a CNN exported
# from PyTorch, printing the model summary and the top-5 classes.
set -eu
cd "$(dirname "$0")/.."
sh scripts/install_deps.sh
sh scripts/build.sh
model=tests/data/models/torch_cnn_bn_opset13.onnx
build/tools/tinyonnx info "$model"
echo
build/tools/tinyonnx run "$model" --input tests/data/models/torch_cnn_bn_opset13.input_0.npy
