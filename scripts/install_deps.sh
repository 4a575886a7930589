#!/bin/sh
# Installs what tinyonnx needs on Debian 12, idempotently: only missing
# packages are installed, and apt-get update runs only when something is.
set -eu
packages="cmake g++ make libgtest-dev libcli11-dev libstb-dev libprotobuf-dev protobuf-compiler
python3-onnx python3-numpy libonnx-testdata
python3-pil fonts-dejavu-core fonts-liberation fonts-freefont-ttf fonts-urw-base35
gcc-arm-none-eabi libnewlib-arm-none-eabi libstdc++-arm-none-eabi-newlib qemu-system-arm
clang libclang-rt-14-dev $*"
missing=""
for p in $packages; do
  dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
done
command -v npm >/dev/null 2>&1 || missing="$missing nodejs npm"
if [ -n "$missing" ]; then
  echo "installing:$missing"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # shellcheck disable=SC2086
  apt-get install -y -qq --no-install-recommends $missing
fi
