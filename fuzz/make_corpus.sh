#!/bin/sh
# Builds the seed corpora of the fuzz targets (nothing binary is committed):
#   OUT/reader, OUT/interpreter, OUT/quantize: models/*.onnx, tests/data/**/*.onnx
#     and every 8th ONNX backend node test model (libonnx-testdata);
#   OUT/digit_image: images drawn by make_image_seeds;
#   OUT/plan: the compiled plans of fuzz_plan's models (make_plan_seeds).
# usage: make_corpus.sh OUT MAKE_IMAGE_SEEDS_BINARY MAKE_PLAN_SEEDS_BINARY
set -eu
out=$1
seeds=$2
plan_seeds=$3
root=$(cd "$(dirname "$0")/.." && pwd)
rm -rf "$out"
mkdir -p "$out/models" "$out/digit_image" "$out/plan"
n=0
for f in "$root"/models/*.onnx $(find "$root/tests/data" -name '*.onnx' | sort); do
  n=$((n + 1))
  cp "$f" "$out/models/$(basename "$f")"
done
node_dir=/usr/share/libonnx-testdata/data/node
if [ -d "$node_dir" ]; then
  i=0
  for d in "$node_dir"/*/; do
    i=$((i + 1))
    [ $((i % 8)) -eq 0 ] || continue
    [ -f "$d/model.onnx" ] || continue
    cp "$d/model.onnx" "$out/models/node_$(basename "$d").onnx"
  done
fi
for t in reader interpreter quantize; do ln -s models "$out/$t"; done
"$seeds" "$out/digit_image" >/dev/null
"$plan_seeds" "$root" "$out/plan"
echo "corpus: $(ls "$out/models" | wc -l) models, $(ls "$out/digit_image" | wc -l) images, $(ls "$out/plan" | wc -l) plans in $out"
