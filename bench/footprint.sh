#!/bin/sh
# Flash (runtime, kernels, model, port, app, libc) and RAM (arena, stack,
# static data) of tinyonnx firmware from their linker maps, as a markdown
# table. See bench/footprint.py.
#
# usage: sh bench/footprint.sh [--log FILE] ELF [ELF...]
#   e.g. sh bench/footprint.sh build-arm-m4f/firmware/mnist_flash_netduinoplus2.elf
exec /usr/bin/python3 "$(dirname "$0")/footprint.py" "$@"
