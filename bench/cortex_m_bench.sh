#!/bin/sh
# Instructions per inference and per layer of tinyonnx on Cortex-M under
# QEMU with an instruction-counting plugin; see bench/cortex_m_bench.py.
#
# usage: sh bench/cortex_m_bench.sh [--runs N] [--models a,b] [--boards x,y] [--demo]
exec /usr/bin/python3 "$(dirname "$0")/cortex_m_bench.py" "$@"
