#!/bin/sh
# The main job: builds tinyonnx, fetches MNIST and recognizes handwritten
# digits with the CNN trained on the PC (models/mnist-cnn.onnx): ASCII art,
# the ten probabilities and "The number is N", then the accuracy on all
# 10,000 test images.
set -eu
cd "$(dirname "$0")/.."
sh scripts/install_deps.sh
sh scripts/build.sh
mnist=$(sh scripts/fetch_mnist.sh)
for index in 0 1 2; do
  build/tools/tinyonnx digit models/mnist-cnn.onnx --mnist "$mnist" --index "$index"
  echo
done
build/tools/tinyonnx eval models/mnist-cnn.onnx --mnist "$mnist"
