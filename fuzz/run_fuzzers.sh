#!/bin/sh
# Builds the libFuzzer targets (TINYONNX_FUZZ=ON, clang, ASan + UBSan) in
# build-fuzz/ and runs each for SECONDS (default 60), two at a time, on the
# seed corpora; prints executions, coverage (cov/ft from libFuzzer's final
# stats) and problems (crashes, leaks, timeouts, UB) per target.
# usage: fuzz/run_fuzzers.sh [SECONDS] [TARGET...]
set -eu
cd "$(dirname "$0")/.."
seconds=${1:-60}
[ $# -gt 0 ] && shift
targets=${*:-fuzz_reader fuzz_interpreter fuzz_digit_image fuzz_quantize fuzz_plan}
build=build-fuzz
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER=clang \
  -DCMAKE_CXX_COMPILER=clang++ -DTINYONNX_FUZZ=ON >/dev/null
# shellcheck disable=SC2086
cmake --build "$build" -j"$(nproc)" --target make_image_seeds make_plan_seeds $targets >/dev/null
sh fuzz/make_corpus.sh "$build/fuzz/corpus" "$build/fuzz/make_image_seeds" "$build/fuzz/make_plan_seeds"
set +e
jobs_running=0
status=0
for t in $targets; do
  corpus=$(echo "$t" | sed 's/^fuzz_//')
  sh fuzz/run_one.sh "$build/fuzz/$t" "$build/fuzz/corpus/$corpus" "$seconds" "$build/fuzz/artifacts-$t" &
  jobs_running=$((jobs_running + 1))
  if [ "$jobs_running" -ge 2 ]; then
    wait
    jobs_running=0
  fi
done
wait
ls "$build"/fuzz/artifacts-*/crash-* "$build"/fuzz/artifacts-*/leak-* "$build"/fuzz/artifacts-*/timeout-* \
  "$build"/fuzz/artifacts-*/oom-* 2>/dev/null && status=1
exit $status
