#!/bin/sh
# The main job: the MNIST demo on an emulated STM32F405 (Netduino Plus 2,
# Cortex-M4F, QEMU). Builds the firmware with the int8 model
# models/mnist-small-int8.onnx compiled on the PC (`tinyonnx compile`: the
# plan Prepare computed, stored in the ONNX file) and linked into flash,
# recognizes MNIST test digits (ASCII art, the ten probabilities, "The
# number is N"), then evaluates all 10,000 test images on the device.
# Installs what it needs if missing.
set -eu
cd "$(dirname "$0")/.."
exec sh scripts/firmware_demo.sh --int8 --plan "$@"
