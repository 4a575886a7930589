#!/usr/bin/python3
"""Accuracy of int8 MNIST models under ONNX Runtime on all 10,000 test images.

    int8_accuracy.py --root . --committed [--max-drop 0.10]
        checks models/NAME-int8.onnx against models/NAME.onnx: the int8 model
        may lose at most --max-drop percentage points (exit 1 otherwise);
    int8_accuracy.py --root . --tinyonnx build/tools/tinyonnx --methods minmax percentile entropy
        quantizes each float model with each calibration method (otherwise the
        default settings) and compares them.

Prints a markdown table: model, float accuracy, int8 accuracy, difference in
percentage points, and how many test images change their top-1.
"""

import argparse
import os
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import qdq_support as qs  # noqa: E402

MODELS = ["mnist-small", "mnist-cnn"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", required=True, help="the project's source directory")
    parser.add_argument("--tinyonnx", help="the tinyonnx CLI (for --methods)")
    parser.add_argument("--methods", nargs="*", default=[], help="calibration methods to quantize with")
    parser.add_argument("--committed", action="store_true", help="check models/NAME-int8.onnx")
    parser.add_argument("--max-drop", type=float, default=0.10, help="allowed accuracy loss in pp (default 0.10)")
    args = parser.parse_args()
    if args.methods and not args.tinyonnx:
        parser.error("--methods needs --tinyonnx")
    if not args.methods and not args.committed:
        parser.error("nothing to do: give --committed and/or --methods")
    root = os.path.abspath(args.root)
    mnist = qs.fetch_mnist(root)
    images, labels = qs.mnist_test_images(mnist)
    failures = []
    print("| model | float % | int8 % | difference pp | top-1 changed |")
    print("|---|---|---|---|---|")
    with tempfile.TemporaryDirectory(prefix="tinyonnx_int8_accuracy_") as work:
        for name in MODELS:
            float_model = os.path.join(root, "models", name + ".onnx")
            if not os.path.exists(float_model):
                failures.append(f"{float_model} does not exist")
                continue
            float_top1 = qs.ort_outputs(float_model, images, work).argmax(1)
            float_accuracy = 100.0 * np.mean(float_top1 == labels)
            candidates = []
            if args.committed:
                candidates.append((f"{name}-int8.onnx (committed)", os.path.join(root, "models", name + "-int8.onnx")))
            for method in args.methods:
                out = os.path.join(work, f"{name}-{method}.onnx")
                qs.quantize(os.path.abspath(args.tinyonnx), float_model, out, "mnist:" + mnist, method)
                candidates.append((f"{name}, {method}", out))
            for label, model in candidates:
                if not os.path.exists(model):
                    failures.append(f"{model} does not exist")
                    continue
                top1 = qs.ort_outputs(model, images, work).argmax(1)
                accuracy = 100.0 * np.mean(top1 == labels)
                print(f"| {label} | {float_accuracy:.2f} | {accuracy:.2f} | {accuracy - float_accuracy:+.2f} | "
                      f"{int(np.sum(top1 != float_top1))} |", flush=True)
                if "committed" in label and accuracy < float_accuracy - args.max_drop - 1e-9:
                    failures.append(f"{model}: {accuracy:.2f} % is more than {args.max_drop} pp below "
                                    f"the float model's {float_accuracy:.2f} %")
    for f in failures:
        print("FAIL " + f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
