#!/bin/sh
# The MNIST demo on a microcontroller: builds the tinyonnx firmware for the
# Netduino Plus 2 (STM32F405, Cortex-M4F, 1 MiB flash, 128 KiB RAM), runs it
# under QEMU and recognizes handwritten MNIST test digits on it: the 28x28
# digit as ASCII art, the ten probabilities, "The number is N"; then the
# accuracy on all 10,000 test images, read from the host through
# semihosting. The model (models/mnist-small.onnx, or with --int8
# models/mnist-small-int8.onnx) is linked into flash and read in place; the
# arena is one static buffer. With --plan (int8 only) the model is the one
# compiled on the PC (`tinyonnx compile`) and the firmware is mnist_plan: the
# PlanInterpreter and the model's kernels only (docs/cortex-m.md).
#
# usage: sh scripts/firmware_demo.sh [--int8 [--plan]] [DIGIT...]   (default: 0 1 2)
#
# Installs what it needs (apt-get, Debian 12) only if it is missing.
set -eu
cd "$(dirname "$0")/.."

missing=""
for p in cmake make gcc-arm-none-eabi libnewlib-arm-none-eabi libstdc++-arm-none-eabi-newlib \
         qemu-system-arm; do
  dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
done
[ -f .cache/mnist/t10k-images-idx3-ubyte ] || command -v npm >/dev/null 2>&1 || missing="$missing nodejs npm"
if [ -n "$missing" ]; then
  echo "installing:$missing"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # shellcheck disable=SC2086
  apt-get install -y -qq --no-install-recommends $missing
fi

preset=arm-m4f
variant=flash
if [ "${1:-}" = "--int8" ]; then
  preset=arm-m4f-int8
  shift
  if [ "${1:-}" = "--plan" ]; then
    variant=plan
    shift
  fi
fi
mnist=$(sh scripts/fetch_mnist.sh)
cmake --preset "$preset" >/dev/null
cmake --build "build-$preset" -j"$(nproc)" --target "mnist_${variant}_netduinoplus2" >/dev/null
firmware="build-$preset/firmware/mnist_${variant}_netduinoplus2.elf"
run="ports/cortex-m/run_qemu.sh --board netduinoplus2"

echo "== $firmware"
arm-none-eabi-size "$firmware"
echo
[ $# -gt 0 ] || set -- 0 1 2
for digit in "$@"; do
  # shellcheck disable=SC2086
  $run "$firmware" digit "$digit" --mnist "$mnist"
  echo
done
# shellcheck disable=SC2086
$run --timeout 900 "$firmware" eval --mnist "$mnist"
