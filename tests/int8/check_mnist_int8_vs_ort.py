#!/usr/bin/python3
"""tinyonnx against ONNX Runtime on the int8 MNIST models, all 10,000 test images.

    /usr/bin/python3 tests/int8/check_mnist_int8_vs_ort.py --tinyonnx build/tools/tinyonnx --root .

For models/mnist-cnn-int8.onnx and models/mnist-small-int8.onnx: a copy of
the model also outputs the int8 logits (the QuantizeLinear output that the
final DequantizeLinear -> Softmax reads). Both engines run all test images;
the check requires the same top-1 class for at least 99.9 % of the images,
int8 logits at most one quantization step apart, and tinyonnx's int8
accuracy at least the float model's minus 0.10 percentage points.
Prints a markdown table and `N passed, N failed`.
"""

import argparse
import os
import subprocess
import sys
import tempfile

import numpy as np
import onnx
from onnx import helper, TensorProto

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests", "quantize"))
import qdq_support as qs  # noqa: E402

MODELS = ["mnist-cnn", "mnist-small"]
CHUNK = 1000  # images per tinyonnx run (bounds its arena)


def with_int8_logits(model_path, out_path):
    """Writes a copy of the model whose second output is the int8 logits."""
    model = onnx.load(model_path)
    producers = {o: n for n in model.graph.node for o in n.output}
    softmax = [n for n in model.graph.node if n.op_type == "Softmax"]
    if len(softmax) != 1:
        raise RuntimeError(f"{model_path}: expected one Softmax")
    dequantize = producers[softmax[0].input[0]]
    if dequantize.op_type != "DequantizeLinear":
        raise RuntimeError(f"{model_path}: Softmax does not read a DequantizeLinear")
    logits = dequantize.input[0]
    model.graph.output.append(helper.make_tensor_value_info(logits, TensorProto.INT8, None))
    onnx.save(model, out_path)


def tinyonnx_outputs(tinyonnx, model, images, work):
    probabilities, logits = [], []
    for start in range(0, len(images), CHUNK):
        batch = os.path.join(work, "batch.npy")
        np.save(batch, images[start:start + CHUNK])
        out = os.path.join(work, "tiny.npy")
        qs.run([tinyonnx, "run", model, "--input", batch, "--output", out])
        probabilities.append(np.load(out))
        logits.append(np.load(os.path.join(work, "tiny_1.npy")))
    return np.concatenate(probabilities), np.concatenate(logits)


def ort_outputs(model, images, work):
    qs.ensure_ort_installed()
    path = os.path.join(work, "all.npy")
    np.save(path, images)
    prefix = os.path.join(work, "ort")
    qs.run(["node", qs.ORT_RUN, model, prefix, path])
    return np.load(prefix + ".output_0.npy"), np.load(prefix + ".output_1.npy")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tinyonnx", required=True)
    parser.add_argument("--root", default=ROOT)
    args = parser.parse_args()
    tinyonnx = os.path.abspath(args.tinyonnx)
    mnist = qs.fetch_mnist(os.path.abspath(args.root))
    images, labels = qs.mnist_test_images(mnist)
    passed = failed = 0
    print("| model | tinyonnx int8 % | ORT int8 % | float % | same top-1 | max logit difference (steps) |")
    print("|---|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory(prefix="tinyonnx_int8_vs_ort_") as work:
        for name in MODELS:
            model = os.path.join(args.root, "models", name + "-int8.onnx")
            probe = os.path.join(work, name + "-logits.onnx")
            with_int8_logits(model, probe)
            tiny_p, tiny_q = tinyonnx_outputs(tinyonnx, probe, images, work)
            ort_p, ort_q = ort_outputs(probe, images, work)
            float_p = qs.ort_outputs(os.path.join(args.root, "models", name + ".onnx"), images, work)
            tiny_top1, ort_top1 = tiny_p.argmax(1), ort_p.argmax(1)
            agreement = 100.0 * np.mean(tiny_top1 == ort_top1)
            steps = int(np.abs(tiny_q.astype(np.int32) - ort_q.astype(np.int32)).max())
            tiny_accuracy = 100.0 * np.mean(tiny_top1 == labels)
            ort_accuracy = 100.0 * np.mean(ort_top1 == labels)
            float_accuracy = 100.0 * np.mean(float_p.argmax(1) == labels)
            print(f"| {name}-int8 | {tiny_accuracy:.2f} | {ort_accuracy:.2f} | {float_accuracy:.2f} | "
                  f"{agreement:.2f} % | {steps} |")
            ok = agreement >= 99.9 and steps <= 1 and tiny_accuracy >= float_accuracy - 0.10 + 1e-9
            if ok:
                passed += 1
            else:
                failed += 1
                print(f"FAIL {name}-int8: agreement {agreement:.2f} %, logit steps {steps}, "
                      f"accuracy {tiny_accuracy:.2f} % vs float {float_accuracy:.2f} %")
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
