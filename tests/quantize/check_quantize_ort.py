#!/usr/bin/python3
"""Checks `tinyonnx quantize` end to end with ONNX Runtime as the judge.

    check_quantize_ort.py --tinyonnx build/tools/tinyonnx --root . [--images 200]

1. Quantizes models/mnist-small.onnx and models/mnist-cnn.onnx with MNIST
   calibration (scripts/fetch_mnist.sh) and the default settings, then checks
   that each result passes onnx.checker (full check), follows the QDQ format
   of docs/int8.md (tests/quantize/qdq_support.py), and that ONNX Runtime
   runs it and agrees with the float model's top-1 on at least 99 % of the
   first --images test images.
2. Builds a small synthetic model with what the MNIST models lack
   (BatchNormalization, Clip(0, 6), a residual Add with a Relu after it,
   AveragePool, Reshape, a quantized graph output, a signed input),
   quantizes it with npy: calibration and checks the same, with the int8
   output's SQNR against float under ONNX Runtime in place of top-1.
3. Checks that bad arguments give a clear error.

Prints PASS/FAIL per check and exits 1 on any failure.
"""

import argparse
import os
import subprocess
import sys
import tempfile

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import qdq_support as qs  # noqa: E402

MNIST_MODELS = ["mnist-small", "mnist-cnn"]
MIN_TOP1_AGREEMENT = 99.0  # percent of test images
MIN_SYNTHETIC_SQNR_DB = 25.0


def find_model(root, name):
    return os.path.join(root, "models", name + ".onnx")


def check_written_model(path):
    onnx.checker.check_model(onnx.load(path), full_check=True)
    return qs.check_qdq_format(path)


def check_mnist_model(args, mnist, work, name):
    model = find_model(args.root, name)
    if not os.path.exists(model):
        raise RuntimeError(f"{model} does not exist")
    out = os.path.join(work, name + "-int8.onnx")
    report = qs.quantize(args.tinyonnx, model, out, "mnist:" + mnist)
    if "summary" not in report:
        raise RuntimeError("the report has no summary:\n" + report)
    fmt = check_written_model(out)
    images, _ = qs.mnist_test_images(mnist, args.images)
    reference = qs.ort_outputs(model, images, work).argmax(1)
    quantized = qs.ort_outputs(out, images, work).argmax(1)
    agreement = 100.0 * np.mean(reference == quantized)
    if agreement < MIN_TOP1_AGREEMENT:
        raise RuntimeError(f"ORT top-1 of the int8 model agrees with float on {agreement:.1f} % of "
                           f"{len(images)} images, less than {MIN_TOP1_AGREEMENT} %")
    return f"{fmt}; ORT top-1 agrees with float on {agreement:.1f} % of {len(images)} images"


def synthetic_model():
    """Conv-BN-Clip6, depthwise Conv-BN-Relu, pointwise Conv, Add + Relu,
    AveragePool, Reshape, Gemm -> logits (no Softmax)."""
    rng = np.random.default_rng(5)
    inits = []

    def tensor(name, array):
        inits.append(numpy_helper.from_array(np.asarray(array), name))
        return name

    def conv_weights(name, out_c, in_c, k):
        return tensor(name, (rng.standard_normal((out_c, in_c, k, k)) * np.sqrt(2.0 / (in_c * k * k))).astype(np.float32))

    def batch_norm(name, x, c, y):
        args = [tensor(f"{name}.{p}", v.astype(np.float32)) for p, v in
                [("gamma", rng.uniform(0.5, 1.5, c)), ("beta", rng.uniform(-0.2, 0.2, c)),
                 ("mean", rng.uniform(-0.2, 0.2, c)), ("var", rng.uniform(0.5, 2.0, c))]]
        return helper.make_node("BatchNormalization", [x] + args, [y], name=name, epsilon=1e-5)

    nodes = [
        helper.make_node("Conv", ["x", conv_weights("c1.w", 8, 3, 3), tensor("c1.b", np.zeros(8, np.float32))],
                         ["c1"], name="conv1", pads=[1, 1, 1, 1]),
        batch_norm("bn1", "c1", 8, "b1"),
        helper.make_node("Clip", ["b1", tensor("six.lo", np.float32(0)), tensor("six.hi", np.float32(6))], ["a1"],
                         name="relu6"),
        helper.make_node("Conv", ["a1", conv_weights("dw.w", 8, 1, 3)], ["d"], name="depthwise", group=8,
                         pads=[1, 1, 1, 1]),
        batch_norm("bn2", "d", 8, "b2"),
        helper.make_node("Relu", ["b2"], ["a2"], name="relu2"),
        helper.make_node("Conv", ["a2", conv_weights("pw.w", 8, 8, 1), tensor("pw.b", rng.uniform(-0.1, 0.1, 8).astype(np.float32))],
                         ["p"], name="pointwise"),
        helper.make_node("Add", ["p", "a1"], ["s"], name="residual"),
        helper.make_node("Relu", ["s"], ["a3"], name="relu3"),
        helper.make_node("AveragePool", ["a3"], ["pool"], name="pool", kernel_shape=[2, 2], strides=[2, 2]),
        helper.make_node("Reshape", ["pool", tensor("flat.shape", np.array([0, -1], np.int64))], ["flat"], name="flatten"),
        helper.make_node("Gemm", ["flat", tensor("fc.w", (rng.standard_normal((10, 128)) * 0.1).astype(np.float32)),
                                  tensor("fc.b", rng.uniform(-0.1, 0.1, 10).astype(np.float32))],
                         ["logits"], name="fc", transB=1),
    ]
    graph = helper.make_graph(nodes, "synthetic",
                              [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", 3, 8, 8])],
                              [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["batch", 10])], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="check_quantize_ort")
    model.ir_version = 7
    onnx.checker.check_model(model)
    return model


def check_synthetic_model(args, work):
    model = os.path.join(work, "synthetic.onnx")
    onnx.save(synthetic_model(), model)
    rng = np.random.default_rng(11)
    calibration = os.path.join(work, "synthetic-calibration")
    os.makedirs(calibration, exist_ok=True)
    for i in range(64):
        np.save(os.path.join(calibration, f"{i:03d}.npy"), rng.uniform(-1, 1, (1, 3, 8, 8)).astype(np.float32))
    out = os.path.join(work, "synthetic-int8.onnx")
    qs.quantize(args.tinyonnx, model, out, "npy:" + calibration)
    fmt = check_written_model(out)
    written = onnx.load(out)
    ops = {n.op_type for n in written.graph.node}
    if ops & {"BatchNormalization", "Clip"} or "Add" not in ops:
        raise RuntimeError(f"unexpected ops in the written model: {sorted(ops)}")
    inputs = rng.uniform(-1, 1, (32, 3, 8, 8)).astype(np.float32)
    reference = qs.ort_outputs(model, inputs, work).astype(np.float64)
    quantized = qs.ort_outputs(out, inputs, work).astype(np.float64)
    sqnr = 10 * np.log10(np.sum(reference ** 2) / np.sum((reference - quantized) ** 2))
    if sqnr < MIN_SYNTHETIC_SQNR_DB:
        raise RuntimeError(f"int8 logits under ORT have SQNR {sqnr:.1f} dB against float, "
                           f"less than {MIN_SYNTHETIC_SQNR_DB} dB")
    return f"{fmt}; ORT int8 logits SQNR {sqnr:.1f} dB against float over 32 inputs"


def check_errors(args, work):
    model = find_model(args.root, "mnist-small")
    cases = [(["--calibrate", "cifar:/x"], "mnist:DIR or npy:DIR"),
             (["--calibrate", "npy:" + os.path.join(work, "no-such-dir")], "not a directory"),
             (["--calibrate", "mnist:" + work], "no MNIST train set")]
    for extra, message in cases:
        r = subprocess.run([args.tinyonnx, "quantize", model, *extra, "-o", os.path.join(work, "x.onnx")],
                           capture_output=True, text=True)
        if r.returncode == 0 or message not in r.stderr:
            raise RuntimeError(f"{extra}: expected an error mentioning '{message}', got exit {r.returncode}: "
                               f"{r.stderr.strip()}")
    return f"{len(cases)} bad arguments rejected with clear messages"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tinyonnx", required=True)
    parser.add_argument("--root", required=True, help="the project's source directory")
    parser.add_argument("--images", type=int, default=200, help="MNIST test images compared (default 200)")
    parser.add_argument("--keep", help="keep the written models in this directory")
    args = parser.parse_args()
    args.root = os.path.abspath(args.root)
    args.tinyonnx = os.path.abspath(args.tinyonnx)
    mnist = qs.fetch_mnist(args.root)
    failures = 0
    with tempfile.TemporaryDirectory(prefix="tinyonnx_quantize_") as tmp:
        work = os.path.abspath(args.keep) if args.keep else tmp
        os.makedirs(work, exist_ok=True)
        checks = [(name, lambda n=name: check_mnist_model(args, mnist, work, n)) for name in MNIST_MODELS]
        checks += [("synthetic", lambda: check_synthetic_model(args, work)), ("errors", lambda: check_errors(args, work))]
        for name, check in checks:
            try:
                print(f"PASS {name}: {check()}", flush=True)
            except Exception as e:  # report every check, then fail
                print(f"FAIL {name}: {e}", flush=True)
                failures += 1
    print(f"{len(checks) - failures} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
